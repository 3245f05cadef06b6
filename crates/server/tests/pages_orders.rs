//! The Partner Sales Console's order flow and subscription actions, in process: what the
//! order form says beside each field, what it offers whom, a refusal said in words, the
//! token every form needs, and tenancy whatever ids a URL carries.

mod common;

use axum::Router;
use axum::http::{StatusCode, header};
use common::*;
use partnerd_domain::customer::{Customer, CustomerType};
use partnerd_domain::plan::PlanName;
use partnerd_domain::subscription::Subscription;
use partnerd_store::{Store, Write};
use scraper::Html;

const STARTER: &str = "1010020027";

/// A customer of `reseller_id`, stored; `accepted` says whether it accepted the Terms.
async fn stored_customer(
    store: &dyn Store,
    reseller_id: &str,
    domain: &str,
    kind: CustomerType,
    verified: bool,
    accepted: bool,
) -> Customer {
    let mut c = customer(domain, &format!("{domain} Ltd"), reseller_id, 0);
    c.customer_type = kind;
    c.domain_verified = verified;
    c.tos_accepted_at = accepted.then_some(1);
    store.insert_customer(&c, event()).await.expect("customer");
    c
}

/// A live subscription stored as it is (for states an order does not make).
async fn stored_subscription(
    store: &dyn Store,
    c: &Customer,
    sku: &str,
    plan: PlanName,
) -> Subscription {
    let sub = Subscription {
        id: partnerd_domain::ids::new_numeric_id()[..11].to_string(),
        customer_id: c.id.clone(),
        reseller_id: c.managed_by.clone().unwrap_or_default(),
        sku_id: sku.into(),
        plan,
        commitment: plan.is_annual().then_some((0, i64::MAX / 2)),
        seats: 5,
        licensed_seats: 0,
        renewal_type: plan.default_renewal(),
        purchase_order_id: None,
        deal_code: None,
        suspension_reasons: vec![],
        in_trial: false,
        trial_end: None,
        pending_plan: None,
        created_at: 0,
        cancelled: None,
        version: 1,
    };
    store
        .apply(Write::InsertSubscription(sub.clone()).into())
        .await
        .expect("subscription");
    sub
}

async fn subscriptions_of(store: &dyn Store, c: &Customer) -> Vec<Subscription> {
    store
        .customer_subscriptions(&c.id)
        .await
        .expect("read")
        .into_iter()
        .map(|(_, s, _)| s)
        .collect()
}

/// The page at `path`, its status and its parsed HTML.
async fn page(router: &Router, path: &str, cookies: &str) -> (StatusCode, Html, String) {
    let (answer, body) = send(router, get(path, cookies)).await;
    (answer.status(), Html::parse_document(&body), body)
}

/// Sends the form on `path` (whose token it reads first) with `fields`.
async fn submit(
    router: &Router,
    form_page: &str,
    action: &str,
    cookies: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Option<String>, Html, String) {
    let (_, html, _) = page(router, form_page, cookies).await;
    let token = hidden(&html, "csrf");
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    let (answer, body) = send(router, post(action, cookies, &all)).await;
    let location = answer
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    (answer.status(), location, Html::parse_document(&body), body)
}

fn field_error(html: &Html, name: &str) -> Option<String> {
    let control = select(html, &format!("[name={name}]:not([type=hidden])"));
    let control = control.first()?;
    if control.value().attr("aria-invalid") != Some("true") {
        return None;
    }
    let described = control.value().attr("aria-describedby")?;
    assert!(described.contains(&format!("{name}-error")), "{described}");
    select(html, &format!("#{name}-error")).first().map(text)
}

fn value_of(html: &Html, name: &str) -> String {
    select(html, &format!("input[name={name}]:not([type=hidden])"))
        .first()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_order_form_says_what_is_wrong_beside_each_field_and_orders_nothing() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let c = stored_customer(
        store.as_ref(),
        &reseller_id,
        "shop.example",
        CustomerType::Domain,
        false,
        false,
    )
    .await;
    let cookies = sign_in(&router).await;
    let customer_path = format!("/partner/customers/{}", c.id);
    let order = format!("{customer_path}/order");

    // The customer page offers New service; the cards offer Select.
    let (_, html, _) = page(&router, &customer_path, &cookies).await;
    let new_service: Vec<_> = select(&html, "a")
        .into_iter()
        .filter(|a| text(a) == "New service")
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(new_service, std::slice::from_ref(&order));
    let (status, html, _) = page(&router, &order, &cookies).await;
    assert_eq!(status, StatusCode::OK);
    let selects = select(&html, "a.button")
        .iter()
        .filter(|a| text(a) == "Select")
        .count();
    assert!(selects > 5, "{selects} products offered");

    let form = format!("{order}?sku={STARTER}");
    let (status, html, _) = page(&router, &form, &cookies).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        select(&html, "label[for=seats]")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["Number of licenses"]
    );

    // Not a number, too many for Business Starter, a purchase order number too long:
    // each said beside its field, with what was typed kept.
    let long_po = "P".repeat(81);
    for (seats, po, field, expected) in [
        (
            "twelve",
            "PO-1",
            "seats",
            "Enter a whole number of licenses.",
        ),
        ("", "PO-1", "seats", "Enter a value."),
        ("400", "PO-1", "seats", "at most 300 seats"),
        ("0", "PO-1", "seats", "must be at least 1"),
        ("3", long_po.as_str(), "po", "at most 80 characters"),
    ] {
        let (status, _, html, _) = submit(
            &router,
            &form,
            &order,
            &cookies,
            &[
                ("sku", STARTER),
                ("from", ""),
                ("plan", "FLEXIBLE"),
                ("seats", seats),
                ("po", po),
                ("deal", ""),
                ("step", "review"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{seats} {po}");
        let error = field_error(&html, field).unwrap_or_else(|| panic!("no error beside {field}"));
        assert!(error.contains(expected), "{error}");
        assert_eq!(value_of(&html, "seats"), seats, "what was typed is kept");
        assert_eq!(value_of(&html, "po"), po);
        // Confirming the same input is refused the same way.
        let (status, location, _, _) = submit(
            &router,
            &form,
            &order,
            &cookies,
            &[
                ("sku", STARTER),
                ("from", ""),
                ("plan", "FLEXIBLE"),
                ("seats", seats),
                ("po", po),
                ("deal", ""),
                ("step", "confirm"),
            ],
        )
        .await;
        assert_eq!((status, location), (StatusCode::UNPROCESSABLE_ENTITY, None));
    }
    assert!(
        subscriptions_of(store.as_ref(), &c).await.is_empty(),
        "nothing was ordered"
    );

    // Valid input: a summary with Confirm order, then the order and its result page.
    let fields = [
        ("sku", STARTER),
        ("from", ""),
        ("plan", "ANNUAL_MONTHLY_PAY"),
        ("seats", "12"),
        ("po", "PO-7"),
        ("deal", ""),
    ];
    let mut review = fields.to_vec();
    review.push(("step", "review"));
    let (status, _, html, body) = submit(&router, &form, &order, &cookies, &review).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Annual Plan (Monthly Payment)") && body.contains("PO-7"));
    assert!(
        select(&html, "button")
            .iter()
            .any(|b| text(b) == "Confirm order")
    );
    assert!(
        subscriptions_of(store.as_ref(), &c).await.is_empty(),
        "a summary orders nothing"
    );
    let mut confirm = fields.to_vec();
    confirm.push(("step", "confirm"));
    let (status, location, _, _) = submit(&router, &form, &order, &cookies, &confirm).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.expect("to the result");
    let held = subscriptions_of(store.as_ref(), &c).await;
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].plan, held[0].seats),
        (PlanName::AnnualMonthlyPay, 12)
    );
    assert_eq!(held[0].purchase_order_id.as_deref(), Some("PO-7"));
    assert!(
        location.ends_with(&format!("/order/done?subscription={}", held[0].id)),
        "{location}"
    );
    let (status, html, body) = page(&router, &location, &cookies).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("stays suspended until an administrator of the customer accepts"),
        "{body}"
    );
    assert!(
        select(&html, "button")
            .iter()
            .any(|b| text(b) == "Send a reminder e-mail")
    );

    // A second order of the same SKU is refused in words, not placed.
    let (status, _, html, _) = submit(&router, &form, &order, &cookies, &confirm).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems: Vec<String> = select(&html, ".problems li").iter().map(text).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("already has this product")),
        "{problems:?}"
    );
    assert_eq!(subscriptions_of(store.as_ref(), &c).await.len(), 1);

    // The history names the order in words, with who placed it.
    let (_, html, _) = page(&router, &customer_path, &cookies).await;
    assert!(
        column(&html, 3).contains(&"Subscription ordered".to_string()),
        "{:?}",
        column(&html, 3)
    );
}

#[tokio::test]
async fn team_and_unverified_customers_are_offered_only_what_they_may_buy() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let team = stored_customer(
        store.as_ref(),
        &reseller_id,
        "team.example",
        CustomerType::Team,
        false,
        true,
    )
    .await;
    let unverified = stored_customer(
        store.as_ref(),
        &reseller_id,
        "new.example",
        CustomerType::Domain,
        false,
        true,
    )
    .await;
    let verified = stored_customer(
        store.as_ref(),
        &reseller_id,
        "old.example",
        CustomerType::Domain,
        true,
        true,
    )
    .await;
    let cookies = sign_in(&router).await;
    let cards =
        |html: &Html| -> Vec<String> { select(html, ".product h2").iter().map(text).collect() };

    let (_, html, body) = page(
        &router,
        &format!("/partner/customers/{}/order", team.id),
        &cookies,
    )
    .await;
    let offered = cards(&html);
    assert!(body.contains("Team customers can buy only Essentials editions."));
    assert_eq!(
        offered,
        [
            "Google Workspace Essentials",
            "Google Workspace Enterprise Essentials",
            "Google Workspace Enterprise Essentials Plus",
            "Cloud Identity"
        ]
    );

    let (_, html, _) = page(
        &router,
        &format!("/partner/customers/{}/order", unverified.id),
        &cookies,
    )
    .await;
    let offered = cards(&html);
    assert!(!offered.iter().any(|n| n.contains("Vault")), "{offered:?}");
    assert!(offered.contains(&"Google Workspace Business Starter".to_string()));
    let (_, html, _) = page(
        &router,
        &format!("/partner/customers/{}/order", verified.id),
        &cookies,
    )
    .await;
    assert!(cards(&html).contains(&"Google Vault".to_string()));

    // Asking for what is not offered anyway: refused in words, nothing ordered.
    for (c, sku) in [(&unverified, "Google-Vault"), (&team, STARTER)] {
        let order = format!("/partner/customers/{}/order", c.id);
        let (status, _, html, _) = submit(
            &router,
            &order,
            &order,
            &cookies,
            &[
                ("sku", sku),
                ("plan", "FLEXIBLE"),
                ("seats", "2"),
                ("step", "confirm"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{sku}");
        assert!(!select(&html, ".problems li").is_empty());
        assert!(subscriptions_of(store.as_ref(), c).await.is_empty());
    }

    // Holding Business Standard, the other editions are offered as Upgrade or Downgrade.
    stored_subscription(store.as_ref(), &verified, "1010020028", PlanName::Flexible).await;
    let (_, html, _) = page(
        &router,
        &format!("/partner/customers/{}", verified.id),
        &cookies,
    )
    .await;
    let actions: Vec<String> = select(&html, "ul.actions a").iter().map(text).collect();
    assert!(
        actions.contains(&"Upgrade".to_string()) && actions.contains(&"Downgrade".to_string()),
        "{actions:?}"
    );
    let (_, html, _) = page(
        &router,
        &format!(
            "/partner/customers/{}/order?from=1010020028&direction=up",
            verified.id
        ),
        &cookies,
    )
    .await;
    let offered = cards(&html);
    assert_eq!(
        offered,
        [
            "Google Workspace Business Plus",
            "Google Workspace Enterprise Starter",
            "Google Workspace Enterprise Standard",
            "Google Workspace Enterprise Plus"
        ]
    );
}

#[tokio::test]
async fn a_refused_action_is_explained_in_words_in_the_pages_language() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let c = stored_customer(
        store.as_ref(),
        &reseller_id,
        "acme.example",
        CustomerType::Domain,
        true,
        true,
    )
    .await;
    let workspace = stored_subscription(store.as_ref(), &c, STARTER, PlanName::Flexible).await;
    let cookies = sign_in(&router).await;
    let base = format!("/partner/customers/{}/subscriptions/{}", c.id, workspace.id);

    // Activating what no reseller suspended: the page again, the refusal in words.
    let (status, _, html, _) = submit(
        &router,
        &format!("{base}/activate"),
        &format!("{base}/activate"),
        &cookies,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems: Vec<String> = select(&html, ".problems li").iter().map(text).collect();
    assert!(
        problems[0].starts_with("Only a suspension by the reseller can be lifted here"),
        "{problems:?}"
    );
    // In French, the same refusal in French.
    let french = format!("{cookies}; partnerd_lang=fr");
    let (status, _, html, _) = submit(
        &router,
        &format!("{base}/activate"),
        &format!("{base}/activate"),
        &french,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems: Vec<String> = select(&html, ".problems li").iter().map(text).collect();
    assert!(
        problems[0].starts_with("Seule une suspension par le revendeur"),
        "{problems:?}"
    );
    // Cancelling a Google Workspace subscription is not offered, and refused in words.
    let (_, html, _) = page(&router, &format!("/partner/customers/{}", c.id), &cookies).await;
    let actions: Vec<String> = select(&html, "ul.actions a").iter().map(text).collect();
    assert!(actions.contains(&"Suspend".to_string()), "{actions:?}");
    assert!(
        !actions.contains(&"Cancel subscription".to_string())
            && !actions.contains(&"Activate".to_string())
    );
    let (status, _, html, _) = submit(
        &router,
        &format!("{base}/cancel"),
        &format!("{base}/cancel"),
        &cookies,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&select(&html, ".problems li")[0]).contains("cannot be cancelled"));
    assert!(subscriptions_of(store.as_ref(), &c).await[0].is_live());
    // More licences than Business Starter allows: said beside the field.
    let (status, _, html, _) = submit(
        &router,
        &format!("{base}/seats"),
        &format!("{base}/seats"),
        &cookies,
        &[("seats", "400")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&html, "seats").is_some_and(|e| e.contains("at most 300")));

    // Suspending works, and the page then offers Activate with a status line.
    let (status, location, _, _) = submit(
        &router,
        &format!("{base}/suspend"),
        &format!("{base}/suspend"),
        &cookies,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.expect("back to the customer");
    assert_eq!(
        location,
        format!("/partner/customers/{}?done=suspend", c.id)
    );
    let (_, html, _) = page(&router, &location, &cookies).await;
    assert_eq!(
        text(&select(&html, "[role=status]")[0]),
        "The subscription was suspended."
    );
    let actions: Vec<String> = select(&html, "ul.actions a").iter().map(text).collect();
    assert!(
        actions.contains(&"Activate".to_string()) && !actions.contains(&"Suspend".to_string()),
        "{actions:?}"
    );
    assert!(column(&html, 3).contains(&"Suspended".to_string()));
    // An unknown action is a 404, not a 500.
    let (status, _, _) = page(&router, &format!("{base}/explode"), &cookies).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_form_without_its_token_changes_nothing() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let c = stored_customer(
        store.as_ref(),
        &reseller_id,
        "acme.example",
        CustomerType::Domain,
        true,
        true,
    )
    .await;
    let sub = stored_subscription(store.as_ref(), &c, STARTER, PlanName::Flexible).await;
    let cookies = sign_in(&router).await;
    let order = format!("/partner/customers/{}/order", c.id);
    for token in ["", "not-the-token"] {
        let (answer, _) = send(
            &router,
            post(
                &order,
                &cookies,
                &[
                    ("csrf", token),
                    ("sku", "Google-Vault"),
                    ("plan", "FLEXIBLE"),
                    ("seats", "2"),
                    ("step", "confirm"),
                ],
            ),
        )
        .await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        let suspend = format!(
            "/partner/customers/{}/subscriptions/{}/suspend",
            c.id, sub.id
        );
        let (answer, _) = send(&router, post(&suspend, &cookies, &[("csrf", token)])).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        let remind = format!("/partner/customers/{}/remind", c.id);
        let (answer, _) = send(&router, post(&remind, &cookies, &[("csrf", token)])).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    }
    let held = subscriptions_of(store.as_ref(), &c).await;
    assert_eq!(held, vec![sub], "nothing ordered, nothing suspended");
}

#[tokio::test]
async fn another_resellers_customers_and_subscriptions_are_not_found_whatever_the_url() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let mine = stored_customer(
        store.as_ref(),
        &reseller_id,
        "mine.example",
        CustomerType::Domain,
        true,
        true,
    )
    .await;
    let my_sub = stored_subscription(store.as_ref(), &mine, STARTER, PlanName::Flexible).await;
    let another = partnerd_server::provision::create_reseller(
        store.as_ref(),
        &partnerd_domain::SystemClock::default(),
        "another.example",
        "admin@another.example",
        PASSWORD,
    )
    .await
    .expect("reseller");
    let theirs = stored_customer(
        store.as_ref(),
        &another.customer_id,
        "theirs.example",
        CustomerType::Domain,
        true,
        false,
    )
    .await;
    let their_sub = stored_subscription(store.as_ref(), &theirs, STARTER, PlanName::Flexible).await;
    let cookies = sign_in(&router).await;
    let (_, html, _) = page(
        &router,
        &format!("/partner/customers/{}", mine.id),
        &cookies,
    )
    .await;
    let token = hidden(&html, "csrf");

    let gets = [
        format!("/partner/customers/{}/order", theirs.id),
        format!("/partner/customers/theirs.example/order?sku={STARTER}"),
        format!(
            "/partner/customers/{}/order/done?subscription={}",
            theirs.id, their_sub.id
        ),
        format!(
            "/partner/customers/{}/order/done?subscription={}",
            mine.id, their_sub.id
        ),
        format!(
            "/partner/customers/{}/subscriptions/{}/suspend",
            theirs.id, their_sub.id
        ),
        // My customer with their subscription, their customer with mine.
        format!(
            "/partner/customers/{}/subscriptions/{}/suspend",
            mine.id, their_sub.id
        ),
        format!(
            "/partner/customers/{}/subscriptions/{}/suspend",
            theirs.id, my_sub.id
        ),
        format!(
            "/partner/customers/nobody.example/subscriptions/{}/seats",
            my_sub.id
        ),
    ];
    for path in &gets {
        let (status, _, body) = page(&router, path, &cookies).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!body.contains("theirs.example Ltd"), "{path}");
    }
    let posts = [
        (
            format!("/partner/customers/{}/order", theirs.id),
            vec![
                ("sku", "Google-Vault"),
                ("plan", "FLEXIBLE"),
                ("seats", "1"),
                ("step", "confirm"),
            ],
        ),
        (format!("/partner/customers/{}/remind", theirs.id), vec![]),
        (
            format!(
                "/partner/customers/{}/subscriptions/{}/suspend",
                theirs.id, their_sub.id
            ),
            vec![],
        ),
        (
            format!(
                "/partner/customers/{}/subscriptions/{}/suspend",
                mine.id, their_sub.id
            ),
            vec![],
        ),
        (
            format!(
                "/partner/customers/{}/subscriptions/{}/transfer",
                theirs.id, my_sub.id
            ),
            vec![],
        ),
        (
            format!(
                "/partner/customers/{}/subscriptions/{}/seats",
                mine.id, their_sub.id
            ),
            vec![("seats", "9")],
        ),
    ];
    for (path, fields) in &posts {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(fields.iter().copied());
        let (answer, _) = send(&router, post(path, &cookies, &all)).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        subscriptions_of(store.as_ref(), &theirs).await,
        vec![their_sub]
    );
    assert_eq!(subscriptions_of(store.as_ref(), &mine).await, vec![my_sub]);
    let outbox = store.mail_page(None, i64::MAX, 10).await.expect("outbox");
    assert!(
        outbox.is_empty(),
        "no reminder for another reseller's customer"
    );
}

#[tokio::test]
async fn each_action_needs_its_privilege_and_is_neither_offered_nor_done_without_it() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let c = stored_customer(
        store.as_ref(),
        &reseller_id,
        "acme.example",
        CustomerType::Domain,
        true,
        true,
    )
    .await;
    let sub = stored_subscription(store.as_ref(), &c, STARTER, PlanName::Flexible).await;
    let customer_page = format!("/partner/customers/{}", c.id);
    let base = format!("{customer_page}/subscriptions/{}", sub.id);
    // View Customers alone: the customer page, and nothing on it that changes anything.
    let viewer = staff(
        &router,
        store.as_ref(),
        &reseller_id,
        "viewer@pages.example",
        &["RESELLER_VIEW_CUSTOMERS"],
    )
    .await;
    let (status, html, body) = page(&router, &customer_page, &viewer).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hrefs: Vec<String> = select(&html, "a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    for forbidden in ["/order", "/edit", "/subscriptions/"] {
        assert!(
            !hrefs.iter().any(|h| h.contains(forbidden)),
            "{forbidden} offered to a viewer: {hrefs:?}"
        );
    }
    let viewer_token = hidden(&html, "csrf");
    for path in [
        format!("{customer_page}/order"),
        format!("{customer_page}/edit"),
        format!("{base}/seats"),
        format!("{base}/transfer"),
    ] {
        let (status, _, body) = page(&router, &path, &viewer).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert!(body.contains("privilege"), "{path}: {body}");
    }
    for (action, fields) in [
        ("seats", vec![("seats", "9")]),
        ("suspend", vec![]),
        ("cancel", vec![]),
        ("transfer", vec![]),
    ] {
        let mut form = vec![("csrf", viewer_token.as_str())];
        form.extend(fields);
        let (answer, _) = send(&router, post(&format!("{base}/{action}"), &viewer, &form)).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{action}");
    }
    let order = [
        ("csrf", viewer_token.as_str()),
        ("sku", "1010020028"),
        ("plan", "FLEXIBLE"),
        ("seats", "5"),
    ];
    let (answer, _) = send(
        &router,
        post(&format!("{customer_page}/order"), &viewer, &order),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        subscriptions_of(store.as_ref(), &c).await,
        vec![sub.clone()]
    );

    // Edit Customers without Transfer Customers: licences change, the relationship stays.
    let editor = staff(
        &router,
        store.as_ref(),
        &reseller_id,
        "editor@pages.example",
        &["RESELLER_VIEW_CUSTOMERS", "RESELLER_EDIT_CUSTOMERS"],
    )
    .await;
    let (_, html, _) = page(&router, &customer_page, &editor).await;
    let hrefs: Vec<String> = select(&html, "a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        hrefs
            .iter()
            .any(|h| h.ends_with(&format!("{}/seats", sub.id))),
        "{hrefs:?}"
    );
    assert!(!hrefs.iter().any(|h| h.ends_with("/transfer")), "{hrefs:?}");
    let (status, _, _) = page(&router, &format!("{base}/transfer"), &editor).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let editor_token = hidden(&html, "csrf");
    let (answer, _) = send(
        &router,
        post(
            &format!("{base}/transfer"),
            &editor,
            &[("csrf", &editor_token)],
        ),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let (status, location, _, _) = submit(
        &router,
        &format!("{base}/seats"),
        &format!("{base}/seats"),
        &editor,
        &[("seats", "9")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");
    let after = subscriptions_of(store.as_ref(), &c).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].seats, 9);
}
