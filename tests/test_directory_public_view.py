"""The domain-public view of the directory (`viewType=domain_public`), through
google-api-python-client: any user of a domain reads its users' public profiles with no
admin role, and that view carries none of the administrator-only fields, for admins too
(https://developers.google.com/workspace/admin/directory/v1/guides/manage-users#retrieve_users_non_admin).
"""

from __future__ import annotations

from dir_helpers import SCOPE_DIR_USER_RO, expect_error
from helpers import assert_response_error
from role_helpers import add_staff, directory_as, new_reseller

PUBLIC = {"kind", "id", "etag", "primaryEmail", "name", "emails"}


def test_a_user_with_no_role_reads_the_public_profiles_of_its_domain(partnerd):
    reseller = new_reseller(partnerd, "pub")
    admin = directory_as(partnerd, reseller)
    ana = add_staff(admin, reseller, "ana")
    bob = add_staff(admin, reseller, "bob")
    cal = add_staff(admin, reseller, "cal")
    admin.users().patch(userKey=cal["id"], body={"suspended": True}).execute()
    as_ana = directory_as(partnerd, reseller, ana["primaryEmail"], scopes=[SCOPE_DIR_USER_RO])

    got = as_ana.users().get(userKey=bob["primaryEmail"], viewType="domain_public").execute()
    assert set(got) == PUBLIC, got
    assert (got["id"], got["name"]["fullName"]) == (bob["id"], bob["name"]["fullName"])
    # The administrator's view stays an administrator's.
    expect_error(as_ana.users().get(userKey=bob["id"]), 403)
    expect_error(as_ana.users().list(customer="my_customer"), 403)

    listed = as_ana.users().list(customer="my_customer", viewType="domain_public", maxResults=500).execute()
    emails = {u["primaryEmail"] for u in listed["users"]}
    assert {ana["primaryEmail"], bob["primaryEmail"], reseller["adminEmail"]} <= emails
    assert cal["primaryEmail"] not in emails, "a suspended user has no public profile"
    assert all(set(u) == PUBLIC for u in listed["users"]), listed
    by_domain = as_ana.users().list(domain=reseller["domain"], viewType="domain_public", maxResults=500).execute()
    assert {u["primaryEmail"] for u in by_domain["users"]} == emails
    expect_error(as_ana.users().get(userKey=cal["id"], viewType="domain_public"), 404, "notFound")


def test_the_public_view_is_cut_for_admins_too_and_stays_inside_the_domain(partnerd):
    reseller = new_reseller(partnerd, "pub")
    admin = directory_as(partnerd, reseller)
    bob = add_staff(admin, reseller, "bob")
    got = admin.users().get(userKey=bob["id"], viewType="domain_public").execute()
    assert set(got) == PUBLIC
    assert "isAdmin" in admin.users().get(userKey=bob["id"], viewType="admin_view").execute()
    # The client refuses a value outside the enum itself; sent by hand, partnerd names it.
    token = partnerd.access_token(reseller, scopes=[SCOPE_DIR_USER_RO])
    r = partnerd.raw("GET", f"/admin/directory/v1/users/{bob['id']}?viewType=everything", token=token)
    assert_response_error(r, 400, "invalid")
    assert "viewType" in r.json()["error"]["message"]

    other = new_reseller(partnerd, "pub")
    stranger = add_staff(directory_as(partnerd, other), other, "eve")
    as_stranger = directory_as(partnerd, other, stranger["primaryEmail"], scopes=[SCOPE_DIR_USER_RO])
    expect_error(as_stranger.users().get(userKey=bob["primaryEmail"], viewType="domain_public"), 403)
    expect_error(as_stranger.users().list(domain=reseller["domain"], viewType="domain_public"), 403)
