//! Licences (the Licensing API's `licenseAssignments`, and the automatic licensing of new
//! users). Cloud Identity Free is site-wide: every user holds it, up to the cap. Paid SKUs
//! draw on the customer's subscription, whose `licensedNumberOfSeats` follows in the same
//! commit, so two assignments of the last seat cannot both succeed.

use partnerd_domain::catalogue::{self, Sku};
use partnerd_domain::clock::Millis;
use partnerd_domain::customer::Customer;
use partnerd_domain::directory::normalize_path;
use partnerd_domain::event::NewEvent;
use partnerd_domain::licensing::{
    self, AutoLicensing, CLOUD_IDENTITY_FREE_SKU, License, cloud_identity_cap,
    cloud_identity_holders, is_cloud_identity_free, product_name, sku_of,
};
use partnerd_domain::plan::{EventType, PlanName};
use partnerd_domain::subscription::{Notice, Subscription};
use partnerd_domain::user::User;
use partnerd_domain::{Clock, RuleError, RuleErrorKind};
use partnerd_store::{StoreError, Write};

use crate::access;
use crate::privileges::AdminNeed;
use crate::{Actor, Change, OpError, Ops, Prepared, Stamp};

/// A licence as the API shows it: which SKU, held by whom (by e-mail address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub sku: &'static Sku,
    pub email: String,
}

/// The licences of one product (or one SKU) in an account, sorted by SKU, then address.
#[derive(Debug, Clone)]
pub struct Assignments {
    pub account: Customer,
    pub items: Vec<Assignment>,
}

/// What a reassignment request names besides the SKU the user holds now.
#[derive(Debug, Clone, Default)]
pub struct Reassignment {
    pub product_id: Option<String>,
    pub sku_id: Option<String>,
    pub user_id: Option<String>,
}

fn no_license() -> OpError {
    OpError::NotFound("User does not have a license for specified sku and product".into())
}

fn condition(message: &str) -> OpError {
    RuleError {
        kind: RuleErrorKind::ConditionNotMet,
        field: String::new(),
        message: message.into(),
    }
    .into()
}

/// A unique conflict on licences: another request gave the user a licence of the product
/// meanwhile.
fn already_licensed() -> OpError {
    condition("User already has a license for the specified product.")
}

/// What cannot happen once `check_assign` passed (it refuses a missing subscription).
fn no_subscription() -> OpError {
    OpError::Store(StoreError::Backend(
        "a checked assignment has no subscription".into(),
    ))
}

/// The live user a request names (e-mail or id), with its account, if the actor may
/// manage licences there.
async fn user_of(ops: &Ops, actor: &Actor, key: &str) -> Result<(User, Customer), OpError> {
    access::user(ops, actor, key, AdminNeed::Licenses)
        .await?
        .filter(|(u, _)| u.deleted_at.is_none())
        .ok_or_else(|| RuleError::invalid("userId", format!("no user {}", key.trim())).into())
}

/// Whether the user holds Cloud Identity Free now.
async fn holds_cloud_identity(ops: &Ops, account: &Customer, user: &User) -> Result<bool, OpError> {
    let users = ops.store.users_of(&account.id).await?;
    let paid = ops.store.licenses(&account.id).await?.len();
    Ok(cloud_identity_holders(&users, cloud_identity_cap(paid))
        .iter()
        .any(|u| u.id == user.id))
}

/// The customer's live subscription of `sku` with the customer's domain, whichever
/// reseller manages it.
async fn subscription_of(
    ops: &Ops,
    account: &Customer,
    sku: &Sku,
) -> Result<Option<(Subscription, String)>, OpError> {
    Ok(ops
        .store
        .customer_subscriptions(&account.id)
        .await?
        .into_iter()
        .find(|(_, s, _)| s.sku_id == sku.sku_id)
        .map(|(_, s, d)| (s, d)))
}

/// Records in `change` that `delta` more (or fewer) licences are drawn from `sub`.
pub fn track_seats(
    change: &mut Change,
    actor: &str,
    at: Millis,
    domain: &str,
    sub: &Subscription,
    delta: i64,
) {
    let mut next = sub.clone();
    next.licensed_seats = (i64::from(sub.licensed_seats) + delta).max(0) as u32;
    next.version += 1;
    // Flexible plans are billed on assigned licences: resellers are told of each change.
    let notices = if sub.plan == PlanName::Flexible {
        vec![Notice {
            event_type: EventType::LicenseAssignmentChanged,
            cancellation_reason: None,
        }]
    } else {
        Vec::new()
    };
    let stamp = Stamp {
        actor,
        at,
        customer_domain: domain,
    };
    change.subscription(
        &stamp,
        "subscription.licensedSeats",
        Some(sub),
        &next,
        &notices,
    );
}

fn licence_event(change: &mut Change, actor: &str, at: Millis, action: &str, l: &License) {
    change.event(NewEvent {
        at,
        actor: actor.to_string(),
        account_id: Some(l.account_id.clone()),
        action: action.to_string(),
        resource_type: "license".into(),
        resource_id: format!("{}/{}/{}", l.product_id, l.sku_id, l.user_id),
        before: None,
        after: serde_json::to_value(l).ok(),
        event_type: None,
    });
}

/// Adds to `change` the seats and events of the licences automatic licensing gives
/// `user`, new in the unit at `path`, where the subscription has a free seat (a full one
/// is skipped, as Google does); returns the licences, for the caller to record after the
/// user (licences come after users in the table order).
pub async fn auto_assign(
    ops: &Ops,
    change: &mut Change,
    actor: &Actor,
    account: &Customer,
    user: &User,
    path: &str,
) -> Result<Vec<License>, OpError> {
    let mut given = Vec::new();
    let settings = settings(ops, &account.id).await?;
    for sku in settings.skus_for(path) {
        let sub = subscription_of(ops, account, sku).await?;
        if licensing::check_assign(sku, &[], sub.as_ref().map(|(s, _)| s)).is_err() {
            continue;
        }
        let Some((sub, domain)) = sub else { continue };
        let now = ops.clock.now();
        let licence = License {
            account_id: account.id.clone(),
            user_id: user.id.clone(),
            product_id: sku.product_id.to_string(),
            sku_id: sku.sku_id.to_string(),
            created_at: now,
        };
        licence_event(change, actor.name(), now, "license.autoAssign", &licence);
        track_seats(change, actor.name(), now, &domain, &sub, 1);
        given.push(licence);
    }
    Ok(given)
}

/// Adds to `change` the seats and events of the release of every paid licence `user`
/// (being deleted) holds; returns the licences, for the caller to record their deletion
/// in the table order.
pub async fn release_all(
    ops: &Ops,
    change: &mut Change,
    actor: &Actor,
    account: &Customer,
    user: &User,
) -> Result<Vec<License>, OpError> {
    let now = ops.clock.now();
    let mut released = Vec::new();
    for licence in ops.store.licenses_of(&user.id).await? {
        if let Some(sku) = catalogue::sku(&licence.sku_id)
            && let Some((sub, domain)) = subscription_of(ops, account, sku).await?
        {
            track_seats(change, actor.name(), now, &domain, &sub, -1);
        }
        licence_event(change, actor.name(), now, "license.release", &licence);
        released.push(licence);
    }
    Ok(released)
}

/// Whether the user `user_key` holds `sku_id` of `product_id`.
pub async fn get(
    ops: &Ops,
    actor: &Actor,
    product_id: &str,
    sku_id: &str,
    user_key: &str,
) -> Result<Assignment, OpError> {
    // A SKU partnerd does not sell (Google sells more; GAM asks after every one of them)
    // is one nobody holds: 404, as Google answers for a SKU the user lacks. A known SKU
    // under the wrong product stays a bad request.
    let sku = match catalogue::sku(sku_id) {
        Some(_) => Some(sku_of(product_id, sku_id)?),
        None => None,
    };
    let (user, account) = user_of(ops, actor, user_key).await?;
    let Some(sku) = sku else {
        return Err(no_license());
    };
    let holds = if is_cloud_identity_free(sku) {
        holds_cloud_identity(ops, &account, &user).await?
    } else {
        ops.store
            .licenses_of(&user.id)
            .await?
            .iter()
            .any(|l| l.sku_id == sku.sku_id)
    };
    if !holds {
        return Err(no_license());
    }
    Ok(Assignment {
        sku,
        email: user.primary_email,
    })
}

/// Gives the user `user_key` a licence of `sku_id`, drawing a seat of the customer's
/// subscription of it.
pub async fn insert(
    ops: &Ops,
    actor: &Actor,
    product_id: &str,
    sku_id: &str,
    user_key: Option<&str>,
) -> Result<Assignment, OpError> {
    let sku = sku_of(product_id, sku_id)?;
    let key = user_key
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| RuleError::required("userId"))?;
    ops.write(|| async move {
        let (user, account) = user_of(ops, actor, key).await?;
        if is_cloud_identity_free(sku) {
            return Err(if holds_cloud_identity(ops, &account, &user).await? {
                condition("User already has a license for the specified product and SKU.")
            } else {
                condition("Not enough available licenses for the product-SKU pair.")
            });
        }
        let held: Vec<License> = ops.store.licenses_of(&user.id).await?;
        let sub = subscription_of(ops, &account, sku).await?;
        licensing::check_assign(sku, &held, sub.as_ref().map(|(s, _)| s))?;
        let (sub, domain) = sub.ok_or_else(no_subscription)?;
        let now = ops.clock.now();
        let licence = License {
            account_id: account.id.clone(),
            user_id: user.id.clone(),
            product_id: sku.product_id.to_string(),
            sku_id: sku.sku_id.to_string(),
            created_at: now,
        };
        let mut change = Change::new();
        licence_event(&mut change, actor.name(), now, "license.insert", &licence);
        track_seats(&mut change, actor.name(), now, &domain, &sub, 1);
        change.write(Write::InsertLicense(licence));
        let assignment = Assignment {
            sku,
            email: user.primary_email,
        };
        Ok(Prepared::new(change.into_set(), assignment).conflict_means(already_licensed()))
    })
    .await
}

/// Takes the user's licence of `sku_id` back, freeing its seat.
pub async fn delete(
    ops: &Ops,
    actor: &Actor,
    product_id: &str,
    sku_id: &str,
    user_key: &str,
) -> Result<(), OpError> {
    let sku = sku_of(product_id, sku_id)?;
    if is_cloud_identity_free(sku) {
        return Err(condition(
            "Auto license un-assignment is not allowed: Cloud Identity Free goes with every user.",
        ));
    }
    ops.write(|| async move {
        let (user, account) = user_of(ops, actor, user_key).await?;
        let licence = ops
            .store
            .licenses_of(&user.id)
            .await?
            .into_iter()
            .find(|l| l.sku_id == sku.sku_id)
            .ok_or_else(no_license)?;
        let now = ops.clock.now();
        let mut change = Change::new();
        licence_event(&mut change, actor.name(), now, "license.delete", &licence);
        if let Some((sub, domain)) = subscription_of(ops, &account, sku).await? {
            track_seats(&mut change, actor.name(), now, &domain, &sub, -1);
        }
        change.write(Write::DeleteLicense(licence));
        Ok(Prepared::new(change.into_set(), ()).conflict_means(already_licensed()))
    })
    .await
}

/// Moves the user's licence from `sku_id` to the SKU `to` names, within one product: a
/// seat is freed on the one subscription and drawn on the other.
pub async fn reassign(
    ops: &Ops,
    actor: &Actor,
    product_id: &str,
    sku_id: &str,
    user_key: &str,
    to: &Reassignment,
) -> Result<Assignment, OpError> {
    let from = sku_of(product_id, sku_id)?;
    let target_product = to.product_id.as_deref().unwrap_or(product_id);
    if target_product != product_id {
        return Err(condition("Licenses cannot be reassigned across products."));
    }
    let target = match to.sku_id.as_deref() {
        Some(s) => sku_of(product_id, s)?,
        None => return Err(RuleError::required("skuId").into()),
    };
    if to
        .user_id
        .as_deref()
        .is_some_and(|u| !u.eq_ignore_ascii_case(user_key))
    {
        return Err(condition("Licenses cannot be reassigned to another user."));
    }
    if target.sku_id == from.sku_id {
        return Err(condition(
            "The user already has this SKU: reassign to a different SKU.",
        ));
    }
    if is_cloud_identity_free(from) || is_cloud_identity_free(target) {
        return Err(condition(
            "Cloud Identity Free is assigned automatically; it cannot be switched.",
        ));
    }
    ops.write(|| async move {
        let (user, account) = user_of(ops, actor, user_key).await?;
        let licences = ops.store.licenses_of(&user.id).await?;
        let current = licences
            .iter()
            .find(|l| l.sku_id == from.sku_id)
            .cloned()
            .ok_or_else(no_license)?;
        let others: Vec<License> = licences
            .iter()
            .filter(|l| l.product_id != product_id)
            .cloned()
            .collect();
        let target_sub = subscription_of(ops, &account, target).await?;
        licensing::check_assign(target, &others, target_sub.as_ref().map(|(s, _)| s))?;
        let (target_sub, domain) = target_sub.ok_or_else(no_subscription)?;
        let now = ops.clock.now();
        let moved = License {
            sku_id: target.sku_id.to_string(),
            created_at: now,
            ..current.clone()
        };
        let mut change = Change::new();
        licence_event(&mut change, actor.name(), now, "license.reassign", &moved);
        if let Some((from_sub, from_domain)) = subscription_of(ops, &account, from).await? {
            track_seats(&mut change, actor.name(), now, &from_domain, &from_sub, -1);
        }
        track_seats(&mut change, actor.name(), now, &domain, &target_sub, 1);
        // The licence's key is the user and product: the old one goes before the new.
        change.write(Write::DeleteLicense(current));
        change.write(Write::InsertLicense(moved));
        let assignment = Assignment {
            sku: target,
            email: user.primary_email,
        };
        Ok(Prepared::new(change.into_set(), assignment).conflict_means(already_licensed()))
    })
    .await
}

/// The licences of `product_id` (of `sku_id` only, when given) in the account
/// `customer_key` names (its id; the guide's examples pass its domain), Cloud Identity
/// Free's holders included.
pub async fn list(
    ops: &Ops,
    actor: &Actor,
    product_id: &str,
    sku_id: Option<&str>,
    customer_key: Option<&str>,
) -> Result<Assignments, OpError> {
    if product_name(product_id).is_none() {
        return Err(RuleError::invalid("productId", format!("'{product_id}'")).into());
    }
    let only_sku = match sku_id {
        Some(s) => Some(sku_of(product_id, s)?),
        None => None,
    };
    let key = customer_key
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| RuleError::required("customerId"))?;
    let account = ops
        .store
        .account(key)
        .await?
        .ok_or_else(OpError::not_administrable)?;
    access::check(ops, actor, &account, AdminNeed::Licenses).await?;
    let users = ops.store.users_of(&account.id).await?;
    let email_of = |id: &str| {
        users
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.primary_email.clone())
    };
    let licences = ops.store.licenses(&account.id).await?;
    let mut items = Vec::new();
    for l in licences.iter().filter(|l| l.product_id == product_id) {
        if let (Some(sku), Some(email)) = (catalogue::sku(&l.sku_id), email_of(&l.user_id)) {
            items.push(Assignment { sku, email });
        }
    }
    let cloud_identity =
        catalogue::sku(CLOUD_IDENTITY_FREE_SKU).filter(|s| s.product_id == product_id);
    if let Some(sku) = cloud_identity {
        for u in cloud_identity_holders(&users, cloud_identity_cap(licences.len())) {
            items.push(Assignment {
                sku,
                email: u.primary_email.clone(),
            });
        }
    }
    items.retain(|a| only_sku.is_none_or(|o| o.sku_id == a.sku.sku_id));
    items.sort_by(|a, b| (a.sku.sku_id, &a.email).cmp(&(b.sku.sku_id, &b.email)));
    Ok(Assignments { account, items })
}

// ---- automatic licensing ---------------------------------------------------------------

fn setting_name(account_id: &str) -> String {
    format!("auto_licensing:{account_id}")
}

/// The account's automatic licensing (on, without rules, until it is set).
pub async fn settings(ops: &Ops, account_id: &str) -> Result<AutoLicensing, OpError> {
    Ok(ops
        .store
        .setting(&setting_name(account_id))
        .await?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

async fn configured_account(ops: &Ops, actor: &Actor, key: &str) -> Result<Customer, OpError> {
    let account = ops
        .store
        .account(key)
        .await?
        .ok_or_else(|| OpError::NotFound(format!("Customer {key} was not found.")))?;
    match actor {
        // The operator stands in for the platform and is not judged by roles.
        Actor::Operator | Actor::System => {}
        _ => access::check(ops, actor, &account, AdminNeed::Licenses).await?,
    }
    Ok(account)
}

/// The automatic licensing of the account `key` (id or primary domain) names.
pub async fn auto_licensing(ops: &Ops, actor: &Actor, key: &str) -> Result<AutoLicensing, OpError> {
    let account = configured_account(ops, actor, key).await?;
    settings(ops, &account.id).await
}

/// Replaces the account's automatic licensing; each rule's unit must exist. Returns the
/// settings as stored (unit paths normalised).
pub async fn set_auto_licensing(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    mut settings: AutoLicensing,
) -> Result<AutoLicensing, OpError> {
    let account = configured_account(ops, actor, key).await?;
    settings.check()?;
    let units = ops.store.org_units(&account.id).await?;
    for rule in &mut settings.rules {
        let path = normalize_path(&rule.org_unit_path)?;
        if path != "/" && !units.iter().any(|u| u.path.eq_ignore_ascii_case(&path)) {
            return Err(
                RuleError::invalid("rules.orgUnitPath", format!("{path} does not exist")).into(),
            );
        }
        rule.org_unit_path = path;
    }
    let value = serde_json::to_string(&settings)
        .map_err(|e| OpError::Store(StoreError::Backend(e.to_string())))?;
    let event = NewEvent {
        at: ops.clock.now(),
        actor: actor.name().to_string(),
        account_id: Some(account.id.clone()),
        action: "customer.autoLicensing".into(),
        resource_type: "customer".into(),
        resource_id: account.id.clone(),
        before: None,
        after: serde_json::to_value(&settings).ok(),
        event_type: None,
    };
    ops.store
        .put_setting(&setting_name(&account.id), &value, event)
        .await?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use partnerd_domain::licensing::AutoRule;
    use partnerd_domain::user::User;

    use super::*;
    use crate::testing::{actor, events_of, holding, ops, subscribed, user, world};
    use crate::users::{self, UserInput};

    const PRODUCT: &str = "Google-Apps";
    const STARTER: &str = "1010020027";
    const STANDARD: &str = "1010020028";

    async fn seats_of(ops: &Ops, sub: &Subscription) -> u32 {
        ops.store
            .customer_subscriptions(&sub.customer_id)
            .await
            .expect("read")
            .into_iter()
            .find(|(_, s, _)| s.id == sub.id)
            .map(|(_, s, _)| s.licensed_seats)
            .expect("subscription")
    }

    async fn member(ops: &Ops, account: &Customer, local: &str) -> User {
        let u = user(account, local, false);
        ops.commit(Write::InsertUser(u.clone()).into())
            .await
            .expect("user");
        u
    }

    #[tokio::test]
    async fn licences_need_license_management() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        subscribed(&ops, &customer, STARTER, 5).await;
        let ana = member(&ops, &customer, "ana").await;
        let reader = actor(&holding(&ops, &customer, "reader", &["USERS_RETRIEVE"]).await);
        let key = Some(ana.primary_email.as_str());
        let refused = insert(&ops, &reader, PRODUCT, STARTER, key).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        let refused = list(&ops, &reader, PRODUCT, None, Some(&customer.id)).await;
        assert_eq!(
            refused.err().map(|e| e.to_string()),
            Some(OpError::not_administrable().to_string())
        );

        let licenser = actor(&holding(&ops, &customer, "licenser", &["LICENSE_MANAGEMENT"]).await);
        let given = insert(&ops, &licenser, PRODUCT, STARTER, key)
            .await
            .expect("given");
        assert_eq!(
            (given.sku.sku_id, given.email.as_str()),
            (STARTER, "ana@customer.example")
        );
        get(&ops, &licenser, PRODUCT, STARTER, &ana.id)
            .await
            .expect("held");
        // The boss holds Cloud Identity Free without being given it, and it never goes.
        let listed = list(&ops, &licenser, PRODUCT, None, Some(&customer.domain))
            .await
            .expect("list");
        assert!(listed.items.contains(&Assignment {
            sku: given.sku,
            email: ana.primary_email.clone()
        }));
        let refused = delete(
            &ops,
            &actor(&boss),
            "101001",
            CLOUD_IDENTITY_FREE_SKU,
            &boss.id,
        )
        .await;
        assert_eq!(
            refused.err().map(|e| e.violations()[0].kind),
            Some(RuleErrorKind::ConditionNotMet)
        );
        let unknown = insert(
            &ops,
            &licenser,
            PRODUCT,
            STARTER,
            Some("nobody@customer.example"),
        )
        .await;
        assert_eq!(
            unknown.err().map(|e| e.to_string()),
            Some("Invalid value for userId: no user nobody@customer.example".into())
        );
    }

    #[tokio::test]
    async fn the_last_seat_goes_to_one_request_only() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let sub = subscribed(&ops, &customer, STARTER, 1).await;
        let ana = member(&ops, &customer, "ana").await;
        let bea = member(&ops, &customer, "bea").await;
        let boss = actor(&boss);
        // Both read a free seat; the loser's commit conflicts on the subscription's
        // version, and on its second reading the subscription is full.
        let (a, b) = tokio::join!(
            insert(&ops, &boss, PRODUCT, STARTER, Some(&ana.id)),
            insert(&ops, &boss, PRODUCT, STARTER, Some(&bea.id)),
        );
        let refused: Vec<OpError> = [a, b].into_iter().filter_map(Result::err).collect();
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(
            refused[0]
                .to_string()
                .starts_with("Not enough available licenses")
        );
        assert_eq!(seats_of(&ops, &sub).await, 1);
        assert_eq!(
            ops.store.licenses(&customer.id).await.expect("read").len(),
            1
        );
    }

    #[tokio::test]
    async fn seats_follow_every_change_and_events_name_the_actor() {
        let ops = ops().await;
        let (reseller_admin, customer, boss) = world(&ops).await;
        let starter = subscribed(&ops, &customer, STARTER, 5).await;
        let standard = subscribed(&ops, &customer, STANDARD, 5).await;
        let ana = member(&ops, &customer, "ana").await;
        let boss = actor(&boss);
        insert(&ops, &boss, PRODUCT, STARTER, Some(&ana.id))
            .await
            .expect("given");
        assert_eq!(seats_of(&ops, &starter).await, 1);
        let to = Reassignment {
            sku_id: Some(STANDARD.into()),
            ..Default::default()
        };
        let moved = reassign(
            &ops,
            &actor(&reseller_admin),
            PRODUCT,
            STARTER,
            &ana.id,
            &to,
        )
        .await
        .expect("moved");
        assert_eq!(moved.sku.sku_id, STANDARD);
        assert_eq!(seats_of(&ops, &starter).await, 0);
        assert_eq!(seats_of(&ops, &standard).await, 1);
        let again = insert(&ops, &boss, PRODUCT, STARTER, Some(&ana.id)).await;
        assert_eq!(
            again.err().map(|e| e.violations()[0].kind),
            Some(RuleErrorKind::ConditionNotMet)
        );
        // Deleting the user gives its licence back.
        users::delete(&ops, &boss, &ana.id).await.expect("deleted");
        assert_eq!(seats_of(&ops, &standard).await, 0);
        assert!(
            ops.store
                .licenses(&customer.id)
                .await
                .expect("read")
                .is_empty()
        );
        let actor_of =
            |events: Vec<NewEvent>| events.into_iter().map(|e| e.actor).collect::<Vec<_>>();
        assert_eq!(
            actor_of(events_of(&ops, &customer.id, "license.insert").await),
            vec![boss.name().to_string()]
        );
        assert_eq!(
            actor_of(events_of(&ops, &customer.id, "license.reassign").await),
            vec![reseller_admin.primary_email.clone()]
        );
        assert_eq!(
            actor_of(events_of(&ops, &customer.id, "license.release").await),
            vec![boss.name().to_string()]
        );
        // Flexible plans tell the reseller of each change of licensed seats.
        let seat_events = events_of(
            &ops,
            &reseller_admin.account_id,
            "subscription.licensedSeats",
        )
        .await;
        assert_eq!(seat_events.len(), 4);
    }

    #[tokio::test]
    async fn automatic_licensing_licenses_new_users_of_its_units() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let sub = subscribed(&ops, &customer, STARTER, 5).await;
        let rule = |path: &str| AutoLicensing {
            enabled: true,
            rules: vec![AutoRule {
                org_unit_path: path.into(),
                product_id: PRODUCT.into(),
                sku_id: Some(STARTER.into()),
            }],
        };
        let refused =
            set_auto_licensing(&ops, &Actor::Operator, &customer.id, rule("/Sales")).await;
        assert_eq!(
            refused.err().map(|e| e.to_string()),
            Some("Invalid value for rules.orgUnitPath: /Sales does not exist".into())
        );
        let reader = actor(&holding(&ops, &customer, "reader", &["USERS_RETRIEVE"]).await);
        let refused = set_auto_licensing(&ops, &reader, &customer.id, rule("/")).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        let missing = auto_licensing(&ops, &Actor::Operator, "nowhere.example").await;
        assert_eq!(
            missing.err(),
            Some(OpError::NotFound(
                "Customer nowhere.example was not found.".into()
            ))
        );

        let stored = set_auto_licensing(&ops, &Actor::Operator, &customer.domain, rule("//"))
            .await
            .expect("set");
        assert_eq!(stored.rules[0].org_unit_path, "/");
        assert_eq!(
            auto_licensing(&ops, &Actor::Operator, &customer.id).await,
            Ok(stored)
        );
        let input = UserInput {
            fields: partnerd_domain::directory::UserFields {
                primary_email: Some("cai@customer.example".into()),
                given_name: Some("Cai".into()),
                family_name: Some("Ng".into()),
                ..Default::default()
            },
            password: Some("correct horse".into()),
            ..Default::default()
        };
        let boss = actor(&boss);
        let cai = users::insert(&ops, &boss, &input).await.expect("made").user;
        let licences = ops.store.licenses(&customer.id).await.expect("read");
        assert_eq!(
            licences
                .iter()
                .map(|l| (l.user_id.as_str(), l.sku_id.as_str()))
                .collect::<Vec<_>>(),
            vec![(cai.id.as_str(), STARTER)]
        );
        assert_eq!(seats_of(&ops, &sub).await, 1);
        let auto = events_of(&ops, &customer.id, "license.autoAssign").await;
        assert_eq!(
            auto.iter().map(|e| e.actor.as_str()).collect::<Vec<_>>(),
            vec![boss.name()]
        );
        let set = events_of(&ops, &customer.id, "customer.autoLicensing").await;
        assert_eq!(
            set.iter().map(|e| e.actor.as_str()).collect::<Vec<_>>(),
            vec!["operator"]
        );
    }
}
