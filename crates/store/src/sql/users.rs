//! The users table: every account's users, deleted ones included.

use partnerd_domain::user::User;

use super::{Statement, checked, write};
use crate::Result;
use crate::rows::{FromRow, Row, Value};

pub const INSERT_USER: &str = "INSERT INTO users (id, account_id, primary_email, given_name, \
     family_name, password_hash, is_super_admin, suspended, created_at, org_unit_id, change_password, \
     language, deleted_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

const USER_COLUMNS: &str = "id, account_id, primary_email, given_name, family_name, password_hash, \
     is_super_admin, suspended, created_at, org_unit_id, change_password, language, deleted_at, version";

pub fn select_user_by_email() -> String {
    format!("SELECT {USER_COLUMNS} FROM users WHERE primary_email = $1")
}

pub fn select_user_by_id() -> String {
    format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")
}

pub fn select_users_of_account() -> String {
    format!("SELECT {USER_COLUMNS} FROM users WHERE account_id = $1 ORDER BY primary_email")
}

pub const UPDATE_USER: &str = "UPDATE users SET primary_email = $1, given_name = $2, family_name = $3, \
     password_hash = $4, is_super_admin = $5, suspended = $6, org_unit_id = $7, change_password = $8, \
     language = $9, deleted_at = $10, version = $11 WHERE id = $12 AND version = $13";

pub fn update_user_params(before: &User, after: &User) -> Vec<Value> {
    vec![
        after.primary_email.as_str().into(),
        after.given_name.as_str().into(),
        after.family_name.as_str().into(),
        after.password_hash.as_str().into(),
        after.is_super_admin.into(),
        after.suspended.into(),
        (&after.org_unit_id).into(),
        after.change_password_at_next_login.into(),
        after.language.as_str().into(),
        Value::OptInt(after.deleted_at),
        after.version.into(),
        before.id.as_str().into(),
        before.version.into(),
    ]
}

pub fn user_params(u: &User) -> Vec<Value> {
    vec![
        u.id.as_str().into(),
        u.account_id.as_str().into(),
        u.primary_email.as_str().into(),
        u.given_name.as_str().into(),
        u.family_name.as_str().into(),
        u.password_hash.as_str().into(),
        u.is_super_admin.into(),
        u.suspended.into(),
        u.created_at.into(),
        (&u.org_unit_id).into(),
        u.change_password_at_next_login.into(),
        u.language.as_str().into(),
        Value::OptInt(u.deleted_at),
        u.version.into(),
    ]
}

pub fn user_from_row(r: &impl Row) -> Result<User> {
    Ok(User {
        id: r.text(0)?,
        account_id: r.text(1)?,
        primary_email: r.text(2)?,
        given_name: r.text(3)?,
        family_name: r.text(4)?,
        password_hash: r.text(5)?,
        is_super_admin: r.boolean(6)?,
        suspended: r.boolean(7)?,
        created_at: r.int(8)?,
        org_unit_id: r.opt_text(9)?,
        change_password_at_next_login: r.boolean(10)?,
        language: r.text(11)?,
        deleted_at: r.opt_int(12)?,
        version: r.int(13)?,
    })
}

impl FromRow for User {
    fn from_row(r: &impl Row) -> Result<Self> {
        user_from_row(r)
    }
}

/// The live users of an account made super admins with makeAdmin.
pub fn select_super_admins_of_account() -> String {
    format!(
        "SELECT {USER_COLUMNS} FROM users WHERE account_id = $1 AND is_super_admin = $2 \
         AND deleted_at IS NULL ORDER BY primary_email"
    )
}

pub const COUNT_SUPER_ADMINS: &str =
    "SELECT COUNT(*) FROM users WHERE account_id = $1 AND is_super_admin = $2 AND suspended = $3";

/// `Write::InsertUser`.
pub fn insert_user(u: &User) -> Statement {
    write(INSERT_USER, user_params(u))
}

/// `Write::UpdateUser`: the user read as `before` becomes `after`, or `Stale`.
pub fn update_user(before: &User, after: &User) -> Statement {
    checked(UPDATE_USER, update_user_params(before, after))
}
