"""Terms of Service acceptance and everything the server clock drives.

- ToS: a new customer's subscriptions start SUSPENDED (PENDING_TOS_ACCEPTANCE)
  until the control API records the admin's acceptance
  (POST /partnerd/v1/customers/{id}:acceptTos).
- Trials: end 30 days (Chrome: 60) after creation; without a chosen plan the
  subscription is suspended with TRIAL_ENDED, with one the plan starts.
- Annual terms: at the end of the commitment each renewalType does its thing.

The clock is shared by the whole session and only moves forward, so every
test builds its own customer and subscriptions and computes expectations from
the subscription's own times (creationTime, trialEndTime, commitmentInterval)
and the server's current time, never from absolute dates. Each
POST clock:advance runs every due transition before it answers, so the state
is checked right after it without polling.
"""

from __future__ import annotations

import json
import socket
import time
from datetime import datetime

import pytest

from helpers import assert_http_error, execute_error
from sub_helpers import (
    BUSINESS_PLUS,
    BUSINESS_STANDARD,
    BUSINESS_STARTER,
    CHROME,
    CLOUD_IDENTITY_FREE,
    DAY_MS,
    DAY_S,
    FreshClient,
    annual,
    assert_error,
    assert_one_year,
    assert_subscription,
    flexible,
    free,
    get_sub,
    insert_sub,
    interval_ms,
    new_customer,
    trial,
)


@pytest.fixture
def svc_a(partnerd):
    # A new client and token per call: these tests jump the clock past the
    # token lifetime; refreshing after a jump is tested on its own below.
    return FreshClient(partnerd, partnerd.a)


@pytest.fixture
def cust(partnerd, svc_a):
    return new_customer(partnerd, svc_a)


def advance_to(partnerd, target_ms: int, offset_ms: int = 0) -> None:
    """Advance the clock so that it reads about ``target_ms + offset_ms``.

    Only ever moves forward; the target must still be in the future."""
    delta = target_ms + offset_ms - partnerd.now_ms()
    assert delta > 0, f"target is {-delta} ms in the past already"
    partnerd.advance(max(1, -(-delta // 1000)))


def time_ms(value: str) -> int:
    """An RFC 3339 timestamp or an epoch-ms string, as epoch ms."""
    if value.isdigit():
        return int(value)
    return round(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)


# ---------------------------------------------------------------------------
# one client across a clock jump
# ---------------------------------------------------------------------------


def test_one_client_keeps_working_across_a_clock_jump(partnerd):
    """After the clock moves past the access token's lifetime, the official
    client gets a 401, refreshes its token on the same connection and retries.
    That must work for writes (requests with a body) as well as reads."""
    svc = partnerd.service(partnerd.a)
    customer = new_customer(partnerd, svc)
    sub = insert_sub(svc, customer, flexible(BUSINESS_STARTER, 5))

    partnerd.advance(2 * 3600)
    changed = svc.subscriptions().changeSeats(
        customerId=customer["customerId"], subscriptionId=sub["subscriptionId"],
        body={"maximumNumberOfSeats": 6}).execute()
    assert changed["seats"]["maximumNumberOfSeats"] == 6

    partnerd.advance(2 * 3600)
    assert get_sub(svc, sub)["seats"]["maximumNumberOfSeats"] == 6

    partnerd.advance(2 * 3600)
    patched = svc.customers().patch(customerId=customer["customerId"],
                                    body={"postalAddress": {"locality": "Sunnyvale"}}).execute()
    assert patched["postalAddress"]["locality"] == "Sunnyvale"


def _read_response(sock) -> tuple[bytes, bytes]:
    """One HTTP/1.1 response (head, body) read from a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before a full response head: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head, rest[:length]


def test_401_sent_before_the_body_arrived_leaves_the_connection_usable(partnerd):
    """What the official client runs into after a clock jump, made
    deterministic: the headers of a POST arrive, the server answers 401 for
    the expired token, then the body arrives. The client then sends its token
    request on the same keep-alive connection (API and token endpoint share a
    host here). Either the connection keeps working, or the 401 must say
    "Connection: close" so the client opens a new one."""
    svc = partnerd.service(partnerd.a)
    customer = new_customer(partnerd, svc)
    token = partnerd.access_token(partnerd.a)
    partnerd.advance(2 * 3600)  # the token is now expired for the server

    body = json.dumps(flexible(BUSINESS_STARTER, 5)).encode()
    head = (
        f"POST /apps/reseller/v1/customers/{customer['customerId']}/subscriptions HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{partnerd.port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", partnerd.port), timeout=10) as sock:
        sock.sendall(head)
        time.sleep(0.3)
        sock.sendall(body)
        status_head, _ = _read_response(sock)
        assert status_head.startswith(b"HTTP/1.1 401"), status_head
        if b"\r\nconnection: close" in status_head.lower():
            return  # the client is told to reconnect
        time.sleep(0.3)
        try:
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{partnerd.port}\r\n\r\n".encode())
            second_head, _ = _read_response(sock)
        except (OSError, AssertionError) as e:
            raise AssertionError(
                "the server dropped the keep-alive connection after the 401 without sending "
                f"'Connection: close' ({e!r}); the official client's token refresh then fails"
            ) from e
        assert second_head.startswith(b"HTTP/1.1 200"), second_head


# ---------------------------------------------------------------------------
# Terms of Service
# ---------------------------------------------------------------------------


def test_subscriptions_wait_for_tos_acceptance(partnerd, svc_a):
    customer = new_customer(partnerd, svc_a, tos=False)
    flex = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    chrome = insert_sub(svc_a, customer, annual(CHROME, 5))
    for sub in (flex, chrome):
        assert_subscription(sub)
        assert sub["status"] == "SUSPENDED"
        assert sub["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"]
        assert get_sub(svc_a, sub) == sub

    before = partnerd.now_ms()
    r = partnerd.control("POST", f"customers/{customer['customerId']}:acceptTos")
    after = partnerd.now_ms()
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["customerId"] == customer["customerId"]
    assert isinstance(body["tosAcceptedTime"], str)
    assert before - 1000 <= time_ms(body["tosAcceptedTime"]) <= after + 1000, body

    for sub in (flex, chrome):
        now = get_sub(svc_a, sub)
        assert_subscription(now)
        assert now["status"] == "ACTIVE", now
        assert "suspensionReasons" not in now
        assert now["plan"] == sub["plan"]
        assert now["seats"] == sub["seats"]

    # New subscriptions of this customer start ACTIVE.
    later = insert_sub(svc_a, customer, free(CLOUD_IDENTITY_FREE, 5))
    assert later["status"] == "ACTIVE"
    assert "suspensionReasons" not in later


def test_accept_tos_by_domain_and_for_customer_without_subscriptions(partnerd, svc_a):
    customer = new_customer(partnerd, svc_a, tos=False)
    r = partnerd.control("POST", f"customers/{customer['customerDomain']}:acceptTos")
    assert r.status_code == 200, r.text
    assert r.json()["customerId"] == customer["customerId"]
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    assert sub["status"] == "ACTIVE"


def test_accept_tos_needs_the_control_token(partnerd, svc_a):
    customer = new_customer(partnerd, svc_a, tos=False)
    token = partnerd.access_token(partnerd.a)
    for bearer in (None, token, "not-the-control-token"):
        r = partnerd.raw("POST", f"/partnerd/v1/customers/{customer['customerId']}:acceptTos", token=bearer)
        assert r.status_code == 401, f"{bearer!r}: HTTP {r.status_code} {r.text}"
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 5))
    assert sub["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"]


def test_accept_tos_for_unknown_customer_is_404(partnerd):
    r = partnerd.control("POST", "customers/C0zzzzzzz:acceptTos")
    assert r.status_code == 404, r.text


def test_trial_of_pending_customer_keeps_both_reasons(partnerd, svc_a):
    """A trial that ends while the ToS is still pending carries both reasons;
    accepting the ToS lifts only its own."""
    customer = new_customer(partnerd, svc_a, tos=False)
    sub = insert_sub(svc_a, customer, trial(BUSINESS_STARTER, 5))
    assert sub["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"]
    assert sub["trialSettings"]["isInTrial"] is True

    advance_to(partnerd, int(sub["trialSettings"]["trialEndTime"]), DAY_MS)
    ended = get_sub(svc_a, sub)
    assert_subscription(ended)
    assert ended["status"] == "SUSPENDED"
    assert sorted(ended["suspensionReasons"]) == ["PENDING_TOS_ACCEPTANCE", "TRIAL_ENDED"]

    partnerd.accept_tos(customer["customerId"])
    after = get_sub(svc_a, sub)
    assert after["status"] == "SUSPENDED"
    assert after["suspensionReasons"] == ["TRIAL_ENDED"]


# ---------------------------------------------------------------------------
# trials
# ---------------------------------------------------------------------------


def test_trial_without_plan_is_suspended_when_it_ends(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 4))
    end = int(sub["trialSettings"]["trialEndTime"])
    assert end == int(sub["creationTime"]) + 30 * DAY_MS

    advance_to(partnerd, end, -60_000)  # one minute before the end
    still = get_sub(svc_a, sub)
    assert still == sub, "nothing may change before the trial ends"

    partnerd.advance(120)  # one minute after
    ended = get_sub(svc_a, sub)
    assert_subscription(ended)
    assert ended["subscriptionId"] == sub["subscriptionId"]
    assert ended["status"] == "SUSPENDED"
    assert ended["suspensionReasons"] == ["TRIAL_ENDED"]
    assert ended["trialSettings"] == {"isInTrial": False, "trialEndTime": sub["trialSettings"]["trialEndTime"]}
    assert ended["seats"]["maximumNumberOfSeats"] == 4


def test_trial_ended_subscription_cannot_be_changed_like_an_active_one(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 4))
    advance_to(partnerd, int(sub["trialSettings"]["trialEndTime"]), DAY_MS)
    ended = get_sub(svc_a, sub)
    assert ended["suspensionReasons"] == ["TRIAL_ENDED"]
    cid, sid = cust["customerId"], sub["subscriptionId"]

    err = execute_error(svc_a.subscriptions().changeSeats(customerId=cid, subscriptionId=sid,
                                                         body={"maximumNumberOfSeats": 6}))
    assert_error(err, 400, "badRequest")
    # Suspended for another reason (400 badRequest) and still on the TRIAL
    # plan (412 conditionNotMet): either refusal is right.
    err = execute_error(svc_a.subscriptions().suspend(customerId=cid, subscriptionId=sid))
    if err.resp.status == 412:
        assert_error(err, 412, "conditionNotMet")
    else:
        assert_error(err, 400, "badRequest")
    err = execute_error(svc_a.subscriptions().activate(customerId=cid, subscriptionId=sid))
    assert_error(err, 412, "conditionNotMet")
    assert get_sub(svc_a, sub) == ended


def test_trial_with_flexible_plan_converts_when_it_ends(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STANDARD, 5))
    svc_a.subscriptions().changePlan(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"],
        body={"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 25}},
    ).execute()
    end = int(sub["trialSettings"]["trialEndTime"])

    advance_to(partnerd, end, -60_000)
    before_end = get_sub(svc_a, sub)
    assert before_end["plan"]["planName"] == "TRIAL"
    assert before_end["trialSettings"]["isInTrial"] is True

    partnerd.advance(120)
    paid = get_sub(svc_a, sub)
    assert_subscription(paid)
    assert paid["status"] == "ACTIVE"
    assert paid["plan"] == {"planName": "FLEXIBLE", "isCommitmentPlan": False}
    assert paid["seats"]["maximumNumberOfSeats"] == 25
    assert paid["trialSettings"] == {"isInTrial": False, "trialEndTime": str(end)}


@pytest.mark.parametrize(
    "plan,returned,renewal",
    [
        ("ANNUAL_MONTHLY_PAY", "ANNUAL", "RENEW_CURRENT_USERS_MONTHLY_PAY"),
        ("ANNUAL_YEARLY_PAY", "ANNUAL_YEARLY_PAY", "RENEW_CURRENT_USERS_YEARLY_PAY"),
    ],
)
def test_trial_with_annual_plan_starts_commitment_at_trial_end(partnerd, svc_a, cust, plan, returned, renewal):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_PLUS, 5))
    svc_a.subscriptions().changePlan(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"],
        body={"planName": plan, "seats": {"numberOfSeats": 15}},
    ).execute()
    end = int(sub["trialSettings"]["trialEndTime"])
    advance_to(partnerd, end, 3 * DAY_MS)

    paid = get_sub(svc_a, sub)
    assert_subscription(paid)
    assert paid["status"] == "ACTIVE"
    assert paid["plan"]["planName"] == returned
    assert paid["seats"]["numberOfSeats"] == 15
    start, stop = interval_ms(paid)
    assert abs(start - end) <= 1000, f"commitment starts {start - end} ms after the trial end"
    assert_one_year(start, stop)
    assert paid["renewalSettings"]["renewalType"] == renewal
    assert paid["trialSettings"] == {"isInTrial": False, "trialEndTime": str(end)}


def test_chrome_trial_runs_sixty_days(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(CHROME, 5))
    end = int(sub["trialSettings"]["trialEndTime"])
    assert end == int(sub["creationTime"]) + 60 * DAY_MS

    partnerd.advance(31 * DAY_S)
    mid = get_sub(svc_a, sub)
    assert mid["status"] == "ACTIVE"
    assert mid["trialSettings"]["isInTrial"] is True

    advance_to(partnerd, end, DAY_MS)
    ended = get_sub(svc_a, sub)
    assert ended["status"] == "SUSPENDED"
    assert ended["suspensionReasons"] == ["TRIAL_ENDED"]
    assert ended["trialSettings"]["isInTrial"] is False


def test_started_paid_service_is_not_touched_at_the_old_trial_end(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 5))
    svc_a.subscriptions().changePlan(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"],
        body={"planName": "FLEXIBLE", "seats": {"maximumNumberOfSeats": 9}},
    ).execute()
    paid = svc_a.subscriptions().startPaidService(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"]).execute()
    advance_to(partnerd, int(sub["trialSettings"]["trialEndTime"]), DAY_MS)
    assert get_sub(svc_a, sub) == paid


@pytest.mark.parametrize("body", [flexible(BUSINESS_STARTER, 5), free(CLOUD_IDENTITY_FREE, 5)],
                         ids=["flexible", "free"])
def test_non_commitment_plans_do_not_change_over_time(partnerd, svc_a, cust, body):
    sub = insert_sub(svc_a, cust, body)
    partnerd.advance(400 * DAY_S)
    assert get_sub(svc_a, sub) == sub


# ---------------------------------------------------------------------------
# annual renewals
# ---------------------------------------------------------------------------


def annual_with_renewal(svc, customer, renewal, *, plan="ANNUAL_MONTHLY_PAY", seats=7, sku=BUSINESS_STARTER):
    body = annual(sku, seats, plan=plan)
    if renewal is not None:
        body["renewalSettings"] = {"renewalType": renewal}
    return insert_sub(svc, customer, body)


def cross_term_end(partnerd, svc, sub) -> dict:
    """Check nothing changes just before the term end, then move past it."""
    _, end = interval_ms(sub)
    advance_to(partnerd, end, -DAY_MS)
    assert get_sub(svc, sub) == sub, "the subscription changed before its term ended"
    partnerd.advance(2 * DAY_S)
    after = get_sub(svc, sub)
    assert_subscription(after)
    assert after["subscriptionId"] == sub["subscriptionId"]
    assert after["creationTime"] == sub["creationTime"]
    return after


@pytest.mark.parametrize(
    "start_plan,renewal,plan_after,seats_after",
    [
        ("ANNUAL_MONTHLY_PAY", "AUTO_RENEW_MONTHLY_PAY", "ANNUAL", 7),
        ("ANNUAL_MONTHLY_PAY", "AUTO_RENEW_YEARLY_PAY", "ANNUAL_YEARLY_PAY", 7),
        ("ANNUAL_YEARLY_PAY", "AUTO_RENEW_YEARLY_PAY", "ANNUAL_YEARLY_PAY", 7),
        ("ANNUAL_YEARLY_PAY", "AUTO_RENEW_MONTHLY_PAY", "ANNUAL", 7),
        ("ANNUAL_MONTHLY_PAY", "RENEW_CURRENT_USERS_MONTHLY_PAY", "ANNUAL", 1),
        ("ANNUAL_MONTHLY_PAY", "RENEW_CURRENT_USERS_YEARLY_PAY", "ANNUAL_YEARLY_PAY", 1),
        ("ANNUAL_YEARLY_PAY", "RENEW_CURRENT_USERS_YEARLY_PAY", "ANNUAL_YEARLY_PAY", 1),
        ("ANNUAL_MONTHLY_PAY", None, "ANNUAL", 1),  # default: RENEW_CURRENT_USERS_MONTHLY_PAY
        ("ANNUAL_YEARLY_PAY", None, "ANNUAL_YEARLY_PAY", 1),  # default: RENEW_CURRENT_USERS_YEARLY_PAY
    ],
)
def test_annual_renews_into_a_new_term(partnerd, svc_a, cust, start_plan, renewal, plan_after, seats_after):
    sub = annual_with_renewal(svc_a, cust, renewal, plan=start_plan)
    _, old_end = interval_ms(sub)
    renewed = cross_term_end(partnerd, svc_a, sub)
    assert renewed["status"] == "ACTIVE"
    assert "suspensionReasons" not in renewed
    assert renewed["plan"]["planName"] == plan_after
    assert renewed["plan"]["isCommitmentPlan"] is True
    assert renewed["seats"]["numberOfSeats"] == seats_after
    start, end = interval_ms(renewed)
    assert abs(start - old_end) <= 1000, f"new term starts {start - old_end} ms after the old end"
    assert_one_year(start, end)
    assert "renewalSettings" in renewed


def test_renewal_keeps_seats_added_during_the_term(partnerd, svc_a, cust):
    sub = annual_with_renewal(svc_a, cust, "AUTO_RENEW_MONTHLY_PAY", seats=5)
    sub = svc_a.subscriptions().changeSeats(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"], body={"numberOfSeats": 11}
    ).execute()
    renewed = cross_term_end(partnerd, svc_a, sub)
    assert renewed["seats"]["numberOfSeats"] == 11


def test_renewal_type_changed_during_the_term_is_used(partnerd, svc_a, cust):
    sub = annual_with_renewal(svc_a, cust, None, seats=9)
    partnerd.advance(100 * DAY_S)
    sub = svc_a.subscriptions().changeRenewalSettings(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"],
        body={"renewalType": "AUTO_RENEW_YEARLY_PAY"},
    ).execute()
    renewed = cross_term_end(partnerd, svc_a, sub)
    assert renewed["plan"]["planName"] == "ANNUAL_YEARLY_PAY"
    assert renewed["seats"]["numberOfSeats"] == 9


@pytest.mark.parametrize("start_plan", ["ANNUAL_MONTHLY_PAY", "ANNUAL_YEARLY_PAY"])
def test_switch_to_pay_as_you_go_becomes_flexible(partnerd, svc_a, cust, start_plan):
    sub = annual_with_renewal(svc_a, cust, "SWITCH_TO_PAY_AS_YOU_GO", plan=start_plan, seats=13)
    flex = cross_term_end(partnerd, svc_a, sub)
    assert flex["status"] == "ACTIVE"
    assert flex["plan"] == {"planName": "FLEXIBLE", "isCommitmentPlan": False}
    assert flex["seats"]["maximumNumberOfSeats"] == 13
    assert "numberOfSeats" not in flex["seats"]
    assert "renewalSettings" not in flex
    # And it stays flexible afterwards.
    partnerd.advance(400 * DAY_S)
    assert get_sub(svc_a, sub) == flex


def test_cancel_renewal_suspends_at_term_end(partnerd, svc_a, cust):
    sub = annual_with_renewal(svc_a, cust, "CANCEL", seats=6)
    cancelled = cross_term_end(partnerd, svc_a, sub)
    assert cancelled["status"] == "SUSPENDED"
    assert cancelled["suspensionReasons"] == ["RENEWAL_WITH_TYPE_CANCEL"]
    # Not a reseller suspension: activate cannot lift it.
    err = execute_error(svc_a.subscriptions().activate(customerId=cust["customerId"],
                                                       subscriptionId=sub["subscriptionId"]))
    assert_error(err, 412, "conditionNotMet")


def test_one_big_advance_runs_every_due_renewal(partnerd, svc_a, cust):
    sub = annual_with_renewal(svc_a, cust, "AUTO_RENEW_MONTHLY_PAY", seats=4)
    first_start, first_end = interval_ms(sub)
    advance_to(partnerd, first_end, 400 * DAY_MS)  # past the second term's end too
    now = get_sub(svc_a, sub)
    assert_subscription(now)
    start, end = interval_ms(now)
    assert start > first_end + 364 * DAY_MS, "only one renewal ran during a two-year advance"
    assert_one_year(start, end)
    assert start <= partnerd.now_ms() < end
    assert now["seats"]["numberOfSeats"] == 4


def test_trial_then_annual_then_renewal_in_one_advance(partnerd, svc_a, cust):
    sub = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 5))
    svc_a.subscriptions().changePlan(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"],
        body={"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 8}},
    ).execute()
    trial_end = int(sub["trialSettings"]["trialEndTime"])
    advance_to(partnerd, trial_end, 370 * DAY_MS)
    now = get_sub(svc_a, sub)
    assert_subscription(now)
    assert now["status"] == "ACTIVE"
    assert now["plan"]["planName"] == "ANNUAL"
    start, _ = interval_ms(now)
    assert start > trial_end + 364 * DAY_MS, "the first term did not renew"
    assert now["seats"]["numberOfSeats"] == 1  # RENEW_CURRENT_USERS_MONTHLY_PAY, no users


def test_clock_driven_state_survives_restart(partnerd, svc_a, cust):
    ended_trial = insert_sub(svc_a, cust, trial(BUSINESS_STARTER, 5))
    chrome = insert_sub(svc_a, cust, annual(CHROME, 3, renewalSettings={"renewalType": "AUTO_RENEW_MONTHLY_PAY"}))
    advance_to(partnerd, int(ended_trial["trialSettings"]["trialEndTime"]), DAY_MS)
    before = (get_sub(svc_a, ended_trial), get_sub(svc_a, chrome))
    assert before[0]["suspensionReasons"] == ["TRIAL_ENDED"]

    partnerd.kill9_and_restart()
    svc = FreshClient(partnerd, partnerd.a)
    assert (get_sub(svc, ended_trial), get_sub(svc, chrome)) == before
    # The restarted server still runs transitions.
    _, end = interval_ms(chrome)
    advance_to(partnerd, end, DAY_MS)
    renewed = get_sub(svc, chrome)
    assert interval_ms(renewed)[0] >= end - 1000


def test_unknown_subscription_get_after_advance_still_404(partnerd, svc_a, cust):
    """Advancing the clock never invents subscriptions."""
    partnerd.advance(DAY_S)
    page = svc_a.subscriptions().list(customerId=cust["customerId"]).execute()
    assert page.get("subscriptions", []) == []
    err = execute_error(svc_a.subscriptions().get(customerId=cust["customerId"], subscriptionId="424242424242"))
    assert_http_error(err, 404, "notFound")
