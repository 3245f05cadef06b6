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
}
