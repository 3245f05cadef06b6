//! Which account an administrative operation (Directory, Licensing, and the Admin
//! console) may act on: the actor's own account, or a customer its reseller manages
//! whose reseller access is on; and whether the actor's roles allow the operation there.
//! Every such operation goes through here before it reads or writes anything of an account.

use partnerd_domain::customer::Customer;
use partnerd_domain::user::User;

use crate::privileges::{self, AdminNeed};
use crate::{Actor, OpError, Ops};

/// Google's alias for the actor's own account.
pub const MY_CUSTOMER: &str = "my_customer";

/// The account `key` (an id, a primary domain, or `my_customer`) names, if the actor may
/// do `need` there. An account that does not exist answers like one the actor may not
/// administer.
pub async fn administered(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    need: AdminNeed,
) -> Result<Customer, OpError> {
    let key = if key == MY_CUSTOMER {
        actor.account_id().ok_or_else(OpError::not_administrable)?
    } else {
        key
    };
    let account = ops
        .store
        .account(key)
        .await?
        .ok_or_else(OpError::not_administrable)?;
    check(ops, actor, &account, need).await?;
    Ok(account)
}

/// Whether the actor may do `need` on `account`.
pub async fn check(
    ops: &Ops,
    actor: &Actor,
    account: &Customer,
    need: AdminNeed,
) -> Result<(), OpError> {
    reachable(actor, account)?;
    privileges::admin(ops, actor, account, need).await
}

/// The actor's own account, or one its reseller manages with reseller access on.
fn reachable(actor: &Actor, account: &Customer) -> Result<(), OpError> {
    let Some(own) = actor.account_id() else {
        return Err(OpError::not_administrable());
    };
    if account.id == own {
        return Ok(());
    }
    if account.managed_by.as_deref() != Some(own) {
        return Err(OpError::not_administrable());
    }
    if !account.reseller_access {
        return Err(OpError::ResellerAccessOff);
    }
    Ok(())
}

/// The account an address's domain names, once the actor may do `need` there; an account
/// the actor may not administer and a domain no account has answer alike (403).
pub async fn account_of_address(
    ops: &Ops,
    actor: &Actor,
    email: &str,
    need: AdminNeed,
) -> Result<Customer, OpError> {
    let account = account_of_domain(ops, domain_of(email))
        .await?
        .ok_or_else(OpError::not_administrable)?;
    check(ops, actor, &account, need).await?;
    Ok(account)
}

/// The domain part of an address (empty when there is none).
pub fn domain_of(email: &str) -> &str {
    email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
}

/// The account whose primary domain is `domain`, in any case (an account id is no domain).
pub async fn account_of_domain(ops: &Ops, domain: &str) -> Result<Option<Customer>, OpError> {
    if domain.is_empty() {
        return Ok(None);
    }
    Ok(ops
        .store
        .account(domain)
        .await?
        .filter(|a| a.domain.eq_ignore_ascii_case(domain)))
}

/// A user by e-mail address (its primary address or an alias) or id, with its account,
/// once the actor may do `need` in that account; `Ok(None)` when no such user is there. An address is judged by the
/// account its domain names before anyone is looked up, so a user of an account the
/// actor may not administer and a missing one answer alike (403). Numeric ids name no
/// account: a missing id is `None`, another tenant's user is refused.
pub async fn user(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    need: AdminNeed,
) -> Result<Option<(User, Customer)>, OpError> {
    let key = key.trim();
    if key.contains('@') {
        let account = account_of_address(ops, actor, key, need).await?;
        let mut user = ops.store.user_by_email(key).await?;
        if user.is_none() {
            // An alias names its user wherever an address does, as at Google.
            if let Some(alias) = ops.store.alias(key).await? {
                user = ops.store.user_by_id(&alias.user_id).await?;
            }
        }
        let user = user.filter(|u| u.account_id == account.id);
        return Ok(user.map(|u| (u, account)));
    }
    let Some(user) = ops.store.user_by_id(key).await? else {
        return Ok(None);
    };
    let account = ops
        .store
        .account(&user.account_id)
        .await?
        .ok_or_else(OpError::not_administrable)?;
    check(ops, actor, &account, need).await?;
    Ok(Some((user, account)))
}
