//! An entry of the event log: every change is recorded in the transaction that makes it.

use serde::Serialize;

use crate::clock::Millis;

#[derive(Debug, Clone, Serialize)]
pub struct NewEvent {
    pub at: Millis,
    /// Who did it: a user's e-mail, `cli`, `system`.
    pub actor: String,
    /// The account whose history this belongs to (the managing reseller for customers).
    pub account_id: Option<String>,
    /// A dotted verb, e.g. `customer.insert`.
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// For changes resellers are notified of: the push `event_type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: i64,
    #[serde(flatten)]
    pub event: NewEvent,
}
