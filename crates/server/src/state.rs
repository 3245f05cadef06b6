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
    /// Where e-mail is delivered; `None` (the default) leaves it queued in the outbox.
    pub mailer: Option<Arc<crate::mail::Mailer>>,
    /// The consoles' sessions and sign-in throttle.
    pub web: Arc<crate::web::Web>,
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
            mailer: None,
            web: Arc::new(crate::web::Web::new(
                public_url,
                partnerd_app::signin::SessionPolicy::default(),
            )),
        }
    }

    /// Console sessions last as `policy` says.
    pub fn with_session_policy(mut self, policy: partnerd_app::signin::SessionPolicy) -> Self {
        self.web = Arc::new(crate::web::Web::new(&self.public_url, policy));
        self
    }

    /// Limits each access token to `limits`.
    pub fn with_rate_limits(mut self, limits: crate::limits::RateLimits) -> Self {
        self.rate_limits = Some(Arc::new(limits));
        self
    }

    /// Delivers queued e-mail through `mailer`.
    pub fn with_mailer(mut self, mailer: crate::mail::Mailer) -> Self {
        self.mailer = Some(Arc::new(mailer));
        self
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.public_url)
    }
}
