//! partnerd's storage seam: one interface, an embedded SQLite implementation and a
//! PostgreSQL one, passing the same test suite.
//!
//! Every method that writes commits durably before it returns, and appends its events
//! to the event log in the same transaction.
//!
//! The interface is split by aggregate. Most aggregates are written once, over the
//! generic calls of `db::Db` (fetch rows, on each backend's own read path; run statements
//! in one durable transaction): `DirectoryStore`, `ServiceAccountStore`,
//! `TransferTokenStore`, `NotifyStore`, `EventStore`, `SessionStore`, `BlobStore`,
//! `ConsoleReads`, and `WriteSetStore`, which commits the write sets every operation
//! assembles (`write.rs`). `Store` keeps what each backend does its own way: the hot
//! reads the benchmark measures and the aggregates they belong to (accounts by id or
//! domain, subscriptions and their pages, access grants by token digest), bulk seeding
//! (PostgreSQL's binary COPY), claiming outbox items (PostgreSQL's `SKIP LOCKED`), and
//! the settings, whose clock is advanced by a write that reads its result back in its
//! transaction. `Store` has every aggregate as a supertrait, so a `dyn Store` offers
//! them all.
//!
//! A new table needs:
//! 1. a migration (`migrations/NNNN_name.sql`, listed in `migrations.rs`);
//! 2. a module `sql/<table>.rs` with its SQL text, its parameters, its row mapping (a
//!    `FromRow` implementation, so that `Db::fetch` returns it), and a function per kind
//!    of write returning its `Statement`(s);
//! 3. a variant of `Write` per kind of write, matched in `Write::statements` (and in
//!    `Write::changes_standing`) to those functions: operations then change the table
//!    through write sets, in order, atomically with everything else;
//! 4. for its reads, a trait in a module of its own implemented once for every `Db`
//!    (`directory.rs` is the pattern), added to `Store`'s supertraits; only a read that
//!    is measurably faster on a backend's own path goes into `Store` instead;
//! 5. a case in `tests/suite.rs`, which runs on both databases.

mod blobs;
mod bulk;
mod console;
pub mod db;
mod directory;
mod event_log;
mod groups;
pub mod mailbox;
mod migrations;
mod notifications;
mod oauth_clients;
mod postgres;
mod rows;
mod service_accounts;
mod sessions;
mod sql;
mod sqlite;
mod transfer_tokens;
mod verified_sites;
mod write;

use std::sync::Arc;

use async_trait::async_trait;
use partnerd_domain::auth::{AccessGrant, ServiceAccount, ServiceAccountKey};
use partnerd_domain::customer::{Customer, CustomerType};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::subscription::Subscription;
use partnerd_domain::user::User;

pub use blobs::BlobStore;
pub use bulk::BulkIndexes;
pub use console::ConsoleReads;
pub use directory::DirectoryStore;
pub use event_log::EventStore;
pub use groups::GroupStore;
pub use migrations::MIGRATIONS;
pub use notifications::NotifyStore;
pub use oauth_clients::OAuthClientStore;
pub use postgres::PostgresStore;
pub use service_accounts::ServiceAccountStore;
pub use sessions::SessionStore;
pub use sqlite::SqliteStore;
pub use transfer_tokens::TransferTokenStore;
pub use verified_sites::SiteStore;
pub use write::{Mail, Push, TokenDeletion, Write, WriteSet, WriteSetStore};

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

/// A delivery lease, in real (wall-clock) milliseconds: the platform clock can jump.
#[derive(Debug, Clone, Copy)]
pub struct Lease {
    pub now: i64,
    pub until: i64,
}

/// What is stored of a blob besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    pub id: String,
    pub size: u64,
    /// SHA-256 of the bytes, hexadecimal.
    pub sha256: String,
    pub chunks: u64,
}

impl BlobInfo {
    pub fn of(id: &str, data: &[u8]) -> Self {
        BlobInfo {
            id: id.to_string(),
            size: data.len() as u64,
            sha256: ids::content_digest(data),
            chunks: data.len().div_ceil(sql::BLOB_CHUNK).max(1) as u64,
        }
    }
}

/// A queued delivery claimed for sending: a push or an e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: i64,
    /// The reseller a push is for, or the account an e-mail concerns.
    pub reseller_id: String,
    /// Where it goes: the reseller's push endpoint URL, or the e-mail's recipient.
    pub url: String,
    pub message_id: String,
    pub payload: String,
    /// Attempts before this one.
    pub attempts: i64,
}

/// Which of a reseller's subscriptions a list page shows.
#[derive(Debug, Clone)]
pub enum SubscriptionFilter {
    All,
    Customer(String),
    DomainPrefix(String),
}

/// How a page of a reseller's customers is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CustomerOrder {
    /// By primary domain, A to Z.
    #[default]
    Domain,
    /// By organization name, A to Z (then by id).
    Organization,
    /// Newest first (then by id).
    Newest,
    /// By earliest renewal date, soonest first (then by id); customers with no renewal
    /// date (only Flexible or trial subscriptions, or none) after them, by domain.
    Renewal,
}

/// Where the previous page ended: the last customer's sort key, in the page's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerCursor {
    Domain(String),
    Organization {
        name: String,
        id: String,
    },
    Newest {
        created_at: i64,
        id: String,
    },
    /// In the renewal order, among customers with a renewal date.
    Renewal {
        renews_at: i64,
        id: String,
    },
    /// In the renewal order, among the customers with none (by domain).
    Unrenewed(String),
}

impl CustomerCursor {
    /// The cursor after `c` in `order`.
    pub fn after(c: &Customer, order: CustomerOrder) -> Self {
        match order {
            CustomerOrder::Domain => CustomerCursor::Domain(c.domain.clone()),
            CustomerOrder::Organization => CustomerCursor::Organization {
                name: sql::organization_key(c),
                id: c.id.clone(),
            },
            CustomerOrder::Newest => CustomerCursor::Newest {
                created_at: c.created_at,
                id: c.id.clone(),
            },
            CustomerOrder::Renewal => CustomerCursor::Unrenewed(c.domain.clone()),
        }
    }

    /// The cursor after `c` in the renewal order, `renews_at` its earliest renewal.
    pub fn after_renewal(c: &Customer, renews_at: Option<i64>) -> Self {
        match renews_at {
            Some(at) => CustomerCursor::Renewal {
                renews_at: at,
                id: c.id.clone(),
            },
            None => CustomerCursor::Unrenewed(c.domain.clone()),
        }
    }
}

/// Whether a live subscription is suspended, for the list's status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldStatus {
    Active,
    Suspended,
}

/// How a page of customers with a holding filter finds them (`ConsoleReads::
/// customers_page_planned` picks one by counting the holders; every plan gives the same
/// page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldingPlan {
    /// Few hold what the filter asks for: start from the holders, found through the
    /// filter's index, and sort them.
    FromHolders,
    /// Some thousands: walk the customers in order and look each up in the holders' list,
    /// read once through the filter's index.
    WalkListed,
    /// Many: walk the customers in order and ask each, a point lookup in the filter's
    /// index for a plan or SKU. A renewal range or a suspension is looked up in the list
    /// here too, since asking a customer about those reads its subscriptions.
    WalkProbed,
}

/// Conditions one live subscription of the reseller must meet, all at once, for its
/// customer to be listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HoldingFilter {
    pub sku_id: Option<String>,
    pub plan: Option<partnerd_domain::plan::PlanName>,
    pub status: Option<HeldStatus>,
    pub reason: Option<partnerd_domain::plan::SuspensionReason>,
    /// Renewal date from this instant (inclusive)…
    pub renews_from: Option<i64>,
    /// …up to this one (exclusive).
    pub renews_before: Option<i64>,
}

impl HoldingFilter {
    pub fn is_empty(&self) -> bool {
        *self == HoldingFilter::default()
    }
}

/// Which of a reseller's customers a console list shows, and from where.
#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    /// Customers whose primary domain or organization name starts with this, in any case.
    pub search: Option<String>,
    pub customer_type: Option<CustomerType>,
    pub order: CustomerOrder,
    /// `None` for the first page; must match `order`.
    pub after: Option<CustomerCursor>,
    /// Only customers holding a live subscription of the reseller that meets these.
    pub holding: HoldingFilter,
    /// Only customers holding no live subscription of the reseller ("blank until the
    /// first order").
    pub without_subscriptions: bool,
}

/// A subscription with its list position and its customer's primary domain.
pub type SubscriptionRow = (i64, Subscription, String);

/// Every aggregate: the methods below, each backend's own, plus those written once over
/// `db::Db` in modules of their own (the supertraits; see the module comment).
#[async_trait]
pub trait Store:
    DirectoryStore
    + GroupStore
    + SiteStore
    + ServiceAccountStore
    + OAuthClientStore
    + TransferTokenStore
    + NotifyStore
    + EventStore
    + WriteSetStore
    + SessionStore
    + BlobStore
    + ConsoleReads
    + BulkIndexes
    + mailbox::Mailbox
    + Send
    + Sync
{
    /// True when no account exists yet (a fresh database).
    async fn is_empty(&self) -> Result<bool>;

    async fn create_reseller(&self, reseller: &NewReseller, event: NewEvent) -> Result<()>;

    /// An account by id or by primary domain (case-insensitive).
    async fn account(&self, id_or_domain: &str) -> Result<Option<Customer>>;

    /// The reseller account with this public reseller ID.
    async fn reseller_by_public_id(&self, public_id: &str) -> Result<Option<Customer>>;

    /// Inserts a customer; a domain that exists anywhere gives `Conflict`.
    async fn insert_customer(&self, customer: &Customer, event: NewEvent) -> Result<()>;

    /// Replaces a customer read earlier as `before`; `Stale` if it changed meanwhile.
    async fn update_customer(
        &self,
        before: &Customer,
        after: &Customer,
        event: NewEvent,
    ) -> Result<()>;

    async fn access_grant(&self, digest: &str) -> Result<Option<AccessGrant>>;

    /// A named setting (JSON text), shared by every process on the database.
    async fn setting(&self, name: &str) -> Result<Option<String>>;

    async fn put_setting(&self, name: &str, value: &str, event: NewEvent) -> Result<()>;

    /// Milliseconds the platform clock runs ahead of the wall clock.
    async fn clock_offset(&self) -> Result<i64>;

    /// Moves the platform clock forward by `by_ms`, atomically; returns the new offset.
    async fn advance_clock(&self, by_ms: i64, event: NewEvent) -> Result<i64>;

    /// A live subscription, only if `reseller_id` manages it.
    async fn subscription(&self, reseller_id: &str, id: &str) -> Result<Option<SubscriptionRow>>;

    /// A page of a reseller's live subscriptions after list position `after`.
    async fn subscriptions_page(
        &self,
        reseller_id: &str,
        filter: &SubscriptionFilter,
        after: i64,
        limit: u32,
    ) -> Result<Vec<SubscriptionRow>>;

    /// Every live subscription of a customer, whoever manages it.
    async fn customer_subscriptions(&self, customer_id: &str) -> Result<Vec<SubscriptionRow>>;

    /// Live subscriptions with a transition due at or before `now`, earliest first.
    async fn due_subscriptions(&self, now: i64, limit: u32) -> Result<Vec<SubscriptionRow>>;

    /// Claims up to `limit` pushes due at `due_by` (platform time) and not leased at
    /// `lease.now`, leasing each until `lease.until` (both real time).
    async fn claim_pushes(&self, due_by: i64, lease: Lease, limit: u32) -> Result<Vec<OutboxItem>>;

    /// Claims up to `limit` e-mails due at `due_by` and not leased at `lease.now`, leasing
    /// each until `lease.until`, as `claim_pushes` does; `destination` is the recipient.
    async fn claim_mail(&self, due_by: i64, lease: Lease, limit: u32) -> Result<Vec<OutboxItem>>;

    /// Records a delivery of any outbox item (`Ok(at)`) or the time of its next attempt
    /// (`Err(at)`).
    async fn finish_delivery(&self, id: i64, outcome: std::result::Result<i64, i64>) -> Result<()>;

    /// Seeds many customers and subscriptions in one transaction, committed durably: the
    /// rows `insert_customer` and `apply` would write, without events. For benchmarks and
    /// imports; call it in chunks (tens of thousands of rows each). A duplicate key fails
    /// the whole chunk with `Conflict`.
    async fn bulk_seed(&self, customers: &[Customer], subscriptions: &[Subscription])
    -> Result<()>;
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
