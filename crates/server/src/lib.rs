//! partnerd's HTTP server: Google's APIs, the OAuth token endpoint, the control API.
//! Handlers translate and delegate: rules live in `partnerd-domain`, data in `partnerd-store`.

pub mod api;
pub mod batch;
pub mod billing;
pub mod bodies;
pub mod caller;
pub mod connections;
pub mod control;
pub mod discovery;
pub mod errors;
pub mod extract;
pub mod faults;
pub mod fields;
pub mod gam;
pub mod limits;
pub mod mail;
pub mod methods;
pub mod oauth;
pub mod openapi;
pub mod paging;
pub mod privileges;
pub mod provision;
pub mod state;
pub mod web;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

pub use crate::connections::ConnectionLimits;
use crate::errors::ApiError;
pub use crate::state::AppState;

/// A request still running after this long is answered 503 (clients retry those).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn app(state: AppState) -> Router {
    let whole = routes(state);
    // A batch's requests each go through everything else, as if sent alone.
    Router::new()
        .route("/batch", post(batch::handle))
        // The Site Verification document's batchPath.
        .route("/batch/siteVerification/v1", post(batch::handle))
        .with_state(whole.clone())
        .merge(whole)
}

fn routes(state: AppState) -> Router {
    Router::new()
        .route("/token", post(oauth::token))
        .route("/revoke", post(oauth::revoke))
        .merge(api::reseller::routes())
        .merge(api::directory::routes())
        .merge(api::licensing::routes())
        .merge(api::site_verification::routes())
        .merge(control::routes())
        .merge(faults::routes())
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), gate))
        // The consoles are outside the gate: faults and rate limits are the API's.
        .merge(web::routes(state.clone()))
        // Health and the route list are outside the gate: never faulted or limited.
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/openapi.json", get(openapi::serve))
        .merge(discovery::routes())
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        .layer(axum::middleware::from_fn(read_whole_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request handler panicked");
            ApiError::internal().into_response()
        }))
        .with_state(state)
}

/// Reads every request body before routing. A handler refusing early (a bad token, say)
/// would otherwise answer before the body arrived, and the server would have to drop a
/// connection the client means to reuse: Google's clients keep one per host.
async fn read_whole_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let error = match bodies::read(body, extract::BODY_LIMIT).await {
        bodies::Read::Whole(bytes) => {
            return next
                .run(axum::extract::Request::from_parts(
                    parts,
                    axum::body::Body::from(bytes),
                ))
                .await;
        }
        bodies::Read::TooLarge => ApiError::too_large(extract::BODY_LIMIT),
        // Broken chunked framing, a body cut short: the request itself is malformed.
        bodies::Read::Malformed => {
            ApiError::bad_request("The request body could not be read: it is malformed.")
        }
    };
    // What is left of the body is not read: the connection ends with this answer.
    let mut response = error.into_response();
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

/// What happens to a routed request before its handler: an injected fault, then the
/// per-token rate limit. Both match on the Google method the route implements; the
/// control API passes untouched, so a tester can always undo a fault.
async fn gate(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method_id = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .and_then(|matched| methods::CATALOGUE.method_id(request.method(), matched.as_str()));
    let Some(method_id) = method_id.filter(|id| *id != methods::CONTROL_METHOD) else {
        return next.run(request).await;
    };
    let fault = if state.faults.is_empty() {
        None
    } else {
        state.faults.pick(method_id)
    };
    if let Some((id, hit)) = &fault
        && let Some(answer) = faults::delay_or_fail(id, hit).await
    {
        return answer;
    }
    if let Some(limits) = &state.rate_limits
        && method_id != methods::TOKEN_METHOD
        && let Ok(Some(token)) = caller::bearer_of(request.headers(), request.uri())
        && let Some(refusal) = limits.check(&token)
    {
        return refusal;
    }
    let selection = match fields::of_request(request.uri(), method_id) {
        Ok(selection) => selection,
        Err(refusal) => return refusal.into_response(),
    };
    let mut response = next.run(request).await;
    if let Some(selection) = &selection {
        response = fields::narrow(response, selection).await;
    }
    if let Some((id, _)) = &fault {
        faults::mark(&mut response, id);
    }
    response
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.is_empty().await {
        Ok(_) => "ok".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn unknown_route() -> ApiError {
    ApiError::not_found("The requested URL was not found on this server.")
}

async fn wrong_method() -> ApiError {
    ApiError::method_not_allowed()
}

/// The work that happens as time passes, in every partnerd process on a database: the
/// clock follows the offset other processes store, due transitions are applied (each by
/// one process only, see `billing::run_due`), and queued pushes are delivered.
pub fn spawn_background(state: AppState) {
    if let Some(limits) = state.rate_limits.clone() {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                limits.forget_idle();
            }
        });
    }
    // Parsing the discovery documents takes milliseconds: not on the first request.
    std::sync::LazyLock::force(&methods::CATALOGUE);
    mail::spawn_delivery(&state);
    let clock_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            // Picks up a move of the clock another process made.
            if let Err(e) = partnerd_app::platform::now(&clock_state.ops).await {
                tracing::warn!(error = %e, "reading the clock offset");
            }
            let now = partnerd_domain::Clock::now(clock_state.clock.as_ref());
            if let Err(e) = billing::run_due(&clock_state, now).await {
                tracing::warn!(error = %e.message, "applying due transitions");
            }
        }
    });
    tokio::spawn(async move {
        let client = match reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "no HTTP client: push notifications are off");
                return;
            }
        };
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        loop {
            tick.tick().await;
            // A full batch means more are waiting: go on without waiting for the tick.
            loop {
                match billing::deliver_pushes(&state, &client).await {
                    Ok(delivered) if delivered == billing::DELIVERY_BATCH => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e.message, "delivering push notifications");
                        break;
                    }
                }
            }
        }
    });
}

/// Serves the app until `shutdown` resolves, then lets requests in flight finish (for at
/// most the shutdown grace of `limits`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    connections::serve(listener, app(state), limits, shutdown).await
}
