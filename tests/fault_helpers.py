"""Helpers for the fault-injection, rate-limit and OpenAPI suites.

Google's quota and availability errors, the official clients' retry loops with
their back-off sleeps recorded instead of slept, and the scopes a token needs
to reach every API partnerd serves. Everything talks to the server over HTTP
only.
"""

from __future__ import annotations

import json
import math

import requests
from googleapiclient.errors import HttpError

from dir_helpers import DIRECTORY_SCOPES
from helpers import SCOPE_ORDER
from lic_helpers import SCOPE_LICENSING
from role_helpers import SCOPE_ROLES

# Every scope partnerd knows, read-write flavour (each implies its read-only one).
ALL_SCOPES = [SCOPE_ORDER, *DIRECTORY_SCOPES, SCOPE_ROLES, SCOPE_LICENSING]

# What an injected fault answers, by HTTP status: (reason, domain, status).
FAULT_ERRORS = {
    503: ("backendError", "global", "UNAVAILABLE"),
    500: ("backendError", "global", "INTERNAL"),
    429: ("rateLimitExceeded", "usageLimits", "RESOURCE_EXHAUSTED"),
}

# What the rate limiter answers, by --rate-limit-answer.
RATE_LIMIT_ERRORS = {
    429: ("rateLimitExceeded", "usageLimits", "RESOURCE_EXHAUSTED"),
    403: ("userRateLimitExceeded", "usageLimits", "PERMISSION_DENIED"),
}

FAULT_HEADER = "X-Partnerd-Fault"


# ---------------------------------------------------------------------------
# Google error bodies with any domain
# ---------------------------------------------------------------------------


def assert_google_error(body, code: int, reason: str, domain: str, status: str) -> dict:
    """``body`` is exactly {"error": {"code", "message", "errors": [{"message",
    "domain", "reason"}], "status"}} with the given values."""
    assert isinstance(body, dict), f"error body is not a JSON object: {body!r}"
    assert set(body) == {"error"}, f"unexpected top-level keys in error body: {body!r}"
    err = body["error"]
    assert isinstance(err, dict), body
    assert err.get("code") == code, f"error.code {err.get('code')!r} != {code}: {body!r}"
    assert isinstance(err.get("message"), str) and err["message"], f"error.message missing: {body!r}"
    assert err.get("status") == status, f"error.status {err.get('status')!r} != {status!r}: {body!r}"
    errors = err.get("errors")
    assert isinstance(errors, list) and len(errors) >= 1, f"error.errors missing/empty: {body!r}"
    first = errors[0]
    assert first.get("reason") == reason, f"errors[0].reason {first.get('reason')!r} != {reason!r}: {body!r}"
    assert first.get("domain") == domain, f"errors[0].domain {first.get('domain')!r} != {domain!r}: {body!r}"
    assert isinstance(first.get("message"), str) and first["message"], f"errors[0].message missing: {body!r}"
    return err


def assert_fault_response(resp: requests.Response, code: int, fault_id: str | None) -> dict:
    """A raw answer is the injected fault ``fault_id`` with HTTP ``code``."""
    assert resp.status_code == code, f"HTTP {resp.status_code} != injected {code}: {resp.text[:1000]!r}"
    ctype = resp.headers.get("Content-Type", "")
    assert "application/json" in ctype, f"Content-Type {ctype!r}: {resp.text[:300]!r}"
    reason, domain, status = FAULT_ERRORS[code]
    err = assert_google_error(resp.json(), code, reason, domain, status)
    if fault_id is not None:
        assert resp.headers.get(FAULT_HEADER) == fault_id, (
            f"{FAULT_HEADER} header {resp.headers.get(FAULT_HEADER)!r} != fault id {fault_id!r}"
        )
    return err


def assert_fault_http_error(exc, code: int, fault_id: str | None) -> dict:
    """Same as assert_fault_response for a googleapiclient HttpError."""
    assert isinstance(exc, HttpError), f"expected HttpError, got {type(exc).__name__}: {exc!r}"
    assert exc.resp.status == code, f"HTTP {exc.resp.status} != injected {code}: {exc.content[:1000]!r}"
    reason, domain, status = FAULT_ERRORS[code]
    err = assert_google_error(json.loads(exc.content), code, reason, domain, status)
    # googleapiclient parses the reason out of the same body: what the caller sees.
    assert exc.reason == err["message"].strip(), (exc.reason, err)
    assert exc.error_details and exc.error_details[0].get("reason") == reason, exc.error_details
    if fault_id is not None:
        # httplib2 lower-cases header names.
        assert exc.resp.get(FAULT_HEADER.lower()) == fault_id, (
            f"{FAULT_HEADER} header {exc.resp.get(FAULT_HEADER.lower())!r} != fault id {fault_id!r}"
        )
    return err


def assert_rate_limited(resp: requests.Response, code: int, per_minute: int) -> int:
    """A raw answer is the rate limiter's ``code`` answer; returns Retry-After.

    Retry-After is whole seconds until the next request may pass: at least 1
    (0 would invite an immediate retry that fails again) and at most the time
    one request's worth of budget takes to refill, ceil(60 / per_minute)."""
    assert resp.status_code == code, f"HTTP {resp.status_code} != {code}: {resp.text[:1000]!r}"
    ctype = resp.headers.get("Content-Type", "")
    assert "application/json" in ctype, f"Content-Type {ctype!r}: {resp.text[:300]!r}"
    reason, domain, status = RATE_LIMIT_ERRORS[code]
    assert_google_error(resp.json(), code, reason, domain, status)
    raw = resp.headers.get("Retry-After")
    assert raw is not None, f"no Retry-After header on a rate-limited answer: {dict(resp.headers)!r}"
    assert raw.strip().isdigit(), f"Retry-After is not whole seconds: {raw!r}"
    seconds = int(raw)
    bound = math.ceil(60 / per_minute)
    assert 1 <= seconds <= bound, (
        f"Retry-After {seconds}s is not within 1..{bound}s (one request refills in {60 / per_minute:g}s)"
    )
    assert FAULT_HEADER not in resp.headers, f"rate-limited answer carries {FAULT_HEADER}: {dict(resp.headers)!r}"
    return seconds


# ---------------------------------------------------------------------------
# The official client's retry loop, without the waiting
# ---------------------------------------------------------------------------


def record_sleeps(request) -> list:
    """Make a googleapiclient HttpRequest record its back-off sleeps instead
    of sleeping. With rand() fixed at 1.0 the n-th retry sleeps 2**n seconds,
    so the list returned (filled in as the request executes) is [2, 4, ...],
    one entry per retry."""
    sleeps: list = []
    request._sleep = sleeps.append
    request._rand = lambda: 1.0
    return sleeps


class SleepRecorder:
    """Stands in for the ``time`` module of google.auth._exponential_backoff:
    records each back-off sleep of google-auth's token-endpoint retry loop."""

    def __init__(self):
        self.sleeps: list = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
