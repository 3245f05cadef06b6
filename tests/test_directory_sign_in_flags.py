"""The Directory's agreedToTerms and lastLoginTime follow the user's own console
sign-ins, as Google's User resource documents them
(https://developers.google.com/workspace/admin/directory/reference/rest/v1/users): a user
agrees to the Terms of Service at its first sign-in, and lastLoginTime is its last one
(the epoch for a user who never signed in).
"""

from __future__ import annotations

from browser.web import WebClient, staff_user
from dir_helpers import NEVER_LOGGED_IN, get_user, list_users, rfc3339_ms


def test_a_user_agrees_to_the_terms_at_its_first_sign_in(partnerd):
    user = staff_user(partnerd)
    dsvc = partnerd.directory(partnerd.a)
    fresh = get_user(dsvc, user["id"])
    assert (fresh["agreedToTerms"], fresh["lastLoginTime"]) == (False, NEVER_LOGGED_IN), \
        "a user who never signed in has agreed to nothing"

    before = rfc3339_ms(partnerd.now())
    WebClient(partnerd.base_url).sign_in_ok(user["email"], user["password"])
    first = get_user(dsvc, user["id"])
    assert first["agreedToTerms"] is True
    assert rfc3339_ms(first["lastLoginTime"]) >= before
    listed = {u["id"]: u for u in list_users(dsvc, customer="my_customer", maxResults=500)}[user["id"]]
    assert (listed["agreedToTerms"], listed["lastLoginTime"]) == (True, first["lastLoginTime"])

    # A wrong password is no sign-in; a later sign-in moves lastLoginTime, in platform time.
    assert WebClient(partnerd.base_url).sign_in(user["email"], "not-the-password").status_code != 303
    assert get_user(dsvc, user["id"])["lastLoginTime"] == first["lastLoginTime"]
    partnerd.advance(120)
    WebClient(partnerd.base_url).sign_in_ok(user["email"], user["password"])
    later = get_user(dsvc, user["id"])
    assert rfc3339_ms(later["lastLoginTime"]) >= rfc3339_ms(first["lastLoginTime"]) + 120_000
    assert later["agreedToTerms"] is True
