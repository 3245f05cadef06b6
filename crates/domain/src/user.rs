//! Users of an account (the Directory API grows this in a later issue).

use serde::{Deserialize, Serialize};

use crate::clock::Millis;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// 21-digit numeric id.
    pub id: String,
    pub account_id: String,
    /// Lower-case.
    pub primary_email: String,
    pub given_name: String,
    pub family_name: String,
    /// An argon2 PHC string; never the password.
    #[serde(skip_serializing)]
    pub password_hash: String,
    pub is_super_admin: bool,
    pub suspended: bool,
    pub created_at: Millis,
    /// The organizational unit, `None` for the root ("/").
    #[serde(default)]
    pub org_unit_id: Option<String>,
    #[serde(default)]
    pub change_password_at_next_login: bool,
    /// The user's language; new users take the account's default.
    #[serde(default = "default_language")]
    pub language: String,
    /// Deleted users are kept (and can be restored) until purged.
    #[serde(default)]
    pub deleted_at: Option<Millis>,
    #[serde(default = "first_version")]
    pub version: i64,
}

fn default_language() -> String {
    "en".into()
}

fn first_version() -> i64 {
    1
}
