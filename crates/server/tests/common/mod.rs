//! What the in-process page tests share: a router over an in-memory store with one
//! reseller, requests with cookies and forms, signing in through the form, and reading
//! the HTML that comes back.
#![allow(dead_code)] // each test binary uses its own part

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use partnerd_domain::SystemClock;
use partnerd_server::{AppState, app};
use scraper::{Html, Selector};
use tower::ServiceExt;

pub const ADMIN: &str = "admin@pages.example";
pub const PASSWORD: &str = "correct-horse-1";

pub async fn router(public_url: &str) -> Router {
    world(public_url).await.0
}

/// A router over a store with one reseller (`pages.example`); the store and the
/// reseller's customer id, for tests that add data.
pub async fn world(public_url: &str) -> (Router, Arc<dyn partnerd_store::Store>, String) {
    let store = partnerd_store::open("sqlite::memory:")
        .await
        .expect("in-memory store");
    let clock = Arc::new(SystemClock::default());
    let reseller = partnerd_server::provision::create_reseller(
        store.as_ref(),
        clock.as_ref(),
        "pages.example",
        ADMIN,
        PASSWORD,
    )
    .await
    .expect("reseller");
    let router = app(AppState::new(store.clone(), clock, public_url, None));
    (router, store, reseller.customer_id)
}

pub async fn send(router: &Router, request: Request<Body>) -> (Response<Body>, String) {
    let response = router.clone().oneshot(request).await.expect("answer");
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.expect("body");
    (
        Response::from_parts(parts, Body::empty()),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

pub fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request")
}

pub fn post(path: &str, cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(form).expect("form")))
        .expect("request")
}

pub fn set_cookies(response: &Response<Body>) -> Vec<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ascii").to_string())
        .collect()
}

/// `name=value` of the cookie `name` a response sets.
pub fn cookie_pair(response: &Response<Body>, name: &str) -> Option<String> {
    set_cookies(response)
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next().map(str::to_string))
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector"))
        .collect()
}

pub fn text(e: &scraper::ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

pub fn hidden(html: &Html, name: &str) -> String {
    select(html, &format!("input[name={name}]"))
        .first()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_string()
}

/// Opens the sign-in page and signs in; returns the cookies to send afterwards.
pub async fn sign_in(router: &Router) -> String {
    let (page, body) = send(router, get("/signin", "")).await;
    let form_cookie = cookie_pair(&page, "partnerd_form").expect("form cookie");
    let token = hidden(&Html::parse_document(&body), "csrf");
    let (answer, _) = send(
        router,
        post(
            "/signin",
            &form_cookie,
            &[
                ("email", ADMIN),
                ("password", PASSWORD),
                ("csrf", &token),
                ("continue", "/partner"),
            ],
        ),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let session = cookie_pair(&answer, "partnerd_session").expect("session cookie");
    format!("{form_cookie}; {session}")
}

pub fn customer(
    domain: &str,
    name: &str,
    reseller_id: &str,
    at: i64,
) -> partnerd_domain::customer::Customer {
    use partnerd_domain::customer::{Customer, CustomerType, PostalAddress};
    Customer {
        id: partnerd_domain::ids::new_customer_id(),
        domain: domain.into(),
        customer_type: CustomerType::Domain,
        managed_by: Some(reseller_id.into()),
        alternate_email: None,
        phone_number: None,
        postal_address: PostalAddress {
            organization_name: Some(name.into()),
            ..PostalAddress::default()
        },
        primary_admin_email: None,
        domain_verified: false,
        created_at: at,
        reseller_public_id: None,
        tos_accepted_at: None,
        language: "en".into(),
        reseller_access: true,
        education: false,
        version: 1,
    }
}

pub fn event() -> partnerd_domain::event::NewEvent {
    partnerd_domain::event::NewEvent::of(0, "test", "customer.insert", "customer", "x")
}

pub fn column(html: &Html, n: usize) -> Vec<String> {
    select(html, &format!("tbody tr td:nth-child({n})"))
        .iter()
        .map(text)
        .collect()
}

/// A live subscription of `customer` held by `reseller_id` (annual when `renews_at` is
/// given, renewing then; Flexible otherwise).
pub fn subscription(
    customer: &partnerd_domain::customer::Customer,
    reseller_id: &str,
    sku: &str,
    renews_at: Option<i64>,
) -> partnerd_domain::subscription::Subscription {
    use partnerd_domain::plan::PlanName;
    partnerd_domain::subscription::Subscription {
        id: partnerd_domain::ids::new_numeric_id(),
        customer_id: customer.id.clone(),
        reseller_id: reseller_id.into(),
        sku_id: sku.into(),
        plan: if renews_at.is_some() {
            PlanName::AnnualMonthlyPay
        } else {
            PlanName::Flexible
        },
        commitment: renews_at.map(|end| (0, end)),
        seats: 20,
        licensed_seats: 3,
        renewal_type: None,
        purchase_order_id: None,
        deal_code: None,
        suspension_reasons: vec![],
        in_trial: false,
        trial_end: None,
        pending_plan: None,
        created_at: 1,
        cancelled: None,
        version: 1,
    }
}

/// Stores `subscriptions` in one write set.
pub async fn store_subscriptions(
    store: &Arc<dyn partnerd_store::Store>,
    subscriptions: Vec<partnerd_domain::subscription::Subscription>,
) {
    let set: partnerd_store::WriteSet = subscriptions
        .into_iter()
        .map(partnerd_store::Write::InsertSubscription)
        .collect();
    store.apply(set).await.expect("subscriptions");
}

/// The `value` attribute of the element `css` selects.
pub fn hidden_value(html: &Html, css: &str) -> String {
    select(html, css)
        .first()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_string()
}

/// A user `email` of the reseller holding only `privileges` (through a role of its own),
/// signed in; the cookies to send.
pub async fn staff(
    router: &Router,
    store: &dyn partnerd_store::Store,
    reseller_id: &str,
    email: &str,
    privileges: &[&str],
) -> String {
    use partnerd_domain::roles::{Role, RoleAssignment, ScopeType};
    use partnerd_domain::user::User;
    use partnerd_store::{Write, WriteSet};
    let password = "staff-pass-1";
    let user = User {
        id: partnerd_domain::ids::new_numeric_id(),
        account_id: reseller_id.into(),
        primary_email: email.into(),
        given_name: "View".into(),
        family_name: "Only".into(),
        password_hash: partnerd_app::passwords::hash(password).expect("hash"),
        is_super_admin: false,
        suspended: false,
        created_at: 0,
        org_unit_id: None,
        change_password_at_next_login: false,
        language: "en".into(),
        deleted_at: None,
        version: 1,
    };
    let role = Role {
        id: partnerd_domain::ids::new_numeric_id(),
        account_id: Some(reseller_id.into()),
        name: format!("Staff {email}"),
        description: None,
        privileges: privileges.iter().map(|p| p.to_string()).collect(),
        is_super_admin: false,
        created_at: 0,
        version: 1,
    };
    let assignment = RoleAssignment {
        id: partnerd_domain::ids::new_numeric_id(),
        account_id: reseller_id.into(),
        role_id: role.id.clone(),
        assigned_to: user.id.clone(),
        scope_type: ScopeType::Customer,
        org_unit_id: None,
        created_at: 0,
    };
    store
        .apply(WriteSet::from(vec![
            Write::InsertUser(user),
            Write::InsertRole(role),
            Write::InsertAssignment(assignment),
        ]))
        .await
        .expect("staff");
    let (page, body) = send(router, get("/signin", "")).await;
    let form_cookie = cookie_pair(&page, "partnerd_form").expect("form cookie");
    let token = hidden(&Html::parse_document(&body), "csrf");
    let (answer, _) = send(
        router,
        post(
            "/signin",
            &form_cookie,
            &[("email", email), ("password", password), ("csrf", &token)],
        ),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let session = cookie_pair(&answer, "partnerd_session").expect("session");
    format!("{form_cookie}; {session}")
}

/// Another reseller (`reseller_domain`, its admin `admin@` that domain) with one customer
/// of its own, stored: what the tenancy tests try to reach.
pub async fn another_resellers_customer(
    store: &dyn partnerd_store::Store,
    reseller_domain: &str,
    customer_domain: &str,
    name: &str,
) -> (
    partnerd_server::provision::CreatedReseller,
    partnerd_domain::customer::Customer,
) {
    let another = partnerd_server::provision::create_reseller(
        store,
        &SystemClock::default(),
        reseller_domain,
        &format!("admin@{reseller_domain}"),
        PASSWORD,
    )
    .await
    .expect("reseller");
    let theirs = customer(customer_domain, name, &another.customer_id, 0);
    store
        .insert_customer(&theirs, event())
        .await
        .expect("their customer");
    (another, theirs)
}
