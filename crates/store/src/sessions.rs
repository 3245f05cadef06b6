//! Console sessions, written once over `Db` for both databases.

use async_trait::async_trait;
use partnerd_domain::session::Session;

use crate::Result;
use crate::db::Db;
use crate::rows::Value;
use crate::sql::{self, write};

#[async_trait]
pub trait SessionStore {
    /// Starts a console session (durably, before the cookie is sent).
    async fn insert_session(&self, session: &Session) -> Result<()>;

    /// A session by the digest of its cookie's secret.
    async fn session(&self, digest: &str) -> Result<Option<Session>>;

    /// Records a use at `at` only if the stored last use is before `stale_before`; returns
    /// whether it wrote (of two requests at once, one does).
    async fn touch_session(&self, digest: &str, at: i64, stale_before: i64) -> Result<bool>;

    /// Replaces what the consoles keep in a session.
    async fn set_session_data(&self, digest: &str, data: &serde_json::Value) -> Result<()>;

    /// Ends one session (sign-out).
    async fn delete_session(&self, digest: &str) -> Result<()>;

    /// Forgets every session past its absolute end at `now`; returns how many.
    async fn delete_expired_sessions(&self, now: i64) -> Result<u64>;
}

#[async_trait]
impl<T: Db + ?Sized> SessionStore for T {
    async fn insert_session(&self, session: &Session) -> Result<()> {
        self.run(vec![write(
            sql::INSERT_SESSION,
            sql::session_params(session),
        )])
        .await
        .map(|_| ())
    }

    async fn session(&self, digest: &str) -> Result<Option<Session>> {
        let sessions = self.fetch(sql::SELECT_SESSION, vec![digest.into()]).await?;
        Ok(sessions.into_iter().next())
    }

    async fn touch_session(&self, digest: &str, at: i64, stale_before: i64) -> Result<bool> {
        let params = vec![
            Value::from(at),
            Value::from(digest),
            Value::from(stale_before),
        ];
        let changed = self.run(vec![write(sql::TOUCH_SESSION, params)]).await?;
        Ok(changed.first().is_some_and(|n| *n > 0))
    }

    async fn set_session_data(&self, digest: &str, data: &serde_json::Value) -> Result<()> {
        let params = vec![Value::from(data.to_string()), Value::from(digest)];
        self.run(vec![write(sql::UPDATE_SESSION_DATA, params)])
            .await
            .map(|_| ())
    }

    async fn delete_session(&self, digest: &str) -> Result<()> {
        self.run(vec![write(sql::DELETE_SESSION, vec![digest.into()])])
            .await
            .map(|_| ())
    }

    async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        let changed = self
            .run(vec![write(sql::DELETE_EXPIRED_SESSIONS, vec![now.into()])])
            .await?;
        Ok(changed.first().copied().unwrap_or(0))
    }
}
