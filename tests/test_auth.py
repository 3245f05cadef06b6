"""OAuth: the jwt-bearer token endpoint, scopes, subjects, expiry, control API auth."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from datetime import datetime, timedelta

import google.auth.exceptions
import google.auth.transport.requests
import pytest

from helpers import (
    API_PREFIX,
    GOOGLE_TOKEN_URI,
    SCOPE_CLOUD_PLATFORM,
    SCOPE_ORDER,
    SCOPE_ORDER_READONLY,
    SCOPE_UNKNOWN,
    assert_http_error,
    assert_response_error,
    domain_customer,
    execute_error,
    load_key,
    new_private_key_pem,
    post_assertion,
    refresh_error_code,
    signed_assertion,
    write_key,
)


def customer_path(key: str) -> str:
    return f"{API_PREFIX}/customers/{key}"


@pytest.fixture
def customer_a(partnerd):
    """A customer owned by reseller A."""
    return partnerd.service(partnerd.a).customers().insert(body=domain_customer()).execute()


def expect_refresh_error(request_or_callable, oauth_error: str):
    with pytest.raises(google.auth.exceptions.RefreshError) as info:
        if callable(request_or_callable):
            request_or_callable()
        else:
            request_or_callable.execute()
    exc = info.value
    assert oauth_error in str(exc), f"RefreshError does not mention {oauth_error!r}: {exc!r}"
    assert refresh_error_code(exc) == oauth_error, f"OAuth error {refresh_error_code(exc)!r} != {oauth_error!r}"
    return exc


def assert_oauth_error(resp, oauth_error: str, status: int | tuple = 400):
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, f"token endpoint HTTP {resp.status_code}: {resp.text}"
    body = resp.json()
    assert body.get("error") == oauth_error, body
    assert isinstance(body.get("error_description"), str), body
    assert "access_token" not in body


def parse_rfc3339(value: str) -> datetime:
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", value)
    assert m, f"not an RFC 3339 timestamp: {value!r}"
    frac = (m.group(2) or ".0")[:7]
    tz = "+00:00" if m.group(3) == "Z" else m.group(3)
    return datetime.fromisoformat(m.group(1) + frac + tz)


# ---------------------------------------------------------------------------
# scopes
# ---------------------------------------------------------------------------


def test_readonly_scope_can_get_but_not_write(partnerd, customer_a):
    ro = partnerd.service(partnerd.a, scopes=[SCOPE_ORDER_READONLY])
    cid = customer_a["customerId"]

    assert ro.customers().get(customerId=cid).execute() == customer_a

    err = execute_error(ro.customers().insert(body=domain_customer()))
    assert_http_error(err, 403, "insufficientPermissions", "PERMISSION_DENIED")
    err = execute_error(ro.customers().patch(customerId=cid, body={"alternateEmail": "ro@alt-mail.example"}))
    assert_http_error(err, 403, "insufficientPermissions", "PERMISSION_DENIED")
    err = execute_error(
        ro.customers().update(customerId=cid, body=domain_customer(customer_a["customerDomain"]))
    )
    assert_http_error(err, 403, "insufficientPermissions", "PERMISSION_DENIED")

    # Nothing changed.
    assert ro.customers().get(customerId=cid).execute() == customer_a


def test_full_and_readonly_scopes_together(partnerd):
    svc = partnerd.service(partnerd.a, scopes=[SCOPE_ORDER, SCOPE_ORDER_READONLY])
    created = svc.customers().insert(body=domain_customer()).execute()
    assert svc.customers().get(customerId=created["customerId"]).execute() == created


@pytest.mark.parametrize(
    "scope",
    [
        "https://www.googleapis.com/auth/admin.directory.user",
        "https://www.googleapis.com/auth/admin.directory.customer",
        "https://www.googleapis.com/auth/apps.licensing",
    ],
)
def test_granted_non_reseller_scope_gets_token_but_no_reseller_access(partnerd, customer_a, scope):
    token = partnerd.access_token(partnerd.a, scopes=[scope])
    assert token
    r = partnerd.raw("GET", customer_path(customer_a["customerId"]), token=token)
    assert_response_error(r, 403, "insufficientPermissions", "PERMISSION_DENIED")


def test_unauthorized_google_scope_is_unauthorized_client(partnerd):
    svc = partnerd.service(partnerd.a, scopes=[SCOPE_CLOUD_PLATFORM])
    expect_refresh_error(svc.customers().get(customerId=partnerd.a["domain"]), "unauthorized_client")


def test_one_unauthorized_scope_among_granted_ones_is_unauthorized_client(partnerd):
    svc = partnerd.service(partnerd.a, scopes=[SCOPE_ORDER, SCOPE_CLOUD_PLATFORM])
    expect_refresh_error(svc.customers().get(customerId=partnerd.a["domain"]), "unauthorized_client")


def test_unknown_scope_is_invalid_scope(partnerd):
    svc = partnerd.service(partnerd.a, scopes=[SCOPE_UNKNOWN])
    expect_refresh_error(svc.customers().get(customerId=partnerd.a["domain"]), "invalid_scope")


def test_empty_scope_is_invalid_scope(partnerd):
    assertion = signed_assertion(partnerd.a["keyfile"], subject=partnerd.a["adminEmail"], scope="")
    assert_oauth_error(post_assertion(partnerd.base_url, assertion), "invalid_scope")


# ---------------------------------------------------------------------------
# missing / bad bearer tokens
# ---------------------------------------------------------------------------


def test_no_authorization_header_is_401(partnerd, customer_a):
    # Google answers a request without credentials with reason "required" naming the header.
    r = partnerd.raw("GET", customer_path(customer_a["customerId"]))
    assert_response_error(r, 401, "required", "UNAUTHENTICATED")
    assert r.json()["error"]["errors"][0]["location"] == "Authorization"
    r = partnerd.raw("POST", f"{API_PREFIX}/customers", json=domain_customer())
    assert_response_error(r, 401, "required", "UNAUTHENTICATED")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer garbage",
        "Bearer " + "a" * 200,
        "Bearer ",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_bad_authorization_header_is_401(partnerd, customer_a, header):
    r = partnerd.raw("GET", customer_path(customer_a["customerId"]), headers={"Authorization": header})
    assert_response_error(r, 401, "authError", "UNAUTHENTICATED")


def test_valid_token_works_raw(partnerd, customer_a):
    token = partnerd.access_token(partnerd.a)
    r = partnerd.raw("GET", customer_path(customer_a["customerId"]), token=token)
    assert r.status_code == 200, r.text
    assert r.json() == customer_a


def test_control_token_is_not_an_api_token(partnerd, customer_a):
    r = partnerd.raw("GET", customer_path(customer_a["customerId"]), token=partnerd.control_token)
    assert_response_error(r, 401, "authError", "UNAUTHENTICATED")


def test_token_without_subject_is_403(partnerd, customer_a):
    svc = partnerd.service(partnerd.a, impersonate=False)
    err = execute_error(svc.customers().get(customerId=customer_a["customerId"]))
    assert_http_error(err, 403, "insufficientPermissions", "PERMISSION_DENIED")
    err = execute_error(svc.customers().insert(body=domain_customer()))
    assert_http_error(err, 403, "insufficientPermissions", "PERMISSION_DENIED")


# ---------------------------------------------------------------------------
# keys and subjects
# ---------------------------------------------------------------------------


def test_key_file_looks_like_a_google_service_account_key(partnerd):
    info = load_key(partnerd.a["keyfile"])
    assert info["type"] == "service_account"
    assert info["token_uri"] == partnerd.base_url + "/token"
    assert info["client_email"] == partnerd.a["key"]["clientEmail"]
    assert info["client_id"] == partnerd.a["key"]["clientId"]
    assert info["private_key_id"] == partnerd.a["key"]["privateKeyId"]
    assert info["private_key"].startswith("-----BEGIN ")
    assert info["project_id"]
    assert load_key(partnerd.b["keyfile"])["client_email"] != info["client_email"]


def test_forged_key_is_invalid_grant(partnerd):
    info = load_key(partnerd.a["keyfile"])
    info["private_key"] = new_private_key_pem()  # same client_email and key id
    creds = partnerd.credentials({**partnerd.a, "keyfile": write_key(partnerd.workdir, info)})
    svc = partnerd.build_service(creds)
    expect_refresh_error(svc.customers().get(customerId=partnerd.a["domain"]), "invalid_grant")


def test_unknown_key_id_is_invalid_grant(partnerd):
    info = load_key(partnerd.a["keyfile"])
    info["private_key_id"] = uuid.uuid4().hex  # right key, unknown kid
    creds = partnerd.credentials({**partnerd.a, "keyfile": write_key(partnerd.workdir, info)})
    svc = partnerd.build_service(creds)
    expect_refresh_error(svc.customers().get(customerId=partnerd.a["domain"]), "invalid_grant")


def test_key_of_other_reseller_cannot_claim_this_client_email(partnerd):
    """Reseller B signs with its own key and kid but claims A's service account."""
    info_b = load_key(partnerd.b["keyfile"])
    info_b["client_email"] = load_key(partnerd.a["keyfile"])["client_email"]
    creds = partnerd.credentials({**partnerd.a, "keyfile": write_key(partnerd.workdir, info_b)})
    svc = partnerd.build_service(creds)
    expect_refresh_error(svc.customers().get(customerId=partnerd.a["domain"]), "invalid_grant")


@pytest.mark.parametrize("who", ["other-reseller-admin", "elsewhere", "nonexistent-in-domain"])
def test_subject_must_be_a_user_of_the_resellers_domain(partnerd, who):
    subject = {
        "other-reseller-admin": partnerd.b["adminEmail"],
        "elsewhere": "nobody@elsewhere.example",
        "nonexistent-in-domain": f"nobody-{uuid.uuid4().hex[:8]}@{partnerd.a['domain']}",
    }[who]
    svc = partnerd.service(partnerd.a, subject=subject)
    expect_refresh_error(svc.customers().get(customerId=partnerd.a["domain"]), "invalid_grant")


# ---------------------------------------------------------------------------
# token endpoint, raw
# ---------------------------------------------------------------------------


def test_wrong_grant_type_is_unsupported_grant_type(partnerd):
    assertion = signed_assertion(partnerd.a["keyfile"], subject=partnerd.a["adminEmail"])
    r = partnerd.raw(
        "POST", "/token", data={"grant_type": "password", "assertion": assertion.decode(), "username": "x"}
    )
    assert_oauth_error(r, "unsupported_grant_type")
    r = partnerd.raw("POST", "/token", data={"grant_type": "client_credentials"})
    assert_oauth_error(r, "unsupported_grant_type")


def _assert_token_ok(partnerd, resp, customer):
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert isinstance(body.get("access_token"), str) and body["access_token"], body
    assert isinstance(body.get("expires_in"), int) and not isinstance(body["expires_in"], bool), body
    assert 0 < body["expires_in"] <= 3600, body
    assert body.get("token_type") == "Bearer", body
    r = partnerd.raw("GET", customer_path(customer["customerId"]), token=body["access_token"])
    assert r.status_code == 200, r.text
    assert r.json()["customerId"] == customer["customerId"]


def test_assertion_with_server_token_uri_audience(partnerd, customer_a):
    assertion = signed_assertion(
        partnerd.a["keyfile"], subject=partnerd.a["adminEmail"], aud=partnerd.base_url + "/token"
    )
    _assert_token_ok(partnerd, post_assertion(partnerd.base_url, assertion), customer_a)


def test_assertion_with_google_token_uri_audience(partnerd, customer_a):
    assertion = signed_assertion(partnerd.a["keyfile"], subject=partnerd.a["adminEmail"], aud=GOOGLE_TOKEN_URI)
    _assert_token_ok(partnerd, post_assertion(partnerd.base_url, assertion), customer_a)


def test_assertion_with_short_lifetime_is_fine(partnerd, customer_a):
    now = int(time.time())
    assertion = signed_assertion(partnerd.a["keyfile"], subject=partnerd.a["adminEmail"], iat=now, exp=now + 60)
    _assert_token_ok(partnerd, post_assertion(partnerd.base_url, assertion), customer_a)


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(lambda now: {"iat": now, "exp": now + 3601}, id="lifetime-over-1h"),
        pytest.param(lambda now: {"iat": now, "exp": now + 86400}, id="lifetime-1-day"),
        pytest.param(lambda now: {"iat": now - 7200, "exp": now - 3600}, id="expired"),
        pytest.param(lambda now: {"iat": now + 7200, "exp": now + 7800}, id="issued-in-future"),
        pytest.param(lambda now: {"iat": now, "exp": now - 10}, id="exp-before-iat"),
        pytest.param(lambda now: {"aud": "https://example.com/token"}, id="foreign-audience"),
        pytest.param(lambda now: {"aud": "https://oauth2.googleapis.com/token/extra"}, id="audience-suffix"),
    ],
)
def test_bad_assertion_claims_are_invalid_grant(partnerd, claims):
    assertion = signed_assertion(
        partnerd.a["keyfile"], subject=partnerd.a["adminEmail"], **claims(int(time.time()))
    )
    assert_oauth_error(post_assertion(partnerd.base_url, assertion), "invalid_grant")


def test_tampered_assertion_payload_is_invalid_grant(partnerd):
    good = signed_assertion(partnerd.a["keyfile"], subject=partnerd.a["adminEmail"])
    header, payload, sig = good.split(b".")
    claims = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
    claims["sub"] = f"someone-else@{partnerd.a['domain']}"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    assertion = b".".join([header, forged_payload, sig])
    assert_oauth_error(post_assertion(partnerd.base_url, assertion), "invalid_grant")


def test_unsigned_alg_none_assertion_is_invalid_grant(partnerd):
    info = load_key(partnerd.a["keyfile"])
    now = int(time.time())

    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=")

    header = {"alg": "none", "typ": "JWT", "kid": info["private_key_id"]}
    claims = {
        "iss": info["client_email"], "sub": partnerd.a["adminEmail"], "scope": SCOPE_ORDER,
        "aud": info["token_uri"], "iat": now, "exp": now + 3600,
    }
    assertion = b64(header) + b"." + b64(claims) + b"."
    assert_oauth_error(post_assertion(partnerd.base_url, assertion), "invalid_grant")


def test_garbage_assertion_is_invalid_grant(partnerd):
    assert_oauth_error(post_assertion(partnerd.base_url, b"not.a.jwt"), "invalid_grant")


def test_oauth_errors_from_token_endpoint_use_json(partnerd):
    assertion = signed_assertion(partnerd.a["keyfile"], subject="nobody@elsewhere.example")
    r = post_assertion(partnerd.base_url, assertion)
    assert "application/json" in r.headers.get("Content-Type", "")
    assert_oauth_error(r, "invalid_grant")


# ---------------------------------------------------------------------------
# expiry and the server clock
# ---------------------------------------------------------------------------


def test_expired_access_token_is_401_and_client_refreshes(partnerd, customer_a):
    creds = partnerd.credentials(partnerd.a)
    svc = partnerd.build_service(creds)
    cid = customer_a["customerId"]
    assert svc.customers().get(customerId=cid).execute() == customer_a
    old_token = creds.token
    assert old_token

    r = partnerd.raw("GET", customer_path(cid), token=old_token)
    assert r.status_code == 200, r.text

    partnerd.advance(3700)

    r = partnerd.raw("GET", customer_path(cid), token=old_token)
    assert_response_error(r, 401, "authError", "UNAUTHENTICATED")

    # google-auth still believes the token is fresh (real time barely moved);
    # the 401 makes the client refresh and retry transparently.
    assert svc.customers().get(customerId=cid).execute() == customer_a
    assert creds.token != old_token
    r = partnerd.raw("GET", customer_path(cid), token=creds.token)
    assert r.status_code == 200, r.text


def test_token_still_valid_before_expiry(partnerd, customer_a):
    token = partnerd.access_token(partnerd.a)
    partnerd.advance(3000)
    r = partnerd.raw("GET", customer_path(customer_a["customerId"]), token=token)
    assert r.status_code == 200, r.text


def test_clock_reports_and_advances(partnerd):
    before = parse_rfc3339(partnerd.now())
    advanced = parse_rfc3339(partnerd.advance(600)["now"])
    assert advanced - before >= timedelta(seconds=600)
    assert advanced - before < timedelta(seconds=600 + 300)
    after = parse_rfc3339(partnerd.now())
    assert after >= advanced


@pytest.mark.parametrize("token", [None, "wrong-control-token", "SAME-BUT-UPPER"])
def test_control_api_requires_control_token(partnerd, token):
    if token == "SAME-BUT-UPPER":
        token = partnerd.control_token.upper()
        assert token != partnerd.control_token
    before = parse_rfc3339(partnerd.now())

    r = partnerd.raw("GET", "/partnerd/v1/clock", token=token)
    assert r.status_code == 401, r.text
    r = partnerd.raw("POST", "/partnerd/v1/clock:advance", token=token, json={"seconds": 10_000_000})
    assert r.status_code == 401, r.text

    after = parse_rfc3339(partnerd.now())
    assert after - before < timedelta(seconds=10_000), "unauthenticated clock:advance moved the clock"


def test_control_api_rejects_api_access_tokens(partnerd):
    token = partnerd.access_token(partnerd.a)
    r = partnerd.raw("POST", "/partnerd/v1/clock:advance", token=token, json={"seconds": 10_000_000})
    assert r.status_code == 401, r.text
