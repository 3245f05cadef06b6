//! Binary data (attachments), in chunks.

use crate::rows::{FromRow, Row, Value};
use crate::{Result, StoreError};

/// Blobs are written in chunks of this size (see migration 0011).
pub const BLOB_CHUNK: usize = 256 * 1024;

pub const INSERT_BLOB: &str = "INSERT INTO blobs (id, size, sha256, chunks, created_at, complete) \
     VALUES ($1, $2, $3, $4, $5, $6)";
pub const INSERT_BLOB_CHUNK: &str =
    "INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)";
pub const COMPLETE_BLOB: &str = "UPDATE blobs SET complete = $1 WHERE id = $2";
pub const SELECT_BLOB: &str =
    "SELECT size, sha256, chunks FROM blobs WHERE id = $1 AND complete = $2";
pub const SELECT_BLOB_CHUNKS: &str = "SELECT data FROM blob_chunks WHERE blob_id = $1 ORDER BY seq";
pub const DELETE_BLOB_CHUNKS: &str = "DELETE FROM blob_chunks WHERE blob_id = $1";
pub const DELETE_BLOB: &str = "DELETE FROM blobs WHERE id = $1";

pub fn blob_params(b: &crate::BlobInfo, at: i64, complete: bool) -> Vec<Value> {
    vec![
        b.id.as_str().into(),
        (b.size as i64).into(),
        b.sha256.as_str().into(),
        (b.chunks as i64).into(),
        at.into(),
        complete.into(),
    ]
}

/// A blob's header as `SELECT_BLOB` reads it: size, SHA-256, number of chunks.
impl FromRow for (i64, String, i64) {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok((r.int(0)?, r.text(1)?, r.int(2)?))
    }
}

/// The stored chunks of a blob, joined and checked against its digest.
pub fn joined_blob(info: (i64, String, i64), chunks: Vec<Vec<u8>>) -> Result<Vec<u8>> {
    let (size, sha256, count) = info;
    if chunks.len() as i64 != count {
        return Err(StoreError::Backend(
            "a stored blob is missing chunks".into(),
        ));
    }
    let data = chunks.concat();
    if data.len() as i64 != size || partnerd_domain::ids::content_digest(&data) != sha256 {
        return Err(StoreError::Backend(
            "a stored blob does not match its digest".into(),
        ));
    }
    Ok(data)
}
