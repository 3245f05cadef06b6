//! Directory `orgunits`: list, insert, get, patch, update, delete, with path semantics.

use axum::extract::State;
use axum::http::StatusCode;
use partnerd_domain::Clock;
use partnerd_domain::customer::Customer;
use partnerd_domain::directory::{
    OrgUnit, check_unit_name, child_path, ensure_deletable, moved_subtree, normalize_path, within,
};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::scopes::{DIRECTORY_ORGUNIT_READ, DIRECTORY_ORGUNIT_WRITE};
use partnerd_store::{StoreError, WriteSet};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::access::administered;
use super::etag;
use crate::billing::ATTEMPTS;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::privileges::AdminNeed;
use crate::state::AppState;

/// The root unit is implicit; its id is derived from the account so it never changes.
fn root_id(account_id: &str) -> String {
    let digest = Sha256::digest(account_id.as_bytes());
    let mut n = [0u8; 8];
    n.copy_from_slice(&digest[..8]);
    format!("id:{:015}", u64::from_be_bytes(n) % 1_000_000_000_000_000)
}

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

fn parent_path(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".into(),
        Some((p, _)) => p.to_string(),
    }
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
}

/// Where a unit is: the root, or one of the stored units.
enum Place {
    Root,
    Unit(OrgUnit),
}

/// Finds a unit by path (`Staff/Sales`, with or without a leading slash) or by `id:…`.
fn locate(account: &Customer, units: &[OrgUnit], key: &str) -> Result<Place, ApiError> {
    let key = key.trim();
    if key.starts_with("id:") {
        if key == root_id(&account.id) {
            return Ok(Place::Root);
        }
        return units
            .iter()
            .find(|u| u.id == key)
            .cloned()
            .map(Place::Unit)
            .ok_or_else(|| ApiError::not_found("Org unit not found"));
    }
    let path = normalize_path(key)?;
    if path == "/" {
        return Ok(Place::Root);
    }
    units
        .iter()
        .find(|u| u.path.eq_ignore_ascii_case(&path))
        .cloned()
        .map(Place::Unit)
        .ok_or_else(|| ApiError::not_found("Org unit not found"))
}

fn event(
    actor: &str,
    at: i64,
    action: &str,
    before: Option<&OrgUnit>,
    after: &OrgUnit,
) -> NewEvent {
    NewEvent {
        at,
        actor: actor.to_string(),
        account_id: Some(after.account_id.clone()),
        action: action.to_string(),
        resource_type: "orgUnit".into(),
        resource_id: after.id.clone(),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(after).ok(),
        event_type: None,
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
    fn parent_key(&self) -> Option<&str> {
        let _ = (
            &self.kind,
            &self.etag,
            &self.org_unit_path,
            &self.org_unit_id,
            &self.block_inheritance,
        );
        self.parent_org_unit_id
            .as_deref()
            .or(self.parent_org_unit_path.as_deref())
    }
}

/// The parent named in a request, which must exist: (its path, its id or `None` for root).
fn parent_of(
    account: &Customer,
    units: &[OrgUnit],
    key: &str,
) -> Result<(String, Option<String>), ApiError> {
    match locate(account, units, key) {
        Ok(Place::Root) => Ok(("/".into(), None)),
        Ok(Place::Unit(u)) => Ok((u.path, Some(u.id))),
        Err(_) => Err(ApiError::invalid(format!(
            "Invalid value for parentOrgUnitPath: the parent unit {key} does not exist"
        ))),
    }
}

fn duplicate(path: &str) -> ApiError {
    ApiError::duplicate(format!("Invalid Ou Id: an org unit {path} already exists"))
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
    let account = administered(&state, &caller, &customer_id, AdminNeed::OrgUnitsRead).await?;
    let units = state.store.org_units(&account.id).await?;
    let base = match locate(
        &account,
        &units,
        params.org_unit_path.as_deref().unwrap_or("/"),
    )? {
        Place::Root => None,
        Place::Unit(u) => Some(u),
    };
    let base_path = base
        .as_ref()
        .map(|u| u.path.clone())
        .unwrap_or_else(|| "/".into());
    let base_id = base.as_ref().map(|u| u.id.clone());
    let mode = params.kind.as_deref().unwrap_or("children");
    let mut out: Vec<OrgUnitResource> = Vec::new();
    match mode {
        "children" => out.extend(
            units
                .iter()
                .filter(|u| u.parent_id == base_id)
                .map(OrgUnitResource::new),
        ),
        "all" | "allIncludingParent" => {
            if mode == "allIncludingParent" {
                out.push(match &base {
                    Some(u) => OrgUnitResource::new(u),
                    None => OrgUnitResource::root(&account),
                });
            }
            out.extend(
                units
                    .iter()
                    .filter(|u| within(&u.path, &base_path) && Some(&u.id) != base_id.as_ref())
                    .map(OrgUnitResource::new),
            );
        }
        other => {
            return Err(ApiError::invalid_parameter(
                "type",
                format!(
                    "Invalid value for type: '{other}' is not one of children, all, allIncludingParent"
                ),
            ));
        }
    }
    Ok(axum::Json(OrgUnitsResource {
        kind: "admin#directory#orgUnits",
        etag: etag(&account.id, account.version),
        organization_units: out,
    }))
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, key)): Path<(String, String)>,
) -> Result<axum::Json<OrgUnitResource>, ApiError> {
    caller.require(DIRECTORY_ORGUNIT_READ)?;
    let account = administered(&state, &caller, &customer_id, AdminNeed::OrgUnitsRead).await?;
    let units = state.store.org_units(&account.id).await?;
    Ok(axum::Json(match locate(&account, &units, &key)? {
        Place::Root => OrgUnitResource::root(&account),
        Place::Unit(u) => OrgUnitResource::new(&u),
    }))
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
    Json(body): Json<OrgUnitBody>,
) -> Result<axum::Json<OrgUnitResource>, ApiError> {
    let subject = caller.require(DIRECTORY_ORGUNIT_WRITE)?;
    let account = administered(
        &state,
        &caller,
        &customer_id,
        AdminNeed::Privilege("ORGANIZATION_UNITS_CREATE"),
    )
    .await?;
    let name = check_unit_name(body.name.as_deref())?;
    let units = state.store.org_units(&account.id).await?;
    let (parent_path, parent_id) = parent_of(&account, &units, body.parent_key().unwrap_or("/"))?;
    let path = normalize_path(&child_path(&parent_path, &name))?;
    if units.iter().any(|u| u.path.eq_ignore_ascii_case(&path)) {
        return Err(duplicate(&path));
    }
    let now = state.clock.now();
    let unit = OrgUnit {
        id: format!("id:{}", &ids::new_numeric_id()[..15]),
        account_id: account.id.clone(),
        name,
        description: body.description.clone().filter(|d| !d.trim().is_empty()),
        path,
        parent_id,
        created_at: now,
        version: 1,
    };
    let set = WriteSet {
        events: vec![event(&subject.email, now, "orgUnit.insert", None, &unit)],
        insert_org_units: vec![unit.clone()],
        ..Default::default()
    };
    match state.apply(set).await {
        Ok(()) => Ok(axum::Json(OrgUnitResource::new(&unit))),
        Err(StoreError::Conflict(_)) => Err(duplicate(&unit.path)),
        Err(e) => Err(e.into()),
    }
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

/// Renames or moves a unit; its subtree's paths follow in the same commit.
async fn change(
    caller: Caller,
    state: AppState,
    customer_id: String,
    key: String,
    body: OrgUnitBody,
) -> Result<axum::Json<OrgUnitResource>, ApiError> {
    let subject = caller.require(DIRECTORY_ORGUNIT_WRITE)?;
    for _ in 0..ATTEMPTS {
        let account = administered(
            &state,
            &caller,
            &customer_id,
            AdminNeed::Privilege("ORGANIZATION_UNITS_UPDATE"),
        )
        .await?;
        let units = state.store.org_units(&account.id).await?;
        let unit = match locate(&account, &units, &key)? {
            Place::Root => {
                return Err(ApiError::bad_request(
                    "The root organizational unit cannot be changed.",
                ));
            }
            Place::Unit(u) => u,
        };
        let name = match &body.name {
            Some(n) => check_unit_name(Some(n))?,
            None => unit.name.clone(),
        };
        let (parent_path, parent_id) = match body.parent_key() {
            Some(k) => parent_of(&account, &units, k)?,
            None => (parent_path(&unit.path), unit.parent_id.clone()),
        };
        if within(&parent_path, &unit.path) && parent_path != "/" {
            return Err(ApiError::invalid(
                "Invalid value for parentOrgUnitPath: a unit cannot move below itself",
            ));
        }
        let new_path = normalize_path(&child_path(&parent_path, &name))?;
        if !new_path.eq_ignore_ascii_case(&unit.path)
            && units.iter().any(|u| u.path.eq_ignore_ascii_case(&new_path))
        {
            return Err(duplicate(&new_path));
        }
        let now = state.clock.now();
        let mut set = WriteSet::default();
        let mut result = None;
        for (before, mut after) in moved_subtree(&units, &unit.path, &new_path) {
            if before.id == unit.id {
                after.name = name.clone();
                after.parent_id = parent_id.clone();
                if let Some(d) = &body.description {
                    after.description = Some(d.clone()).filter(|d| !d.trim().is_empty());
                }
                result = Some(after.clone());
            }
            set.events.push(event(
                &subject.email,
                now,
                "orgUnit.update",
                Some(&before),
                &after,
            ));
            set.update_org_units.push((before, after));
        }
        let updated = result.ok_or_else(ApiError::internal)?;
        match state.apply(set).await {
            Ok(()) => return Ok(axum::Json(OrgUnitResource::new(&updated))),
            Err(StoreError::Stale) => continue,
            Err(StoreError::Conflict(_)) => return Err(duplicate(&new_path)),
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Stale.into())
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer_id, key)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let subject = caller.require(DIRECTORY_ORGUNIT_WRITE)?;
    let account = administered(
        &state,
        &caller,
        &customer_id,
        AdminNeed::Privilege("ORGANIZATION_UNITS_DELETE"),
    )
    .await?;
    let units = state.store.org_units(&account.id).await?;
    let unit = match locate(&account, &units, &key)? {
        Place::Root => {
            return Err(ApiError::bad_request(
                "The root organizational unit cannot be deleted.",
            ));
        }
        Place::Unit(u) => u,
    };
    let inside = state
        .store
        .users_of(&account.id)
        .await?
        .iter()
        .filter(|u| u.deleted_at.is_none() && u.org_unit_id.as_deref() == Some(unit.id.as_str()))
        .count();
    ensure_deletable(&unit, &units, inside)?;
    let set = WriteSet {
        events: vec![event(
            &subject.email,
            state.clock.now(),
            "orgUnit.delete",
            Some(&unit),
            &unit,
        )],
        delete_org_units: vec![unit],
        ..Default::default()
    };
    state.apply(set).await?;
    Ok(StatusCode::NO_CONTENT)
}
