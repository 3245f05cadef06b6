//! What the operations' unit tests share: an in-memory store and a small world in it.

use std::sync::Arc;

use partnerd_domain::SystemClock;
use partnerd_domain::customer::{Customer, CustomerType, PostalAddress};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::user::User;
use partnerd_store::{NewReseller, Write, WriteSet};

use crate::{Actor, Ops};

pub async fn ops() -> Ops {
    let store = partnerd_store::open("sqlite::memory:")
        .await
        .expect("store");
    Ops::new(store, Arc::new(SystemClock::default()))
}

pub fn user(account: &Customer, local: &str, super_admin: bool) -> User {
    User {
        id: ids::new_numeric_id(),
        account_id: account.id.clone(),
        primary_email: format!("{local}@{}", account.domain),
        given_name: "A".into(),
        family_name: "B".into(),
        password_hash: String::new(),
        is_super_admin: super_admin,
        suspended: false,
        created_at: 0,
        org_unit_id: None,
        change_password_at_next_login: false,
        language: "en".into(),
        deleted_at: None,
        version: 1,
    }
}

pub fn event(action: &str) -> NewEvent {
    NewEvent {
        at: 0,
        actor: "test".into(),
        account_id: None,
        action: action.into(),
        resource_type: "test".into(),
        resource_id: "test".into(),
        before: None,
        after: None,
        event_type: None,
    }
}

pub fn account(domain: &str, managed_by: Option<&str>) -> Customer {
    Customer {
        id: ids::new_customer_id(),
        domain: domain.into(),
        customer_type: CustomerType::Domain,
        managed_by: managed_by.map(str::to_string),
        alternate_email: None,
        phone_number: None,
        postal_address: PostalAddress::default(),
        primary_admin_email: None,
        domain_verified: false,
        created_at: 0,
        reseller_public_id: managed_by.is_none().then(|| "PUB123".to_string()),
        tos_accepted_at: None,
        language: "en".into(),
        reseller_access: true,
        education: false,
        version: 1,
    }
}

/// A reseller with its super admin, and a customer of it with its own super admin.
pub async fn world(ops: &Ops) -> (User, Customer, User) {
    let reseller = account("reseller.example", None);
    let reseller_admin = user(&reseller, "admin", true);
    ops.store
        .create_reseller(
            &NewReseller {
                account: reseller.clone(),
                admin: reseller_admin.clone(),
            },
            event("reseller.create"),
        )
        .await
        .expect("reseller");
    let customer = account("customer.example", Some(&reseller.id));
    ops.store
        .insert_customer(&customer, event("customer.insert"))
        .await
        .expect("customer");
    let boss = user(&customer, "boss", true);
    ops.commit(Write::InsertUser(boss.clone()).into())
        .await
        .expect("boss");
    (reseller_admin, customer, boss)
}

pub fn actor(u: &User) -> Actor {
    Actor::User {
        account_id: u.account_id.clone(),
        user_id: u.id.clone(),
        email: u.primary_email.clone(),
    }
}

/// A user of `account` holding a custom role made of `privileges` (over the whole account).
pub async fn holding(ops: &Ops, account: &Customer, local: &str, privileges: &[&str]) -> User {
    use partnerd_domain::roles::{Role, RoleAssignment, ScopeType};

    let holder = user(account, local, false);
    let role = Role {
        id: ids::new_numeric_id()[..17].to_string(),
        account_id: Some(account.id.clone()),
        name: format!("{local} role"),
        description: None,
        privileges: privileges.iter().map(|p| p.to_string()).collect(),
        is_super_admin: false,
        created_at: 0,
        version: 1,
    };
    let assignment = RoleAssignment {
        id: ids::new_numeric_id()[..17].to_string(),
        account_id: account.id.clone(),
        role_id: role.id.clone(),
        assigned_to: holder.id.clone(),
        scope_type: ScopeType::Customer,
        org_unit_id: None,
        created_at: 0,
    };
    let set = WriteSet::from(vec![
        Write::InsertUser(holder.clone()),
        Write::InsertRole(role),
        Write::InsertAssignment(assignment),
    ]);
    ops.commit(set).await.expect("holder");
    holder
}

/// A user of the reseller `reseller_admin` belongs to, holding a custom role made of
/// `privileges`.
pub async fn staff(ops: &Ops, reseller_admin: &User, privileges: &[&str]) -> Actor {
    let reseller = ops
        .store
        .account(&reseller_admin.account_id)
        .await
        .expect("read")
        .expect("reseller");
    let local = format!("staff{}", ids::random_hex(3));
    actor(&holding(ops, &reseller, &local, privileges).await)
}

/// `world()` with the Terms of Service accepted, so that subscriptions start active:
/// the reseller's super admin and the customer.
pub async fn accepted_world(ops: &Ops) -> (User, Customer) {
    let (admin, customer, _) = world(ops).await;
    let (accepted, _) = crate::owner::accept_terms(ops, &Actor::Operator, &customer.id)
        .await
        .expect("accepted");
    let customer = ops
        .store
        .account(&accepted.id)
        .await
        .expect("read")
        .expect("customer");
    (admin, customer)
}

/// An order of `sku_id` on the FLEXIBLE plan for at most 5 seats.
pub fn flexible(sku_id: &str) -> partnerd_domain::subscription::Order {
    partnerd_domain::subscription::Order {
        sku_id: Some(sku_id.into()),
        plan_name: Some("FLEXIBLE".into()),
        seats: Some(partnerd_domain::subscription::SeatsInput {
            maximum_number_of_seats: Some(5),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A subscription of `sku_id` bought by the reseller's super admin for `customer`.
pub async fn place(
    ops: &Ops,
    reseller_admin: &User,
    customer: &Customer,
    sku_id: &str,
) -> partnerd_domain::subscription::Subscription {
    let (sub, _) = crate::subscriptions::insert(
        ops,
        &actor(reseller_admin),
        &customer.id,
        flexible(sku_id),
        crate::subscriptions::Ordering::default(),
    )
    .await
    .expect("placed");
    sub
}

/// The events of `account_id` with `action`, oldest first.
pub async fn events_of(ops: &Ops, account_id: &str, action: &str) -> Vec<NewEvent> {
    ops.store
        .events(Some(account_id), 0, 1_000)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.event)
        .filter(|e| e.action == action)
        .collect()
}

/// Another reseller (public ID `PUB456`) with its super admin and a customer of its own.
pub async fn second_reseller(ops: &Ops) -> (User, Customer) {
    let mut reseller = account("second-reseller.example", None);
    reseller.reseller_public_id = Some("PUB456".into());
    let admin = user(&reseller, "admin", true);
    ops.store
        .create_reseller(
            &NewReseller {
                account: reseller.clone(),
                admin: admin.clone(),
            },
            event("reseller.create"),
        )
        .await
        .expect("reseller");
    let customer = account("second-customer.example", Some(&reseller.id));
    ops.store
        .insert_customer(&customer, event("customer.insert"))
        .await
        .expect("customer");
    (admin, customer)
}

/// A live FLEXIBLE subscription of `sku_id` for `customer` (managed by its reseller) with
/// `seats` seats, stored as it is, without an order's rules.
pub async fn subscribed(
    ops: &Ops,
    customer: &Customer,
    sku_id: &str,
    seats: u32,
) -> partnerd_domain::subscription::Subscription {
    let sub = partnerd_domain::subscription::Subscription {
        id: ids::new_numeric_id()[..11].to_string(),
        customer_id: customer.id.clone(),
        reseller_id: customer.managed_by.clone().unwrap_or_default(),
        sku_id: sku_id.into(),
        plan: partnerd_domain::plan::PlanName::Flexible,
        commitment: None,
        seats,
        licensed_seats: 0,
        renewal_type: None,
        purchase_order_id: None,
        deal_code: None,
        suspension_reasons: Vec::new(),
        in_trial: false,
        trial_end: None,
        pending_plan: None,
        created_at: 0,
        cancelled: None,
        version: 1,
    };
    ops.commit(Write::InsertSubscription(sub.clone()).into())
        .await
        .expect("subscription");
    sub
}
