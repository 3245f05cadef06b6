## Consoles
product-name = partnerd
console-partner = パートナー セールス コンソール
console-admin = 管理コンソール
console-support = カスタマー サービス ポータル
consoles-label = コンソール
skip-to-content = コンテンツに移動

## Sign-in
signin-title = ログイン
signin-intro = partnerd のアカウントを使用します。1 回のログインですべてのコンソールを利用できます。
signin-email = メールアドレス
signin-password = パスワード
signin-button = ログイン
signin-failed = メールアドレスまたはパスワードが正しくありません。もう一度お試しください。
signin-throttled = 失敗した試行が多すぎます。数分待ってからもう一度お試しください。
signin-suspended = このアカウントは停止されています。管理者にお問い合わせください。
signin-missing-email = メールアドレスを入力してください。
signin-missing-password = パスワードを入力してください。
signin-expired = セッションが終了しました。もう一度ログインしてください。

## Accounts
accounts-title = アカウントの選択
accounts-intro = このブラウザで次のアカウントにログインしています。
accounts-use = { $email } を使用
accounts-add = 別のアカウントを使用
signed-in-as = { $email } としてログイン中
account-label = アカウント
switch-account = アカウントを切り替え
signout = ログアウト
signout-all = すべてのアカウントからログアウト

## Password change
password-title = パスワードの変更
password-intro = 続行する前に新しいパスワードを設定するよう管理者から求められています。
password-new = 新しいパスワード
password-confirm = 新しいパスワード（確認）
password-rule = 8～100 文字の半角英数字と記号。
password-button = パスワードを変更
password-mismatch = パスワードが一致しません。
password-same = ここで使用したことのないパスワードを選んでください。

## Home and entry points
home-title = ようこそ
home-intro = 移動先を選択してください。
home-none = このアカウントで利用できるコンソールはありません。管理者に役割の付与を依頼してください。
partner-intro = { $account } の顧客を管理します。顧客の作成と移管、定期購入の注文と変更を行えます。
partner-refused = このアカウントには販売パートナーの権限がありません。販売パートナー管理者に顧客へのアクセス権を持つ役割を依頼してください。
admin-intro = { $account } を管理します。ユーザー、組織部門、管理者ロール、ライセンス、アカウント設定を扱えます。
admin-refused = このアカウントには管理者ロールがありません。{ $account } の特権管理者に依頼してください。
support-intro = { $account } の顧客のサポートケースを作成し、対応状況を確認します。
support-refused = このアカウントではカスタマー サービス ポータルを利用できません。販売パートナー管理者のロール、または「顧客の表示」と「顧客のサポートケースへのアクセス」を含むロールが必要です。
customers-count = 顧客数: { $count }

## Language
language-label = 言語
language-button = 言語を変更

## Errors
error-title = 問題が発生しました
error-forbidden-title = アクセスできません
error-forbidden = 使用中のアカウントではこのページを開けません。
error-not-found-title = ページが見つかりません
error-not-found = このページは存在しません。
error-internal = サーバーが応答できませんでした。しばらくしてからもう一度お試しください。
error-csrf = このフォームは別のサイトから送信されたか、有効期限が切れています。ページを開き直して、もう一度送信してください。
error-home = スタートページに移動

## E-mail
mail-greeting = { $name } 様
mail-password-changed-subject = パスワードが変更されました
mail-password-changed-body = { $email } のパスワードが { $date } に変更されました。心当たりがない場合は、すぐに管理者にパスワードの再設定を依頼してください。
mail-signature = — partnerd

## Partner Sales Console: customers
customers-title = 顧客
customers-search = 検索
customers-search-hint = 名前またはドメインの先頭から入力します。
customers-type = 顧客のタイプ
customers-type-all = すべて
customers-type-domain = ドメインタイプのお客様
customers-type-team = チームタイプのお客様
customers-sort = 並べ替え
customers-sort-domain = ドメイン
customers-sort-name = 組織名
customers-sort-newest = 作成日（新しい順）
customers-apply = 適用
customers-col-name = 組織名
customers-col-domain = ドメイン
customers-col-type = タイプ
customers-col-created = 作成日
customers-cloud-id = Cloud Identity ID { $id }
customers-none = 一致する顧客はありません。
customers-next = 次のページ
customers-first = 最初のページ

## Partner Sales Console: a customer
customer-title = 顧客
customer-info = 顧客情報
customer-contact = 連絡先の名前
customer-alternate-email = 予備のメールアドレス
customer-phone = 電話番号
customer-country = 国
customer-subscriptions = 定期購入
customer-no-subscriptions = 定期購入はまだありません。
badge-domain-verified = ドメイン所有権証明済み
badge-domain-unverified = ドメイン所有権未証明
badge-tos-pending = 利用規約に未同意
badge-access-off = 販売パートナーのアクセスがオフ
col-product = プロダクト
col-plan = プラン
col-seats = ライセンス
col-status = ステータス
col-renewal = 更新日
col-when = 日時
col-who = 変更者
col-what = 変更内容
plan-annual-monthly = 年間プラン（月払い）
plan-annual-yearly = 年間プラン（年払い）
plan-flexible = フレキシブル プラン
plan-trial = 試用版
plan-free = 無料
status-active = 有効
status-suspended = 停止中
status-cancelled = キャンセル済み
reason-pending-tos = 顧客の利用規約への同意待ち
reason-renewal-cancel = 更新時に終了
reason-reseller = 販売パートナーにより停止
reason-trial-ended = 試用期間が終了
reason-other = Google により停止
order-history = 注文履歴
order-history-none = 注文はまだありません。
order-history-older = 以前のエントリ

## Platform time
platform-time = プラットフォームの時刻: { $date }（時計が変更されています）

## Partner Sales Console: settings
settings-title = 設定
settings-account = アカウント情報
settings-public-id = 販売パートナーの公開 ID
settings-public-id-hint = 移管してくる顧客は、管理コンソールで移管トークンを生成するときにこの ID を入力します。
settings-notifications = 販売パートナーの通知
settings-topic = トピック
settings-registered = 登録済みのサービス アカウント
settings-none-registered = なし

## Forms
form-required = 値を入力してください。
form-duplicate = この値はすでに使用されています。
form-invalid = この値は使用できません: { $detail }
form-problems = フォームを送信できませんでした:

## Partner Sales Console: create and import
create-link = 顧客を作成
create-title = 顧客を作成
create-product-family = メインのプロダクト ファミリー
create-product-workspace = Google Workspace
create-product-hint = その後、Google Workspace、Google Workspace Additional Storage、その他の Google 管理コンソールで管理するサブスクリプションを注文できます。
create-organization = 組織の情報
create-type-domain-hint = ドメインの所有権証明済みの Google Workspace または Cloud Identity のサブスクリプションの場合。
create-type-team-hint = Enterprise Essentials または Enterprise Essentials Plus のサブスクリプションで、顧客が(ドメインではなく)メールアドレスでアカウントを確認する場合。
create-team-considerations = メールアドレス確認済みアカウントについて
create-team-note-only = チームタイプのお客様は、Essentials または Enterprise Essentials を注文し、顧客が(ドメインではなく)メールアドレスでアカウントを確認する場合にのみ選択します。
create-team-note-vault = メールによる確認済みのアカウントを使用している顧客は、ドメイン所有権の証明が完了するまで、他の Google Workspace サービス(Google Vault など)を購入することができません。
create-team-note-names = メールによる確認済みの Enterprise Essentials または Enterprise Essentials Plus は、複数のチームが購入できます。複数のチームが同じ顧客名を使用した場合、コンソールには一意の Cloud Identity ID が表示されます。
create-education = 教育機関
create-education-hint = 学校または高等教育機関の場合。
create-organization-name = 組織名
create-domain = ドメイン
create-domain-hint = 顧客の登録済みドメイン(www なし)。
create-primary-email = メインのメールアドレス
create-primary-email-hint = ドメインタイプのお客様: プライマリ ドメイン内の特権管理者のアドレス(空欄の場合は admin@ とドメイン)。チームタイプのお客様: チーム管理者のメールアドレス。
create-crm-id = CRM ID
create-crm-id-hint = (省略可)顧客管理(CRM)システムの顧客の CRM ID。
create-contact = 連絡先情報
create-contact-hint = 管理者アカウントを作成するための情報を入力します。
create-contact-name = 連絡先の名前
create-address = 住所
create-locality = 市区町村
create-postal-code = 郵便番号
create-country = 国
create-country-choose = 国を選択
create-country-hint = Google Workspace を再販できる国のみ。
create-alternate-email = 予備のメールアドレス
create-alternate-email-hint = パスワード情報と通知は、メインのメールアドレスとこのアドレスに送信されます。顧客のプライマリ ドメインを使用していない予備のメールアドレスを入力します。チームタイプのお客様は省略可。
create-phone = 電話番号
create-phone-hint = + と国番号から始めます。
create-button = 作成
create-error-domain = example.com のような登録済みドメインを www なしで入力してください。
create-error-primary = 有効なメールアドレスを入力してください。ドメインタイプのお客様はそのドメイン内のアドレスで、販売パートナーのアドレスは使用できません。
create-error-alternate = 顧客のドメインを使用していない有効なメールアドレスを入力してください。
create-error-phone = + と国番号から始まる実在の電話番号を入力してください。
create-error-postal = 選択した国の郵便番号を入力してください。
create-error-country = リストから国を選択してください。
create-error-crm = 64 文字以内で入力してください。
created-title = 顧客を作成しました
created-intro = { $name } を顧客に追加しました。注文を行うまで、サブスクリプションのステータスは空欄のままです。
created-credentials = 初回ログイン
created-username = ユーザー名
created-password = 仮パスワード
created-password-note = 表示されるのは今回のみです。特権管理者は初回ログイン時に変更する必要があります。{ $email } にもメールで送信しました。
created-purchase = 購入
created-close = 閉じる
created-open = 顧客のページを開く
import-link = 顧客をインポート
import-title = 顧客をインポート
import-intro = 現在、別の販売パートナーまたは Google を利用している顧客をインポートできます。顧客の特権管理者が、管理コンソールで販売パートナーの公開 ID に対する転送トークンを生成します。
import-consent = 始める前に: 顧客に代わって購入するプロダクト グループについて、顧客から購入に関する同意を得る必要があります。同意がないと、顧客を移行できません。
import-existing = ドメイン { $name } の顧客は、Google または別の販売パートナーにすでに存在します。移行するには、顧客の特権管理者が生成した転送トークンを入力してください。
import-domain = ドメイン
import-token = 転送トークン
import-token-hint = 顧客の特権管理者が「転送トークンを取得」からコピーしたコード。
import-button = インポート
import-subscriptions = 移行するサブスクリプション
import-subscriptions-intro = 移行したサブスクリプションは、お客様に請求される新しいサブスクリプションになります。それぞれのプランと、少なくとも顧客が現在使用しているライセンス数を選択してください。
import-current-plan = 現在のプラン
import-new-plan = 新しいプラン
import-minimum = { $count } 以上
import-moves-along = Google Workspace と一緒に移行
import-confirm = 移行を確定
import-done-title = 顧客をインポートしました
import-done-intro = { $name } はお客様の顧客になりました。次のサブスクリプションを移行しました:
import-nothing = トークンは有効ですが、移行できるサブスクリプションが顧客にありません。
import-token-unknown = この転送トークンは無効です。すべてコピーしたか確認するか、顧客の特権管理者に新しいトークンを依頼してください。
import-token-expired = この転送トークンは有効期限が切れています。顧客の特権管理者に新しいトークンを依頼してください。
import-token-other-reseller = この転送トークンは別の販売パートナー用に生成されました。顧客の特権管理者は、生成時にお客様の販売パートナー ID { $id } を入力する必要があります。
import-token-other-customer = この転送トークンは別の顧客のものです。ドメインを確認してください。
import-no-customer = このドメインの顧客は存在しません。新規顧客として作成してください。
import-already-yours = この顧客はすでにお客様の顧客です。
import-error-plan = 表示されたプランから選択してください。
import-error-seats = 最小ライセンス数以上を入力してください。
mail-welcome-subject = { $name } の Google Workspace アカウントへようこそ
mail-welcome-body = { $name } の管理者アカウントが作成されました。次の情報でログインし、初回ログイン時に新しいパスワードを設定してください。
mail-welcome-username = ユーザー名: { $email }
mail-welcome-password = 仮パスワード: { $id }
mail-welcome-signin = ログイン URL: { $id }
mail-welcome-change = その後、サブスクリプションを開始できるように利用規約に同意してください。
