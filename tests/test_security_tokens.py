"""Tokens that must stop working, and answers that must not tell tenants apart.

- A transfer token (customerAuthToken) is spent once its transfer completes,
  dies when the customer moves to another reseller, and is superseded by a
  newer token for the same receiving reseller.
- A deleted or suspended user gets no access token, and the tokens it had stop
  working at once (and stay dead when the user comes back).
- Another tenant's users and missing ones answer alike: 403 forbidden.
- Assertions with ``nbf`` in the future, or naming ``crit`` header extensions,
  are refused (RFC 7519 §4.1.5, RFC 7515 §4.1.11).
"""

from __future__ import annotations

import time

import google.auth.crypt
import google.auth.exceptions
import google.auth.jwt
import google.auth.transport.requests
import pytest

from dir_helpers import DIR_PREFIX, DIRECTORY_SCOPES, expect_error, insert_user, quick_user_body
from helpers import (
    assert_http_error,
    assert_response_error,
    domain_customer,
    execute_error,
    load_key,
    post_assertion,
    refresh_error_code,
    signed_assertion,
)
from lic_helpers import SCOPE_LICENSING, licensing
from role_helpers import STAFF_SCOPES, directory_as, new_reseller, reseller_as
from sub_helpers import BUSINESS_STARTER, flexible, ids_of, insert_sub, list_all, new_customer

# ---------------------------------------------------------------------------
# 4. Transfer tokens are spent, superseded, and die with a move
# ---------------------------------------------------------------------------


def token_for(partnerd, customer, receiver) -> str:
    return partnerd.transfer_token(customer["customerId"], receiver["publicId"])["customerAuthToken"]


def take(svc, customer, token, sub):
    """What a receiving reseller does: import the customer, then order its subscription."""
    svc.customers().insert(customerAuthToken=token, body=domain_customer(customer["customerDomain"])).execute()
    return svc.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=token, body={
        "skuId": sub["skuId"], "plan": {"planName": "FLEXIBLE"},
        "seats": {"maximumNumberOfSeats": sub["seats"]["maximumNumberOfSeats"]}}).execute()


def refused(request):
    assert_http_error(execute_error(request), 403, "forbidden")


@pytest.fixture
def three(partnerd):
    a, b = new_reseller(partnerd, "tka"), new_reseller(partnerd, "tkb")
    return a, b, reseller_as(partnerd, a), reseller_as(partnerd, b)


def test_a_used_token_cannot_pull_the_customer_back(partnerd, three):
    a, b, svc_a, svc_b = three
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 4))
    t1 = token_for(partnerd, customer, b)
    at_b = take(svc_b, customer, t1, sub)
    t2 = token_for(partnerd, customer, a)
    back_at_a = take(svc_a, customer, t2, at_b)

    # B's first token is dead: no listing, no import, no order.
    refused(svc_b.subscriptions().list(customerId=customer["customerId"], customerAuthToken=t1))
    refused(svc_b.customers().insert(customerAuthToken=t1, body=domain_customer(customer["customerDomain"])))
    refused(svc_b.subscriptions().insert(customerId=customer["customerId"], customerAuthToken=t1, body={
        "skuId": BUSINESS_STARTER, "plan": {"planName": "FLEXIBLE"}, "seats": {"maximumNumberOfSeats": 4}}))
    assert ids_of(list_all(svc_a, customerId=customer["customerId"])) == {back_at_a["subscriptionId"]}
    assert svc_a.customers().get(customerId=customer["customerId"]).execute().get("alternateEmail")


def test_a_token_is_spent_when_its_transfer_completes(partnerd, three):
    _, b, svc_a, svc_b = three
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 4))
    t1 = token_for(partnerd, customer, b)
    take(svc_b, customer, t1, sub)
    refused(svc_b.subscriptions().list(customerId=customer["customerId"], customerAuthToken=t1))


def test_a_token_stays_good_while_its_transfer_is_under_way(partnerd, three):
    _, b, svc_a, svc_b = three
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 4))
    t1 = token_for(partnerd, customer, b)
    # Importing the customer record alone leaves the subscription to move.
    svc_b.customers().insert(customerAuthToken=t1, body=domain_customer(customer["customerDomain"])).execute()
    assert ids_of(list_all(svc_b, customerId=customer["customerId"], customerAuthToken=t1)) == {sub["subscriptionId"]}


def test_a_newer_token_supersedes_the_older_one(partnerd, three):
    _, b, svc_a, svc_b = three
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 4))
    old = token_for(partnerd, customer, b)
    new = token_for(partnerd, customer, b)
    refused(svc_b.subscriptions().list(customerId=customer["customerId"], customerAuthToken=old))
    assert ids_of(list_all(svc_b, customerId=customer["customerId"], customerAuthToken=new)) == {sub["subscriptionId"]}


def test_a_move_ends_every_other_resellers_token(partnerd, three):
    _, b, svc_a, svc_b = three
    c_rsl = new_reseller(partnerd, "tkc")
    svc_c = reseller_as(partnerd, c_rsl)
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 4))
    for_c = token_for(partnerd, customer, c_rsl)
    take(svc_b, customer, token_for(partnerd, customer, b), sub)
    refused(svc_c.subscriptions().list(customerId=customer["customerId"], customerAuthToken=for_c))


# ---------------------------------------------------------------------------
# 5. Deleted and suspended users
# ---------------------------------------------------------------------------


def staff_user(partnerd, rsl):
    admin_dir = directory_as(partnerd, rsl)
    user = insert_user(admin_dir, quick_user_body(rsl["domain"], "leaver-" + str(time.time_ns())))
    return admin_dir, user


def raw_token(partnerd, rsl, email) -> str:
    return partnerd.access_token(rsl, STAFF_SCOPES, subject=email)


def directory_get(partnerd, token, key):
    return partnerd.raw("GET", f"{DIR_PREFIX}/users/{key}", token=token)


def test_deleted_user_gets_no_token_and_loses_its_tokens(partnerd):
    rsl = new_reseller(partnerd, "del")
    admin_dir, user = staff_user(partnerd, rsl)
    token = raw_token(partnerd, rsl, user["primaryEmail"])
    # The token works (the user may not read others, but is authenticated: 403, not 401).
    assert directory_get(partnerd, token, rsl["adminEmail"]).status_code == 403
    admin_dir.users().delete(userKey=user["id"]).execute()
    assert_response_error(directory_get(partnerd, token, rsl["adminEmail"]), 401, "authError")
    r = post_assertion(partnerd.base_url, signed_assertion(rsl["keyfile"], subject=user["primaryEmail"]))
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    creds = partnerd.credentials(rsl, STAFF_SCOPES, subject=user["primaryEmail"])
    with pytest.raises(google.auth.exceptions.RefreshError) as caught:
        creds.refresh(google.auth.transport.requests.Request())
    assert refresh_error_code(caught.value) == "invalid_grant"
    # Restoring the user does not bring its old token back.
    admin_dir.users().undelete(userKey=user["id"], body={}).execute()
    assert_response_error(directory_get(partnerd, token, rsl["adminEmail"]), 401, "authError")


def test_suspended_user_loses_its_tokens_for_good(partnerd):
    rsl = new_reseller(partnerd, "susp")
    admin_dir, user = staff_user(partnerd, rsl)
    token = raw_token(partnerd, rsl, user["primaryEmail"])
    assert directory_get(partnerd, token, rsl["adminEmail"]).status_code == 403
    admin_dir.users().patch(userKey=user["id"], body={"suspended": True}).execute()
    assert_response_error(directory_get(partnerd, token, rsl["adminEmail"]), 401, "authError")
    admin_dir.users().patch(userKey=user["id"], body={"suspended": False}).execute()
    assert_response_error(directory_get(partnerd, token, rsl["adminEmail"]), 401, "authError")
    # A new token works again.
    fresh = raw_token(partnerd, rsl, user["primaryEmail"])
    assert directory_get(partnerd, fresh, rsl["adminEmail"]).status_code == 403


# ---------------------------------------------------------------------------
# 6. Another tenant's users and missing ones answer alike
# ---------------------------------------------------------------------------


def test_other_tenants_users_and_missing_ones_look_the_same(partnerd):
    owner, outsider = new_reseller(partnerd, "own"), new_reseller(partnerd, "out")
    owner_svc = reseller_as(partnerd, owner)
    customer = owner_svc.customers().insert(body=domain_customer()).execute()
    partnerd.accept_tos(customer["customerId"])
    domain = customer["customerDomain"]
    existing = insert_user(directory_as(partnerd, owner), quick_user_body(domain, "real"))

    odir = directory_as(partnerd, outsider)
    answers = []
    for key in (existing["primaryEmail"], f"missing@{domain}", "anyone@no-such-domain.example",
                owner["adminEmail"]):
        err = expect_error(odir.users().get(userKey=key), 403, "forbidden")
        answers.append(err["message"])
    assert len(set(answers)) == 1, answers

    olic = licensing(partnerd, outsider, [SCOPE_LICENSING])
    lic_answers = []
    for key in (existing["primaryEmail"], f"missing@{domain}"):
        err = execute_error(olic.licenseAssignments().get(productId="Google-Apps", skuId=BUSINESS_STARTER,
                                                          userId=key))
        assert_http_error(err, 403, "forbidden")
        lic_answers.append(err.content)
        err = execute_error(olic.licenseAssignments().insert(productId="Google-Apps", skuId=BUSINESS_STARTER,
                                                             body={"userId": key}))
        assert_http_error(err, 403, "forbidden")
    assert lic_answers[0] == lic_answers[1]

    # The owner itself still tells a missing user apart (404) from a real one.
    expect_error(directory_as(partnerd, owner).users().get(userKey=f"missing@{domain}"), 404, "notFound")
    assert directory_as(partnerd, owner, scopes=DIRECTORY_SCOPES).users().get(
        userKey=existing["primaryEmail"]).execute()["id"] == existing["id"]


# ---------------------------------------------------------------------------
# 8. JWT claims and headers RFC 7515 / 7519 make binding
# ---------------------------------------------------------------------------


def test_assertion_not_valid_yet_is_invalid_grant(partnerd):
    rsl = partnerd.a
    now = int(time.time())
    r = post_assertion(partnerd.base_url, signed_assertion(rsl["keyfile"], subject=rsl["adminEmail"],
                                                           nbf=now + 3600))
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    # A past nbf is fine.
    r = post_assertion(partnerd.base_url, signed_assertion(rsl["keyfile"], subject=rsl["adminEmail"], nbf=now - 10))
    assert r.status_code == 200, r.text


def test_assertion_with_critical_extensions_is_invalid_grant(partnerd):
    rsl = partnerd.a
    info = load_key(rsl["keyfile"])
    signer = google.auth.crypt.RSASigner.from_service_account_info(info)
    now = int(time.time())
    payload = {"iss": info["client_email"], "aud": info["token_uri"], "iat": now, "exp": now + 600,
               "scope": "https://www.googleapis.com/auth/apps.order", "sub": rsl["adminEmail"]}
    assertion = google.auth.jwt.encode(signer, payload, header={"crit": ["x-partnerd-test"], "x-partnerd-test": 1})
    r = post_assertion(partnerd.base_url, assertion)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    assert "crit" in r.json()["error_description"]
