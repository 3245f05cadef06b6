"""The Directory's flags that depend on more than a user's own record, through
google-api-python-client: `isDelegatedAdmin` (the user holds an admin role other than
super admin) and `isMailboxSetup` (the user holds a licence of an edition with Gmail),
as the User resource documents them:
https://developers.google.com/workspace/admin/directory/reference/rest/v1/users
"""

from __future__ import annotations

from dir_helpers import get_user, insert_user, list_users, quick_user_body
from lic_helpers import assign, licensing
from role_helpers import add_staff, assign as assign_role, directory_as, managed_customer, new_reseller, \
    roles_by_name

BUSINESS_STARTER = "1010020027"


def flags(dsvc, user: dict) -> tuple[bool, bool, bool]:
    got = get_user(dsvc, user["id"])
    return got["isAdmin"], got["isDelegatedAdmin"], got["isMailboxSetup"]


def listed_flags(dsvc, domain: str, user: dict) -> tuple[bool, bool, bool]:
    listed = {u["id"]: u for u in list_users(dsvc, domain=domain, maxResults=500)}[user["id"]]
    return listed["isAdmin"], listed["isDelegatedAdmin"], listed["isMailboxSetup"]


def test_an_admin_role_makes_a_delegated_admin_and_super_admin_does_not(partnerd):
    reseller = new_reseller(partnerd, "flags")
    admin = directory_as(partnerd, reseller)
    ana = add_staff(admin, reseller, "ana")
    assert flags(admin, ana) == (False, False, False)
    help_desk = roles_by_name(admin)["_HELP_DESK_ADMIN_ROLE"]
    assignment = assign_role(admin, help_desk["roleId"], ana["id"])
    assert flags(admin, ana)[:2] == (False, True)
    assert listed_flags(admin, reseller["domain"], ana)[:2] == (False, True)
    admin.users().makeAdmin(userKey=ana["id"], body={"status": True}).execute()
    assert flags(admin, ana)[:2] == (True, False), "a super admin is isAdmin, not isDelegatedAdmin"
    admin.users().makeAdmin(userKey=ana["id"], body={"status": False}).execute()
    assert flags(admin, ana)[:2] == (False, True)
    admin.roleAssignments().delete(customer="my_customer", roleAssignmentId=assignment["roleAssignmentId"]).execute()
    assert flags(admin, ana)[:2] == (False, False)


def test_a_licence_with_gmail_sets_the_mailbox_up(partnerd):
    svc = partnerd.service(partnerd.a)
    dsvc = partnerd.directory(partnerd.a)
    made = managed_customer(partnerd, svc, dsvc, super_admin=False)
    domain = made["customer"]["customerDomain"]
    bob = insert_user(dsvc, quick_user_body(domain, "bob"))
    assert bob["isMailboxSetup"] is False, "Cloud Identity Free has no Gmail"
    assign(licensing(partnerd, partnerd.a), BUSINESS_STARTER, bob)
    assert flags(dsvc, bob)[2] is True
    assert listed_flags(dsvc, domain, bob)[2] is True
    licensing(partnerd, partnerd.a).licenseAssignments().delete(
        productId="Google-Apps", skuId=BUSINESS_STARTER, userId=bob["primaryEmail"]).execute()
    assert flags(dsvc, bob)[2] is False
