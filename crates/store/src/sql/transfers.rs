//! Transfer tokens: what a customer gives a reseller to move its subscriptions to it.

use partnerd_domain::transfer::TransferToken;

use super::{Statement, write};
use crate::Result;
use crate::TokenDeletion;
use crate::rows::{FromRow, Row, Value};

pub const INSERT_TRANSFER_TOKEN: &str = "INSERT INTO transfer_tokens (digest, customer_id, reseller_id, \
     created_at, expires_at, product_groups) VALUES ($1, $2, $3, $4, $5, $6)";

pub fn transfer_token_params(t: &TransferToken) -> Vec<Value> {
    let groups = t
        .product_groups
        .as_ref()
        .map(|g| serde_json::Value::from(g.clone()).to_string());
    vec![
        t.digest.as_str().into(),
        t.customer_id.as_str().into(),
        t.reseller_id.as_str().into(),
        t.created_at.into(),
        t.expires_at.into(),
        groups.into(),
    ]
}

/// A newer token for the same customer and reseller supersedes the older ones.
pub const DELETE_SUPERSEDED_TRANSFER_TOKENS: &str =
    "DELETE FROM transfer_tokens WHERE customer_id = $1 AND reseller_id = $2";
pub const DELETE_TRANSFER_TOKEN: &str = "DELETE FROM transfer_tokens WHERE digest = $1";
pub const DELETE_OTHER_TRANSFER_TOKENS: &str =
    "DELETE FROM transfer_tokens WHERE customer_id = $1 AND reseller_id <> $2";

pub fn superseded_token_params(t: &TransferToken) -> Vec<Value> {
    vec![t.customer_id.as_str().into(), t.reseller_id.as_str().into()]
}

pub const SELECT_TRANSFER_TOKEN: &str = "SELECT digest, customer_id, reseller_id, created_at, expires_at, product_groups \
     FROM transfer_tokens WHERE digest = $1";

pub fn transfer_token_from_row(r: &impl Row) -> Result<TransferToken> {
    Ok(TransferToken {
        digest: r.text(0)?,
        customer_id: r.text(1)?,
        reseller_id: r.text(2)?,
        created_at: r.int(3)?,
        expires_at: r.int(4)?,
        product_groups: r
            .opt_text(5)?
            .map(|g| serde_json::from_str(&g))
            .transpose()
            .map_err(|e| crate::StoreError::Backend(e.to_string()))?,
    })
}

impl FromRow for TransferToken {
    fn from_row(r: &impl Row) -> Result<Self> {
        transfer_token_from_row(r)
    }
}

/// `Write::DeleteTransferTokens`.
pub fn delete_transfer_tokens(d: &TokenDeletion) -> Statement {
    match d {
        TokenDeletion::One(digest) => write(DELETE_TRANSFER_TOKEN, vec![digest.as_str().into()]),
        TokenDeletion::OthersOf {
            customer_id,
            keep_reseller_id,
        } => write(
            DELETE_OTHER_TRANSFER_TOKENS,
            vec![
                customer_id.as_str().into(),
                keep_reseller_id.as_str().into(),
            ],
        ),
    }
}
