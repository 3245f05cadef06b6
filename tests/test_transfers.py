"""Customer and subscription transfers between resellers.

The customer's admin makes a transfer token for the receiving reseller
(control API: POST /partnerd/v1/customers/{id}:transferToken with the
receiver's publicId). The receiver then lists the transferable subscriptions
(subscriptions.list with customerId + customerAuthToken), imports the customer
(customers.insert with customerAuthToken) and orders each subscription again
(subscriptions.insert with customerAuthToken). Add-ons (Vault, Drive storage)
move with their Workspace subscription and cannot move alone. The losing
reseller keeps only the minimal customer view and loses the subscriptions.

Reseller A is always the losing reseller and B the receiving one; every test
uses its own customer. Notifications for transfers are in
test_notifications.py.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

import pytest

from helpers import (
    assert_http_error,
    assert_response_error,
    domain_customer,
    execute_error,
)
from sub_helpers import (
    BUSINESS_STANDARD,
    BUSINESS_STARTER,
    DAY_MS,
    DAY_S,
    DRIVE_20GB,
    VAULT,
    FreshClient,
    annual,
    assert_error,
    assert_gone,
    assert_subscription,
    flexible,
    get_sub,
    ids_of,
    insert_sub,
    list_all,
    new_customer,
)

HEX_RE = re.compile(r"^[0-9a-fA-F]{16,}$")


def rfc3339_ms(value: str) -> int:
    return round(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)


def token_for_b(partnerd, customer) -> str:
    return partnerd.transfer_token(customer["customerId"], partnerd.b["publicId"])["customerAuthToken"]


def customer_body(customer) -> dict:
    return domain_customer(customer["customerDomain"])


def transfer_body(sub, seats: int | None = None) -> dict:
    """The order the receiving reseller sends: same SKU and plan."""
    plan = sub["plan"]["planName"]
    request_plan = "ANNUAL_MONTHLY_PAY" if plan == "ANNUAL" else plan
    if sub["plan"]["isCommitmentPlan"]:
        seats_body = {"numberOfSeats": seats if seats is not None else sub["seats"]["numberOfSeats"]}
    else:
        seats_body = {"maximumNumberOfSeats": seats if seats is not None else sub["seats"]["maximumNumberOfSeats"]}
    return {"skuId": sub["skuId"], "plan": {"planName": request_plan}, "seats": seats_body}


def transferable(svc, customer, token):
    return list_all(svc, customerId=customer["customerId"], customerAuthToken=token)


def import_customer(svc_b, customer, token) -> dict:
    return svc_b.customers().insert(customerAuthToken=token, body=customer_body(customer)).execute()


def assert_minimal_view(view, customer):
    assert set(view) - {"kind"} == {"customerId", "customerDomain", "customerType"}, view
    assert view["customerId"] == customer["customerId"]


# ---------------------------------------------------------------------------
# tokens
# ---------------------------------------------------------------------------


def test_transfer_token_shape(partnerd, svc_a):
    customer = new_customer(partnerd, svc_a)
    before = partnerd.now_ms()
    body = partnerd.transfer_token(customer["customerId"], partnerd.b["publicId"])
    assert HEX_RE.match(body["customerAuthToken"]), body
    expires = rfc3339_ms(body["expireTime"])
    assert abs(expires - (before + 30 * DAY_MS)) < 120_000, f"token expires {(expires - before) / DAY_MS:.3f} days out"
    # A second token is a different token.
    again = partnerd.transfer_token(customer["customerId"], partnerd.b["publicId"])
    assert again["customerAuthToken"] != body["customerAuthToken"]


@pytest.mark.parametrize("public_id", ["NOSUCHRESELLER", "", "C0zzzzzzz"])
def test_transfer_token_for_unknown_reseller_is_invalid(partnerd, svc_a, public_id):
    customer = new_customer(partnerd, svc_a)
    r = partnerd.control("POST", f"customers/{customer['customerId']}:transferToken",
                         json={"resellerPublicId": public_id})
    if public_id == "":
        assert r.status_code == 400, r.text
    else:
        assert_response_error(r, 400, "invalid", message_contains="resellerPublicId")


def test_transfer_token_needs_the_control_token(partnerd, svc_a):
    customer = new_customer(partnerd, svc_a)
    r = partnerd.raw("POST", f"/partnerd/v1/customers/{customer['customerId']}:transferToken",
                     token=partnerd.access_token(partnerd.b), json={"resellerPublicId": partnerd.b["publicId"]})
    assert r.status_code == 401, r.text


# ---------------------------------------------------------------------------
# listing transferable subscriptions
# ---------------------------------------------------------------------------


def test_receiver_lists_transferable_subscriptions(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a)
    ws = insert_sub(svc_a, customer, annual(BUSINESS_STARTER, 5))
    drive = insert_sub(svc_a, customer, flexible(DRIVE_20GB, 3))
    token = partnerd.transfer_token(customer["customerId"], partnerd.b["publicId"])

    listed = {s["subscriptionId"]: s for s in transferable(svc_b, customer, token["customerAuthToken"])}
    assert set(listed) == {ws["subscriptionId"], drive["subscriptionId"]}
    for original in (ws, drive):
        item = listed[original["subscriptionId"]]
        assert_subscription(item, transfer_listing=True)
        assert item["skuId"] == original["skuId"]
        assert item["plan"]["planName"] == original["plan"]["planName"]
        assert item["customerId"] == customer["customerId"]
        info = item["transferInfo"]
        assert info["minimumTransferableSeats"] == 1
        assert abs(int(info["transferabilityExpirationTime"]) - rfc3339_ms(token["expireTime"])) <= 1000, info
        assert "currentLegacySkuId" not in info
    assert listed[ws["subscriptionId"]]["seats"]["numberOfSeats"] == 5

    # Listing changed nothing for the current reseller.
    assert get_sub(svc_a, ws) == ws
    assert get_sub(svc_a, drive) == drive


def test_listing_without_or_with_a_bad_token_is_forbidden(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a)
    insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    token_for_a = partnerd.transfer_token(customer["customerId"], partnerd.a["publicId"])["customerAuthToken"]
    good = token_for_b(partnerd, customer)
    for token in (None, secrets.token_hex(16), token_for_a, good[:-2] + ("00" if good[-2:] != "00" else "11")):
        kwargs = {"customerId": customer["customerId"]}
        if token is not None:
            kwargs["customerAuthToken"] = token
        err = execute_error(svc_b.subscriptions().list(**kwargs))
        assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")


def test_token_is_bound_to_its_customer(partnerd, svc_a, svc_b):
    one = new_customer(partnerd, svc_a)
    other = new_customer(partnerd, svc_a)
    insert_sub(svc_a, other, flexible(BUSINESS_STARTER, 5))
    token = token_for_b(partnerd, one)
    err = execute_error(svc_b.subscriptions().list(customerId=other["customerId"], customerAuthToken=token))
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")


def test_token_expires_after_thirty_days(partnerd):
    # New clients per call: the clock jumps past the access tokens' lifetime.
    svc_a, svc_b = FreshClient(partnerd, partnerd.a), FreshClient(partnerd, partnerd.b)
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    token = partnerd.transfer_token(customer["customerId"], partnerd.b["publicId"])
    expires = rfc3339_ms(token["expireTime"])

    partnerd.advance((expires - partnerd.now_ms()) // 1000 - 3600)  # an hour before expiry
    assert ids_of(transferable(svc_b, customer, token["customerAuthToken"])) == {sub["subscriptionId"]}

    partnerd.advance(2 * 3600)  # an hour after
    err = execute_error(svc_b.subscriptions().list(customerId=customer["customerId"],
                                                   customerAuthToken=token["customerAuthToken"]))
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")
    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"],
                                                     customerAuthToken=token["customerAuthToken"],
                                                     body=transfer_body(sub)))
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")
    assert get_sub(svc_a, sub) == sub

    # A new token works again.
    fresh = token_for_b(partnerd, customer)
    assert ids_of(transferable(svc_b, customer, fresh)) == {sub["subscriptionId"]}


# ---------------------------------------------------------------------------
# executing a transfer
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body_for_a",
    [annual(BUSINESS_STANDARD, 6), annual(BUSINESS_STANDARD, 6, plan="ANNUAL_YEARLY_PAY"),
     flexible(BUSINESS_STANDARD, 6)],
    ids=["annual-monthly", "annual-yearly", "flexible"],
)
def test_full_transfer_moves_customer_and_subscription(partnerd, svc_a, svc_b, body_for_a):
    customer = new_customer(partnerd, svc_a)
    old = insert_sub(svc_a, customer, body_for_a)
    token = token_for_b(partnerd, customer)

    imported = import_customer(svc_b, customer, token)
    assert imported["customerId"] == customer["customerId"]
    assert imported["customerDomain"] == customer["customerDomain"]
    assert imported["alternateEmail"], "the receiver gets the full customer view"
    assert svc_b.customers().get(customerId=customer["customerId"]).execute()["customerId"] == customer["customerId"]
    assert "alternateEmail" in svc_b.customers().get(customerId=customer["customerId"]).execute()

    new = svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                       body=transfer_body(old)).execute()
    assert_subscription(new)
    assert new["subscriptionId"] != old["subscriptionId"]
    assert new["customerId"] == customer["customerId"]
    assert new["skuId"] == old["skuId"]
    assert new["plan"]["planName"] == old["plan"]["planName"]
    assert new["seats"] == old["seats"]
    assert get_sub(svc_b, new) == new
    assert ids_of(list_all(svc_b, customerId=customer["customerId"])) == {new["subscriptionId"]}

    # The losing reseller sees neither subscription any more, only the minimal customer.
    assert_gone(svc_a, old)
    err = execute_error(svc_a.subscriptions().get(customerId=customer["customerId"],
                                                  subscriptionId=new["subscriptionId"]))
    assert err.resp.status in (403, 404), err.content
    assert not ids_of(list_all(svc_a, customerNamePrefix=customer["customerDomain"]))
    assert_minimal_view(svc_a.customers().get(customerId=customer["customerId"]).execute(), customer)

    # The new owner manages it; the old one cannot order for it any more.
    if new["plan"]["isCommitmentPlan"]:
        changed = svc_b.subscriptions().changeSeats(
            customerId=customer["customerId"], subscriptionId=new["subscriptionId"], body={"numberOfSeats": 10}
        ).execute()
        assert changed["seats"]["numberOfSeats"] == 10
    else:
        changed = svc_b.subscriptions().changeSeats(
            customerId=customer["customerId"], subscriptionId=new["subscriptionId"],
            body={"maximumNumberOfSeats": 10}).execute()
        assert changed["seats"]["maximumNumberOfSeats"] == 10
    err = execute_error(svc_a.subscriptions().insert(customerId=customer["customerId"],
                                                     body=flexible(BUSINESS_STARTER, 1)))
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")
    err = execute_error(svc_a.subscriptions().list(customerId=customer["customerId"]))
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")


def test_transfer_moves_addons_with_workspace(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a, verified=True)
    ws = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 8))
    vault = insert_sub(svc_a, customer, flexible(VAULT, 8))
    drive = insert_sub(svc_a, customer, flexible(DRIVE_20GB, 8))
    token = token_for_b(partnerd, customer)
    assert ids_of(transferable(svc_b, customer, token)) == {ws["subscriptionId"], vault["subscriptionId"],
                                                            drive["subscriptionId"]}

    import_customer(svc_b, customer, token)
    new_ws = svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                          body=transfer_body(ws)).execute()
    assert new_ws["skuId"] == BUSINESS_STARTER

    at_b = list_all(svc_b, customerId=customer["customerId"])
    assert sorted(s["skuId"] for s in at_b) == sorted([BUSINESS_STARTER, VAULT, DRIVE_20GB])
    for s in at_b:
        assert_subscription(s)
        assert s["customerId"] == customer["customerId"]
    for old in (ws, vault, drive):
        assert_gone(svc_a, old)


def test_importing_an_existing_customer_needs_the_token(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a)
    token_for_b(partnerd, customer)
    err = execute_error(svc_b.customers().insert(body=customer_body(customer)))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")
    assert svc_a.customers().get(customerId=customer["customerId"]).execute() == customer


def test_addon_alone_cannot_be_transferred(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a, verified=True)
    ws = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 8))
    vault = insert_sub(svc_a, customer, flexible(VAULT, 8))
    token = token_for_b(partnerd, customer)
    import_customer(svc_b, customer, token)

    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                                     body=transfer_body(vault)))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, vault) == vault
    assert get_sub(svc_a, ws) == ws
    assert list_all(svc_b, customerId=customer["customerId"]) == []


def test_transfer_seats_below_minimum_is_invalid(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a)
    old = insert_sub(svc_a, customer, annual(BUSINESS_STARTER, 5))
    token = token_for_b(partnerd, customer)
    import_customer(svc_b, customer, token)
    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                                     body=transfer_body(old, seats=0)))
    assert_error(err, 400, "invalid")
    assert get_sub(svc_a, old) == old


def test_transfer_plan_follows_the_transfer_rules(partnerd, svc_a, svc_b):
    """An Annual subscription moves as Annual, or as Flexible only within 30 days of
    its term's end: the rule the Partner Sales Console's import offers is the API's."""
    customer = new_customer(partnerd, svc_a)
    old = insert_sub(svc_a, customer, annual(BUSINESS_STARTER, 5))
    token = token_for_b(partnerd, customer)
    import_customer(svc_b, customer, token)
    as_flexible = {"skuId": BUSINESS_STARTER, "plan": {"planName": "FLEXIBLE"}, "seats": {"maximumNumberOfSeats": 5}}
    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                                     body=as_flexible))
    assert_error(err, 400, "invalid", "planName")
    assert get_sub(svc_a, old) == old

    # 29 days before the term ends, Flexible is allowed (a fresh token: the first expired).
    end = int(old["plan"]["commitmentInterval"]["endTime"])
    partnerd.advance((end - 29 * DAY_MS - partnerd.now_ms()) // 1000)
    token = token_for_b(partnerd, customer)
    moved = svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                         body=as_flexible).execute()
    assert moved["plan"]["planName"] == "FLEXIBLE"
    assert_gone(svc_a, old)


def test_transfer_needs_purchase_consent_for_the_product_group(partnerd, svc_a, svc_b):
    """The customer chooses with its token which product groups move: its purchase
    consent for the receiving reseller (seed 003: consent comes first)."""
    customer = new_customer(partnerd, svc_a)
    old = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 4))
    r = partnerd.control("POST", f"customers/{customer['customerId']}:transferToken",
                         json={"resellerPublicId": partnerd.b["publicId"], "productGroups": ["Google-Apps", "Nope"]})
    assert_response_error(r, 400, "invalid", message_contains="productGroups[1]")

    vault_only = partnerd.transfer_token(customer["customerId"], partnerd.b["publicId"], ["Google-Vault"])
    token = vault_only["customerAuthToken"]
    import_customer(svc_b, customer, token)
    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                                     body=transfer_body(old)))
    assert_error(err, 412, "conditionNotMet", "purchase consent for Google Workspace")
    assert get_sub(svc_a, old) == old

    token = partnerd.transfer_token(customer["customerId"], partnerd.b["publicId"], ["Google-Apps"])
    moved = svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token["customerAuthToken"],
                                         body=transfer_body(old)).execute()
    assert moved["skuId"] == BUSINESS_STARTER
    assert_gone(svc_a, old)


def test_transfer_with_deal_code_is_invalid(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a)
    old = insert_sub(svc_a, customer, annual(BUSINESS_STARTER, 5))
    token = token_for_b(partnerd, customer)
    import_customer(svc_b, customer, token)
    body = transfer_body(old)
    body["dealCode"] = "TRANSFER-DEAL"
    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                                     body=body))
    assert_error(err, 400, "invalid", "dealCode")
    assert get_sub(svc_a, old) == old


def test_transfer_with_licensed_seats_is_invalid(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a)
    old = insert_sub(svc_a, customer, annual(BUSINESS_STARTER, 5))
    token = token_for_b(partnerd, customer)
    import_customer(svc_b, customer, token)
    body = transfer_body(old)
    body["seats"]["licensedNumberOfSeats"] = 5
    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                                     body=body))
    assert_error(err, 400, "invalid", "licensedNumberOfSeats")
    assert get_sub(svc_a, old) == old


@pytest.mark.parametrize("which", ["random", "made-for-a"])
def test_transfer_with_a_bad_token_is_forbidden(partnerd, svc_a, svc_b, which):
    customer = new_customer(partnerd, svc_a)
    old = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    good = token_for_b(partnerd, customer)
    import_customer(svc_b, customer, good)
    bad = (secrets.token_hex(16) if which == "random"
           else partnerd.transfer_token(customer["customerId"], partnerd.a["publicId"])["customerAuthToken"])
    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=bad,
                                                     body=transfer_body(old)))
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")
    assert get_sub(svc_a, old) == old


def test_transfer_of_a_sku_the_customer_does_not_hold_is_refused(partnerd, svc_a, svc_b):
    """Transfer and SKU switch cannot be combined."""
    customer = new_customer(partnerd, svc_a)
    old = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    token = token_for_b(partnerd, customer)
    import_customer(svc_b, customer, token)
    body = transfer_body(old)
    body["skuId"] = BUSINESS_STANDARD
    err = execute_error(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                                     body=body))
    assert 400 <= err.resp.status < 500, err.content
    assert get_sub(svc_a, old) == old
    assert list_all(svc_b, customerId=customer["customerId"]) == []


def test_transferred_subscription_can_come_back(partnerd, svc_a, svc_b):
    customer = new_customer(partnerd, svc_a)
    first = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    token = token_for_b(partnerd, customer)
    import_customer(svc_b, customer, token)
    at_b = svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                        body=transfer_body(first)).execute()

    back_token = partnerd.transfer_token(customer["customerId"], partnerd.a["publicId"])["customerAuthToken"]
    assert ids_of(transferable(svc_a, customer, back_token)) == {at_b["subscriptionId"]}
    svc_a.customers().insert(customerAuthToken=back_token, body=customer_body(customer)).execute()
    back = svc_a.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=back_token,
                                        body=transfer_body(at_b)).execute()
    assert back["subscriptionId"] not in (first["subscriptionId"], at_b["subscriptionId"])
    assert_gone(svc_b, at_b)
    assert ids_of(list_all(svc_a, customerId=customer["customerId"])) == {back["subscriptionId"]}
    assert_minimal_view(svc_b.customers().get(customerId=customer["customerId"]).execute(), customer)


def test_transfer_token_survives_unrelated_clock_moves(partnerd):
    """A token is valid for the whole 30 days, not only right after it was made."""
    svc_a, svc_b = FreshClient(partnerd, partnerd.a), FreshClient(partnerd, partnerd.b)
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    token = token_for_b(partnerd, customer)
    partnerd.advance(29 * DAY_S)
    import_customer(svc_b, customer, token)
    moved = svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token,
                                         body=transfer_body(sub)).execute()
    assert moved["skuId"] == BUSINESS_STARTER
    assert_gone(svc_a, sub)
