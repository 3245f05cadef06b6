//! Who may do what to whom. Roles say what a user may do; these rules keep delegated
//! administrators below the super admins who made them, and keep a customer's own
//! decisions (its Terms of Service, its reseller's access, its move to another reseller)
//! with the customer's own super admin.

use crate::roles::{Privileges, Role, RoleAssignment, closure};
use crate::user::User;

/// The privilege only super admins hold (no custom role can carry it).
pub const SUPER_ADMIN: &str = "SUPER_ADMIN";

/// What only an account's own super admin may do: never a delegated admin, never the
/// staff of its reseller, whatever reseller privileges they hold (seed 004: the reseller
/// never signs the Terms of Service for its customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerAction {
    AcceptTermsOfService,
    SetResellerAccess,
    GenerateTransferToken,
    GivePurchaseConsent,
}

impl OwnerAction {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerAction::AcceptTermsOfService => "accept the Terms of Service",
            OwnerAction::SetResellerAccess => "change the reseller's access",
            OwnerAction::GenerateTransferToken => "generate a transfer token",
            OwnerAction::GivePurchaseConsent => "give purchase consent",
        }
    }
}

impl Privileges {
    pub fn is_super_admin(&self) -> bool {
        self.has(SUPER_ADMIN)
    }

    /// Whether the holder has every privilege `names` grant, descendants included.
    pub fn holds_all<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> bool {
        closure(names).iter().all(|p| self.has(p))
    }
}

/// Whether `actor` may define a role made of `privileges` (create it, or edit a role
/// into it): nobody hands out what they do not hold.
pub fn may_define(actor: &Privileges, privileges: &[String]) -> bool {
    actor.is_super_admin() || actor.holds_all(privileges.iter().map(String::as_str))
}

/// Whether `actor` may assign `role` to someone, revoke it, edit it or delete it. The
/// super-admin role is only ever given or taken by a super admin.
pub fn may_grant(actor: &Privileges, role: &Role) -> bool {
    if actor.is_super_admin() {
        return true;
    }
    !role.is_super_admin && may_define(actor, &role.privileges)
}

/// Whether `user` is an administrator: a super admin, or the holder of any admin role.
pub fn is_administrator(user: &User, assignments: &[RoleAssignment]) -> bool {
    user.is_super_admin || assignments.iter().any(|a| a.assigned_to == user.id)
}

/// Whether `actor` may act on a user of its own account: delegated admins manage only
/// users who are not administrators; super admins manage everyone.
pub fn may_manage_user(actor: &Privileges, target_is_administrator: bool) -> bool {
    actor.is_super_admin() || !target_is_administrator
}

pub const USERS_CREATE: &str = "USERS_CREATE";
pub const USERS_UPDATE: &str = "USERS_UPDATE";
pub const USERS_MOVE: &str = "USERS_MOVE";
pub const USERS_RESET_PASSWORD: &str = "USERS_RESET_PASSWORD";
pub const USERS_FORCE_PASSWORD_CHANGE: &str = "USERS_FORCE_PASSWORD_CHANGE";
pub const USERS_SUSPEND: &str = "USERS_SUSPEND";
pub const USERS_DELETE: &str = "USERS_DELETE";

/// Every privilege that lets a delegated admin change an existing user in some way.
pub const USER_CHANGE_PRIVILEGES: &[&str] = &[
    USERS_UPDATE,
    USERS_MOVE,
    USERS_RESET_PASSWORD,
    USERS_FORCE_PASSWORD_CHANGE,
    USERS_SUSPEND,
    USERS_DELETE,
];

/// The privileges changing `before` into `after` asks for, each named for what it does:
/// renaming needs Update, moving Move, a new password Reset Password, and so on. A change
/// that changes nothing still needs Update (it is a write).
pub fn user_change_privileges(before: &User, after: &User) -> Vec<&'static str> {
    let mut needs = Vec::new();
    // Each condition names a different privilege, so none is listed twice.
    let mut need = |p: &'static str| needs.push(p);
    if before.primary_email != after.primary_email
        || before.given_name != after.given_name
        || before.family_name != after.family_name
        || before.language != after.language
    {
        need(USERS_UPDATE);
    }
    if before.org_unit_id != after.org_unit_id {
        need(USERS_MOVE);
    }
    if before.password_hash != after.password_hash {
        need(USERS_RESET_PASSWORD);
    }
    if before.change_password_at_next_login != after.change_password_at_next_login {
        need(USERS_FORCE_PASSWORD_CHANGE);
    }
    if before.suspended != after.suspended {
        need(USERS_SUSPEND);
    }
    match (before.deleted_at.is_some(), after.deleted_at.is_some()) {
        (false, true) => need(USERS_DELETE),
        // Google: only super admins restore deleted users.
        (true, false) => need(SUPER_ADMIN),
        _ => {}
    }
    if before.is_super_admin != after.is_super_admin {
        need(SUPER_ADMIN);
    }
    if needs.is_empty() {
        needs.push(USERS_UPDATE);
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::{ScopeType, system_roles};

    fn user(id: &str, super_admin: bool) -> User {
        User::sample(id, super_admin)
    }

    fn assignment(user: &str, role: &str) -> RoleAssignment {
        RoleAssignment {
            id: format!("a{user}{role}"),
            account_id: "C0r".into(),
            role_id: role.into(),
            assigned_to: user.into(),
            scope_type: ScopeType::Customer,
            org_unit_id: None,
            created_at: 0,
        }
    }

    fn custom(id: &str, privileges: &[&str]) -> Role {
        Role {
            id: id.into(),
            account_id: Some("C0r".into()),
            name: format!("role {id}"),
            description: None,
            privileges: privileges.iter().map(|p| p.to_string()).collect(),
            is_super_admin: false,
            created_at: 0,
            version: 1,
        }
    }

    fn holding(privileges: &[&str]) -> Privileges {
        let staff = user("2", false);
        let role = custom("77", privileges);
        Privileges::of(&staff, &[role], &[assignment("2", "77")])
    }

    fn seed_role() -> &'static Role {
        system_roles()
            .iter()
            .find(|r| r.is_super_admin)
            .expect("the super-admin role")
    }

    #[test]
    fn only_super_admins_grant_the_super_admin_role() {
        let manager = holding(&["ROLE_MANAGEMENT"]);
        assert!(!may_grant(&manager, seed_role()));
        // Even a holder of every privilege a custom role can carry.
        let everything = holding(&["ADMIN_APIS_ALL", "RESELLER_TOOLS", "SUPPORT"]);
        assert!(!may_grant(&everything, seed_role()));
        let admin = Privileges::of(&user("1", true), &[], &[]);
        assert!(may_grant(&admin, seed_role()));
    }

    #[test]
    fn nobody_grants_privileges_they_lack() {
        let manager = holding(&["ROLE_MANAGEMENT", "RESELLER_VIEW_CUSTOMERS"]);
        assert!(may_define(&manager, &["RESELLER_VIEW_CUSTOMERS".into()]));
        assert!(!may_define(&manager, &["RESELLER_TOOLS".into()]));
        assert!(!may_define(&manager, &["USERS_ALL".into()]));
        // A parent grants its children: asking for USERS_ALL asks for all of them.
        let users = holding(&["ROLE_MANAGEMENT", "USERS_ALL"]);
        assert!(may_define(&users, &["USERS_ALL".into()]));
        assert!(may_define(&users, &["USERS_DELETE".into()]));
        assert!(!may_define(&users, &["ADMIN_APIS_ALL".into()]));
        let reseller_admin = system_roles()
            .iter()
            .find(|r| r.name == "_RESELLER_ADMIN_ROLE")
            .expect("role");
        assert!(!may_grant(&manager, reseller_admin));
        assert!(may_grant(&holding(&["RESELLER_TOOLS"]), reseller_admin));
    }

    #[test]
    fn delegated_admins_manage_only_non_administrators() {
        let admin = user("1", true);
        let helper = user("3", false);
        let plain = user("4", false);
        let assignments = [assignment("3", "9170516996784133")];
        assert!(is_administrator(&admin, &assignments));
        assert!(is_administrator(&helper, &assignments));
        assert!(!is_administrator(&plain, &assignments));
        let user_admin = holding(&["USERS_ALL"]);
        assert!(may_manage_user(&user_admin, false));
        assert!(!may_manage_user(&user_admin, true));
        let super_admin = Privileges::of(&admin, &[], &[]);
        assert!(may_manage_user(&super_admin, true));
    }

    #[test]
    fn each_change_asks_for_the_privilege_that_names_it() {
        let before = user("5", false);
        let mut renamed = before.clone();
        renamed.given_name = "C".into();
        assert_eq!(user_change_privileges(&before, &renamed), [USERS_UPDATE]);
        let mut moved = before.clone();
        moved.org_unit_id = Some("id:x".into());
        assert_eq!(user_change_privileges(&before, &moved), [USERS_MOVE]);
        let mut reset = before.clone();
        reset.password_hash = "h2".into();
        reset.change_password_at_next_login = true;
        assert_eq!(
            user_change_privileges(&before, &reset),
            [USERS_RESET_PASSWORD, USERS_FORCE_PASSWORD_CHANGE]
        );
        let mut suspended = before.clone();
        suspended.suspended = true;
        assert_eq!(user_change_privileges(&before, &suspended), [USERS_SUSPEND]);
        let mut deleted = before.clone();
        deleted.deleted_at = Some(1);
        assert_eq!(user_change_privileges(&before, &deleted), [USERS_DELETE]);
        assert_eq!(user_change_privileges(&deleted, &before), [SUPER_ADMIN]);
        let mut promoted = before.clone();
        promoted.is_super_admin = true;
        assert_eq!(user_change_privileges(&before, &promoted), [SUPER_ADMIN]);
        assert_eq!(user_change_privileges(&before, &before), [USERS_UPDATE]);
    }

    #[test]
    fn help_desk_resets_passwords_but_does_not_rename() {
        let help_desk = system_roles()
            .iter()
            .find(|r| r.name == "_HELP_DESK_ADMIN_ROLE")
            .expect("role");
        let staff = user("2", false);
        let p = Privileges::of(&staff, &[], &[assignment("2", &help_desk.id)]);
        assert!(p.has(USERS_RESET_PASSWORD) && !p.has(USERS_UPDATE) && !p.has(USERS_DELETE));
    }
}
