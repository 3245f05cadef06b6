"""Connections cannot be held open forever, and malformed requests get Google's errors.

``partnerd serve --header-read-timeout S --idle-timeout S --shutdown-grace S``
(PARTNERD_HEADER_READ_TIMEOUT, PARTNERD_IDLE_TIMEOUT, PARTNERD_SHUTDOWN_GRACE):
a request head must be complete within S seconds of its first byte, a kept-alive
connection is closed after S seconds without a request, and a graceful stop
waits at most S seconds for what is in flight. The deadline tests start
servers of their own (SQLite) with short limits; the bounds they check are
generous (the point is that the connection ends, not how fast).
"""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import time

import pytest

from conftest import PARTNERD_BIN, Partnerd
from dir_helpers import DIR_PREFIX
from helpers import assert_response_error

WAIT = 20.0


def _server(tmp_path_factory, name, *args) -> Partnerd:
    workdir = tmp_path_factory.mktemp(name)
    server = Partnerd("sqlite", "sqlite://" + str((workdir / "p.db").resolve()), workdir, extra_args=args)
    server.start()
    return server


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    server = _server(tmp_path_factory, "short-limits", "--header-read-timeout", "2", "--idle-timeout", "3",
                     "--shutdown-grace", "3")
    yield server
    server.stop()


def _connect(server) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
    s.settimeout(WAIT)
    return s


def _closed_after(s: socket.socket) -> float:
    """Seconds until the server closes ``s`` (reading whatever it sends first)."""
    started = time.monotonic()
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return time.monotonic() - started
        except socket.timeout:
            pytest.fail(f"the server kept the connection open for more than {WAIT:.0f}s")
        if not chunk:
            return time.monotonic() - started


def test_half_a_request_head_is_cut_off(short):
    s = _connect(short)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    elapsed = _closed_after(s)
    assert elapsed >= 1.0, f"closed after {elapsed:.2f}s, before the 2s header-read timeout"
    s.close()
    # The server is fine afterwards.
    conn = http.client.HTTPConnection("127.0.0.1", short.port, timeout=WAIT)
    conn.request("GET", "/healthz")
    assert conn.getresponse().status == 200
    conn.close()


def test_idle_kept_alive_connection_is_closed_and_reuse_works_before(short):
    conn = http.client.HTTPConnection("127.0.0.1", short.port, timeout=WAIT)
    for _ in range(3):  # one connection, three requests: keep-alive reuse works
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        assert r.status == 200 and r.read() == b"ok"
        time.sleep(0.5)
    sock = conn.sock
    assert sock is not None, "http.client dropped a kept-alive connection"
    elapsed = _closed_after(sock)
    assert elapsed >= 1.0, f"idle connection closed after {elapsed:.2f}s, before the 3s idle timeout"
    conn.close()


def test_graceful_stop_is_not_held_by_a_stalled_client(tmp_path_factory):
    # A long header timeout: only the shutdown grace can end the stall in time.
    server = _server(tmp_path_factory, "grace", "--header-read-timeout", "300", "--idle-timeout", "300",
                     "--shutdown-grace", "2")
    stalled = _connect(server)
    stalled.sendall(b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-")
    idle = _connect(server)
    time.sleep(0.3)
    server.proc.send_signal(signal.SIGTERM)
    try:
        assert server.proc.wait(timeout=WAIT) == 0
    finally:
        stalled.close()
        idle.close()
        server.stop()


@pytest.mark.parametrize("flag", ["--header-read-timeout", "--idle-timeout"])
def test_zero_timeouts_are_refused(flag):
    proc = subprocess.run([PARTNERD_BIN, "serve", "--database", "sqlite::memory:", "--no-demo", flag, "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert flag in proc.stderr


# ---------------------------------------------------------------------------
# Malformed requests get Google's JSON errors
# ---------------------------------------------------------------------------


def test_undecodable_path_is_a_json_400(partnerd):
    token = partnerd.access_token(partnerd.a, ["https://www.googleapis.com/auth/admin.directory.user"])
    r = partnerd.raw("GET", f"{DIR_PREFIX}/users/%ff", token=token)
    assert_response_error(r, 400, "badRequest")
    assert r.headers["Content-Type"].startswith("application/json")


def test_bad_chunk_size_is_a_400_not_a_413(partnerd):
    s = socket.create_connection(("127.0.0.1", partnerd.port), timeout=WAIT)
    s.sendall(b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
    data = b""
    while True:  # the answer says Connection: close, so read to the end
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), data[:500]
    assert b'"error"' in body and b'"code":400' in body.replace(b" ", b""), data[:1000]
