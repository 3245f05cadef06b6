//! Which account a Directory call may act on: the caller's own (reseller) account, or a
//! customer its reseller manages whose reseller access is on; and whether the caller's
//! roles allow the method there. Every Directory handler goes through here before it
//! reads or writes anything of an account.

use partnerd_domain::customer::Customer;

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
    privileges::admin(state, caller, account, need).await
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
