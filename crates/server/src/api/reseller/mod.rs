//! Reseller API v1, under `/apps/reseller/v1`.

use axum::Router;
use axum::routing::{get, post};

const SUBSCRIPTION: &str =
    "/apps/reseller/v1/customers/{customer_id}/subscriptions/{subscription_id}";

use crate::state::AppState;

mod customers;
mod notify;
mod subscriptions;
mod transfers;
mod wire;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps/reseller/v1/customers", post(customers::insert))
        .route(
            "/apps/reseller/v1/customers/{customer_id}",
            get(customers::get)
                .patch(customers::patch)
                .put(customers::update),
        )
        .route(
            "/apps/reseller/v1/customers/{customer_id}/subscriptions",
            post(subscriptions::insert),
        )
        .route(
            SUBSCRIPTION,
            get(subscriptions::get).delete(subscriptions::delete),
        )
        .route(
            &format!("{SUBSCRIPTION}/changePlan"),
            post(subscriptions::change_plan),
        )
        .route(
            &format!("{SUBSCRIPTION}/changeSeats"),
            post(subscriptions::change_seats),
        )
        .route(
            &format!("{SUBSCRIPTION}/changeRenewalSettings"),
            post(subscriptions::change_renewal_settings),
        )
        .route(
            &format!("{SUBSCRIPTION}/startPaidService"),
            post(subscriptions::start_paid_service),
        )
        .route(
            &format!("{SUBSCRIPTION}/suspend"),
            post(subscriptions::suspend),
        )
        .route(
            &format!("{SUBSCRIPTION}/activate"),
            post(subscriptions::activate),
        )
        .route("/apps/reseller/v1/subscriptions", get(subscriptions::list))
        .route(
            "/apps/reseller/v1/resellernotify/register",
            post(notify::register),
        )
        .route(
            "/apps/reseller/v1/resellernotify/unregister",
            post(notify::unregister),
        )
        .route(
            "/apps/reseller/v1/resellernotify/getwatchdetails",
            get(notify::getwatchdetails),
        )
}
