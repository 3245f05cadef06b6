//! Moving a customer's subscriptions from another reseller with a transfer token
//! (`customerAuthToken`): what can move, and moving it. The rules are in
//! `partnerd_domain::transfer`.

use partnerd_domain::clock::Millis;
use partnerd_domain::plan::{CancellationReason, EventType};
use partnerd_domain::subscription::{Buyer, Order, Subscription};
use partnerd_domain::transfer;
use partnerd_domain::{Clock, ids};
use partnerd_store::{TokenDeletion, Write};

use crate::privileges::{self, ResellerNeed};
use crate::subscriptions::{held, notice, reseller_of};
use crate::{Actor, Change, OpError, Ops, Prepared, Stamp, customers};

/// What a reseller could take over with a customer's transfer token.
#[derive(Debug, Clone)]
pub struct Transferable {
    /// Each subscription another reseller holds that can move, with its customer's
    /// primary domain.
    pub subscriptions: Vec<(Subscription, String)>,
    /// When the token ends.
    pub expires_at: Millis,
    /// The token itself: which product groups the customer gave purchase consent for.
    pub grant: transfer::TransferToken,
}

/// What the actor's reseller could take over with the customer's token `token`.
pub async fn transferable(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
    token: &str,
) -> Result<Transferable, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    transferable_to(ops, reseller_of(actor)?, customer_key, token).await
}

/// `transferable` for a reseller whose privilege was checked.
pub(crate) async fn transferable_to(
    ops: &Ops,
    reseller: &str,
    customer_key: &str,
    token: &str,
) -> Result<Transferable, OpError> {
    let customer = customers::find(ops, customer_key).await?;
    let grant = customers::authorized_token(ops, reseller, &customer, token).await?;
    let subscriptions = ops
        .store
        .customer_subscriptions(&customer.id)
        .await?
        .into_iter()
        .filter(|(_, s, _)| s.reseller_id != reseller && s.is_transferable())
        .map(|(_, s, domain)| (s, domain))
        .collect();
    Ok(Transferable {
        subscriptions,
        expires_at: grant.expires_at,
        grant,
    })
}

/// Moves the customer's subscription of the ordered SKU to the actor's reseller, with
/// the customer's token `token`; a Workspace subscription takes its add-ons along.
/// Returns the new subscription with its customer's primary domain.
pub async fn transfer_in(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
    token: &str,
    order: Order,
) -> Result<(Subscription, String), OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Add).await?;
    move_in(ops, actor, reseller_of(actor)?, customer_key, token, &order).await
}

/// `transfer_in` for a reseller whose privilege was checked.
pub(crate) async fn move_in(
    ops: &Ops,
    actor: &Actor,
    reseller: &str,
    customer_key: &str,
    token: &str,
    order: &Order,
) -> Result<(Subscription, String), OpError> {
    // Any conflict (another move of the same subscription, a colliding random id) is
    // judged again on a fresh reading.
    ops.write(|| async move {
        let customer = customers::find(ops, customer_key).await?;
        let held = held(ops, &customer.id).await?;
        // A retry of a transfer that already went through learns so (409), even though
        // the token it used is spent by then.
        if let Some(sku) = order.sku_id.as_deref() {
            transfer::not_already_held(sku.trim(), reseller, &held)?;
        }
        let grant = match customers::authorized_token(ops, reseller, &customer, token).await {
            Ok(grant) => grant,
            Err(refused) => {
                // A concurrent transfer with this token may have committed between the two
                // reads above: it deleted the token and inserted the subscription in one
                // transaction, so a fresh read tells a spent token (409) from a bad one.
                if let Some(sku) = order.sku_id.as_deref() {
                    let now_held = crate::subscriptions::held(ops, &customer.id).await?;
                    transfer::not_already_held(sku.trim(), reseller, &now_held)?;
                }
                return Err(refused);
            }
        };
        let now = ops.clock.now();
        let buyer = Buyer {
            customer: &customer,
            tos_accepted: customer.tos_accepted_at.is_some(),
        };
        let mut new =
            Subscription::order(ids::new_numeric_id(), reseller, buyer, order.clone(), now)?;
        let source = transfer::source_of(&new, &held, order.deal_code.as_deref(), now)?;
        // The customer's users keep their licences: the new subscription carries them.
        new.licensed_seats = source.licensed_seats;

        let add_ons = transfer::moving_add_ons(source, &held);
        let moving: Vec<&Subscription> = std::iter::once(source)
            .chain(add_ons.iter().copied())
            .collect();
        grant.consents_to_all(&moving)?;

        let stamp = Stamp {
            actor: actor.name(),
            at: now,
            customer_domain: &customer.domain,
        };
        let mut change = Change::new();
        // Table order: the customer first, then the subscriptions (each old one ended
        // before its successor, which holds the same live SKU, is inserted), then tokens.
        let moving_customer = (customer.managed_by.as_deref() != Some(reseller)).then(|| {
            let mut mine = customer.clone();
            mine.managed_by = Some(reseller.to_string());
            mine.version += 1;
            mine
        });
        if let Some(mine) = &moving_customer {
            change.write(Write::UpdateCustomer {
                before: customer.clone(),
                after: mine.clone(),
            });
        }
        let mut move_one = |from: &Subscription, to: &Subscription| {
            let gone = from.cancel(CancellationReason::TransferredOut, now);
            change.outcome(&stamp, "subscription.transferOut", from, &gone);
            change.subscription(
                &stamp,
                "subscription.transferIn",
                None,
                to,
                &[notice(EventType::NewSubscriptionCreated)],
            );
        };
        move_one(source, &new);
        for &addon in &add_ons {
            let mut copy = addon.clone();
            copy.id = ids::new_numeric_id();
            copy.reseller_id = reseller.to_string();
            copy.created_at = now;
            copy.version = 1;
            move_one(addon, &copy);
        }
        if let Some(mine) = &moving_customer {
            change.customer_event(actor.name(), "customer.transferIn", now, &customer, mine);
            change.write(Write::DeleteTransferTokens(TokenDeletion::OthersOf {
                customer_id: customer.id.clone(),
                keep_reseller_id: reseller.to_string(),
            }));
        }
        // The token is spent once nothing it could still move is left with another reseller.
        let moved: Vec<&str> = std::iter::once(source)
            .chain(add_ons.iter().copied())
            .map(|s| s.id.as_str())
            .collect();
        if !transfer::anything_left_to_move(&held, &moved, reseller) {
            change.write(Write::DeleteTransferTokens(TokenDeletion::One(
                grant.digest.clone(),
            )));
        }
        Ok(Prepared::new(
            change.into_set(),
            (new, customer.domain.clone()),
        ))
    })
    .await
}

#[cfg(test)]
mod tests {
    use partnerd_domain::RuleErrorKind;
    use partnerd_domain::user::User;

    use super::*;
    use crate::owner;
    use crate::testing::{
        accepted_world, actor, events_of, flexible, ops, place, second_reseller, staff,
    };

    /// A customer of the first reseller holding Business Starter, and a token for the
    /// second reseller.
    async fn handover(ops: &Ops) -> (User, String, Subscription, String) {
        let (admin, customer) = accepted_world(ops).await;
        let sub = place(ops, &admin, &customer, "1010020027").await;
        let (receiver, _) = second_reseller(ops).await;
        let token = owner::generate_transfer_token(ops, &Actor::Operator, &customer.id, "PUB456")
            .await
            .expect("token");
        (receiver, customer.id, sub, token.secret)
    }

    #[tokio::test]
    async fn listing_and_moving_need_view_and_add() {
        let ops = ops().await;
        let (receiver_user, customer_id, sub, secret) = handover(&ops).await;
        let receiver = actor(&receiver_user);
        let viewer = staff(&ops, &receiver_user, &["RESELLER_VIEW_CUSTOMERS"]).await;
        let nobody = staff(&ops, &receiver_user, &["USERS_RETRIEVE"]).await;

        let seen = transferable(&ops, &viewer, &customer_id, &secret)
            .await
            .expect("listed");
        let ids: Vec<&str> = seen
            .subscriptions
            .iter()
            .map(|(s, _)| s.id.as_str())
            .collect();
        assert_eq!(ids, vec![sub.id.as_str()]);
        assert_eq!(
            transferable(&ops, &nobody, &customer_id, &secret)
                .await
                .err()
                .map(|e| e.to_string()),
            Some(OpError::NotAuthorized.to_string())
        );
        let refused =
            transfer_in(&ops, &viewer, &customer_id, &secret, flexible(&sub.sku_id)).await;
        assert_eq!(refused.err(), Some(OpError::NotAuthorized));

        let (moved, _) = transfer_in(
            &ops,
            &receiver,
            &customer_id,
            &secret,
            flexible(&sub.sku_id),
        )
        .await
        .expect("moved");
        assert_eq!(moved.reseller_id, receiver.account_id().unwrap_or_default());
        let customer = customers::find(&ops, &customer_id).await.expect("customer");
        assert_eq!(customer.managed_by.as_deref(), receiver.account_id());
        // Events name the receiver's user.
        let reseller = receiver.account_id().unwrap_or_default();
        let inn = events_of(&ops, reseller, "subscription.transferIn").await;
        assert_eq!(inn[0].actor, receiver.name());
    }

    #[tokio::test]
    async fn a_retry_of_a_finished_move_is_told_it_holds_the_subscription() {
        let ops = ops().await;
        let (receiver, customer_id, sub, secret) = handover(&ops).await;
        let receiver = actor(&receiver);
        transfer_in(
            &ops,
            &receiver,
            &customer_id,
            &secret,
            flexible(&sub.sku_id),
        )
        .await
        .expect("moved");
        // Nothing was left to move, so the token is spent; the retry still learns 409.
        let again = transfer_in(
            &ops,
            &receiver,
            &customer_id,
            &secret,
            flexible(&sub.sku_id),
        )
        .await;
        let err = again.expect_err("already held");
        assert_eq!(err.violations()[0].kind, RuleErrorKind::Duplicate);
        let listed = transferable(&ops, &receiver, &customer_id, &secret).await;
        assert!(matches!(listed, Err(OpError::Forbidden(_))), "{listed:?}");
    }

    #[tokio::test]
    async fn two_moves_of_one_subscription_move_it_once() {
        let ops = ops().await;
        let (receiver, customer_id, sub, secret) = handover(&ops).await;
        let receiver = actor(&receiver);
        let (ops, receiver, key, secret) = (&ops, &receiver, customer_id.as_str(), secret.as_str());
        let one = || transfer_in(ops, receiver, key, secret, flexible(&sub.sku_id));
        let (a, b) = tokio::join!(one(), one());
        let moved: Vec<_> = [a, b].into_iter().collect();
        assert_eq!(moved.iter().filter(|r| r.is_ok()).count(), 1, "{moved:?}");
        let held = held(ops, key).await.expect("held");
        assert_eq!(held.len(), 1);
        assert_eq!(Some(held[0].reseller_id.as_str()), receiver.account_id());
    }
}
