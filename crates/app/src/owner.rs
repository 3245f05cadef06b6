//! What a customer's own super admin decides for its account: accepting the Terms of
//! Service, allowing its reseller into its Admin console and APIs, letting another
//! reseller take it over (a transfer token). The control API takes these for testers
//! today, as the operator or as a named user; the Admin console will take them for the
//! customer's super admin. Domain verification (the platform's check of the customer's
//! DNS) sits beside them.

use partnerd_domain::authority::OwnerAction;
use partnerd_domain::clock::Millis;
use partnerd_domain::customer::Customer;
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::transfer::{TOKEN_VALIDITY_MS, TransferToken};
use partnerd_domain::{Clock, RuleError};

use crate::privileges::{self, AdminNeed};
use crate::{Actor, Change, OpError, Ops, Prepared, Stamp};

/// The account `key` (id or primary domain) names.
async fn account(ops: &Ops, key: &str) -> Result<Customer, OpError> {
    ops.store
        .account(key)
        .await?
        .ok_or_else(|| OpError::NotFound(format!("Customer {key} was not found.")))
}

/// Refuses `action` on `customer` to anyone but its own super admin. The operator stands
/// in for the platform and is not judged by roles.
async fn owner_only(
    ops: &Ops,
    actor: &Actor,
    customer: &Customer,
    action: OwnerAction,
) -> Result<(), OpError> {
    match actor {
        Actor::Operator | Actor::System => Ok(()),
        _ => privileges::admin(ops, actor, customer, AdminNeed::Owner(action))
            .await
            .map_err(|_| {
                OpError::Forbidden(format!(
                    "Only the customer's own super admin may {}.",
                    action.as_str()
                ))
            }),
    }
}

/// Accepts the Terms of Service, which lifts `PENDING_TOS_ACCEPTANCE` from every
/// subscription of the customer. Returns the customer and when it accepted (the first
/// acceptance stands).
pub async fn accept_terms(
    ops: &Ops,
    actor: &Actor,
    key: &str,
) -> Result<(Customer, Millis), OpError> {
    ops.write(|| async move {
        let customer = account(ops, key).await?;
        owner_only(ops, actor, &customer, OwnerAction::AcceptTermsOfService).await?;
        let now = ops.clock.now();
        let mut change = Change::new();
        let accepted_at = match customer.tos_accepted_at {
            Some(at) => at,
            None => {
                let mut accepted = customer.clone();
                accepted.tos_accepted_at = Some(now);
                accepted.version += 1;
                change.customer(
                    actor.name(),
                    "customer.acceptTos",
                    now,
                    &customer,
                    &accepted,
                );
                now
            }
        };
        for (_, sub, domain) in ops.store.customer_subscriptions(&customer.id).await? {
            if let Some(outcome) = sub.accept_tos() {
                let stamp = Stamp {
                    actor: actor.name(),
                    at: now,
                    customer_domain: &domain,
                };
                change.outcome(&stamp, "subscription.tosAccepted", &sub, &outcome);
            }
        }
        Ok(Prepared::new(change.into_set(), (customer, accepted_at)))
    })
    .await
}

/// Allows or refuses the customer's reseller access to its Admin console and APIs.
pub async fn set_reseller_access(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    enabled: bool,
) -> Result<Customer, OpError> {
    ops.write(|| async move {
        let customer = account(ops, key).await?;
        owner_only(ops, actor, &customer, OwnerAction::SetResellerAccess).await?;
        let mut next = customer.clone();
        next.reseller_access = enabled;
        next.version += 1;
        let mut change = Change::new();
        change.customer(
            actor.name(),
            "customer.setResellerAccess",
            ops.clock.now(),
            &customer,
            &next,
        );
        Ok(Prepared::new(change.into_set(), next))
    })
    .await
}

/// Marks the customer's primary domain verified (what the platform's DNS check does).
pub async fn verify_domain(ops: &Ops, actor: &Actor, key: &str) -> Result<Customer, OpError> {
    ops.write(|| async move {
        let customer = account(ops, key).await?;
        let mut verified = customer.clone();
        verified.domain_verified = true;
        verified.version += 1;
        let mut change = Change::new();
        change.customer(
            actor.name(),
            "customer.verifyDomain",
            ops.clock.now(),
            &customer,
            &verified,
        );
        Ok(Prepared::new(change.into_set(), verified))
    })
    .await
}

/// A new transfer token: the secret to hand to the receiving reseller, and the record
/// kept of it (only its digest).
pub struct NewTransferToken {
    pub secret: String,
    pub token: TransferToken,
}

/// Lets the reseller with `reseller_public_id` take the customer over: a token valid 30
/// days, superseding any older token of the customer for the same reseller.
pub async fn generate_transfer_token(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    reseller_public_id: &str,
) -> Result<NewTransferToken, OpError> {
    generate_transfer_token_for(ops, actor, key, reseller_public_id, None).await
}

/// `generate_transfer_token` moving only `product_groups` (catalogue product IDs): the
/// purchase consent the customer gives the receiving reseller; `None` for every group.
pub async fn generate_transfer_token_for(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    reseller_public_id: &str,
    product_groups: Option<&[String]>,
) -> Result<NewTransferToken, OpError> {
    let product_groups = product_groups
        .map(partnerd_domain::transfer::product_groups)
        .transpose()?;
    let customer = account(ops, key).await?;
    owner_only(ops, actor, &customer, OwnerAction::GenerateTransferToken).await?;
    let public_id = reseller_public_id.trim().to_ascii_uppercase();
    let reseller = ops
        .store
        .reseller_by_public_id(&public_id)
        .await?
        .ok_or_else(|| {
            RuleError::invalid(
                "resellerPublicId",
                format!("no reseller has the public ID '{public_id}'"),
            )
        })?;
    let secret = ids::random_hex(16);
    let now = ops.clock.now();
    let token = TransferToken {
        digest: ids::secret_digest(&secret),
        customer_id: customer.id.clone(),
        reseller_id: reseller.id.clone(),
        created_at: now,
        expires_at: now + TOKEN_VALIDITY_MS,
        product_groups,
    };
    let event = NewEvent {
        at: now,
        actor: actor.name().to_string(),
        account_id: customer.managed_by.clone(),
        action: "customer.transferToken".into(),
        resource_type: "customer".into(),
        resource_id: customer.id.clone(),
        before: None,
        after: Some(serde_json::json!({
            "resellerId": reseller.id,
            "expiresAt": token.expires_at,
            "productGroups": token.product_groups,
        })),
        event_type: None,
    };
    ops.store.insert_transfer_token(&token, event).await?;
    Ok(NewTransferToken { secret, token })
}

#[cfg(test)]
mod tests {
    use partnerd_store::Write;

    use super::*;
    use crate::testing::{actor, ops, world};

    #[tokio::test]
    async fn only_the_customers_own_super_admin_accepts() {
        let ops = ops().await;
        let (reseller_admin, customer, boss) = world(&ops).await;
        // The reseller's super admin holds every reseller privilege, and is refused.
        let refused = accept_terms(&ops, &actor(&reseller_admin), &customer.id).await;
        assert!(matches!(refused, Err(OpError::Forbidden(_))), "{refused:?}");
        let refused = set_reseller_access(&ops, &actor(&reseller_admin), &customer.id, false).await;
        assert!(matches!(refused, Err(OpError::Forbidden(_))), "{refused:?}");
        let stored = ops.store.account(&customer.id).await.expect("read");
        assert_eq!(stored.and_then(|c| c.tos_accepted_at), None);

        let (accepted, at) = accept_terms(&ops, &actor(&boss), &customer.id)
            .await
            .expect("accepted");
        assert_eq!(accepted.tos_accepted_at, None, "the customer as read");
        let stored = ops.store.account(&customer.id).await.expect("read");
        assert_eq!(stored.and_then(|c| c.tos_accepted_at), Some(at));
        // The event names the user who acted.
        let events = ops
            .store
            .events(
                Some(&customer.managed_by.clone().unwrap_or_default()),
                0,
                100,
            )
            .await
            .expect("events");
        let accepted = events
            .iter()
            .find(|e| e.event.action == "customer.acceptTos")
            .expect("event");
        assert_eq!(accepted.event.actor, boss.primary_email);
    }

    #[tokio::test]
    async fn the_operator_stands_in_for_the_owner() {
        let ops = ops().await;
        let (_, customer, _) = world(&ops).await;
        let next = set_reseller_access(&ops, &Actor::Operator, &customer.id, false)
            .await
            .expect("operator");
        assert!(!next.reseller_access);
        let token = generate_transfer_token(&ops, &Actor::Operator, &customer.id, "pub123")
            .await
            .expect("token");
        assert_eq!(token.token.digest, ids::secret_digest(&token.secret));
        let unknown = generate_transfer_token(&ops, &Actor::Operator, &customer.id, "NOPE").await;
        assert_eq!(
            unknown
                .map(|_| ())
                .map_err(|e| e.violations()[0].field.clone()),
            Err("resellerPublicId".into())
        );
    }

    #[tokio::test]
    async fn retries_a_write_that_lost_a_race() {
        let ops = ops().await;
        let (_, customer, _) = world(&ops).await;
        let attempts = std::sync::atomic::AtomicUsize::new(0);
        let (ops, attempts, id) = (&ops, &attempts, customer.id.as_str());
        let result = ops
            .write(|| async move {
                let attempt = attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                let read = ops.store.account(id).await?.expect("customer");
                if attempt == 1 {
                    // Another writer moves the customer between this read and the commit.
                    let mut other = read.clone();
                    other.version += 1;
                    let moved = Write::UpdateCustomer {
                        before: read.clone(),
                        after: other,
                    };
                    ops.commit(moved.into()).await?;
                }
                let mut next = read.clone();
                next.domain_verified = true;
                next.version += 1;
                let set = Write::UpdateCustomer {
                    before: read,
                    after: next.clone(),
                };
                Ok(Prepared::new(set.into(), next))
            })
            .await
            .expect("second attempt commits");
        assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert!(result.domain_verified);
    }
}
