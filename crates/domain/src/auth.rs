//! Service accounts, their keys, domain-wide delegation and access tokens.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::scopes;

/// Access tokens live one hour, as Google's.
pub const ACCESS_TOKEN_LIFETIME_MS: Millis = 3_600_000;
/// A JWT assertion may span at most one hour between `iat` and `exp`.
pub const MAX_ASSERTION_LIFETIME_MS: Millis = 3_600_000;
/// Tolerated difference between the signer's clock and ours.
pub const CLOCK_SKEW_MS: Millis = 300_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    /// The OAuth client ID (21 digits), also the service account's unique id.
    pub client_id: String,
    /// The reseller account that owns it.
    pub account_id: String,
    pub email: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccountKey {
    /// 40 hex characters; the `kid` of the JWTs it signs.
    pub key_id: String,
    pub client_id: String,
    pub public_key_pem: String,
    pub created_at: Millis,
}

/// An OAuth client a reseller registered for user credentials (an authorized-user file
/// such as GAM's `oauth2.txt`). Its secret is kept only as a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    /// `….apps.googleusercontent.com`, as Google's.
    pub client_id: String,
    /// The reseller account that registered it; its refresh tokens act as its users.
    pub account_id: String,
    pub secret_digest: String,
    pub name: String,
    pub created_at: Millis,
}

/// A refresh token (kept as a digest): one user of the client's account and the scopes
/// that user granted; access tokens got with it may ask for those or fewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshGrant {
    pub digest: String,
    pub client_id: String,
    pub account_id: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub created_at: Millis,
}

/// What a bearer access token stands for. The token itself is stored only as a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessGrant {
    pub digest: String,
    pub client_id: String,
    /// The account the service account belongs to.
    pub account_id: String,
    /// The impersonated user (`sub`), if any.
    pub subject: Option<Subject>,
    pub scopes: Vec<String>,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub user_id: String,
    pub email: String,
}

impl AccessGrant {
    pub fn is_expired(&self, now: Millis) -> bool {
        now >= self.expires_at
    }

    pub fn allows(&self, requirement: scopes::Requirement) -> bool {
        requirement.satisfied_by(&self.scopes)
    }
}

/// Why a token request is refused; each maps to Google's OAuth error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantRefusal {
    /// `invalid_scope`: empty, or a scope Google doesn't know.
    InvalidScope(String),
    /// `unauthorized_client`: a real scope the client ID was not granted.
    UnauthorizedClient,
    /// `invalid_grant`: the user to act as (`sub`) is not an active user of the service
    /// account's own account.
    UnknownSubject,
    /// `invalid_client`: no such OAuth client, or the wrong secret.
    InvalidClient,
    /// `invalid_grant`: the refresh token is unknown, revoked, another client's, or its
    /// user is no longer active.
    RevokedRefreshToken,
}

/// Decides whether the requested scopes may be granted to a delegated client.
pub fn check_requested_scopes(
    requested: &[String],
    delegated: &[String],
) -> Result<(), GrantRefusal> {
    if requested.is_empty() {
        return Err(GrantRefusal::InvalidScope(
            "Empty or missing scope not allowed.".into(),
        ));
    }
    if let Some(unknown) = requested.iter().find(|s| !scopes::is_known(s)) {
        return Err(GrantRefusal::InvalidScope(format!(
            "Invalid OAuth scope or ID token audience provided: {unknown}"
        )));
    }
    if requested.iter().all(|s| delegated.contains(s)) {
        Ok(())
    } else {
        Err(GrantRefusal::UnauthorizedClient)
    }
}

/// Checks the `iat`/`exp` claims (milliseconds) against the wall clock. Any `i64` is
/// judged, extremes included: the lifetime is computed without overflow.
pub fn assertion_times_valid(iat: Millis, exp: Millis, real_now: Millis) -> bool {
    exp > iat
        && exp
            .checked_sub(iat)
            .is_some_and(|lifetime| lifetime <= MAX_ASSERTION_LIFETIME_MS)
        && iat <= real_now + CLOCK_SKEW_MS
        && exp >= real_now - CLOCK_SKEW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_assertion_times_are_refused_without_overflow() {
        let now = 1_700_000_000_000;
        assert!(assertion_times_valid(now, now + 3_600_000, now));
        assert!(!assertion_times_valid(i64::MIN, i64::MAX, now));
        assert!(!assertion_times_valid(
            -9_000_000_000_000_000,
            9_000_000_000_000_000,
            now
        ));
        assert!(!assertion_times_valid(now, i64::MAX, now));
        assert!(!assertion_times_valid(i64::MIN, now, now));
    }

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn scope_decisions() {
        let delegated = v(scopes::DELEGATED_BY_DEFAULT);
        assert!(check_requested_scopes(&v(&[scopes::RESELLER]), &delegated).is_ok());
        assert_eq!(
            check_requested_scopes(
                &v(&["https://www.googleapis.com/auth/cloud-platform"]),
                &delegated
            ),
            Err(GrantRefusal::UnauthorizedClient)
        );
        assert!(matches!(
            check_requested_scopes(&v(&["https://www.googleapis.com/auth/nope"]), &delegated),
            Err(GrantRefusal::InvalidScope(_))
        ));
        assert!(matches!(
            check_requested_scopes(&[], &delegated),
            Err(GrantRefusal::InvalidScope(_))
        ));
    }

    #[test]
    fn assertion_times() {
        let now = 1_000_000_000;
        assert!(assertion_times_valid(now, now + 3_600_000, now));
        assert!(
            !assertion_times_valid(now, now + 3_600_001, now),
            "longer than an hour"
        );
        assert!(
            !assertion_times_valid(now - 7_200_000, now - 3_600_000, now),
            "expired"
        );
        assert!(
            !assertion_times_valid(now + 600_000, now + 1_200_000, now),
            "issued in the future"
        );
        assert!(
            assertion_times_valid(now + 60_000, now + 1_200_000, now),
            "small skew is fine"
        );
        assert!(!assertion_times_valid(now, now, now), "exp must follow iat");
    }
}
