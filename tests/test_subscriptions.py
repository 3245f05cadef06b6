"""subscriptions.* through Google's official client.

Covers insert (plans, seats, limits, eligibility, duplicates, tenancy, scopes),
get, list (filters, paging, page-size limits, paging while others insert),
changeSeats, changePlan, startPaidService, changeRenewalSettings, suspend,
activate, delete (deletion types, cancel), and upgrades/downgrades between
Workspace SKUs.

Every test creates its own customer(s) whose admin has accepted the ToS (so
new subscriptions start ACTIVE) unless the test is about something else.
Time-driven behaviour (trial end, renewals) lives in test_clock_and_tos.py,
transfers in test_transfers.py, events in test_notifications.py.
"""

from __future__ import annotations

import pytest

from helpers import (
    SCOPE_ORDER_READONLY,
    assert_http_error,
    assert_response_error,
    execute_error,
    unique_domain,
)
from sub_helpers import (
    BUSINESS_PLUS,
    BUSINESS_STANDARD,
    BUSINESS_STARTER,
    CHROME,
    CLOUD_IDENTITY_FREE,
    DAY_MS,
    DRIVE_20GB,
    ENTERPRISE_ESSENTIALS,
    ENTERPRISE_PLUS,
    ENTERPRISE_STARTER,
    ESSENTIALS,
    RENEWAL_TYPES,
    FreshClient,
    SKU_NAMES,
    VAULT,
    WORKSPACE_LADDER,
    annual,
    assert_error,
    assert_gone,
    assert_one_year,
    assert_subscription,
    flexible,
    free,
    get_sub,
    ids_of,
    insert_sub,
    interval_ms,
    list_all,
    new_customer,
    raw_delete,
    trial,
)


@pytest.fixture
def cust(partnerd, svc_a):
    """A fresh domain customer of reseller A that has accepted the ToS."""
    return new_customer(partnerd, svc_a)


@pytest.fixture
def addon_cust(partnerd, svc_a):
    """A verified customer of A with a FLEXIBLE Business Starter subscription,
    ready for add-ons (Vault, Drive storage)."""
    customer = new_customer(partnerd, svc_a, verified=True)
    insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 10))
    return customer


def subs(svc):
    return svc.subscriptions()


def timed_insert(partnerd, svc, customer, body, **params):
    """Insert and return (subscription, server ms before, server ms after)."""
    before = partnerd.now_ms()
    created = insert_sub(svc, customer, body, **params)
    after = partnerd.now_ms()
    return created, before, after


# ---------------------------------------------------------------------------
# insert: the resource for each plan
# ---------------------------------------------------------------------------


def test_insert_annual_monthly_pay_returns_full_resource(partnerd, svc_a, cust):
    body = annual(BUSINESS_STARTER, 7, purchaseOrderId="PO-2024-0001", dealCode="DEAL-ABC")
    created, before, after = timed_insert(partnerd, svc_a, cust, body)

    assert_subscription(created)
    assert created["customerId"] == cust["customerId"]
    assert created["customerDomain"] == cust["customerDomain"]
    assert created["skuId"] == BUSINESS_STARTER
    assert created["skuName"] == SKU_NAMES[BUSINESS_STARTER]
    assert created["plan"]["planName"] == "ANNUAL"  # ANNUAL_MONTHLY_PAY is returned as ANNUAL
    assert created["plan"]["isCommitmentPlan"] is True
    assert created["seats"]["numberOfSeats"] == 7
    assert created["seats"]["licensedNumberOfSeats"] == 0
    assert "maximumNumberOfSeats" not in created["seats"]
    assert created["renewalSettings"] == {
        "kind": "subscriptions#renewalSettings",
        "renewalType": "RENEW_CURRENT_USERS_MONTHLY_PAY",
    }
    assert created["purchaseOrderId"] == "PO-2024-0001"
    assert created["dealCode"] == "DEAL-ABC"
    assert created["status"] == "ACTIVE"
    assert created["trialSettings"] == {"isInTrial": False}
    assert created["resourceUiUrl"].startswith(partnerd.base_url)

    creation = int(created["creationTime"])
    assert before - 1000 <= creation <= after + 1000, (before, creation, after)
    start, end = interval_ms(created)
    assert abs(start - creation) <= 1000, f"commitment starts at {start}, created at {creation}"
    assert_one_year(start, end)

    assert get_sub(svc_a, created) == created


def test_insert_annual_yearly_pay(svc_a, cust):
    created = insert_sub(svc_a, cust, annual(BUSINESS_STANDARD, 3, plan="ANNUAL_YEARLY_PAY"))
    assert_subscription(created)
    assert created["plan"]["planName"] == "ANNUAL_YEARLY_PAY"
    assert created["plan"]["isCommitmentPlan"] is True
    assert created["seats"]["numberOfSeats"] == 3
    assert created["renewalSettings"]["renewalType"] == "RENEW_CURRENT_USERS_YEARLY_PAY"
    assert_one_year(*interval_ms(created))
    assert created["skuName"] == SKU_NAMES[BUSINESS_STANDARD]


@pytest.mark.parametrize("renewal", ["AUTO_RENEW_YEARLY_PAY", "SWITCH_TO_PAY_AS_YOU_GO", "CANCEL"])
def test_insert_honours_renewal_settings(svc_a, cust, renewal):
    created = insert_sub(svc_a, cust, annual(BUSINESS_PLUS, 4, renewalSettings={"renewalType": renewal}))
    assert_subscription(created)
    assert created["renewalSettings"]["renewalType"] == renewal
    assert get_sub(svc_a, created)["renewalSettings"]["renewalType"] == renewal


def test_insert_flexible(partnerd, svc_a, cust):
    created, before, after = timed_insert(partnerd, svc_a, cust, flexible(BUSINESS_STARTER, 12))
    assert_subscription(created)
    assert created["plan"] == {"planName": "FLEXIBLE", "isCommitmentPlan": False}
    assert created["seats"]["maximumNumberOfSeats"] == 12
    assert created["seats"]["licensedNumberOfSeats"] == 0
    assert "numberOfSeats" not in created["seats"]
    assert "renewalSettings" not in created
    assert created["trialSettings"] == {"isInTrial": False}
    assert created["status"] == "ACTIVE"
    assert "purchaseOrderId" not in created and "dealCode" not in created
    assert before - 1000 <= int(created["creationTime"]) <= after + 1000
    assert get_sub(svc_a, created) == created


def test_insert_trial_ends_thirty_days_after_creation(svc_a, cust):
    created = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 10))
    assert_subscription(created)
    assert created["plan"] == {"planName": "TRIAL", "isCommitmentPlan": False}
    assert created["seats"]["maximumNumberOfSeats"] == 10
    assert created["trialSettings"]["isInTrial"] is True
    assert int(created["trialSettings"]["trialEndTime"]) == int(created["creationTime"]) + 30 * DAY_MS
    assert "renewalSettings" not in created
    assert get_sub(svc_a, created) == created


def test_chrome_trial_lasts_sixty_days(svc_a, cust):
    created = insert_sub(svc_a, cust, trial(CHROME, 3))
    assert_subscription(created)
    assert created["skuId"] == CHROME
    assert created["trialSettings"]["isInTrial"] is True
    assert int(created["trialSettings"]["trialEndTime"]) == int(created["creationTime"]) + 60 * DAY_MS


def test_chrome_annual_monthly_pay(svc_a, cust):
    created = insert_sub(svc_a, cust, annual(CHROME, 25))
    assert_subscription(created)
    assert created["plan"]["planName"] == "ANNUAL"
    assert created["seats"]["numberOfSeats"] == 25


def test_cloud_identity_free(svc_a, cust):
    created = insert_sub(svc_a, cust, free(CLOUD_IDENTITY_FREE, 50))
    assert_subscription(created)
    assert created["skuId"] == CLOUD_IDENTITY_FREE
    assert created["plan"] == {"planName": "FREE", "isCommitmentPlan": False}
    assert created["seats"]["maximumNumberOfSeats"] == 50
    assert created["trialSettings"] == {"isInTrial": False}


def test_cloud_identity_free_is_capped_at_50_seats(svc_a, cust):
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=free(CLOUD_IDENTITY_FREE, 51)))
    assert_error(err, 400, "invalid")
    assert list_all(svc_a, customerId=cust["customerId"]) == []


def test_essentials_flexible_for_domain_customer(svc_a, cust):
    created = insert_sub(svc_a, cust, flexible(ESSENTIALS, 30))
    assert_subscription(created)
    assert created["skuId"] == ESSENTIALS
    assert created["skuName"] == SKU_NAMES[ESSENTIALS]


def test_insert_by_customer_domain(svc_a, cust):
    created = insert_sub(svc_a, cust["customerDomain"].upper(), flexible(BUSINESS_STARTER, 2))
    assert created["customerId"] == cust["customerId"]
    assert created["customerDomain"] == cust["customerDomain"]
    # get works by either key, and always answers with the id.
    by_domain = subs(svc_a).get(customerId=cust["customerDomain"], subscriptionId=created["subscriptionId"]).execute()
    assert by_domain == created


def test_subscription_ids_are_unique_numeric(svc_a, partnerd):
    ids = set()
    for _ in range(4):
        customer = new_customer(partnerd, svc_a)
        for body in (flexible(BUSINESS_STARTER, 1), free(CLOUD_IDENTITY_FREE, 1)):
            ids.add(insert_sub(svc_a, customer, body)["subscriptionId"])
    assert len(ids) == 8, ids
    assert all(i.isdigit() for i in ids), ids


def test_insert_ignores_read_only_fields_on_input(svc_a, cust):
    """Round-tripping kinds and read-only fields is harmless (licensed seats aside)."""
    body = flexible(BUSINESS_STARTER, 3)
    body["kind"] = "reseller#subscription"
    body["seats"]["kind"] = "subscriptions#seats"
    created = insert_sub(svc_a, cust, body)
    assert created["kind"] == "reseller#subscription"
    assert created["seats"]["maximumNumberOfSeats"] == 3


# ---------------------------------------------------------------------------
# insert: validation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda b: b.pop("skuId"), "skuId"),
        (lambda b: b.pop("plan"), "plan"),
        (lambda b: b["plan"].pop("planName"), "planName"),
        (lambda b: b.pop("seats"), "seats"),
    ],
    ids=["skuId", "plan", "plan.planName", "seats"],
)
def test_insert_required_fields(svc_a, cust, mutate, field):
    body = flexible(BUSINESS_STARTER, 5)
    mutate(body)
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=body))
    assert_error(err, 400, "required", field)
    assert list_all(svc_a, customerId=cust["customerId"]) == []


@pytest.mark.parametrize("plan", ["ANNUAL_MONTHLY_PAY", "ANNUAL_YEARLY_PAY"])
def test_annual_needs_number_of_seats(svc_a, cust, plan):
    body = {"skuId": BUSINESS_STARTER, "plan": {"planName": plan}, "seats": {"maximumNumberOfSeats": 5}}
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=body))
    assert_error(err, 400, "required", "numberOfSeats")


@pytest.mark.parametrize("plan,sku", [("FLEXIBLE", BUSINESS_STARTER), ("TRIAL", BUSINESS_STARTER),
                                      ("FREE", CLOUD_IDENTITY_FREE)])
def test_non_annual_needs_maximum_number_of_seats(svc_a, cust, plan, sku):
    body = {"skuId": sku, "plan": {"planName": plan}, "seats": {"numberOfSeats": 5}}
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=body))
    assert_error(err, 400, "required", "maximumNumberOfSeats")


@pytest.mark.parametrize("builder", [annual, flexible, trial], ids=["annual", "flexible", "trial"])
def test_licensed_number_of_seats_is_read_only(svc_a, cust, builder):
    body = builder(BUSINESS_STARTER, 5)
    body["seats"]["licensedNumberOfSeats"] = 5
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=body))
    assert_error(err, 400, "invalid", "licensedNumberOfSeats")
    assert list_all(svc_a, customerId=cust["customerId"]) == []


@pytest.mark.parametrize("seats", [0, -1])
@pytest.mark.parametrize("builder", [annual, flexible, trial], ids=["annual", "flexible", "trial"])
def test_seats_must_be_positive(svc_a, cust, builder, seats):
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=builder(BUSINESS_STARTER, seats)))
    assert_error(err, 400, "invalid")


def test_trial_is_limited_to_ten_seats(svc_a, cust):
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=trial(BUSINESS_STARTER, 11)))
    assert_error(err, 400, "invalid")
    assert list_all(svc_a, customerId=cust["customerId"]) == []
    assert insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 10))["seats"]["maximumNumberOfSeats"] == 10


@pytest.mark.parametrize(
    "sku,plan",
    [
        (ESSENTIALS, "ANNUAL_MONTHLY_PAY"),
        (ESSENTIALS, "ANNUAL_YEARLY_PAY"),
        (ENTERPRISE_ESSENTIALS, "FLEXIBLE"),
        (ENTERPRISE_ESSENTIALS, "ANNUAL_YEARLY_PAY"),
        (CLOUD_IDENTITY_FREE, "FLEXIBLE"),
        (CLOUD_IDENTITY_FREE, "ANNUAL_MONTHLY_PAY"),
        (CLOUD_IDENTITY_FREE, "TRIAL"),
        (CHROME, "FLEXIBLE"),
        (CHROME, "ANNUAL_YEARLY_PAY"),
        (BUSINESS_STARTER, "FREE"),
        (BUSINESS_STARTER, "MONTHLY"),
        (BUSINESS_STARTER, "annual_monthly_pay"),
    ],
)
def test_plan_not_allowed_for_sku_is_invalid(svc_a, cust, sku, plan):
    seats = {"numberOfSeats": 5} if plan.upper().startswith("ANNUAL") else {"maximumNumberOfSeats": 5}
    body = {"skuId": sku, "plan": {"planName": plan}, "seats": seats}
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=body))
    assert_error(err, 400, "invalid")
    assert list_all(svc_a, customerId=cust["customerId"]) == []


@pytest.mark.parametrize(
    "sku,plan",
    [(VAULT, "ANNUAL_MONTHLY_PAY"), (VAULT, "FREE"), (DRIVE_20GB, "TRIAL"), (DRIVE_20GB, "ANNUAL_MONTHLY_PAY")],
)
def test_addon_plan_not_allowed_is_invalid(svc_a, addon_cust, sku, plan):
    seats = {"numberOfSeats": 5} if plan.startswith("ANNUAL") else {"maximumNumberOfSeats": 5}
    body = {"skuId": sku, "plan": {"planName": plan}, "seats": seats}
    err = execute_error(subs(svc_a).insert(customerId=addon_cust["customerId"], body=body))
    assert_error(err, 400, "invalid")
    assert {s["skuId"] for s in list_all(svc_a, customerId=addon_cust["customerId"])} == {BUSINESS_STARTER}


@pytest.mark.parametrize("sku", ["1010029999", "Google-Nonexistent", "", "Google-Vault-Former-Employee-X"])
def test_unknown_sku_is_invalid(svc_a, cust, sku):
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=flexible(sku, 5)))
    # An empty skuId may be reported as missing.
    if sku == "":
        assert err.resp.status == 400, err.content
    else:
        assert_error(err, 400, "invalid")


def test_purchase_order_id_max_80_chars(svc_a, partnerd):
    ok = insert_sub(svc_a, new_customer(partnerd, svc_a), flexible(BUSINESS_STARTER, 1, purchaseOrderId="P" * 80))
    assert ok["purchaseOrderId"] == "P" * 80
    customer = new_customer(partnerd, svc_a)
    err = execute_error(
        subs(svc_a).insert(customerId=customer["customerId"], body=flexible(BUSINESS_STARTER, 1, purchaseOrderId="P" * 81))
    )
    assert_error(err, 400, "invalid", "purchaseOrderId")
    assert list_all(svc_a, customerId=customer["customerId"]) == []


def test_deal_code_max_100_chars(svc_a, partnerd):
    ok = insert_sub(svc_a, new_customer(partnerd, svc_a), annual(BUSINESS_STARTER, 1, dealCode="D" * 100))
    assert ok["dealCode"] == "D" * 100
    customer = new_customer(partnerd, svc_a)
    err = execute_error(
        subs(svc_a).insert(customerId=customer["customerId"], body=annual(BUSINESS_STARTER, 1, dealCode="D" * 101))
    )
    assert_error(err, 400, "invalid", "dealCode")
    assert list_all(svc_a, customerId=customer["customerId"]) == []


# ---------------------------------------------------------------------------
# insert: eligibility, duplicates, tenancy, scopes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sku", [BUSINESS_STARTER, BUSINESS_PLUS, ENTERPRISE_PLUS])
def test_team_customer_cannot_buy_non_essentials(partnerd, svc_a, sku):
    team = new_customer(partnerd, svc_a, team=True)
    err = execute_error(subs(svc_a).insert(customerId=team["customerId"], body=flexible(sku, 5)))
    assert_error(err, 412, "conditionNotMet")
    assert list_all(svc_a, customerId=team["customerId"]) == []


def test_team_customer_can_buy_essentials(partnerd, svc_a):
    team = new_customer(partnerd, svc_a, team=True)
    created = insert_sub(svc_a, team, flexible(ESSENTIALS, 20))
    assert_subscription(created)
    assert created["skuId"] == ESSENTIALS
    assert created["status"] == "ACTIVE"


def test_team_customer_can_buy_enterprise_essentials_annual(partnerd, svc_a):
    team = new_customer(partnerd, svc_a, team=True)
    created = insert_sub(svc_a, team, annual(ENTERPRISE_ESSENTIALS, 20))
    assert_subscription(created)
    assert created["skuId"] == ENTERPRISE_ESSENTIALS
    assert created["plan"]["planName"] == "ANNUAL"


def test_vault_needs_a_verified_domain(partnerd, svc_a):
    customer = new_customer(partnerd, svc_a)
    insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    err = execute_error(subs(svc_a).insert(customerId=customer["customerId"], body=flexible(VAULT, 5)))
    assert_error(err, 412, "conditionNotMet")
    assert {s["skuId"] for s in list_all(svc_a, customerId=customer["customerId"])} == {BUSINESS_STARTER}

    partnerd.verify_domain(customer["customerId"])
    assert svc_a.customers().get(customerId=customer["customerId"]).execute()["customerDomainVerified"] is True
    vault = insert_sub(svc_a, customer, flexible(VAULT, 5))
    assert_subscription(vault)
    assert vault["skuId"] == VAULT
    assert vault["plan"]["planName"] == "FLEXIBLE"


def test_vault_trial_and_drive_storage_addons(svc_a, addon_cust):
    vault = insert_sub(svc_a, addon_cust, trial(VAULT, 5))
    assert_subscription(vault)
    assert vault["plan"]["planName"] == "TRIAL"
    drive = insert_sub(svc_a, addon_cust, flexible(DRIVE_20GB, 5))
    assert_subscription(drive)
    assert drive["skuId"] == DRIVE_20GB
    listed = list_all(svc_a, customerId=addon_cust["customerId"])
    assert {s["skuId"] for s in listed} == {BUSINESS_STARTER, VAULT, DRIVE_20GB}


@pytest.mark.parametrize(
    "first,second",
    [
        (flexible(BUSINESS_STARTER, 5), flexible(BUSINESS_STARTER, 8)),
        (flexible(BUSINESS_STARTER, 5), annual(BUSINESS_STARTER, 8)),
        (free(CLOUD_IDENTITY_FREE, 5), free(CLOUD_IDENTITY_FREE, 6)),
        (trial(CHROME, 5), annual(CHROME, 6)),
    ],
    ids=["same-plan", "other-plan", "cloud-identity", "chrome"],
)
def test_second_live_subscription_of_same_sku_is_duplicate(svc_a, cust, first, second):
    existing = insert_sub(svc_a, cust, first)
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=second))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")
    assert get_sub(svc_a, existing) == existing
    assert ids_of(list_all(svc_a, customerId=cust["customerId"])) == {existing["subscriptionId"]}


def test_sku_can_be_bought_again_after_cancel(svc_a, addon_cust):
    vault = insert_sub(svc_a, addon_cust, flexible(VAULT, 5))
    svc_a.subscriptions().delete(
        customerId=addon_cust["customerId"], subscriptionId=vault["subscriptionId"], deletionType="cancel"
    ).execute()
    again = insert_sub(svc_a, addon_cust, flexible(VAULT, 5))
    assert again["subscriptionId"] != vault["subscriptionId"]
    assert again["skuId"] == VAULT


def test_insert_for_other_resellers_customer_is_forbidden(partnerd, svc_a, svc_b):
    theirs = new_customer(partnerd, svc_b)
    for key in (theirs["customerId"], theirs["customerDomain"]):
        err = execute_error(subs(svc_a).insert(customerId=key, body=flexible(BUSINESS_STARTER, 5)))
        assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")
    assert list_all(svc_b, customerId=theirs["customerId"]) == []


def test_insert_for_unknown_customer_is_not_found(svc_a):
    for key in (unique_domain("ghost"), "C0zzzzzzz"):
        err = execute_error(subs(svc_a).insert(customerId=key, body=flexible(BUSINESS_STARTER, 5)))
        assert_http_error(err, 404, "notFound")


def test_read_only_scope_reads_but_cannot_write(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5))
    ro = partnerd.service(partnerd.a, scopes=[SCOPE_ORDER_READONLY])
    cid, sid = cust["customerId"], sub["subscriptionId"]

    assert ro.subscriptions().get(customerId=cid, subscriptionId=sid).execute() == sub
    assert ids_of(list_all(ro, customerId=cid)) == {sid}

    writes = [
        ro.subscriptions().insert(customerId=cid, body=free(CLOUD_IDENTITY_FREE, 5)),
        ro.subscriptions().changeSeats(customerId=cid, subscriptionId=sid, body={"numberOfSeats": 9}),
        ro.subscriptions().changeRenewalSettings(customerId=cid, subscriptionId=sid, body={"renewalType": "CANCEL"}),
        ro.subscriptions().changePlan(customerId=cid, subscriptionId=sid,
                                      body={"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 5}}),
        ro.subscriptions().startPaidService(customerId=cid, subscriptionId=sid),
        ro.subscriptions().suspend(customerId=cid, subscriptionId=sid),
        ro.subscriptions().activate(customerId=cid, subscriptionId=sid),
        ro.subscriptions().delete(customerId=cid, subscriptionId=sid, deletionType="cancel"),
    ]
    for request in writes:
        err = execute_error(request)
        assert_http_error(err, 403, "insufficientPermissions", "PERMISSION_DENIED")
    assert get_sub(svc_a, sub) == sub


# ---------------------------------------------------------------------------
# get
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sid", ["999999999999", "0", "abc", "1" * 40])
def test_get_unknown_subscription_is_404(svc_a, cust, sid):
    err = execute_error(subs(svc_a).get(customerId=cust["customerId"], subscriptionId=sid))
    assert_http_error(err, 404, "notFound")


def test_get_subscription_under_another_customer_is_404(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    other = new_customer(partnerd, svc_a)
    err = execute_error(subs(svc_a).get(customerId=other["customerId"], subscriptionId=sub["subscriptionId"]))
    assert_http_error(err, 404, "notFound")


def test_other_reseller_cannot_touch_a_subscription(partnerd, svc_a, svc_b, cust):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    cid, sid = cust["customerId"], sub["subscriptionId"]
    requests_b = [
        svc_b.subscriptions().get(customerId=cid, subscriptionId=sid),
        svc_b.subscriptions().changeSeats(customerId=cid, subscriptionId=sid, body={"maximumNumberOfSeats": 50}),
        svc_b.subscriptions().changePlan(customerId=cid, subscriptionId=sid,
                                         body={"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 5}}),
        svc_b.subscriptions().suspend(customerId=cid, subscriptionId=sid),
        svc_b.subscriptions().delete(customerId=cid, subscriptionId=sid, deletionType="cancel"),
    ]
    for request in requests_b:
        err = execute_error(request)
        assert err.resp.status in (403, 404), f"{request.uri}: HTTP {err.resp.status}"
        assert_http_error(err, err.resp.status, "forbidden" if err.resp.status == 403 else "notFound")
    assert get_sub(svc_a, sub) == sub


# ---------------------------------------------------------------------------
# list
# ---------------------------------------------------------------------------


def _customers_with_prefix(partnerd, svc, prefix, n, *, tos=False):
    return [new_customer(partnerd, svc, tos=tos, domain=unique_domain(prefix)) for _ in range(n)]


def test_list_by_customer_id_and_domain(partnerd, svc_a, cust):
    a = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    b = insert_sub(svc_a, cust, free(CLOUD_IDENTITY_FREE, 5))
    c = insert_sub(svc_a, cust, trial(CHROME, 5))
    noise = new_customer(partnerd, svc_a)
    insert_sub(svc_a, noise, flexible(BUSINESS_STARTER, 5))

    by_id = list_all(svc_a, customerId=cust["customerId"])
    by_domain = list_all(svc_a, customerId=cust["customerDomain"])
    assert ids_of(by_id) == {a["subscriptionId"], b["subscriptionId"], c["subscriptionId"]}
    assert ids_of(by_domain) == ids_of(by_id)
    for s in by_id:
        assert_subscription(s)
        assert s == get_sub(svc_a, s), "list item differs from get"


def test_list_of_other_resellers_customer_is_forbidden(partnerd, svc_a, svc_b):
    theirs = new_customer(partnerd, svc_b)
    insert_sub(svc_b, theirs, flexible(BUSINESS_STARTER, 5))
    for key in (theirs["customerId"], theirs["customerDomain"]):
        err = execute_error(subs(svc_a).list(customerId=key))
        assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")


def test_list_by_customer_name_prefix(partnerd, svc_a, svc_b):
    prefix = "pfx" + unique_domain("x")[2:10]
    mine = _customers_with_prefix(partnerd, svc_a, prefix, 3)
    expected = {insert_sub(svc_a, c, flexible(BUSINESS_STARTER, 2))["subscriptionId"] for c in mine}
    # Same prefix, other reseller: invisible to A.
    theirs = new_customer(partnerd, svc_b, domain=unique_domain(prefix))
    hidden = insert_sub(svc_b, theirs, flexible(BUSINESS_STARTER, 2))
    # A longer, non-matching domain of A.
    decoy = new_customer(partnerd, svc_a, domain="not" + unique_domain(prefix))
    insert_sub(svc_a, decoy, flexible(BUSINESS_STARTER, 2))

    listed = list_all(svc_a, customerNamePrefix=prefix)
    assert ids_of(listed) == expected
    assert all(s["customerDomain"].startswith(prefix) for s in listed)

    # A longer prefix narrows to one customer.
    one = mine[0]["customerDomain"][: len(prefix) + 8]
    assert {s["customerDomain"] for s in list_all(svc_a, customerNamePrefix=one)} == {mine[0]["customerDomain"]}
    assert ids_of(list_all(svc_b, customerNamePrefix=prefix)) == {hidden["subscriptionId"]}


def test_customer_name_prefix_ignores_case(partnerd, svc_a):
    prefix = "ci" + unique_domain("x")[2:10]
    customer = new_customer(partnerd, svc_a, domain=unique_domain(prefix))
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 1))
    assert ids_of(list_all(svc_a, customerNamePrefix=prefix.upper())) == {sub["subscriptionId"]}


def test_unfiltered_list_shows_only_own_subscriptions(partnerd, svc_a, svc_b):
    mine = insert_sub(svc_a, new_customer(partnerd, svc_a), flexible(BUSINESS_STARTER, 1))
    theirs = insert_sub(svc_b, new_customer(partnerd, svc_b), flexible(BUSINESS_STARTER, 1))
    all_a = list_all(svc_a, page_size=100)
    all_b = list_all(svc_b, page_size=100)
    assert mine["subscriptionId"] in ids_of(all_a)
    assert theirs["subscriptionId"] not in ids_of(all_a)
    assert theirs["subscriptionId"] in ids_of(all_b)
    assert mine["subscriptionId"] not in ids_of(all_b)
    assert not ids_of(all_a) & ids_of(all_b)


def test_list_default_page_size_is_20(partnerd, svc_a):
    prefix = "dps" + unique_domain("x")[2:10]
    customers = _customers_with_prefix(partnerd, svc_a, prefix, 21)
    expected = {insert_sub(svc_a, c, flexible(BUSINESS_STARTER, 1))["subscriptionId"] for c in customers}

    first = subs(svc_a).list(customerNamePrefix=prefix).execute()
    assert len(first["subscriptions"]) == 20
    assert first.get("nextPageToken")
    second = subs(svc_a).list(customerNamePrefix=prefix, pageToken=first["nextPageToken"]).execute()
    assert len(second["subscriptions"]) == 1
    assert not second.get("nextPageToken")
    assert ids_of(first["subscriptions"]) | ids_of(second["subscriptions"]) == expected


@pytest.mark.parametrize("page_size", [1, 2, 3, 7, 100])
def test_paging_returns_each_subscription_once(partnerd, svc_a, page_size):
    prefix = "pg" + unique_domain("x")[2:10]
    expected = set()
    for c in _customers_with_prefix(partnerd, svc_a, prefix, 4):
        expected.add(insert_sub(svc_a, c, flexible(BUSINESS_STARTER, 1))["subscriptionId"])
        expected.add(insert_sub(svc_a, c, free(CLOUD_IDENTITY_FREE, 1))["subscriptionId"])
    listed = list_all(svc_a, page_size=page_size, customerNamePrefix=prefix)
    assert ids_of(listed) == expected
    assert len(listed) == 8


def test_exact_multiple_of_page_size_ends_cleanly(partnerd, svc_a):
    prefix = "em" + unique_domain("x")[2:10]
    expected = {insert_sub(svc_a, c, flexible(BUSINESS_STARTER, 1))["subscriptionId"]
                for c in _customers_with_prefix(partnerd, svc_a, prefix, 4)}
    first = subs(svc_a).list(customerNamePrefix=prefix, maxResults=2).execute()
    assert len(first["subscriptions"]) == 2 and first.get("nextPageToken")
    second = subs(svc_a).list(customerNamePrefix=prefix, maxResults=2, pageToken=first["nextPageToken"]).execute()
    assert len(second["subscriptions"]) == 2
    token = second.get("nextPageToken")
    if token:  # an empty last page is acceptable, nothing more
        third = subs(svc_a).list(customerNamePrefix=prefix, maxResults=2, pageToken=token).execute()
        assert third.get("subscriptions", []) == [] and not third.get("nextPageToken")
    assert ids_of(first["subscriptions"]) | ids_of(second["subscriptions"]) == expected


@pytest.mark.parametrize("max_results", [0, 101, -1])
def test_list_max_results_out_of_range_is_invalid(svc_a, max_results):
    err = execute_error(subs(svc_a).list(maxResults=max_results))
    assert_error(err, 400, "invalid", "maxResults")


@pytest.mark.parametrize("token", ["garbage", "0", "AAAA", "eyJvZmZzZXQiOjB9", "%%%"])
def test_garbage_page_token_is_invalid(svc_a, token):
    err = execute_error(subs(svc_a).list(pageToken=token))
    assert_error(err, 400, "invalid")


def test_list_empty_customer_has_no_subscriptions(svc_a, cust):
    page = subs(svc_a).list(customerId=cust["customerId"]).execute()
    assert page["kind"] == "reseller#subscriptions"
    assert page.get("subscriptions", []) == []
    assert not page.get("nextPageToken")


def test_paging_is_stable_while_others_insert(partnerd, svc_a):
    prefix = "cc" + unique_domain("x")[2:10]
    originals = set()
    for c in _customers_with_prefix(partnerd, svc_a, prefix, 4):
        originals.add(insert_sub(svc_a, c, flexible(BUSINESS_STARTER, 1))["subscriptionId"])
        originals.add(insert_sub(svc_a, c, free(CLOUD_IDENTITY_FREE, 1))["subscriptionId"])

    seen: list[str] = []
    token = None
    added = set()
    for _ in range(50):
        kwargs = {"customerNamePrefix": prefix, "maxResults": 3}
        if token:
            kwargs["pageToken"] = token
        page = subs(svc_a).list(**kwargs).execute()
        seen.extend(s["subscriptionId"] for s in page.get("subscriptions", []))
        token = page.get("nextPageToken")
        if not token:
            break
        # Someone else creates more matching subscriptions between our pages.
        newcomer = new_customer(partnerd, svc_a, tos=False, domain=unique_domain(prefix))
        added.add(insert_sub(svc_a, newcomer, flexible(BUSINESS_STARTER, 1))["subscriptionId"])
    else:
        raise AssertionError("paging never ended")
    dupes = {i for i in seen if seen.count(i) > 1}
    assert not dupes, f"repeated across pages: {dupes}"
    missing = originals - set(seen)
    assert not missing, f"skipped while others inserted: {missing}"
    assert set(seen) <= originals | added


def test_cancelled_subscriptions_are_not_listed_suspended_ones_are(svc_a, addon_cust):
    vault = insert_sub(svc_a, addon_cust, flexible(VAULT, 5))
    drive = insert_sub(svc_a, addon_cust, flexible(DRIVE_20GB, 5))
    svc_a.subscriptions().suspend(customerId=addon_cust["customerId"], subscriptionId=drive["subscriptionId"]).execute()
    svc_a.subscriptions().delete(
        customerId=addon_cust["customerId"], subscriptionId=vault["subscriptionId"], deletionType="cancel"
    ).execute()
    listed = {s["subscriptionId"]: s for s in list_all(svc_a, customerId=addon_cust["customerId"])}
    assert vault["subscriptionId"] not in listed
    assert listed[drive["subscriptionId"]]["status"] == "SUSPENDED"
    assert listed[drive["subscriptionId"]]["suspensionReasons"] == ["RESELLER_INITIATED"]


# ---------------------------------------------------------------------------
# changeSeats
# ---------------------------------------------------------------------------


def change_seats(svc, sub, **seats):
    return svc.subscriptions().changeSeats(
        customerId=sub["customerId"], subscriptionId=sub["subscriptionId"], body=seats
    ).execute()


def change_seats_error(svc, sub, **seats):
    return execute_error(svc.subscriptions().changeSeats(
        customerId=sub["customerId"], subscriptionId=sub["subscriptionId"], body=seats
    ))


def test_change_seats_annual_increase(svc_a, cust):
    sub = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5))
    changed = change_seats(svc_a, sub, numberOfSeats=9)
    assert_subscription(changed)
    assert changed["subscriptionId"] == sub["subscriptionId"]
    assert changed["seats"]["numberOfSeats"] == 9
    assert changed["plan"] == sub["plan"], "the commitment must not move"
    assert changed["renewalSettings"] == sub["renewalSettings"]
    assert get_sub(svc_a, sub) == changed
    # The same value again is not a decrease.
    assert change_seats(svc_a, sub, numberOfSeats=9)["seats"]["numberOfSeats"] == 9


def test_change_seats_annual_cannot_decrease(svc_a, cust):
    sub = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5))
    assert_error(change_seats_error(svc_a, sub, numberOfSeats=4), 400, "invalid")
    assert get_sub(svc_a, sub)["seats"]["numberOfSeats"] == 5


def test_change_seats_annual_needs_number_of_seats(svc_a, cust):
    """maximumNumberOfSeats alone on an annual plan is Google's "incorrect seat parameter"
    (400 invalid); neither field is 400 required."""
    sub = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5))
    assert_error(change_seats_error(svc_a, sub, maximumNumberOfSeats=10), 400, "invalid", "numberOfSeats")
    assert_error(change_seats_error(svc_a, sub), 400, "required", "numberOfSeats")
    assert get_sub(svc_a, sub) == sub


@pytest.mark.parametrize("builder", [annual, flexible, trial], ids=["annual", "flexible", "trial"])
def test_change_seats_rejects_licensed_number_of_seats(svc_a, cust, builder):
    sub = insert_sub(svc_a, cust, builder(BUSINESS_STARTER, 5))
    field = "numberOfSeats" if builder is annual else "maximumNumberOfSeats"
    err = change_seats_error(svc_a, sub, **{field: 6, "licensedNumberOfSeats": 6})
    assert_error(err, 400, "invalid", "licensedNumberOfSeats")
    assert get_sub(svc_a, sub) == sub


def test_change_seats_flexible_up_and_down(svc_a, cust):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    up = change_seats(svc_a, sub, maximumNumberOfSeats=50)
    assert_subscription(up)
    assert up["seats"]["maximumNumberOfSeats"] == 50
    down = change_seats(svc_a, sub, maximumNumberOfSeats=1)
    assert down["seats"]["maximumNumberOfSeats"] == 1
    assert get_sub(svc_a, sub)["seats"]["maximumNumberOfSeats"] == 1
    assert down["plan"] == {"planName": "FLEXIBLE", "isCommitmentPlan": False}


@pytest.mark.parametrize("value", [0, -3])
def test_change_seats_flexible_below_one_is_invalid(svc_a, cust, value):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    assert_error(change_seats_error(svc_a, sub, maximumNumberOfSeats=value), 400, "invalid")
    assert get_sub(svc_a, sub)["seats"]["maximumNumberOfSeats"] == 5


def test_change_seats_flexible_needs_maximum_number_of_seats(svc_a, cust):
    """numberOfSeats is the annual plans' field: on FLEXIBLE it is the "incorrect seat
    parameter" of Google's changeSeats errors, 400 invalid; sending neither is 400 required."""
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    assert_error(change_seats_error(svc_a, sub, numberOfSeats=10), 400, "invalid", "maximumNumberOfSeats")
    assert_error(change_seats_error(svc_a, sub), 400, "required", "maximumNumberOfSeats")
    assert get_sub(svc_a, sub) == sub


def test_change_seats_trial_capped_at_ten(svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 5))
    assert change_seats(svc_a, sub, maximumNumberOfSeats=10)["seats"]["maximumNumberOfSeats"] == 10
    assert_error(change_seats_error(svc_a, sub, maximumNumberOfSeats=11), 400, "invalid")
    assert change_seats(svc_a, sub, maximumNumberOfSeats=2)["seats"]["maximumNumberOfSeats"] == 2
    after = get_sub(svc_a, sub)
    assert after["seats"]["maximumNumberOfSeats"] == 2
    assert after["trialSettings"] == sub["trialSettings"]


def test_change_seats_cloud_identity_never_exceeds_50(svc_a, cust):
    """Whether a FREE plan's cap may be changed at all is not pinned down;
    going above 50 must fail either way."""
    sub = insert_sub(svc_a, cust, free(CLOUD_IDENTITY_FREE, 10))
    err = change_seats_error(svc_a, sub, maximumNumberOfSeats=51)
    assert err.resp.status in (400, 412), err.content
    assert get_sub(svc_a, sub)["seats"]["maximumNumberOfSeats"] == 10


@pytest.mark.parametrize("builder", [annual, flexible], ids=["annual", "flexible"])
def test_change_seats_on_suspended_subscription_is_bad_request(svc_a, cust, builder):
    sub = insert_sub(svc_a, cust, builder(BUSINESS_STARTER, 5))
    subs(svc_a).suspend(customerId=cust["customerId"], subscriptionId=sub["subscriptionId"]).execute()
    field = "numberOfSeats" if builder is annual else "maximumNumberOfSeats"
    assert_error(change_seats_error(svc_a, sub, **{field: 8}), 400, "badRequest")
    assert get_sub(svc_a, sub)["seats"][field] == 5


def test_change_seats_pending_tos_is_bad_request(partnerd, svc_a):
    customer = new_customer(partnerd, svc_a, tos=False)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    assert sub["status"] == "SUSPENDED"
    assert_error(change_seats_error(svc_a, sub, maximumNumberOfSeats=8), 400, "badRequest")


def test_change_seats_unknown_subscription_is_404(svc_a, cust):
    err = execute_error(subs(svc_a).changeSeats(
        customerId=cust["customerId"], subscriptionId="987654321098", body={"maximumNumberOfSeats": 3}))
    assert_http_error(err, 404, "notFound")


# ---------------------------------------------------------------------------
# changePlan / startPaidService
# ---------------------------------------------------------------------------


def change_plan(svc, sub, body):
    return svc.subscriptions().changePlan(
        customerId=sub["customerId"], subscriptionId=sub["subscriptionId"], body=body
    ).execute()


def change_plan_error(svc, sub, body):
    return execute_error(svc.subscriptions().changePlan(
        customerId=sub["customerId"], subscriptionId=sub["subscriptionId"], body=body
    ))


def start_paid(svc, sub):
    return svc.subscriptions().startPaidService(
        customerId=sub["customerId"], subscriptionId=sub["subscriptionId"]
    ).execute()


@pytest.mark.parametrize(
    "plan,returned,renewal",
    [
        ("ANNUAL_MONTHLY_PAY", "ANNUAL", "RENEW_CURRENT_USERS_MONTHLY_PAY"),
        ("ANNUAL_YEARLY_PAY", "ANNUAL_YEARLY_PAY", "RENEW_CURRENT_USERS_YEARLY_PAY"),
    ],
)
def test_change_plan_flexible_to_annual_applies_now(partnerd, svc_a, cust, plan, returned, renewal):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STANDARD, 5))
    before = partnerd.now_ms()
    changed = change_plan(svc_a, sub, {
        "planName": plan, "seats": {"numberOfSeats": 12},
        "purchaseOrderId": "PO-CHANGE", "dealCode": "DEAL-CHANGE",
    })
    after = partnerd.now_ms()
    assert_subscription(changed)
    assert changed["subscriptionId"] == sub["subscriptionId"]
    assert changed["creationTime"] == sub["creationTime"]
    assert changed["plan"]["planName"] == returned
    assert changed["plan"]["isCommitmentPlan"] is True
    start, end = interval_ms(changed)
    assert before - 1000 <= start <= after + 1000
    assert_one_year(start, end)
    assert changed["seats"]["numberOfSeats"] == 12
    assert "maximumNumberOfSeats" not in changed["seats"]
    assert changed["renewalSettings"]["renewalType"] == renewal
    assert changed["purchaseOrderId"] == "PO-CHANGE"
    assert changed["dealCode"] == "DEAL-CHANGE"
    assert get_sub(svc_a, sub) == changed


@pytest.mark.parametrize("plan", ["ANNUAL_MONTHLY_PAY", "ANNUAL_YEARLY_PAY"])
def test_change_plan_from_annual_is_condition_not_met(svc_a, cust, plan):
    sub = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5, plan=plan))
    for body in (
        {"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 5}},
        {"planName": "ANNUAL_YEARLY_PAY" if plan == "ANNUAL_MONTHLY_PAY" else "ANNUAL_MONTHLY_PAY",
         "seats": {"numberOfSeats": 5}},
    ):
        assert_error(change_plan_error(svc_a, sub, body), 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == sub


@pytest.mark.parametrize("target", ["TRIAL", "FREE", "MONTHLY"])
def test_change_plan_to_non_paid_or_unknown_plan_is_invalid(svc_a, cust, target):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    body = {"planName": target, "seats": {"maximumNumberOfSeats": 5}}
    assert_error(change_plan_error(svc_a, sub, body), 400, "invalid")
    assert get_sub(svc_a, sub) == sub


@pytest.mark.parametrize("sku", [VAULT, DRIVE_20GB])
def test_change_plan_to_plan_not_allowed_for_sku_is_invalid(svc_a, addon_cust, sku):
    sub = insert_sub(svc_a, addon_cust, flexible(sku, 5))
    err = change_plan_error(svc_a, sub, {"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 5}})
    assert_error(err, 400, "invalid")
    assert get_sub(svc_a, sub) == sub


def test_change_plan_on_chrome_trial_respects_the_sku_plans(svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(CHROME, 5))
    err = change_plan_error(svc_a, sub, {"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 5}})
    assert_error(err, 400, "invalid")
    assert get_sub(svc_a, sub) == sub
    ok = change_plan(svc_a, sub, {"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 5}})
    assert ok["plan"]["planName"] == "TRIAL"
    paid = start_paid(svc_a, sub)
    assert paid["plan"]["planName"] == "ANNUAL"
    assert paid["seats"]["numberOfSeats"] == 5


def test_change_plan_essentials_to_annual_is_invalid(svc_a, cust):
    sub = insert_sub(svc_a, cust, flexible(ESSENTIALS, 5))
    err = change_plan_error(svc_a, sub, {"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 5}})
    assert_error(err, 400, "invalid")
    assert get_sub(svc_a, sub) == sub


@pytest.mark.parametrize(
    "body,field",
    [
        ({"seats": {"numberOfSeats": 5}}, "planName"),
        ({"planName": "ANNUAL_MONTHLY_PAY"}, "seats"),
        ({"planName": "ANNUAL_MONTHLY_PAY", "seats": {"maximumNumberOfSeats": 5}}, "numberOfSeats"),
    ],
    ids=["no-planName", "no-seats", "annual-without-numberOfSeats"],
)
def test_change_plan_required_fields(svc_a, cust, body, field):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    assert_error(change_plan_error(svc_a, sub, body), 400, "required", field)
    assert get_sub(svc_a, sub) == sub


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"purchaseOrderId": "P" * 81}, "purchaseOrderId"),
        ({"dealCode": "D" * 101}, "dealCode"),
        ({"seats": {"numberOfSeats": 5, "licensedNumberOfSeats": 5}}, "licensedNumberOfSeats"),
        ({"seats": {"numberOfSeats": 0}}, None),
    ],
    ids=["long-po", "long-deal", "licensed", "zero-seats"],
)
def test_change_plan_validation(svc_a, cust, extra, field):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    body = {"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 5}}
    body.update(extra)
    assert_error(change_plan_error(svc_a, sub, body), 400, "invalid", field)
    assert get_sub(svc_a, sub) == sub


def test_change_plan_on_trial_only_records_the_plan(svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 5))
    changed = change_plan(svc_a, sub, {"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 8}})
    assert_subscription(changed)
    assert changed["plan"] == {"planName": "TRIAL", "isCommitmentPlan": False}
    assert changed["trialSettings"] == sub["trialSettings"]
    assert changed["trialSettings"]["isInTrial"] is True
    assert get_sub(svc_a, sub)["plan"]["planName"] == "TRIAL"
    # Repeatable during the trial.
    again = change_plan(svc_a, sub, {"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 6}})
    assert again["plan"]["planName"] == "TRIAL"
    assert again["trialSettings"]["isInTrial"] is True


def test_start_paid_service_after_change_plan_to_flexible(svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 5))
    change_plan(svc_a, sub, {"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 8}})
    paid = start_paid(svc_a, sub)
    assert_subscription(paid)
    assert paid["subscriptionId"] == sub["subscriptionId"]
    assert paid["plan"] == {"planName": "FLEXIBLE", "isCommitmentPlan": False}
    assert paid["seats"]["maximumNumberOfSeats"] == 8
    assert paid["trialSettings"] == {"isInTrial": False, "trialEndTime": sub["trialSettings"]["trialEndTime"]}
    assert paid["status"] == "ACTIVE"
    assert get_sub(svc_a, sub) == paid
    # No longer in trial: the 10-seat cap is gone.
    assert change_seats(svc_a, sub, maximumNumberOfSeats=40)["seats"]["maximumNumberOfSeats"] == 40


def test_start_paid_service_after_change_plan_to_annual(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_PLUS, 5))
    change_plan(svc_a, sub, {"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 9},
                             "purchaseOrderId": "PO-TRIAL"})
    before = partnerd.now_ms()
    paid = start_paid(svc_a, sub)
    after = partnerd.now_ms()
    assert_subscription(paid)
    assert paid["plan"]["planName"] == "ANNUAL"
    assert paid["seats"]["numberOfSeats"] == 9
    start, end = interval_ms(paid)
    assert before - 1000 <= start <= after + 1000
    assert_one_year(start, end)
    assert paid["renewalSettings"]["renewalType"] == "RENEW_CURRENT_USERS_MONTHLY_PAY"
    assert paid["trialSettings"]["isInTrial"] is False
    assert paid["trialSettings"]["trialEndTime"] == sub["trialSettings"]["trialEndTime"]
    assert paid["purchaseOrderId"] == "PO-TRIAL"


def test_start_paid_service_takes_the_last_recorded_plan(svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 5))
    change_plan(svc_a, sub, {"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 9}})
    change_plan(svc_a, sub, {"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 7}})
    paid = start_paid(svc_a, sub)
    assert paid["plan"]["planName"] == "FLEXIBLE"
    assert paid["seats"]["maximumNumberOfSeats"] == 7


@pytest.mark.parametrize("builder", [trial, flexible, annual, free], ids=["trial-no-plan", "flexible", "annual", "free"])
def test_start_paid_service_without_chosen_plan_is_condition_not_met(svc_a, cust, builder):
    sku = CLOUD_IDENTITY_FREE if builder is free else BUSINESS_STARTER
    sub = insert_sub(svc_a, cust, builder(sku, 5))
    assert_error(execute_error(subs(svc_a).startPaidService(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"])), 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == sub


def test_start_paid_service_twice_is_condition_not_met(svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 5))
    change_plan(svc_a, sub, {"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 5}})
    paid = start_paid(svc_a, sub)
    assert_error(execute_error(subs(svc_a).startPaidService(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"])), 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == paid


# ---------------------------------------------------------------------------
# changeRenewalSettings
# ---------------------------------------------------------------------------


def change_renewal(svc, sub, body):
    return svc.subscriptions().changeRenewalSettings(
        customerId=sub["customerId"], subscriptionId=sub["subscriptionId"], body=body
    ).execute()


@pytest.mark.parametrize("renewal", RENEWAL_TYPES)
@pytest.mark.parametrize("plan", ["ANNUAL_MONTHLY_PAY", "ANNUAL_YEARLY_PAY"])
def test_change_renewal_settings_on_annual(svc_a, cust, plan, renewal):
    sub = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5, plan=plan))
    changed = change_renewal(svc_a, sub, {"renewalType": renewal})
    assert_subscription(changed)
    assert changed["renewalSettings"] == {"kind": "subscriptions#renewalSettings", "renewalType": renewal}
    assert changed["plan"] == sub["plan"]
    assert changed["seats"] == sub["seats"]
    assert get_sub(svc_a, sub) == changed


@pytest.mark.parametrize("builder", [flexible, trial, free], ids=["flexible", "trial", "free"])
def test_change_renewal_settings_on_non_annual_is_condition_not_met(svc_a, cust, builder):
    sku = CLOUD_IDENTITY_FREE if builder is free else BUSINESS_STARTER
    sub = insert_sub(svc_a, cust, builder(sku, 5))
    err = execute_error(subs(svc_a).changeRenewalSettings(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"],
        body={"renewalType": "AUTO_RENEW_MONTHLY_PAY"}))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == sub


@pytest.mark.parametrize("value", ["RENEW_FOREVER", "AUTO_RENEW", "cancel", ""])
def test_unknown_renewal_type_is_invalid(svc_a, cust, value):
    sub = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5))
    err = execute_error(subs(svc_a).changeRenewalSettings(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"], body={"renewalType": value}))
    if value == "":
        assert err.resp.status == 400, err.content  # empty may be reported as missing
    else:
        assert_error(err, 400, "invalid", "renewalType")
    assert get_sub(svc_a, sub) == sub


# ---------------------------------------------------------------------------
# suspend / activate
# ---------------------------------------------------------------------------


def suspend(svc, sub):
    return svc.subscriptions().suspend(customerId=sub["customerId"], subscriptionId=sub["subscriptionId"]).execute()


def activate(svc, sub):
    return svc.subscriptions().activate(customerId=sub["customerId"], subscriptionId=sub["subscriptionId"]).execute()


@pytest.mark.parametrize("builder", [flexible, annual], ids=["flexible", "annual"])
def test_suspend_and_activate(svc_a, cust, builder):
    sub = insert_sub(svc_a, cust, builder(BUSINESS_STARTER, 5))
    suspended = suspend(svc_a, sub)
    assert_subscription(suspended)
    assert suspended["status"] == "SUSPENDED"
    assert suspended["suspensionReasons"] == ["RESELLER_INITIATED"]
    assert suspended["plan"] == sub["plan"], "suspension must not move the commitment"
    assert suspended["seats"] == sub["seats"]
    assert get_sub(svc_a, sub) == suspended

    # Suspending again is a no-op.
    again = suspend(svc_a, sub)
    assert again == suspended

    active = activate(svc_a, sub)
    assert_subscription(active)
    assert active["status"] == "ACTIVE"
    assert "suspensionReasons" not in active
    assert active["plan"] == sub["plan"]
    assert get_sub(svc_a, sub) == active == sub


def test_activate_active_subscription_is_condition_not_met(svc_a, cust):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    err = execute_error(subs(svc_a).activate(customerId=cust["customerId"], subscriptionId=sub["subscriptionId"]))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == sub


@pytest.mark.parametrize("builder,sku", [(trial, BUSINESS_STARTER), (trial, CHROME), (free, CLOUD_IDENTITY_FREE)],
                         ids=["trial", "chrome-trial", "free"])
def test_suspend_trial_or_free_is_condition_not_met(svc_a, cust, builder, sku):
    sub = insert_sub(svc_a, cust, builder(sku, 5))
    err = execute_error(subs(svc_a).suspend(customerId=cust["customerId"], subscriptionId=sub["subscriptionId"]))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == sub


def test_suspend_and_activate_when_suspended_for_tos_only(partnerd, svc_a):
    customer = new_customer(partnerd, svc_a, tos=False)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    assert sub["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"]
    err = execute_error(subs(svc_a).suspend(customerId=customer["customerId"], subscriptionId=sub["subscriptionId"]))
    assert_error(err, 400, "badRequest")
    err = execute_error(subs(svc_a).activate(customerId=customer["customerId"], subscriptionId=sub["subscriptionId"]))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == sub


# ---------------------------------------------------------------------------
# delete
# ---------------------------------------------------------------------------


def test_delete_requires_deletion_type(partnerd, svc_a, addon_cust):
    vault = insert_sub(svc_a, addon_cust, flexible(VAULT, 5))
    r = raw_delete(partnerd, partnerd.a, vault, None)
    assert_response_error(r, 400, "required", message_contains="deletionType")
    assert get_sub(svc_a, vault) == vault


@pytest.mark.parametrize("deletion_type", ["downgrade", "suspend", "bogus", "CANCEL", "Cancel"])
def test_delete_with_unknown_or_legacy_deletion_type_is_invalid(partnerd, svc_a, addon_cust, deletion_type):
    vault = insert_sub(svc_a, addon_cust, flexible(VAULT, 5))
    r = raw_delete(partnerd, partnerd.a, vault, deletion_type)
    assert_response_error(r, 400, "invalid", message_contains="deletionType")
    assert get_sub(svc_a, vault) == vault


def test_delete_with_deletion_type_undefined_is_invalid(svc_a, addon_cust):
    vault = insert_sub(svc_a, addon_cust, flexible(VAULT, 5))
    err = execute_error(subs(svc_a).delete(
        customerId=addon_cust["customerId"], subscriptionId=vault["subscriptionId"],
        deletionType="deletion_type_undefined"))
    assert_error(err, 400, "invalid", "deletionType")
    assert get_sub(svc_a, vault) == vault


@pytest.mark.parametrize("builder", [flexible, annual, trial], ids=["flexible", "annual", "trial"])
def test_cancel_workspace_subscription_is_condition_not_met(svc_a, cust, builder):
    sub = insert_sub(svc_a, cust, builder(BUSINESS_STARTER, 5))
    err = execute_error(subs(svc_a).delete(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"], deletionType="cancel"))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == sub


@pytest.mark.parametrize(
    "sku,builder",
    [(VAULT, flexible), (VAULT, trial), (DRIVE_20GB, flexible), (CLOUD_IDENTITY_FREE, free),
     (CHROME, annual), (CHROME, trial)],
    ids=["vault", "vault-trial", "drive", "cloud-identity", "chrome-annual", "chrome-trial"],
)
def test_cancel_non_workspace_subscription(svc_a, addon_cust, sku, builder):
    sub = insert_sub(svc_a, addon_cust, builder(sku, 5))
    result = subs(svc_a).delete(
        customerId=addon_cust["customerId"], subscriptionId=sub["subscriptionId"], deletionType="cancel"
    ).execute()
    assert result in ("", None, {}), f"delete answered a body: {result!r}"
    assert_gone(svc_a, sub)
    listed = list_all(svc_a, customerId=addon_cust["customerId"])
    assert sub["subscriptionId"] not in ids_of(listed)
    assert {s["skuId"] for s in listed} == {BUSINESS_STARTER}
    # Gone from the unfiltered listing too.
    assert sub["subscriptionId"] not in ids_of(list_all(svc_a, page_size=100, customerNamePrefix=addon_cust["customerDomain"]))
    # Deleting it again: it does not exist any more.
    err = execute_error(subs(svc_a).delete(
        customerId=addon_cust["customerId"], subscriptionId=sub["subscriptionId"], deletionType="cancel"))
    assert_http_error(err, 404, "notFound")


def test_transfer_to_direct_without_super_admin_is_condition_not_met(svc_a, cust):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    err = execute_error(subs(svc_a).delete(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"], deletionType="transfer_to_direct"))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == sub


def test_delete_unknown_subscription_is_404(svc_a, cust):
    err = execute_error(subs(svc_a).delete(customerId=cust["customerId"], subscriptionId="123456789012",
                                           deletionType="cancel"))
    assert_http_error(err, 404, "notFound")


# ---------------------------------------------------------------------------
# upgrades and downgrades
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", [None, "actionUnspecified", "switch"])
def test_flexible_upgrade_replaces_the_subscription(svc_a, cust, action):
    old = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 6))
    params = {}
    if action:
        params["action"] = action
    if action == "switch":
        params["sourceSkuId"] = BUSINESS_STARTER
    new = insert_sub(svc_a, cust, flexible(BUSINESS_STANDARD, 6), **params)
    assert_subscription(new)
    assert new["skuId"] == BUSINESS_STANDARD
    assert new["subscriptionId"] != old["subscriptionId"]
    assert new["plan"] == {"planName": "FLEXIBLE", "isCommitmentPlan": False}
    assert new["seats"]["maximumNumberOfSeats"] == 6
    assert new["status"] == "ACTIVE"
    assert_gone(svc_a, old)
    assert ids_of(list_all(svc_a, customerId=cust["customerId"])) == {new["subscriptionId"]}


def test_flexible_can_go_up_and_down_the_ladder(svc_a, cust):
    current = insert_sub(svc_a, cust, flexible(WORKSPACE_LADDER[2], 3))
    for sku in (WORKSPACE_LADDER[5], WORKSPACE_LADDER[0], WORKSPACE_LADDER[3], WORKSPACE_LADDER[1]):
        nxt = insert_sub(svc_a, cust, flexible(sku, 3))
        assert nxt["skuId"] == sku
        assert nxt["subscriptionId"] != current["subscriptionId"]
        assert_gone(svc_a, current)
        current = nxt
    assert ids_of(list_all(svc_a, customerId=cust["customerId"])) == {current["subscriptionId"]}


def test_annual_monthly_upgrade_starts_a_new_commitment(partnerd, svc_a, cust):
    old = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5))
    partnerd.advance(2 * 86_400)
    svc_a = FreshClient(partnerd, partnerd.a)  # the old access token expired with the jump
    before = partnerd.now_ms()
    new = insert_sub(svc_a, cust, annual(ENTERPRISE_STARTER, 5))
    after = partnerd.now_ms()
    assert_subscription(new)
    assert new["skuId"] == ENTERPRISE_STARTER
    assert new["plan"]["planName"] == "ANNUAL"
    assert new["seats"]["numberOfSeats"] == 5
    start, end = interval_ms(new)
    assert before - 1000 <= start <= after + 1000
    assert start > interval_ms(old)[0] + DAY_MS
    assert_one_year(start, end)
    assert_gone(svc_a, old)


def test_annual_downgrade_mid_term_is_condition_not_met(svc_a, cust):
    old = insert_sub(svc_a, cust, annual(BUSINESS_PLUS, 5))
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=annual(BUSINESS_STARTER, 5)))
    assert_error(err, 412, "conditionNotMet")
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=annual(BUSINESS_STANDARD, 5),
                                           action="switch", sourceSkuId=BUSINESS_PLUS))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, old) == old
    assert ids_of(list_all(svc_a, customerId=cust["customerId"])) == {old["subscriptionId"]}


def test_annual_yearly_pay_cannot_upgrade_directly(svc_a, cust):
    old = insert_sub(svc_a, cust, annual(BUSINESS_STARTER, 5, plan="ANNUAL_YEARLY_PAY"))
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"],
                                           body=annual(BUSINESS_PLUS, 5, plan="ANNUAL_YEARLY_PAY")))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, old) == old


def test_switch_with_wrong_source_sku_is_invalid(svc_a, cust):
    old = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    for source in (BUSINESS_PLUS, CHROME, "nonsense"):
        err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=flexible(BUSINESS_STANDARD, 5),
                                               action="switch", sourceSkuId=source))
        assert_error(err, 400, "invalid", "sourceSkuId")
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=flexible(BUSINESS_STANDARD, 5),
                                           action="switch"))
    assert err.resp.status == 400, err.content
    assert get_sub(svc_a, old) == old
    assert ids_of(list_all(svc_a, customerId=cust["customerId"])) == {old["subscriptionId"]}


def test_buy_when_workspace_exists_is_duplicate(svc_a, cust):
    old = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    err = execute_error(subs(svc_a).insert(customerId=cust["customerId"], body=flexible(BUSINESS_PLUS, 5),
                                           action="buy"))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")
    assert get_sub(svc_a, old) == old
    assert ids_of(list_all(svc_a, customerId=cust["customerId"])) == {old["subscriptionId"]}


def test_buy_first_workspace_subscription_with_action_buy(svc_a, cust):
    created = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5), action="buy")
    assert_subscription(created)
    assert created["skuId"] == BUSINESS_STARTER


def test_upgrade_drops_deal_code(svc_a, cust):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5, dealCode="OLD-DEAL"))
    new = insert_sub(svc_a, cust, flexible(BUSINESS_STANDARD, 5))
    assert "dealCode" not in new
