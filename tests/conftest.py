"""Fixtures: start a real partnerd server per storage backend.

The ``partnerd`` fixture is session-scoped and parametrized over backends:
"sqlite" always runs; "postgres" runs only when PARTNERD_TEST_POSTGRES_URL
points at a server where the tests may create (and drop) a scratch database.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import google.auth.transport.requests
import pytest
import requests
from google.oauth2 import service_account
from googleapiclient.discovery import build

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dir_helpers import new_reseller_customer  # noqa: E402
from helpers import SCOPE_ORDER  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
PARTNERD_BIN = os.environ.get("PARTNERD_BIN", str(REPO_ROOT / "target" / "debug" / "partnerd"))
POSTGRES_URL = os.environ.get("PARTNERD_TEST_POSTGRES_URL")
HEALTH_TIMEOUT = 30.0
CLI_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_cli(*args: str) -> dict:
    """Run a partnerd CLI subcommand and parse the single JSON object it prints."""
    proc = subprocess.run(
        [PARTNERD_BIN, *args], capture_output=True, text=True, timeout=CLI_TIMEOUT
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`partnerd {' '.join(args)}` exited with {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    try:
        return json.loads(proc.stdout)
    except ValueError:
        pytest.fail(f"`partnerd {' '.join(args)}` did not print JSON on stdout:\n{proc.stdout!r}")


class PostgresScratchDb:
    """CREATE DATABASE <unique> on the given server; DROP ... WITH (FORCE) later."""

    def __init__(self, admin_url: str):
        import psycopg2

        self._psycopg2 = psycopg2
        self.admin_url = admin_url
        self.name = "partnerd_test_" + uuid.uuid4().hex[:16]
        conn = psycopg2.connect(admin_url)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            conn.close()
        parts = urlsplit(admin_url)
        self.url = urlunsplit((parts.scheme, parts.netloc, "/" + self.name, parts.query, parts.fragment))

    def drop(self) -> None:
        conn = self._psycopg2.connect(self.admin_url)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            conn.close()


class Partnerd:
    """A running partnerd server plus the resellers and keys created for it."""

    def __init__(self, backend: str, db_url: str, workdir: Path, *, extra_args=(), extra_env=None):
        self.extra_args = list(extra_args)
        self.extra_env = dict(extra_env or {})
        self.backend = backend
        self.db_url = db_url
        self.workdir = workdir
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.control_token = secrets.token_hex(16)
        self.log_path = workdir / "server.log"
        self.proc: subprocess.Popen | None = None
        self.resellers: dict[str, dict] = {}

    # -- process management -------------------------------------------------

    def start(self) -> None:
        """Start ``partnerd serve`` with the suite's flags plus ``extra_args`` and
        ``extra_env``, and wait until it answers /healthz."""
        env = dict(os.environ)
        env.update(self.extra_env)
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                [
                    PARTNERD_BIN, "serve",
                    "--listen", f"127.0.0.1:{self.port}",
                    "--database", self.db_url,
                    "--public-url", self.base_url,
                    "--control-token", self.control_token,
                    "--no-demo",
                    *self.extra_args,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        finally:
            log.close()
        self._wait_healthy()

    def server_log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-20000:]
        except OSError:
            return "<no server log>"

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"partnerd exited with {self.proc.returncode} before becoming healthy.\n"
                    f"server output:\n{self.server_log()}"
                )
            try:
                r = requests.get(self.base_url + "/healthz", timeout=2)
                if r.status_code == 200:
                    return
                last = f"HTTP {r.status_code}: {r.text[:200]}"
            except requests.RequestException as e:
                last = repr(e)
            time.sleep(0.1)
        self.stop()
        pytest.fail(
            f"partnerd did not answer 200 on /healthz within {HEALTH_TIMEOUT:.0f}s (last: {last}).\n"
            f"server output:\n{self.server_log()}"
        )

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def kill9_and_restart(self) -> None:
        """SIGKILL the server (no graceful shutdown) and start it again on the
        same port and database."""
        assert self.proc is not None and self.proc.poll() is None, "server is not running"
        self.proc.kill()
        self.proc.wait(timeout=15)
        self.start()

    # -- resellers, keys and clients ---------------------------------------

    def create_reseller(self, label: str, domain: str) -> dict:
        admin = f"admin@{domain}"
        password = "Pw-" + secrets.token_hex(12)
        info = _run_cli(
            "reseller", "create",
            "--database", self.db_url,
            "--domain", domain,
            "--admin", admin,
            "--password", password,
        )
        for field in ("domain", "customerId", "publicId", "adminEmail"):
            assert field in info, f"`reseller create` output lacks {field!r}: {info!r}"
        keyfile = self.workdir / f"{label}-key.json"
        key_info = _run_cli(
            "key", "create",
            "--database", self.db_url,
            "--reseller", domain,
            "--out", str(keyfile),
            "--public-url", self.base_url,
        )
        for field in ("clientEmail", "clientId", "privateKeyId", "path"):
            assert field in key_info, f"`key create` output lacks {field!r}: {key_info!r}"
        reseller = {
            "domain": info["domain"],
            "customerId": info["customerId"],
            "publicId": info["publicId"],
            "adminEmail": info["adminEmail"],
            # The admin's password, for signing in to the consoles.
            "password": password,
            "keyfile": str(keyfile),
            "key": key_info,
        }
        self.resellers[label] = reseller
        return reseller

    @property
    def a(self) -> dict:
        return self.resellers["a"]

    @property
    def b(self) -> dict:
        return self.resellers["b"]

    def credentials(self, reseller: dict, scopes=None, subject=None, impersonate: bool = True):
        """Service-account credentials for ``reseller``'s key.

        ``subject`` defaults to the reseller's admin; pass impersonate=False
        for a token without a subject.
        """
        creds = service_account.Credentials.from_service_account_file(
            reseller["keyfile"], scopes=list(scopes) if scopes is not None else [SCOPE_ORDER]
        )
        if impersonate:
            creds = creds.with_subject(subject or reseller["adminEmail"])
        return creds

    def service(self, reseller: dict, scopes=None, subject=None, impersonate: bool = True):
        """A fresh reseller v1 service (one per thread: httplib2 is not thread-safe)."""
        return self.build_service(self.credentials(reseller, scopes, subject, impersonate))

    def build_service(self, creds):
        return build(
            "reseller", "v1",
            credentials=creds,
            client_options={"api_endpoint": self.base_url + "/"},
            cache_discovery=False,
            static_discovery=True,
        )

    def access_token(self, reseller: dict, scopes=None, subject=None, impersonate: bool = True) -> str:
        creds = self.credentials(reseller, scopes, subject, impersonate)
        creds.refresh(google.auth.transport.requests.Request())
        return creds.token

    # -- raw HTTP ------------------------------------------------------------

    def raw(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 30)
        return requests.request(method, self.base_url + path, headers=headers, **kwargs)

    # -- control API ---------------------------------------------------------

    def control(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.raw(method, "/partnerd/v1/" + path, token=self.control_token, **kwargs)

    def now(self) -> str:
        r = self.control("GET", "clock")
        assert r.status_code == 200, f"GET clock: HTTP {r.status_code}: {r.text}"
        return r.json()["now"]

    def advance(self, seconds: int) -> dict:
        r = self.control("POST", "clock:advance", json={"seconds": seconds})
        assert r.status_code == 200, f"clock:advance: HTTP {r.status_code}: {r.text}"
        return r.json()

    # -- control API: customers, transfers, notifications ------------------

    def now_ms(self) -> int:
        """The server clock as epoch milliseconds."""
        from datetime import datetime

        text = self.now().replace("Z", "+00:00")
        return round(datetime.fromisoformat(text).timestamp() * 1000)

    def accept_tos(self, customer_id: str) -> dict:
        """Record that the customer's admin accepted the reseller ToS."""
        r = self.control("POST", f"customers/{customer_id}:acceptTos")
        assert r.status_code == 200, f"acceptTos: HTTP {r.status_code}: {r.text}"
        return r.json()

    def verify_domain(self, customer_id: str) -> None:
        """Mark the customer's primary domain as verified."""
        r = self.control("POST", f"customers/{customer_id}:verifyDomain")
        assert r.status_code in (200, 204), f"verifyDomain: HTTP {r.status_code}: {r.text}"

    def transfer_token(self, customer_id: str, reseller_public_id: str, product_groups=None) -> dict:
        """A customerAuthToken the customer's admin made for the receiving reseller
        (moving only ``product_groups``, product IDs, when given: its purchase consent)."""
        body = {"resellerPublicId": reseller_public_id}
        if product_groups is not None:
            body["productGroups"] = product_groups
        r = self.control("POST", f"customers/{customer_id}:transferToken", json=body)
        assert r.status_code == 200, f"transferToken: HTTP {r.status_code}: {r.text}"
        return r.json()

    def set_push_endpoint(self, reseller_domain: str, url: str) -> None:
        r = self.control("PUT", f"resellers/{reseller_domain}/pushEndpoint", json={"url": url})
        assert r.status_code in (200, 204), f"pushEndpoint: HTTP {r.status_code}: {r.text}"

    def events(self, reseller_domain: str, page_size: int = 100) -> list:
        """Every event-log entry of a reseller, following nextPageToken."""
        out, token, pages = [], None, 0
        while True:
            params = {"pageSize": page_size}
            if token:
                params["pageToken"] = token
            r = self.control("GET", f"resellers/{reseller_domain}/events", params=params)
            assert r.status_code == 200, f"events: HTTP {r.status_code}: {r.text}"
            body = r.json()
            out.extend(body.get("events", []))
            token = body.get("nextPageToken")
            pages += 1
            assert pages < 10_000, "event log paging does not end"
            if not token:
                return out

    # -- Directory API ---------------------------------------------------------

    def directory_credentials(self, reseller: dict, scopes=None, subject=None, impersonate: bool = True):
        """Like ``credentials``, with the Directory scopes (user, customer,
        orgunit) by default."""
        from dir_helpers import DIRECTORY_SCOPES

        return self.credentials(reseller, scopes if scopes is not None else DIRECTORY_SCOPES, subject, impersonate)

    def directory(self, reseller: dict, scopes=None, subject=None, impersonate: bool = True):
        """A fresh Admin SDK Directory v1 service acting as ``reseller``'s admin."""
        return self.build_directory(self.directory_credentials(reseller, scopes, subject, impersonate))

    def build_directory(self, creds):
        return build(
            "admin", "directory_v1",
            credentials=creds,
            client_options={"api_endpoint": self.base_url + "/"},
            cache_discovery=False,
            static_discovery=True,
        )

    def set_reseller_access(self, customer_id: str, enabled: bool) -> None:
        """The customer's super admin turns the reseller's Admin console / API
        access off or back on."""
        r = self.control("POST", f"customers/{customer_id}:setResellerAccess", json={"enabled": enabled})
        assert r.status_code in (200, 204), f"setResellerAccess: HTTP {r.status_code}: {r.text}"


def _backend_params():
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param(
            "postgres",
            id="postgres",
            marks=pytest.mark.skipif(
                not POSTGRES_URL,
                reason="postgres backend not tested: set PARTNERD_TEST_POSTGRES_URL "
                "(e.g. postgres://postgres@127.0.0.1:5432/test) to enable it",
            ),
        ),
    ]


@pytest.fixture(scope="session", params=_backend_params())
def partnerd(request, tmp_path_factory):
    backend = request.param
    if not (os.path.isfile(PARTNERD_BIN) and os.access(PARTNERD_BIN, os.X_OK)):
        pytest.fail(f"partnerd binary not found or not executable: {PARTNERD_BIN} (set PARTNERD_BIN)")
    workdir = tmp_path_factory.mktemp(f"partnerd-{backend}")
    scratch = None
    if backend == "sqlite":
        db_url = "sqlite://" + str((workdir / "partnerd.db").resolve())
    else:
        scratch = PostgresScratchDb(POSTGRES_URL)
        db_url = scratch.url

    server = Partnerd(backend, db_url, workdir)
    try:
        server.start()
        server.create_reseller("a", "reseller-a.example")
        server.create_reseller("b", "reseller-b.example")
        yield server
    finally:
        server.stop()
        if scratch is not None:
            scratch.drop()


# -- the fixtures most suites share --------------------------------------------

@pytest.fixture
def svc_a(partnerd):
    """A Reseller API client of reseller A, acting as its admin."""
    return partnerd.service(partnerd.a)


@pytest.fixture
def svc_b(partnerd):
    """A Reseller API client of reseller B, acting as its admin."""
    return partnerd.service(partnerd.b)


@pytest.fixture
def cust(svc_a):
    """A fresh domain customer of reseller A (the Reseller API's resource). A suite that
    needs another kind of customer defines its own `cust`."""
    return new_reseller_customer(svc_a)


@pytest.fixture
def domain(cust):
    """The primary domain of `cust`."""
    return cust["customerDomain"]


@pytest.fixture
def cid(cust):
    """The customer id of `cust`."""
    return cust["customerId"]


@pytest.fixture
def dir_a(partnerd):
    """A Directory API client of reseller A, acting as its admin."""
    return partnerd.directory(partnerd.a)


@pytest.fixture
def dir_b(partnerd):
    """A Directory API client of reseller B, acting as its admin."""
    return partnerd.directory(partnerd.b)
