//! The Partner Sales Console's Create customer and Import pages, in process: every field
//! error at once and tied to its control, nothing created from an invalid form, team and
//! domain customers, the once-shown temporary password, a taken domain leading to the
//! import, transfer tokens explained, tenancy, privileges and CSRF.

mod common;

use axum::Router;
use axum::http::{StatusCode, header};
use common::*;
use partnerd_domain::SystemClock;
use partnerd_store::Write;
use scraper::Html;

/// A valid domain customer's form, with `changes` applied (an empty value removes it).
fn create_form<'a>(csrf: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("product", "workspace"),
        ("customer_type", "domain"),
        ("organization_name", "Acme Sekolah"),
        ("domain", "acme-school.example"),
        ("primary_email", ""),
        ("crm_id", "CRM-7"),
        ("contact_name", "Budi Santoso"),
        ("address_line", "Jl. Merdeka 1"),
        ("locality", "Jakarta"),
        ("postal_code", "10110"),
        ("country", "ID"),
        ("alternate_email", "it@partner-mail.example"),
        ("phone", "+62 21 5550123"),
    ];
    for (name, value) in changes {
        match form.iter_mut().find(|(n, _)| n == name) {
            Some(pair) => pair.1 = value,
            None => form.push((name, value)),
        }
    }
    form
}

async fn csrf_of(router: &Router, cookies: &str, path: &str) -> String {
    let (answer, body) = send(router, get(path, cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK, "{path}: {body}");
    hidden(&Html::parse_document(&body), "csrf")
}

/// The control `name`'s message, and whether the control points at it.
fn error_of(html: &Html, name: &str) -> Option<String> {
    let control = select(html, &format!("[name={name}]:not([type=hidden])"))
        .into_iter()
        .next()?;
    let message = select(html, &format!("#{name}-error")).into_iter().next()?;
    assert_eq!(
        control.value().attr("aria-invalid"),
        Some("true"),
        "{name} is marked invalid"
    );
    let described = control.value().attr("aria-describedby").unwrap_or_default();
    assert!(
        described.split(' ').any(|id| id == format!("{name}-error")),
        "{name} is described by its message: {described}"
    );
    Some(text(&message))
}

#[tokio::test]
async fn every_field_error_shows_at_once_beside_its_control_and_nothing_is_created() {
    let (router, store, _) = world("http://x.test").await;
    let cookies = sign_in(&router).await;
    let csrf = csrf_of(&router, &cookies, "/partner/customers/new").await;
    let long = "x".repeat(65);
    let form = create_form(
        &csrf,
        &[
            ("organization_name", ""),
            ("domain", "www.bad"),
            ("primary_email", "boss@elsewhere.example"),
            ("contact_name", ""),
            ("postal_code", ""),
            ("country", "KP"),
            ("alternate_email", "not an address"),
            ("phone", "12345"),
            ("crm_id", &long),
        ],
    );
    let (answer, body) = send(&router, post("/partner/customers/new", &cookies, &form)).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{body}");
    let html = Html::parse_document(&body);
    let expected = [
        ("organization_name", "Enter a value."),
        (
            "domain",
            "Enter a registered domain such as example.com, without www.",
        ),
        ("contact_name", "Enter a value."),
        ("postal_code", "Enter a value."),
        ("country", "Choose a country from the list."),
        (
            "alternate_email",
            "Enter a valid email address that is not on the customer's domain.",
        ),
        (
            "phone",
            "Enter a real phone number starting with + and the country code.",
        ),
        ("crm_id", "Use at most 64 characters."),
    ];
    for (name, message) in expected {
        assert_eq!(error_of(&html, name).as_deref(), Some(message), "{name}");
    }
    // What was typed is kept.
    assert_eq!(
        select(&html, "input[name=domain]")[0].value().attr("value"),
        Some("www.bad")
    );
    assert_eq!(
        select(&html, "input[name=primary_email]")[0]
            .value()
            .attr("value"),
        Some("boss@elsewhere.example")
    );
    // Nothing was created: no account, no user, no e-mail.
    assert!(store.account("www.bad").await.expect("read").is_none());
    assert!(
        store
            .user_by_email("boss@elsewhere.example")
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .mail_page(None, i64::MAX, 10)
            .await
            .expect("mail")
            .is_empty()
    );

    // A domain customer's super admin must be on its domain.
    let form = create_form(&csrf, &[("primary_email", "boss@elsewhere.example")]);
    let (answer, body) = send(&router, post("/partner/customers/new", &cookies, &form)).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = Html::parse_document(&body);
    assert!(error_of(&html, "primary_email").is_some(), "{body}");
    assert!(error_of(&html, "domain").is_none());
    assert!(
        store
            .account("acme-school.example")
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn a_domain_customer_is_created_with_its_admin_and_the_password_shown_once() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let cookies = sign_in(&router).await;
    let (_, body) = send(&router, get("/partner", &cookies)).await;
    let html = Html::parse_document(&body);
    let offered: Vec<String> = select(&html, "a.button").iter().map(text).collect();
    assert_eq!(offered, ["Create customer", "Import customer"]);

    let (_, body) = send(&router, get("/partner/customers/new", &cookies)).await;
    let html = Html::parse_document(&body);
    let csrf = hidden(&html, "csrf");
    // Only countries open to resale are offered.
    let countries: Vec<String> = select(&html, "select[name=country] option")
        .iter()
        .filter_map(|o| o.value().attr("value").map(str::to_string))
        .collect();
    assert!(countries.contains(&"ID".to_string()));
    assert!(!countries.contains(&"KP".to_string()));
    assert!(body.contains("Considerations for team customers"));

    let form = create_form(&csrf, &[("education", "on")]);
    let (answer, body) = send(&router, post("/partner/customers/new", &cookies, &form)).await;
    assert_eq!(answer.status(), StatusCode::OK, "{body}");
    let html = Html::parse_document(&body);
    let username = text(&select(&html, "#username")[0]);
    let password = text(&select(&html, "#temporary-password")[0]);
    assert_eq!(
        username, "admin@acme-school.example",
        "admin@ and the domain"
    );
    assert!(password.len() >= 12);
    let links: Vec<(String, String)> = select(&html, ".actions a")
        .iter()
        .map(|a| {
            (
                text(a),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect();
    let customer = store
        .account("acme-school.example")
        .await
        .expect("read")
        .expect("created");
    assert_eq!(
        links,
        [
            (
                "Purchase".to_string(),
                format!("/partner/customers/{}/order", customer.id)
            ),
            ("Close".to_string(), "/partner".to_string()),
        ]
    );
    assert_eq!(customer.managed_by.as_deref(), Some(reseller_id.as_str()));
    assert!(customer.education);
    let admin = store
        .user_by_email(&username)
        .await
        .expect("read")
        .expect("admin");
    assert!(admin.is_super_admin && admin.change_password_at_next_login);
    let mail = store.mail_page(None, i64::MAX, 10).await.expect("mail");
    assert_eq!(mail.len(), 2);
    for m in &mail {
        assert!(m.payload.contains(&password), "{}", m.payload);
        assert!(m.payload.contains("http://x.test/signin"));
    }
    // The list shows it with its type; its page shows the badge.
    let (_, body) = send(&router, get("/partner", &cookies)).await;
    let html = Html::parse_document(&body);
    assert_eq!(column(&html, 3), ["Domain customerEducational institution"]);
    let (_, body) = send(
        &router,
        get(&format!("/partner/customers/{}", customer.id), &cookies),
    )
    .await;
    let html = Html::parse_document(&body);
    let badges: Vec<String> = select(&html, ".badges li").iter().map(text).collect();
    assert!(
        badges.contains(&"Educational institution".to_string()),
        "{badges:?}"
    );
    // The password is never shown again.
    assert!(!body.contains(&password));

    // The same domain again leads to the import, prefilled, with the reason.
    let (answer, _) = send(&router, post("/partner/customers/new", &cookies, &form)).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let location = answer.headers()[header::LOCATION]
        .to_str()
        .expect("location");
    assert_eq!(
        location,
        "/partner/import?domain=acme-school.example&existing=1"
    );
    let (answer, body) = send(&router, get(location, &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = Html::parse_document(&body);
    assert_eq!(
        select(&html, "input[name=domain]")[0].value().attr("value"),
        Some("acme-school.example")
    );
    assert!(
        body.contains("already exists with Google or another reseller"),
        "{body}"
    );
}

#[tokio::test]
async fn a_team_customer_needs_its_admins_email_and_no_address() {
    let (router, store, _) = world("http://x.test").await;
    let cookies = sign_in(&router).await;
    let csrf = csrf_of(&router, &cookies, "/partner/customers/new").await;
    let team = [
        ("csrf", csrf.as_str()),
        ("customer_type", "team"),
        ("organization_name", "Design Team"),
        ("domain", "design-team.example"),
        ("primary_email", ""),
    ];
    let (answer, body) = send(&router, post("/partner/customers/new", &cookies, &team)).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = Html::parse_document(&body);
    assert_eq!(
        error_of(&html, "primary_email").as_deref(),
        Some("Enter a value.")
    );
    // A team customer needs neither address nor alternate email.
    for name in ["contact_name", "postal_code", "country", "alternate_email"] {
        assert!(error_of(&html, name).is_none(), "{name}");
    }
    assert_eq!(
        select(&html, "input[name=customer_type][checked]")[0]
            .value()
            .attr("value"),
        Some("team"),
        "the choice is kept"
    );
    let team = [
        ("csrf", csrf.as_str()),
        ("customer_type", "team"),
        ("organization_name", "Design Team"),
        ("domain", "design-team.example"),
        ("primary_email", "lead@mail-provider.example"),
    ];
    let (answer, body) = send(&router, post("/partner/customers/new", &cookies, &team)).await;
    assert_eq!(answer.status(), StatusCode::OK, "{body}");
    let customer = store
        .account("design-team.example")
        .await
        .expect("read")
        .expect("created");
    assert_eq!(customer.customer_type.as_str(), "team");
    assert!(!customer.education);
    assert!(body.contains("lead@mail-provider.example"));
}

#[tokio::test]
async fn forms_without_their_token_change_nothing() {
    let (router, store, _) = world("http://x.test").await;
    let cookies = sign_in(&router).await;
    let form = create_form("", &[]);
    let form: Vec<(&str, &str)> = form.into_iter().filter(|(n, _)| *n != "csrf").collect();
    let (answer, body) = send(&router, post("/partner/customers/new", &cookies, &form)).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{body}");
    let stale = "0".repeat(64);
    let form = create_form(&stale, &[]);
    let (answer, _) = send(&router, post("/partner/customers/new", &cookies, &form)).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let import = [
        ("csrf", stale.as_str()),
        ("domain", "acme-school.example"),
        ("token", "abc"),
    ];
    let (answer, _) = send(&router, post("/partner/import", &cookies, &import)).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert!(
        store
            .account("acme-school.example")
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn without_add_customers_nothing_is_offered_and_the_pages_refuse() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let cookies = staff(
        &router,
        store.as_ref(),
        &reseller_id,
        "viewer@pages.example",
        &["RESELLER_VIEW_CUSTOMERS"],
    )
    .await;
    let (answer, body) = send(&router, get("/partner", &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK, "{body}");
    assert!(!body.contains("/partner/customers/new"));
    assert!(!body.contains("Create customer"));
    for path in ["/partner/customers/new", "/partner/import"] {
        let (answer, body) = send(&router, get(path, &cookies)).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(body.contains("no reseller privilege") || body.contains("Partner Sales Console"));
    }
    let csrf = csrf_of(&router, &cookies, "/partner").await;
    let form = create_form(&csrf, &[]);
    let (answer, _) = send(&router, post("/partner/customers/new", &cookies, &form)).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert!(
        store
            .account("acme-school.example")
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn import_explains_tokens_and_never_shows_another_resellers_customer() {
    let (router, store, _) = world("http://x.test").await;
    let (_, theirs) = another_resellers_customer(
        store.as_ref(),
        "another.example",
        "theirs.example",
        "Theirs Ltd",
    )
    .await;
    let cookies = sign_in(&router).await;
    let csrf = csrf_of(&router, &cookies, "/partner/import").await;

    let cases = [
        ("", "", "domain", "Enter a value."),
        (
            "nobody.example",
            "abc",
            "domain",
            "No customer has this domain.",
        ),
        (
            "theirs.example",
            "0123456789abcdef",
            "token",
            "This transfer token is not valid.",
        ),
    ];
    for (domain, token, field, message) in cases {
        let form = [
            ("csrf", csrf.as_str()),
            ("step", "lookup"),
            ("domain", domain),
            ("token", token),
        ];
        let (answer, body) = send(&router, post("/partner/import", &cookies, &form)).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{domain}: {body}");
        let html = Html::parse_document(&body);
        let shown = error_of(&html, field).unwrap_or_default();
        assert!(shown.starts_with(message), "{domain}: {shown}");
        // The other reseller's customer is never shown.
        assert!(!body.contains("Theirs Ltd"));
        assert!(!body.contains(&theirs.id));
    }
    // The list never shows it either.
    let (_, body) = send(&router, get("/partner", &cookies)).await;
    assert!(!body.contains("theirs.example"));
}

#[tokio::test]
async fn import_leaves_what_the_customer_gave_no_purchase_consent_for() {
    // The customer's super admin chose only Google Vault to move.
    let world = held_elsewhere(&["1010020027"], &["Google-Vault"]).await;
    let (router, store) = (&world.router, &world.store);
    let cookies = sign_in(router).await;
    let csrf = csrf_of(router, &cookies, "/partner/import").await;

    let lookup = [
        ("csrf", csrf.as_str()),
        ("step", "lookup"),
        ("domain", "theirs.example"),
        ("token", HELD_SECRET),
    ];
    let (answer, body) = send(router, post("/partner/import", &cookies, &lookup)).await;
    assert_eq!(answer.status(), StatusCode::OK, "{body}");
    let html = Html::parse_document(&body);
    let rows: Vec<String> = select(&html, "tbody tr").iter().map(text).collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("Stays with its current reseller")
            && rows[0].contains("purchase consent for Google Workspace"),
        "{rows:?}"
    );
    assert!(select(&html, "select[name=plan_0]").is_empty());

    // Sent anyway (a hand-made form): nothing moves, and the page says why.
    let confirm = [
        ("csrf", csrf.as_str()),
        ("step", "confirm"),
        ("domain", "theirs.example"),
        ("token", HELD_SECRET),
        ("sku_0", "1010020027"),
        ("plan_0", "FLEXIBLE"),
        ("seats_0", "20"),
    ];
    let (answer, body) = send(router, post("/partner/import", &cookies, &confirm)).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{body}");
    let html = Html::parse_document(&body);
    let problems: Vec<String> = select(&html, ".problems li").iter().map(text).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("The customer has not given you purchase consent")),
        "{problems:?}"
    );
    // The subscription table stays, saying why the row stays where it is.
    let rows: Vec<String> = select(&html, "tbody tr").iter().map(text).collect();
    assert!(
        rows.len() == 1 && rows[0].contains("Stays with its current reseller"),
        "{rows:?}"
    );
    world.assert_nothing_moved(store.as_ref()).await;
}

#[tokio::test]
async fn an_add_on_without_consent_keeps_its_workspace_subscription_where_it_is() {
    // Consent for Google Workspace only, while Google Vault (an add-on that moves with
    // it) has none: neither may move, and the page names the add-on.
    let world = held_elsewhere(&["1010020027", "Google-Vault"], &["Google-Apps"]).await;
    let (router, store) = (&world.router, &world.store);
    let cookies = sign_in(router).await;
    let csrf = csrf_of(router, &cookies, "/partner/import").await;
    let confirm = [
        ("csrf", csrf.as_str()),
        ("step", "confirm"),
        ("domain", "theirs.example"),
        ("token", HELD_SECRET),
        ("sku_0", "1010020027"),
        ("plan_0", "FLEXIBLE"),
        ("seats_0", "20"),
    ];
    let (answer, body) = send(router, post("/partner/import", &cookies, &confirm)).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{body}");
    let html = Html::parse_document(&body);
    let problems: Vec<String> = select(&html, ".problems li").iter().map(text).collect();
    assert!(
        problems.iter().any(|p| p
            .starts_with("Google Vault moves with the customer's Google Workspace subscription")),
        "{problems:?}"
    );
    assert!(
        !problems
            .iter()
            .any(|p| p.starts_with("The customer has not given you purchase consent")),
        "the add-on's own words, not the none-consented ones: {problems:?}"
    );
    // The confirm step again, with the table and what was chosen.
    assert_eq!(select(&html, "tbody tr").len(), 2, "{body}");
    let seats = select(&html, "input[name=seats_0]");
    assert_eq!(
        seats.first().and_then(|e| e.value().attr("value")),
        Some("20"),
        "{body}"
    );
    world.assert_nothing_moved(store.as_ref()).await;
}

const HELD_SECRET: &str = "00112233445566778899aabbccddeeff";

/// A customer of another reseller holding `skus`, and a transfer token to this world's
/// reseller whose purchase consent covers `groups`.
struct HeldElsewhere {
    router: axum::Router,
    store: std::sync::Arc<dyn partnerd_store::Store>,
    theirs: partnerd_domain::customer::Customer,
    another: String,
    held: usize,
}

async fn held_elsewhere(skus: &[&str], groups: &[&str]) -> HeldElsewhere {
    use partnerd_domain::Clock;
    use partnerd_domain::transfer::{TOKEN_VALIDITY_MS, TransferToken};
    let (router, store, reseller_id) = world("http://x.test").await;
    let (another, theirs) = another_resellers_customer(
        store.as_ref(),
        "another.example",
        "theirs.example",
        "Theirs Ltd",
    )
    .await;
    for sku in skus {
        let held = subscription(&theirs, &another.customer_id, sku, None);
        store
            .apply(Write::InsertSubscription(held).into())
            .await
            .expect("subscription");
    }
    let now = SystemClock::default().now();
    let token = TransferToken {
        digest: partnerd_domain::ids::secret_digest(HELD_SECRET),
        customer_id: theirs.id.clone(),
        reseller_id: reseller_id.clone(),
        created_at: now,
        expires_at: now + TOKEN_VALIDITY_MS,
        product_groups: Some(groups.iter().map(|g| g.to_string()).collect()),
    };
    store
        .insert_transfer_token(&token, event())
        .await
        .expect("token");
    HeldElsewhere {
        router,
        store,
        theirs,
        another: another.customer_id,
        held: skus.len(),
    }
}

impl HeldElsewhere {
    /// The customer and every subscription are still the other reseller's.
    async fn assert_nothing_moved(&self, store: &dyn partnerd_store::Store) {
        let still = store
            .customer_subscriptions(&self.theirs.id)
            .await
            .expect("read");
        assert_eq!(still.len(), self.held);
        assert!(still.iter().all(|row| row.1.reseller_id == self.another));
        let record = store
            .account("theirs.example")
            .await
            .expect("read")
            .expect("customer");
        assert_eq!(record.managed_by.as_deref(), Some(self.another.as_str()));
    }
}
