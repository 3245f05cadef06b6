//! The storage suite: every test runs on SQLite, and on PostgreSQL when
//! `PARTNERD_TEST_POSTGRES_URL` is set (each run in a database of its own).

use std::sync::Arc;

use partnerd_domain::auth::{AccessGrant, ServiceAccount, ServiceAccountKey, Subject};
use partnerd_domain::customer::{Customer, CustomerType, PostalAddress};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::user::User;
use partnerd_store::{NewReseller, NewServiceAccount, Store, StoreError, Write};

/// A store to test, and what must be cleaned up after it.
struct Backend {
    name: &'static str,
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
    url: String,
}

async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = partnerd_store::open(&url).await.expect("open sqlite");
    Backend {
        name: "sqlite",
        store,
        _dir: Some(dir),
        url,
    }
}

async fn postgres() -> Option<Backend> {
    let base = std::env::var("PARTNERD_TEST_POSTGRES_URL").ok()?;
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("connect to PARTNERD_TEST_POSTGRES_URL");
    tokio::spawn(connection);
    let name = format!("partnerd_store_{}", ids::random_hex(6));
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    let url = match base.rfind('/') {
        Some(i) if base[..i].contains("://") && i > base.find("://").unwrap_or(0) + 2 => {
            format!("{}/{name}", &base[..i])
        }
        _ => format!("{base}/{name}"),
    };
    let store = partnerd_store::open(&url).await.expect("open postgres");
    Some(Backend {
        name: "postgres",
        store,
        _dir: None,
        url,
    })
}

async fn backends() -> Vec<Backend> {
    let mut all = vec![sqlite().await];
    all.extend(postgres().await);
    all
}

fn event(action: &str, id: &str) -> NewEvent {
    NewEvent {
        at: 1,
        actor: "test".into(),
        account_id: Some("C0reseller".into()),
        action: action.into(),
        resource_type: "customer".into(),
        resource_id: id.into(),
        before: None,
        after: Some(serde_json::json!({"id": id})),
        event_type: None,
    }
}

fn customer(domain: &str, managed_by: Option<&str>) -> Customer {
    Customer {
        id: ids::new_customer_id(),
        domain: domain.into(),
        customer_type: CustomerType::Domain,
        managed_by: managed_by.map(str::to_string),
        alternate_email: Some("ops@elsewhere.example".into()),
        phone_number: None,
        postal_address: PostalAddress {
            contact_name: Some("Ana".into()),
            country_code: Some("US".into()),
            ..Default::default()
        },
        primary_admin_email: None,
        domain_verified: false,
        created_at: 42,
        reseller_public_id: None,
        tos_accepted_at: None,
        language: "en".into(),
        reseller_access: true,
        education: false,
        version: 1,
    }
}

async fn reseller(store: &dyn Store, domain: &str) -> NewReseller {
    let mut account = customer(domain, None);
    account.reseller_public_id = Some(ids::new_public_reseller_id());
    let admin = User {
        id: ids::new_numeric_id(),
        account_id: account.id.clone(),
        primary_email: format!("admin@{domain}"),
        given_name: "Ad".into(),
        family_name: "Min".into(),
        password_hash: "$argon2id$stub".into(),
        is_super_admin: true,
        suspended: false,
        created_at: 1,
        org_unit_id: None,
        change_password_at_next_login: false,
        language: "en".into(),
        deleted_at: None,
        version: 1,
    };
    let r = NewReseller { account, admin };
    store
        .create_reseller(&r, event("reseller.create", &r.account.id))
        .await
        .expect("reseller");
    r
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}.example", ids::random_hex(4))
}

#[tokio::test]
async fn customers_round_trip_by_id_and_domain() {
    for b in backends().await {
        let s = b.store.as_ref();
        assert!(s.is_empty().await.expect("is_empty"), "{}", b.name);
        let r = reseller(s, &unique("r")).await;
        assert!(!s.is_empty().await.expect("is_empty"));
        let c = customer(&unique("c"), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("insert");
        assert_eq!(
            s.account(&c.id).await.expect("by id"),
            Some(c.clone()),
            "{}",
            b.name
        );
        let upper = c.domain.to_ascii_uppercase();
        assert_eq!(
            s.account(&upper).await.expect("by domain"),
            Some(c.clone()),
            "{}",
            b.name
        );
        assert_eq!(s.account("unknown.example").await.expect("missing"), None);
        assert_eq!(s.account("C0zzzzzzz").await.expect("missing id"), None);
    }
}

#[tokio::test]
async fn a_customer_inserted_in_a_write_set_keeps_its_education_flag() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let mut school = customer(&unique("school"), Some(&r.account.id));
        school.education = true;
        s.apply(Write::InsertCustomer(school.clone()).into())
            .await
            .expect("insert");
        assert_eq!(
            s.account(&school.id).await.expect("read"),
            Some(school.clone()),
            "{}",
            b.name
        );
        let mut plain = school.clone();
        plain.education = false;
        plain.version += 1;
        s.apply(
            Write::UpdateCustomer {
                before: school.clone(),
                after: plain.clone(),
            }
            .into(),
        )
        .await
        .expect("update");
        assert_eq!(s.account(&school.domain).await.expect("read"), Some(plain));
        // A taken domain is the same conflict as through insert_customer.
        let twin = customer(&school.domain, Some(&r.account.id));
        assert_eq!(
            s.apply(Write::InsertCustomer(twin).into()).await,
            Err(StoreError::Conflict("accounts_domain_key".into())),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn a_domain_exists_once_and_failed_writes_leave_no_event() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let c = customer(&unique("c"), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("insert");
        let before = s.events(None, 0, 1000).await.expect("events").len();
        let twin = customer(&c.domain, Some(&r.account.id));
        let err = s
            .insert_customer(&twin, event("customer.insert", &twin.id))
            .await;
        assert_eq!(
            err,
            Err(StoreError::Conflict("accounts_domain_key".into())),
            "{}",
            b.name
        );
        // Reseller domains count too.
        let clash = customer(&r.account.domain, Some(&r.account.id));
        assert!(matches!(
            s.insert_customer(&clash, event("x", &clash.id)).await,
            Err(StoreError::Conflict(_))
        ));
        let after = s.events(None, 0, 1000).await.expect("events").len();
        assert_eq!(
            before, after,
            "{}: a refused write appended an event",
            b.name
        );
        assert_eq!(s.account(&twin.id).await.expect("read"), None);
    }
}

#[tokio::test]
async fn concurrent_inserts_of_one_domain_have_one_winner() {
    for b in backends().await {
        let r = reseller(b.store.as_ref(), &unique("r")).await;
        let domain = unique("race");
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let store = b.store.clone();
            let c = customer(&domain, Some(&r.account.id));
            tasks.push(tokio::spawn(async move {
                store
                    .insert_customer(&c, event("customer.insert", &c.id))
                    .await
            }));
        }
        let mut wins = 0;
        for t in tasks {
            match t.await.expect("join") {
                Ok(()) => wins += 1,
                Err(StoreError::Conflict(name)) => assert_eq!(name, "accounts_domain_key"),
                Err(e) => panic!("{}: unexpected {e}", b.name),
            }
        }
        assert_eq!(wins, 1, "{}", b.name);
    }
}

#[tokio::test]
async fn updates_are_optimistic_and_recorded() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let c = customer(&unique("c"), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("insert");
        let mut next = c.clone();
        next.phone_number = Some("+1 650-253-0000".into());
        next.version += 1;
        s.update_customer(&c, &next, event("customer.patch", &c.id))
            .await
            .expect("update");
        assert_eq!(s.account(&c.id).await.expect("read"), Some(next.clone()));
        // A second writer that read the old version loses.
        let mut late = c.clone();
        late.alternate_email = Some("late@else.example".into());
        late.version += 1;
        assert_eq!(
            s.update_customer(&c, &late, event("customer.patch", &c.id))
                .await,
            Err(StoreError::Stale),
            "{}",
            b.name
        );
        let events = s.events(Some("C0reseller"), 0, 1000).await.expect("events");
        let actions: Vec<&str> = events
            .iter()
            .filter(|e| e.event.resource_id == c.id)
            .map(|e| e.event.action.as_str())
            .collect();
        assert_eq!(
            actions,
            vec!["customer.insert", "customer.patch"],
            "{}",
            b.name
        );
        assert!(events.windows(2).all(|w| w[0].id < w[1].id));
        let page = s
            .events(Some("C0reseller"), events[0].id, 1)
            .await
            .expect("page");
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].id, events[1].id);
    }
}

#[tokio::test]
async fn service_accounts_keys_delegation_and_grants() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let user = s
            .user_by_email(&r.admin.primary_email.to_uppercase())
            .await
            .expect("user");
        assert_eq!(user, Some(r.admin.clone()), "{}", b.name);
        let sa = NewServiceAccount {
            account: ServiceAccount {
                client_id: ids::new_numeric_id(),
                account_id: r.account.id.clone(),
                email: format!("sa-{}@p.iam.gserviceaccount.com", ids::random_hex(3)),
                created_at: 5,
            },
            key: ServiceAccountKey {
                key_id: ids::new_key_id(),
                client_id: String::new(),
                public_key_pem: "PEM".into(),
                created_at: 5,
            },
            delegated_scopes: vec!["a".into(), "b".into()],
        };
        let mut sa = sa;
        sa.key.client_id = sa.account.client_id.clone();
        s.create_service_account(&sa, event("sa.create", &sa.account.client_id))
            .await
            .expect("sa");
        let (found_sa, found_key) = s
            .service_account_key(&sa.key.key_id)
            .await
            .expect("key")
            .expect("some");
        assert_eq!(found_sa, sa.account);
        assert_eq!(found_key, sa.key);
        assert_eq!(
            s.service_account_by_email(&sa.account.email)
                .await
                .expect("by email"),
            Some(sa.account.clone())
        );
        assert_eq!(
            s.service_account_by_email("nobody@p.iam.gserviceaccount.com")
                .await
                .expect("none"),
            None
        );
        let second = ServiceAccountKey {
            key_id: ids::new_key_id(),
            client_id: sa.account.client_id.clone(),
            public_key_pem: "PEM2".into(),
            created_at: 7,
        };
        s.add_service_account_key(&second, event("sa.keys.create", &sa.account.client_id))
            .await
            .expect("second key");
        let keys = s
            .service_account_keys_of(&sa.account.email)
            .await
            .expect("keys");
        assert_eq!(
            keys,
            vec![
                (sa.account.clone(), second.clone()),
                (sa.account.clone(), sa.key.clone())
            ],
            "newest first, {}",
            b.name
        );
        assert!(
            s.service_account_keys_of("nobody@p.iam.gserviceaccount.com")
                .await
                .expect("none")
                .is_empty()
        );
        assert_eq!(
            s.delegated_scopes(&r.account.id, &sa.account.client_id)
                .await
                .expect("scopes"),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(
            s.delegated_scopes("C0other000", &sa.account.client_id)
                .await
                .expect("none"),
            None
        );

        let grant = AccessGrant {
            digest: ids::secret_digest("token"),
            client_id: sa.account.client_id.clone(),
            account_id: r.account.id.clone(),
            subject: Some(Subject {
                user_id: r.admin.id.clone(),
                email: r.admin.primary_email.clone(),
            }),
            scopes: vec!["a".into()],
            expires_at: 10_000_000,
        };
        s.apply(Write::InsertAccessGrant(grant.clone()).into())
            .await
            .expect("grant");
        assert_eq!(
            s.access_grant(&grant.digest).await.expect("read"),
            Some(grant.clone()),
            "{}",
            b.name
        );
        assert_eq!(s.access_grant("nope").await.expect("read"), None);
    }
}

#[tokio::test]
async fn the_clock_offset_accumulates_atomically() {
    for b in backends().await {
        let s = b.store.clone();
        assert_eq!(s.clock_offset().await.expect("offset"), 0);
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                s.advance_clock(1000, event("clock.advance", "clock")).await
            }));
        }
        for t in tasks {
            t.await.expect("join").expect("advance");
        }
        assert_eq!(
            s.clock_offset().await.expect("offset"),
            10_000,
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn confirmed_writes_survive_reopening() {
    for b in backends().await {
        let r = reseller(b.store.as_ref(), &unique("r")).await;
        let c = customer(&unique("c"), Some(&r.account.id));
        b.store
            .insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("insert");
        // A second handle on the same database, as another process would open it.
        let again = partnerd_store::open(&b.url).await.expect("reopen");
        assert_eq!(
            again.account(&c.id).await.expect("read"),
            Some(c),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn many_concurrent_writes_share_commits_and_all_land() {
    for b in backends().await {
        let r = reseller(b.store.as_ref(), &unique("r")).await;
        let mut tasks = Vec::new();
        for i in 0..200 {
            let store = b.store.clone();
            // Every tenth write collides with an earlier one and must fail alone.
            let domain = if i % 10 == 9 {
                format!("bulk-{}.example", i - 1)
            } else {
                format!("bulk-{i}.example")
            };
            let c = customer(&domain, Some(&r.account.id));
            tasks.push(tokio::spawn(async move {
                let result = store
                    .insert_customer(&c, event("customer.insert", &c.id))
                    .await;
                (c, result)
            }));
        }
        let mut ok = 0;
        for t in tasks {
            let (c, result) = t.await.expect("join");
            match result {
                Ok(()) => {
                    ok += 1;
                    assert_eq!(b.store.account(&c.id).await.expect("read"), Some(c));
                }
                Err(StoreError::Conflict(_)) => {
                    assert_eq!(b.store.account(&c.id).await.expect("read"), None)
                }
                Err(e) => panic!("{}: {e}", b.name),
            }
        }
        assert_eq!(ok, 180, "{}", b.name);
    }
}

#[tokio::test]
async fn an_in_memory_database_works() {
    let s = partnerd_store::open("sqlite::memory:")
        .await
        .expect("memory");
    let r = reseller(s.as_ref(), &unique("r")).await;
    let c = customer(&unique("c"), Some(&r.account.id));
    s.insert_customer(&c, event("customer.insert", &c.id))
        .await
        .expect("insert");
    assert_eq!(s.account(&c.domain).await.expect("read"), Some(c));
}

#[tokio::test]
async fn unsupported_urls_are_refused() {
    assert!(partnerd_store::open("mysql://x").await.is_err());
    assert!(partnerd_store::open("sqlite://").await.is_err());
}

// ---- subscriptions, transfers, notifications ------------------------------------------

use partnerd_domain::plan::PlanName;
use partnerd_domain::subscription::Subscription;
use partnerd_domain::transfer::TransferToken;
use partnerd_store::{Lease, Push, SubscriptionFilter, TokenDeletion, WriteSet};

fn subscription(
    customer: &Customer,
    reseller_id: &str,
    sku: &str,
    due_at: Option<i64>,
) -> Subscription {
    Subscription {
        id: ids::new_numeric_id(),
        customer_id: customer.id.clone(),
        reseller_id: reseller_id.into(),
        sku_id: sku.into(),
        plan: PlanName::Trial,
        commitment: None,
        seats: 5,
        licensed_seats: 0,
        renewal_type: None,
        purchase_order_id: None,
        deal_code: None,
        suspension_reasons: Vec::new(),
        in_trial: due_at.is_some(),
        trial_end: due_at,
        pending_plan: None,
        created_at: 1,
        cancelled: None,
        version: 1,
    }
}

fn inserting(subs: Vec<Subscription>) -> WriteSet {
    subs.into_iter().map(Write::InsertSubscription).collect()
}

#[tokio::test]
async fn subscriptions_are_per_reseller_and_one_live_per_sku() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let other = reseller(s, &unique("o")).await;
        let c = customer(&unique("c"), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("customer");
        let sub = subscription(&c, &r.account.id, "1010020027", None);
        s.apply(inserting(vec![sub.clone()])).await.expect("insert");
        let (_, found, domain) = s
            .subscription(&r.account.id, &sub.id)
            .await
            .expect("read")
            .expect("found");
        assert_eq!(
            (found, domain),
            (sub.clone(), c.domain.clone()),
            "{}",
            b.name
        );
        assert!(
            s.subscription(&other.account.id, &sub.id)
                .await
                .expect("read")
                .is_none(),
            "tenancy is in the query"
        );

        let twin = subscription(&c, &r.account.id, "1010020027", None);
        let err = s.apply(inserting(vec![twin])).await;
        assert!(
            matches!(err, Err(StoreError::Conflict(ref n)) if n.contains("live_sku")),
            "{}: {err:?}",
            b.name
        );

        // Once cancelled, the SKU may be bought again.
        let mut cancelled = sub.clone();
        cancelled.cancelled = Some(partnerd_domain::subscription::Cancellation {
            at: 2,
            reason: partnerd_domain::plan::CancellationReason::ResellerInitiated,
        });
        cancelled.version += 1;
        s.apply(
            Write::UpdateSubscription {
                version_read: sub.version,
                after: cancelled,
            }
            .into(),
        )
        .await
        .expect("cancel");
        assert!(
            s.subscription(&r.account.id, &sub.id)
                .await
                .expect("read")
                .is_none()
        );
        let again = subscription(&c, &r.account.id, "1010020027", None);
        s.apply(inserting(vec![again])).await.expect("re-buy");
    }
}

#[tokio::test]
async fn a_stale_update_writes_nothing_of_its_set() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let c = customer(&unique("c"), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("customer");
        let sub = subscription(&c, &r.account.id, "1010020027", None);
        s.apply(inserting(vec![sub.clone()])).await.expect("insert");
        let events_before = s.events(None, 0, 10_000).await.expect("events").len();
        let mut next = sub.clone();
        next.seats = 9;
        next.version += 1;
        let extra = subscription(&c, &r.account.id, "Google-Vault", None);
        let stale = WriteSet::from(vec![
            Write::UpdateSubscription {
                version_read: sub.version + 7,
                after: next,
            },
            Write::InsertSubscription(extra.clone()),
            Write::Event(event("subscription.changeSeats", &sub.id)),
        ]);
        assert_eq!(s.apply(stale).await, Err(StoreError::Stale), "{}", b.name);
        assert!(
            s.subscription(&r.account.id, &extra.id)
                .await
                .expect("read")
                .is_none(),
            "{}: partial write",
            b.name
        );
        assert_eq!(
            s.events(None, 0, 10_000).await.expect("events").len(),
            events_before
        );
    }
}

#[tokio::test]
async fn pages_neither_skip_nor_repeat_under_concurrent_inserts() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let c = customer(&format!("pfx-{}", unique("c")), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("customer");
        let skus = [
            "1010020027",
            "Google-Vault",
            "Google-Drive-storage-20GB",
            "1010010001",
            "101005",
            "1010380001",
            "1010470003",
        ];
        let initial: Vec<Subscription> = skus[..5]
            .iter()
            .map(|k| subscription(&c, &r.account.id, k, None))
            .collect();
        s.apply(inserting(initial.clone())).await.expect("insert");
        let first = s
            .subscriptions_page(&r.account.id, &SubscriptionFilter::All, 0, 2)
            .await
            .expect("page");
        assert_eq!(first.len(), 2);
        // Inserted between pages: must appear once, at the end, and nothing is skipped.
        s.apply(inserting(
            skus[5..]
                .iter()
                .map(|k| subscription(&c, &r.account.id, k, None))
                .collect(),
        ))
        .await
        .expect("more");
        let mut seen: Vec<String> = first.iter().map(|(_, x, _)| x.id.clone()).collect();
        let mut after = first.last().map(|(seq, _, _)| *seq).unwrap_or(0);
        loop {
            let page = s
                .subscriptions_page(&r.account.id, &SubscriptionFilter::All, after, 2)
                .await
                .expect("page");
            if page.is_empty() {
                break;
            }
            after = page.last().map(|(seq, _, _)| *seq).unwrap_or(after);
            seen.extend(page.into_iter().map(|(_, x, _)| x.id));
        }
        let mut unique_ids = seen.clone();
        unique_ids.sort();
        unique_ids.dedup();
        assert_eq!(unique_ids.len(), seen.len(), "{}: repeated", b.name);
        assert_eq!(seen.len(), skus.len(), "{}: skipped", b.name);

        let by_customer = s
            .subscriptions_page(
                &r.account.id,
                &SubscriptionFilter::Customer(c.id.clone()),
                0,
                100,
            )
            .await
            .expect("c");
        assert_eq!(by_customer.len(), skus.len());
        let by_prefix = s
            .subscriptions_page(
                &r.account.id,
                &SubscriptionFilter::DomainPrefix("PFX-".into()),
                0,
                100,
            )
            .await
            .expect("p");
        assert!(
            by_prefix.len() >= skus.len()
                && by_prefix.iter().all(|(_, _, d)| d.starts_with("pfx-")),
            "{}",
            b.name
        );
        let literal = s
            .subscriptions_page(
                &r.account.id,
                &SubscriptionFilter::DomainPrefix("pfx%".into()),
                0,
                100,
            )
            .await
            .expect("l");
        assert!(literal.is_empty(), "{}: LIKE wildcards are escaped", b.name);
    }
}

#[tokio::test]
async fn due_transitions_come_earliest_first() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let c = customer(&unique("c"), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("customer");
        let base = 4_000_000_000_000i64 + i64::from(rand::random::<u16>()) * 1000;
        let late = subscription(&c, &r.account.id, "1010020027", Some(base + 20));
        let early = subscription(&c, &r.account.id, "Google-Vault", Some(base + 10));
        let never = subscription(&c, &r.account.id, "Google-Drive-storage-20GB", None);
        s.apply(inserting(vec![late.clone(), early.clone(), never]))
            .await
            .expect("insert");
        let due: Vec<String> = s
            .due_subscriptions(base + 30, 1000)
            .await
            .expect("due")
            .into_iter()
            .filter(|(_, x, _)| x.customer_id == c.id)
            .map(|(_, x, _)| x.id)
            .collect();
        assert_eq!(due, vec![early.id.clone(), late.id.clone()], "{}", b.name);
        let due: Vec<String> = s
            .due_subscriptions(base + 15, 1000)
            .await
            .expect("due")
            .into_iter()
            .filter(|(_, x, _)| x.customer_id == c.id)
            .map(|(_, x, _)| x.id)
            .collect();
        assert_eq!(due, vec![early.id], "{}", b.name);
    }
}

#[tokio::test]
async fn pushes_queue_only_for_registered_resellers_and_are_claimed_once() {
    for b in backends().await {
        let s = b.store.clone();
        let r = reseller(s.as_ref(), &unique("r")).await;
        let id = r.account.id.clone();
        let push = |n: i64| Push {
            reseller_id: id.clone(),
            message_id: format!("m{n}"),
            payload: serde_json::json!({"n": n}),
            at: 100,
        };
        s.apply(Write::Push(push(0)).into())
            .await
            .expect("unregistered");
        assert!(
            s.claim_pushes(
                1_000,
                Lease {
                    now: 1_000,
                    until: 2_000
                },
                100
            )
            .await
            .expect("claim")
            .iter()
            .all(|i| i.reseller_id != id),
            "{}",
            b.name
        );

        s.set_registration(&id, "sa@x.iam.gserviceaccount.com", true, event("r", &id))
            .await
            .expect("register");
        assert_eq!(
            s.registrations(&id).await.expect("list"),
            vec!["sa@x.iam.gserviceaccount.com".to_string()]
        );
        s.set_push_endpoint(&id, Some("http://127.0.0.1:9/push"), event("p", &id))
            .await
            .expect("endpoint");
        s.apply((1..=10).map(|n| Write::Push(push(n))).collect())
            .await
            .expect("queue");

        let (a, b2) = tokio::join!(
            s.claim_pushes(
                1_000,
                Lease {
                    now: 1_000,
                    until: 2_000
                },
                100
            ),
            s.claim_pushes(
                1_000,
                Lease {
                    now: 1_000,
                    until: 2_000
                },
                100
            )
        );
        let mut mine: Vec<String> = a
            .expect("a")
            .into_iter()
            .chain(b2.expect("b"))
            .filter(|i| i.reseller_id == id)
            .map(|i| i.message_id)
            .collect();
        mine.sort();
        let mut expected: Vec<String> = (1..=10).map(|n| format!("m{n}")).collect();
        expected.sort();
        assert_eq!(mine, expected, "{}: each push claimed exactly once", b.name);

        // Leased until 2000: not due again before; a failed one comes back when rescheduled.
        assert!(
            s.claim_pushes(
                1_500,
                Lease {
                    now: 1_500,
                    until: 3_000
                },
                100
            )
            .await
            .expect("claim")
            .iter()
            .all(|i| i.reseller_id != id)
        );
        let again = s
            .claim_pushes(
                2_000,
                Lease {
                    now: 2_000,
                    until: 3_000,
                },
                100,
            )
            .await
            .expect("claim");
        let first = again
            .iter()
            .find(|i| i.reseller_id == id)
            .expect("lease expired")
            .clone();
        assert_eq!(first.attempts, 1);
        s.finish_delivery(first.id, Ok(2_100))
            .await
            .expect("delivered");
        for i in again
            .iter()
            .filter(|i| i.reseller_id == id && i.id != first.id)
        {
            s.finish_delivery(i.id, Err(10_000))
                .await
                .expect("retry later");
        }
        let later = s
            .claim_pushes(
                10_000,
                Lease {
                    now: 10_000,
                    until: 20_000,
                },
                100,
            )
            .await
            .expect("claim");
        assert_eq!(
            later.iter().filter(|i| i.reseller_id == id).count(),
            9,
            "{}: delivered one is done",
            b.name
        );
        // The platform clock jumping a day ahead does not end a lease held in real time.
        let jumped = s
            .claim_pushes(
                86_400_000,
                Lease {
                    now: 10_001,
                    until: 30_000,
                },
                100,
            )
            .await
            .expect("claim");
        assert!(
            jumped.iter().all(|i| i.reseller_id != id),
            "{}: leased pushes stay with their holder",
            b.name
        );

        s.set_registration(&id, "sa@x.iam.gserviceaccount.com", false, event("u", &id))
            .await
            .expect("unregister");
        assert!(s.registrations(&id).await.expect("list").is_empty());
    }
}

#[tokio::test]
async fn transfer_tokens_and_super_admins() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        assert!(
            s.has_super_admin(&r.account.id).await.expect("admin"),
            "{}",
            b.name
        );
        let c = customer(&unique("c"), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("customer");
        assert!(!s.has_super_admin(&c.id).await.expect("none"));
        let t = TransferToken {
            digest: ids::secret_digest("abc"),
            customer_id: c.id.clone(),
            reseller_id: r.account.id.clone(),
            created_at: 1,
            expires_at: 2,
            product_groups: None,
        };
        s.insert_transfer_token(&t, event("t", &c.id))
            .await
            .expect("token");
        assert_eq!(
            s.transfer_token(&t.digest).await.expect("read"),
            Some(t.clone()),
            "{}",
            b.name
        );
        // The product groups the customer chose are kept as chosen.
        let chosen = TransferToken {
            digest: ids::secret_digest("def"),
            product_groups: Some(vec!["Google-Apps".into(), "Google-Vault".into()]),
            ..t.clone()
        };
        s.insert_transfer_token(&chosen, event("t", &c.id))
            .await
            .expect("token");
        assert_eq!(
            s.transfer_token(&chosen.digest).await.expect("read"),
            Some(chosen),
            "{}",
            b.name
        );
        let public_id = r.account.reseller_public_id.clone().expect("public id");
        assert_eq!(
            s.reseller_by_public_id(&public_id)
                .await
                .expect("read")
                .map(|a| a.id),
            Some(r.account.id.clone())
        );
    }
}

#[tokio::test]
async fn transfer_tokens_are_superseded_spent_and_ended_by_a_move() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r1 = reseller(s, &unique("r1")).await;
        let r2 = reseller(s, &unique("r2")).await;
        let c = customer(&unique("c"), Some(&r1.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("customer");
        let token = |secret: &str, reseller: &str| TransferToken {
            digest: ids::secret_digest(secret),
            customer_id: c.id.clone(),
            reseller_id: reseller.to_string(),
            created_at: 1,
            expires_at: 2,
            product_groups: None,
        };
        let old = token(&unique("old"), &r2.account.id);
        let newer = token(&unique("new"), &r2.account.id);
        let other = token(&unique("other"), &r1.account.id);
        for t in [&old, &newer, &other] {
            s.insert_transfer_token(t, event("t", &c.id))
                .await
                .expect("token");
        }
        let live = |t: &TransferToken| {
            let digest = t.digest.clone();
            async move { s.transfer_token(&digest).await.expect("read").is_some() }
        };
        assert!(!live(&old).await, "{}: a newer token supersedes", b.name);
        assert!(live(&newer).await && live(&other).await, "{}", b.name);

        // The customer moves to r2: r1's token ends, r2's stays until spent.
        let moved = WriteSet::from(vec![
            Write::DeleteTransferTokens(TokenDeletion::OthersOf {
                customer_id: c.id.clone(),
                keep_reseller_id: r2.account.id.clone(),
            }),
            Write::Event(event("customer.transferIn", &c.id)),
        ]);
        s.apply(moved).await.expect("move");
        assert!(!live(&other).await && live(&newer).await, "{}", b.name);
        let spent: WriteSet =
            Write::DeleteTransferTokens(TokenDeletion::One(newer.digest.clone())).into();
        s.apply(spent).await.expect("spend");
        assert!(!live(&newer).await, "{}", b.name);
    }
}

#[tokio::test]
async fn a_users_access_tokens_are_revoked_with_it() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let grant = |secret: &str, user: &User| AccessGrant {
            digest: ids::secret_digest(secret),
            client_id: "1".into(),
            account_id: r.account.id.clone(),
            subject: Some(Subject {
                user_id: user.id.clone(),
                email: user.primary_email.clone(),
            }),
            scopes: vec!["a".into()],
            expires_at: 10_000_000,
        };
        let mut other = r.admin.clone();
        other.id = ids::new_numeric_id();
        let mine = grant(&unique("mine"), &r.admin);
        let theirs = grant(&unique("theirs"), &other);
        let grants = WriteSet::from(vec![
            Write::InsertAccessGrant(mine.clone()),
            Write::InsertAccessGrant(theirs.clone()),
        ]);
        s.apply(grants).await.expect("grants");
        let set: WriteSet = Write::RevokeAccessOf(r.admin.id.clone()).into();
        s.apply(set).await.expect("revoke");
        assert_eq!(
            s.access_grant(&mine.digest).await.expect("read"),
            None,
            "{}",
            b.name
        );
        assert_eq!(
            s.access_grant(&theirs.digest).await.expect("read"),
            Some(theirs),
            "{}",
            b.name
        );
    }
}

// ---- directory, roles, licences -----------------------------------------------------------

use partnerd_domain::directory::OrgUnit;
use partnerd_domain::licensing::License;
use partnerd_domain::roles::{Role, RoleAssignment, ScopeType};

#[tokio::test]
async fn users_units_roles_and_licences_round_trip() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let id = r.account.id.clone();
        let unit = OrgUnit {
            id: format!("id:{}", &ids::new_numeric_id()[..12]),
            account_id: id.clone(),
            name: "Staff".into(),
            description: None,
            path: "/Staff".into(),
            parent_id: None,
            created_at: 1,
            version: 1,
        };
        let mut user = r.admin.clone();
        user.id = ids::new_numeric_id();
        user.primary_email = format!("staff@{}", r.account.domain);
        user.is_super_admin = false;
        user.org_unit_id = Some(unit.id.clone());
        let role = Role {
            id: ids::new_numeric_id()[..17].to_string(),
            account_id: Some(id.clone()),
            name: "Agents".into(),
            description: Some("support".into()),
            privileges: vec!["RESELLER_VIEW_CUSTOMERS".into()],
            is_super_admin: false,
            created_at: 2,
            version: 1,
        };
        let assignment = RoleAssignment {
            id: ids::new_numeric_id()[..17].to_string(),
            account_id: id.clone(),
            role_id: role.id.clone(),
            assigned_to: user.id.clone(),
            scope_type: ScopeType::OrgUnit,
            org_unit_id: Some(unit.id.clone()),
            created_at: 3,
        };
        let licence = License {
            account_id: id.clone(),
            user_id: user.id.clone(),
            product_id: "Google-Apps".into(),
            sku_id: "1010020027".into(),
            created_at: 4,
        };
        s.apply(WriteSet::from(vec![
            Write::InsertUser(user.clone()),
            Write::InsertOrgUnit(unit.clone()),
            Write::InsertRole(role.clone()),
            Write::InsertAssignment(assignment.clone()),
            Write::InsertLicense(licence.clone()),
        ]))
        .await
        .expect("insert all");
        assert_eq!(
            s.org_units(&id).await.expect("units"),
            vec![unit.clone()],
            "{}",
            b.name
        );
        assert_eq!(
            s.user_by_id(&user.id).await.expect("user"),
            Some(user.clone())
        );
        assert_eq!(s.users_of(&id).await.expect("users").len(), 2);
        assert_eq!(s.roles(&id).await.expect("roles"), vec![role.clone()]);
        assert_eq!(
            s.role_assignments(&id).await.expect("assignments"),
            vec![assignment.clone()],
            "{}",
            b.name
        );
        assert_eq!(
            s.licenses(&id).await.expect("licences"),
            vec![licence.clone()]
        );
        // One user's rows, read by user: what users.get shows of it.
        assert_eq!(
            s.role_assignments_of(&id, &user.id).await.expect("held"),
            vec![assignment.clone()],
            "{}",
            b.name
        );
        assert!(
            s.role_assignments_of(&id, &r.admin.id)
                .await
                .expect("held")
                .is_empty()
        );
        assert!(
            s.role_assignments_of("C0other", &user.id)
                .await
                .expect("held")
                .is_empty(),
            "another account's assignments are not this one's"
        );
        assert_eq!(
            s.licenses_of(&user.id).await.expect("licences"),
            vec![licence.clone()]
        );
        assert!(s.licenses_of(&r.admin.id).await.expect("none").is_empty());
        assert_eq!(
            s.super_admins_of(&id)
                .await
                .expect("super admins")
                .into_iter()
                .map(|u| u.id)
                .collect::<Vec<_>>(),
            vec![r.admin.id.clone()],
            "{}",
            b.name
        );
        assert_eq!(s.sign_ins_of(&user.id).await.expect("never"), None);
        s.apply(
            Write::RecordSignIn {
                user_id: user.id.clone(),
                account_id: id.clone(),
                at: 7,
            }
            .into(),
        )
        .await
        .expect("signed in");
        let signed = s.sign_ins_of(&user.id).await.expect("once");
        assert_eq!(
            signed.map(|x| (x.first_at, x.last_at)),
            Some((7, 7)),
            "{}",
            b.name
        );

        // One SKU per product per user: a second licence of the product conflicts.
        let twin = License {
            sku_id: "1010020028".into(),
            ..licence.clone()
        };
        assert!(matches!(
            s.apply(Write::InsertLicense(twin).into()).await,
            Err(StoreError::Conflict(_))
        ));
        // Renames are optimistic too.
        let mut renamed = unit.clone();
        renamed.path = "/People".into();
        renamed.version += 1;
        let rename = || -> WriteSet {
            Write::UpdateOrgUnit {
                before: unit.clone(),
                after: renamed.clone(),
            }
            .into()
        };
        s.apply(rename()).await.expect("rename");
        assert_eq!(s.apply(rename()).await, Err(StoreError::Stale));
        let mut next_user = user.clone();
        next_user.deleted_at = Some(9);
        next_user.version += 1;
        s.apply(WriteSet::from(vec![
            Write::UpdateUser {
                before: user.clone(),
                after: next_user.clone(),
            },
            Write::DeleteRole(role),
            Write::DeleteAssignment(assignment),
            Write::DeleteLicense(licence),
        ]))
        .await
        .expect("delete");
        assert!(s.licenses(&id).await.expect("licences").is_empty());
        assert!(s.roles(&id).await.expect("roles").is_empty());
        assert_eq!(
            s.user_by_id(&user.id)
                .await
                .expect("user")
                .and_then(|u| u.deleted_at),
            Some(9)
        );
        s.apply(Write::DeleteOrgUnit(renamed).into())
            .await
            .expect("delete unit");
        assert!(
            s.org_units(&id).await.expect("units").is_empty(),
            "{}",
            b.name
        );

        s.put_setting("test:setting", "{\"a\":1}", event("s", &id))
            .await
            .expect("setting");
        assert_eq!(
            s.setting("test:setting").await.expect("read").as_deref(),
            Some("{\"a\":1}")
        );
        s.put_setting("test:setting", "2", event("s", &id))
            .await
            .expect("overwrite");
        assert_eq!(
            s.setting("test:setting").await.expect("read").as_deref(),
            Some("2")
        );
    }
}

#[tokio::test]
async fn bulk_seeded_rows_read_back_like_inserted_ones() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let rid = r.account.id.clone();
        let mut customers = Vec::new();
        let mut subs = Vec::new();
        // Seeded without the list's indexes, built after (as the benchmark seeds).
        s.set_list_indexes_aside().await.expect("aside");
        for chunk in 0..3 {
            let cs: Vec<Customer> = (0..100)
                .map(|i| {
                    let mut c = customer(&format!("bulk-{chunk}-{i}.example"), Some(&rid));
                    c.id = format!("C0bulk{chunk}{i:02}");
                    c.phone_number = (i % 2 == 0).then(|| "+1 650-253-0000".to_string());
                    c.tos_accepted_at = Some(7);
                    // The console-only flag travels through COPY like the other columns.
                    c.education = i % 3 == 0;
                    c
                })
                .collect();
            let ss: Vec<Subscription> = cs
                .iter()
                .flat_map(|c| {
                    let mut trial = subscription(c, &rid, "1010020028", Some(1_000 + chunk));
                    trial.seats = 3;
                    let flexible = subscription(c, &rid, "Google-Drive-storage-20GB", None);
                    [trial, flexible]
                })
                .collect();
            s.bulk_seed(&cs, &ss).await.expect("bulk seed");
            customers.extend(cs);
            subs.extend(ss);
        }
        s.build_list_indexes().await.expect("built");
        s.build_list_indexes().await.expect("built twice is fine");
        assert_eq!(customers.len(), 300, "{}", b.name);
        let holding_drive = CustomerQuery {
            holding: partnerd_store::HoldingFilter {
                sku_id: Some("Google-Drive-storage-20GB".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            all_pages(s, &rid, holding_drive, 100).await.len(),
            300,
            "{}",
            b.name
        );
        for c in customers.iter().step_by(7) {
            assert_eq!(s.account(&c.id).await.expect("by id").as_ref(), Some(c));
            assert_eq!(
                s.account(&c.domain).await.expect("by domain").as_ref(),
                Some(c)
            );
            let held = s.customer_subscriptions(&c.id).await.expect("held");
            assert_eq!(held.len(), 2, "{}", b.name);
            assert!(held.iter().all(|(_, _, domain)| domain == &c.domain));
        }
        for sub in subs.iter().step_by(11) {
            let (_, got, _) = s
                .subscription(&rid, &sub.id)
                .await
                .expect("read")
                .expect("found");
            assert_eq!(&got, sub, "{}", b.name);
        }
        // Every seeded subscription comes back exactly once, in seeding order.
        let mut after = 0;
        let mut seen = Vec::new();
        loop {
            let page = s
                .subscriptions_page(&rid, &SubscriptionFilter::All, after, 100)
                .await
                .expect("page");
            let Some((last, _, _)) = page.last() else {
                break;
            };
            after = *last;
            seen.extend(page.into_iter().map(|(_, sub, _)| sub.id));
        }
        let expected: Vec<String> = subs.iter().map(|s| s.id.clone()).collect();
        assert_eq!(seen, expected, "{}", b.name);
        let due = s.due_subscriptions(1_001, 1000).await.expect("due");
        assert_eq!(due.len(), 200, "{}", b.name);
        // The indexes hold: a second live subscription of one SKU is refused, in bulk too.
        let again = subscription(&customers[0], &rid, "1010020028", None);
        assert!(matches!(
            s.bulk_seed(&[], std::slice::from_ref(&again)).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.apply(inserting(vec![again])).await,
            Err(StoreError::Conflict(_))
        ));
        let dup = customer(&customers[5].domain, Some(&rid));
        assert!(matches!(
            s.bulk_seed(&[dup], &[]).await,
            Err(StoreError::Conflict(_))
        ));
    }
}

// ---- console reads -------------------------------------------------------------------------

use partnerd_store::{CustomerCursor, CustomerOrder, CustomerQuery, HoldingPlan};

const HOLDING_PLANS: [HoldingPlan; 3] = [
    HoldingPlan::FromHolders,
    HoldingPlan::WalkListed,
    HoldingPlan::WalkProbed,
];

/// Every page of a reseller's customers for `query`, `size` at a time.
async fn all_pages(s: &dyn Store, reseller: &str, query: CustomerQuery, size: u32) -> Vec<String> {
    let chosen = all_pages_planned(s, reseller, query.clone(), size, None).await;
    // Every plan of a filtered list gives the same pages.
    for plan in HOLDING_PLANS {
        let planned = all_pages_planned(s, reseller, query.clone(), size, Some(plan)).await;
        assert_eq!(planned, chosen, "{plan:?}: {query:?}");
    }
    chosen
}

async fn all_pages_planned(
    s: &dyn Store,
    reseller: &str,
    mut query: CustomerQuery,
    size: u32,
    plan: Option<HoldingPlan>,
) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let page = s
            .customers_page_planned(reseller, &query, size, plan)
            .await
            .expect("page");
        seen.extend(page.iter().map(|c| c.domain.clone()));
        match page.last() {
            Some(last) if page.len() == size as usize => {
                query.after = Some(CustomerCursor::after(last, query.order));
            }
            _ => return seen,
        }
    }
}

#[tokio::test]
async fn customers_are_searched_filtered_sorted_and_paged() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let other = reseller(s, &unique("o")).await;
        let tag = ids::random_hex(3);
        // (domain, organization name, created_at, team?)
        let rows = [
            (format!("acme-{tag}.example"), "Zeta Works", 5, false),
            (format!("beta-{tag}.example"), "Acme Holdings", 3, false),
            (format!("gamma-{tag}.example"), "Gamma 100%", 9, true),
            (format!("delta-{tag}.example"), "acme labs", 9, false),
            (format!("eps-{tag}.example"), "Épsilon", 1, false),
        ];
        for (domain, org, at, team) in &rows {
            let mut c = customer(domain, Some(&r.account.id));
            c.postal_address.organization_name = Some(org.to_string());
            c.created_at = *at;
            if *team {
                c.customer_type = CustomerType::Team;
            }
            s.insert_customer(&c, event("customer.insert", &c.id))
                .await
                .expect("customer");
        }
        let foreign = customer(
            &format!("acme-other-{tag}.example"),
            Some(&other.account.id),
        );
        s.insert_customer(&foreign, event("customer.insert", &foreign.id))
            .await
            .expect("foreign");

        let mut by_domain: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        by_domain.sort();
        let all = all_pages(s, &r.account.id, CustomerQuery::default(), 2).await;
        assert_eq!(all, by_domain, "{}: pages neither skip nor repeat", b.name);

        // "acme" matches a domain and two organization names, in any case, never another
        // reseller's customer; ordered by name.
        let query = CustomerQuery {
            search: Some("ACME".into()),
            order: CustomerOrder::Organization,
            ..Default::default()
        };
        assert_eq!(
            all_pages(s, &r.account.id, query, 1).await,
            vec![
                format!("beta-{tag}.example"),
                format!("delta-{tag}.example"),
                format!("acme-{tag}.example")
            ],
            "{}",
            b.name
        );
        // In the domain order (a domain match merged with two name matches), at any page
        // size.
        for size in [1, 2, 10] {
            let query = CustomerQuery {
                search: Some("acme".into()),
                ..Default::default()
            };
            assert_eq!(
                all_pages(s, &r.account.id, query, size).await,
                vec![
                    format!("acme-{tag}.example"),
                    format!("beta-{tag}.example"),
                    format!("delta-{tag}.example")
                ],
                "{} size {size}",
                b.name
            );
        }
        let newest = CustomerQuery {
            order: CustomerOrder::Newest,
            ..Default::default()
        };
        let newest = all_pages(s, &r.account.id, newest, 2).await;
        assert_eq!(
            newest.last(),
            Some(&format!("eps-{tag}.example")),
            "{}",
            b.name
        );
        assert_eq!(newest.len(), 5);
        let teams = CustomerQuery {
            customer_type: Some(CustomerType::Team),
            ..Default::default()
        };
        assert_eq!(
            all_pages(s, &r.account.id, teams, 10).await,
            vec![format!("gamma-{tag}.example")]
        );
        // LIKE wildcards in a search are plain characters.
        let percent = CustomerQuery {
            search: Some("%".into()),
            ..Default::default()
        };
        assert!(
            all_pages(s, &r.account.id, percent, 10).await.is_empty(),
            "{}",
            b.name
        );
        let accented = CustomerQuery {
            search: Some("épsi".into()),
            ..Default::default()
        };
        assert_eq!(
            all_pages(s, &r.account.id, accented, 10).await,
            vec![format!("eps-{tag}.example")],
            "{}",
            b.name
        );
    }
}

/// Every page in the renewal order, `size` at a time, each cursor from the earliest
/// renewal the test knows for the page's last customer.
async fn all_renewal_pages(
    s: &dyn Store,
    reseller: &str,
    mut query: CustomerQuery,
    size: u32,
    renewal_of: &dyn Fn(&str) -> Option<i64>,
) -> Vec<String> {
    query.order = CustomerOrder::Renewal;
    let chosen = renewal_pages_planned(s, reseller, query.clone(), size, renewal_of, None).await;
    for plan in HOLDING_PLANS {
        let planned =
            renewal_pages_planned(s, reseller, query.clone(), size, renewal_of, Some(plan)).await;
        assert_eq!(planned, chosen, "{plan:?}: {query:?}");
    }
    chosen
}

async fn renewal_pages_planned(
    s: &dyn Store,
    reseller: &str,
    mut query: CustomerQuery,
    size: u32,
    renewal_of: &dyn Fn(&str) -> Option<i64>,
    plan: Option<HoldingPlan>,
) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let page = s
            .customers_page_planned(reseller, &query, size, plan)
            .await
            .expect("page");
        seen.extend(page.iter().map(|c| c.domain.clone()));
        match page.last() {
            Some(last) if page.len() == size as usize => {
                query.after = Some(CustomerCursor::after_renewal(last, renewal_of(&last.id)));
            }
            _ => return seen,
        }
    }
}

#[tokio::test]
async fn customers_are_filtered_by_their_subscriptions_and_ordered_by_renewal() {
    use partnerd_domain::plan::SuspensionReason;
    use partnerd_store::{HeldStatus, HoldingFilter};
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let other = reseller(s, &unique("o")).await;
        let rid = r.account.id.clone();
        let tag = ids::random_hex(3);
        let mut customers = vec![];
        for name in ["a", "b", "c", "d", "e"] {
            let c = customer(&format!("{name}-{tag}.example"), Some(&rid));
            s.insert_customer(&c, event("customer.insert", &c.id))
                .await
                .expect("customer");
            customers.push(c);
        }
        let annual = |c: &Customer, sku: &str, end: i64| {
            let mut sub = subscription(c, &rid, sku, None);
            sub.plan = PlanName::AnnualMonthlyPay;
            sub.commitment = Some((0, end));
            sub
        };
        // a: two annual subscriptions (earliest renewal 300); b: annual renewing at 100,
        // suspended by the reseller; c: Flexible only (no renewal); d: a trial; e: none.
        let mut b_sub = annual(&customers[1], "1010020027", 100);
        b_sub.suspension_reasons = vec![SuspensionReason::ResellerInitiated];
        let mut c_sub = subscription(&customers[2], &rid, "1010020027", None);
        c_sub.plan = PlanName::Flexible;
        let subs = vec![
            annual(&customers[0], "1010020027", 500),
            annual(&customers[0], "1010020028", 300),
            b_sub,
            c_sub,
            subscription(&customers[3], &rid, "1010020027", Some(900)),
        ];
        s.apply(inserting(subs)).await.expect("subscriptions");
        // Another reseller's subscription of `e` is not `e`'s subscription with `r`.
        let foreign = subscription(&customers[4], &other.account.id, "1010020027", None);
        s.apply(inserting(vec![foreign])).await.expect("foreign");

        let domains = |names: &[&str]| -> Vec<String> {
            names.iter().map(|n| format!("{n}-{tag}.example")).collect()
        };
        let filtered = |holding: HoldingFilter| CustomerQuery {
            holding,
            ..Default::default()
        };
        let run = |q: CustomerQuery| all_pages(s, &rid, q, 2);
        assert_eq!(
            run(filtered(HoldingFilter {
                plan: Some(PlanName::AnnualMonthlyPay),
                ..Default::default()
            }))
            .await,
            domains(&["a", "b"]),
            "{}",
            b.name
        );
        assert_eq!(
            run(filtered(HoldingFilter {
                status: Some(HeldStatus::Suspended),
                ..Default::default()
            }))
            .await,
            domains(&["b"]),
            "{}",
            b.name
        );
        assert_eq!(
            run(filtered(HoldingFilter {
                reason: Some(SuspensionReason::ResellerInitiated),
                ..Default::default()
            }))
            .await,
            domains(&["b"]),
            "{}",
            b.name
        );
        assert_eq!(
            run(filtered(HoldingFilter {
                status: Some(HeldStatus::Active),
                sku_id: Some("1010020027".into()),
                ..Default::default()
            }))
            .await,
            domains(&["a", "c", "d"]),
            "{}",
            b.name
        );
        // One subscription must meet every condition: a's 1010020028 renews at 300, its
        // 1010020027 at 500, so "1010020028 renewing from 400" is no one.
        assert!(
            run(filtered(HoldingFilter {
                sku_id: Some("1010020028".into()),
                renews_from: Some(400),
                ..Default::default()
            }))
            .await
            .is_empty(),
            "{}",
            b.name
        );
        assert_eq!(
            run(filtered(HoldingFilter {
                renews_from: Some(100),
                renews_before: Some(301),
                ..Default::default()
            }))
            .await,
            domains(&["a", "b"]),
            "{}",
            b.name
        );
        let without = CustomerQuery {
            without_subscriptions: true,
            ..Default::default()
        };
        assert_eq!(run(without).await, domains(&["e"]), "{}", b.name);

        // Soonest renewal first (b at 100, a at 300 — once, at its earliest), then the
        // customers without a renewal date by domain; pages neither skip nor repeat.
        let renewal = |id: &str| match customers.iter().position(|c| c.id == id) {
            Some(0) => Some(300),
            Some(1) => Some(100),
            _ => None,
        };
        for size in [1, 2, 3, 10] {
            assert_eq!(
                all_renewal_pages(s, &rid, CustomerQuery::default(), size, &renewal).await,
                domains(&["b", "a", "c", "d", "e"]),
                "{} (pages of {size})",
                b.name
            );
        }
        let suspended_by_renewal = CustomerQuery {
            holding: HoldingFilter {
                status: Some(HeldStatus::Active),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            all_renewal_pages(s, &rid, suspended_by_renewal, 1, &renewal).await,
            domains(&["a", "c", "d"]),
            "{}",
            b.name
        );
        // A search with a filter, and a search in the renewal order.
        let searched_annual = CustomerQuery {
            search: Some(format!("B-{tag}")),
            holding: HoldingFilter {
                plan: Some(PlanName::AnnualMonthlyPay),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(run(searched_annual).await, domains(&["b"]), "{}", b.name);
        let searched = CustomerQuery {
            search: Some("a-".into()),
            ..Default::default()
        };
        assert_eq!(
            all_renewal_pages(s, &rid, searched, 1, &renewal).await,
            domains(&["a"]),
            "{}",
            b.name
        );
        // The page's subscriptions read: live ones of this reseller only.
        let ids: Vec<String> = customers.iter().map(|c| c.id.clone()).collect();
        let held = s.customers_subscriptions(&rid, &ids).await.expect("held");
        assert_eq!(held.len(), 5, "{}", b.name);
        assert!(held.iter().all(|(_, sub, _)| sub.reseller_id == rid));
    }
}

#[tokio::test]
async fn a_customers_history_is_its_events_newest_first() {
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("r")).await;
        let c = customer(&unique("c"), Some(&r.account.id));
        s.insert_customer(&c, event("customer.insert", &c.id))
            .await
            .expect("customer");
        let sub = subscription(&c, &r.account.id, "1010020027", None);
        let mut sub_event = event("subscription.insert", &sub.id);
        sub_event.resource_type = "subscription".into();
        sub_event.after = serde_json::to_value(&sub).ok();
        let set = WriteSet::from(vec![
            Write::InsertSubscription(sub.clone()),
            Write::Event(sub_event),
        ]);
        s.apply(set).await.expect("order");
        let other = customer(&unique("x"), Some(&r.account.id));
        s.insert_customer(&other, event("customer.insert", &other.id))
            .await
            .expect("other");

        let history = s
            .customer_history(&c.id, "C0reseller", i64::MAX, 10)
            .await
            .expect("history");
        let actions: Vec<&str> = history.iter().map(|e| e.event.action.as_str()).collect();
        assert_eq!(
            actions,
            ["subscription.insert", "customer.insert"],
            "{}",
            b.name
        );
        let older = s
            .customer_history(&c.id, "C0reseller", history[0].id, 10)
            .await
            .expect("older");
        assert_eq!(older.len(), 1);
        assert_eq!(older[0].event.action, "customer.insert");
        let elsewhere = s
            .customer_history(&c.id, &r.account.id, i64::MAX, 10)
            .await
            .expect("another log");
        assert!(elsewhere.is_empty(), "{}: another reseller's log", b.name);
    }
}

#[tokio::test]
async fn mail_waits_in_the_outbox_leased_and_retried_like_pushes() {
    use partnerd_store::Mail;
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("m")).await;
        let mail = |n: u32| Mail {
            account_id: r.account.id.clone(),
            recipient: format!("person{n}@{}", r.account.domain),
            message_id: format!("{}-{n}", ids::random_hex(4)),
            payload: serde_json::json!({"subject": format!("Hello {n}")}),
            at: 1_000,
        };
        let set = WriteSet::from(vec![
            Write::Event(event("mail.queued", &r.account.id)),
            Write::Mail(mail(1)),
            Write::Mail(mail(2)),
        ]);
        s.apply(set).await.expect("queued");
        let lease = |now: i64| Lease {
            now,
            until: now + 30_000,
        };
        // Pushes and e-mail share the table, never a claim.
        assert!(
            s.claim_pushes(i64::MAX, lease(0), 10)
                .await
                .expect("pushes")
                .iter()
                .all(|i| !i.url.contains('@')),
            "{}",
            b.name
        );
        let first = s.claim_mail(1_000, lease(0), 1).await.expect("claim");
        assert_eq!(first.len(), 1, "{}", b.name);
        assert!(
            first[0].url.starts_with("person"),
            "{}: {:?}",
            b.name,
            first[0]
        );
        assert_eq!(first[0].attempts, 0);
        // Leased: the next claim gets the other one only.
        let second = s.claim_mail(1_000, lease(0), 10).await.expect("claim");
        assert_eq!(second.len(), 1, "{}", b.name);
        assert_ne!(second[0].id, first[0].id);
        s.finish_delivery(first[0].id, Ok(1_500))
            .await
            .expect("sent");
        s.finish_delivery(second[0].id, Err(5_000))
            .await
            .expect("later");
        assert!(
            s.claim_mail(4_999, lease(40_000), 10)
                .await
                .expect("none")
                .is_empty()
        );
        let again = s.claim_mail(5_000, lease(40_000), 10).await.expect("again");
        assert_eq!(again.len(), 1, "{}", b.name);
        assert_eq!((again[0].id, again[0].attempts), (second[0].id, 1));
    }
}

#[tokio::test]
async fn sessions_are_found_by_digest_touched_sparingly_and_ended() {
    use partnerd_domain::session::Session;
    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("s")).await;
        let session = |secret: &str| Session {
            digest: ids::secret_digest(secret),
            user_id: r.admin.id.clone(),
            account_id: r.account.id.clone(),
            created_at: 1_000,
            last_seen_at: 1_000,
            expires_at: 1_000_000,
            data: serde_json::json!({"csrf": "t"}),
        };
        let one = session(&unique("one"));
        let two = session(&unique("two"));
        s.insert_session(&one).await.expect("one");
        s.insert_session(&two).await.expect("two");
        assert_eq!(
            s.session(&one.digest).await.expect("read"),
            Some(one.clone()),
            "{}",
            b.name
        );
        // A use is written only when the stored one is stale; of two at once, one writes.
        assert!(
            !s.touch_session(&one.digest, 30_000, 1_000)
                .await
                .expect("fresh")
        );
        assert!(
            s.touch_session(&one.digest, 90_000, 30_000)
                .await
                .expect("stale")
        );
        assert!(
            !s.touch_session(&one.digest, 90_001, 30_000)
                .await
                .expect("again")
        );
        let read = s.session(&one.digest).await.expect("read").expect("one");
        assert_eq!(read.last_seen_at, 90_000);
        s.set_session_data(&one.digest, &serde_json::json!({"lang": "ja"}))
            .await
            .expect("data");
        assert_eq!(
            s.session(&one.digest)
                .await
                .expect("read")
                .expect("one")
                .data["lang"],
            "ja"
        );
        s.delete_session(&one.digest).await.expect("sign out");
        assert_eq!(s.session(&one.digest).await.expect("read"), None);
        // Ending a user's sessions (suspension, password change) goes with its write set.
        let set: WriteSet = Write::EndSessionsOf(r.admin.id.clone()).into();
        s.apply(set).await.expect("end");
        assert_eq!(
            s.session(&two.digest).await.expect("read"),
            None,
            "{}",
            b.name
        );
        let three = session(&unique("three"));
        s.insert_session(&three).await.expect("three");
        assert_eq!(
            s.delete_expired_sessions(1_000_000).await.expect("expired"),
            1
        );
        assert_eq!(s.session(&three.digest).await.expect("read"), None);
    }
}

#[tokio::test]
async fn blobs_round_trip_in_chunks_while_other_writes_go_on() {
    for b in backends().await {
        let s = b.store.clone();
        let r = reseller(s.as_ref(), &unique("b")).await;
        // 10 MB of varied bytes (not all one value: chunk order matters).
        let data: Vec<u8> = (0..10 * 1024 * 1024u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let id = ids::random_hex(8);
        let upload = {
            let (s, id, data) = (s.clone(), id.clone(), data.clone());
            tokio::spawn(async move { s.put_blob(&id, &data, 1).await })
        };
        // Writes of other requests commit while the upload is under way.
        for n in 0..20 {
            let c = customer(&unique(&format!("w{n}")), Some(&r.account.id));
            s.insert_customer(&c, event("customer.insert", &c.id))
                .await
                .expect("a write beside the upload");
        }
        let info = upload.await.expect("join").expect("upload");
        assert_eq!(info.size, data.len() as u64);
        assert_eq!(info.chunks, 40, "{}", b.name);
        assert_eq!(
            s.blob(&id).await.expect("read").as_deref(),
            Some(&data[..]),
            "{}",
            b.name
        );
        let empty = ids::random_hex(8);
        s.put_blob(&empty, &[], 1).await.expect("empty");
        assert_eq!(s.blob(&empty).await.expect("read"), Some(Vec::new()));
        s.delete_blob(&id).await.expect("delete");
        assert_eq!(s.blob(&id).await.expect("read"), None, "{}", b.name);
        assert_eq!(s.blob("missing").await.expect("read"), None);
    }
}

#[tokio::test]
async fn groups_and_members_round_trip_and_leave_with_what_they_belong_to() {
    use partnerd_domain::groups::{Group, Member, MemberKind, MemberRole};

    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("g")).await;
        let group = |local: &str| Group {
            id: format!("0{}", ids::random_hex(7)),
            account_id: r.account.id.clone(),
            email: format!("{local}@{}", r.account.domain),
            name: local.into(),
            description: String::new(),
            created_at: 1,
            version: 1,
        };
        let (team, leads) = (group("team"), group("leads"));
        let member = |g: &Group, id: &str, email: &str, kind: MemberKind| Member {
            group_id: g.id.clone(),
            account_id: r.account.id.clone(),
            member_id: id.into(),
            email: email.into(),
            role: MemberRole::Member,
            kind,
            delivery: "ALL_MAIL".into(),
            created_at: 2,
        };
        let admin = member(&team, &r.admin.id, &r.admin.primary_email, MemberKind::User);
        let nested = member(&team, &leads.id, &leads.email, MemberKind::Group);
        let in_leads = member(
            &leads,
            &r.admin.id,
            &r.admin.primary_email,
            MemberKind::User,
        );
        s.apply(
            vec![
                Write::InsertGroup(team.clone()),
                Write::InsertGroup(leads.clone()),
                Write::InsertMember(admin.clone()),
                Write::InsertMember(nested.clone()),
                Write::InsertMember(in_leads.clone()),
            ]
            .into(),
        )
        .await
        .expect("groups");
        assert_eq!(
            s.group_by_email(&team.email.to_uppercase())
                .await
                .expect("read"),
            Some(team.clone()),
            "{}",
            b.name
        );
        assert_eq!(
            s.groups_of(&r.account.id).await.expect("read"),
            vec![leads.clone(), team.clone()]
        );
        assert_eq!(
            s.groups_of_member(&r.admin.id).await.expect("read"),
            vec![leads.clone(), team.clone()]
        );
        assert_eq!(
            s.members_of(&team.id).await.expect("read"),
            vec![admin.clone(), nested.clone()]
        );

        // An address taken, or a member added twice, is a conflict that writes nothing.
        let mut twin = group("team");
        twin.id = format!("0{}", ids::random_hex(7));
        let taken = s.apply(Write::InsertGroup(twin).into()).await;
        assert!(
            matches!(taken, Err(StoreError::Conflict(_))),
            "{}: {taken:?}",
            b.name
        );
        let twice = s.apply(Write::InsertMember(admin.clone()).into()).await;
        assert!(
            matches!(twice, Err(StoreError::Conflict(_))),
            "{}: {twice:?}",
            b.name
        );

        let mut promoted = admin.clone();
        promoted.role = MemberRole::Owner;
        let update = Write::UpdateMember {
            before: admin.clone(),
            after: promoted.clone(),
        };
        s.apply(update.clone().into()).await.expect("promoted");
        assert_eq!(
            s.apply(update.into()).await,
            Err(StoreError::Stale),
            "{}: read before the change",
            b.name
        );
        let mut renamed = team.clone();
        renamed.name = "Team".into();
        renamed.version = 2;
        s.apply(
            Write::UpdateGroup {
                before: team.clone(),
                after: renamed.clone(),
            }
            .into(),
        )
        .await
        .expect("renamed");
        assert_eq!(
            s.apply(Write::DeleteGroup(team.clone()).into()).await,
            Err(StoreError::Stale)
        );

        // A deleted group takes its members and the memberships it held; a user leaves all.
        s.apply(Write::DeleteGroup(leads.clone()).into())
            .await
            .expect("deleted");
        assert_eq!(s.group_by_id(&leads.id).await.expect("read"), None);
        assert_eq!(s.members_of(&team.id).await.expect("read"), vec![promoted]);
        s.apply(Write::LeaveGroups(r.admin.id.clone()).into())
            .await
            .expect("left");
        assert!(
            s.memberships_in(&r.account.id)
                .await
                .expect("read")
                .is_empty()
        );
        assert_eq!(
            s.groups_of(&r.account.id).await.expect("read"),
            vec![renamed]
        );
    }
}

#[tokio::test]
async fn aliases_round_trip_name_one_user_and_end_with_it() {
    use partnerd_domain::directory::UserAlias;

    for b in backends().await {
        let s = b.store.as_ref();
        let r = reseller(s, &unique("al")).await;
        let alias = |address: &str| UserAlias {
            alias: format!("{address}@{}", r.account.domain),
            user_id: r.admin.id.clone(),
            account_id: r.account.id.clone(),
            created_at: 3,
        };
        let (sales, info) = (alias("sales"), alias("info"));
        s.apply(
            vec![
                Write::InsertAlias(sales.clone()),
                Write::InsertAlias(info.clone()),
            ]
            .into(),
        )
        .await
        .expect("aliases");
        assert_eq!(
            s.alias(&sales.alias.to_uppercase()).await.expect("read"),
            Some(sales.clone()),
            "{}",
            b.name
        );
        assert_eq!(
            s.aliases_in(&r.account.id).await.expect("read"),
            vec![info.clone(), sales.clone()]
        );
        assert_eq!(
            s.aliases_of(&r.admin.id).await.expect("read"),
            vec![info.clone(), sales.clone()],
            "{}",
            b.name
        );
        let twice = s.apply(Write::InsertAlias(sales.clone()).into()).await;
        assert!(
            matches!(twice, Err(StoreError::Conflict(_))),
            "{}: {twice:?}",
            b.name
        );
        s.apply(Write::DeleteAlias(sales.clone()).into())
            .await
            .expect("deleted");
        assert_eq!(
            s.apply(Write::DeleteAlias(sales.clone()).into()).await,
            Err(StoreError::Stale)
        );
        s.apply(Write::DeleteAliasesOf(r.admin.id.clone()).into())
            .await
            .expect("all gone");
        assert!(
            s.aliases_in(&r.account.id).await.expect("read").is_empty(),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn verified_sites_are_each_resellers_own() {
    use partnerd_domain::site_verification::{SiteKind, VerifiedSite};

    for b in backends().await {
        let s = b.store.as_ref();
        let (r, other) = (
            reseller(s, &unique("sv")).await,
            reseller(s, &unique("sv")).await,
        );
        let site = VerifiedSite {
            id: "dns%3A%2F%2Fexample.com".into(),
            reseller_id: r.account.id.clone(),
            kind: SiteKind::InetDomain,
            identifier: "example.com".into(),
            owners: vec![r.admin.primary_email.clone()],
            verifiers: vec![r.admin.primary_email.clone()],
            created_at: 4,
        };
        s.apply(Write::InsertVerifiedSite(site.clone()).into())
            .await
            .expect("verified");
        let mut theirs = site.clone();
        theirs.reseller_id = other.account.id.clone();
        s.apply(Write::InsertVerifiedSite(theirs.clone()).into())
            .await
            .expect("another reseller may too");
        let twice = s
            .apply(Write::InsertVerifiedSite(site.clone()).into())
            .await;
        assert!(
            matches!(twice, Err(StoreError::Conflict(_))),
            "{}: {twice:?}",
            b.name
        );
        let mut owned = site.clone();
        owned.owners.push("second@example.com".into());
        owned.verifiers.push("second@example.com".into());
        let update = Write::UpdateSiteOwners {
            before: site.clone(),
            after: owned.clone(),
        };
        s.apply(update.clone().into()).await.expect("owners");
        assert_eq!(
            s.apply(update.into()).await,
            Err(StoreError::Stale),
            "{}",
            b.name
        );
        assert_eq!(
            s.verified_sites(&r.account.id).await.expect("read"),
            vec![owned.clone()]
        );
        s.apply(Write::DeleteVerifiedSite(owned.clone()).into())
            .await
            .expect("deleted");
        assert!(
            s.verified_sites(&r.account.id)
                .await
                .expect("read")
                .is_empty()
        );
        assert_eq!(
            s.verified_sites(&other.account.id).await.expect("read"),
            vec![theirs]
        );
    }
}
