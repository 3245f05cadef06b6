"""Per-access-token rate limits: ``partnerd serve --rate-limit-per-minute N
[--rate-limit-answer 429|403]`` (or PARTNERD_RATE_LIMIT_PER_MINUTE /
PARTNERD_RATE_LIMIT_ANSWER).

Each access token has a bucket of N requests that refills continuously, N per
60 s. Over the limit the API answers 429 rateLimitExceeded (or 403
userRateLimitExceeded) in Google's format with Retry-After. /token, the control
API and the health routes are not limited. Off by default.

These tests start servers of their own (SQLite) with the limit on; only the
"off by default" test uses the shared session server.
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import time

import google.auth.transport.requests
import pytest
import requests
from googleapiclient.errors import HttpError

from conftest import PARTNERD_BIN, Partnerd
from dir_helpers import DIR_PREFIX, SCOPE_DIR_CUSTOMER, SCOPE_DIR_ORGUNIT, SCOPE_DIR_USER
from fault_helpers import RATE_LIMIT_ERRORS, assert_google_error, assert_rate_limited, record_sleeps
from helpers import (
    API_PREFIX,
    SCOPE_ORDER,
    SCOPE_ORDER_READONLY,
    domain_customer,
    post_assertion,
    signed_assertion,
    unique_domain,
)
from lic_helpers import SCOPE_LICENSING

PER_MINUTE = 20


class LimitedPartnerd(Partnerd):
    """A Partnerd started with extra serve flags and environment variables."""

    def __init__(self, backend, db_url, workdir, *, extra_args=(), extra_env=None):
        super().__init__(backend, db_url, workdir, extra_args=extra_args, extra_env=extra_env)
        self._scope_sets = list(_scope_sets())
        self._issued: set[str] = set()

    def fresh_creds(self, need=()):
        """Refreshed credentials holding an access token no other test of this
        server used (so its bucket is full): each call asks for a scope set
        not asked for before, so a server that caches tokens per scope set
        cannot hand back a used one. ``need``: scopes the token must have."""
        for scopes in list(self._scope_sets):
            if not set(need) <= set(scopes):
                continue
            self._scope_sets.remove(scopes)
            creds = self.credentials(self.a, scopes=scopes)
            creds.refresh(google.auth.transport.requests.Request())
            if creds.token not in self._issued:
                self._issued.add(creds.token)
                return creds
        raise AssertionError("ran out of distinct scope sets for fresh tokens")

    def fresh_token(self, need=()) -> str:
        return self.fresh_creds(need).token


def _scope_sets():
    """Every scope set that can read a customer: one or both Reseller scopes
    plus any subset of the others (3 x 16 = 48 sets)."""
    others = [SCOPE_DIR_USER, SCOPE_DIR_CUSTOMER, SCOPE_DIR_ORGUNIT, SCOPE_LICENSING]
    for reseller in ([SCOPE_ORDER], [SCOPE_ORDER_READONLY], [SCOPE_ORDER, SCOPE_ORDER_READONLY]):
        for k in range(len(others) + 1):
            for extra in itertools.combinations(others, k):
                yield [*reseller, *extra]


def _start(tmp_path_factory, name, **kwargs) -> LimitedPartnerd:
    workdir = tmp_path_factory.mktemp(name)
    db_url = "sqlite://" + str((workdir / "partnerd.db").resolve())
    server = LimitedPartnerd("sqlite", db_url, workdir, **kwargs)
    server.start()
    try:
        server.create_reseller("a", "limited-a.example")
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """Limit by flag, default answer (429)."""
    server = _start(tmp_path_factory, "ratelimit-429",
                    extra_args=["--rate-limit-per-minute", str(PER_MINUTE)])
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def limited_403(tmp_path_factory):
    """Limit by environment variables, answer 403."""
    server = _start(tmp_path_factory, "ratelimit-403",
                    extra_env={"PARTNERD_RATE_LIMIT_PER_MINUTE": str(PER_MINUTE),
                               "PARTNERD_RATE_LIMIT_ANSWER": "403"})
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def limited_customer(limited):
    """A customer of the 429 server's reseller, made with a token of its own."""
    svc = limited.build_service(limited.fresh_creds())
    return svc.customers().insert(body=domain_customer(unique_domain("limit"))).execute()


@pytest.fixture(scope="module")
def limited_403_customer(limited_403):
    svc = limited_403.build_service(limited_403.fresh_creds())
    return svc.customers().insert(body=domain_customer(unique_domain("limit"))).execute()


def customer_url(server, customer) -> str:
    return f"{server.base_url}{API_PREFIX}/customers/{customer['customerId']}"


def exhaust(session: requests.Session, url: str, token: str, code: int, limit: int = 1000):
    """GET ``url`` until the first answer that is not 200; that answer must be
    ``code``. Returns (successes, the limited response, seconds taken)."""
    headers = {"Authorization": f"Bearer {token}"}
    start = time.monotonic()
    for successes in range(limit):
        r = session.get(url, headers=headers, timeout=30)
        if r.status_code != 200:
            assert r.status_code == code, f"request {successes + 1}: HTTP {r.status_code}: {r.text[:500]}"
            return successes, r, time.monotonic() - start
    raise AssertionError(f"{limit} requests passed a limit of {PER_MINUTE}/minute")


def assert_burst(successes: int, elapsed: float) -> None:
    """A fresh token passes exactly its burst of N requests, plus at most what
    refilled (N per 60 s) while they ran."""
    refilled = math.ceil(elapsed * PER_MINUTE / 60)
    assert PER_MINUTE <= successes <= PER_MINUTE + refilled, (
        f"{successes} requests passed before the limit; expected {PER_MINUTE}"
        f"..{PER_MINUTE + refilled} in {elapsed:.2f}s"
    )


# ---------------------------------------------------------------------------
# Off by default
# ---------------------------------------------------------------------------


def test_no_limit_by_default(partnerd):
    token = partnerd.access_token(partnerd.a)
    url = f"{partnerd.base_url}{API_PREFIX}/subscriptions"
    with requests.Session() as s:
        for i in range(300):
            r = s.get(url, headers={"Authorization": f"Bearer {token}"}, params={"maxResults": 1}, timeout=30)
            assert r.status_code == 200, f"request {i + 1} of 300 on a server without limits: {r.status_code} {r.text}"


# ---------------------------------------------------------------------------
# The 429 answer
# ---------------------------------------------------------------------------


def test_over_the_limit_is_429_with_retry_after(limited, limited_customer):
    token = limited.fresh_token()
    with requests.Session() as s:
        successes, r, elapsed = exhaust(s, customer_url(limited, limited_customer), token, 429)
    assert_burst(successes, elapsed)
    assert_rate_limited(r, 429, PER_MINUTE)


def test_other_tokens_have_their_own_budget(limited, limited_customer):
    first = limited.fresh_token()
    second = limited.fresh_token()
    assert first != second
    url = customer_url(limited, limited_customer)
    with requests.Session() as s:
        exhaust(s, url, first, 429)
        r = s.get(url, headers={"Authorization": f"Bearer {second}"}, timeout=30)
        assert r.status_code == 200, f"a second token was limited too: {r.status_code} {r.text}"
        successes, r, elapsed = exhaust(s, url, second, 429)
    # The second token had its full burst (minus the one request above).
    assert_burst(successes + 1, elapsed)


def test_budget_is_per_token_across_apis(limited, limited_customer):
    """One token's budget covers the Reseller and Directory APIs."""
    token = limited.fresh_token(need=[SCOPE_ORDER, SCOPE_DIR_USER])
    with requests.Session() as s:
        exhaust(s, customer_url(limited, limited_customer), token, 429)
        h = {"Authorization": f"Bearer {token}"}
        r = s.get(f"{limited.base_url}{DIR_PREFIX}/users/{limited.a['adminEmail']}", headers=h, timeout=30)
        assert_rate_limited(r, 429, PER_MINUTE)
        r = s.get(f"{limited.base_url}{API_PREFIX}/subscriptions", headers=h, timeout=30)
        assert_rate_limited(r, 429, PER_MINUTE)


def test_token_control_and_health_are_not_limited(limited, limited_customer):
    token = limited.fresh_token()
    with requests.Session() as s:
        exhaust(s, customer_url(limited, limited_customer), token, 429)
        for i in range(PER_MINUTE + 5):
            assertion = signed_assertion(limited.a["keyfile"], subject=limited.a["adminEmail"])
            r = post_assertion(limited.base_url, assertion)
            assert r.status_code == 200, f"/token request {i + 1}: {r.status_code} {r.text}"
        for i in range(PER_MINUTE + 5):
            r = limited.control("GET", "clock")
            assert r.status_code == 200, f"control request {i + 1}: {r.status_code} {r.text}"
        for path in ("/healthz", "/readyz"):
            for i in range(PER_MINUTE + 5):
                r = s.get(limited.base_url + path, timeout=30)
                assert r.status_code == 200, f"{path} request {i + 1}: {r.status_code} {r.text}"
        # A health request carrying the limited token is still not limited.
        r = s.get(limited.base_url + "/healthz", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert r.status_code == 200, r.text


def test_limited_request_is_not_executed(limited):
    token = limited.fresh_token()
    other = limited.fresh_token()
    domain = unique_domain("limited")
    url = f"{limited.base_url}{API_PREFIX}/customers"
    with requests.Session() as s:
        # Spend the budget on reads, then try an insert.
        exhaust(s, f"{limited.base_url}{API_PREFIX}/subscriptions?maxResults=1", token, 429)
        h = {"Authorization": f"Bearer {token}"}
        r = s.post(url, headers=h, json=domain_customer(domain), timeout=30)
        assert_rate_limited(r, 429, PER_MINUTE)
        # Another token finds no such customer.
        r = s.get(f"{url}/{domain}", headers={"Authorization": f"Bearer {other}"}, timeout=30)
        assert r.status_code == 404, f"a rate-limited insert created the customer: {r.status_code} {r.text}"


def test_budget_refills_after_retry_after(limited, limited_customer):
    token = limited.fresh_token()
    url = customer_url(limited, limited_customer)
    with requests.Session() as s:
        _, r, _ = exhaust(s, url, token, 429)
        wait = assert_rate_limited(r, 429, PER_MINUTE)
        time.sleep(wait + 0.2)
        h = {"Authorization": f"Bearer {token}"}
        r = s.get(url, headers=h, timeout=30)
        assert r.status_code == 200, f"still limited {wait}s after Retry-After {wait}: {r.status_code} {r.text}"
        # One request's worth refilled in ~3 s, not the whole burst.
        r = s.get(url, headers=h, timeout=30)
        r2 = s.get(url, headers=h, timeout=30)
        assert 429 in (r.status_code, r2.status_code), (
            f"after one refill interval, two more requests passed: {r.status_code}, {r2.status_code}"
        )


# ---------------------------------------------------------------------------
# The 403 answer (configured through the environment)
# ---------------------------------------------------------------------------


def test_over_the_limit_is_403_user_rate_limit_exceeded(limited_403, limited_403_customer):
    token = limited_403.fresh_token()
    with requests.Session() as s:
        successes, r, elapsed = exhaust(s, customer_url(limited_403, limited_403_customer), token, 403)
    assert_burst(successes, elapsed)
    assert_rate_limited(r, 403, PER_MINUTE)


def test_bad_rate_limit_answer_is_refused(tmp_path):
    """Only 429 and 403 are accepted: anything else stops serve at start."""
    db_url = "sqlite://" + str((tmp_path / "partnerd.db").resolve())
    for answer in ("500", "418", "abc"):
        proc = subprocess.run(
            [PARTNERD_BIN, "serve", "--listen", "127.0.0.1:0", "--database", db_url, "--no-demo",
             "--rate-limit-per-minute", "10", "--rate-limit-answer", answer],
            capture_output=True, text=True, timeout=30,
        )
        assert proc.returncode != 0, f"serve accepted --rate-limit-answer {answer}: {proc.stdout} {proc.stderr}"
        assert "rate-limit-answer" in proc.stderr, proc.stderr


# ---------------------------------------------------------------------------
# The official client's retries meet the limit
# ---------------------------------------------------------------------------


def _limited_client(server, customer, code):
    """A reseller client whose token's budget is spent, and a fresh request."""
    creds = server.fresh_creds()
    svc = server.build_service(creds)
    with requests.Session() as s:
        exhaust(s, customer_url(server, customer), creds.token, code)
    return svc


@pytest.mark.parametrize("answer", [429, 403])
def test_client_retries_then_gives_up_when_no_budget_refills(limited, limited_403, limited_customer,
                                                             limited_403_customer, answer):
    """googleapiclient retries 429 and 403 userRateLimitExceeded; with its
    sleeps recorded instead of slept, no budget refills (one request takes 3 s
    to refill) and the call fails after num_retries retries."""
    server, customer = (limited, limited_customer) if answer == 429 else (limited_403, limited_403_customer)
    svc = _limited_client(server, customer, answer)
    start = time.monotonic()
    req = svc.customers().get(customerId=customer["customerId"])
    sleeps = record_sleeps(req)
    with pytest.raises(HttpError) as info:
        req.execute(num_retries=3)
    took = time.monotonic() - start
    assert took < 2.5, f"the retries took {took:.2f}s; a refill may have happened (test needs a faster machine)"
    assert info.value.status_code == answer
    reason, domain, status = RATE_LIMIT_ERRORS[answer]
    assert_google_error(json.loads(info.value.content), answer, reason, domain, status)
    assert sleeps == [2, 4, 8], f"expected three retries, got sleeps {sleeps}"


@pytest.mark.parametrize("answer", [429, 403])
def test_client_retries_through_the_limit_in_real_time(limited, limited_403, limited_customer,
                                                       limited_403_customer, answer):
    """With real back-off (2 s, 4 s, ... with rand() = 1) the budget refills
    one request per 3 s, so the call succeeds after one or two retries."""
    server, customer = (limited, limited_customer) if answer == 429 else (limited_403, limited_403_customer)
    svc = _limited_client(server, customer, answer)
    req = svc.customers().get(customerId=customer["customerId"])
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        time.sleep(seconds)

    req._sleep = sleep
    req._rand = lambda: 1.0
    got = req.execute(num_retries=3)
    assert got["customerId"] == customer["customerId"]
    assert 1 <= len(sleeps) <= 2, f"expected one or two retries, got sleeps {sleeps}"
