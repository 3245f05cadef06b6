## Consoles
product-name = partnerd
console-partner = Partner Sales Console
console-admin = Admin console
console-support = Customer Service Portal
consoles-label = Consoles
skip-to-content = Skip to content

## Sign-in
signin-title = Sign in
signin-intro = Use your partnerd account. One sign-in serves every console.
signin-email = Email
signin-password = Password
signin-button = Sign in
signin-failed = Wrong email or password. Try again.
signin-throttled = Too many failed attempts. Wait a few minutes and try again.
signin-suspended = This account is suspended. Ask your administrator.
signin-missing-email = Enter an email address.
signin-missing-password = Enter a password.
signin-expired = Your session ended. Sign in again.

## Accounts
accounts-title = Choose an account
accounts-intro = You are signed in to these accounts in this browser.
accounts-use = Use { $email }
accounts-add = Use another account
signed-in-as = Signed in as { $email }
account-label = Account
switch-account = Switch account
signout = Sign out
signout-all = Sign out of all accounts

## Password change
password-title = Change your password
password-intro = Your administrator asks you to choose a new password before you go on.
password-new = New password
password-confirm = Confirm new password
password-rule = 8 to 100 characters, letters, digits and symbols of the basic Latin alphabet.
password-button = Change password
password-mismatch = The passwords do not match.
password-same = Choose a password you have not used here.

## Home and entry points
home-title = Welcome
home-intro = Choose where to go.
home-none = This account reaches no console. Ask your administrator for a role.
partner-intro = Manage the customers of { $account }: create and import customers, order and change subscriptions.
partner-refused = This account has no reseller privilege. Ask a reseller admin for a role with access to customers.
admin-intro = Manage { $account }: users, organizational units, admin roles, licences and account settings.
admin-refused = This account has no administrator role. Ask a super admin of { $account } for one.
support-intro = Open and follow support cases for the customers of { $account }.
support-refused = This account may not use the Customer Service Portal. It needs the Reseller Admin role, or a role with View Customers and Access Customer's Support Cases.
customers-count = Customers: { $count }

## Language
language-label = Language
language-button = Change language

## Errors
error-title = Something went wrong
error-forbidden-title = Not allowed
error-forbidden = You may not open this page with the account you use.
error-not-found-title = Page not found
error-not-found = There is no such page.
error-internal = The server could not answer. Try again in a moment.
error-csrf = This form was sent from another site or has expired. Open the page again and send it once more.
error-home = Go to the start page

## E-mail
mail-greeting = Hello { $name },
mail-password-changed-subject = Your password was changed
mail-password-changed-body = The password of { $email } was changed on { $date }. If you did not change it, ask your administrator to reset it now.
mail-signature = — partnerd

## Partner Sales Console: customers
customers-title = Customers
customers-search = Search
customers-search-hint = Name or domain, from its start.
customers-type = Customer type
customers-type-all = All
customers-type-domain = Domain customer
customers-type-team = Team customer
customers-sort = Sort by
customers-sort-domain = Domain
customers-sort-name = Name
customers-sort-newest = Creation date, newest first
customers-apply = Apply
customers-col-name = Name
customers-col-domain = Domain
customers-col-type = Type
customers-col-created = Creation date
customers-cloud-id = Cloud Identity ID { $id }
customers-none = No customer matches.
customers-next = Next page
customers-first = First page

## Partner Sales Console: a customer
customer-title = Customer
customer-info = Customer information
customer-contact = Contact name
customer-alternate-email = Alternate email
customer-phone = Phone number
customer-country = Country
customer-subscriptions = Subscriptions
customer-no-subscriptions = No subscription yet.
badge-domain-verified = Domain verified
badge-domain-unverified = Domain not verified
badge-tos-pending = Terms of Service not accepted yet
badge-access-off = Reseller access off
col-product = Product
col-plan = Plan
col-seats = Licenses
col-status = Status
col-renewal = Renewal date
col-when = Date
col-who = Changed by
col-what = Change
plan-annual-monthly = Annual Plan (Monthly Payment)
plan-annual-yearly = Annual Plan (Yearly Payment)
plan-flexible = Flexible Plan
plan-trial = Trial
plan-free = Free
status-active = Active
status-suspended = Suspended
status-cancelled = Cancelled
reason-pending-tos = Waiting for the customer to accept the Terms of Service
reason-renewal-cancel = Ended at renewal
reason-reseller = Suspended by the reseller
reason-trial-ended = Trial ended
reason-other = Suspended by Google
order-history = Order history
order-history-none = Nothing ordered yet.
order-history-older = Older entries

## Platform time
platform-time = Platform time: { $date } (the clock has been moved)

## Partner Sales Console: settings
settings-title = Settings
settings-account = Account information
settings-public-id = Reseller public ID
settings-public-id-hint = A customer who moves to you enters this ID when it generates a transfer token in its Admin console.
settings-notifications = Reseller notifications
settings-topic = Topic
settings-registered = Registered service accounts
settings-none-registered = None

## Forms
form-required = Enter a value.
form-duplicate = This value is already taken.
form-invalid = This value is not accepted: { $detail }
form-problems = The form could not be sent:

## Partner Sales Console: the list's columns, filters and download
customers-sort-renewal = Renewal date
customers-filters = Filters
customers-filter-any = Any
customers-filter-status = Subscription status
customers-filter-sku = SKU
customers-filter-plan = Payment plan
customers-filter-reason = Suspension reason
customers-filter-renews-from = Renewal date from
customers-filter-renews-to = Renewal date to
customers-status-active = Active
customers-status-suspended = Suspended
customers-status-none = No subscription yet
customers-filter-unknown = Choose a value from the list.
customers-filter-date = Enter a date as YYYY-MM-DD.
customers-filter-range = The end date must not be before the start date.
customers-filter-none-and-more = "No subscription yet" cannot be combined with the other subscription filters.
customers-filter-mend = Correct the marked filters to see the list.
customers-download = Download customers
customers-download-refused = Only super admins may download the customer list.
customers-col-id = Cloud Identity ID
customers-col-subscriptions = Subscriptions
customers-col-renewal = Renewal date
customers-col-products = Products
customers-col-usage = License usage
customers-subs-active = { $count } active
customers-subs-suspended = { $count } suspended

## Partner Sales Console: editing a customer's information
customer-edit-title = Edit customer information
customer-edit-link = Edit
customer-edit-sync = There is one record of this customer: what you save here is what the customer's Admin console and the API show at once, and changes made there appear here on the next load. There is nothing to sync.
customer-edit-organization = Organization information
customer-edit-organization-name = Organization name
customer-edit-contact = Contact information
customer-edit-address = Address
customer-edit-locality = City
customer-edit-region = State or region
customer-edit-postal-code = Postal code
customer-edit-country-hint = Two-letter country code, such as US or JP.
customer-edit-alternate-hint = Not an address on the customer's own domain: it receives sign-in information and service notices.
customer-edit-phone-hint = Starts with + and the country code.
customer-edit-save = Save
customer-edit-saved = The customer information was saved.
customer-edit-refused = This account may not edit customers. It needs the Edit Customers privilege.

## Partner Sales Console: the customer switcher
switcher-label = Switch customer
switcher-go = Go
