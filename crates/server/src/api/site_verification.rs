//! Google Site Verification API v1, under `/siteVerification/v1`: the token for a site,
//! verifying it, the account's verified sites and their owners. The operations are
//! `partnerd_app::site_verification`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use partnerd_app::site_verification::{self, SiteInput};
use partnerd_domain::scopes::{SITE_VERIFICATION, SITE_VERIFY};
use partnerd_domain::site_verification::VerifiedSite;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/siteVerification/v1/token", post(get_token))
        .route("/siteVerification/v1/webResource", post(insert).get(list))
        .route(
            "/siteVerification/v1/webResource/{id}",
            get(get_one).delete(delete).put(update).patch(patch),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteBody {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    identifier: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenBody {
    #[serde(default)]
    site: Option<SiteBody>,
    #[serde(default)]
    verification_method: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TokenResource {
    method: String,
    token: String,
}

pub async fn get_token(
    caller: Caller,
    Json(body): Json<TokenBody>,
) -> Result<axum::Json<TokenResource>, ApiError> {
    caller.require(SITE_VERIFY)?;
    let site = body.site.unwrap_or_default();
    let input = SiteInput {
        kind: site.kind,
        identifier: site.identifier,
        method: body.verification_method,
    };
    let (method, token) = site_verification::get_token(caller.actor(), &input)?;
    Ok(axum::Json(TokenResource { method, token }))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteResource {
    #[serde(rename = "type")]
    kind: &'static str,
    identifier: String,
}

#[derive(Debug, Serialize)]
pub struct WebResource {
    id: String,
    site: SiteResource,
    owners: Vec<String>,
}

impl WebResource {
    fn new(v: &VerifiedSite) -> Self {
        WebResource {
            id: v.id.clone(),
            site: SiteResource {
                kind: v.kind.as_str(),
                identifier: v.identifier.clone(),
            },
            owners: v.owners.clone(),
        }
    }
}

/// The body of `webResource.insert`, `update` and `patch`: Google's
/// `SiteVerificationWebResourceResource`. `id` is the server's; insert reads the site and
/// the owners it names, update and patch the owners.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebResourceBody {
    #[serde(default)]
    site: Option<SiteBody>,
    /// Accepted because Google's resource carries it; the path names the site.
    #[serde(default)]
    #[allow(dead_code)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    owners: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsertParams {
    verification_method: Option<String>,
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Query(params): Query<InsertParams>,
    Json(body): Json<WebResourceBody>,
) -> Result<axum::Json<WebResource>, ApiError> {
    caller.require(SITE_VERIFY)?;
    let site = body.site.unwrap_or_default();
    let input = SiteInput {
        kind: site.kind,
        identifier: site.identifier,
        method: params.verification_method,
    };
    let named = body.owners.unwrap_or_default();
    let verified = site_verification::verify(&state.ops, caller.actor(), &input, &named).await?;
    Ok(axum::Json(WebResource::new(&verified)))
}

/// `webResource.update`: the owners become the body's (a body without owners leaves only
/// what cannot be removed, which is refused the same way).
pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<WebResourceBody>,
) -> Result<axum::Json<WebResource>, ApiError> {
    caller.require(SITE_VERIFICATION)?;
    let owners = body.owners.unwrap_or_default();
    let site = site_verification::set_owners(&state.ops, caller.actor(), &id, &owners).await?;
    Ok(axum::Json(WebResource::new(&site)))
}

/// `webResource.patch`: as update, but a body that names no owners changes nothing.
pub async fn patch(
    caller: Caller,
    state: State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<WebResourceBody>,
) -> Result<axum::Json<WebResource>, ApiError> {
    if body.owners.is_some() {
        update(caller, state, Path(id), Json(body)).await
    } else {
        get_one(caller, state, Path(id)).await
    }
}

#[derive(Debug, Serialize)]
pub struct ListResource {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    items: Vec<WebResource>,
}

pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
) -> Result<axum::Json<ListResource>, ApiError> {
    caller.require(SITE_VERIFICATION)?;
    let sites = site_verification::list(&state.ops, caller.actor()).await?;
    Ok(axum::Json(ListResource {
        items: sites.iter().map(WebResource::new).collect(),
    }))
}

pub async fn get_one(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<WebResource>, ApiError> {
    caller.require(SITE_VERIFICATION)?;
    let site = site_verification::get(&state.ops, caller.actor(), &id).await?;
    Ok(axum::Json(WebResource::new(&site)))
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(SITE_VERIFICATION)?;
    site_verification::delete(&state.ops, caller.actor(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
