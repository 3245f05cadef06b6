## Consoles
product-name = partnerd
console-partner = Konsol Partner Sales
console-admin = Konsol Admin
console-support = Portal Layanan Pelanggan
consoles-label = Konsol
skip-to-content = Langsung ke konten

## Sign-in
signin-title = Login
signin-intro = Gunakan akun partnerd Anda. Satu login untuk semua konsol.
signin-email = Email
signin-password = Sandi
signin-button = Login
signin-failed = Email atau sandi salah. Coba lagi.
signin-throttled = Terlalu banyak upaya yang gagal. Tunggu beberapa menit, lalu coba lagi.
signin-suspended = Akun ini ditangguhkan. Hubungi administrator Anda.
signin-missing-email = Masukkan alamat email.
signin-missing-password = Masukkan sandi.
signin-expired = Sesi Anda telah berakhir. Login lagi.

## Accounts
accounts-title = Pilih akun
accounts-intro = Anda login ke akun-akun ini di browser ini.
accounts-use = Gunakan { $email }
accounts-add = Gunakan akun lain
signed-in-as = Login sebagai { $email }
account-label = Akun
switch-account = Ganti akun
signout = Logout
signout-all = Logout dari semua akun

## Password change
password-title = Ubah sandi Anda
password-intro = Administrator Anda meminta Anda memilih sandi baru sebelum melanjutkan.
password-new = Sandi baru
password-confirm = Konfirmasi sandi baru
password-rule = 8 hingga 100 karakter: huruf, angka, dan simbol alfabet Latin dasar.
password-button = Ubah sandi
password-mismatch = Sandi tidak cocok.
password-same = Pilih sandi yang belum pernah Anda gunakan di sini.

## Home and entry points
home-title = Selamat datang
home-intro = Pilih tujuan Anda.
home-none = Akun ini tidak dapat membuka konsol apa pun. Mintalah peran kepada administrator Anda.
partner-intro = Kelola pelanggan { $account }: buat dan impor pelanggan, pesan dan ubah langganan.
partner-refused = Akun ini tidak memiliki hak istimewa reseller. Mintalah peran dengan akses ke pelanggan kepada admin reseller.
admin-intro = Kelola { $account }: pengguna, unit organisasi, peran admin, lisensi, dan setelan akun.
admin-refused = Akun ini tidak memiliki peran administrator. Mintalah kepada admin super { $account }.
support-intro = Buka dan pantau kasus dukungan untuk pelanggan { $account }.
support-refused = Akun ini tidak dapat menggunakan Portal Layanan Pelanggan. Akun memerlukan peran Admin Reseller, atau peran dengan Lihat Pelanggan dan Akses Kasus Dukungan Pelanggan.
customers-count = Pelanggan: { $count }

## Language
language-label = Bahasa
language-button = Ubah bahasa

## Errors
error-title = Terjadi masalah
error-forbidden-title = Tidak diizinkan
error-forbidden = Anda tidak dapat membuka halaman ini dengan akun yang Anda gunakan.
error-not-found-title = Halaman tidak ditemukan
error-not-found = Halaman tersebut tidak ada.
error-internal = Server tidak dapat menjawab. Coba lagi sebentar lagi.
error-csrf = Formulir ini dikirim dari situs lain atau sudah kedaluwarsa. Buka kembali halamannya dan kirim sekali lagi.
error-home = Ke halaman awal

## E-mail
mail-greeting = Halo { $name },
mail-password-changed-subject = Sandi Anda telah diubah
mail-password-changed-body = Sandi { $email } diubah pada { $date }. Jika bukan Anda yang mengubahnya, segera minta administrator Anda meresetnya.
mail-signature = — partnerd

## Partner Sales Console: customers
customers-title = Pelanggan
customers-search = Telusuri
customers-search-hint = Nama atau domain, dari awalnya.
customers-type = Jenis pelanggan
customers-type-all = Semua
customers-type-domain = Pelanggan domain
customers-type-team = Pelanggan Tim
customers-sort = Urutkan menurut
customers-sort-domain = Domain
customers-sort-name = Nama
customers-sort-newest = Tanggal pembuatan, terbaru dahulu
customers-apply = Terapkan
customers-col-name = Nama
customers-col-domain = Domain
customers-col-type = Jenis
customers-col-created = Tanggal pembuatan
customers-cloud-id = ID Cloud Identity { $id }
customers-none = Tidak ada pelanggan yang cocok.
customers-next = Halaman berikutnya
customers-first = Halaman pertama

## Partner Sales Console: a customer
customer-title = Pelanggan
customer-info = Informasi pelanggan
customer-contact = Nama kontak
customer-alternate-email = Alamat alternatif
customer-phone = Nomor telepon
customer-country = Negara
customer-subscriptions = Langganan
customer-no-subscriptions = Belum ada langganan.
badge-domain-verified = Domain terverifikasi
badge-domain-unverified = Domain belum diverifikasi
badge-tos-pending = Persyaratan Layanan belum disetujui
badge-access-off = Akses reseller nonaktif
col-product = Produk
col-plan = Paket
col-seats = Lisensi
col-status = Status
col-renewal = Tanggal perpanjangan
col-when = Tanggal
col-who = Diubah oleh
col-what = Perubahan
plan-annual-monthly = Paket Tahunan (Pembayaran Bulanan)
plan-annual-yearly = Paket Tahunan (Pembayaran Tahunan)
plan-flexible = Paket Fleksibel
plan-trial = Uji coba
plan-free = Gratis
status-active = Aktif
status-suspended = Ditangguhkan
status-cancelled = Dibatalkan
reason-pending-tos = Menunggu pelanggan menyetujui Persyaratan Layanan
reason-renewal-cancel = Berakhir saat perpanjangan
reason-reseller = Ditangguhkan oleh reseller
reason-trial-ended = Uji coba berakhir
reason-other = Ditangguhkan oleh Google
order-history = Histori pesanan
order-history-none = Belum ada pesanan.
order-history-older = Entri lebih lama

## Platform time
platform-time = Waktu platform: { $date } (jam telah dipindahkan)

## Partner Sales Console: settings
settings-title = Setelan
settings-account = Informasi akun
settings-public-id = ID publik reseller
settings-public-id-hint = Pelanggan yang pindah ke Anda memasukkan ID ini saat membuat token transfer di konsol Admin-nya.
settings-notifications = Notifikasi reseller
settings-topic = Topik
settings-registered = Akun layanan terdaftar
settings-none-registered = Tidak ada

## Forms
form-required = Masukkan nilai.
form-duplicate = Nilai ini sudah dipakai.
form-invalid = Nilai ini tidak diterima: { $detail }
form-problems = Formulir tidak dapat dikirim:

## Partner Sales Console: create and import
create-link = Buat pelanggan
create-title = Buat pelanggan
create-product-family = Kategori produk utama
create-product-workspace = Google Workspace
create-product-hint = Kemudian, Anda dapat memesan Google Workspace, Google Workspace Additional Storage, dan langganan lain yang dikelola di konsol Google Admin.
create-organization = Informasi organisasi
create-type-domain-hint = Untuk langganan Google Workspace atau Cloud Identity.
create-type-team-hint = Untuk Essentials atau Enterprise Essentials dan pelanggan akan memverifikasi akunnya dengan alamat email (bukan dengan domain).
create-team-considerations = Pertimbangan untuk pelanggan Tim
create-team-note-only = Pilih pelanggan Tim hanya jika Anda memesan Essentials atau Enterprise Essentials dan pelanggan akan memverifikasi akunnya dengan alamat email (bukan dengan domain).
create-team-note-vault = Pelanggan dengan akun yang diverifikasi email tidak dapat membeli layanan Google Workspace lainnya, seperti Google Vault, kecuali jika pelanggan tersebut memverifikasi domainnya.
create-team-note-names = Beberapa tim dapat membeli Essentials. Jika tim menggunakan nama pelanggan yang sama, konsol akan menampilkan ID Cloud Identity unik.
create-education = Institusi Pendidikan
create-education-hint = Untuk sekolah dan perguruan tinggi.
create-organization-name = Nama organisasi
create-domain = Domain
create-domain-hint = Domain terdaftar pelanggan, tanpa www.
create-primary-email = Alamat email
create-primary-email-hint = Pelanggan domain: administrator super di domain primer (jika kosong, admin@ dan domainnya). Pelanggan Tim: email admin tim.
create-crm-id = ID CRM
create-crm-id-hint = Tidak wajib: ID pelanggan di sistem CRM Anda.
create-contact = Informasi kontak
create-contact-hint = Masukkan informasi untuk membuat akun administrator.
create-contact-name = Nama kontak
create-address = Baris alamat
create-locality = Kota
create-postal-code = Kode pos
create-country = Negara
create-country-choose = Pilih negara
create-country-hint = Hanya negara tempat Google Workspace dapat dijual kembali.
create-alternate-email = Alamat alternatif
create-alternate-email-hint = Informasi sandi dan notifikasi dikirim ke alamat email dan alamat alternatif. Masukkan alamat email yang tidak menggunakan domain primer pelanggan. Tidak wajib bagi pelanggan edisi Tim.
create-phone = Nomor telepon
create-phone-hint = Diawali dengan + dan kode negara.
create-button = Buat
create-error-domain = Masukkan domain terdaftar seperti example.com, tanpa www.
create-error-primary = Masukkan alamat email yang valid: untuk pelanggan domain di domainnya, dan bukan alamat reseller Anda.
create-error-alternate = Masukkan alamat email valid yang tidak menggunakan domain pelanggan.
create-error-phone = Masukkan nomor telepon yang nyata, diawali dengan + dan kode negara.
create-error-postal = Masukkan kode pos negara yang dipilih.
create-error-country = Pilih negara dari daftar.
create-error-crm = Gunakan paling banyak 64 karakter.
created-title = Pelanggan dibuat
created-intro = { $name } ditambahkan ke pelanggan Anda. Status Langganan pelanggan baru masih kosong sebelum Anda melakukan pemesanan.
created-credentials = Login pertama
created-username = Nama pengguna
created-password = Sandi sementara
created-password-note = Hanya ditampilkan sekarang. Administrator super harus mengubahnya saat login pertama. Sandi juga dikirim melalui email ke { $email }.
created-purchase = Beli
created-close = Daftar pelanggan
created-open = Buka halaman pelanggan
import-link = Impor pelanggan
import-title = Impor pelanggan
import-intro = Impor pelanggan yang saat ini menggunakan Google atau reseller lain: administrator supernya membuat token transfer untuk ID reseller Anda di konsol Admin-nya.
import-consent = Sebelum memulai: dapatkan izin pembelian dari pelanggan untuk grup produk yang Anda beli atas namanya. Tanpa izin itu, pelanggan tidak dapat dipindahkan ke Anda.
import-existing = Pelanggan dengan domain { $name } sudah ada di Google atau reseller lain. Untuk memindahkannya ke Anda, masukkan token transfer yang dibuat administrator supernya.
import-domain = Domain
import-token = Token transfer
import-token-hint = Kode yang disalin administrator super pelanggan dari Ambil Token Transfer.
import-button = Impor
import-subscriptions = Langganan yang ditransfer
import-subscriptions-intro = Langganan yang ditransfer menjadi langganan baru yang ditagihkan kepada Anda. Pilih paket untuk masing-masing dan setidaknya lisensi yang digunakan pelanggan saat ini.
import-current-plan = Paket saat ini
import-new-plan = Paket baru
import-minimum = Minimal { $count }
import-moves-along = Pindah bersama Google Workspace
import-confirm = Konfirmasi transfer
import-done-title = Pelanggan diimpor
import-done-intro = { $name } sekarang pelanggan Anda. Langganan berikut telah ditransfer:
import-nothing = Token valid, tetapi pelanggan tidak memiliki langganan yang dapat Anda transfer.
import-token-unknown = Token transfer ini tidak valid. Periksa apakah Anda menyalin seluruhnya, atau minta token baru kepada administrator super pelanggan.
import-token-expired = Masa berlaku token transfer ini telah berakhir. Minta token baru kepada administrator super pelanggan.
import-token-other-reseller = Token transfer ini dibuat untuk reseller lain. Administrator super pelanggan harus memasukkan ID reseller Anda { $id } saat membuatnya.
import-token-other-customer = Token transfer ini milik pelanggan lain. Periksa domainnya.
import-no-customer = Tidak ada pelanggan dengan domain ini. Buat sebagai pelanggan baru.
import-already-yours = Pelanggan ini sudah menjadi pelanggan Anda.
import-error-plan = Pilih salah satu paket yang ditawarkan.
import-error-seats = Masukkan setidaknya jumlah lisensi minimum.
mail-welcome-subject = Selamat datang di akun Google Workspace { $name }
mail-welcome-body = Akun administrator telah dibuat untuk { $name }. Login dengan detail ini dan pilih sandi baru saat login pertama.
mail-welcome-username = Nama pengguna: { $email }
mail-welcome-password = Sandi sementara: { $id }
mail-welcome-signin = Login di: { $id }
mail-welcome-change = Kemudian setujui Persyaratan Layanan agar langganan Anda dapat dimulai.
