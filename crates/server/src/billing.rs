//! Turning subscription outcomes into one atomic write: the new states, their events in
//! the event log, and the push notifications resellers receive. Shared by the API, the
//! control API and the clock.

use base64::Engine;
use futures_util::StreamExt;
use partnerd_app::deliveries;
use partnerd_domain::clock::{Millis, rfc3339};

pub use partnerd_app::change::{ATTEMPTS, Change, Stamp, TOPIC_PROJECT, topic_name};

use crate::errors::ApiError;
use crate::state::AppState;

/// The Pub/Sub push request body for a queued message.
pub fn push_envelope(
    reseller_id: &str,
    message_id: &str,
    payload: &str,
    publish_time: Millis,
) -> serde_json::Value {
    let event_type = serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| {
            v.get("event_type")
                .and_then(|t| t.as_str().map(str::to_string))
        })
        .unwrap_or_default();
    let published = rfc3339(publish_time);
    serde_json::json!({
        "message": {
            "data": base64::engine::general_purpose::STANDARD.encode(payload),
            "attributes": {"event_type": event_type},
            "messageId": message_id,
            "message_id": message_id,
            "publishTime": published,
            "publish_time": published,
        },
        "subscription": format!("projects/{TOPIC_PROJECT}/subscriptions/{reseller_id}"),
    })
}

/// Applies every clock-driven transition due at `now` (see `partnerd_app::transitions`).
pub async fn run_due(state: &AppState, now: Millis) -> Result<usize, ApiError> {
    Ok(partnerd_app::transitions::run_due(&state.ops, now).await?)
}

/// Pushes claimed at once.
pub const DELIVERY_BATCH: usize = 8;
/// Deliveries in flight at once: a receiver is a small web server, often with a listen
/// backlog of a handful of connections; more at once made connections fail and pushes
/// wait out their backoff.
const DELIVERY_CONCURRENCY: usize = 4;

/// Delivers due pushes once; failures are retried with exponential backoff.
pub async fn deliver_pushes(state: &AppState, client: &reqwest::Client) -> Result<usize, ApiError> {
    let items = deliveries::claim_pushes(&state.ops, DELIVERY_BATCH as u32).await?;
    let count = items.len();
    let results: Vec<Result<(), ApiError>> = futures_util::stream::iter(items)
        .map(|item| deliver(state, client, item))
        .buffer_unordered(DELIVERY_CONCURRENCY)
        .collect()
        .await;
    results.into_iter().collect::<Result<(), ApiError>>()?;
    Ok(count)
}

async fn deliver(
    state: &AppState,
    client: &reqwest::Client,
    item: partnerd_store::OutboxItem,
) -> Result<(), ApiError> {
    use partnerd_domain::Clock;
    let publish_time = serde_json::from_str::<serde_json::Value>(&item.payload)
        .ok()
        .and_then(|v| v["publish_time"]["seconds"].as_i64())
        .map(|s| s * 1000)
        .unwrap_or_else(|| state.clock.now());
    let body = push_envelope(
        &item.reseller_id,
        &item.message_id,
        &item.payload,
        publish_time,
    );
    let delivered = client
        .post(&item.url)
        .json(&body)
        .send()
        .await
        .map(|r| r.status().is_success())
        .unwrap_or(false);
    deliveries::record(&state.ops, &item, delivered).await?;
    Ok(())
}
