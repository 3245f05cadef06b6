//! Reading the event log, written once over `Db` for both databases. Events are appended
//! by the write sets whose changes they describe (`Write::Event`).

use async_trait::async_trait;
use partnerd_domain::event::Event;

use crate::db::Db;
use crate::{Result, sql};

#[async_trait]
pub trait EventStore {
    /// Events of one account (or all, with `None`) with an id above `after`, oldest first.
    async fn events(&self, account_id: Option<&str>, after: i64, limit: u32) -> Result<Vec<Event>>;
}

#[async_trait]
impl<T: Db + ?Sized> EventStore for T {
    async fn events(&self, account_id: Option<&str>, after: i64, limit: u32) -> Result<Vec<Event>> {
        let (text, params) = sql::events_query(account_id, after, limit);
        self.fetch(text, params).await
    }
}
