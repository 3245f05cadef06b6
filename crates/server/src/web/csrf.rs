//! Cross-site request forgery, refused twice: by where the request comes from (the
//! algorithm of Go 1.25's `CrossOriginProtection`: `Sec-Fetch-Site`, else `Origin`
//! against the server's own origin), and by a synchronizer token in a hidden form field
//! that only pages of this site carry (OWASP's primary defence), compared in constant time.

use axum::http::{HeaderMap, Method, header};
use subtle::ConstantTimeEq;

/// The hidden field every form carries.
pub const FIELD: &str = "csrf";

/// Whether a request's method changes nothing (such requests are not checked).
pub fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the browser says the request comes from this site. Requests without either
/// header (not from a browser, or a very old one) pass here and meet the token check.
pub fn same_origin(headers: &HeaderMap, origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(sent) => {
            let sent = sent.to_ascii_lowercase();
            sent == origin || host_matches(headers, &sent)
        }
    }
}

/// `Origin` naming the host the request was sent to (a server reached under another name
/// than its public URL, such as a test's loopback address).
fn host_matches(headers: &HeaderMap, sent_origin: &str) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let authority = sent_origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    authority == host.to_ascii_lowercase()
}

/// Whether the token a form sent is the one expected (constant time).
pub fn token_matches(sent: Option<&str>, expected: &str) -> bool {
    match sent {
        Some(sent) if !expected.is_empty() => {
            bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
        }
        _ => false,
    }
}

/// The `csrf` field of a form-encoded body.
pub fn token_in_form(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const ORIGIN: &str = "http://127.0.0.1:8080";

    #[test]
    fn fetch_metadata_decides_first() {
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            ORIGIN
        ));
        assert!(same_origin(&headers(&[("sec-fetch-site", "none")]), ORIGIN));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            ORIGIN
        ));
        assert!(!same_origin(
            &headers(&[
                ("sec-fetch-site", "same-site"),
                ("origin", "http://127.0.0.1:8080")
            ]),
            ORIGIN
        ));
    }

    #[test]
    fn origin_must_be_ours_or_the_host_asked() {
        assert!(same_origin(
            &headers(&[("origin", "http://127.0.0.1:8080")]),
            ORIGIN
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://evil.example")]),
            ORIGIN
        ));
        assert!(same_origin(
            &headers(&[("origin", "http://localhost:9"), ("host", "localhost:9")]),
            ORIGIN
        ));
        assert!(!same_origin(
            &headers(&[("origin", "null"), ("host", "localhost:9")]),
            ORIGIN
        ));
        assert!(same_origin(&headers(&[]), ORIGIN));
    }

    #[test]
    fn tokens() {
        assert!(token_matches(Some("abc"), "abc"));
        assert!(!token_matches(Some("abd"), "abc"));
        assert!(!token_matches(None, "abc"));
        assert!(!token_matches(Some(""), ""));
        assert_eq!(token_in_form(b"a=1&csrf=x%2By&b=2").as_deref(), Some("x+y"));
        assert_eq!(token_in_form(b"a=1"), None);
    }
}
