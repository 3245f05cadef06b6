//! Where a reseller's push notifications go: the service accounts registered to read
//! them, and the push endpoint they are delivered to.

pub const INSERT_REGISTRATION: &str = "INSERT INTO notify_registrations (reseller_id, service_account_email) \
     VALUES ($1, $2) ON CONFLICT (reseller_id, service_account_email) DO NOTHING";
pub const DELETE_REGISTRATION: &str =
    "DELETE FROM notify_registrations WHERE reseller_id = $1 AND service_account_email = $2";
pub const SELECT_REGISTRATIONS: &str = "SELECT service_account_email FROM notify_registrations \
     WHERE reseller_id = $1 ORDER BY service_account_email";

pub const UPSERT_PUSH_ENDPOINT: &str = "INSERT INTO push_endpoints (reseller_id, url) VALUES ($1, $2) \
     ON CONFLICT (reseller_id) DO UPDATE SET url = excluded.url";
pub const DELETE_PUSH_ENDPOINT: &str = "DELETE FROM push_endpoints WHERE reseller_id = $1";
