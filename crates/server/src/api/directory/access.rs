//! Which account a Directory call may act on: the caller's own (reseller) account, or a
//! customer its reseller manages whose reseller access is on; and whether the caller's
//! roles allow the method there. Every Directory handler goes through here before it
//! reads or writes anything of an account.

use partnerd_domain::customer::Customer;
use partnerd_domain::user::User;

use crate::caller::Caller;
use crate::errors::ApiError;
use crate::privileges::{self, AdminNeed};
use crate::state::AppState;

/// Google's alias for the caller's own account.
pub const MY_CUSTOMER: &str = "my_customer";

fn not_authorized() -> ApiError {
    ApiError::forbidden("Not Authorized to access this resource/api")
}

/// The account `key` (an id or `my_customer`) names, if the caller may do `need` there.
pub async fn administered(
    state: &AppState,
    caller: &Caller,
    key: &str,
    need: AdminNeed,
) -> Result<Customer, ApiError> {
    let key = if key == MY_CUSTOMER {
        caller.account_id()
    } else {
        key
    };
    let account = state.store.account(key).await?.ok_or_else(not_authorized)?;
    check(state, caller, &account, need).await?;
    Ok(account)
}

/// Whether the caller may do `need` on `account`.
pub async fn check(
    state: &AppState,
    caller: &Caller,
    account: &Customer,
    need: AdminNeed,
) -> Result<(), ApiError> {
    reachable(caller, account)?;
    privileges::admin(state, caller.acting(), account, need).await
}

/// The caller's own account, or one its reseller manages with reseller access on.
fn reachable(caller: &Caller, account: &Customer) -> Result<(), ApiError> {
    if account.id == caller.account_id() {
        return Ok(());
    }
    if account.managed_by.as_deref() != Some(caller.account_id()) {
        return Err(not_authorized());
    }
    if !account.reseller_access {
        return Err(ApiError::domain_cannot_use_apis());
    }
    Ok(())
}

/// A user by e-mail address or id, with its account, once the caller may do `need` in
/// that account; `Ok(None)` when no such user is there. An address is judged by the
/// account its domain names before anyone is looked up, so a user of an account the
/// caller may not administer and a missing one answer alike (403). Numeric ids name no
/// account: a missing id is `None`, another tenant's user is refused.
pub async fn user(
    state: &AppState,
    caller: &Caller,
    key: &str,
    need: AdminNeed,
) -> Result<Option<(User, Customer)>, ApiError> {
    let key = key.trim();
    if let Some((_, domain)) = key.rsplit_once('@') {
        let account = state
            .store
            .account(domain)
            .await?
            .filter(|a| !domain.is_empty() && a.domain.eq_ignore_ascii_case(domain))
            .ok_or_else(not_authorized)?;
        check(state, caller, &account, need).await?;
        let user = state
            .store
            .user_by_email(key)
            .await?
            .filter(|u| u.account_id == account.id);
        return Ok(user.map(|u| (u, account)));
    }
    let Some(user) = state.store.user_by_id(key).await? else {
        return Ok(None);
    };
    let account = state
        .store
        .account(&user.account_id)
        .await?
        .ok_or_else(not_authorized)?;
    check(state, caller, &account, need).await?;
    Ok(Some((user, account)))
}
