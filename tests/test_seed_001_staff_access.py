"""Giving a reseller's staff access to the Customer Care Portal.

The reseller's super admin prepares the staff accounts in the reseller's own
account: an organizational unit for them, the users themselves (each holds a
Cloud Identity Free licence, which the account gives every user), then, for
each user, either the prebuilt Reseller Admin role (every reseller privilege)
or a custom role with just "View Customers" and "Access Customer's Support
Cases". What the staff may then do is decided by those privileges; a reseller
role never opens the reseller's own Admin console. Legacy "Resold Enterprise
Support" holders also reach the portal.

Every test makes its own reseller.
"""

from __future__ import annotations

import json

import google.auth.exceptions
import pytest

CLOUD_IDENTITY_FREE_PRODUCT = "101001"
CLOUD_IDENTITY_FREE_SKU = "1010010001"

from lic_helpers import get_assignment, holders, licensing
from dir_helpers import (
    assert_org_unit,
    assert_user,
    expect_error,
    insert_ou,
    insert_user,
    list_users,
    quick_user_body,
    user_body,
)
from helpers import assert_customer_shape, domain_customer, execute_error, refresh_error_code
from role_helpers import (
    ADD,
    EDIT,
    RESELLER_ADMIN_ROLE,
    RESELLER_SERVICE_ID,
    SUPPORT_CASES,
    VIEW,
    assert_role,
    assign,
    create_role,
    directory_as,
    expect_directory_refusal,
    expect_reseller_refusal,
    list_assignments,
    managed_customer,
    new_reseller,
    privilege_names,
    reseller_as,
    roles_by_name,
    system_role_id,
)
from sub_helpers import BUSINESS_STARTER, VAULT, assert_subscription, flexible, get_sub, list_all

STAFF_OU = "Reseller staff"


@pytest.fixture
def rsl(partnerd):
    return new_reseller(partnerd, "ccp")


@pytest.fixture
def admin_dir(partnerd, rsl):
    return directory_as(partnerd, rsl)


@pytest.fixture
def admin_svc(partnerd, rsl):
    return reseller_as(partnerd, rsl)


def setup_staff(admin_dir, rsl) -> dict:
    """The super admin's part: OU, two staff users in it, the custom role,
    and the two assignments."""
    ou = assert_org_unit(insert_ou(admin_dir, "my_customer", STAFF_OU, description="Customer Care Portal users"))
    assert ou["orgUnitPath"] == "/" + STAFF_OU
    agent = insert_user(admin_dir, user_body(rsl["domain"], "agent", given="Sam", family="Agent",
                                             orgUnitPath="/" + STAFF_OU))
    lead = insert_user(admin_dir, user_body(rsl["domain"], "lead", given="Lee", family="Lead",
                                            orgUnitPath="/" + STAFF_OU))
    for user in (agent, lead):
        assert_user(user, customer_id=rsl["customerId"])
        assert user["orgUnitPath"] == "/" + STAFF_OU
        assert user["isAdmin"] is False

    role = assert_role(admin_dir.roles().insert(customer="my_customer", body={
        "roleName": "Support agent",
        "roleDescription": "Customer Care Portal: view customers and their support cases",
        "rolePrivileges": [
            {"privilegeName": VIEW, "serviceId": RESELLER_SERVICE_ID},
            {"privilegeName": SUPPORT_CASES, "serviceId": RESELLER_SERVICE_ID},
        ],
    }).execute())
    assert privilege_names(role) == {VIEW, SUPPORT_CASES}
    agent_ra = assign(admin_dir, role["roleId"], agent["id"])
    lead_ra = assign(admin_dir, system_role_id(admin_dir, RESELLER_ADMIN_ROLE), lead["id"])
    return {"ou": ou, "agent": agent, "lead": lead, "role": role, "agent_ra": agent_ra, "lead_ra": lead_ra}


def test_staff_access_to_the_customer_care_portal(partnerd, rsl, admin_dir, admin_svc):
    # An existing customer of the reseller, with a subscription.
    existing = managed_customer(partnerd, admin_svc, admin_dir)
    cust, sub = existing["customer"], existing["subscription"]
    cid = cust["customerId"]

    staff = setup_staff(admin_dir, rsl)
    agent, lead = staff["agent"], staff["lead"]

    # The staff OU holds exactly the two staff users.
    in_ou = [u for u in list_users(admin_dir, customer="my_customer") if u["orgUnitPath"] == "/" + STAFF_OU]
    assert sorted(u["primaryEmail"] for u in in_ou) == sorted([agent["primaryEmail"], lead["primaryEmail"]])
    assigned = {(a["assignedTo"], a["roleId"]) for a in list_assignments(admin_dir)}
    assert (agent["id"], staff["role"]["roleId"]) in assigned
    assert (lead["id"], staff["lead_ra"]["roleId"]) in assigned

    # Both staff accounts hold a Cloud Identity Free licence of the reseller's account.
    lic = licensing(partnerd, rsl)
    for person in (agent, lead):
        held = get_assignment(lic, CLOUD_IDENTITY_FREE_SKU, person, product=CLOUD_IDENTITY_FREE_PRODUCT)
        assert held["userId"] == person["primaryEmail"]
        assert held["skuName"] == "Cloud Identity"
    ci_holders = holders(lic, CLOUD_IDENTITY_FREE_PRODUCT, rsl["customerId"])
    assert {agent["primaryEmail"], lead["primaryEmail"]} <= set(ci_holders), ci_holders

    # --- The support agent (View Customers + Access Customer's Support Cases).
    agent_svc = reseller_as(partnerd, rsl, agent["primaryEmail"])
    agent_dir = directory_as(partnerd, rsl, agent["primaryEmail"])
    seen = agent_svc.customers().get(customerId=cid).execute()
    assert_customer_shape(seen)
    assert seen == admin_svc.customers().get(customerId=cid).execute(), "the agent's view is not the full view"
    assert "postalAddress" in seen and "alternateEmail" in seen, seen
    listed = list_all(agent_svc, customerId=cid)
    assert [s["subscriptionId"] for s in listed] == [sub["subscriptionId"]]
    assert_subscription(get_sub(agent_svc, sub))

    expect_reseller_refusal(agent_svc.customers().insert(body=domain_customer()))
    expect_reseller_refusal(agent_svc.subscriptions().insert(customerId=cid, body=flexible(VAULT, 5)))
    expect_reseller_refusal(agent_svc.customers().patch(customerId=cid, body={"phoneNumber": "+1 650-000-0000"}))
    expect_directory_refusal(agent_dir.users().list(customer=cid))
    expect_directory_refusal(agent_dir.users().list(customer="my_customer"))
    # Nothing happened behind the refusals.
    assert [s["skuId"] for s in list_all(admin_svc, customerId=cid)] == [BUSINESS_STARTER]
    assert admin_svc.customers().get(customerId=cid).execute() == seen

    # --- The Reseller Admin.
    lead_svc = reseller_as(partnerd, rsl, lead["primaryEmail"])
    lead_dir = directory_as(partnerd, rsl, lead["primaryEmail"])
    new = lead_svc.customers().insert(body=domain_customer()).execute()
    assert admin_svc.customers().get(customerId=new["customerId"]).execute()["customerDomain"] == new["customerDomain"]
    partnerd.accept_tos(new["customerId"])
    new_sub = assert_subscription(lead_svc.subscriptions().insert(
        customerId=new["customerId"], body=flexible(BUSINESS_STARTER, 3)).execute())
    assert get_sub(admin_svc, new_sub)["subscriptionId"] == new_sub["subscriptionId"]
    # Reseller Admin includes "Access Customers' Admin console and SDK".
    page = lead_dir.users().list(customer=cid).execute()
    assert existing["admin"]["primaryEmail"] in {u["primaryEmail"] for u in page.get("users", [])}
    lead_dir.users().list(customer=new["customerId"]).execute()
    # ... but not the reseller's own Admin console.
    expect_directory_refusal(lead_dir.users().list(customer="my_customer"))
    expect_directory_refusal(lead_dir.orgunits().list(customerId="my_customer"))
    expect_directory_refusal(lead_dir.roles().list(customer="my_customer"))

    # --- Taking the agent's role away ends its access.
    admin_dir.roleAssignments().delete(
        customer="my_customer", roleAssignmentId=staff["agent_ra"]["roleAssignmentId"]).execute()
    expect_reseller_refusal(agent_svc.customers().get(customerId=cid))
    expect_reseller_refusal(agent_svc.subscriptions().list(customerId=cid))
    # The Reseller Admin is unaffected.
    assert lead_svc.customers().get(customerId=cid).execute() == seen


def test_a_fresh_staff_user_has_no_access_until_a_role_is_assigned(partnerd, rsl, admin_dir, admin_svc):
    cid = managed_customer(partnerd, admin_svc, admin_dir, super_admin=False, subscription=False)[
        "customer"]["customerId"]
    insert_ou(admin_dir, "my_customer", STAFF_OU)
    user = insert_user(admin_dir, quick_user_body(rsl["domain"], "newcomer", orgUnitPath="/" + STAFF_OU))
    svc = reseller_as(partnerd, rsl, user["primaryEmail"])
    expect_reseller_refusal(svc.customers().get(customerId=cid))
    expect_reseller_refusal(svc.subscriptions().list())
    role = create_role(admin_dir, [VIEW, SUPPORT_CASES], name="Support agent")
    assign(admin_dir, role["roleId"], user["id"])
    assert svc.customers().get(customerId=cid).execute()["customerId"] == cid


def test_support_agent_sees_only_what_its_own_reseller_would(partnerd, rsl, admin_dir):
    """The portal only shows customers of the reseller domain the user signed
    in with: another reseller's customer looks to the agent exactly as it
    looks to its own reseller's admin (the minimal view)."""
    staff = setup_staff(admin_dir, rsl)
    other = new_reseller(partnerd, "ccp")
    theirs = reseller_as(partnerd, other).customers().insert(body=domain_customer()).execute()

    agent_svc = reseller_as(partnerd, rsl, staff["agent"]["primaryEmail"])
    as_agent = agent_svc.customers().get(customerId=theirs["customerId"]).execute()
    as_admin = reseller_as(partnerd, rsl).customers().get(customerId=theirs["customerId"]).execute()
    assert as_agent == as_admin
    assert set(as_agent) - {"kind"} == {"customerId", "customerDomain", "customerType"}, as_agent
    # Its subscriptions are refused to the agent just as to the admin.
    as_agent_err = execute_error(agent_svc.subscriptions().list(customerId=theirs["customerId"]))
    as_admin_err = execute_error(reseller_as(partnerd, rsl).subscriptions().list(customerId=theirs["customerId"]))
    assert as_admin_err.resp.status == 403, as_admin_err
    assert (as_agent_err.resp.status, json.loads(as_agent_err.content)) == (
        as_admin_err.resp.status, json.loads(as_admin_err.content))


def test_legacy_resold_enterprise_support_role_reaches_the_portal(partnerd, rsl, admin_dir, admin_svc):
    roles = roles_by_name(admin_dir)
    legacy = roles["_RESOLD_ENTERPRISE_SUPPORT_ROLE"]
    assert legacy["isSystemRole"] is True
    assert {VIEW, SUPPORT_CASES} <= privilege_names(legacy)
    assert not {ADD, EDIT} & privilege_names(legacy)

    cid = managed_customer(partnerd, admin_svc, admin_dir, super_admin=False)["customer"]["customerId"]
    user = insert_user(admin_dir, quick_user_body(rsl["domain"], "legacy"))
    assign(admin_dir, legacy["roleId"], user["id"])
    svc = reseller_as(partnerd, rsl, user["primaryEmail"])
    assert svc.customers().get(customerId=cid).execute()["customerId"] == cid
    expect_reseller_refusal(svc.customers().insert(body=domain_customer()))


def test_staff_of_one_reseller_domain_cannot_be_used_by_another(partnerd, rsl, admin_dir):
    """A staff account belongs to one reseller domain: another reseller's key
    cannot impersonate it, and it cannot be given a role there."""
    staff = setup_staff(admin_dir, rsl)
    other = new_reseller(partnerd, "ccp")
    with pytest.raises(google.auth.exceptions.RefreshError) as info:
        partnerd.access_token(other, subject=staff["lead"]["primaryEmail"])
    assert refresh_error_code(info.value) == "invalid_grant", info.value.args
    other_dir = directory_as(partnerd, other)
    expect_error(other_dir.roleAssignments().insert(customer="my_customer", body={
        "roleId": system_role_id(other_dir, RESELLER_ADMIN_ROLE), "assignedTo": staff["lead"]["id"], "scopeType": "CUSTOMER"}), 400, "invalid")
