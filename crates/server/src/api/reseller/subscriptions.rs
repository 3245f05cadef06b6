//! `subscriptions`: insert (buy, upgrade/downgrade, transfer), get, list, changePlan,
//! changeSeats, changeRenewalSettings, startPaidService, suspend, activate, delete.
//! Rules are in `domain::subscription`; this module finds, checks tenancy, and commits.

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use partnerd_domain::Clock;
use partnerd_domain::customer::Customer;
use partnerd_domain::ids;
use partnerd_domain::plan::CancellationReason;
use partnerd_domain::scopes::{RESELLER_READ, RESELLER_WRITE};
use partnerd_domain::subscription::{
    self, Action, Buyer, Deletion, Notice, Outcome, Purchase, Subscription,
};
use partnerd_domain::{RuleError, plan::EventType};
use partnerd_store::{StoreError, SubscriptionFilter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::customers::find_customer;
use super::wire::{
    ChangePlanBody, RenewalBody, SeatsBody, SubscriptionBody, SubscriptionResource, TransferInfo,
    ignore_read_only,
};
use crate::billing::{ATTEMPTS, Change, Stamp};
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, LargeJson, OptionalJson, Path, Query};
use crate::privileges::{self, ResellerNeed};
use crate::state::AppState;

type Resource = axum::Json<SubscriptionResource>;

fn resource(state: &AppState, s: &Subscription, domain: &str) -> Resource {
    axum::Json(SubscriptionResource::new(s, domain, &state.public_url))
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Subscription {id} was not found."))
}

/// The customer named in the path, which the caller's reseller must manage.
async fn managed_customer(
    state: &AppState,
    caller: &Caller,
    key: &str,
) -> Result<Customer, ApiError> {
    let customer = find_customer(state, key).await?;
    customer.ensure_managed_by(caller.account_id())?;
    Ok(customer)
}

/// One of the caller's live subscriptions of that customer.
async fn find_subscription(
    state: &AppState,
    caller: &Caller,
    customer_key: &str,
    id: &str,
) -> Result<(Subscription, String), ApiError> {
    let (_, sub, domain) = state
        .store
        .subscription(caller.account_id(), id)
        .await?
        .ok_or_else(|| not_found(id))?;
    // The path names the customer by ID (no second read) or by domain, in any case.
    let same_customer = sub.customer_id == customer_key
        || find_customer(state, customer_key).await?.id == sub.customer_id;
    if !same_customer {
        return Err(not_found(id));
    }
    Ok((sub, domain))
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
) -> Result<Resource, ApiError> {
    caller.require(RESELLER_READ)?;
    privileges::reseller(&state.ops, caller.actor(), ResellerNeed::View).await?;
    let (sub, domain) = find_subscription(&state, &caller, &customer_id, &subscription_id).await?;
    Ok(resource(&state, &sub, &domain))
}

/// Reads, applies `op`, and commits unless the subscription changed meanwhile; then
/// starts again from the fresh state.
async fn mutate(
    caller: Caller,
    state: AppState,
    customer_id: String,
    subscription_id: String,
    action: &str,
    op: impl Fn(&Subscription, i64) -> Result<Outcome, RuleError>,
) -> Result<Resource, ApiError> {
    let subject = caller.require(RESELLER_WRITE)?;
    privileges::reseller(&state.ops, caller.actor(), ResellerNeed::Edit).await?;
    for _ in 0..ATTEMPTS {
        let (sub, domain) =
            find_subscription(&state, &caller, &customer_id, &subscription_id).await?;
        let now = state.clock.now();
        let outcome = op(&sub, now)?;
        if outcome.next == sub {
            return Ok(resource(&state, &sub, &domain));
        }
        let mut change = Change::new();
        let stamp = Stamp {
            actor: &subject.email,
            at: now,
            customer_domain: &domain,
        };
        change.outcome(&stamp, action, &sub, &outcome);
        match state.apply(change.set).await {
            Ok(()) => return Ok(resource(&state, &outcome.next, &domain)),
            Err(StoreError::Stale) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Stale.into())
}

pub async fn change_seats(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    Json(body): Json<SeatsBody>,
) -> Result<Resource, ApiError> {
    let seats = body.input();
    mutate(
        caller,
        state,
        customer_id,
        subscription_id,
        "subscription.changeSeats",
        move |s, _| s.change_seats(seats),
    )
    .await
}

pub async fn change_plan(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    Json(body): Json<ChangePlanBody>,
) -> Result<Resource, ApiError> {
    let change = body.change();
    mutate(
        caller,
        state,
        customer_id,
        subscription_id,
        "subscription.changePlan",
        move |s, now| s.change_plan(change.clone(), now),
    )
    .await
}

pub async fn change_renewal_settings(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    Json(body): Json<RenewalBody>,
) -> Result<Resource, ApiError> {
    let renewal = body.renewal_type;
    mutate(
        caller,
        state,
        customer_id,
        subscription_id,
        "subscription.changeRenewalSettings",
        move |s, _| s.change_renewal(renewal.clone()),
    )
    .await
}

pub async fn start_paid_service(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    OptionalJson(_): OptionalJson<serde_json::Value>,
) -> Result<Resource, ApiError> {
    mutate(
        caller,
        state,
        customer_id,
        subscription_id,
        "subscription.startPaidService",
        |s, now| s.start_paid_service(now),
    )
    .await
}

pub async fn suspend(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    OptionalJson(_): OptionalJson<serde_json::Value>,
) -> Result<Resource, ApiError> {
    mutate(
        caller,
        state,
        customer_id,
        subscription_id,
        "subscription.suspend",
        |s, _| s.suspend(),
    )
    .await
}

pub async fn activate(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    OptionalJson(_): OptionalJson<serde_json::Value>,
) -> Result<Resource, ApiError> {
    mutate(
        caller,
        state,
        customer_id,
        subscription_id,
        "subscription.activate",
        |s, now| s.activate(now),
    )
    .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteParams {
    #[serde(default)]
    deletion_type: Option<String>,
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    Query(params): Query<DeleteParams>,
) -> Result<StatusCode, ApiError> {
    let subject = caller.require(RESELLER_WRITE)?;
    // Who may ask comes before what the subscription allows.
    let need = match params.deletion_type.as_deref().map(str::trim) {
        Some("transfer_to_direct") => ResellerNeed::Transfer,
        _ => ResellerNeed::Edit,
    };
    privileges::reseller(&state.ops, caller.actor(), need).await?;
    for _ in 0..ATTEMPTS {
        let (sub, domain) =
            find_subscription(&state, &caller, &customer_id, &subscription_id).await?;
        let has_admin = state.store.has_super_admin(&sub.customer_id).await?;
        let kind = subscription::deletion(&sub, params.deletion_type.as_deref(), has_admin)?;
        let now = state.clock.now();
        let reason = match kind {
            Deletion::Cancel => CancellationReason::ResellerInitiated,
            Deletion::TransferToDirect => CancellationReason::TransferredOut,
        };
        let outcome = sub.cancel(reason, now);
        let mut change = Change::new();
        change.outcome(
            &Stamp {
                actor: &subject.email,
                at: now,
                customer_domain: &domain,
            },
            "subscription.delete",
            &sub,
            &outcome,
        );
        if kind == Deletion::TransferToDirect {
            // The customer leaves the reseller once nothing of it is resold any more.
            let others = state.store.customer_subscriptions(&sub.customer_id).await?;
            let last = others
                .iter()
                .all(|(_, s, _)| s.id == sub.id || s.reseller_id != caller.account_id());
            if last {
                let customer = find_customer(&state, &sub.customer_id).await?;
                let mut direct = customer.clone();
                direct.managed_by = None;
                direct.version += 1;
                change.customer(
                    &subject.email,
                    "customer.transferToDirect",
                    now,
                    &customer,
                    &direct,
                );
            }
        }
        match state.apply(change.set).await {
            Ok(()) => return Ok(StatusCode::NO_CONTENT),
            Err(StoreError::Stale) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Stale.into())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsertParams {
    #[serde(default)]
    customer_auth_token: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    source_sku_id: Option<String>,
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
    Query(params): Query<InsertParams>,
    Json(body): Json<SubscriptionBody>,
) -> Result<Resource, ApiError> {
    let subject = caller.require(RESELLER_WRITE)?.clone();
    privileges::reseller(&state.ops, caller.actor(), ResellerNeed::Add).await?;
    ignore_read_only(&body);
    let action = Action::parse(params.action.as_deref())?;
    let order = body.order();
    if let Some(token) = params.customer_auth_token.filter(|t| !t.is_empty()) {
        return super::transfers::transfer_in(
            &caller,
            &subject.email,
            &state,
            &customer_id,
            &token,
            order,
        )
        .await;
    }
    for _ in 0..ATTEMPTS {
        let customer = managed_customer(&state, &caller, &customer_id).await?;
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
        let held: Vec<Subscription> = state
            .store
            .customer_subscriptions(&customer.id)
            .await?
            .into_iter()
            .map(|(_, s, _)| s)
            .collect();
        let stamp = Stamp {
            actor: &subject.email,
            at: now,
            customer_domain: &customer.domain,
        };
        let mut change = Change::new();
        let event =
            match subscription::purchase(&new, &held, action, params.source_sku_id.as_deref())? {
                Purchase::New => EventType::NewSubscriptionCreated,
                Purchase::Switch { from, event } => {
                    let ended = from.cancel(CancellationReason::PurchaseOfSubsumingSku, now);
                    change.outcome(&stamp, "subscription.switchedFrom", from, &ended);
                    event
                }
            };
        change.subscription(&stamp, "subscription.insert", None, &new, &[notice(event)]);
        change.serialise_on(&customer);
        match state.apply(change.set).await {
            Ok(()) => return Ok(resource(&state, &new, &customer.domain)),
            Err(StoreError::Stale) => continue,
            Err(StoreError::Conflict(name)) if name.contains("live_sku") => {
                return Err(ApiError::duplicate(format!(
                    "The customer already has a {} subscription.",
                    new.sku().map(|k| k.sku_name).unwrap_or_default()
                )));
            }
            Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Stale.into())
}

pub fn notice(event_type: EventType) -> Notice {
    Notice {
        event_type,
        cancellation_reason: None,
    }
}

// ---- list -----------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListParams {
    #[serde(default)]
    customer_id: Option<String>,
    #[serde(default)]
    customer_auth_token: Option<String>,
    #[serde(default)]
    customer_name_prefix: Option<String>,
    #[serde(default)]
    max_results: Option<String>,
    #[serde(default)]
    page_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse {
    kind: &'static str,
    subscriptions: Vec<SubscriptionResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<String>,
}

const DEFAULT_PAGE: u32 = 20;
const MAX_PAGE: u32 = 100;

/// Page tokens are opaque: the list position after which the next page starts, bound to
/// the filter that produced it so a token cannot be replayed on another query.
fn encode_token(after: i64, fingerprint: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{after}.{fingerprint}"))
}

fn decode_token(token: &str, fingerprint: &str) -> Result<i64, ApiError> {
    let invalid = || {
        ApiError::invalid_parameter(
            "pageToken",
            "Invalid value for pageToken: not a token of this query",
        )
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (after, given) = text.split_once('.').ok_or_else(invalid)?;
    if given != fingerprint {
        return Err(invalid());
    }
    after.parse().map_err(|_| invalid())
}

fn fingerprint(reseller_id: &str, filter: &SubscriptionFilter) -> String {
    let digest = Sha256::digest(format!("{reseller_id}|{filter:?}"));
    hex::encode(&digest[..6])
}

fn page_size(max_results: Option<&str>) -> Result<u32, ApiError> {
    let Some(raw) = max_results else {
        return Ok(DEFAULT_PAGE);
    };
    raw.parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_PAGE).contains(n))
        .ok_or_else(|| {
            ApiError::invalid_parameter(
                "maxResults",
                format!("Invalid value for maxResults: '{raw}' is not between 1 and {MAX_PAGE}"),
            )
        })
}

pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<LargeJson<ListResponse>, ApiError> {
    caller.require(RESELLER_READ)?;
    privileges::reseller(&state.ops, caller.actor(), ResellerNeed::View).await?;
    let limit = page_size(params.max_results.as_deref())?;
    if let Some(token) = params
        .customer_auth_token
        .as_deref()
        .filter(|t| !t.is_empty())
    {
        let customer_key = params
            .customer_id
            .as_deref()
            .ok_or_else(|| ApiError::from(RuleError::required("customerId")))?;
        let items = super::transfers::transferable(&caller, &state, customer_key, token).await?;
        return Ok(page_answer(ListResponse {
            kind: "reseller#subscriptions",
            subscriptions: items,
            next_page_token: None,
        }));
    }
    let filter = match (&params.customer_id, &params.customer_name_prefix) {
        (Some(key), _) => {
            SubscriptionFilter::Customer(managed_customer(&state, &caller, key).await?.id)
        }
        (None, Some(prefix)) => SubscriptionFilter::DomainPrefix(prefix.clone()),
        (None, None) => SubscriptionFilter::All,
    };
    let fingerprint = fingerprint(caller.account_id(), &filter);
    let after = match params.page_token.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => decode_token(t, &fingerprint)?,
        None => 0,
    };
    let mut rows = state
        .store
        .subscriptions_page(caller.account_id(), &filter, after, limit + 1)
        .await?;
    let next_page_token = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last()
            .map(|(seq, _, _)| encode_token(*seq, &fingerprint))
    } else {
        None
    };
    Ok(page_answer(ListResponse {
        kind: "reseller#subscriptions",
        subscriptions: rows
            .iter()
            .map(|(_, s, domain)| SubscriptionResource::new(s, domain, &state.public_url))
            .collect(),
        next_page_token,
    }))
}

/// A subscription resource is about 1.2 kB of JSON.
fn page_answer(page: ListResponse) -> LargeJson<ListResponse> {
    let expected_bytes = 256 + page.subscriptions.len() * 1_400;
    LargeJson {
        value: page,
        expected_bytes,
    }
}

pub fn transfer_info(sub: &Subscription, expires_at: i64) -> TransferInfo {
    TransferInfo {
        transferability_expiration_time: expires_at.to_string(),
        minimum_transferable_seats: sub.minimum_transferable_seats(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_round_trip_and_are_bound_to_their_query() {
        let f = fingerprint("C0r", &SubscriptionFilter::All);
        let other = fingerprint("C0r", &SubscriptionFilter::DomainPrefix("a".into()));
        assert_ne!(f, other);
        let t = encode_token(42, &f);
        assert_eq!(decode_token(&t, &f).ok(), Some(42));
        assert!(decode_token(&t, &other).is_err());
        assert!(decode_token("garbage!", &f).is_err());
        assert!(decode_token("", &f).is_err());
    }

    #[test]
    fn page_sizes() {
        assert_eq!(page_size(None).ok(), Some(20));
        assert_eq!(page_size(Some("100")).ok(), Some(100));
        assert!(page_size(Some("0")).is_err());
        assert!(page_size(Some("101")).is_err());
        assert!(page_size(Some("x")).is_err());
    }
}
