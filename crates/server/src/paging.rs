//! Opaque page tokens for lists partnerd sorts in memory (an account's users, roles,
//! assignments, licences): the token carries the sort key of the last item shown and a
//! fingerprint of the query, so a token is never a raw offset and cannot be replayed on
//! another query. Items inserted between pages are neither skipped nor repeated.

use base64::Engine;

use crate::errors::ApiError;

/// One page of `items` (already sorted ascending by `key`), after the position a
/// previous page's token names.
pub fn page<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    max: usize,
    token: Option<&str>,
    fingerprint: &str,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    page_in_order(items, key, max, token, fingerprint, false)
}

/// `page` over items sorted by `key`, descending when `descending`.
pub fn page_in_order<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    max: usize,
    token: Option<&str>,
    fingerprint: &str,
    descending: bool,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let start = match token.filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => {
            let last = decode(t, fingerprint)?;
            items
                .iter()
                .position(|i| {
                    let k = key(i);
                    if descending { k < last } else { k > last }
                })
                .unwrap_or(items.len())
        }
    };
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(start).take(max).collect();
    let next = (start + page.len() < total)
        .then(|| page.last().map(|last| encode(fingerprint, &key(last))))
        .flatten();
    Ok((page, next))
}

/// Adds `nextPageToken` to a list response when there is a next page.
pub fn add_next_page_token(body: &mut serde_json::Value, next: Option<String>) {
    if let Some(token) = next {
        body["nextPageToken"] = token.into();
    }
}

/// Parses `maxResults` within `1..=limit`, `default` when absent.
pub fn max_results(raw: Option<&str>, default: usize, limit: usize) -> Result<usize, ApiError> {
    match raw {
        None => Ok(default),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=limit).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_parameter(
                    "maxResults",
                    format!("Invalid value for maxResults: 1 to {limit}"),
                )
            }),
    }
}

fn encode(fingerprint: &str, last: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{fingerprint}\u{1}{last}"))
}

fn decode(token: &str, fingerprint: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::invalid_parameter("pageToken", "Invalid value for pageToken");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| invalid())?;
    let text = String::from_utf8(raw).map_err(|_| invalid())?;
    let (fp, last) = text.split_once('\u{1}').ok_or_else(invalid)?;
    if fp != fingerprint {
        return Err(invalid());
    }
    Ok(last.to_string())
}

/// Parses `sortOrder` (`ASCENDING` or `DESCENDING`, any case): whether it is descending.
pub fn descending(raw: Option<&str>) -> Result<bool, ApiError> {
    match raw {
        None => Ok(false),
        Some(s) if s.eq_ignore_ascii_case("ASCENDING") => Ok(false),
        Some(s) if s.eq_ignore_ascii_case("DESCENDING") => Ok(true),
        Some(other) => Err(ApiError::invalid_parameter(
            "sortOrder",
            format!("Invalid value for sortOrder: '{other}'"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_everything_once() {
        let items: Vec<String> = (0..7).map(|i| format!("k{i}")).collect();
        let (first, token) = page(items.clone(), |s| s.clone(), 3, None, "q").expect("page");
        assert_eq!(first, vec!["k0", "k1", "k2"]);
        let (second, token) =
            page(items.clone(), |s| s.clone(), 3, token.as_deref(), "q").expect("page");
        assert_eq!(second, vec!["k3", "k4", "k5"]);
        let (third, token) =
            page(items.clone(), |s| s.clone(), 3, token.as_deref(), "q").expect("page");
        assert_eq!((third, token), (vec!["k6".to_string()], None));
        let (_, t) = page(items.clone(), |s| s.clone(), 3, None, "q").expect("page");
        assert!(
            page(items, |s| s.clone(), 3, t.as_deref(), "other").is_err(),
            "bound to its query"
        );
        assert!(max_results(Some("0"), 10, 100).is_err());
        assert_eq!(max_results(None, 10, 100).ok(), Some(10));
    }
}
