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

## Partner Sales Console: create and import
create-link = Create customer
create-title = Create customer
create-product-family = Primary product family
create-product-workspace = Google Workspace
create-product-hint = You can then order Google Workspace, Google Workspace Additional Storage and other subscriptions managed in the Google Admin console.
create-organization = Organization information
create-type-domain-hint = For Google Workspace or Cloud Identity subscriptions.
create-type-team-hint = For Essentials or Enterprise Essentials, when the customer verifies its account with an email address (not with a domain).
create-team-considerations = Considerations for team customers
create-team-note-only = Choose Team customer only if you order Essentials or Enterprise Essentials and the customer verifies its account with an email address, not with a domain.
create-team-note-vault = A customer with an email-verified account cannot buy other Google Workspace services, such as Google Vault, unless it verifies its domain.
create-team-note-names = Several teams can buy Essentials. If teams use the same customer name, the console shows their unique Cloud Identity ID.
create-education = Educational institution
create-education-hint = For schools and higher education.
create-organization-name = Organization name
create-domain = Domain
create-domain-hint = The customer's registered domain, without www.
create-primary-email = Primary email
create-primary-email-hint = Domain customers: the super admin's address on the primary domain (left empty, admin@ and the domain). Team customers: the team admin's email.
create-crm-id = CRM ID
create-crm-id-hint = Optional: the customer's ID in your CRM system.
create-contact = Contact information
create-contact-hint = Enter the information to create the administrator account.
create-contact-name = Contact name
create-address = Address line
create-locality = Locality
create-postal-code = Postal code
create-country = Country
create-country-choose = Choose a country
create-country-hint = Only countries where Google Workspace may be resold.
create-alternate-email = Alternate email
create-alternate-email-hint = Password information and notifications go to the primary email and this address. Use an address that is not on the customer's primary domain. Optional for team customers.
create-phone = Phone number
create-phone-hint = Starting with + and the country code.
create-button = Create
create-error-domain = Enter a registered domain such as example.com, without www.
create-error-primary = Enter a valid email address: for a domain customer on its domain, and never one of your reseller's addresses.
create-error-alternate = Enter a valid email address that is not on the customer's domain.
create-error-phone = Enter a real phone number starting with + and the country code.
create-error-postal = Enter a postal code of the chosen country.
create-error-country = Choose a country from the list.
create-error-crm = Use at most 64 characters.
created-title = Customer created
created-intro = { $name } was added to your customers. Its subscription status stays empty until you place an order.
created-credentials = First sign-in
created-username = Username
created-password = Temporary password
created-password-note = Shown only now. The super admin must change it at the first sign-in. It was also sent by e-mail to { $email }.
created-purchase = Purchase
created-close = Close
created-open = Open the customer's page
import-link = Import customer
import-title = Import customer
import-intro = Import a customer that currently works with Google or another reseller: its super admin generates a transfer token for your reseller ID in its Admin console.
import-consent = Before you start: get the customer's purchase consent for the product groups you buy on its behalf. Without it, the customer cannot be moved to you.
import-existing = A customer with the domain { $name } already exists with Google or another reseller. To move it to you, enter the transfer token its super admin generated.
import-domain = Domain
import-token = Transfer token
import-token-hint = The code the customer's super admin copied from Retrieve Transfer Token.
import-button = Import
import-subscriptions = Subscriptions to transfer
import-subscriptions-intro = Transferred subscriptions become new subscriptions billed to you. Choose a plan for each and at least the licenses the customer uses now.
import-current-plan = Current plan
import-new-plan = New plan
import-minimum = At least { $count }
import-moves-along = Moves with Google Workspace
import-confirm = Confirm transfer
import-done-title = Customer imported
import-done-intro = { $name } is now your customer. These subscriptions were transferred:
import-nothing = The token is valid, but the customer has no subscription you can transfer.
import-token-unknown = This transfer token is not valid. Check that you copied all of it, or ask the customer's super admin for a new one.
import-token-expired = This transfer token has expired. Ask the customer's super admin for a new one.
import-token-other-reseller = This transfer token was generated for another reseller. The customer's super admin must enter your reseller ID { $id } when generating it.
import-token-other-customer = This transfer token belongs to another customer. Check the domain.
import-no-customer = No customer has this domain. Create it as a new customer instead.
import-already-yours = This customer is already yours.
import-error-plan = Choose one of the plans offered.
import-error-seats = Enter at least the minimum number of licenses.
mail-welcome-subject = Welcome to the Google Workspace account of { $name }
mail-welcome-body = An administrator account was created for { $name }. Sign in with these details and choose a new password at the first sign-in.
mail-welcome-username = Username: { $email }
mail-welcome-password = Temporary password: { $id }
mail-welcome-signin = Sign in at: { $id }
mail-welcome-change = Then accept the Terms of Service so that your subscriptions can start.
