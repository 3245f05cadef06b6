//! Site Verification (the API a reseller's onboarding uses to prove a customer's domain):
//! which site and method a request names, the token to place, and the resource id.
//!
//! partnerd runs no DNS, so the placing of a token is taken on trust: verifying succeeds
//! for the token partnerd gives out, and the domain of a customer the reseller manages
//! becomes verified (docs/compatibility.md, "Site Verification").

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::customer::{email_valid, normalize_domain};
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
    /// Addresses of the owners, in the order they became owners.
    pub owners: Vec<String>,
    /// The owners who proved the site themselves (`webResource.insert`); the others were
    /// named owners by one of them. A verifier's token stays placed, so `update` cannot
    /// remove it; it leaves by `delete`.
    pub verifiers: Vec<String>,
    pub created_at: Millis,
}

/// Google allows this many owners on a site; partnerd keeps the list in one row.
pub const MAX_OWNERS: usize = 100;

/// The owners a request names: e-mail addresses, lower-cased, each once, in order.
pub fn check_owners(owners: &[String]) -> Result<Vec<String>, RuleError> {
    let mut out: Vec<String> = Vec::with_capacity(owners.len());
    for (i, owner) in owners.iter().enumerate() {
        let owner = owner.trim().to_ascii_lowercase();
        if !email_valid(&owner) {
            return Err(RuleError::invalid(
                &format!("owners[{i}]"),
                "an owner is named by an e-mail address",
            ));
        }
        if !out.contains(&owner) {
            out.push(owner);
        }
    }
    if out.len() > MAX_OWNERS {
        return Err(RuleError::invalid(
            "owners",
            format!("a site has at most {MAX_OWNERS} owners"),
        ));
    }
    Ok(out)
}

impl VerifiedSite {
    /// The site once `verifier` has proved it and named `named` owners too (insert):
    /// owners are added, never removed.
    pub fn verified_by(&self, verifier: &str, named: &[String]) -> Result<VerifiedSite, RuleError> {
        let mut after = self.clone();
        for owner in std::iter::once(verifier.to_string()).chain(named.iter().cloned()) {
            if !after.owners.contains(&owner) {
                after.owners.push(owner);
            }
        }
        if !after.verifiers.iter().any(|v| v == verifier) {
            after.verifiers.push(verifier.to_string());
        }
        if after.owners.len() > MAX_OWNERS {
            return Err(RuleError::invalid(
                "owners",
                format!("a site has at most {MAX_OWNERS} owners"),
            ));
        }
        Ok(after)
    }

    /// The site with its owners replaced by `owners` (update and patch), as Google's
    /// reference says: the caller cannot remove itself (that is `delete`), and an owner
    /// who verified the site with its own token cannot be removed while the token is
    /// placed, which in partnerd is always.
    pub fn with_owners(
        &self,
        caller: &str,
        owners: Vec<String>,
    ) -> Result<VerifiedSite, RuleError> {
        if self.owners.iter().any(|o| o == caller) && !owners.iter().any(|o| o == caller) {
            return Err(RuleError::invalid(
                "owners",
                format!("{caller} cannot remove its own ownership this way; use delete"),
            ));
        }
        if let Some(verifier) = self.verifiers.iter().find(|v| !owners.contains(v)) {
            return Err(RuleError::invalid(
                "owners",
                format!("{verifier} verified the site with its own token, which is still placed"),
            ));
        }
        let mut after = self.clone();
        after.owners = owners;
        Ok(after)
    }
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

    fn site() -> VerifiedSite {
        VerifiedSite {
            id: resource_id(SiteKind::InetDomain, "example.com"),
            reseller_id: "C0a".into(),
            kind: SiteKind::InetDomain,
            identifier: "example.com".into(),
            owners: vec!["admin@reseller.test".into()],
            verifiers: vec!["admin@reseller.test".into()],
            created_at: 1,
        }
    }

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn owners_are_addresses_each_once() {
        assert_eq!(
            check_owners(&v(&[" A@Example.com", "a@example.com", "b@example.com"])),
            Ok(v(&["a@example.com", "b@example.com"]))
        );
        assert_eq!(
            check_owners(&v(&["a@example.com", "nobody"]))
                .expect_err("not an address")
                .field,
            "owners[1]"
        );
        let many: Vec<String> = (0..=MAX_OWNERS)
            .map(|i| format!("o{i}@example.com"))
            .collect();
        assert_eq!(check_owners(&many).expect_err("too many").field, "owners");
    }

    #[test]
    fn verifying_adds_owners_and_update_keeps_the_verifiers() {
        let s = site();
        let named = s
            .verified_by("admin@reseller.test", &v(&["marty@example.com"]))
            .expect("verified");
        assert_eq!(
            named.owners,
            v(&["admin@reseller.test", "marty@example.com"])
        );
        assert_eq!(named.verifiers, v(&["admin@reseller.test"]));
        assert_eq!(
            named.verified_by("admin@reseller.test", &[]),
            Ok(named.clone())
        );

        let fewer = named
            .with_owners("admin@reseller.test", v(&["admin@reseller.test"]))
            .expect("a named owner may be removed");
        assert_eq!(fewer.owners, v(&["admin@reseller.test"]));
        assert_eq!(
            named
                .with_owners("admin@reseller.test", v(&["marty@example.com"]))
                .expect_err("not yourself")
                .field,
            "owners"
        );
        let second = named
            .verified_by("staff@reseller.test", &[])
            .expect("a second verifier");
        assert!(
            second
                .with_owners("admin@reseller.test", v(&["admin@reseller.test"]))
                .is_err(),
            "another verifier's token is still placed"
        );
    }
}
