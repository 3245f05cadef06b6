//! `/openapi.json`: an OpenAPI 3 description of every route partnerd serves, so generic
//! tools (schemathesis, API explorers) can drive it. Google's methods are converted from
//! their discovery documents — the same source the official clients are generated from —
//! and the token endpoint and control API come from `openapi/partnerd.json`.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::methods::{ApiMethod, CATALOGUE, Catalogue, IMPLEMENTED};

/// The token endpoint and the control API, written by hand.
const PARTNERD_ROUTES: &str = include_str!("../openapi/partnerd.json");

static DOCUMENT: LazyLock<String> = LazyLock::new(|| build(&CATALOGUE).to_string());

pub async fn serve() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
        .into_response()
}

/// The whole document.
pub fn build(catalogue: &Catalogue) -> Value {
    let mut paths = Map::new();
    let mut wanted = BTreeSet::new();
    for id in IMPLEMENTED {
        let Some(method) = catalogue.get(id) else {
            continue;
        };
        let prefix = api_name(catalogue, method);
        let operation = operation(method, &prefix, &mut wanted);
        let item = paths
            .entry(method.path.clone())
            .or_insert_with(|| json!({}));
        item[method.http_method.as_str().to_ascii_lowercase()] = operation;
    }
    let mut schemas = Map::new();
    schemas.insert("Error".into(), error_schema());
    // Schemas refer to others: convert until no new name turns up.
    let mut done = BTreeSet::new();
    while let Some((document, name)) = wanted.iter().find(|w| !done.contains(*w)).cloned() {
        done.insert((document.clone(), name.clone()));
        let Some((index, _)) = catalogue
            .documents
            .iter()
            .enumerate()
            .find(|(_, d)| d["name"] == document.as_str())
        else {
            continue;
        };
        let source = &catalogue.documents[index]["schemas"][&name];
        let converted = schema(source, &document, &mut wanted);
        schemas.insert(component(&document, &name), converted);
    }
    let own: Value = serde_json::from_str(PARTNERD_ROUTES).unwrap_or_else(|_| json!({}));
    if let Some(own_paths) = own["paths"].as_object() {
        for (path, item) in own_paths {
            paths.insert(path.clone(), item.clone());
        }
    }
    if let Some(own_schemas) = own["schemas"].as_object() {
        for (name, s) in own_schemas {
            schemas.insert(name.clone(), s.clone());
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "partnerd",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Google Workspace Reseller, Directory and Licensing API methods as partnerd serves them, its OAuth token endpoint and its control API. Errors use Google's format (components/schemas/Error)."
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
        "paths": paths,
    })
}

/// `reseller`, `admin` or `licensing`: what component names are prefixed with.
fn api_name(catalogue: &Catalogue, method: &ApiMethod) -> String {
    catalogue.documents[method.document]["name"]
        .as_str()
        .unwrap_or("api")
        .to_string()
}

fn component(document: &str, name: &str) -> String {
    format!("{document}.{name}")
}

fn reference(document: &str, name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{}", component(document, name))})
}

fn operation(method: &ApiMethod, document: &str, wanted: &mut BTreeSet<(String, String)>) -> Value {
    let d = &method.description;
    let mut parameters = Vec::new();
    // Path parameters are named as the flat path names them.
    for segment in method.path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            parameters.push(json!({
                "name": name, "in": "path", "required": true, "schema": {"type": "string"}
            }));
        }
    }
    if let Some(params) = d["parameters"].as_object() {
        for (name, p) in params {
            if p["location"] != "query" {
                continue;
            }
            parameters.push(json!({
                "name": name,
                "in": "query",
                "required": p["required"].as_bool().unwrap_or(false),
                "description": p["description"].as_str().unwrap_or_default(),
                "schema": schema(p, document, wanted),
            }));
        }
    }
    let mut op = json!({
        "operationId": method.id,
        "description": d["description"].as_str().unwrap_or_default(),
        "parameters": parameters,
        "responses": {
            "default": {
                "description": "An error in Google's format.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            }
        }
    });
    if let Some(name) = d["request"]["$ref"].as_str() {
        wanted.insert((document.to_string(), name.to_string()));
        op["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": reference(document, name)}}
        });
    }
    op["responses"]["200"] = match d["response"]["$ref"].as_str() {
        Some(name) => {
            wanted.insert((document.to_string(), name.to_string()));
            json!({
                "description": "Success.",
                "content": {"application/json": {"schema": reference(document, name)}}
            })
        }
        None => json!({"description": "Success; the body is empty."}),
    };
    op
}

/// A discovery schema as an OpenAPI schema; referenced schemas are added to `wanted`.
fn schema(source: &Value, document: &str, wanted: &mut BTreeSet<(String, String)>) -> Value {
    if let Some(name) = source["$ref"].as_str() {
        wanted.insert((document.to_string(), name.to_string()));
        return reference(document, name);
    }
    let mut out = Map::new();
    let kind = source["type"].as_str().unwrap_or("any");
    if kind != "any" {
        out.insert("type".into(), kind.into());
    }
    if let Some(description) = source["description"].as_str() {
        out.insert("description".into(), description.into());
    }
    // Discovery formats such as int64-as-string or google-datetime mean nothing to
    // OpenAPI tools; integer widths do.
    if matches!(kind, "integer" | "number")
        && let Some(format) = source["format"].as_str()
        && matches!(format, "int32" | "int64" | "float" | "double")
    {
        out.insert("format".into(), format.into());
    }
    for bound in ["minimum", "maximum"] {
        if let Some(n) = source[bound]
            .as_str()
            .and_then(|s| s.parse::<i64>().ok())
            .or_else(|| source[bound].as_i64())
        {
            out.insert(bound.into(), n.into());
        }
    }
    // Discovery writes every default as a string ("100" for an integer).
    if let Some(default) = source.get("default") {
        let typed = match (kind, default.as_str()) {
            ("integer", Some(text)) => text.parse::<i64>().ok().map(Value::from),
            ("number", Some(text)) => text.parse::<f64>().ok().map(Value::from),
            ("boolean", Some(text)) => text.parse::<bool>().ok().map(Value::from),
            _ => Some(default.clone()),
        };
        if let Some(value) = typed {
            out.insert("default".into(), value);
        }
    }
    for copied in ["enum", "readOnly", "pattern"] {
        if let Some(v) = source.get(copied) {
            out.insert(copied.into(), v.clone());
        }
    }
    if let Some(items) = source.get("items") {
        out.insert("items".into(), schema(items, document, wanted));
    }
    if let Some(properties) = source["properties"].as_object() {
        let converted: Map<String, Value> = properties
            .iter()
            .map(|(k, v)| (k.clone(), schema(v, document, wanted)))
            .collect();
        out.insert("properties".into(), converted.into());
    }
    if let Some(extra) = source.get("additionalProperties") {
        out.insert(
            "additionalProperties".into(),
            schema(extra, document, wanted),
        );
    }
    out.into()
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message", "errors", "status"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "status": {"type": "string"},
                "errors": {"type": "array", "items": {
                    "type": "object",
                    "required": ["message", "domain", "reason"],
                    "properties": {
                        "message": {"type": "string"},
                        "domain": {"type": "string"},
                        "reason": {"type": "string"},
                        "locationType": {"type": "string"},
                        "location": {"type": "string"}
                    }
                }}
            }
        }}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_implemented_method_and_reference_is_described() {
        let doc = build(&CATALOGUE);
        let text = doc.to_string();
        let mut operations = 0;
        for item in doc["paths"].as_object().expect("paths").values() {
            operations += item.as_object().map_or(0, |m| m.len());
        }
        assert!(operations >= IMPLEMENTED.len(), "{operations} operations");
        for id in IMPLEMENTED {
            assert!(text.contains(&format!("\"operationId\":\"{id}\"")), "{id}");
        }
        // Every $ref resolves.
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap_or_default();
            assert!(schemas.contains_key(name), "dangling reference {name}");
        }
        assert!(schemas.contains_key("reseller.Subscription"));
        assert!(schemas.contains_key("admin.User"));
        assert!(doc["paths"]["/token"]["post"].is_object());
        assert!(doc["paths"]["/partnerd/v1/faults"]["post"].is_object());
    }
}
