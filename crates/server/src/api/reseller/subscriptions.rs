//! `subscriptions`: insert (buy, upgrade/downgrade, transfer), get, list, changePlan,
//! changeSeats, changeRenewalSettings, startPaidService, suspend, activate, delete.
//! The operations are `partnerd_app::subscriptions`; this module reads the wire and
//! renders it.

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use partnerd_app::subscriptions::{self, Edit, Ordering};
use partnerd_domain::RuleError;
use partnerd_domain::scopes::{RESELLER_READ, RESELLER_WRITE};
use partnerd_domain::subscription::Subscription;
use partnerd_store::SubscriptionFilter;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::wire::{
    ChangePlanBody, RenewalBody, SeatsBody, SubscriptionBody, SubscriptionResource,
    ignore_read_only,
};
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, LargeJson, OptionalJson, Path, Query};
use crate::state::AppState;

type Resource = axum::Json<SubscriptionResource>;

fn resource(state: &AppState, (s, domain): (Subscription, String)) -> Resource {
    axum::Json(SubscriptionResource::new(&s, &domain, &state.public_url))
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
) -> Result<Resource, ApiError> {
    caller.require(RESELLER_READ)?;
    let found =
        subscriptions::get(&state.ops, caller.actor(), &customer_id, &subscription_id).await?;
    Ok(resource(&state, found))
}

async fn change(
    caller: Caller,
    state: AppState,
    customer_id: String,
    subscription_id: String,
    edit: Edit,
) -> Result<Resource, ApiError> {
    caller.require(RESELLER_WRITE)?;
    let changed = subscriptions::change(
        &state.ops,
        caller.actor(),
        &customer_id,
        &subscription_id,
        edit,
    )
    .await?;
    Ok(resource(&state, changed))
}

pub async fn change_seats(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    Json(body): Json<SeatsBody>,
) -> Result<Resource, ApiError> {
    let edit = Edit::Seats(body.input());
    change(caller, state, customer_id, subscription_id, edit).await
}

pub async fn change_plan(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    Json(body): Json<ChangePlanBody>,
) -> Result<Resource, ApiError> {
    let edit = Edit::Plan(body.change());
    change(caller, state, customer_id, subscription_id, edit).await
}

pub async fn change_renewal_settings(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    Json(body): Json<RenewalBody>,
) -> Result<Resource, ApiError> {
    let edit = Edit::Renewal(body.renewal_type);
    change(caller, state, customer_id, subscription_id, edit).await
}

pub async fn start_paid_service(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    OptionalJson(_): OptionalJson<serde_json::Value>,
) -> Result<Resource, ApiError> {
    change(
        caller,
        state,
        customer_id,
        subscription_id,
        Edit::StartPaidService,
    )
    .await
}

pub async fn suspend(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    OptionalJson(_): OptionalJson<serde_json::Value>,
) -> Result<Resource, ApiError> {
    change(caller, state, customer_id, subscription_id, Edit::Suspend).await
}

pub async fn activate(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, subscription_id)): Path<(String, String)>,
    OptionalJson(_): OptionalJson<serde_json::Value>,
) -> Result<Resource, ApiError> {
    change(caller, state, customer_id, subscription_id, Edit::Activate).await
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
    caller.require(RESELLER_WRITE)?;
    subscriptions::delete(
        &state.ops,
        caller.actor(),
        &customer_id,
        &subscription_id,
        params.deletion_type.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
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
    caller.require(RESELLER_WRITE)?;
    ignore_read_only(&body);
    let how = Ordering {
        action: params.action.as_deref(),
        source_sku_id: params.source_sku_id.as_deref(),
        customer_auth_token: params.customer_auth_token.as_deref(),
    };
    let ordered =
        subscriptions::insert(&state.ops, caller.actor(), &customer_id, body.order(), how).await?;
    Ok(resource(&state, ordered))
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
    let listing = subscriptions::listing(&state.ops, caller.actor()).await?;
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
        let items = super::transfers::transferable(&listing, &state, customer_key, token).await?;
        return Ok(page_answer(ListResponse {
            kind: "reseller#subscriptions",
            subscriptions: items,
            next_page_token: None,
        }));
    }
    let filter = listing
        .filter(
            params.customer_id.as_deref(),
            params.customer_name_prefix.as_deref(),
        )
        .await?;
    let fingerprint = fingerprint(listing.reseller(), &filter);
    let after = match params.page_token.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => decode_token(t, &fingerprint)?,
        None => 0,
    };
    let mut rows = listing.page(&filter, after, limit + 1).await?;
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
