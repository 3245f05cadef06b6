//! `POST /token`: Google's OAuth 2.0 JWT-bearer flow for service accounts, with
//! domain-wide delegation (`sub`) and scope checks, and the `refresh_token` grant for the
//! user credentials partnerd issued (`partnerd_app::user_credentials`); `POST /revoke`
//! ends a refresh token.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use partnerd_app::OpError;
use partnerd_app::tokens::{self, Issued};
use partnerd_app::user_credentials;
use partnerd_domain::Clock;
use partnerd_domain::auth::{GrantRefusal, assertion_times_valid};
use partnerd_domain::scopes;
use serde::{Deserialize, Serialize};

use crate::extract::{Form, Query};
use crate::state::AppState;

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const REFRESH_TOKEN: &str = "refresh_token";

/// Audiences Google's token endpoint answers to; google-auth always signs for the
/// first, whatever `token_uri` says, so partnerd accepts them beside its own URL.
const GOOGLE_AUDIENCES: &[&str] = &[
    "https://oauth2.googleapis.com/token",
    "https://www.googleapis.com/oauth2/v4/token",
    "https://accounts.google.com/o/oauth2/token",
];

#[derive(Deserialize)]
pub struct TokenRequest {
    grant_type: Option<String>,
    assertion: Option<String>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    sub: Option<String>,
    #[serde(default)]
    nbf: Option<i64>,
}

#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    expires_in: i64,
    /// The scopes granted, on a refresh (Google's answer names them; the JWT-bearer
    /// answer does not).
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    token_type: &'static str,
}

/// An OAuth error response: `{"error", "error_description"}`.
#[derive(Debug)]
pub struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            description: description.into(),
        }
    }

    fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    fn missing(parameter: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("Missing required parameter: {parameter}"),
        )
    }

    fn bad_signature() -> Self {
        Self::invalid_grant("Invalid JWT Signature.")
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.error, "error_description": self.description});
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<OpError> for OAuthError {
    /// A refusal in OAuth's words; anything else is a failure of ours.
    fn from(e: OpError) -> Self {
        match e {
            OpError::Grant(GrantRefusal::InvalidScope(d)) => {
                OAuthError::new(StatusCode::BAD_REQUEST, "invalid_scope", d)
            }
            OpError::Grant(GrantRefusal::UnauthorizedClient) => OAuthError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized_client",
                "Client is unauthorized to retrieve access tokens using this method, \
                 or client not authorized for any of the scopes requested.",
            ),
            OpError::Grant(GrantRefusal::UnknownSubject) => {
                OAuthError::invalid_grant("Invalid email or User ID")
            }
            OpError::Grant(GrantRefusal::InvalidClient) => {
                OAuthError::new(StatusCode::UNAUTHORIZED, "invalid_client", "Unauthorized")
            }
            OpError::Grant(GrantRefusal::RevokedRefreshToken) => {
                OAuthError::invalid_grant("Token has been expired or revoked.")
            }
            other => {
                tracing::error!(error = %other, "failure at the token endpoint");
                OAuthError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_failure",
                    "Internal error.",
                )
            }
        }
    }
}

pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenRequest>, crate::errors::ApiError>,
) -> Result<impl IntoResponse, OAuthError> {
    let Form(request) =
        form.map_err(|e| OAuthError::new(StatusCode::BAD_REQUEST, "invalid_request", e.message))?;
    let (Issued { token, grant }, scope) = match request.grant_type.as_deref() {
        Some(JWT_BEARER) => {
            let assertion = request
                .assertion
                .filter(|a| !a.is_empty())
                .ok_or_else(|| OAuthError::missing("assertion"))?;
            (issue_for_assertion(&state, &assertion).await?, None)
        }
        Some(REFRESH_TOKEN) => {
            let issued = refresh(&state, &headers, request).await?;
            let scope = issued.grant.scopes.join(" ");
            (issued, Some(scope))
        }
        other => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("Invalid grant_type: {}", other.unwrap_or_default()),
            ));
        }
    };
    let expires_in = (grant.expires_at - state.clock.now()) / 1000;
    Ok(axum::Json(TokenResponse {
        access_token: token,
        expires_in,
        scope,
        token_type: "Bearer",
    }))
}

/// The `refresh_token` grant: the client authenticates in the form
/// (`client_secret_post`, as Google's libraries and GAM do) or with HTTP Basic
/// (`client_secret_basic`).
async fn refresh(
    state: &AppState,
    headers: &HeaderMap,
    request: TokenRequest,
) -> Result<Issued, OAuthError> {
    let refresh_token = request
        .refresh_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| OAuthError::missing("refresh_token"))?;
    let (client_id, client_secret) = match basic_credentials(headers) {
        Some(pair) => pair,
        None => (
            request.client_id.filter(|c| !c.is_empty()).ok_or_else(|| {
                OAuthError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Could not determine client ID from request.",
                )
            })?,
            request
                .client_secret
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        "client_secret is missing.",
                    )
                })?,
        ),
    };
    let requested = request.scope.as_deref().map(scopes::parse);
    Ok(user_credentials::refresh_access(
        &state.ops,
        &client_id,
        &client_secret,
        &refresh_token,
        requested,
    )
    .await?)
}

/// `Authorization: Basic base64(client_id:client_secret)`, if the request has it.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    use base64::Engine;
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

#[derive(Deserialize)]
pub struct RevokeRequest {
    token: Option<String>,
}

/// `POST /revoke` (Google's `oauth2.googleapis.com/revoke`): ends a refresh token, given
/// in the form or the query. Access tokens are not revoked here: they end within the hour,
/// or with their user.
pub async fn revoke(
    State(state): State<AppState>,
    query: Query<RevokeRequest>,
    form: Result<Form<RevokeRequest>, crate::errors::ApiError>,
) -> Result<impl IntoResponse, OAuthError> {
    let token = form
        .ok()
        .and_then(|Form(f)| f.token)
        .or(query.0.token)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| OAuthError::missing("token"))?;
    if user_credentials::revoke(&state.ops, &token).await? {
        Ok(axum::Json(serde_json::json!({})))
    } else {
        Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_token",
            "Token expired or revoked",
        ))
    }
}

/// Whether the JOSE header of a compact JWT carries a `crit` member.
fn names_critical_extensions(assertion: &str) -> bool {
    use base64::Engine;
    let Some(header) = assertion.split('.').next() else {
        return false;
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .ok()
        .and_then(|bytes| {
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes).ok()
        })
        .is_some_and(|h| h.contains_key("crit"))
}

/// The `iss` claim of a compact JWT, read before its signature is checked: only to pick
/// the keys to check it with.
fn unverified_issuer(assertion: &str) -> Option<String> {
    use base64::Engine;
    let payload = assertion.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    #[derive(Deserialize)]
    struct Issuer {
        iss: String,
    }
    serde_json::from_slice::<Issuer>(&bytes).ok().map(|c| c.iss)
}

/// RFC 7519 §4.1.5: the assertion may not be used before `nbf` (milliseconds), with the
/// same skew allowed as for `iat`.
fn not_before_reached(nbf: i64, real_now: i64) -> bool {
    nbf <= real_now.saturating_add(partnerd_domain::auth::CLOCK_SKEW_MS)
}

/// Verifies a signed assertion (its header, signature, issuer, audience and times), then
/// has the operation decide what the token may do and issue it.
async fn issue_for_assertion(state: &AppState, assertion: &str) -> Result<Issued, OAuthError> {
    let header = jsonwebtoken::decode_header(assertion)
        .map_err(|_| OAuthError::invalid_grant("Invalid JWT: the assertion is not a JWT."))?;
    if header.alg != Algorithm::RS256 {
        return Err(OAuthError::bad_signature());
    }
    // RFC 7515 §4.1.11: a JWS naming extensions in `crit` that the recipient does not
    // understand must be rejected; partnerd understands none.
    if names_critical_extensions(assertion) {
        return Err(OAuthError::invalid_grant(
            "Invalid JWT: the header names critical extensions (crit) that are not supported.",
        ));
    }
    // Google's Node.js client signs without `kid`: then every key of the service account
    // its `iss` names is tried (a handful at most), as Google's token endpoint does.
    let candidates = match header.kid {
        Some(kid) => tokens::signing_key(&state.ops, &kid)
            .await?
            .into_iter()
            .collect(),
        None => match unverified_issuer(assertion) {
            Some(issuer) => tokens::issuer_keys(&state.ops, &issuer).await?,
            None => Vec::new(),
        },
    };
    let mut validation = Validation::new(Algorithm::RS256);
    // Times are checked below against the injected clock; the audience against our list.
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let mut verified = None;
    for (service_account, key) in candidates {
        let Ok(decoding_key) = DecodingKey::from_rsa_pem(key.public_key_pem.as_bytes()) else {
            continue;
        };
        match jsonwebtoken::decode::<Claims>(assertion, &decoding_key, &validation) {
            Ok(decoded) => {
                verified = Some((service_account, decoded.claims));
                break;
            }
            Err(e) if *e.kind() == jsonwebtoken::errors::ErrorKind::InvalidSignature => {}
            // The signature held (it is checked first): the claims themselves are wrong.
            Err(e) => return Err(OAuthError::invalid_grant(format!("Invalid JWT: {e}"))),
        }
    }
    let (service_account, claims) = verified.ok_or_else(OAuthError::bad_signature)?;

    if claims.iss != service_account.email {
        return Err(OAuthError::invalid_grant(
            "Invalid JWT: the issuer does not own the signing key.",
        ));
    }
    if claims.aud != state.token_url() && !GOOGLE_AUDIENCES.contains(&claims.aud.as_str()) {
        return Err(OAuthError::invalid_grant(format!(
            "Invalid JWT audience: {}",
            claims.aud
        )));
    }
    if !assertion_times_valid(
        claims.iat.saturating_mul(1000),
        claims.exp.saturating_mul(1000),
        state.clock.real_now(),
    ) {
        return Err(OAuthError::invalid_grant(
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. \
             Check your iat and exp values in the JWT claim.",
        ));
    }

    if let Some(nbf) = claims.nbf
        && !not_before_reached(nbf.saturating_mul(1000), state.clock.real_now())
    {
        return Err(OAuthError::invalid_grant(
            "Invalid JWT: the token is not valid yet (nbf is in the future).",
        ));
    }

    let requested = scopes::parse(claims.scope.as_deref().unwrap_or_default());
    Ok(tokens::grant_access(
        &state.ops,
        &service_account,
        claims.sub.as_deref(),
        requested,
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn jwt(header: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", b64(header), b64("{}"))
    }

    #[test]
    fn crit_headers_are_noticed() {
        assert!(names_critical_extensions(&jwt(
            r#"{"alg":"RS256","kid":"k","crit":["exp"]}"#
        )));
        assert!(!names_critical_extensions(&jwt(
            r#"{"alg":"RS256","kid":"k"}"#
        )));
        assert!(!names_critical_extensions("not a jwt"));
    }

    #[test]
    fn the_issuer_is_read_without_the_signature() {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let with = |claims: &str| format!("{}.{}.sig", b64(r#"{"alg":"RS256"}"#), b64(claims));
        assert_eq!(
            unverified_issuer(&with(r#"{"iss":"sa@p.iam.gserviceaccount.com","aud":"x"}"#)),
            Some("sa@p.iam.gserviceaccount.com".into())
        );
        assert_eq!(unverified_issuer(&with(r#"{"iss":7}"#)), None);
        assert_eq!(unverified_issuer(&with(r#"{"aud":"x"}"#)), None);
        assert_eq!(unverified_issuer(&with("not json")), None);
        assert_eq!(unverified_issuer("no-dots"), None);
        assert_eq!(unverified_issuer("a.!!!.c"), None);
    }

    #[test]
    fn nbf_in_the_future_is_refused_with_skew() {
        let now = 1_700_000_000_000;
        assert!(not_before_reached(now, now));
        assert!(not_before_reached(now + 60_000, now));
        assert!(!not_before_reached(now + 600_000, now));
        assert!(not_before_reached(i64::MIN, now));
        assert!(!not_before_reached(i64::MAX, now));
    }
}
