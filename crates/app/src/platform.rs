//! What the platform's operator does (the control API): moving the clock, pointing a
//! reseller's push notifications somewhere, reading a reseller's event log.

use partnerd_domain::customer::Customer;
use partnerd_domain::event::{Event, NewEvent};
use partnerd_domain::{Clock, RuleError};

use crate::{Actor, OpError, Ops, transitions};

/// The clock moves at most ten years per call.
pub const MAX_ADVANCE_SECONDS: i64 = 10 * 366 * 86_400;

/// The platform clock's reading, after picking up a move another process made.
pub async fn now(ops: &Ops) -> Result<i64, OpError> {
    ops.clock.set_offset(ops.store.clock_offset().await?);
    Ok(ops.clock.now())
}

/// Moves the platform clock forward by `seconds` and, before returning, applies every
/// transition that fell due meanwhile, in time order. Returns the new reading.
pub async fn advance_clock(ops: &Ops, actor: &Actor, seconds: i64) -> Result<i64, OpError> {
    if !(0..=MAX_ADVANCE_SECONDS).contains(&seconds) {
        return Err(RuleError::invalid(
            "seconds",
            format!("must be between 0 and {MAX_ADVANCE_SECONDS}; the clock never goes back"),
        )
        .into());
    }
    let event = NewEvent {
        at: ops.clock.now(),
        actor: actor.name().into(),
        account_id: None,
        action: "clock.advance".into(),
        resource_type: "clock".into(),
        resource_id: "clock".into(),
        before: None,
        after: Some(serde_json::json!({"seconds": seconds})),
        event_type: None,
    };
    let offset = ops.store.advance_clock(seconds * 1000, event).await?;
    ops.clock.set_offset(offset);
    let now = ops.clock.now();
    transitions::run_due(ops, now).await?;
    Ok(now)
}

/// The reseller account with this primary domain.
pub async fn reseller(ops: &Ops, domain: &str) -> Result<Customer, OpError> {
    let account = ops
        .store
        .account(domain)
        .await?
        .ok_or_else(|| OpError::NotFound(format!("Customer {domain} was not found.")))?;
    if account.reseller_public_id.is_none() {
        return Err(OpError::NotFound(format!(
            "No reseller has the domain {domain}."
        )));
    }
    Ok(account)
}

/// Where the reseller's Pub/Sub push subscription delivers; `None` removes it. Returns
/// the URL kept.
pub async fn set_push_endpoint(
    ops: &Ops,
    actor: &Actor,
    reseller_domain: &str,
    url: Option<&str>,
) -> Result<Option<String>, OpError> {
    let reseller = reseller(ops, reseller_domain).await?;
    let url = url
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    if let Some(u) = &url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        return Err(RuleError::invalid("url", "use an http:// or https:// URL").into());
    }
    let event = NewEvent {
        at: ops.clock.now(),
        actor: actor.name().into(),
        account_id: Some(reseller.id.clone()),
        action: "reseller.pushEndpoint".into(),
        resource_type: "reseller".into(),
        resource_id: reseller.id.clone(),
        before: None,
        after: Some(serde_json::json!({"url": url})),
        event_type: None,
    };
    ops.store
        .set_push_endpoint(&reseller.id, url.as_deref(), event)
        .await?;
    Ok(url)
}

/// The actor the control API acts as when it names a user (`asUser`): that user, if it
/// is active, so that its action is judged as the Admin console judges it.
pub async fn as_user(ops: &Ops, email: &str) -> Result<Actor, OpError> {
    let user = ops
        .store
        .user_by_email(email)
        .await?
        .filter(|u| u.deleted_at.is_none() && !u.suspended)
        .ok_or_else(|| RuleError::invalid("asUser", format!("no active user {email}")))?;
    Ok(Actor::User {
        account_id: user.account_id,
        user_id: user.id,
        email: user.primary_email,
    })
}

/// A page of a reseller's event log, oldest first, after the event id `after`; the
/// second value says whether more follow.
pub async fn events(
    ops: &Ops,
    reseller_domain: &str,
    after: i64,
    size: u32,
) -> Result<(Vec<Event>, bool), OpError> {
    let reseller = reseller(ops, reseller_domain).await?;
    let mut rows = ops
        .store
        .events(Some(&reseller.id), after, size.saturating_add(1))
        .await?;
    let more = rows.len() > size as usize;
    rows.truncate(size as usize);
    Ok((rows, more))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ops, world};

    #[tokio::test]
    async fn the_clock_only_moves_forward_and_the_operator_is_recorded() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let before = now(&ops).await.expect("now");
        let err = advance_clock(&ops, &Actor::Operator, -1)
            .await
            .expect_err("back");
        assert_eq!(err.violations()[0].field, "seconds");
        let after = advance_clock(&ops, &Actor::Operator, 3_600)
            .await
            .expect("forward");
        assert!(after >= before + 3_600_000);
        let reseller = ops
            .store
            .account(&admin.account_id)
            .await
            .expect("read")
            .expect("reseller");
        let kept = set_push_endpoint(
            &ops,
            &Actor::Operator,
            &reseller.domain,
            Some(" http://x/ "),
        )
        .await
        .expect("endpoint");
        assert_eq!(kept.as_deref(), Some("http://x/"));
        let bad = set_push_endpoint(&ops, &Actor::Operator, &reseller.domain, Some("ftp://x"))
            .await
            .expect_err("scheme");
        assert_eq!(bad.violations()[0].field, "url");
        let (events, more) = events(&ops, &reseller.domain, 0, 100)
            .await
            .expect("events");
        assert!(!more);
        let pushed = events
            .iter()
            .find(|e| e.event.action == "reseller.pushEndpoint")
            .expect("event");
        assert_eq!(pushed.event.actor, "operator");
        assert!(matches!(
            super::reseller(&ops, "customer.example").await,
            Err(OpError::NotFound(_))
        ));
    }
}
