//! Where a reseller's push notifications go (the service accounts that may read them,
//! the endpoint they are pushed to), written once over `Db` for both databases. The
//! pushes themselves are queued by write sets (`Write::Push`) and delivered from the
//! outbox (`Store::claim_pushes`).

use async_trait::async_trait;
use partnerd_domain::event::NewEvent;

use crate::Result;
use crate::db::Db;
use crate::rows::Value;
use crate::sql::{self, write};

#[async_trait]
pub trait NotifyStore {
    /// Adds or removes a service account allowed to read the reseller's notifications.
    async fn set_registration(
        &self,
        reseller_id: &str,
        email: &str,
        registered: bool,
        event: NewEvent,
    ) -> Result<()>;

    /// The service accounts registered for a reseller, by address.
    async fn registrations(&self, reseller_id: &str) -> Result<Vec<String>>;

    /// Points the reseller's pushes at `url`, or stops them with `None`.
    async fn set_push_endpoint(
        &self,
        reseller_id: &str,
        url: Option<&str>,
        event: NewEvent,
    ) -> Result<()>;
}

#[async_trait]
impl<T: Db + ?Sized> NotifyStore for T {
    async fn set_registration(
        &self,
        reseller_id: &str,
        email: &str,
        registered: bool,
        event: NewEvent,
    ) -> Result<()> {
        let params = vec![Value::from(reseller_id), Value::from(email)];
        let text = if registered {
            sql::INSERT_REGISTRATION
        } else {
            sql::DELETE_REGISTRATION
        };
        self.run(vec![write(text, params), sql::insert_event(&event)])
            .await
            .map(|_| ())
    }

    async fn registrations(&self, reseller_id: &str) -> Result<Vec<String>> {
        self.fetch(sql::SELECT_REGISTRATIONS, vec![reseller_id.into()])
            .await
    }

    async fn set_push_endpoint(
        &self,
        reseller_id: &str,
        url: Option<&str>,
        event: NewEvent,
    ) -> Result<()> {
        let change = match url {
            Some(u) => write(
                sql::UPSERT_PUSH_ENDPOINT,
                vec![Value::from(reseller_id), Value::from(u)],
            ),
            None => write(sql::DELETE_PUSH_ENDPOINT, vec![Value::from(reseller_id)]),
        };
        self.run(vec![change, sql::insert_event(&event)])
            .await
            .map(|_| ())
    }
}
