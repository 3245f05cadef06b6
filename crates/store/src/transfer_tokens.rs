//! Transfer tokens, written once over `Db` for both databases. Spending and ending them
//! is part of a transfer's write set (`Write::DeleteTransferTokens`).

use async_trait::async_trait;
use partnerd_domain::event::NewEvent;
use partnerd_domain::transfer::TransferToken;

use crate::Result;
use crate::db::Db;
use crate::sql::{self, write};

#[async_trait]
pub trait TransferTokenStore {
    /// Stores a new transfer token; it supersedes every older token of the same customer
    /// for the same reseller, which are deleted in the same transaction.
    async fn insert_transfer_token(&self, token: &TransferToken, event: NewEvent) -> Result<()>;

    /// A token by the digest of its secret.
    async fn transfer_token(&self, digest: &str) -> Result<Option<TransferToken>>;
}

#[async_trait]
impl<T: Db + ?Sized> TransferTokenStore for T {
    async fn insert_transfer_token(&self, token: &TransferToken, event: NewEvent) -> Result<()> {
        self.run(vec![
            write(
                sql::DELETE_SUPERSEDED_TRANSFER_TOKENS,
                sql::superseded_token_params(token),
            ),
            write(
                sql::INSERT_TRANSFER_TOKEN,
                sql::transfer_token_params(token),
            ),
            sql::insert_event(&event),
        ])
        .await
        .map(|_| ())
    }

    async fn transfer_token(&self, digest: &str) -> Result<Option<TransferToken>> {
        let tokens = self
            .fetch(sql::SELECT_TRANSFER_TOKEN, vec![digest.into()])
            .await?;
        Ok(tokens.into_iter().next())
    }
}
