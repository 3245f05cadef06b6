//! Time is injected: every component asks a [`Clock`] instead of the system.
//!
//! partnerd keeps two readings. `now` is the platform's time: it can be moved forward
//! (trials end, terms renew, access tokens expire). `real_now` is the wall clock, used
//! only to judge what clients sign with their own clocks (JWT `iat`/`exp`), which never
//! see the platform's offset.

use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

pub trait Clock: Send + Sync {
    /// The platform's time, including any offset the control API added.
    fn now(&self) -> Millis;
    /// The wall clock, without offset.
    fn real_now(&self) -> Millis;
}

/// The system clock plus an offset shared by everything that holds this clock.
#[derive(Debug, Default)]
pub struct SystemClock {
    offset_ms: AtomicI64,
}

impl SystemClock {
    pub fn new(offset_ms: Millis) -> Self {
        SystemClock {
            offset_ms: AtomicI64::new(offset_ms),
        }
    }

    pub fn offset(&self) -> Millis {
        self.offset_ms.load(Ordering::Relaxed)
    }

    pub fn set_offset(&self, offset_ms: Millis) {
        self.offset_ms.store(offset_ms, Ordering::Relaxed);
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        self.real_now() + self.offset()
    }

    fn real_now(&self) -> Millis {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        since_epoch.as_millis() as Millis
    }
}

/// A clock that stands still unless told to move; for tests.
#[derive(Debug)]
pub struct FixedClock {
    now: AtomicI64,
}

impl FixedClock {
    pub fn new(now: Millis) -> Self {
        FixedClock {
            now: AtomicI64::new(now),
        }
    }

    pub fn advance(&self, by_ms: Millis) {
        self.now.fetch_add(by_ms, Ordering::Relaxed);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Millis {
        self.now.load(Ordering::Relaxed)
    }

    fn real_now(&self) -> Millis {
        self.now()
    }
}

/// Formats epoch milliseconds as RFC 3339 (UTC, millisecond precision).
pub fn rfc3339(ms: Millis) -> String {
    // Always three fractional digits, as Google writes them (`2010-04-05T17:30:04.325Z`):
    // resellers' fixed-width parsers read them, and trimmed zeros would break them at random.
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    let nanos = i128::from(ms) * 1_000_000;
    match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => t.format(&format).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_moves_now_but_not_real_now() {
        let clock = SystemClock::new(0);
        let before = clock.real_now();
        clock.set_offset(3_600_000);
        assert!(clock.now() >= before + 3_600_000);
        assert!(clock.real_now() < before + 3_600_000);
    }

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(rfc3339(1_700_000_000_040), "2023-11-14T22:13:20.040Z");
        assert_eq!(rfc3339(1_700_000_000_100), "2023-11-14T22:13:20.100Z");
    }

    proptest::proptest! {
        /// Every instant from 1970 to 9999 is written in Google's one fixed width, and
        /// reads back as the same millisecond.
        #[test]
        fn rfc3339_is_fixed_width_and_exact(ms in 0i64..253_402_300_799_999) {
            let text = rfc3339(ms);
            proptest::prop_assert_eq!(text.len(), 24, "{}", text);
            proptest::prop_assert_eq!(&text[19..20], ".");
            proptest::prop_assert!(text.ends_with('Z'));
            let parsed = time::OffsetDateTime::parse(
                &text,
                &time::format_description::well_known::Rfc3339,
            )
            .expect("parses");
            proptest::prop_assert_eq!(parsed.unix_timestamp_nanos() / 1_000_000, i128::from(ms));
        }
    }
}
