"""Directory API admin roles on a reseller's own account: privileges.list,
roles (prebuilt and custom) and roleAssignments, and how the privileges a
user holds decide what a token impersonating that user may do on the
reseller's own account (customer "my_customer").

Every test that creates roles or staff users makes its own reseller, so
roles, assignments and users never leak between tests.
"""

from __future__ import annotations

import google.auth.exceptions
import pytest

from dir_helpers import (
    SCOPE_DIR_USER,
    assert_user,
    expect_error,
    get_user,
    insert_ou,
    insert_user,
    list_users,
    quick_user_body,
)
from helpers import domain_customer, execute_error, refresh_error_code
from role_helpers import (
    ADD,
    ADMIN_APIS_ALL,
    ADMIN_CONSOLE,
    ALL_RESELLER_PRIVILEGES,
    BILLING,
    CUSTOMER_PRIVILEGES,
    EDIT,
    INDIRECT_RESELLER_ADMIN_ROLE,
    LICENSE_MANAGEMENT,
    OU_ALL,
    OU_RETRIEVE,
    PREBUILT_ROLES,
    PROFILE,
    RESELLER_ADMIN_ROLE,
    RESELLER_CUSTOMERS,
    RESELLER_LEAF_PRIVILEGES,
    RESELLER_SERVICE_ID,
    RESELLER_SUPPORT,
    RESELLER_TOOLS,
    ROLE_MANAGEMENT,
    SCOPE_ROLES,
    SCOPE_ROLES_RO,
    SEED_ADMIN_ROLE,
    SUPER_ADMIN,
    SUPPORT_CASES,
    TOOLS_CHILDREN,
    TRANSFER,
    USERS_ALL,
    USERS_CREATE,
    USERS_RETRIEVE,
    USERS_UPDATE,
    VIEW,
    add_staff,
    assert_assignment,
    assert_privilege,
    assert_role,
    assign,
    children_of,
    create_role,
    descendants_of,
    directory_as,
    effective_privileges,
    expect_directory_refusal,
    expect_reseller_refusal,
    flatten_privileges,
    grant,
    list_assignments,
    list_roles,
    new_reseller,
    privilege_names,
    privilege_refs,
    reseller_as,
    roles_by_name,
    system_role_id,
)


@pytest.fixture
def rsl(partnerd):
    """A reseller of this test's own."""
    return new_reseller(partnerd, "roles")


@pytest.fixture
def admin_dir(partnerd, rsl):
    """Directory client of the reseller's super admin (all scopes)."""
    return directory_as(partnerd, rsl)


STAFF_SCOPES_FOR_TOKEN = [SCOPE_DIR_USER, SCOPE_ROLES]


def priv(name: str, service_id: str = RESELLER_SERVICE_ID) -> dict:
    return {"privilegeName": name, "serviceId": service_id}


# ---------------------------------------------------------------------------
# privileges.list
# ---------------------------------------------------------------------------


def test_privileges_list_shape(partnerd):
    dsvc = directory_as(partnerd, partnerd.a)
    page = dsvc.privileges().list(customer="my_customer").execute()
    assert page.get("kind") == "admin#directory#privileges", page
    items = page.get("items")
    assert isinstance(items, list) and items, page
    for node in items:
        assert_privilege(node)
    flat = flatten_privileges(items)  # also asserts every name is unique
    for name in (SUPER_ADMIN, ADMIN_APIS_ALL, USERS_ALL, USERS_RETRIEVE, USERS_CREATE, USERS_UPDATE, OU_ALL,
                 OU_RETRIEVE, ROLE_MANAGEMENT, LICENSE_MANAGEMENT, *ALL_RESELLER_PRIVILEGES):
        assert name in flat, f"privileges.list lacks {name!r}: {sorted(flat)}"


def test_reseller_privilege_tree(partnerd):
    dsvc = directory_as(partnerd, partnerd.a)
    flat = flatten_privileges(dsvc.privileges().list(customer="my_customer").execute()["items"])

    assert flat[RESELLER_TOOLS]["_parent"] is None, "RESELLER_TOOLS must be a top-level privilege"
    assert children_of(flat, RESELLER_TOOLS) == set(TOOLS_CHILDREN)
    assert children_of(flat, RESELLER_CUSTOMERS) == set(CUSTOMER_PRIVILEGES)
    assert descendants_of(flat, RESELLER_TOOLS) == set(ALL_RESELLER_PRIVILEGES) - {RESELLER_TOOLS}
    for name in RESELLER_LEAF_PRIVILEGES:
        assert not children_of(flat, name), f"{name} should be a leaf privilege"
    for name in ALL_RESELLER_PRIVILEGES:
        node = flat[name]
        assert node["serviceId"] == RESELLER_SERVICE_ID, f"{name}: serviceId {node['serviceId']!r}"
        assert node["isOuScopable"] is False, f"reseller privileges are account-wide, not per OU: {node!r}"
    # One service holds all of them, and nothing else.
    names = {n for n, node in flat.items() if node["serviceId"] == RESELLER_SERVICE_ID}
    assert names == set(ALL_RESELLER_PRIVILEGES)
    assert len({flat[n]["serviceName"] for n in ALL_RESELLER_PRIVILEGES}) == 1


def test_admin_api_privilege_tree(partnerd):
    dsvc = directory_as(partnerd, partnerd.a)
    flat = flatten_privileges(dsvc.privileges().list(customer="my_customer").execute()["items"])
    assert flat[SUPER_ADMIN]["_parent"] is None
    assert flat[ADMIN_APIS_ALL]["_parent"] is None
    assert flat[USERS_ALL]["_parent"] == ADMIN_APIS_ALL
    assert flat[OU_ALL]["_parent"] == ADMIN_APIS_ALL
    assert {USERS_RETRIEVE, USERS_CREATE, USERS_UPDATE} <= children_of(flat, USERS_ALL)
    assert OU_RETRIEVE in children_of(flat, OU_ALL)
    assert {ROLE_MANAGEMENT, LICENSE_MANAGEMENT} <= descendants_of(flat, ADMIN_APIS_ALL)
    assert flat[USERS_RETRIEVE]["serviceId"] == flat[USERS_ALL]["serviceId"] == flat[ADMIN_APIS_ALL]["serviceId"]
    assert flat[USERS_RETRIEVE]["serviceId"] != RESELLER_SERVICE_ID


def test_privileges_list_by_customer_id_and_readonly_scope(partnerd):
    mine = directory_as(partnerd, partnerd.a).privileges().list(customer="my_customer").execute()
    by_id = directory_as(partnerd, partnerd.a).privileges().list(customer=partnerd.a["customerId"]).execute()
    readonly = directory_as(partnerd, partnerd.a, scopes=[SCOPE_ROLES_RO]).privileges().list(
        customer="my_customer").execute()
    assert by_id["items"] == mine["items"]
    assert readonly["items"] == mine["items"]


def test_privileges_list_needs_a_role_management_scope(partnerd):
    dsvc = directory_as(partnerd, partnerd.a, scopes=[SCOPE_DIR_USER])
    expect_error(dsvc.privileges().list(customer="my_customer"), 403, "insufficientPermissions")


def test_privileges_list_of_another_reseller_is_forbidden(partnerd):
    dsvc = directory_as(partnerd, partnerd.a)
    expect_error(dsvc.privileges().list(customer=partnerd.b["customerId"]), 403, "forbidden")


# ---------------------------------------------------------------------------
# roles: prebuilt
# ---------------------------------------------------------------------------


def test_prebuilt_roles_are_listed(partnerd, admin_dir):
    roles = list_roles(admin_dir)
    for role in roles:
        assert_role(role)
    ids = [r["roleId"] for r in roles]
    assert len(ids) == len(set(ids)), f"roleIds repeat: {ids}"
    by_name = {r["roleName"]: r for r in roles}
    assert len(by_name) == len(roles), "role names repeat"
    missing = [n for n in PREBUILT_ROLES if n not in by_name]
    assert not missing, f"prebuilt roles missing: {missing}"
    for name in PREBUILT_ROLES:
        role = by_name[name]
        assert role["isSystemRole"] is True, role
        assert role["isSuperAdminRole"] is (name == SEED_ADMIN_ROLE), role
    # A fresh account has no custom role.
    assert all(r["isSystemRole"] for r in roles), [r["roleName"] for r in roles if not r["isSystemRole"]]


def test_prebuilt_reseller_roles_grant_the_documented_privileges(partnerd, admin_dir):
    flat = flatten_privileges(admin_dir.privileges().list(customer="my_customer").execute()["items"])
    roles = roles_by_name(admin_dir)
    reseller = set(ALL_RESELLER_PRIVILEGES)

    seed = effective_privileges(flat, privilege_names(roles[SEED_ADMIN_ROLE]))
    assert SUPER_ADMIN in seed
    assert reseller <= seed

    full = effective_privileges(flat, privilege_names(roles[RESELLER_ADMIN_ROLE]))
    assert full & reseller == reseller, f"Reseller Admin lacks {sorted(reseller - full)}"
    assert SUPER_ADMIN not in full and USERS_RETRIEVE not in full, sorted(full)

    indirect = effective_privileges(flat, privilege_names(roles[INDIRECT_RESELLER_ADMIN_ROLE]))
    assert indirect & reseller == {ADD, VIEW, EDIT, TRANSFER}, sorted(indirect)
    assert SUPER_ADMIN not in indirect

    # Every privilege a prebuilt role names exists, with its serviceId.
    for role in roles.values():
        for p in role["rolePrivileges"]:
            assert p["privilegeName"] in flat, f"{role['roleName']} names unknown {p['privilegeName']!r}"
            assert p["serviceId"] == flat[p["privilegeName"]]["serviceId"], (role["roleName"], p)


def test_get_prebuilt_role_matches_list(admin_dir):
    for name, role in roles_by_name(admin_dir).items():
        got = admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]).execute()
        assert got == role, name


@pytest.mark.parametrize("method", ["patch", "update", "delete"])
def test_prebuilt_roles_cannot_be_changed(admin_dir, method):
    before = roles_by_name(admin_dir)[RESELLER_ADMIN_ROLE]
    roles = admin_dir.roles()
    rid = before["roleId"]
    if method == "patch":
        req = roles.patch(customer="my_customer", roleId=rid, body={"roleDescription": "mine now"})
    elif method == "update":
        req = roles.update(customer="my_customer", roleId=rid,
                           body={"roleName": "Mine", "rolePrivileges": [priv(VIEW)]})
    else:
        req = roles.delete(customer="my_customer", roleId=rid)
    expect_error(req, 400, "badRequest")
    assert roles.get(customer="my_customer", roleId=rid).execute() == before


# ---------------------------------------------------------------------------
# roles: custom
# ---------------------------------------------------------------------------


def test_insert_custom_role(admin_dir):
    body = {
        "roleName": "Support agent",
        "roleDescription": "View customers and their support cases",
        "rolePrivileges": [priv(VIEW), priv(SUPPORT_CASES)],
    }
    role = assert_role(admin_dir.roles().insert(customer="my_customer", body=body).execute())
    assert role["roleName"] == "Support agent"
    assert role["roleDescription"] == body["roleDescription"]
    assert sorted(role["rolePrivileges"], key=lambda p: p["privilegeName"]) == sorted(
        body["rolePrivileges"], key=lambda p: p["privilegeName"])
    assert role["isSystemRole"] is False
    assert role["isSuperAdminRole"] is False

    assert admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]).execute() == role
    listed = roles_by_name(admin_dir)
    assert listed["Support agent"] == role
    prebuilt_ids = {listed[n]["roleId"] for n in PREBUILT_ROLES}
    assert role["roleId"] not in prebuilt_ids


def test_insert_role_with_non_reseller_privileges(admin_dir):
    role = assert_role(create_role(admin_dir, [USERS_RETRIEVE, OU_RETRIEVE, ROLE_MANAGEMENT], name="Helper"))
    assert privilege_names(role) == {USERS_RETRIEVE, OU_RETRIEVE, ROLE_MANAGEMENT}
    assert role["rolePrivileges"] == privilege_refs(admin_dir, [p["privilegeName"] for p in role["rolePrivileges"]])


@pytest.mark.parametrize(
    "body,code,reason",
    [
        ({"rolePrivileges": [priv(VIEW)]}, 400, "required"),
        ({"roleName": "No privileges"}, 400, "required"),
        ({"roleName": "Unknown privilege", "rolePrivileges": [priv("RESELLER_TIME_TRAVEL")]}, 400, "invalid"),
        ({"roleName": "_MY_ROLE", "rolePrivileges": [priv(VIEW)]}, 400, "invalid"),
        ({"roleName": "Almighty", "rolePrivileges": [priv(SUPER_ADMIN, "00haapch16h1ysv")]}, 400, "invalid"),
        ({"roleName": "Almighty 2", "rolePrivileges": [priv(VIEW), priv(SUPER_ADMIN, "00haapch16h1ysv")]},
         400, "invalid"),
    ],
    ids=["no-name", "no-privileges", "unknown-privilege", "underscore-name", "super-admin",
         "super-admin-among-others"],
)
def test_insert_role_validation(admin_dir, body, code, reason):
    before = list_roles(admin_dir)
    expect_error(admin_dir.roles().insert(customer="my_customer", body=body), code, reason)
    assert list_roles(admin_dir) == before, "a refused insert created a role"


def test_insert_role_with_duplicate_name_is_409(admin_dir):
    first = create_role(admin_dir, [VIEW], name="Sales desk")
    expect_error(admin_dir.roles().insert(customer="my_customer", body={
        "roleName": "Sales desk", "rolePrivileges": [priv(EDIT)]}), 409, "duplicate")
    # The name of a prebuilt role is taken too (and reserved anyway).
    expect_error(admin_dir.roles().insert(customer="my_customer", body={
        "roleName": RESELLER_ADMIN_ROLE, "rolePrivileges": [priv(EDIT)]}), 400)
    same_name = [r for r in list_roles(admin_dir) if r["roleName"] == "Sales desk"]
    assert same_name == [first]


def test_same_role_name_in_two_resellers(partnerd, admin_dir):
    other = directory_as(partnerd, new_reseller(partnerd, "roles"))
    mine = create_role(admin_dir, [VIEW], name="Billing clerk")
    theirs = create_role(other, [BILLING], name="Billing clerk")
    assert mine["roleId"] != theirs["roleId"]
    assert roles_by_name(admin_dir)["Billing clerk"]["rolePrivileges"] == [priv(VIEW)]
    assert roles_by_name(other)["Billing clerk"]["rolePrivileges"] == [priv(BILLING)]


def test_patch_role(admin_dir):
    role = create_role(admin_dir, [VIEW], name="Desk", description="first")
    patched = assert_role(admin_dir.roles().patch(customer="my_customer", roleId=role["roleId"], body={
        "roleDescription": "second"}).execute())
    assert patched["roleId"] == role["roleId"]
    assert patched["roleName"] == "Desk"
    assert patched["roleDescription"] == "second"
    assert patched["rolePrivileges"] == role["rolePrivileges"]
    assert patched["etag"] != role["etag"]

    patched2 = admin_dir.roles().patch(customer="my_customer", roleId=role["roleId"], body={
        "roleName": "Front desk", "rolePrivileges": [priv(VIEW), priv(EDIT)]}).execute()
    assert patched2["roleName"] == "Front desk"
    assert patched2["roleDescription"] == "second"
    assert privilege_names(patched2) == {VIEW, EDIT}
    assert admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]).execute() == patched2


def test_update_role_replaces_it(admin_dir):
    role = create_role(admin_dir, [VIEW, SUPPORT_CASES], name="Agent")
    updated = assert_role(admin_dir.roles().update(customer="my_customer", roleId=role["roleId"], body={
        "roleName": "Senior agent", "rolePrivileges": [priv(EDIT)]}).execute())
    assert updated["roleId"] == role["roleId"]
    assert updated["roleName"] == "Senior agent"
    assert updated["rolePrivileges"] == [priv(EDIT)]
    assert updated["isSystemRole"] is False
    assert admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]).execute() == updated


@pytest.mark.parametrize(
    "body,reason",
    [
        ({"rolePrivileges": [priv("NOT_A_PRIVILEGE")]}, "invalid"),
        ({"roleName": "_RESERVED"}, "invalid"),
        ({"rolePrivileges": [priv(SUPER_ADMIN, "00haapch16h1ysv")]}, "invalid"),
    ],
    ids=["unknown-privilege", "underscore-name", "super-admin"],
)
def test_patch_role_validation(admin_dir, body, reason):
    role = create_role(admin_dir, [VIEW], name="Checked")
    expect_error(admin_dir.roles().patch(customer="my_customer", roleId=role["roleId"], body=body), 400, reason)
    assert admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]).execute() == role


def test_rename_role_onto_existing_name_is_409(admin_dir):
    create_role(admin_dir, [VIEW], name="Taken")
    role = create_role(admin_dir, [EDIT], name="Free")
    expect_error(admin_dir.roles().patch(customer="my_customer", roleId=role["roleId"], body={
        "roleName": "Taken"}), 409, "duplicate")
    assert admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]).execute() == role


def test_delete_role(admin_dir):
    role = create_role(admin_dir, [VIEW], name="Short-lived")
    result = admin_dir.roles().delete(customer="my_customer", roleId=role["roleId"]).execute()
    assert result in ("", None, {}), f"delete answered a body: {result!r}"
    expect_error(admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]), 404, "notFound")
    assert "Short-lived" not in roles_by_name(admin_dir)
    expect_error(admin_dir.roles().delete(customer="my_customer", roleId=role["roleId"]), 404, "notFound")
    # The name is free again.
    again = create_role(admin_dir, [EDIT], name="Short-lived")
    assert again["roleId"] != role["roleId"]


@pytest.mark.parametrize("role_id", ["123456789", "0", "not-a-number"])
def test_unknown_role_is_404(admin_dir, role_id):
    roles = admin_dir.roles()
    expect_error(roles.get(customer="my_customer", roleId=role_id), 404, "notFound")
    expect_error(roles.patch(customer="my_customer", roleId=role_id, body={"roleDescription": "x"}), 404, "notFound")
    expect_error(roles.update(customer="my_customer", roleId=role_id,
                              body={"roleName": "x", "rolePrivileges": [priv(VIEW)]}), 404, "notFound")
    expect_error(roles.delete(customer="my_customer", roleId=role_id), 404, "notFound")


def test_delete_assigned_role_is_refused(admin_dir, rsl):
    role = create_role(admin_dir, [VIEW], name="In use")
    user = add_staff(admin_dir, rsl)
    ra = assign(admin_dir, role["roleId"], user["id"])
    expect_error(admin_dir.roles().delete(customer="my_customer", roleId=role["roleId"]), 400, "badRequest")
    assert admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]).execute() == role
    admin_dir.roleAssignments().delete(customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]).execute()
    admin_dir.roles().delete(customer="my_customer", roleId=role["roleId"]).execute()
    expect_error(admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]), 404, "notFound")


def test_custom_roles_are_private_to_their_reseller(partnerd, rsl, admin_dir):
    other = directory_as(partnerd, new_reseller(partnerd, "roles"))
    role = create_role(admin_dir, [VIEW], name="Ours")
    assert "Ours" not in roles_by_name(other)
    expect_error(other.roles().get(customer="my_customer", roleId=role["roleId"]), 404, "notFound")
    expect_error(other.roles().patch(customer="my_customer", roleId=role["roleId"],
                                     body={"roleDescription": "theirs"}), 404, "notFound")
    expect_error(other.roles().delete(customer="my_customer", roleId=role["roleId"]), 404, "notFound")
    # Naming the other reseller's account directly is refused.
    expect_error(other.roles().list(customer=rsl["customerId"]), 403, "forbidden")
    assert admin_dir.roles().get(customer="my_customer", roleId=role["roleId"]).execute() == role


def test_roles_by_customer_id_equal_my_customer(rsl, admin_dir):
    create_role(admin_dir, [VIEW], name="Either way")
    assert list_roles(admin_dir, rsl["customerId"]) == list_roles(admin_dir)


def test_role_management_scopes(partnerd, rsl, admin_dir):
    role = create_role(admin_dir, [VIEW], name="Scoped")
    ro = directory_as(partnerd, rsl, scopes=[SCOPE_ROLES_RO])
    assert ro.roles().get(customer="my_customer", roleId=role["roleId"]).execute() == role
    assert "Scoped" in roles_by_name(ro)
    list_assignments(ro)
    expect_error(ro.roles().insert(customer="my_customer", body={
        "roleName": "Nope", "rolePrivileges": [priv(VIEW)]}), 403, "insufficientPermissions")
    expect_error(ro.roles().delete(customer="my_customer", roleId=role["roleId"]), 403, "insufficientPermissions")
    expect_error(ro.roleAssignments().insert(customer="my_customer", body={
        "roleId": role["roleId"], "assignedTo": add_staff(admin_dir, rsl)["id"], "scopeType": "CUSTOMER"}),
        403, "insufficientPermissions")
    users_only = directory_as(partnerd, rsl, scopes=[SCOPE_DIR_USER])
    expect_error(users_only.roles().list(customer="my_customer"), 403, "insufficientPermissions")
    rw = directory_as(partnerd, rsl, scopes=[SCOPE_ROLES])
    assert "Scoped" in roles_by_name(rw)
    assert "Nope" not in roles_by_name(rw)


# ---------------------------------------------------------------------------
# roleAssignments
# ---------------------------------------------------------------------------


def test_assign_role_to_user(admin_dir, rsl):
    role = create_role(admin_dir, [VIEW, SUPPORT_CASES], name="Support agent")
    user = add_staff(admin_dir, rsl, "agent")
    ra = assert_assignment(assign(admin_dir, role["roleId"], user["id"]))
    assert ra["roleId"] == role["roleId"]
    assert ra["assignedTo"] == user["id"]
    assert ra["scopeType"] == "CUSTOMER"
    got = admin_dir.roleAssignments().get(customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]).execute()
    assert got == ra
    assert ra in list_assignments(admin_dir)


def test_assign_prebuilt_role(admin_dir, rsl):
    rid = system_role_id(admin_dir, RESELLER_ADMIN_ROLE)
    user = add_staff(admin_dir, rsl)
    ra = assert_assignment(assign(admin_dir, rid, user["id"]))
    assert ra["roleId"] == rid
    assert ra in list_assignments(admin_dir, roleId=rid)


def test_assign_with_org_unit_scope(admin_dir, rsl):
    ou = insert_ou(admin_dir, "my_customer", "Reseller staff")
    user = add_staff(admin_dir, rsl, org_unit="/Reseller staff")
    full = assign(admin_dir, system_role_id(admin_dir, RESELLER_ADMIN_ROLE), user["id"], "ORG_UNIT", ou["orgUnitId"])
    assert_assignment(full)
    assert full["scopeType"] == "ORG_UNIT"
    assert full["orgUnitId"].removeprefix("id:") == ou["orgUnitId"].removeprefix("id:")
    bare = assign(admin_dir, system_role_id(admin_dir, INDIRECT_RESELLER_ADMIN_ROLE), user["id"], "ORG_UNIT",
                  ou["orgUnitId"].removeprefix("id:"))
    assert_assignment(bare)
    assert bare["orgUnitId"].removeprefix("id:") == ou["orgUnitId"].removeprefix("id:")
    for ra in (full, bare):
        got = admin_dir.roleAssignments().get(customer="my_customer",
                                              roleAssignmentId=ra["roleAssignmentId"]).execute()
        assert got == ra


def test_list_assignments_filters(admin_dir, rsl):
    view = create_role(admin_dir, [VIEW], name="Viewer")
    edit = create_role(admin_dir, [EDIT], name="Editor")
    u1 = add_staff(admin_dir, rsl, "one")
    u2 = add_staff(admin_dir, rsl, "two")
    a11 = assign(admin_dir, view["roleId"], u1["id"])
    a12 = assign(admin_dir, edit["roleId"], u1["id"])
    a21 = assign(admin_dir, view["roleId"], u2["id"])

    def ids(items):
        return {a["roleAssignmentId"] for a in items}

    everything = list_assignments(admin_dir)
    for a in everything:
        assert_assignment(a)
    assert {a11["roleAssignmentId"], a12["roleAssignmentId"], a21["roleAssignmentId"]} <= ids(everything)
    assert ids(list_assignments(admin_dir, roleId=view["roleId"])) == {a11["roleAssignmentId"], a21["roleAssignmentId"]}
    assert ids(list_assignments(admin_dir, roleId=edit["roleId"])) == {a12["roleAssignmentId"]}
    assert ids(list_assignments(admin_dir, userKey=u1["id"])) == {a11["roleAssignmentId"], a12["roleAssignmentId"]}
    assert ids(list_assignments(admin_dir, userKey=u1["primaryEmail"])) == {
        a11["roleAssignmentId"], a12["roleAssignmentId"]}
    assert ids(list_assignments(admin_dir, userKey=u2["primaryEmail"])) == {a21["roleAssignmentId"]}
    nobody = add_staff(admin_dir, rsl, "nobody")
    assert list_assignments(admin_dir, userKey=nobody["id"]) == []


@pytest.mark.parametrize(
    "drop,scope,reason",
    [
        ("roleId", "CUSTOMER", "required"),
        ("assignedTo", "CUSTOMER", "required"),
        ("scopeType", None, "required"),
        (None, "ORGANIZATION", "invalid"),
        (None, "customer-wide", "invalid"),
        (None, "ORG_UNIT", "required"),  # ORG_UNIT without orgUnitId
    ],
    ids=["no-role", "no-user", "no-scope", "bad-scope", "bad-scope-2", "org-unit-without-id"],
)
def test_assignment_validation(admin_dir, rsl, drop, scope, reason):
    role = create_role(admin_dir, [VIEW], name="Validated")
    user = add_staff(admin_dir, rsl)
    body = {"roleId": role["roleId"], "assignedTo": user["id"], "scopeType": scope}
    body = {k: v for k, v in body.items() if k != drop and v is not None}
    expect_error(admin_dir.roleAssignments().insert(customer="my_customer", body=body), 400, reason)
    assert list_assignments(admin_dir, userKey=user["id"]) == []


def only_super_admins(dsvc, reseller: dict) -> list:
    """The assignments of a fresh reseller's account other than its own super admin's
    super-admin role, which roleAssignments.list shows as Google does."""
    seed = system_role_id(dsvc, "_SEED_ADMIN_ROLE")
    admin_id = get_user(dsvc, reseller["adminEmail"])["id"]
    items = list_assignments(dsvc)
    assert [(a["roleId"], a["assignedTo"]) for a in items if a["roleId"] == seed] == [(seed, admin_id)], items
    return [a for a in items if a["roleId"] != seed]


def test_make_admin_shows_as_the_super_admin_role_and_taking_it_back_undoes_it(partnerd, admin_dir, rsl):
    """Google lists super admins in roleAssignments.list with the _SEED_ADMIN_ROLE role;
    makeAdmin gives that role, and deleting the assignment takes super admin away."""
    seed = system_role_id(admin_dir, "_SEED_ADMIN_ROLE")
    boss = add_staff(admin_dir, rsl)
    assert list_assignments(admin_dir, userKey=boss["id"]) == []
    admin_dir.users().makeAdmin(userKey=boss["id"], body={"status": True}).execute()
    [held] = list_assignments(admin_dir, userKey=boss["id"])
    assert (held["roleId"], held["assignedTo"], held["scopeType"]) == (seed, boss["id"], "CUSTOMER")
    assert admin_dir.roleAssignments().get(customer="my_customer",
                                           roleAssignmentId=held["roleAssignmentId"]).execute() == held
    assert list_assignments(admin_dir, userKey=boss["id"]) == [held], "the same id on every read"
    admin_dir.roleAssignments().delete(customer="my_customer", roleAssignmentId=held["roleAssignmentId"]).execute()
    assert get_user(admin_dir, boss["id"])["isAdmin"] is False
    assert list_assignments(admin_dir, userKey=boss["id"]) == []
    # The role given by assignment makes a super admin too.
    given = assign(admin_dir, seed, boss["id"])
    assert get_user(admin_dir, boss["id"])["isAdmin"] is True
    assert [a["roleAssignmentId"] for a in list_assignments(admin_dir, userKey=boss["id"])] == [
        given["roleAssignmentId"]]


def test_assignment_of_unknown_role_user_or_org_unit_is_invalid(partnerd, admin_dir, rsl):
    role = create_role(admin_dir, [VIEW], name="Known")
    user = add_staff(admin_dir, rsl)
    ra = admin_dir.roleAssignments()
    expect_error(ra.insert(customer="my_customer", body={
        "roleId": "987654321", "assignedTo": user["id"], "scopeType": "CUSTOMER"}), 400, "invalid")
    expect_error(ra.insert(customer="my_customer", body={
        "roleId": role["roleId"], "assignedTo": "123456789012345678901", "scopeType": "CUSTOMER"}), 400, "invalid")
    expect_error(ra.insert(customer="my_customer", body={
        "roleId": role["roleId"], "assignedTo": user["id"], "scopeType": "ORG_UNIT",
        "orgUnitId": "id:99999999"}), 400, "invalid")
    # A user of another reseller is not a user of this account; a custom role
    # of another reseller is not a role of this account.
    other_rsl = new_reseller(partnerd, "roles")
    other_dir = directory_as(partnerd, other_rsl)
    stranger = add_staff(other_dir, other_rsl)
    foreign_role = create_role(other_dir, [VIEW], name="Foreign")
    expect_error(ra.insert(customer="my_customer", body={
        "roleId": role["roleId"], "assignedTo": stranger["id"], "scopeType": "CUSTOMER"}), 400, "invalid")
    expect_error(ra.insert(customer="my_customer", body={
        "roleId": foreign_role["roleId"], "assignedTo": user["id"], "scopeType": "CUSTOMER"}), 400, "invalid")
    assert list_assignments(admin_dir, userKey=user["id"]) == []
    assert only_super_admins(other_dir, other_rsl) == [], "nothing of this reseller's went there"


def test_duplicate_assignment_is_409(admin_dir, rsl):
    role = create_role(admin_dir, [VIEW], name="Once")
    user = add_staff(admin_dir, rsl)
    first = assign(admin_dir, role["roleId"], user["id"])
    expect_error(admin_dir.roleAssignments().insert(customer="my_customer", body={
        "roleId": role["roleId"], "assignedTo": user["id"], "scopeType": "CUSTOMER"}), 409, "duplicate")
    assert list_assignments(admin_dir, userKey=user["id"]) == [first]


def test_delete_assignment(admin_dir, rsl):
    role = create_role(admin_dir, [VIEW], name="Temporary")
    user = add_staff(admin_dir, rsl)
    ra = assign(admin_dir, role["roleId"], user["id"])
    result = admin_dir.roleAssignments().delete(
        customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]).execute()
    assert result in ("", None, {}), f"delete answered a body: {result!r}"
    expect_error(admin_dir.roleAssignments().get(customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]),
                 404, "notFound")
    expect_error(admin_dir.roleAssignments().delete(customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]),
                 404, "notFound")
    assert ra["roleAssignmentId"] not in {a["roleAssignmentId"] for a in list_assignments(admin_dir)}
    # The same assignment may be made again.
    again = assign(admin_dir, role["roleId"], user["id"])
    assert again["roleAssignmentId"] != ra["roleAssignmentId"]


def test_unknown_assignment_is_404(admin_dir):
    for key in ("123456789", "nope"):
        expect_error(admin_dir.roleAssignments().get(customer="my_customer", roleAssignmentId=key), 404, "notFound")
        expect_error(admin_dir.roleAssignments().delete(customer="my_customer", roleAssignmentId=key),
                     404, "notFound")


def test_assignments_are_private_to_their_reseller(partnerd, admin_dir, rsl):
    role = create_role(admin_dir, [VIEW], name="Private")
    ra = assign(admin_dir, role["roleId"], add_staff(admin_dir, rsl)["id"])
    other_rsl = new_reseller(partnerd, "roles")
    other = directory_as(partnerd, other_rsl)
    expect_error(other.roleAssignments().get(customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]),
                 404, "notFound")
    expect_error(other.roleAssignments().delete(customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]),
                 404, "notFound")
    assert only_super_admins(other, other_rsl) == []
    expect_error(other.roleAssignments().list(customer=rsl["customerId"]), 403, "forbidden")
    assert admin_dir.roleAssignments().get(customer="my_customer",
                                           roleAssignmentId=ra["roleAssignmentId"]).execute() == ra


# ---------------------------------------------------------------------------
# Enforcement on the reseller's own account
# ---------------------------------------------------------------------------


def staff_clients(partnerd, rsl, email):
    return directory_as(partnerd, rsl, email), reseller_as(partnerd, rsl, email)


def test_user_without_a_role_is_refused_everywhere(partnerd, rsl, admin_dir):
    staff = grant(partnerd, rsl, admin_dir)
    dsvc, svc = staff_clients(partnerd, rsl, staff["email"])
    customer = reseller_as(partnerd, rsl).customers().insert(body=domain_customer()).execute()
    cid = customer["customerId"]

    expect_directory_refusal(dsvc.users().list(customer="my_customer"))
    expect_directory_refusal(dsvc.users().get(userKey=staff["email"]))
    expect_directory_refusal(dsvc.users().insert(body=quick_user_body(rsl["domain"], "sneaky")))
    expect_directory_refusal(dsvc.orgunits().list(customerId="my_customer"))
    expect_directory_refusal(dsvc.customers().get(customerKey="my_customer"))
    expect_directory_refusal(dsvc.roles().list(customer="my_customer"))
    expect_directory_refusal(dsvc.roleAssignments().list(customer="my_customer"))
    expect_directory_refusal(dsvc.privileges().list(customer="my_customer"))
    expect_directory_refusal(dsvc.users().list(customer=cid))
    expect_reseller_refusal(svc.customers().get(customerId=cid))
    expect_reseller_refusal(svc.subscriptions().list())
    expect_reseller_refusal(svc.customers().insert(body=domain_customer()))
    expect_reseller_refusal(svc.resellernotify().getwatchdetails())
    # Nothing was created behind the refusals.
    emails = {u["primaryEmail"] for u in list_users(admin_dir, customer="my_customer")}
    assert f"sneaky@{rsl['domain']}" not in emails


def test_users_retrieve_reads_own_users_only(partnerd, rsl, admin_dir):
    staff = grant(partnerd, rsl, admin_dir, privileges=[USERS_RETRIEVE])
    dsvc, svc = staff_clients(partnerd, rsl, staff["email"])
    emails = {u["primaryEmail"] for u in list_users(dsvc, customer="my_customer")}
    assert {rsl["adminEmail"], staff["email"]} <= emails
    assert_user(dsvc.users().get(userKey=rsl["adminEmail"]).execute())
    assert dsvc.customers().get(customerKey="my_customer").execute()["id"] == rsl["customerId"]

    expect_directory_refusal(dsvc.users().insert(body=quick_user_body(rsl["domain"], "new-hire")))
    expect_directory_refusal(dsvc.users().patch(userKey=staff["email"], body={"name": {"givenName": "Changed"}}))
    expect_directory_refusal(dsvc.orgunits().list(customerId="my_customer"))
    expect_directory_refusal(dsvc.roles().list(customer="my_customer"))
    expect_directory_refusal(dsvc.customers().patch(customerKey="my_customer", body={"language": "fr"}))
    expect_reseller_refusal(svc.subscriptions().list())


def test_users_create_and_update_are_write_privileges(partnerd, rsl, admin_dir):
    """Users write needs USERS_ALL, USERS_CREATE or USERS_UPDATE; none of the
    last two lets its holder read the user list."""
    creator = grant(partnerd, rsl, admin_dir, privileges=[USERS_CREATE])
    dsvc, _ = staff_clients(partnerd, rsl, creator["email"])
    made = insert_user(dsvc, quick_user_body(rsl["domain"], "made-by-staff"))
    assert made["customerId"] == rsl["customerId"]
    assert admin_dir.users().get(userKey=made["id"]).execute()["primaryEmail"] == made["primaryEmail"]
    expect_directory_refusal(dsvc.users().list(customer="my_customer"))

    updater = grant(partnerd, rsl, admin_dir, privileges=[USERS_UPDATE])
    dsvc2, _ = staff_clients(partnerd, rsl, updater["email"])
    patched = dsvc2.users().patch(userKey=made["id"], body={"name": {"givenName": "Renamed"}}).execute()
    assert patched["name"]["givenName"] == "Renamed"
    assert admin_dir.users().get(userKey=made["id"]).execute()["name"]["givenName"] == "Renamed"
    expect_directory_refusal(dsvc2.users().list(customer="my_customer"))
    # Neither is super admin.
    expect_directory_refusal(dsvc2.users().makeAdmin(userKey=made["id"], body={"status": True}))


def test_users_all_grants_its_children(partnerd, rsl, admin_dir):
    staff = grant(partnerd, rsl, admin_dir, privileges=[USERS_ALL])
    dsvc, _ = staff_clients(partnerd, rsl, staff["email"])
    made = insert_user(dsvc, quick_user_body(rsl["domain"], "by-users-all"))
    dsvc.users().patch(userKey=made["id"], body={"name": {"familyName": "Patched"}}).execute()
    emails = {u["primaryEmail"] for u in list_users(dsvc, customer="my_customer")}
    assert made["primaryEmail"] in emails
    assert admin_dir.users().get(userKey=made["id"]).execute()["name"]["familyName"] == "Patched"
    # Not super admin: cannot promote anybody, nor change the account.
    expect_directory_refusal(dsvc.users().makeAdmin(userKey=made["id"], body={"status": True}))
    expect_directory_refusal(dsvc.customers().patch(customerKey="my_customer", body={"language": "de"}))
    assert admin_dir.users().get(userKey=made["id"]).execute()["isAdmin"] is False


def test_org_unit_privileges(partnerd, rsl, admin_dir):
    insert_ou(admin_dir, "my_customer", "Existing")
    reader = grant(partnerd, rsl, admin_dir, privileges=[OU_RETRIEVE])
    rdir, _ = staff_clients(partnerd, rsl, reader["email"])
    page = rdir.orgunits().list(customerId="my_customer", type="all").execute()
    assert "/Existing" in {u["orgUnitPath"] for u in page.get("organizationUnits", [])}
    expect_directory_refusal(rdir.orgunits().insert(customerId="my_customer", body={
        "name": "By reader", "parentOrgUnitPath": "/"}))
    expect_directory_refusal(rdir.users().list(customer="my_customer"))
    assert rdir.customers().get(customerKey="my_customer").execute()["id"] == rsl["customerId"]

    writer = grant(partnerd, rsl, admin_dir, privileges=[OU_ALL])
    wdir, _ = staff_clients(partnerd, rsl, writer["email"])
    made = insert_ou(wdir, "my_customer", "By writer")
    assert made["orgUnitPath"] == "/By writer"


def test_role_management_privilege(partnerd, rsl, admin_dir):
    """Role management creates and assigns roles made of what its holder holds
    (here View Customers; test_security_roles.py covers the refusals)."""
    manager = grant(partnerd, rsl, admin_dir, privileges=[ROLE_MANAGEMENT, VIEW])
    mdir, msvc = staff_clients(partnerd, rsl, manager["email"])
    assert SEED_ADMIN_ROLE in roles_by_name(mdir)
    mdir.privileges().list(customer="my_customer").execute()
    role = create_role(mdir, [VIEW], name="Made by manager")
    assert roles_by_name(admin_dir)["Made by manager"] == role
    target = add_staff(admin_dir, rsl)
    ra = assign(mdir, role["roleId"], target["id"])
    assert ra in list_assignments(admin_dir, userKey=target["id"])
    # Role management is not user management, nor more reseller access than it holds.
    expect_directory_refusal(mdir.users().list(customer="my_customer"))
    expect_reseller_refusal(msvc.customers().insert(body=domain_customer()))


def test_super_admin_made_with_make_admin_has_every_privilege(partnerd, rsl, admin_dir):
    user = add_staff(admin_dir, rsl)
    dsvc, svc = staff_clients(partnerd, rsl, user["primaryEmail"])
    expect_directory_refusal(dsvc.users().list(customer="my_customer"))
    admin_dir.users().makeAdmin(userKey=user["id"], body={"status": True}).execute()

    assert rsl["adminEmail"] in {u["primaryEmail"] for u in list_users(dsvc, customer="my_customer")}
    role = create_role(dsvc, [VIEW], name="Made by new super admin")
    assert role["isSystemRole"] is False
    customer = svc.customers().insert(body=domain_customer()).execute()
    assert svc.customers().get(customerId=customer["customerId"]).execute()["customerId"] == customer["customerId"]
    dsvc.users().list(customer=customer["customerId"]).execute()
    other = add_staff(dsvc, rsl)
    dsvc.users().makeAdmin(userKey=other["id"], body={"status": True}).execute()
    assert admin_dir.users().get(userKey=other["id"]).execute()["isAdmin"] is True


def test_seed_admin_role_assignment_makes_a_super_admin(partnerd, rsl, admin_dir):
    staff = grant(partnerd, rsl, admin_dir, role=SEED_ADMIN_ROLE)
    dsvc, svc = staff_clients(partnerd, rsl, staff["email"])
    assert rsl["adminEmail"] in {u["primaryEmail"] for u in list_users(dsvc, customer="my_customer")}
    insert_ou(dsvc, "my_customer", "By seed admin")
    customer = svc.customers().insert(body=domain_customer()).execute()
    dsvc.users().list(customer=customer["customerId"]).execute()
    target = add_staff(admin_dir, rsl)
    dsvc.users().makeAdmin(userKey=target["id"], body={"status": True}).execute()
    assert admin_dir.users().get(userKey=target["id"]).execute()["isAdmin"] is True


def test_privileges_are_checked_at_request_time(partnerd, rsl, admin_dir):
    """Granting and revoking a role changes what an already-issued token may do."""
    user = add_staff(admin_dir, rsl)
    dsvc, _ = staff_clients(partnerd, rsl, user["primaryEmail"])
    expect_directory_refusal(dsvc.users().list(customer="my_customer"))
    role = create_role(admin_dir, [USERS_RETRIEVE], name="Reader")
    ra = assign(admin_dir, role["roleId"], user["id"])
    list_users(dsvc, customer="my_customer")
    admin_dir.roleAssignments().delete(customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]).execute()
    expect_directory_refusal(dsvc.users().list(customer="my_customer"))


def test_editing_a_role_changes_its_holders_access(partnerd, rsl, admin_dir):
    staff = grant(partnerd, rsl, admin_dir, privileges=[OU_RETRIEVE])
    dsvc, _ = staff_clients(partnerd, rsl, staff["email"])
    expect_directory_refusal(dsvc.users().list(customer="my_customer"))
    admin_dir.roles().patch(customer="my_customer", roleId=staff["role"]["roleId"], body={
        "rolePrivileges": privilege_refs(admin_dir, [OU_RETRIEVE, USERS_RETRIEVE])}).execute()
    list_users(dsvc, customer="my_customer")


def test_org_unit_scoped_assignment_counts_for_the_whole_account(partnerd, rsl, admin_dir):
    ou = insert_ou(admin_dir, "my_customer", "Scoped staff")
    user = add_staff(admin_dir, rsl)  # in "/", outside the OU
    role = create_role(admin_dir, [USERS_RETRIEVE], name="OU reader")
    assign(admin_dir, role["roleId"], user["id"], "ORG_UNIT", ou["orgUnitId"])
    dsvc, _ = staff_clients(partnerd, rsl, user["primaryEmail"])
    emails = {u["primaryEmail"] for u in list_users(dsvc, customer="my_customer")}
    assert {rsl["adminEmail"], user["primaryEmail"]} <= emails


def test_admin_of_another_reseller_cannot_be_impersonated(partnerd, rsl):
    other = new_reseller(partnerd, "roles")
    with pytest.raises(google.auth.exceptions.RefreshError) as info:
        partnerd.access_token(rsl, scopes=STAFF_SCOPES_FOR_TOKEN, subject=other["adminEmail"])
    assert refresh_error_code(info.value) == "invalid_grant", info.value.args


def test_refused_calls_leave_no_trace(partnerd, rsl, admin_dir):
    staff = grant(partnerd, rsl, admin_dir, privileges=[VIEW])
    dsvc, _ = staff_clients(partnerd, rsl, staff["email"])
    before = list_roles(admin_dir)
    expect_directory_refusal(dsvc.roles().insert(customer="my_customer", body={
        "roleName": "Self-promotion", "rolePrivileges": [priv(RESELLER_TOOLS)]}))
    expect_directory_refusal(dsvc.roleAssignments().insert(customer="my_customer", body={
        "roleId": system_role_id(admin_dir, RESELLER_ADMIN_ROLE), "assignedTo": staff["user"]["id"],
        "scopeType": "CUSTOMER"}))
    expect_directory_refusal(dsvc.roleAssignments().delete(
        customer="my_customer", roleAssignmentId=staff["assignment"]["roleAssignmentId"]))
    assert list_roles(admin_dir) == before
    assert list_assignments(admin_dir, userKey=staff["user"]["id"]) == [staff["assignment"]]


def test_customer_directory_needs_admin_console_privilege_and_a_customer_privilege(partnerd, rsl, admin_dir):
    svc_admin = reseller_as(partnerd, rsl)
    customer = svc_admin.customers().insert(body=domain_customer()).execute()
    cid = customer["customerId"]
    only_console = grant(partnerd, rsl, admin_dir, privileges=[ADMIN_CONSOLE])
    only_view = grant(partnerd, rsl, admin_dir, privileges=[VIEW])
    both = grant(partnerd, rsl, admin_dir, privileges=[ADMIN_CONSOLE, VIEW])
    for staff in (only_console, only_view):
        expect_directory_refusal(directory_as(partnerd, rsl, staff["email"]).users().list(customer=cid))
    page = directory_as(partnerd, rsl, both["email"]).users().list(customer=cid).execute()
    assert page.get("kind") == "admin#directory#users", page
    # Reading reseller-side data still works with View alone.
    got = reseller_as(partnerd, rsl, only_view["email"]).customers().get(customerId=cid).execute()
    assert got["customerId"] == cid
    expect_reseller_refusal(reseller_as(partnerd, rsl, only_console["email"]).customers().get(customerId=cid))


def test_reseller_privileges_give_no_billing_or_profile_access_to_customers(partnerd, rsl, admin_dir):
    cid = reseller_as(partnerd, rsl).customers().insert(body=domain_customer()).execute()["customerId"]
    for privileges in ([BILLING], [PROFILE], [RESELLER_SUPPORT], [SUPPORT_CASES]):
        staff = grant(partnerd, rsl, admin_dir, privileges=privileges)
        svc = reseller_as(partnerd, rsl, staff["email"])
        expect_reseller_refusal(svc.customers().get(customerId=cid))
        expect_reseller_refusal(svc.subscriptions().list())


def test_privilege_check_happens_before_lookup(partnerd, rsl, admin_dir):
    """An unprivileged user learns nothing about what exists: unknown and
    existing customers are refused alike."""
    staff = grant(partnerd, rsl, admin_dir, privileges=[BILLING])
    svc = reseller_as(partnerd, rsl, staff["email"])
    expect_reseller_refusal(svc.customers().get(customerId="C0zzzzzzz"))
    expect_reseller_refusal(svc.customers().insert(body={}))
    err = execute_error(reseller_as(partnerd, rsl).customers().get(customerId="C0zzzzzzz"))
    assert err.resp.status == 404


# ---------------------------------------------------------------------------
# Paging (maxResults / pageToken, as the discovery document declares)
# ---------------------------------------------------------------------------


def _pages(method, page_size: int, **params) -> list:
    out, token = [], None
    for _ in range(100):
        kwargs = dict(params, maxResults=page_size)
        if token:
            kwargs["pageToken"] = token
        page = method(**kwargs).execute()
        items = page.get("items", [])
        assert len(items) <= page_size, f"page of {len(items)} > maxResults {page_size}"
        out.extend(items)
        token = page.get("nextPageToken")
        if not token:
            return out
        assert items, f"an empty page with a nextPageToken: {page!r}"
    raise AssertionError("paging does not end")


def test_roles_list_pages(admin_dir):
    for i in range(3):
        create_role(admin_dir, [VIEW], name=f"Paged {i}")
    everything = list_roles(admin_dir)
    assert len(everything) >= len(PREBUILT_ROLES) + 3
    paged = _pages(admin_dir.roles().list, 4, customer="my_customer")
    assert [r["roleId"] for r in paged] == [r["roleId"] for r in everything]


def test_role_assignments_list_pages(admin_dir, rsl):
    role = create_role(admin_dir, [VIEW], name="Paged")
    for _ in range(5):
        assign(admin_dir, role["roleId"], add_staff(admin_dir, rsl)["id"])
    everything = list_assignments(admin_dir)
    assert len(everything) >= 5
    paged = _pages(admin_dir.roleAssignments().list, 2, customer="my_customer")
    assert [a["roleAssignmentId"] for a in paged] == [a["roleAssignmentId"] for a in everything]
