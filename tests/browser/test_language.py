"""Languages: the browser's Accept-Language picks the language of signed-out pages, a
user's language setting that of signed-in ones, and the switcher (a select labelled
Language and a "Change language" button, remembered in a cookie) wins over both."""

from __future__ import annotations

import pytest

from browser.web import (
    assert_console,
    CONSOLES,
    WORDS,
    customer_super_admin,
    fill_signin,
    header_text,
    path_of,
    query_of,
    sign_in,
    staff_user,
    word,
)


def choose_language(page, tag: str) -> None:
    """Use the header's language switcher (found by its name, whatever the language)."""
    page.locator("select[name=lang]").select_option(tag)
    page.locator("form:has(select[name=lang])").get_by_role("button").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("lang", ["en", "ja", "id", "fr"])
def test_accept_language_picks_the_signin_language(new_page, shot, lang):
    page = new_page(lang)
    page.goto("/signin")
    shot(page, f"signin-{lang}")
    assert page.locator("html").get_attribute("lang") == lang
    words = WORDS[lang]
    assert page.get_by_role("heading", level=1).inner_text().strip() == words["signin_title"]
    assert page.locator("main form").get_by_role("button").inner_text().strip() == words["signin_button"]
    assert page.locator("label[for=password]").inner_text().strip() == words["password"]
    if "email" in words:
        assert page.locator("label[for=email]").inner_text().strip() == words["email"]
    # The switcher shows the language picked, each option in its own language.
    select = page.locator("select[name=lang]")
    assert select.input_value() == lang
    names = dict(select.locator("option").evaluate_all("os => os.map(o => [o.value, o.textContent.trim()])"))
    assert names == {"en": "English", "id": "Bahasa Indonesia", "fr": "Français", "ja": "日本語"}, names


def test_a_browser_language_we_lack_gets_english(new_page, shot):
    page = new_page("de-DE")
    page.goto("/signin")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Sign in"
    shot(page, "signin-de")


@pytest.mark.parametrize("lang", ["ja", "id", "fr"])
def test_signed_in_pages_in_the_users_language(partnerd, reseller_for, new_page, shot, lang):
    user = staff_user(partnerd, reseller_for(lang), lang=lang, super_admin=True)
    # The browser asks for English: the user's setting wins once signed in.
    page = new_page("en")
    sign_in(page, "en", user["email"], user["password"])
    assert path_of(page.url) == "/", page.url
    assert page.locator("html").get_attribute("lang") == lang
    shot(page, f"home-{lang}")
    main = page.locator("main")
    for key in CONSOLES:
        if key in WORDS[lang]:
            assert main.get_by_role("link", name=word(lang, key), exact=True).count() == 1, word(lang, key)
    if "signout" in WORDS[lang]:
        assert page.locator("header").get_by_role("button", name=word(lang, "signout"), exact=True).count() == 1


def test_switcher_on_a_signed_out_page(new_page, shot):
    page = new_page("en")
    page.goto("/signin?continue=%2Fsupport")
    shot(page, "signin-en")
    assert page.get_by_label("Language", exact=True).count() == 1
    page.get_by_label("Language", exact=True).select_option("ja")
    page.get_by_role("button", name="Change language", exact=True).click()
    page.wait_for_load_state("load")
    # Back on the same page, now in Japanese.
    assert path_of(page.url) == "/signin" and query_of(page.url) == {"continue": "/support"}, page.url
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text().strip() == word("ja", "signin_title")
    assert page.get_by_label("メールアドレス", exact=True).count() == 1
    assert page.get_by_label("パスワード", exact=True).count() == 1
    shot(page, "signin-ja")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "partnerd_lang" in cookies, f"the choice is not kept in a cookie: {sorted(cookies)}"
    # Kept: another page, and a reload, stay Japanese.
    page.goto("/signin")
    assert page.locator("html").get_attribute("lang") == "ja"
    # And back to Indonesian with the (now Japanese) switcher.
    choose_language(page, "id")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text().strip() == word("id", "signin_title")
    shot(page, "signin-id")


def test_choice_wins_over_the_users_setting_and_the_browser(partnerd, reseller_for, new_page, shot):
    # A user whose setting is French, in a Japanese browser.
    user = staff_user(partnerd, reseller_for("fr"), lang="fr", super_admin=True)
    page = new_page("ja")
    page.goto("/signin")
    assert page.locator("html").get_attribute("lang") == "ja"
    fill_signin(page, "ja", user["email"], user["password"])
    assert path_of(page.url) == "/", page.url
    assert page.locator("html").get_attribute("lang") == "fr", "the user's setting should win over the browser's"
    assert page.locator("main").get_by_role("link", name=word("fr", "partner"), exact=True).count() == 1
    shot(page, "home-fr")
    choose_language(page, "id")
    assert path_of(page.url) == "/", page.url
    assert page.locator("html").get_attribute("lang") == "id"
    for key in CONSOLES:
        assert page.locator("main").get_by_role("link", name=word("id", key), exact=True).count() == 1
    shot(page, "home-id")
    page.goto("/partner")
    assert page.locator("html").get_attribute("lang") == "id"
    assert_console(page, "id", "partner")
    assert user["email"] in header_text(page)
    shot(page, "partner-id")
    # The choice outlives the session: signed out, still Indonesian.
    page.locator("header form[action='/signout']").get_by_role("button").click()
    page.wait_for_load_state("load")
    page.goto("/signin")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text().strip() == word("id", "signin_title")
    shot(page, "signed-out-id")


def test_customer_admin_in_japanese(partnerd, new_page, shot):
    admin = customer_super_admin(partnerd, lang="ja")
    page = new_page("ja")
    sign_in(page, "ja", admin["email"], admin["password"], "/admin")
    assert path_of(page.url) == "/admin", page.url
    assert_console(page, "ja", "admin")
    shot(page, "admin-ja")
