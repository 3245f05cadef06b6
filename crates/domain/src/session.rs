//! Console sessions: what a signed-in browser holds. The cookie carries a random secret;
//! only its digest is stored. A session ends when it has been idle too long, when it is
//! too old, when its user signs out, changes password, or is suspended or deleted.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;

/// A session's last use is written at most this often: reading a page must not cost a
/// write each time (idle expiry is judged to within this much).
pub const TOUCH_INTERVAL_MS: Millis = 60_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// SHA-256 of the cookie's secret.
    pub digest: String,
    pub user_id: String,
    pub account_id: String,
    pub created_at: Millis,
    pub last_seen_at: Millis,
    /// The absolute end, whatever the use.
    pub expires_at: Millis,
    /// What the consoles keep per session (the CSRF token, the chosen language, ...), as JSON.
    pub data: serde_json::Value,
}

impl Session {
    /// Whether the session still stands at `now` after `idle_ms` without use.
    pub fn is_live(&self, now: Millis, idle_ms: Millis) -> bool {
        now < self.expires_at && now < self.last_seen_at.saturating_add(idle_ms)
    }

    /// Whether a use at `now` should be written (see `TOUCH_INTERVAL_MS`).
    pub fn needs_touch(&self, now: Millis) -> bool {
        now >= self.last_seen_at.saturating_add(TOUCH_INTERVAL_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            digest: "d".into(),
            user_id: "u".into(),
            account_id: "a".into(),
            created_at: 0,
            last_seen_at: 1_000,
            expires_at: 10_000_000,
            data: serde_json::json!({}),
        }
    }

    #[test]
    fn idle_and_absolute_expiry() {
        let s = session();
        assert!(s.is_live(1_000 + 59_999, 60_000));
        assert!(!s.is_live(1_000 + 60_000, 60_000));
        assert!(!s.is_live(10_000_000, i64::MAX));
    }

    #[test]
    fn uses_are_written_at_most_once_a_minute() {
        let s = session();
        assert!(!s.needs_touch(1_000 + TOUCH_INTERVAL_MS - 1));
        assert!(s.needs_touch(1_000 + TOUCH_INTERVAL_MS));
    }
}
