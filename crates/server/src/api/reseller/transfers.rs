//! Moving a customer's subscriptions from another reseller with a transfer token
//! (`customerAuthToken`). The operations are `partnerd_app::transfers`:
//! `subscriptions.insert` with a token moves a subscription (through
//! `partnerd_app::subscriptions::insert`), `subscriptions.list` with one shows what can
//! move, rendered here.

use partnerd_app::subscriptions::Listing;
use partnerd_app::transfers::Transferable;
use partnerd_domain::subscription::Subscription;

use super::wire::{SubscriptionResource, TransferInfo};
use crate::errors::ApiError;
use crate::state::AppState;

/// `subscriptions.list?customerId&customerAuthToken`: what the caller could take over.
pub async fn transferable(
    listing: &Listing<'_>,
    state: &AppState,
    customer_key: &str,
    token: &str,
) -> Result<Vec<SubscriptionResource>, ApiError> {
    let Transferable {
        subscriptions,
        expires_at,
        ..
    } = listing.transferable(customer_key, token).await?;
    Ok(subscriptions
        .iter()
        .map(|(s, domain)| {
            SubscriptionResource::new(s, domain, &state.public_url)
                .with_transfer_info(transfer_info(s, expires_at))
        })
        .collect())
}

fn transfer_info(sub: &Subscription, expires_at: i64) -> TransferInfo {
    TransferInfo {
        transferability_expiration_time: expires_at.to_string(),
        minimum_transferable_seats: sub.minimum_transferable_seats(),
    }
}
