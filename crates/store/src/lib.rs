//! partnerd's storage seam: one interface, an embedded SQLite implementation and a
//! PostgreSQL one, passing the same test suite.
//!
//! Every method that writes commits durably before it returns, and appends its events
//! to the event log in the same transaction.

mod migrations;
mod postgres;
mod rows;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use partnerd_domain::auth::{AccessGrant, ServiceAccount, ServiceAccountKey};
use partnerd_domain::customer::Customer;
use partnerd_domain::event::{Event, NewEvent};
use partnerd_domain::user::User;

pub use migrations::MIGRATIONS;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// A unique constraint refused the write; carries the index name.
    #[error("conflict on {0}")]
    Conflict(String),
    /// The row changed since it was read (optimistic concurrency); re-read and retry.
    #[error("the record changed concurrently")]
    Stale,
    /// The database failed; never shown to API clients in detail.
    #[error("database error: {0}")]
    Backend(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A reseller account with its first super admin, as `partnerd reseller create` makes it.
#[derive(Debug, Clone)]
pub struct NewReseller {
    pub account: Customer,
    pub admin: User,
}

/// A new service account with its first key and its domain-wide delegation.
#[derive(Debug, Clone)]
pub struct NewServiceAccount {
    pub account: ServiceAccount,
    pub key: ServiceAccountKey,
    pub delegated_scopes: Vec<String>,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// True when no account exists yet (a fresh database).
    async fn is_empty(&self) -> Result<bool>;

    async fn create_reseller(&self, reseller: &NewReseller, event: NewEvent) -> Result<()>;

    /// An account by id or by primary domain (case-insensitive).
    async fn account(&self, id_or_domain: &str) -> Result<Option<Customer>>;

    /// Inserts a customer; a domain that exists anywhere gives `Conflict`.
    async fn insert_customer(&self, customer: &Customer, event: NewEvent) -> Result<()>;

    /// Replaces a customer read earlier as `before`; `Stale` if it changed meanwhile.
    async fn update_customer(
        &self,
        before: &Customer,
        after: &Customer,
        event: NewEvent,
    ) -> Result<()>;

    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;

    async fn create_service_account(&self, sa: &NewServiceAccount, event: NewEvent) -> Result<()>;

    /// A key by its id, with the service account it belongs to.
    async fn service_account_key(
        &self,
        key_id: &str,
    ) -> Result<Option<(ServiceAccount, ServiceAccountKey)>>;

    /// The scopes a client ID may use when impersonating users of an account.
    async fn delegated_scopes(
        &self,
        account_id: &str,
        client_id: &str,
    ) -> Result<Option<Vec<String>>>;

    async fn insert_access_grant(&self, grant: &AccessGrant) -> Result<()>;

    async fn access_grant(&self, digest: &str) -> Result<Option<AccessGrant>>;

    /// Milliseconds the platform clock runs ahead of the wall clock.
    async fn clock_offset(&self) -> Result<i64>;

    /// Moves the platform clock forward by `by_ms`, atomically; returns the new offset.
    async fn advance_clock(&self, by_ms: i64, event: NewEvent) -> Result<i64>;

    /// Events of one account (or all, with `None`) with an id above `after`, oldest first.
    async fn events(&self, account_id: Option<&str>, after: i64, limit: u32) -> Result<Vec<Event>>;
}

/// Why a database could not be opened; printed to an operator, then the process stops.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OpenError(pub String);

impl From<StoreError> for OpenError {
    fn from(e: StoreError) -> Self {
        OpenError(e.to_string())
    }
}

/// Opens the store a database URL names, creating and migrating it as needed:
/// `sqlite://PATH`, `sqlite::memory:`, or `postgres://…` / `postgresql://…`.
pub async fn open(url: &str) -> std::result::Result<Arc<dyn Store>, OpenError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.strip_prefix("//").unwrap_or(rest);
        if path.is_empty() {
            return Err(OpenError("the SQLite URL names no file".into()));
        }
        Ok(Arc::new(SqliteStore::open(path)?))
    } else {
        Err(OpenError(format!(
            "unsupported database URL '{url}': use sqlite://PATH, sqlite::memory: or postgres://..."
        )))
    }
}
