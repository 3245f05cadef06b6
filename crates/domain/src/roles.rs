//! Admin roles and privileges: the privilege tree, prebuilt roles, custom roles, role
//! assignments, and what a user may do as a result. Read from `data/privileges.tsv` and
//! `data/roles.tsv`.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::error::RuleError;
use crate::user::User;

const PRIVILEGES: &str = include_str!("../data/privileges.tsv");
const ROLES: &str = include_str!("../data/roles.tsv");

/// Accounts may hold at most this many custom roles (Google's limit).
pub const CUSTOM_ROLES_MAX: usize = 750;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privilege {
    pub name: &'static str,
    pub parent: Option<&'static str>,
    pub service_id: &'static str,
    pub service_name: &'static str,
    pub ou_scopable: bool,
}

fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

static TREE: LazyLock<Vec<Privilege>> = LazyLock::new(|| {
    rows(PRIVILEGES)
        .filter(|c| c.len() == 5)
        .map(|c| Privilege {
            name: c[0],
            parent: Some(c[1]).filter(|p| !p.is_empty()),
            service_id: c[2],
            service_name: c[3],
            ou_scopable: c[4] == "yes",
        })
        .collect()
});

pub fn tree() -> &'static [Privilege] {
    &TREE
}

pub fn privilege(name: &str) -> Option<&'static Privilege> {
    TREE.iter().find(|p| p.name == name)
}

/// The privileges `granted` gives, with every descendant of each.
pub fn closure<'a>(granted: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = granted.into_iter().map(str::to_string).collect();
    loop {
        let before = set.len();
        for p in TREE.iter() {
            if p.parent.is_some_and(|parent| set.contains(parent)) {
                set.insert(p.name.to_string());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    /// Numeric string.
    pub id: String,
    /// `None` for prebuilt roles, which every account shares.
    pub account_id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub privileges: Vec<String>,
    pub is_super_admin: bool,
    pub created_at: Millis,
    pub version: i64,
}

impl Role {
    pub fn is_system(&self) -> bool {
        self.account_id.is_none()
    }
}

static SYSTEM: LazyLock<Vec<Role>> = LazyLock::new(|| {
    rows(ROLES)
        .filter(|c| c.len() == 5)
        .map(|c| Role {
            id: c[0].to_string(),
            account_id: None,
            name: c[1].to_string(),
            description: Some(c[2].to_string()),
            privileges: c[4].split(',').map(str::to_string).collect(),
            is_super_admin: c[3] == "yes",
            created_at: 0,
            version: 1,
        })
        .collect()
});

pub fn system_roles() -> &'static [Role] {
    &SYSTEM
}

/// Checks a custom role's name and privileges.
pub fn check_role(name: Option<&str>, privileges: &[String]) -> Result<String, RuleError> {
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| RuleError::required("roleName"))?;
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(RuleError::invalid("roleName", "at most 100 characters"));
    }
    if name.starts_with('_') {
        return Err(RuleError::invalid(
            "roleName",
            "names starting with '_' are reserved for prebuilt roles",
        ));
    }
    if privileges.is_empty() {
        return Err(RuleError::required("rolePrivileges"));
    }
    if let Some(unknown) = privileges.iter().find(|p| privilege(p).is_none()) {
        return Err(RuleError::invalid(
            "rolePrivileges.privilegeName",
            format!("'{unknown}' is not a privilege"),
        ));
    }
    if privileges.iter().any(|p| p == "SUPER_ADMIN") {
        return Err(RuleError::invalid(
            "rolePrivileges.privilegeName",
            "SUPER_ADMIN cannot be given by a custom role",
        ));
    }
    Ok(name.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScopeType {
    Customer,
    OrgUnit,
}

impl ScopeType {
    pub fn parse(value: Option<&str>) -> Result<ScopeType, RuleError> {
        match value.map(str::trim) {
            None | Some("") => Err(RuleError::required("scopeType")),
            Some("CUSTOMER") => Ok(ScopeType::Customer),
            Some("ORG_UNIT") => Ok(ScopeType::OrgUnit),
            Some(other) => Err(RuleError::invalid(
                "scopeType",
                format!("'{other}' is not one of CUSTOMER, ORG_UNIT"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ScopeType::Customer => "CUSTOMER",
            ScopeType::OrgUnit => "ORG_UNIT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    pub id: String,
    pub account_id: String,
    pub role_id: String,
    /// The user's id.
    pub assigned_to: String,
    pub scope_type: ScopeType,
    pub org_unit_id: Option<String>,
    pub created_at: Millis,
}

/// What a user may do: the closure of the privileges of every role it holds. A super
/// admin holds them all. (An ORG_UNIT-scoped assignment counts for the whole account:
/// partnerd does not yet limit users to units.)
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Privileges(BTreeSet<String>);

impl Privileges {
    pub fn of(user: &User, custom_roles: &[Role], assignments: &[RoleAssignment]) -> Privileges {
        if user.is_super_admin {
            return Privileges(tree().iter().map(|p| p.name.to_string()).collect());
        }
        let mut granted: Vec<&str> = Vec::new();
        for a in assignments.iter().filter(|a| a.assigned_to == user.id) {
            let role = system_roles()
                .iter()
                .chain(custom_roles)
                .find(|r| r.id == a.role_id);
            if let Some(role) = role {
                if role.is_super_admin {
                    return Privileges(tree().iter().map(|p| p.name.to_string()).collect());
                }
                granted.extend(role.privileges.iter().map(String::as_str));
            }
        }
        Privileges(closure(granted))
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    pub fn has_any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.has(n))
    }

    /// Whether any privilege is an administrator's (of the Admin console or the Admin
    /// APIs), as opposed to reseller or support privileges only.
    pub fn is_administrator(&self) -> bool {
        self.0
            .iter()
            .any(|name| privilege(name).is_some_and(|p| p.service_name.starts_with("admin")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, super_admin: bool) -> User {
        User::sample(id, super_admin)
    }

    fn assign(user: &str, role: &str) -> RoleAssignment {
        RoleAssignment {
            id: "1".into(),
            account_id: "C0r".into(),
            role_id: role.into(),
            assigned_to: user.into(),
            scope_type: ScopeType::Customer,
            org_unit_id: None,
            created_at: 0,
        }
    }

    #[test]
    fn tables_load_and_roles_name_real_privileges() {
        assert!(tree().len() > 20);
        for p in tree() {
            if let Some(parent) = p.parent {
                assert!(privilege(parent).is_some(), "{}", p.name);
            }
        }
        assert_eq!(system_roles().len(), 9);
        for r in system_roles() {
            for p in &r.privileges {
                assert!(privilege(p).is_some(), "{} names {p}", r.name);
            }
        }
    }

    #[test]
    fn parents_grant_children() {
        let set = closure(["RESELLER_CUSTOMERS"]);
        assert!(set.contains("RESELLER_VIEW_CUSTOMERS"));
        assert!(set.contains("RESELLER_ADD_CUSTOMERS"));
        assert!(!set.contains("RESELLER_BILLING"));
    }

    #[test]
    fn effective_privileges() {
        let admin = user("1", true);
        assert!(Privileges::of(&admin, &[], &[]).has("RESELLER_ADD_CUSTOMERS"));
        let staff = user("2", false);
        assert!(!Privileges::of(&staff, &[], &[]).has("RESELLER_VIEW_CUSTOMERS"));
        let reseller_admin = system_roles()
            .iter()
            .find(|r| r.name == "_RESELLER_ADMIN_ROLE")
            .expect("role");
        let p = Privileges::of(&staff, &[], &[assign("2", &reseller_admin.id)]);
        assert!(p.has("RESELLER_TRANSFER_CUSTOMERS") && !p.has("USERS_ALL"));
        let custom = Role {
            id: "77".into(),
            account_id: Some("C0r".into()),
            name: "Support staff".into(),
            description: None,
            privileges: vec![
                "RESELLER_VIEW_CUSTOMERS".into(),
                "RESELLER_ACCESS_SUPPORT_CASES".into(),
            ],
            is_super_admin: false,
            created_at: 0,
            version: 1,
        };
        let p = Privileges::of(&staff, std::slice::from_ref(&custom), &[assign("2", "77")]);
        assert!(p.has("RESELLER_VIEW_CUSTOMERS") && !p.has("RESELLER_ADD_CUSTOMERS"));
        let seed = system_roles()
            .iter()
            .find(|r| r.is_super_admin)
            .expect("seed");
        assert!(Privileges::of(&staff, &[], &[assign("2", &seed.id)]).has("USERS_ALL"));
    }

    #[test]
    fn custom_role_rules() {
        assert!(check_role(Some("Staff"), &["RESELLER_VIEW_CUSTOMERS".into()]).is_ok());
        assert_eq!(
            check_role(None, &[]).map_err(|e| e.field),
            Err("roleName".into())
        );
        assert_eq!(
            check_role(Some("x"), &[]).map_err(|e| e.field),
            Err("rolePrivileges".into())
        );
        assert!(check_role(Some("x"), &["NOPE".into()]).is_err());
        assert!(check_role(Some("_X"), &["USERS_ALL".into()]).is_err());
        assert!(check_role(Some("x"), &["SUPER_ADMIN".into()]).is_err());
        assert_eq!(ScopeType::parse(Some("ORG_UNIT")), Ok(ScopeType::OrgUnit));
        assert!(ScopeType::parse(Some("DOMAIN")).is_err());
    }
}
