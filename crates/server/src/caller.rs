//! Who is calling: the bearer token resolved to its grant, checked on every API request.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use partnerd_domain::Clock;
use partnerd_domain::auth::{AccessGrant, Subject};
use partnerd_domain::ids::secret_digest;
use partnerd_domain::scopes::Requirement;

use crate::errors::ApiError;
use crate::privileges;
use crate::state::AppState;
use partnerd_app::Actor;

/// An authenticated API caller: its token's grant, and the actor it stands for.
pub struct Caller {
    pub grant: Arc<AccessGrant>,
    actor: Actor,
}

impl Caller {
    /// The account (reseller) the service account belongs to.
    pub fn account_id(&self) -> &str {
        &self.grant.account_id
    }

    /// Who acts through this token: its delegated user, or the service account itself.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Checks the token carries a scope the method accepts and impersonates a user:
    /// the reseller APIs act only as a delegated admin, never as a bare service account.
    pub fn require(&self, requirement: Requirement) -> Result<&Subject, ApiError> {
        if !self.grant.allows(requirement) {
            return Err(ApiError::insufficient_scopes());
        }
        self.grant
            .subject
            .as_ref()
            .ok_or_else(ApiError::not_authorized)
    }
}

/// The token of the request: `Ok(None)` when it carries no credentials at all,
/// `Err` when it carries some that are not a bearer token.
fn bearer(parts: &Parts) -> Result<Option<String>, ApiError> {
    bearer_of(&parts.headers, &parts.uri)
}

/// The bearer token of a request, from its header or (as Google allows) its query.
pub fn bearer_of(
    headers: &axum::http::HeaderMap,
    uri: &axum::http::Uri,
) -> Result<Option<String>, ApiError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim().to_string())
            .filter(|token| !token.is_empty());
        return token.map(Some).ok_or_else(ApiError::invalid_credentials);
    }
    Ok(query_token(uri))
}

fn query_token(uri: &axum::http::Uri) -> Option<String> {
    // Google also accepts the token as a query parameter.
    let query = uri.query()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "access_token" || k == "oauth_token")
        .map(|(_, v)| v)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?.ok_or_else(ApiError::login_required)?;
        let digest = secret_digest(&token);
        let grant = state
            .ops
            .grant(&digest)
            .await?
            .ok_or_else(ApiError::invalid_credentials)?;
        if grant.is_expired(state.clock.now()) {
            return Err(ApiError::invalid_credentials());
        }
        // A token dies with its user's standing: suspended or deleted users act no more
        // (this process at once, others within the privilege cache's lifetime).
        if let Some(subject) = &grant.subject
            && !privileges::authority_of(&state.ops, &subject.user_id)
                .await?
                .active
        {
            state.ops.forget_grant(&digest);
            return Err(ApiError::invalid_credentials());
        }
        let actor = match &grant.subject {
            Some(subject) => Actor::User {
                account_id: grant.account_id.clone(),
                user_id: subject.user_id.clone(),
                email: subject.email.clone(),
            },
            None => Actor::ServiceAccount {
                account_id: grant.account_id.clone(),
                client_id: grant.client_id.clone(),
            },
        };
        Ok(Caller { grant, actor })
    }
}
