//! The console pages in process (`tower::ServiceExt::oneshot`, HTML parsed with
//! `scraper`): redirects, labels, cookie flags, refused forgeries, field errors; and every
//! message id the pages use exists in all four catalogues.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use partnerd_domain::SystemClock;
use partnerd_server::{AppState, app};
use scraper::Html;

#[tokio::test]
async fn the_start_page_sends_a_stranger_to_sign_in() {
    let router = router("http://x.test").await;
    let (answer, _) = send(&router, get("/", "")).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[header::LOCATION], "/signin?continue=%2F");
    let (answer, _) = send(&router, get("/partner?x=1", "")).await;
    assert_eq!(
        answer.headers()[header::LOCATION],
        "/signin?continue=%2Fpartner%3Fx%3D1"
    );
}

#[tokio::test]
async fn the_sign_in_page_has_labelled_fields_and_headers() {
    let router = router("http://x.test").await;
    let (answer, body) = send(&router, get("/signin", "")).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = Html::parse_document(&body);
    let labels: Vec<String> = select(&html, "form label").iter().map(text).collect();
    assert!(labels.contains(&"Email".to_string()), "{labels:?}");
    assert!(labels.contains(&"Password".to_string()), "{labels:?}");
    for label in select(&html, "label") {
        let target = label
            .value()
            .attr("for")
            .expect("every label names its control");
        assert_eq!(
            select(&html, &format!("#{target}")).len(),
            1,
            "label for {target}"
        );
    }
    let buttons: Vec<String> = select(&html, "button").iter().map(text).collect();
    assert!(buttons.contains(&"Sign in".to_string()), "{buttons:?}");
    assert_eq!(hidden(&html, "csrf").len(), 64);
    let h = answer.headers();
    assert!(
        h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .contains("frame-ancestors 'none'")
    );
    assert!(
        !h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .contains("unsafe-inline")
    );
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(h[header::REFERRER_POLICY], "same-origin");
    let form = set_cookies(&answer)
        .into_iter()
        .find(|c| c.starts_with("partnerd_form="))
        .expect("form cookie");
    assert!(
        form.contains("HttpOnly") && form.contains("SameSite=Strict"),
        "{form}"
    );
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_with_the_right_flags() {
    for (url, secure) in [("http://x.test", false), ("https://x.test", true)] {
        let router = router(url).await;
        let (page, body) = send(&router, get("/signin", "")).await;
        let form_cookie = cookie_pair(&page, "partnerd_form").expect("form cookie");
        let token = hidden(&Html::parse_document(&body), "csrf");
        let (answer, _) = send(
            &router,
            post(
                "/signin",
                &form_cookie,
                &[("email", ADMIN), ("password", PASSWORD), ("csrf", &token)],
            ),
        )
        .await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(answer.headers()[header::LOCATION], "/");
        let session = set_cookies(&answer)
            .into_iter()
            .find(|c| c.starts_with("partnerd_session="))
            .expect("session cookie");
        assert!(session.contains("HttpOnly"), "{session}");
        assert!(session.contains("SameSite=Lax"), "{session}");
        assert!(session.contains("Path=/"), "{session}");
        assert_eq!(session.contains("Secure"), secure, "{session}");
    }
}

#[tokio::test]
async fn a_form_without_its_token_or_from_another_site_changes_nothing() {
    let router = router("http://x.test").await;
    let (page, body) = send(&router, get("/signin", "")).await;
    let form_cookie = cookie_pair(&page, "partnerd_form").expect("form cookie");
    let token = hidden(&Html::parse_document(&body), "csrf");
    let attempts = [
        post(
            "/signin",
            &form_cookie,
            &[("email", ADMIN), ("password", PASSWORD)],
        ),
        post(
            "/signin",
            &form_cookie,
            &[
                ("email", ADMIN),
                ("password", PASSWORD),
                ("csrf", "0".repeat(64).as_str()),
            ],
        ),
        {
            let mut r = post(
                "/signin",
                &form_cookie,
                &[("email", ADMIN), ("password", PASSWORD), ("csrf", &token)],
            );
            r.headers_mut().insert(
                header::ORIGIN,
                "https://evil.example".parse().expect("origin"),
            );
            r
        },
        {
            let mut r = post(
                "/signin",
                &form_cookie,
                &[("email", ADMIN), ("password", PASSWORD), ("csrf", &token)],
            );
            r.headers_mut()
                .insert("sec-fetch-site", "cross-site".parse().expect("site"));
            r
        },
    ];
    for attempt in attempts {
        let (answer, body) = send(&router, attempt).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{body}");
        assert!(cookie_pair(&answer, "partnerd_session").is_none());
        assert!(
            body.contains("sent from another site or has expired"),
            "{body}"
        );
    }
    // Signed in, a signed-in form's token is the session's, not the sign-in page's.
    let cookies = sign_in(&router).await;
    let (answer, _) = send(&router, post("/signout", &cookies, &[("csrf", &token)])).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let (answer, _) = send(&router, get("/partner", &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK, "still signed in");
}

#[tokio::test]
async fn missing_fields_are_named_beside_each_field() {
    let router = router("http://x.test").await;
    let (page, body) = send(&router, get("/signin", "")).await;
    let form_cookie = cookie_pair(&page, "partnerd_form").expect("form cookie");
    let token = hidden(&Html::parse_document(&body), "csrf");
    let (answer, body) = send(
        &router,
        post(
            "/signin",
            &form_cookie,
            &[("email", " "), ("password", ""), ("csrf", &token)],
        ),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = Html::parse_document(&body);
    let email_error: Vec<String> = select(&html, "#email-error").iter().map(text).collect();
    let password_error: Vec<String> = select(&html, "#password-error").iter().map(text).collect();
    assert_eq!(email_error, ["Enter an email address."]);
    assert_eq!(password_error, ["Enter a password."]);
    assert_eq!(
        select(&html, "#email")
            .first()
            .and_then(|e| e.value().attr("aria-describedby")),
        Some("email-error")
    );
}

#[tokio::test]
async fn a_signed_in_page_names_its_account_and_signing_out_ends_it() {
    let router = router("http://x.test").await;
    let cookies = sign_in(&router).await;
    let (answer, body) = send(&router, get("/partner", &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = Html::parse_document(&body);
    let named: Vec<String> = select(&html, ".signed-in").iter().map(text).collect();
    assert_eq!(named, [format!("Signed in as {ADMIN}")]);
    let consoles: Vec<String> = select(&html, "nav a").iter().map(text).collect();
    assert_eq!(
        consoles,
        [
            "Partner Sales Console",
            "Admin console",
            "Customer Service Portal"
        ]
    );
    let token = hidden(&html, "csrf");
    let (answer, _) = send(&router, post("/signout", &cookies, &[("csrf", &token)])).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[header::LOCATION], "/signin");
    // The old cookie no longer opens anything.
    let (answer, _) = send(&router, get("/partner", &cookies)).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn unknown_console_pages_are_a_localized_404() {
    let router = router("http://x.test").await;
    let request = Request::get("/admin/nothing-here")
        .header(header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9")
        .body(Body::empty())
        .expect("request");
    let (answer, body) = send(&router, request).await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let html = Html::parse_document(&body);
    let h1: Vec<String> = select(&html, "h1").iter().map(text).collect();
    assert_eq!(h1, ["Page introuvable"]);
    assert_eq!(
        select(&html, "html")
            .first()
            .and_then(|e| e.value().attr("lang")),
        Some("fr")
    );
}

/// The quoted strings of a source that look like message ids (`word-word`).
fn quoted_ids(source: &str) -> Vec<String> {
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.contains('-')
                && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !s.starts_with('-')
                && !s.ends_with('-')
        })
        .map(str::to_string)
        .collect()
}

/// The ids a template asks for: `t("id")` and `t1("id", ...)`.
fn template_ids(source: &str) -> Vec<String> {
    let mut ids = vec![];
    for call in [".t(\"", ".t1(\""] {
        for (at, _) in source.match_indices(call) {
            let rest = &source[at + call.len()..];
            if let Some(end) = rest.find('"') {
                ids.push(rest[..end].to_string());
            }
        }
    }
    ids
}

#[test]
fn every_message_the_pages_use_is_in_every_catalogue() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut sources = vec![];
    for dir in ["templates", "src/web"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).expect("dir") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            // These hold header and cookie names, not messages.
            if ["csrf.rs", "headers.rs", "visitor.rs", "assets.rs", "mod.rs"].contains(&name) {
                continue;
            }
            sources.push((
                name.to_string(),
                std::fs::read_to_string(&path).expect("read"),
            ));
        }
    }
    let mut checked = 0;
    let mut missing = vec![];
    for (name, source) in &sources {
        let ids = if name.ends_with(".html") {
            template_ids(source)
        } else {
            quoted_ids(source)
        };
        for id in ids {
            checked += 1;
            if !partnerd_i18n::messages::exists_everywhere(&id) {
                missing.push(format!("{name}: {id}"));
            }
        }
    }
    assert!(checked > 30, "only {checked} ids found: the scan is broken");
    assert!(missing.is_empty(), "missing from a catalogue: {missing:#?}");
}

#[tokio::test]
async fn the_customers_list_is_searched_sorted_and_paged_within_the_reseller() {
    let (router, store, reseller_id) = world("http://x.test").await;
    for n in 0..55 {
        let c = customer(
            &format!("c{n:03}.example"),
            &format!("Org {}", 54 - n),
            &reseller_id,
            n,
        );
        store.insert_customer(&c, event()).await.expect("customer");
    }
    // Another reseller's customer never shows.
    let (_, _) = another_resellers_customer(
        store.as_ref(),
        "another.example",
        "c000-other.example",
        "Org other",
    )
    .await;
    let cookies = sign_in(&router).await;

    let (answer, body) = send(&router, get("/partner", &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = Html::parse_document(&body);
    let domains = column(&html, 2);
    assert_eq!(domains.len(), 50);
    assert_eq!(domains[0], "c000.example");
    assert_eq!(domains[49], "c049.example");
    assert!(!domains.iter().any(|d| d.contains("other")));
    let next = select(&html, "a[rel=next]")
        .first()
        .and_then(|a| a.value().attr("href"))
        .expect("next page")
        .to_string();
    assert!(
        !next.contains("50"),
        "the cursor is opaque, not an offset: {next}"
    );
    let (_, body) = send(&router, get(&next, &cookies)).await;
    let html = Html::parse_document(&body);
    assert_eq!(
        column(&html, 2),
        [
            "c050.example",
            "c051.example",
            "c052.example",
            "c053.example",
            "c054.example"
        ]
    );
    assert!(select(&html, "a[rel=next]").is_empty());

    let (_, body) = send(&router, get("/partner?q=C05", &cookies)).await;
    let html = Html::parse_document(&body);
    assert_eq!(column(&html, 2).len(), 5, "prefix search, any case");
    let (_, body) = send(&router, get("/partner?q=org+5", &cookies)).await;
    let names = column(&Html::parse_document(&body), 1);
    assert!(names.iter().all(|n| n.starts_with("Org 5")), "{names:?}");
    assert!(
        names[0].contains("Cloud Identity ID C0"),
        "the id tells equal names apart: {names:?}"
    );

    let (_, body) = send(&router, get("/partner?sort=newest", &cookies)).await;
    assert_eq!(column(&Html::parse_document(&body), 2)[0], "c054.example");
    let (_, body) = send(&router, get("/partner?sort=name", &cookies)).await;
    assert_eq!(
        column(&Html::parse_document(&body), 1)[0]
            .split(" Cloud")
            .next(),
        Some("Org 0")
    );
}

#[tokio::test]
async fn the_list_shows_subscriptions_filters_them_and_downloads_them() {
    use partnerd_domain::plan::SuspensionReason;
    let (router, store, reseller_id) = world("http://x.test").await;
    let mut customers = vec![];
    for (domain, name) in [
        ("annual.example", "Annual Co"),
        ("flex.example", "=HYPERLINK(1)"),
        ("fresh.example", "Fresh Co"),
    ] {
        let c = customer(domain, name, &reseller_id, 0);
        store.insert_customer(&c, event()).await.expect("customer");
        customers.push(c);
    }
    // 2027-01-15T00:00:00Z
    let renewal = 1_799_971_200_000;
    let mut suspended = subscription(&customers[0], &reseller_id, "1010020028", Some(renewal));
    suspended.suspension_reasons = vec![SuspensionReason::ResellerInitiated];
    store_subscriptions(
        &store,
        vec![
            subscription(
                &customers[0],
                &reseller_id,
                "1010020027",
                Some(renewal + 86_400_000),
            ),
            suspended,
            subscription(&customers[1], &reseller_id, "1010020027", None),
        ],
    )
    .await;
    let cookies = sign_in(&router).await;
    let (answer, body) = send(&router, get("/partner", &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = Html::parse_document(&body);
    let headers: Vec<String> = select(&html, "thead th").iter().map(text).collect();
    assert_eq!(
        headers,
        [
            "Name",
            "Domain",
            "Type",
            "Subscriptions",
            "Renewal date",
            "Creation date",
            "Products",
            "License usage"
        ]
    );
    assert_eq!(column(&html, 4), ["1 active, 1 suspended", "1 active", ""]);
    assert_eq!(column(&html, 5)[0], "Jan 15, 2027", "the earliest renewal");
    assert_eq!(column(&html, 5)[1], "", "Flexible has no renewal date");
    assert!(
        column(&html, 7)[0].contains("Business Standard"),
        "{:?}",
        column(&html, 7)
    );
    assert_eq!(column(&html, 8)[1], "3 / 20");

    for (query, expected) in [
        ("status=suspended", vec!["annual.example"]),
        (
            "status=active&sku=1010020027",
            vec!["annual.example", "flex.example"],
        ),
        ("status=none", vec!["fresh.example"]),
        ("plan=FLEXIBLE", vec!["flex.example"]),
        ("reason=RESELLER_INITIATED", vec!["annual.example"]),
        (
            "renews_from=2027-01-15&renews_to=2027-01-15",
            vec!["annual.example"],
        ),
        ("renews_from=2027-01-17", vec![]),
        (
            "sort=renewal",
            vec!["annual.example", "flex.example", "fresh.example"],
        ),
    ] {
        let (answer, body) = send(&router, get(&format!("/partner?{query}"), &cookies)).await;
        assert_eq!(answer.status(), StatusCode::OK, "{query}");
        assert_eq!(column(&Html::parse_document(&body), 2), expected, "{query}");
    }
    // A filter that means nothing is marked beside its field; no list is guessed.
    let (answer, body) = send(
        &router,
        get("/partner?renews_from=15.01.2027&plan=GOLD", &cookies),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = Html::parse_document(&body);
    for field in ["renews_from", "plan"] {
        let control = select(&html, &format!("#{field}"));
        assert_eq!(
            control[0].value().attr("aria-invalid"),
            Some("true"),
            "{field}"
        );
        let described = control[0]
            .value()
            .attr("aria-describedby")
            .unwrap_or_default();
        assert!(
            described.contains(&format!("{field}-error")),
            "{field}: {described}"
        );
        assert_eq!(
            select(&html, &format!("#{field}-error")).len(),
            1,
            "{field}"
        );
    }
    assert!(column(&html, 2).is_empty());
    assert_eq!(
        hidden_value(&html, "#renews_from"),
        "15.01.2027",
        "what was typed is kept"
    );

    // The download: the filtered list as CSV, formulas defused.
    let link = select(&html, "a[download]");
    assert!(link.is_empty(), "no download link for filters with errors");
    let (_, body) = send(&router, get("/partner?sku=1010020027", &cookies)).await;
    let html = Html::parse_document(&body);
    let href = select(&html, "a[download]")[0]
        .value()
        .attr("href")
        .expect("href")
        .to_string();
    let (answer, csv) = send(&router, get(&href, &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        answer.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .starts_with("attachment"),
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[0].starts_with("Name,Cloud Identity ID,Domain"),
        "{csv}"
    );
    assert!(lines[1].starts_with("Annual Co,"), "{csv}");
    assert!(lines[1].contains("2027-01-15"), "{csv}");
    assert!(
        lines[2].starts_with("'=HYPERLINK(1),"),
        "a formula is defused: {csv}"
    );
}

#[tokio::test]
async fn customer_information_is_edited_with_every_error_beside_its_field() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let mut mine = customer("edit.example", "Edit Ltd", &reseller_id, 0);
    mine.alternate_email = Some("it@elsewhere.example".into());
    mine.postal_address.contact_name = Some("Ana Lima".into());
    mine.postal_address.postal_code = Some("94043".into());
    mine.postal_address.country_code = Some("US".into());
    store
        .insert_customer(&mine, event())
        .await
        .expect("customer");
    let cookies = sign_in(&router).await;
    let path = format!("/partner/customers/{}/edit", mine.id);
    let (answer, body) = send(&router, get(&path, &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = Html::parse_document(&body);
    assert_eq!(hidden_value(&html, "#organization_name"), "Edit Ltd");
    assert_eq!(hidden_value(&html, "#contact_name"), "Ana Lima");
    let csrf = hidden(&html, "csrf");
    let form = |org: &str, country: &str, alternate: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            ("organization_name".to_string(), org.to_string()),
            ("contact_name".to_string(), "Ana Lima".to_string()),
            ("postal_code".to_string(), "94043".to_string()),
            ("country_code".to_string(), country.to_string()),
            ("alternate_email".to_string(), alternate.to_string()),
        ]
    };
    let sent = form("New Name", "XX", "admin@edit.example");
    let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (answer, body) = send(&router, post(&path, &cookies, &pairs)).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{body}");
    let html = Html::parse_document(&body);
    for field in ["country_code", "alternate_email"] {
        let control = select(&html, &format!("#{field}"));
        assert_eq!(
            control[0].value().attr("aria-invalid"),
            Some("true"),
            "{field}"
        );
        let described = control[0]
            .value()
            .attr("aria-describedby")
            .unwrap_or_default();
        assert!(
            described.contains(&format!("{field}-error")),
            "{field}: {described}"
        );
    }
    assert_eq!(
        hidden_value(&html, "#organization_name"),
        "New Name",
        "typed text kept"
    );
    let unchanged = store.account(&mine.id).await.expect("read").expect("there");
    assert_eq!(
        unchanged.postal_address.organization_name.as_deref(),
        Some("Edit Ltd"),
        "nothing is saved while the form has errors"
    );

    let sent = form("New Name", "us", "it@elsewhere.example");
    let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (answer, _) = send(&router, post(&path, &cookies, &pairs)).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let saved = store.account(&mine.id).await.expect("read").expect("there");
    assert_eq!(
        saved.postal_address.organization_name.as_deref(),
        Some("New Name")
    );
    assert_eq!(saved.postal_address.country_code.as_deref(), Some("US"));
    assert_eq!(saved.phone_number, None);

    // Another reseller's customer: the same 404 as none, for the form and the post.
    let (_, theirs) = another_resellers_customer(
        store.as_ref(),
        "other-edit.example",
        "theirs-edit.example",
        "Theirs",
    )
    .await;
    let path = format!("/partner/customers/{}/edit", theirs.id);
    let (answer, _) = send(&router, get(&path, &cookies)).await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let (answer, _) = send(&router, post(&path, &cookies, &pairs)).await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let theirs_now = store
        .account(&theirs.id)
        .await
        .expect("read")
        .expect("there");
    assert_eq!(
        theirs_now.postal_address.organization_name.as_deref(),
        Some("Theirs")
    );
}

#[tokio::test]
async fn the_customer_switcher_opens_the_one_customer_named_and_never_another_resellers() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let one = customer("alpha-one.example", "Alpha One", &reseller_id, 0);
    let two = customer("alpha-two.example", "Alpha Two", &reseller_id, 0);
    for c in [&one, &two] {
        store.insert_customer(c, event()).await.expect("customer");
    }
    let (_, _) = another_resellers_customer(
        store.as_ref(),
        "switch-other.example",
        "zulu.example",
        "Zulu",
    )
    .await;
    let cookies = sign_in(&router).await;
    let location = |answer: &axum::http::Response<Body>| {
        answer.headers()[header::LOCATION]
            .to_str()
            .expect("ascii")
            .to_string()
    };
    let (answer, _) = send(&router, get("/partner/switch?q=ALPHA-T", &cookies)).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&answer), format!("/partner/customers/{}", two.id));
    let (answer, _) = send(&router, get("/partner/switch?q=alpha", &cookies)).await;
    assert_eq!(
        location(&answer),
        "/partner?q=alpha",
        "two match: the list, searched"
    );
    let (answer, _) = send(&router, get("/partner/switch?q=zulu", &cookies)).await;
    assert_eq!(
        location(&answer),
        "/partner?q=zulu",
        "another reseller's customer is not found"
    );
    let (_, body) = send(
        &router,
        get(&format!("/partner/customers/{}/edit", one.id), &cookies),
    )
    .await;
    let html = Html::parse_document(&body);
    assert_eq!(
        select(&html, "form.switcher input[name=q]").len(),
        1,
        "the edit page has the switcher"
    );
}

#[tokio::test]
async fn a_customer_page_shows_only_the_resellers_own_customers() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let mine = customer("mine.example", "Mine Ltd", &reseller_id, 0);
    store
        .insert_customer(&mine, event())
        .await
        .expect("customer");
    let (_, theirs) = another_resellers_customer(
        store.as_ref(),
        "another.example",
        "theirs.example",
        "Theirs Ltd",
    )
    .await;
    let cookies = sign_in(&router).await;

    let (_, body) = send(&router, get("/partner", &cookies)).await;
    let html = Html::parse_document(&body);
    let link = select(&html, "tbody a")
        .first()
        .and_then(|a| a.value().attr("href"))
        .expect("a link to the customer")
        .to_string();
    assert_eq!(link, format!("/partner/customers/{}", mine.id));
    let (answer, body) = send(&router, get(&link, &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = Html::parse_document(&body);
    assert_eq!(
        select(&html, "h1").iter().map(text).collect::<Vec<_>>(),
        ["Mine Ltd"]
    );
    let badges: Vec<String> = select(&html, ".badges li").iter().map(text).collect();
    assert!(
        badges.contains(&"Terms of Service not accepted yet".to_string()),
        "{badges:?}"
    );
    assert!(body.contains("No subscription yet."));
    // Another reseller's customer, by id or by domain: not found, nothing shown.
    for key in [theirs.id.as_str(), "theirs.example"] {
        let (answer, body) =
            send(&router, get(&format!("/partner/customers/{key}"), &cookies)).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{key}");
        assert!(!body.contains("Theirs Ltd"));
    }
}

#[tokio::test]
async fn every_page_shows_the_platform_time_once_the_clock_has_moved() {
    let store = partnerd_store::open("sqlite::memory:")
        .await
        .expect("in-memory store");
    let clock = Arc::new(SystemClock::default());
    let router = app(AppState::new(store, clock.clone(), "http://x.test", None));
    let (_, body) = send(&router, get("/signin", "")).await;
    assert!(!body.contains("platform-time"));
    clock.set_offset(40 * 86_400_000);
    let (_, body) = send(&router, get("/signin", "")).await;
    let html = Html::parse_document(&body);
    let note: Vec<String> = select(&html, ".platform-time").iter().map(text).collect();
    assert_eq!(note.len(), 1, "{body}");
    assert!(note[0].starts_with("Platform time: "), "{note:?}");
}

#[tokio::test]
async fn the_settings_page_shows_the_public_id_to_give_customers() {
    let (router, store, reseller_id) = world("http://x.test").await;
    let reseller = store
        .account(&reseller_id)
        .await
        .expect("read")
        .expect("reseller");
    let cookies = sign_in(&router).await;
    let (answer, body) = send(&router, get("/partner/settings", &cookies)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = Html::parse_document(&body);
    let facts: Vec<String> = select(&html, ".facts dd").iter().map(text).collect();
    assert_eq!(facts[0], "pages.example");
    assert_eq!(
        Some(facts[1].as_str()),
        reseller.reseller_public_id.as_deref()
    );
    assert_eq!(facts[3], "None", "no service account registered yet");
}

#[tokio::test]
async fn the_language_switcher_of_the_sign_in_page_works_while_signed_in() {
    let router = router("http://x.test").await;
    let cookies = sign_in(&router).await;
    // Adding a second account: the sign-in page is signed out by nature.
    let (_, body) = send(&router, get("/signin", &cookies)).await;
    let html = Html::parse_document(&body);
    let token = select(&html, "form.language input[name=csrf]")
        .first()
        .and_then(|e| e.value().attr("value"))
        .expect("switcher token")
        .to_string();
    let (answer, _) = send(
        &router,
        post(
            "/language",
            &cookies,
            &[("lang", "ja"), ("csrf", &token), ("continue", "/signin")],
        ),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert!(cookie_pair(&answer, "partnerd_lang").is_some_and(|c| c.ends_with("=ja")));
    // Any other form of a signed-in page still wants the session's token.
    let (answer, _) = send(&router, post("/signout", &cookies, &[("csrf", &token)])).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn unmatched_directory_api_paths_answer_the_apis_json_404_for_any_method() {
    let router = router("http://x.test").await;
    for method in ["GET", "POST", "PUT", "DELETE"] {
        let request = Request::builder()
            .method(method)
            .uri("/admin/directory/v1/customer//orgunits/")
            .body(Body::empty())
            .expect("request");
        let (answer, body) = send(&router, request).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{method}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("Google's JSON error");
        assert_eq!(json["error"]["code"], 404, "{method}");
    }
}
