//! The event log: every change, appended in the transaction that makes it.

use partnerd_domain::event::{Event, NewEvent};

use super::{Statement, write};
use crate::Result;
use crate::rows::{FromRow, Row, Value};

pub const INSERT_EVENT: &str = "INSERT INTO events (at, actor, account_id, action, resource_type, \
     resource_id, before_state, after_state, event_type, customer_id) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

pub fn event_params(e: &NewEvent) -> Vec<Value> {
    vec![
        e.at.into(),
        e.actor.as_str().into(),
        (&e.account_id).into(),
        e.action.as_str().into(),
        e.resource_type.as_str().into(),
        e.resource_id.as_str().into(),
        e.before.as_ref().map(|v| v.to_string()).into(),
        e.after.as_ref().map(|v| v.to_string()).into(),
        (&e.event_type).into(),
        (&event_customer(e)).into(),
    ]
}

/// The customer an event concerns, for its order history: the customer itself, or the
/// customer of the subscription (or other record) it changed.
fn event_customer(e: &NewEvent) -> Option<String> {
    if e.resource_type == "customer" {
        return Some(e.resource_id.clone());
    }
    e.after
        .as_ref()
        .or(e.before.as_ref())
        .and_then(|state| state.get("customerId"))
        .and_then(|id| id.as_str())
        .map(str::to_string)
}

/// A customer's history as one reseller keeps it: the events that concern the customer in
/// that reseller's log, newest first, below an event id.
pub const SELECT_CUSTOMER_HISTORY: &str = "SELECT id, at, actor, account_id, action, resource_type, \
     resource_id, before_state, after_state, event_type FROM events \
     WHERE customer_id = $1 AND account_id = $2 AND id < $3 ORDER BY id DESC LIMIT $4";

const EVENT_COLUMNS: &str = "id, at, actor, account_id, action, resource_type, resource_id, before_state, after_state, event_type";

pub fn select_events_of_account() -> String {
    format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )
}

pub fn select_all_events() -> String {
    format!("SELECT {EVENT_COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT $2")
}

pub fn event_from_row(r: &impl Row) -> Result<Event> {
    let json = |v: Option<String>| v.and_then(|s| serde_json::from_str(&s).ok());
    Ok(Event {
        id: r.int(0)?,
        event: NewEvent {
            at: r.int(1)?,
            actor: r.text(2)?,
            account_id: r.opt_text(3)?,
            action: r.text(4)?,
            resource_type: r.text(5)?,
            resource_id: r.text(6)?,
            before: json(r.opt_text(7)?),
            after: json(r.opt_text(8)?),
            event_type: r.opt_text(9)?,
        },
    })
}

impl FromRow for Event {
    fn from_row(r: &impl Row) -> Result<Self> {
        event_from_row(r)
    }
}

pub fn events_query(account_id: Option<&str>, after: i64, limit: u32) -> (String, Vec<Value>) {
    match account_id {
        Some(a) => (
            select_events_of_account(),
            vec![a.into(), after.into(), i64::from(limit).into()],
        ),
        None => (
            select_all_events(),
            vec![after.into(), i64::from(limit).into()],
        ),
    }
}

/// `Write::Event`: appends to the log.
pub fn insert_event(e: &NewEvent) -> Statement {
    write(INSERT_EVENT, event_params(e))
}
