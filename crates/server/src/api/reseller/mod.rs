//! Reseller API v1, under `/apps/reseller/v1`.

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

mod customers;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps/reseller/v1/customers", post(customers::insert))
        .route(
            "/apps/reseller/v1/customers/{customer_id}",
            get(customers::get)
                .patch(customers::patch)
                .put(customers::update),
        )
}
