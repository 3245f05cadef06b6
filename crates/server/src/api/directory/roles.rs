//! Directory `privileges.list`, `roles` and `roleAssignments`.

use axum::extract::State;
use axum::http::StatusCode;
use partnerd_domain::Clock;
use partnerd_domain::customer::Customer;
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::roles::{self, CUSTOM_ROLES_MAX, Role, RoleAssignment, ScopeType};
use partnerd_domain::scopes::{DIRECTORY_ROLES_READ, DIRECTORY_ROLES_WRITE};
use partnerd_store::{StoreError, WriteSet};
use serde::{Deserialize, Serialize};

use super::access::administered;
use super::etag;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::paging;
use crate::privileges::{self, AdminNeed};
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivilegeResource {
    kind: &'static str,
    etag: String,
    privilege_name: &'static str,
    service_id: &'static str,
    service_name: &'static str,
    is_ou_scopable: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    child_privileges: Vec<PrivilegeResource>,
}

fn privilege_tree(parent: Option<&str>) -> Vec<PrivilegeResource> {
    roles::tree()
        .iter()
        .filter(|p| p.parent == parent)
        .map(|p| PrivilegeResource {
            kind: "admin#directory#privilege",
            etag: etag(p.name, 1),
            privilege_name: p.name,
            service_id: p.service_id,
            service_name: p.service_name,
            is_ou_scopable: p.ou_scopable,
            child_privileges: privilege_tree(Some(p.name)),
        })
        .collect()
}

pub async fn privileges(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer): Path<String>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    caller.require(DIRECTORY_ROLES_READ)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    Ok(axum::Json(serde_json::json!({
        "kind": "admin#directory#privileges",
        "etag": etag(&account.id, 1),
        "items": privilege_tree(None),
    })))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleResource {
    kind: &'static str,
    etag: String,
    role_id: String,
    role_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_description: Option<String>,
    role_privileges: Vec<RolePrivilege>,
    is_system_role: bool,
    is_super_admin_role: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RolePrivilege {
    #[serde(default)]
    privilege_name: Option<String>,
    #[serde(default)]
    service_id: Option<String>,
}

impl RoleResource {
    fn new(r: &Role) -> Self {
        RoleResource {
            kind: "admin#directory#role",
            etag: etag(&r.id, r.version),
            role_id: r.id.clone(),
            role_name: r.name.clone(),
            role_description: r.description.clone(),
            role_privileges: r
                .privileges
                .iter()
                .map(|p| RolePrivilege {
                    privilege_name: Some(p.clone()),
                    service_id: roles::privilege(p).map(|x| x.service_id.to_string()),
                })
                .collect(),
            is_system_role: r.is_system(),
            is_super_admin_role: r.is_super_admin,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    etag: Option<String>,
    #[serde(default)]
    role_id: Option<String>,
    #[serde(default)]
    role_name: Option<String>,
    #[serde(default)]
    role_description: Option<String>,
    #[serde(default)]
    role_privileges: Option<Vec<RolePrivilege>>,
    #[serde(default)]
    is_system_role: Option<bool>,
    #[serde(default)]
    is_super_admin_role: Option<bool>,
}

impl RoleBody {
    fn privilege_names(&self) -> Option<Vec<String>> {
        let _ = (
            &self.kind,
            &self.etag,
            &self.role_id,
            &self.is_system_role,
            &self.is_super_admin_role,
        );
        self.role_privileges
            .as_ref()
            .map(|ps| ps.iter().filter_map(|p| p.privilege_name.clone()).collect())
    }
}

async fn all_roles(state: &AppState, account: &Customer) -> Result<Vec<Role>, ApiError> {
    let mut all: Vec<Role> = roles::system_roles().to_vec();
    all.extend(state.store.roles(&account.id).await?);
    Ok(all)
}

fn role_not_found() -> ApiError {
    ApiError::not_found("Resource Not Found: roleId")
}

/// An event of this module; the resource type is the action's first word.
fn event<T: Serialize>(
    actor: &str,
    at: i64,
    account: &str,
    action: &str,
    id: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> NewEvent {
    NewEvent {
        at,
        actor: actor.to_string(),
        account_id: Some(account.to_string()),
        action: action.to_string(),
        resource_type: action.split('.').next().unwrap_or(action).to_string(),
        resource_id: id.to_string(),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: after.and_then(|a| serde_json::to_value(a).ok()),
        event_type: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageParams {
    #[serde(default)]
    max_results: Option<String>,
    #[serde(default)]
    page_token: Option<String>,
}

pub async fn list_roles(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    caller.require(DIRECTORY_ROLES_READ)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let max = paging::max_results(params.max_results.as_deref(), 100, 100)?;
    // Prebuilt roles first, then custom ones in creation order: ids ascend in that order.
    let roles: Vec<(usize, Role)> = all_roles(&state, &account)
        .await?
        .into_iter()
        .enumerate()
        .collect();
    let fingerprint = format!("roles|{}", account.id);
    let (page, next) = paging::page(
        roles,
        |(i, r)| format!("{i:06}{}", r.id),
        max,
        params.page_token.as_deref(),
        &fingerprint,
    )?;
    let items: Vec<RoleResource> = page.iter().map(|(_, r)| RoleResource::new(r)).collect();
    let mut body = serde_json::json!({
        "kind": "admin#directory#roles",
        "etag": etag(&account.id, account.version),
        "items": items,
    });
    paging::add_next_page_token(&mut body, next);
    Ok(axum::Json(body))
}

pub async fn get_role(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer, role_id)): Path<(String, String)>,
) -> Result<axum::Json<RoleResource>, ApiError> {
    caller.require(DIRECTORY_ROLES_READ)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let roles = all_roles(&state, &account).await?;
    let role = roles
        .iter()
        .find(|r| r.id == role_id)
        .ok_or_else(role_not_found)?;
    Ok(axum::Json(RoleResource::new(role)))
}

pub async fn insert_role(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer): Path<String>,
    Json(body): Json<RoleBody>,
) -> Result<axum::Json<RoleResource>, ApiError> {
    let subject = caller.require(DIRECTORY_ROLES_WRITE)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let privileges = body.privilege_names().unwrap_or_default();
    let name = roles::check_role(body.role_name.as_deref(), &privileges)?;
    privileges::role_definition(&state.ops, caller.actor(), &account, &privileges).await?;
    let existing = state.store.roles(&account.id).await?;
    if existing.len() >= CUSTOM_ROLES_MAX {
        return Err(ApiError::condition_not_met(format!(
            "An account holds at most {CUSTOM_ROLES_MAX} custom roles."
        )));
    }
    if roles::system_roles()
        .iter()
        .chain(&existing)
        .any(|r| r.name.eq_ignore_ascii_case(&name))
    {
        return Err(ApiError::duplicate(format!(
            "A role named {name} already exists."
        )));
    }
    let now = state.clock.now();
    let role = Role {
        id: ids::new_numeric_id()[..17].to_string(),
        account_id: Some(account.id.clone()),
        name,
        description: body
            .role_description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        privileges,
        is_super_admin: false,
        created_at: now,
        version: 1,
    };
    let set = WriteSet {
        events: vec![event(
            &subject.email,
            now,
            &account.id,
            "role.insert",
            &role.id,
            None,
            Some(&role),
        )],
        insert_roles: vec![role.clone()],
        ..Default::default()
    };
    match state.apply(set).await {
        Ok(()) => Ok(axum::Json(RoleResource::new(&role))),
        Err(StoreError::Conflict(_)) => Err(ApiError::duplicate(format!(
            "A role named {} already exists.",
            role.name
        ))),
        Err(e) => Err(e.into()),
    }
}

/// A custom role of the account; prebuilt roles cannot be changed or deleted.
async fn custom_role(
    state: &AppState,
    account: &Customer,
    role_id: &str,
) -> Result<Role, ApiError> {
    if roles::system_roles().iter().any(|r| r.id == role_id) {
        return Err(ApiError::bad_request(
            "Prebuilt roles cannot be changed or deleted.",
        ));
    }
    state
        .store
        .roles(&account.id)
        .await?
        .into_iter()
        .find(|r| r.id == role_id)
        .ok_or_else(role_not_found)
}

pub async fn patch_role(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer, role_id)): Path<(String, String)>,
    Json(body): Json<RoleBody>,
) -> Result<axum::Json<RoleResource>, ApiError> {
    let subject = caller.require(DIRECTORY_ROLES_WRITE)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let before = custom_role(&state, &account, &role_id).await?;
    privileges::role_grant(&state.ops, caller.actor(), &account, &before).await?;
    let privileges = body
        .privilege_names()
        .unwrap_or_else(|| before.privileges.clone());
    let name = roles::check_role(
        body.role_name.as_deref().or(Some(before.name.as_str())),
        &privileges,
    )?;
    privileges::role_definition(&state.ops, caller.actor(), &account, &privileges).await?;
    let mut after = before.clone();
    after.name = name;
    after.privileges = privileges;
    if let Some(d) = &body.role_description {
        after.description = Some(d.clone()).filter(|d| !d.trim().is_empty());
    }
    after.version += 1;
    let set = WriteSet {
        events: vec![event(
            &subject.email,
            state.clock.now(),
            &account.id,
            "role.update",
            &after.id,
            Some(&before),
            Some(&after),
        )],
        update_roles: vec![(before, after.clone())],
        ..Default::default()
    };
    match state.apply(set).await {
        Ok(()) => Ok(axum::Json(RoleResource::new(&after))),
        Err(StoreError::Conflict(_)) => Err(ApiError::duplicate(format!(
            "A role named {} already exists.",
            after.name
        ))),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_role(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer, role_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let subject = caller.require(DIRECTORY_ROLES_WRITE)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let role = custom_role(&state, &account, &role_id).await?;
    privileges::role_grant(&state.ops, caller.actor(), &account, &role).await?;
    if state
        .store
        .role_assignments(&account.id)
        .await?
        .iter()
        .any(|a| a.role_id == role.id)
    {
        return Err(ApiError::bad_request(
            "The role is assigned; delete its assignments first.",
        ));
    }
    let set = WriteSet {
        events: vec![event(
            &subject.email,
            state.clock.now(),
            &account.id,
            "role.delete",
            &role.id,
            Some(&role),
            None,
        )],
        delete_roles: vec![role],
        ..Default::default()
    };
    state.apply(set).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- role assignments -----------------------------------------------------------------

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentResource {
    kind: &'static str,
    etag: String,
    role_assignment_id: String,
    role_id: String,
    assigned_to: String,
    assignee_type: &'static str,
    scope_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    org_unit_id: Option<String>,
}

impl AssignmentResource {
    fn new(a: &RoleAssignment) -> Self {
        AssignmentResource {
            kind: "admin#directory#roleAssignment",
            etag: etag(&a.id, 1),
            role_assignment_id: a.id.clone(),
            role_id: a.role_id.clone(),
            assigned_to: a.assigned_to.clone(),
            assignee_type: "user",
            scope_type: a.scope_type.as_str(),
            org_unit_id: a.org_unit_id.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignmentBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    etag: Option<String>,
    #[serde(default)]
    role_assignment_id: Option<String>,
    #[serde(default)]
    role_id: Option<String>,
    #[serde(default)]
    assigned_to: Option<String>,
    #[serde(default)]
    assignee_type: Option<String>,
    #[serde(default)]
    scope_type: Option<String>,
    #[serde(default)]
    org_unit_id: Option<String>,
    #[serde(default)]
    condition: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentListParams {
    #[serde(default)]
    role_id: Option<String>,
    #[serde(default)]
    user_key: Option<String>,
    #[serde(default)]
    max_results: Option<String>,
    #[serde(default)]
    page_token: Option<String>,
}

pub async fn list_assignments(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer): Path<String>,
    Query(params): Query<AssignmentListParams>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    caller.require(DIRECTORY_ROLES_READ)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let user_id = match params.user_key.as_deref() {
        Some(k) if k.contains('@') => Some(
            state
                .store
                .user_by_email(k)
                .await?
                .map(|u| u.id)
                .unwrap_or_default(),
        ),
        Some(k) => Some(k.to_string()),
        None => None,
    };
    let max = paging::max_results(params.max_results.as_deref(), 100, 200)?;
    let matching: Vec<RoleAssignment> = state
        .store
        .role_assignments(&account.id)
        .await?
        .into_iter()
        .filter(|a: &RoleAssignment| params.role_id.as_ref().is_none_or(|r| &a.role_id == r))
        .filter(|a: &RoleAssignment| user_id.as_ref().is_none_or(|u| &a.assigned_to == u))
        .collect();
    let fingerprint = format!(
        "assignments|{}|{:?}|{:?}",
        account.id, params.role_id, user_id
    );
    let (page, next) = paging::page(
        matching,
        |a| format!("{:015}{}", a.created_at, a.id),
        max,
        params.page_token.as_deref(),
        &fingerprint,
    )?;
    let items: Vec<AssignmentResource> = page.iter().map(AssignmentResource::new).collect();
    let mut body = serde_json::json!({
        "kind": "admin#directory#roleAssignments",
        "etag": etag(&account.id, account.version),
        "items": items,
    });
    paging::add_next_page_token(&mut body, next);
    Ok(axum::Json(body))
}

pub async fn get_assignment(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer, id)): Path<(String, String)>,
) -> Result<axum::Json<AssignmentResource>, ApiError> {
    caller.require(DIRECTORY_ROLES_READ)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let all = state.store.role_assignments(&account.id).await?;
    let a = all
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(|| ApiError::not_found("Resource Not Found: roleAssignmentId"))?;
    Ok(axum::Json(AssignmentResource::new(a)))
}

pub async fn insert_assignment(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer): Path<String>,
    Json(body): Json<AssignmentBody>,
) -> Result<axum::Json<AssignmentResource>, ApiError> {
    let subject = caller.require(DIRECTORY_ROLES_WRITE)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let _ = (
        &body.kind,
        &body.etag,
        &body.role_assignment_id,
        &body.assignee_type,
    );
    if body
        .condition
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty())
    {
        return Err(ApiError::invalid(
            "Invalid value for condition: conditions are not supported",
        ));
    }
    let role_id = body
        .role_id
        .clone()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::from(partnerd_domain::RuleError::required("roleId")))?;
    let role = all_roles(&state, &account)
        .await?
        .into_iter()
        .find(|r| r.id == role_id)
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "Invalid value for roleId: {role_id} is not a role of this account"
            ))
        })?;
    privileges::role_grant(&state.ops, caller.actor(), &account, &role).await?;
    let assigned_to = body
        .assigned_to
        .clone()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ApiError::from(partnerd_domain::RuleError::required("assignedTo")))?;
    let user = state
        .store
        .user_by_id(&assigned_to)
        .await?
        .filter(|u| u.account_id == account.id && u.deleted_at.is_none())
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "Invalid value for assignedTo: {assigned_to} is not a user of this account"
            ))
        })?;
    let scope_type = ScopeType::parse(body.scope_type.as_deref())?;
    let org_unit_id = match scope_type {
        ScopeType::Customer => None,
        ScopeType::OrgUnit => {
            let id = body
                .org_unit_id
                .clone()
                .filter(|o| !o.is_empty())
                .ok_or_else(|| ApiError::from(partnerd_domain::RuleError::required("orgUnitId")))?;
            let id = if id.starts_with("id:") {
                id
            } else {
                format!("id:{id}")
            };
            if !state
                .store
                .org_units(&account.id)
                .await?
                .iter()
                .any(|u| u.id == id)
            {
                return Err(ApiError::invalid(format!(
                    "Invalid value for orgUnitId: {id} does not exist"
                )));
            }
            Some(id)
        }
    };
    let now = state.clock.now();
    let assignment = RoleAssignment {
        id: ids::new_numeric_id()[..17].to_string(),
        account_id: account.id.clone(),
        role_id,
        assigned_to: user.id,
        scope_type,
        org_unit_id,
        created_at: now,
    };
    let set = WriteSet {
        events: vec![event(
            &subject.email,
            now,
            &account.id,
            "roleAssignment.insert",
            &assignment.id,
            None,
            Some(&assignment),
        )],
        insert_assignments: vec![assignment.clone()],
        ..Default::default()
    };
    match state.apply(set).await {
        Ok(()) => Ok(axum::Json(AssignmentResource::new(&assignment))),
        Err(StoreError::Conflict(_)) => Err(ApiError::duplicate(
            "The user already holds this role in this scope.",
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_assignment(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let subject = caller.require(DIRECTORY_ROLES_WRITE)?;
    let account = administered(&state, &caller, &customer, AdminNeed::Roles).await?;
    let a = state
        .store
        .role_assignments(&account.id)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| ApiError::not_found("Resource Not Found: roleAssignmentId"))?;
    // Taking a role back asks what giving it asks.
    if let Some(role) = all_roles(&state, &account)
        .await?
        .iter()
        .find(|r| r.id == a.role_id)
    {
        privileges::role_grant(&state.ops, caller.actor(), &account, role).await?;
    }
    let set = WriteSet {
        events: vec![event(
            &subject.email,
            state.clock.now(),
            &account.id,
            "roleAssignment.delete",
            &a.id,
            Some(&a),
            None,
        )],
        delete_assignments: vec![a],
        ..Default::default()
    };
    match state.apply(set).await {
        Ok(()) | Err(StoreError::Stale) => Ok(StatusCode::NO_CONTENT),
        Err(e) => Err(e.into()),
    }
}
