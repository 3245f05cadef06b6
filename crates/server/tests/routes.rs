//! The router and `methods::IMPLEMENTED` agree: every discovery method partnerd lists is
//! routed, and every other one falls through to "not found" or "method not allowed".
//! Faults, rate limits and the OpenAPI document all rely on that list.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use partnerd_domain::SystemClock;
use partnerd_server::methods::{CATALOGUE, IMPLEMENTED};
use partnerd_server::{AppState, app};
use tower::ServiceExt;

#[tokio::test]
async fn implemented_list_matches_the_router() {
    let store = partnerd_store::open("sqlite::memory:")
        .await
        .expect("in-memory store");
    let state = AppState::new(store, Arc::new(SystemClock::default()), "http://x", None);
    let router = app(state);
    let mut mismatches = Vec::new();
    for method in &CATALOGUE.methods {
        let path = method
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let request = Request::builder()
            .method(method.http_method.clone())
            .uri(&path)
            .body(Body::empty())
            .expect("request");
        let status = router
            .clone()
            .oneshot(request)
            .await
            .expect("answer")
            .status();
        // Without credentials a routed method answers 401 before anything else.
        let routed = status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED;
        if routed != IMPLEMENTED.contains(&method.id.as_str()) {
            mismatches.push(format!(
                "{} {} {path} → {status}",
                method.id, method.http_method
            ));
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}
