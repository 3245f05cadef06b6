"""The binary's commands as a new user meets them: `serve` with its demo reseller,
environment variables, an in-memory database, graceful shutdown, and CLI errors."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time

import pytest
import requests
from google.oauth2 import service_account
from googleapiclient.discovery import build

from conftest import PARTNERD_BIN, _free_port
from helpers import SCOPE_ORDER, domain_customer


def _wait_healthy(base_url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"partnerd exited early with {proc.returncode}"
        try:
            if requests.get(base_url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    pytest.fail("partnerd did not become healthy")


def _serve(tmp_path, *extra: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [PARTNERD_BIN, "serve", *extra],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PARTNERD_LISTEN": f"127.0.0.1:{port}", **(env or {})},
    )
    _wait_healthy(base_url, proc)
    return proc, base_url


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=15)
    return out


def test_serve_creates_a_demo_reseller_usable_with_the_official_client(tmp_path):
    # Defaults only: the database URL and listen address come from the environment.
    proc, base_url = _serve(tmp_path, env={"PARTNERD_DATABASE_URL": "sqlite://demo.db"})
    try:
        assert (tmp_path / "demo.db").exists()
        key_path = tmp_path / "partnerd-demo-key.json"
        deadline = time.monotonic() + 10
        while not key_path.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        key = json.loads(key_path.read_text())
        assert key["type"] == "service_account"
        assert key["token_uri"] == base_url + "/token"
        creds = service_account.Credentials.from_service_account_file(
            str(key_path), scopes=[SCOPE_ORDER]
        ).with_subject("admin@demo-reseller.example")
        svc = build("reseller", "v1", credentials=creds, cache_discovery=False,
                    client_options={"api_endpoint": base_url + "/"})
        created = svc.customers().insert(body=domain_customer()).execute()
        assert svc.customers().get(customerId=created["customerId"]).execute() == created
    finally:
        out = _stop(proc)
    assert proc.returncode == 0, "SIGTERM must shut down cleanly"
    assert "demo-reseller.example" in out
    assert "admin@demo-reseller.example" in out
    assert str(tmp_path / "partnerd-demo-key.json") in out
    assert re.search(r"public ID [A-Z0-9]{10}", out)


def test_demo_is_created_once_and_not_with_no_demo(tmp_path):
    proc, _ = _serve(tmp_path, "--database", "sqlite://once.db")
    first = _stop(proc)
    assert "created the demo reseller" in first
    proc, _ = _serve(tmp_path, "--database", "sqlite://once.db")
    second = _stop(proc)
    assert "created the demo reseller" not in second, "a database that has data gets no second demo"

    elsewhere = tmp_path / "no-demo"
    elsewhere.mkdir()
    proc, _ = _serve(elsewhere, "--database", "sqlite://empty.db", "--no-demo")
    out = _stop(proc)
    assert "demo" not in out
    assert not (elsewhere / "partnerd-demo-key.json").exists()


def test_in_memory_database(tmp_path):
    proc, base_url = _serve(tmp_path, "--database", "sqlite::memory:", "--no-demo",
                            "--control-token", "tok")
    try:
        r = requests.get(base_url + "/partnerd/v1/clock", headers={"Authorization": "Bearer tok"})
        assert r.status_code == 200 and "now" in r.json()
        assert requests.get(base_url + "/readyz").status_code == 200
    finally:
        _stop(proc)
    assert proc.returncode == 0


def test_control_api_is_off_without_a_token(tmp_path):
    proc, base_url = _serve(tmp_path, "--database", "sqlite::memory:", "--no-demo")
    try:
        r = requests.get(base_url + "/partnerd/v1/clock", headers={"Authorization": "Bearer x"})
        assert r.status_code == 404
        assert r.json()["error"]["errors"][0]["reason"] == "notFound"
    finally:
        _stop(proc)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PARTNERD_BIN, *args], capture_output=True, text=True, timeout=60)


def test_cli_refuses_bad_resellers_and_keys(tmp_path):
    db = f"sqlite://{tmp_path / 'cli.db'}"
    ok = _cli("reseller", "create", "--database", db, "--domain", "Shop.Example",
              "--admin", "boss@shop.example", "--password", "long-enough")
    assert ok.returncode == 0, ok.stderr
    info = json.loads(ok.stdout)
    assert info["domain"] == "shop.example"
    assert re.fullmatch(r"C0[0-9a-z]{7}", info["customerId"])

    cases = [
        ("--domain", "shop.example", "--admin", "x@shop.example", "--password", "long-enough"),  # exists
        ("--domain", "www.other.example", "--admin", "x@www.other.example", "--password", "long-enough"),
        ("--domain", "other.example", "--admin", "x@elsewhere.example", "--password", "long-enough"),
        ("--domain", "other.example", "--admin", "x@other.example", "--password", "short"),
    ]
    for case in cases:
        r = _cli("reseller", "create", "--database", db, *case)
        assert r.returncode != 0, case
        assert r.stdout == "", "nothing printed as a result on failure"
        assert r.stderr.strip(), "the failure is explained"

    r = _cli("key", "create", "--database", db, "--reseller", "unknown.example",
             "--out", str(tmp_path / "k.json"))
    assert r.returncode != 0 and "unknown.example" in r.stderr
    assert not (tmp_path / "k.json").exists()

    r = _cli("key", "create", "--database", db, "--reseller", "shop.example",
             "--out", str(tmp_path / "k.json"), "--public-url", "http://partnerd.test:9000/")
    assert r.returncode == 0, r.stderr
    key = json.loads((tmp_path / "k.json").read_text())
    assert key["token_uri"] == "http://partnerd.test:9000/token"
    assert oct((tmp_path / "k.json").stat().st_mode & 0o777) == "0o600"
    assert key["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert re.fullmatch(r"[0-9a-f]{40}", key["private_key_id"])
    assert re.fullmatch(r"[1-9][0-9]{20}", key["client_id"])


def test_a_service_account_holds_at_most_ten_keys(tmp_path):
    db = f"sqlite://{tmp_path / 'keys.db'}"
    ok = _cli("reseller", "create", "--database", db, "--domain", "keys.example",
              "--admin", "boss@keys.example", "--password", "long-enough")
    assert ok.returncode == 0, ok.stderr
    first = _cli("key", "create", "--database", db, "--reseller", "keys.example",
                 "--out", str(tmp_path / "k0.json"))
    assert first.returncode == 0, first.stderr
    email = json.loads(first.stdout)["clientEmail"]

    r = _cli("key", "create", "--database", db, "--reseller", "keys.example",
             "--service-account", email, "--out", str(tmp_path / "both.json"))
    assert r.returncode != 0 and "--service-account" in r.stderr, "one or the other"
    r = _cli("key", "create", "--database", db, "--service-account", "nobody@p.iam.gserviceaccount.com",
             "--out", str(tmp_path / "none.json"))
    assert r.returncode != 0 and "nobody@p.iam.gserviceaccount.com" in r.stderr
    assert not (tmp_path / "none.json").exists()

    ids = {json.loads((tmp_path / "k0.json").read_text())["private_key_id"]}
    for i in range(1, 10):
        r = _cli("key", "create", "--database", db, "--service-account", email,
                 "--out", str(tmp_path / f"k{i}.json"))
        assert r.returncode == 0, r.stderr
        key = json.loads((tmp_path / f"k{i}.json").read_text())
        assert key["client_email"] == email
        ids.add(key["private_key_id"])
    assert len(ids) == 10
    r = _cli("key", "create", "--database", db, "--service-account", email,
             "--out", str(tmp_path / "k10.json"))
    assert r.returncode != 0 and "already has 10 keys" in r.stderr, r.stderr
    assert not (tmp_path / "k10.json").exists()


def test_bad_database_url_fails_fast(tmp_path):
    r = subprocess.run([PARTNERD_BIN, "serve", "--database", "mysql://nope", "--no-demo",
                        "--listen", f"127.0.0.1:{_free_port()}"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "mysql://nope" in r.stderr
