"""Assertions that name no key: Google's Node.js client signs its JWT-bearer assertions
with the header {"alg":"RS256"} alone. partnerd then tries every key of the service
account the assertion's `iss` names, as Google's token endpoint does; and a service
account may hold several keys (`partnerd key create --service-account`)."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from conftest import _run_cli
from helpers import load_key, new_private_key_pem, post_assertion, signed_assertion, write_key


def header_of(assertion: bytes) -> dict:
    part = assertion.split(b".")[0]
    return json.loads(base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4)))


def without_kid(partnerd, info: dict) -> str:
    """A copy of the key file with no private_key_id: google-auth then signs without kid."""
    return write_key(partnerd.workdir, {k: v for k, v in info.items() if k != "private_key_id"})


def assert_bad_signature(resp) -> None:
    assert resp.status_code == 400, resp.text
    assert resp.json() == {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}


def assert_token(partnerd, resp) -> None:
    """The token endpoint issued a token, and the Reseller API takes it."""
    assert resp.status_code == 200, resp.text
    token = resp.json()["access_token"]
    r = partnerd.raw("GET", "/apps/reseller/v1/subscriptions?maxResults=1", token=token)
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "reseller#subscriptions"


def test_an_assertion_without_kid_is_checked_against_the_issuers_key(partnerd):
    keyfile = without_kid(partnerd, load_key(partnerd.a["keyfile"]))
    assertion = signed_assertion(keyfile, subject=partnerd.a["adminEmail"])
    assert "kid" not in header_of(assertion), "google-auth signs without kid when the file has none"
    assert_token(partnerd, post_assertion(partnerd.base_url, assertion))

    # The client library's whole flow, too.
    svc = partnerd.build_service(
        partnerd.credentials({**partnerd.a, "keyfile": keyfile})
    )
    assert svc.subscriptions().list(maxResults=1).execute().get("kind") == "reseller#subscriptions"


@pytest.mark.parametrize("case", ["other-key", "unknown-issuer", "other-resellers-key", "no-issuer"])
def test_an_assertion_without_kid_that_no_key_of_its_issuer_signed_is_refused(partnerd, case):
    info = load_key(partnerd.a["keyfile"])
    extra = {}
    if case == "other-key":
        info["private_key"] = new_private_key_pem()
    elif case == "unknown-issuer":
        info["client_email"] = f"nobody-{uuid.uuid4().hex[:6]}@p.iam.gserviceaccount.com"
    elif case == "other-resellers-key":
        # B's real key, claiming A's service account.
        info = {**load_key(partnerd.b["keyfile"]), "client_email": info["client_email"]}
    else:
        extra["iss"] = 42
    keyfile = without_kid(partnerd, info)
    assertion = signed_assertion(keyfile, subject=partnerd.a["adminEmail"], **extra)
    assert_bad_signature(post_assertion(partnerd.base_url, assertion))


def test_a_second_key_signs_with_and_without_kid_and_the_first_stays_good(partnerd):
    reseller = partnerd.a
    first = load_key(reseller["keyfile"])
    keyfile = partnerd.workdir / f"second-{uuid.uuid4().hex[:8]}.json"
    added = _run_cli(
        "key", "create",
        "--database", partnerd.db_url,
        "--service-account", first["client_email"],
        "--out", str(keyfile),
        "--public-url", partnerd.base_url,
    )
    second = load_key(str(keyfile))
    assert added["clientEmail"] == first["client_email"] == second["client_email"]
    assert added["clientId"] == first["client_id"] == second["client_id"]
    assert second["private_key_id"] != first["private_key_id"]
    assert second["private_key"] != first["private_key"]
    assert second["project_id"] == first["project_id"]

    for info in (second, first):
        with_kid = signed_assertion(str(keyfile) if info is second else reseller["keyfile"],
                                    subject=reseller["adminEmail"])
        assert header_of(with_kid)["kid"] == info["private_key_id"]
        assert_token(partnerd, post_assertion(partnerd.base_url, with_kid))
        no_kid = signed_assertion(without_kid(partnerd, info), subject=reseller["adminEmail"])
        assert_token(partnerd, post_assertion(partnerd.base_url, no_kid))

    # A key's own kid with the other key's signature is still a bad signature.
    crossed = {**second, "private_key_id": first["private_key_id"]}
    path = partnerd.workdir / f"crossed-{uuid.uuid4().hex[:8]}.json"
    path.write_text(json.dumps(crossed))
    assert_bad_signature(post_assertion(
        partnerd.base_url, signed_assertion(str(path), subject=reseller["adminEmail"])
    ))
