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

## Partner Sales Console: the list's columns, filters and download
customers-sort-renewal = 更新日
customers-filters = フィルタ
customers-filter-any = すべて
customers-filter-status = サブスクリプションのステータス
customers-filter-sku = SKU
customers-filter-plan = お支払いプラン
customers-filter-reason = 停止の理由
customers-filter-renews-from = 更新日（開始）
customers-filter-renews-to = 更新日（終了）
customers-status-active = 有効
customers-status-suspended = 停止中
customers-status-none = サブスクリプションなし
customers-filter-unknown = リストから値を選択してください。
customers-filter-date = 日付を YYYY-MM-DD の形式で入力してください。
customers-filter-range = 終了日は開始日より前にできません。
customers-filter-none-and-more = 「サブスクリプションなし」は他のサブスクリプション フィルタと組み合わせられません。
customers-filter-mend = 表示されたフィルタを修正すると、リストが表示されます。
customers-download = 顧客をダウンロード
customers-download-refused = 顧客リストをダウンロードできるのは特権管理者のみです。
customers-col-id = Cloud Identity ID
customers-col-subscriptions = サブスクリプション
customers-col-renewal = 更新日
customers-col-products = プロダクト
customers-col-usage = ライセンスの使用状況
customers-subs-active = 有効 { $count } 件
customers-subs-suspended = 停止中 { $count } 件

## Partner Sales Console: editing a customer's information
customer-edit-title = 顧客情報の編集
customer-edit-link = 編集
customer-edit-sync = この顧客のレコードは 1 つだけです。ここで保存した内容はすぐに顧客の管理コンソールと API に反映され、そちらでの変更も次に読み込んだときにここに表示されます。同期は不要です。
customer-edit-organization = 組織情報
customer-edit-organization-name = 組織名
customer-edit-contact = 連絡先情報
customer-edit-address = 住所
customer-edit-locality = 市区町村
customer-edit-region = 都道府県
customer-edit-postal-code = 郵便番号
customer-edit-country-hint = 2 文字の国コード（JP、US など）。
customer-edit-alternate-hint = 顧客自身のドメインではないアドレス。ログイン情報とサービスのお知らせが届きます。
customer-edit-phone-hint = + と国番号で始めてください。
customer-edit-save = 保存
customer-edit-saved = 顧客情報を保存しました。
customer-edit-refused = このアカウントでは顧客を編集できません。「顧客の編集」権限が必要です。

## Partner Sales Console: the customer switcher
switcher-label = 顧客を切り替え
switcher-go = 移動
