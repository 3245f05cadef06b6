"""Signing in and out of the consoles in a browser, in English and Japanese: the sign-in
page, the start page with the consoles the account reaches, the page header, wrong
passwords, suspended accounts, several accounts in one browser (authuser) and signing
out. Every screen is photographed and scanned with axe-core (``shot``)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from browser.web import (
    assert_console,
    CONSOLES,
    WORDS,
    button,
    field,
    fill_signin,
    header_text,
    path_of,
    problem_text,
    query_of,
    sign_in,
    staff_user,
    suspend,
    word,
)

LANGS = ["en", "ja"]


@pytest.mark.parametrize("lang", LANGS)
def test_signed_out_start_page_asks_to_sign_in(new_page, shot, lang):
    page = new_page(lang)
    response = page.goto("/")
    assert path_of(page.url) == "/signin", f"signed out, / ended at {page.url}"
    assert query_of(page.url) == {"continue": "/"}, page.url
    assert page.url.endswith("/signin?continue=%2F"), page.url
    assert response.status == 200
    # The redirect itself: 303 to /signin?continue=%2F.
    first = response.request.redirected_from
    assert first is not None, "no redirect from /"
    assert first.response().status == 303, first.response().status
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("heading", name=word(lang, "signin_title"), exact=True).is_visible()
    email = field(page, lang, "email", "email")
    password = field(page, lang, "password", "password")
    assert email.get_attribute("name") == "email"
    assert password.get_attribute("name") == "password"
    assert password.get_attribute("type") == "password"
    assert button(page, lang, "signin_button").is_visible()
    form = page.locator("main form")
    assert form.locator("input[type=hidden][name=csrf]").get_attribute("value"), "no csrf token"
    assert form.locator("input[type=hidden][name=continue]").get_attribute("value") == "/"
    # Signed-out pages carry the language switcher too.
    switcher = page.locator("select[name=lang]")
    assert switcher.count() == 1, "no language switcher on the sign-in page"
    assert sorted(switcher.locator("option").evaluate_all("os => os.map(o => o.value)")) == [
        "en", "fr", "id", "ja"
    ]
    # Signed out, the header names no account and offers no console.
    assert page.get_by_role("button", name=word(lang, "signout"), exact=True).count() == 0
    shot(page, "signin")


@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_reaches_the_start_page_and_every_console(partnerd, reseller_for, new_page, shot, lang):
    # A super admin of a reseller whose users read ``lang``.
    user = staff_user(partnerd, reseller_for(lang), lang=lang, super_admin=True)
    admin = {"adminEmail": user["email"], "password": user["password"]}
    page = new_page(lang)
    sign_in(page, lang, admin["adminEmail"], admin["password"])
    assert path_of(page.url) == "/", f"after signing in: {page.url}"
    assert "authuser" not in page.url, page.url
    shot(page, "home")
    main = page.locator("main")
    for key, href in CONSOLES.items():
        link = main.get_by_role("link", name=word(lang, key), exact=True)
        assert link.count() == 1, f"the start page has no link {word(lang, key)!r}"
        assert link.get_attribute("href").split("?")[0] == href
    head = header_text(page)
    assert admin["adminEmail"] in head, head
    if lang == "en":
        assert word(lang, "signed_in_as", email=admin["adminEmail"]) in head, head
        assert page.locator("header").get_by_role("link", name="Switch account", exact=True).count() == 1
    assert page.locator("header").get_by_role("button", name=word(lang, "signout"), exact=True).count() == 1
    signout_form = page.locator("header form[action='/signout']")
    assert signout_form.get_attribute("method").lower() == "post"
    assert signout_form.locator("input[name=csrf]").get_attribute("value")

    for key, href in CONSOLES.items():
        page.locator("header").get_by_role("link", name=word(lang, key), exact=True).click()
        page.wait_for_load_state("load")
        assert path_of(page.url) == href, page.url
        assert_console(page, lang, key)
        assert admin["adminEmail"] in header_text(page)
        shot(page, key)


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_password_and_unknown_account_get_the_same_answer(partnerd, reseller_for, new_page, shot, lang):
    user = staff_user(partnerd, reseller_for(lang), lang=lang)
    page = new_page(lang)
    sign_in(page, lang, user["email"], user["password"] + "-wrong")
    assert path_of(page.url) == "/signin", page.url
    wrong = problem_text(page)
    shot(page, "wrong-password")
    # What was typed stays, except the password.
    assert field(page, lang, "email", "email").input_value() == user["email"]
    assert field(page, lang, "password", "password").input_value() == ""
    sign_in(page, lang, "nobody-" + user["email"], user["password"])
    unknown = problem_text(page)
    shot(page, "unknown-account")
    assert wrong == unknown, f"wrong password: {wrong!r}; unknown account: {unknown!r}"
    if lang == "en":
        assert wrong == word("en", "failed")
    else:
        assert wrong != WORDS["en"]["failed"], "the message is not translated"
    # Still signed out.
    page.goto("/")
    assert path_of(page.url) == "/signin"
    # The right password works.
    fill_signin(page, lang, user["email"], user["password"])
    assert path_of(page.url) == "/", page.url


def test_signing_in_goes_on_to_the_page_asked_for(partnerd, new_page, shot):
    page = new_page("en")
    page.goto("/partner")
    assert path_of(page.url) == "/signin" and query_of(page.url) == {"continue": "/partner"}, page.url
    assert page.locator("main form input[name=continue]").get_attribute("value") == "/partner"
    shot(page, "signin-continue")
    fill_signin(page, "en", partnerd.a["adminEmail"], partnerd.a["password"])
    assert path_of(page.url) == "/partner", page.url
    assert_console(page, "en", "partner")
    shot(page, "partner")


def test_suspended_account_is_told_so(partnerd, new_page, shot):
    user = staff_user(partnerd)
    suspend(partnerd, user["email"])
    page = new_page("en")
    sign_in(page, "en", user["email"], user["password"])
    assert path_of(page.url) == "/signin", page.url
    assert problem_text(page) == word("en", "suspended")
    shot(page, "suspended")


@pytest.mark.parametrize("lang", LANGS)
def test_sign_out(partnerd, reseller_for, new_page, shot, lang):
    user = staff_user(partnerd, reseller_for(lang), lang=lang)
    page = new_page(lang)
    sign_in(page, lang, user["email"], user["password"], "/partner")
    assert path_of(page.url) == "/partner"
    shot(page, "signed-in")
    page.locator("header").get_by_role("button", name=word(lang, "signout"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "signed-out")
    assert page.locator("header").get_by_role("button", name=word(lang, "signout"), exact=True).count() == 0
    assert user["email"] not in header_text(page)
    page.goto("/partner")
    assert path_of(page.url) == "/signin", f"after signing out, /partner shows {page.url}"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert not cookies.get("partnerd_session"), f"the session cookie is still set: {cookies}"


def test_several_accounts_in_one_browser(partnerd, new_page, shot):
    admin = partnerd.a
    other = staff_user(partnerd)
    page = new_page("en")
    sign_in(page, "en", admin["adminEmail"], admin["password"])
    assert path_of(page.url) == "/"
    page.locator("header").get_by_role("link", name="Switch account", exact=True).click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/signin/accounts", page.url
    shot(page, "chooser-one")
    main = page.locator("main")
    assert main.get_by_role("link", name=f"Use {admin['adminEmail']}", exact=True).count() == 1
    main.get_by_role("link", name="Use another account", exact=True).click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/signin", page.url
    shot(page, "signin-another")
    fill_signin(page, "en", other["email"], other["password"])
    # The second account signed in in this browser: authuser=1 (Google's convention).
    assert query_of(page.url).get("authuser") == "1", page.url
    assert f"Signed in as {other['email']}" in header_text(page)
    shot(page, "second-account")

    page.goto("/signin/accounts?authuser=1")
    shot(page, "chooser-two")
    main = page.locator("main")
    for email in (admin["adminEmail"], other["email"]):
        assert main.get_by_role("link", name=f"Use {email}", exact=True).count() == 1, email
    main.get_by_role("link", name=f"Use {admin['adminEmail']}", exact=True).click()
    page.wait_for_load_state("load")
    assert query_of(page.url).get("authuser", "0") == "0", page.url
    assert f"Signed in as {admin['adminEmail']}" in header_text(page)
    # Links of a page acting as the second account keep acting as it.
    page.goto("/?authuser=1")
    assert f"Signed in as {other['email']}" in header_text(page)
    shot(page, "home-second")
    assert admin["adminEmail"] not in header_text(page)


def test_signin_form_keeps_continue_when_switching_language(partnerd, new_page, shot):
    page = new_page("en")
    page.goto("/signin?continue=" + quote("/admin", safe=""))
    page.get_by_label("Language", exact=True).select_option("ja")
    page.get_by_role("button", name="Change language", exact=True).click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/signin" and query_of(page.url).get("continue") == "/admin", page.url
    assert page.locator("html").get_attribute("lang") == "ja"
    shot(page, "signin-ja")
    fill_signin(page, "ja", partnerd.a["adminEmail"], partnerd.a["password"])
    assert path_of(page.url) == "/admin", page.url
    assert_console(page, "ja", "admin")
    shot(page, "admin-ja")


def test_sign_out_of_the_second_account_keeps_the_first(partnerd, new_page, shot):
    first, second = staff_user(partnerd), staff_user(partnerd)
    page = new_page("en")
    sign_in(page, "en", first["email"], first["password"])
    page.goto("/signin/accounts")
    page.locator("main").get_by_role("link", name="Use another account", exact=True).click()
    page.wait_for_load_state("load")
    fill_signin(page, "en", second["email"], second["password"])
    assert query_of(page.url).get("authuser") == "1", page.url
    shot(page, "second-account")
    page.locator("header").get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "after-sign-out")
    assert page.locator("main h1").inner_text().strip() != "Not allowed", (
        f"signing out of the second account was refused at {page.url}: {page.locator('main').inner_text()!r}"
    )
    page.goto("/")
    assert f"Signed in as {first['email']}" in header_text(page), header_text(page)
    page.goto("/signin/accounts")
    main = page.locator("main")
    assert main.get_by_role("link", name=f"Use {first['email']}", exact=True).count() == 1
    assert main.get_by_role("link", name=f"Use {second['email']}", exact=True).count() == 0
