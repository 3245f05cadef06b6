//! Organizational units (below each account's root, which is not stored).

use partnerd_domain::directory::OrgUnit;

use super::{Statement, checked, write};
use crate::Result;
use crate::rows::{FromRow, Row, Value};

pub const INSERT_ORG_UNIT: &str = "INSERT INTO org_units (id, account_id, name, description, path, \
     parent_id, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub fn org_unit_params(o: &OrgUnit) -> Vec<Value> {
    vec![
        o.id.as_str().into(),
        o.account_id.as_str().into(),
        o.name.as_str().into(),
        (&o.description).into(),
        o.path.as_str().into(),
        (&o.parent_id).into(),
        o.created_at.into(),
        o.version.into(),
    ]
}

pub const UPDATE_ORG_UNIT: &str = "UPDATE org_units SET name = $1, description = $2, path = $3, \
     parent_id = $4, version = $5 WHERE id = $6 AND version = $7";

pub fn update_org_unit_params(before: &OrgUnit, after: &OrgUnit) -> Vec<Value> {
    vec![
        after.name.as_str().into(),
        (&after.description).into(),
        after.path.as_str().into(),
        (&after.parent_id).into(),
        after.version.into(),
        before.id.as_str().into(),
        before.version.into(),
    ]
}

pub const DELETE_ORG_UNIT: &str = "DELETE FROM org_units WHERE id = $1 AND version = $2";

pub const SELECT_ORG_UNITS: &str = "SELECT id, account_id, name, description, path, parent_id, created_at, \
     version FROM org_units WHERE account_id = $1 ORDER BY path";

pub fn org_unit_from_row(r: &impl Row) -> Result<OrgUnit> {
    Ok(OrgUnit {
        id: r.text(0)?,
        account_id: r.text(1)?,
        name: r.text(2)?,
        description: r.opt_text(3)?,
        path: r.text(4)?,
        parent_id: r.opt_text(5)?,
        created_at: r.int(6)?,
        version: r.int(7)?,
    })
}

impl FromRow for OrgUnit {
    fn from_row(r: &impl Row) -> Result<Self> {
        org_unit_from_row(r)
    }
}

/// `Write::InsertOrgUnit`.
pub fn insert_org_unit(o: &OrgUnit) -> Statement {
    write(INSERT_ORG_UNIT, org_unit_params(o))
}

/// `Write::UpdateOrgUnit`: the unit read as `before` becomes `after`, or `Stale`.
pub fn update_org_unit(before: &OrgUnit, after: &OrgUnit) -> Statement {
    checked(UPDATE_ORG_UNIT, update_org_unit_params(before, after))
}

/// `Write::DeleteOrgUnit`: only the version read, or `Stale`.
pub fn delete_org_unit(o: &OrgUnit) -> Statement {
    checked(
        DELETE_ORG_UNIT,
        vec![o.id.as_str().into(), o.version.into()],
    )
}
