"""Helpers for the e-mail suites (SMTP delivery, crash safety).

- ``SmtpSink``: a real SMTP server (aiosmtpd) in a thread of the test, which
  keeps every message it accepted, can refuse the first N attempts with a
  temporary 451, refuse chosen recipients for good with 550, and be started
  late (nothing listening at first).
- ``change_password_at_signin``: what a user forced to change password does in
  a browser: GET /signin, POST the form, follow the 303 to the password page,
  POST the new password. Plain ``requests`` with a cookie jar; the hidden
  inputs (csrf, continue) and the form's action are read from the HTML.
- ``mail_list``: every message GET /partnerd/v1/mail lists, following pages.
"""

from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes, policy
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------
# The SMTP server
# ---------------------------------------------------------------------------


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1:``port`` (a free one by default).

    ``refuse_first``: the first N DATA commands are answered 451 (temporary).
    ``refuse_recipients``: RCPT TO these addresses is answered 550 (permanent).
    ``attempts`` counts DATA commands and refused recipients, in order, as
    (address, answer code); ``messages`` holds each accepted message parsed
    with the modern ``email`` policy, with its envelope recipients.
    """

    def __init__(self, port: int | None = None, *, refuse_first: int = 0, refuse_recipients=()):
        self.port = port or free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.refuse_first = refuse_first
        self.refuse_recipients = {a.lower() for a in refuse_recipients}
        self.messages: list[dict] = []
        self.attempts: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self._controller = None

    # -- aiosmtpd handler hooks ------------------------------------------

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse_recipients:
            with self._lock:
                self.attempts.append((address.lower(), 550))
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        to = ",".join(a.lower() for a in envelope.rcpt_tos)
        with self._lock:
            refused = sum(1 for _, code in self.attempts if code == 451)
            if refused < self.refuse_first:
                self.attempts.append((to, 451))
                return "451 4.3.0 Mailbox busy, try again later"
            self.attempts.append((to, 250))
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append({
                "rcpt": [a.lower() for a in envelope.rcpt_tos],
                "mail_from": envelope.mail_from,
                "raw": envelope.content,
                "message": parsed,
            })
        return "250 Message accepted"

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> "SmtpSink":
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- reading -------------------------------------------------------------

    def received(self) -> list[dict]:
        with self._lock:
            return list(self.messages)

    def to(self, address: str) -> list[dict]:
        return [m for m in self.received() if address.lower() in m["rcpt"]]

    def by_message_id(self) -> dict:
        """{Message-ID header: times received}."""
        out: dict = {}
        for m in self.received():
            mid = str(m["message"]["Message-ID"]).strip()
            out[mid] = out.get(mid, 0) + 1
        return out

    def wait_for(self, address: str, timeout: float, count: int = 1) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            got = self.to(address)
            if len(got) >= count:
                return got
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{len(got)} of {count} message(s) to {address} reached the SMTP server within "
                    f"{timeout:.0f}s; attempts {self.attempts[-10:]}"
                )
            time.sleep(0.1)


def parts_of(message) -> dict:
    """{content type: decoded text} of a multipart message's leaf parts."""
    return {part.get_content_type(): part.get_content() for part in message.walk()
            if not part.is_multipart()}


# ---------------------------------------------------------------------------
# The forced password change, as a browser does it
# ---------------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form>: its method, action and named inputs (name -> value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(), "action": a.get("action") or "",
                               "inputs": {}})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["inputs"][a["name"]] = a.get("value") or ""


def post_form(html: str, with_field: str) -> dict:
    """The POST form of a page that has an input named ``with_field``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and with_field in form["inputs"]:
            return form
    raise AssertionError(f"no POST form with a {with_field!r} field in the page:\n{html[:3000]}")


class FlowError(AssertionError):
    """A step of the sign-in flow was answered unexpectedly."""


def change_password_at_signin(base_url: str, email: str, password: str, new_password: str, *,
                              timeout: float = 30.0, on_step=None) -> requests.Response:
    """Signs ``email`` in with ``password``, which must lead to the password
    page (``changePasswordAtNextLogin``), and sets ``new_password``. Returns
    the answer to the password form (a 303 on success). ``on_step(name)`` is
    called before each request (the crash suite records how far it got)."""
    with requests.Session() as s:
        s.headers["Connection"] = "close"

        def step(name, method, url, **kwargs):
            if on_step is not None:
                on_step(name)
            return s.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)

        page = step("signin-form", "GET", base_url + "/signin")
        if page.status_code != 200:
            raise FlowError(f"GET /signin: HTTP {page.status_code}: {page.text[:500]}")
        form = post_form(page.text, "password")
        fields = {**form["inputs"], "email": email, "password": password}
        answer = step("signin", "POST", urljoin(page.url, form["action"] or "/signin"), data=fields)
        where = answer.headers.get("Location", "")
        if answer.status_code != 303 or not where.startswith("/signin/password"):
            raise FlowError(f"POST /signin as {email}: HTTP {answer.status_code}, Location {where!r} "
                            f"(expected 303 to /signin/password): {answer.text[:500]}")
        page = step("password-form", "GET", urljoin(base_url, where))
        if page.status_code != 200:
            raise FlowError(f"GET {where}: HTTP {page.status_code}: {page.text[:500]}")
        form = post_form(page.text, "confirmation")
        fields = {**form["inputs"], "password": new_password, "confirmation": new_password}
        return step("password", "POST", urljoin(page.url, form["action"]), data=fields)


# ---------------------------------------------------------------------------
# The control API's mail list
# ---------------------------------------------------------------------------


def mail_page(partnerd, **params) -> requests.Response:
    return partnerd.control("GET", "mail", params=params)


def mail_list(partnerd, to: str | None = None, page_size: int = 100) -> list[dict]:
    """Every message GET /partnerd/v1/mail lists (newest first), following
    nextPageToken; asserts that no message is listed twice."""
    out, token = [], None
    for _ in range(10_000):
        params = {"maxResults": page_size}
        if to is not None:
            params["to"] = to
        if token:
            params["pageToken"] = token
        r = mail_page(partnerd, **params)
        assert r.status_code == 200, f"GET /partnerd/v1/mail {params}: HTTP {r.status_code}: {r.text[:500]}"
        body = r.json()
        messages = body.get("messages")
        assert isinstance(messages, list), body
        assert len(messages) <= page_size, f"a page of {len(messages)} > maxResults {page_size}"
        out.extend(messages)
        token = body.get("nextPageToken")
        if not token:
            break
        assert messages, f"an empty page with a nextPageToken: {body!r}"
    else:
        raise AssertionError("GET /partnerd/v1/mail paging does not end")
    ids = [m["id"] for m in out]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"messages listed twice while paging: {twice}"
    return out


def wait_for_mail(partnerd, to: str, predicate, timeout: float, what: str) -> dict:
    """The one message to ``to`` once ``predicate(message)`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        listed = mail_list(partnerd, to=to)
        assert len(listed) <= 1, f"more than one message to {to}: {listed!r}"
        if listed and predicate(listed[0]):
            return listed[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; listed: {listed!r}")
        time.sleep(0.2)
