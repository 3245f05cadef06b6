//! The two drivers' parameters and rows behind one small vocabulary, so that every
//! query's SQL text and its row mapping are written once (in `sql/`).

use std::error::Error;

use crate::{Result, StoreError};

/// A query parameter either driver can bind.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Bool(bool),
    Bytes(Vec<u8>),
}

impl Value {
    /// PostgreSQL text cannot hold NUL characters (SQLite can); no stored value has one.
    pub fn has_nul(&self) -> bool {
        match self {
            Value::Text(s) | Value::OptText(Some(s)) => s.contains('\0'),
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::OptText(v)
    }
}
impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        Value::OptText(v.clone())
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::OptInt(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Value::Text(s) => s.to_sql(),
            Value::OptText(s) => s.to_sql(),
            Value::Int(i) => i.to_sql(),
            Value::OptInt(i) => i.to_sql(),
            Value::Bool(b) => b.to_sql(),
            Value::Bytes(b) => b.to_sql(),
        }
    }
}

impl tokio_postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &tokio_postgres::types::Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> std::result::Result<tokio_postgres::types::IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Text(s) => s.to_sql(ty, out),
            Value::OptText(s) => s.to_sql(ty, out),
            Value::Int(i) => i.to_sql(ty, out),
            Value::OptInt(i) => i.to_sql(ty, out),
            Value::Bool(b) => b.to_sql(ty, out),
            Value::Bytes(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_ty: &tokio_postgres::types::Type) -> bool {
        // Each variant checks its own type when it is written.
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// Reading columns by position from either driver's row.
pub trait Row {
    fn text(&self, i: usize) -> Result<String>;
    fn opt_text(&self, i: usize) -> Result<Option<String>>;
    fn int(&self, i: usize) -> Result<i64>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>>;
    fn boolean(&self, i: usize) -> Result<bool>;
    fn bytes(&self, i: usize) -> Result<Vec<u8>>;
}

/// A value read from one row by either driver's own row type: what `Db::fetch` returns,
/// so that a read written once over `Db` maps rows as the backends' dedicated reads do,
/// with no copy of the cells in between. Implemented next to each table's row mapping.
pub trait FromRow: Sized {
    fn from_row(r: &impl Row) -> Result<Self>;
}

/// The first column, as text (a list of addresses, a setting).
impl FromRow for String {
    fn from_row(r: &impl Row) -> Result<Self> {
        r.text(0)
    }
}

/// The first column, as an integer (a count).
impl FromRow for i64 {
    fn from_row(r: &impl Row) -> Result<Self> {
        r.int(0)
    }
}

/// The first column, as bytes (a chunk of a blob).
impl FromRow for Vec<u8> {
    fn from_row(r: &impl Row) -> Result<Self> {
        r.bytes(0)
    }
}

fn column_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("reading a column: {e}"))
}

impl Row for rusqlite::Row<'_> {
    fn text(&self, i: usize) -> Result<String> {
        self.get(i).map_err(column_error)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        self.get(i).map_err(column_error)
    }
    fn int(&self, i: usize) -> Result<i64> {
        self.get(i).map_err(column_error)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        self.get(i).map_err(column_error)
    }
    fn boolean(&self, i: usize) -> Result<bool> {
        self.get(i).map_err(column_error)
    }
    fn bytes(&self, i: usize) -> Result<Vec<u8>> {
        self.get(i).map_err(column_error)
    }
}

impl Row for tokio_postgres::Row {
    fn text(&self, i: usize) -> Result<String> {
        self.try_get(i).map_err(column_error)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        self.try_get(i).map_err(column_error)
    }
    fn int(&self, i: usize) -> Result<i64> {
        self.try_get(i).map_err(column_error)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        self.try_get(i).map_err(column_error)
    }
    fn boolean(&self, i: usize) -> Result<bool> {
        self.try_get(i).map_err(column_error)
    }
    fn bytes(&self, i: usize) -> Result<Vec<u8>> {
        self.try_get(i).map_err(column_error)
    }
}
