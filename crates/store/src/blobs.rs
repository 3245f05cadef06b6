//! Binary data (attachments), written once over `Db` for both databases, in chunks: each
//! chunk is a transaction of its own, so an upload of megabytes never holds SQLite's
//! single group-commit writer for long, and several servers on one PostgreSQL share it.

use async_trait::async_trait;

use crate::db::Db;
use crate::rows::Value;
use crate::sql::{self, write};
use crate::{BlobInfo, Result};

#[async_trait]
pub trait BlobStore {
    /// Stores `data` under `id`, chunk by chunk, and makes it readable once complete. A
    /// record that refers to it is written afterwards, in its own write set.
    async fn put_blob(&self, id: &str, data: &[u8], at: i64) -> Result<BlobInfo>;

    /// The bytes of a complete blob, checked against their digest.
    async fn blob(&self, id: &str) -> Result<Option<Vec<u8>>>;

    async fn delete_blob(&self, id: &str) -> Result<()>;
}

#[async_trait]
impl<T: Db + ?Sized> BlobStore for T {
    async fn put_blob(&self, id: &str, data: &[u8], at: i64) -> Result<BlobInfo> {
        let info = BlobInfo::of(id, data);
        self.run(vec![write(
            sql::INSERT_BLOB,
            sql::blob_params(&info, at, false),
        )])
        .await?;
        let chunks: Vec<&[u8]> = if data.is_empty() {
            vec![&[][..]]
        } else {
            data.chunks(sql::BLOB_CHUNK).collect()
        };
        for (seq, chunk) in chunks.into_iter().enumerate() {
            let params = vec![
                Value::from(id),
                Value::from(seq as i64),
                Value::Bytes(chunk.to_vec()),
            ];
            self.run(vec![write(sql::INSERT_BLOB_CHUNK, params)])
                .await?;
        }
        let done = vec![Value::Bool(true), Value::from(id)];
        self.run(vec![write(sql::COMPLETE_BLOB, done)]).await?;
        Ok(info)
    }

    async fn blob(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let header = self
            .fetch(sql::SELECT_BLOB, vec![id.into(), Value::Bool(true)])
            .await?;
        let Some(info) = header.into_iter().next() else {
            return Ok(None);
        };
        let chunks = self.fetch(sql::SELECT_BLOB_CHUNKS, vec![id.into()]).await?;
        sql::joined_blob(info, chunks).map(Some)
    }

    async fn delete_blob(&self, id: &str) -> Result<()> {
        self.run(vec![
            write(sql::DELETE_BLOB_CHUNKS, vec![id.into()]),
            write(sql::DELETE_BLOB, vec![id.into()]),
        ])
        .await
        .map(|_| ())
    }
}
