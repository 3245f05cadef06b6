//! Bulk seeding: many customers and subscriptions per transaction, for benchmarks and
//! imports. The rows are exactly those `insert_customer` and `apply` write (same SQL
//! columns and parameter encodings from `sql/`), so a seeded database is served like
//! any other; no events are appended, as for a restored backup.

use std::pin::pin;

use partnerd_domain::customer::Customer;
use partnerd_domain::subscription::Subscription;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::ToSql;

use crate::rows::Value;
use crate::{Result, StoreError, sql};

/// The parameters of every row, computed before the write (outside any writer thread).
pub(crate) struct Rows {
    pub accounts: Vec<Vec<Value>>,
    pub subscriptions: Vec<Vec<Value>>,
}

pub(crate) fn rows(customers: &[Customer], subscriptions: &[Subscription]) -> Result<Rows> {
    Ok(Rows {
        accounts: customers
            .iter()
            .map(sql::account_params)
            .collect::<Result<_>>()?,
        subscriptions: subscriptions
            .iter()
            .map(sql::insert_subscription_params)
            .collect::<Result<_>>()?,
    })
}

/// Inserts the rows with the prepared insert statements, inside the SQLite writer's
/// transaction (which commits them with a full fsync).
pub(crate) fn sqlite_insert(
    conn: &rusqlite::Connection,
    rows: &Rows,
    execute: impl Fn(&rusqlite::Connection, &str, &[Value]) -> Result<usize>,
) -> Result<()> {
    for params in &rows.accounts {
        execute(conn, sql::INSERT_ACCOUNT, params)?;
    }
    for params in &rows.subscriptions {
        execute(conn, sql::INSERT_SUBSCRIPTION, params)?;
    }
    Ok(())
}

/// Streams the rows with binary COPY inside `tx`; the caller commits.
pub(crate) async fn postgres_copy(
    tx: &deadpool_postgres::Transaction<'_>,
    rows: &Rows,
) -> Result<()> {
    if rows
        .accounts
        .iter()
        .chain(&rows.subscriptions)
        .any(|r| r.iter().any(Value::has_nul))
    {
        return Err(StoreError::Backend(
            "a bulk row holds a NUL character".into(),
        ));
    }
    copy(
        tx,
        sql::COPY_ACCOUNTS,
        sql::COPY_ACCOUNT_TYPES,
        &rows.accounts,
    )
    .await?;
    copy(
        tx,
        sql::COPY_SUBSCRIPTIONS,
        sql::COPY_SUBSCRIPTION_TYPES,
        &rows.subscriptions,
    )
    .await
}

async fn copy(
    tx: &deadpool_postgres::Transaction<'_>,
    statement: &str,
    types: &[tokio_postgres::types::Type],
    rows: &[Vec<Value>],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let sink = tx.copy_in(statement).await.map_err(copy_error)?;
    let mut writer = pin!(BinaryCopyInWriter::new(sink, types));
    for row in rows {
        let values: Vec<&(dyn ToSql + Sync)> =
            row.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        writer.as_mut().write(&values).await.map_err(copy_error)?;
    }
    writer.finish().await.map_err(copy_error)?;
    Ok(())
}

/// As the PostgreSQL store maps errors: a unique violation is a `Conflict` on its index.
fn copy_error(e: tokio_postgres::Error) -> StoreError {
    if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) {
        let name = e
            .as_db_error()
            .and_then(|d| d.constraint())
            .unwrap_or("unique");
        return StoreError::Conflict(name.to_string());
    }
    StoreError::Backend(e.to_string())
}

/// The indexes that only the console's list reads (the facts of each subscription,
/// migration 0015), as (drop, build) statements: a bulk seed writes its rows without them
/// and builds them once at the end, which sorts each index once instead of inserting
/// hundreds of thousands of entries in random order.
pub const LIST_INDEXES: [(&str, &str); 4] = [
    (
        "DROP INDEX IF EXISTS subscriptions_renewals",
        "CREATE INDEX IF NOT EXISTS subscriptions_renewals ON subscriptions (reseller_id, renews_at, customer_id, live_sku)",
    ),
    (
        "DROP INDEX IF EXISTS subscriptions_by_plan",
        "CREATE INDEX IF NOT EXISTS subscriptions_by_plan ON subscriptions (reseller_id, plan, customer_id, live_sku)",
    ),
    (
        "DROP INDEX IF EXISTS subscriptions_by_sku",
        "CREATE INDEX IF NOT EXISTS subscriptions_by_sku ON subscriptions (reseller_id, live_sku, customer_id)",
    ),
    (
        "DROP INDEX IF EXISTS subscriptions_suspended",
        "CREATE INDEX IF NOT EXISTS subscriptions_suspended ON subscriptions (reseller_id, suspension_reasons, customer_id, live_sku)\n    WHERE suspension_reasons <> ''",
    ),
];

/// Setting the list's indexes aside for a bulk seed, and building them after it.
#[async_trait::async_trait]
pub trait BulkIndexes {
    /// Drops `LIST_INDEXES` (for a database about to be seeded: the list is slow without
    /// them, never wrong).
    async fn set_list_indexes_aside(&self) -> Result<()>;

    /// Builds the `LIST_INDEXES` that are missing, as the migration defines them.
    async fn build_list_indexes(&self) -> Result<()>;
}

fn statements(pick: fn(&(&'static str, &'static str)) -> &'static str) -> Vec<sql::Statement> {
    LIST_INDEXES
        .iter()
        .map(|pair| sql::Statement {
            sql: pick(pair),
            params: vec![],
            expects_one_row: false,
        })
        .collect()
}

#[async_trait::async_trait]
impl<T: crate::db::Db + ?Sized> BulkIndexes for T {
    async fn set_list_indexes_aside(&self) -> Result<()> {
        self.run(statements(|(drop, _)| drop)).await.map(|_| ())
    }

    async fn build_list_indexes(&self) -> Result<()> {
        self.run(statements(|(_, build)| build)).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    /// Each index a bulk seed builds is the one the migration made, word for word.
    #[test]
    fn list_indexes_are_the_migrations() {
        let migrated = include_str!("../migrations/0015_subscription_facts.sql");
        for (_, build) in super::LIST_INDEXES {
            let create = build.replacen(" IF NOT EXISTS", "", 1);
            assert!(migrated.contains(&create), "{create}");
        }
    }
}
