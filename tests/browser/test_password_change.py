"""The forced password change (``changePasswordAtNextLogin``) in a browser, in English and
Japanese: the sign-in goes to "Change your password" first, a mismatch is shown next to
the field, no console opens before the change, and afterwards the user is on the page
asked for, the Directory API shows the flag cleared, and only the new password works.
(The "Your password was changed" e-mail is tested with the mail delivery.)"""

from __future__ import annotations

import pytest

from browser.web import (
    assert_console,
    WORDS,
    directory_user,
    fill_signin,
    header_text,
    new_password,
    path_of,
    problem_text,
    query_of,
    sign_in,
    staff_user,
)


def controls(page, lang: str) -> tuple:
    """(new password, confirmation, submit button) of the change form: by their labels in
    English, by their names where the contract fixes no words."""
    if lang == "en":
        return (page.get_by_label("New password", exact=True),
                page.get_by_label("Confirm new password", exact=True),
                page.get_by_role("button", name="Change password", exact=True))
    return (page.locator("input[name=password]"), page.locator("input[name=confirmation]"),
            page.locator("main form").get_by_role("button"))


def described_by(page, input_locator) -> str:
    """The text of the elements an input's aria-describedby names."""
    ids = (input_locator.get_attribute("aria-describedby") or "").split()
    return " ".join(" ".join(page.locator(f"#{i}").inner_text().split()) for i in ids)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_forced_password_change(partnerd, reseller_for, new_page, shot, lang):
    reseller = reseller_for(lang)
    user = staff_user(partnerd, reseller, lang=lang, super_admin=True, changePasswordAtNextLogin=True)
    page = new_page(lang)
    sign_in(page, lang, user["email"], user["password"], "/partner")
    assert path_of(page.url) == "/signin/password", f"a forced change should come first: {page.url}"
    assert query_of(page.url).get("continue") == "/partner", page.url
    shot(page, "change-password")
    if lang == "en":
        assert page.get_by_role("heading", name="Change your password", exact=True).is_visible()
    else:
        assert page.get_by_role("heading", level=1).inner_text().strip() != "Change your password"
    new, confirmation, submit = controls(page, lang)
    assert new.get_attribute("name") == "password" and new.get_attribute("type") == "password"
    assert confirmation.get_attribute("name") == "confirmation"
    assert confirmation.get_attribute("type") == "password"
    assert submit.is_visible()
    assert page.locator("main form input[type=hidden][name=csrf]").get_attribute("value")

    # No console before the password is changed.
    page.goto("/partner")
    assert path_of(page.url) in ("/signin/password", "/signin"), (
        f"/partner opened before the forced password change: {page.url}"
    )
    page.goto("/signin/password?continue=%2Fpartner")

    chosen = new_password()
    new, confirmation, submit = controls(page, lang)
    new.fill(chosen)
    confirmation.fill(chosen + "x")
    submit.click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/signin/password", page.url
    shot(page, "mismatch")
    new, confirmation, submit = controls(page, lang)
    assert confirmation.get_attribute("aria-invalid") == "true"
    next_to_field = described_by(page, confirmation)
    if lang == "en":
        assert "The passwords do not match." in next_to_field, next_to_field
    else:
        assert next_to_field and "The passwords do not match." not in next_to_field, next_to_field
    assert directory_user(partnerd, user["email"], reseller)["changePasswordAtNextLogin"] is True

    new.fill(chosen)
    confirmation.fill(chosen)
    before = {c["name"]: c["value"] for c in page.context.cookies()}.get("partnerd_session")
    submit.click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/partner", f"after the change: {page.url}"
    assert_console(page, lang, "partner")
    assert user["email"] in header_text(page)
    shot(page, "partner")
    after = {c["name"]: c["value"] for c in page.context.cookies()}.get("partnerd_session")
    assert after and after != before, "the password change did not start a new session"

    assert directory_user(partnerd, user["email"], reseller)["changePasswordAtNextLogin"] is False

    # Only the new password signs in now, and without another change.
    fresh = new_page(lang)
    sign_in(fresh, lang, user["email"], user["password"])
    assert path_of(fresh.url) == "/signin", fresh.url
    if lang == "en":
        assert problem_text(fresh) == WORDS["en"]["failed"]
    shot(fresh, "old-password")
    fill_signin(fresh, lang, user["email"], chosen)
    assert path_of(fresh.url) == "/", fresh.url
    shot(fresh, "new-password")


def test_new_password_must_follow_the_rule(partnerd, new_page, shot):
    user = staff_user(partnerd, changePasswordAtNextLogin=True)
    page = new_page("en")
    sign_in(page, "en", user["email"], user["password"])
    assert path_of(page.url) == "/signin/password", page.url
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password", exact=True).fill("short")
    page.get_by_role("button", name="Change password", exact=True).click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/signin/password", page.url
    new = page.get_by_label("New password", exact=True)
    assert new.get_attribute("aria-invalid") == "true"
    assert described_by(page, new), "no explanation next to the field"
    shot(page, "too-short")
    assert directory_user(partnerd, user["email"])["changePasswordAtNextLogin"] is True
