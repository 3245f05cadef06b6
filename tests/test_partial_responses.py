"""Partial responses (Google's `fields` parameter) on the three APIs, through
google-api-python-client, which passes `fields=` on any method as Google documents:
https://developers.google.com/workspace/admin/directory/v1/guides/performance#partial-response
"""

from __future__ import annotations

import pytest

from dir_helpers import expect_error, insert_user, quick_user_body
from helpers import domain_customer
from lic_helpers import licensing
from sub_helpers import flexible, insert_sub

BUSINESS_STARTER = "1010020027"


def test_a_user_comes_back_with_only_the_fields_named(dir_a, cust):
    user = insert_user(dir_a, quick_user_body(cust["customerDomain"], "ana", given="Ana", family="Lima"))
    got = dir_a.users().get(userKey=user["id"], fields="primaryEmail,name/fullName").execute()
    assert got == {"primaryEmail": user["primaryEmail"], "name": {"fullName": "Ana Lima"}}
    got = dir_a.users().get(userKey=user["id"], fields="name(givenName,familyName),isAdmin").execute()
    assert got == {"name": {"givenName": "Ana", "familyName": "Lima"}, "isAdmin": False}
    assert dir_a.users().get(userKey=user["id"], fields="*").execute() == dir_a.users().get(
        userKey=user["id"]).execute()
    # An insert answers with the fields named too.
    made = dir_a.users().insert(body=quick_user_body(cust["customerDomain"], "bea"), fields="id").execute()
    assert list(made) == ["id"] and made["id"].isdigit()


def test_lists_select_inside_their_items_and_keep_paging(dir_a, cust):
    domain = cust["customerDomain"]
    for n in range(5):
        insert_user(dir_a, quick_user_body(domain, f"u{n}"))
    seen, token, pages = [], None, 0
    while True:
        page = dir_a.users().list(domain=domain, maxResults=2, fields="nextPageToken,users(primaryEmail)",
                                  **({"pageToken": token} if token else {})).execute()
        pages += 1
        assert set(page) <= {"nextPageToken", "users"}, page
        assert all(list(u) == ["primaryEmail"] for u in page["users"]), page
        seen += [u["primaryEmail"] for u in page["users"]]
        token = page.get("nextPageToken")
        if not token:
            break
    assert pages == 3 and sorted(seen) == [f"u{n}@{domain}" for n in range(5)]


def test_reseller_and_licensing_answers_are_narrowed(partnerd, svc_a):
    customer = svc_a.customers().insert(body=domain_customer(), fields="customerId,customerDomain").execute()
    assert set(customer) == {"customerId", "customerDomain"}
    sub = insert_sub(svc_a, {"customerId": customer["customerId"]}, flexible(BUSINESS_STARTER, 5))
    got = svc_a.subscriptions().get(customerId=customer["customerId"], subscriptionId=sub["subscriptionId"],
                                    fields="skuId,seats/maximumNumberOfSeats,plan/planName").execute()
    assert got == {"skuId": BUSINESS_STARTER, "seats": {"maximumNumberOfSeats": 5}, "plan": {"planName": "FLEXIBLE"}}
    listed = svc_a.subscriptions().list(customerId=customer["customerId"],
                                        fields="subscriptions(subscriptionId)").execute()
    assert listed == {"subscriptions": [{"subscriptionId": sub["subscriptionId"]}]}
    lic = licensing(partnerd, partnerd.a)
    held = lic.licenseAssignments().listForProductAndSku(
        productId="Google-Apps", skuId=BUSINESS_STARTER, customerId=customer["customerId"],
        fields="kind").execute()
    assert held == {"kind": "licensing#licenseAssignmentList"}


@pytest.mark.parametrize("fields,names", [
    ("primaryEmail,", "ends too early"),
    ("name(fullName", "ends too early"),
    ("name)", "name)"),
    ("a b", "a b"),
    ("primaryMail", "primaryMail"),
    ("name/nickname", "nickname"),
])
def test_a_bad_selection_is_400_invalid_parameter_and_nothing_runs(dir_a, cust, fields, names):
    err = expect_error(dir_a.users().insert(body=quick_user_body(cust["customerDomain"], "cal"), fields=fields),
                       400, "invalidParameter", names=names)
    assert err["message"].startswith("Invalid field selection"), err
    expect_error(dir_a.users().get(userKey=f"cal@{cust['customerDomain']}"), 404, "notFound")


def test_errors_are_never_narrowed(dir_a, cust):
    err = expect_error(dir_a.users().get(userKey=f"nobody@{cust['customerDomain']}", fields="primaryEmail"),
                       404, "notFound")
    assert err["message"]
