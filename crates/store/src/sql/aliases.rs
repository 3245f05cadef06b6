//! Users' aliases.

use partnerd_domain::directory::UserAlias;

use super::{Statement, checked, write};
use crate::Result;
use crate::rows::{FromRow, Row};

pub const INSERT_ALIAS: &str =
    "INSERT INTO user_aliases (alias, user_id, account_id, created_at) VALUES ($1, $2, $3, $4)";

pub const DELETE_ALIAS: &str = "DELETE FROM user_aliases WHERE alias = $1 AND user_id = $2";

pub const DELETE_ALIASES_OF_USER: &str = "DELETE FROM user_aliases WHERE user_id = $1";

pub const SELECT_ALIAS: &str =
    "SELECT alias, user_id, account_id, created_at FROM user_aliases WHERE alias = $1";

pub const SELECT_ALIASES_OF_ACCOUNT: &str = "SELECT alias, user_id, account_id, created_at \
     FROM user_aliases WHERE account_id = $1 ORDER BY alias";

pub const SELECT_ALIASES_OF_USER: &str = "SELECT alias, user_id, account_id, created_at \
     FROM user_aliases WHERE user_id = $1 ORDER BY alias";

impl FromRow for UserAlias {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok(UserAlias {
            alias: r.text(0)?,
            user_id: r.text(1)?,
            account_id: r.text(2)?,
            created_at: r.int(3)?,
        })
    }
}

/// `Write::InsertAlias` (`user_aliases_pkey` when the address is an alias already).
pub fn insert_alias(a: &UserAlias) -> Statement {
    write(
        INSERT_ALIAS,
        vec![
            a.alias.as_str().into(),
            a.user_id.as_str().into(),
            a.account_id.as_str().into(),
            a.created_at.into(),
        ],
    )
}

/// `Write::DeleteAlias`: `Stale` if it is gone already.
pub fn delete_alias(a: &UserAlias) -> Statement {
    checked(
        DELETE_ALIAS,
        vec![a.alias.as_str().into(), a.user_id.as_str().into()],
    )
}

/// `Write::DeleteAliasesOf`.
pub fn delete_aliases_of(user_id: &str) -> Statement {
    write(DELETE_ALIASES_OF_USER, vec![user_id.into()])
}
