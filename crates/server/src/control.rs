//! The control API under `/partnerd/v1`: what the real platform lacks for testers.
//! Enabled only when a control token is configured, and requires it as a bearer token.

use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::{get, post};
use partnerd_domain::Clock;
use partnerd_domain::clock::rfc3339;
use partnerd_domain::event::NewEvent;
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;
use crate::extract::Json;
use crate::state::AppState;

/// The clock moves at most ten years per call.
const MAX_ADVANCE_SECONDS: i64 = 10 * 366 * 86_400;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/partnerd/v1/clock", get(clock))
        .route("/partnerd/v1/clock:advance", post(advance))
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
    // Another process may have moved the shared clock: read the stored offset.
    state.clock.set_offset(state.store.clock_offset().await?);
    Ok(axum::Json(Now {
        now: rfc3339(state.clock.now()),
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
    if !(0..=MAX_ADVANCE_SECONDS).contains(&body.seconds) {
        return Err(ApiError::invalid(format!(
            "Invalid value for seconds: must be between 0 and {MAX_ADVANCE_SECONDS}; the clock never goes back"
        )));
    }
    let event = NewEvent {
        at: state.clock.now(),
        actor: "control".into(),
        account_id: None,
        action: "clock.advance".into(),
        resource_type: "clock".into(),
        resource_id: "clock".into(),
        before: None,
        after: Some(serde_json::json!({"seconds": body.seconds})),
    };
    let offset = state
        .store
        .advance_clock(body.seconds * 1000, event)
        .await?;
    state.clock.set_offset(offset);
    Ok(axum::Json(Now {
        now: rfc3339(state.clock.now()),
    }))
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn compares_tokens() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
