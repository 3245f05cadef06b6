//! `pageToken` of every paged list: arbitrary text, arbitrary bytes in the tokens'
//! base64 wrapping, and real first-page tokens with their parts replaced or mangled.

use arbitrary::Arbitrary;
use base64::Engine;
use http::Method;

use crate::{Bytes, Seeded, enc, seeded};

#[derive(Arbitrary, Debug)]
pub struct Input {
    pub route: u8,
    /// `maxResults`: absent when 0.
    pub max_results: u8,
    /// Use another list's real token (which must be refused).
    pub foreign: bool,
    pub token: Token,
}

#[derive(Arbitrary, Debug)]
pub enum Token {
    /// The bytes themselves.
    Raw(Bytes),
    /// The bytes, base64url-encoded as real tokens are.
    Base64(Bytes),
    /// A real token whose text before its separator (`\u{1}` or `.`) is replaced.
    Prefix(Bytes),
    /// A real token whose text after its separator is replaced.
    Suffix(Bytes),
    /// A real token with one character changed.
    Flip { at: u16, to: u8 },
    /// A real token cut short.
    Truncate(u16),
}

/// The paged lists, each with a valid query (more than one item each).
pub fn list_routes(s: &Seeded) -> Vec<String> {
    let c0 = s.customers.first().cloned().unwrap_or_default();
    vec![
        "/apps/reseller/v1/subscriptions".into(),
        format!("/apps/reseller/v1/subscriptions?customerId={}", enc(&c0)),
        "/apps/reseller/v1/subscriptions?customerNamePrefix=fuzz".into(),
        "/admin/directory/v1/users?customer=my_customer".into(),
        format!(
            "/admin/directory/v1/users?domain={}",
            crate::CUSTOMER_DOMAIN
        ),
        format!(
            "/admin/directory/v1/users?customer={}&orderBy=givenName&sortOrder=DESCENDING",
            enc(&c0)
        ),
        "/admin/directory/v1/customer/my_customer/roles".into(),
        format!("/admin/directory/v1/customer/{}/roles", enc(&c0)),
        "/admin/directory/v1/customer/my_customer/roleassignments".into(),
        format!(
            "/apps/licensing/v1/product/{}/users?customerId={}",
            crate::WORKSPACE,
            enc(&c0)
        ),
        format!(
            "/apps/licensing/v1/product/{}/sku/{}/users?customerId={}",
            crate::WORKSPACE,
            crate::BUSINESS_STARTER,
            enc(&c0)
        ),
    ]
}

fn b64_decode(token: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .unwrap_or_else(|_| token.as_bytes().to_vec())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Where a decoded token's two parts meet.
fn separator(decoded: &[u8]) -> usize {
    decoded
        .iter()
        .position(|b| *b == 1)
        .or_else(|| decoded.iter().position(|b| *b == b'.'))
        .unwrap_or(decoded.len())
}

pub fn run(input: Input) {
    let s = seeded();
    let routes = list_routes(s);
    let route = &routes[input.route as usize % routes.len()];
    let real = if s.page_tokens.is_empty() {
        String::new()
    } else {
        let own = s.page_tokens.iter().position(|(r, _)| r == route);
        let i = match (own, input.foreign) {
            (Some(i), false) => i,
            (Some(i), true) => (i + 1) % s.page_tokens.len(),
            (None, _) => input.route as usize % s.page_tokens.len(),
        };
        s.page_tokens[i].1.clone()
    };
    let token = match &input.token {
        Token::Raw(Bytes(bytes)) => crate::text(bytes),
        Token::Base64(Bytes(bytes)) => b64(bytes),
        Token::Prefix(Bytes(bytes)) => {
            let decoded = b64_decode(&real);
            let mut t = bytes.clone();
            t.extend_from_slice(&decoded[separator(&decoded)..]);
            b64(&t)
        }
        Token::Suffix(Bytes(bytes)) => {
            let decoded = b64_decode(&real);
            let keep = (separator(&decoded) + 1).min(decoded.len());
            let mut t = decoded[..keep].to_vec();
            t.extend_from_slice(bytes);
            b64(&t)
        }
        Token::Flip { at, to } => {
            let mut bytes = real.into_bytes();
            if !bytes.is_empty() {
                let i = *at as usize % bytes.len();
                bytes[i] = *to;
            }
            crate::text(&bytes)
        }
        Token::Truncate(at) => {
            let keep = *at as usize % (real.len() + 1);
            real.chars().take(keep).collect()
        }
    };
    let mut uri = route.clone();
    uri.push(if uri.contains('?') { '&' } else { '?' });
    if input.max_results > 0 {
        uri.push_str(&format!("maxResults={}&", input.max_results));
    }
    uri.push_str(&format!("pageToken={}", enc(&token)));
    crate::run(Method::GET, &uri, None, Vec::new(), true);
}
