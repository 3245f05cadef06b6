//! Moving a customer's subscriptions from another reseller with a transfer token
//! (`customerAuthToken`): listing what can move, and moving it.

use partnerd_domain::Clock;
use partnerd_domain::customer::Customer;
use partnerd_domain::ids;
use partnerd_domain::plan::{CancellationReason, EventType};
use partnerd_domain::subscription::{Buyer, Order, Subscription};
use partnerd_domain::transfer::TransferToken;
use partnerd_store::StoreError;

use super::customers::find_customer;
use super::subscriptions::{is_workspace, moves_with_workspace, notice, transfer_info};
use super::wire::SubscriptionResource;
use crate::billing::{ATTEMPTS, Change, Stamp};
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::state::AppState;

fn refused() -> ApiError {
    ApiError::forbidden(
        "The customerAuthToken is not valid for this customer and reseller, or it expired.",
    )
}

/// The token, if it lets the caller's reseller take over `customer`.
pub async fn authorized_token(
    state: &AppState,
    caller: &Caller,
    customer: &Customer,
    token: &str,
) -> Result<TransferToken, ApiError> {
    let digest = ids::secret_digest(token.trim().to_ascii_lowercase().as_str());
    state
        .store
        .transfer_token(&digest)
        .await?
        .filter(|t| t.authorizes(&customer.id, caller.account_id(), state.clock.now()))
        .ok_or_else(refused)
}

/// `subscriptions.list?customerId&customerAuthToken`: what the caller could take over.
pub async fn transferable(
    caller: &Caller,
    state: &AppState,
    customer_key: &str,
    token: &str,
) -> Result<Vec<SubscriptionResource>, ApiError> {
    let customer = find_customer(state, customer_key).await?;
    let grant = authorized_token(state, caller, &customer, token).await?;
    let subs = state.store.customer_subscriptions(&customer.id).await?;
    Ok(subs
        .iter()
        .filter(|(_, s, _)| s.reseller_id != caller.account_id() && s.is_transferable())
        .map(|(_, s, domain)| {
            SubscriptionResource::new(s, domain, &state.public_url)
                .with_transfer_info(transfer_info(s, grant.expires_at))
        })
        .collect())
}

/// `subscriptions.insert?customerAuthToken`: moves the customer's subscription of the
/// ordered SKU to the caller; a Workspace subscription takes its add-ons along.
pub async fn transfer_in(
    caller: &Caller,
    actor: &str,
    state: &AppState,
    customer_key: &str,
    token: &str,
    order: Order,
) -> Result<axum::Json<SubscriptionResource>, ApiError> {
    if order
        .deal_code
        .as_deref()
        .is_some_and(|d| !d.trim().is_empty())
    {
        return Err(ApiError::invalid(
            "Invalid value for dealCode: deal codes cannot be used with transfers",
        ));
    }
    for _ in 0..ATTEMPTS {
        let customer = find_customer(state, customer_key).await?;
        authorized_token(state, caller, &customer, token).await?;
        let now = state.clock.now();
        let buyer = Buyer {
            customer: &customer,
            tos_accepted: customer.tos_accepted_at.is_some(),
        };
        let new = Subscription::order(
            ids::new_numeric_id(),
            caller.account_id(),
            buyer,
            order.clone(),
            now,
        )?;
        let held = state.store.customer_subscriptions(&customer.id).await?;
        if held
            .iter()
            .any(|(_, s, _)| s.sku_id == new.sku_id && s.reseller_id == caller.account_id())
        {
            return Err(ApiError::duplicate("This subscription is already yours."));
        }
        let (_, source, _) = held
            .iter()
            .find(|(_, s, _)| s.sku_id == new.sku_id)
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "Invalid value for skuId: the customer has no {} subscription to transfer",
                    new.sku_id
                ))
            })?;
        if !source.is_transferable() {
            return Err(ApiError::condition_not_met(
                "This subscription cannot be transferred in its current state.",
            ));
        }
        if moves_with_workspace(source)
            && held
                .iter()
                .any(|(_, s, _)| is_workspace(s) && s.reseller_id == source.reseller_id)
        {
            return Err(ApiError::condition_not_met(
                "Transfer the customer's Google Workspace subscription; its add-ons move with it.",
            ));
        }
        // The customer's users keep their licences: the new subscription carries them.
        let mut new = new;
        new.licensed_seats = source.licensed_seats;
        let minimum = source.minimum_transferable_seats();
        if new.seats < minimum {
            let field = if new.plan.is_annual() {
                "numberOfSeats"
            } else {
                "maximumNumberOfSeats"
            };
            return Err(ApiError::invalid(format!(
                "Invalid value for seats.{field}: at least {minimum} seats must be transferred"
            )));
        }

        let mut change = Change::new();
        let move_one = |from: &Subscription, to: &Subscription, change: &mut Change| {
            let gone = from.cancel(CancellationReason::TransferredOut, now);
            change.outcome(
                &Stamp {
                    actor,
                    at: now,
                    customer_domain: &customer.domain,
                },
                "subscription.transferOut",
                from,
                &gone,
            );
            change.subscription(
                &Stamp {
                    actor,
                    at: now,
                    customer_domain: &customer.domain,
                },
                "subscription.transferIn",
                None,
                to,
                &[notice(EventType::NewSubscriptionCreated)],
            );
        };
        move_one(source, &new, &mut change);
        if is_workspace(source) {
            for (_, addon, _) in held
                .iter()
                .filter(|(_, s, _)| moves_with_workspace(s) && s.reseller_id == source.reseller_id)
            {
                let mut copy = addon.clone();
                copy.id = ids::new_numeric_id();
                copy.reseller_id = caller.account_id().to_string();
                copy.created_at = now;
                copy.version = 1;
                move_one(addon, &copy, &mut change);
            }
        }
        if customer.managed_by.as_deref() != Some(caller.account_id()) {
            let mut mine = customer.clone();
            mine.managed_by = Some(caller.account_id().to_string());
            mine.version += 1;
            change.customer(actor, "customer.transferIn", now, &customer, &mine);
        }
        match state.store.apply(change.set).await {
            Ok(()) => {
                return Ok(axum::Json(SubscriptionResource::new(
                    &new,
                    &customer.domain,
                    &state.public_url,
                )));
            }
            Err(StoreError::Stale) | Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Stale.into())
}
