//! Custom admin roles and the assignments of roles (system or custom) to users.

use partnerd_domain::roles::{Role, RoleAssignment, ScopeType};

use super::split_scopes;
use super::{Statement, checked, write};
use crate::Result;
use crate::rows::{FromRow, Row, Value};

pub const INSERT_ROLE: &str = "INSERT INTO roles (id, account_id, name, description, privileges, created_at, \
     version) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub fn role_params(r: &Role) -> Vec<Value> {
    vec![
        r.id.as_str().into(),
        r.account_id.clone().unwrap_or_default().into(),
        r.name.as_str().into(),
        (&r.description).into(),
        r.privileges.join(" ").into(),
        r.created_at.into(),
        r.version.into(),
    ]
}

pub const UPDATE_ROLE: &str = "UPDATE roles SET name = $1, description = $2, privileges = $3, version = $4 \
     WHERE id = $5 AND version = $6";

pub fn update_role_params(before: &Role, after: &Role) -> Vec<Value> {
    vec![
        after.name.as_str().into(),
        (&after.description).into(),
        after.privileges.join(" ").into(),
        after.version.into(),
        before.id.as_str().into(),
        before.version.into(),
    ]
}

pub const DELETE_ROLE: &str = "DELETE FROM roles WHERE id = $1 AND version = $2";

pub const SELECT_ROLES: &str = "SELECT id, account_id, name, description, privileges, created_at, version \
     FROM roles WHERE account_id = $1 ORDER BY created_at, id";

pub fn role_from_row(r: &impl Row) -> Result<Role> {
    Ok(Role {
        id: r.text(0)?,
        account_id: Some(r.text(1)?),
        name: r.text(2)?,
        description: r.opt_text(3)?,
        privileges: split_scopes(&r.text(4)?),
        is_super_admin: false,
        created_at: r.int(5)?,
        version: r.int(6)?,
    })
}

impl FromRow for Role {
    fn from_row(r: &impl Row) -> Result<Self> {
        role_from_row(r)
    }
}

pub const INSERT_ASSIGNMENT: &str = "INSERT INTO role_assignments (id, account_id, role_id, assigned_to, \
     scope_type, org_unit_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub fn assignment_params(a: &RoleAssignment) -> Vec<Value> {
    vec![
        a.id.as_str().into(),
        a.account_id.as_str().into(),
        a.role_id.as_str().into(),
        a.assigned_to.as_str().into(),
        a.scope_type.as_str().into(),
        a.org_unit_id.clone().unwrap_or_default().into(),
        a.created_at.into(),
    ]
}

pub const DELETE_ASSIGNMENT: &str = "DELETE FROM role_assignments WHERE id = $1";

pub const SELECT_ASSIGNMENTS: &str = "SELECT id, account_id, role_id, assigned_to, scope_type, org_unit_id, \
     created_at FROM role_assignments WHERE account_id = $1 ORDER BY created_at, id";

pub const SELECT_ASSIGNMENTS_OF_USER: &str = "SELECT id, account_id, role_id, assigned_to, scope_type, \
     org_unit_id, created_at FROM role_assignments WHERE assigned_to = $1 AND account_id = $2 \
     ORDER BY created_at, id";

pub fn assignment_from_row(r: &impl Row) -> Result<RoleAssignment> {
    Ok(RoleAssignment {
        id: r.text(0)?,
        account_id: r.text(1)?,
        role_id: r.text(2)?,
        assigned_to: r.text(3)?,
        scope_type: if r.text(4)? == "ORG_UNIT" {
            ScopeType::OrgUnit
        } else {
            ScopeType::Customer
        },
        org_unit_id: Some(r.text(5)?).filter(|s| !s.is_empty()),
        created_at: r.int(6)?,
    })
}

impl FromRow for RoleAssignment {
    fn from_row(r: &impl Row) -> Result<Self> {
        assignment_from_row(r)
    }
}

/// `Write::InsertRole`.
pub fn insert_role(r: &Role) -> Statement {
    write(INSERT_ROLE, role_params(r))
}

/// `Write::UpdateRole`: the role read as `before` becomes `after`, or `Stale`.
pub fn update_role(before: &Role, after: &Role) -> Statement {
    checked(UPDATE_ROLE, update_role_params(before, after))
}

/// `Write::DeleteRole`: only the version read, or `Stale`.
pub fn delete_role(r: &Role) -> Statement {
    checked(DELETE_ROLE, vec![r.id.as_str().into(), r.version.into()])
}

/// `Write::InsertAssignment`.
pub fn insert_assignment(a: &RoleAssignment) -> Statement {
    write(INSERT_ASSIGNMENT, assignment_params(a))
}

/// `Write::DeleteAssignment`: `Stale` if it is gone already.
pub fn delete_assignment(a: &RoleAssignment) -> Statement {
    checked(DELETE_ASSIGNMENT, vec![a.id.as_str().into()])
}
