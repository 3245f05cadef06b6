"""The consoles over plain HTTP (``requests``): cross-site request forgery refused without
changing anything, the session cookie's flags, the security headers, how long sessions
last in platform time, and the sessions that sign-out, suspension and password changes
end. The browser suite (tests/browser) drives the same pages in Chromium."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
import requests

from browser.web import (
    WebClient,
    directory_user,
    hidden_inputs,
    new_password,
    own_server,
    query_of,
    set_password,
    staff_user,
    suspend,
    text_of,
    to_signin,
)

EVIL = "https://evil.example"
MINUTE = 60
HOUR = 3600
DAY = 86400


def set_cookie_headers(response: requests.Response) -> list:
    """Every Set-Cookie header of a response (not the merged one)."""
    return response.raw.headers.getlist("Set-Cookie")


def cookie_attrs(header: str) -> tuple:
    """(name, value, {attribute (lower case): value}) of one Set-Cookie header."""
    first, *rest = [part.strip() for part in header.split(";")]
    name, _, value = first.partition("=")
    attrs = {}
    for part in rest:
        key, _, val = part.partition("=")
        attrs[key.strip().lower()] = val.strip()
    return name, value, attrs


def the_cookie(response: requests.Response, name: str) -> tuple:
    found = [cookie_attrs(h) for h in set_cookie_headers(response) if h.split("=", 1)[0].strip() == name]
    assert found, f"no Set-Cookie {name} in {set_cookie_headers(response)}"
    return found[-1]


def forged(variant: str, fields: dict) -> tuple:
    """(form data, extra headers) of a forged request: the ``csrf`` left out, wrong, or
    right but sent from another site."""
    data = dict(fields)
    headers = {}
    if variant == "no token":
        data.pop("csrf", None)
    elif variant == "wrong token":
        data["csrf"] = "x" * len(data.get("csrf") or "x" * 32)
    elif variant == "empty token":
        data["csrf"] = ""
    elif variant == "cross-site Origin":
        headers["Origin"] = EVIL
    elif variant == "Sec-Fetch-Site cross-site":
        headers["Sec-Fetch-Site"] = "cross-site"
    elif variant == "null Origin":
        headers["Origin"] = "null"
    else:  # pragma: no cover
        raise AssertionError(variant)
    return data, headers


FORGERIES = ["no token", "wrong token", "empty token", "cross-site Origin", "Sec-Fetch-Site cross-site",
             "null Origin"]


def assert_refused(r: requests.Response, what: str) -> None:
    assert r.status_code == 403, f"{what}: HTTP {r.status_code}, not 403\n{text_of(r.text)[:1500]}"
    assert "partnerd_session" not in {cookie_attrs(h)[0] for h in set_cookie_headers(r)}, (
        f"{what}: a refused request set the session cookie: {set_cookie_headers(r)}"
    )


# ---------------------------------------------------------------------------
# CSRF
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("variant", FORGERIES)
def test_forged_signin_is_refused_and_signs_nobody_in(partnerd, variant):
    user = staff_user(partnerd)
    client = WebClient(partnerd.base_url)
    fields = {**client.form("/signin", "/signin"), "email": user["email"], "password": user["password"]}
    data, headers = forged(variant, fields)
    r = client.post("/signin", data, headers=headers)
    assert_refused(r, f"POST /signin, {variant}")
    assert to_signin(client.get("/")), "signed in by a forged form"
    # The genuine form still works afterwards.
    r = client.post("/signin", fields)
    assert r.status_code == 303, f"the genuine sign-in: HTTP {r.status_code}"
    assert client.signed_in_as("/") == user["email"]


@pytest.mark.parametrize("variant", FORGERIES)
def test_forged_signout_is_refused_and_the_session_lives(partnerd, variant):
    user = staff_user(partnerd)
    client = WebClient(partnerd.base_url)
    client.sign_in_ok(user["email"], user["password"])
    url, fields = client.find_form("/", "/signout")
    data, headers = forged(variant, fields)
    r = client.post(url, data, headers=headers)
    assert_refused(r, f"POST /signout, {variant}")
    assert client.signed_in_as("/") == user["email"], "a forged sign-out ended the session"
    r = client.post(url, fields)
    assert r.status_code == 303, f"the genuine sign-out: HTTP {r.status_code}"
    assert client.signed_in_as("/") is None


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
@pytest.mark.parametrize("variant", ["no token", "wrong token", "cross-site Origin", "Sec-Fetch-Site cross-site"])
def test_forged_language_change_is_refused(partnerd, variant, signed_in):
    client = WebClient(partnerd.base_url, headers={"Accept-Language": "en-US"})
    page = "/signin"
    if signed_in:
        user = staff_user(partnerd)
        client.sign_in_ok(user["email"], user["password"])
        page = "/"
    url, fields = client.find_form(page, "/language")
    fields["lang"] = "ja"
    data, headers = forged(variant, fields)
    r = client.post(url, data, headers=headers)
    assert r.status_code == 403, f"POST /language, {variant}: HTTP {r.status_code}"
    assert "partnerd_lang" not in {cookie_attrs(h)[0] for h in set_cookie_headers(r)}, set_cookie_headers(r)
    assert re.search(r'<html[^>]*lang="en"', client.get(page).text), "the language changed"
    r = client.post(url, fields)
    assert r.status_code == 303, f"the genuine language change: HTTP {r.status_code}"
    assert re.search(r'<html[^>]*lang="ja"', client.get(page).text), "the genuine change did not take"


@pytest.mark.parametrize("variant", ["no token", "wrong token", "cross-site Origin", "Sec-Fetch-Site cross-site"])
def test_forged_password_change_is_refused_and_changes_nothing(partnerd, variant):
    user = staff_user(partnerd, changePasswordAtNextLogin=True)
    client = WebClient(partnerd.base_url)
    r = client.sign_in(user["email"], user["password"], "/admin")
    assert r.status_code == 303, r.status_code
    target = r.headers["Location"]
    assert urlsplit(target).path == "/signin/password", target
    chosen = new_password()
    path = urlsplit(target).path + ("?" + urlsplit(target).query if urlsplit(target).query else "")
    url, fields = client.find_form(path, "/signin/password")
    fields.update(password=chosen, confirmation=chosen)
    data, headers = forged(variant, fields)
    r = client.post(url, data, headers=headers)
    assert_refused(r, f"POST /signin/password, {variant}")
    assert directory_user(partnerd, user["email"])["changePasswordAtNextLogin"] is True
    # The old password is still the one: signing in again still leads to the change.
    other = WebClient(partnerd.base_url)
    r = other.sign_in(user["email"], user["password"])
    assert r.status_code == 303 and urlsplit(r.headers["Location"]).path == "/signin/password", (
        r.status_code, r.headers.get("Location"))


def test_same_origin_forms_pass(partnerd):
    """What a real browser sends for its own forms is accepted."""
    user = staff_user(partnerd)
    client = WebClient(partnerd.base_url)
    fields = {**client.form("/signin", "/signin"), "email": user["email"], "password": user["password"]}
    r = client.post("/signin", fields, headers={"Origin": partnerd.base_url, "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303, f"HTTP {r.status_code}"


def test_signin_never_continues_to_another_site(partnerd):
    user = staff_user(partnerd)
    for target in (EVIL + "/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        client = WebClient(partnerd.base_url)
        r = client.sign_in_ok(user["email"], user["password"], target)
        location = r.headers["Location"]
        parts = urlsplit(location)
        assert not parts.netloc or parts.netloc == urlsplit(partnerd.base_url).netloc, (target, location)
        assert parts.path == "/" and not location.startswith("//"), (target, location)


def test_second_account_gets_authuser(partnerd):
    first, second = staff_user(partnerd), staff_user(partnerd)
    client = WebClient(partnerd.base_url)
    r = client.sign_in_ok(first["email"], first["password"], "/admin")
    assert r.headers["Location"] == "/admin", r.headers["Location"]
    r = client.sign_in_ok(second["email"], second["password"], "/admin")
    location = r.headers["Location"]
    assert urlsplit(location).path == "/admin" and query_of(location) == {"authuser": "1"}, location
    assert client.signed_in_as("/") == first["email"]
    assert client.signed_in_as("/?authuser=1") == second["email"]


# ---------------------------------------------------------------------------
# Cookies and headers
# ---------------------------------------------------------------------------


def assert_session_cookie_flags(response: requests.Response, *, secure: bool) -> None:
    name, value, attrs = the_cookie(response, "partnerd_session")
    assert value, "empty session cookie"
    assert "httponly" in attrs, f"partnerd_session lacks HttpOnly: {attrs}"
    assert attrs.get("samesite", "").lower() == "lax", f"partnerd_session SameSite: {attrs}"
    assert attrs.get("path") == "/", f"partnerd_session Path: {attrs}"
    assert ("secure" in attrs) is secure, f"partnerd_session Secure should be {secure}: {attrs}"
    assert "domain" not in attrs, f"partnerd_session names a Domain: {attrs}"


def test_session_cookie_flags_over_http(partnerd):
    user = staff_user(partnerd)
    client = WebClient(partnerd.base_url)
    r = client.sign_in_ok(user["email"], user["password"])
    assert_session_cookie_flags(r, secure=False)
    # Whatever else is set is HttpOnly too, and not Secure on an http public URL.
    for header in set_cookie_headers(r):
        name, _, attrs = cookie_attrs(header)
        assert "secure" not in attrs, header
    # Signing out clears the cookie with the same flags.
    r = client.submit("/", "/signout")
    name, value, attrs = the_cookie(r, "partnerd_session")
    assert value == "" or attrs.get("max-age") == "0" or "expires" in attrs, f"sign-out kept the cookie: {attrs}"


def test_secure_cookies_behind_an_https_public_url(partnerd, tmp_path):
    with own_server(partnerd.backend, tmp_path, public_url="https://partnerd.test") as server:
        admin = server.a
        url = server.loopback
        r = requests.get(url + "/signin", allow_redirects=False, timeout=30)
        assert r.status_code == 200, r.status_code
        jar = {}
        for header in set_cookie_headers(r):
            name, value, attrs = cookie_attrs(header)
            assert "secure" in attrs, f"{name} lacks Secure behind an https public URL: {header}"
            jar[name] = value
        fields = {**hidden_inputs(r.text, "/signin"), "email": admin["adminEmail"], "password": admin["password"]}
        # requests keeps Secure cookies off http: send them by hand, as the proxy would.
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        r = requests.post(url + "/signin", data=fields, headers={"Cookie": cookie, "Origin": "https://partnerd.test"},
                          allow_redirects=False, timeout=30)
        assert r.status_code == 303, f"HTTP {r.status_code}\n{text_of(r.text)[:1500]}"
        assert_session_cookie_flags(r, secure=True)
        # The public origin is the one forms must come from.
        r = requests.post(url + "/signin", data=fields, headers={"Cookie": cookie, "Origin": EVIL},
                          allow_redirects=False, timeout=30)
        assert r.status_code == 403, r.status_code


def assert_security_headers(r: requests.Response, what: str) -> None:
    csp = r.headers.get("Content-Security-Policy")
    assert csp, f"{what}: no Content-Security-Policy"
    directives = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts is not None, f"{what}: CSP sets neither script-src nor default-src: {csp}"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts, (
        f"{what}: scripts not locked down: {csp}")
    assert directives.get("frame-ancestors") == ["'none'"], f"{what}: frame-ancestors: {csp}"
    assert r.headers.get("X-Content-Type-Options", "").lower() == "nosniff", f"{what}: {dict(r.headers)}"
    assert r.headers.get("Referrer-Policy", "").lower() == "same-origin", f"{what}: {dict(r.headers)}"


PAGES = ["/", "/signin", "/signin?continue=%2Fpartner", "/signin/accounts", "/partner", "/admin", "/support",
         "/partner/no-such-page", "/admin/x/y", "/signin/password"]


def test_security_headers_signed_out(partnerd):
    client = WebClient(partnerd.base_url)
    for path in PAGES:
        assert_security_headers(client.get(path), f"GET {path} (signed out)")
    r = client.post("/signout", {})
    assert_security_headers(r, "POST /signout refused")


def test_security_headers_signed_in(partnerd):
    plain = staff_user(partnerd)
    for user in ({"email": partnerd.a["adminEmail"], "password": partnerd.a["password"]}, plain):
        client = WebClient(partnerd.base_url)
        assert_security_headers(client.sign_in_ok(user["email"], user["password"]), "POST /signin")
        for path in PAGES:
            r = client.get(path)
            assert_security_headers(r, f"GET {path} as {user['email']}")
            if r.status_code == 200:
                assert "no-store" in r.headers.get("Cache-Control", ""), f"{path}: signed-in page may be cached"
        r = client.get("/partner")
        if user is plain:
            assert r.status_code == 403, f"/partner for staff without privilege: HTTP {r.status_code}"
            assert "no reseller privilege" in text_of(r.text), text_of(r.text)[:1500]


# ---------------------------------------------------------------------------
# Sessions in platform time
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clock_server(partnerd, tmp_path_factory):
    """A server of this module's own, with the default session lifetimes: these tests
    move its clock by days."""
    with own_server(partnerd.backend, tmp_path_factory.mktemp("sessions")) as server:
        yield server


def signed_in(server, user=None) -> tuple:
    user = user or staff_user(server, server.a)
    client = WebClient(server.base_url)
    client.sign_in_ok(user["email"], user["password"])
    assert client.signed_in_as("/") == user["email"]
    return client, user


def test_idle_sessions_end_after_two_hours(clock_server):
    client, user = signed_in(clock_server)
    clock_server.advance(2 * HOUR - 5 * MINUTE)
    assert client.signed_in_as("/") == user["email"], "the session ended before two idle hours"
    # Used just now: another 1 h 55 min is fine again.
    clock_server.advance(2 * HOUR - 5 * MINUTE)
    assert client.signed_in_as("/") == user["email"], "using the session did not keep it alive"
    clock_server.advance(2 * HOUR + MINUTE)
    r = client.get("/partner")
    assert to_signin(r), f"an idle session still works after two hours: HTTP {r.status_code}"
    assert query_of(r.headers["Location"]).get("continue") == "/partner", r.headers["Location"]
    # Signing in again works.
    client.sign_in_ok(user["email"], user["password"])
    assert client.signed_in_as("/") == user["email"]


def test_sessions_end_fourteen_days_after_signin(clock_server):
    client, user = signed_in(clock_server)
    step = 2 * HOUR - 10 * MINUTE
    elapsed = 0
    while elapsed + step < 14 * DAY - 30 * MINUTE:
        clock_server.advance(step)
        elapsed += step
        assert client.signed_in_as("/") == user["email"], f"the session ended after {elapsed / DAY:.2f} days"
    clock_server.advance(14 * DAY - elapsed + MINUTE)
    assert client.signed_in_as("/") is None, "a session outlived 14 days, however busy"


def test_session_lifetimes_follow_the_flags(partnerd, tmp_path):
    args = ["--session-idle-minutes", "30", "--session-max-days", "1"]
    with own_server(partnerd.backend, tmp_path, extra_args=args) as server:
        client, user = signed_in(server)
        server.advance(29 * MINUTE)
        assert client.signed_in_as("/") == user["email"]
        server.advance(31 * MINUTE)
        assert client.signed_in_as("/") is None, "an idle session outlived --session-idle-minutes 30"

        client, user = signed_in(server, user)
        for _ in range(int(23.5 * 60 / 25)):
            server.advance(25 * MINUTE)
            assert client.signed_in_as("/") == user["email"]
        server.advance(DAY)
        assert client.signed_in_as("/") is None


# ---------------------------------------------------------------------------
# Sessions ended
# ---------------------------------------------------------------------------


def replay(base_url: str, cookie_value: str, path: str = "/") -> requests.Response:
    """A request carrying a session cookie someone kept."""
    return requests.get(base_url + path, headers={"Cookie": f"partnerd_session={cookie_value}"},
                        allow_redirects=False, timeout=30)


def test_signout_ends_the_session_on_the_server(partnerd):
    user = staff_user(partnerd)
    client = WebClient(partnerd.base_url)
    client.sign_in_ok(user["email"], user["password"])
    kept = client.session_cookie()
    assert kept
    assert replay(partnerd.base_url, kept).status_code == 200
    r = client.submit("/", "/signout")
    assert r.status_code == 303, r.status_code
    r = replay(partnerd.base_url, kept, "/partner")
    assert to_signin(r), f"the session cookie kept from before the sign-out still works: HTTP {r.status_code}"


def test_signing_out_one_account_keeps_the_other(partnerd):
    first, second = staff_user(partnerd), staff_user(partnerd)
    client = WebClient(partnerd.base_url)
    client.sign_in_ok(first["email"], first["password"])
    client.sign_in_ok(second["email"], second["password"])
    r = client.submit("/?authuser=1", "/signout")
    assert r.status_code == 303, r.status_code
    assert client.signed_in_as("/") == first["email"]


def test_suspension_ends_sessions(partnerd):
    client, user = signed_in(partnerd)
    kept = client.session_cookie()
    suspend(partnerd, user["email"])
    assert client.signed_in_as("/") is None, "a suspended user's session still works"
    assert to_signin(replay(partnerd.base_url, kept, "/admin"))
    r = WebClient(partnerd.base_url).sign_in(user["email"], user["password"])
    assert r.status_code != 303 and "This account is suspended. Ask your administrator." in text_of(r.text), (
        r.status_code, text_of(r.text)[:1500])


def test_password_reset_by_an_admin_ends_sessions(partnerd):
    client, user = signed_in(partnerd)
    set_password(partnerd, user["email"], new_password())
    assert client.signed_in_as("/") is None, "the session outlived a password change through the Directory API"


def test_forced_password_change_ends_the_other_sessions(partnerd):
    user = staff_user(partnerd)
    elsewhere, _ = signed_in(partnerd, user)
    partnerd.directory(partnerd.a).users().patch(
        userKey=user["email"], body={"changePasswordAtNextLogin": True}
    ).execute()
    # Setting the flag alone may end the session or send it to the change; the change
    # itself must end it.
    r = elsewhere.get("/")
    was_alive = r.status_code == 200 or urlsplit(r.headers.get("Location", "")).path == "/signin/password"
    client = WebClient(partnerd.base_url)
    r = client.sign_in(user["email"], user["password"])
    assert r.status_code == 303 and urlsplit(r.headers["Location"]).path == "/signin/password", r.headers
    before = client.session_cookie()
    location = r.headers["Location"]
    page = urlsplit(location).path + "?" + urlsplit(location).query
    chosen = new_password()
    r = client.submit(page, "/signin/password", {"password": chosen, "confirmation": chosen})
    assert r.status_code == 303, f"HTTP {r.status_code}\n{text_of(r.text)[:1500]}"
    assert urlsplit(r.headers["Location"]).path == "/", r.headers["Location"]
    assert client.session_cookie() and client.session_cookie() != before, "no new session after the change"
    assert client.signed_in_as("/") == user["email"]
    if before:
        assert to_signin(replay(partnerd.base_url, before)), "the session from before the change still works"
    if was_alive:
        r = elsewhere.get("/")
        assert to_signin(r), f"another session outlived the password change: HTTP {r.status_code} {r.headers}"
    assert directory_user(partnerd, user["email"])["changePasswordAtNextLogin"] is False


def test_a_session_cookie_never_leaks_into_a_url(partnerd):
    user = staff_user(partnerd)
    client = WebClient(partnerd.base_url)
    r = client.sign_in_ok(user["email"], user["password"], "/partner")
    secret = client.session_cookie()
    assert secret and secret not in r.headers.get("Location", "")
    page = client.get("/")
    assert secret not in page.text, "the session secret is in the page"
    assert quote(secret, safe="") not in page.text
