//! What each fuzz target sends: an `arbitrary`-derived input, turned into requests.
//! The binaries in `fuzz_targets/` only call these, so the inputs live in one place.

use arbitrary::Arbitrary;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::{Key, Seeded, enc};

pub mod batch_bodies;
pub mod directory_bodies;
pub mod jwt_assertion;
pub mod licensing_bodies;
pub mod page_tokens;
pub mod query_params;
pub mod reseller_bodies;
pub mod token_form;

/// A query parameter's value: absent, a plausible one, or arbitrary text.
#[derive(Arbitrary, Debug, Clone)]
pub enum Param {
    Absent,
    Known(u8),
    Text(String),
}

/// Query parameters: each a name the route understands (by index) and a value.
pub type Params = Vec<(u8, Param)>;

/// Plausible values of each query parameter the routes read.
pub fn known_values(name: &str, s: &Seeded) -> Vec<String> {
    let v = |items: &[&str]| items.iter().map(|i| i.to_string()).collect::<Vec<_>>();
    match name {
        "customerId" => s.customers.clone(),
        "customer" => s.directory_customers.clone(),
        "domain" => v(&[
            crate::CUSTOMER_DOMAIN,
            crate::RESELLER_DOMAIN,
            "nowhere.com",
        ]),
        "customerNamePrefix" => v(&["fuzz", "fuzz-c", "", "%", "_"]),
        "customerAuthToken" => v(&["", "not-a-token", "0000000000"]),
        "action" => v(&["buy", "switch", "actionUnspecified", "", "BUY"]),
        "sourceSkuId" | "skuId" => s.skus.clone(),
        "maxResults" => v(&[
            "1",
            "2",
            "100",
            "500",
            "0",
            "-1",
            "501",
            "1e3",
            "18446744073709551617",
        ]),
        "pageToken" => {
            let mut t: Vec<String> = s.page_tokens.iter().map(|(_, t)| t.clone()).collect();
            t.push(String::new());
            t
        }
        "query" => v(&[
            "email:ana*",
            "givenName:Ana",
            "familyName='Lima'",
            "isAdmin=true",
            "isSuspended=false",
            "orgUnitPath='/Fuzz1'",
            "name:'Ana Lima'",
            "email:ana@fuzz-customer.com",
            "nope:x",
            "'",
        ]),
        "orderBy" => v(&["email", "givenName", "familyName", "name", ""]),
        "sortOrder" => v(&["ASCENDING", "DESCENDING", "ascending", ""]),
        "projection" => v(&["basic", "full", "custom"]),
        "viewType" => v(&["admin_view", "domain_public"]),
        "showDeleted" => v(&["true", "false"]),
        "customFieldMask" => v(&["a,b"]),
        "type" => v(&["all", "children", "allIncludingParent", "ALL", ""]),
        "orgUnitPath" => {
            let mut p: Vec<String> = s.org_unit_paths.iter().map(|p| format!("/{p}")).collect();
            p.extend(s.org_unit_ids.iter().cloned());
            p.push("/".into());
            p
        }
        "roleId" => s.roles.clone(),
        "userKey" => s.users.clone(),
        "serviceAccountEmailAddress" => v(&[
            "pubsub@fuzz-project.iam.gserviceaccount.com",
            "not-an-address",
            "",
        ]),
        "deletionType" => v(&["cancel", "transfer_to_direct", "downgrade", "suspend"]),
        _ => v(&["", "true", "1"]),
    }
}

/// `?name=value&…` for the parameters the input chose among `names` ("" if none).
pub fn query(names: &[&str], params: &Params, s: &Seeded) -> String {
    if names.is_empty() {
        return String::new();
    }
    let mut pairs = Vec::new();
    for (which, param) in params {
        let name = names[*which as usize % names.len()];
        let value = match param {
            Param::Absent => continue,
            Param::Known(i) => Key::Seeded(*i).pick(&known_values(name, s)),
            Param::Text(t) => t.clone(),
        };
        pairs.push(format!("{name}={}", enc(&value)));
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// Characters a URI cannot carry in its query; everything else (`&`, `=`, `%`, `+`)
/// is left for the server's query parser to deal with.
const NOT_IN_QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// Raw fuzz text made fit for a query string without taking its structure away.
pub fn raw_query(bytes: &[u8]) -> String {
    utf8_percent_encode(&crate::text(bytes), NOT_IN_QUERY).to_string()
}
