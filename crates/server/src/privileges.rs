//! What the delegated user behind a token may do: the one place where roles and
//! privileges are turned into allow or refuse, for the APIs and, later, the consoles.

use std::sync::Arc;

use partnerd_domain::customer::Customer;
use partnerd_domain::roles::Privileges;

use crate::caller::Caller;
use crate::errors::ApiError;
use crate::state::AppState;

/// What a Reseller API method needs.
#[derive(Debug, Clone, Copy)]
pub enum ResellerNeed {
    /// Reads: customers.get, subscriptions.get/list, getwatchdetails.
    View,
    /// Orders: customers.insert, subscriptions.insert (buy, transfer in).
    Add,
    /// Changes: customers.patch/update, subscription changes, notifications settings.
    Edit,
    /// Ending the relationship: delete with transfer_to_direct.
    Transfer,
}

impl ResellerNeed {
    fn privileges(self) -> &'static [&'static str] {
        match self {
            // Adding and editing customers includes seeing them.
            ResellerNeed::View => &[
                "RESELLER_VIEW_CUSTOMERS",
                "RESELLER_ADD_CUSTOMERS",
                "RESELLER_EDIT_CUSTOMERS",
            ],
            ResellerNeed::Add => &["RESELLER_ADD_CUSTOMERS"],
            ResellerNeed::Edit => &["RESELLER_EDIT_CUSTOMERS"],
            ResellerNeed::Transfer => &["RESELLER_TRANSFER_CUSTOMERS"],
        }
    }
}

/// What a Directory (or Licensing) method needs on the caller's own account.
#[derive(Debug, Clone, Copy)]
pub enum AdminNeed {
    CustomerRead,
    CustomerWrite,
    UsersRead,
    UsersWrite,
    OrgUnitsRead,
    OrgUnitsWrite,
    Roles,
    Licenses,
    SuperAdmin,
}

impl AdminNeed {
    fn privileges(self) -> &'static [&'static str] {
        match self {
            AdminNeed::CustomerRead => &[
                "SUPER_ADMIN",
                "USERS_RETRIEVE",
                "ORGANIZATION_UNITS_RETRIEVE",
            ],
            AdminNeed::CustomerWrite | AdminNeed::SuperAdmin => &["SUPER_ADMIN"],
            AdminNeed::UsersRead => &["USERS_RETRIEVE"],
            AdminNeed::UsersWrite => &["USERS_ALL", "USERS_CREATE", "USERS_UPDATE"],
            AdminNeed::OrgUnitsRead => &["ORGANIZATION_UNITS_RETRIEVE"],
            AdminNeed::OrgUnitsWrite => &["ORGANIZATION_UNITS_ALL"],
            AdminNeed::Roles => &["ROLE_MANAGEMENT"],
            AdminNeed::Licenses => &["LICENSE_MANAGEMENT"],
        }
    }
}

/// The privileges of the token's delegated user, from its roles in its own account.
pub async fn of_caller(state: &AppState, caller: &Caller) -> Result<Arc<Privileges>, ApiError> {
    let Some(subject) = &caller.grant.subject else {
        return Ok(Arc::default());
    };
    if let Some(cached) = state.privileges.get(&subject.user_id) {
        return Ok(cached);
    }
    let privileges = Arc::new(compute(state, &subject.user_id).await?);
    state
        .privileges
        .insert(subject.user_id.clone(), privileges.clone());
    Ok(privileges)
}

async fn compute(state: &AppState, user_id: &str) -> Result<Privileges, ApiError> {
    let Some(user) = state.store.user_by_id(user_id).await? else {
        return Ok(Privileges::default());
    };
    if user.suspended || user.deleted_at.is_some() {
        return Ok(Privileges::default());
    }
    if user.is_super_admin {
        return Ok(Privileges::of(&user, &[], &[]));
    }
    let roles = state.store.roles(&user.account_id).await?;
    let assignments = state.store.role_assignments(&user.account_id).await?;
    Ok(Privileges::of(&user, &roles, &assignments))
}

/// Refuses a Reseller API call the user's roles don't allow.
pub async fn reseller(
    state: &AppState,
    caller: &Caller,
    need: ResellerNeed,
) -> Result<(), ApiError> {
    if of_caller(state, caller).await?.has_any(need.privileges()) {
        Ok(())
    } else {
        Err(ApiError::not_authorized())
    }
}

/// Refuses a Directory or Licensing call on `account`: on a customer the reseller manages
/// it needs "Access Customers' Admin console and SDK" (with View Customers); on the
/// caller's own account, the administrator privilege of the method.
pub async fn admin(
    state: &AppState,
    caller: &Caller,
    account: &Customer,
    need: AdminNeed,
) -> Result<(), ApiError> {
    let privileges = of_caller(state, caller).await?;
    let allowed = if account.id == caller.account_id() {
        privileges.has_any(need.privileges())
    } else {
        privileges.has("RESELLER_ACCESS_ADMIN_CONSOLE_AND_SDK")
            && privileges.has_any(ResellerNeed::View.privileges())
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "Not Authorized to access this resource/api",
        ))
    }
}
