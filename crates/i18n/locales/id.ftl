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

## Partner Sales Console: the list's columns, filters and download
customers-sort-renewal = Tanggal perpanjangan
customers-filters = Filter
customers-filter-any = Semua
customers-filter-status = Status langganan
customers-filter-sku = SKU
customers-filter-plan = Paket pembayaran
customers-filter-reason = Alasan penangguhan
customers-filter-renews-from = Tanggal perpanjangan dari
customers-filter-renews-to = Tanggal perpanjangan sampai
customers-status-active = Aktif
customers-status-suspended = Ditangguhkan
customers-status-none = Belum ada langganan
customers-filter-unknown = Pilih nilai dari daftar.
customers-filter-date = Masukkan tanggal sebagai TTTT-BB-HH.
customers-filter-range = Tanggal akhir tidak boleh sebelum tanggal mulai.
customers-filter-none-and-more = "Belum ada langganan" tidak dapat digabungkan dengan filter langganan lainnya.
customers-filter-mend = Perbaiki filter yang ditandai untuk melihat daftar.
customers-download = Download pelanggan
customers-download-refused = Hanya admin super yang dapat mendownload daftar pelanggan.
customers-col-id = ID Cloud Identity
customers-col-subscriptions = Langganan
customers-col-renewal = Tanggal perpanjangan
customers-col-products = Produk
customers-col-usage = Penggunaan lisensi
customers-subs-active = { $count } aktif
customers-subs-suspended = { $count } ditangguhkan

## Partner Sales Console: editing a customer's information
customer-edit-title = Edit informasi pelanggan
customer-edit-link = Edit
customer-edit-sync = Hanya ada satu data untuk pelanggan ini: yang Anda simpan di sini langsung terlihat di konsol Admin pelanggan dan API, dan perubahan di sana muncul di sini saat halaman dimuat ulang. Tidak ada yang perlu disinkronkan.
customer-edit-organization = Informasi organisasi
customer-edit-organization-name = Nama organisasi
customer-edit-contact = Informasi kontak
customer-edit-address = Alamat
customer-edit-locality = Kota
customer-edit-region = Provinsi atau wilayah
customer-edit-postal-code = Kode pos
customer-edit-country-hint = Kode negara dua huruf, seperti ID atau US.
customer-edit-alternate-hint = Bukan alamat di domain pelanggan sendiri: alamat ini menerima informasi login dan pemberitahuan layanan.
customer-edit-phone-hint = Diawali dengan + dan kode negara.
customer-edit-save = Simpan
customer-edit-saved = Informasi pelanggan telah disimpan.
customer-edit-refused = Akun ini tidak dapat mengedit pelanggan. Akun ini memerlukan hak istimewa Edit Pelanggan.

## Partner Sales Console: the customer switcher
switcher-label = Beralih pelanggan
switcher-go = Buka
