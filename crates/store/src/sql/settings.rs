//! Named settings shared by every process on a database, the clock offset among them.

pub const CLOCK_OFFSET: &str = "clock_offset_ms";

pub const SELECT_SETTING: &str = "SELECT value FROM settings WHERE name = $1";

pub const UPSERT_SETTING: &str = "INSERT INTO settings (name, value) VALUES ($1, $2) \
     ON CONFLICT (name) DO UPDATE SET value = excluded.value";

/// Adds to an integer setting atomically and returns the new value.
pub const ADD_TO_SETTING: &str = "INSERT INTO settings (name, value) VALUES ($1, $2) \
     ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + CAST(excluded.value AS BIGINT) AS TEXT) \
     RETURNING value";
