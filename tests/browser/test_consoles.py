"""Who reaches which console: reseller staff without a privilege get a 403 page that
explains why (never data), a customer's super admin reaches the Admin console but not
the Partner Sales Console, the header's console switcher lists only what the account
reaches, and unknown pages under a console are a localized 404 in the same layout."""

from __future__ import annotations

import pytest

from browser.web import (
    assert_console,
    CONSOLES,
    WORDS,
    customer_super_admin,
    header_text,
    path_of,
    sign_in,
    staff_user,
    word,
)


def switcher_links(page) -> dict:
    """{text: href} of the header's console switcher."""
    links = page.locator("header nav a")
    return dict(links.evaluate_all("as => as.map(a => [a.textContent.trim(), a.getAttribute('href')])"))


def test_staff_without_a_privilege_reach_no_console(partnerd, new_page, shot):
    user = staff_user(partnerd)
    page = new_page("en")
    sign_in(page, "en", user["email"], user["password"])
    assert path_of(page.url) == "/", page.url
    shot(page, "home")
    assert switcher_links(page) == {}, "the switcher offers consoles the account does not reach"
    for key in CONSOLES:
        assert page.locator("main").get_by_role("link", name=word("en", key), exact=True).count() == 0
    for key, href in CONSOLES.items():
        response = page.goto(href)
        assert response.status == 403, f"{href}: HTTP {response.status}"
        shot(page, f"{key}-refused")
        assert_console(page, "en", key)
        body = " ".join(page.locator("main").inner_text().split())
        assert "role" in body.lower(), f"{href}: the refusal does not say what is missing: {body!r}"
        assert "Customers:" not in body, f"{href} shows data to an account without privilege: {body!r}"
        assert user["email"] in header_text(page), "the 403 page lost the layout"
        if key == "partner":
            assert word("en", "no_reseller_privilege") in body, body


def test_customer_super_admin_reaches_the_admin_console_only(partnerd, new_page, shot):
    admin = customer_super_admin(partnerd)
    page = new_page("en")
    sign_in(page, "en", admin["email"], admin["password"])
    assert path_of(page.url) == "/", page.url
    shot(page, "home")
    assert switcher_links(page) == {"Admin console": "/admin"}, switcher_links(page)
    response = page.goto("/admin")
    assert response.status == 200, response.status
    assert_console(page, "en", "admin")
    assert admin["customer"]["customerDomain"] in page.locator("main").inner_text()
    shot(page, "admin")
    response = page.goto("/partner")
    assert response.status == 403, f"/partner for a customer's admin: HTTP {response.status}"
    body = " ".join(page.locator("main").inner_text().split())
    assert word("en", "no_reseller_privilege") in body, body
    shot(page, "partner-refused")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_unknown_pages_are_a_localized_404(partnerd, reseller_for, new_page, shot, lang):
    user = staff_user(partnerd, reseller_for(lang), lang=lang, super_admin=True)
    page = new_page(lang)
    sign_in(page, lang, user["email"], user["password"])
    titles = set()
    for path in ("/partner/no-such-page", "/admin/customers/C0nothing/oops/more", "/support/cases/x"):
        response = page.goto(path)
        assert response.status == 404, f"{path}: HTTP {response.status}"
        assert page.locator("html").get_attribute("lang") == lang
        titles.add(page.get_by_role("heading", level=1).inner_text().strip())
        # The same layout: header with the account, sign-out and the switchers.
        assert user["email"] in header_text(page)
        assert page.locator("header").get_by_role("button", name=word(lang, "signout"), exact=True).count() == 1
        assert page.locator("header select[name=lang]").count() == 1
        assert page.locator("main a[href]").count() >= 1, "the 404 page offers no way on"
        shot(page, "not-found-" + path.strip("/").split("/")[0])
    assert len(titles) == 1, titles
    title = titles.pop()
    if lang == "en":
        assert title == "Page not found", title
    else:
        assert title and title != "Page not found", f"the 404 page is not translated: {title!r}"
        assert WORDS["en"]["signout"] not in header_text(page)
