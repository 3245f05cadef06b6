//! What every handler shares: the operations, storage, the clock and configuration.

use std::sync::Arc;

use partnerd_app::Ops;
use partnerd_domain::SystemClock;
use partnerd_store::Store;

#[derive(Clone)]
pub struct AppState {
    /// The operations every door calls, with the store, the clock and their caches.
    pub ops: Ops,
    pub store: Arc<dyn Store>,
    pub clock: Arc<SystemClock>,
    /// The URL clients reach this server at, without a trailing slash.
    pub public_url: String,
    /// Bearer token of the control API; `None` disables it.
    pub control_token: Option<String>,
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
            ops: Ops::new(store.clone(), clock.clone()),
            store,
            clock,
            public_url: public_url.trim_end_matches('/').to_string(),
            control_token,
            faults: Arc::default(),
            rate_limits: None,
        }
    }

    /// Limits each access token to `limits`.
    pub fn with_rate_limits(mut self, limits: crate::limits::RateLimits) -> Self {
        self.rate_limits = Some(Arc::new(limits));
        self
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.public_url)
    }
}
