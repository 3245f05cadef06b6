//! `POST /batch`: multipart/mixed bodies built from parts the fuzzer chooses (read-only
//! requests, with or without a token, folded `Content-ID`s, bare line feeds, extra
//! headers and bodies), or arbitrary bytes under a multipart content type. Besides the
//! harness's checks on the outer answer, no inner answer may be a server error.

use arbitrary::Arbitrary;
use http::{Method, StatusCode};

use crate::{Bytes, CUSTOMER_DOMAIN, harness};

#[derive(Arbitrary, Debug)]
pub enum Input {
    Built {
        parts: Vec<Part>,
        bare_line_feeds: bool,
        /// Leave out the closing delimiter.
        unclosed: bool,
    },
    Raw(Bytes),
}

#[derive(Arbitrary, Debug)]
pub struct Part {
    path: u8,
    with_token: bool,
    fold_content_id: bool,
    extra_header: Option<(String, String)>,
    body: Option<Bytes>,
    /// No MIME headers at all before the request.
    bare: bool,
}

const BOUNDARY: &str = "===============0123456789==";

/// Read-only requests: a batch must never change the harness's own admin.
fn paths() -> Vec<String> {
    let s = &harness().seeded;
    let customer = s.customers.first().cloned().unwrap_or_default();
    vec![
        "GET /apps/reseller/v1/subscriptions?maxResults=2 HTTP/1.1".into(),
        format!("GET /apps/reseller/v1/customers/{customer} HTTP/1.1"),
        "GET /admin/directory/v1/users?customer=my_customer HTTP/1.1".into(),
        format!("GET /apps/licensing/v1/product/Google-Apps/users?customerId={CUSTOMER_DOMAIN} HTTP/1.1"),
        "GET https://reseller.googleapis.com/apps/reseller/v1/subscriptions HTTP/1.1".into(),
        "POST /batch HTTP/1.1".into(),
        "GET /healthz HTTP/1.1".into(),
        "GET /nowhere HTTP/1.1".into(),
        "not a request line".into(),
        "GET  HTTP/1.1".into(),
    ]
}

fn body_of(parts: &[Part], bare_line_feeds: bool, unclosed: bool) -> Vec<u8> {
    let nl = if bare_line_feeds { "\n" } else { "\r\n" };
    let choices = paths();
    let token = parts
        .iter()
        .any(|p| p.with_token)
        .then(|| harness().bearer());
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        out.push_str(&format!("--{BOUNDARY}{nl}"));
        if !part.bare {
            out.push_str(&format!("Content-Type: application/http{nl}"));
            if part.fold_content_id {
                out.push_str(&format!("Content-ID: <base +{nl} {i}>{nl}"));
            } else {
                out.push_str(&format!("Content-ID: <base + {i}>{nl}"));
            }
            out.push_str(nl);
        }
        out.push_str(&choices[part.path as usize % choices.len()]);
        out.push_str(nl);
        if let (true, Some(token)) = (part.with_token, &token) {
            out.push_str(&format!("Authorization: Bearer {token}{nl}"));
        }
        if let Some((name, value)) = &part.extra_header {
            out.push_str(&format!("{name}: {value}{nl}"));
        }
        out.push_str(nl);
        if let Some(Bytes(body)) = &part.body {
            out.push_str(&crate::text(body));
        }
        out.push_str(nl);
    }
    if !unclosed {
        out.push_str(&format!("--{BOUNDARY}--{nl}"));
    }
    out.into_bytes()
}

pub fn run(input: Input) {
    let body = match &input {
        Input::Built {
            parts,
            bare_line_feeds,
            unclosed,
        } => body_of(parts, *bare_line_feeds, *unclosed),
        Input::Raw(Bytes(bytes)) => bytes.clone(),
    };
    let content_type = format!("multipart/mixed; boundary=\"{BOUNDARY}\"");
    let Some(answer) = crate::run(Method::POST, "/batch", Some(&content_type), body, false) else {
        return;
    };
    if answer.status == StatusCode::OK {
        let text = String::from_utf8_lossy(&answer.body);
        assert!(
            !text.contains("\r\nHTTP/1.1 5"),
            "invariant broken: a batch part answered a server error\n  answer: {text}"
        );
    }
}
