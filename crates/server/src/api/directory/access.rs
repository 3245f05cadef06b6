//! Which account a Directory call may act on: the caller's own (reseller) account, or a
//! customer its reseller manages whose reseller access is on. Every Directory handler
//! goes through here before it reads or writes anything of an account.

use partnerd_domain::customer::Customer;

use crate::caller::Caller;
use crate::errors::ApiError;
use crate::state::AppState;

/// Google's alias for the caller's own account.
pub const MY_CUSTOMER: &str = "my_customer";

fn not_authorized() -> ApiError {
    ApiError::forbidden("Not Authorized to access this resource/api")
}

/// The account `key` (an id or `my_customer`) names, if the caller may administer it.
pub async fn administered(
    state: &AppState,
    caller: &Caller,
    key: &str,
) -> Result<Customer, ApiError> {
    let key = if key == MY_CUSTOMER {
        caller.account_id()
    } else {
        key
    };
    let account = state.store.account(key).await?.ok_or_else(not_authorized)?;
    check(caller, &account)?;
    Ok(account)
}

/// Whether the caller may administer `account`.
pub fn check(caller: &Caller, account: &Customer) -> Result<(), ApiError> {
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
