//! Which address names what: a user's primary address, a group's address or a user's
//! alias. One address names one thing on the platform, so each operation that gives an
//! address out asks here first (the unique index of each table decides races within it).

use crate::{OpError, Ops};

/// What holds an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A user, by id, whose primary address it is.
    User(String),
    /// A group, by id.
    Group(String),
    /// A user, by id, that holds it as an alias.
    Alias(String),
}

/// What holds `email` (any case), if anything.
pub async fn holder(ops: &Ops, email: &str) -> Result<Option<Holder>, OpError> {
    let email = email.trim().to_ascii_lowercase();
    if let Some(u) = ops.store.user_by_email(&email).await? {
        return Ok(Some(Holder::User(u.id)));
    }
    if let Some(g) = ops.store.group_by_email(&email).await? {
        return Ok(Some(Holder::Group(g.id)));
    }
    Ok(ops
        .store
        .alias(&email)
        .await?
        .map(|a| Holder::Alias(a.user_id)))
}
