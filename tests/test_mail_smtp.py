"""E-mail over SMTP, black-box: the real binary, a real SMTP server (aiosmtpd)
started by the test, and the e-mail's first cause, a user forced to change
password at sign-in (``changePasswordAtNextLogin``), driven through the sign-in
pages as a browser would.

Each test runs a server of its own on a fresh database (SQLite, and PostgreSQL
when PARTNERD_TEST_POSTGRES_URL is set):

- the "Your password was changed" message reaches the SMTP server: the right
  recipient, sender and Message-ID, the subject in the user's language (the
  customer's default language, set through the Directory API), a text and an
  HTML part; GET /partnerd/v1/mail shows it delivered;
- without --smtp-url nothing is sent: the message stays queued, readable
  (subject, text, html, language) and paged through the control API;
- a server that answers 451 for a while, or that is not listening at first,
  gets the message later (retries with backoff, each refusal recorded);
- a permanent refusal (550) is given up after one attempt and recorded.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import subprocess
import time

import pytest

from chaos_helpers import backend_params, scratch_database
from conftest import PARTNERD_BIN, Partnerd
from dir_helpers import insert_user, new_reseller_customer, strong_password, user_body
from mail_helpers import (
    SmtpSink,
    change_password_at_signin,
    free_port,
    mail_list,
    mail_page,
    parts_of,
    wait_for_mail,
)

# The first retries wait 1, 2, 4 ... seconds: a few refusals cost seconds.
DELIVERY_TIMEOUT = 30.0
SUBJECTS = {
    "en": "Your password was changed",
    "fr": "Votre mot de passe a été modifié",
    "ja": "パスワードが変更されました",
    "id": "Sandi Anda telah diubah",
}


@pytest.fixture(params=backend_params())
def backend(request):
    return request.param


@contextlib.contextmanager
def mail_server(backend: str, workdir, *extra_args: str):
    """A partnerd of its own (fresh database, reseller "a") started with
    ``extra_args``."""
    with scratch_database(backend, workdir) as db_url:
        server = Partnerd(backend, db_url, workdir, extra_args=extra_args)
        try:
            server.start()
            server.create_reseller("a", f"a-{secrets.token_hex(4)}.example")
            yield server
        finally:
            server.stop()


def forced_user(server, language: str | None = None, local: str = "hanako") -> tuple[str, str]:
    """A user of a fresh customer of reseller "a" who must change password at
    the next sign-in; with ``language``, the customer's default language (new
    users take it). Returns (address, password)."""
    customer = new_reseller_customer(server.service(server.a))
    dsvc = server.directory(server.a)
    if language is not None:
        dsvc.customers().patch(customerKey=customer["customerId"], body={"language": language}).execute()
    password = strong_password()
    body = user_body(customer["customerDomain"], local, given="Hanako", family="Yamada", password=password,
                     changePasswordAtNextLogin=True)
    user = insert_user(dsvc, body)
    assert user["changePasswordAtNextLogin"] is True, user
    return user["primaryEmail"], password


def change_password(server, email: str, password: str) -> str:
    new_password = strong_password()
    answer = change_password_at_signin(server.base_url, email, password, new_password)
    assert answer.status_code == 303, (
        f"the password form answered HTTP {answer.status_code}: {answer.text[:1000]}\n{server.server_log()[-3000:]}"
    )
    return new_password


def assert_listed(message: dict, to: str, language: str) -> None:
    for field in ("id", "to", "subject", "text", "html", "language", "queuedAt", "attempts"):
        assert field in message, f"mail without {field}: {message!r}"
    for field in ("deliveredAt", "lastError", "failedAt"):
        assert field in message, f"mail without {field} (null when none): {message!r}"
    assert message["to"] == to, message
    assert message["language"] == language, message
    assert message["subject"] == SUBJECTS[language], message
    assert to in message["text"], f"the text does not name the account: {message['text']!r}"
    assert f'lang="{language}"' in message["html"], message["html"][:500]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", message["queuedAt"]), message


# ---------------------------------------------------------------------------
# Delivery
# ---------------------------------------------------------------------------


def test_a_forced_password_change_is_mailed_in_the_users_language(backend, tmp_path):
    with SmtpSink() as sink, mail_server(backend, tmp_path, "--smtp-url", sink.url) as server:
        email, password = forced_user(server, language="ja")
        change_password(server, email, password)

        [got] = sink.wait_for(email, DELIVERY_TIMEOUT)
        message = got["message"]
        assert got["rcpt"] == [email], got["rcpt"]
        assert message["To"].addresses[0].addr_spec == email, str(message["To"])
        # The default sender: partnerd at the public URL's host.
        assert message["From"].addresses[0].addr_spec == "no-reply@127.0.0.1", str(message["From"])
        assert message["From"].addresses[0].display_name == "partnerd", str(message["From"])
        assert got["mail_from"] == "no-reply@127.0.0.1", got["mail_from"]
        assert str(message["Subject"]) == SUBJECTS["ja"], str(message["Subject"])
        raw_subject = re.search(rb"^Subject: (.*(?:\r\n[ \t].*)*)", got["raw"], re.M)
        assert raw_subject and raw_subject.group(1).isascii(), f"the subject is not RFC 2047-encoded: {raw_subject}"
        assert str(message["Content-Language"]) == "ja", str(message["Content-Language"])
        assert message.get_content_type() == "multipart/alternative", message.get_content_type()
        parts = parts_of(message)
        assert set(parts) == {"text/plain", "text/html"}, parts.keys()
        assert parts["text/plain"].startswith("Hanako Yamada 様"), parts["text/plain"][:200]
        assert email in parts["text/plain"], parts["text/plain"]
        assert '<html lang="ja">' in parts["text/html"], parts["text/html"][:300]
        assert "<p>Hanako Yamada 様</p>" in parts["text/html"], parts["text/html"]

        listed = wait_for_mail(server, email, lambda m: m["deliveredAt"] is not None, DELIVERY_TIMEOUT,
                               "the mail list to show the delivery")
        assert_listed(listed, email, "ja")
        assert (listed["attempts"], listed["lastError"], listed["failedAt"]) == (1, None, None), listed
        assert str(message["Message-ID"]) == f"<{listed['id']}@127.0.0.1>", str(message["Message-ID"])
        assert parts["text/plain"].replace("\r\n", "\n") == listed["text"], "sent text != queued text"
        # Delivered once: nothing is sent again.
        time.sleep(1.5)
        assert len(sink.to(email)) == 1, sink.attempts


def test_the_sender_is_configurable(backend, tmp_path):
    sender = "Reseller Operations <ops@mail.reseller.example>"
    with SmtpSink() as sink, mail_server(backend, tmp_path, "--smtp-url", sink.url, "--mail-from", sender) as server:
        email, password = forced_user(server, language="fr")
        change_password(server, email, password)
        [got] = sink.wait_for(email, DELIVERY_TIMEOUT)
        message = got["message"]
        assert got["mail_from"] == "ops@mail.reseller.example", got["mail_from"]
        assert message["From"].addresses[0].display_name == "Reseller Operations", str(message["From"])
        assert str(message["Subject"]) == SUBJECTS["fr"], str(message["Subject"])
        assert str(message["Content-Language"]) == "fr"
        assert str(message["Message-ID"]).endswith("@mail.reseller.example>"), str(message["Message-ID"])


def test_an_unusable_smtp_url_stops_the_server_at_start(backend, tmp_path):
    """A mistyped URL is said at start, without the password it may carry."""
    with scratch_database(backend, tmp_path) as db_url:
        for url in ("http://ops:s3cret-pw@127.0.0.1:25", "smtp://ops:s3cret-pw@127.0.0.1:25?tls=sometimes"):
            proc = subprocess.run(
                [PARTNERD_BIN, "serve", "--listen", f"127.0.0.1:{free_port()}", "--database", db_url, "--no-demo",
                 "--smtp-url", url],
                capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
            )
            output = proc.stdout + proc.stderr
            assert proc.returncode != 0, f"started with --smtp-url {url}:\n{output[-2000:]}"
            assert "--smtp-url" in output, output[-2000:]
            assert "s3cret-pw" not in output, f"the password was printed:\n{output[-2000:]}"


# ---------------------------------------------------------------------------
# Without SMTP: queued and readable
# ---------------------------------------------------------------------------


def test_without_smtp_mail_stays_queued_and_readable(backend, tmp_path):
    with mail_server(backend, tmp_path) as server:
        users = [forced_user(server, language=lang, local=f"u{i}") for i, lang in enumerate(("en", "fr", "id"))]
        for email, password in users:
            change_password(server, email, password)

        listed = mail_list(server)
        assert [m["to"] for m in listed] == [email for email, _ in reversed(users)], "newest first"
        for (email, _), language in zip(users, ("en", "fr", "id")):
            [message] = [m for m in listed if m["to"] == email]
            assert_listed(message, email, language)
            # Nothing claims it: never attempted, never delivered.
            assert (message["deliveredAt"], message["attempts"], message["lastError"]) == (None, 0, None), message

        # Still queued a moment later (no delivery loop runs without --smtp-url).
        time.sleep(1.5)
        again = mail_list(server)
        assert all(m["attempts"] == 0 and m["deliveredAt"] is None for m in again), again

        # One recipient's, in any case; paged with opaque tokens.
        email = users[1][0]
        assert [m["to"] for m in mail_list(server, to=email.upper())] == [email]
        assert mail_list(server, to="nobody@example.com") == []
        first = mail_page(server, maxResults=2).json()
        assert len(first["messages"]) == 2 and first.get("nextPageToken"), first
        assert not first["nextPageToken"].isdigit(), first["nextPageToken"]
        second = mail_page(server, maxResults=2, pageToken=first["nextPageToken"]).json()
        assert [m["to"] for m in second["messages"]] == [users[0][0]], second
        assert "nextPageToken" not in second, second
        assert [m["id"] for m in first["messages"] + second["messages"]] == [m["id"] for m in listed]

        # A token of another filter, a broken token, a bad page size: 400 invalid.
        for params in ({"to": email, "pageToken": first["nextPageToken"]}, {"pageToken": "not-a-token"},
                       {"maxResults": 0}, {"maxResults": 501}):
            r = mail_page(server, **params)
            assert r.status_code == 400, f"{params}: HTTP {r.status_code}: {r.text[:300]}"
            assert r.json()["error"]["errors"][0]["reason"] == "invalid", r.text
        # The control token is required.
        r = server.raw("GET", "/partnerd/v1/mail")
        assert r.status_code == 401, f"without the control token: HTTP {r.status_code}: {r.text[:300]}"
        r = server.raw("GET", "/partnerd/v1/mail", token="wrong")
        assert r.status_code == 401, f"with a wrong token: HTTP {r.status_code}: {r.text[:300]}"


def test_mail_queued_without_smtp_is_sent_once_a_server_is_configured(backend, tmp_path):
    with mail_server(backend, tmp_path) as server:
        email, password = forced_user(server)
        change_password(server, email, password)
        [queued] = mail_list(server, to=email)
        assert queued["deliveredAt"] is None, queued
        server.stop()
        with SmtpSink() as sink:
            server.extra_args = ["--smtp-url", sink.url]
            server.start()
            [got] = sink.wait_for(email, DELIVERY_TIMEOUT)
            assert str(got["message"]["Subject"]) == SUBJECTS["en"]
            assert str(got["message"]["Message-ID"]) == f"<{queued['id']}@127.0.0.1>"
            wait_for_mail(server, email, lambda m: m["deliveredAt"] is not None, DELIVERY_TIMEOUT, "the delivery")


# ---------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------


def test_a_server_that_refuses_for_a_while_gets_the_message_later(backend, tmp_path):
    with SmtpSink(refuse_first=3) as sink, mail_server(backend, tmp_path, "--smtp-url", sink.url) as server:
        email, password = forced_user(server, language="ja")
        change_password(server, email, password)

        # While refused: queued, attempted, the refusal recorded.
        refused = wait_for_mail(server, email, lambda m: m["lastError"] is not None, DELIVERY_TIMEOUT,
                                "a recorded refusal")
        assert "451" in refused["lastError"], refused
        assert refused["failedAt"] is None, f"a temporary refusal must not give up: {refused!r}"

        [got] = sink.wait_for(email, DELIVERY_TIMEOUT)
        assert str(got["message"]["Subject"]) == SUBJECTS["ja"]
        assert [code for _, code in sink.attempts] == [451, 451, 451, 250], sink.attempts
        delivered = wait_for_mail(server, email, lambda m: m["deliveredAt"] is not None, DELIVERY_TIMEOUT,
                                  "the delivery")
        assert delivered["attempts"] == 4, delivered
        assert "451" in (delivered["lastError"] or ""), f"the last refusal is kept: {delivered!r}"
        assert delivered["failedAt"] is None, delivered


def test_a_server_not_listening_at_first_gets_the_message_once_it_listens(backend, tmp_path):
    port = free_port()
    with mail_server(backend, tmp_path, "--smtp-url", f"smtp://127.0.0.1:{port}") as server:
        email, password = forced_user(server)
        change_password(server, email, password)
        refused = wait_for_mail(server, email, lambda m: m["attempts"] >= 2 and m["lastError"], DELIVERY_TIMEOUT,
                                "two refused connections")
        assert refused["deliveredAt"] is None and refused["failedAt"] is None, refused
        with SmtpSink(port=port) as sink:
            [got] = sink.wait_for(email, DELIVERY_TIMEOUT)
            assert str(got["message"]["Subject"]) == SUBJECTS["en"]
            delivered = wait_for_mail(server, email, lambda m: m["deliveredAt"] is not None, DELIVERY_TIMEOUT,
                                      "the delivery")
            assert delivered["attempts"] >= 3, delivered
            assert delivered["id"] == refused["id"]


def test_a_permanent_refusal_is_given_up_and_recorded(backend, tmp_path):
    with SmtpSink() as sink, mail_server(backend, tmp_path, "--smtp-url", sink.url) as server:
        refused_email, refused_password = forced_user(server, local="gone")
        sink.refuse_recipients.add(refused_email.lower())
        other_email, other_password = forced_user(server, local="here")
        change_password(server, refused_email, refused_password)
        change_password(server, other_email, other_password)

        given_up = wait_for_mail(server, refused_email, lambda m: m["failedAt"] is not None, DELIVERY_TIMEOUT,
                                 "the message to be given up")
        assert "550" in (given_up["lastError"] or ""), given_up
        assert (given_up["deliveredAt"], given_up["attempts"]) == (None, 1), given_up
        # Other mail goes on.
        sink.wait_for(other_email, DELIVERY_TIMEOUT)
        # Never attempted again, however much time passes.
        server.advance(3600)
        time.sleep(2.0)
        assert [a for a in sink.attempts if a[0] == refused_email.lower()] == [(refused_email.lower(), 550)], (
            sink.attempts
        )
        [still] = mail_list(server, to=refused_email)
        assert still["attempts"] == 1 and still["failedAt"] == given_up["failedAt"], still
