//! What an actor may do: the one place where roles and privileges are turned into allow
//! or refuse, for every operation behind every door. The rules about whom a privilege reaches
//! (other administrators, roles one does not hold, the customer's own decisions) are in
//! `partnerd_domain::authority`; this module reads what they need and applies them.

use std::sync::Arc;

use partnerd_domain::authority::{self, OwnerAction};
use partnerd_domain::customer::Customer;
use partnerd_domain::roles::{Privileges, Role};
use partnerd_domain::user::User;

use crate::{Actor, OpError, Ops};

/// A user's standing, cached briefly: whether it may act at all (not suspended or
/// deleted), and the privileges its roles give it.
#[derive(Debug, Clone, Default)]
pub struct Authority {
    pub active: bool,
    pub privileges: Privileges,
}

/// What a Reseller API method needs.
#[derive(Debug, Clone, Copy)]
pub enum ResellerNeed {
    /// Reads: customers.get, subscriptions.get/list, getwatchdetails.
    View,
    /// Orders: customers.insert, subscriptions.insert (buy, transfer in).
    Add,
    /// Changes: customers.patch/update, subscription changes, notifications settings.
    Edit,
    /// Ending the relationship: delete with transfer_to_direct.
    Transfer,
    /// The Customer Service Portal (support cases of the reseller's customers): "Access
    /// Customer's Support Cases" together with seeing customers (Reseller Admin holds
    /// both), or a legacy support role.
    SupportCases,
}

impl ResellerNeed {
    fn privileges(self) -> &'static [&'static str] {
        match self {
            // Adding and editing customers includes seeing them.
            ResellerNeed::View => &[
                "RESELLER_VIEW_CUSTOMERS",
                "RESELLER_ADD_CUSTOMERS",
                "RESELLER_EDIT_CUSTOMERS",
            ],
            ResellerNeed::Add => &["RESELLER_ADD_CUSTOMERS"],
            ResellerNeed::Edit => &["RESELLER_EDIT_CUSTOMERS"],
            ResellerNeed::Transfer => &["RESELLER_TRANSFER_CUSTOMERS"],
            ResellerNeed::SupportCases => &["RESELLER_ACCESS_SUPPORT_CASES"],
        }
    }

    /// Whether `privileges` meet this need.
    pub fn allowed_by(self, privileges: &Privileges) -> bool {
        match self {
            ResellerNeed::SupportCases => {
                privileges.has("SUPPORT")
                    || (privileges.has_any(self.privileges())
                        && ResellerNeed::View.allowed_by(privileges))
            }
            _ => privileges.has_any(self.privileges()),
        }
    }
}

/// What a Directory (or Licensing) method needs on an account.
#[derive(Debug, Clone, Copy)]
pub enum AdminNeed {
    CustomerRead,
    CustomerWrite,
    UsersRead,
    /// Some way of changing existing users (the exact privilege is judged on the change).
    UsersChange,
    OrgUnitsRead,
    GroupsRead,
    /// The domain-public view of the directory, which every user of an account reads.
    DomainPublic,
    Roles,
    Licenses,
    SuperAdmin,
    /// One privilege, for what it names (`USERS_CREATE` creates, `USERS_DELETE` deletes).
    Privilege(&'static str),
    /// What only the account's own super admin does.
    Owner(OwnerAction),
}

impl AdminNeed {
    fn allowed_by(self, privileges: &Privileges) -> bool {
        let any = |names: &[&str]| privileges.has_any(names);
        match self {
            AdminNeed::CustomerRead => any(&[
                "SUPER_ADMIN",
                "USERS_RETRIEVE",
                "ORGANIZATION_UNITS_RETRIEVE",
            ]),
            AdminNeed::CustomerWrite | AdminNeed::SuperAdmin | AdminNeed::Owner(_) => {
                privileges.is_super_admin()
            }
            AdminNeed::UsersRead => any(&["USERS_RETRIEVE"]),
            AdminNeed::UsersChange => any(authority::USER_CHANGE_PRIVILEGES),
            AdminNeed::OrgUnitsRead => any(&["ORGANIZATION_UNITS_RETRIEVE"]),
            AdminNeed::GroupsRead => any(&["GROUPS_RETRIEVE"]),
            AdminNeed::DomainPublic => true,
            AdminNeed::Roles => any(&["ROLE_MANAGEMENT"]),
            AdminNeed::Licenses => any(&["LICENSE_MANAGEMENT"]),
            AdminNeed::Privilege(name) => privileges.has(name),
        }
    }
}

fn not_authorized() -> OpError {
    OpError::not_administrable()
}

/// The standing of a user, from the cache or computed from its roles.
pub async fn authority_of(ops: &Ops, user_id: &str) -> Result<Arc<Authority>, OpError> {
    if let Some(cached) = ops.standing.get(user_id) {
        return Ok(cached);
    }
    let authority = Arc::new(compute(ops, user_id).await?);
    ops.standing.insert(user_id.to_string(), authority.clone());
    Ok(authority)
}

async fn compute(ops: &Ops, user_id: &str) -> Result<Authority, OpError> {
    let Some(user) = ops.store.user_by_id(user_id).await? else {
        return Ok(Authority::default());
    };
    if user.suspended || user.deleted_at.is_some() {
        return Ok(Authority::default());
    }
    let privileges = if user.is_super_admin {
        Privileges::of(&user, &[], &[])
    } else {
        let roles = ops.store.roles(&user.account_id).await?;
        // The user's own assignments, read by user: this runs on every request.
        let assignments = ops
            .store
            .role_assignments_of(&user.account_id, &user.id)
            .await?;
        Privileges::of(&user, &roles, &assignments)
    };
    Ok(Authority {
        active: true,
        privileges,
    })
}

/// The privileges of whoever acts; a service account acting as itself holds none.
pub async fn of(ops: &Ops, who: &Actor) -> Result<Arc<Authority>, OpError> {
    match who.user_id() {
        Some(user_id) => authority_of(ops, user_id).await,
        None => Ok(Arc::default()),
    }
}

/// Refuses a Reseller API call the user's roles don't allow.
pub async fn reseller(ops: &Ops, who: &Actor, need: ResellerNeed) -> Result<(), OpError> {
    if need.allowed_by(&of(ops, who).await?.privileges) {
        Ok(())
    } else {
        Err(OpError::NotAuthorized)
    }
}

/// Whether the actor reaches `account` as its reseller's staff rather than as one of its
/// own administrators.
fn as_reseller(who: &Actor, account: &Customer) -> bool {
    who.account_id() != Some(account.id.as_str())
}

/// Refuses a Directory or Licensing call on `account`: on a customer the reseller manages
/// it needs "Access Customers' Admin console and SDK" (with View Customers), and never
/// reaches what only the customer's own super admin does; on the actor's own account,
/// the administrator privilege of the method.
pub async fn admin(
    ops: &Ops,
    who: &Actor,
    account: &Customer,
    need: AdminNeed,
) -> Result<(), OpError> {
    let authority = of(ops, who).await?;
    let privileges = &authority.privileges;
    let allowed = if as_reseller(who, account) {
        !matches!(need, AdminNeed::Owner(_))
            && privileges.has("RESELLER_ACCESS_ADMIN_CONSOLE_AND_SDK")
            && ResellerNeed::View.allowed_by(privileges)
    } else {
        need.allowed_by(privileges)
    };
    if allowed {
        Ok(())
    } else {
        Err(not_authorized())
    }
}

/// Refuses acting on `target` (a user of `account`) when the actor is a delegated admin of
/// that account and the target is an administrator: only super admins act on admins. A
/// reseller's staff with access to the customer's Admin console act as its super admin.
pub async fn on_user(
    ops: &Ops,
    who: &Actor,
    account: &Customer,
    target: &User,
) -> Result<(), OpError> {
    if as_reseller(who, account) {
        return Ok(());
    }
    let authority = of(ops, who).await?;
    if authority.privileges.is_super_admin() {
        return Ok(());
    }
    let assignments = ops
        .store
        .role_assignments_of(&account.id, &target.id)
        .await?;
    if authority::may_manage_user(
        &authority.privileges,
        authority::is_administrator(target, &assignments),
    ) {
        Ok(())
    } else {
        Err(not_authorized())
    }
}

/// Refuses a change of a user the actor's privileges don't each allow.
pub async fn user_change(
    ops: &Ops,
    who: &Actor,
    account: &Customer,
    before: &User,
    after: &User,
) -> Result<(), OpError> {
    for need in authority::user_change_privileges(before, after) {
        admin(ops, who, account, AdminNeed::Privilege(need)).await?;
    }
    Ok(())
}

/// Refuses giving, taking back, editing or deleting `role` by someone who could not
/// hold it: nobody hands out privileges they lack, and only super admins touch the
/// super-admin role. A reseller's staff act on a customer's roles as its super admin.
pub async fn role_grant(
    ops: &Ops,
    who: &Actor,
    account: &Customer,
    role: &Role,
) -> Result<(), OpError> {
    if as_reseller(who, account) {
        return Ok(());
    }
    if authority::may_grant(&of(ops, who).await?.privileges, role) {
        Ok(())
    } else {
        Err(not_authorized())
    }
}

/// Refuses defining a role made of `privileges` by someone who lacks one of them.
pub async fn role_definition(
    ops: &Ops,
    who: &Actor,
    account: &Customer,
    privileges: &[String],
) -> Result<(), OpError> {
    if as_reseller(who, account) {
        return Ok(());
    }
    if authority::may_define(&of(ops, who).await?.privileges, privileges) {
        Ok(())
    } else {
        Err(not_authorized())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partnerd_domain::roles::{RoleAssignment, ScopeType, system_roles};

    fn user(id: &str, super_admin: bool) -> User {
        User {
            id: id.into(),
            account_id: "C0r".into(),
            primary_email: format!("{id}@r.example"),
            given_name: "A".into(),
            family_name: "B".into(),
            password_hash: String::new(),
            is_super_admin: super_admin,
            suspended: false,
            created_at: 0,
            org_unit_id: None,
            change_password_at_next_login: false,
            language: "en".into(),
            deleted_at: None,
            version: 1,
        }
    }

    fn holding(role_name: &str) -> Privileges {
        let role = system_roles()
            .iter()
            .find(|r| r.name == role_name)
            .expect("role");
        let a = RoleAssignment {
            id: "1".into(),
            account_id: "C0r".into(),
            role_id: role.id.clone(),
            assigned_to: "2".into(),
            scope_type: ScopeType::Customer,
            org_unit_id: None,
            created_at: 0,
        };
        Privileges::of(&user("2", false), &[], &[a])
    }

    #[test]
    fn owner_actions_need_the_accounts_own_super_admin() {
        let owner = AdminNeed::Owner(OwnerAction::AcceptTermsOfService);
        assert!(owner.allowed_by(&Privileges::of(&user("1", true), &[], &[])));
        assert!(!owner.allowed_by(&holding("_RESELLER_ADMIN_ROLE")));
        assert!(!owner.allowed_by(&holding("_USER_MANAGEMENT_ADMIN_ROLE")));
    }

    #[test]
    fn the_portal_needs_support_cases_with_customers_or_a_legacy_support_role() {
        let portal = ResellerNeed::SupportCases;
        assert!(portal.allowed_by(&holding("_RESELLER_ADMIN_ROLE")));
        assert!(portal.allowed_by(&holding("_RESOLD_ENTERPRISE_SUPPORT_ROLE")));
        assert!(portal.allowed_by(&holding("_ENTERPRISE_SUPPORT_ROLE")));
        assert!(!portal.allowed_by(&holding("_INDIRECT_RESELLER_ADMIN_ROLE")));
        assert!(!portal.allowed_by(&holding("_USER_MANAGEMENT_ADMIN_ROLE")));
        assert!(portal.allowed_by(&Privileges::of(&user("1", true), &[], &[])));
    }

    #[test]
    fn each_reseller_need_names_its_privilege() {
        let indirect = holding("_INDIRECT_RESELLER_ADMIN_ROLE");
        for need in [
            ResellerNeed::View,
            ResellerNeed::Add,
            ResellerNeed::Edit,
            ResellerNeed::Transfer,
        ] {
            assert!(need.allowed_by(&indirect), "{need:?}");
            assert!(
                !need.allowed_by(&holding("_HELP_DESK_ADMIN_ROLE")),
                "{need:?}"
            );
        }
        // Adding includes seeing, but not changing.
        let adder = holding("_INDIRECT_RESELLER_ADMIN_ROLE");
        assert!(ResellerNeed::View.allowed_by(&adder));
    }

    #[test]
    fn users_change_needs_one_of_the_change_privileges() {
        assert!(AdminNeed::UsersChange.allowed_by(&holding("_HELP_DESK_ADMIN_ROLE")));
        assert!(AdminNeed::UsersChange.allowed_by(&holding("_USER_MANAGEMENT_ADMIN_ROLE")));
        assert!(!AdminNeed::UsersChange.allowed_by(&holding("_GROUPS_ADMIN_ROLE")));
        assert!(
            !AdminNeed::Privilege("USERS_DELETE").allowed_by(&holding("_HELP_DESK_ADMIN_ROLE"))
        );
    }
}
