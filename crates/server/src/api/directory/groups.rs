//! Directory `groups` (insert, get, list, patch, update, delete) and `members` (insert,
//! get, list, hasMember, patch, update, delete). The wire types mirror the discovery
//! document's `Group`, `Member` and their lists; the operations are `partnerd_app::groups`.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use partnerd_app::groups::{self, ListOf, MemberFields};
use partnerd_domain::groups::{Group, GroupFields, Member};
use partnerd_domain::scopes::{
    DIRECTORY_GROUP_READ, DIRECTORY_GROUP_WRITE, DIRECTORY_MEMBER_READ, DIRECTORY_MEMBER_WRITE,
};
use serde::{Deserialize, Serialize};

use super::etag;
use super::users::query_terms;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::paging;
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupResource {
    kind: &'static str,
    id: String,
    etag: String,
    email: String,
    name: String,
    direct_members_count: String,
    description: String,
    admin_created: bool,
}

impl GroupResource {
    fn new(g: &Group, members: usize) -> Self {
        GroupResource {
            kind: "admin#directory#group",
            id: g.id.clone(),
            etag: etag(&g.id, g.version),
            email: g.email.clone(),
            name: g.name.clone(),
            direct_members_count: members.to_string(),
            description: g.description.clone(),
            admin_created: true,
        }
    }
}

async fn resource(state: &AppState, g: &Group) -> Result<GroupResource, ApiError> {
    let members = state
        .ops
        .store
        .members_of(&g.id)
        .await
        .map_err(partnerd_app::OpError::from)?;
    Ok(GroupResource::new(g, members.len()))
}

/// Properties of Google's `Group` a request may carry; the read-only ones are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupBody {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    kind: Option<serde_json::Value>,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    etag: Option<serde_json::Value>,
    #[serde(default)]
    direct_members_count: Option<serde_json::Value>,
    #[serde(default)]
    admin_created: Option<serde_json::Value>,
    #[serde(default)]
    aliases: Option<serde_json::Value>,
    #[serde(default)]
    non_editable_aliases: Option<serde_json::Value>,
    #[serde(default)]
    external_ids: Option<serde_json::Value>,
}

impl GroupBody {
    fn into_fields(self) -> GroupFields {
        // Read-only properties, and aliases and external IDs partnerd does not keep.
        let _ = (
            self.kind,
            self.id,
            self.etag,
            self.direct_members_count,
            self.admin_created,
            self.aliases,
            self.non_editable_aliases,
            self.external_ids,
        );
        GroupFields {
            email: self.email,
            name: self.name,
            description: self.description,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupListParams {
    customer: Option<String>,
    domain: Option<String>,
    user_key: Option<String>,
    max_results: Option<String>,
    page_token: Option<String>,
    order_by: Option<String>,
    sort_order: Option<String>,
    query: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupsResource {
    kind: &'static str,
    etag: String,
    groups: Vec<GroupResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<String>,
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Json(body): Json<GroupBody>,
) -> Result<axum::Json<GroupResource>, ApiError> {
    caller.require(DIRECTORY_GROUP_WRITE)?;
    let group = groups::insert(&state.ops, caller.actor(), body.into_fields()).await?;
    Ok(axum::Json(GroupResource::new(&group, 0)))
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<axum::Json<GroupResource>, ApiError> {
    caller.require(DIRECTORY_GROUP_READ)?;
    let group = groups::get(&state.ops, caller.actor(), &key).await?;
    Ok(axum::Json(resource(&state, &group).await?))
}

/// One condition of a groups `query`: `email:`/`name:` with a value or a `prefix*`, or
/// free text that starts an address or a name.
fn matches(group: &Group, term: &str) -> Result<bool, ApiError> {
    let (field, value) = match term.find([':', '=']) {
        Some(i) => (term[..i].to_ascii_lowercase(), &term[i + 1..]),
        None => (String::new(), term),
    };
    let value = value.trim_matches('\'').trim_matches('"').to_lowercase();
    let (prefix, value) = match value.strip_suffix('*') {
        Some(p) => (true, p.to_string()),
        None => (false, value),
    };
    let text = |s: &str| {
        let s = s.to_lowercase();
        if prefix {
            s.starts_with(&value)
        } else {
            s == value
        }
    };
    match field.as_str() {
        "" => Ok(group.email.starts_with(&value) || group.name.to_lowercase().starts_with(&value)),
        "email" => Ok(text(&group.email)),
        "name" => Ok(text(&group.name)),
        other => Err(ApiError::invalid_parameter(
            "query",
            format!("Invalid query: '{other}' is not a field groups are searched by (email, name)"),
        )),
    }
}

pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(params): Query<GroupListParams>,
) -> Result<axum::Json<GroupsResource>, ApiError> {
    caller.require(DIRECTORY_GROUP_READ)?;
    let max = paging::max_results(params.max_results.as_deref(), 200, 200)?;
    match params.order_by.as_deref() {
        None | Some("email") => {}
        Some(other) => {
            return Err(ApiError::invalid_parameter(
                "orderBy",
                format!("Invalid value for orderBy: '{other}'"),
            ));
        }
    }
    let descending = paging::descending(params.sort_order.as_deref())?;
    let of = match (&params.user_key, &params.customer, &params.domain) {
        (Some(_), Some(_), _) => {
            return Err(ApiError::invalid_parameter(
                "userKey",
                "Invalid Input: userKey cannot be used with customer",
            ));
        }
        (Some(user), None, _) => ListOf::Member(user),
        (None, Some(customer), _) => ListOf::Account(customer),
        (None, None, Some(domain)) => ListOf::Account(domain),
        (None, None, None) => {
            return Err(ApiError::invalid_parameter(
                "customer",
                "Bad Request: one of customer, domain or userKey is required",
            ));
        }
    };
    let terms = query_terms(params.query.as_deref().unwrap_or_default());
    let mut found = Vec::new();
    for g in groups::list(&state.ops, caller.actor(), of).await? {
        let mut keep = true;
        for t in &terms {
            keep &= matches(&g, t)?;
        }
        if keep {
            found.push(g);
        }
    }
    if descending {
        found.reverse();
    }
    let scope = match of {
        ListOf::Member(k) => format!("member:{k}"),
        ListOf::Account(k) => format!("account:{k}"),
    };
    let fingerprint = format!("groups|{scope}|{descending}|{}", terms.join(" "));
    let (page, next) = paging::page_in_order(
        found,
        |g| g.email.clone(),
        max,
        params.page_token.as_deref(),
        &fingerprint,
        descending,
    )?;
    // One read counts the members of every group shown: a list's groups are of one account.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let memberships = match page.first() {
        Some(g) => state
            .ops
            .store
            .memberships_in(&g.account_id)
            .await
            .map_err(partnerd_app::OpError::from)?,
        None => Vec::new(),
    };
    for m in &memberships {
        *counts.entry(m.group_id.as_str()).or_default() += 1;
    }
    let shown = page
        .iter()
        .map(|g| GroupResource::new(g, counts.get(g.id.as_str()).copied().unwrap_or(0)))
        .collect();
    Ok(axum::Json(GroupsResource {
        kind: "admin#directory#groups",
        etag: etag(&scope, 1),
        groups: shown,
        next_page_token: next,
    }))
}

pub async fn patch(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<GroupBody>,
) -> Result<axum::Json<GroupResource>, ApiError> {
    change(caller, state, key, body).await
}

pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<GroupBody>,
) -> Result<axum::Json<GroupResource>, ApiError> {
    change(caller, state, key, body).await
}

async fn change(
    caller: Caller,
    state: AppState,
    key: String,
    body: GroupBody,
) -> Result<axum::Json<GroupResource>, ApiError> {
    caller.require(DIRECTORY_GROUP_WRITE)?;
    let group = groups::change(&state.ops, caller.actor(), &key, body.into_fields()).await?;
    Ok(axum::Json(resource(&state, &group).await?))
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(DIRECTORY_GROUP_WRITE)?;
    groups::delete(&state.ops, caller.actor(), &key).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberResource {
    kind: &'static str,
    etag: String,
    id: String,
    email: String,
    role: &'static str,
    #[serde(rename = "type")]
    kind_of_member: &'static str,
    status: &'static str,
    #[serde(rename = "delivery_settings", skip_serializing_if = "Option::is_none")]
    delivery_settings: Option<String>,
}

impl MemberResource {
    /// Google shows `delivery_settings` only on insert, get and update.
    fn new(m: &Member, with_delivery: bool) -> Self {
        MemberResource {
            kind: "admin#directory#member",
            etag: etag(
                &format!("{}/{}/{}", m.group_id, m.member_id, m.role.as_str()),
                m.created_at,
            ),
            id: m.member_id.clone(),
            email: m.email.clone(),
            role: m.role.as_str(),
            kind_of_member: m.kind.wire_type(),
            status: "ACTIVE",
            delivery_settings: with_delivery.then(|| m.delivery.clone()),
        }
    }
}

/// Properties of Google's `Member` a request may carry; the read-only ones are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    delivery_settings: Option<String>,
    #[serde(default)]
    kind: Option<serde_json::Value>,
    #[serde(default)]
    etag: Option<serde_json::Value>,
    #[serde(default, rename = "type")]
    member_type: Option<serde_json::Value>,
    #[serde(default)]
    status: Option<serde_json::Value>,
}

impl MemberBody {
    fn into_fields(self) -> MemberFields {
        // Read-only properties.
        let _ = (self.kind, self.etag, self.member_type, self.status);
        MemberFields {
            // The address names the member when both are given.
            key: self.email.or(self.id),
            role: self.role,
            delivery: self.delivery_settings,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberListParams {
    max_results: Option<String>,
    page_token: Option<String>,
    roles: Option<String>,
    include_derived_membership: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MembersResource {
    kind: &'static str,
    etag: String,
    members: Vec<MemberResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<String>,
}

pub async fn insert_member(
    caller: Caller,
    State(state): State<AppState>,
    Path(group): Path<String>,
    Json(body): Json<MemberBody>,
) -> Result<axum::Json<MemberResource>, ApiError> {
    caller.require(DIRECTORY_MEMBER_WRITE)?;
    let member = groups::add_member(&state.ops, caller.actor(), &group, body.into_fields()).await?;
    Ok(axum::Json(MemberResource::new(&member, true)))
}

pub async fn list_members(
    caller: Caller,
    State(state): State<AppState>,
    Path(group): Path<String>,
    Query(params): Query<MemberListParams>,
) -> Result<axum::Json<MembersResource>, ApiError> {
    caller.require(DIRECTORY_MEMBER_READ)?;
    let max = paging::max_results(params.max_results.as_deref(), 200, 200)?;
    if params.include_derived_membership.as_deref() == Some("true") {
        return Err(ApiError::invalid_parameter(
            "includeDerivedMembership",
            "Invalid Input: includeDerivedMembership is not supported by partnerd; list each \
             nested group's members, or ask members.hasMember",
        ));
    }
    let (group, members) =
        groups::members(&state.ops, caller.actor(), &group, params.roles.as_deref()).await?;
    let fingerprint = format!("members|{}|{}", group.id, params.roles.unwrap_or_default());
    let (page, next) = paging::page(
        members,
        |m| m.email.clone(),
        max,
        params.page_token.as_deref(),
        &fingerprint,
    )?;
    Ok(axum::Json(MembersResource {
        kind: "admin#directory#members",
        etag: etag(&group.id, group.version),
        members: page.iter().map(|m| MemberResource::new(m, false)).collect(),
        next_page_token: next,
    }))
}

pub async fn get_member(
    caller: Caller,
    State(state): State<AppState>,
    Path((group, member)): Path<(String, String)>,
) -> Result<axum::Json<MemberResource>, ApiError> {
    caller.require(DIRECTORY_MEMBER_READ)?;
    let member = groups::member(&state.ops, caller.actor(), &group, &member).await?;
    Ok(axum::Json(MemberResource::new(&member, true)))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HasMemberResource {
    is_member: bool,
}

pub async fn has_member(
    caller: Caller,
    State(state): State<AppState>,
    Path((group, member)): Path<(String, String)>,
) -> Result<axum::Json<HasMemberResource>, ApiError> {
    caller.require(DIRECTORY_MEMBER_READ)?;
    let is_member = groups::has_member(&state.ops, caller.actor(), &group, &member).await?;
    Ok(axum::Json(HasMemberResource { is_member }))
}

pub async fn patch_member(
    caller: Caller,
    State(state): State<AppState>,
    Path((group, member)): Path<(String, String)>,
    Json(body): Json<MemberBody>,
) -> Result<axum::Json<MemberResource>, ApiError> {
    caller.require(DIRECTORY_MEMBER_WRITE)?;
    let mut fields = body.into_fields();
    // The member is the one the path names; an address in the body does not move it.
    fields.key = None;
    let member = groups::change_member(&state.ops, caller.actor(), &group, &member, fields).await?;
    Ok(axum::Json(MemberResource::new(&member, true)))
}

pub async fn delete_member(
    caller: Caller,
    State(state): State<AppState>,
    Path((group, member)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    caller.require(DIRECTORY_MEMBER_WRITE)?;
    groups::remove_member(&state.ops, caller.actor(), &group, &member).await?;
    Ok(StatusCode::NO_CONTENT)
}
