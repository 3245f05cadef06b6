//! The control API under `/partnerd/v1`: what the real platform lacks for testers.
//! Enabled only when a control token is configured, and requires it as a bearer token.

use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::{get, post, put};
use partnerd_app::{Actor, licensing, owner, platform};
use partnerd_domain::clock::rfc3339;
use partnerd_domain::licensing::AutoLicensing;
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;
use crate::extract::{Json, OptionalJson, Path, Query};
use crate::paging;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/partnerd/v1/clock", get(clock))
        .route("/partnerd/v1/clock:advance", post(advance))
        .route("/partnerd/v1/customers/{action}", post(customer_action))
        .route(
            "/partnerd/v1/customers/{action}/autoLicensing",
            get(get_auto_licensing).put(put_auto_licensing),
        )
        .route(
            "/partnerd/v1/resellers/{domain}/pushEndpoint",
            put(push_endpoint),
        )
        .route("/partnerd/v1/resellers/{domain}/events", get(events))
        .route("/partnerd/v1/mail", get(mail))
}

/// Proof that the request carries the control token.
pub struct Operator;

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(expected) = &state.control_token else {
            return Err(ApiError::not_found(
                "The control API is disabled: start partnerd with --control-token.",
            ));
        };
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiError::login_required)?;
        if constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            Ok(Operator)
        } else {
            Err(ApiError::invalid_credentials())
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Serialize)]
struct Now {
    now: String,
}

async fn clock(_: Operator, State(state): State<AppState>) -> Result<axum::Json<Now>, ApiError> {
    Ok(axum::Json(Now {
        now: rfc3339(platform::now(&state.ops).await?),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: i64,
}

async fn advance(
    _: Operator,
    State(state): State<AppState>,
    Json(body): Json<Advance>,
) -> Result<axum::Json<Now>, ApiError> {
    let now = platform::advance_clock(&state.ops, &Actor::Operator, body.seconds).await?;
    Ok(axum::Json(Now { now: rfc3339(now) }))
}

/// `POST /partnerd/v1/customers/{customerId}:acceptTos | :verifyDomain | :transferToken |
/// :setResellerAccess`.
async fn customer_action(
    _: Operator,
    State(state): State<AppState>,
    Path(action): Path<String>,
    OptionalJson(body): OptionalJson<serde_json::Value>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let (customer_key, verb) = action
        .rsplit_once(':')
        .ok_or_else(|| ApiError::not_found("The requested URL was not found on this server."))?;
    match verb {
        "acceptTos" => accept_tos(&state, customer_key, body).await,
        "verifyDomain" => verify_domain(&state, customer_key).await,
        "setResellerAccess" => set_reseller_access(&state, customer_key, body).await,
        "transferToken" => transfer_token(&state, customer_key, body).await,
        _ => Err(ApiError::not_found(
            "The requested URL was not found on this server.",
        )),
    }
}

/// Who acts through the control API: the operator, or, with `asUser`, that user, whose
/// action the operation then judges as the Admin console will (only the customer's own
/// super admin may take an owner's action).
async fn acting(state: &AppState, as_user: Option<&str>) -> Result<Actor, ApiError> {
    let Some(email) = as_user.map(str::trim) else {
        return Ok(Actor::Operator);
    };
    Ok(platform::as_user(&state.ops, email).await?)
}

/// The optional body of `:acceptTos`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AcceptTos {
    #[serde(default)]
    as_user: Option<String>,
}

/// What a customer's super admin does on first sign-in: accept the Terms of Service,
/// which lifts `PENDING_TOS_ACCEPTANCE` from every subscription of the customer.
async fn accept_tos(
    state: &AppState,
    key: &str,
    body: Option<serde_json::Value>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let request: AcceptTos = match body {
        Some(b) => serde_json::from_value(b).map_err(ApiError::parse_error)?,
        None => AcceptTos::default(),
    };
    let actor = acting(state, request.as_user.as_deref()).await?;
    let (customer, accepted_at) = owner::accept_terms(&state.ops, &actor, key).await?;
    Ok(axum::Json(serde_json::json!({
        "customerId": customer.id,
        "tosAcceptedTime": rfc3339(accepted_at),
    })))
}

async fn verify_domain(
    state: &AppState,
    key: &str,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let customer = owner::verify_domain(&state.ops, &Actor::Operator, key).await?;
    Ok(axum::Json(serde_json::json!({
        "customerId": customer.id,
        "customerDomainVerified": true,
    })))
}

/// Automatic licensing of a customer's new users (an Admin console setting).
async fn get_auto_licensing(
    _: Operator,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<axum::Json<AutoLicensing>, ApiError> {
    Ok(axum::Json(
        licensing::auto_licensing(&state.ops, &Actor::Operator, &key).await?,
    ))
}

async fn put_auto_licensing(
    _: Operator,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<AutoLicensing>,
) -> Result<axum::Json<AutoLicensing>, ApiError> {
    Ok(axum::Json(
        licensing::set_auto_licensing(&state.ops, &Actor::Operator, &key, body).await?,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ResellerAccess {
    enabled: bool,
    #[serde(default)]
    as_user: Option<String>,
}

/// What the customer's super admin does in its Admin console: allow or refuse its
/// reseller access to its Admin console and APIs.
async fn set_reseller_access(
    state: &AppState,
    key: &str,
    body: Option<serde_json::Value>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let request: ResellerAccess =
        serde_json::from_value(body.unwrap_or_default()).map_err(ApiError::parse_error)?;
    let actor = acting(state, request.as_user.as_deref()).await?;
    let customer = owner::set_reseller_access(&state.ops, &actor, key, request.enabled).await?;
    Ok(axum::Json(serde_json::json!({
        "customerId": customer.id,
        "resellerAccess": customer.reseller_access,
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TransferTokenRequest {
    reseller_public_id: String,
    /// The product groups (product IDs) the customer chooses to move: its purchase
    /// consent for the receiving reseller. Absent: every group.
    #[serde(default)]
    product_groups: Option<Vec<String>>,
    #[serde(default)]
    as_user: Option<String>,
}

/// What a customer's super admin does in the Admin console to move to another reseller.
async fn transfer_token(
    state: &AppState,
    key: &str,
    body: Option<serde_json::Value>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let request: TransferTokenRequest =
        serde_json::from_value(body.unwrap_or_default()).map_err(ApiError::parse_error)?;
    let actor = acting(state, request.as_user.as_deref()).await?;
    let made = owner::generate_transfer_token_for(
        &state.ops,
        &actor,
        key,
        &request.reseller_public_id,
        request.product_groups.as_deref(),
    )
    .await?;
    Ok(axum::Json(serde_json::json!({
        "customerAuthToken": made.secret,
        "expireTime": rfc3339(made.token.expires_at),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PushEndpoint {
    url: Option<String>,
}

/// Where the reseller's Pub/Sub push subscription delivers; `{"url": null}` removes it.
async fn push_endpoint(
    _: Operator,
    State(state): State<AppState>,
    Path(domain): Path<String>,
    Json(body): Json<PushEndpoint>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let url =
        platform::set_push_endpoint(&state.ops, &Actor::Operator, &domain, body.url.as_deref())
            .await?;
    Ok(axum::Json(serde_json::json!({"url": url})))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventsParams {
    #[serde(default)]
    page_size: Option<u32>,
    #[serde(default)]
    page_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventResource {
    id: String,
    time: String,
    actor: String,
    action: String,
    resource_type: String,
    resource_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_type: Option<String>,
}

/// A reseller's event log, oldest first; the page token is the last id seen.
async fn events(
    _: Operator,
    State(state): State<AppState>,
    Path(domain): Path<String>,
    Query(params): Query<EventsParams>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let size = params.page_size.unwrap_or(100);
    if !(1..=1000).contains(&size) {
        return Err(ApiError::invalid_parameter(
            "pageSize",
            "Invalid value for pageSize: 1 to 1000",
        ));
    }
    let after = match params.page_token.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => t
            .parse::<i64>()
            .map_err(|_| ApiError::invalid_parameter("pageToken", "Invalid value for pageToken"))?,
        None => 0,
    };
    let (rows, more) = platform::events(&state.ops, &domain, after, size).await?;
    let next = if more {
        rows.last().map(|e| e.id.to_string())
    } else {
        None
    };
    let events: Vec<EventResource> = rows
        .into_iter()
        .map(|e| EventResource {
            id: e.id.to_string(),
            time: rfc3339(e.event.at),
            actor: e.event.actor,
            action: e.event.action,
            resource_type: e.event.resource_type,
            resource_id: e.event.resource_id,
            before: e.event.before,
            after: e.event.after,
            event_type: e.event.event_type,
        })
        .collect();
    let mut body = serde_json::json!({ "events": events });
    paging::add_next_page_token(&mut body, next);
    Ok(axum::Json(body))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MailParams {
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    page_token: Option<String>,
    #[serde(default)]
    max_results: Option<String>,
}

/// The e-mail of the outbox, queued and delivered, newest first: what a tester reads a
/// message with when no SMTP server is configured, and how delivery went when one is.
/// `to` keeps one recipient's; the page token is opaque (the last row seen, bound to
/// `to`).
async fn mail(
    _: Operator,
    State(state): State<AppState>,
    Query(params): Query<MailParams>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let max = paging::max_results(params.max_results.as_deref(), 100, 500)?;
    // Addresses are stored lower-case, as users' are.
    let to = params
        .to
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase);
    let before = match params.page_token.as_deref().filter(|t| !t.is_empty()) {
        Some(token) => mail_cursor::decode(token, to.as_deref())?,
        None => i64::MAX,
    };
    // One more than a page says whether another page follows.
    let mut rows = state
        .store
        .mail_page(to.as_deref(), before, max as u32 + 1)
        .await?;
    let more = rows.len() > max;
    rows.truncate(max);
    let next = if more {
        rows.last()
            .map(|m| mail_cursor::encode(m.id, to.as_deref()))
    } else {
        None
    };
    let messages: Vec<serde_json::Value> = rows.iter().map(mail_resource).collect();
    let mut body = serde_json::json!({ "messages": messages });
    paging::add_next_page_token(&mut body, next);
    Ok(axum::Json(body))
}

fn mail_resource(m: &partnerd_store::mailbox::MailRecord) -> serde_json::Value {
    // The payload is what the cause rendered; a field it lacks is shown as null.
    let payload: serde_json::Value = serde_json::from_str(&m.payload).unwrap_or_default();
    let text = |name: &str| payload.get(name).cloned().unwrap_or_default();
    serde_json::json!({
        "id": m.message_id,
        "customerId": m.account_id,
        "to": m.recipient,
        "language": text("language"),
        "subject": text("subject"),
        "text": text("text"),
        "html": text("html"),
        "queuedAt": rfc3339(m.queued_at),
        "attempts": m.attempts,
        "deliveredAt": m.delivered_at.map(rfc3339),
        "failedAt": m.failed_at.map(rfc3339),
        "lastError": m.last_error,
    })
}

/// The mail list's page tokens: the last row id shown and the recipient filter it was
/// made for, so a token is neither a bare number nor usable on another filter.
mod mail_cursor {
    use base64::Engine;

    use crate::errors::ApiError;

    const ENGINE: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

    pub fn encode(last_id: i64, to: Option<&str>) -> String {
        ENGINE.encode(format!("mail\u{1}{}\u{1}{last_id}", to.unwrap_or_default()))
    }

    pub fn decode(token: &str, to: Option<&str>) -> Result<i64, ApiError> {
        let invalid = || ApiError::invalid_parameter("pageToken", "Invalid value for pageToken");
        let raw = ENGINE.decode(token).map_err(|_| invalid())?;
        let text = String::from_utf8(raw).map_err(|_| invalid())?;
        let mut parts = text.split('\u{1}');
        let (Some("mail"), Some(filter), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        if filter != to.unwrap_or_default() {
            return Err(invalid());
        }
        id.parse::<i64>().map_err(|_| invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;
    use super::mail_cursor;

    #[test]
    fn mail_page_tokens_round_trip_and_are_bound_to_their_filter() {
        let token = mail_cursor::encode(42, Some("ann@example.com"));
        assert!(!token.contains("42"), "opaque: {token}");
        assert_eq!(
            mail_cursor::decode(&token, Some("ann@example.com")).ok(),
            Some(42)
        );
        assert!(mail_cursor::decode(&token, None).is_err());
        assert!(mail_cursor::decode(&token, Some("bob@example.com")).is_err());
        let all = mail_cursor::encode(7, None);
        assert_eq!(mail_cursor::decode(&all, None).ok(), Some(7));
        for junk in ["", "42", "!!!", "bWFpbA"] {
            assert!(mail_cursor::decode(junk, None).is_err(), "{junk}");
        }
    }

    #[test]
    fn compares_tokens() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
