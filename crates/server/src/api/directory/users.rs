//! Directory `users`: insert, get, list, patch, update, delete, undelete, makeAdmin. The
//! operations are `partnerd_app::users`; this translates the wire format to them and back.

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use partnerd_app::users::{self, Shown, Standing, UserInput, unit_path};
use partnerd_domain::RuleError;
use partnerd_domain::clock::rfc3339;
use partnerd_domain::directory::{OrgUnit, UserFields};
use partnerd_domain::scopes::{
    DIRECTORY_ALIAS_READ, DIRECTORY_ALIAS_WRITE, DIRECTORY_USER_READ, DIRECTORY_USER_WRITE,
};
use partnerd_domain::user::User;
use serde::{Deserialize, Serialize};

use super::etag;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, OptionalJson, Path, Query};
use crate::paging;
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

    fn input(&self) -> UserInput {
        let name = self.name.as_ref();
        // fullName and displayName are derived from the given and family names.
        let _ = name.map(|n| (&n.full_name, &n.display_name));
        UserInput {
            fields: UserFields {
                primary_email: self.primary_email.clone(),
                given_name: name.and_then(|n| n.given_name.clone()),
                family_name: name.and_then(|n| n.family_name.clone()),
                suspended: self.suspended,
                change_password_at_next_login: self.change_password_at_next_login,
            },
            password: self.password.clone(),
            hash_function: self.hash_function.clone(),
            org_unit_path: self.org_unit_path.clone(),
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
    last_login_time: String,
    creation_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    deletion_time: Option<String>,
    agreed_to_terms: bool,
    suspended: bool,
    archived: bool,
    change_password_at_next_login: bool,
    ip_whitelisted: bool,
    emails: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
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

impl UserResource {
    fn new(u: &User, units: &[OrgUnit], standing: &Standing) -> Self {
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
            is_admin: standing.is_admin(u),
            is_delegated_admin: standing.is_delegated_admin(u),
            // Google's answer for a user that never signed in is the epoch.
            last_login_time: rfc3339(standing.last_sign_in(u).unwrap_or(0)),
            creation_time: rfc3339(u.created_at),
            deletion_time: u.deleted_at.map(rfc3339),
            agreed_to_terms: standing.agreed_to_terms(u),
            suspended: u.suspended,
            archived: false,
            change_password_at_next_login: u.change_password_at_next_login,
            ip_whitelisted: false,
            emails: std::iter::once(
                serde_json::json!({"address": u.primary_email, "primary": true}),
            )
            .chain(
                standing
                    .aliases_of(u)
                    .iter()
                    .map(|a| serde_json::json!({"address": a})),
            )
            .collect(),
            aliases: standing.aliases_of(u).to_vec(),
            languages: vec![
                serde_json::json!({"languageCode": u.language, "preference": "preferred"}),
            ],
            customer_id: u.account_id.clone(),
            org_unit_path: unit_path(units, u.org_unit_id.as_deref()),
            is_mailbox_setup: standing.has_mailbox(u),
            is_enrolled_in2_sv: false,
            is_enforced_in2_sv: false,
            include_in_global_address_list: true,
        }
    }
}

/// The fields of a user every user of its domain may read (`viewType=domain_public`):
/// its identity and name, none of the administrator-only flags and times.
const PUBLIC_FIELDS: &[&str] = &[
    "kind",
    "id",
    "etag",
    "primaryEmail",
    "name",
    "emails",
    "aliases",
];

impl UserResource {
    /// The user as JSON, cut to its public profile when `public`.
    fn shown(self, public: bool) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if public && let Some(map) = value.as_object_mut() {
            map.retain(|k, _| PUBLIC_FIELDS.contains(&k.as_str()));
        }
        value
    }
}

async fn resource(state: &AppState, shown: &Shown) -> Result<axum::Json<UserResource>, ApiError> {
    let standing = users::standing_of(&state.ops, &shown.account, &shown.user).await?;
    Ok(axum::Json(UserResource::new(
        &shown.user,
        &shown.units,
        &standing,
    )))
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Json(body): Json<UserBody>,
) -> Result<axum::Json<UserResource>, ApiError> {
    caller.require(DIRECTORY_USER_WRITE)?;
    body.check_fields()?;
    let shown = users::insert(&state.ops, caller.actor(), &body.input()).await?;
    resource(&state, &shown).await
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(params): Query<GetParams>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    caller.require(DIRECTORY_USER_READ)?;
    if View::parse(params.view_type.as_deref())? == View::DomainPublic {
        let shown = users::get_public(&state.ops, caller.actor(), &key).await?;
        let axum::Json(user) = resource(&state, &shown).await?;
        return Ok(axum::Json(user.shown(true)));
    }
    let shown = users::get(&state.ops, caller.actor(), &key).await?;
    let axum::Json(user) = resource(&state, &shown).await?;
    Ok(axum::Json(user.shown(false)))
}

pub async fn patch(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<UserBody>,
) -> Result<axum::Json<UserResource>, ApiError> {
    body.check_fields()?;
    caller.require(DIRECTORY_USER_WRITE)?;
    let shown = users::patch(&state.ops, caller.actor(), &key, &body.input()).await?;
    resource(&state, &shown).await
}

/// `update` replaces the changeable fields; the name is required as on insert.
pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<UserBody>,
) -> Result<axum::Json<UserResource>, ApiError> {
    body.check_fields()?;
    let input = body.input();
    // A missing name is answered before the token's scopes are.
    users::check_update(&input)?;
    caller.require(DIRECTORY_USER_WRITE)?;
    let shown = users::update(&state.ops, caller.actor(), &key, &input).await?;
    resource(&state, &shown).await
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(DIRECTORY_USER_WRITE)?;
    users::delete(&state.ops, caller.actor(), &key).await?;
    Ok(StatusCode::NO_CONTENT)
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
    caller.require(DIRECTORY_USER_WRITE)?;
    users::undelete(&state.ops, caller.actor(), &key, org_unit_path.as_deref()).await?;
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
    caller.require(DIRECTORY_USER_WRITE)?;
    users::make_admin(&state.ops, caller.actor(), &key, status).await?;
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
    #[serde(default)]
    view_type: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    #[serde(default)]
    view_type: Option<String>,
}

/// `viewType`: everything an administrator sees, or the profile every user of the domain
/// reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    AdminView,
    DomainPublic,
}

impl View {
    fn parse(raw: Option<&str>) -> Result<View, ApiError> {
        match raw {
            None | Some("admin_view") => Ok(View::AdminView),
            Some("domain_public") => Ok(View::DomainPublic),
            Some(other) => Err(ApiError::invalid_parameter(
                "viewType",
                format!(
                    "Invalid value for viewType: '{other}' is not one of admin_view, domain_public"
                ),
            )),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsersResource {
    kind: &'static str,
    etag: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    users: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<String>,
}

/// Splits a `query` into conditions at spaces outside quotes (`orgUnitPath='/A B'`).
pub(super) fn query_terms(query: &str) -> Vec<String> {
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
    let public = View::parse(params.view_type.as_deref())? == View::DomainPublic;
    // The public view shows no deleted users, whatever showDeleted says.
    let show_deleted = !public && params.show_deleted.as_deref() == Some("true");
    let (customer, domain) = (params.customer.as_deref(), params.domain.as_deref());
    let listing = if public {
        users::list_public(&state.ops, caller.actor(), customer, domain).await?
    } else {
        users::list(&state.ops, caller.actor(), customer, domain, show_deleted).await?
    };
    let account = &listing.account;
    let units = &listing.units;
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
    let descending = paging::descending(params.sort_order.as_deref())?;
    let terms = query_terms(params.query.as_deref().unwrap_or_default());
    let mut users = Vec::new();
    for u in &listing.users {
        let path = unit_path(units, u.org_unit_id.as_deref());
        let mut keep = true;
        for t in &terms {
            keep &= matches(u, &path, t)?;
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
    let page: Vec<&User> = users.iter().skip(start).take(max).copied().collect();
    let next_page_token = (start + page.len() < users.len())
        .then(|| {
            page.last()
                .map(|u| format!("{fingerprint}\u{1}{}", sort_key(u, order_by)))
        })
        .flatten()
        .map(|t| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(t));
    let standing = users::standing(&state.ops, account).await?;
    Ok(axum::Json(UsersResource {
        kind: "admin#directory#users",
        etag: etag(&account.id, account.version),
        users: page
            .iter()
            .map(|u| UserResource::new(u, units, &standing).shown(public))
            .collect(),
        next_page_token,
    }))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AliasResource {
    kind: &'static str,
    id: String,
    etag: String,
    primary_email: String,
    alias: String,
}

impl AliasResource {
    fn new(user: &User, alias: &str) -> Self {
        AliasResource {
            kind: "admin#directory#alias",
            id: user.id.clone(),
            etag: etag(&format!("{}/{alias}", user.id), user.version),
            primary_email: user.primary_email.clone(),
            alias: alias.to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AliasesResource {
    kind: &'static str,
    etag: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<AliasResource>,
}

/// The body of `users.aliases.insert`: Google's `Alias`, of which only `alias` is read.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AliasBody {
    #[serde(default)]
    alias: Option<String>,
    #[serde(default)]
    kind: Option<serde_json::Value>,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    etag: Option<serde_json::Value>,
    #[serde(default)]
    primary_email: Option<serde_json::Value>,
}

pub async fn list_aliases(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<axum::Json<AliasesResource>, ApiError> {
    caller.require(DIRECTORY_ALIAS_READ)?;
    let (user, aliases) = users::aliases(&state.ops, caller.actor(), &key).await?;
    Ok(axum::Json(AliasesResource {
        kind: "admin#directory#aliases",
        etag: etag(&user.id, user.version),
        aliases: aliases
            .iter()
            .map(|a| AliasResource::new(&user, &a.alias))
            .collect(),
    }))
}

pub async fn insert_alias(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<AliasBody>,
) -> Result<axum::Json<AliasResource>, ApiError> {
    caller.require(DIRECTORY_ALIAS_WRITE)?;
    // Read-only properties of the Alias resource.
    let _ = (body.kind, body.id, body.etag, body.primary_email);
    let (user, alias) =
        users::add_alias(&state.ops, caller.actor(), &key, body.alias.as_deref()).await?;
    Ok(axum::Json(AliasResource::new(&user, &alias.alias)))
}

pub async fn delete_alias(
    caller: Caller,
    State(state): State<AppState>,
    Path((key, alias)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    caller.require(DIRECTORY_ALIAS_WRITE)?;
    users::remove_alias(&state.ops, caller.actor(), &key, &alias).await?;
    Ok(StatusCode::NO_CONTENT)
}
