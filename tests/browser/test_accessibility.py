"""Every page of the consoles, in every language, through axe-core: no serious or
critical violation (``shot`` runs the scan on each screen). Signed in, the pages are
found by following the links from the start page, so new pages are scanned as they
come. Also a keyboard walk of
the sign-in page: every control is reached with Tab, in order, and the form is sent
with Enter."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browser.web import customer_super_admin, path_of, sign_in, staff_user
from helpers import domain_customer

LANGS = ["en", "id", "fr", "ja"]
# Pages a crawl opens at most (one per kind of path: ids collapsed, queries dropped).
CRAWL_LIMIT = 40
NOT_PAGES = ("/signout", "/language", "/assets/", "/partnerd/", "/healthz", "/readyz", "/metrics")


def kind_of(path: str) -> str:
    """A path with its identifiers collapsed: /partner/customers/C0abc123 and
    /partner/customers/C0xyz789 are one kind of page."""
    return "/".join("{id}" if re.search(r"\d", part) else part for part in path.split("/"))


def crawl(page, shot) -> set:
    """Open every page reachable by a link from the start page (same site, GET), one of
    each kind, photograph and scan each; return the paths visited."""
    base = urlsplit(page.url)
    queue, seen_kinds, visited = ["/"], set(), set()
    while queue and len(visited) < CRAWL_LIMIT:
        target = queue.pop(0)
        path = urlsplit(target).path
        if kind_of(path) in seen_kinds:
            continue
        seen_kinds.add(kind_of(path))
        response = page.goto(target)
        assert response is not None and response.status < 500, f"{target}: HTTP {response and response.status}"
        visited.add(path)
        shot(page, "page" + path.replace("/", "-"))
        # Links that download a file (Download customers) lead to no page to scan.
        for href in page.locator("a[href]:not([download])").evaluate_all("as => as.map(a => a.href)"):
            parts = urlsplit(href)
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                continue
            if parts.path.startswith(NOT_PAGES) or kind_of(parts.path) in seen_kinds:
                continue
            queue.append(parts.path + ("?" + parts.query if parts.query else ""))
    return visited


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_passes_axe(partnerd, reseller_for, new_page, shot, lang):
    reseller = reseller_for(lang)
    page = new_page(lang)
    page.goto("/signin?continue=%2Fpartner")
    shot(page, "signin")
    # The form with its problems (nothing typed: no failed attempt is counted).
    page.locator("main form").get_by_role("button").click()
    page.wait_for_load_state("load")
    shot(page, "signin-empty")

    admin = staff_user(partnerd, reseller, lang=lang, super_admin=True)
    page.locator("input[name=email]").fill(admin["email"])
    page.locator("input[name=password]").fill(admin["password"])
    page.locator("main form").get_by_role("button").click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/partner", page.url
    for path, name in (("/signin/accounts", "accounts"), ("/partner/nope", "not-found"),
                       ("/signin?authuser=1", "signin-another")):
        page.goto(path)
        shot(page, name)
    # Every page a link leads to, from the start page on (one of each kind).
    partnerd.service(reseller).customers().insert(body=domain_customer()).execute()
    visited = crawl(page, shot)
    for path in ("/", "/partner", "/admin", "/support"):
        assert path in visited, f"{path} was not reached by a link: {sorted(visited)}"

    plain = staff_user(partnerd, reseller, lang=lang)
    refused = new_page(lang)
    sign_in(refused, lang, plain["email"], plain["password"])
    shot(refused, "home-no-console")
    for path in ("/partner", "/admin", "/support"):
        refused.goto(path)
        shot(refused, "refused-" + path.strip("/"))

    forced = staff_user(partnerd, reseller, lang=lang, changePasswordAtNextLogin=True)
    change = new_page(lang)
    sign_in(change, lang, forced["email"], forced["password"])
    assert path_of(change.url) == "/signin/password", change.url
    shot(change, "password")
    change.locator("input[name=password]").fill("Pw-abcdefgh1")
    change.locator("input[name=confirmation]").fill("Pw-abcdefgh2")
    change.locator("main form").get_by_role("button").click()
    change.wait_for_load_state("load")
    shot(change, "password-mismatch")


def test_customer_admin_pages_pass_axe(partnerd, new_page, shot):
    admin = customer_super_admin(partnerd)
    page = new_page("en")
    sign_in(page, "en", admin["email"], admin["password"], "/admin")
    shot(page, "admin")
    page.goto("/partner")
    shot(page, "partner-refused")


def test_signin_by_keyboard(partnerd, new_page, shot):
    user = staff_user(partnerd)
    page = new_page("en")
    page.goto("/signin")
    # The email field has the focus, or is reached by Tab.
    for _ in range(20):
        if page.evaluate("document.activeElement && document.activeElement.name") == "email":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "email", "Tab never reaches the email field"
    page.keyboard.type(user["email"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(user["password"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Sign in"
    shot(page, "filled")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/", page.url
    shot(page, "home")
