//! JSON bodies of the Directory API's writing methods.

use arbitrary::Arbitrary;
use http::Method;

use super::{Params, query};
use crate::{Bytes, Key, enc, enc_path, seeded};

#[derive(Arbitrary, Debug)]
pub struct Input {
    pub route: u8,
    pub customer: Key,
    /// The user, role or org unit the route names.
    pub object: Key,
    pub params: Params,
    pub body: Bytes,
}

#[derive(Clone, Copy)]
enum Object {
    None,
    User,
    Role,
    OrgUnit,
}

const D: &str = "/admin/directory/v1";

/// (method, path after /admin/directory/v1, what {o} names, query parameters)
const ROUTES: &[(Method, &str, Object, &[&str])] = &[
    (
        Method::POST,
        "/users",
        Object::None,
        &["resolveConflictAccount"],
    ),
    (Method::PATCH, "/users/{o}", Object::User, &[]),
    (Method::PUT, "/users/{o}", Object::User, &[]),
    (Method::POST, "/users/{o}/makeAdmin", Object::User, &[]),
    (Method::POST, "/users/{o}/undelete", Object::User, &[]),
    (Method::PATCH, "/customers/{c}", Object::None, &[]),
    (Method::PUT, "/customers/{c}", Object::None, &[]),
    (Method::POST, "/customer/{c}/roles", Object::None, &[]),
    (Method::PATCH, "/customer/{c}/roles/{o}", Object::Role, &[]),
    (Method::PUT, "/customer/{c}/roles/{o}", Object::Role, &[]),
    (
        Method::POST,
        "/customer/{c}/roleassignments",
        Object::None,
        &[],
    ),
    (Method::POST, "/customer/{c}/orgunits", Object::None, &[]),
    (
        Method::PATCH,
        "/customer/{c}/orgunits/{o}",
        Object::OrgUnit,
        &[],
    ),
    (
        Method::PUT,
        "/customer/{c}/orgunits/{o}",
        Object::OrgUnit,
        &[],
    ),
];

pub fn run(input: Input) {
    let s = seeded();
    let (method, template, object, names) = &ROUTES[input.route as usize % ROUTES.len()];
    let object = match object {
        Object::None => String::new(),
        Object::User => enc(&input.object.pick(&s.users)),
        Object::Role => enc(&input.object.pick(&s.roles)),
        Object::OrgUnit => {
            let mut units = s.org_unit_paths.clone();
            units.extend(s.org_unit_ids.iter().cloned());
            enc_path(&input.object.pick(&units))
        }
    };
    let path = template
        .replace("{c}", &enc(&input.customer.pick(&s.directory_customers)))
        .replace("{o}", &object);
    let uri = format!("{D}{path}{}", query(names, &input.params, s));
    crate::run(
        method.clone(),
        &uri,
        Some("application/json"),
        crate::expand(input.body.0),
        true,
    );
}
