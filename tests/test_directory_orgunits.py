"""Directory API organizational units as a reseller admin.

Units are addressed by their path without the leading slash ("Staff/Sales")
or by their id ("id:..."). Renaming or moving a unit moves its whole subtree,
users included. Every test makes its own customer.
"""

from __future__ import annotations

import pytest

from dir_helpers import (
    SCOPE_DIR_ORGUNIT_RO,
    SCOPE_DIR_USER,
    assert_org_unit,
    expect_error,
    get_user,
    insert_ou,
    insert_user,
    list_ous,
    list_users,
    new_reseller_customer,
    paths_of,
    user_body,
)
from sub_helpers import fresh_reseller


def ous(dsvc):
    return dsvc.orgunits()


def get_ou(dsvc, cid, key):
    return ous(dsvc).get(customerId=cid, orgUnitPath=key).execute()


@pytest.fixture
def tree(dir_a, cid):
    """/Staff, /Staff/Sales, /Staff/Sales/East, /Staff/Support, /Guests."""
    return {
        "/Staff": insert_ou(dir_a, cid, "Staff"),
        "/Staff/Sales": insert_ou(dir_a, cid, "Sales", "/Staff"),
        "/Staff/Sales/East": insert_ou(dir_a, cid, "East", "/Staff/Sales"),
        "/Staff/Support": insert_ou(dir_a, cid, "Support", "/Staff"),
        "/Guests": insert_ou(dir_a, cid, "Guests"),
    }


# ---------------------------------------------------------------------------
# insert
# ---------------------------------------------------------------------------


def test_insert_under_root(dir_a, cid):
    ou = assert_org_unit(insert_ou(dir_a, cid, "Staff", "/", description="Everyone on payroll"))
    assert ou["name"] == "Staff"
    assert ou["description"] == "Everyone on payroll"
    assert ou["orgUnitPath"] == "/Staff"
    assert ou["parentOrgUnitPath"] == "/"


def test_insert_without_parent_goes_under_root(dir_a, cid):
    staff = insert_ou(dir_a, cid, "Staff", "/")
    ou = assert_org_unit(insert_ou(dir_a, cid, "Orphan", parent=None))
    assert ou["orgUnitPath"] == "/Orphan"
    assert ou["parentOrgUnitPath"] == "/"
    assert ou["parentOrgUnitId"] == staff["parentOrgUnitId"], "both units hang under the same root"


def test_insert_nested_by_parent_path_and_by_parent_id(dir_a, cid):
    staff = insert_ou(dir_a, cid, "Staff")
    sales = assert_org_unit(insert_ou(dir_a, cid, "Sales", "/Staff"))
    assert sales["orgUnitPath"] == "/Staff/Sales"
    assert sales["parentOrgUnitPath"] == "/Staff"
    assert sales["parentOrgUnitId"] == staff["orgUnitId"]

    support = assert_org_unit(ous(dir_a).insert(customerId=cid, body={
        "name": "Support", "parentOrgUnitId": staff["orgUnitId"]}).execute())
    assert support["orgUnitPath"] == "/Staff/Support"
    assert support["parentOrgUnitPath"] == "/Staff"
    assert support["parentOrgUnitId"] == staff["orgUnitId"]

    ids = {staff["orgUnitId"], sales["orgUnitId"], support["orgUnitId"], staff["parentOrgUnitId"]}
    assert len(ids) == 4, f"org unit ids are not unique: {ids}"


def test_insert_requires_name(dir_a, cid):
    expect_error(ous(dir_a).insert(customerId=cid, body={"parentOrgUnitPath": "/"}), 400, "required",
                 names="name")
    assert list_ous(dir_a, cid, type="all") == []


def test_insert_with_missing_parent_is_invalid(dir_a, cid):
    expect_error(ous(dir_a).insert(customerId=cid, body={"name": "Lost", "parentOrgUnitPath": "/Nowhere"}),
                 400, "invalid")
    expect_error(ous(dir_a).insert(customerId=cid, body={"name": "Lost", "parentOrgUnitId": "id:999999999"}),
                 400, "invalid")
    assert list_ous(dir_a, cid, type="all") == []


def test_duplicate_path_is_409(dir_a, cid):
    insert_ou(dir_a, cid, "Staff")
    insert_ou(dir_a, cid, "Sales", "/Staff")
    expect_error(ous(dir_a).insert(customerId=cid, body={"name": "Staff", "parentOrgUnitPath": "/"}),
                 409, "duplicate")
    expect_error(ous(dir_a).insert(customerId=cid, body={"name": "Sales", "parentOrgUnitPath": "/Staff"}),
                 409, "duplicate")
    # The same name under another parent is a different path.
    other = insert_ou(dir_a, cid, "Sales", "/")
    assert other["orgUnitPath"] == "/Sales"
    assert paths_of(list_ous(dir_a, cid, type="all")) == {"/Staff", "/Staff/Sales", "/Sales"}


def test_same_path_in_two_customers(dir_a, svc_a, cid):
    other = new_reseller_customer(svc_a)
    mine = insert_ou(dir_a, cid, "Staff")
    theirs = insert_ou(dir_a, other["customerId"], "Staff")
    assert mine["orgUnitId"] != theirs["orgUnitId"]
    assert paths_of(list_ous(dir_a, other["customerId"], type="all")) == {"/Staff"}


# ---------------------------------------------------------------------------
# get
# ---------------------------------------------------------------------------


def test_get_by_path_and_by_id(dir_a, cid, tree):
    east = tree["/Staff/Sales/East"]
    by_path = assert_org_unit(get_ou(dir_a, cid, "Staff/Sales/East"))
    by_id = get_ou(dir_a, cid, east["orgUnitId"])
    assert by_path == by_id
    for field in ("name", "orgUnitPath", "orgUnitId", "parentOrgUnitPath", "parentOrgUnitId"):
        assert by_path[field] == east[field], f"{field}: get {by_path[field]!r} != insert {east[field]!r}"
    assert by_path["parentOrgUnitId"] == tree["/Staff/Sales"]["orgUnitId"]


def test_get_unknown_is_404(dir_a, cid, tree):
    expect_error(ous(dir_a).get(customerId=cid, orgUnitPath="Staff/Nothing"), 404, "notFound")
    expect_error(ous(dir_a).get(customerId=cid, orgUnitPath="id:999999999"), 404, "notFound")


# ---------------------------------------------------------------------------
# list
# ---------------------------------------------------------------------------


def test_list_of_customer_without_units_is_empty(dir_a, cid):
    assert list_ous(dir_a, cid) == []
    assert list_ous(dir_a, cid, type="all") == []


def test_list_children_of_root_by_default(dir_a, cid, tree):
    units = list_ous(dir_a, cid)
    assert paths_of(units) == {"/Staff", "/Guests"}
    for u in units:
        assert_org_unit(u)
    assert paths_of(list_ous(dir_a, cid, type="children")) == {"/Staff", "/Guests"}


def test_list_children_of_a_unit(dir_a, cid, tree):
    assert paths_of(list_ous(dir_a, cid, orgUnitPath="/Staff")) == {"/Staff/Sales", "/Staff/Support"}
    assert paths_of(list_ous(dir_a, cid, orgUnitPath="/Staff/Sales", type="children")) == {"/Staff/Sales/East"}
    assert list_ous(dir_a, cid, orgUnitPath="/Staff/Sales/East") == []


def test_list_all(dir_a, cid, tree):
    assert paths_of(list_ous(dir_a, cid, type="all")) == set(tree)
    assert paths_of(list_ous(dir_a, cid, type="all", orgUnitPath="/Staff")) == {
        "/Staff/Sales", "/Staff/Sales/East", "/Staff/Support"}


def test_list_all_including_parent(dir_a, cid, tree):
    assert paths_of(list_ous(dir_a, cid, type="allIncludingParent", orgUnitPath="/Staff")) == {
        "/Staff", "/Staff/Sales", "/Staff/Sales/East", "/Staff/Support"}
    assert paths_of(list_ous(dir_a, cid, type="allIncludingParent", orgUnitPath="/Guests")) == {"/Guests"}


def test_list_own_account(partnerd, dir_a):
    units = list_ous(dir_a, "my_customer")
    for u in units:
        assert_org_unit(u)


def test_units_in_resellers_own_account(partnerd):
    reseller = fresh_reseller(partnerd, "dirou")
    dsvc = partnerd.directory(reseller)
    assert list_ous(dsvc, "my_customer", type="all") == []

    made = assert_org_unit(insert_ou(dsvc, "my_customer", "Partners"))
    assert made["orgUnitPath"] == "/Partners"
    assert list_ous(dsvc, reseller["customerId"], type="all") == [made]
    assert get_ou(dsvc, reseller["customerId"], "Partners") == made
    # Nothing leaked into another account.
    assert "/Partners" not in paths_of(list_ous(partnerd.directory(partnerd.b), "my_customer", type="all"))


# ---------------------------------------------------------------------------
# patch / update: rename and move
# ---------------------------------------------------------------------------


def test_patch_description(dir_a, cid, tree):
    patched = ous(dir_a).patch(customerId=cid, orgUnitPath="Staff/Sales",
                               body={"description": "Quota carriers"}).execute()
    assert patched["description"] == "Quota carriers"
    assert patched["orgUnitPath"] == "/Staff/Sales"
    assert patched["orgUnitId"] == tree["/Staff/Sales"]["orgUnitId"]
    assert get_ou(dir_a, cid, "Staff/Sales")["description"] == "Quota carriers"


def test_rename_moves_subtree_paths_and_users(dir_a, cid, domain, tree):
    seller = insert_user(dir_a, user_body(domain, "seller", orgUnitPath="/Staff/Sales/East"))
    helper = insert_user(dir_a, user_body(domain, "helper", orgUnitPath="/Staff/Support"))
    guest = insert_user(dir_a, user_body(domain, "guest", orgUnitPath="/Guests"))

    renamed = assert_org_unit(ous(dir_a).patch(customerId=cid, orgUnitPath="Staff",
                                               body={"name": "Team"}).execute())
    assert renamed["name"] == "Team"
    assert renamed["orgUnitPath"] == "/Team"
    assert renamed["orgUnitId"] == tree["/Staff"]["orgUnitId"]

    assert paths_of(list_ous(dir_a, cid, type="all")) == {
        "/Team", "/Team/Sales", "/Team/Sales/East", "/Team/Support", "/Guests"}
    east = get_ou(dir_a, cid, "Team/Sales/East")
    assert east["orgUnitId"] == tree["/Staff/Sales/East"]["orgUnitId"]
    assert east["parentOrgUnitPath"] == "/Team/Sales"
    expect_error(ous(dir_a).get(customerId=cid, orgUnitPath="Staff/Sales"), 404, "notFound")

    assert get_user(dir_a, seller["id"])["orgUnitPath"] == "/Team/Sales/East"
    assert get_user(dir_a, helper["id"])["orgUnitPath"] == "/Team/Support"
    assert get_user(dir_a, guest["id"])["orgUnitPath"] == "/Guests"
    found = list_users(dir_a, customer=cid, query="orgUnitPath=/Team/Support")
    assert [u["id"] for u in found] == [helper["id"]]


def test_move_subtree_by_parent_path(dir_a, cid, domain, tree):
    seller = insert_user(dir_a, user_body(domain, "seller", orgUnitPath="/Staff/Sales/East"))
    moved = assert_org_unit(ous(dir_a).patch(customerId=cid, orgUnitPath="Staff/Sales",
                                             body={"parentOrgUnitPath": "/Guests"}).execute())
    assert moved["orgUnitPath"] == "/Guests/Sales"
    assert moved["parentOrgUnitPath"] == "/Guests"
    assert moved["parentOrgUnitId"] == tree["/Guests"]["orgUnitId"]

    assert paths_of(list_ous(dir_a, cid, type="all")) == {
        "/Staff", "/Staff/Support", "/Guests", "/Guests/Sales", "/Guests/Sales/East"}
    assert paths_of(list_ous(dir_a, cid, orgUnitPath="/Staff")) == {"/Staff/Support"}
    assert get_user(dir_a, seller["id"])["orgUnitPath"] == "/Guests/Sales/East"


def test_move_subtree_by_parent_id(dir_a, cid, tree):
    moved = ous(dir_a).patch(customerId=cid, orgUnitPath=tree["/Staff/Support"]["orgUnitId"],
                             body={"parentOrgUnitId": tree["/Guests"]["orgUnitId"]}).execute()
    assert moved["orgUnitPath"] == "/Guests/Support"
    assert get_ou(dir_a, cid, "Guests/Support")["orgUnitId"] == tree["/Staff/Support"]["orgUnitId"]


@pytest.mark.parametrize("target", ["/Staff", "/Staff/Sales", "/Staff/Sales/East"])
def test_move_under_itself_or_a_descendant_is_invalid(dir_a, cid, tree, target):
    expect_error(ous(dir_a).patch(customerId=cid, orgUnitPath="Staff",
                                  body={"parentOrgUnitPath": target}), 400, "invalid")
    assert paths_of(list_ous(dir_a, cid, type="all")) == set(tree)


def test_move_to_missing_parent_is_invalid(dir_a, cid, tree):
    expect_error(ous(dir_a).patch(customerId=cid, orgUnitPath="Staff/Sales",
                                  body={"parentOrgUnitPath": "/Nowhere"}), 400, "invalid")
    assert paths_of(list_ous(dir_a, cid, type="all")) == set(tree)


def test_update_replaces_name_description_and_parent(dir_a, cid, tree):
    updated = assert_org_unit(ous(dir_a).update(customerId=cid, orgUnitPath="Staff/Support", body={
        "name": "Helpdesk", "description": "First line", "parentOrgUnitPath": "/Guests"}).execute())
    assert updated["orgUnitPath"] == "/Guests/Helpdesk"
    assert updated["description"] == "First line"
    assert updated["orgUnitId"] == tree["/Staff/Support"]["orgUnitId"]
    assert get_ou(dir_a, cid, "Guests/Helpdesk") == updated


# ---------------------------------------------------------------------------
# delete
# ---------------------------------------------------------------------------


def test_delete_empty_unit(dir_a, cid, tree):
    ous(dir_a).delete(customerId=cid, orgUnitPath="Staff/Sales/East").execute()
    expect_error(ous(dir_a).get(customerId=cid, orgUnitPath="Staff/Sales/East"), 404, "notFound")
    assert paths_of(list_ous(dir_a, cid, type="all")) == set(tree) - {"/Staff/Sales/East"}

    ous(dir_a).delete(customerId=cid, orgUnitPath=tree["/Guests"]["orgUnitId"]).execute()
    assert paths_of(list_ous(dir_a, cid, type="all")) == set(tree) - {"/Staff/Sales/East", "/Guests"}


def test_delete_unit_with_users_is_refused(dir_a, cid, domain, tree):
    user = insert_user(dir_a, user_body(domain, "occupant", orgUnitPath="/Guests"))
    expect_error(ous(dir_a).delete(customerId=cid, orgUnitPath="Guests"), 400, "badRequest")
    assert get_ou(dir_a, cid, "Guests")["orgUnitId"] == tree["/Guests"]["orgUnitId"]
    assert get_user(dir_a, user["id"])["orgUnitPath"] == "/Guests"


def test_delete_unit_with_children_is_refused(dir_a, cid, tree):
    expect_error(ous(dir_a).delete(customerId=cid, orgUnitPath="Staff/Sales"), 400, "badRequest")
    expect_error(ous(dir_a).delete(customerId=cid, orgUnitPath="Staff"), 400, "badRequest")
    assert paths_of(list_ous(dir_a, cid, type="all")) == set(tree)


def test_delete_unit_after_its_users_leave(dir_a, cid, domain, tree):
    user = insert_user(dir_a, user_body(domain, "leaver", orgUnitPath="/Guests"))
    dir_a.users().patch(userKey=user["id"], body={"orgUnitPath": "/"}).execute()
    ous(dir_a).delete(customerId=cid, orgUnitPath="Guests").execute()
    assert "/Guests" not in paths_of(list_ous(dir_a, cid, type="all"))


def test_root_cannot_be_deleted(dir_a, cid, tree):
    root_id = tree["/Staff"]["parentOrgUnitId"]
    expect_error(ous(dir_a).delete(customerId=cid, orgUnitPath=root_id), 400)
    # Still there: new units can hang under it.
    assert insert_ou(dir_a, cid, "Later")["parentOrgUnitId"] == root_id


def test_delete_unknown_is_404(dir_a, cid, tree):
    expect_error(ous(dir_a).delete(customerId=cid, orgUnitPath="Nothing"), 404, "notFound")


# ---------------------------------------------------------------------------
# who may use it
# ---------------------------------------------------------------------------


def test_other_reseller_is_forbidden(dir_a, dir_b, cid, tree):
    expect_error(ous(dir_b).list(customerId=cid), 403, "forbidden")
    expect_error(ous(dir_b).get(customerId=cid, orgUnitPath="Staff"), 403, "forbidden")
    expect_error(ous(dir_b).insert(customerId=cid, body={"name": "Mole", "parentOrgUnitPath": "/"}),
                 403, "forbidden")
    expect_error(ous(dir_b).patch(customerId=cid, orgUnitPath="Guests", body={"name": "Taken"}), 403, "forbidden")
    expect_error(ous(dir_b).delete(customerId=cid, orgUnitPath="Guests"), 403, "forbidden")
    assert paths_of(list_ous(dir_a, cid, type="all")) == set(tree)


def test_unknown_customer_is_forbidden(dir_a):
    expect_error(ous(dir_a).list(customerId="C0zzzzzzz"), 403, "forbidden")
    expect_error(ous(dir_a).insert(customerId="C0zzzzzzz", body={"name": "X", "parentOrgUnitPath": "/"}),
                 403, "forbidden")


def test_orgunit_readonly_scope_reads_but_cannot_write(partnerd, dir_a, cid, tree):
    ro = partnerd.directory(partnerd.a, scopes=[SCOPE_DIR_ORGUNIT_RO])
    assert paths_of(list_ous(ro, cid, type="all")) == set(tree)
    assert get_ou(ro, cid, "Staff/Sales") == get_ou(dir_a, cid, "Staff/Sales")

    expect_error(ous(ro).insert(customerId=cid, body={"name": "New", "parentOrgUnitPath": "/"}),
                 403, "insufficientPermissions")
    expect_error(ous(ro).patch(customerId=cid, orgUnitPath="Guests", body={"name": "Visitors"}),
                 403, "insufficientPermissions")
    expect_error(ous(ro).delete(customerId=cid, orgUnitPath="Guests"), 403, "insufficientPermissions")
    assert paths_of(list_ous(dir_a, cid, type="all")) == set(tree)


def test_user_scope_cannot_use_orgunits(partnerd, cid, tree):
    dsvc = partnerd.directory(partnerd.a, scopes=[SCOPE_DIR_USER])
    expect_error(ous(dsvc).list(customerId=cid), 403, "insufficientPermissions")
