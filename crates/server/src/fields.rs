//! Partial responses: Google's `fields` parameter (`fields=primaryEmail,name/fullName`,
//! `fields=nextPageToken,users(primaryEmail,name/givenName)`), applied to every method of
//! the three APIs over the serialized answer, so no handler knows about it.
//!
//! The syntax, as Google's performance guide gives it: a comma-separated list of field
//! paths; `a/b` selects `b` inside `a`; `a(b,c)` selects `b` and `c` inside `a`; `*`
//! selects every field at its level. A selection inside an array applies to each item.
//! Names are checked against the method's response schema in its discovery document, as
//! Google does ("Invalid field selection …").

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{HeaderValue, Uri, header};
use axum::response::Response;
use serde_json::Value;

use crate::errors::ApiError;
use crate::methods::{self, CATALOGUE};

/// What is kept of a field: all of it, or the fields chosen inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keep {
    All,
    Some(Selection),
}

/// The fields chosen at one level, by name (`*` for every field).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection(BTreeMap<String, Keep>);

/// Why a `fields` value was refused (Google's message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl Selection {
    fn add(&mut self, path: &[String], keep: Keep) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let keep = if rest.is_empty() {
            keep
        } else {
            let mut inner = Selection::default();
            inner.add(rest, keep);
            Keep::Some(inner)
        };
        let merged = match (self.0.remove(first), keep) {
            (Some(Keep::All), _) | (_, Keep::All) => Keep::All,
            (Some(Keep::Some(mut have)), Keep::Some(more)) => {
                for (name, k) in more.0 {
                    have.add(&[name], k);
                }
                Keep::Some(have)
            }
            (None, keep) => keep,
        };
        self.0.insert(first.clone(), merged);
    }

    /// The parts of `value` this selection keeps.
    pub fn apply(&self, value: &Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.iter().map(|v| self.apply(v)).collect()),
            Value::Object(map) => {
                let mut out = serde_json::Map::new();
                for (name, field) in map {
                    let keep = self.0.get(name).or_else(|| self.0.get("*"));
                    match keep {
                        Some(Keep::All) => {
                            out.insert(name.clone(), field.clone());
                        }
                        Some(Keep::Some(inner)) => {
                            out.insert(name.clone(), inner.apply(field));
                        }
                        None => {}
                    }
                }
                Value::Object(out)
            }
            // A selection inside a plain value keeps the value.
            other => other.clone(),
        }
    }

    /// Checks every name against `schema` (a discovery schema, `$ref`s resolved through
    /// `schemas`); the first name the response cannot hold is refused.
    pub fn check(&self, schema: &Value, schemas: &Value) -> Result<(), Invalid> {
        let schema = resolve(schema, schemas);
        // Lists of items and maps select inside their items.
        if let Some(items) = schema.get("items") {
            return self.check(items, schemas);
        }
        let properties = schema.get("properties");
        let open = schema.get("additionalProperties");
        for (name, keep) in &self.0 {
            let field = if name == "*" {
                None
            } else if let Some(p) = properties.and_then(|p| p.get(name)) {
                Some(p)
            } else if let Some(map) = open {
                Some(map)
            } else {
                return Err(Invalid(format!("Invalid field selection {name}")));
            };
            if let (Some(field), Keep::Some(inner)) = (field, keep) {
                inner.check(field, schemas)?;
            }
        }
        Ok(())
    }
}

fn resolve<'a>(schema: &'a Value, schemas: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(name) => schemas.get(name).unwrap_or(schema),
        None => schema,
    }
}

/// Parses a `fields` value; `Ok(None)` when it selects nothing in particular (empty).
pub fn parse(text: &str) -> Result<Option<Selection>, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    let selection = list(&chars, &mut at, 0)?;
    if at != chars.len() {
        return Err(Invalid(format!("Invalid field selection {text}")));
    }
    Ok(Some(selection))
}

/// The selection a request's `fields` parameter makes for the Google method `method_id`:
/// `None` without one (or for the token endpoint), 400 `invalidParameter` for a
/// malformed one or a name the method's answer cannot hold.
pub fn of_request(uri: &Uri, method_id: &str) -> Result<Option<Selection>, ApiError> {
    if method_id == methods::TOKEN_METHOD {
        return Ok(None);
    }
    // Most requests name no fields: only those pay for parsing the query.
    let Some(query) = uri.query().filter(|q| q.contains("fields=")) else {
        return Ok(None);
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let Some((_, text)) = pairs.iter().find(|(k, _)| k == "fields") else {
        return Ok(None);
    };
    let refused = |Invalid(message): Invalid| ApiError::invalid_field_selection(message);
    let Some(selection) = parse(text).map_err(refused)? else {
        return Ok(None);
    };
    if let Some((schema, schemas)) = CATALOGUE.response_schema(method_id) {
        selection.check(schema, schemas).map_err(refused)?;
    }
    Ok(Some(selection))
}

/// The answer with only the selected fields, when it is a successful JSON answer; any
/// other answer (an error, a 204) as it was.
pub async fn narrow(response: Response, selection: &Selection) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !response.status().is_success() || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let narrowed = match serde_json::from_slice::<Value>(&bytes) {
        Ok(value) => {
            serde_json::to_vec(&selection.apply(&value)).unwrap_or_else(|_| bytes.to_vec())
        }
        Err(_) => bytes.to_vec(),
    };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(narrowed.len()));
    Response::from_parts(parts, Body::from(narrowed))
}

/// Google refuses selections nested deeper than this; partnerd too, so a hostile value
/// cannot recurse without end.
const MAX_DEPTH: usize = 32;

fn invalid_at(chars: &[char], at: usize) -> Invalid {
    let rest: String = chars[at.min(chars.len())..].iter().collect();
    if rest.is_empty() {
        Invalid("Invalid field selection: it ends too early".into())
    } else {
        Invalid(format!("Invalid field selection {rest}"))
    }
}

fn list(chars: &[char], at: &mut usize, depth: usize) -> Result<Selection, Invalid> {
    if depth > MAX_DEPTH {
        return Err(Invalid("Invalid field selection: nested too deeply".into()));
    }
    let mut selection = Selection::default();
    loop {
        let mut path = vec![name(chars, at)?];
        while chars.get(*at) == Some(&'/') {
            *at += 1;
            path.push(name(chars, at)?);
        }
        let keep = if chars.get(*at) == Some(&'(') {
            *at += 1;
            let inner = list(chars, at, depth + 1)?;
            if chars.get(*at) != Some(&')') {
                return Err(invalid_at(chars, *at));
            }
            *at += 1;
            Keep::Some(inner)
        } else {
            Keep::All
        };
        selection.add(&path, keep);
        match chars.get(*at) {
            Some(',') => *at += 1,
            _ => return Ok(selection),
        }
    }
}

fn name(chars: &[char], at: &mut usize) -> Result<String, Invalid> {
    let start = *at;
    while let Some(c) = chars.get(*at) {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@' | '$' | '*') {
            *at += 1;
        } else {
            break;
        }
    }
    let name: String = chars[start..*at].iter().collect();
    if name.is_empty() || (name.contains('*') && name != "*") {
        return Err(invalid_at(chars, start));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pick(fields: &str, value: Value) -> Value {
        parse(fields)
            .expect("parses")
            .expect("selects")
            .apply(&value)
    }

    #[test]
    fn paths_and_sub_selections_keep_what_they_name() {
        let user = json!({"kind": "k", "primaryEmail": "a@x", "name": {"givenName": "A", "fullName": "A B"}});
        assert_eq!(
            pick("primaryEmail,name/fullName", user.clone()),
            json!({"primaryEmail": "a@x", "name": {"fullName": "A B"}})
        );
        assert_eq!(
            pick("name(givenName)", user.clone()),
            json!({"name": {"givenName": "A"}})
        );
        assert_eq!(
            pick("name,name/fullName", user.clone()),
            json!({"name": user["name"].clone()})
        );
        assert_eq!(pick("*", user.clone()), user);
        let list = json!({"kind": "l", "nextPageToken": "t", "users": [user.clone(), {"primaryEmail": "b@x"}]});
        assert_eq!(
            pick("nextPageToken,users(primaryEmail)", list),
            json!({"nextPageToken": "t", "users": [{"primaryEmail": "a@x"}, {"primaryEmail": "b@x"}]})
        );
        assert_eq!(pick("missing", user), json!({}));
    }

    #[test]
    fn malformed_selections_are_refused() {
        for bad in [
            "a,", "a(b", "a)", "a//b", "(a)", "a(,b)", "a b", "a*b", "a/", "a(b))",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse(" "), Ok(None));
        let deep = format!("{}x{}", "a(".repeat(40), ")".repeat(40));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn names_are_checked_against_the_response_schema() {
        let schemas = json!({
            "Users": {"properties": {"users": {"type": "array", "items": {"$ref": "User"}},
                                     "nextPageToken": {"type": "string"}}},
            "User": {"properties": {"primaryEmail": {"type": "string"},
                                    "name": {"$ref": "UserName"},
                                    "customSchemas": {"type": "object",
                                                      "additionalProperties": {"type": "object"}}}},
            "UserName": {"properties": {"fullName": {"type": "string"}}},
        });
        let root = json!({"$ref": "Users"});
        let check = |f: &str| {
            parse(f)
                .expect("parses")
                .expect("selects")
                .check(&root, &schemas)
        };
        assert_eq!(
            check("nextPageToken,users(primaryEmail,name/fullName)"),
            Ok(())
        );
        assert_eq!(check("users/customSchemas/anything"), Ok(()));
        assert_eq!(check("users(*)"), Ok(()));
        assert_eq!(
            check("users(primaryMail)"),
            Err(Invalid("Invalid field selection primaryMail".into()))
        );
        assert!(check("users/name/nickname").is_err());
    }
}
