"""Directory API customers.get / patch / update as a reseller admin.

The Directory customer is the same record as the Reseller API customer: a
change made through one API shows in the other at once. The reseller admin
may use it on the customers its reseller manages and on its own account
("my_customer"); the customer's admin can turn the reseller's access off.
"""

from __future__ import annotations

import pytest

from dir_helpers import (
    DIRECTORY_SCOPES,
    SCOPE_DIR_CUSTOMER,
    SCOPE_DIR_CUSTOMER_RO,
    SCOPE_DIR_ORGUNIT,
    SCOPE_DIR_USER,
    assert_directory_customer,
    expect_error,
    get_user,
    insert_user,
    language_of,
    new_reseller_customer,
    rfc3339_ms,
    user_body,
)
from helpers import SCOPE_ORDER, domain_customer
from sub_helpers import fresh_reseller

READ_ONLY_FIELDS = ("kind", "id", "etag", "customerCreationTime")


def dget(dsvc, key):
    return dsvc.customers().get(customerKey=key).execute()


def dpatch(dsvc, key, body):
    return dsvc.customers().patch(customerKey=key, body=body).execute()


def writable(dir_customer: dict) -> dict:
    """A Directory customer without its read-only fields: a body for update."""
    return {k: v for k, v in dir_customer.items() if k not in READ_ONLY_FIELDS}


# ---------------------------------------------------------------------------
# get
# ---------------------------------------------------------------------------


def test_get_resold_customer_is_the_reseller_record(partnerd, svc_a, dir_a):
    body = domain_customer()
    before = partnerd.now_ms()
    created = svc_a.customers().insert(body=body).execute()
    after = partnerd.now_ms()

    got = assert_directory_customer(dget(dir_a, created["customerId"]))

    assert got["id"] == created["customerId"]
    assert got["customerDomain"] == body["customerDomain"]
    assert got["alternateEmail"] == body["alternateEmail"]
    assert got["phoneNumber"] == body["phoneNumber"]
    assert got["language"] == "en", "a new customer's default language is English"
    for field, value in body["postalAddress"].items():
        assert got["postalAddress"].get(field) == value, (
            f"postalAddress.{field}: {got['postalAddress'].get(field)!r} != {value!r}"
        )
    created_ms = rfc3339_ms(got["customerCreationTime"])
    assert before - 2000 <= created_ms <= after + 2000, (
        f"customerCreationTime {got['customerCreationTime']} is not when the customer was created"
    )


def test_get_twice_gives_the_same_resource(dir_a, cust):
    first = dget(dir_a, cust["customerId"])
    second = dget(dir_a, cust["customerId"])
    assert first == second


def test_my_customer_is_the_resellers_own_account(partnerd, dir_a):
    mine = assert_directory_customer(dget(dir_a, "my_customer"))
    assert mine["id"] == partnerd.a["customerId"]
    assert mine["customerDomain"] == partnerd.a["domain"]
    assert dget(dir_a, partnerd.a["customerId"]) == mine

    other = dget(partnerd.directory(partnerd.b), "my_customer")
    assert other["id"] == partnerd.b["customerId"]
    assert other["customerDomain"] == partnerd.b["domain"]


# ---------------------------------------------------------------------------
# language
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["fr", "ja", "id", "pt-BR", "zh-TW", "en-GB"])
def test_patch_language(dir_a, cust, code):
    cid = cust["customerId"]
    before = dget(dir_a, cid)

    patched = assert_directory_customer(dpatch(dir_a, cid, {"language": code}))
    assert patched["language"] == code

    after = dget(dir_a, cid)
    assert after["language"] == code
    for field in ("id", "customerDomain", "alternateEmail", "phoneNumber", "postalAddress", "customerCreationTime"):
        assert after[field] == before[field], f"{field} changed by a language patch: {before[field]!r} -> {after[field]!r}"


@pytest.mark.parametrize("code", ["xx-invalid", "english", ""])
def test_invalid_language_is_rejected(dir_a, cust, code):
    cid = cust["customerId"]
    expect_error(dir_a.customers().patch(customerKey=cid, body={"language": code}), 400, "invalid")
    assert dget(dir_a, cid)["language"] == "en"


def test_update_sets_language(dir_a, cust):
    cid = cust["customerId"]
    body = writable(dget(dir_a, cid))
    body["language"] = "es"

    updated = assert_directory_customer(dir_a.customers().update(customerKey=cid, body=body).execute())
    assert updated["language"] == "es"
    assert updated["customerDomain"] == cust["customerDomain"]
    assert updated["alternateEmail"] == cust["alternateEmail"]
    assert dget(dir_a, cid)["language"] == "es"


def test_update_with_invalid_language_changes_nothing(dir_a, cust):
    cid = cust["customerId"]
    before = dget(dir_a, cid)
    body = writable(before)
    body["language"] = "english"
    body["alternateEmail"] = "changed@alt-mail.example"
    expect_error(dir_a.customers().update(customerKey=cid, body=body), 400, "invalid")
    assert dget(dir_a, cid) == before


def test_language_applies_only_to_users_created_afterwards(dir_a, cust):
    cid, domain = cust["customerId"], cust["customerDomain"]
    first = insert_user(dir_a, user_body(domain, "first"))
    assert language_of(first) == "en"

    dpatch(dir_a, cid, {"language": "fr"})

    second = insert_user(dir_a, user_body(domain, "second"))
    assert second["languages"] == [{"languageCode": "fr", "preference": "preferred"}]
    assert language_of(get_user(dir_a, second["primaryEmail"])) == "fr"
    assert language_of(get_user(dir_a, first["primaryEmail"])) == "en", "existing users keep their language"


def test_patch_changes_etag(dir_a, cust):
    cid = cust["customerId"]
    before = dget(dir_a, cid)
    patched = dpatch(dir_a, cid, {"language": "de"})
    assert patched["etag"] != before["etag"]
    assert dget(dir_a, cid)["etag"] == patched["etag"]


# ---------------------------------------------------------------------------
# one record behind both APIs
# ---------------------------------------------------------------------------


def test_directory_patch_shows_in_reseller_api(svc_a, dir_a, cust):
    cid = cust["customerId"]
    patched = dpatch(dir_a, cid, {
        "alternateEmail": "new-billing@alt-mail.example",
        "postalAddress": {**dget(dir_a, cid)["postalAddress"], "locality": "Sunnyvale", "postalCode": "94086"},
    })
    assert patched["alternateEmail"] == "new-billing@alt-mail.example"
    assert patched["postalAddress"]["locality"] == "Sunnyvale"

    seen = svc_a.customers().get(customerId=cid).execute()
    assert seen["alternateEmail"] == "new-billing@alt-mail.example"
    assert seen["postalAddress"]["locality"] == "Sunnyvale"
    assert seen["postalAddress"]["postalCode"] == "94086"
    assert seen["postalAddress"]["contactName"] == cust["postalAddress"]["contactName"]


def test_reseller_patch_shows_in_directory_api(svc_a, dir_a, cust):
    cid = cust["customerId"]
    svc_a.customers().patch(customerId=cid, body={
        "alternateEmail": "ops@alt-mail.example",
        "postalAddress": {"locality": "Palo Alto", "organizationName": "Renamed Widgets"},
    }).execute()

    seen = dget(dir_a, cid)
    assert seen["alternateEmail"] == "ops@alt-mail.example"
    assert seen["postalAddress"]["locality"] == "Palo Alto"
    assert seen["postalAddress"]["organizationName"] == "Renamed Widgets"
    assert seen["postalAddress"]["countryCode"] == cust["postalAddress"]["countryCode"]


def test_alternate_email_on_the_customer_domain_is_invalid(svc_a, dir_a, cust):
    cid = cust["customerId"]
    bad = f"billing@{cust['customerDomain']}"
    expect_error(dir_a.customers().patch(customerKey=cid, body={"alternateEmail": bad}), 400, "invalid")

    body = writable(dget(dir_a, cid))
    body["alternateEmail"] = bad
    expect_error(dir_a.customers().update(customerKey=cid, body=body), 400, "invalid")

    assert dget(dir_a, cid)["alternateEmail"] == cust["alternateEmail"]
    assert svc_a.customers().get(customerId=cid).execute()["alternateEmail"] == cust["alternateEmail"]


# ---------------------------------------------------------------------------
# who may use it
# ---------------------------------------------------------------------------


def test_other_resellers_customer_is_forbidden(partnerd, dir_a, dir_b, cust):
    cid = cust["customerId"]
    before = dget(dir_a, cid)

    expect_error(dir_b.customers().get(customerKey=cid), 403, "forbidden")
    expect_error(dir_b.customers().patch(customerKey=cid, body={"language": "fr"}), 403, "forbidden")
    expect_error(dir_b.customers().update(customerKey=cid, body={**writable(before), "language": "fr"}),
                 403, "forbidden")

    assert dget(dir_a, cid) == before


def test_other_resellers_own_account_is_forbidden(partnerd, dir_a):
    expect_error(dir_a.customers().get(customerKey=partnerd.b["customerId"]), 403, "forbidden")


def test_unknown_customer_id_is_forbidden(dir_a):
    expect_error(dir_a.customers().get(customerKey="C0zzzzzzz"), 403, "forbidden")
    expect_error(dir_a.customers().patch(customerKey="C0zzzzzzz", body={"language": "fr"}), 403, "forbidden")


def test_own_account_language_applies_to_own_new_users(partnerd):
    reseller = fresh_reseller(partnerd, "dirown")
    dsvc = partnerd.directory(reseller)

    patched = dpatch(dsvc, "my_customer", {"language": "ja"})
    assert patched["id"] == reseller["customerId"]
    assert patched["language"] == "ja"
    assert dget(dsvc, reseller["customerId"])["language"] == "ja"

    user = insert_user(dsvc, user_body(reseller["domain"], "staff"))
    assert user["customerId"] == reseller["customerId"]
    assert language_of(user) == "ja"


# ---------------------------------------------------------------------------
# reseller access turned off by the customer
# ---------------------------------------------------------------------------


def _calls_on_customer(dsvc, cust, user):
    cid, domain = cust["customerId"], cust["customerDomain"]
    return {
        "customers.get": dsvc.customers().get(customerKey=cid),
        "customers.patch": dsvc.customers().patch(customerKey=cid, body={"language": "fr"}),
        "users.list(customer)": dsvc.users().list(customer=cid),
        "users.list(domain)": dsvc.users().list(domain=domain),
        "users.insert": dsvc.users().insert(body=user_body(domain, "while-off")),
        "users.get(email)": dsvc.users().get(userKey=user["primaryEmail"]),
        "users.get(id)": dsvc.users().get(userKey=user["id"]),
        "users.patch": dsvc.users().patch(userKey=user["id"], body={"suspended": True}),
        "users.makeAdmin": dsvc.users().makeAdmin(userKey=user["id"], body={"status": True}),
        "users.delete": dsvc.users().delete(userKey=user["id"]),
        "orgunits.list": dsvc.orgunits().list(customerId=cid),
        "orgunits.insert": dsvc.orgunits().insert(customerId=cid, body={"name": "Off", "parentOrgUnitPath": "/"}),
    }


CALL_NAMES = [
    "customers.get", "customers.patch", "users.list(customer)", "users.list(domain)", "users.insert",
    "users.get(email)", "users.get(id)", "users.patch", "users.makeAdmin", "users.delete", "orgunits.list",
    "orgunits.insert",
]


@pytest.mark.parametrize("call", CALL_NAMES)
def test_reseller_access_off_is_domain_cannot_use_apis(partnerd, dir_a, cust, call):
    cid = cust["customerId"]
    user = insert_user(dir_a, user_body(cust["customerDomain"], "resident"))

    partnerd.set_reseller_access(cid, False)
    try:
        expect_error(_calls_on_customer(dir_a, cust, user)[call], 403, "domainCannotUseApis")
    finally:
        partnerd.set_reseller_access(cid, True)

    # Nothing happened while access was off.
    back = get_user(dir_a, user["id"])
    assert back["suspended"] is False
    assert back["isAdmin"] is False
    customer = dget(dir_a, cid)
    assert customer["language"] == "en"


def test_reseller_access_back_on_works_again(partnerd, dir_a, cust):
    cid = cust["customerId"]
    partnerd.set_reseller_access(cid, False)
    expect_error(dir_a.customers().get(customerKey=cid), 403, "domainCannotUseApis")
    partnerd.set_reseller_access(cid, True)

    assert dget(dir_a, cid)["id"] == cid
    assert dpatch(dir_a, cid, {"language": "it"})["language"] == "it"
    user = insert_user(dir_a, user_body(cust["customerDomain"], "after"))
    assert user["customerId"] == cid


def test_reseller_access_off_affects_only_that_customer(partnerd, svc_a, dir_a, cust):
    other = new_reseller_customer(svc_a)
    partnerd.set_reseller_access(cust["customerId"], False)
    try:
        assert dget(dir_a, other["customerId"])["id"] == other["customerId"]
        user = insert_user(dir_a, user_body(other["customerDomain"], "unaffected"))
        assert user["customerId"] == other["customerId"]
        expect_error(dir_a.customers().get(customerKey=cust["customerId"]), 403, "domainCannotUseApis")
    finally:
        partnerd.set_reseller_access(cust["customerId"], True)


# ---------------------------------------------------------------------------
# scopes
# ---------------------------------------------------------------------------


def test_customer_readonly_scope_can_get_but_not_write(partnerd, dir_a, cust):
    cid = cust["customerId"]
    ro = partnerd.directory(partnerd.a, scopes=[SCOPE_DIR_CUSTOMER_RO])
    assert ro.customers().get(customerKey=cid).execute() == dget(dir_a, cid)

    expect_error(ro.customers().patch(customerKey=cid, body={"language": "fr"}), 403, "insufficientPermissions")
    body = {**writable(dget(dir_a, cid)), "language": "fr"}
    expect_error(ro.customers().update(customerKey=cid, body=body), 403, "insufficientPermissions")
    assert dget(dir_a, cid)["language"] == "en"


def test_customer_scope_alone_can_patch(partnerd, cust):
    only = partnerd.directory(partnerd.a, scopes=[SCOPE_DIR_CUSTOMER])
    assert dpatch(only, cust["customerId"], {"language": "nl"})["language"] == "nl"


@pytest.mark.parametrize("scope", [SCOPE_DIR_USER, SCOPE_DIR_ORGUNIT, SCOPE_ORDER])
def test_other_scopes_cannot_read_customers(partnerd, cust, scope):
    dsvc = partnerd.directory(partnerd.a, scopes=[scope])
    expect_error(dsvc.customers().get(customerKey=cust["customerId"]), 403, "insufficientPermissions")


def test_token_without_subject_is_refused(partnerd, cust):
    dsvc = partnerd.directory(partnerd.a, scopes=DIRECTORY_SCOPES, impersonate=False)
    expect_error(dsvc.customers().get(customerKey=cust["customerId"]), 403)
