//! Directory `users`: insert, get, list, patch, update, delete, undelete, makeAdmin.

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use partnerd_domain::Clock;
use partnerd_domain::RuleError;
use partnerd_domain::authority::{USERS_CREATE, USERS_DELETE};
use partnerd_domain::clock::rfc3339;
use partnerd_domain::customer::Customer;
use partnerd_domain::directory::{
    self, OrgUnit, PasswordForm, UserFields, check_email_in, check_new_names, check_password,
    normalize_path, password_form,
};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::scopes::{DIRECTORY_USER_READ, DIRECTORY_USER_WRITE};
use partnerd_domain::user::User;
use partnerd_store::{StoreError, WriteSet};
use serde::{Deserialize, Serialize};

use super::access::{self, administered};
use super::etag;
use crate::api::licensing;
use crate::billing::{ATTEMPTS, Change};
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, OptionalJson, Path, Query};
use crate::privileges::{self, AdminNeed};
use crate::provision::hash_password;
use crate::state::AppState;

/// Properties of Google's `User` schema partnerd accepts without storing (they are
/// ignored rather than refused, as Google ignores read-only ones).
const OTHER_USER_FIELDS: &[&str] = &[
    "kind",
    "id",
    "etag",
    "isAdmin",
    "isDelegatedAdmin",
    "lastLoginTime",
    "creationTime",
    "deletionTime",
    "agreedToTerms",
    "archived",
    "ipWhitelisted",
    "emails",
    "aliases",
    "nonEditableAliases",
    "customerId",
    "isMailboxSetup",
    "isEnrolledIn2Sv",
    "isEnforcedIn2Sv",
    "includeInGlobalAddressList",
    "thumbnailPhotoUrl",
    "thumbnailPhotoEtag",
    "externalIds",
    "relations",
    "addresses",
    "organizations",
    "phones",
    "ims",
    "keywords",
    "locations",
    "websites",
    "gender",
    "notes",
    "posixAccounts",
    "sshPublicKeys",
    "customSchemas",
    "recoveryEmail",
    "recoveryPhone",
    "languages",
    "guestAccountInfo",
    "isGuestUser",
];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserBody {
    #[serde(default)]
    primary_email: Option<String>,
    #[serde(default)]
    name: Option<NameBody>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    hash_function: Option<String>,
    #[serde(default)]
    change_password_at_next_login: Option<bool>,
    #[serde(default)]
    org_unit_path: Option<String>,
    #[serde(default)]
    suspended: Option<bool>,
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NameBody {
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    family_name: Option<String>,
    #[serde(default)]
    full_name: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

impl UserBody {
    /// Unknown field names are refused as Google's JSON parser refuses them.
    fn check_fields(&self) -> Result<(), ApiError> {
        match self
            .other
            .keys()
            .find(|k| !OTHER_USER_FIELDS.contains(&k.as_str()))
        {
            Some(unknown) => Err(ApiError::parse_error(format!(
                "Unknown name \"{unknown}\": Cannot find field."
            ))),
            None => Ok(()),
        }
    }

    fn fields(&self) -> UserFields {
        let name = self.name.as_ref();
        let _ = name.map(|n| (&n.full_name, &n.display_name));
        UserFields {
            primary_email: self.primary_email.clone(),
            given_name: name.and_then(|n| n.given_name.clone()),
            family_name: name.and_then(|n| n.family_name.clone()),
            suspended: self.suspended,
            change_password_at_next_login: self.change_password_at_next_login,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserResource {
    kind: &'static str,
    id: String,
    etag: String,
    primary_email: String,
    name: NameResource,
    is_admin: bool,
    is_delegated_admin: bool,
    last_login_time: &'static str,
    creation_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    deletion_time: Option<String>,
    agreed_to_terms: bool,
    suspended: bool,
    archived: bool,
    change_password_at_next_login: bool,
    ip_whitelisted: bool,
    emails: Vec<serde_json::Value>,
    languages: Vec<serde_json::Value>,
    customer_id: String,
    org_unit_path: String,
    is_mailbox_setup: bool,
    is_enrolled_in2_sv: bool,
    is_enforced_in2_sv: bool,
    include_in_global_address_list: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NameResource {
    given_name: String,
    family_name: String,
    full_name: String,
}

/// Paths of an account's units by id, to show each user's `orgUnitPath`.
fn unit_path(units: &[OrgUnit], id: &Option<String>) -> String {
    id.as_ref()
        .and_then(|id| units.iter().find(|u| &u.id == id))
        .map(|u| u.path.clone())
        .unwrap_or_else(|| "/".into())
}

impl UserResource {
    fn new(u: &User, units: &[OrgUnit], tos_accepted: bool) -> Self {
        UserResource {
            kind: "admin#directory#user",
            id: u.id.clone(),
            etag: etag(&u.id, u.version),
            primary_email: u.primary_email.clone(),
            name: NameResource {
                given_name: u.given_name.clone(),
                family_name: u.family_name.clone(),
                full_name: format!("{} {}", u.given_name, u.family_name),
            },
            is_admin: u.is_super_admin,
            is_delegated_admin: false,
            last_login_time: "1970-01-01T00:00:00.000Z",
            creation_time: rfc3339(u.created_at),
            deletion_time: u.deleted_at.map(rfc3339),
            agreed_to_terms: tos_accepted,
            suspended: u.suspended,
            archived: false,
            change_password_at_next_login: u.change_password_at_next_login,
            ip_whitelisted: false,
            emails: vec![serde_json::json!({"address": u.primary_email, "primary": true})],
            languages: vec![
                serde_json::json!({"languageCode": u.language, "preference": "preferred"}),
            ],
            customer_id: u.account_id.clone(),
            org_unit_path: unit_path(units, &u.org_unit_id),
            is_mailbox_setup: true,
            is_enrolled_in2_sv: false,
            is_enforced_in2_sv: false,
            include_in_global_address_list: true,
        }
    }
}

/// The stored form of a new password: an argon2 hash, or the client's own hash as given.
fn stored_password(password: &str, hash_function: Option<&str>) -> Result<String, ApiError> {
    let form = password_form(hash_function)?;
    check_password(password, form)?;
    match form {
        PasswordForm::Plain => hash_password(password).map_err(|_| ApiError::internal()),
        PasswordForm::Hashed(function) => Ok(format!("{function}:{password}")),
    }
}

/// The unit a request names by path, which must exist in the account.
fn unit_for_path(units: &[OrgUnit], path: &str) -> Result<Option<String>, ApiError> {
    let path = normalize_path(path)?;
    if path == "/" {
        return Ok(None);
    }
    units
        .iter()
        .find(|u| u.path.eq_ignore_ascii_case(&path))
        .map(|u| Some(u.id.clone()))
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "Invalid value for orgUnitPath: {path} does not exist"
            ))
        })
}

fn user_event(actor: &str, at: i64, action: &str, before: Option<&User>, after: &User) -> NewEvent {
    NewEvent {
        at,
        actor: actor.to_string(),
        account_id: Some(after.account_id.clone()),
        action: action.to_string(),
        resource_type: "user".into(),
        resource_id: after.id.clone(),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(after).ok(),
        event_type: None,
    }
}

fn duplicate(email: &str) -> ApiError {
    ApiError::duplicate(format!("Entity already exists: {email}"))
}

/// A user by e-mail address or id, with its account, if the caller may do `need` there.
async fn find(
    state: &AppState,
    caller: &Caller,
    key: &str,
    need: AdminNeed,
) -> Result<(User, Customer), ApiError> {
    access::user(state, caller, key, need)
        .await?
        .ok_or_else(|| ApiError::not_found("Resource Not Found: userKey"))
}

async fn find_live(
    state: &AppState,
    caller: &Caller,
    key: &str,
    need: AdminNeed,
) -> Result<(User, Customer), ApiError> {
    let (user, account) = find(state, caller, key, need).await?;
    if user.deleted_at.is_some() {
        return Err(ApiError::not_found("Resource Not Found: userKey"));
    }
    Ok((user, account))
}

fn resource(state_units: &[OrgUnit], u: &User, account: &Customer) -> axum::Json<UserResource> {
    axum::Json(UserResource::new(
        u,
        state_units,
        account.tos_accepted_at.is_some(),
    ))
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Json(body): Json<UserBody>,
) -> Result<axum::Json<UserResource>, ApiError> {
    let subject = caller.require(DIRECTORY_USER_WRITE)?;
    body.check_fields()?;
    let email = body
        .primary_email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| ApiError::from(RuleError::required("primaryEmail")))?;
    let domain = email
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase())
        .unwrap_or_default();
    let account = state
        .store
        .account(&domain)
        .await?
        .filter(|_| !domain.is_empty())
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "Invalid value for primaryEmail: no customer has the domain '{domain}'"
            ))
        })?;
    access::check(
        &state,
        &caller,
        &account,
        AdminNeed::Privilege(USERS_CREATE),
    )
    .await?;
    let email = check_email_in(email, &account.domain)?;
    let name = body.name.as_ref();
    let (given, family) = check_new_names(
        name.and_then(|n| n.given_name.as_deref()),
        name.and_then(|n| n.family_name.as_deref()),
    )?;
    let password = body
        .password
        .as_deref()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::from(RuleError::required("password")))?;
    let units = state.store.org_units(&account.id).await?;
    let org_unit_id = match &body.org_unit_path {
        Some(p) => unit_for_path(&units, p)?,
        None => None,
    };
    let now = state.clock.now();
    let user = User {
        id: ids::new_numeric_id(),
        account_id: account.id.clone(),
        primary_email: email.clone(),
        given_name: given,
        family_name: family,
        password_hash: stored_password(password, body.hash_function.as_deref())?,
        is_super_admin: false,
        suspended: body.suspended.unwrap_or(false),
        created_at: now,
        org_unit_id,
        change_password_at_next_login: body.change_password_at_next_login.unwrap_or(false),
        language: account.language.clone(),
        deleted_at: None,
        version: 1,
    };
    let path = unit_path(&units, &user.org_unit_id);
    for _ in 0..ATTEMPTS {
        let mut change = Change::new();
        change
            .set
            .events
            .push(user_event(&subject.email, now, "user.insert", None, &user));
        change.set.insert_users.push(user.clone());
        // Automatic licensing gives the new user its unit's licences in the same commit.
        licensing::auto_assign(&state, &mut change, &subject.email, &account, &user, &path).await?;
        match state.apply(change.set).await {
            Ok(()) => return Ok(resource(&units, &user, &account)),
            Err(StoreError::Stale) => continue,
            Err(StoreError::Conflict(_)) => return Err(duplicate(&email)),
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Stale.into())
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<axum::Json<UserResource>, ApiError> {
    caller.require(DIRECTORY_USER_READ)?;
    let (user, account) = find_live(&state, &caller, &key, AdminNeed::UsersRead).await?;
    let units = state.store.org_units(&account.id).await?;
    Ok(resource(&units, &user, &account))
}

/// Applies a change computed from the current user; retried if the user changed meanwhile.
/// `need` is what reaching the user asks; the change itself must then be allowed
/// privilege by privilege, and delegated admins never change administrators.
async fn change_user(
    caller: &Caller,
    state: &AppState,
    key: &str,
    action: &str,
    live: bool,
    need: AdminNeed,
    apply: impl Fn(&User, &Customer, &[OrgUnit]) -> Result<User, ApiError>,
) -> Result<(User, Customer, Vec<OrgUnit>), ApiError> {
    let subject = caller.require(DIRECTORY_USER_WRITE)?;
    for _ in 0..ATTEMPTS {
        let (user, account) = if live {
            find_live(state, caller, key, need).await?
        } else {
            find(state, caller, key, need).await?
        };
        privileges::on_user(&state.ops, caller.actor(), &account, &user).await?;
        let units = state.store.org_units(&account.id).await?;
        let next = apply(&user, &account, &units)?;
        privileges::user_change(&state.ops, caller.actor(), &account, &user, &next).await?;
        let mut set = WriteSet {
            events: vec![user_event(
                &subject.email,
                state.clock.now(),
                action,
                Some(&user),
                &next,
            )],
            ..Default::default()
        };
        if next.suspended && !user.suspended {
            // A suspended user's access tokens end with its suspension.
            set.revoke_access_of_users.push(user.id.clone());
        }
        set.update_users.push((user.clone(), next.clone()));
        match state.apply(set).await {
            Ok(()) => return Ok((next, account, units)),
            Err(StoreError::Stale) => continue,
            Err(StoreError::Conflict(_)) => return Err(duplicate(&next.primary_email)),
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Stale.into())
}

fn edited(
    body: &UserBody,
    user: &User,
    account: &Customer,
    units: &[OrgUnit],
) -> Result<User, ApiError> {
    let mut next = directory::apply_user_fields(user, body.fields(), &account.domain)?;
    if let Some(p) = &body.org_unit_path {
        next.org_unit_id = unit_for_path(units, p)?;
    }
    if let Some(password) = body.password.as_deref().filter(|p| !p.is_empty()) {
        next.password_hash = stored_password(password, body.hash_function.as_deref())?;
    }
    Ok(next)
}

pub async fn patch(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<UserBody>,
) -> Result<axum::Json<UserResource>, ApiError> {
    body.check_fields()?;
    let (user, account, units) = change_user(
        &caller,
        &state,
        &key,
        "user.patch",
        true,
        AdminNeed::UsersChange,
        |u, a, units| edited(&body, u, a, units),
    )
    .await?;
    Ok(resource(&units, &user, &account))
}

/// `update` replaces the changeable fields; the name is required as on insert.
pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<UserBody>,
) -> Result<axum::Json<UserResource>, ApiError> {
    body.check_fields()?;
    let name = body.name.as_ref();
    check_new_names(
        name.and_then(|n| n.given_name.as_deref()),
        name.and_then(|n| n.family_name.as_deref()),
    )?;
    let (user, account, units) = change_user(
        &caller,
        &state,
        &key,
        "user.update",
        true,
        AdminNeed::UsersChange,
        |u, a, units| {
            let mut next = edited(&body, u, a, units)?;
            next.suspended = body.suspended.unwrap_or(false);
            next.change_password_at_next_login =
                body.change_password_at_next_login.unwrap_or(false);
            if body.org_unit_path.is_none() {
                next.org_unit_id = None;
            }
            Ok(next)
        },
    )
    .await?;
    Ok(resource(&units, &user, &account))
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<StatusCode, ApiError> {
    let subject = caller.require(DIRECTORY_USER_WRITE)?;
    for _ in 0..ATTEMPTS {
        let (user, account) =
            find_live(&state, &caller, &key, AdminNeed::Privilege(USERS_DELETE)).await?;
        privileges::on_user(&state.ops, caller.actor(), &account, &user).await?;
        let now = state.clock.now();
        let mut next = user.clone();
        next.deleted_at = Some(now);
        next.version += 1;
        let mut change = Change::new();
        change.set.events.push(user_event(
            &subject.email,
            now,
            "user.delete",
            Some(&user),
            &next,
        ));
        change.set.update_users.push((user.clone(), next));
        // A deleted user's access tokens end at once.
        change.set.revoke_access_of_users.push(user.id.clone());
        // A deleted user loses its admin roles, and its paid licences go back.
        let roles = state.store.role_assignments(&account.id).await?;
        change
            .set
            .delete_assignments
            .extend(roles.into_iter().filter(|a| a.assigned_to == user.id));
        licensing::release_all(&state, &mut change, &subject.email, &account, &user).await?;
        match state.apply(change.set).await {
            Ok(()) => return Ok(StatusCode::NO_CONTENT),
            Err(StoreError::Stale) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Stale.into())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UndeleteBody {
    #[serde(default)]
    org_unit_path: Option<String>,
}

pub async fn undelete(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    OptionalJson(body): OptionalJson<UndeleteBody>,
) -> Result<StatusCode, ApiError> {
    let org_unit_path = body.and_then(|b| b.org_unit_path);
    change_user(
        &caller,
        &state,
        &key,
        "user.undelete",
        false,
        AdminNeed::SuperAdmin,
        |u, _, units| {
            if u.deleted_at.is_none() {
                return Err(ApiError::bad_request("The user is not deleted."));
            }
            let mut next = u.clone();
            next.deleted_at = None;
            if let Some(p) = &org_unit_path {
                next.org_unit_id = unit_for_path(units, p)?;
            }
            next.version += 1;
            Ok(next)
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MakeAdminBody {
    #[serde(default)]
    status: Option<bool>,
}

pub async fn make_admin(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<MakeAdminBody>,
) -> Result<StatusCode, ApiError> {
    let status = body
        .status
        .ok_or_else(|| ApiError::from(RuleError::required("status")))?;
    change_user(
        &caller,
        &state,
        &key,
        "user.makeAdmin",
        true,
        AdminNeed::SuperAdmin,
        |u, _, _| {
            let mut next = u.clone();
            next.is_super_admin = status;
            next.version += 1;
            Ok(next)
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- list -----------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListParams {
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    order_by: Option<String>,
    #[serde(default)]
    sort_order: Option<String>,
    #[serde(default)]
    max_results: Option<String>,
    #[serde(default)]
    page_token: Option<String>,
    #[serde(default)]
    show_deleted: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsersResource {
    kind: &'static str,
    etag: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    users: Vec<UserResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<String>,
}

/// Splits a `query` into conditions at spaces outside quotes (`orgUnitPath='/A B'`).
fn query_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in query.chars() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (c, Some(q)) if c == q => quote = None,
            (c, None) if c.is_whitespace() => {
                if !current.is_empty() {
                    terms.push(std::mem::take(&mut current));
                }
            }
            (c, _) => current.push(c),
        }
    }
    if !current.is_empty() {
        terms.push(current);
    }
    terms
}

/// One condition of a `query`: `field:prefix*`, `field:value`, `field=value`, or free text.
fn matches(user: &User, path: &str, term: &str) -> Result<bool, ApiError> {
    let (field, value) = match term.find([':', '=']) {
        Some(i) => (
            term[..i].to_ascii_lowercase(),
            term[i + 1..].trim_matches('\'').trim_matches('"'),
        ),
        None => (String::new(), term),
    };
    let value_lower = value.to_ascii_lowercase();
    let (prefix, value_lower) = match value_lower.strip_suffix('*') {
        Some(p) => (true, p.to_string()),
        None => (false, value_lower),
    };
    let text = |s: &str| {
        let s = s.to_ascii_lowercase();
        if prefix {
            s.starts_with(&value_lower)
        } else {
            s == value_lower
        }
    };
    Ok(match field.as_str() {
        "" => {
            let v = value_lower.as_str();
            user.primary_email.starts_with(v)
                || user.given_name.to_ascii_lowercase().starts_with(v)
                || user.family_name.to_ascii_lowercase().starts_with(v)
        }
        "email" => text(&user.primary_email),
        "givenname" => text(&user.given_name),
        "familyname" => text(&user.family_name),
        "name" => text(&format!("{} {}", user.given_name, user.family_name)),
        "isadmin" => value_lower == user.is_super_admin.to_string(),
        "issuspended" => value_lower == user.suspended.to_string(),
        "orgunitpath" => path.eq_ignore_ascii_case(value),
        other => {
            return Err(ApiError::invalid_parameter(
                "query",
                format!("Invalid value for query: unknown field '{other}'"),
            ));
        }
    })
}

fn sort_key(user: &User, order_by: &str) -> String {
    match order_by {
        "givenName" => format!(
            "{}\u{0}{}",
            user.given_name.to_ascii_lowercase(),
            user.primary_email
        ),
        "familyName" => format!(
            "{}\u{0}{}",
            user.family_name.to_ascii_lowercase(),
            user.primary_email
        ),
        _ => user.primary_email.clone(),
    }
}

pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<UsersResource>, ApiError> {
    caller.require(DIRECTORY_USER_READ)?;
    let account = match (&params.customer, &params.domain) {
        (Some(c), _) => administered(&state, &caller, c, AdminNeed::UsersRead).await?,
        (None, Some(d)) => {
            let account = state
                .store
                .account(d)
                .await?
                .filter(|a| a.domain.eq_ignore_ascii_case(d.trim()))
                .ok_or_else(|| ApiError::forbidden("Not Authorized to access this resource/api"))?;
            access::check(&state, &caller, &account, AdminNeed::UsersRead).await?;
            account
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "Bad Request: one of customer or domain is required",
            ));
        }
    };
    let max = match params.max_results.as_deref() {
        None => 100,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_parameter("maxResults", "Invalid value for maxResults: 1 to 500")
            })?,
    };
    let order_by = match params.order_by.as_deref() {
        None | Some("email") => "email",
        Some("givenName") => "givenName",
        Some("familyName") => "familyName",
        Some(other) => {
            return Err(ApiError::invalid_parameter(
                "orderBy",
                format!("Invalid value for orderBy: '{other}'"),
            ));
        }
    };
    let descending = match params.sort_order.as_deref() {
        None => false,
        Some(s) if s.eq_ignore_ascii_case("ASCENDING") => false,
        Some(s) if s.eq_ignore_ascii_case("DESCENDING") => true,
        Some(other) => {
            return Err(ApiError::invalid_parameter(
                "sortOrder",
                format!("Invalid value for sortOrder: '{other}'"),
            ));
        }
    };
    let show_deleted = params.show_deleted.as_deref() == Some("true");
    let units = state.store.org_units(&account.id).await?;
    let terms = query_terms(params.query.as_deref().unwrap_or_default());
    let mut users = Vec::new();
    for u in state.store.users_of(&account.id).await? {
        if u.deleted_at.is_some() != show_deleted {
            continue;
        }
        let path = unit_path(&units, &u.org_unit_id);
        let mut keep = true;
        for t in &terms {
            keep &= matches(&u, &path, t)?;
        }
        if keep {
            users.push(u);
        }
    }
    users.sort_by_key(|u| sort_key(u, order_by));
    if descending {
        users.reverse();
    }
    // Page tokens carry the sort key of the last user shown (keyset over the sorted list).
    let fingerprint = format!(
        "{}|{order_by}|{descending}|{show_deleted}|{}",
        account.id,
        terms.join(" ")
    );
    let start = match params.page_token.as_deref().filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => {
            let invalid =
                || ApiError::invalid_parameter("pageToken", "Invalid value for pageToken");
            let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(t)
                .map_err(|_| invalid())?;
            let text = String::from_utf8(raw).map_err(|_| invalid())?;
            let (fp, last) = text.split_once('\u{1}').ok_or_else(invalid)?;
            if fp != fingerprint {
                return Err(invalid());
            }
            users
                .iter()
                .position(|u| {
                    let k = sort_key(u, order_by);
                    if descending {
                        k.as_str() < last
                    } else {
                        k.as_str() > last
                    }
                })
                .unwrap_or(users.len())
        }
    };
    let page: Vec<&User> = users.iter().skip(start).take(max).collect();
    let next_page_token = (start + page.len() < users.len())
        .then(|| {
            page.last()
                .map(|u| format!("{fingerprint}\u{1}{}", sort_key(u, order_by)))
        })
        .flatten()
        .map(|t| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(t));
    let tos = account.tos_accepted_at.is_some();
    Ok(axum::Json(UsersResource {
        kind: "admin#directory#users",
        etag: etag(&account.id, account.version),
        users: page
            .iter()
            .map(|u| UserResource::new(u, &units, tos))
            .collect(),
        next_page_token,
    }))
}
