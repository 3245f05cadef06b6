//! Licensing API `licenseAssignments`, under `/apps/licensing/v1/product/{productId}`.
//! The operations are `partnerd_app::licensing`; this translates the wire format to them
//! and back.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use partnerd_app::licensing::{self, Assignment, Reassignment};
use partnerd_domain::licensing::product_name;
use partnerd_domain::scopes::LICENSING;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::paging;
use crate::state::AppState;

const BASE: &str = "/apps/licensing/v1/product";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{BASE}/{{product_id}}/users"),
            get(list_for_product),
        )
        .route(
            &format!("{BASE}/{{product_id}}/sku/{{sku_id}}/users"),
            get(list_for_sku),
        )
        .route(
            &format!("{BASE}/{{product_id}}/sku/{{sku_id}}/user"),
            post(insert),
        )
        .route(
            &format!("{BASE}/{{product_id}}/sku/{{sku_id}}/user/{{user_id}}"),
            get(get_one).delete(delete).patch(reassign).put(reassign),
        )
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentResource {
    kind: &'static str,
    etags: String,
    self_link: String,
    user_id: String,
    product_id: String,
    product_name: String,
    sku_id: String,
    sku_name: String,
}

impl AssignmentResource {
    fn new(state: &AppState, a: &Assignment) -> Self {
        let (sku, email) = (a.sku, &a.email);
        AssignmentResource {
            kind: "licensing#licenseAssignment",
            etags: format!("\"{}/{}/{email}\"", sku.product_id, sku.sku_id),
            self_link: format!(
                "{}{BASE}/{}/sku/{}/user/{email}",
                state.public_url, sku.product_id, sku.sku_id
            ),
            user_id: email.to_string(),
            product_id: sku.product_id.to_string(),
            product_name: product_name(sku.product_id)
                .unwrap_or(sku.product_id)
                .to_string(),
            sku_id: sku.sku_id.to_string(),
            sku_name: sku.sku_name.to_string(),
        }
    }
}

pub async fn get_one(
    caller: Caller,
    State(state): State<AppState>,
    Path((product_id, sku_id, user_key)): Path<(String, String, String)>,
) -> Result<axum::Json<AssignmentResource>, ApiError> {
    caller.require(LICENSING)?;
    let assignment =
        licensing::get(&state.ops, caller.actor(), &product_id, &sku_id, &user_key).await?;
    Ok(axum::Json(AssignmentResource::new(&state, &assignment)))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InsertBody {
    #[serde(default)]
    user_id: Option<String>,
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Path((product_id, sku_id)): Path<(String, String)>,
    Json(body): Json<InsertBody>,
) -> Result<axum::Json<AssignmentResource>, ApiError> {
    caller.require(LICENSING)?;
    let assignment = licensing::insert(
        &state.ops,
        caller.actor(),
        &product_id,
        &sku_id,
        body.user_id.as_deref(),
    )
    .await?;
    Ok(axum::Json(AssignmentResource::new(&state, &assignment)))
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path((product_id, sku_id, user_key)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    caller.require(LICENSING)?;
    licensing::delete(&state.ops, caller.actor(), &product_id, &sku_id, &user_key).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignmentBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    etags: Option<String>,
    #[serde(default)]
    self_link: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    product_id: Option<String>,
    #[serde(default)]
    product_name: Option<String>,
    #[serde(default)]
    sku_id: Option<String>,
    #[serde(default)]
    sku_name: Option<String>,
}

/// `patch`/`update`: moves the user's licence from the SKU in the path to the one in the body.
pub async fn reassign(
    caller: Caller,
    State(state): State<AppState>,
    Path((product_id, sku_id, user_key)): Path<(String, String, String)>,
    Json(body): Json<AssignmentBody>,
) -> Result<axum::Json<AssignmentResource>, ApiError> {
    caller.require(LICENSING)?;
    // Read-only fields of the resource, accepted and ignored.
    let _ = (
        body.kind,
        body.etags,
        body.self_link,
        body.product_name,
        body.sku_name,
    );
    let to = Reassignment {
        product_id: body.product_id,
        sku_id: body.sku_id,
        user_id: body.user_id,
    };
    let assignment = licensing::reassign(
        &state.ops,
        caller.actor(),
        &product_id,
        &sku_id,
        &user_key,
        &to,
    )
    .await?;
    Ok(axum::Json(AssignmentResource::new(&state, &assignment)))
}

// ---- lists ----------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListParams {
    #[serde(default)]
    customer_id: Option<String>,
    #[serde(default)]
    max_results: Option<String>,
    #[serde(default)]
    page_token: Option<String>,
}

pub async fn list_for_product(
    caller: Caller,
    State(state): State<AppState>,
    Path(product_id): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    list(caller, state, product_id, None, params).await
}

pub async fn list_for_sku(
    caller: Caller,
    State(state): State<AppState>,
    Path((product_id, sku_id)): Path<(String, String)>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    list(caller, state, product_id, Some(sku_id), params).await
}

async fn list(
    caller: Caller,
    state: AppState,
    product_id: String,
    sku_id: Option<String>,
    params: ListParams,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    caller.require(LICENSING)?;
    let listed = licensing::list(
        &state.ops,
        caller.actor(),
        &product_id,
        sku_id.as_deref(),
        params.customer_id.as_deref(),
    )
    .await?;
    let account = &listed.account;
    let max = paging::max_results(params.max_results.as_deref(), 100, 1000)?;
    let fingerprint = format!("{}|{product_id}|{}", account.id, sku_id.unwrap_or_default());
    let (page, next) = paging::page(
        listed.items,
        |a| format!("{}\u{0}{}", a.sku.sku_id, a.email),
        max,
        params.page_token.as_deref(),
        &fingerprint,
    )?;
    let mut body = serde_json::json!({
        "kind": "licensing#licenseAssignmentList",
        "etag": format!("\"{}/{}\"", account.id, account.version),
        "items": page.iter().map(|a| AssignmentResource::new(&state, a)).collect::<Vec<_>>(),
    });
    paging::add_next_page_token(&mut body, next);
    Ok(axum::Json(body))
}
