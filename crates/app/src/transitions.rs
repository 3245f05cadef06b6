//! What happens as time passes: trials end, annual terms renew, each at its own due time.

use partnerd_domain::clock::Millis;
use partnerd_store::StoreError;

use crate::{Actor, Change, OpError, Ops, Stamp};

/// Applies every clock-driven transition due at `now`, earliest first; each takes effect
/// at its own due time, by the platform (`Actor::System`). Two processes may try the same
/// one: the version check lets one win, and the other sees the new state.
pub async fn run_due(ops: &Ops, now: Millis) -> Result<usize, OpError> {
    let actor = Actor::System;
    let mut applied = 0;
    loop {
        let due = ops.store.due_subscriptions(now, 100).await?;
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
                actor: actor.name(),
                at,
                customer_domain: &domain,
            };
            change.outcome(&stamp, "subscription.transition", &sub, &outcome);
            match ops.commit(change.into_set()).await {
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
