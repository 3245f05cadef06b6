"""Directory API groups and members through google-api-python-client, as a reseller
admin on a customer it manages, and as delegated admins of the reseller's own account.

Groups are addressed by address or id; members by address or id. Every test makes its
own customer (or reseller).
"""

from __future__ import annotations

import concurrent.futures
import secrets

import pytest

from dir_helpers import (
    SCOPE_DIR_USER,
    _AUTH,
    expect_error,
    insert_user,
    quick_user_body,
    _assert_known_fields,
)
from role_helpers import SCOPE_ROLES, directory_as, grant, new_reseller

SCOPE_GROUP = _AUTH + "admin.directory.group"
SCOPE_GROUP_RO = _AUTH + "admin.directory.group.readonly"
SCOPE_MEMBER = _AUTH + "admin.directory.group.member"
SCOPE_MEMBER_RO = _AUTH + "admin.directory.group.member.readonly"


@pytest.fixture
def groups_a(partnerd):
    return partnerd.directory(partnerd.a, scopes=[SCOPE_GROUP, SCOPE_DIR_USER])


def new_group(dsvc, domain: str, local: str | None = None, **extra) -> dict:
    body = {"email": f"{local or 'team-' + secrets.token_hex(3)}@{domain}", **extra}
    return dsvc.groups().insert(body=body).execute()


def add(dsvc, group_key: str, email: str, role: str | None = None) -> dict:
    body = {"email": email, **({"role": role} if role else {})}
    return dsvc.members().insert(groupKey=group_key, body=body).execute()


def every_page(method, items: str, **params) -> tuple[list, int]:
    """Every item of a paged list, and how many pages it took."""
    out, token, pages = [], None, 0
    while True:
        page = method(**params, **({"pageToken": token} if token else {})).execute()
        pages += 1
        out.extend(page.get(items, []))
        token = page.get("nextPageToken")
        if not token:
            return out, pages


def test_insert_get_by_address_and_id_patch_and_delete(groups_a, domain):
    made = new_group(groups_a, domain, "Sales", name="Sales team", description="Line one\nline two")
    _assert_known_fields(made, "Group")
    assert made["kind"] == "admin#directory#group"
    assert made["email"] == f"sales@{domain}"
    assert (made["name"], made["description"], made["directMembersCount"]) == (
        "Sales team", "Line one\nline two", "0")
    assert made["adminCreated"] is True
    by_address = groups_a.groups().get(groupKey=f"SALES@{domain}").execute()
    by_id = groups_a.groups().get(groupKey=made["id"]).execute()
    assert by_address == by_id
    assert by_id["etag"] == made["etag"]

    patched = groups_a.groups().patch(groupKey=made["id"], body={"name": "Sales (EMEA)"}).execute()
    assert (patched["name"], patched["description"]) == ("Sales (EMEA)", "Line one\nline two")
    assert patched["etag"] != made["etag"]
    moved = groups_a.groups().update(groupKey=made["id"], body={"email": f"emea-sales@{domain}"}).execute()
    assert moved["email"] == f"emea-sales@{domain}"
    expect_error(groups_a.groups().get(groupKey=f"sales@{domain}"), 404, "notFound", names="groupKey")

    groups_a.groups().delete(groupKey=moved["email"]).execute()
    expect_error(groups_a.groups().get(groupKey=made["id"]), 404, "notFound")
    expect_error(groups_a.groups().delete(groupKey=made["id"]), 404, "notFound")


def test_bad_and_taken_addresses_are_refused_naming_the_field(groups_a, cust, domain):
    expect_error(groups_a.groups().insert(body={"name": "No address"}), 400, "required", names="email")
    expect_error(groups_a.groups().insert(body={"email": "not an address"}), 400, "invalid", names="email")
    expect_error(groups_a.groups().insert(body={"email": f"x@other-{domain}"}), 400, "invalid", names="email")
    expect_error(groups_a.groups().insert(body={"email": f"x@{domain}", "name": "n" * 74}), 400, "invalid",
                 names="name")
    new_group(groups_a, domain, "taken")
    expect_error(groups_a.groups().insert(body={"email": f"Taken@{domain}"}), 409, "duplicate")
    user = insert_user(groups_a, quick_user_body(domain, "ana"))
    expect_error(groups_a.groups().insert(body={"email": user["primaryEmail"]}), 409, "duplicate")
    listed = groups_a.groups().list(customer=cust["customerId"]).execute()
    assert [g["email"] for g in listed["groups"]] == [f"taken@{domain}"], "nothing half-made"


def test_list_by_customer_pages_by_address_both_ways(groups_a, cust, domain):
    emails = sorted(new_group(groups_a, domain, f"g{n:02d}")["email"] for n in range(7))
    listed, pages = every_page(groups_a.groups().list, "groups", customer=cust["customerId"], maxResults=3)
    assert [g["email"] for g in listed] == emails and pages == 3
    by_domain, _ = every_page(groups_a.groups().list, "groups", domain=domain, maxResults=200)
    assert [g["email"] for g in by_domain] == emails
    down, pages = every_page(groups_a.groups().list, "groups", customer=cust["customerId"], maxResults=4,
                             sortOrder="DESCENDING", orderBy="email")
    assert [g["email"] for g in down] == emails[::-1] and pages == 2
    found = groups_a.groups().list(customer=cust["customerId"], query="email:g0*").execute()
    assert len(found["groups"]) == 7
    found = groups_a.groups().list(customer=cust["customerId"], query=f"email:g03@{domain}").execute()
    assert [g["email"] for g in found["groups"]] == [emails[3]]
    expect_error(groups_a.groups().list(customer=cust["customerId"], maxResults=201), 400, "invalid",
                 names="maxResults")
    expect_error(groups_a.groups().list(customer=cust["customerId"], query="color:red"), 400, "invalid",
                 names="query")
    expect_error(groups_a.groups().list(), 400, names="customer")
    first = groups_a.groups().list(customer=cust["customerId"], maxResults=3).execute()
    expect_error(groups_a.groups().list(domain=domain, maxResults=3, sortOrder="DESCENDING",
                                        pageToken=first["nextPageToken"]), 400, "invalid", names="pageToken")


def test_members_users_groups_and_outsiders_with_roles_and_paging(groups_a, domain):
    team = new_group(groups_a, domain, "team")
    leads = new_group(groups_a, domain, "leads")
    users = [insert_user(groups_a, quick_user_body(domain, f"u{n}")) for n in range(5)]
    owner = add(groups_a, team["email"], users[0]["primaryEmail"], "OWNER")
    _assert_known_fields(owner, "Member")
    assert (owner["id"], owner["type"], owner["role"], owner["status"]) == (
        users[0]["id"], "USER", "OWNER", "ACTIVE")
    assert owner["delivery_settings"] == "ALL_MAIL"
    for u in users[1:]:
        add(groups_a, team["id"], u["id"])
    nested = add(groups_a, team["id"], leads["email"], "MANAGER")
    assert (nested["id"], nested["type"]) == (leads["id"], "GROUP")
    outsider = add(groups_a, team["id"], "Pat@Elsewhere.example")
    assert (outsider["email"], outsider["type"]) == ("pat@elsewhere.example", "USER")

    members, pages = every_page(groups_a.members().list, "members", groupKey=team["id"], maxResults=3)
    assert pages == 3 and len(members) == 7
    assert [m["email"] for m in members] == sorted(m["email"] for m in members)
    assert all("delivery_settings" not in m for m in members)
    owners = groups_a.members().list(groupKey=team["email"], roles="OWNER,MANAGER").execute()["members"]
    assert {(m["email"], m["role"]) for m in owners} == {
        (users[0]["primaryEmail"], "OWNER"), (leads["email"], "MANAGER")}
    expect_error(groups_a.members().list(groupKey=team["id"], roles="BOSS"), 400, "invalid", names="role")
    assert groups_a.groups().get(groupKey=team["id"]).execute()["directMembersCount"] == "7"

    got = groups_a.members().get(groupKey=team["email"], memberKey=users[1]["primaryEmail"]).execute()
    assert (got["id"], got["role"]) == (users[1]["id"], "MEMBER")
    promoted = groups_a.members().patch(groupKey=team["id"], memberKey=users[1]["id"],
                                        body={"role": "MANAGER", "delivery_settings": "DIGEST"}).execute()
    assert (promoted["role"], promoted["delivery_settings"]) == ("MANAGER", "DIGEST")
    expect_error(groups_a.members().update(groupKey=team["id"], memberKey=users[1]["id"],
                                           body={"role": "CHIEF"}), 400, "invalid", names="role")

    expect_error(groups_a.members().insert(groupKey=team["id"], body={"email": users[2]["primaryEmail"]}),
                 409, "duplicate")
    expect_error(groups_a.members().insert(groupKey=team["id"], body={"email": f"nobody@{domain}"}),
                 404, "notFound", names="memberKey")
    expect_error(groups_a.members().insert(groupKey=team["id"], body={"role": "MEMBER"}), 400, "required",
                 names="email")
    expect_error(groups_a.members().insert(groupKey=leads["id"], body={"email": team["email"]}), 400,
                 names="group")
    expect_error(groups_a.members().insert(groupKey=team["id"], body={"email": team["id"]}), 400)

    groups_a.members().delete(groupKey=team["id"], memberKey=users[4]["primaryEmail"]).execute()
    expect_error(groups_a.members().get(groupKey=team["id"], memberKey=users[4]["id"]), 404, "notFound")
    expect_error(groups_a.members().delete(groupKey=team["id"], memberKey=users[4]["id"]), 404, "notFound")


def test_groups_of_a_user_and_nested_membership(groups_a, domain):
    outer = new_group(groups_a, domain, "outer")
    inner = new_group(groups_a, domain, "inner")
    lonely = new_group(groups_a, domain, "lonely")
    ana = insert_user(groups_a, quick_user_body(domain, "ana"))
    bob = insert_user(groups_a, quick_user_body(domain, "bob"))
    add(groups_a, outer["id"], inner["email"])
    add(groups_a, inner["id"], ana["primaryEmail"])
    add(groups_a, lonely["id"], ana["id"])

    of_ana = groups_a.groups().list(userKey=ana["primaryEmail"]).execute()["groups"]
    assert [g["email"] for g in of_ana] == [inner["email"], lonely["email"]]
    assert groups_a.groups().list(userKey=ana["id"]).execute()["groups"] == of_ana
    assert groups_a.groups().list(userKey=bob["primaryEmail"]).execute().get("groups", []) == []
    of_inner = groups_a.groups().list(userKey=inner["email"]).execute()["groups"]
    assert [g["email"] for g in of_inner] == [outer["email"]]
    expect_error(groups_a.groups().list(userKey=f"nobody@{domain}"), 404, "notFound", names="userKey")
    expect_error(groups_a.groups().list(userKey=ana["id"], customer="my_customer"), 400, names="userKey")

    assert groups_a.members().hasMember(groupKey=outer["email"], memberKey=ana["primaryEmail"]).execute() == {
        "isMember": True}
    assert groups_a.members().hasMember(groupKey=outer["id"], memberKey=bob["id"]).execute() == {"isMember": False}

    # A deleted user leaves its groups; a deleted group leaves the groups that held it.
    groups_a.users().delete(userKey=ana["id"]).execute()
    assert groups_a.members().list(groupKey=lonely["id"]).execute().get("members", []) == []
    groups_a.groups().delete(groupKey=inner["id"]).execute()
    assert groups_a.members().list(groupKey=outer["id"]).execute().get("members", []) == []


def test_scopes_read_only_and_member_scopes(partnerd, groups_a, domain):
    team = new_group(groups_a, domain, "team")
    reader = partnerd.directory(partnerd.a, scopes=[SCOPE_GROUP_RO])
    assert reader.groups().get(groupKey=team["id"]).execute()["email"] == team["email"]
    expect_error(reader.groups().insert(body={"email": f"x@{domain}"}), 403, "insufficientPermissions")
    expect_error(reader.members().insert(groupKey=team["id"], body={"email": "a@b.example"}), 403,
                 "insufficientPermissions")
    member_writer = partnerd.directory(partnerd.a, scopes=[SCOPE_MEMBER])
    add(member_writer, team["id"], "a@b.example")
    expect_error(member_writer.groups().delete(groupKey=team["id"]), 403, "insufficientPermissions")
    member_reader = partnerd.directory(partnerd.a, scopes=[SCOPE_MEMBER_RO])
    assert len(member_reader.members().list(groupKey=team["id"]).execute()["members"]) == 1
    expect_error(member_reader.groups().get(groupKey=team["id"]), 403, "insufficientPermissions")


def test_another_resellers_groups_cannot_be_seen_or_changed(partnerd, groups_a, domain):
    team = new_group(groups_a, domain, "private")
    groups_b = partnerd.directory(partnerd.b, scopes=[SCOPE_GROUP])
    for key in (team["id"], team["email"]):
        err = expect_error(groups_b.groups().get(groupKey=key), 403)
        assert "private" not in err["message"]
        expect_error(groups_b.groups().delete(groupKey=key), 403)
        expect_error(groups_b.members().insert(groupKey=key, body={"email": "x@y.example"}), 403)
        expect_error(groups_b.members().list(groupKey=key), 403)
    expect_error(groups_b.groups().insert(body={"email": f"intruder@{domain}"}), 403)
    expect_error(groups_b.groups().insert(body={"email": "x@no-such-customer.example"}), 400, "invalid",
                 names="email")
    expect_error(groups_b.groups().list(domain=domain), 403)
    assert groups_a.groups().get(groupKey=team["id"]).execute()["directMembersCount"] == "0"


def test_delegated_admins_need_group_privileges(partnerd):
    reseller = new_reseller(partnerd, "grp")
    admin = directory_as(partnerd, reseller, scopes=[SCOPE_DIR_USER, SCOPE_ROLES, SCOPE_GROUP])
    team = new_group(admin, reseller["domain"], "staff")
    reader = grant(partnerd, reseller, admin, privileges=["GROUPS_RETRIEVE"])
    as_reader = directory_as(partnerd, reseller, reader["email"], scopes=[SCOPE_GROUP])
    assert as_reader.groups().get(groupKey=team["id"]).execute()["id"] == team["id"]
    expect_error(as_reader.groups().insert(body={"email": f"more@{reseller['domain']}"}), 403)
    expect_error(as_reader.members().insert(groupKey=team["id"], body={"email": reader["email"]}), 403)
    groups_admin = grant(partnerd, reseller, admin, role="_GROUPS_ADMIN_ROLE")
    as_groups_admin = directory_as(partnerd, reseller, groups_admin["email"], scopes=[SCOPE_GROUP])
    add(as_groups_admin, team["id"], reader["email"])
    new_group(as_groups_admin, reseller["domain"], "more")
    nobody = grant(partnerd, reseller, admin)
    as_nobody = directory_as(partnerd, reseller, nobody["email"], scopes=[SCOPE_GROUP])
    expect_error(as_nobody.groups().get(groupKey=team["id"]), 403)


def test_the_same_member_added_at_once_is_added_once(partnerd, domain):
    dsvc = partnerd.directory(partnerd.a, scopes=[SCOPE_GROUP, SCOPE_DIR_USER])
    team = new_group(dsvc, domain, "race")
    ana = insert_user(dsvc, quick_user_body(domain, "ana"))

    def attempt(_):
        client = partnerd.directory(partnerd.a, scopes=[SCOPE_GROUP])
        try:
            add(client, team["id"], ana["primaryEmail"])
            return "added"
        except Exception as e:  # noqa: BLE001 - the loser's error is checked below
            return getattr(getattr(e, "resp", None), "status", repr(e))

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, range(6)))
    assert outcomes.count("added") == 1, outcomes
    assert all(o in ("added", 409) for o in outcomes), outcomes
    assert len(dsvc.members().list(groupKey=team["id"]).execute()["members"]) == 1
