//! OAuth clients for user credentials and the refresh tokens issued to their users,
//! written once over `Db` for both databases. The token endpoint reads a client and a
//! refresh token per refresh; the access tokens it then issues are ordinary grants
//! (`Write::InsertAccessGrant`).

use async_trait::async_trait;
use partnerd_domain::auth::{OAuthClient, RefreshGrant};
use partnerd_domain::event::NewEvent;

use crate::Result;
use crate::db::Db;
use crate::sql::{self, write};

#[async_trait]
pub trait OAuthClientStore {
    /// Registers an OAuth client, with its event, in one transaction.
    async fn create_oauth_client(&self, client: &OAuthClient, event: NewEvent) -> Result<()>;

    async fn oauth_client(&self, client_id: &str) -> Result<Option<OAuthClient>>;

    /// Stores a refresh token (its digest), with its event, in one transaction.
    async fn insert_refresh_grant(&self, grant: &RefreshGrant, event: NewEvent) -> Result<()>;

    /// A refresh token by the digest of its secret.
    async fn refresh_grant(&self, digest: &str) -> Result<Option<RefreshGrant>>;

    /// Ends a refresh token; whether there was one to end.
    async fn revoke_refresh_grant(&self, digest: &str, event: NewEvent) -> Result<bool>;
}

#[async_trait]
impl<T: Db + ?Sized> OAuthClientStore for T {
    async fn create_oauth_client(&self, client: &OAuthClient, event: NewEvent) -> Result<()> {
        self.run(vec![
            write(sql::INSERT_OAUTH_CLIENT, sql::oauth_client_params(client)),
            sql::insert_event(&event),
        ])
        .await
        .map(|_| ())
    }

    async fn oauth_client(&self, client_id: &str) -> Result<Option<OAuthClient>> {
        let found = self
            .fetch(sql::SELECT_OAUTH_CLIENT, vec![client_id.into()])
            .await?;
        Ok(found.into_iter().next())
    }

    async fn insert_refresh_grant(&self, grant: &RefreshGrant, event: NewEvent) -> Result<()> {
        self.run(vec![
            write(sql::INSERT_REFRESH_TOKEN, sql::refresh_grant_params(grant)),
            sql::insert_event(&event),
        ])
        .await
        .map(|_| ())
    }

    async fn refresh_grant(&self, digest: &str) -> Result<Option<RefreshGrant>> {
        let found = self
            .fetch(sql::SELECT_REFRESH_TOKEN, vec![digest.into()])
            .await?;
        Ok(found.into_iter().next())
    }

    async fn revoke_refresh_grant(&self, digest: &str, event: NewEvent) -> Result<bool> {
        let changed = self
            .run(vec![
                write(sql::DELETE_REFRESH_TOKEN, vec![digest.into()]),
                sql::insert_event(&event),
            ])
            .await?;
        Ok(changed.first().copied().unwrap_or(0) > 0)
    }
}
