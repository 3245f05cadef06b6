"""Shared helpers for the partnerd black-box tests.

Everything here talks to the server only over HTTP (or through Google's
official Python clients), exactly like a real reseller integration would.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from importlib import resources

import google.auth.crypt
import google.auth.jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from googleapiclient.errors import HttpError

SCOPE_ORDER = "https://www.googleapis.com/auth/apps.order"
SCOPE_ORDER_READONLY = "https://www.googleapis.com/auth/apps.order.readonly"
SCOPE_CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
SCOPE_UNKNOWN = "https://www.googleapis.com/auth/not-a-scope"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"

API_PREFIX = "/apps/reseller/v1"
CUSTOMER_ID_RE = re.compile(r"^C0[0-9a-z]{7}$")

# Canonical google.rpc status names for the HTTP codes the contract pins down.
CANONICAL_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
}


# ---------------------------------------------------------------------------
# Test data
# ---------------------------------------------------------------------------


def unique_domain(prefix: str = "cust") -> str:
    """A fresh, syntactically valid customer domain nobody has used yet."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}.com"


def address(**overrides) -> dict:
    addr = {
        "contactName": "Jane Roe",
        "organizationName": "Example Widgets Inc.",
        "addressLine1": "1600 Amphitheatre Parkway",
        "locality": "Mountain View",
        "region": "CA",
        "postalCode": "94043",
        "countryCode": "US",
    }
    addr.update(overrides)
    return {k: v for k, v in addr.items() if v is not None}


def domain_customer(domain: str | None = None, *, address_overrides=None, **overrides) -> dict:
    """A complete, valid body for inserting a domain customer.

    Keyword overrides replace top-level fields; a value of None removes the
    field. ``address_overrides`` does the same inside postalAddress.
    """
    body = {
        "customerDomain": domain or unique_domain(),
        "alternateEmail": "billing@alt-mail.example",
        "phoneNumber": "+1 650-253-0000",
        "postalAddress": address(**(address_overrides or {})),
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def team_customer(domain: str | None = None, **overrides) -> dict:
    domain = domain or unique_domain("team")
    body = {
        "customerDomain": domain,
        "customerType": "team",
        "primaryAdmin": {"primaryEmail": f"owner@{domain}"},
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


# ---------------------------------------------------------------------------
# Error assertions
# ---------------------------------------------------------------------------


def assert_error_body(body, code: int, reason: str | None = None, status: str | None = None,
                      message_contains: str | None = None) -> dict:
    """Assert ``body`` is a Google API error document for ``code``/``reason``.

    Shape: {"error": {"code", "message", "errors": [{"domain", "reason",
    "message"}], "status"}}. Returns the inner "error" object.
    """
    assert isinstance(body, dict), f"error body is not a JSON object: {body!r}"
    assert set(body) == {"error"}, f"unexpected top-level keys in error body: {body!r}"
    err = body["error"]
    assert isinstance(err, dict), body
    assert err.get("code") == code, f"error.code {err.get('code')!r} != {code}: {body!r}"
    assert isinstance(err.get("message"), str) and err["message"], f"error.message missing: {body!r}"
    errors = err.get("errors")
    assert isinstance(errors, list) and len(errors) >= 1, f"error.errors missing/empty: {body!r}"
    first = errors[0]
    assert first.get("domain") == "global", f"errors[0].domain != 'global': {body!r}"
    assert isinstance(first.get("reason"), str) and first["reason"], f"errors[0].reason missing: {body!r}"
    assert isinstance(first.get("message"), str) and first["message"], f"errors[0].message missing: {body!r}"
    if reason is not None:
        assert first["reason"] == reason, f"errors[0].reason {first['reason']!r} != {reason!r}: {body!r}"
    expected_status = status or CANONICAL_STATUS.get(code)
    assert isinstance(err.get("status"), str) and err["status"], f"error.status missing: {body!r}"
    if expected_status is not None:
        assert err["status"] == expected_status, f"error.status {err['status']!r} != {expected_status!r}: {body!r}"
    if message_contains is not None:
        assert message_contains in err["message"], (
            f"error.message does not name {message_contains!r}: {err['message']!r}"
        )
    return err


def assert_http_error(exc: HttpError, code: int, reason: str | None = None, status: str | None = None,
                      message_contains: str | None = None) -> dict:
    """Assert a googleapiclient HttpError carries the given Google error."""
    assert isinstance(exc, HttpError), f"expected HttpError, got {type(exc).__name__}: {exc!r}"
    assert exc.resp.status == code, f"HTTP status {exc.resp.status} != {code}: {exc.content[:2000]!r}"
    try:
        body = json.loads(exc.content)
    except ValueError as e:  # pragma: no cover - failure path
        raise AssertionError(f"error response is not JSON: {exc.content[:2000]!r}") from e
    return assert_error_body(body, code, reason, status, message_contains)


def assert_response_error(resp: requests.Response, code: int, reason: str | None = None,
                          status: str | None = None, message_contains: str | None = None) -> dict:
    """Same as assert_http_error for a raw ``requests`` response."""
    assert resp.status_code == code, f"HTTP status {resp.status_code} != {code}: {resp.text[:2000]!r}"
    ctype = resp.headers.get("Content-Type", "")
    assert "application/json" in ctype, f"error Content-Type is {ctype!r}: {resp.text[:500]!r}"
    try:
        body = resp.json()
    except ValueError as e:  # pragma: no cover - failure path
        raise AssertionError(f"error response is not JSON: {resp.text[:2000]!r}") from e
    return assert_error_body(body, code, reason, status, message_contains)


def execute_error(request) -> HttpError:
    """Execute a googleapiclient request that must fail; return the HttpError."""
    try:
        result = request.execute()
    except HttpError as e:
        return e
    raise AssertionError(f"request unexpectedly succeeded: {result!r}")


def refresh_error_code(exc) -> str | None:
    """The OAuth ``error`` code carried by a google.auth RefreshError."""
    if len(exc.args) > 1 and isinstance(exc.args[1], dict):
        return exc.args[1].get("error")
    return None


# ---------------------------------------------------------------------------
# Discovery document (the copy bundled with google-api-python-client)
# ---------------------------------------------------------------------------

_DISCOVERY = None


def discovery() -> dict:
    global _DISCOVERY
    if _DISCOVERY is None:
        docs = resources.files("googleapiclient.discovery_cache") / "documents" / "reseller.v1.json"
        _DISCOVERY = json.loads(docs.read_text(encoding="utf-8"))
    return _DISCOVERY


def schema_properties(name: str) -> dict:
    return discovery()["schemas"][name]["properties"]


def assert_customer_shape(customer: dict) -> None:
    """Every field of a Customer response must exist in the discovery schema,
    with the JSON type the discovery document declares."""
    props = schema_properties("Customer")
    unknown = set(customer) - set(props)
    assert not unknown, f"Customer response has fields unknown to the discovery doc: {sorted(unknown)}"
    _check_types(customer, props, "Customer")
    if "postalAddress" in customer:
        addr_props = schema_properties("Address")
        unknown = set(customer["postalAddress"]) - set(addr_props)
        assert not unknown, f"postalAddress has fields unknown to the discovery doc: {sorted(unknown)}"
        _check_types(customer["postalAddress"], addr_props, "Address")
    if "primaryAdmin" in customer:
        pa_props = schema_properties("PrimaryAdmin")
        unknown = set(customer["primaryAdmin"]) - set(pa_props)
        assert not unknown, f"primaryAdmin has fields unknown to the discovery doc: {sorted(unknown)}"


def assert_no_nulls(obj, path: str = "") -> None:
    """Google omits unset fields; it never sends JSON null."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            assert value is not None, f"response contains null at {path + key!r}: {obj!r}"
            assert_no_nulls(value, f"{path}{key}.")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            assert_no_nulls(value, f"{path}{i}.")


def _check_types(obj: dict, props: dict, schema: str) -> None:
    for key, value in obj.items():
        if value is None:
            continue  # nulls are reported by assert_no_nulls
        declared = props[key].get("type")
        if declared == "string":
            assert isinstance(value, str), f"{schema}.{key} should be a string, got {value!r}"
        elif declared == "boolean":
            assert isinstance(value, bool), f"{schema}.{key} should be a boolean, got {value!r}"


# ---------------------------------------------------------------------------
# Raw OAuth helpers
# ---------------------------------------------------------------------------


def load_key(keyfile: str) -> dict:
    with open(keyfile, encoding="utf-8") as f:
        return json.load(f)


def signed_assertion(keyfile: str, *, subject: str | None, scope: str | None = SCOPE_ORDER,
                     aud: str | None = None, iat: int | None = None, exp: int | None = None,
                     **extra_claims) -> bytes:
    """Sign a jwt-bearer assertion with the service-account key in ``keyfile``."""
    info = load_key(keyfile)
    signer = google.auth.crypt.RSASigner.from_service_account_info(info)
    now = int(time.time())
    iat = now if iat is None else iat
    payload = {
        "iss": info["client_email"],
        "aud": aud if aud is not None else info["token_uri"],
        "iat": iat,
        "exp": exp if exp is not None else iat + 3600,
    }
    if scope is not None:
        payload["scope"] = scope
    if subject is not None:
        payload["sub"] = subject
    payload.update(extra_claims)
    return google.auth.jwt.encode(signer, payload)


def post_assertion(base_url: str, assertion: bytes) -> requests.Response:
    return requests.post(
        base_url + "/token",
        data={"grant_type": JWT_BEARER_GRANT, "assertion": assertion.decode("ascii")},
        timeout=30,
    )


def write_key(workdir, info: dict) -> str:
    """A service-account key file holding ``info``, in ``workdir``; its path."""
    path = workdir / f"key-{uuid.uuid4().hex[:8]}.json"
    path.write_text(json.dumps(info))
    return str(path)


def new_private_key_pem() -> str:
    """A fresh RSA private key (PKCS#8 PEM) that no service account holds."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
