//! JSON bodies of the Licensing API's `licenseAssignments` insert, patch and update.

use arbitrary::Arbitrary;
use http::Method;

use crate::{Bytes, Key, enc, seeded};

#[derive(Arbitrary, Debug)]
pub struct Input {
    pub route: u8,
    pub product: Key,
    pub sku: Key,
    pub user: Key,
    pub body: Bytes,
}

const ROUTES: &[(Method, &str)] = &[
    (Method::POST, "/apps/licensing/v1/product/{p}/sku/{s}/user"),
    (
        Method::PATCH,
        "/apps/licensing/v1/product/{p}/sku/{s}/user/{u}",
    ),
    (
        Method::PUT,
        "/apps/licensing/v1/product/{p}/sku/{s}/user/{u}",
    ),
];

pub fn run(input: Input) {
    let s = seeded();
    let (method, template) = &ROUTES[input.route as usize % ROUTES.len()];
    let uri = template
        .replace("{p}", &enc(&input.product.pick(&s.products)))
        .replace("{s}", &enc(&input.sku.pick(&s.skus)))
        .replace("{u}", &enc(&input.user.pick(&s.users)));
    crate::run(
        method.clone(),
        &uri,
        Some("application/json"),
        crate::expand(input.body.0),
        true,
    );
}
