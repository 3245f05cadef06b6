"""Who may give roles, who may manage whom, and what only a customer decides.

- Nobody grants a role holding privileges they lack, and only super admins give
  (or take back) the super-admin role: an admin with Role Management cannot make
  itself super admin, nor build itself a bigger role.
- Delegated admins manage users who are not administrators; only super admins
  act on admins. Each user privilege allows what it names: Create creates,
  Update renames, Reset Password sets passwords, Suspend suspends, Delete deletes.
- What only a customer's own super admin does (accept the Terms of Service,
  switch its reseller's access, generate a transfer token) is refused to every
  other user, the reseller's staff included, whatever their privileges. The
  control API takes these actions as a given user with ``asUser``.

Every test makes its own reseller; everything goes through Google's Python
client, the control API through ``requests``.
"""

from __future__ import annotations

import json

import pytest

from dir_helpers import expect_error, insert_user, quick_user_body, strong_password
from helpers import domain_customer
from role_helpers import (
    EDIT,
    RESELLER_ADMIN_ROLE,
    RESELLER_TOOLS,
    ROLE_MANAGEMENT,
    SEED_ADMIN_ROLE,
    USERS_ALL,
    USERS_CREATE,
    USERS_UPDATE,
    VIEW,
    add_staff,
    assign,
    create_role,
    directory_as,
    expect_directory_refusal,
    expect_reseller_refusal,
    grant,
    list_assignments,
    new_reseller,
    privilege_refs,
    reseller_as,
    roles_by_name,
    system_role_id,
)
from sub_helpers import BUSINESS_STARTER, flexible, get_sub

USER_MANAGEMENT_ROLE = "_USER_MANAGEMENT_ADMIN_ROLE"
HELP_DESK_ROLE = "_HELP_DESK_ADMIN_ROLE"


@pytest.fixture
def rsl(partnerd):
    return new_reseller(partnerd, "sec")


@pytest.fixture
def admin_dir(partnerd, rsl):
    return directory_as(partnerd, rsl)


def staff_dir(partnerd, rsl, staff):
    return directory_as(partnerd, rsl, staff["email"])


def state_of(admin_dir, user_id: str) -> dict:
    """What a change could have touched, as the super admin reads it."""
    u = admin_dir.users().get(userKey=user_id).execute()
    return {k: u.get(k) for k in ("primaryEmail", "name", "suspended", "isAdmin", "orgUnitPath")}


# ---------------------------------------------------------------------------
# 1. Role management does not lead to super admin
# ---------------------------------------------------------------------------


def test_role_manager_cannot_assign_itself_the_super_admin_role(partnerd, rsl, admin_dir):
    manager = grant(partnerd, rsl, admin_dir, privileges=[ROLE_MANAGEMENT])
    mdir = staff_dir(partnerd, rsl, manager)
    seed = system_role_id(mdir, SEED_ADMIN_ROLE)

    expect_directory_refusal(mdir.roleAssignments().insert(customer="my_customer", body={
        "roleId": seed, "assignedTo": manager["user"]["id"], "scopeType": "CUSTOMER"}))
    assert not [a for a in list_assignments(admin_dir, userKey=manager["user"]["id"]) if a["roleId"] == seed]
    # So makeAdmin stays closed, and so does the Reseller API.
    expect_directory_refusal(mdir.users().makeAdmin(userKey=manager["user"]["id"], body={"status": True}))
    assert admin_dir.users().get(userKey=manager["user"]["id"]).execute()["isAdmin"] is False
    expect_reseller_refusal(reseller_as(partnerd, rsl, manager["email"]).subscriptions().list())


def test_role_manager_cannot_build_a_role_bigger_than_its_own(partnerd, rsl, admin_dir):
    manager = grant(partnerd, rsl, admin_dir, privileges=[ROLE_MANAGEMENT])
    mdir = staff_dir(partnerd, rsl, manager)
    expect_directory_refusal(mdir.roles().insert(customer="my_customer", body={
        "roleName": "Escalation", "rolePrivileges": privilege_refs(admin_dir, [RESELLER_TOOLS, USERS_ALL])}))
    assert "Escalation" not in roles_by_name(admin_dir)
    # Nor assign a prebuilt role holding privileges it lacks.
    expect_directory_refusal(mdir.roleAssignments().insert(customer="my_customer", body={
        "roleId": system_role_id(mdir, RESELLER_ADMIN_ROLE), "assignedTo": manager["user"]["id"],
        "scopeType": "CUSTOMER"}))
    expect_reseller_refusal(reseller_as(partnerd, rsl, manager["email"]).customers().insert(body=domain_customer()))


def test_role_manager_cannot_enlarge_or_strip_roles_it_does_not_hold(partnerd, rsl, admin_dir):
    manager = grant(partnerd, rsl, admin_dir, privileges=[ROLE_MANAGEMENT, VIEW])
    mdir = staff_dir(partnerd, rsl, manager)
    # Its own role cannot grow.
    expect_directory_refusal(mdir.roles().patch(customer="my_customer", roleId=manager["role"]["roleId"], body={
        "rolePrivileges": privilege_refs(admin_dir, [ROLE_MANAGEMENT, VIEW, EDIT])}))
    # A role the super admin made with more than the manager holds is out of reach.
    bigger = create_role(admin_dir, [USERS_ALL], name="User admins")
    expect_directory_refusal(mdir.roles().patch(customer="my_customer", roleId=bigger["roleId"], body={
        "roleName": "Renamed by manager"}))
    expect_directory_refusal(mdir.roles().delete(customer="my_customer", roleId=bigger["roleId"]))
    assert roles_by_name(admin_dir)["User admins"]["roleId"] == bigger["roleId"]
    # Taking back the super-admin role of somebody is as closed as giving it.
    other_admin = add_staff(admin_dir, rsl)
    seed_ra = assign(admin_dir, system_role_id(admin_dir, SEED_ADMIN_ROLE), other_admin["id"])
    expect_directory_refusal(mdir.roleAssignments().delete(customer="my_customer",
                                                           roleAssignmentId=seed_ra["roleAssignmentId"]))
    assert seed_ra in list_assignments(admin_dir, userKey=other_admin["id"])


def test_role_manager_grants_what_it_holds(partnerd, rsl, admin_dir):
    manager = grant(partnerd, rsl, admin_dir, privileges=[ROLE_MANAGEMENT, VIEW])
    mdir = staff_dir(partnerd, rsl, manager)
    viewers = create_role(mdir, [VIEW], name="Viewers")
    target = add_staff(admin_dir, rsl)
    ra = assign(mdir, viewers["roleId"], target["id"])
    assert ra in list_assignments(admin_dir, userKey=target["id"])
    reseller_as(partnerd, rsl, target["primaryEmail"]).customers().get(
        customerId=reseller_as(partnerd, rsl).customers().insert(body=domain_customer()).execute()["customerId"]
    ).execute()
    mdir.roleAssignments().delete(customer="my_customer", roleAssignmentId=ra["roleAssignmentId"]).execute()
    assert ra not in list_assignments(admin_dir, userKey=target["id"])


def test_super_admin_still_gives_the_super_admin_role(partnerd, rsl, admin_dir):
    staff = grant(partnerd, rsl, admin_dir, role=SEED_ADMIN_ROLE)
    sdir = staff_dir(partnerd, rsl, staff)
    # A super admin made by the role may in turn make super admins.
    other = add_staff(admin_dir, rsl)
    assign(sdir, system_role_id(sdir, SEED_ADMIN_ROLE), other["id"])
    sdir.users().makeAdmin(userKey=other["id"], body={"status": True}).execute()
    assert admin_dir.users().get(userKey=other["id"]).execute()["isAdmin"] is True


# ---------------------------------------------------------------------------
# 2. Delegated admins do not take over administrators
# ---------------------------------------------------------------------------


def test_user_management_admin_cannot_touch_a_super_admin(partnerd, rsl, admin_dir):
    admin_id = admin_dir.users().get(userKey=rsl["adminEmail"]).execute()["id"]
    before = state_of(admin_dir, admin_id)
    helper = grant(partnerd, rsl, admin_dir, role=USER_MANAGEMENT_ROLE)
    hdir = staff_dir(partnerd, rsl, helper)

    expect_directory_refusal(hdir.users().patch(userKey=rsl["adminEmail"], body={"password": strong_password()}))
    expect_directory_refusal(hdir.users().patch(userKey=rsl["adminEmail"], body={"suspended": True}))
    expect_directory_refusal(hdir.users().patch(userKey=rsl["adminEmail"], body={"name": {"givenName": "Owned"}}))
    expect_directory_refusal(hdir.users().update(userKey=admin_id, body={
        "name": {"givenName": "Owned", "familyName": "Owned"}}))
    expect_directory_refusal(hdir.users().delete(userKey=rsl["adminEmail"]))
    assert state_of(admin_dir, admin_id) == before
    # The super admin's own token still works: nothing was reset or suspended.
    assert directory_as(partnerd, rsl).users().get(userKey=rsl["adminEmail"]).execute()["isAdmin"] is True


def test_user_management_admin_cannot_touch_another_delegated_admin(partnerd, rsl, admin_dir):
    helper = grant(partnerd, rsl, admin_dir, role=USER_MANAGEMENT_ROLE)
    colleague = grant(partnerd, rsl, admin_dir, role=HELP_DESK_ROLE)
    hdir = staff_dir(partnerd, rsl, helper)
    before = state_of(admin_dir, colleague["user"]["id"])
    expect_directory_refusal(hdir.users().patch(userKey=colleague["email"], body={"suspended": True}))
    expect_directory_refusal(hdir.users().delete(userKey=colleague["email"]))
    assert state_of(admin_dir, colleague["user"]["id"]) == before


def test_user_management_admin_manages_plain_users(partnerd, rsl, admin_dir):
    helper = grant(partnerd, rsl, admin_dir, role=USER_MANAGEMENT_ROLE)
    hdir = staff_dir(partnerd, rsl, helper)
    plain = add_staff(admin_dir, rsl)
    hdir.users().patch(userKey=plain["id"], body={"name": {"givenName": "Renamed"}, "suspended": True,
                                                  "password": strong_password()}).execute()
    after = admin_dir.users().get(userKey=plain["id"]).execute()
    assert after["name"]["givenName"] == "Renamed" and after["suspended"] is True
    hdir.users().delete(userKey=plain["id"]).execute()
    expect_error(admin_dir.users().get(userKey=plain["id"]), 404, "notFound")


def test_each_user_privilege_allows_only_what_it_names(partnerd, rsl, admin_dir):
    plain = add_staff(admin_dir, rsl)
    before = state_of(admin_dir, plain["id"])

    creator = staff_dir(partnerd, rsl, grant(partnerd, rsl, admin_dir, privileges=[USERS_CREATE]))
    made = insert_user(creator, quick_user_body(rsl["domain"], "made-by-creator"))
    expect_directory_refusal(creator.users().delete(userKey=plain["id"]))
    expect_directory_refusal(creator.users().patch(userKey=plain["id"], body={"password": strong_password()}))
    expect_directory_refusal(creator.users().patch(userKey=plain["id"], body={"name": {"givenName": "X"}}))

    updater = staff_dir(partnerd, rsl, grant(partnerd, rsl, admin_dir, privileges=[USERS_UPDATE]))
    expect_directory_refusal(updater.users().patch(userKey=plain["id"], body={"suspended": True}))
    expect_directory_refusal(updater.users().patch(userKey=plain["id"], body={"password": strong_password()}))
    expect_directory_refusal(updater.users().delete(userKey=plain["id"]))
    expect_directory_refusal(updater.users().insert(body=quick_user_body(rsl["domain"], "by-updater")))
    assert state_of(admin_dir, plain["id"]) == before
    renamed = updater.users().patch(userKey=plain["id"], body={"name": {"givenName": "Updated"}}).execute()
    assert renamed["name"]["givenName"] == "Updated"

    help_desk = staff_dir(partnerd, rsl, grant(partnerd, rsl, admin_dir, role=HELP_DESK_ROLE))
    help_desk.users().patch(userKey=made["id"], body={"password": strong_password(),
                                                      "changePasswordAtNextLogin": True}).execute()
    assert admin_dir.users().get(userKey=made["id"]).execute()["changePasswordAtNextLogin"] is True
    expect_directory_refusal(help_desk.users().patch(userKey=made["id"], body={"name": {"givenName": "No"}}))
    expect_directory_refusal(help_desk.users().delete(userKey=made["id"]))

    # Deleting is User Management's; restoring a deleted user is the super admin's alone.
    users_admin = staff_dir(partnerd, rsl, grant(partnerd, rsl, admin_dir, role=USER_MANAGEMENT_ROLE))
    users_admin.users().delete(userKey=made["id"]).execute()
    expect_directory_refusal(users_admin.users().undelete(userKey=made["id"], body={}))
    admin_dir.users().undelete(userKey=made["id"], body={}).execute()
    assert admin_dir.users().get(userKey=made["id"]).execute()["primaryEmail"] == made["primaryEmail"]


# ---------------------------------------------------------------------------
# 3. What only the customer's own super admin does
# ---------------------------------------------------------------------------


def customer_with_admin(partnerd, rsl, admin_dir):
    """A customer of ``rsl`` whose ToS nobody accepted yet, with a super admin
    (made by the reseller, as seed 004 does), a plain user and a subscription."""
    svc = reseller_as(partnerd, rsl)
    customer = svc.customers().insert(body=domain_customer()).execute()
    boss = insert_user(admin_dir, quick_user_body(customer["customerDomain"], "boss"))
    admin_dir.users().makeAdmin(userKey=boss["id"], body={"status": True}).execute()
    clerk = insert_user(admin_dir, quick_user_body(customer["customerDomain"], "clerk"))
    sub = svc.subscriptions().insert(customerId=customer["customerId"], body=flexible(BUSINESS_STARTER, 3)).execute()
    return {"svc": svc, "customer": customer, "boss": boss, "clerk": clerk, "sub": sub}


def owner_action(partnerd, customer_id: str, verb: str, body: dict):
    return partnerd.control("POST", f"customers/{customer_id}:{verb}", json=body)


def assert_refused(r, action_words: str):
    assert r.status_code == 403, f"HTTP {r.status_code}: {r.text}"
    err = r.json()["error"]
    assert err["code"] == 403 and err["errors"][0]["reason"] == "forbidden", err
    assert action_words in err["message"], err


@pytest.mark.parametrize("who", ["reseller-super-admin", "reseller-admin-role", "customer-user"])
def test_only_the_customers_own_super_admin_takes_owner_actions(partnerd, rsl, admin_dir, who):
    c = customer_with_admin(partnerd, rsl, admin_dir)
    cid = c["customer"]["customerId"]
    if who == "reseller-super-admin":
        email = rsl["adminEmail"]
    elif who == "reseller-admin-role":
        email = grant(partnerd, rsl, admin_dir, role=RESELLER_ADMIN_ROLE)["email"]
    else:
        email = c["clerk"]["primaryEmail"]

    assert_refused(owner_action(partnerd, cid, "acceptTos", {"asUser": email}), "Terms of Service")
    assert_refused(owner_action(partnerd, cid, "setResellerAccess", {"enabled": False, "asUser": email}),
                   "access")
    other = new_reseller(partnerd, "dest")
    assert_refused(owner_action(partnerd, cid, "transferToken",
                                {"resellerPublicId": other["publicId"], "asUser": email}), "transfer token")
    # Nothing happened behind the refusals.
    sub = get_sub(c["svc"], c["sub"])
    assert sub["status"] == "SUSPENDED" and "PENDING_TOS_ACCEPTANCE" in sub.get("suspensionReasons", []), sub
    c["svc"].customers().get(customerId=cid).execute()
    directory_as(partnerd, rsl).users().get(userKey=c["clerk"]["id"]).execute()  # reseller access still on


def test_the_customers_super_admin_accepts_and_is_recorded(partnerd, rsl, admin_dir):
    c = customer_with_admin(partnerd, rsl, admin_dir)
    cid = c["customer"]["customerId"]
    boss = c["boss"]["primaryEmail"]
    r = owner_action(partnerd, cid, "acceptTos", {"asUser": boss})
    assert r.status_code == 200, r.text
    assert get_sub(c["svc"], c["sub"])["status"] == "ACTIVE"
    other = new_reseller(partnerd, "dest")
    r = owner_action(partnerd, cid, "transferToken", {"resellerPublicId": other["publicId"], "asUser": boss})
    assert r.status_code == 200, r.text
    r = owner_action(partnerd, cid, "setResellerAccess", {"enabled": False, "asUser": boss})
    assert r.status_code == 200, r.text
    expect_error(directory_as(partnerd, rsl).users().get(userKey=c["clerk"]["id"]), 403, "domainCannotUseApis")
    # The event log names the user who acted.
    events = [e for e in partnerd.events(rsl["domain"]) if e.get("resourceId") == cid]
    actions = {e["action"]: e for e in events}
    for action in ("customer.acceptTos", "customer.transferToken", "customer.setResellerAccess"):
        assert action in actions, json.dumps(events)[:2000]
        assert actions[action]["actor"] == boss, actions[action]


def test_owner_actions_name_an_existing_user(partnerd, rsl, admin_dir):
    c = customer_with_admin(partnerd, rsl, admin_dir)
    r = owner_action(partnerd, c["customer"]["customerId"], "acceptTos", {"asUser": "nobody@nowhere.example"})
    assert r.status_code == 400, r.text
    assert "asUser" in r.json()["error"]["message"]
