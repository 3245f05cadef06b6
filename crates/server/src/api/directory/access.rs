//! The Directory and Licensing handlers' way into `partnerd_app::access` (which account
//! an administrative call may act on, and whether the caller's roles allow it there),
//! answering in the API's error type.

use partnerd_domain::customer::Customer;
use partnerd_domain::user::User;

use crate::caller::Caller;
use crate::errors::ApiError;
use crate::privileges::AdminNeed;
use crate::state::AppState;

/// The account `key` (an id or `my_customer`) names, if the caller may do `need` there.
pub async fn administered(
    state: &AppState,
    caller: &Caller,
    key: &str,
    need: AdminNeed,
) -> Result<Customer, ApiError> {
    Ok(partnerd_app::access::administered(&state.ops, caller.actor(), key, need).await?)
}

/// Whether the caller may do `need` on `account`.
pub async fn check(
    state: &AppState,
    caller: &Caller,
    account: &Customer,
    need: AdminNeed,
) -> Result<(), ApiError> {
    Ok(partnerd_app::access::check(&state.ops, caller.actor(), account, need).await?)
}

/// A user by e-mail address or id, with its account, once the caller may do `need` in
/// that account (see `partnerd_app::access::user`).
pub async fn user(
    state: &AppState,
    caller: &Caller,
    key: &str,
    need: AdminNeed,
) -> Result<Option<(User, Customer)>, ApiError> {
    Ok(partnerd_app::access::user(&state.ops, caller.actor(), key, need).await?)
}
