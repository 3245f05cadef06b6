//! A reseller's subscriptions (the Reseller API's `subscriptions`): ordering one (buying,
//! upgrading or downgrading, or moving it from another reseller with a transfer token),
//! reading them, changing one, and ending one. The rules are in
//! `partnerd_domain::subscription`; this module reads, checks privileges and tenancy, and
//! commits.

use partnerd_domain::clock::Millis;
use partnerd_domain::customer::Customer;
use partnerd_domain::plan::{CancellationReason, EventType};
use partnerd_domain::subscription::{
    self, Action, Buyer, Deletion, Notice, Offer, Order, Outcome, PlanChange, Purchase, SeatsInput,
    Subscription,
};
use partnerd_domain::{Clock, RuleError, ids};
use partnerd_store::{SubscriptionFilter, SubscriptionRow, Write, WriteSet};

use crate::privileges::{self, ResellerNeed};
use crate::transfers::{self, Transferable};
use crate::{Actor, Change, OpError, Ops, Prepared, Stamp, customers};

/// The reseller an actor acts for: the account its user or service account belongs to.
pub(crate) fn reseller_of(actor: &Actor) -> Result<&str, OpError> {
    actor.account_id().ok_or(OpError::NotAuthorized)
}

pub(crate) fn notice(event_type: EventType) -> Notice {
    Notice {
        event_type,
        cancellation_reason: None,
    }
}

fn not_found(id: &str) -> OpError {
    OpError::NotFound(format!("Subscription {id} was not found."))
}

/// The customer `key` names, which `reseller` must manage.
async fn managed_customer(ops: &Ops, reseller: &str, key: &str) -> Result<Customer, OpError> {
    let customer = customers::find(ops, key).await?;
    customer.ensure_managed_by(reseller)?;
    Ok(customer)
}

/// Every live subscription of a customer, whoever manages it.
pub(crate) async fn held(ops: &Ops, customer_id: &str) -> Result<Vec<Subscription>, OpError> {
    Ok(ops
        .store
        .customer_subscriptions(customer_id)
        .await?
        .into_iter()
        .map(|(_, s, _)| s)
        .collect())
}

/// One of `reseller`'s live subscriptions of the customer `customer_key` names, with
/// that customer's primary domain.
async fn find(
    ops: &Ops,
    reseller: &str,
    customer_key: &str,
    id: &str,
) -> Result<(Subscription, String), OpError> {
    let (_, sub, domain) = ops
        .store
        .subscription(reseller, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    // The path names the customer by ID (no second read) or by domain, in any case.
    let same_customer = sub.customer_id == customer_key
        || customers::find(ops, customer_key).await?.id == sub.customer_id;
    if !same_customer {
        return Err(not_found(id));
    }
    Ok((sub, domain))
}

/// A subscription of the actor's reseller, with its customer's primary domain.
pub async fn get(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
    id: &str,
) -> Result<(Subscription, String), OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    find(ops, reseller_of(actor)?, customer_key, id).await
}

/// How `subscriptions.insert` was asked to order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ordering<'a> {
    /// `action`: buy, switch, or unspecified (the server decides).
    pub action: Option<&'a str>,
    /// `sourceSkuId`: the SKU a switch replaces.
    pub source_sku_id: Option<&'a str>,
    /// `customerAuthToken`: with one, the order moves the customer's subscription of the
    /// SKU from another reseller instead of buying one.
    pub customer_auth_token: Option<&'a str>,
}

/// Orders a subscription for a customer of the actor's reseller: a purchase, or an
/// upgrade or downgrade that ends the edition it replaces. With a transfer token, moves
/// the customer's subscription of the SKU from another reseller (see `transfers`).
pub async fn insert(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
    order: Order,
    how: Ordering<'_>,
) -> Result<(Subscription, String), OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Add).await?;
    let action = Action::parse(how.action)?;
    let reseller = reseller_of(actor)?;
    if let Some(token) = how.customer_auth_token.filter(|t| !t.is_empty()) {
        return transfers::move_in(ops, actor, reseller, customer_key, token, &order).await;
    }
    let (order, action, source) = (&order, action, how.source_sku_id);
    // A unique-index conflict (another order of the SKU committed first, or a colliding
    // random id) is tried again: the next reading holds the SKU and `purchase` refuses
    // it as the duplicate it is, or a fresh id goes through.
    ops.write(|| prepare_order(ops, actor, reseller, customer_key, order, action, source))
        .await
}

/// One attempt at an order: read, judge, and assemble its write set without committing.
async fn prepare_order(
    ops: &Ops,
    actor: &Actor,
    reseller: &str,
    customer_key: &str,
    order: &Order,
    action: Action,
    source_sku_id: Option<&str>,
) -> Result<Prepared<(Subscription, String)>, OpError> {
    let customer = managed_customer(ops, reseller, customer_key).await?;
    let now = ops.clock.now();
    let buyer = Buyer {
        customer: &customer,
        tos_accepted: customer.tos_accepted_at.is_some(),
    };
    let new = Subscription::order(ids::new_numeric_id(), reseller, buyer, order.clone(), now)?;
    let held = held(ops, &customer.id).await?;
    let stamp = Stamp {
        actor: actor.name(),
        at: now,
        customer_domain: &customer.domain,
    };
    let mut change = Change::new();
    // Table order: the customer first, then the subscription switched from (ended
    // before its successor is inserted).
    change.serialise_on(&customer);
    let event = match subscription::purchase(&new, &held, action, source_sku_id)? {
        Purchase::New => EventType::NewSubscriptionCreated,
        Purchase::Switch { from, event } => {
            let ended = from.cancel(CancellationReason::PurchaseOfSubsumingSku, now);
            change.outcome(&stamp, "subscription.switchedFrom", from, &ended);
            event
        }
    };
    change.subscription(&stamp, "subscription.insert", None, &new, &[notice(event)]);
    Ok(Prepared::new(
        change.into_set(),
        (new, customer.domain.clone()),
    ))
}

/// Judges an order exactly as `insert` would, without placing it: the console's review
/// step shows what `insert` will do, or every reason it would refuse.
pub async fn preview(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
    order: Order,
    how: Ordering<'_>,
) -> Result<Subscription, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Add).await?;
    let action = Action::parse(how.action)?;
    let reseller = reseller_of(actor)?;
    let prepared = prepare_order(
        ops,
        actor,
        reseller,
        customer_key,
        &order,
        action,
        how.source_sku_id,
    )
    .await?;
    Ok(prepared.value.0)
}

/// What the actor's reseller may order for the customer `customer_key` names, from the
/// same rules an order passes (`subscription::offers_for`).
pub async fn offers(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
) -> Result<(Customer, Vec<Offer>), OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Add).await?;
    let reseller = reseller_of(actor)?;
    let customer = managed_customer(ops, reseller, customer_key).await?;
    let held = held(ops, &customer.id).await?;
    let buyer = Buyer {
        customer: &customer,
        tos_accepted: customer.tos_accepted_at.is_some(),
    };
    let offers = subscription::offers_for(buyer, reseller, &held);
    Ok((customer, offers))
}

/// Which of the subscription operations the actor's privileges allow, so a page offers
/// only those (each operation still checks its own).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allowed {
    /// Order (`insert`).
    pub add: bool,
    /// Change and cancel (`change`, `delete` with cancel).
    pub edit: bool,
    /// End the reseller relationship (`delete` with transfer_to_direct).
    pub transfer: bool,
    /// Open the customer's Admin console ("Access Customers' Admin console and SDK",
    /// which also needs View Customers).
    pub admin_console: bool,
}

pub async fn allowed(ops: &Ops, actor: &Actor) -> Result<Allowed, OpError> {
    let authority = privileges::of(ops, actor).await?;
    let p = &authority.privileges;
    Ok(Allowed {
        add: ResellerNeed::Add.allowed_by(p),
        edit: ResellerNeed::Edit.allowed_by(p),
        transfer: ResellerNeed::Transfer.allowed_by(p),
        admin_console: p.has("RESELLER_ACCESS_ADMIN_CONSOLE_AND_SDK")
            && ResellerNeed::View.allowed_by(p),
    })
}

/// A change of one subscription, as `changeSeats`, `changePlan`, … ask it.
#[derive(Debug, Clone)]
pub enum Edit {
    Seats(SeatsInput),
    Plan(PlanChange),
    /// `changeRenewalSettings` with the requested `renewalType`.
    Renewal(Option<String>),
    StartPaidService,
    Suspend,
    Activate,
}

impl Edit {
    /// The action its event records.
    fn action(&self) -> &'static str {
        match self {
            Edit::Seats(_) => "subscription.changeSeats",
            Edit::Plan(_) => "subscription.changePlan",
            Edit::Renewal(_) => "subscription.changeRenewalSettings",
            Edit::StartPaidService => "subscription.startPaidService",
            Edit::Suspend => "subscription.suspend",
            Edit::Activate => "subscription.activate",
        }
    }

    fn apply(&self, sub: &Subscription, now: Millis) -> Result<Outcome, RuleError> {
        match self {
            Edit::Seats(seats) => sub.change_seats(*seats),
            Edit::Plan(change) => sub.change_plan(change.clone(), now),
            Edit::Renewal(renewal) => sub.change_renewal(renewal.clone()),
            Edit::StartPaidService => sub.start_paid_service(now),
            Edit::Suspend => sub.suspend(),
            Edit::Activate => sub.activate(now),
        }
    }
}

/// Changes a subscription of the actor's reseller; re-read and re-judged if someone
/// changed it meanwhile. Returns its new state with its customer's primary domain.
pub async fn change(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
    id: &str,
    edit: Edit,
) -> Result<(Subscription, String), OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Edit).await?;
    let reseller = reseller_of(actor)?;
    let edit = &edit;
    ops.write(|| async move {
        let (sub, domain) = find(ops, reseller, customer_key, id).await?;
        let now = ops.clock.now();
        let outcome = edit.apply(&sub, now)?;
        if outcome.next == sub {
            // Nothing changes: nothing is recorded or notified.
            return Ok(Prepared::new(WriteSet::default(), (sub, domain)));
        }
        let stamp = Stamp {
            actor: actor.name(),
            at: now,
            customer_domain: &domain,
        };
        let mut change = Change::new();
        change.outcome(&stamp, edit.action(), &sub, &outcome);
        Ok(Prepared::new(change.into_set(), (outcome.next, domain)))
    })
    .await
}

/// Ends a subscription of the actor's reseller (`deletionType` as sent): cancelled, or
/// handed to Google (`transfer_to_direct`), which also hands over the customer once the
/// reseller resells nothing else of it.
pub async fn delete(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
    id: &str,
    deletion_type: Option<&str>,
) -> Result<(), OpError> {
    // Who may ask comes before what the subscription allows.
    let need = match deletion_type.map(str::trim) {
        Some("transfer_to_direct") => ResellerNeed::Transfer,
        _ => ResellerNeed::Edit,
    };
    privileges::reseller(ops, actor, need).await?;
    let reseller = reseller_of(actor)?;
    ops.write(|| async move {
        let (sub, domain) = find(ops, reseller, customer_key, id).await?;
        let has_admin = ops.store.has_super_admin(&sub.customer_id).await?;
        let kind = subscription::deletion(&sub, deletion_type, has_admin)?;
        let now = ops.clock.now();
        let reason = match kind {
            Deletion::Cancel => CancellationReason::ResellerInitiated,
            Deletion::TransferToDirect => CancellationReason::TransferredOut,
        };
        let outcome = sub.cancel(reason, now);
        let stamp = Stamp {
            actor: actor.name(),
            at: now,
            customer_domain: &domain,
        };
        let mut leaving = None;
        if kind == Deletion::TransferToDirect {
            // The customer leaves the reseller once nothing of it is resold any more.
            let others = ops.store.customer_subscriptions(&sub.customer_id).await?;
            let last = others
                .iter()
                .all(|(_, s, _)| s.id == sub.id || s.reseller_id != reseller);
            if last {
                let customer = customers::find(ops, &sub.customer_id).await?;
                let mut direct = customer.clone();
                direct.managed_by = None;
                direct.version += 1;
                leaving = Some((customer, direct));
            }
        }
        let mut change = Change::new();
        // Table order: the customer before its subscription; the events in the order
        // things happen.
        if let Some((customer, direct)) = &leaving {
            change.write(Write::UpdateCustomer {
                before: customer.clone(),
                after: direct.clone(),
            });
        }
        change.outcome(&stamp, "subscription.delete", &sub, &outcome);
        if let Some((customer, direct)) = &leaving {
            change.customer_event(
                actor.name(),
                "customer.transferToDirect",
                now,
                customer,
                direct,
            );
        }
        Ok(Prepared::new(change.into_set(), ()))
    })
    .await
}

/// A list of the actor's reseller's subscriptions, its privilege checked. A list is read
/// in steps because the API judges its paging parameters between the check and the reads.
pub struct Listing<'a> {
    ops: &'a Ops,
    reseller: &'a str,
}

/// Starts a list: refuses an actor who may not see its reseller's subscriptions.
pub async fn listing<'a>(ops: &'a Ops, actor: &'a Actor) -> Result<Listing<'a>, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    Ok(Listing {
        ops,
        reseller: reseller_of(actor)?,
    })
}

impl Listing<'_> {
    pub fn reseller(&self) -> &str {
        self.reseller
    }

    /// Which subscriptions the list shows: one customer's (which the reseller must
    /// manage), those of customers whose domain starts with `name_prefix`, or all.
    pub async fn filter(
        &self,
        customer_key: Option<&str>,
        name_prefix: Option<&str>,
    ) -> Result<SubscriptionFilter, OpError> {
        Ok(match (customer_key, name_prefix) {
            (Some(key), _) => SubscriptionFilter::Customer(
                managed_customer(self.ops, self.reseller, key).await?.id,
            ),
            (None, Some(prefix)) => SubscriptionFilter::DomainPrefix(prefix.to_string()),
            (None, None) => SubscriptionFilter::All,
        })
    }

    /// Up to `limit` of the listed subscriptions after list position `after`, in order.
    pub async fn page(
        &self,
        filter: &SubscriptionFilter,
        after: i64,
        limit: u32,
    ) -> Result<Vec<SubscriptionRow>, OpError> {
        Ok(self
            .ops
            .store
            .subscriptions_page(self.reseller, filter, after, limit)
            .await?)
    }

    /// What the reseller could take over with the customer's transfer token `token`.
    pub async fn transferable(
        &self,
        customer_key: &str,
        token: &str,
    ) -> Result<Transferable, OpError> {
        transfers::transferable_to(self.ops, self.reseller, customer_key, token).await
    }
}

#[cfg(test)]
mod tests {
    use partnerd_domain::plan::SuspensionReason;

    use super::*;
    use crate::testing::{accepted_world, actor, events_of, flexible, ops, place, staff, world};

    #[tokio::test]
    async fn each_operation_checks_its_own_privilege() {
        let ops = ops().await;
        let (admin, customer) = accepted_world(&ops).await;
        let sub = place(&ops, &admin, &customer, "1010020027").await;
        let viewer = staff(&ops, &admin, &["RESELLER_VIEW_CUSTOMERS"]).await;
        let editor = staff(&ops, &admin, &["RESELLER_EDIT_CUSTOMERS"]).await;
        let nobody = staff(&ops, &admin, &["USERS_RETRIEVE"]).await;

        let (seen, domain) = get(&ops, &viewer, &customer.id, &sub.id)
            .await
            .expect("view");
        assert_eq!(
            (seen.id.as_str(), domain.as_str()),
            (sub.id.as_str(), "customer.example")
        );
        assert_eq!(
            get(&ops, &nobody, &customer.id, &sub.id).await.err(),
            Some(OpError::NotAuthorized)
        );
        assert!(listing(&ops, &viewer).await.is_ok());
        assert!(matches!(
            listing(&ops, &nobody).await,
            Err(OpError::NotAuthorized)
        ));

        let bought = insert(
            &ops,
            &viewer,
            &customer.id,
            flexible("1010020028"),
            Ordering::default(),
        )
        .await;
        assert_eq!(bought.err(), Some(OpError::NotAuthorized));
        // Adding customers does not reach the editing of their subscriptions.
        let adder = staff(&ops, &admin, &["RESELLER_ADD_CUSTOMERS"]).await;
        let suspended = change(&ops, &adder, &customer.id, &sub.id, Edit::Suspend).await;
        assert_eq!(suspended.err(), Some(OpError::NotAuthorized));
        let (next, _) = change(&ops, &editor, &customer.id, &sub.id, Edit::Suspend)
            .await
            .expect("edit");
        assert_eq!(
            next.suspension_reasons,
            vec![SuspensionReason::ResellerInitiated]
        );

        // Handing a customer to Google needs the transfer privilege, cancelling does not.
        let refused = delete(
            &ops,
            &editor,
            &customer.id,
            &sub.id,
            Some("transfer_to_direct"),
        )
        .await;
        assert_eq!(refused.err(), Some(OpError::NotAuthorized));
        let transferrer = staff(&ops, &admin, &["RESELLER_TRANSFER_CUSTOMERS"]).await;
        let refused = delete(&ops, &transferrer, &customer.id, &sub.id, Some("cancel")).await;
        assert_eq!(refused.err(), Some(OpError::NotAuthorized));
        delete(
            &ops,
            &transferrer,
            &customer.id,
            &sub.id,
            Some("transfer_to_direct"),
        )
        .await
        .expect("transferred to direct");
        let left = ops
            .store
            .account(&customer.id)
            .await
            .expect("read")
            .expect("customer");
        assert_eq!(left.managed_by, None);
    }

    #[tokio::test]
    async fn two_changes_from_one_reading_commit_one_after_another() {
        let ops = ops().await;
        let (admin_user, customer) = accepted_world(&ops).await;
        let sub = place(&ops, &admin_user, &customer, "1010020027").await;
        let admin = actor(&admin_user);
        let (ops, admin, customer_id, id) = (&ops, &admin, customer.id.as_str(), sub.id.as_str());
        let seats = |n| {
            Edit::Seats(SeatsInput {
                maximum_number_of_seats: Some(n),
                ..Default::default()
            })
        };
        let (a, b) = tokio::join!(
            change(ops, admin, customer_id, id, seats(7)),
            change(ops, admin, customer_id, id, seats(9)),
        );
        let (a, b) = (a.expect("first").0, b.expect("second").0);
        // Both went through, one on top of the other: neither overwrote the other's version.
        assert_eq!(
            [a.version, b.version].iter().max(),
            Some(&(sub.version + 2))
        );
        assert_ne!(a.version, b.version);
        let (stored, _) = get(ops, admin, customer_id, id).await.expect("read");
        assert_eq!(stored.version, sub.version + 2);
        let seat_events = events_of(ops, &admin_user.account_id, "subscription.changeSeats").await;
        assert_eq!(seat_events.len(), 2);
    }

    #[tokio::test]
    async fn a_second_order_of_a_sku_is_a_duplicate() {
        let ops = ops().await;
        let (admin_user, customer) = accepted_world(&ops).await;
        let admin = actor(&admin_user);
        let (ops, admin, key) = (&ops, &admin, customer.id.as_str());
        let order = || insert(ops, admin, key, flexible("1010020027"), Ordering::default());
        let (a, b) = tokio::join!(order(), order());
        let errors: Vec<OpError> = [a, b].into_iter().filter_map(Result::err).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].violations()[0].message,
            "The customer already has a Google Workspace Business Starter subscription."
        );
    }

    #[tokio::test]
    async fn a_change_that_changes_nothing_records_nothing() {
        let ops = ops().await;
        let (admin_user, customer) = accepted_world(&ops).await;
        let sub = place(&ops, &admin_user, &customer, "1010020027").await;
        let admin = actor(&admin_user);
        let (first, _) = change(&ops, &admin, &customer.id, &sub.id, Edit::Suspend)
            .await
            .expect("suspended");
        let (again, _) = change(&ops, &admin, &customer.id, &sub.id, Edit::Suspend)
            .await
            .expect("still suspended");
        assert_eq!(again, first);
        let suspended = events_of(&ops, &admin_user.account_id, "subscription.suspend").await;
        assert_eq!(suspended.len(), 1);
    }

    #[tokio::test]
    async fn events_record_the_actors_name() {
        let ops = ops().await;
        let (admin_user, customer) = accepted_world(&ops).await;
        let editor = staff(&ops, &admin_user, &["RESELLER_EDIT_CUSTOMERS"]).await;
        let sub = place(&ops, &admin_user, &customer, "1010020027").await;
        change(&ops, &editor, &customer.id, &sub.id, Edit::Suspend)
            .await
            .expect("suspended");
        let inserted = events_of(&ops, &admin_user.account_id, "subscription.insert").await;
        assert_eq!(inserted[0].actor, admin_user.primary_email);
        let suspended = events_of(&ops, &admin_user.account_id, "subscription.suspend").await;
        assert_eq!(suspended[0].actor, editor.name());
    }

    #[tokio::test]
    async fn another_resellers_subscription_is_not_found() {
        let ops = ops().await;
        let (admin, customer, _) = world(&ops).await;
        let sub = place(&ops, &admin, &customer, "1010020027").await;
        let (other_admin, other_customer) = crate::testing::second_reseller(&ops).await;
        let other = actor(&other_admin);
        assert_eq!(
            get(&ops, &other, &customer.id, &sub.id).await.err(),
            Some(OpError::NotFound(format!(
                "Subscription {} was not found.",
                sub.id
            )))
        );
        // The path's customer must be the subscription's.
        assert_eq!(
            get(&ops, &actor(&admin), &other_customer.id, &sub.id)
                .await
                .err(),
            Some(not_found(&sub.id))
        );
        let listing = listing(&ops, &other).await.expect("listing");
        let refused = listing.filter(Some(&customer.id), None).await;
        assert!(matches!(refused, Err(OpError::Rules(_))), "{refused:?}");
    }

    #[tokio::test]
    async fn offers_and_previews_agree_with_orders() {
        let ops = ops().await;
        let (admin_user, customer) = accepted_world(&ops).await;
        let admin = actor(&admin_user);
        place(&ops, &admin_user, &customer, "1010020028").await;
        let (_, offered) = offers(&ops, &admin, &customer.id).await.expect("offers");
        // Vault needs a verified domain; the held edition is not offered again.
        assert!(!offered.iter().any(|o| o.sku.sku_id == "Google-Vault"));
        assert!(!offered.iter().any(|o| o.sku.sku_id == "1010020028"));
        let plus = offered
            .iter()
            .find(|o| o.sku.sku_id == "1010020025")
            .expect("an upgrade");
        assert!(plus.is_upgrade());
        let how = Ordering {
            action: Some("switch"),
            source_sku_id: Some("1010020028"),
            ..Default::default()
        };
        let previewed = preview(&ops, &admin, &customer.id, flexible("1010020025"), how)
            .await
            .expect("previewed");
        assert_eq!(previewed.sku_id, "1010020025");
        // A preview places nothing.
        assert!(
            events_of(&ops, &admin_user.account_id, "subscription.switchedFrom")
                .await
                .is_empty()
        );
        let refused = preview(
            &ops,
            &admin,
            &customer.id,
            flexible("Google-Vault"),
            Ordering::default(),
        )
        .await;
        assert_eq!(
            refused.err().map(|e| e.violations()[0].kind),
            Some(partnerd_domain::RuleErrorKind::ConditionNotMet)
        );
        insert(&ops, &admin, &customer.id, flexible("1010020025"), how)
            .await
            .expect("switched");
        assert_eq!(
            events_of(&ops, &admin_user.account_id, "subscription.switchedFrom")
                .await
                .len(),
            1
        );
        let viewer = staff(&ops, &admin_user, &["RESELLER_VIEW_CUSTOMERS"]).await;
        assert_eq!(
            offers(&ops, &viewer, &customer.id).await.err(),
            Some(OpError::NotAuthorized)
        );
        assert_eq!(
            allowed(&ops, &viewer).await.expect("allowed"),
            Allowed::default()
        );
        let all = allowed(&ops, &admin).await.expect("allowed");
        assert!(all.add && all.edit && all.transfer && all.admin_console);
    }
}
