//! partnerd's operations: every use case once, over an `Actor` and domain inputs, returning
//! domain values or an `OpError`. The API, the control API, the clock and the consoles are
//! front doors that translate into these and back; none of them holds a rule, a privilege
//! check, a write set or a retry loop of its own. No HTTP or wire types here.

pub mod access;
pub mod accounts;
pub mod actor;
pub mod addresses;
pub mod change;
pub mod customers;
pub mod deliveries;
pub mod error;
pub mod groups;
pub mod licensing;
pub mod notify;
pub mod onboarding;
pub mod orgunits;
pub mod owner;
pub mod passwords;
pub mod platform;
pub mod privileges;
pub mod provisioning;
pub mod roles;
pub mod signin;
pub mod site_verification;
pub mod subscriptions;
pub mod tokens;
pub mod transfers;
pub mod transitions;
pub mod user_credentials;
pub mod users;

#[cfg(test)]
mod testing;

use std::sync::Arc;
use std::time::Duration;

use partnerd_domain::SystemClock;
use partnerd_domain::auth::AccessGrant;
use partnerd_store::{Store, StoreError, WriteSet};

pub use actor::Actor;
pub use change::{ATTEMPTS, Change, Stamp};
pub use error::{OpError, Violations};
pub use privileges::Authority;

/// How long another process's role or user change may take to reach this one.
pub const PRIVILEGES_TTL: Duration = Duration::from_secs(1);

/// What every operation works with: storage, the clock, and the caches in front of them.
#[derive(Clone)]
pub struct Ops {
    pub store: Arc<dyn Store>,
    pub clock: Arc<SystemClock>,
    /// Each user's standing (active, privileges), briefly: computing it costs reads of the
    /// user, its roles and assignments. This process's own writes that touch users, roles
    /// or assignments clear it (`commit`); other processes' writes are seen within
    /// `PRIVILEGES_TTL`.
    standing: moka::sync::Cache<String, Arc<Authority>>,
    /// Access grants by token digest, so a request costs no database read. Expiry is
    /// checked on use; the grants of a user whose access ends are dropped by this
    /// process's write, and by every process once it sees the user's standing change.
    grants: moka::sync::Cache<String, Arc<AccessGrant>>,
}

/// What one attempt of a write prepared: the changes, and what the operation answers
/// once they are committed.
pub struct Prepared<T> {
    pub set: WriteSet,
    pub value: T,
    /// What a unique-index conflict means for this write: `None` to re-read and try again,
    /// `Some(error)` to answer that error.
    pub on_conflict: Option<OpError>,
}

impl<T> Prepared<T> {
    pub fn new(set: WriteSet, value: T) -> Self {
        Prepared {
            set,
            value,
            on_conflict: None,
        }
    }

    pub fn conflict_means(mut self, error: OpError) -> Self {
        self.on_conflict = Some(error);
        self
    }
}

impl Ops {
    pub fn new(store: Arc<dyn Store>, clock: Arc<SystemClock>) -> Self {
        Ops {
            store,
            clock,
            standing: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(PRIVILEGES_TTL)
                .build(),
            grants: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_secs(3_600))
                .support_invalidation_closures()
                .build(),
        }
    }

    /// Commits a write set, forgetting cached standings and grants it may change.
    pub async fn commit(&self, set: WriteSet) -> Result<(), StoreError> {
        if set.is_empty() {
            return Ok(());
        }
        let touches_privileges = set.changes_standing();
        let revoked = set.revoked_users();
        let result = self.store.apply(set).await;
        if touches_privileges {
            self.standing.invalidate_all();
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

    /// The one commit-with-retry: runs `attempt` (read, check, decide, assemble) and
    /// commits what it prepared; when another writer changed what it read (an optimistic
    /// conflict), reads again and decides again, up to `ATTEMPTS` times.
    ///
    /// `attempt` is a closure returning a future (`|| async move { … }` over borrowed
    /// inputs), rather than an async closure, so the operation's future stays `Send`.
    pub async fn write<T, F, Fut>(&self, mut attempt: F) -> Result<T, OpError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Prepared<T>, OpError>>,
    {
        for _ in 0..ATTEMPTS {
            let prepared = attempt().await?;
            match self.commit(prepared.set).await {
                Ok(()) => return Ok(prepared.value),
                Err(StoreError::Stale) => continue,
                Err(StoreError::Conflict(index)) => match prepared.on_conflict {
                    Some(error) => return Err(error),
                    None => {
                        tracing::debug!(index, "unique conflict; trying again");
                        continue;
                    }
                },
                Err(e) => return Err(e.into()),
            }
        }
        Err(OpError::Store(StoreError::Stale))
    }

    /// An access grant by token digest, from the cache or the database (another process
    /// on the same database may have issued it).
    pub async fn grant(&self, digest: &str) -> Result<Option<Arc<AccessGrant>>, OpError> {
        if let Some(grant) = self.grants.get(digest) {
            return Ok(Some(grant));
        }
        let Some(grant) = self.store.access_grant(digest).await? else {
            return Ok(None);
        };
        let grant = Arc::new(grant);
        self.grants.insert(digest.to_string(), grant.clone());
        Ok(Some(grant))
    }

    /// Remembers a grant this process just issued.
    pub fn remember_grant(&self, grant: Arc<AccessGrant>) {
        self.grants.insert(grant.digest.clone(), grant);
    }

    /// Forgets a grant that no longer stands (its user was suspended or deleted).
    pub fn forget_grant(&self, digest: &str) {
        self.grants.invalidate(digest);
    }
}
