//! Injected faults, so integrators can test their retry and backoff code: the control API
//! registers a fault for a pattern of method IDs, and matching requests then fail (503,
//! 429 or 500, in Google's error format, without running) or are delayed. Faults live in
//! the process that received them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use serde::Serialize;
use serde_json::Value;

use crate::control::Operator;
use crate::errors::ApiError;
use crate::extract::{Json, Path};
use crate::methods;
use crate::state::AppState;

/// Injected latency stays below the request timeout.
const MAX_LATENCY_MS: u64 = 60_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/partnerd/v1/faults", post(add).get(list).delete(clear_all))
        .route("/partnerd/v1/faults/{id}", delete(clear_one))
}

/// What a fault does to a request it fires on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub status: Option<StatusCode>,
    pub latency: Duration,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    id: String,
    method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<u64>,
    /// Left of `count`.
    #[serde(skip_serializing_if = "Option::is_none")]
    remaining: Option<AtomicU64>,
    /// Requests this fault failed or delayed so far.
    injected: AtomicU64,
}

impl Fault {
    /// Parses a fault from the control API's JSON, naming the field at fault.
    pub fn parse(id: String, body: &Value) -> Result<Fault, ApiError> {
        let Some(fields) = body.as_object() else {
            return Err(ApiError::invalid("The fault must be a JSON object."));
        };
        if let Some(unknown) = fields.keys().find(|k| {
            !matches!(
                k.as_str(),
                "method" | "status" | "count" | "ratio" | "latencyMs"
            )
        }) {
            return Err(ApiError::parse_error(format!(
                "Unknown name \"{unknown}\": a fault has method, status, count, ratio and latencyMs."
            )));
        }
        let method = match fields.get("method") {
            Some(Value::String(m)) if !m.trim().is_empty() && m.len() <= 200 => {
                m.trim().to_string()
            }
            Some(_) => {
                return Err(ApiError::invalid(
                    "Invalid value for method: a method ID pattern such as reseller.subscriptions.insert or reseller.*",
                ));
            }
            None => return Err(required("method")),
        };
        let status = match fields.get("status") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_u64() {
                Some(s @ (429 | 500 | 503)) => Some(s as u16),
                _ => {
                    return Err(ApiError::invalid(format!(
                        "Invalid value for status: {v}; use 503, 429 or 500"
                    )));
                }
            },
        };
        let count = match fields.get("count") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_u64() {
                Some(n) if n >= 1 => Some(n),
                _ => {
                    return Err(ApiError::invalid(format!(
                        "Invalid value for count: {v}; a whole number of requests, at least 1"
                    )));
                }
            },
        };
        let ratio = match fields.get("ratio") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_f64() {
                Some(r) if r > 0.0 && r <= 1.0 => Some(r),
                _ => {
                    return Err(ApiError::invalid(format!(
                        "Invalid value for ratio: {v}; a probability above 0 and at most 1"
                    )));
                }
            },
        };
        let latency_ms = match fields.get("latencyMs") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_u64() {
                Some(ms) if ms <= MAX_LATENCY_MS => Some(ms),
                _ => {
                    return Err(ApiError::invalid(format!(
                        "Invalid value for latencyMs: {v}; milliseconds from 0 to {MAX_LATENCY_MS}"
                    )));
                }
            },
        };
        if count.is_some() && ratio.is_some() {
            return Err(ApiError::invalid(
                "Invalid value for ratio: give count or ratio, not both",
            ));
        }
        if status.is_none() && latency_ms.is_none() {
            return Err(required("status"));
        }
        Ok(Fault {
            id,
            method,
            status,
            count,
            ratio,
            latency_ms,
            remaining: count.map(AtomicU64::new),
            injected: AtomicU64::new(0),
        })
    }

    /// Whether this fault fires on a request to `method_id`, using up one of its count.
    fn fires(&self, method_id: &str) -> bool {
        if !methods::matches(&self.method, method_id) {
            return false;
        }
        let fired = if let Some(remaining) = &self.remaining {
            // Exactly `count` requests win a decrement, however many race for it.
            remaining
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                .is_ok()
        } else if let Some(ratio) = self.ratio {
            rand::random::<f64>() < ratio
        } else {
            true
        };
        if fired {
            self.injected.fetch_add(1, Ordering::Relaxed);
        }
        fired
    }

    fn hit(&self) -> Hit {
        Hit {
            status: self.status.and_then(|s| StatusCode::from_u16(s).ok()),
            latency: Duration::from_millis(self.latency_ms.unwrap_or(0)),
        }
    }
}

fn required(field: &str) -> ApiError {
    let mut e = ApiError::invalid(format!("Required field missing: {field}"));
    e.reason = "required";
    e
}

/// The faults of this process.
#[derive(Default)]
pub struct Faults {
    next_id: AtomicU64,
    list: RwLock<Vec<Arc<Fault>>>,
}

impl Faults {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Arc<Fault>>> {
        self.list
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Vec<Arc<Fault>>> {
        self.list
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn new_id(&self) -> String {
        format!("fault-{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    pub fn add(&self, fault: Fault) -> Arc<Fault> {
        let fault = Arc::new(fault);
        self.write().push(fault.clone());
        fault
    }

    /// The first registered fault that fires on `method_id`, with its ID.
    pub fn pick(&self, method_id: &str) -> Option<(String, Hit)> {
        let list = self.read();
        list.iter()
            .find(|f| f.fires(method_id))
            .map(|f| (f.id.clone(), f.hit()))
    }

    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }
}

/// Waits a fault's latency; then its error answer, or `None` when the request should
/// run (a latency-only fault). A failed request never runs.
pub async fn delay_or_fail(id: &str, hit: &Hit) -> Option<Response> {
    if !hit.latency.is_zero() {
        tokio::time::sleep(hit.latency).await;
    }
    let status = hit.status?;
    let mut response = ApiError::injected(status).into_response();
    mark(&mut response, id);
    Some(response)
}

/// Names the fault that touched a response, for the tester reading it.
pub fn mark(response: &mut Response, id: &str) {
    if let Ok(value) = HeaderValue::from_str(id) {
        response.headers_mut().insert("x-partnerd-fault", value);
    }
}

async fn add(
    _: Operator,
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> Result<axum::Json<Arc<Fault>>, ApiError> {
    let fault = Fault::parse(state.faults.new_id(), &body)?;
    tracing::info!(id = %fault.id, method = %fault.method, "fault injected");
    Ok(axum::Json(state.faults.add(fault)))
}

#[derive(Serialize)]
struct FaultList {
    faults: Vec<Arc<Fault>>,
}

async fn list(_: Operator, State(state): State<AppState>) -> axum::Json<FaultList> {
    axum::Json(FaultList {
        faults: state.faults.read().clone(),
    })
}

async fn clear_all(_: Operator, State(state): State<AppState>) -> axum::Json<Value> {
    state.faults.write().clear();
    axum::Json(serde_json::json!({}))
}

async fn clear_one(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let mut list = state.faults.write();
    let before = list.len();
    list.retain(|f| f.id != id);
    if list.len() == before {
        return Err(ApiError::not_found(format!("Fault {id} was not found.")));
    }
    Ok(axum::Json(serde_json::json!({})))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(body: Value) -> Result<Fault, String> {
        Fault::parse("f".into(), &body).map_err(|e| e.message)
    }

    #[test]
    fn validation_names_the_field() {
        for (body, field) in [
            (json!({"status": 503}), "method"),
            (json!({"method": ""}), "method"),
            (json!({"method": "x"}), "status"),
            (json!({"method": "x", "status": 404}), "status"),
            (json!({"method": "x", "status": 503, "count": 0}), "count"),
            (json!({"method": "x", "status": 503, "ratio": 1.5}), "ratio"),
            (
                json!({"method": "x", "status": 503, "count": 1, "ratio": 0.5}),
                "ratio",
            ),
            (
                json!({"method": "x", "status": 503, "latencyMs": -1}),
                "latencyMs",
            ),
            (json!({"method": "x", "status": 503, "colour": 1}), "colour"),
        ] {
            let message = parse(body.clone()).err().unwrap_or_default();
            assert!(message.contains(field), "{body} → {message:?}");
        }
    }

    #[test]
    fn count_fires_exactly_that_often() {
        let faults = Faults::default();
        faults
            .add(parse(json!({"method": "reseller.*", "status": 503, "count": 2})).expect("valid"));
        assert!(faults.pick("directory.users.get").is_none());
        let hits: Vec<_> = (0..4)
            .map(|_| faults.pick("reseller.customers.get").is_some())
            .collect();
        assert_eq!(hits, [true, true, false, false]);
    }

    #[test]
    fn latency_only_faults_have_no_status() {
        let faults = Faults::default();
        faults.add(parse(json!({"method": "*.get", "latencyMs": 5})).expect("valid"));
        let (_, hit) = faults.pick("directory.users.get").expect("fires");
        assert_eq!(
            hit,
            Hit {
                status: None,
                latency: Duration::from_millis(5)
            }
        );
    }
}
