//! The discovery service, for clients that build themselves from discovery documents
//! and the tools that cache them: the embedded documents with their `rootUrl`,
//! `baseUrl` and `mtlsRootUrl` pointing at this server, at Google's two addresses, and
//! the directory list that names them.
//!
//! - `GET /discovery/v1/apis` — the directory list (`name=` and `preferred=true` filter).
//! - `GET /discovery/v1/apis/{api}/{version}/rest` — one document (`reseller`/`v1`,
//!   `admin`/`directory_v1`, `licensing`/`v1`, `siteVerification`/`v1`).
//! - `GET /$discovery/rest?version={version}` — Google serves this on each API's own host
//!   (`reseller.googleapis.com`). partnerd serves every API on one host, so the API is
//!   the host name's first label when that names one (`reseller.partnerd.example`), else
//!   the `api` parameter, else the only API with that version; `v1` without either is the
//!   Reseller API, the platform's own.
//!
//! Public, like Google's: no token, never faulted or rate limited.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::errors::ApiError;
use crate::extract::{Path, Query};
use crate::methods::CATALOGUE;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/discovery/v1/apis", get(directory_list))
        .route("/discovery/v1/apis/{api}/{version}/rest", get(by_path))
        .route("/$discovery/rest", get(by_host))
}

/// The documents as this server serves them: rendered once per public URL.
struct Rendered {
    /// `(name, version, JSON text)`, in the catalogue's order.
    documents: Vec<(String, String, String)>,
    list: Vec<Value>,
}

/// Keyed by public URL: a process normally has one, tests several.
static RENDERED: LazyLock<Mutex<HashMap<String, Arc<Rendered>>>> = LazyLock::new(Mutex::default);

fn rendered(public_url: &str) -> Arc<Rendered> {
    let mut cache = RENDERED.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(public_url.to_string())
        .or_insert_with(|| Arc::new(render(public_url)))
        .clone()
}

fn render(public_url: &str) -> Rendered {
    let root = format!("{}/", public_url.trim_end_matches('/'));
    let mut documents = Vec::new();
    let mut list = Vec::new();
    for original in &CATALOGUE.documents {
        let mut document = original.clone();
        let service_path = document["servicePath"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        document["rootUrl"] = json!(root);
        document["mtlsRootUrl"] = json!(root);
        document["baseUrl"] = json!(format!("{root}{service_path}"));
        let name = document["name"].as_str().unwrap_or_default().to_string();
        let version = document["version"].as_str().unwrap_or_default().to_string();
        list.push(json!({
            "kind": "discovery#directoryItem",
            "id": document["id"],
            "name": name,
            "version": version,
            "title": document["title"],
            "description": document["description"],
            "discoveryRestUrl": format!("{root}discovery/v1/apis/{name}/{version}/rest"),
            "icons": document["icons"],
            "documentationLink": document["documentationLink"],
            "preferred": true,
        }));
        documents.push((name, version, document.to_string()));
    }
    Rendered { documents, list }
}

/// The document of `name`/`version` as this server serves it at `public_url`.
pub fn document_text(public_url: &str, name: &str, version: &str) -> Option<String> {
    rendered(public_url)
        .documents
        .iter()
        .find(|(n, v, _)| n == name && v == version)
        .map(|(_, _, text)| text.clone())
}

fn json_text(text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=UTF-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        text,
    )
        .into_response()
}

#[derive(Deserialize)]
struct ListQuery {
    name: Option<String>,
    preferred: Option<String>,
}

async fn directory_list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let preferred_only = match query.preferred.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::invalid_parameter(
                "preferred",
                format!("Invalid value for preferred: {other}"),
            ));
        }
    };
    let rendered = rendered(&state.public_url);
    let items: Vec<&Value> = rendered
        .list
        .iter()
        .filter(|item| query.name.as_ref().is_none_or(|n| item["name"] == **n))
        .filter(|item| !preferred_only || item["preferred"] == true)
        .collect();
    let mut body = json!({"kind": "discovery#directoryList", "discoveryVersion": "v1"});
    // Google leaves `items` out when nothing matches.
    if !items.is_empty() {
        body["items"] = json!(items);
    }
    Ok(json_text(body.to_string()))
}

async fn by_path(
    State(state): State<AppState>,
    Path((api, version)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let rendered = rendered(&state.public_url);
    rendered
        .documents
        .iter()
        .find(|(n, v, _)| *n == api && *v == version)
        .map(|(_, _, text)| json_text(text.clone()))
        .ok_or_else(|| ApiError::not_found("Requested entity was not found."))
}

#[derive(Deserialize)]
struct HostQuery {
    version: Option<String>,
    api: Option<String>,
}

async fn by_host(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HostQuery>,
) -> Result<Response, ApiError> {
    let version = query
        .version
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter("version", "Required parameter: version"))?;
    let host_label = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split('.').next())
        .map(str::to_ascii_lowercase);
    let rendered = rendered(&state.public_url);
    let with_version: Vec<&(String, String, String)> = rendered
        .documents
        .iter()
        .filter(|(_, v, _)| *v == version)
        .collect();
    let chosen = choose(&with_version, host_label.as_deref(), query.api.as_deref());
    chosen
        .map(|(_, _, text)| json_text(text.clone()))
        .ok_or_else(|| ApiError::not_found("Requested entity was not found."))
}

/// Which of the documents with the asked version a `$discovery` request means: the one
/// its host names, else the one `api` names, else the only one, else the Reseller API's.
fn choose<'a>(
    with_version: &[&'a (String, String, String)],
    host_label: Option<&str>,
    api: Option<&str>,
) -> Option<&'a (String, String, String)> {
    // Host names are lower-case; `siteVerification` is served at `siteverification.…`.
    let named = |name: &str| {
        with_version
            .iter()
            .copied()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
    };
    if let Some(found) = host_label.and_then(named) {
        return Some(found);
    }
    if let Some(api) = api {
        return named(api);
    }
    match with_version {
        [only] => Some(only),
        _ => named("reseller"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_points_at_the_public_url() {
        let rendered = render("http://partnerd.test:9000/");
        let names: Vec<(&str, &str)> = rendered
            .documents
            .iter()
            .map(|(n, v, _)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("reseller", "v1"),
                ("admin", "directory_v1"),
                ("licensing", "v1"),
                ("siteVerification", "v1")
            ]
        );
        for (_, _, text) in &rendered.documents {
            let document: Value = serde_json::from_str(text).expect("json");
            assert_eq!(document["rootUrl"], "http://partnerd.test:9000/");
            let service_path = document["servicePath"].as_str().expect("servicePath");
            assert_eq!(
                document["baseUrl"],
                format!("http://partnerd.test:9000/{service_path}")
            );
            assert_eq!(document["mtlsRootUrl"], "http://partnerd.test:9000/");
            assert!(!text.contains("\"https://reseller.googleapis.com/\""));
        }
        assert_eq!(
            rendered.list[1]["discoveryRestUrl"],
            "http://partnerd.test:9000/discovery/v1/apis/admin/directory_v1/rest"
        );
    }

    #[test]
    fn a_discovery_request_on_one_host_picks_its_api() {
        let rendered = render("http://h");
        let v1: Vec<&(String, String, String)> = rendered
            .documents
            .iter()
            .filter(|(_, v, _)| v == "v1")
            .collect();
        let name = |host: Option<&str>, api: Option<&str>| {
            choose(&v1, host, api).map(|(n, _, _)| n.as_str())
        };
        assert_eq!(name(Some("licensing"), None), Some("licensing"));
        assert_eq!(name(Some("127"), Some("licensing")), Some("licensing"));
        assert_eq!(name(Some("127"), None), Some("reseller"));
        assert_eq!(name(None, Some("admin")), None, "admin has no v1");
        assert_eq!(
            name(Some("siteverification"), None),
            Some("siteVerification"),
            "host names are lower-case"
        );
        let directory: Vec<&(String, String, String)> = rendered
            .documents
            .iter()
            .filter(|(_, v, _)| v == "directory_v1")
            .collect();
        assert_eq!(
            choose(&directory, Some("localhost"), None).map(|(n, _, _)| n.as_str()),
            Some("admin")
        );
    }
}
