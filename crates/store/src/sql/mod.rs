//! Every query's SQL text, its parameters and its row mapping, written once for both
//! databases. Placeholders are `$1`, `$2`, … in order of first appearance: PostgreSQL
//! binds them by number, and SQLite numbers `$N` parameters in the order it meets them,
//! so positional binding agrees (checked in debug builds by the SQLite store).
//!
//! One module per table (or group of tables read together). Each holds its SQL text,
//! its parameters, its row mapping, and the statements of the writes (`crate::Write`)
//! that change it. Everything is re-exported here, so callers name `sql::INSERT_USER`.

mod accounts;
mod aliases;
mod auth;
mod blobs;
mod copy;
mod events;
mod groups;
mod licenses;
mod notify;
mod org_units;
mod outbox;
mod roles;
mod sessions;
mod settings;
mod sign_ins;
mod subscriptions;
mod transfers;
mod users;
mod verified_sites;

pub use accounts::*;
pub use aliases::*;
pub use auth::*;
pub use blobs::*;
pub use copy::*;
pub use events::*;
pub use groups::*;
pub use licenses::*;
pub use notify::*;
pub use org_units::*;
pub use outbox::*;
pub use roles::*;
pub use sessions::*;
pub use settings::*;
pub use sign_ins::*;
pub use subscriptions::*;
pub use transfers::*;
pub use users::*;
pub use verified_sites::*;

use crate::rows::Value;

/// One statement of a write set, and whether it must change exactly one row (the
/// optimistic-concurrency checks: zero rows means someone else changed the row first).
pub struct Statement {
    pub sql: &'static str,
    pub params: Vec<Value>,
    pub expects_one_row: bool,
}

pub(crate) fn write(sql: &'static str, params: Vec<Value>) -> Statement {
    Statement {
        sql,
        params,
        expects_one_row: false,
    }
}

pub(crate) fn checked(sql: &'static str, params: Vec<Value>) -> Statement {
    Statement {
        sql,
        params,
        expects_one_row: true,
    }
}
