//! Every query's SQL text, its parameters and its row mapping, written once for both
//! databases. Placeholders are `$1`, `$2`, … in order of first appearance: PostgreSQL
//! binds them by number, and SQLite numbers `$N` parameters in the order it meets them,
//! so positional binding agrees (checked in debug builds by the SQLite store).

use partnerd_domain::auth::{AccessGrant, ServiceAccount, ServiceAccountKey, Subject};
use partnerd_domain::customer::{Customer, CustomerType, PostalAddress};
use partnerd_domain::event::{Event, NewEvent};
use partnerd_domain::user::User;

use crate::rows::{Row, Value};
use crate::{NewServiceAccount, Result, StoreError};

pub const COUNT_ACCOUNTS: &str = "SELECT COUNT(*) FROM accounts";

const ACCOUNT_COLUMNS: &str = "id, domain, customer_type, managed_by, reseller_public_id, alternate_email, \
     phone_number, postal_address, primary_admin_email, domain_verified, created_at, version, tos_accepted_at, language, reseller_access";

pub fn select_account_by_id() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1")
}

pub fn select_account_by_domain() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE domain = $1")
}

pub fn select_account_by_public_id() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE reseller_public_id = $1")
}

pub const INSERT_ACCOUNT: &str = "INSERT INTO accounts (id, domain, customer_type, managed_by, \
     reseller_public_id, alternate_email, phone_number, postal_address, primary_admin_email, \
     domain_verified, created_at, version, tos_accepted_at, language, reseller_access, organization_key) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

pub const UPDATE_ACCOUNT: &str = "UPDATE accounts SET domain = $1, customer_type = $2, \
     alternate_email = $3, phone_number = $4, postal_address = $5, primary_admin_email = $6, \
     domain_verified = $7, version = $8, tos_accepted_at = $9, managed_by = $10, language = $11, reseller_access = $12, \
     organization_key = $13 WHERE id = $14 AND version = $15";

/// The query of a console page of a reseller's customers (see `Store::customers_page`).
pub fn customers_page_query(
    reseller_id: &str,
    q: &crate::CustomerQuery,
    limit: u32,
) -> (String, Vec<Value>) {
    use crate::{CustomerCursor, CustomerOrder};
    let mut params: Vec<Value> = vec![reseller_id.into()];
    let mut conditions = vec!["managed_by = $1".to_string()];
    let mut param = |v: Value| {
        params.push(v);
        format!("${}", params.len())
    };
    if let Some(search) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped: String = search
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let p = param(format!("{escaped}%").into());
        conditions.push(format!(
            "(domain LIKE {p} ESCAPE '\\' OR organization_key LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(t) = q.customer_type {
        let p = param(t.as_str().into());
        conditions.push(format!("customer_type = {p}"));
    }
    let order = match (q.order, &q.after) {
        (CustomerOrder::Domain, after) => {
            if let Some(CustomerCursor::Domain(d)) = after {
                let p = param(d.as_str().into());
                conditions.push(format!("domain > {p}"));
            }
            "domain"
        }
        (CustomerOrder::Organization, after) => {
            if let Some(CustomerCursor::Organization { name, id }) = after {
                let n = param(name.as_str().into());
                let i = param(id.as_str().into());
                conditions.push(format!(
                    "(organization_key > {n} OR (organization_key = {n} AND id > {i}))"
                ));
            }
            "organization_key, id"
        }
        (CustomerOrder::Newest, after) => {
            if let Some(CustomerCursor::Newest { created_at, id }) = after {
                let c = param((*created_at).into());
                let i = param(id.as_str().into());
                conditions.push(format!(
                    "(created_at < {c} OR (created_at = {c} AND id < {i}))"
                ));
            }
            "created_at DESC, id DESC"
        }
    };
    let limit = param(i64::from(limit).into());
    let text = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE {} ORDER BY {order} LIMIT {limit}",
        conditions.join(" AND ")
    );
    (text, params)
}

/// The lower-case organization name the consoles search and sort by.
pub fn organization_key(c: &Customer) -> String {
    c.postal_address
        .organization_name
        .as_deref()
        .unwrap_or_default()
        .to_lowercase()
}

pub fn account_params(c: &Customer) -> Result<Vec<Value>> {
    Ok(vec![
        c.id.as_str().into(),
        c.domain.as_str().into(),
        c.customer_type.as_str().into(),
        (&c.managed_by).into(),
        (&c.reseller_public_id).into(),
        (&c.alternate_email).into(),
        (&c.phone_number).into(),
        address_json(&c.postal_address)?.into(),
        (&c.primary_admin_email).into(),
        c.domain_verified.into(),
        c.created_at.into(),
        c.version.into(),
        Value::OptInt(c.tos_accepted_at),
        c.language.as_str().into(),
        c.reseller_access.into(),
        organization_key(c).into(),
    ])
}

pub fn update_account_params(before: &Customer, after: &Customer) -> Result<Vec<Value>> {
    Ok(vec![
        after.domain.as_str().into(),
        after.customer_type.as_str().into(),
        (&after.alternate_email).into(),
        (&after.phone_number).into(),
        address_json(&after.postal_address)?.into(),
        (&after.primary_admin_email).into(),
        after.domain_verified.into(),
        after.version.into(),
        Value::OptInt(after.tos_accepted_at),
        (&after.managed_by).into(),
        after.language.as_str().into(),
        after.reseller_access.into(),
        organization_key(after).into(),
        before.id.as_str().into(),
        before.version.into(),
    ])
}

fn address_json(a: &PostalAddress) -> Result<String> {
    serde_json::to_string(a).map_err(|e| StoreError::Backend(e.to_string()))
}

pub fn account_from_row(r: &impl Row) -> Result<Customer> {
    let customer_type = match r.text(2)?.as_str() {
        "team" => CustomerType::Team,
        _ => CustomerType::Domain,
    };
    let postal_address = serde_json::from_str(&r.text(7)?)
        .map_err(|e| StoreError::Backend(format!("stored postal address: {e}")))?;
    Ok(Customer {
        id: r.text(0)?,
        domain: r.text(1)?,
        customer_type,
        managed_by: r.opt_text(3)?,
        reseller_public_id: r.opt_text(4)?,
        alternate_email: r.opt_text(5)?,
        phone_number: r.opt_text(6)?,
        postal_address,
        primary_admin_email: r.opt_text(8)?,
        domain_verified: r.boolean(9)?,
        created_at: r.int(10)?,
        version: r.int(11)?,
        tos_accepted_at: r.opt_int(12)?,
        language: r.text(13)?,
        reseller_access: r.boolean(14)?,
    })
}

pub const INSERT_USER: &str = "INSERT INTO users (id, account_id, primary_email, given_name, \
     family_name, password_hash, is_super_admin, suspended, created_at, org_unit_id, change_password, \
     language, deleted_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

const USER_COLUMNS: &str = "id, account_id, primary_email, given_name, family_name, password_hash, \
     is_super_admin, suspended, created_at, org_unit_id, change_password, language, deleted_at, version";

pub fn select_user_by_email() -> String {
    format!("SELECT {USER_COLUMNS} FROM users WHERE primary_email = $1")
}

pub fn select_user_by_id() -> String {
    format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")
}

pub fn select_users_of_account() -> String {
    format!("SELECT {USER_COLUMNS} FROM users WHERE account_id = $1 ORDER BY primary_email")
}

pub const UPDATE_USER: &str = "UPDATE users SET primary_email = $1, given_name = $2, family_name = $3, \
     password_hash = $4, is_super_admin = $5, suspended = $6, org_unit_id = $7, change_password = $8, \
     language = $9, deleted_at = $10, version = $11 WHERE id = $12 AND version = $13";

pub fn update_user_params(before: &User, after: &User) -> Vec<Value> {
    vec![
        after.primary_email.as_str().into(),
        after.given_name.as_str().into(),
        after.family_name.as_str().into(),
        after.password_hash.as_str().into(),
        after.is_super_admin.into(),
        after.suspended.into(),
        (&after.org_unit_id).into(),
        after.change_password_at_next_login.into(),
        after.language.as_str().into(),
        Value::OptInt(after.deleted_at),
        after.version.into(),
        before.id.as_str().into(),
        before.version.into(),
    ]
}

pub fn user_params(u: &User) -> Vec<Value> {
    vec![
        u.id.as_str().into(),
        u.account_id.as_str().into(),
        u.primary_email.as_str().into(),
        u.given_name.as_str().into(),
        u.family_name.as_str().into(),
        u.password_hash.as_str().into(),
        u.is_super_admin.into(),
        u.suspended.into(),
        u.created_at.into(),
        (&u.org_unit_id).into(),
        u.change_password_at_next_login.into(),
        u.language.as_str().into(),
        Value::OptInt(u.deleted_at),
        u.version.into(),
    ]
}

pub fn user_from_row(r: &impl Row) -> Result<User> {
    Ok(User {
        id: r.text(0)?,
        account_id: r.text(1)?,
        primary_email: r.text(2)?,
        given_name: r.text(3)?,
        family_name: r.text(4)?,
        password_hash: r.text(5)?,
        is_super_admin: r.boolean(6)?,
        suspended: r.boolean(7)?,
        created_at: r.int(8)?,
        org_unit_id: r.opt_text(9)?,
        change_password_at_next_login: r.boolean(10)?,
        language: r.text(11)?,
        deleted_at: r.opt_int(12)?,
        version: r.int(13)?,
    })
}

pub const INSERT_SERVICE_ACCOUNT: &str = "INSERT INTO service_accounts (client_id, account_id, email, created_at) VALUES ($1, $2, $3, $4)";

pub fn service_account_params(sa: &ServiceAccount) -> Vec<Value> {
    vec![
        sa.client_id.as_str().into(),
        sa.account_id.as_str().into(),
        sa.email.as_str().into(),
        sa.created_at.into(),
    ]
}

pub const INSERT_KEY: &str = "INSERT INTO service_account_keys (key_id, client_id, public_key_pem, created_at) \
     VALUES ($1, $2, $3, $4)";

pub fn key_params(k: &ServiceAccountKey) -> Vec<Value> {
    vec![
        k.key_id.as_str().into(),
        k.client_id.as_str().into(),
        k.public_key_pem.as_str().into(),
        k.created_at.into(),
    ]
}

pub const SELECT_KEY: &str = "SELECT s.client_id, s.account_id, s.email, s.created_at, \
     k.key_id, k.public_key_pem, k.created_at \
     FROM service_account_keys k JOIN service_accounts s ON s.client_id = k.client_id WHERE k.key_id = $1";

pub fn key_from_row(r: &impl Row) -> Result<(ServiceAccount, ServiceAccountKey)> {
    let sa = ServiceAccount {
        client_id: r.text(0)?,
        account_id: r.text(1)?,
        email: r.text(2)?,
        created_at: r.int(3)?,
    };
    let key = ServiceAccountKey {
        key_id: r.text(4)?,
        client_id: sa.client_id.clone(),
        public_key_pem: r.text(5)?,
        created_at: r.int(6)?,
    };
    Ok((sa, key))
}

pub const UPSERT_DELEGATION: &str = "INSERT INTO delegations (account_id, client_id, scopes) VALUES ($1, $2, $3) \
     ON CONFLICT (account_id, client_id) DO UPDATE SET scopes = excluded.scopes";

pub fn delegation_params(sa: &NewServiceAccount) -> Vec<Value> {
    vec![
        sa.account.account_id.as_str().into(),
        sa.account.client_id.as_str().into(),
        sa.delegated_scopes.join(" ").into(),
    ]
}

pub const SELECT_DELEGATION: &str =
    "SELECT scopes FROM delegations WHERE account_id = $1 AND client_id = $2";

pub const INSERT_GRANT: &str = "INSERT INTO access_tokens (digest, client_id, account_id, \
     subject_user_id, subject_email, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub fn grant_params(g: &AccessGrant) -> Vec<Value> {
    vec![
        g.digest.as_str().into(),
        g.client_id.as_str().into(),
        g.account_id.as_str().into(),
        g.subject.as_ref().map(|s| s.user_id.clone()).into(),
        g.subject.as_ref().map(|s| s.email.clone()).into(),
        g.scopes.join(" ").into(),
        g.expires_at.into(),
    ]
}

pub const SELECT_GRANT: &str = "SELECT digest, client_id, account_id, subject_user_id, subject_email, \
     scopes, expires_at FROM access_tokens WHERE digest = $1";

pub fn grant_from_row(r: &impl Row) -> Result<AccessGrant> {
    let subject = match (r.opt_text(3)?, r.opt_text(4)?) {
        (Some(user_id), Some(email)) => Some(Subject { user_id, email }),
        _ => None,
    };
    Ok(AccessGrant {
        digest: r.text(0)?,
        client_id: r.text(1)?,
        account_id: r.text(2)?,
        subject,
        scopes: split_scopes(&r.text(5)?),
        expires_at: r.int(6)?,
    })
}

pub fn split_scopes(s: &str) -> Vec<String> {
    s.split_ascii_whitespace().map(str::to_string).collect()
}

/// Access tokens past this age are deleted when new ones are issued; they cannot be used anyway.
pub const DELETE_EXPIRED_GRANTS: &str = "DELETE FROM access_tokens WHERE expires_at < $1";

/// Issuing a token sweeps those that expired more than a day before it was issued.
pub fn sweep_horizon(new_grant: &AccessGrant) -> Vec<Value> {
    let issued_at = new_grant.expires_at - partnerd_domain::auth::ACCESS_TOKEN_LIFETIME_MS;
    vec![Value::Int(issued_at - 86_400_000)]
}

pub const CLOCK_OFFSET: &str = "clock_offset_ms";

pub const SELECT_SETTING: &str = "SELECT value FROM settings WHERE name = $1";

pub const UPSERT_SETTING: &str = "INSERT INTO settings (name, value) VALUES ($1, $2) \
     ON CONFLICT (name) DO UPDATE SET value = excluded.value";

/// Adds to an integer setting atomically and returns the new value.
pub const ADD_TO_SETTING: &str = "INSERT INTO settings (name, value) VALUES ($1, $2) \
     ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + CAST(excluded.value AS BIGINT) AS TEXT) \
     RETURNING value";

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

/// Whether a key looks like an account id rather than a domain.
pub fn is_account_id(key: &str) -> bool {
    partnerd_domain::ids::is_customer_id(key)
}

// ---- subscriptions -------------------------------------------------------------------

use partnerd_domain::subscription::Subscription;
use partnerd_domain::transfer::TransferToken;

pub const INSERT_SUBSCRIPTION: &str = "INSERT INTO subscriptions (id, customer_id, reseller_id, sku_id, \
     live_sku, due_at, version, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub const UPDATE_SUBSCRIPTION: &str = "UPDATE subscriptions SET reseller_id = $1, live_sku = $2, due_at = $3, \
     version = $4, state = $5 WHERE id = $6 AND version = $7";

fn state_json(s: &Subscription) -> Result<String> {
    serde_json::to_string(s).map_err(|e| StoreError::Backend(e.to_string()))
}

fn live_sku(s: &Subscription) -> Option<String> {
    s.is_live().then(|| s.sku_id.clone())
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
    ])
}

pub fn update_subscription_params(expected_version: i64, s: &Subscription) -> Result<Vec<Value>> {
    Ok(vec![
        s.reseller_id.as_str().into(),
        live_sku(s).into(),
        s.due_at().into(),
        s.version.into(),
        state_json(s)?.into(),
        s.id.as_str().into(),
        expected_version.into(),
    ])
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

pub const COUNT_SUPER_ADMINS: &str =
    "SELECT COUNT(*) FROM users WHERE account_id = $1 AND is_super_admin = $2 AND suspended = $3";

pub const INSERT_TRANSFER_TOKEN: &str = "INSERT INTO transfer_tokens (digest, customer_id, reseller_id, \
     created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";

pub fn transfer_token_params(t: &TransferToken) -> Vec<Value> {
    vec![
        t.digest.as_str().into(),
        t.customer_id.as_str().into(),
        t.reseller_id.as_str().into(),
        t.created_at.into(),
        t.expires_at.into(),
    ]
}

/// A newer token for the same customer and reseller supersedes the older ones.
pub const DELETE_SUPERSEDED_TRANSFER_TOKENS: &str =
    "DELETE FROM transfer_tokens WHERE customer_id = $1 AND reseller_id = $2";
pub const DELETE_TRANSFER_TOKEN: &str = "DELETE FROM transfer_tokens WHERE digest = $1";
pub const DELETE_OTHER_TRANSFER_TOKENS: &str =
    "DELETE FROM transfer_tokens WHERE customer_id = $1 AND reseller_id <> $2";
pub const DELETE_USER_ACCESS_TOKENS: &str = "DELETE FROM access_tokens WHERE subject_user_id = $1";

pub fn superseded_token_params(t: &TransferToken) -> Vec<Value> {
    vec![t.customer_id.as_str().into(), t.reseller_id.as_str().into()]
}

pub const SELECT_TRANSFER_TOKEN: &str = "SELECT digest, customer_id, reseller_id, created_at, expires_at FROM transfer_tokens WHERE digest = $1";

pub fn transfer_token_from_row(r: &impl Row) -> Result<TransferToken> {
    Ok(TransferToken {
        digest: r.text(0)?,
        customer_id: r.text(1)?,
        reseller_id: r.text(2)?,
        created_at: r.int(3)?,
        expires_at: r.int(4)?,
    })
}

pub const INSERT_REGISTRATION: &str = "INSERT INTO notify_registrations (reseller_id, service_account_email) \
     VALUES ($1, $2) ON CONFLICT (reseller_id, service_account_email) DO NOTHING";
pub const DELETE_REGISTRATION: &str =
    "DELETE FROM notify_registrations WHERE reseller_id = $1 AND service_account_email = $2";
pub const SELECT_REGISTRATIONS: &str = "SELECT service_account_email FROM notify_registrations \
     WHERE reseller_id = $1 ORDER BY service_account_email";

pub const UPSERT_PUSH_ENDPOINT: &str = "INSERT INTO push_endpoints (reseller_id, url) VALUES ($1, $2) \
     ON CONFLICT (reseller_id) DO UPDATE SET url = excluded.url";
pub const DELETE_PUSH_ENDPOINT: &str = "DELETE FROM push_endpoints WHERE reseller_id = $1";

/// Queues a push only for a reseller that registered a service account and has an endpoint,
/// as Pub/Sub delivers only to existing subscriptions.
pub const INSERT_PUSH: &str = "INSERT INTO outbox (reseller_id, message_id, payload, created_at, attempts, \
     next_attempt_at, delivered_at) SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT), \
     CAST($4 AS BIGINT), 0, CAST($4 AS BIGINT), NULL \
     WHERE EXISTS (SELECT 1 FROM push_endpoints WHERE reseller_id = $1) \
     AND EXISTS (SELECT 1 FROM notify_registrations WHERE reseller_id = $1)";

pub fn push_params(p: &crate::Push) -> Vec<Value> {
    vec![
        p.reseller_id.as_str().into(),
        p.message_id.as_str().into(),
        p.payload.to_string().into(),
        p.at.into(),
    ]
}

pub const SELECT_DUE_PUSHES: &str = "SELECT o.id, o.reseller_id, p.url, o.message_id, o.payload, o.attempts, \
     o.leased_until FROM outbox o JOIN push_endpoints p ON p.reseller_id = o.reseller_id \
     WHERE o.kind = 'push' AND o.delivered_at IS NULL AND o.next_attempt_at <= $1 \
     AND o.leased_until <= $2 ORDER BY o.next_attempt_at, o.id LIMIT $3";

/// Queues an e-mail; its payload is the rendered message.
pub const INSERT_MAIL: &str = "INSERT INTO outbox (kind, reseller_id, recipient, message_id, payload, \
     created_at, attempts, next_attempt_at, delivered_at) \
     VALUES ('email', $1, $2, $3, $4, $5, 0, $5, NULL)";

pub fn mail_params(m: &crate::Mail) -> Vec<Value> {
    vec![
        m.account_id.as_str().into(),
        m.recipient.as_str().into(),
        m.message_id.as_str().into(),
        m.payload.to_string().into(),
        m.at.into(),
    ]
}

pub const SELECT_DUE_MAIL: &str = "SELECT o.id, o.reseller_id, o.recipient, o.message_id, o.payload, \
     o.attempts, o.leased_until FROM outbox o \
     WHERE o.kind = 'email' AND o.delivered_at IS NULL AND o.next_attempt_at <= $1 \
     AND o.leased_until <= $2 ORDER BY o.next_attempt_at, o.id LIMIT $3";

/// PostgreSQL claims due e-mail as it claims pushes: one statement, locked rows skipped.
pub const CLAIM_MAIL_SKIP_LOCKED: &str = "WITH due AS (SELECT o.id FROM outbox o \
     WHERE o.kind = 'email' AND o.delivered_at IS NULL AND o.next_attempt_at <= $1 \
     AND o.leased_until <= $2 ORDER BY o.next_attempt_at, o.id LIMIT $3 FOR UPDATE OF o SKIP LOCKED) \
     UPDATE outbox o SET leased_until = $4, attempts = o.attempts + 1 \
     FROM due WHERE o.id = due.id \
     RETURNING o.id, o.reseller_id, o.recipient, o.message_id, o.payload, o.attempts - 1, o.leased_until";

/// Claims a due push by leasing it; only the process whose update matches the lease it
/// read gets it.
pub const CLAIM_PUSH: &str = "UPDATE outbox SET leased_until = $1, attempts = attempts + 1 \
     WHERE id = $2 AND leased_until = $3 AND delivered_at IS NULL";

/// PostgreSQL claims a batch of due pushes in one statement: rows another process has
/// locked are skipped rather than waited for, so processes share the outbox without
/// blocking each other or delivering one push twice.
pub const CLAIM_PUSHES_SKIP_LOCKED: &str = "WITH due AS (SELECT o.id FROM outbox o \
     JOIN push_endpoints p ON p.reseller_id = o.reseller_id \
     WHERE o.kind = 'push' AND o.delivered_at IS NULL AND o.next_attempt_at <= $1 \
     AND o.leased_until <= $2 ORDER BY o.next_attempt_at, o.id LIMIT $3 FOR UPDATE OF o SKIP LOCKED) \
     UPDATE outbox o SET leased_until = $4, attempts = o.attempts + 1 \
     FROM due, push_endpoints p WHERE o.id = due.id AND p.reseller_id = o.reseller_id \
     RETURNING o.id, o.reseller_id, p.url, o.message_id, o.payload, o.attempts - 1, o.leased_until";

pub const MARK_DELIVERED: &str = "UPDATE outbox SET delivered_at = $1 WHERE id = $2";
pub const RESCHEDULE_PUSH: &str = "UPDATE outbox SET next_attempt_at = $1, leased_until = 0 \
     WHERE id = $2 AND delivered_at IS NULL";

pub fn outbox_from_row(r: &impl Row) -> Result<(crate::OutboxItem, i64)> {
    Ok((
        crate::OutboxItem {
            id: r.int(0)?,
            reseller_id: r.text(1)?,
            url: r.text(2)?,
            message_id: r.text(3)?,
            payload: r.text(4)?,
            attempts: r.int(5)?,
        },
        r.int(6)?,
    ))
}

// ---- query choice shared by both stores ----------------------------------------------

use crate::SubscriptionFilter;

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

pub fn account_lookup(id_or_domain: &str) -> (String, Value) {
    if is_account_id(id_or_domain) {
        (select_account_by_id(), id_or_domain.into())
    } else {
        (
            select_account_by_domain(),
            Value::Text(id_or_domain.trim().to_ascii_lowercase()),
        )
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

// ---- organizational units ---------------------------------------------------------------

use partnerd_domain::directory::OrgUnit;

pub const INSERT_ORG_UNIT: &str = "INSERT INTO org_units (id, account_id, name, description, path, \
     parent_id, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub fn org_unit_params(o: &OrgUnit) -> Vec<Value> {
    vec![
        o.id.as_str().into(),
        o.account_id.as_str().into(),
        o.name.as_str().into(),
        (&o.description).into(),
        o.path.as_str().into(),
        (&o.parent_id).into(),
        o.created_at.into(),
        o.version.into(),
    ]
}

pub const UPDATE_ORG_UNIT: &str = "UPDATE org_units SET name = $1, description = $2, path = $3, \
     parent_id = $4, version = $5 WHERE id = $6 AND version = $7";

pub fn update_org_unit_params(before: &OrgUnit, after: &OrgUnit) -> Vec<Value> {
    vec![
        after.name.as_str().into(),
        (&after.description).into(),
        after.path.as_str().into(),
        (&after.parent_id).into(),
        after.version.into(),
        before.id.as_str().into(),
        before.version.into(),
    ]
}

pub const DELETE_ORG_UNIT: &str = "DELETE FROM org_units WHERE id = $1 AND version = $2";

pub const SELECT_ORG_UNITS: &str = "SELECT id, account_id, name, description, path, parent_id, created_at, \
     version FROM org_units WHERE account_id = $1 ORDER BY path";

pub fn org_unit_from_row(r: &impl Row) -> Result<OrgUnit> {
    Ok(OrgUnit {
        id: r.text(0)?,
        account_id: r.text(1)?,
        name: r.text(2)?,
        description: r.opt_text(3)?,
        path: r.text(4)?,
        parent_id: r.opt_text(5)?,
        created_at: r.int(6)?,
        version: r.int(7)?,
    })
}

// ---- roles ------------------------------------------------------------------------------

use partnerd_domain::roles::{Role, RoleAssignment, ScopeType};

pub const INSERT_ROLE: &str = "INSERT INTO roles (id, account_id, name, description, privileges, created_at, \
     version) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub fn role_params(r: &Role) -> Vec<Value> {
    vec![
        r.id.as_str().into(),
        r.account_id.clone().unwrap_or_default().into(),
        r.name.as_str().into(),
        (&r.description).into(),
        r.privileges.join(" ").into(),
        r.created_at.into(),
        r.version.into(),
    ]
}

pub const UPDATE_ROLE: &str = "UPDATE roles SET name = $1, description = $2, privileges = $3, version = $4 \
     WHERE id = $5 AND version = $6";

pub fn update_role_params(before: &Role, after: &Role) -> Vec<Value> {
    vec![
        after.name.as_str().into(),
        (&after.description).into(),
        after.privileges.join(" ").into(),
        after.version.into(),
        before.id.as_str().into(),
        before.version.into(),
    ]
}

pub const DELETE_ROLE: &str = "DELETE FROM roles WHERE id = $1 AND version = $2";

pub const SELECT_ROLES: &str = "SELECT id, account_id, name, description, privileges, created_at, version \
     FROM roles WHERE account_id = $1 ORDER BY created_at, id";

pub fn role_from_row(r: &impl Row) -> Result<Role> {
    Ok(Role {
        id: r.text(0)?,
        account_id: Some(r.text(1)?),
        name: r.text(2)?,
        description: r.opt_text(3)?,
        privileges: split_scopes(&r.text(4)?),
        is_super_admin: false,
        created_at: r.int(5)?,
        version: r.int(6)?,
    })
}

pub const INSERT_ASSIGNMENT: &str = "INSERT INTO role_assignments (id, account_id, role_id, assigned_to, \
     scope_type, org_unit_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub fn assignment_params(a: &RoleAssignment) -> Vec<Value> {
    vec![
        a.id.as_str().into(),
        a.account_id.as_str().into(),
        a.role_id.as_str().into(),
        a.assigned_to.as_str().into(),
        a.scope_type.as_str().into(),
        a.org_unit_id.clone().unwrap_or_default().into(),
        a.created_at.into(),
    ]
}

pub const DELETE_ASSIGNMENT: &str = "DELETE FROM role_assignments WHERE id = $1";

pub const SELECT_ASSIGNMENTS: &str = "SELECT id, account_id, role_id, assigned_to, scope_type, org_unit_id, \
     created_at FROM role_assignments WHERE account_id = $1 ORDER BY created_at, id";

pub fn assignment_from_row(r: &impl Row) -> Result<RoleAssignment> {
    Ok(RoleAssignment {
        id: r.text(0)?,
        account_id: r.text(1)?,
        role_id: r.text(2)?,
        assigned_to: r.text(3)?,
        scope_type: if r.text(4)? == "ORG_UNIT" {
            ScopeType::OrgUnit
        } else {
            ScopeType::Customer
        },
        org_unit_id: Some(r.text(5)?).filter(|s| !s.is_empty()),
        created_at: r.int(6)?,
    })
}

// ---- licences -----------------------------------------------------------------------------

use partnerd_domain::licensing::License;

pub const INSERT_LICENSE: &str = "INSERT INTO licenses (account_id, user_id, product_id, sku_id, created_at) \
     VALUES ($1, $2, $3, $4, $5)";

pub fn license_params(l: &License) -> Vec<Value> {
    vec![
        l.account_id.as_str().into(),
        l.user_id.as_str().into(),
        l.product_id.as_str().into(),
        l.sku_id.as_str().into(),
        l.created_at.into(),
    ]
}

pub const DELETE_LICENSE: &str =
    "DELETE FROM licenses WHERE user_id = $1 AND product_id = $2 AND sku_id = $3";

pub const SELECT_LICENSES: &str = "SELECT account_id, user_id, product_id, sku_id, created_at FROM licenses \
     WHERE account_id = $1 ORDER BY created_at, user_id";

pub fn license_from_row(r: &impl Row) -> Result<License> {
    Ok(License {
        account_id: r.text(0)?,
        user_id: r.text(1)?,
        product_id: r.text(2)?,
        sku_id: r.text(3)?,
        created_at: r.int(4)?,
    })
}

// ---- write sets -------------------------------------------------------------------------

use crate::{TokenDeletion, WriteSet};

/// One statement of a write set, and whether it must change exactly one row (the
/// optimistic-concurrency checks: zero rows means someone else changed the row first).
pub struct Statement {
    pub sql: &'static str,
    pub params: Vec<Value>,
    pub expects_one_row: bool,
}

pub(crate) fn write(sql: &'static str, params: Vec<Value>) -> Statement {
    Statement {
        sql,
        params,
        expects_one_row: false,
    }
}

pub(crate) fn checked(sql: &'static str, params: Vec<Value>) -> Statement {
    Statement {
        sql,
        params,
        expects_one_row: true,
    }
}

/// The statements that apply a write set, in the order both stores run them in one transaction.
pub fn write_set_statements(w: &WriteSet) -> Result<Vec<Statement>> {
    let mut out = Vec::new();
    for (before, after) in &w.update_customers {
        out.push(checked(
            UPDATE_ACCOUNT,
            update_account_params(before, after)?,
        ));
    }
    for (version, s) in &w.update_subscriptions {
        out.push(checked(
            UPDATE_SUBSCRIPTION,
            update_subscription_params(*version, s)?,
        ));
    }
    for s in &w.insert_subscriptions {
        out.push(write(INSERT_SUBSCRIPTION, insert_subscription_params(s)?));
    }
    for u in &w.insert_users {
        out.push(write(INSERT_USER, user_params(u)));
    }
    for (before, after) in &w.update_users {
        out.push(checked(UPDATE_USER, update_user_params(before, after)));
    }
    for o in &w.insert_org_units {
        out.push(write(INSERT_ORG_UNIT, org_unit_params(o)));
    }
    for (before, after) in &w.update_org_units {
        out.push(checked(
            UPDATE_ORG_UNIT,
            update_org_unit_params(before, after),
        ));
    }
    for o in &w.delete_org_units {
        out.push(checked(
            DELETE_ORG_UNIT,
            vec![o.id.as_str().into(), o.version.into()],
        ));
    }
    for r in &w.insert_roles {
        out.push(write(INSERT_ROLE, role_params(r)));
    }
    for (before, after) in &w.update_roles {
        out.push(checked(UPDATE_ROLE, update_role_params(before, after)));
    }
    for r in &w.delete_roles {
        out.push(checked(
            DELETE_ROLE,
            vec![r.id.as_str().into(), r.version.into()],
        ));
    }
    for a in &w.insert_assignments {
        out.push(write(INSERT_ASSIGNMENT, assignment_params(a)));
    }
    for a in &w.delete_assignments {
        out.push(checked(DELETE_ASSIGNMENT, vec![a.id.as_str().into()]));
    }
    for l in &w.delete_licenses {
        let key = vec![
            l.user_id.as_str().into(),
            l.product_id.as_str().into(),
            l.sku_id.as_str().into(),
        ];
        out.push(checked(DELETE_LICENSE, key));
    }
    for l in &w.insert_licenses {
        out.push(write(INSERT_LICENSE, license_params(l)));
    }
    for user_id in &w.revoke_access_of_users {
        out.push(write(
            DELETE_USER_ACCESS_TOKENS,
            vec![user_id.as_str().into()],
        ));
    }
    for user_id in &w.end_sessions_of_users {
        out.push(write(DELETE_USER_SESSIONS, vec![user_id.as_str().into()]));
    }
    for d in &w.delete_transfer_tokens {
        out.push(match d {
            TokenDeletion::One(digest) => {
                write(DELETE_TRANSFER_TOKEN, vec![digest.as_str().into()])
            }
            TokenDeletion::OthersOf {
                customer_id,
                keep_reseller_id,
            } => write(
                DELETE_OTHER_TRANSFER_TOKENS,
                vec![
                    customer_id.as_str().into(),
                    keep_reseller_id.as_str().into(),
                ],
            ),
        });
    }
    for e in &w.events {
        out.push(write(INSERT_EVENT, event_params(e)));
    }
    for p in &w.pushes {
        out.push(write(INSERT_PUSH, push_params(p)));
    }
    for m in &w.mails {
        out.push(write(INSERT_MAIL, mail_params(m)));
    }
    Ok(out)
}

// ---- bulk seeding ----------------------------------------------------------------------

/// PostgreSQL binary COPY of accounts: the columns of `INSERT_ACCOUNT`, in the order of
/// `account_params`.
pub const COPY_ACCOUNTS: &str = "COPY accounts (id, domain, customer_type, managed_by, \
     reseller_public_id, alternate_email, phone_number, postal_address, primary_admin_email, \
     domain_verified, created_at, version, tos_accepted_at, language, reseller_access, organization_key) \
     FROM STDIN (FORMAT binary)";

/// The column types of `COPY_ACCOUNTS`.
pub const COPY_ACCOUNT_TYPES: &[tokio_postgres::types::Type] = {
    use tokio_postgres::types::Type;
    &[
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::BOOL,
        Type::INT8,
        Type::INT8,
        Type::INT8,
        Type::TEXT,
        Type::BOOL,
        Type::TEXT,
    ]
};

/// PostgreSQL binary COPY of subscriptions: the columns of `INSERT_SUBSCRIPTION`, in the
/// order of `insert_subscription_params` (`seq` takes its default, as on insert).
pub const COPY_SUBSCRIPTIONS: &str = "COPY subscriptions (id, customer_id, reseller_id, sku_id, \
     live_sku, due_at, version, state) FROM STDIN (FORMAT binary)";

/// The column types of `COPY_SUBSCRIPTIONS`.
pub const COPY_SUBSCRIPTION_TYPES: &[tokio_postgres::types::Type] = {
    use tokio_postgres::types::Type;
    &[
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::INT8,
        Type::INT8,
        Type::TEXT,
    ]
};

// ---- console sessions --------------------------------------------------------------------

use partnerd_domain::session::Session;

pub const INSERT_SESSION: &str = "INSERT INTO sessions (digest, user_id, account_id, created_at, \
     last_seen_at, expires_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub fn session_params(s: &Session) -> Vec<Value> {
    vec![
        s.digest.as_str().into(),
        s.user_id.as_str().into(),
        s.account_id.as_str().into(),
        s.created_at.into(),
        s.last_seen_at.into(),
        s.expires_at.into(),
        s.data.to_string().into(),
    ]
}

pub const SELECT_SESSION: &str = "SELECT digest, user_id, account_id, created_at, last_seen_at, \
     expires_at, data FROM sessions WHERE digest = $1";

pub fn session_from_row(r: &impl Row) -> Result<Session> {
    Ok(Session {
        digest: r.text(0)?,
        user_id: r.text(1)?,
        account_id: r.text(2)?,
        created_at: r.int(3)?,
        last_seen_at: r.int(4)?,
        expires_at: r.int(5)?,
        data: serde_json::from_str(&r.text(6)?)
            .map_err(|e| StoreError::Backend(format!("stored session: {e}")))?,
    })
}

/// Records a use only when the stored one is older than `$3`: concurrent requests of one
/// session write once.
pub const TOUCH_SESSION: &str =
    "UPDATE sessions SET last_seen_at = $1 WHERE digest = $2 AND last_seen_at < $3";
pub const UPDATE_SESSION_DATA: &str = "UPDATE sessions SET data = $1 WHERE digest = $2";
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE digest = $1";
pub const DELETE_USER_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
pub const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";

// ---- binary data -------------------------------------------------------------------------

/// Blobs are written in chunks of this size (see migration 0011).
pub const BLOB_CHUNK: usize = 256 * 1024;

pub const INSERT_BLOB: &str = "INSERT INTO blobs (id, size, sha256, chunks, created_at, complete) \
     VALUES ($1, $2, $3, $4, $5, $6)";
pub const INSERT_BLOB_CHUNK: &str =
    "INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)";
pub const COMPLETE_BLOB: &str = "UPDATE blobs SET complete = $1 WHERE id = $2";
pub const SELECT_BLOB: &str =
    "SELECT size, sha256, chunks FROM blobs WHERE id = $1 AND complete = $2";
pub const SELECT_BLOB_CHUNKS: &str = "SELECT data FROM blob_chunks WHERE blob_id = $1 ORDER BY seq";
pub const DELETE_BLOB_CHUNKS: &str = "DELETE FROM blob_chunks WHERE blob_id = $1";
pub const DELETE_BLOB: &str = "DELETE FROM blobs WHERE id = $1";

pub fn blob_params(b: &crate::BlobInfo, at: i64, complete: bool) -> Vec<Value> {
    vec![
        b.id.as_str().into(),
        (b.size as i64).into(),
        b.sha256.as_str().into(),
        (b.chunks as i64).into(),
        at.into(),
        complete.into(),
    ]
}

/// The stored chunks of a blob, joined and checked against its digest.
pub fn joined_blob(info: (i64, String, i64), chunks: Vec<Vec<u8>>) -> Result<Vec<u8>> {
    let (size, sha256, count) = info;
    if chunks.len() as i64 != count {
        return Err(StoreError::Backend(
            "a stored blob is missing chunks".into(),
        ));
    }
    let data = chunks.concat();
    if data.len() as i64 != size || partnerd_domain::ids::content_digest(&data) != sha256 {
        return Err(StoreError::Backend(
            "a stored blob does not match its digest".into(),
        ));
    }
    Ok(data)
}
