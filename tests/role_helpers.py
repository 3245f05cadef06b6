"""Helpers for the admin-role suites: Directory roles, role assignments and
privileges, and the reseller staff whose access those roles decide.

A reseller's super admin (the admin the CLI creates) gives other users of the
reseller's own domain a prebuilt role (Reseller Admin, ...) or a custom role
made of privileges. The server then enforces those privileges for whichever
user a token impersonates. Everything here talks to the server over HTTP
only: Google's official client for the APIs, ``requests`` for the control API.
"""

from __future__ import annotations

import re
import secrets

from dir_helpers import (
    DIRECTORY_SCOPES,
    _assert_known_fields,
    assert_dir_error,
    insert_user,
    quick_user_body,
)
from helpers import SCOPE_ORDER, assert_http_error, assert_no_nulls, domain_customer, execute_error
from sub_helpers import BUSINESS_STARTER, flexible, fresh_reseller

# ---------------------------------------------------------------------------
# Scopes
# ---------------------------------------------------------------------------

_AUTH = "https://www.googleapis.com/auth/"
SCOPE_ROLES = _AUTH + "admin.directory.rolemanagement"
SCOPE_ROLES_RO = _AUTH + "admin.directory.rolemanagement.readonly"

# Everything a staff member's client asks for: Directory (users, customer,
# org units, roles) plus the Reseller API.
STAFF_SCOPES = [*DIRECTORY_SCOPES, SCOPE_ROLES, SCOPE_ORDER]

# ---------------------------------------------------------------------------
# Privileges (partnerd's stable privilegeName strings)
# ---------------------------------------------------------------------------

RESELLER_SERVICE_ID = "03cqmetx3i5ut1g"

RESELLER_TOOLS = "RESELLER_TOOLS"
RESELLER_CUSTOMERS = "RESELLER_CUSTOMERS"
ADD = "RESELLER_ADD_CUSTOMERS"
VIEW = "RESELLER_VIEW_CUSTOMERS"
EDIT = "RESELLER_EDIT_CUSTOMERS"
TRANSFER = "RESELLER_TRANSFER_CUSTOMERS"
ADMIN_CONSOLE = "RESELLER_ACCESS_ADMIN_CONSOLE_AND_SDK"
SUPPORT_CASES = "RESELLER_ACCESS_SUPPORT_CASES"
BILLING = "RESELLER_BILLING"
PROFILE = "RESELLER_PROFILE"
RESELLER_SUPPORT = "RESELLER_SUPPORT"

CUSTOMER_PRIVILEGES = [ADD, VIEW, EDIT, TRANSFER, ADMIN_CONSOLE]
TOOLS_CHILDREN = [RESELLER_CUSTOMERS, SUPPORT_CASES, BILLING, PROFILE, RESELLER_SUPPORT]
RESELLER_LEAF_PRIVILEGES = [*CUSTOMER_PRIVILEGES, SUPPORT_CASES, BILLING, PROFILE, RESELLER_SUPPORT]
ALL_RESELLER_PRIVILEGES = [RESELLER_TOOLS, RESELLER_CUSTOMERS, *RESELLER_LEAF_PRIVILEGES]

SUPER_ADMIN = "SUPER_ADMIN"
ADMIN_APIS_ALL = "ADMIN_APIS_ALL"
USERS_ALL = "USERS_ALL"
USERS_RETRIEVE = "USERS_RETRIEVE"
USERS_CREATE = "USERS_CREATE"
USERS_UPDATE = "USERS_UPDATE"
OU_ALL = "ORGANIZATION_UNITS_ALL"
OU_RETRIEVE = "ORGANIZATION_UNITS_RETRIEVE"
ROLE_MANAGEMENT = "ROLE_MANAGEMENT"
LICENSE_MANAGEMENT = "LICENSE_MANAGEMENT"

# Prebuilt roles every account has.
SEED_ADMIN_ROLE = "_SEED_ADMIN_ROLE"
RESELLER_ADMIN_ROLE = "_RESELLER_ADMIN_ROLE"
INDIRECT_RESELLER_ADMIN_ROLE = "_INDIRECT_RESELLER_ADMIN_ROLE"
PREBUILT_ROLES = [
    SEED_ADMIN_ROLE,
    RESELLER_ADMIN_ROLE,
    INDIRECT_RESELLER_ADMIN_ROLE,
    "_USER_MANAGEMENT_ADMIN_ROLE",
    "_HELP_DESK_ADMIN_ROLE",
    "_SERVICES_ADMIN_ROLE",
    "_GROUPS_ADMIN_ROLE",
    "_ENTERPRISE_SUPPORT_ROLE",
    "_RESOLD_ENTERPRISE_SUPPORT_ROLE",
]

NOT_AUTHORIZED = "Authenticated user is not authorized to perform this action."

INT64_RE = re.compile(r"^[0-9]{1,19}$")

# ---------------------------------------------------------------------------
# Resellers, clients and staff
# ---------------------------------------------------------------------------


def new_reseller(partnerd, prefix: str = "staff") -> dict:
    """A brand-new reseller (own domain, own key, only its CLI-made admin)."""
    return fresh_reseller(partnerd, prefix)


def directory_as(partnerd, reseller: dict, email: str | None = None, scopes=None):
    """A Directory client impersonating ``email`` (default: the reseller's admin)."""
    return partnerd.build_directory(
        partnerd.credentials(reseller, scopes if scopes is not None else STAFF_SCOPES, subject=email)
    )


def reseller_as(partnerd, reseller: dict, email: str | None = None):
    """A Reseller API client impersonating ``email`` (default: the reseller's admin)."""
    return partnerd.build_service(partnerd.credentials(reseller, STAFF_SCOPES, subject=email))


def add_staff(admin_dir, reseller: dict, local: str | None = None, org_unit: str | None = None) -> dict:
    """A new user of the reseller's own domain (no role yet)."""
    local = local or "staff-" + secrets.token_hex(4)
    extra = {"orgUnitPath": org_unit} if org_unit else {}
    return insert_user(admin_dir, quick_user_body(reseller["domain"], local, **extra))


def privilege_refs(admin_dir, names) -> list:
    """[{privilegeName, serviceId}] for ``names``, serviceIds as privileges.list gives them."""
    tree = flatten_privileges(admin_dir.privileges().list(customer="my_customer").execute()["items"])
    refs = []
    for name in names:
        assert name in tree, f"privileges.list does not offer {name!r}"
        refs.append({"privilegeName": name, "serviceId": tree[name]["serviceId"]})
    return refs


def create_role(admin_dir, privileges, name: str | None = None, description: str | None = None) -> dict:
    body = {
        "roleName": name or "Custom role " + secrets.token_hex(4),
        "rolePrivileges": privilege_refs(admin_dir, privileges),
    }
    if description is not None:
        body["roleDescription"] = description
    return admin_dir.roles().insert(customer="my_customer", body=body).execute()


def list_roles(dsvc, customer: str = "my_customer") -> list:
    page = dsvc.roles().list(customer=customer).execute()
    assert page.get("kind") == "admin#directory#roles", page
    items = page.get("items", [])
    assert isinstance(items, list), page
    return items


def roles_by_name(dsvc, customer: str = "my_customer") -> dict:
    return {r["roleName"]: r for r in list_roles(dsvc, customer)}


def system_role_id(dsvc, name: str) -> str:
    roles = roles_by_name(dsvc)
    assert name in roles, f"roles.list lacks the prebuilt role {name!r}: {sorted(roles)}"
    return roles[name]["roleId"]


def assign(admin_dir, role_id: str, user_id: str, scope: str = "CUSTOMER", org_unit_id: str | None = None) -> dict:
    body = {"roleId": role_id, "assignedTo": user_id, "scopeType": scope}
    if org_unit_id is not None:
        body["orgUnitId"] = org_unit_id
    return admin_dir.roleAssignments().insert(customer="my_customer", body=body).execute()


def list_assignments(dsvc, **params) -> list:
    page = dsvc.roleAssignments().list(customer="my_customer", **params).execute()
    assert page.get("kind") == "admin#directory#roleAssignments", page
    items = page.get("items", [])
    assert isinstance(items, list), page
    return items


def grant(partnerd, reseller: dict, admin_dir, *, privileges=None, role: str | None = None,
          local: str | None = None) -> dict:
    """A staff user holding a custom role made of ``privileges`` or the
    prebuilt role named ``role`` (or nothing, when both are None).

    Returns {"user", "email", "role", "assignment"}."""
    user = add_staff(admin_dir, reseller, local)
    role_obj = assignment = None
    if privileges is not None:
        role_obj = create_role(admin_dir, privileges)
    elif role is not None:
        role_obj = roles_by_name(admin_dir)[role]
    if role_obj is not None:
        assignment = assign(admin_dir, role_obj["roleId"], user["id"])
    return {"user": user, "email": user["primaryEmail"], "role": role_obj, "assignment": assignment}


# ---------------------------------------------------------------------------
# Customers the reseller manages
# ---------------------------------------------------------------------------


def managed_customer(partnerd, svc, admin_dir, *, super_admin: bool = True, subscription: bool = True) -> dict:
    """A customer of the reseller behind ``svc``, ToS accepted, optionally with
    a super admin (so it may be transferred to Google) and a flexible Business
    Starter subscription. Returns {"customer", "admin", "subscription"}."""
    customer = svc.customers().insert(body=domain_customer()).execute()
    partnerd.accept_tos(customer["customerId"])
    admin = None
    if super_admin:
        admin = insert_user(admin_dir, quick_user_body(customer["customerDomain"], "boss"))
        admin_dir.users().makeAdmin(userKey=admin["id"], body={"status": True}).execute()
    sub = None
    if subscription:
        sub = svc.subscriptions().insert(
            customerId=customer["customerId"], body=flexible(BUSINESS_STARTER, 5)
        ).execute()
    return {"customer": customer, "admin": admin, "subscription": sub}


# ---------------------------------------------------------------------------
# Privilege trees
# ---------------------------------------------------------------------------


def flatten_privileges(items, parent: str | None = None, out: dict | None = None) -> dict:
    """{privilegeName: node} over the whole tree; each node gains "_parent"
    (the name of its parent privilege, None at the top)."""
    out = {} if out is None else out
    for node in items:
        name = node.get("privilegeName")
        assert name not in out, f"privilege {name!r} appears twice in the tree"
        out[name] = {**node, "_parent": parent}
        flatten_privileges(node.get("childPrivileges", []), name, out)
    return out


def children_of(flat: dict, name: str) -> set:
    return {n for n, node in flat.items() if node["_parent"] == name}


def descendants_of(flat: dict, name: str) -> set:
    out, todo = set(), [name]
    while todo:
        kids = children_of(flat, todo.pop())
        out |= kids
        todo.extend(kids)
    return out


def effective_privileges(flat: dict, names) -> set:
    """``names`` plus everything below them in the tree."""
    out = set()
    for name in names:
        out |= {name} | descendants_of(flat, name)
    return out


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------


def assert_privilege(node: dict) -> dict:
    assert isinstance(node, dict), node
    assert_no_nulls(node)
    _assert_known_fields(node, "Privilege")
    assert node.get("kind") == "admin#directory#privilege", node
    for field in ("privilegeName", "serviceId", "serviceName"):
        assert isinstance(node.get(field), str) and node[field], f"{field} missing: {node!r}"
    assert isinstance(node.get("isOuScopable"), bool), f"isOuScopable missing: {node!r}"
    children = node.get("childPrivileges", [])
    assert isinstance(children, list), node
    for child in children:
        assert_privilege(child)
    return node


def assert_role(role: dict) -> dict:
    assert isinstance(role, dict), role
    assert_no_nulls(role)
    _assert_known_fields(role, "Role")
    assert role.get("kind") == "admin#directory#role", role
    assert isinstance(role.get("roleId"), str) and INT64_RE.match(role["roleId"]), f"roleId not int64: {role!r}"
    assert isinstance(role.get("roleName"), str) and role["roleName"], role
    assert isinstance(role.get("isSystemRole"), bool), role
    assert isinstance(role.get("isSuperAdminRole"), bool), role
    privs = role.get("rolePrivileges")
    assert isinstance(privs, list) and privs, f"rolePrivileges missing: {role!r}"
    for p in privs:
        assert set(p) == {"privilegeName", "serviceId"}, f"rolePrivileges entry: {p!r}"
        assert isinstance(p["privilegeName"], str) and p["privilegeName"], p
        assert isinstance(p["serviceId"], str) and p["serviceId"], p
    assert isinstance(role.get("etag"), str) and role["etag"], role
    if "roleDescription" in role:
        assert isinstance(role["roleDescription"], str), role
    return role


def privilege_names(role: dict) -> set:
    return {p["privilegeName"] for p in role["rolePrivileges"]}


def assert_assignment(a: dict) -> dict:
    assert isinstance(a, dict), a
    assert_no_nulls(a)
    _assert_known_fields(a, "RoleAssignment")
    assert a.get("kind") == "admin#directory#roleAssignment", a
    assert isinstance(a.get("roleAssignmentId"), str) and INT64_RE.match(a["roleAssignmentId"]), a
    assert isinstance(a.get("roleId"), str) and INT64_RE.match(a["roleId"]), a
    assert isinstance(a.get("assignedTo"), str) and a["assignedTo"], a
    assert a.get("assigneeType") == "user", a
    assert a.get("scopeType") in ("CUSTOMER", "ORG_UNIT"), a
    if a["scopeType"] == "ORG_UNIT":
        assert isinstance(a.get("orgUnitId"), str) and a["orgUnitId"], f"ORG_UNIT without orgUnitId: {a!r}"
    else:
        assert "orgUnitId" not in a, f"CUSTOMER-scoped assignment with an orgUnitId: {a!r}"
    return a


# ---------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------


def expect_reseller_refusal(request) -> dict:
    """The Reseller API refuses: 403 insufficientPermissions, Google's message."""
    return assert_http_error(execute_error(request), 403, "insufficientPermissions", message_contains=NOT_AUTHORIZED)


def expect_directory_refusal(request) -> dict:
    """The Directory API refuses: 403 forbidden."""
    return assert_dir_error(execute_error(request), 403, "forbidden")
