//! The subscriptions table: each subscription's state as JSON, with the columns its
//! unique and list indexes need (live SKU, reseller, due time, list position).

use partnerd_domain::subscription::Subscription;

use super::{Statement, checked, write};
use crate::rows::{FromRow, Row, Value};
use crate::{Result, StoreError, SubscriptionFilter};

pub const INSERT_SUBSCRIPTION: &str = "INSERT INTO subscriptions (id, customer_id, reseller_id, sku_id, \
     live_sku, due_at, version, state, plan, suspension_reasons, renews_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

pub const UPDATE_SUBSCRIPTION: &str = "UPDATE subscriptions SET reseller_id = $1, live_sku = $2, due_at = $3, \
     version = $4, state = $5, plan = $6, suspension_reasons = $7, renews_at = $8 \
     WHERE id = $9 AND version = $10";

fn state_json(s: &Subscription) -> Result<String> {
    serde_json::to_string(s).map_err(|e| StoreError::Backend(e.to_string()))
}

fn live_sku(s: &Subscription) -> Option<String> {
    s.is_live().then(|| s.sku_id.clone())
}

/// The facts the console's customer list filters and sorts by (migration 0015): the
/// plan, the suspension reasons between commas, and the renewal date.
fn facts(s: &Subscription) -> [Value; 3] {
    let reasons = if s.suspension_reasons.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = s.suspension_reasons.iter().map(|r| r.as_str()).collect();
        format!(",{},", names.join(","))
    };
    [
        s.plan.as_str().into(),
        reasons.into(),
        Value::OptInt(s.renews_at()),
    ]
}

pub fn insert_subscription_params(s: &Subscription) -> Result<Vec<Value>> {
    Ok(vec![
        s.id.as_str().into(),
        s.customer_id.as_str().into(),
        s.reseller_id.as_str().into(),
        s.sku_id.as_str().into(),
        live_sku(s).into(),
        s.due_at().into(),
        s.version.into(),
        state_json(s)?.into(),
    ]
    .into_iter()
    .chain(facts(s))
    .collect())
}

pub fn update_subscription_params(expected_version: i64, s: &Subscription) -> Result<Vec<Value>> {
    Ok(vec![
        s.reseller_id.as_str().into(),
        live_sku(s).into(),
        s.due_at().into(),
        s.version.into(),
        state_json(s)?.into(),
    ]
    .into_iter()
    .chain(facts(s))
    .chain([s.id.as_str().into(), expected_version.into()])
    .collect())
}

const SUBSCRIPTION_COLUMNS: &str =
    "s.seq, s.state, a.domain FROM subscriptions s JOIN accounts a ON a.id = s.customer_id";

/// One live subscription, if the reseller manages it.
pub fn select_subscription_of_reseller() -> String {
    format!(
        "SELECT {SUBSCRIPTION_COLUMNS} WHERE s.id = $1 AND s.reseller_id = $2 AND s.live_sku IS NOT NULL"
    )
}

pub fn select_page_of_reseller() -> String {
    format!(
        "SELECT {SUBSCRIPTION_COLUMNS} WHERE s.reseller_id = $1 AND s.live_sku IS NOT NULL AND s.seq > $2 \
         ORDER BY s.seq LIMIT $3"
    )
}

pub fn select_page_of_customer() -> String {
    format!(
        "SELECT {SUBSCRIPTION_COLUMNS} WHERE s.reseller_id = $1 AND s.live_sku IS NOT NULL AND s.seq > $2 \
         AND s.customer_id = $3 ORDER BY s.seq LIMIT $4"
    )
}

pub fn select_page_by_domain_prefix() -> String {
    format!(
        "SELECT {SUBSCRIPTION_COLUMNS} WHERE s.reseller_id = $1 AND s.live_sku IS NOT NULL AND s.seq > $2 \
         AND a.domain LIKE $3 ESCAPE '!' ORDER BY s.seq LIMIT $4"
    )
}

/// A LIKE pattern matching strings that start with `prefix` literally.
pub fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.to_ascii_lowercase().chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub fn select_customer_subscriptions() -> String {
    format!(
        "SELECT {SUBSCRIPTION_COLUMNS} WHERE s.customer_id = $1 AND s.live_sku IS NOT NULL ORDER BY s.seq"
    )
}

pub fn select_due() -> String {
    format!(
        "SELECT {SUBSCRIPTION_COLUMNS} WHERE s.due_at IS NOT NULL AND s.due_at <= $1 ORDER BY s.due_at, s.seq LIMIT $2"
    )
}

pub fn subscription_from_row(r: &impl Row) -> Result<(i64, Subscription, String)> {
    let state: Subscription = serde_json::from_str(&r.text(1)?)
        .map_err(|e| StoreError::Backend(format!("stored subscription: {e}")))?;
    Ok((r.int(0)?, state, r.text(2)?))
}

impl FromRow for (i64, Subscription, String) {
    fn from_row(r: &impl Row) -> Result<Self> {
        subscription_from_row(r)
    }
}

pub fn page_query(
    reseller_id: &str,
    filter: &SubscriptionFilter,
    after: i64,
    limit: u32,
) -> (String, Vec<Value>) {
    let mut params: Vec<Value> = vec![reseller_id.into(), after.into()];
    let text = match filter {
        SubscriptionFilter::All => select_page_of_reseller(),
        SubscriptionFilter::Customer(id) => {
            params.push(id.as_str().into());
            select_page_of_customer()
        }
        SubscriptionFilter::DomainPrefix(prefix) => {
            params.push(like_prefix(prefix).into());
            select_page_by_domain_prefix()
        }
    };
    params.push(i64::from(limit).into());
    (text, params)
}

/// `Write::InsertSubscription`.
pub fn insert_subscription(s: &Subscription) -> Result<Statement> {
    Ok(write(INSERT_SUBSCRIPTION, insert_subscription_params(s)?))
}

/// `Write::UpdateSubscription`: only if the stored version is still `version_read`.
pub fn update_subscription(version_read: i64, s: &Subscription) -> Result<Statement> {
    Ok(checked(
        UPDATE_SUBSCRIPTION,
        update_subscription_params(version_read, s)?,
    ))
}
