//! Turning outcomes into one atomic write: the new states, their events in the event
//! log, and the push notifications resellers receive. Shared by every operation.

use partnerd_domain::clock::Millis;
use partnerd_domain::customer::Customer;
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::subscription::{Notice, Outcome, Subscription};
use partnerd_store::{Push, Write, WriteSet};

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

/// A set of changes being assembled for one commit. The data is written in the order
/// it is recorded (so record it in the order the schema needs, see `partnerd_store::Write`),
/// then the events, then the pushes and e-mail that describe it, each in the order
/// recorded.
#[derive(Default)]
pub struct Change {
    data: WriteSet,
    events: WriteSet,
    outbox: WriteSet,
}

impl Change {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a write: data after the data recorded before it; an event or a delivery
    /// after every piece of data.
    pub fn write(&mut self, write: Write) {
        match write {
            Write::Event(_) => self.events.push(write),
            Write::Push(_) | Write::Mail(_) => self.outbox.push(write),
            data => self.data.push(data),
        }
    }

    pub fn event(&mut self, event: NewEvent) {
        self.events.push(Write::Event(event));
    }

    /// The writes to commit: the data, then its events, then its deliveries.
    pub fn into_set(self) -> WriteSet {
        let Change {
            mut data,
            events,
            outbox,
        } = self;
        data.append(events);
        data.append(outbox);
        data
    }

    /// Makes this change conflict with any other change made from the same reading of
    /// `customer`, by moving its version. Rules that span a customer's subscriptions (one
    /// Workspace edition at a time) were judged on that reading, so concurrent orders
    /// for one customer must commit one after another, each re-judged after a conflict.
    pub fn serialise_on(&mut self, customer: &Customer) {
        let mut moved = customer.clone();
        moved.version += 1;
        self.write(Write::UpdateCustomer {
            before: customer.clone(),
            after: moved,
        });
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
        self.event(NewEvent {
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
            self.write(Write::Push(push(next, customer_domain, notice, at)));
        }
        self.write(match before {
            Some(b) => Write::UpdateSubscription {
                version_read: b.version,
                after: next.clone(),
            },
            None => Write::InsertSubscription(next.clone()),
        });
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

    /// Records a customer's new state and its event.
    pub fn customer(
        &mut self,
        actor: &str,
        action: &str,
        at: Millis,
        before: &Customer,
        after: &Customer,
    ) {
        self.customer_event(actor, action, at, before, after);
        self.write(Write::UpdateCustomer {
            before: before.clone(),
            after: after.clone(),
        });
    }

    /// Records only the event of a customer's change, for an operation that records the
    /// update itself earlier (accounts come first in the table order) than its event.
    pub fn customer_event(
        &mut self,
        actor: &str,
        action: &str,
        at: Millis,
        before: &Customer,
        after: &Customer,
    ) {
        self.event(NewEvent {
            account_id: after
                .managed_by
                .clone()
                .or_else(|| before.managed_by.clone()),
            ..NewEvent::of(at, actor, action, "customer", &after.id)
                .states(Some(before), Some(after))
        });
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
