"""Licensing API (licenseAssignments.*) through Google's official client.

Covers the site-wide Cloud Identity Free licence (automatic holders, the cap of
50 and how it rises, insert/delete refused), paid Workspace licences drawing on
the customer's subscription seats (insert, get, delete, seat counting, full,
missing and suspended subscriptions, one SKU per product), reassignment
between SKUs (update and patch), lists (filters, customerId forms, paging,
maxResults bounds), validation, scopes and tenancy, the Reseller API's view of
licensed seats, and concurrent assignment of the last free seat.

Every test makes its own customer (ToS accepted, so its subscriptions are
ACTIVE) and its own users, so nothing leaks between tests.
"""

from __future__ import annotations

import threading
import time

import google.auth.transport.requests
import pytest

from dir_helpers import SCOPE_DIR_USER
from helpers import SCOPE_ORDER, assert_response_error, execute_error
from lic_helpers import (
    CLOUD_IDENTITY,
    DRIVE_STORAGE,
    LIC_PREFIX,
    SCOPE_LICENSING,
    WORKSPACE,
    assert_assignment,
    assert_lic_error,
    assign,
    assignments,
    build_licensing,
    emails,
    get_assignment,
    holders,
    licensed,
    licensing,
    list_assignments,
    list_page,
    new_user,
    new_users,
)
from sub_helpers import (
    BUSINESS_STANDARD,
    BUSINESS_STARTER,
    CLOUD_IDENTITY_FREE,
    DRIVE_20GB,
    ESSENTIALS,
    annual,
    flexible,
    get_sub,
    insert_sub,
    new_customer,
)


@pytest.fixture
def lic_a(partnerd):
    return licensing(partnerd, partnerd.a)


@pytest.fixture
def lic_b(partnerd):
    return licensing(partnerd, partnerd.b)


@pytest.fixture
def cust(partnerd, svc_a):
    """A fresh customer of reseller A whose admin accepted the ToS."""
    return new_customer(partnerd, svc_a)


def lic_error(request, code: int, reason: str) -> dict:
    return assert_lic_error(execute_error(request), code, reason)


def reassign(lic, method: str, user, from_sku: str, body: dict):
    key = user["primaryEmail"] if isinstance(user, dict) else user
    call = getattr(assignments(lic), method)
    return call(productId=WORKSPACE, skuId=from_sku, userId=key, body=body)


def reassign_body(sku: str, user, product: str = WORKSPACE) -> dict:
    return {"productId": product, "skuId": sku, "userId": user["primaryEmail"]}


# ---------------------------------------------------------------------------
# Cloud Identity Free: site-wide
# ---------------------------------------------------------------------------


def test_every_user_holds_cloud_identity_free(lic_a, dir_a, cid, domain):
    users = new_users(dir_a, domain, 3)
    for user in users:
        got = get_assignment(lic_a, CLOUD_IDENTITY_FREE, user, CLOUD_IDENTITY)
        assert_assignment(got, CLOUD_IDENTITY, CLOUD_IDENTITY_FREE, user["primaryEmail"])

    by_sku = list_assignments(lic_a, CLOUD_IDENTITY, cid, CLOUD_IDENTITY_FREE)
    by_product = list_assignments(lic_a, CLOUD_IDENTITY, cid)
    for listed in (by_sku, by_product):
        for a in listed:
            assert_assignment(a, CLOUD_IDENTITY, CLOUD_IDENTITY_FREE, a["userId"])
        assert {a["userId"].lower() for a in listed} == emails(users)


def test_cloud_identity_free_insert_is_condition_not_met(lic_a, dir_a, cid, domain):
    user = new_user(dir_a, domain)
    lic_error(assignments(lic_a).insert(productId=CLOUD_IDENTITY, skuId=CLOUD_IDENTITY_FREE,
                                        body={"userId": user["primaryEmail"]}), 412, "conditionNotMet")
    assert list(holders(lic_a, CLOUD_IDENTITY, cid)) == [user["primaryEmail"].lower()]


def test_cloud_identity_free_cannot_be_removed(lic_a, dir_a, cid, domain):
    user = new_user(dir_a, domain)
    lic_error(assignments(lic_a).delete(productId=CLOUD_IDENTITY, skuId=CLOUD_IDENTITY_FREE,
                                        userId=user["primaryEmail"]), 412, "conditionNotMet")
    got = get_assignment(lic_a, CLOUD_IDENTITY_FREE, user, CLOUD_IDENTITY)
    assert_assignment(got, CLOUD_IDENTITY, CLOUD_IDENTITY_FREE, user["primaryEmail"])
    assert user["primaryEmail"].lower() in holders(lic_a, CLOUD_IDENTITY, cid, CLOUD_IDENTITY_FREE)


def test_deleted_user_no_longer_holds_cloud_identity_free(lic_a, dir_a, cid, domain):
    keep, gone = new_users(dir_a, domain, 2)
    dir_a.users().delete(userKey=gone["id"]).execute()
    assert set(holders(lic_a, CLOUD_IDENTITY, cid, CLOUD_IDENTITY_FREE)) == emails([keep])


def test_cloud_identity_free_cap_is_the_fifty_earliest_users(lic_a, dir_a, cid, domain):
    users = new_users(dir_a, domain, 50)
    time.sleep(0.05)  # the 51st user is strictly later than the 50th
    users.append(new_user(dir_a, domain, "user051"))
    first, late = users[0], users[50]

    listed = holders(lic_a, CLOUD_IDENTITY, cid, CLOUD_IDENTITY_FREE)
    assert set(listed) == emails(users[:50]), f"{len(listed)} holders; expected the first 50"
    lic_error(assignments(lic_a).get(productId=CLOUD_IDENTITY, skuId=CLOUD_IDENTITY_FREE,
                                     userId=late["primaryEmail"]), 404, "notFound")
    lic_error(assignments(lic_a).insert(productId=CLOUD_IDENTITY, skuId=CLOUD_IDENTITY_FREE,
                                        body={"userId": late["primaryEmail"]}), 412, "conditionNotMet")

    # Deleting a holder frees a licence for the 51st user.
    dir_a.users().delete(userKey=first["id"]).execute()
    got = get_assignment(lic_a, CLOUD_IDENTITY_FREE, late, CLOUD_IDENTITY)
    assert_assignment(got, CLOUD_IDENTITY, CLOUD_IDENTITY_FREE, late["primaryEmail"])
    assert set(holders(lic_a, CLOUD_IDENTITY, cid, CLOUD_IDENTITY_FREE)) == emails(users[1:])


def test_cloud_identity_free_cap_rises_with_paid_licences(svc_a, lic_a, dir_a, cust, cid, domain):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 60))
    users = new_users(dir_a, domain, 50)
    for name in ("user051", "user052"):
        time.sleep(0.05)  # strictly later than the users before
        users.append(new_user(dir_a, domain, name))
    assert set(holders(lic_a, CLOUD_IDENTITY, cid, CLOUD_IDENTITY_FREE)) == emails(users[:50])

    for user in users[:51]:
        assign(lic_a, BUSINESS_STARTER, user)

    # 51 paid licences: the cap is now 51, still the earliest users.
    assert set(holders(lic_a, CLOUD_IDENTITY, cid, CLOUD_IDENTITY_FREE)) == emails(users[:51])
    got = get_assignment(lic_a, CLOUD_IDENTITY_FREE, users[50], CLOUD_IDENTITY)
    assert_assignment(got, CLOUD_IDENTITY, CLOUD_IDENTITY_FREE, users[50]["primaryEmail"])
    lic_error(assignments(lic_a).get(productId=CLOUD_IDENTITY, skuId=CLOUD_IDENTITY_FREE,
                                     userId=users[51]["primaryEmail"]), 404, "notFound")


# ---------------------------------------------------------------------------
# Paid licences: insert, get, delete
# ---------------------------------------------------------------------------


def test_insert_paid_licence_counts_a_seat(svc_a, lic_a, dir_a, cust, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 3))
    user = new_user(dir_a, domain)

    created = assign(lic_a, BUSINESS_STARTER, user)
    assert_assignment(created, WORKSPACE, BUSINESS_STARTER, user["primaryEmail"], sub["skuName"])
    assert licensed(svc_a, sub) == 1

    got = get_assignment(lic_a, BUSINESS_STARTER, user)
    assert_assignment(got, WORKSPACE, BUSINESS_STARTER, user["primaryEmail"], sub["skuName"])
    assert got["productName"] == created["productName"]


def test_insert_by_user_id_reports_the_primary_email(svc_a, lic_a, dir_a, cust, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 3))
    user = new_user(dir_a, domain)
    created = assign(lic_a, BUSINESS_STARTER, user["id"])
    assert created["userId"].lower() == user["primaryEmail"].lower()
    assert_assignment(get_assignment(lic_a, BUSINESS_STARTER, user), WORKSPACE, BUSINESS_STARTER,
                      user["primaryEmail"])
    assert licensed(svc_a, sub) == 1


@pytest.mark.parametrize("body", [annual(BUSINESS_STARTER, 2), flexible(BUSINESS_STARTER, 2)],
                         ids=["annual", "flexible"])
def test_insert_beyond_the_seats_is_condition_not_met(svc_a, lic_a, dir_a, cust, domain, body):
    sub = insert_sub(svc_a, cust, body)
    one, two, three = new_users(dir_a, domain, 3)
    assign(lic_a, BUSINESS_STARTER, one)
    assign(lic_a, BUSINESS_STARTER, two)
    assert licensed(svc_a, sub) == 2

    lic_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                        body={"userId": three["primaryEmail"]}), 412, "conditionNotMet")
    assert licensed(svc_a, sub) == 2
    lic_error(assignments(lic_a).get(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                     userId=three["primaryEmail"]), 404, "notFound")

    # A released seat can be given to someone else.
    assignments(lic_a).delete(productId=WORKSPACE, skuId=BUSINESS_STARTER, userId=one["primaryEmail"]).execute()
    assign(lic_a, BUSINESS_STARTER, three)
    assert licensed(svc_a, sub) == 2
    assert set(holders(lic_a, WORKSPACE, cust["customerId"], BUSINESS_STARTER)) == emails([two, three])


def test_insert_without_a_subscription_of_the_sku_is_condition_not_met(svc_a, lic_a, dir_a, cust, domain):
    other = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    user = new_user(dir_a, domain)
    lic_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=ESSENTIALS,
                                        body={"userId": user["primaryEmail"]}), 412, "conditionNotMet")
    assert holders(lic_a, WORKSPACE, cust["customerId"]) == {}
    assert licensed(svc_a, other) == 0


def test_insert_on_subscription_pending_tos_is_condition_not_met(partnerd, svc_a, lic_a, dir_a):
    pending = new_customer(partnerd, svc_a, tos=False)
    sub = insert_sub(svc_a, pending, flexible(BUSINESS_STARTER, 5))
    assert sub["status"] == "SUSPENDED", sub
    user = new_user(dir_a, pending["customerDomain"])
    lic_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                        body={"userId": user["primaryEmail"]}), 412, "conditionNotMet")
    assert licensed(svc_a, sub) == 0

    # Once the ToS is accepted the subscription is ACTIVE and the seat can be used.
    partnerd.accept_tos(pending["customerId"])
    assert get_sub(svc_a, sub)["status"] == "ACTIVE"
    assign(lic_a, BUSINESS_STARTER, user)
    assert licensed(svc_a, sub) == 1


def test_insert_on_reseller_suspended_subscription_is_condition_not_met(svc_a, lic_a, dir_a, cust, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    svc_a.subscriptions().suspend(customerId=sub["customerId"], subscriptionId=sub["subscriptionId"]).execute()
    user = new_user(dir_a, domain)
    lic_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                        body={"userId": user["primaryEmail"]}), 412, "conditionNotMet")
    assert licensed(svc_a, sub) == 0
    assert holders(lic_a, WORKSPACE, cust["customerId"]) == {}


def test_insert_same_sku_twice_is_condition_not_met(svc_a, lic_a, dir_a, cust, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    user = new_user(dir_a, domain)
    assign(lic_a, BUSINESS_STARTER, user)
    lic_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                        body={"userId": user["primaryEmail"]}), 412, "conditionNotMet")
    lic_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                        body={"userId": user["id"]}), 412, "conditionNotMet")
    assert licensed(svc_a, sub) == 1


def test_insert_another_sku_of_a_held_product_is_condition_not_met(svc_a, lic_a, dir_a, cust, domain):
    starter = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    essentials = insert_sub(svc_a, cust, flexible(ESSENTIALS, 5))
    user = new_user(dir_a, domain)
    assign(lic_a, BUSINESS_STARTER, user)

    lic_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=ESSENTIALS,
                                        body={"userId": user["primaryEmail"]}), 412, "conditionNotMet")
    lic_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=BUSINESS_STANDARD,
                                        body={"userId": user["primaryEmail"]}), 412, "conditionNotMet")
    assert holders(lic_a, WORKSPACE, cust["customerId"]) == {user["primaryEmail"].lower(): BUSINESS_STARTER}
    assert (licensed(svc_a, starter), licensed(svc_a, essentials)) == (1, 0)


def test_a_user_may_hold_licences_of_different_products(svc_a, lic_a, dir_a, cust, cid, domain):
    starter = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    drive = insert_sub(svc_a, cust, flexible(DRIVE_20GB, 5))
    user, other = new_users(dir_a, domain, 2)

    assign(lic_a, BUSINESS_STARTER, user)
    created = assign(lic_a, DRIVE_20GB, user, DRIVE_STORAGE)
    assert_assignment(created, DRIVE_STORAGE, DRIVE_20GB, user["primaryEmail"], drive["skuName"])
    assign(lic_a, BUSINESS_STARTER, other)

    assert holders(lic_a, WORKSPACE, cid) == {
        user["primaryEmail"].lower(): BUSINESS_STARTER,
        other["primaryEmail"].lower(): BUSINESS_STARTER,
    }
    assert holders(lic_a, DRIVE_STORAGE, cid) == {user["primaryEmail"].lower(): DRIVE_20GB}
    assert (licensed(svc_a, starter), licensed(svc_a, drive)) == (2, 1)


def test_get_a_licence_the_user_lacks_is_not_found(svc_a, lic_a, dir_a, cust, domain):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    insert_sub(svc_a, cust, flexible(ESSENTIALS, 5))
    user = new_user(dir_a, domain)
    lic_error(assignments(lic_a).get(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                     userId=user["primaryEmail"]), 404, "notFound")
    assign(lic_a, BUSINESS_STARTER, user)
    lic_error(assignments(lic_a).get(productId=WORKSPACE, skuId=ESSENTIALS,
                                     userId=user["primaryEmail"]), 404, "notFound")


def test_delete_revokes_the_licence_and_frees_the_seat(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    user, other = new_users(dir_a, domain, 2)
    assign(lic_a, BUSINESS_STARTER, user)
    assign(lic_a, BUSINESS_STARTER, other)
    assert licensed(svc_a, sub) == 2

    token = partnerd.access_token(partnerd.a, scopes=[SCOPE_LICENSING])
    r = partnerd.raw("DELETE", f"{LIC_PREFIX}/product/{WORKSPACE}/sku/{BUSINESS_STARTER}/user/{user['primaryEmail']}",
                     token=token)
    assert r.status_code in (200, 204), f"HTTP {r.status_code}: {r.text}"
    assert r.content.strip() in (b"", b"{}"), f"delete answered with a body: {r.text!r}"

    assert licensed(svc_a, sub) == 1
    lic_error(assignments(lic_a).get(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                     userId=user["primaryEmail"]), 404, "notFound")
    assert holders(lic_a, WORKSPACE, cid) == {other["primaryEmail"].lower(): BUSINESS_STARTER}


def test_delete_a_licence_the_user_lacks_is_not_found(svc_a, lic_a, dir_a, cust, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    holder, user = new_users(dir_a, domain, 2)
    assign(lic_a, BUSINESS_STARTER, holder)
    lic_error(assignments(lic_a).delete(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                        userId=user["primaryEmail"]), 404, "notFound")
    assert licensed(svc_a, sub) == 1

    assignments(lic_a).delete(productId=WORKSPACE, skuId=BUSINESS_STARTER, userId=holder["primaryEmail"]).execute()
    lic_error(assignments(lic_a).delete(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                        userId=holder["primaryEmail"]), 404, "notFound")
    assert licensed(svc_a, sub) == 0


def test_deleting_a_user_releases_its_paid_licences(svc_a, lic_a, dir_a, cust, cid, domain):
    starter = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 1))
    drive = insert_sub(svc_a, cust, flexible(DRIVE_20GB, 1))
    leaving, newcomer = new_users(dir_a, domain, 2)
    assign(lic_a, BUSINESS_STARTER, leaving)
    assign(lic_a, DRIVE_20GB, leaving, DRIVE_STORAGE)
    assert (licensed(svc_a, starter), licensed(svc_a, drive)) == (1, 1)

    dir_a.users().delete(userKey=leaving["id"]).execute()

    assert (licensed(svc_a, starter), licensed(svc_a, drive)) == (0, 0)
    assert holders(lic_a, WORKSPACE, cid) == {}
    assert holders(lic_a, DRIVE_STORAGE, cid) == {}
    # The freed seats are really free.
    assign(lic_a, BUSINESS_STARTER, newcomer)
    assign(lic_a, DRIVE_20GB, newcomer, DRIVE_STORAGE)
    assert (licensed(svc_a, starter), licensed(svc_a, drive)) == (1, 1)


# ---------------------------------------------------------------------------
# Reassignment (update / patch on the current SKU)
# ---------------------------------------------------------------------------


@pytest.fixture
def two_skus(svc_a, cust):
    """Business Starter and Essentials subscriptions (both Google-Apps SKUs)."""
    return (insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 3)),
            insert_sub(svc_a, cust, flexible(ESSENTIALS, 3)))


@pytest.mark.parametrize("method", ["update", "patch"])
def test_reassign_moves_the_licence_between_skus(svc_a, lic_a, dir_a, cid, domain, two_skus, method):
    starter, essentials = two_skus
    user, other = new_users(dir_a, domain, 2)
    assign(lic_a, BUSINESS_STARTER, user)
    assign(lic_a, BUSINESS_STARTER, other)

    moved = reassign(lic_a, method, user, BUSINESS_STARTER, reassign_body(ESSENTIALS, user)).execute()

    assert_assignment(moved, WORKSPACE, ESSENTIALS, user["primaryEmail"], essentials["skuName"])
    assert (licensed(svc_a, starter), licensed(svc_a, essentials)) == (1, 1)
    assert_assignment(get_assignment(lic_a, ESSENTIALS, user), WORKSPACE, ESSENTIALS, user["primaryEmail"])
    lic_error(assignments(lic_a).get(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                     userId=user["primaryEmail"]), 404, "notFound")
    assert holders(lic_a, WORKSPACE, cid) == {
        user["primaryEmail"].lower(): ESSENTIALS,
        other["primaryEmail"].lower(): BUSINESS_STARTER,
    }


@pytest.mark.parametrize("method", ["update", "patch"])
def test_reassign_to_the_same_sku_is_condition_not_met(svc_a, lic_a, dir_a, cid, domain, two_skus, method):
    starter, essentials = two_skus
    user = new_user(dir_a, domain)
    assign(lic_a, BUSINESS_STARTER, user)
    lic_error(reassign(lic_a, method, user, BUSINESS_STARTER, reassign_body(BUSINESS_STARTER, user)),
              412, "conditionNotMet")
    assert holders(lic_a, WORKSPACE, cid) == {user["primaryEmail"].lower(): BUSINESS_STARTER}
    assert (licensed(svc_a, starter), licensed(svc_a, essentials)) == (1, 0)


def test_reassign_to_another_product_is_condition_not_met(svc_a, lic_a, dir_a, cust, cid, domain, two_skus):
    starter, _ = two_skus
    drive = insert_sub(svc_a, cust, flexible(DRIVE_20GB, 3))
    user = new_user(dir_a, domain)
    assign(lic_a, BUSINESS_STARTER, user)
    lic_error(reassign(lic_a, "update", user, BUSINESS_STARTER, reassign_body(DRIVE_20GB, user, DRIVE_STORAGE)),
              412, "conditionNotMet")
    assert holders(lic_a, WORKSPACE, cid) == {user["primaryEmail"].lower(): BUSINESS_STARTER}
    assert holders(lic_a, DRIVE_STORAGE, cid) == {}
    assert (licensed(svc_a, starter), licensed(svc_a, drive)) == (1, 0)


def test_reassign_to_a_full_subscription_is_condition_not_met(svc_a, lic_a, dir_a, cust, cid, domain):
    starter = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 3))
    essentials = insert_sub(svc_a, cust, flexible(ESSENTIALS, 1))
    user, occupant = new_users(dir_a, domain, 2)
    assign(lic_a, BUSINESS_STARTER, user)
    assign(lic_a, ESSENTIALS, occupant)

    lic_error(reassign(lic_a, "patch", user, BUSINESS_STARTER, reassign_body(ESSENTIALS, user)),
              412, "conditionNotMet")
    assert holders(lic_a, WORKSPACE, cid) == {
        user["primaryEmail"].lower(): BUSINESS_STARTER,
        occupant["primaryEmail"].lower(): ESSENTIALS,
    }
    assert (licensed(svc_a, starter), licensed(svc_a, essentials)) == (1, 1)


@pytest.mark.parametrize("method", ["update", "patch"])
def test_reassign_to_an_unknown_sku_is_invalid(svc_a, lic_a, dir_a, cid, domain, two_skus, method):
    starter, _ = two_skus
    user = new_user(dir_a, domain)
    assign(lic_a, BUSINESS_STARTER, user)
    lic_error(reassign(lic_a, method, user, BUSINESS_STARTER, reassign_body("1010029999", user)), 400, "invalid")
    assert holders(lic_a, WORKSPACE, cid) == {user["primaryEmail"].lower(): BUSINESS_STARTER}
    assert licensed(svc_a, starter) == 1


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


BAD_PAIR_CALLS = ["insert", "get", "delete", "listForProductAndSku"]


@pytest.mark.parametrize("call", BAD_PAIR_CALLS)
def test_unknown_product_sku_pair_is_invalid(svc_a, lic_a, dir_a, cust, cid, domain, call):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    user = new_user(dir_a, domain)
    assign(lic_a, BUSINESS_STARTER, user)
    la = assignments(lic_a)
    product, sku = "Google-Vault", BUSINESS_STARTER
    request = {
        "insert": lambda: la.insert(productId=product, skuId=sku, body={"userId": user["primaryEmail"]}),
        "get": lambda: la.get(productId=product, skuId=sku, userId=user["primaryEmail"]),
        "delete": lambda: la.delete(productId=product, skuId=sku, userId=user["primaryEmail"]),
        "listForProductAndSku": lambda: la.listForProductAndSku(productId=product, skuId=sku, customerId=cid),
    }[call]()
    lic_error(request, 400, "invalid")
    assert holders(lic_a, WORKSPACE, cid) == {user["primaryEmail"].lower(): BUSINESS_STARTER}
    assert licensed(svc_a, sub) == 1


def test_a_sku_partnerd_does_not_sell_is_one_the_user_lacks(lic_a, dir_a, domain):
    """licenseAssignments.get of a SKU outside partnerd's catalogue (Google sells more;
    GAM's `info user` asks after each of them) answers 404, as for a SKU the user lacks.
    The user is still looked up first, and a SKU partnerd sells stays 400 under the
    wrong product."""
    user = new_user(dir_a, domain)
    la = assignments(lic_a)
    lic_error(la.get(productId="101033", skuId="1010330003", userId=user["primaryEmail"]), 404, "notFound")
    lic_error(la.get(productId="101033", skuId="1010330003", userId=f"nobody-here@{domain}"), 400, "invalid")
    lic_error(la.get(productId="Google-Vault", skuId=BUSINESS_STARTER, userId=user["primaryEmail"]), 400,
              "invalid")


@pytest.mark.parametrize("call", ["insert", "get"])
def test_unknown_user_is_invalid(svc_a, lic_a, cust, cid, domain, call):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    ghost = f"nobody-here@{domain}"
    la = assignments(lic_a)
    request = (la.insert(productId=WORKSPACE, skuId=BUSINESS_STARTER, body={"userId": ghost}) if call == "insert"
               else la.get(productId=WORKSPACE, skuId=BUSINESS_STARTER, userId=ghost))
    lic_error(request, 400, "invalid")
    assert licensed(svc_a, sub) == 0


@pytest.mark.parametrize("path", [f"/product/{WORKSPACE}/users", f"/product/{WORKSPACE}/sku/{BUSINESS_STARTER}/users"],
                         ids=["listForProduct", "listForProductAndSku"])
def test_list_without_customer_id_is_required(partnerd, path):
    token = partnerd.access_token(partnerd.a, scopes=[SCOPE_LICENSING])
    r = partnerd.raw("GET", LIC_PREFIX + path, token=token)
    assert_response_error(r, 400, "required")


@pytest.mark.parametrize("max_results", [0, 1001])
def test_list_max_results_out_of_range_is_invalid(lic_a, cid, max_results):
    lic_error(assignments(lic_a).listForProduct(productId=WORKSPACE, customerId=cid, maxResults=max_results),
              400, "invalid")
    lic_error(assignments(lic_a).listForProductAndSku(productId=WORKSPACE, skuId=BUSINESS_STARTER, customerId=cid,
                                                      maxResults=max_results), 400, "invalid")


@pytest.mark.parametrize("max_results", [1, 1000])
def test_list_max_results_bounds_are_accepted(svc_a, lic_a, dir_a, cust, cid, domain, max_results):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    users = new_users(dir_a, domain, 2)
    for user in users:
        assign(lic_a, BUSINESS_STARTER, user)
    page = list_page(lic_a, WORKSPACE, cid, maxResults=max_results)
    assert len(page["items"]) == min(2, max_results), page
    assert ("nextPageToken" in page) is (max_results == 1), page


# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------


def test_list_shape_and_empty_list(svc_a, lic_a, dir_a, cust, cid, domain):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    new_user(dir_a, domain)
    for sku in (None, BUSINESS_STARTER):
        page = list_page(lic_a, WORKSPACE, cid, sku)
        assert isinstance(page.get("etag"), str) and page["etag"], page
        assert page.get("items", []) == [], page
        assert "nextPageToken" not in page, page


@pytest.mark.parametrize("sku", [None, BUSINESS_STARTER], ids=["listForProduct", "listForProductAndSku"])
def test_paging_returns_every_assignment_exactly_once(svc_a, lic_a, dir_a, cust, cid, domain, sku):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 10))
    users = new_users(dir_a, domain, 5)
    for user in users:
        assign(lic_a, BUSINESS_STARTER, user)

    pages = []
    token = None
    while True:
        params = {"maxResults": 2}
        if token:
            params["pageToken"] = token
        page = list_page(lic_a, WORKSPACE, cid, sku, **params)
        pages.append(page.get("items", []))
        token = page.get("nextPageToken")
        if not token:
            break
        assert len(pages) < 10, "paging does not end"
    assert [len(p) for p in pages] == [2, 2, 1], [len(p) for p in pages]
    seen = [a["userId"].lower() for p in pages for a in p]
    assert sorted(seen) == sorted(emails(users)), seen
    for p in pages:
        for a in p:
            assert_assignment(a, WORKSPACE, BUSINESS_STARTER, a["userId"])


def test_list_by_customer_id_or_primary_domain(svc_a, lic_a, dir_a, cust, cid, domain):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    users = new_users(dir_a, domain, 3)
    for user in users:
        assign(lic_a, BUSINESS_STARTER, user)
    by_id = list_assignments(lic_a, WORKSPACE, cid, BUSINESS_STARTER)
    by_domain = list_assignments(lic_a, WORKSPACE, domain, BUSINESS_STARTER)
    assert {a["userId"].lower() for a in by_id} == emails(users)
    assert sorted(by_domain, key=lambda a: a["userId"]) == sorted(by_id, key=lambda a: a["userId"])


def test_list_for_product_and_sku_filters_by_sku(svc_a, lic_a, dir_a, cust, cid, domain, two_skus):
    a, b, c = new_users(dir_a, domain, 3)
    assign(lic_a, BUSINESS_STARTER, a)
    assign(lic_a, BUSINESS_STARTER, b)
    assign(lic_a, ESSENTIALS, c)
    assert set(holders(lic_a, WORKSPACE, cid, BUSINESS_STARTER)) == emails([a, b])
    assert set(holders(lic_a, WORKSPACE, cid, ESSENTIALS)) == emails([c])
    assert holders(lic_a, WORKSPACE, cid) == {
        a["primaryEmail"].lower(): BUSINESS_STARTER,
        b["primaryEmail"].lower(): BUSINESS_STARTER,
        c["primaryEmail"].lower(): ESSENTIALS,
    }


def test_lists_show_only_the_customers_own_assignments(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    other = new_customer(partnerd, svc_a)
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    insert_sub(svc_a, other, flexible(BUSINESS_STARTER, 5))
    mine = new_user(dir_a, domain)
    theirs = new_user(dir_a, other["customerDomain"])
    assign(lic_a, BUSINESS_STARTER, mine)
    assign(lic_a, BUSINESS_STARTER, theirs)
    assert set(holders(lic_a, WORKSPACE, cid)) == emails([mine])
    assert set(holders(lic_a, WORKSPACE, other["customerId"])) == emails([theirs])
    assert set(holders(lic_a, CLOUD_IDENTITY, cid, CLOUD_IDENTITY_FREE)) == emails([mine])


# ---------------------------------------------------------------------------
# Scopes and tenancy
# ---------------------------------------------------------------------------


def _calls(lic, cid, user):
    la = assignments(lic)
    email = user["primaryEmail"]
    return {
        "get": la.get(productId=WORKSPACE, skuId=BUSINESS_STARTER, userId=email),
        "insert": la.insert(productId=WORKSPACE, skuId=BUSINESS_STARTER, body={"userId": email}),
        "delete": la.delete(productId=WORKSPACE, skuId=BUSINESS_STARTER, userId=email),
        "reassign": la.update(productId=WORKSPACE, skuId=BUSINESS_STARTER, userId=email,
                              body={"productId": WORKSPACE, "skuId": ESSENTIALS, "userId": email}),
        "listForProduct": la.listForProduct(productId=WORKSPACE, customerId=cid),
        "listForProductAndSku": la.listForProductAndSku(productId=WORKSPACE, skuId=BUSINESS_STARTER, customerId=cid),
    }


CALLS = ["get", "insert", "delete", "reassign", "listForProduct", "listForProductAndSku"]


@pytest.fixture
def licensed_user(svc_a, lic_a, dir_a, cust, domain, two_skus):
    """A user holding Business Starter (Essentials has free seats too)."""
    user = new_user(dir_a, domain)
    assign(lic_a, BUSINESS_STARTER, user)
    return user


@pytest.mark.parametrize("scopes", [[SCOPE_ORDER], [SCOPE_DIR_USER]], ids=["apps.order", "directory.user"])
@pytest.mark.parametrize("call", CALLS)
def test_token_without_licensing_scope_is_insufficient_permissions(partnerd, svc_a, lic_a, cid, two_skus,
                                                                   licensed_user, call, scopes):
    starter, _ = two_skus
    lic = licensing(partnerd, partnerd.a, scopes=scopes)
    lic_error(_calls(lic, cid, licensed_user)[call], 403, "insufficientPermissions")
    assert holders(lic_a, WORKSPACE, cid) == {licensed_user["primaryEmail"].lower(): BUSINESS_STARTER}
    assert licensed(svc_a, starter) == 1


@pytest.mark.parametrize("call", CALLS)
def test_customer_of_another_reseller_is_forbidden(svc_a, lic_a, lic_b, cid, two_skus, licensed_user, call):
    starter, _ = two_skus
    lic_error(_calls(lic_b, cid, licensed_user)[call], 403, "forbidden")
    assert holders(lic_a, WORKSPACE, cid) == {licensed_user["primaryEmail"].lower(): BUSINESS_STARTER}
    assert licensed(svc_a, starter) == 1


@pytest.mark.parametrize("call", CALLS)
def test_reseller_access_off_is_domain_cannot_use_apis(partnerd, svc_a, lic_a, cid, two_skus, licensed_user, call):
    starter, _ = two_skus
    partnerd.set_reseller_access(cid, False)
    try:
        lic_error(_calls(lic_a, cid, licensed_user)[call], 403, "domainCannotUseApis")
    finally:
        partnerd.set_reseller_access(cid, True)
    assert holders(lic_a, WORKSPACE, cid) == {licensed_user["primaryEmail"].lower(): BUSINESS_STARTER}
    assert licensed(svc_a, starter) == 1


# ---------------------------------------------------------------------------
# The Reseller API's side of licensed seats
# ---------------------------------------------------------------------------


def test_change_seats_below_licensed_users_is_invalid(svc_a, lic_a, dir_a, cust, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 3))
    for user in new_users(dir_a, domain, 2):
        assign(lic_a, BUSINESS_STARTER, user)

    def change(n):
        return svc_a.subscriptions().changeSeats(customerId=sub["customerId"], subscriptionId=sub["subscriptionId"],
                                                 body={"maximumNumberOfSeats": n})

    lic_error(change(1), 400, "invalid")
    after = get_sub(svc_a, sub)
    assert after["seats"]["maximumNumberOfSeats"] == 3
    assert after["seats"]["licensedNumberOfSeats"] == 2

    changed = change(2).execute()
    assert changed["seats"]["maximumNumberOfSeats"] == 2
    assert changed["seats"]["licensedNumberOfSeats"] == 2


# ---------------------------------------------------------------------------
# Concurrency
# ---------------------------------------------------------------------------


RACERS = 8
ROUNDS = 3  # a lost race shows up only now and then: run it a few times


def _race_for_the_last_seat(partnerd, svc_a, lic_a, dir_a, body, taken, round_no):
    cust = new_customer(partnerd, svc_a)
    cid, domain = cust["customerId"], cust["customerDomain"]
    sub = insert_sub(svc_a, cust, body)
    occupants = new_users(dir_a, domain, taken, prefix="occupant") if taken else []
    for user in occupants:
        assign(lic_a, BUSINESS_STARTER, user)
    racers = new_users(dir_a, domain, RACERS, prefix="racer")

    services = []
    for _ in racers:
        creds = partnerd.credentials(partnerd.a, scopes=[SCOPE_LICENSING])
        creds.refresh(google.auth.transport.requests.Request())  # no token fetch inside the race
        services.append(build_licensing(partnerd, creds))
    barrier = threading.Barrier(RACERS)
    results: list = [None] * RACERS

    def run(i):
        request = assignments(services[i]).insert(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                                  body={"userId": racers[i]["primaryEmail"]})
        barrier.wait(timeout=30)
        try:
            results[i] = ("ok", request.execute())
        except Exception as e:  # noqa: BLE001 - every outcome is recorded and checked below
            results[i] = ("error", e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(r is not None for r in results), f"round {round_no}: some racers did not finish: {results!r}"

    outcomes = [200 if kind == "ok" else getattr(getattr(value, "resp", None), "status", repr(value))
                for kind, value in results]
    winners = [i for i, r in enumerate(results) if r[0] == "ok"]
    assert len(winners) == 1, (
        f"round {round_no}: {len(winners)} racers got the last seat (outcomes {outcomes}); "
        f"licensedNumberOfSeats now {licensed(svc_a, sub)}"
    )
    for i, (kind, value) in enumerate(results):
        if i != winners[0]:
            assert kind == "error", value
            assert_lic_error(value, 412, "conditionNotMet")
    assert licensed(svc_a, sub) == taken + 1
    assert set(holders(lic_a, WORKSPACE, cid)) == emails(occupants + [racers[winners[0]]])


@pytest.mark.parametrize("body, taken", [(flexible(BUSINESS_STARTER, 1), 0), (annual(BUSINESS_STARTER, 3), 2)],
                         ids=["flexible-1-seat", "annual-last-of-3"])
def test_concurrent_assignment_of_the_last_seat(partnerd, svc_a, lic_a, dir_a, body, taken):
    """Each of 8 threads (own client) assigns the last free seat to a different
    user: exactly one wins, the others get 412, the seat count stays right."""
    for round_no in range(1, ROUNDS + 1):
        _race_for_the_last_seat(partnerd, svc_a, lic_a, dir_a, body, taken, round_no)
