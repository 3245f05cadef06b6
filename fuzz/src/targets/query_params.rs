//! Query strings and path IDs of every reading route (and the notification
//! registration, which takes its address as a query parameter).

use arbitrary::Arbitrary;
use http::Method;

use super::{Params, query, raw_query};
use crate::{Bytes, Key, Seeded, enc, enc_path, seeded};

#[derive(Arbitrary, Debug)]
pub struct Input {
    pub route: u8,
    pub a: Key,
    pub b: Key,
    pub c: Key,
    pub params: Params,
    /// Appended to the query as it is (only characters a URI cannot hold are encoded).
    pub raw: Bytes,
}

/// What a path placeholder names.
#[derive(Clone, Copy)]
enum Slot {
    Customer,
    DirectoryCustomer,
    Subscription,
    User,
    Role,
    Assignment,
    OrgUnit,
    Product,
    Sku,
}

const USERS_LIST: &[&str] = &[
    "customer",
    "domain",
    "query",
    "orderBy",
    "sortOrder",
    "maxResults",
    "pageToken",
    "projection",
    "viewType",
    "showDeleted",
    "customFieldMask",
    "event",
];

/// (method, path with {a} {b} {c}, what they name, query parameters)
const ROUTES: &[(Method, &str, &[Slot], &[&str])] = &[
    (
        Method::GET,
        "/apps/reseller/v1/subscriptions",
        &[],
        &[
            "customerId",
            "customerNamePrefix",
            "customerAuthToken",
            "maxResults",
            "pageToken",
        ],
    ),
    (
        Method::GET,
        "/apps/reseller/v1/customers/{a}",
        &[Slot::Customer],
        &[],
    ),
    (
        Method::GET,
        "/apps/reseller/v1/customers/{a}/subscriptions/{b}",
        &[Slot::Customer, Slot::Subscription],
        &[],
    ),
    (
        Method::GET,
        "/apps/reseller/v1/resellernotify/getwatchdetails",
        &[],
        &["serviceAccountEmailAddress"],
    ),
    (
        Method::POST,
        "/apps/reseller/v1/resellernotify/register",
        &[],
        &["serviceAccountEmailAddress"],
    ),
    (
        Method::POST,
        "/apps/reseller/v1/resellernotify/unregister",
        &[],
        &["serviceAccountEmailAddress"],
    ),
    (
        Method::GET,
        "/admin/directory/v1/customers/{a}",
        &[Slot::DirectoryCustomer],
        &[],
    ),
    (Method::GET, "/admin/directory/v1/users", &[], USERS_LIST),
    (
        Method::GET,
        "/admin/directory/v1/users/{a}",
        &[Slot::User],
        &["projection", "viewType", "customFieldMask"],
    ),
    (
        Method::GET,
        "/admin/directory/v1/customer/{a}/roles/ALL/privileges",
        &[Slot::DirectoryCustomer],
        &[],
    ),
    (
        Method::GET,
        "/admin/directory/v1/customer/{a}/roles",
        &[Slot::DirectoryCustomer],
        &["maxResults", "pageToken"],
    ),
    (
        Method::GET,
        "/admin/directory/v1/customer/{a}/roles/{b}",
        &[Slot::DirectoryCustomer, Slot::Role],
        &[],
    ),
    (
        Method::GET,
        "/admin/directory/v1/customer/{a}/roleassignments",
        &[Slot::DirectoryCustomer],
        &["roleId", "userKey", "maxResults", "pageToken"],
    ),
    (
        Method::GET,
        "/admin/directory/v1/customer/{a}/roleassignments/{b}",
        &[Slot::DirectoryCustomer, Slot::Assignment],
        &[],
    ),
    (
        Method::GET,
        "/admin/directory/v1/customer/{a}/orgunits",
        &[Slot::DirectoryCustomer],
        &["type", "orgUnitPath"],
    ),
    (
        Method::GET,
        "/admin/directory/v1/customer/{a}/orgunits/{b}",
        &[Slot::DirectoryCustomer, Slot::OrgUnit],
        &[],
    ),
    (
        Method::GET,
        "/apps/licensing/v1/product/{a}/users",
        &[Slot::Product],
        &["customerId", "maxResults", "pageToken"],
    ),
    (
        Method::GET,
        "/apps/licensing/v1/product/{a}/sku/{b}/users",
        &[Slot::Product, Slot::Sku],
        &["customerId", "maxResults", "pageToken"],
    ),
    (
        Method::GET,
        "/apps/licensing/v1/product/{a}/sku/{b}/user/{c}",
        &[Slot::Product, Slot::Sku, Slot::User],
        &[],
    ),
];

fn fill(slot: Slot, key: &Key, s: &Seeded) -> String {
    match slot {
        Slot::Customer => enc(&key.pick(&s.customers)),
        Slot::DirectoryCustomer => enc(&key.pick(&s.directory_customers)),
        Slot::Subscription => match key {
            Key::Seeded(i) => enc(&crate::harness().subscription(*i).1),
            Key::Text(t) => enc(t),
        },
        Slot::User => enc(&key.pick(&s.users)),
        Slot::Role => enc(&key.pick(&s.roles)),
        Slot::Assignment => enc(&key.pick(&s.role_assignments)),
        Slot::OrgUnit => {
            let mut units = s.org_unit_paths.clone();
            units.extend(s.org_unit_ids.iter().cloned());
            enc_path(&key.pick(&units))
        }
        Slot::Product => enc(&key.pick(&s.products)),
        Slot::Sku => enc(&key.pick(&s.skus)),
    }
}

pub fn run(input: Input) {
    let s = seeded();
    let (method, template, slots, names) = &ROUTES[input.route as usize % ROUTES.len()];
    let mut path = template.to_string();
    for (slot, (name, key)) in
        slots
            .iter()
            .zip([("{a}", &input.a), ("{b}", &input.b), ("{c}", &input.c)])
    {
        path = path.replace(name, &fill(*slot, key, s));
    }
    let mut uri = format!("{path}{}", query(names, &input.params, s));
    if !input.raw.0.is_empty() {
        uri.push(if uri.contains('?') { '&' } else { '?' });
        uri.push_str(&raw_query(&input.raw.0));
    }
    crate::run(method.clone(), &uri, None, Vec::new(), true);
}
