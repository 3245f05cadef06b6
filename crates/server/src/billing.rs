//! Turning subscription outcomes into one atomic write: the new states, their events in
//! the event log, and the push notifications resellers receive. Shared by the API, the
//! control API and the clock.

use base64::Engine;
use futures_util::StreamExt;
use partnerd_domain::clock::{Millis, rfc3339};
use partnerd_domain::customer::Customer;
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::subscription::{Notice, Outcome, Subscription};
use partnerd_store::{Lease, Push, StoreError, WriteSet};

use crate::errors::ApiError;
use crate::state::AppState;

/// Google's Pub/Sub project that holds every reseller's notification topic.
pub const TOPIC_PROJECT: &str = "partner-watch";

pub fn topic_name(reseller_id: &str) -> String {
    format!("projects/{TOPIC_PROJECT}/topics/{reseller_id}")
}

/// Optimistic operations are retried this often when another writer got there first.
pub const ATTEMPTS: usize = 8;

/// Who changes what, when: shared by the entries of one change.
#[derive(Clone, Copy)]
pub struct Stamp<'a> {
    pub actor: &'a str,
    pub at: Millis,
    /// The primary domain of the customer the subscriptions belong to (for notifications).
    pub customer_domain: &'a str,
}

/// A set of changes being assembled for one commit.
#[derive(Default)]
pub struct Change {
    pub set: WriteSet,
}

impl Change {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes this change conflict with any other change made from the same reading of
    /// `customer`, by moving its version. Rules that span a customer's subscriptions (one
    /// Workspace edition at a time) were judged on that reading, so concurrent orders
    /// for one customer must commit one after another, each re-judged after a conflict.
    pub fn serialise_on(&mut self, customer: &Customer) {
        let mut moved = customer.clone();
        moved.version += 1;
        self.set.update_customers.push((customer.clone(), moved));
    }

    /// Records a subscription's new state (an insert when there is no `before`), its event
    /// and a push for each notice, to the reseller that manages it in `next`.
    pub fn subscription(
        &mut self,
        stamp: &Stamp<'_>,
        action: &str,
        before: Option<&Subscription>,
        next: &Subscription,
        notices: &[Notice],
    ) {
        let Stamp {
            actor,
            at,
            customer_domain,
        } = *stamp;
        self.set.events.push(NewEvent {
            at,
            actor: actor.to_string(),
            account_id: Some(next.reseller_id.clone()),
            action: action.to_string(),
            resource_type: "subscription".into(),
            resource_id: next.id.clone(),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: serde_json::to_value(next).ok(),
            event_type: notices.first().map(|n| n.event_type.as_str().to_string()),
        });
        for notice in notices {
            self.set
                .pushes
                .push(push(next, customer_domain, notice, at));
        }
        match before {
            Some(b) => self
                .set
                .update_subscriptions
                .push((b.version, next.clone())),
            None => self.set.insert_subscriptions.push(next.clone()),
        }
    }

    pub fn outcome(
        &mut self,
        stamp: &Stamp<'_>,
        action: &str,
        before: &Subscription,
        outcome: &Outcome,
    ) {
        self.subscription(stamp, action, Some(before), &outcome.next, &outcome.notices);
    }

    pub fn customer(
        &mut self,
        actor: &str,
        action: &str,
        at: Millis,
        before: &Customer,
        after: &Customer,
    ) {
        self.set.events.push(NewEvent {
            at,
            actor: actor.to_string(),
            account_id: after
                .managed_by
                .clone()
                .or_else(|| before.managed_by.clone()),
            action: action.to_string(),
            resource_type: "customer".into(),
            resource_id: after.id.clone(),
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(after).ok(),
            event_type: None,
        });
        self.set
            .update_customers
            .push((before.clone(), after.clone()));
    }
}

/// The decoded `data` of a push message, in Google's snake_case.
fn push(sub: &Subscription, customer_domain: &str, notice: &Notice, at: Millis) -> Push {
    let message_id = ids::new_numeric_id()[..16].to_string();
    let mut data = serde_json::json!({
        "message_id": message_id,
        "publish_time": {"seconds": at / 1000, "nanos": (at % 1000) * 1_000_000},
        "reseller_customer_id": sub.reseller_id,
        "customer_id": sub.customer_id,
        "customer_domain_name": customer_domain,
        "event_type": notice.event_type.as_str(),
        "sku_id": sub.sku_id,
        "subscription_id": sub.id,
    });
    if !sub.suspension_reasons.is_empty() {
        data["subscription_suspension_reasons"] = sub
            .suspension_reasons
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .into();
    }
    if let Some(reason) = notice.cancellation_reason {
        data["subscription_cancellation_reason"] = reason.as_str().into();
    }
    Push {
        reseller_id: sub.reseller_id.clone(),
        message_id,
        payload: data,
        at,
    }
}

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

/// Applies every clock-driven transition due at `now`, earliest first; each takes effect
/// at its own due time. Two processes may try the same one: the version check lets one win.
pub async fn run_due(state: &AppState, now: Millis) -> Result<usize, ApiError> {
    let mut applied = 0;
    loop {
        let due = state.store.due_subscriptions(now, 100).await?;
        if due.is_empty() {
            return Ok(applied);
        }
        let mut progressed = false;
        for (_, sub, domain) in due {
            let Some(outcome) = sub.advance(now) else {
                continue;
            };
            let at = sub.due_at().unwrap_or(now);
            let mut change = Change::new();
            let stamp = Stamp {
                actor: "system",
                at,
                customer_domain: &domain,
            };
            change.outcome(&stamp, "subscription.transition", &sub, &outcome);
            match state.apply(change.set).await {
                Ok(()) => {
                    applied += 1;
                    progressed = true;
                }
                // Someone else moved it; the next query sees its fresh state.
                Err(StoreError::Stale) => progressed = true,
                Err(e) => return Err(e.into()),
            }
        }
        if !progressed {
            return Ok(applied);
        }
    }
}

/// How long a process holds the pushes it claimed, in real time: longer than one batch
/// can take (two rounds of deliveries, each timing out after 10 s).
const DELIVERY_LEASE_MS: i64 = 30_000;
/// Pushes claimed at once.
pub const DELIVERY_BATCH: usize = 8;
/// Deliveries in flight at once: a receiver is a small web server, often with a listen
/// backlog of a handful of connections; more at once made connections fail and pushes
/// wait out their backoff.
const DELIVERY_CONCURRENCY: usize = 4;

/// Delivers due pushes once; failures are retried with exponential backoff.
pub async fn deliver_pushes(state: &AppState, client: &reqwest::Client) -> Result<usize, ApiError> {
    use partnerd_domain::Clock;
    let real_now = state.clock.real_now();
    // A process killed mid-delivery leaves its claims to be retried once the lease ends.
    let lease = Lease {
        now: real_now,
        until: real_now + DELIVERY_LEASE_MS,
    };
    let items = state
        .store
        .claim_pushes(state.clock.now(), lease, DELIVERY_BATCH as u32)
        .await?;
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
    let now = state.clock.now();
    let outcome = if delivered {
        Ok(now)
    } else {
        let backoff_s = 1i64 << item.attempts.clamp(0, 9);
        Err(now + backoff_s.min(600) * 1000)
    };
    state.store.finish_push(item.id, outcome).await?;
    Ok(())
}
