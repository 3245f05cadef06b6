//! What every handler shares: storage, the clock, configuration and the token cache.

use std::sync::Arc;
use std::time::Duration;

use partnerd_domain::SystemClock;
use partnerd_domain::auth::AccessGrant;
use partnerd_store::{Store, StoreError, WriteSet};

/// How long another process's role or user change may take to reach this one.
pub const PRIVILEGES_TTL: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<SystemClock>,
    /// The URL clients reach this server at, without a trailing slash.
    pub public_url: String,
    /// Bearer token of the control API; `None` disables it.
    pub control_token: Option<String>,
    /// Access grants by token digest, so a request costs no database read. Expiry is
    /// checked on use; the grants of a user whose access ends (suspended, deleted) are
    /// dropped by this process's own write, and by every process once it sees the user's
    /// standing change (`Caller`).
    pub grants: moka::sync::Cache<String, Arc<AccessGrant>>,
    /// Each delegated user's privileges, briefly: computing them costs reads of the user,
    /// its roles and assignments on every call. Writes of this process that touch users,
    /// roles or assignments clear it (`AppState::apply`); other processes' writes are seen
    /// within `PRIVILEGES_TTL`.
    pub privileges: moka::sync::Cache<String, Arc<crate::privileges::Authority>>,
    /// Faults injected through the control API (this process only).
    pub faults: Arc<crate::faults::Faults>,
    /// Per-token rate limits; `None` (the default) means unlimited.
    pub rate_limits: Option<Arc<crate::limits::RateLimits>>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<SystemClock>,
        public_url: &str,
        control_token: Option<String>,
    ) -> Self {
        AppState {
            store,
            clock,
            public_url: public_url.trim_end_matches('/').to_string(),
            control_token,
            grants: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_secs(3_600))
                .support_invalidation_closures()
                .build(),
            privileges: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(PRIVILEGES_TTL)
                .build(),
            faults: Arc::default(),
            rate_limits: None,
        }
    }

    /// Limits each access token to `limits`.
    pub fn with_rate_limits(mut self, limits: crate::limits::RateLimits) -> Self {
        self.rate_limits = Some(Arc::new(limits));
        self
    }

    /// Commits a write set, forgetting cached privileges when it may change them.
    pub async fn apply(&self, set: WriteSet) -> Result<(), StoreError> {
        let touches_privileges = !set.insert_users.is_empty()
            || !set.update_users.is_empty()
            || !set.insert_roles.is_empty()
            || !set.update_roles.is_empty()
            || !set.delete_roles.is_empty()
            || !set.insert_assignments.is_empty()
            || !set.delete_assignments.is_empty();
        let revoked = set.revoke_access_of_users.clone();
        let result = self.store.apply(set).await;
        if touches_privileges {
            self.privileges.invalidate_all();
        }
        if result.is_ok() && !revoked.is_empty() {
            let dropped = self.grants.invalidate_entries_if(move |_, grant| {
                grant
                    .subject
                    .as_ref()
                    .is_some_and(|s| revoked.contains(&s.user_id))
            });
            if let Err(e) = dropped {
                tracing::warn!(error = %e, "dropping cached grants of revoked users");
            }
        }
        result
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.public_url)
    }
}
