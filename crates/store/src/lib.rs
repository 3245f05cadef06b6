//! partnerd's storage seam: one interface, an embedded SQLite implementation and a
//! PostgreSQL one, passing the same test suite.
//!
//! Every method that writes commits durably before it returns, and appends its events
//! to the event log in the same transaction.

mod blobs;
mod bulk;
mod console;
pub mod db;
pub mod mailbox;
mod migrations;
mod postgres;
mod rows;
mod sessions;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use partnerd_domain::auth::{AccessGrant, ServiceAccount, ServiceAccountKey};
use partnerd_domain::customer::{Customer, CustomerType};
use partnerd_domain::directory::OrgUnit;
use partnerd_domain::event::{Event, NewEvent};
use partnerd_domain::ids;
use partnerd_domain::licensing::License;
use partnerd_domain::roles::{Role, RoleAssignment};
use partnerd_domain::subscription::Subscription;
use partnerd_domain::transfer::TransferToken;
use partnerd_domain::user::User;

pub use blobs::BlobStore;
pub use console::ConsoleReads;
pub use migrations::MIGRATIONS;
pub use postgres::PostgresStore;
pub use sessions::SessionStore;
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

/// Everything one request or one transition changes, written in one transaction: either
/// all of it is committed or none. Updates carry the version they were computed from and
/// fail with `Stale` if it changed meanwhile.
#[derive(Debug, Clone, Default)]
pub struct WriteSet {
    pub insert_subscriptions: Vec<Subscription>,
    /// (version read, new state)
    pub update_subscriptions: Vec<(i64, Subscription)>,
    /// (state read, new state)
    pub update_customers: Vec<(Customer, Customer)>,
    pub events: Vec<NewEvent>,
    pub pushes: Vec<Push>,
    /// E-mail to send once the rest commits (the outbox, kind `email`).
    pub mails: Vec<Mail>,
    pub insert_users: Vec<User>,
    /// (state read, new state)
    pub update_users: Vec<(User, User)>,
    pub insert_org_units: Vec<OrgUnit>,
    /// (state read, new state)
    pub update_org_units: Vec<(OrgUnit, OrgUnit)>,
    pub delete_org_units: Vec<OrgUnit>,
    pub insert_roles: Vec<Role>,
    /// (state read, new state)
    pub update_roles: Vec<(Role, Role)>,
    pub delete_roles: Vec<Role>,
    pub insert_assignments: Vec<RoleAssignment>,
    pub delete_assignments: Vec<RoleAssignment>,
    pub insert_licenses: Vec<License>,
    pub delete_licenses: Vec<License>,
    /// Users whose access tokens end now (suspended or deleted).
    pub revoke_access_of_users: Vec<String>,
    /// Users signed out of every console session now (password changed, suspended,
    /// deleted).
    pub end_sessions_of_users: Vec<String>,
    pub delete_transfer_tokens: Vec<TokenDeletion>,
}

impl WriteSet {
    /// Whether committing this would change nothing (an operation that found nothing to
    /// do). Every field is named, so a new one cannot be forgotten here.
    pub fn is_empty(&self) -> bool {
        let WriteSet {
            insert_subscriptions,
            update_subscriptions,
            update_customers,
            events,
            pushes,
            mails,
            insert_users,
            update_users,
            insert_org_units,
            update_org_units,
            delete_org_units,
            insert_roles,
            update_roles,
            delete_roles,
            insert_assignments,
            delete_assignments,
            insert_licenses,
            delete_licenses,
            revoke_access_of_users,
            end_sessions_of_users,
            delete_transfer_tokens,
        } = self;
        insert_subscriptions.is_empty()
            && update_subscriptions.is_empty()
            && update_customers.is_empty()
            && events.is_empty()
            && pushes.is_empty()
            && mails.is_empty()
            && insert_users.is_empty()
            && update_users.is_empty()
            && insert_org_units.is_empty()
            && update_org_units.is_empty()
            && delete_org_units.is_empty()
            && insert_roles.is_empty()
            && update_roles.is_empty()
            && delete_roles.is_empty()
            && insert_assignments.is_empty()
            && delete_assignments.is_empty()
            && insert_licenses.is_empty()
            && delete_licenses.is_empty()
            && revoke_access_of_users.is_empty()
            && end_sessions_of_users.is_empty()
            && delete_transfer_tokens.is_empty()
    }
}

/// Transfer tokens that stop being valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenDeletion {
    /// The token with this digest (spent).
    One(String),
    /// Every token of `customer_id` for a reseller other than `keep_reseller_id`: the
    /// customer moved to that reseller.
    OthersOf {
        customer_id: String,
        keep_reseller_id: String,
    },
}

/// A delivery lease, in real (wall-clock) milliseconds: the platform clock can jump.
#[derive(Debug, Clone, Copy)]
pub struct Lease {
    pub now: i64,
    pub until: i64,
}

/// A push notification for a reseller, queued in the outbox.
#[derive(Debug, Clone)]
pub struct Push {
    pub reseller_id: String,
    pub message_id: String,
    pub payload: serde_json::Value,
    pub at: i64,
}

/// An e-mail queued in the outbox, rendered already (subject, bodies, language).
#[derive(Debug, Clone)]
pub struct Mail {
    /// The account the message concerns.
    pub account_id: String,
    pub recipient: String,
    pub message_id: String,
    pub payload: serde_json::Value,
    pub at: i64,
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
}

/// Where the previous page ended: the last customer's sort key, in the page's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerCursor {
    Domain(String),
    Organization { name: String, id: String },
    Newest { created_at: i64, id: String },
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
        }
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
}

/// A subscription with its list position and its customer's primary domain.
pub type SubscriptionRow = (i64, Subscription, String);

/// Every aggregate: the methods below, plus those written once over `db::Db` in modules
/// of their own (`SessionStore`, `BlobStore`, `ConsoleReads`).
#[async_trait]
pub trait Store: SessionStore + BlobStore + ConsoleReads + mailbox::Mailbox + Send + Sync {
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

    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;

    async fn user_by_id(&self, id: &str) -> Result<Option<User>>;

    /// Every user of an account, deleted ones included, by e-mail address.
    async fn users_of(&self, account_id: &str) -> Result<Vec<User>>;

    /// Every organizational unit of an account below its root, by path.
    async fn org_units(&self, account_id: &str) -> Result<Vec<OrgUnit>>;

    /// The custom roles of an account.
    async fn roles(&self, account_id: &str) -> Result<Vec<Role>>;

    async fn role_assignments(&self, account_id: &str) -> Result<Vec<RoleAssignment>>;

    /// Every paid licence of an account.
    async fn licenses(&self, account_id: &str) -> Result<Vec<License>>;

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

    /// A named setting (JSON text), shared by every process on the database.
    async fn setting(&self, name: &str) -> Result<Option<String>>;

    async fn put_setting(&self, name: &str, value: &str, event: NewEvent) -> Result<()>;

    /// Milliseconds the platform clock runs ahead of the wall clock.
    async fn clock_offset(&self) -> Result<i64>;

    /// Moves the platform clock forward by `by_ms`, atomically; returns the new offset.
    async fn advance_clock(&self, by_ms: i64, event: NewEvent) -> Result<i64>;

    /// Events of one account (or all, with `None`) with an id above `after`, oldest first.
    async fn events(&self, account_id: Option<&str>, after: i64, limit: u32) -> Result<Vec<Event>>;

    /// Commits a set of changes atomically.
    async fn apply(&self, changes: WriteSet) -> Result<()>;

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

    async fn has_super_admin(&self, account_id: &str) -> Result<bool>;

    /// Stores a new transfer token; it supersedes every older token of the same customer
    /// for the same reseller, which are deleted in the same transaction.
    async fn insert_transfer_token(&self, token: &TransferToken, event: NewEvent) -> Result<()>;

    async fn transfer_token(&self, digest: &str) -> Result<Option<TransferToken>>;

    /// Adds or removes a service account allowed to read the reseller's notifications.
    async fn set_registration(
        &self,
        reseller_id: &str,
        email: &str,
        registered: bool,
        event: NewEvent,
    ) -> Result<()>;

    async fn registrations(&self, reseller_id: &str) -> Result<Vec<String>>;

    async fn set_push_endpoint(
        &self,
        reseller_id: &str,
        url: Option<&str>,
        event: NewEvent,
    ) -> Result<()>;

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
