"""Reseller notifications: resellernotify.*, the event log and push delivery.

- resellernotify.register / getwatchdetails / unregister through the official
  client: the topic is projects/partner-watch/topics/<reseller customerId>.
- The event log (control API GET /partnerd/v1/resellers/{domain}/events):
  one entry per change, paged, with the push event type where there is one.
- Push delivery: a reseller with a registered service account and a push
  endpoint (control API PUT .../pushEndpoint) gets Pub/Sub-style push
  requests; delivery is at least once, retried with the same messageId after
  a failure, and survives a kill -9 of the server.

Every test makes its own reseller(s) with the CLI so that its event log and
its pushes contain only what the test did. A small threaded HTTP server on a
free loopback port stands in for the reseller's push endpoint.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
from contextlib import ExitStack

import pytest

from helpers import SCOPE_ORDER_READONLY, assert_http_error, domain_customer, execute_error
from sub_helpers import (
    BUSINESS_PLUS,
    BUSINESS_STANDARD,
    BUSINESS_STARTER,
    DAY_MS,
    DAY_S,
    VAULT,
    PushReceiver,
    annual,
    events_of,
    flexible,
    fresh_reseller,
    insert_sub,
    interval_ms,
    new_customer,
    trial,
)

RFC3339_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
DELIVERY_TIMEOUT = 30.0
RETRY_TIMEOUT = 120.0
QUIET_PERIOD = 4.0


def sa_email() -> str:
    return f"watcher-{secrets.token_hex(4)}@push-project.iam.gserviceaccount.com"


def leaf_values(obj) -> list:
    """Every scalar inside a JSON document."""
    if isinstance(obj, dict):
        return [v for value in obj.values() for v in leaf_values(value)]
    if isinstance(obj, list):
        return [v for value in obj for v in leaf_values(value)]
    return [obj]


def topic_of(reseller) -> str:
    return f"projects/partner-watch/topics/{reseller['customerId']}"


class Notified:
    """A fresh reseller wired for pushes: registered service account + endpoint."""

    def __init__(self, partnerd, receiver: PushReceiver, *, register: bool = True):
        self.partnerd = partnerd
        self.reseller = fresh_reseller(partnerd, "ntf")
        self.svc = partnerd.service(self.reseller)
        self.receiver = receiver
        self.email = sa_email()
        partnerd.set_push_endpoint(self.reseller["domain"], receiver.url)
        if register:
            self.register()

    def register(self):
        return self.svc.resellernotify().register(serviceAccountEmailAddress=self.email).execute()

    def unregister(self):
        try:
            self.partnerd.service(self.reseller).resellernotify().unregister(
                serviceAccountEmailAddress=self.email).execute()
        except Exception:  # noqa: BLE001 - best-effort cleanup
            pass

    def wait(self, timeout=DELIVERY_TIMEOUT, **filters) -> list[dict]:
        """Wait for at least one delivered push matching the filters; return them all."""
        msgs = self.receiver.wait_for(lambda m: events_of(m, **filters), timeout,
                                      what=f"a push with {filters}")
        return events_of(msgs, **filters)


@pytest.fixture
def notified(partnerd):
    """Factory: ``notified()`` gives a fresh Notified reseller; cleaned up after the test."""
    with ExitStack() as stack:
        made = []

        def make(register: bool = True) -> Notified:
            receiver = stack.enter_context(PushReceiver())
            n = Notified(partnerd, receiver, register=register)
            made.append(n)
            return n

        yield make
        for n in made:
            n.unregister()


# ---------------------------------------------------------------------------
# resellernotify
# ---------------------------------------------------------------------------


def test_register_getwatchdetails_unregister(partnerd):
    reseller = fresh_reseller(partnerd, "rn")
    svc = partnerd.service(reseller)
    first, second = sa_email(), sa_email()

    reg = svc.resellernotify().register(serviceAccountEmailAddress=first).execute()
    assert reg == {"topicName": topic_of(reseller)}

    details = svc.resellernotify().getwatchdetails().execute()
    assert details["topicName"] == topic_of(reseller)
    assert details["serviceAccountEmailAddresses"] == [first]

    assert svc.resellernotify().register(serviceAccountEmailAddress=second).execute()["topicName"] == topic_of(reseller)
    # Registering the same account again adds nothing.
    svc.resellernotify().register(serviceAccountEmailAddress=first).execute()
    details = svc.resellernotify().getwatchdetails().execute()
    assert sorted(details["serviceAccountEmailAddresses"]) == sorted([first, second])

    unreg = svc.resellernotify().unregister(serviceAccountEmailAddress=first).execute()
    assert unreg["topicName"] == topic_of(reseller)
    details = svc.resellernotify().getwatchdetails().execute()
    assert details["serviceAccountEmailAddresses"] == [second]

    svc.resellernotify().unregister(serviceAccountEmailAddress=second).execute()
    details = svc.resellernotify().getwatchdetails().execute()
    assert details.get("serviceAccountEmailAddresses", []) == []


def test_registrations_belong_to_one_reseller(partnerd):
    one = fresh_reseller(partnerd, "rn")
    two = fresh_reseller(partnerd, "rn")
    email = sa_email()
    partnerd.service(one).resellernotify().register(serviceAccountEmailAddress=email).execute()
    details = partnerd.service(two).resellernotify().getwatchdetails().execute()
    assert email not in details.get("serviceAccountEmailAddresses", [])
    assert details.get("topicName", topic_of(two)) == topic_of(two)
    assert topic_of(one) != topic_of(two)


def test_read_only_scope_can_watch_but_not_register(partnerd):
    reseller = fresh_reseller(partnerd, "rn")
    email = sa_email()
    partnerd.service(reseller).resellernotify().register(serviceAccountEmailAddress=email).execute()
    ro = partnerd.service(reseller, scopes=[SCOPE_ORDER_READONLY])
    assert ro.resellernotify().getwatchdetails().execute()["serviceAccountEmailAddresses"] == [email]
    for request in (ro.resellernotify().register(serviceAccountEmailAddress=sa_email()),
                    ro.resellernotify().unregister(serviceAccountEmailAddress=email)):
        assert_http_error(execute_error(request), 403, "insufficientPermissions", "PERMISSION_DENIED")
    assert ro.resellernotify().getwatchdetails().execute()["serviceAccountEmailAddresses"] == [email]


def test_push_endpoint_and_event_log_need_the_control_token(partnerd):
    reseller = fresh_reseller(partnerd, "rn")
    api_token = partnerd.access_token(reseller)
    for bearer in (None, api_token, "wrong"):
        r = partnerd.raw("PUT", f"/partnerd/v1/resellers/{reseller['domain']}/pushEndpoint", token=bearer,
                         json={"url": "http://127.0.0.1:9/push"})
        assert r.status_code == 401, r.text
        r = partnerd.raw("GET", f"/partnerd/v1/resellers/{reseller['domain']}/events", token=bearer)
        assert r.status_code == 401, r.text


# ---------------------------------------------------------------------------
# event log
# ---------------------------------------------------------------------------


def test_event_log_records_subscription_changes(partnerd):
    reseller = fresh_reseller(partnerd, "ev")
    svc = partnerd.service(reseller)
    customer = new_customer(partnerd, svc)
    sub = insert_sub(svc, customer, annual(BUSINESS_STARTER, 5))
    sid, cid = sub["subscriptionId"], customer["customerId"]
    svc.subscriptions().changeSeats(customerId=cid, subscriptionId=sid, body={"numberOfSeats": 8}).execute()
    svc.subscriptions().changeRenewalSettings(customerId=cid, subscriptionId=sid,
                                              body={"renewalType": "AUTO_RENEW_MONTHLY_PAY"}).execute()
    svc.subscriptions().suspend(customerId=cid, subscriptionId=sid).execute()
    svc.subscriptions().activate(customerId=cid, subscriptionId=sid).execute()

    events = partnerd.events(reseller["domain"])
    ids = [e["id"] for e in events]
    assert len(set(map(str, ids))) == len(ids), "event ids repeat"
    for e in events:
        for field in ("id", "time", "actor", "action", "resourceType", "resourceId"):
            assert field in e, f"event lacks {field}: {e!r}"
        assert RFC3339_RE.match(e["time"]), e["time"]

    mine = [e for e in events if e["resourceId"] == sid]
    by_action = {}
    for e in mine:
        assert e["resourceType"] == "subscription", e
        by_action.setdefault(e["action"], []).append(e)
    expected = {
        "subscription.insert": "NEW_SUBSCRIPTION_CREATED",
        "subscription.changeSeats": "COMMITMENT_CHANGED",
        "subscription.suspend": "SUBSCRIPTION_SUSPENDED",
        "subscription.activate": "SUBSCRIPTION_SUSPENSION_REVOKED",
    }
    for action, event_type in expected.items():
        assert len(by_action.get(action, [])) == 1, f"{action}: {by_action.get(action)!r} in {mine!r}"
        assert by_action[action][0].get("eventType") == event_type, by_action[action][0]
    renewal = by_action.get("subscription.changeRenewalSettings", [])
    assert len(renewal) == 1, mine
    assert "eventType" not in renewal[0] or not renewal[0]["eventType"], renewal[0]
    assert by_action["subscription.insert"][0]["actor"] == reseller["adminEmail"]
    seats_event = by_action["subscription.changeSeats"][0]
    assert seats_event.get("after") and seats_event.get("before"), "changeSeats event without before/after"
    # The snapshots' shape is the server's own; the new seat count is in the
    # after-state and not in the before-state.
    assert 8 in leaf_values(seats_event["after"]), seats_event
    assert 8 not in leaf_values(seats_event["before"]), seats_event


def test_event_log_paging(partnerd):
    reseller = fresh_reseller(partnerd, "ev")
    svc = partnerd.service(reseller)
    for _ in range(3):
        customer = new_customer(partnerd, svc)
        insert_sub(svc, customer, flexible(BUSINESS_STARTER, 2))
    everything = partnerd.events(reseller["domain"], page_size=100)
    assert len(everything) >= 6  # 3 x (customer.insert + subscription.insert)
    paged = partnerd.events(reseller["domain"], page_size=2)
    assert [e["id"] for e in paged] == [e["id"] for e in everything]

    r = partnerd.control("GET", f"resellers/{reseller['domain']}/events", params={"pageSize": 2})
    body = r.json()
    assert len(body["events"]) == 2 and body.get("nextPageToken"), body
    r = partnerd.control("GET", f"resellers/{reseller['domain']}/events", params={"pageToken": "garbage"})
    assert r.status_code == 400, r.text


def test_event_logs_are_per_reseller(partnerd):
    one = fresh_reseller(partnerd, "ev")
    two = fresh_reseller(partnerd, "ev")
    svc = partnerd.service(one)
    sub = insert_sub(svc, new_customer(partnerd, svc), flexible(BUSINESS_STARTER, 2))
    assert any(e["resourceId"] == sub["subscriptionId"] for e in partnerd.events(one["domain"]))
    assert not any(e["resourceId"] == sub["subscriptionId"] for e in partnerd.events(two["domain"]))


# ---------------------------------------------------------------------------
# push delivery
# ---------------------------------------------------------------------------


def test_push_message_format(partnerd, notified):
    n = notified()
    customer = new_customer(partnerd, n.svc)
    sub = insert_sub(n.svc, customer, flexible(BUSINESS_STARTER, 3))
    n.wait(subscription_id=sub["subscriptionId"], event_type="NEW_SUBSCRIPTION_CREATED")

    msg = next(m for m in n.receiver.messages()
               if m["data"].get("subscription_id") == sub["subscriptionId"])
    attempt, env, data = msg["attempt"], msg["envelope"], msg["data"]
    assert attempt["path"] == "/push"
    assert "application/json" in attempt["headers"].get("content-type", "")
    assert set(env) >= {"message", "subscription"}, env
    assert isinstance(env["subscription"], str) and env["subscription"], env
    message = env["message"]
    assert isinstance(message["messageId"], str) and message["messageId"], message
    assert RFC3339_RE.match(message["publishTime"]), message
    assert isinstance(message["attributes"], dict), message
    assert json.loads(base64.b64decode(message["data"])) == data

    assert data["event_type"] == "NEW_SUBSCRIPTION_CREATED"
    assert data["customer_id"] == customer["customerId"]
    assert data["customer_domain_name"] == customer["customerDomain"]
    assert data["sku_id"] == BUSINESS_STARTER
    assert data["subscription_id"] == sub["subscriptionId"]
    assert data["reseller_customer_id"] == n.reseller["customerId"]
    assert "subscription_cancellation_reason" not in data
    for value in data.values():
        assert value is not None, data


def test_push_events_for_plan_seat_and_status_changes(partnerd, notified):
    n = notified()
    customer = new_customer(partnerd, n.svc)
    cid = customer["customerId"]
    sub = insert_sub(n.svc, customer, flexible(BUSINESS_STARTER, 3))
    sid = sub["subscriptionId"]
    n.svc.subscriptions().changePlan(customerId=cid, subscriptionId=sid,
                                     body={"planName": "ANNUAL_MONTHLY_PAY", "seats": {"numberOfSeats": 4}}).execute()
    n.wait(subscription_id=sid, event_type="PRICE_PLAN_SWITCHED")
    n.svc.subscriptions().changeSeats(customerId=cid, subscriptionId=sid, body={"numberOfSeats": 6}).execute()
    n.wait(subscription_id=sid, event_type="COMMITMENT_CHANGED")

    n.svc.subscriptions().suspend(customerId=cid, subscriptionId=sid).execute()
    suspended = n.wait(subscription_id=sid, event_type="SUBSCRIPTION_SUSPENDED")
    assert suspended[0]["subscription_suspension_reasons"] == ["RESELLER_INITIATED"]
    n.svc.subscriptions().activate(customerId=cid, subscriptionId=sid).execute()
    n.wait(subscription_id=sid, event_type="SUBSCRIPTION_SUSPENSION_REVOKED")

    for d in events_of(n.receiver.messages(), subscription_id=sid):
        assert d["customer_id"] == cid
        assert d["sku_id"] == BUSINESS_STARTER


def test_push_on_reseller_cancel(partnerd, notified):
    n = notified()
    customer = new_customer(partnerd, n.svc, verified=True)
    insert_sub(n.svc, customer, flexible(BUSINESS_STARTER, 3))
    vault = insert_sub(n.svc, customer, flexible(VAULT, 3))
    n.svc.subscriptions().delete(customerId=customer["customerId"], subscriptionId=vault["subscriptionId"],
                                 deletionType="cancel").execute()
    got = n.wait(subscription_id=vault["subscriptionId"], event_type="SUBSCRIPTION_CANCELLED")
    assert got[0]["subscription_cancellation_reason"] == "RESELLER_INITIATED"
    assert got[0]["sku_id"] == VAULT


def test_push_on_upgrade_and_downgrade(partnerd, notified):
    n = notified()
    customer = new_customer(partnerd, n.svc)
    low = insert_sub(n.svc, customer, flexible(BUSINESS_STARTER, 3))
    high = insert_sub(n.svc, customer, flexible(BUSINESS_PLUS, 3))
    up = n.wait(subscription_id=high["subscriptionId"], event_type="SUBSCRIPTION_UPGRADE")
    assert up[0]["sku_id"] == BUSINESS_PLUS
    gone = n.wait(subscription_id=low["subscriptionId"], event_type="SUBSCRIPTION_CANCELLED")
    assert gone[0]["subscription_cancellation_reason"] == "PURCHASE_OF_SUBSUMING_SKU"

    mid = insert_sub(n.svc, customer, flexible(BUSINESS_STANDARD, 3))
    down = n.wait(subscription_id=mid["subscriptionId"], event_type="SUBSCRIPTION_DOWNGRADE")
    assert down[0]["sku_id"] == BUSINESS_STANDARD
    assert not events_of(n.receiver.messages(), subscription_id=mid["subscriptionId"],
                         event_type="SUBSCRIPTION_UPGRADE")


def test_push_when_tos_is_accepted(partnerd, notified):
    n = notified()
    customer = new_customer(partnerd, n.svc, tos=False)
    sub = insert_sub(n.svc, customer, flexible(BUSINESS_STARTER, 3))
    n.wait(subscription_id=sub["subscriptionId"], event_type="NEW_SUBSCRIPTION_CREATED")
    partnerd.accept_tos(customer["customerId"])
    n.wait(subscription_id=sub["subscriptionId"], event_type="SUBSCRIPTION_SUSPENSION_REVOKED")


def test_push_on_trial_end_and_renewal(partnerd, notified):
    n = notified()
    customer = new_customer(partnerd, n.svc)
    tri = insert_sub(n.svc, customer, trial(BUSINESS_STARTER, 3))
    other_customer = new_customer(partnerd, n.svc)
    yearly = insert_sub(n.svc, other_customer, annual(BUSINESS_STARTER, 3,
                                                      renewalSettings={"renewalType": "AUTO_RENEW_MONTHLY_PAY"}))
    delta = int(tri["trialSettings"]["trialEndTime"]) + DAY_MS - partnerd.now_ms()
    partnerd.advance(delta // 1000 + 1)
    ended = n.wait(subscription_id=tri["subscriptionId"], event_type="SUBSCRIPTION_TRIAL_ENDED")
    assert ended[0]["customer_id"] == customer["customerId"]

    _, end = interval_ms(yearly)
    partnerd.advance((end - partnerd.now_ms()) // 1000 + DAY_S)
    n.wait(subscription_id=yearly["subscriptionId"], event_type="SUBSCRIPTION_RENEWED")


def test_push_to_losing_reseller_on_transfer(partnerd, notified):
    loser = notified()
    winner = fresh_reseller(partnerd, "win")
    svc_w = partnerd.service(winner)
    customer = new_customer(partnerd, loser.svc)
    sub = insert_sub(loser.svc, customer, flexible(BUSINESS_STARTER, 4))
    token = partnerd.transfer_token(customer["customerId"], winner["publicId"])["customerAuthToken"]
    svc_w.customers().insert(customerAuthToken=token, body=domain_customer(customer["customerDomain"])).execute()
    moved = svc_w.subscriptions().insert(
        customerId=customer["customerId"], customerAuthToken=token,
        body={"skuId": BUSINESS_STARTER, "plan": {"planName": "FLEXIBLE"}, "seats": {"maximumNumberOfSeats": 4}},
    ).execute()

    got = loser.wait(subscription_id=sub["subscriptionId"], event_type="SUBSCRIPTION_CANCELLED")
    assert got[0]["subscription_cancellation_reason"] == "TRANSFERRED_OUT"
    assert got[0]["customer_id"] == customer["customerId"]
    # The loser hears nothing about the receiver's new subscription.
    assert not events_of(loser.receiver.messages(), subscription_id=moved["subscriptionId"])

    log = [e for e in partnerd.events(loser.reseller["domain"]) if e["resourceId"] == sub["subscriptionId"]]
    assert any(e.get("eventType") == "SUBSCRIPTION_CANCELLED" for e in log), log


def test_pushes_go_only_to_the_owning_reseller(partnerd, notified):
    one, two = notified(), notified()
    sub = insert_sub(one.svc, new_customer(partnerd, one.svc), flexible(BUSINESS_STARTER, 2))
    one.wait(subscription_id=sub["subscriptionId"], event_type="NEW_SUBSCRIPTION_CREATED")
    time.sleep(QUIET_PERIOD)
    assert not events_of(two.receiver.messages(delivered_only=False), subscription_id=sub["subscriptionId"])
    for m in one.receiver.messages():
        assert m["data"]["reseller_customer_id"] == one.reseller["customerId"]


def test_no_push_without_a_registered_service_account(partnerd, notified):
    n = notified(register=False)
    customer = new_customer(partnerd, n.svc)
    silent = insert_sub(n.svc, customer, flexible(BUSINESS_STARTER, 2))
    time.sleep(QUIET_PERIOD)
    assert not events_of(n.receiver.messages(delivered_only=False), subscription_id=silent["subscriptionId"])

    n.register()
    heard = insert_sub(n.svc, new_customer(partnerd, n.svc), flexible(BUSINESS_STARTER, 2))
    n.wait(subscription_id=heard["subscriptionId"], event_type="NEW_SUBSCRIPTION_CREATED")

    n.unregister()
    after = insert_sub(n.svc, new_customer(partnerd, n.svc), flexible(BUSINESS_STARTER, 2))
    time.sleep(QUIET_PERIOD)
    assert not events_of(n.receiver.messages(delivered_only=False), subscription_id=after["subscriptionId"])


def test_failed_push_is_retried_with_the_same_message_id(partnerd, notified):
    n = notified()
    n.receiver.fail_first(2)
    sub = insert_sub(n.svc, new_customer(partnerd, n.svc), flexible(BUSINESS_STARTER, 2))
    delivered = n.receiver.wait_for(
        lambda m: events_of(m, subscription_id=sub["subscriptionId"], event_type="NEW_SUBSCRIPTION_CREATED"),
        RETRY_TIMEOUT, what="the retried push")
    ok = next(m for m in delivered if m["data"].get("subscription_id") == sub["subscriptionId"]
              and m["data"].get("event_type") == "NEW_SUBSCRIPTION_CREATED")
    message_id = ok["envelope"]["message"]["messageId"]

    attempts = [m for m in n.receiver.messages(delivered_only=False)
                if m["envelope"]["message"]["messageId"] == message_id]
    statuses = [m["attempt"]["status"] for m in attempts]
    assert statuses[0] == 500, statuses
    assert statuses[-1] < 300, statuses
    assert len(attempts) >= 2, statuses
    assert all(m["data"] == ok["data"] for m in attempts), "a retry changed the message"
    failed = [m for m in n.receiver.messages(delivered_only=False) if m["attempt"]["status"] == 500]
    assert len(failed) == 2, [m["data"] for m in failed]


def test_undelivered_push_survives_kill9(partnerd, notified):
    n = notified()
    n.receiver.fail_all()
    sub = insert_sub(n.svc, new_customer(partnerd, n.svc), flexible(BUSINESS_STARTER, 2))
    n.receiver.wait_for(
        lambda m: events_of(m, subscription_id=sub["subscriptionId"], event_type="NEW_SUBSCRIPTION_CREATED"),
        DELIVERY_TIMEOUT, delivered_only=False, what="a first (failed) delivery attempt")
    failed = [m for m in n.receiver.messages(delivered_only=False)
              if m["data"].get("subscription_id") == sub["subscriptionId"]
              and m["data"].get("event_type") == "NEW_SUBSCRIPTION_CREATED"]
    message_id = failed[0]["envelope"]["message"]["messageId"]

    partnerd.kill9_and_restart()
    n.receiver.succeed()
    delivered = n.receiver.wait_for(
        lambda m: [x for x in m if x["envelope"]["message"]["messageId"] == message_id],
        RETRY_TIMEOUT, what="delivery after the restart")
    again = [x for x in delivered if x["envelope"]["message"]["messageId"] == message_id]
    assert again[0]["data"] == failed[0]["data"]
