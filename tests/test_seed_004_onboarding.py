"""Ordering a new customer account through the APIs, end to end.

The reseller's playbook: create the customer (Reseller API), create a user in
it (Directory API), set the customer's default language if needed (Directory
customers.patch or update), promote the user to super admin, then tell the
customer to sign in and accept the Terms of Service; the reseller may not
accept them on the customer's behalf. Until then the customer's
subscriptions stay suspended (PENDING_TOS_ACCEPTANCE).
"""

from __future__ import annotations

import secrets

from dir_helpers import (
    assert_directory_customer,
    assert_user,
    expect_error,
    get_user,
    language_of,
    list_users,
    user_body,
)
from helpers import unique_domain
from sub_helpers import BUSINESS_STARTER, assert_subscription, flexible, get_sub, insert_sub


def order_body(domain: str) -> dict:
    """The playbook's example body for a domain-verified customer."""
    return {
        "customerDomain": domain,
        "customerType": "domain",
        "postalAddress": {
            "contactName": "Alex Cruz",
            "organizationName": "Example Organization",
            "postalCode": "94043",
            "countryCode": "US",
        },
        "alternateEmail": "cruz@alt-mail.example",
    }


def temporary_password() -> str:
    return "Tmp-" + secrets.token_urlsafe(12)


def test_order_a_customer_account_end_to_end(partnerd, svc_a, dir_a):
    # 1. Create the customer account.
    domain = unique_domain("onboard")
    customer = svc_a.customers().insert(body=order_body(domain)).execute()
    cid = customer["customerId"]
    assert customer["customerType"] == "domain"
    assert customer["customerDomain"] == domain

    # The customer buys a subscription right away; it waits for the ToS.
    sub = assert_subscription(insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5)))
    assert sub["status"] == "SUSPENDED"
    assert sub["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"]

    # 2. Create a user in the new account (the domain decides the customer).
    admin = assert_user(dir_a.users().insert(body=user_body(
        domain, "admin", given="Alex", family="Cruz", password=temporary_password(),
        changePasswordAtNextLogin=True)).execute(), customer_id=cid)
    assert admin["primaryEmail"] == f"admin@{domain}"
    assert admin["isAdmin"] is False
    assert language_of(admin) == "en"

    # 3. Change the customer's default language.
    directory_customer = assert_directory_customer(
        dir_a.customers().get(customerKey=cid).execute())
    assert directory_customer["language"] == "en"
    patched = assert_directory_customer(
        dir_a.customers().patch(customerKey=cid, body={"language": "id"}).execute())
    assert patched["id"] == cid
    assert patched["language"] == "id"
    assert patched["customerDomain"] == domain
    assert patched["alternateEmail"] == "cruz@alt-mail.example"
    for field in ("contactName", "organizationName", "postalCode", "countryCode"):
        assert patched["postalAddress"][field] == order_body(domain)["postalAddress"][field]

    # Users created from now on get the new default; the first keeps English.
    staff = assert_user(dir_a.users().insert(body=user_body(
        domain, "staf", given="Budi", family="Santoso")).execute(), customer_id=cid)
    assert language_of(staff) == "id"
    assert language_of(get_user(dir_a, admin["id"])) == "en"

    # 4. Promote the first user to super admin.
    dir_a.users().makeAdmin(userKey=admin["primaryEmail"], body={"status": True}).execute()
    assert get_user(dir_a, admin["primaryEmail"])["isAdmin"] is True
    assert get_user(dir_a, staff["id"])["isAdmin"] is False

    listed = {u["primaryEmail"]: u for u in list_users(dir_a, customer=cid)}
    assert set(listed) == {admin["primaryEmail"], staff["primaryEmail"]}
    assert listed[admin["primaryEmail"]]["isAdmin"] is True
    assert listed[staff["primaryEmail"]]["isAdmin"] is False
    assert language_of(listed[staff["primaryEmail"]]) == "id"
    assert language_of(listed[admin["primaryEmail"]]) == "en"

    # Still waiting for the customer to sign the agreement.
    waiting = assert_subscription(get_sub(svc_a, sub))
    assert waiting["status"] == "SUSPENDED"
    assert waiting["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"]

    # 5. The customer's admin signs in and accepts the Terms of Service.
    accepted = partnerd.accept_tos(cid)
    assert accepted.get("customerId") == cid

    active = assert_subscription(get_sub(svc_a, sub))
    assert active["status"] == "ACTIVE"
    assert "suspensionReasons" not in active

    # The reseller record and the Directory record agree throughout.
    assert svc_a.customers().get(customerId=cid).execute()["alternateEmail"] == patched["alternateEmail"]
    assert dir_a.customers().get(customerKey=cid).execute()["language"] == "id"


def test_language_set_with_update_before_creating_users(svc_a, dir_a):
    """The playbook recommends setting the language first; update (PUT) works
    as well as patch."""
    domain = unique_domain("onboard")
    cid = svc_a.customers().insert(body=order_body(domain)).execute()["customerId"]
    current = dir_a.customers().get(customerKey=cid).execute()
    body = {k: v for k, v in current.items() if k not in ("kind", "id", "etag", "customerCreationTime")}
    body["language"] = "es"
    updated = dir_a.customers().update(customerKey=cid, body=body).execute()
    assert updated["language"] == "es"

    admin = dir_a.users().insert(body=user_body(domain, "admin", given="Alex", family="Cruz")).execute()
    assert admin["languages"] == [{"languageCode": "es", "preference": "preferred"}]


def test_creating_the_admin_twice_is_a_conflict(svc_a, dir_a):
    domain = unique_domain("onboard")
    cid = svc_a.customers().insert(body=order_body(domain)).execute()["customerId"]
    first = dir_a.users().insert(body=user_body(domain, "admin")).execute()
    expect_error(dir_a.users().insert(body=user_body(domain, "admin", given="Other")), 409, "duplicate")
    assert [u["id"] for u in list_users(dir_a, customer=cid)] == [first["id"]]


def test_subscription_stays_suspended_until_the_customer_accepts(partnerd, svc_a, dir_a):
    """Creating and promoting the admin does not activate anything; only the
    customer's own acceptance does."""
    domain = unique_domain("onboard")
    customer = svc_a.customers().insert(body=order_body(domain)).execute()
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 3))
    admin = dir_a.users().insert(body=user_body(domain, "admin")).execute()
    dir_a.users().makeAdmin(userKey=admin["id"], body={"status": True}).execute()
    dir_a.customers().patch(customerKey=customer["customerId"], body={"language": "id"}).execute()

    still = get_sub(svc_a, sub)
    assert still["status"] == "SUSPENDED"
    assert still["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"]

    partnerd.accept_tos(customer["customerId"])
    assert get_sub(svc_a, sub)["status"] == "ACTIVE"
