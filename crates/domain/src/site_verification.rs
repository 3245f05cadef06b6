//! Site Verification (the API a reseller's onboarding uses to prove a customer's domain):
//! which site and method a request names, the token to place, and the resource id.
//!
//! partnerd runs no DNS, so the placing of a token is taken on trust: verifying succeeds
//! for the token partnerd gives out, and the domain of a customer the reseller manages
//! becomes verified (docs/compatibility.md, "Site Verification").

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::customer::normalize_domain;
use crate::error::RuleError;
use crate::ids;

/// What is verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SiteKind {
    /// A domain name (`INET_DOMAIN`), proved by DNS.
    InetDomain,
    /// A web site by URL (`SITE`), proved by a file, a meta tag, Analytics or Tag Manager.
    Site,
}

impl SiteKind {
    pub fn parse(value: Option<&str>) -> Result<SiteKind, RuleError> {
        match value.map(str::trim) {
            None | Some("") => Err(RuleError::required("site.type")),
            Some("INET_DOMAIN") => Ok(SiteKind::InetDomain),
            Some("SITE") => Ok(SiteKind::Site),
            Some(other) => Err(RuleError::invalid(
                "site.type",
                format!("'{other}' is not one of INET_DOMAIN, SITE"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::InetDomain => "INET_DOMAIN",
            SiteKind::Site => "SITE",
        }
    }
}

/// The ways Google's Site Verification proves a site, as the API names them.
const DOMAIN_METHODS: &[&str] = &["DNS_TXT", "DNS_CNAME", "DNS"];
const SITE_METHODS: &[&str] = &["FILE", "META", "ANALYTICS", "TAG_MANAGER"];

/// A verification method, which must suit the kind of site (`DNS` is Google's old name
/// for `DNS_TXT`).
pub fn check_method(kind: SiteKind, method: Option<&str>) -> Result<String, RuleError> {
    let method = method
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .ok_or_else(|| RuleError::required("verificationMethod"))?;
    let allowed = match kind {
        SiteKind::InetDomain => DOMAIN_METHODS,
        SiteKind::Site => SITE_METHODS,
    };
    if !allowed.contains(&method) {
        return Err(RuleError::invalid(
            "verificationMethod",
            format!(
                "'{method}' does not verify a {} (one of {})",
                kind.as_str(),
                allowed.join(", ")
            ),
        ));
    }
    Ok(if method == "DNS" { "DNS_TXT" } else { method }.to_string())
}

/// The site a request names, normalized: a domain lower-cased and checked, a URL trimmed.
pub fn check_site(kind: SiteKind, identifier: Option<&str>) -> Result<String, RuleError> {
    let identifier = identifier
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .ok_or_else(|| RuleError::required("site.identifier"))?;
    match kind {
        SiteKind::InetDomain => normalize_domain(identifier).map_err(|e| RuleError {
            field: "site.identifier".into(),
            ..e
        }),
        SiteKind::Site => {
            let url = identifier.to_ascii_lowercase();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(RuleError::invalid(
                    "site.identifier",
                    "a SITE is named by its URL (http:// or https://)",
                ));
            }
            Ok(identifier.to_string())
        }
    }
}

/// The token a reseller places to prove `identifier`: the same on every request, and
/// different for every reseller.
pub fn token(reseller_id: &str, kind: SiteKind, identifier: &str, method: &str) -> String {
    let digest = ids::secret_digest(&format!("{reseller_id}|{}|{identifier}", kind.as_str()));
    let code = &digest[..43];
    match method {
        "META" => format!("<meta name=\"google-site-verification\" content=\"{code}\" />"),
        "FILE" => format!("google{}.html", &digest[..16]),
        _ => format!("google-site-verification={code}"),
    }
}

/// The id of a verified site, as Google's: `dns://` and the domain for a domain, the URL
/// for a site, URL-encoded (`dns%3A%2F%2Fexample.com`).
pub fn resource_id(kind: SiteKind, identifier: &str) -> String {
    let raw = match kind {
        SiteKind::InetDomain => format!("dns://{identifier}"),
        SiteKind::Site => identifier.to_string(),
    };
    let mut out = String::with_capacity(raw.len() * 3);
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A site a reseller verified, and who owns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedSite {
    pub id: String,
    pub reseller_id: String,
    pub kind: SiteKind,
    pub identifier: String,
    /// Addresses of the owners, in the order they verified.
    pub owners: Vec<String>,
    pub created_at: Millis,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_suit_their_kind_of_site() {
        assert_eq!(
            check_method(SiteKind::InetDomain, Some("DNS")).as_deref(),
            Ok("DNS_TXT")
        );
        assert_eq!(
            check_method(SiteKind::Site, Some("META")).as_deref(),
            Ok("META")
        );
        assert_eq!(
            check_method(SiteKind::InetDomain, Some("FILE"))
                .expect_err("site only")
                .field,
            "verificationMethod"
        );
        assert!(check_method(SiteKind::Site, None).is_err());
    }

    #[test]
    fn sites_tokens_and_ids_are_googles_shapes() {
        assert_eq!(
            check_site(SiteKind::InetDomain, Some(" Example.COM ")).as_deref(),
            Ok("example.com")
        );
        assert_eq!(
            check_site(SiteKind::InetDomain, Some("not a domain"))
                .expect_err("bad")
                .field,
            "site.identifier"
        );
        assert!(check_site(SiteKind::Site, Some("example.com")).is_err());
        let t = token("C0a", SiteKind::InetDomain, "example.com", "DNS_TXT");
        assert!(t.starts_with("google-site-verification="));
        assert_eq!(
            t,
            token("C0a", SiteKind::InetDomain, "example.com", "DNS_TXT")
        );
        assert_ne!(
            t,
            token("C0b", SiteKind::InetDomain, "example.com", "DNS_TXT")
        );
        assert_eq!(
            resource_id(SiteKind::InetDomain, "example.com"),
            "dns%3A%2F%2Fexample.com"
        );
        assert_eq!(
            resource_id(SiteKind::Site, "https://example.com/"),
            "https%3A%2F%2Fexample.com%2F"
        );
    }
}
