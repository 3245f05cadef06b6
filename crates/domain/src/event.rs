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

impl NewEvent {
    /// An event of `action` by `actor` on one record, in no account's history yet and
    /// without states (see `in_account`, `states`).
    pub fn of(
        at: Millis,
        actor: &str,
        action: &str,
        resource_type: &str,
        resource_id: &str,
    ) -> Self {
        NewEvent {
            at,
            actor: actor.to_string(),
            account_id: None,
            action: action.to_string(),
            resource_type: resource_type.to_string(),
            resource_id: resource_id.to_string(),
            before: None,
            after: None,
            event_type: None,
        }
    }

    /// Files the event in `account_id`'s history.
    pub fn in_account(mut self, account_id: &str) -> Self {
        self.account_id = Some(account_id.to_string());
        self
    }

    /// The record's states before and after the change, as stored.
    pub fn states<T: Serialize>(mut self, before: Option<&T>, after: Option<&T>) -> Self {
        self.before = before.and_then(|b| serde_json::to_value(b).ok());
        self.after = after.and_then(|a| serde_json::to_value(a).ok());
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: i64,
    #[serde(flatten)]
    pub event: NewEvent,
}
