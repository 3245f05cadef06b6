//! partnerd's HTTP server: Google's APIs, the OAuth token endpoint, the control API.
//! Handlers translate and delegate: rules live in `partnerd-domain`, data in `partnerd-store`.

pub mod api;
pub mod caller;
pub mod control;
pub mod errors;
pub mod extract;
pub mod oauth;
pub mod provision;
pub mod state;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use crate::errors::ApiError;
pub use crate::state::AppState;

/// A request still running after this long is answered 503 (clients retry those).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/token", post(oauth::token))
        .merge(api::reseller::routes())
        .merge(control::routes())
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
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

/// Keeps this process's clock in step with the offset other processes store.
pub fn spawn_clock_sync(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            match state.store.clock_offset().await {
                Ok(offset) => state.clock.set_offset(offset),
                Err(e) => tracing::warn!(error = %e, "reading the clock offset"),
            }
        }
    })
}

/// Serves the app until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
