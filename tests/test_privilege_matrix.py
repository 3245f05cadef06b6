"""Which reseller privileges allow which API calls.

Each row is one staff user of a reseller holding exactly one custom role
(made of the listed privileges), one prebuilt role, or nothing. Each column
is a group of calls:

  read      customers.get, subscriptions.get / list, resellernotify.getwatchdetails
            (View, Add or Edit Customers)
  add       customers.insert, subscriptions.insert             (Add Customers)
  edit      customers.patch, subscriptions.changeSeats         (Edit Customers)
  transfer  subscriptions.delete deletionType=transfer_to_direct (Transfer Customers)
  cust_dir  Directory users.list / get on a customer the reseller manages
            (Access Customers' Admin console and SDK, plus View, Add or Edit)
  own_users Directory users.list on the reseller's own account (USERS_RETRIEVE)

A refused Reseller API call is 403 insufficientPermissions, a refused
Directory call 403 forbidden; a refused call changes nothing.

The matrix shares one reseller per backend (one staff user per row, one
customer for the read / edit / directory columns); the transfer column
gives every test a customer of its own.
"""

from __future__ import annotations

import google.auth.exceptions
import pytest

from dir_helpers import list_users
from helpers import domain_customer, execute_error, refresh_error_code
from role_helpers import (
    ADD,
    ADMIN_CONSOLE,
    BILLING,
    EDIT,
    INDIRECT_RESELLER_ADMIN_ROLE,
    PROFILE,
    RESELLER_ADMIN_ROLE,
    RESELLER_CUSTOMERS,
    RESELLER_SUPPORT,
    RESELLER_TOOLS,
    SUPPORT_CASES,
    TRANSFER,
    USERS_RETRIEVE,
    VIEW,
    directory_as,
    expect_directory_refusal,
    expect_reseller_refusal,
    grant,
    managed_customer,
    new_reseller,
    reseller_as,
)
from sub_helpers import (
    BUSINESS_STARTER,
    VAULT,
    annual,
    assert_gone,
    assert_subscription,
    flexible,
    get_sub,
    list_all,
)

READ, ADD_G, EDIT_G, TRANSFER_G, CUST_DIR, OWN_USERS = "read", "add", "edit", "transfer", "cust_dir", "own_users"
GROUPS = [READ, ADD_G, EDIT_G, TRANSFER_G, CUST_DIR, OWN_USERS]
ALL_CUSTOMER_WORK = {READ, ADD_G, EDIT_G, TRANSFER_G, CUST_DIR}

# row id -> (grant kwargs, groups it allows)
ROWS = {
    "no-role": ({}, set()),
    "add": ({"privileges": [ADD]}, {READ, ADD_G}),
    "view": ({"privileges": [VIEW]}, {READ}),
    "edit": ({"privileges": [EDIT]}, {READ, EDIT_G}),
    "transfer": ({"privileges": [TRANSFER]}, {TRANSFER_G}),
    "admin-console": ({"privileges": [ADMIN_CONSOLE]}, set()),
    "support-cases": ({"privileges": [SUPPORT_CASES]}, set()),
    "billing": ({"privileges": [BILLING]}, set()),
    "profile": ({"privileges": [PROFILE]}, set()),
    "support": ({"privileges": [RESELLER_SUPPORT]}, set()),
    "customers-parent": ({"privileges": [RESELLER_CUSTOMERS]}, ALL_CUSTOMER_WORK),
    "tools-parent": ({"privileges": [RESELLER_TOOLS]}, ALL_CUSTOMER_WORK),
    "admin-console+view": ({"privileges": [ADMIN_CONSOLE, VIEW]}, {READ, CUST_DIR}),
    "reseller-admin-role": ({"role": RESELLER_ADMIN_ROLE}, ALL_CUSTOMER_WORK),
    "indirect-reseller-admin-role": ({"role": INDIRECT_RESELLER_ADMIN_ROLE}, {READ, ADD_G, EDIT_G, TRANSFER_G}),
    "users-retrieve": ({"privileges": [USERS_RETRIEVE]}, {OWN_USERS}),
}


class Matrix:
    """One reseller, one managed customer, and one staff user per row
    (created on first use, with its clients)."""

    def __init__(self, partnerd):
        self.partnerd = partnerd
        self.rsl = new_reseller(partnerd, "matrix")
        self.admin_dir = directory_as(partnerd, self.rsl)
        self.admin_svc = reseller_as(partnerd, self.rsl)
        base = managed_customer(partnerd, self.admin_svc, self.admin_dir)
        self.customer = base["customer"]
        self.cid = self.customer["customerId"]
        self.customer_admin = base["admin"]
        self.sub = base["subscription"]
        self._staff = {}
        self._seq = 0

    def staff(self, row: str) -> dict:
        if row not in self._staff:
            kwargs, _ = ROWS[row]
            staff = grant(self.partnerd, self.rsl, self.admin_dir, local=f"row-{row}", **kwargs)
            staff["svc"] = reseller_as(self.partnerd, self.rsl, staff["email"])
            staff["dir"] = directory_as(self.partnerd, self.rsl, staff["email"])
            self._staff[row] = staff
        return self._staff[row]

    def next_value(self) -> int:
        self._seq += 1
        return self._seq


@pytest.fixture(scope="module")
def matrix(partnerd):
    return Matrix(partnerd)


# ---------------------------------------------------------------------------
# The column checks: each asserts "allowed" or "refused, nothing changed".
# ---------------------------------------------------------------------------


def check_read(m: Matrix, staff: dict, allowed: bool) -> None:
    svc = staff["svc"]
    if allowed:
        assert svc.customers().get(customerId=m.cid).execute() == m.admin_svc.customers().get(
            customerId=m.cid).execute()
        assert_subscription(get_sub(svc, m.sub))
        assert m.sub["subscriptionId"] in {s["subscriptionId"] for s in list_all(svc, customerId=m.cid)}
        assert m.sub["subscriptionId"] in {s["subscriptionId"] for s in list_all(svc)}
        svc.resellernotify().getwatchdetails().execute()
    else:
        expect_reseller_refusal(svc.customers().get(customerId=m.cid))
        expect_reseller_refusal(svc.subscriptions().get(customerId=m.cid, subscriptionId=m.sub["subscriptionId"]))
        expect_reseller_refusal(svc.subscriptions().list(customerId=m.cid))
        expect_reseller_refusal(svc.subscriptions().list())
        expect_reseller_refusal(svc.resellernotify().getwatchdetails())


def check_add(m: Matrix, staff: dict, allowed: bool) -> None:
    svc = staff["svc"]
    body = domain_customer()
    if allowed:
        made = svc.customers().insert(body=body).execute()
        assert made["customerDomain"] == body["customerDomain"]
        sub = assert_subscription(svc.subscriptions().insert(
            customerId=made["customerId"], body=flexible(BUSINESS_STARTER, 2)).execute())
        assert get_sub(m.admin_svc, sub)["subscriptionId"] == sub["subscriptionId"]
    else:
        expect_reseller_refusal(svc.customers().insert(body=body))
        expect_reseller_refusal(svc.subscriptions().insert(customerId=m.cid, body=flexible(VAULT, 2)))
        err = execute_error(m.admin_svc.customers().get(customerId=body["customerDomain"]))
        assert err.resp.status == 404, "a refused customers.insert created the customer"
        assert VAULT not in {s["skuId"] for s in list_all(m.admin_svc, customerId=m.cid)}


def check_edit(m: Matrix, staff: dict, allowed: bool) -> None:
    svc = staff["svc"]
    n = m.next_value()
    phone = f"+1 650-555-{n:04d}"
    seats = 5 + n
    before_cust = m.admin_svc.customers().get(customerId=m.cid).execute()
    before_sub = get_sub(m.admin_svc, m.sub)
    patch = svc.customers().patch(customerId=m.cid, body={"phoneNumber": phone})
    change = svc.subscriptions().changeSeats(customerId=m.cid, subscriptionId=m.sub["subscriptionId"],
                                             body={"maximumNumberOfSeats": seats})
    if allowed:
        assert patch.execute()["phoneNumber"] == phone
        assert change.execute()["seats"]["maximumNumberOfSeats"] == seats
        assert m.admin_svc.customers().get(customerId=m.cid).execute()["phoneNumber"] == phone
        assert get_sub(m.admin_svc, m.sub)["seats"]["maximumNumberOfSeats"] == seats
    else:
        expect_reseller_refusal(patch)
        expect_reseller_refusal(change)
        assert m.admin_svc.customers().get(customerId=m.cid).execute() == before_cust
        assert get_sub(m.admin_svc, m.sub) == before_sub


def check_transfer(m: Matrix, staff: dict, allowed: bool) -> None:
    own = managed_customer(m.partnerd, m.admin_svc, m.admin_dir)  # has a super admin: transferable
    sub = own["subscription"]
    request = staff["svc"].subscriptions().delete(
        customerId=sub["customerId"], subscriptionId=sub["subscriptionId"], deletionType="transfer_to_direct")
    if allowed:
        result = request.execute()
        assert result in ("", None, {}), f"delete answered a body: {result!r}"
        assert_gone(m.admin_svc, sub)
    else:
        expect_reseller_refusal(request)
        assert get_sub(m.admin_svc, sub) == sub


def check_customer_directory(m: Matrix, staff: dict, allowed: bool) -> None:
    dsvc = staff["dir"]
    boss = m.customer_admin["primaryEmail"]
    if allowed:
        assert boss in {u["primaryEmail"] for u in list_users(dsvc, customer=m.cid)}
        assert dsvc.users().get(userKey=boss).execute()["id"] == m.customer_admin["id"]
    else:
        expect_directory_refusal(dsvc.users().list(customer=m.cid))
        expect_directory_refusal(dsvc.users().get(userKey=boss))


def check_own_users(m: Matrix, staff: dict, allowed: bool) -> None:
    dsvc = staff["dir"]
    if allowed:
        emails = {u["primaryEmail"] for u in list_users(dsvc, customer="my_customer")}
        assert {m.rsl["adminEmail"], staff["email"]} <= emails
    else:
        expect_directory_refusal(dsvc.users().list(customer="my_customer"))
        expect_directory_refusal(dsvc.users().get(userKey=m.rsl["adminEmail"]))


CHECKS = {
    READ: check_read,
    ADD_G: check_add,
    EDIT_G: check_edit,
    TRANSFER_G: check_transfer,
    CUST_DIR: check_customer_directory,
    OWN_USERS: check_own_users,
}


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("row", list(ROWS))
def test_privilege_matrix(matrix, row, group):
    allowed = group in ROWS[row][1]
    CHECKS[group](matrix, matrix.staff(row), allowed)


# ---------------------------------------------------------------------------
# Around the matrix
# ---------------------------------------------------------------------------


SUBSCRIPTION_CHANGES = [
    "changePlan", "changeRenewalSettings", "startPaidService", "suspend", "activate", "delete-cancel",
]


def _change(svc, sub, what):
    subs = svc.subscriptions()
    key = {"customerId": sub["customerId"], "subscriptionId": sub["subscriptionId"]}
    if what == "changePlan":
        return subs.changePlan(**key, body={"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 5}})
    if what == "changeRenewalSettings":
        return subs.changeRenewalSettings(**key, body={"renewalType": "RENEW_CURRENT_USERS_MONTHLY_PAY"})
    if what == "startPaidService":
        return subs.startPaidService(**key)
    if what == "suspend":
        return subs.suspend(**key)
    if what == "activate":
        return subs.activate(**key)
    return subs.delete(**key, deletionType="cancel")


@pytest.mark.parametrize("what", SUBSCRIPTION_CHANGES)
def test_subscription_changes_need_edit_customers(matrix, what):
    """Every subscription change is refused to a holder of View + Add, and
    leaves the subscription as it was."""
    staff = matrix.staff("indirect-reseller-admin-role")  # has Edit: used to prepare
    no_edit = matrix.staff("add")
    own = managed_customer(matrix.partnerd, matrix.admin_svc, matrix.admin_dir, super_admin=False,
                           subscription=False)
    body = annual(BUSINESS_STARTER, 5) if what == "changeRenewalSettings" else flexible(BUSINESS_STARTER, 5)
    sub = staff["svc"].subscriptions().insert(customerId=own["customer"]["customerId"], body=body).execute()
    if what == "delete-cancel":  # Workspace itself cannot be cancelled; an add-on can
        matrix.partnerd.verify_domain(own["customer"]["customerId"])
        sub = staff["svc"].subscriptions().insert(customerId=own["customer"]["customerId"],
                                                  body=flexible(VAULT, 5)).execute()
    if what == "activate":
        matrix.admin_svc.subscriptions().suspend(customerId=sub["customerId"],
                                                 subscriptionId=sub["subscriptionId"]).execute()
    before = get_sub(matrix.admin_svc, sub)
    expect_reseller_refusal(_change(no_edit["svc"], sub, what))
    assert get_sub(matrix.admin_svc, sub) == before


@pytest.mark.parametrize("row,allowed", [("edit", True), ("add", False), ("view", False)])
def test_notification_registration_needs_edit_customers(matrix, row, allowed):
    svc = matrix.staff(row)["svc"]
    email = f"push-{row}@pubsub-reader.iam.gserviceaccount.com"
    notify = svc.resellernotify()
    admin_notify = matrix.admin_svc.resellernotify()
    if allowed:
        registered = notify.register(serviceAccountEmailAddress=email).execute()
        assert registered.get("topicName"), registered
        assert email in admin_notify.getwatchdetails().execute().get("serviceAccountEmailAddresses", [])
        notify.unregister(serviceAccountEmailAddress=email).execute()
        assert email not in admin_notify.getwatchdetails().execute().get("serviceAccountEmailAddresses", [])
    else:
        expect_reseller_refusal(notify.register(serviceAccountEmailAddress=email))
        assert email not in admin_notify.getwatchdetails().execute().get("serviceAccountEmailAddresses", [])
        admin_notify.register(serviceAccountEmailAddress=email).execute()
        expect_reseller_refusal(notify.unregister(serviceAccountEmailAddress=email))
        assert email in admin_notify.getwatchdetails().execute().get("serviceAccountEmailAddresses", [])
        admin_notify.unregister(serviceAccountEmailAddress=email).execute()


def test_transfer_refusal_comes_before_business_rules(matrix):
    """A user without Transfer Customers is refused even when the transfer
    could not happen anyway (the customer has no super admin to take over)."""
    own = managed_customer(matrix.partnerd, matrix.admin_svc, matrix.admin_dir, super_admin=False)
    sub = own["subscription"]
    for row in ("no-role", "view", "edit"):
        expect_reseller_refusal(matrix.staff(row)["svc"].subscriptions().delete(
            customerId=sub["customerId"], subscriptionId=sub["subscriptionId"], deletionType="transfer_to_direct"))
    assert get_sub(matrix.admin_svc, sub) == sub


def test_suspended_staff_cannot_get_a_token(partnerd):
    rsl = new_reseller(partnerd, "matrix")
    admin_dir = directory_as(partnerd, rsl)
    staff = grant(partnerd, rsl, admin_dir, role=RESELLER_ADMIN_ROLE)
    svc = reseller_as(partnerd, rsl, staff["email"])
    assert svc.subscriptions().list().execute().get("kind") == "reseller#subscriptions"

    admin_dir.users().patch(userKey=staff["email"], body={"suspended": True}).execute()
    with pytest.raises(google.auth.exceptions.RefreshError) as info:
        reseller_as(partnerd, rsl, staff["email"]).subscriptions().list().execute()
    assert refresh_error_code(info.value) == "invalid_grant", info.value.args
    with pytest.raises(google.auth.exceptions.RefreshError) as info:
        directory_as(partnerd, rsl, staff["email"]).users().list(customer="my_customer").execute()
    assert refresh_error_code(info.value) == "invalid_grant", info.value.args

    admin_dir.users().patch(userKey=staff["email"], body={"suspended": False}).execute()
    again = reseller_as(partnerd, rsl, staff["email"])
    assert again.subscriptions().list().execute().get("kind") == "reseller#subscriptions"
