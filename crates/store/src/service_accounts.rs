//! Service accounts, their keys and their domain-wide delegation, written once over `Db`
//! for both databases. The token endpoint reads a key and a delegation per token issued:
//! `Db::fetch` is each backend's own read path, so this costs what a dedicated read
//! would. The access tokens issued are written by write sets (`Write::InsertAccessGrant`)
//! and looked up by `Store::access_grant`, the API's hot path.

use async_trait::async_trait;
use partnerd_domain::auth::{ServiceAccount, ServiceAccountKey};
use partnerd_domain::event::NewEvent;

use crate::db::Db;
use crate::sql::{self, write};
use crate::{NewServiceAccount, Result};

#[async_trait]
pub trait ServiceAccountStore {
    /// Creates a service account with its first key and its delegation, in one transaction.
    async fn create_service_account(&self, sa: &NewServiceAccount, event: NewEvent) -> Result<()>;

    /// A key by its id, with the service account it belongs to.
    async fn service_account_key(
        &self,
        key_id: &str,
    ) -> Result<Option<(ServiceAccount, ServiceAccountKey)>>;

    /// Adds a key to an existing service account (key rotation, or a second holder).
    async fn add_service_account_key(&self, key: &ServiceAccountKey, event: NewEvent)
    -> Result<()>;

    /// A service account by its e-mail address (`client_email`).
    async fn service_account_by_email(&self, email: &str) -> Result<Option<ServiceAccount>>;

    /// The keys of the service account with this e-mail address, newest first, at most
    /// ten: what an assertion without `kid` may have been signed with.
    async fn service_account_keys_of(
        &self,
        email: &str,
    ) -> Result<Vec<(ServiceAccount, ServiceAccountKey)>>;

    /// The scopes a client ID may use when impersonating users of an account.
    async fn delegated_scopes(
        &self,
        account_id: &str,
        client_id: &str,
    ) -> Result<Option<Vec<String>>>;
}

#[async_trait]
impl<T: Db + ?Sized> ServiceAccountStore for T {
    async fn create_service_account(&self, sa: &NewServiceAccount, event: NewEvent) -> Result<()> {
        self.run(vec![
            write(
                sql::INSERT_SERVICE_ACCOUNT,
                sql::service_account_params(&sa.account),
            ),
            write(sql::INSERT_KEY, sql::key_params(&sa.key)),
            write(sql::UPSERT_DELEGATION, sql::delegation_params(sa)),
            sql::insert_event(&event),
        ])
        .await
        .map(|_| ())
    }

    async fn service_account_key(
        &self,
        key_id: &str,
    ) -> Result<Option<(ServiceAccount, ServiceAccountKey)>> {
        let keys = self.fetch(sql::SELECT_KEY, vec![key_id.into()]).await?;
        Ok(keys.into_iter().next())
    }

    async fn add_service_account_key(
        &self,
        key: &ServiceAccountKey,
        event: NewEvent,
    ) -> Result<()> {
        self.run(vec![
            write(sql::INSERT_KEY, sql::key_params(key)),
            sql::insert_event(&event),
        ])
        .await
        .map(|_| ())
    }

    async fn service_account_by_email(&self, email: &str) -> Result<Option<ServiceAccount>> {
        let found = self
            .fetch(sql::SELECT_SERVICE_ACCOUNT_BY_EMAIL, vec![email.into()])
            .await?;
        Ok(found.into_iter().next())
    }

    async fn service_account_keys_of(
        &self,
        email: &str,
    ) -> Result<Vec<(ServiceAccount, ServiceAccountKey)>> {
        self.fetch(sql::SELECT_KEYS_OF_ISSUER, vec![email.into()])
            .await
    }

    async fn delegated_scopes(
        &self,
        account_id: &str,
        client_id: &str,
    ) -> Result<Option<Vec<String>>> {
        let scopes: Vec<String> = self
            .fetch(
                sql::SELECT_DELEGATION,
                vec![account_id.into(), client_id.into()],
            )
            .await?;
        Ok(scopes.first().map(|s| sql::split_scopes(s)))
    }
}
