//! Moving a customer's subscriptions from another reseller with a transfer token
//! (`customerAuthToken`): listing what can move, and moving it.

use partnerd_domain::Clock;
use partnerd_domain::customer::Customer;
use partnerd_domain::ids;
use partnerd_domain::plan::{CancellationReason, EventType};
use partnerd_domain::subscription::{Buyer, Order, Subscription};
use partnerd_domain::transfer::{self, TransferToken};
use partnerd_store::{StoreError, TokenDeletion};

use super::customers::find_customer;
use super::subscriptions::{notice, transfer_info};
use super::wire::SubscriptionResource;
use crate::billing::{ATTEMPTS, Change, Stamp};
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::state::AppState;

/// The token, if it lets the caller's reseller take over `customer`.
pub async fn authorized_token(
    state: &AppState,
    caller: &Caller,
    customer: &Customer,
    token: &str,
) -> Result<TransferToken, ApiError> {
    Ok(
        partnerd_app::customers::authorized_token(&state.ops, caller.account_id(), customer, token)
            .await?,
    )
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
    for _ in 0..ATTEMPTS {
        let customer = find_customer(state, customer_key).await?;
        let held: Vec<Subscription> = state
            .store
            .customer_subscriptions(&customer.id)
            .await?
            .into_iter()
            .map(|(_, s, _)| s)
            .collect();
        // A retry of a transfer that already went through learns so (409), even though
        // the token it used is spent by then.
        if let Some(sku) = order.sku_id.as_deref() {
            transfer::not_already_held(sku.trim(), caller.account_id(), &held)?;
        }
        let grant = authorized_token(state, caller, &customer, token).await?;
        let now = state.clock.now();
        let buyer = Buyer {
            customer: &customer,
            tos_accepted: customer.tos_accepted_at.is_some(),
        };
        let mut new = Subscription::order(
            ids::new_numeric_id(),
            caller.account_id(),
            buyer,
            order.clone(),
            now,
        )?;
        let source = transfer::source_of(&new, &held, order.deal_code.as_deref())?;
        // The customer's users keep their licences: the new subscription carries them.
        new.licensed_seats = source.licensed_seats;

        let stamp = Stamp {
            actor,
            at: now,
            customer_domain: &customer.domain,
        };
        let mut change = Change::new();
        let mut move_one = |from: &Subscription, to: &Subscription| {
            let gone = from.cancel(CancellationReason::TransferredOut, now);
            change.outcome(&stamp, "subscription.transferOut", from, &gone);
            change.subscription(
                &stamp,
                "subscription.transferIn",
                None,
                to,
                &[notice(EventType::NewSubscriptionCreated)],
            );
        };
        move_one(source, &new);
        let add_ons = transfer::moving_add_ons(source, &held);
        for &addon in &add_ons {
            let mut copy = addon.clone();
            copy.id = ids::new_numeric_id();
            copy.reseller_id = caller.account_id().to_string();
            copy.created_at = now;
            copy.version = 1;
            move_one(addon, &copy);
        }
        if customer.managed_by.as_deref() != Some(caller.account_id()) {
            let mut mine = customer.clone();
            mine.managed_by = Some(caller.account_id().to_string());
            mine.version += 1;
            change.customer(actor, "customer.transferIn", now, &customer, &mine);
            change
                .set
                .delete_transfer_tokens
                .push(TokenDeletion::OthersOf {
                    customer_id: customer.id.clone(),
                    keep_reseller_id: caller.account_id().to_string(),
                });
        }
        // The token is spent once nothing it could still move is left with another reseller.
        let moved: Vec<&str> = std::iter::once(source)
            .chain(add_ons.iter().copied())
            .map(|s| s.id.as_str())
            .collect();
        if !transfer::anything_left_to_move(&held, &moved, caller.account_id()) {
            change
                .set
                .delete_transfer_tokens
                .push(TokenDeletion::One(grant.digest.clone()));
        }
        match state.apply(change.set).await {
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
