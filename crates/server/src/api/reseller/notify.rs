//! `resellernotify`: register, unregister and getwatchdetails for push notifications.

use axum::extract::State;
use partnerd_domain::Clock;
use partnerd_domain::customer::email_valid;
use partnerd_domain::event::NewEvent;
use partnerd_domain::scopes::{RESELLER_READ, RESELLER_WRITE};
use serde::{Deserialize, Serialize};

use crate::billing::topic_name;
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

async fn set(
    caller: Caller,
    state: AppState,
    query: Registration,
    body: Option<Registration>,
    registered: bool,
) -> Result<axum::Json<Topic>, ApiError> {
    let subject = caller.require(RESELLER_WRITE)?;
    crate::privileges::reseller(
        &state.ops,
        caller.actor(),
        crate::privileges::ResellerNeed::Edit,
    )
    .await?;
    let email = query
        .service_account_email_address
        .or(body.and_then(|b| b.service_account_email_address))
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .ok_or_else(|| {
            ApiError::from(partnerd_domain::RuleError::required(
                "serviceAccountEmailAddress",
            ))
        })?;
    if !email_valid(&email) {
        return Err(ApiError::invalid_parameter(
            "serviceAccountEmailAddress",
            "Invalid value for serviceAccountEmailAddress: not an e-mail address",
        ));
    }
    let reseller = caller.account_id().to_string();
    let event = NewEvent {
        at: state.clock.now(),
        actor: subject.email.clone(),
        account_id: Some(reseller.clone()),
        action: if registered {
            "resellernotify.register"
        } else {
            "resellernotify.unregister"
        }
        .into(),
        resource_type: "topic".into(),
        resource_id: topic_name(&reseller),
        before: None,
        after: Some(serde_json::json!({"serviceAccountEmailAddress": email})),
        event_type: None,
    };
    state
        .store
        .set_registration(&reseller, &email, registered, event)
        .await?;
    Ok(axum::Json(Topic {
        topic_name: topic_name(&reseller),
    }))
}

pub async fn register(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<Registration>,
    OptionalJson(body): OptionalJson<Registration>,
) -> Result<axum::Json<Topic>, ApiError> {
    set(caller, state, query, body, true).await
}

pub async fn unregister(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<Registration>,
    OptionalJson(body): OptionalJson<Registration>,
) -> Result<axum::Json<Topic>, ApiError> {
    set(caller, state, query, body, false).await
}

pub async fn getwatchdetails(
    caller: Caller,
    State(state): State<AppState>,
) -> Result<axum::Json<WatchDetails>, ApiError> {
    caller.require(RESELLER_READ)?;
    crate::privileges::reseller(
        &state.ops,
        caller.actor(),
        crate::privileges::ResellerNeed::View,
    )
    .await?;
    Ok(axum::Json(WatchDetails {
        service_account_email_addresses: state.store.registrations(caller.account_id()).await?,
        topic_name: topic_name(caller.account_id()),
    }))
}
