//! Directory `orgunits`: list, insert, get, patch, update, delete. The wire types mirror
//! the discovery document's `OrgUnit`; the operations are `partnerd_app::orgunits`.

use axum::extract::State;
use axum::http::StatusCode;
use partnerd_app::orgunits::{self, Depth, Place, UnitFields, parent_path, root_id};
use partnerd_domain::customer::Customer;
use partnerd_domain::directory::OrgUnit;
use partnerd_domain::scopes::{DIRECTORY_ORGUNIT_READ, DIRECTORY_ORGUNIT_WRITE};
use serde::{Deserialize, Serialize};

use super::etag;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgUnitResource {
    kind: &'static str,
    etag: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    org_unit_path: String,
    org_unit_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_org_unit_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_org_unit_id: Option<String>,
    block_inheritance: bool,
}

impl OrgUnitResource {
    fn new(u: &OrgUnit) -> Self {
        OrgUnitResource {
            kind: "admin#directory#orgUnit",
            etag: etag(&u.id, u.version),
            name: u.name.clone(),
            description: u.description.clone(),
            org_unit_path: u.path.clone(),
            org_unit_id: u.id.clone(),
            parent_org_unit_path: Some(parent_path(&u.path)),
            parent_org_unit_id: Some(
                u.parent_id
                    .clone()
                    .unwrap_or_else(|| root_id(&u.account_id)),
            ),
            block_inheritance: false,
        }
    }

    fn root(account: &Customer) -> Self {
        OrgUnitResource {
            kind: "admin#directory#orgUnit",
            etag: etag(&root_id(&account.id), 1),
            name: account.domain.clone(),
            description: None,
            org_unit_path: "/".into(),
            org_unit_id: root_id(&account.id),
            parent_org_unit_path: None,
            parent_org_unit_id: None,
            block_inheritance: false,
        }
    }

    fn of(account: &Customer, place: &Place) -> Self {
        match place {
            Place::Root => Self::root(account),
            Place::Unit(u) => Self::new(u),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgUnitBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    etag: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    org_unit_path: Option<String>,
    #[serde(default)]
    org_unit_id: Option<String>,
    #[serde(default)]
    parent_org_unit_path: Option<String>,
    #[serde(default)]
    parent_org_unit_id: Option<String>,
    #[serde(default)]
    block_inheritance: Option<bool>,
}

impl OrgUnitBody {
    fn into_fields(self) -> UnitFields {
        // kind, etag, orgUnitPath and orgUnitId are read-only; inheritance is not blocked.
        let _ = (
            self.kind,
            self.etag,
            self.org_unit_path,
            self.org_unit_id,
            self.block_inheritance,
        );
        UnitFields {
            name: self.name,
            description: self.description,
            // The id names the parent when both are given.
            parent: self.parent_org_unit_id.or(self.parent_org_unit_path),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListParams {
    #[serde(default)]
    org_unit_path: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgUnitsResource {
    kind: &'static str,
    etag: String,
    organization_units: Vec<OrgUnitResource>,
}

pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<OrgUnitsResource>, ApiError> {
    caller.require(DIRECTORY_ORGUNIT_READ)?;
    let tree = orgunits::list(
        &state.ops,
        caller.actor(),
        &customer_id,
        params.org_unit_path.as_deref(),
    )
    .await?;
    let name = params.kind.as_deref().unwrap_or("children");
    let depth = Depth::parse(name).ok_or_else(|| {
        ApiError::invalid_parameter(
            "type",
            format!(
                "Invalid value for type: '{name}' is not one of children, all, allIncludingParent"
            ),
        )
    })?;
    let units = tree
        .select(depth)
        .iter()
        .map(|place| OrgUnitResource::of(&tree.account, place))
        .collect();
    Ok(axum::Json(OrgUnitsResource {
        kind: "admin#directory#orgUnits",
        etag: etag(&tree.account.id, tree.account.version),
        organization_units: units,
    }))
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, key)): Path<(String, String)>,
) -> Result<axum::Json<OrgUnitResource>, ApiError> {
    caller.require(DIRECTORY_ORGUNIT_READ)?;
    let (account, place) = orgunits::get(&state.ops, caller.actor(), &customer_id, &key).await?;
    Ok(axum::Json(OrgUnitResource::of(&account, &place)))
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
    Json(body): Json<OrgUnitBody>,
) -> Result<axum::Json<OrgUnitResource>, ApiError> {
    caller.require(DIRECTORY_ORGUNIT_WRITE)?;
    let unit =
        orgunits::insert(&state.ops, caller.actor(), &customer_id, body.into_fields()).await?;
    Ok(axum::Json(OrgUnitResource::new(&unit)))
}

pub async fn patch(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, key)): Path<(String, String)>,
    Json(body): Json<OrgUnitBody>,
) -> Result<axum::Json<OrgUnitResource>, ApiError> {
    change(caller, state, customer_id, key, body).await
}

pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, key)): Path<(String, String)>,
    Json(body): Json<OrgUnitBody>,
) -> Result<axum::Json<OrgUnitResource>, ApiError> {
    change(caller, state, customer_id, key, body).await
}

async fn change(
    caller: Caller,
    state: AppState,
    customer_id: String,
    key: String,
    body: OrgUnitBody,
) -> Result<axum::Json<OrgUnitResource>, ApiError> {
    caller.require(DIRECTORY_ORGUNIT_WRITE)?;
    let unit = orgunits::change(
        &state.ops,
        caller.actor(),
        &customer_id,
        &key,
        body.into_fields(),
    )
    .await?;
    Ok(axum::Json(OrgUnitResource::new(&unit)))
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, key)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    caller.require(DIRECTORY_ORGUNIT_WRITE)?;
    orgunits::delete(&state.ops, caller.actor(), &customer_id, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}
