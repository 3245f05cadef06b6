//! JSON bodies of the Reseller API's writing methods.

use arbitrary::Arbitrary;
use http::Method;

use super::{Params, query};
use crate::{Bytes, Key, enc, harness, seeded};

#[derive(Arbitrary, Debug)]
pub struct Input {
    pub route: u8,
    pub customer: Key,
    pub subscription: Key,
    pub params: Params,
    pub body: Bytes,
}

const SUB: &str = "/apps/reseller/v1/customers/{c}/subscriptions/{s}";

/// (method, path template, query parameters the route reads)
const ROUTES: &[(Method, &str, &[&str])] = &[
    (
        Method::POST,
        "/apps/reseller/v1/customers",
        &["customerAuthToken"],
    ),
    (Method::PATCH, "/apps/reseller/v1/customers/{c}", &[]),
    (Method::PUT, "/apps/reseller/v1/customers/{c}", &[]),
    (
        Method::POST,
        "/apps/reseller/v1/customers/{c}/subscriptions",
        &["customerAuthToken", "action", "sourceSkuId"],
    ),
    (Method::POST, "{sub}/changePlan", &[]),
    (Method::POST, "{sub}/changeSeats", &[]),
    (Method::POST, "{sub}/changeRenewalSettings", &[]),
    (
        Method::POST,
        "/apps/reseller/v1/resellernotify/register",
        &["serviceAccountEmailAddress"],
    ),
    (
        Method::POST,
        "/apps/reseller/v1/resellernotify/unregister",
        &["serviceAccountEmailAddress"],
    ),
];

pub fn run(input: Input) {
    let s = seeded();
    let (method, template, names) = &ROUTES[input.route as usize % ROUTES.len()];
    let template = template.replace("{sub}", SUB);
    let (customer, subscription) = subscription_path(&template, &input);
    let path = template
        .replace("{c}", &enc(&customer))
        .replace("{s}", &enc(&subscription));
    let uri = format!("{path}{}", query(names, &input.params, s));
    let answer = crate::run(
        method.clone(),
        &uri,
        Some("application/json"),
        crate::expand(input.body.0),
        true,
    );
    if template.contains("{s}")
        && matches!(input.subscription, Key::Seeded(_))
        && answer.is_some_and(|a| a.status == http::StatusCode::NOT_FOUND)
    {
        harness().refresh_subscriptions();
    }
}

/// The customer and subscription a route names: a seeded subscription comes with its
/// own customer unless the customer is fuzzed text.
pub fn subscription_path(template: &str, input: &Input) -> (String, String) {
    let s = seeded();
    match (&input.subscription, &input.customer) {
        (Key::Seeded(i), Key::Seeded(_)) if template.contains("{s}") => harness().subscription(*i),
        (Key::Seeded(i), customer) => (customer.pick(&s.customers), harness().subscription(*i).1),
        (sub, customer) => (customer.pick(&s.customers), sub.pick(&s.subscriptions)),
    }
}
