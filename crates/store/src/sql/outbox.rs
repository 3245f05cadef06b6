//! The outbox: pushes and e-mail queued in the transaction of their cause, claimed by
//! lease, delivered with retries.

use super::{Statement, write};
use crate::Result;
use crate::rows::{FromRow, Row, Value};

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

impl FromRow for (crate::OutboxItem, i64) {
    fn from_row(r: &impl Row) -> Result<Self> {
        outbox_from_row(r)
    }
}

/// `Write::Push`: queued only where the reseller can receive it (see `INSERT_PUSH`).
pub fn insert_push(p: &crate::Push) -> Statement {
    write(INSERT_PUSH, push_params(p))
}

/// `Write::Mail`.
pub fn insert_mail(m: &crate::Mail) -> Statement {
    write(INSERT_MAIL, mail_params(m))
}
