//! `resellernotify`: register, unregister and getwatchdetails for push notifications.
//! The operations are `partnerd_app::notify`; this module reads the wire and renders it.

use axum::extract::State;
use partnerd_app::OpError;
use partnerd_app::notify::{self, SERVICE_ACCOUNT};
use partnerd_domain::RuleErrorKind;
use partnerd_domain::scopes::{RESELLER_READ, RESELLER_WRITE};
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{OptionalJson, Query};
use crate::state::AppState;

/// The documentation shows the address both as a query parameter and in a JSON body;
/// both are accepted.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    #[serde(default)]
    service_account_email_address: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Topic {
    topic_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchDetails {
    service_account_email_addresses: Vec<String>,
    topic_name: String,
}

/// The address the query gives, else the body's.
fn address(query: Registration, body: Option<Registration>) -> Option<String> {
    query
        .service_account_email_address
        .or(body.and_then(|b| b.service_account_email_address))
}

/// Google names a malformed address as a parameter, wherever it came from.
fn rendered(e: OpError) -> ApiError {
    match e.violations().first() {
        Some(v) if v.kind == RuleErrorKind::Invalid && v.field == SERVICE_ACCOUNT => {
            ApiError::invalid_parameter(SERVICE_ACCOUNT, v.message.clone())
        }
        _ => e.into(),
    }
}

pub async fn register(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<Registration>,
    OptionalJson(body): OptionalJson<Registration>,
) -> Result<axum::Json<Topic>, ApiError> {
    caller.require(RESELLER_WRITE)?;
    let email = address(query, body);
    let topic_name = notify::register(&state.ops, caller.actor(), email.as_deref())
        .await
        .map_err(rendered)?;
    Ok(axum::Json(Topic { topic_name }))
}

pub async fn unregister(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<Registration>,
    OptionalJson(body): OptionalJson<Registration>,
) -> Result<axum::Json<Topic>, ApiError> {
    caller.require(RESELLER_WRITE)?;
    let email = address(query, body);
    let topic_name = notify::unregister(&state.ops, caller.actor(), email.as_deref())
        .await
        .map_err(rendered)?;
    Ok(axum::Json(Topic { topic_name }))
}

pub async fn getwatchdetails(
    caller: Caller,
    State(state): State<AppState>,
) -> Result<axum::Json<WatchDetails>, ApiError> {
    caller.require(RESELLER_READ)?;
    let details = notify::watch_details(&state.ops, caller.actor()).await?;
    Ok(axum::Json(WatchDetails {
        service_account_email_addresses: details.service_accounts,
        topic_name: details.topic_name,
    }))
}
