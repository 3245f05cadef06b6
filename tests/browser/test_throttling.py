"""The sign-in throttle in a browser: after 5 failures for one account, or 20 from one
client address, within 15 minutes, sign-in answers "Too many failed attempts" even to
the right password.

The throttle counts per server process and every test here signs in from 127.0.0.1, so
these tests run on servers of their own: the suite's shared server must stay under the
client address's limit for everyone else."""

from __future__ import annotations

import pytest

from browser.web import (
    WORDS,
    WebClient,
    fill_signin,
    own_server,
    path_of,
    problem_text,
    sign_in,
    staff_user,
    word,
)


@pytest.fixture(scope="module")
def throttled_server(partnerd, tmp_path_factory):
    with own_server(partnerd.backend, tmp_path_factory.mktemp("throttle")) as server:
        yield server


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_five_failures_lock_the_account(throttled_server, new_page, shot, lang):
    server = throttled_server
    user = staff_user(server, server.a)
    page = new_page(lang, base_url=server.base_url)
    messages = []
    for attempt in range(5):
        sign_in(page, lang, user["email"], f"wrong-{attempt}")
        messages.append(problem_text(page))
        if attempt == 0:
            shot(page, "first-failure")
    failed = messages[0]
    assert messages == [failed] * 5, messages
    if lang == "en":
        assert failed == word("en", "failed")
    # The right password, sixth: still refused, as throttled.
    sign_in(page, lang, user["email"], user["password"])
    assert path_of(page.url) == "/signin", f"signed in despite 5 failures: {page.url}"
    throttled = problem_text(page)
    shot(page, "throttled")
    assert throttled != failed
    if lang == "en":
        assert throttled == word("en", "throttled")
    else:
        assert throttled != WORDS["en"]["throttled"], "the message is not translated"
    # The throttle is per account: another one signs in.
    other = staff_user(server, server.a)
    fresh = new_page(lang, base_url=server.base_url)
    sign_in(fresh, lang, other["email"], other["password"])
    assert path_of(fresh.url) == "/", f"another account was throttled too: {fresh.url}"


def test_twenty_failures_from_one_client_lock_it_out(partnerd, tmp_path, new_page, shot):
    with own_server(partnerd.backend, tmp_path) as server:
        admin = server.a
        client = WebClient(server.base_url)
        # 19 failures, each on another account (unknown ones count too) ...
        for n in range(19):
            r = client.sign_in(f"nobody-{n}@reseller-a.example", "wrong-password")
            assert r.status_code in (200, 401) and word("en", "failed") in r.text, r.status_code
        # ... leave the client below the limit: the admin signs in.
        page = new_page("en", base_url=server.base_url)
        sign_in(page, "en", admin["adminEmail"], admin["password"])
        assert path_of(page.url) == "/", f"throttled before 20 failures: {page.url}"
        # The 20th failure locks the client address out, whatever the account.
        r = client.sign_in("nobody-19@reseller-a.example", "wrong-password")
        assert r.status_code in (200, 401) and word("en", "failed") in r.text, r.status_code
        other = new_page("en", base_url=server.base_url)
        other.goto("/signin")
        shot(other, "signin")
        fill_signin(other, "en", admin["adminEmail"], admin["password"])
        assert path_of(other.url) == "/signin", f"signed in after 20 failures from this address: {other.url}"
        assert problem_text(other) == word("en", "throttled")
        shot(other, "throttled")
