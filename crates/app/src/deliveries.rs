//! The outbox's side of delivering pushes: claiming the due ones under a lease, so that
//! of several processes on one database one delivers each, and recording how an attempt
//! went (delivered, or when to try again, backing off). Sending is the caller's (HTTP).

use partnerd_domain::Clock;
use partnerd_store::{Lease, OutboxItem};

use crate::{OpError, Ops};

/// How long a process holds the pushes it claimed, in real time: longer than one batch
/// can take (two rounds of deliveries, each timing out after 10 s).
pub const DELIVERY_LEASE_MS: i64 = 30_000;

/// The longest wait between two attempts, in seconds.
const MAX_BACKOFF_S: i64 = 600;

/// Claims up to `limit` pushes due now (platform time). A process killed mid-delivery
/// leaves its claims to be retried once their lease ends.
pub async fn claim_pushes(ops: &Ops, limit: u32) -> Result<Vec<OutboxItem>, OpError> {
    let real_now = ops.clock.real_now();
    let lease = Lease {
        now: real_now,
        until: real_now + DELIVERY_LEASE_MS,
    };
    Ok(ops
        .store
        .claim_pushes(ops.clock.now(), lease, limit)
        .await?)
}

/// When a failed attempt is tried again: 1 s after the first, doubling up to 10 minutes.
pub fn next_attempt_at(now: i64, attempts_before: i64) -> i64 {
    let backoff_s = 1i64 << attempts_before.clamp(0, 9);
    now + backoff_s.min(MAX_BACKOFF_S) * 1000
}

/// Records how the attempt at `item` went.
pub async fn record(ops: &Ops, item: &OutboxItem, delivered: bool) -> Result<(), OpError> {
    let now = ops.clock.now();
    let outcome = if delivered {
        Ok(now)
    } else {
        Err(next_attempt_at(now, item.attempts))
    };
    Ok(ops.store.finish_delivery(item.id, outcome).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_ten_minutes() {
        assert_eq!(next_attempt_at(0, 0), 1_000);
        assert_eq!(next_attempt_at(0, 1), 2_000);
        assert_eq!(next_attempt_at(0, 9), 512_000);
        assert_eq!(next_attempt_at(0, 10), 512_000);
        assert_eq!(next_attempt_at(0, -3), 1_000);
    }
}
