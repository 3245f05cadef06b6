"""Helpers for the crash-safety, race and two-server suites.

- ``own_server``: a partnerd process of its own on a fresh SQLite file or a
  fresh PostgreSQL scratch database (the session fixture's recipe, for tests
  that kill or duplicate the server).
- ``race``: run N callables released together by one barrier and collect
  every outcome (value or exception) for exact assertions.
- ``RawClient``: plain HTTP writes with ``requests`` and no hidden retries,
  so that a request interrupted by a SIGKILL is known to be "not sent"
  (connection refused) or "unknown outcome" (anything else without an
  answer). Google's client (httplib2) silently re-sends a request once when
  its connection drops, which would blur exactly that distinction.
- Event-log helpers: events by resource, the last state of each subscription.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
import time
from pathlib import Path

import pytest
import requests
from googleapiclient.errors import HttpError
from urllib3.exceptions import MaxRetryError, NewConnectionError

from conftest import POSTGRES_URL, Partnerd, PostgresScratchDb

# ---------------------------------------------------------------------------
# Servers of one's own
# ---------------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="postgres backend not tested: set PARTNERD_TEST_POSTGRES_URL "
    "(e.g. postgres://postgres@127.0.0.1:5432/test) to enable it",
)


def backend_params():
    """sqlite always; postgres with the conftest skip rule."""
    return [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=needs_postgres)]


@contextlib.contextmanager
def scratch_database(backend: str, workdir: Path):
    """The URL of a fresh, empty database for ``backend``; dropped afterwards."""
    if backend == "sqlite":
        yield "sqlite://" + str((workdir / "partnerd.db").resolve())
        return
    scratch = PostgresScratchDb(POSTGRES_URL)
    try:
        yield scratch.url
    finally:
        scratch.drop()


@contextlib.contextmanager
def own_server(backend: str, workdir: Path, resellers=("a",)):
    """A started Partnerd on a fresh database with the named resellers
    (label -> domain ``<label>-<random>.example``)."""
    with scratch_database(backend, workdir) as db_url:
        server = Partnerd(backend, db_url, workdir)
        try:
            server.start()
            for label in resellers:
                server.create_reseller(label, f"{label}-{secrets.token_hex(4)}.example")
            yield server
        finally:
            server.stop()


# ---------------------------------------------------------------------------
# Races
# ---------------------------------------------------------------------------


def race(calls, timeout: float = 120.0) -> list:
    """Run every callable in its own thread, all released by one barrier.

    Returns one ("ok", value) or ("error", exception) per callable, in order.
    Prepare everything that is not the racing request (clients, tokens,
    request objects) before calling this.
    """
    n = len(calls)
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError as e:
            results[i] = ("error", e)
            return
        try:
            results[i] = ("ok", calls[i]())
        except Exception as e:  # noqa: BLE001 - every outcome is checked by the caller
            results[i] = ("error", e)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "racing threads hung"
    assert all(r is not None for r in results), results
    return results


def status_of(result) -> int | str:
    """200 for a success, the HTTP status of an HttpError or a Response,
    else the exception's repr (a transport failure)."""
    kind, value = result
    if kind == "ok":
        if isinstance(value, requests.Response):
            return value.status_code
        return 200
    if isinstance(value, HttpError):
        return value.resp.status
    return repr(value)


def describe(results) -> str:
    """A compact account of race outcomes for assertion messages."""
    lines = []
    for i, (kind, value) in enumerate(results):
        if kind == "ok":
            body = value.text[:300] if isinstance(value, requests.Response) else json.dumps(value)[:300]
            lines.append(f"  #{i}: {status_of((kind, value))} {body}")
        elif isinstance(value, HttpError):
            lines.append(f"  #{i}: HTTP {value.resp.status} {value.content[:300]!r}")
        else:
            lines.append(f"  #{i}: {value!r}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Raw HTTP without hidden retries
# ---------------------------------------------------------------------------

NOT_SENT = "not-sent"
UNKNOWN = "unknown"


def transport_failure_kind(exc: Exception) -> str:
    """NOT_SENT when the connection was refused (nothing reached a server),
    else UNKNOWN (the request may have been applied)."""
    if isinstance(exc, requests.ConnectionError):
        inner = exc.args[0] if exc.args else None
        if isinstance(inner, MaxRetryError) and isinstance(inner.reason, NewConnectionError):
            return NOT_SENT
        if isinstance(inner, NewConnectionError):
            return NOT_SENT
    return UNKNOWN


class RawClient:
    """POST/GET with a bearer token, one fresh connection per request."""

    def __init__(self, base_url: str, token: str, timeout: float = 20.0):
        self.base_url = base_url
        self.token = token
        self.timeout = timeout

    def call(self, method: str, path: str, body=None, params=None) -> requests.Response:
        with requests.Session() as s:
            return s.request(method, self.base_url + path, json=body, params=params, timeout=self.timeout,
                             headers={"Authorization": f"Bearer {self.token}", "Connection": "close"})


# ---------------------------------------------------------------------------
# Event log
# ---------------------------------------------------------------------------


def by_resource(events, resource_type: str | None = None) -> dict:
    """{resourceId: [events, oldest first]}, optionally of one resource type."""
    out: dict = {}
    for e in events:
        if resource_type is not None and e["resourceType"] != resource_type:
            continue
        out.setdefault(e["resourceId"], []).append(e)
    return out


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "a condition"):
    """Poll ``predicate`` until it returns something truthy; return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return max(1, int(raw))
    except ValueError:
        return default


# ---------------------------------------------------------------------------
# A push endpoint that answers slowly
# ---------------------------------------------------------------------------


class SlowPushReceiver:
    """Like sub_helpers.PushReceiver, but each request is answered (204) only
    after ``delay`` seconds, so that deliveries stay in flight for a while.
    ``received`` holds (messageId, decoded data, monotonic time) per request."""

    def __init__(self, delay: float):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from sub_helpers import decode_push_data

        self.delay = delay
        self.received: list = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                envelope = json.loads(self.rfile.read(length) or b"{}")
                with receiver._lock:
                    receiver.received.append(
                        (envelope["message"]["messageId"], decode_push_data(envelope), time.monotonic()))
                time.sleep(receiver.delay)
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/push"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def by_message(self) -> dict:
        """{messageId: number of requests carrying it}."""
        with self._lock:
            out: dict = {}
            for mid, _, _ in self.received:
                out[mid] = out.get(mid, 0) + 1
            return out
