//! The PostgreSQL store, for more than one partnerd process or more than one machine.
//! Same SQL text and row mapping as SQLite (`sql/`); a deadpool of tokio-postgres
//! connections; each write is one transaction, committed before the call returns.

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Transaction};
use partnerd_domain::auth::AccessGrant;
use partnerd_domain::customer::Customer;
use partnerd_domain::event::NewEvent;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use crate::migrations::{CREATE_VERSION_TABLE, Dialect, MIGRATIONS};
use crate::rows::{FromRow, Row, Value};
use crate::{
    Lease, NewReseller, OpenError, OutboxItem, Result, Store, StoreError, SubscriptionFilter,
    SubscriptionRow, sql,
};

const POOL_SIZE: usize = 16;
/// Any constant shared by every partnerd process: serialises migrations at start.
const MIGRATION_LOCK: i64 = 0x0070_6172_746e_6572;

pub struct PostgresStore {
    pool: Pool,
    /// The database's collation orders text by code point (C, POSIX, C.UTF-8).
    byte_ordered: bool,
}

fn backend(e: tokio_postgres::Error) -> StoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        let name = e
            .as_db_error()
            .and_then(|d| d.constraint())
            .unwrap_or("unique")
            .to_string();
        return StoreError::Conflict(name);
    }
    StoreError::Backend(e.to_string())
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    StoreError::Backend(format!("PostgreSQL pool: {e}"))
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

async fn execute(tx: &Transaction<'_>, sql: &str, params: &[Value]) -> Result<u64> {
    let stmt = tx.prepare_cached(sql).await.map_err(backend)?;
    tx.execute(&stmt, &refs(params)).await.map_err(backend)
}

async fn append_event(tx: &Transaction<'_>, event: &NewEvent) -> Result<()> {
    execute(tx, sql::INSERT_EVENT, &sql::event_params(event))
        .await
        .map(|_| ())
}

impl PostgresStore {
    pub async fn connect(url: &str) -> std::result::Result<Self, OpenError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| OpenError(format!("PostgreSQL URL: {e}")))?;
        // Pages are prepared statements; once PostgreSQL switches to their generic plan
        // (LIMIT unknown) it starts parallel workers for a 100-row page, ten times slower
        // than reading the index in order. Short OLTP queries never gain from them.
        if config.get_options().is_none() {
            config.options("-c max_parallel_workers_per_gather=0");
        }
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|e| OpenError(format!("PostgreSQL pool: {e}")))?;
        let mut store = PostgresStore {
            pool,
            byte_ordered: false,
        };
        store.migrate().await?;
        store.byte_ordered = store.collation_is_byte_order().await?;
        Ok(store)
    }

    /// Whether the database compares text by code point, as the C collations do (UTF-8
    /// byte order is code point order): then a search prefix is a range of an index.
    async fn collation_is_byte_order(&self) -> Result<bool> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let row = client
            .query_one(
                "SELECT datcollate FROM pg_database WHERE datname = current_database()",
                &[],
            )
            .await
            .map_err(backend)?;
        let collation: String = row.get(0);
        Ok(collation == "C"
            || collation == "POSIX"
            || collation.eq_ignore_ascii_case("C.UTF-8")
            || collation.eq_ignore_ascii_case("C.utf8"))
    }

    async fn migrate(&self) -> Result<()> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await.map_err(backend)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(backend)?;
        tx.batch_execute(CREATE_VERSION_TABLE)
            .await
            .map_err(backend)?;
        let row = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .await
            .map_err(backend)?;
        let current: i64 = row.try_get(0).map_err(backend)?;
        for m in MIGRATIONS.iter().filter(|m| m.version > current) {
            tx.batch_execute(&m.sql_for(Dialect::Postgres))
                .await
                .map_err(backend)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)",
                &[&m.version, &m.name],
            )
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn query<T>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl Fn(&tokio_postgres::Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        // A key with a NUL character cannot match anything stored, and PostgreSQL
        // would refuse to even compare it.
        if params.iter().any(Value::has_nul) {
            return Ok(Vec::new());
        }
        let client = self.pool.get().await.map_err(pool_error)?;
        let stmt = client.prepare_cached(sql).await.map_err(backend)?;
        let rows = client.query(&stmt, &refs(params)).await.map_err(backend)?;
        rows.iter().map(map).collect()
    }

    /// Leases the outbox items `claim` (a SKIP LOCKED statement) finds due. One
    /// statement, so its own transaction: the row locks last until it returns.
    async fn claim_due(
        &self,
        claim: &str,
        due_by: i64,
        lease: Lease,
        limit: u32,
    ) -> Result<Vec<OutboxItem>> {
        let params = [
            due_by.into(),
            lease.now.into(),
            i64::from(limit).into(),
            lease.until.into(),
        ];
        let mut claimed = self.query(claim, &params, sql::outbox_from_row).await?;
        // RETURNING has no order: deliver oldest first, as the claim chose them.
        claimed.sort_by_key(|(item, _)| item.id);
        Ok(claimed.into_iter().map(|(item, _)| item).collect())
    }

    async fn query_one<T>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl Fn(&tokio_postgres::Row) -> Result<T>,
    ) -> Result<Option<T>> {
        Ok(self.query(sql, params, map).await?.into_iter().next())
    }
}

/// Runs the body in a transaction and commits it; any error rolls it back.
macro_rules! in_transaction {
    ($store:expr, |$tx:ident| $body:block) => {{
        let mut client = $store.pool.get().await.map_err(pool_error)?;
        let $tx = client.transaction().await.map_err(backend)?;
        let result: Result<_> = async { $body }.await;
        match result {
            Ok(v) => {
                $tx.commit().await.map_err(backend)?;
                Ok(v)
            }
            Err(e) => {
                let _ = $tx.rollback().await;
                Err(e)
            }
        }
    }};
}

#[async_trait]
impl crate::db::Db for PostgresStore {
    async fn fetch<T: FromRow + Send + 'static>(
        &self,
        sql: impl Into<std::borrow::Cow<'static, str>> + Send,
        params: Vec<Value>,
    ) -> Result<Vec<T>> {
        self.query(&sql.into(), &params, |r| T::from_row(r)).await
    }

    async fn rows(&self, sql: &str, params: Vec<Value>) -> Result<Vec<crate::db::OwnedRow>> {
        self.query(sql, &params, crate::db::postgres_row).await
    }

    fn byte_ordered_text(&self) -> bool {
        self.byte_ordered
    }

    async fn run(&self, statements: Vec<sql::Statement>) -> Result<Vec<u64>> {
        in_transaction!(self, |tx| {
            let mut counts = Vec::with_capacity(statements.len());
            for st in &statements {
                let n = execute(&tx, st.sql, &st.params).await?;
                if n == 0 && st.expects_one_row {
                    return Err(StoreError::Stale);
                }
                counts.push(n);
            }
            Ok(counts)
        })
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn is_empty(&self) -> Result<bool> {
        let n = self
            .query_one(sql::COUNT_ACCOUNTS, &[], |r| r.int(0))
            .await?;
        Ok(n.unwrap_or(0) == 0)
    }

    async fn create_reseller(&self, reseller: &NewReseller, event: NewEvent) -> Result<()> {
        let account = sql::account_params(&reseller.account)?;
        let admin = sql::user_params(&reseller.admin);
        in_transaction!(self, |tx| {
            execute(&tx, sql::INSERT_ACCOUNT, &account).await?;
            execute(&tx, sql::INSERT_USER, &admin).await?;
            append_event(&tx, &event).await
        })
    }

    async fn account(&self, id_or_domain: &str) -> Result<Option<Customer>> {
        let (text, key) = sql::account_lookup(id_or_domain);
        self.query_one(&text, &[key], sql::account_from_row).await
    }

    async fn reseller_by_public_id(&self, public_id: &str) -> Result<Option<Customer>> {
        self.query_one(
            &sql::select_account_by_public_id(),
            &[public_id.into()],
            sql::account_from_row,
        )
        .await
    }

    async fn insert_customer(&self, customer: &Customer, event: NewEvent) -> Result<()> {
        let params = sql::account_params(customer)?;
        in_transaction!(self, |tx| {
            execute(&tx, sql::INSERT_ACCOUNT, &params).await?;
            append_event(&tx, &event).await
        })
    }

    async fn update_customer(
        &self,
        before: &Customer,
        after: &Customer,
        event: NewEvent,
    ) -> Result<()> {
        let params = sql::update_account_params(before, after)?;
        in_transaction!(self, |tx| {
            if execute(&tx, sql::UPDATE_ACCOUNT, &params).await? == 0 {
                return Err(StoreError::Stale);
            }
            append_event(&tx, &event).await
        })
    }

    async fn access_grant(&self, digest: &str) -> Result<Option<AccessGrant>> {
        self.query_one(sql::SELECT_GRANT, &[digest.into()], |r| {
            sql::grant_from_row(r)
        })
        .await
    }

    async fn setting(&self, name: &str) -> Result<Option<String>> {
        self.query_one(sql::SELECT_SETTING, &[name.into()], |r| r.text(0))
            .await
    }

    async fn put_setting(&self, name: &str, value: &str, event: NewEvent) -> Result<()> {
        let params = vec![Value::from(name), Value::from(value)];
        in_transaction!(self, |tx| {
            execute(&tx, sql::UPSERT_SETTING, &params).await?;
            append_event(&tx, &event).await
        })
    }

    async fn clock_offset(&self) -> Result<i64> {
        let v = self
            .query_one(sql::SELECT_SETTING, &[sql::CLOCK_OFFSET.into()], |r| {
                r.text(0)
            })
            .await?;
        Ok(v.and_then(|s| s.parse().ok()).unwrap_or(0))
    }

    async fn advance_clock(&self, by_ms: i64, event: NewEvent) -> Result<i64> {
        let params = vec![sql::CLOCK_OFFSET.into(), Value::Text(by_ms.to_string())];
        in_transaction!(self, |tx| {
            let stmt = tx
                .prepare_cached(sql::ADD_TO_SETTING)
                .await
                .map_err(backend)?;
            let row = tx.query_one(&stmt, &refs(&params)).await.map_err(backend)?;
            append_event(&tx, &event).await?;
            row.text(0)?
                .parse()
                .map_err(|_| StoreError::Backend("the clock offset is not a number".into()))
        })
    }

    async fn subscription(&self, reseller_id: &str, id: &str) -> Result<Option<SubscriptionRow>> {
        self.query_one(
            &sql::select_subscription_of_reseller(),
            &[id.into(), reseller_id.into()],
            sql::subscription_from_row,
        )
        .await
    }

    async fn subscriptions_page(
        &self,
        reseller_id: &str,
        filter: &SubscriptionFilter,
        after: i64,
        limit: u32,
    ) -> Result<Vec<SubscriptionRow>> {
        let (text, params) = sql::page_query(reseller_id, filter, after, limit);
        self.query(&text, &params, sql::subscription_from_row).await
    }

    async fn customer_subscriptions(&self, customer_id: &str) -> Result<Vec<SubscriptionRow>> {
        self.query(
            &sql::select_customer_subscriptions(),
            &[customer_id.into()],
            sql::subscription_from_row,
        )
        .await
    }

    async fn due_subscriptions(&self, now: i64, limit: u32) -> Result<Vec<SubscriptionRow>> {
        self.query(
            &sql::select_due(),
            &[now.into(), i64::from(limit).into()],
            sql::subscription_from_row,
        )
        .await
    }

    async fn claim_pushes(&self, due_by: i64, lease: Lease, limit: u32) -> Result<Vec<OutboxItem>> {
        self.claim_due(sql::CLAIM_PUSHES_SKIP_LOCKED, due_by, lease, limit)
            .await
    }

    async fn claim_mail(&self, due_by: i64, lease: Lease, limit: u32) -> Result<Vec<OutboxItem>> {
        self.claim_due(sql::CLAIM_MAIL_SKIP_LOCKED, due_by, lease, limit)
            .await
    }

    async fn finish_delivery(&self, id: i64, outcome: std::result::Result<i64, i64>) -> Result<()> {
        let (text, at) = match outcome {
            Ok(at) => (sql::MARK_DELIVERED, at),
            Err(at) => (sql::RESCHEDULE_PUSH, at),
        };
        let params = vec![Value::Int(at), Value::Int(id)];
        in_transaction!(self, |tx| { execute(&tx, text, &params).await.map(|_| ()) })
    }

    async fn bulk_seed(
        &self,
        customers: &[Customer],
        subscriptions: &[partnerd_domain::subscription::Subscription],
    ) -> Result<()> {
        let rows = crate::bulk::rows(customers, subscriptions)?;
        in_transaction!(self, |tx| { crate::bulk::postgres_copy(&tx, &rows).await })
    }
}
