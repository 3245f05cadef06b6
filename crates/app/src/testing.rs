//! What the operations' unit tests share: an in-memory store and a small world in it.

use std::sync::Arc;

use partnerd_domain::SystemClock;
use partnerd_domain::customer::{Customer, CustomerType, PostalAddress};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::user::User;
use partnerd_store::{NewReseller, WriteSet};

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
    let mut set = WriteSet::default();
    set.insert_users.push(boss.clone());
    ops.commit(set).await.expect("boss");
    (reseller_admin, customer, boss)
}

pub fn actor(u: &User) -> Actor {
    Actor::User {
        account_id: u.account_id.clone(),
        user_id: u.id.clone(),
        email: u.primary_email.clone(),
    }
}
