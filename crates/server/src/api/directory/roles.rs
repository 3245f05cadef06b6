//! Directory `privileges.list`, `roles` and `roleAssignments`. The wire types mirror the
//! discovery document's `Privilege`, `Role` and `RoleAssignment`; the operations are
//! `partnerd_app::roles`.

use axum::extract::State;
use axum::http::StatusCode;
use partnerd_app::roles::{self, NewAssignment, RoleFields};
use partnerd_domain::roles::{Privilege, Role, RoleAssignment, privilege};
use partnerd_domain::scopes::{DIRECTORY_ROLES_READ, DIRECTORY_ROLES_WRITE};
use serde::{Deserialize, Serialize};

use super::etag;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::paging;
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

fn privilege_tree(all: &'static [Privilege], parent: Option<&str>) -> Vec<PrivilegeResource> {
    all.iter()
        .filter(|p| p.parent == parent)
        .map(|p| PrivilegeResource {
            kind: "admin#directory#privilege",
            etag: etag(p.name, 1),
            privilege_name: p.name,
            service_id: p.service_id,
            service_name: p.service_name,
            is_ou_scopable: p.ou_scopable,
            child_privileges: privilege_tree(all, Some(p.name)),
        })
        .collect()
}

pub async fn privileges(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer): Path<String>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    caller.require(DIRECTORY_ROLES_READ)?;
    let (account, all) = roles::catalogue(&state.ops, caller.actor(), &customer).await?;
    Ok(axum::Json(serde_json::json!({
        "kind": "admin#directory#privileges",
        "etag": etag(&account.id, 1),
        "items": privilege_tree(all, None),
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
                    service_id: privilege(p).map(|x| x.service_id.to_string()),
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
    fn into_fields(self) -> RoleFields {
        // kind, etag, roleId, isSystemRole and isSuperAdminRole are read-only.
        let _ = (
            self.kind,
            self.etag,
            self.role_id,
            self.is_system_role,
            self.is_super_admin_role,
        );
        RoleFields {
            name: self.role_name,
            description: self.role_description,
            // A privilege is named by its name; its service id is implied.
            privileges: self
                .role_privileges
                .map(|ps| ps.into_iter().filter_map(|p| p.privilege_name).collect()),
        }
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
    let (account, all) = roles::list(&state.ops, caller.actor(), &customer).await?;
    let max = paging::max_results(params.max_results.as_deref(), 100, 100)?;
    // Prebuilt roles first, then custom ones in creation order: ids ascend in that order.
    let numbered: Vec<(usize, Role)> = all.into_iter().enumerate().collect();
    let fingerprint = format!("roles|{}", account.id);
    let (page, next) = paging::page(
        numbered,
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
    let role = roles::get(&state.ops, caller.actor(), &customer, &role_id).await?;
    Ok(axum::Json(RoleResource::new(&role)))
}

pub async fn insert_role(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer): Path<String>,
    Json(body): Json<RoleBody>,
) -> Result<axum::Json<RoleResource>, ApiError> {
    caller.require(DIRECTORY_ROLES_WRITE)?;
    let role = roles::insert(&state.ops, caller.actor(), &customer, body.into_fields()).await?;
    Ok(axum::Json(RoleResource::new(&role)))
}

pub async fn patch_role(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer, role_id)): Path<(String, String)>,
    Json(body): Json<RoleBody>,
) -> Result<axum::Json<RoleResource>, ApiError> {
    caller.require(DIRECTORY_ROLES_WRITE)?;
    let role = roles::change(
        &state.ops,
        caller.actor(),
        &customer,
        &role_id,
        body.into_fields(),
    )
    .await?;
    Ok(axum::Json(RoleResource::new(&role)))
}

pub async fn delete_role(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer, role_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    caller.require(DIRECTORY_ROLES_WRITE)?;
    roles::delete(&state.ops, caller.actor(), &customer, &role_id).await?;
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

impl AssignmentBody {
    fn into_new(self) -> NewAssignment {
        // kind, etag and roleAssignmentId are read-only; the assignee is always a user.
        let _ = (
            self.kind,
            self.etag,
            self.role_assignment_id,
            self.assignee_type,
        );
        NewAssignment {
            role_id: self.role_id,
            assigned_to: self.assigned_to,
            scope_type: self.scope_type,
            org_unit_id: self.org_unit_id,
            condition: self.condition,
        }
    }
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
    let listed = roles::assignments(
        &state.ops,
        caller.actor(),
        &customer,
        params.role_id.as_deref(),
        params.user_key.as_deref(),
    )
    .await?;
    let max = paging::max_results(params.max_results.as_deref(), 100, 200)?;
    let account = &listed.account;
    let fingerprint = format!(
        "assignments|{}|{:?}|{:?}",
        account.id, params.role_id, listed.user_id
    );
    let (page, next) = paging::page(
        listed.assignments,
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
    let assignment = roles::assignment(&state.ops, caller.actor(), &customer, &id).await?;
    Ok(axum::Json(AssignmentResource::new(&assignment)))
}

pub async fn insert_assignment(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer): Path<String>,
    Json(body): Json<AssignmentBody>,
) -> Result<axum::Json<AssignmentResource>, ApiError> {
    caller.require(DIRECTORY_ROLES_WRITE)?;
    let assignment = roles::assign(&state.ops, caller.actor(), &customer, body.into_new()).await?;
    Ok(axum::Json(AssignmentResource::new(&assignment)))
}

pub async fn delete_assignment(
    caller: Caller,
    State(state): State<AppState>,
    Path((customer, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    caller.require(DIRECTORY_ROLES_WRITE)?;
    roles::unassign(&state.ops, caller.actor(), &customer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
