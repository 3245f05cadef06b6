//! Paid licences users hold (Cloud Identity Free is implicit for every user).

use partnerd_domain::licensing::License;

use super::{Statement, checked, write};
use crate::Result;
use crate::rows::{FromRow, Row, Value};

pub const INSERT_LICENSE: &str = "INSERT INTO licenses (account_id, user_id, product_id, sku_id, created_at) \
     VALUES ($1, $2, $3, $4, $5)";

pub fn license_params(l: &License) -> Vec<Value> {
    vec![
        l.account_id.as_str().into(),
        l.user_id.as_str().into(),
        l.product_id.as_str().into(),
        l.sku_id.as_str().into(),
        l.created_at.into(),
    ]
}

pub const DELETE_LICENSE: &str =
    "DELETE FROM licenses WHERE user_id = $1 AND product_id = $2 AND sku_id = $3";

pub const SELECT_LICENSES: &str = "SELECT account_id, user_id, product_id, sku_id, created_at FROM licenses \
     WHERE account_id = $1 ORDER BY created_at, user_id";

pub const SELECT_LICENSES_OF_USER: &str = "SELECT account_id, user_id, product_id, sku_id, created_at \
     FROM licenses WHERE user_id = $1 ORDER BY created_at, product_id";

pub fn license_from_row(r: &impl Row) -> Result<License> {
    Ok(License {
        account_id: r.text(0)?,
        user_id: r.text(1)?,
        product_id: r.text(2)?,
        sku_id: r.text(3)?,
        created_at: r.int(4)?,
    })
}

impl FromRow for License {
    fn from_row(r: &impl Row) -> Result<Self> {
        license_from_row(r)
    }
}

/// `Write::InsertLicense`; a second licence of the product for the user is a `Conflict`.
pub fn insert_license(l: &License) -> Statement {
    write(INSERT_LICENSE, license_params(l))
}

/// `Write::DeleteLicense`: `Stale` if the user no longer holds it.
pub fn delete_license(l: &License) -> Statement {
    let key = vec![
        l.user_id.as_str().into(),
        l.product_id.as_str().into(),
        l.sku_id.as_str().into(),
    ];
    checked(DELETE_LICENSE, key)
}
