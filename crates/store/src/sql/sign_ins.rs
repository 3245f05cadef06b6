//! When users signed in.

use partnerd_domain::user::SignIns;

use super::{Statement, write};
use crate::Result;
use crate::rows::{FromRow, Row};

/// The first sign-in is kept; every later one moves `last_at`.
pub const RECORD_SIGN_IN: &str = "INSERT INTO user_sign_ins (user_id, account_id, first_at, last_at) \
     VALUES ($1, $2, $3, $3) ON CONFLICT (user_id) DO UPDATE SET last_at = excluded.last_at";

pub const SELECT_SIGN_INS_OF_ACCOUNT: &str =
    "SELECT user_id, first_at, last_at FROM user_sign_ins WHERE account_id = $1";

pub const SELECT_SIGN_INS_OF_USER: &str =
    "SELECT user_id, first_at, last_at FROM user_sign_ins WHERE user_id = $1";

impl FromRow for SignIns {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok(SignIns {
            user_id: r.text(0)?,
            first_at: r.int(1)?,
            last_at: r.int(2)?,
        })
    }
}

/// `Write::RecordSignIn`.
pub fn record_sign_in(user_id: &str, account_id: &str, at: i64) -> Statement {
    write(
        RECORD_SIGN_IN,
        vec![user_id.into(), account_id.into(), at.into()],
    )
}
