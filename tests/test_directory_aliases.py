"""Directory `users.aliases` through google-api-python-client, and what Google's guide
says of renames: "When you rename a user, the old user name is retained as an alias"
(https://developers.google.com/workspace/admin/directory/v1/guides/manage-users#rename_a_user).
An address names one thing: a user, a group or an alias.
"""

from __future__ import annotations

import pytest

from dir_helpers import _AUTH, SCOPE_DIR_USER, expect_error, get_user, insert_user, quick_user_body

SCOPE_ALIAS = _AUTH + "admin.directory.user.alias"
SCOPE_ALIAS_RO = _AUTH + "admin.directory.user.alias.readonly"
SCOPE_GROUP = _AUTH + "admin.directory.group"


@pytest.fixture
def dsvc(partnerd):
    return partnerd.directory(partnerd.a, scopes=[SCOPE_DIR_USER, SCOPE_GROUP])


def aliases_of(dsvc, key: str) -> list[str]:
    return [a["alias"] for a in dsvc.users().aliases().list(userKey=key).execute().get("aliases", [])]


def test_an_alias_names_its_user_and_shows_on_it(dsvc, domain):
    ana = insert_user(dsvc, quick_user_body(domain, "ana"))
    made = dsvc.users().aliases().insert(userKey=ana["id"], body={"alias": f"Sales@{domain}"}).execute()
    assert made == {"kind": "admin#directory#alias", "id": ana["id"], "etag": made["etag"],
                    "primaryEmail": ana["primaryEmail"], "alias": f"sales@{domain}"}
    assert aliases_of(dsvc, ana["primaryEmail"]) == [f"sales@{domain}"]
    found = get_user(dsvc, f"SALES@{domain}")
    assert found["id"] == ana["id"]
    assert found["aliases"] == [f"sales@{domain}"]
    assert {"address": f"sales@{domain}"} in found["emails"]

    dsvc.users().aliases().delete(userKey=ana["id"], alias=f"sales@{domain}").execute()
    assert aliases_of(dsvc, ana["id"]) == []
    expect_error(dsvc.users().get(userKey=f"sales@{domain}"), 404, "notFound")
    expect_error(dsvc.users().aliases().delete(userKey=ana["id"], alias=f"sales@{domain}"), 404, "notFound")
    assert "aliases" not in get_user(dsvc, ana["id"])


def test_an_address_names_one_thing(dsvc, domain):
    ana = insert_user(dsvc, quick_user_body(domain, "ana"))
    bob = insert_user(dsvc, quick_user_body(domain, "bob"))
    team = dsvc.groups().insert(body={"email": f"team@{domain}"}).execute()
    dsvc.users().aliases().insert(userKey=ana["id"], body={"alias": f"info@{domain}"}).execute()
    for taken in (f"info@{domain}", bob["primaryEmail"], team["email"]):
        expect_error(dsvc.users().aliases().insert(userKey=bob["id"], body={"alias": taken}), 409, "duplicate")
    expect_error(dsvc.users().insert(body=quick_user_body(domain, "info")), 409, "duplicate")
    expect_error(dsvc.groups().insert(body={"email": f"info@{domain}"}), 409, "duplicate")
    expect_error(dsvc.users().aliases().insert(userKey=bob["id"], body={"alias": "x@elsewhere.example"}), 400,
                 "invalid", names="alias")
    expect_error(dsvc.users().aliases().insert(userKey=bob["id"], body={}), 400, "required", names="alias")
    expect_error(dsvc.users().aliases().insert(userKey=bob["id"], body={"alias": "not an address"}), 400, "invalid",
                 names="alias")
    assert aliases_of(dsvc, bob["id"]) == [], "nothing half-made"


def test_a_renamed_user_keeps_its_old_address_as_an_alias(dsvc, domain):
    ana = insert_user(dsvc, quick_user_body(domain, "ana"))
    renamed = dsvc.users().patch(userKey=ana["id"], body={"primaryEmail": f"ana.lima@{domain}"}).execute()
    assert renamed["primaryEmail"] == f"ana.lima@{domain}"
    assert renamed["aliases"] == [f"ana@{domain}"]
    assert get_user(dsvc, f"ana@{domain}")["id"] == ana["id"], "the old address still finds the user"
    # Back to the old address: it is the primary address again, and the other one an alias.
    back = dsvc.users().patch(userKey=ana["id"], body={"primaryEmail": f"ana@{domain}"}).execute()
    assert (back["primaryEmail"], back["aliases"]) == (f"ana@{domain}", [f"ana.lima@{domain}"])
    bob = insert_user(dsvc, quick_user_body(domain, "bob"))
    expect_error(dsvc.users().patch(userKey=bob["id"], body={"primaryEmail": f"ana.lima@{domain}"}), 409,
                 "duplicate")
    assert get_user(dsvc, bob["id"])["primaryEmail"] == f"bob@{domain}"


def test_a_deleted_user_gives_its_aliases_up(dsvc, domain):
    ana = insert_user(dsvc, quick_user_body(domain, "ana"))
    bob = insert_user(dsvc, quick_user_body(domain, "bob"))
    dsvc.users().aliases().insert(userKey=ana["id"], body={"alias": f"desk@{domain}"}).execute()
    dsvc.users().delete(userKey=ana["id"]).execute()
    dsvc.users().aliases().insert(userKey=bob["id"], body={"alias": f"desk@{domain}"}).execute()
    assert get_user(dsvc, f"desk@{domain}")["id"] == bob["id"]


def test_alias_scopes_and_other_resellers(partnerd, dsvc, domain):
    ana = insert_user(dsvc, quick_user_body(domain, "ana"))
    dsvc.users().aliases().insert(userKey=ana["id"], body={"alias": f"hello@{domain}"}).execute()
    reader = partnerd.directory(partnerd.a, scopes=[SCOPE_ALIAS_RO])
    assert aliases_of(reader, ana["id"]) == [f"hello@{domain}"]
    expect_error(reader.users().aliases().insert(userKey=ana["id"], body={"alias": f"x@{domain}"}), 403,
                 "insufficientPermissions")
    writer = partnerd.directory(partnerd.a, scopes=[SCOPE_ALIAS])
    writer.users().aliases().insert(userKey=ana["id"], body={"alias": f"x@{domain}"}).execute()
    other = partnerd.directory(partnerd.b, scopes=[SCOPE_DIR_USER])
    for key in (ana["id"], ana["primaryEmail"], f"hello@{domain}"):
        expect_error(other.users().aliases().list(userKey=key), 403)
        expect_error(other.users().aliases().insert(userKey=key, body={"alias": f"y@{domain}"}), 403)
        expect_error(other.users().aliases().delete(userKey=key, alias=f"hello@{domain}"), 403)
    assert sorted(aliases_of(dsvc, ana["id"])) == [f"hello@{domain}", f"x@{domain}"]
