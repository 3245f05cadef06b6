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

#[cfg(test)]
impl User {
    /// A user of the account `C0r` for the rules' unit tests.
    pub(crate) fn sample(id: &str, super_admin: bool) -> User {
        User {
            id: id.into(),
            account_id: "C0r".into(),
            primary_email: format!("{id}@r.example"),
            given_name: "A".into(),
            family_name: "B".into(),
            password_hash: "h1".into(),
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
}

fn default_language() -> String {
    "en".into()
}

fn first_version() -> i64 {
    1
}

/// When a user first and last signed in to the consoles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignIns {
    pub user_id: String,
    pub first_at: Millis,
    pub last_at: Millis,
}
