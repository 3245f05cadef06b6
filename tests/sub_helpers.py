"""Helpers for the subscription, transfer, clock and notification suites.

Catalogue constants, request-body builders, a shape check for the
Subscription resource, paging helpers and a tiny HTTP receiver that stands in
for a reseller's Pub/Sub push endpoint. Everything talks to the server over
HTTP only (the official client for the API, ``requests`` for the control API).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from helpers import (
    API_PREFIX,
    assert_http_error,
    assert_no_nulls,
    domain_customer,
    execute_error,
    schema_properties,
    team_customer,
)

# ---------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------

BUSINESS_STARTER = "1010020027"
BUSINESS_STANDARD = "1010020028"
BUSINESS_PLUS = "1010020025"
ENTERPRISE_STARTER = "1010020029"
ENTERPRISE_STANDARD = "1010020026"
ENTERPRISE_PLUS = "1010020020"
# Lowest to highest: inserting a later one upgrades, an earlier one downgrades.
WORKSPACE_LADDER = [
    BUSINESS_STARTER,
    BUSINESS_STANDARD,
    BUSINESS_PLUS,
    ENTERPRISE_STARTER,
    ENTERPRISE_STANDARD,
    ENTERPRISE_PLUS,
]
ESSENTIALS = "1010060001"
ENTERPRISE_ESSENTIALS = "1010060003"
VAULT = "Google-Vault"
DRIVE_20GB = "Google-Drive-storage-20GB"
CLOUD_IDENTITY_FREE = "1010010001"
CHROME = "Google-Chrome-Device-Management"

SKU_NAMES = {
    BUSINESS_STARTER: "Google Workspace Business Starter",
    BUSINESS_STANDARD: "Google Workspace Business Standard",
    BUSINESS_PLUS: "Google Workspace Business Plus",
    ESSENTIALS: "Google Workspace Essentials",
}

RENEWAL_TYPES = [
    "AUTO_RENEW_MONTHLY_PAY",
    "AUTO_RENEW_YEARLY_PAY",
    "RENEW_CURRENT_USERS_MONTHLY_PAY",
    "RENEW_CURRENT_USERS_YEARLY_PAY",
    "RENEW_ON_PROPOSED_OFFER",
    "SWITCH_TO_PAY_AS_YOU_GO",
    "CANCEL",
]

SECOND_MS = 1000
DAY_MS = 86_400_000
DAY_S = 86_400

# ---------------------------------------------------------------------------
# Request bodies
# ---------------------------------------------------------------------------


def annual(sku: str = BUSINESS_STARTER, seats: int = 5, plan: str = "ANNUAL_MONTHLY_PAY", **extra) -> dict:
    body = {"skuId": sku, "plan": {"planName": plan}, "seats": {"numberOfSeats": seats}}
    body.update(extra)
    return body


def flexible(sku: str = BUSINESS_STARTER, seats: int = 5, **extra) -> dict:
    body = {"skuId": sku, "plan": {"planName": "FLEXIBLE"}, "seats": {"maximumNumberOfSeats": seats}}
    body.update(extra)
    return body


def trial(sku: str = BUSINESS_STARTER, seats: int = 5, **extra) -> dict:
    body = {"skuId": sku, "plan": {"planName": "TRIAL"}, "seats": {"maximumNumberOfSeats": seats}}
    body.update(extra)
    return body


def free(sku: str = CLOUD_IDENTITY_FREE, seats: int = 10, **extra) -> dict:
    body = {"skuId": sku, "plan": {"planName": "FREE"}, "seats": {"maximumNumberOfSeats": seats}}
    body.update(extra)
    return body


# ---------------------------------------------------------------------------
# Customers and subscriptions
# ---------------------------------------------------------------------------


def new_customer(partnerd, svc, *, tos: bool = True, team: bool = False, verified: bool = False,
                 domain: str | None = None) -> dict:
    """Insert a fresh customer through ``svc``; by default its admin has
    accepted the ToS so new subscriptions start ACTIVE."""
    body = team_customer(domain) if team else domain_customer(domain)
    customer = svc.customers().insert(body=body).execute()
    if verified:
        partnerd.verify_domain(customer["customerId"])
    if tos:
        accepted = partnerd.accept_tos(customer["customerId"])
        assert accepted.get("customerId") == customer["customerId"], accepted
    return customer


def insert_sub(svc, customer, body, **params) -> dict:
    cid = customer["customerId"] if isinstance(customer, dict) else customer
    return svc.subscriptions().insert(customerId=cid, body=body, **params).execute()


def get_sub(svc, sub) -> dict:
    return svc.subscriptions().get(customerId=sub["customerId"], subscriptionId=sub["subscriptionId"]).execute()


def assert_gone(svc, sub) -> None:
    """The subscription no longer exists for this reseller."""
    err = execute_error(
        svc.subscriptions().get(customerId=sub["customerId"], subscriptionId=sub["subscriptionId"])
    )
    assert_http_error(err, 404, "notFound")


def assert_error(err, code: int, reason: str, field: str | None = None) -> dict:
    """assert_http_error plus the canonical status for the codes the shared
    table does not cover (412)."""
    status = "FAILED_PRECONDITION" if code == 412 else None
    return assert_http_error(err, code, reason, status=status, message_contains=field)


def list_all(svc, *, page_size: int | None = None, max_pages: int = 1000, **params) -> list:
    """Every subscription a list call returns, following nextPageToken.

    Asserts that each page respects ``page_size`` and that no subscription is
    returned twice."""
    out, token = [], None
    for _ in range(max_pages):
        kwargs = dict(params)
        if page_size is not None:
            kwargs["maxResults"] = page_size
        if token:
            kwargs["pageToken"] = token
        page = svc.subscriptions().list(**kwargs).execute()
        assert page.get("kind") == "reseller#subscriptions", page
        assert_no_nulls(page)
        items = page.get("subscriptions", [])
        if page_size is not None:
            assert len(items) <= page_size, f"page of {len(items)} > maxResults {page_size}"
        out.extend(items)
        token = page.get("nextPageToken")
        if not token:
            break
        assert isinstance(token, str) and token, page
    else:
        raise AssertionError(f"list paging did not end within {max_pages} pages")
    ids = [s["subscriptionId"] for s in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"subscriptions returned more than once while paging: {dupes}"
    return out


def ids_of(subs) -> set:
    return {s["subscriptionId"] for s in subs}


# ---------------------------------------------------------------------------
# Shape of a Subscription resource
# ---------------------------------------------------------------------------

_DIGITS = re.compile(r"^[0-9]+$")


def _is_ms(value) -> bool:
    return isinstance(value, str) and bool(_DIGITS.match(value)) and len(value) >= 12


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def assert_subscription(sub: dict, *, transfer_listing: bool = False) -> dict:
    """Structural checks every Subscription response must pass."""
    assert isinstance(sub, dict), sub
    assert_no_nulls(sub)
    props = schema_properties("Subscription")
    unknown = set(sub) - set(props)
    assert not unknown, f"Subscription has fields unknown to the discovery doc: {sorted(unknown)}"
    assert sub.get("kind") == "reseller#subscription", sub
    for field in ("customerId", "customerDomain", "subscriptionId", "skuId", "skuName", "status",
                  "creationTime", "billingMethod", "resourceUiUrl"):
        assert isinstance(sub.get(field), str) and sub[field], f"{field} missing or not a string: {sub!r}"
    assert _DIGITS.match(sub["subscriptionId"]), f"subscriptionId not numeric: {sub['subscriptionId']!r}"
    assert _is_ms(sub["creationTime"]), f"creationTime not epoch-ms string: {sub['creationTime']!r}"
    assert sub["billingMethod"] == "ONLINE", sub
    assert sub["status"] in ("ACTIVE", "SUSPENDED"), sub

    reasons = sub.get("suspensionReasons")
    if sub["status"] == "ACTIVE":
        assert "suspensionReasons" not in sub, f"ACTIVE subscription carries suspensionReasons: {sub!r}"
    else:
        assert isinstance(reasons, list) and reasons, f"SUSPENDED without suspensionReasons: {sub!r}"
        assert len(set(reasons)) == len(reasons), f"repeated suspension reasons: {reasons}"

    plan = sub.get("plan")
    assert isinstance(plan, dict), sub
    assert set(plan) <= {"planName", "isCommitmentPlan", "commitmentInterval"}, plan
    assert plan.get("planName") in ("ANNUAL", "ANNUAL_YEARLY_PAY", "FLEXIBLE", "TRIAL", "FREE"), plan
    annual_plan = plan["planName"] in ("ANNUAL", "ANNUAL_YEARLY_PAY")
    assert plan.get("isCommitmentPlan") is annual_plan, f"isCommitmentPlan wrong for {plan!r}"
    if annual_plan:
        interval = plan.get("commitmentInterval")
        assert isinstance(interval, dict) and set(interval) == {"startTime", "endTime"}, plan
        assert _is_ms(interval["startTime"]) and _is_ms(interval["endTime"]), interval
        assert int(interval["endTime"]) > int(interval["startTime"]), interval
    else:
        assert "commitmentInterval" not in plan, f"non-annual plan with commitmentInterval: {plan!r}"

    seats = sub.get("seats")
    assert isinstance(seats, dict), sub
    assert set(seats) <= set(schema_properties("Seats")), seats
    assert seats.get("kind") == "subscriptions#seats", seats
    assert _is_int(seats.get("licensedNumberOfSeats")), f"licensedNumberOfSeats missing: {seats!r}"
    if annual_plan:
        assert _is_int(seats.get("numberOfSeats")) and seats["numberOfSeats"] >= 1, seats
        assert "maximumNumberOfSeats" not in seats, seats
        renewal = sub.get("renewalSettings")
        assert isinstance(renewal, dict), f"annual subscription without renewalSettings: {sub!r}"
        assert renewal.get("kind") == "subscriptions#renewalSettings", renewal
        assert renewal.get("renewalType") in RENEWAL_TYPES, renewal
    else:
        assert _is_int(seats.get("maximumNumberOfSeats")) and seats["maximumNumberOfSeats"] >= 1, seats
        assert "numberOfSeats" not in seats, seats
        assert "renewalSettings" not in sub, f"non-annual subscription with renewalSettings: {sub!r}"

    ts = sub.get("trialSettings")
    assert isinstance(ts, dict) and isinstance(ts.get("isInTrial"), bool), f"trialSettings: {sub!r}"
    assert set(ts) <= {"isInTrial", "trialEndTime"}, ts
    if ts["isInTrial"]:
        assert _is_ms(ts.get("trialEndTime")), ts
    if plan["planName"] == "TRIAL" and "TRIAL_ENDED" not in (reasons or []):
        assert ts["isInTrial"] is True, f"plan TRIAL but not in trial: {sub!r}"
    if "TRIAL_ENDED" in (reasons or []):
        assert ts["isInTrial"] is False, f"trial ended but isInTrial: {sub!r}"
    if "trialEndTime" in ts:
        assert _is_ms(ts["trialEndTime"]), ts

    if transfer_listing:
        info = sub.get("transferInfo")
        assert isinstance(info, dict), f"transferable subscription without transferInfo: {sub!r}"
        assert _is_ms(info.get("transferabilityExpirationTime")), info
        assert _is_int(info.get("minimumTransferableSeats")), info
    else:
        assert "transferInfo" not in sub, f"transferInfo outside the transfer listing: {sub!r}"
    return sub


def interval_ms(sub) -> tuple[int, int]:
    ci = sub["plan"]["commitmentInterval"]
    return int(ci["startTime"]), int(ci["endTime"])


def assert_one_year(start: int, end: int) -> None:
    """365 days, or 366 across a leap day."""
    assert start + 364 * DAY_MS < end < start + 367 * DAY_MS, (
        f"commitment interval is not one year: {(end - start) / DAY_MS:.3f} days"
    )


# ---------------------------------------------------------------------------
# Raw HTTP for what the official client refuses to send
# ---------------------------------------------------------------------------


def sub_path(customer_id: str, subscription_id: str) -> str:
    return f"{API_PREFIX}/customers/{customer_id}/subscriptions/{subscription_id}"


def raw_delete(partnerd, reseller, sub, deletion_type=None):
    """DELETE a subscription with any (or no) deletionType."""
    token = partnerd.access_token(reseller)
    params = {} if deletion_type is None else {"deletionType": deletion_type}
    return partnerd.raw("DELETE", sub_path(sub["customerId"], sub["subscriptionId"]), token=token, params=params)


class FreshClient:
    """Stands in for a reseller's official client, but builds a new client
    (with a new access token) for every call.

    Tests that move the server clock past the one-hour token lifetime use it
    so that what they check is the behaviour after the jump, not the token
    refresh (which has its own test in test_clock_and_tos.py)."""

    def __init__(self, partnerd, reseller, scopes=None):
        self._partnerd = partnerd
        self._reseller = reseller
        self._scopes = scopes

    def __getattr__(self, name):
        return getattr(self._partnerd.service(self._reseller, scopes=self._scopes), name)


# ---------------------------------------------------------------------------
# Resellers made for one test
# ---------------------------------------------------------------------------


def fresh_reseller(partnerd, prefix: str = "rsl") -> dict:
    """A brand-new reseller (own key, own event log, no notification setup)."""
    tag = secrets.token_hex(5)
    return partnerd.create_reseller(f"{prefix}-{tag}", f"{prefix}-{tag}.example")


# ---------------------------------------------------------------------------
# Push receiver
# ---------------------------------------------------------------------------


class PushReceiver:
    """A threaded HTTP server on a free loopback port recording every POST.

    ``fail_first(k)`` makes the next k requests answer 500; ``fail_all()``
    makes every request fail until ``succeed()``. ``deliveries`` holds the
    requests that were answered 2xx, ``attempts`` every request received.
    """

    def __init__(self):
        self.attempts: list[dict] = []
        self._lock = threading.Lock()
        self._fail_remaining = 0
        self._fail_all = False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                record = {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "raw": raw,
                    "received": time.monotonic(),
                }
                try:
                    record["json"] = json.loads(raw)
                except ValueError:
                    record["json"] = None
                with receiver._lock:
                    fail = receiver._fail_all or receiver._fail_remaining > 0
                    if receiver._fail_remaining > 0:
                        receiver._fail_remaining -= 1
                    record["status"] = 500 if fail else 204
                    receiver.attempts.append(record)
                self.send_response(record["status"])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/push"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def fail_first(self, k: int) -> None:
        with self._lock:
            self._fail_remaining = k

    def fail_all(self) -> None:
        with self._lock:
            self._fail_all = True

    def succeed(self) -> None:
        with self._lock:
            self._fail_all = False
            self._fail_remaining = 0

    def snapshot(self) -> list[dict]:
        with self._lock:
            return list(self.attempts)

    @property
    def deliveries(self) -> list[dict]:
        return [a for a in self.snapshot() if a["status"] < 300]

    def messages(self, *, delivered_only: bool = True) -> list[dict]:
        """Decoded push messages: {"envelope", "data", "attempt"}."""
        out = []
        for attempt in (self.deliveries if delivered_only else self.snapshot()):
            env = attempt["json"]
            data = decode_push_data(env)
            out.append({"envelope": env, "data": data, "attempt": attempt})
        return out

    def wait_for(self, predicate, timeout: float = 30.0, *, delivered_only: bool = True,
                 what: str = "a matching push") -> list[dict]:
        """Poll until ``predicate(messages)`` is truthy; return the messages."""
        deadline = time.monotonic() + timeout
        while True:
            msgs = self.messages(delivered_only=delivered_only)
            if predicate(msgs):
                return msgs
            if time.monotonic() > deadline:
                summary = [m["data"] for m in msgs]
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; got {summary!r}")
            time.sleep(0.2)


def decode_push_data(envelope) -> dict:
    """The decoded JSON inside message.data of a push request."""
    assert isinstance(envelope, dict), f"push body is not a JSON object: {envelope!r}"
    message = envelope.get("message")
    assert isinstance(message, dict), f"push body lacks message: {envelope!r}"
    data = message.get("data")
    assert isinstance(data, str) and data, f"push message lacks data: {envelope!r}"
    decoded = json.loads(base64.b64decode(data))
    assert isinstance(decoded, dict), decoded
    return decoded


def events_of(msgs, *, subscription_id: str | None = None, customer_id: str | None = None,
              event_type: str | None = None) -> list[dict]:
    """Decoded push data filtered by subscription, customer and event type."""
    out = []
    for m in msgs:
        d = m["data"]
        if subscription_id is not None and d.get("subscription_id") != subscription_id:
            continue
        if customer_id is not None and d.get("customer_id") != customer_id:
            continue
        if event_type is not None and d.get("event_type") != event_type:
            continue
        out.append(d)
    return out

