//! `POST /token` with a JWT-bearer assertion: header and claims are JSON objects the
//! fuzzer builds from plausible keys and values (duplicates and wrong types included),
//! signed with the service account's real key or carrying an arbitrary signature; or
//! the assertion is arbitrary bytes.

use arbitrary::Arbitrary;
use base64::Engine;
use http::Method;
use partnerd_domain::scopes::{DELEGATED_BY_DEFAULT, RESELLER};
use serde_json::{Value, json};

use crate::{
    ADMIN_EMAIL, Bytes, CUSTOMER_DOMAIN, JWT_BEARER, RESELLER_DOMAIN, TOKEN_URL, enc, harness,
};

#[derive(Arbitrary, Debug)]
pub enum Input {
    Built {
        header: Vec<(u8, JsonValue)>,
        claims: Vec<(u8, JsonValue)>,
        signature: Signature,
    },
    Raw(Bytes),
}

#[derive(Arbitrary, Debug)]
pub enum JsonValue {
    /// A plausible value for the key.
    Known(u8),
    /// Seconds from now (for `iat`, `exp`, `nbf`).
    FromNow(i32),
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Null,
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

#[derive(Arbitrary, Debug)]
pub enum Signature {
    /// RS256 by the service account's key: the claims are what gets judged.
    Real,
    Bytes(Bytes),
    /// No third part at all.
    Missing,
}

const KEYS: &[&str] = &[
    "alg", "kid", "typ", "iss", "sub", "aud", "scope", "iat", "exp", "nbf", "jti", "jku", "x5u",
    "crit", "cty", "email",
];

fn known(key: &str, i: u8) -> Value {
    let s = &harness().seeded;
    let now = crate::unix_now();
    let options: Vec<Value> = match key {
        "alg" => vec![
            json!("RS256"),
            json!("HS256"),
            json!("none"),
            json!("RS512"),
            json!("PS256"),
            json!("ES256"),
            json!("rs256"),
        ],
        "kid" => vec![json!(s.key_id), json!(""), json!("0".repeat(40))],
        "typ" => vec![json!("JWT"), json!("at+jwt")],
        "iss" | "email" => vec![json!(s.client_email), json!(ADMIN_EMAIL), json!("")],
        "sub" => vec![
            json!(ADMIN_EMAIL),
            json!(format!("ana@{CUSTOMER_DOMAIN}")),
            json!(format!("staff@{RESELLER_DOMAIN}")),
            json!(format!("nobody@{RESELLER_DOMAIN}")),
            json!(s.client_email),
            json!(""),
        ],
        "aud" => vec![
            json!(TOKEN_URL),
            json!("https://oauth2.googleapis.com/token"),
            json!(format!("{TOKEN_URL}/")),
            json!([TOKEN_URL]),
        ],
        "scope" => vec![
            json!(DELEGATED_BY_DEFAULT.join(" ")),
            json!(RESELLER),
            json!(""),
            json!("https://www.googleapis.com/auth/cloud-platform"),
            json!("openid email"),
            json!("https://www.googleapis.com/auth/not-a-scope"),
        ],
        "iat" | "nbf" => vec![json!(now), json!(now - 3600), json!(now + 600), json!(0)],
        "exp" => vec![
            json!(now + 3600),
            json!(now + 3601),
            json!(now - 400),
            json!(i64::MAX),
            json!(i64::MIN),
        ],
        _ => vec![json!("x")],
    };
    options[i as usize % options.len()].clone()
}

/// The JSON text of an object with these members, in order, duplicates kept.
fn object(members: &[(u8, JsonValue)]) -> String {
    let now = crate::unix_now();
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| {
            let key = KEYS[*k as usize % KEYS.len()];
            let value = match v {
                JsonValue::Known(i) => known(key, *i),
                JsonValue::FromNow(d) => json!(now + i64::from(*d)),
                JsonValue::Int(i) => json!(i),
                JsonValue::Float(f) => json!(f),
                JsonValue::Str(s) => json!(s),
                JsonValue::Bool(b) => json!(b),
                JsonValue::Null => Value::Null,
                JsonValue::List(l) => json!(l),
                JsonValue::Object(o) => {
                    Value::Object(o.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
                }
            };
            format!("{}:{value}", json!(key))
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn run(input: Input) {
    let assertion = match &input {
        Input::Built {
            header,
            claims,
            signature,
        } => {
            let header = object(header);
            let claims = object(claims);
            match signature {
                Signature::Real => harness().sign(header.as_bytes(), claims.as_bytes()),
                Signature::Bytes(Bytes(sig)) => {
                    format!(
                        "{}.{}.{}",
                        b64(header.as_bytes()),
                        b64(claims.as_bytes()),
                        b64(sig)
                    )
                }
                Signature::Missing => {
                    format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()))
                }
            }
        }
        Input::Raw(Bytes(bytes)) => crate::text(bytes),
    };
    let form = format!(
        "grant_type={}&assertion={}",
        enc(JWT_BEARER),
        enc(&assertion)
    );
    crate::run(
        Method::POST,
        "/token",
        Some("application/x-www-form-urlencoded"),
        form.into_bytes(),
        false,
    );
}
