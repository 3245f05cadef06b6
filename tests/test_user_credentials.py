"""User credentials: an OAuth client registered by a reseller (`partnerd oauth-client
create`, a client_secrets.json), a refresh token issued for one of its users
(`partnerd credentials create`, an authorized-user file), the `refresh_token` grant at
`/token` driven by google-auth's user `Credentials`, and `/revoke`."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import uuid

import google.auth.exceptions
import google.auth.transport.requests
import pytest
import requests
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build

from conftest import PARTNERD_BIN, _run_cli
from dir_helpers import DIRECTORY_SCOPES
from helpers import SCOPE_ORDER, SCOPE_ORDER_READONLY, domain_customer


def oauth_client(partnerd, reseller) -> dict:
    path = partnerd.workdir / f"client-{uuid.uuid4().hex[:8]}.json"
    out = _run_cli("oauth-client", "create", "--database", partnerd.db_url,
                   "--reseller", reseller["domain"], "--out", str(path),
                   "--public-url", partnerd.base_url)
    assert out["path"] == str(path)
    secrets = json.loads(path.read_text())
    assert out["clientId"] == secrets["installed"]["client_id"]
    return {"path": str(path), **secrets["installed"]}


def credential(partnerd, client: dict, user: str, *scopes: str) -> dict:
    path = partnerd.workdir / f"user-{uuid.uuid4().hex[:8]}.json"
    args = ["credentials", "create", "--database", partnerd.db_url,
            "--client-secrets", client["path"], "--user", user, "--out", str(path),
            "--public-url", partnerd.base_url]
    for scope in scopes:
        args += ["--scope", scope]
    _run_cli(*args)
    return {"path": str(path), **json.loads(path.read_text())}


def user_creds(partnerd, info: dict, scopes=None) -> Credentials:
    """What a script does with the file: google-auth reads it and is pointed at the file's
    token_uri (from_authorized_user_file always sets Google's)."""
    creds = Credentials.from_authorized_user_file(info["path"], scopes=scopes or info["scopes"])
    return creds.with_token_uri(info["token_uri"])


def refresh(partnerd, info: dict, **overrides) -> requests.Response:
    form = {"grant_type": "refresh_token", "client_id": info["client_id"],
            "client_secret": info["client_secret"], "refresh_token": info["refresh_token"]}
    form.update(overrides)
    return requests.post(partnerd.base_url + "/token", data={k: v for k, v in form.items() if v is not None},
                         timeout=30)


def assert_oauth(resp, status: int, error: str, description: str | None = None) -> None:
    assert resp.status_code == status, resp.text
    assert resp.json()["error"] == error, resp.text
    if description is not None:
        assert resp.json()["error_description"] == description


@pytest.fixture(scope="module")
def client_a(partnerd):
    return oauth_client(partnerd, partnerd.a)


def test_the_files_look_like_googles(partnerd, client_a):
    assert re.fullmatch(r"\d{12}-[0-9a-z]{32}\.apps\.googleusercontent\.com", client_a["client_id"])
    assert re.fullmatch(r"GOCSPX-[0-9a-z]{28}", client_a["client_secret"])
    assert client_a["token_uri"] == partnerd.base_url + "/token"
    assert oct(os.stat(client_a["path"]).st_mode & 0o777) == "0o600"
    info = credential(partnerd, client_a, partnerd.a["adminEmail"], SCOPE_ORDER)
    assert info["type"] == "authorized_user"
    assert (info["client_id"], info["client_secret"]) == (client_a["client_id"], client_a["client_secret"])
    assert info["refresh_token"].startswith("1//")
    assert info["token_uri"] == partnerd.base_url + "/token"
    assert info["account"] == partnerd.a["adminEmail"] and info["scopes"] == [SCOPE_ORDER]
    assert oct(os.stat(info["path"]).st_mode & 0o777) == "0o600"


def test_the_official_client_acts_as_the_user_and_refreshes_after_the_hour(partnerd, client_a):
    info = credential(partnerd, client_a, partnerd.a["adminEmail"], SCOPE_ORDER, *DIRECTORY_SCOPES)
    creds = user_creds(partnerd, info, scopes=[SCOPE_ORDER])
    reseller = build("reseller", "v1", credentials=creds, cache_discovery=False, static_discovery=True,
                     client_options={"api_endpoint": partnerd.base_url + "/"})
    made = reseller.customers().insert(body=domain_customer()).execute()
    first = creds.token
    assert first and first.startswith("ya29.")

    partnerd.advance(3700)
    # google-auth still believes its token fresh (real time barely moved): the 401 makes
    # it refresh with the refresh token and retry.
    got = reseller.customers().get(customerId=made["customerId"]).execute()
    assert got["customerId"] == made["customerId"]
    assert creds.token != first

    directory = build("admin", "directory_v1", credentials=user_creds(partnerd, info, DIRECTORY_SCOPES),
                      cache_discovery=False, static_discovery=True,
                      client_options={"api_endpoint": partnerd.base_url + "/"})
    me = directory.users().get(userKey=partnerd.a["adminEmail"]).execute()
    assert me["primaryEmail"] == partnerd.a["adminEmail"]


def test_a_refresh_may_narrow_the_scopes_but_not_widen_them(partnerd, client_a):
    info = credential(partnerd, client_a, partnerd.a["adminEmail"], SCOPE_ORDER, SCOPE_ORDER_READONLY)
    full = refresh(partnerd, info)
    assert full.status_code == 200, full.text
    body = full.json()
    assert body["token_type"] == "Bearer" and 0 < body["expires_in"] <= 3600
    assert sorted(body["scope"].split()) == sorted([SCOPE_ORDER, SCOPE_ORDER_READONLY])

    narrow = refresh(partnerd, info, scope=SCOPE_ORDER_READONLY)
    assert narrow.status_code == 200, narrow.text
    assert narrow.json()["scope"] == SCOPE_ORDER_READONLY
    token = narrow.json()["access_token"]
    listed = partnerd.raw("GET", "/apps/reseller/v1/subscriptions?maxResults=1", token=token)
    assert listed.status_code == 200, listed.text
    refused = partnerd.raw("POST", "/apps/reseller/v1/customers", token=token, json=domain_customer())
    assert refused.status_code == 403, refused.text

    wider = refresh(partnerd, info, scope="https://www.googleapis.com/auth/apps.licensing")
    assert_oauth(wider, 400, "invalid_scope")


@pytest.mark.parametrize("case", ["wrong-secret", "unknown-client", "no-client", "no-secret", "no-token"])
def test_a_refresh_names_what_is_wrong(partnerd, client_a, case):
    info = credential(partnerd, client_a, partnerd.a["adminEmail"], SCOPE_ORDER)
    if case == "wrong-secret":
        assert_oauth(refresh(partnerd, info, client_secret="GOCSPX-" + "x" * 28), 401, "invalid_client", "Unauthorized")
    elif case == "unknown-client":
        assert_oauth(refresh(partnerd, info, client_id="1-x.apps.googleusercontent.com"), 401, "invalid_client")
    elif case == "no-client":
        assert_oauth(refresh(partnerd, info, client_id=None), 400, "invalid_request",
                     "Could not determine client ID from request.")
    elif case == "no-secret":
        assert_oauth(refresh(partnerd, info, client_secret=None), 400, "invalid_request")
    else:
        assert_oauth(refresh(partnerd, info, refresh_token=None), 400, "invalid_request",
                     "Missing required parameter: refresh_token")


def test_client_secret_basic_works_too(partnerd, client_a):
    info = credential(partnerd, client_a, partnerd.a["adminEmail"], SCOPE_ORDER)
    basic = base64.b64encode(f"{info['client_id']}:{info['client_secret']}".encode()).decode()
    r = requests.post(partnerd.base_url + "/token", timeout=30, headers={"Authorization": f"Basic {basic}"},
                      data={"grant_type": "refresh_token", "refresh_token": info["refresh_token"]})
    assert r.status_code == 200, r.text


def test_a_token_is_bound_to_its_client(partnerd, client_a):
    info = credential(partnerd, client_a, partnerd.a["adminEmail"], SCOPE_ORDER)
    other = oauth_client(partnerd, partnerd.a)
    stolen = refresh(partnerd, info, client_id=other["client_id"], client_secret=other["client_secret"])
    assert_oauth(stolen, 400, "invalid_grant", "Token has been expired or revoked.")
    # Another reseller's client cannot mint a credential for this reseller's admin.
    client_b = oauth_client(partnerd, partnerd.b)
    r = subprocess.run([PARTNERD_BIN, "credentials", "create", "--database", partnerd.db_url,
                        "--client-secrets", client_b["path"], "--user", partnerd.a["adminEmail"],
                        "--out", str(partnerd.workdir / "never.json")], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "not an active user" in r.stderr, r.stderr
    assert not (partnerd.workdir / "never.json").exists()


def test_revoke_ends_the_refresh_token(partnerd, client_a):
    info = credential(partnerd, client_a, partnerd.a["adminEmail"], SCOPE_ORDER)
    assert refresh(partnerd, info).status_code == 200
    r = requests.post(partnerd.base_url + "/revoke", data={"token": info["refresh_token"]}, timeout=30)
    assert r.status_code == 200 and r.json() == {}, r.text
    assert_oauth(refresh(partnerd, info), 400, "invalid_grant", "Token has been expired or revoked.")
    again = requests.post(partnerd.base_url + "/revoke", params={"token": info["refresh_token"]}, timeout=30)
    assert_oauth(again, 400, "invalid_token")
    assert_oauth(requests.post(partnerd.base_url + "/revoke", timeout=30), 400, "invalid_request")

    creds = user_creds(partnerd, info)
    with pytest.raises(google.auth.exceptions.RefreshError):
        creds.refresh(google.auth.transport.requests.Request())


def test_suspending_the_user_ends_its_refresh_tokens(partnerd, client_a):
    dsvc = partnerd.directory(partnerd.a)
    email = f"staff-{uuid.uuid4().hex[:8]}@{partnerd.a['domain']}"
    dsvc.users().insert(body={"primaryEmail": email, "password": "Pw-" + uuid.uuid4().hex,
                              "name": {"givenName": "Sam", "familyName": "Staff"}}).execute()
    info = credential(partnerd, client_a, email, SCOPE_ORDER)
    granted = refresh(partnerd, info)
    assert granted.status_code == 200, granted.text
    dsvc.users().patch(userKey=email, body={"suspended": True}).execute()
    assert_oauth(refresh(partnerd, info), 400, "invalid_grant", "Token has been expired or revoked.")
    dsvc.users().patch(userKey=email, body={"suspended": False}).execute()
    # Ended for good, as its access tokens are: a new credential is issued for it.
    assert_oauth(refresh(partnerd, info), 400, "invalid_grant")


def test_the_cli_refuses_unknown_scopes_and_users(partnerd, client_a):
    for args, says in [
        (["--user", partnerd.a["adminEmail"], "--scope", "https://www.googleapis.com/auth/not-a-scope"], "not-a-scope"),
        (["--user", f"nobody@{partnerd.a['domain']}"], "not an active user"),
    ]:
        r = subprocess.run([PARTNERD_BIN, "credentials", "create", "--database", partnerd.db_url,
                            "--client-secrets", client_a["path"], "--out", str(partnerd.workdir / "no.json"),
                            *args], capture_output=True, text=True, timeout=60)
        assert r.returncode != 0 and says in r.stderr, r.stderr
        assert not (partnerd.workdir / "no.json").exists()
