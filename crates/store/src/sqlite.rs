//! The embedded store: SQLite in WAL mode through rusqlite.
//!
//! Reads run inline on pooled connections (a primary-key read costs a few microseconds,
//! less than a hop to another thread). Writes go to one writer thread that commits them
//! in groups: it takes every job waiting, runs each inside its own savepoint, commits
//! once with a full fsync, and only then answers each job. One fsync thus confirms many
//! requests, and no request is answered before its data is on disk.

use std::panic::AssertUnwindSafe;
use std::sync::Mutex;

use async_trait::async_trait;
use partnerd_domain::auth::AccessGrant;
use partnerd_domain::customer::Customer;
use partnerd_domain::event::NewEvent;
use rusqlite::{Connection, OpenFlags, params_from_iter};
use tokio::sync::oneshot;

use crate::migrations::{CREATE_VERSION_TABLE, Dialect, MIGRATIONS};
use crate::rows::{FromRow, Row, Value};
use crate::{
    Lease, NewReseller, OpenError, OutboxItem, Result, Store, StoreError, SubscriptionFilter,
    SubscriptionRow, sql,
};

/// At most this many writes share one commit.
const MAX_GROUP: usize = 256;
const BUSY_TIMEOUT_MS: u64 = 10_000;
const STATEMENT_CACHE: usize = 512;

type Done = Box<dyn FnOnce(Result<()>) + Send>;
type Job = Box<dyn FnOnce(&Connection) -> (bool, Done) + Send>;

pub struct SqliteStore {
    writer: crossbeam_channel::Sender<Job>,
    /// `None` for an in-memory database, which only the writer's connection can see:
    /// reads then go through the writer thread too.
    readers: Option<ReaderPool>,
}

struct ReaderPool {
    path: String,
    idle: Mutex<Vec<Connection>>,
}

fn backend(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e
        && f.code == rusqlite::ErrorCode::ConstraintViolation
    {
        return StoreError::Conflict(constraint_name(msg));
    }
    StoreError::Backend(e.to_string())
}

/// SQLite names the columns of the violated unique index ("UNIQUE constraint failed:
/// accounts.domain"); map them to the index names PostgreSQL reports, so callers see one name.
fn constraint_name(message: &str) -> String {
    let columns = message.rsplit(": ").next().unwrap_or(message);
    match columns {
        "accounts.domain" => "accounts_domain_key".into(),
        "accounts.id" => "accounts_pkey".into(),
        "accounts.reseller_public_id" => "accounts_public_id_key".into(),
        "users.primary_email" => "users_primary_email_key".into(),
        "service_accounts.email" => "service_accounts_email_key".into(),
        other => other.to_string(),
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    // partnerd runs some hundred distinct statements; rusqlite keeps 16 prepared per
    // connection by default, and re-preparing (parse and plan) on the single writer
    // thread showed in profiles.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // Without the query planner stability guarantee SQLite re-prepares a cached statement
    // whenever new parameter values might change its plan: subscriptions.get spent half
    // its server time parsing and planning its one query again.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL: in WAL mode every commit is fsynced, so a confirmed write survives power loss too.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Binds `params` to `sql` positionally; in debug builds checks that the placeholders
/// are numbered in order of appearance (see `sql/mod.rs`).
fn prepare<'c>(conn: &'c Connection, sql: &str) -> Result<rusqlite::CachedStatement<'c>> {
    let stmt = conn.prepare_cached(sql).map_err(backend)?;
    if cfg!(debug_assertions) {
        for i in 1..=stmt.parameter_count() {
            let expected = format!("${i}");
            debug_assert_eq!(stmt.parameter_name(i), Some(expected.as_str()), "{sql}");
        }
    }
    Ok(stmt)
}

fn execute(conn: &Connection, sql: &str, params: &[Value]) -> Result<usize> {
    prepare(conn, sql)?
        .execute(params_from_iter(params.iter()))
        .map_err(backend)
}

fn query<T>(
    conn: &Connection,
    sql: &str,
    params: &[Value],
    map: impl Fn(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = prepare(conn, sql)?;
    let mut rows = stmt
        .query(params_from_iter(params.iter()))
        .map_err(backend)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(backend)? {
        out.push(map(row)?);
    }
    Ok(out)
}

fn query_one<T>(
    conn: &Connection,
    sql: &str,
    params: &[Value],
    map: impl Fn(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    Ok(query(conn, sql, params, map)?.into_iter().next())
}

fn append_event(conn: &Connection, event: &NewEvent) -> Result<()> {
    execute(conn, sql::INSERT_EVENT, &sql::event_params(event)).map(|_| ())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(backend)?;
    tx.execute_batch(CREATE_VERSION_TABLE).map_err(backend)?;
    let current: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(backend)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        tx.execute_batch(&m.sql_for(Dialect::Sqlite))
            .map_err(backend)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, 0)",
            rusqlite::params![m.version, m.name],
        )
        .map_err(backend)?;
    }
    tx.commit().map_err(backend)
}

fn run_writer(mut conn: Connection, jobs: crossbeam_channel::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        commit_group(&mut conn, group);
    }
}

fn commit_group(conn: &mut Connection, group: Vec<Job>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        // Dropping the jobs unanswered tells each caller its write was abandoned.
        tracing::error!(error = %e, "could not begin a write transaction");
        return;
    }
    let mut completions = Vec::with_capacity(group.len());
    for job in group {
        let ok_savepoint = conn.execute_batch("SAVEPOINT job").is_ok();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| job(conn)));
        let (succeeded, done) = match outcome {
            Ok(pair) => pair,
            // The job's reply channel died with it; its caller sees a backend error.
            Err(_) => (false, Box::new(|_| {}) as Done),
        };
        if ok_savepoint {
            let end = if succeeded {
                "RELEASE job"
            } else {
                "ROLLBACK TO job; RELEASE job"
            };
            let _ = conn.execute_batch(end);
        }
        completions.push(done);
    }
    let committed = conn.execute_batch("COMMIT").map_err(backend);
    if committed.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    for done in completions {
        done(committed.clone());
    }
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `path`, or an in-memory one for `:memory:`.
    pub fn open(path: &str) -> std::result::Result<Self, OpenError> {
        let in_memory = path == ":memory:";
        let mut conn = if in_memory {
            Connection::open_in_memory()
        } else {
            Connection::open(path)
        }
        .map_err(|e| OpenError(format!("opening SQLite database '{path}': {e}")))?;
        configure(&conn).map_err(|e| OpenError(e.to_string()))?;
        if !in_memory {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(|e| OpenError(e.to_string()))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(OpenError(format!("SQLite refused WAL mode (got {mode})")));
            }
        }
        migrate(&mut conn)?;

        let (sender, receiver) = crossbeam_channel::unbounded::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run_writer(conn, receiver))
            .map_err(|e| OpenError(format!("starting the SQLite writer: {e}")))?;
        let readers = (!in_memory).then(|| ReaderPool {
            path: path.to_string(),
            idle: Mutex::new(Vec::new()),
        });
        Ok(SqliteStore {
            writer: sender,
            readers,
        })
    }

    /// Runs `f` in the next group commit; resolves once the group is durably committed.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = oneshot::channel::<Result<T>>();
        let job: Job = Box::new(move |conn| {
            let result = f(conn);
            let succeeded = result.is_ok();
            let done: Done = Box::new(move |committed: Result<()>| {
                let _ = tx.send(committed.and(result));
            });
            (succeeded, done)
        });
        self.writer
            .send(job)
            .map_err(|_| StoreError::Backend("the SQLite writer has stopped".into()))?;
        rx.await
            .map_err(|_| StoreError::Backend("a write was abandoned".into()))?
    }

    /// Runs a read on a pooled connection, inline.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let Some(pool) = &self.readers else {
            return self.write(f).await;
        };
        let conn = match pool.idle.lock().map_err(poisoned)?.pop() {
            Some(conn) => conn,
            None => {
                let conn = Connection::open_with_flags(
                    &pool.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(backend)?;
                configure(&conn).map_err(backend)?;
                conn
            }
        };
        let result = f(&conn);
        pool.idle.lock().map_err(poisoned)?.push(conn);
        result
    }
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> StoreError {
    StoreError::Backend("a connection pool lock was poisoned".into())
}

#[async_trait]
impl crate::db::Db for SqliteStore {
    fn byte_ordered_text(&self) -> bool {
        true
    }

    async fn fetch<T: FromRow + Send + 'static>(
        &self,
        sql: impl Into<std::borrow::Cow<'static, str>> + Send,
        params: Vec<Value>,
    ) -> Result<Vec<T>> {
        let sql = sql.into();
        self.read(move |c| query(c, &sql, &params, |r| T::from_row(r)))
            .await
    }

    async fn rows(&self, sql: &str, params: Vec<Value>) -> Result<Vec<crate::db::OwnedRow>> {
        let sql = sql.to_string();
        self.read(move |c| {
            let mut stmt = prepare(c, &sql)?;
            let columns = stmt.column_count();
            let mut rows = stmt
                .query(params_from_iter(params.iter()))
                .map_err(backend)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(backend)? {
                out.push(crate::db::sqlite_row(row, columns)?);
            }
            Ok(out)
        })
        .await
    }

    async fn run(&self, statements: Vec<sql::Statement>) -> Result<Vec<u64>> {
        // One writer job: its savepoint is rolled back whole if a statement fails.
        self.write(move |c| {
            let mut counts = Vec::with_capacity(statements.len());
            for st in &statements {
                let n = execute(c, st.sql, &st.params)?;
                if n == 0 && st.expects_one_row {
                    return Err(StoreError::Stale);
                }
                counts.push(n as u64);
            }
            Ok(counts)
        })
        .await
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn is_empty(&self) -> Result<bool> {
        self.read(|c| {
            let n = query_one(c, sql::COUNT_ACCOUNTS, &[], |r| r.int(0))?;
            Ok(n.unwrap_or(0) == 0)
        })
        .await
    }

    async fn create_reseller(&self, reseller: &NewReseller, event: NewEvent) -> Result<()> {
        let account = sql::account_params(&reseller.account)?;
        let admin = sql::user_params(&reseller.admin);
        self.write(move |c| {
            execute(c, sql::INSERT_ACCOUNT, &account)?;
            execute(c, sql::INSERT_USER, &admin)?;
            append_event(c, &event)
        })
        .await
    }

    async fn account(&self, id_or_domain: &str) -> Result<Option<Customer>> {
        let (query_text, key) = sql::account_lookup(id_or_domain);
        self.read(move |c| query_one(c, &query_text, &[key], |r| sql::account_from_row(r)))
            .await
    }

    async fn reseller_by_public_id(&self, public_id: &str) -> Result<Option<Customer>> {
        let key = Value::from(public_id);
        self.read(move |c| {
            query_one(c, &sql::select_account_by_public_id(), &[key], |r| {
                sql::account_from_row(r)
            })
        })
        .await
    }

    async fn insert_customer(&self, customer: &Customer, event: NewEvent) -> Result<()> {
        let params = sql::account_params(customer)?;
        self.write(move |c| {
            execute(c, sql::INSERT_ACCOUNT, &params)?;
            append_event(c, &event)
        })
        .await
    }

    async fn update_customer(
        &self,
        before: &Customer,
        after: &Customer,
        event: NewEvent,
    ) -> Result<()> {
        let params = sql::update_account_params(before, after)?;
        self.write(move |c| {
            if execute(c, sql::UPDATE_ACCOUNT, &params)? == 0 {
                return Err(StoreError::Stale);
            }
            append_event(c, &event)
        })
        .await
    }

    async fn access_grant(&self, digest: &str) -> Result<Option<AccessGrant>> {
        let key = Value::from(digest);
        self.read(move |c| query_one(c, sql::SELECT_GRANT, &[key], |r| sql::grant_from_row(r)))
            .await
    }

    async fn setting(&self, name: &str) -> Result<Option<String>> {
        let key = Value::from(name);
        self.read(move |c| query_one(c, sql::SELECT_SETTING, &[key], |r| r.text(0)))
            .await
    }

    async fn put_setting(&self, name: &str, value: &str, event: NewEvent) -> Result<()> {
        let params = vec![Value::from(name), Value::from(value)];
        self.write(move |c| {
            execute(c, sql::UPSERT_SETTING, &params)?;
            append_event(c, &event)
        })
        .await
    }

    async fn clock_offset(&self) -> Result<i64> {
        self.read(|c| {
            let v = query_one(c, sql::SELECT_SETTING, &[sql::CLOCK_OFFSET.into()], |r| {
                r.text(0)
            })?;
            Ok(v.and_then(|s| s.parse().ok()).unwrap_or(0))
        })
        .await
    }

    async fn advance_clock(&self, by_ms: i64, event: NewEvent) -> Result<i64> {
        self.write(move |c| {
            let params = vec![sql::CLOCK_OFFSET.into(), Value::Text(by_ms.to_string())];
            let v = query_one(c, sql::ADD_TO_SETTING, &params, |r| r.text(0))?;
            append_event(c, &event)?;
            v.and_then(|s| s.parse().ok())
                .ok_or_else(|| StoreError::Backend("the clock offset is not a number".into()))
        })
        .await
    }

    async fn subscription(&self, reseller_id: &str, id: &str) -> Result<Option<SubscriptionRow>> {
        let params = vec![Value::from(id), Value::from(reseller_id)];
        self.read(move |c| {
            query_one(c, &sql::select_subscription_of_reseller(), &params, |r| {
                sql::subscription_from_row(r)
            })
        })
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
        self.read(move |c| query(c, &text, &params, |r| sql::subscription_from_row(r)))
            .await
    }

    async fn customer_subscriptions(&self, customer_id: &str) -> Result<Vec<SubscriptionRow>> {
        let params = vec![Value::from(customer_id)];
        self.read(move |c| {
            query(c, &sql::select_customer_subscriptions(), &params, |r| {
                sql::subscription_from_row(r)
            })
        })
        .await
    }

    async fn due_subscriptions(&self, now: i64, limit: u32) -> Result<Vec<SubscriptionRow>> {
        let params = vec![Value::Int(now), Value::Int(i64::from(limit))];
        self.read(move |c| {
            query(c, &sql::select_due(), &params, |r| {
                sql::subscription_from_row(r)
            })
        })
        .await
    }

    async fn claim_pushes(&self, due_by: i64, lease: Lease, limit: u32) -> Result<Vec<OutboxItem>> {
        self.write(move |c| claim_due(c, sql::SELECT_DUE_PUSHES, due_by, lease, limit))
            .await
    }

    async fn claim_mail(&self, due_by: i64, lease: Lease, limit: u32) -> Result<Vec<OutboxItem>> {
        self.write(move |c| claim_due(c, sql::SELECT_DUE_MAIL, due_by, lease, limit))
            .await
    }

    async fn finish_delivery(&self, id: i64, outcome: std::result::Result<i64, i64>) -> Result<()> {
        let (text, at) = match outcome {
            Ok(at) => (sql::MARK_DELIVERED, at),
            Err(at) => (sql::RESCHEDULE_PUSH, at),
        };
        self.write(move |c| execute(c, text, &[at.into(), id.into()]).map(|_| ()))
            .await
    }

    async fn bulk_seed(
        &self,
        customers: &[Customer],
        subscriptions: &[partnerd_domain::subscription::Subscription],
    ) -> Result<()> {
        let rows = crate::bulk::rows(customers, subscriptions)?;
        self.write(move |c| crate::bulk::sqlite_insert(c, &rows, execute))
            .await
    }
}

/// Leases the outbox items `select` finds due; only the process whose update matches the
/// lease it read gets each.
fn claim_due(
    c: &Connection,
    select: &str,
    due_by: i64,
    lease: Lease,
    limit: u32,
) -> Result<Vec<OutboxItem>> {
    let due = query(
        c,
        select,
        &[due_by.into(), lease.now.into(), i64::from(limit).into()],
        |r| sql::outbox_from_row(r),
    )?;
    let mut claimed = Vec::new();
    for (item, leased_until) in due {
        let params = vec![lease.until.into(), item.id.into(), leased_until.into()];
        if execute(c, sql::CLAIM_PUSH, &params)? == 1 {
            claimed.push(item);
        }
    }
    Ok(claimed)
}
