//! Google's API methods as their discovery documents describe them: which request is which
//! method (fault injection and rate limits match method IDs such as
//! `reseller.subscriptions.insert`), and which of them partnerd implements (the OpenAPI
//! document is built from those).

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::Method;
use serde_json::Value;

/// The discovery documents of the APIs partnerd serves, as Google publishes them.
const DISCOVERY: [&str; 4] = [
    include_str!("../discovery/reseller.v1.json"),
    include_str!("../discovery/admin.directory_v1.json"),
    include_str!("../discovery/licensing.v1.json"),
    include_str!("../discovery/siteVerification.v1.json"),
];

/// The method of the OAuth token endpoint (not in any discovery document).
pub const TOKEN_METHOD: &str = "oauth2.token";
/// Every control-API route; never faulted or rate limited, so tests can always undo.
pub const CONTROL_METHOD: &str = "partnerd.control";

/// The discovery methods partnerd serves. `tests::implemented_list_matches_the_router`
/// keeps this list and the router in step.
pub const IMPLEMENTED: &[&str] = &[
    "reseller.customers.get",
    "reseller.customers.insert",
    "reseller.customers.patch",
    "reseller.customers.update",
    "reseller.resellernotify.getwatchdetails",
    "reseller.resellernotify.register",
    "reseller.resellernotify.unregister",
    "reseller.subscriptions.activate",
    "reseller.subscriptions.changePlan",
    "reseller.subscriptions.changeRenewalSettings",
    "reseller.subscriptions.changeSeats",
    "reseller.subscriptions.delete",
    "reseller.subscriptions.get",
    "reseller.subscriptions.insert",
    "reseller.subscriptions.list",
    "reseller.subscriptions.startPaidService",
    "reseller.subscriptions.suspend",
    "directory.customers.get",
    "directory.customers.patch",
    "directory.customers.update",
    "directory.users.insert",
    "directory.users.list",
    "directory.users.get",
    "directory.users.patch",
    "directory.users.update",
    "directory.users.delete",
    "directory.users.makeAdmin",
    "directory.users.undelete",
    "directory.privileges.list",
    "directory.roles.list",
    "directory.roles.insert",
    "directory.roles.get",
    "directory.roles.patch",
    "directory.roles.update",
    "directory.roles.delete",
    "directory.roleAssignments.list",
    "directory.roleAssignments.insert",
    "directory.roleAssignments.get",
    "directory.roleAssignments.delete",
    "directory.orgunits.list",
    "directory.orgunits.insert",
    "directory.orgunits.get",
    "directory.orgunits.patch",
    "directory.orgunits.update",
    "directory.orgunits.delete",
    "directory.users.aliases.insert",
    "directory.users.aliases.list",
    "directory.users.aliases.delete",
    "directory.groups.insert",
    "directory.groups.get",
    "directory.groups.list",
    "directory.groups.patch",
    "directory.groups.update",
    "directory.groups.delete",
    "directory.members.insert",
    "directory.members.get",
    "directory.members.list",
    "directory.members.hasMember",
    "directory.members.patch",
    "directory.members.update",
    "directory.members.delete",
    "licensing.licenseAssignments.delete",
    "licensing.licenseAssignments.get",
    "licensing.licenseAssignments.insert",
    "licensing.licenseAssignments.listForProduct",
    "licensing.licenseAssignments.listForProductAndSku",
    "licensing.licenseAssignments.patch",
    "licensing.licenseAssignments.update",
    "siteVerification.webResource.getToken",
    "siteVerification.webResource.insert",
    "siteVerification.webResource.get",
    "siteVerification.webResource.list",
    "siteVerification.webResource.delete",
    "siteVerification.webResource.patch",
    "siteVerification.webResource.update",
];

/// One method of a discovery document.
pub struct ApiMethod {
    pub id: String,
    pub http_method: Method,
    /// The path with one `{name}` per segment parameter, from `/`.
    pub path: String,
    /// The method's description in its document.
    pub description: Value,
    /// Index into `Catalogue::documents`.
    pub document: usize,
}

pub struct Catalogue {
    pub documents: Vec<Value>,
    pub methods: Vec<ApiMethod>,
    by_route: HashMap<(Method, String), usize>,
}

pub static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::load);

impl Catalogue {
    fn load() -> Catalogue {
        let documents: Vec<Value> = DISCOVERY
            .iter()
            .map(|text| serde_json::from_str(text).expect("embedded discovery documents parse"))
            .collect();
        let mut methods = Vec::new();
        for (index, document) in documents.iter().enumerate() {
            let service_path = document["servicePath"].as_str().unwrap_or_default();
            collect(document, index, service_path, &mut methods);
        }
        let by_route = methods
            .iter()
            .enumerate()
            .map(|(i, m)| ((m.http_method.clone(), route_key(&m.path)), i))
            .collect();
        Catalogue {
            documents,
            methods,
            by_route,
        }
    }

    pub fn get(&self, id: &str) -> Option<&ApiMethod> {
        self.methods.iter().find(|m| m.id == id)
    }

    /// The schema of a method's answer, with the schemas of its document (`None` for a
    /// method that answers nothing, or is not Google's).
    pub fn response_schema(&self, id: &str) -> Option<(&Value, &Value)> {
        let method = self.get(id)?;
        let response = method.description.get("response")?;
        Some((response, &self.documents[method.document]["schemas"]))
    }

    /// The method a request matched, from the route pattern axum matched.
    pub fn method_id(&self, method: &Method, matched_path: &str) -> Option<&str> {
        if matched_path == "/token" {
            return Some(TOKEN_METHOD);
        }
        if matched_path.starts_with("/partnerd/") {
            return Some(CONTROL_METHOD);
        }
        self.by_route
            .get(&(method.clone(), route_key(matched_path)))
            .map(|&i| self.methods[i].id.as_str())
    }
}

/// The methods below `node`; their paths are relative to the document's `servicePath`
/// (empty for the Reseller, Directory and Licensing documents, `siteVerification/v1/`).
fn collect(node: &Value, document: usize, service_path: &str, out: &mut Vec<ApiMethod>) {
    if let Some(methods) = node["methods"].as_object() {
        for m in methods.values() {
            let path = m["flatPath"].as_str().or(m["path"].as_str()).unwrap_or("");
            let http_method = m["httpMethod"]
                .as_str()
                .and_then(|s| Method::from_bytes(s.as_bytes()).ok())
                .unwrap_or(Method::GET);
            out.push(ApiMethod {
                id: m["id"].as_str().unwrap_or_default().to_string(),
                http_method,
                path: format!("/{service_path}{}", path.trim_start_matches('/')),
                description: m.clone(),
                document,
            });
        }
    }
    if let Some(resources) = node["resources"].as_object() {
        for r in resources.values() {
            collect(r, document, service_path, out);
        }
    }
}

/// A route pattern with its parameter names dropped: Google's documents and partnerd's
/// router name parameters differently (`{customerId}`, `{customer_id}`, `{*org_unit_path}`).
fn route_key(path: &str) -> String {
    path.trim_start_matches('/')
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `pattern` (`*` matching any run of characters) matches a method ID.
pub fn matches(pattern: &str, id: &str) -> bool {
    wildmatch::WildMatch::new(pattern).matches(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_implemented_method_is_in_a_discovery_document() {
        for id in IMPLEMENTED {
            assert!(
                CATALOGUE.get(id).is_some(),
                "{id} is not a discovery method"
            );
        }
    }

    #[test]
    fn routes_map_to_method_ids() {
        let c = &*CATALOGUE;
        assert_eq!(
            c.method_id(
                &Method::POST,
                "/apps/reseller/v1/customers/{customer_id}/subscriptions/{subscription_id}/changeSeats"
            ),
            Some("reseller.subscriptions.changeSeats")
        );
        assert_eq!(
            c.method_id(
                &Method::GET,
                "/admin/directory/v1/customer/{customer}/orgunits/{*org_unit_path}"
            ),
            Some("directory.orgunits.get")
        );
        assert_eq!(
            c.method_id(
                &Method::GET,
                "/admin/directory/v1/customer/{customer}/roles/ALL/privileges"
            ),
            Some("directory.privileges.list")
        );
        assert_eq!(c.method_id(&Method::POST, "/token"), Some(TOKEN_METHOD));
        assert_eq!(
            c.method_id(&Method::POST, "/partnerd/v1/faults"),
            Some(CONTROL_METHOD)
        );
        assert_eq!(c.method_id(&Method::GET, "/healthz"), None);
    }

    #[test]
    fn globs() {
        assert!(matches("reseller.*", "reseller.customers.get"));
        assert!(matches("*.get", "directory.users.get"));
        assert!(!matches("reseller.*", "directory.users.get"));
        assert!(matches(
            "reseller.subscriptions.insert",
            "reseller.subscriptions.insert"
        ));
        assert!(!matches(
            "reseller.subscriptions.insert",
            "reseller.subscriptions.insertx"
        ));
    }
}
