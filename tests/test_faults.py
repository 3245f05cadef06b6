"""Fault injection through the control API: POST/GET/DELETE /partnerd/v1/faults.

A fault makes the next ``count`` (or a ``ratio`` of, or every) request to the
API methods its ``method`` glob matches fail with 503, 500 or 429 in Google's
error format, without running the request, and/or answer after ``latencyMs``.
The official clients' retry loops are what faults are for, so they are tested
here with the real google-api-python-client and google-auth, their back-off
sleeps recorded instead of slept.

The session server is shared with the whole suite: every test goes through the
``faults`` fixture, which clears all faults before and after it.
"""

from __future__ import annotations

import math
import time

import google.auth._exponential_backoff
import google.auth.transport.requests
import pytest
import requests
from google.auth import exceptions as auth_exceptions
from googleapiclient.errors import HttpError

from conftest import Partnerd
from dir_helpers import DIR_PREFIX
from fault_helpers import (
    ALL_SCOPES,
    FAULT_HEADER,
    SleepRecorder,
    assert_fault_http_error,
    assert_fault_response,
    record_sleeps,
)
from helpers import (
    API_PREFIX,
    JWT_BEARER_GRANT,
    assert_http_error,
    assert_no_nulls,
    assert_response_error,
    domain_customer,
    execute_error,
    signed_assertion,
    unique_domain,
)
from sub_helpers import BUSINESS_STARTER, annual, fresh_reseller

FAULT_FIELDS = {"id", "method", "status", "count", "ratio", "latencyMs", "remaining", "injected"}


# ---------------------------------------------------------------------------
# Fixtures and small helpers
# ---------------------------------------------------------------------------


class Faults:
    """The control API's fault routes of one server."""

    def __init__(self, server: Partnerd):
        self.server = server

    def post(self, body) -> requests.Response:
        return self.server.control("POST", "faults", json=body)

    def inject(self, **body) -> dict:
        r = self.post(body)
        assert r.status_code == 200, f"POST faults {body!r}: HTTP {r.status_code}: {r.text}"
        fault = r.json()
        assert_fault_shape(fault)
        return fault

    def list(self) -> list:
        r = self.server.control("GET", "faults")
        assert r.status_code == 200, f"GET faults: HTTP {r.status_code}: {r.text}"
        body = r.json()
        assert isinstance(body, dict) and isinstance(body.get("faults"), list), body
        for fault in body["faults"]:
            assert_fault_shape(fault)
        return body["faults"]

    def get(self, fault_id: str) -> dict | None:
        matches = [f for f in self.list() if f["id"] == fault_id]
        assert len(matches) <= 1, f"fault {fault_id} listed twice"
        return matches[0] if matches else None

    def clear(self) -> None:
        r = self.server.control("DELETE", "faults")
        assert r.status_code == 200, f"DELETE faults: HTTP {r.status_code}: {r.text}"
        assert r.json() == {}, r.text


def assert_fault_shape(fault: dict) -> None:
    assert isinstance(fault, dict), fault
    assert_no_nulls(fault)
    unknown = set(fault) - FAULT_FIELDS
    assert not unknown, f"fault has unexpected fields {sorted(unknown)}: {fault!r}"
    assert isinstance(fault.get("id"), str) and fault["id"], fault
    assert isinstance(fault.get("method"), str) and fault["method"], fault
    assert isinstance(fault.get("injected"), int) and fault["injected"] >= 0, fault


@pytest.fixture
def faults(partnerd):
    """The shared server's faults, cleared before and after the test so that
    no other test ever meets one."""
    f = Faults(partnerd)
    f.clear()
    try:
        yield f
    finally:
        f.clear()


@pytest.fixture(scope="module")
def token(partnerd):
    """One access token with every scope (fetched before any fault exists)."""
    return partnerd.access_token(partnerd.a, scopes=ALL_SCOPES)


@pytest.fixture(scope="module")
def customer(partnerd):
    svc = partnerd.service(partnerd.a)
    return svc.customers().insert(body=domain_customer(unique_domain("fault"))).execute()


def customer_path(customer_id: str) -> str:
    return f"{API_PREFIX}/customers/{customer_id}"


def get_customer(partnerd, token, customer, session=None) -> requests.Response:
    if session is None:
        return partnerd.raw("GET", customer_path(customer["customerId"]), token=token)
    return session.get(partnerd.base_url + customer_path(customer["customerId"]),
                       headers={"Authorization": f"Bearer {token}"}, timeout=30)


def get_admin_user(partnerd, token) -> requests.Response:
    return partnerd.raw("GET", f"{DIR_PREFIX}/users/{partnerd.a['adminEmail']}", token=token)


def list_subscriptions(partnerd, token) -> requests.Response:
    return partnerd.raw("GET", f"{API_PREFIX}/subscriptions", token=token, params={"maxResults": 1})


def list_users(partnerd, token) -> requests.Response:
    return partnerd.raw("GET", f"{DIR_PREFIX}/users", token=token,
                        params={"customer": "my_customer", "maxResults": 1})


def post_token(partnerd) -> requests.Response:
    assertion = signed_assertion(partnerd.a["keyfile"], subject=partnerd.a["adminEmail"])
    return partnerd.raw("POST", "/token",
                        data={"grant_type": JWT_BEARER_GRANT, "assertion": assertion.decode("ascii")})


def ok(resp: requests.Response, delayed_by: str | None = None) -> requests.Response:
    """A normal 200 answer. Only a request a latency-only fault delayed may
    carry that fault's id in X-Partnerd-Fault (the spec leaves it open)."""
    assert resp.status_code == 200, f"HTTP {resp.status_code}: {resp.text[:1000]}"
    if delayed_by is not None and FAULT_HEADER in resp.headers:
        assert resp.headers[FAULT_HEADER] == delayed_by, dict(resp.headers)
    else:
        assert FAULT_HEADER not in resp.headers, f"served answer carries {FAULT_HEADER}: {dict(resp.headers)}"
    return resp


# ---------------------------------------------------------------------------
# Creating faults: the answer and validation
# ---------------------------------------------------------------------------


def test_inject_answers_the_fault(faults):
    fault = faults.inject(method="reseller.customers.get", status=503, count=2)
    assert fault["method"] == "reseller.customers.get"
    assert fault["status"] == 503
    assert fault["count"] == 2
    assert fault["remaining"] == 2
    assert fault["injected"] == 0
    assert "ratio" not in fault and "latencyMs" not in fault, fault

    other = faults.inject(method="reseller.*", status=429, ratio=0.25, latencyMs=10)
    assert other["id"] != fault["id"]
    assert other["status"] == 429 and other["ratio"] == 0.25 and other["latencyMs"] == 10, other
    assert other["injected"] == 0
    assert "count" not in other and "remaining" not in other, other

    forever = faults.inject(method="*.get", status=500)
    assert forever["status"] == 500 and forever["injected"] == 0, forever
    assert not {"count", "ratio", "remaining", "latencyMs"} & set(forever), forever

    slow = faults.inject(method="directory.users.list", latencyMs=250)
    assert slow["latencyMs"] == 250 and "status" not in slow, slow

    listed = {f["id"]: f for f in faults.list()}
    assert set(listed) == {fault["id"], other["id"], forever["id"], slow["id"]}, listed
    for created in (fault, other, forever, slow):
        assert listed[created["id"]] == created, (listed[created["id"]], created)


@pytest.mark.parametrize(
    "body, field",
    [
        pytest.param({"status": 503}, "method", id="method-missing"),
        pytest.param({"method": "", "status": 503}, "method", id="method-empty"),
        pytest.param({"method": 7, "status": 503}, "method", id="method-not-a-string"),
        pytest.param({"method": "reseller.customers.get"}, "status", id="status-missing-without-latency"),
        pytest.param({"method": "reseller.customers.get", "status": 404}, "status", id="status-404"),
        pytest.param({"method": "reseller.customers.get", "status": 200}, "status", id="status-200"),
        pytest.param({"method": "reseller.customers.get", "status": 502}, "status", id="status-502"),
        pytest.param({"method": "reseller.customers.get", "status": "503"}, "status", id="status-string"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "count": 0}, "count", id="count-0"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "count": -1}, "count", id="count-negative"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "count": 1.5}, "count", id="count-fraction"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "ratio": 0}, "ratio", id="ratio-0"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "ratio": -0.5}, "ratio", id="ratio-negative"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "ratio": 1.01}, "ratio", id="ratio-over-1"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "ratio": "half"}, "ratio", id="ratio-string"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "latencyMs": -1}, "latencyMs",
                     id="latency-negative"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "latencyMs": 60001}, "latencyMs",
                     id="latency-over-60s"),
        pytest.param({"method": "reseller.customers.get", "latencyMs": 60001}, "latencyMs",
                     id="latency-only-over-60s"),
        pytest.param({"method": "reseller.customers.get", "latencyMs": 2.5}, "latencyMs", id="latency-fraction"),
    ],
)
def test_bad_fault_is_400_naming_the_field(faults, body, field):
    r = faults.post(body)
    assert_response_error(r, 400, message_contains=field)
    assert faults.list() == [], "a rejected fault was stored"


def test_count_and_ratio_together_is_400(faults):
    r = faults.post({"method": "reseller.customers.get", "status": 503, "count": 2, "ratio": 0.5})
    err = assert_response_error(r, 400)
    assert "count" in err["message"] or "ratio" in err["message"], err
    assert faults.list() == []


def test_fault_body_must_be_a_json_object(faults):
    for data in ("not json", "[]", '"reseller.*"'):
        r = faults.server.control("POST", "faults", data=data, headers={"Content-Type": "application/json"})
        assert_response_error(r, 400)
    assert faults.list() == []


def test_unknown_field_in_fault_is_400_parse_error(faults):
    """Like every JSON body partnerd reads (README, Errors: "malformed JSON or
    unknown fields (400 parseError)")."""
    r = faults.post({"method": "reseller.customers.get", "status": 503, "unknownField": 1})
    assert_response_error(r, 400, "parseError", message_contains="unknownField")
    assert faults.list() == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"method": "reseller.customers.get", "status": 503, "ratio": 1}, id="ratio-1"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "ratio": 0.001}, id="ratio-small"),
        pytest.param({"method": "reseller.customers.get", "status": 503, "count": 1}, id="count-1"),
        pytest.param({"method": "reseller.customers.get", "latencyMs": 0}, id="latency-0"),
        pytest.param({"method": "reseller.customers.get", "status": 500, "latencyMs": 60000}, id="latency-60s"),
    ],
)
def test_boundary_values_are_accepted(faults, body):
    fault = faults.inject(**body)
    for key, value in body.items():
        assert fault[key] == value, (key, fault)


def test_fault_routes_need_the_control_token(partnerd, faults, token):
    for bearer in (None, token, "not-the-control-token"):
        for method, path, kwargs in (
            ("POST", "/partnerd/v1/faults", {"json": {"method": "*", "status": 503}}),
            ("GET", "/partnerd/v1/faults", {}),
            ("DELETE", "/partnerd/v1/faults", {}),
        ):
            r = partnerd.raw(method, path, token=bearer, **kwargs)
            assert r.status_code == 401, f"{method} {path} with {bearer!r}: HTTP {r.status_code} {r.text}"
    assert faults.list() == []


# ---------------------------------------------------------------------------
# count, ratio and forever
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [503, 500, 429])
def test_count_fails_exactly_n_requests_then_serves(partnerd, faults, token, customer, status):
    fault = faults.inject(method="reseller.customers.get", status=status, count=3)
    for i in range(3):
        r = get_customer(partnerd, token, customer)
        assert_fault_response(r, status, fault["id"])
        live = faults.get(fault["id"])
        assert live is not None, f"fault vanished after {i + 1} of 3 injections"
        assert live["injected"] == i + 1, live
        assert live["remaining"] == 2 - i, live
    r = ok(get_customer(partnerd, token, customer))
    assert r.json()["customerId"] == customer["customerId"]
    ok(get_customer(partnerd, token, customer))
    after = faults.get(fault["id"])
    # An exhausted fault stays listed with its final counters until cleared.
    assert after is not None, "an exhausted fault vanished from GET faults"
    assert after["remaining"] == 0 and after["injected"] == 3, after


def test_fault_without_count_or_ratio_fails_until_cleared(partnerd, faults, token, customer):
    fault = faults.inject(method="reseller.customers.get", status=503)
    for _ in range(5):
        assert_fault_response(get_customer(partnerd, token, customer), 503, fault["id"])
    live = faults.get(fault["id"])
    assert live["injected"] == 5 and "remaining" not in live, live
    faults.clear()
    ok(get_customer(partnerd, token, customer))


def test_ratio_one_fails_every_request(partnerd, faults, token, customer):
    fault = faults.inject(method="reseller.customers.get", status=503, ratio=1.0)
    with requests.Session() as s:
        for _ in range(20):
            assert_fault_response(get_customer(partnerd, token, customer, s), 503, fault["id"])
    assert faults.get(fault["id"])["injected"] == 20


def test_ratio_half_fails_about_half(partnerd, faults, token, customer):
    n, p = 200, 0.5
    fault = faults.inject(method="reseller.customers.get", status=503, ratio=p)
    failed = 0
    with requests.Session() as s:
        for _ in range(n):
            r = get_customer(partnerd, token, customer, s)
            if r.status_code == 503:
                assert_fault_response(r, 503, fault["id"])
                failed += 1
            else:
                ok(r)
    # Binomial(200, 0.5): sd ~7.07. Six standard deviations each side make a
    # correct server fail this about once in a billion runs.
    sd = math.sqrt(n * p * (1 - p))
    low, high = n * p - 6 * sd, n * p + 6 * sd
    assert low <= failed <= high, f"{failed}/{n} requests failed with ratio {p} (expected {low:.0f}..{high:.0f})"
    assert faults.get(fault["id"])["injected"] == failed


# ---------------------------------------------------------------------------
# Method globs
# ---------------------------------------------------------------------------


def test_exact_method_matches_only_that_method(partnerd, faults, token, customer):
    fault = faults.inject(method="reseller.customers.get", status=503)
    ok(list_subscriptions(partnerd, token))            # reseller.subscriptions.list
    ok(get_admin_user(partnerd, token))                # directory.users.get
    assert_fault_response(get_customer(partnerd, token, customer), 503, fault["id"])
    assert faults.get(fault["id"])["injected"] == 1


def test_method_without_wildcard_is_anchored(partnerd, faults, token, customer):
    """``reseller.customers`` is not a prefix match for reseller.customers.get,
    and ``customers.get`` does not match inside it."""
    a = faults.inject(method="reseller.customers", status=503)
    b = faults.inject(method="customers.get", status=503)
    c = faults.inject(method="reseller.customers.ge", status=503)
    ok(get_customer(partnerd, token, customer))
    for f in (a, b, c):
        assert faults.get(f["id"])["injected"] == 0


def test_reseller_glob_hits_reseller_methods_only(partnerd, faults, token, customer):
    fault = faults.inject(method="reseller.*", status=503)
    assert_fault_response(get_customer(partnerd, token, customer), 503, fault["id"])
    assert_fault_response(list_subscriptions(partnerd, token), 503, fault["id"])
    ok(get_admin_user(partnerd, token))                # directory.users.get
    ok(list_users(partnerd, token))                    # directory.users.list
    ok(post_token(partnerd))                           # oauth2.token
    assert faults.get(fault["id"])["injected"] == 2


def test_star_get_glob_hits_get_methods_of_every_api(partnerd, faults, token, customer):
    fault = faults.inject(method="*.get", status=500)
    assert_fault_response(get_customer(partnerd, token, customer), 500, fault["id"])
    assert_fault_response(get_admin_user(partnerd, token), 500, fault["id"])
    ok(list_subscriptions(partnerd, token))            # reseller.subscriptions.list
    ok(list_users(partnerd, token))                    # directory.users.list
    assert faults.get(fault["id"])["injected"] == 2


def test_glob_in_the_middle(partnerd, faults, token, customer):
    fault = faults.inject(method="directory.*.list", status=503)
    assert_fault_response(list_users(partnerd, token), 503, fault["id"])
    ok(get_admin_user(partnerd, token))
    ok(list_subscriptions(partnerd, token))
    ok(get_customer(partnerd, token, customer))
    assert faults.get(fault["id"])["injected"] == 1


# ---------------------------------------------------------------------------
# Latency
# ---------------------------------------------------------------------------


def test_latency_only_fault_delays_and_serves(partnerd, faults, token, customer):
    fault = faults.inject(method="reseller.customers.get", latencyMs=400)
    start = time.monotonic()
    r = ok(get_customer(partnerd, token, customer), delayed_by=fault["id"])
    elapsed = time.monotonic() - start
    assert r.json()["customerId"] == customer["customerId"]
    assert elapsed >= 0.4, f"answered after {elapsed:.3f}s, before the 400 ms latency"
    ok(get_admin_user(partnerd, token))                 # not matched: not delayed, not counted
    assert faults.get(fault["id"])["injected"] == 1


def test_latency_with_count_delays_only_n_requests(partnerd, faults, token, customer):
    fault = faults.inject(method="reseller.customers.get", latencyMs=300, count=1)
    start = time.monotonic()
    ok(get_customer(partnerd, token, customer), delayed_by=fault["id"])
    assert time.monotonic() - start >= 0.3
    ok(get_customer(partnerd, token, customer))
    live = faults.get(fault["id"])
    assert live is not None, "an exhausted fault vanished from GET faults"
    assert live["injected"] == 1 and live["remaining"] == 0, live


def test_latency_with_status_delays_then_fails(partnerd, faults, token, customer):
    fault = faults.inject(method="reseller.customers.get", status=503, latencyMs=300, count=1)
    start = time.monotonic()
    r = get_customer(partnerd, token, customer)
    elapsed = time.monotonic() - start
    assert_fault_response(r, 503, fault["id"])
    assert elapsed >= 0.3, f"failed after {elapsed:.3f}s, before the 300 ms latency"


# ---------------------------------------------------------------------------
# A faulted request is not executed
# ---------------------------------------------------------------------------


def test_faulted_insert_creates_nothing(partnerd, faults):
    reseller = fresh_reseller(partnerd, "flt")
    svc = partnerd.service(reseller)
    svc.subscriptions().list().execute()            # fetch the token before faulting anything
    events_before = partnerd.events(reseller["domain"])
    domain = unique_domain("faulted")
    fault = faults.inject(method="reseller.customers.insert", status=503, count=1)

    err = execute_error(svc.customers().insert(body=domain_customer(domain)))
    assert_fault_http_error(err, 503, fault["id"])

    err = execute_error(svc.customers().get(customerId=domain))
    assert_http_error(err, 404, "notFound")
    assert partnerd.events(reseller["domain"]) == events_before, "a faulted insert wrote to the event log"
    # The domain is still free: the same insert now succeeds, not 409.
    created = svc.customers().insert(body=domain_customer(domain)).execute()
    assert created["customerDomain"] == domain


def test_faulted_change_seats_changes_nothing(partnerd, faults):
    reseller = fresh_reseller(partnerd, "flt")
    svc = partnerd.service(reseller)
    cust = svc.customers().insert(body=domain_customer(unique_domain("seats"))).execute()
    partnerd.accept_tos(cust["customerId"])
    sub = svc.subscriptions().insert(customerId=cust["customerId"], body=annual(BUSINESS_STARTER, 5)).execute()
    events_before = partnerd.events(reseller["domain"])
    fault = faults.inject(method="reseller.subscriptions.changeSeats", status=500, count=1)
    err = execute_error(svc.subscriptions().changeSeats(
        customerId=cust["customerId"], subscriptionId=sub["subscriptionId"], body={"numberOfSeats": 9}))
    assert_fault_http_error(err, 500, fault["id"])
    again = svc.subscriptions().get(customerId=cust["customerId"], subscriptionId=sub["subscriptionId"]).execute()
    assert again["seats"]["numberOfSeats"] == 5, again["seats"]
    assert partnerd.events(reseller["domain"]) == events_before, "a faulted changeSeats wrote to the event log"


# ---------------------------------------------------------------------------
# Listing and clearing
# ---------------------------------------------------------------------------


def test_list_shows_live_counters(partnerd, faults, token, customer):
    a = faults.inject(method="reseller.customers.get", status=503, count=5)
    b = faults.inject(method="directory.users.get", status=429)
    for _ in range(2):
        assert_fault_response(get_customer(partnerd, token, customer), 503, a["id"])
    assert_fault_response(get_admin_user(partnerd, token), 429, b["id"])
    listed = {f["id"]: f for f in faults.list()}
    assert listed[a["id"]]["injected"] == 2 and listed[a["id"]]["remaining"] == 3, listed[a["id"]]
    assert listed[a["id"]]["count"] == 5, listed[a["id"]]
    assert listed[b["id"]]["injected"] == 1, listed[b["id"]]


def test_delete_one_fault(partnerd, faults, token, customer):
    a = faults.inject(method="reseller.customers.get", status=503)
    b = faults.inject(method="directory.users.get", status=503)
    r = partnerd.control("DELETE", f"faults/{a['id']}")
    assert r.status_code in (200, 204), r.text
    assert [f["id"] for f in faults.list()] == [b["id"]]
    ok(get_customer(partnerd, token, customer))
    assert_fault_response(get_admin_user(partnerd, token), 503, b["id"])
    r = partnerd.control("DELETE", f"faults/{a['id']}")
    assert_response_error(r, 404)
    r = partnerd.control("DELETE", "faults/no-such-fault")
    assert_response_error(r, 404)
    assert [f["id"] for f in faults.list()] == [b["id"]]


def test_delete_all_faults(partnerd, faults, token, customer):
    faults.inject(method="reseller.customers.get", status=503)
    faults.inject(method="*", status=500, ratio=0.5)
    r = partnerd.control("DELETE", "faults")
    assert r.status_code == 200 and r.json() == {}, r.text
    assert faults.list() == []
    ok(get_customer(partnerd, token, customer))
    ok(get_admin_user(partnerd, token))


# ---------------------------------------------------------------------------
# What is never faulted
# ---------------------------------------------------------------------------


def test_star_spares_control_api_and_health(partnerd, faults, token, customer):
    fault = faults.inject(method="*", status=503, latencyMs=200)
    for path in ("clock", "faults", f"resellers/{partnerd.a['domain']}/events?pageSize=1"):
        r = partnerd.control("GET", path)
        assert r.status_code == 200, f"GET /partnerd/v1/{path} under a '*' fault: HTTP {r.status_code} {r.text}"
        assert FAULT_HEADER not in r.headers, path
    for path in ("/healthz", "/readyz", "/openapi.json"):
        r = partnerd.raw("GET", path)
        assert r.status_code != 503 and FAULT_HEADER not in r.headers, f"{path}: HTTP {r.status_code} {r.text}"
    assert faults.get(fault["id"])["injected"] == 0, "a control or health request was counted by a '*' fault"
    # Every API method and the token endpoint are faulted.
    assert_fault_response(get_customer(partnerd, token, customer), 503, fault["id"])
    assert_fault_response(get_admin_user(partnerd, token), 503, fault["id"])
    assert_fault_response(post_token(partnerd), 503, fault["id"])
    assert faults.get(fault["id"])["injected"] == 3


def test_unknown_route_is_not_faulted(partnerd, faults, token):
    fault = faults.inject(method="*", status=503)
    r = partnerd.raw("GET", "/apps/reseller/v1/no-such-thing", token=token)
    assert_response_error(r, 404)
    assert faults.get(fault["id"])["injected"] == 0


def test_faults_are_per_process(partnerd, faults, token, customer, tmp_path):
    """A second process on the same database has its own (empty) fault set."""
    other = Partnerd(partnerd.backend, partnerd.db_url, tmp_path)
    other.start()
    try:
        fault = faults.inject(method="reseller.customers.get", status=503)
        r = other.raw("GET", customer_path(customer["customerId"]), token=token)
        assert r.status_code == 200, f"the other process answered {r.status_code}: {r.text}"
        r = other.control("GET", "faults")
        assert r.status_code == 200 and r.json() == {"faults": []}, r.text
        assert_fault_response(get_customer(partnerd, token, customer), 503, fault["id"])
    finally:
        other.stop()


# ---------------------------------------------------------------------------
# The official clients' retries meet the faults
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [503, 500, 429])
def test_client_retries_through_count_2(partnerd, faults, customer, status):
    svc = partnerd.service(partnerd.a)
    svc.customers().get(customerId=customer["customerId"]).execute()   # token fetched before the fault
    fault = faults.inject(method="reseller.customers.get", status=status, count=2)
    req = svc.customers().get(customerId=customer["customerId"])
    sleeps = record_sleeps(req)
    got = req.execute(num_retries=3)
    assert got["customerId"] == customer["customerId"]
    assert sleeps == [2, 4], f"expected two retries (sleeps 2 s, 4 s), got sleeps {sleeps}"
    live = faults.get(fault["id"])
    assert live is not None, "an exhausted fault vanished from GET faults"
    assert live["injected"] == 2 and live["remaining"] == 0, live


@pytest.mark.parametrize("status", [503, 500, 429])
def test_client_without_retries_raises(partnerd, faults, customer, status):
    svc = partnerd.service(partnerd.a)
    svc.customers().get(customerId=customer["customerId"]).execute()
    fault = faults.inject(method="reseller.customers.get", status=status, count=1)
    req = svc.customers().get(customerId=customer["customerId"])
    sleeps = record_sleeps(req)
    with pytest.raises(HttpError) as info:
        req.execute(num_retries=0)
    assert_fault_http_error(info.value, status, fault["id"])
    assert info.value.status_code == status
    assert sleeps == []
    assert faults.get(fault["id"])["injected"] == 1


def test_client_gives_up_when_count_exceeds_retries(partnerd, faults, customer):
    svc = partnerd.service(partnerd.a)
    svc.customers().get(customerId=customer["customerId"]).execute()
    fault = faults.inject(method="reseller.customers.get", status=503, count=4)
    req = svc.customers().get(customerId=customer["customerId"])
    sleeps = record_sleeps(req)
    with pytest.raises(HttpError) as info:
        req.execute(num_retries=3)
    assert_fault_http_error(info.value, 503, fault["id"])
    assert sleeps == [2, 4, 8], f"expected three retries, got sleeps {sleeps}"
    live = faults.get(fault["id"])
    assert live is not None, "an exhausted fault vanished from GET faults"
    assert live["injected"] == 4 and live["remaining"] == 0, live
    # The fault is used up: the next call goes through without a retry.
    req = svc.customers().get(customerId=customer["customerId"])
    sleeps = record_sleeps(req)
    assert req.execute(num_retries=3)["customerId"] == customer["customerId"]
    assert sleeps == []


def test_client_retries_insert_and_creates_exactly_one_customer(partnerd, faults):
    """Faulted requests are not executed, so retrying a POST is safe: the
    third attempt creates the customer, once."""
    reseller = fresh_reseller(partnerd, "flt")
    svc = partnerd.service(reseller)
    svc.subscriptions().list().execute()
    domain = unique_domain("retried")
    fault = faults.inject(method="reseller.customers.insert", status=503, count=2)
    req = svc.customers().insert(body=domain_customer(domain))
    sleeps = record_sleeps(req)
    created = req.execute(num_retries=3)
    assert created["customerDomain"] == domain
    assert sleeps == [2, 4]
    # One customer: inserting the domain again is a conflict.
    err = execute_error(svc.customers().insert(body=domain_customer(domain)))
    assert_http_error(err, 409)
    live = faults.get(fault["id"])
    assert live is not None, "an exhausted fault vanished from GET faults"
    assert live["injected"] == 2, live


def test_directory_client_retries_too(partnerd, faults):
    dsvc = partnerd.directory(partnerd.a)
    dsvc.users().get(userKey=partnerd.a["adminEmail"]).execute()
    fault = faults.inject(method="directory.users.get", status=503, count=2)
    req = dsvc.users().get(userKey=partnerd.a["adminEmail"])
    sleeps = record_sleeps(req)
    user = req.execute(num_retries=2)
    assert user["primaryEmail"] == partnerd.a["adminEmail"]
    assert sleeps == [2, 4]
    live = faults.get(fault["id"])
    assert live is not None, "an exhausted fault vanished from GET faults"
    assert live["injected"] == 2, live


# ---------------------------------------------------------------------------
# google-auth's token refresh meets oauth2.token faults
#
# google.oauth2._client._token_endpoint_request_no_throw retries the token
# request through google.auth._exponential_backoff.ExponentialBackoff: three
# attempts in all, sleeping ~1 s then ~2 s, when the status is one of
# transport.DEFAULT_RETRYABLE_STATUS_CODES (500, 503, 504, 408, 429). After
# the third failure it raises RefreshError(retryable=True).
# ---------------------------------------------------------------------------


@pytest.fixture
def auth_sleeps(monkeypatch):
    recorder = SleepRecorder()
    monkeypatch.setattr(google.auth._exponential_backoff, "time", recorder)
    return recorder


def test_token_endpoint_fault_format(partnerd, faults):
    fault = faults.inject(method="oauth2.token", status=503, count=1)
    assert_fault_response(post_token(partnerd), 503, fault["id"])
    r = post_token(partnerd)
    assert r.status_code == 200 and "access_token" in r.json(), r.text


@pytest.mark.parametrize("status", [503, 500, 429])
def test_google_auth_refresh_retries_through_two_faults(partnerd, faults, auth_sleeps, status):
    creds = partnerd.credentials(partnerd.a)
    fault = faults.inject(method="oauth2.token", status=status, count=2)
    creds.refresh(google.auth.transport.requests.Request())
    assert creds.token, "refresh returned no token"
    assert len(auth_sleeps.sleeps) == 2, f"google-auth slept {auth_sleeps.sleeps}: expected two back-offs"
    live = faults.get(fault["id"])
    assert live is not None, "an exhausted fault vanished from GET faults"
    assert live["injected"] == 2, live
    # The token works.
    svc = partnerd.build_service(creds)
    svc.subscriptions().list(maxResults=1).execute()


def test_google_auth_refresh_gives_up_after_three_attempts(partnerd, faults, auth_sleeps):
    creds = partnerd.credentials(partnerd.a)
    fault = faults.inject(method="oauth2.token", status=503, count=3)
    with pytest.raises(auth_exceptions.RefreshError) as info:
        creds.refresh(google.auth.transport.requests.Request())
    assert info.value.retryable is True, info.value
    assert len(auth_sleeps.sleeps) == 2, auth_sleeps.sleeps
    live = faults.get(fault["id"])
    assert live is not None, "an exhausted fault vanished from GET faults"
    assert live["injected"] == 3, live
    creds.refresh(google.auth.transport.requests.Request())
    assert creds.token
