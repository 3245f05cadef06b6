//! Console sessions, by the digest of their cookie's secret.

use partnerd_domain::session::Session;

use super::{Statement, write};
use crate::rows::{FromRow, Row, Value};
use crate::{Result, StoreError};

pub const INSERT_SESSION: &str = "INSERT INTO sessions (digest, user_id, account_id, created_at, \
     last_seen_at, expires_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub fn session_params(s: &Session) -> Vec<Value> {
    vec![
        s.digest.as_str().into(),
        s.user_id.as_str().into(),
        s.account_id.as_str().into(),
        s.created_at.into(),
        s.last_seen_at.into(),
        s.expires_at.into(),
        s.data.to_string().into(),
    ]
}

pub const SELECT_SESSION: &str = "SELECT digest, user_id, account_id, created_at, last_seen_at, \
     expires_at, data FROM sessions WHERE digest = $1";

pub fn session_from_row(r: &impl Row) -> Result<Session> {
    Ok(Session {
        digest: r.text(0)?,
        user_id: r.text(1)?,
        account_id: r.text(2)?,
        created_at: r.int(3)?,
        last_seen_at: r.int(4)?,
        expires_at: r.int(5)?,
        data: serde_json::from_str(&r.text(6)?)
            .map_err(|e| StoreError::Backend(format!("stored session: {e}")))?,
    })
}

impl FromRow for Session {
    fn from_row(r: &impl Row) -> Result<Self> {
        session_from_row(r)
    }
}

/// Records a use only when the stored one is older than `$3`: concurrent requests of one
/// session write once.
pub const TOUCH_SESSION: &str =
    "UPDATE sessions SET last_seen_at = $1 WHERE digest = $2 AND last_seen_at < $3";
pub const UPDATE_SESSION_DATA: &str = "UPDATE sessions SET data = $1 WHERE digest = $2";
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE digest = $1";
pub const DELETE_USER_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
pub const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";

/// `Write::EndSessionsOf`: the user is signed out of every console session.
pub fn end_sessions_of(user_id: &str) -> Statement {
    write(DELETE_USER_SESSIONS, vec![user_id.into()])
}
