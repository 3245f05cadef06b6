//! Licensing API `licenseAssignments`, under `/apps/licensing/v1/product/{productId}`.
//! Cloud Identity Free is site-wide (every user holds it up to the cap); paid SKUs draw
//! on the customer's subscription, whose `licensedNumberOfSeats` follows in the same commit.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use partnerd_domain::Clock;
use partnerd_domain::catalogue::Sku;
use partnerd_domain::customer::Customer;
use partnerd_domain::licensing::{
    self, AutoLicensing, License, cloud_identity_cap, cloud_identity_holders,
    is_cloud_identity_free, product_name, sku_of,
};
use partnerd_domain::plan::{EventType, PlanName};
use partnerd_domain::scopes::LICENSING;
use partnerd_domain::subscription::{Notice, Subscription};
use partnerd_domain::user::User;
use partnerd_domain::{RuleError, RuleErrorKind};
use partnerd_store::StoreError;
use serde::{Deserialize, Serialize};

use crate::api::directory::access;
use crate::billing::{ATTEMPTS, Change, Stamp};
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::paging;
use crate::privileges::AdminNeed;
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
    fn new(state: &AppState, sku: &Sku, email: &str) -> Self {
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

fn no_license() -> ApiError {
    ApiError::not_found("User does not have a license for specified sku and product")
}

/// The user a request names (e-mail or id), with its account, if the caller may manage
/// licences there.
async fn user_of(
    state: &AppState,
    caller: &Caller,
    key: &str,
) -> Result<(User, Customer), ApiError> {
    access::user(state, caller, key, AdminNeed::Licenses)
        .await?
        .filter(|(u, _)| u.deleted_at.is_none())
        .ok_or_else(|| {
            ApiError::invalid(format!("Invalid value for userId: no user {}", key.trim()))
        })
}

fn auto_setting_name(account_id: &str) -> String {
    format!("auto_licensing:{account_id}")
}

/// The account's automatic licensing settings (on, without rules, by default).
pub(crate) async fn auto_licensing(
    state: &AppState,
    account_id: &str,
) -> Result<AutoLicensing, ApiError> {
    Ok(state
        .store
        .setting(&auto_setting_name(account_id))
        .await?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

pub(crate) async fn put_auto_licensing(
    state: &AppState,
    account: &Customer,
    settings: &AutoLicensing,
) -> Result<(), ApiError> {
    let value = serde_json::to_string(settings).map_err(|_| ApiError::internal())?;
    let event = partnerd_domain::event::NewEvent {
        at: state.clock.now(),
        actor: partnerd_app::Actor::Operator.name().into(),
        account_id: Some(account.id.clone()),
        action: "customer.autoLicensing".into(),
        resource_type: "customer".into(),
        resource_id: account.id.clone(),
        before: None,
        after: serde_json::to_value(settings).ok(),
        event_type: None,
    };
    state
        .store
        .put_setting(&auto_setting_name(&account.id), &value, event)
        .await?;
    Ok(())
}

/// Adds to `change` the licences automatic licensing gives a new user in the unit at
/// `path`, where the subscription has a free seat; a full one is skipped, as Google does.
pub(crate) async fn auto_assign(
    state: &AppState,
    change: &mut Change,
    actor: &str,
    account: &Customer,
    user: &User,
    path: &str,
) -> Result<(), ApiError> {
    let settings = auto_licensing(state, &account.id).await?;
    let skus = settings.skus_for(path);
    if skus.is_empty() {
        return Ok(());
    }
    for sku in skus {
        let sub = subscription_of(state, account, sku).await?;
        if licensing::check_assign(sku, &[], sub.as_ref().map(|(s, _)| s)).is_err() {
            continue;
        }
        let Some((sub, domain)) = sub else { continue };
        let now = state.clock.now();
        let licence = License {
            account_id: account.id.clone(),
            user_id: user.id.clone(),
            product_id: sku.product_id.to_string(),
            sku_id: sku.sku_id.to_string(),
            created_at: now,
        };
        licence_event(change, actor, now, "license.autoAssign", &licence);
        track_seats(change, actor, now, &domain, &sub, 1);
        change.set.insert_licenses.push(licence);
    }
    Ok(())
}

/// Adds to `change` the release of every paid licence a deleted user held.
pub(crate) async fn release_all(
    state: &AppState,
    change: &mut Change,
    actor: &str,
    account: &Customer,
    user: &User,
) -> Result<(), ApiError> {
    let now = state.clock.now();
    for licence in state
        .store
        .licenses(&account.id)
        .await?
        .into_iter()
        .filter(|l| l.user_id == user.id)
    {
        if let Some(sku) = partnerd_domain::catalogue::sku(&licence.sku_id)
            && let Some((sub, domain)) = subscription_of(state, account, sku).await?
        {
            track_seats(change, actor, now, &domain, &sub, -1);
        }
        licence_event(change, actor, now, "license.release", &licence);
        change.set.delete_licenses.push(licence);
    }
    Ok(())
}

/// Whether the user holds Cloud Identity Free now.
async fn holds_cloud_identity(
    state: &AppState,
    account: &Customer,
    user: &User,
) -> Result<bool, ApiError> {
    let users = state.store.users_of(&account.id).await?;
    let paid = state.store.licenses(&account.id).await?.len();
    Ok(cloud_identity_holders(&users, cloud_identity_cap(paid))
        .iter()
        .any(|u| u.id == user.id))
}

/// The customer's live subscription of `sku`, whichever reseller manages it.
async fn subscription_of(
    state: &AppState,
    account: &Customer,
    sku: &Sku,
) -> Result<Option<(Subscription, String)>, ApiError> {
    Ok(state
        .store
        .customer_subscriptions(&account.id)
        .await?
        .into_iter()
        .find(|(_, s, _)| s.sku_id == sku.sku_id)
        .map(|(_, s, d)| (s, d)))
}

/// Records a change of the licences drawn from `sub` (by `delta`) in `change`.
pub(crate) fn track_seats(
    change: &mut Change,
    actor: &str,
    at: i64,
    domain: &str,
    sub: &Subscription,
    delta: i64,
) {
    let mut next = sub.clone();
    next.licensed_seats = (i64::from(sub.licensed_seats) + delta).max(0) as u32;
    next.version += 1;
    // Flexible plans are billed on assigned licences: resellers are told of each change.
    let notices = if sub.plan == PlanName::Flexible {
        vec![Notice {
            event_type: EventType::LicenseAssignmentChanged,
            cancellation_reason: None,
        }]
    } else {
        Vec::new()
    };
    let stamp = Stamp {
        actor,
        at,
        customer_domain: domain,
    };
    change.subscription(
        &stamp,
        "subscription.licensedSeats",
        Some(sub),
        &next,
        &notices,
    );
}

pub(crate) fn licence_event(change: &mut Change, actor: &str, at: i64, action: &str, l: &License) {
    change.set.events.push(partnerd_domain::event::NewEvent {
        at,
        actor: actor.to_string(),
        account_id: Some(l.account_id.clone()),
        action: action.to_string(),
        resource_type: "license".into(),
        resource_id: format!("{}/{}/{}", l.product_id, l.sku_id, l.user_id),
        before: None,
        after: serde_json::to_value(l).ok(),
        event_type: None,
    });
}

fn conflict_or(e: StoreError) -> Option<ApiError> {
    match e {
        StoreError::Stale => None,
        StoreError::Conflict(_) => Some(ApiError::condition_not_met(
            "User already has a license for the specified product.",
        )),
        other => Some(other.into()),
    }
}

pub async fn get_one(
    caller: Caller,
    State(state): State<AppState>,
    Path((product_id, sku_id, user_key)): Path<(String, String, String)>,
) -> Result<axum::Json<AssignmentResource>, ApiError> {
    caller.require(LICENSING)?;
    let sku = sku_of(&product_id, &sku_id)?;
    let (user, account) = user_of(&state, &caller, &user_key).await?;
    let holds = if is_cloud_identity_free(sku) {
        holds_cloud_identity(&state, &account, &user).await?
    } else {
        state
            .store
            .licenses(&account.id)
            .await?
            .iter()
            .any(|l| l.user_id == user.id && l.sku_id == sku.sku_id)
    };
    if !holds {
        return Err(no_license());
    }
    Ok(axum::Json(AssignmentResource::new(
        &state,
        sku,
        &user.primary_email,
    )))
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
    let subject = caller.require(LICENSING)?;
    let sku = sku_of(&product_id, &sku_id)?;
    let key = body
        .user_id
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| ApiError::from(RuleError::required("userId")))?;
    for _ in 0..ATTEMPTS {
        let (user, account) = user_of(&state, &caller, &key).await?;
        if is_cloud_identity_free(sku) {
            return Err(if holds_cloud_identity(&state, &account, &user).await? {
                ApiError::condition_not_met(
                    "User already has a license for the specified product and SKU.",
                )
            } else {
                ApiError::condition_not_met(
                    "Not enough available licenses for the product-SKU pair.",
                )
            });
        }
        let licences = state.store.licenses(&account.id).await?;
        let held: Vec<License> = licences
            .iter()
            .filter(|l| l.user_id == user.id)
            .cloned()
            .collect();
        let sub = subscription_of(&state, &account, sku).await?;
        licensing::check_assign(sku, &held, sub.as_ref().map(|(s, _)| s))?;
        let Some((sub, domain)) = sub else {
            return Err(ApiError::internal());
        };
        let now = state.clock.now();
        let licence = License {
            account_id: account.id.clone(),
            user_id: user.id.clone(),
            product_id: sku.product_id.to_string(),
            sku_id: sku.sku_id.to_string(),
            created_at: now,
        };
        let mut change = Change::new();
        licence_event(&mut change, &subject.email, now, "license.insert", &licence);
        track_seats(&mut change, &subject.email, now, &domain, &sub, 1);
        change.set.insert_licenses.push(licence);
        match state.apply(change.set).await {
            Ok(()) => {
                return Ok(axum::Json(AssignmentResource::new(
                    &state,
                    sku,
                    &user.primary_email,
                )));
            }
            Err(e) => match conflict_or(e) {
                None => continue,
                Some(err) => return Err(err),
            },
        }
    }
    Err(StoreError::Stale.into())
}

pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path((product_id, sku_id, user_key)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let subject = caller.require(LICENSING)?;
    let sku = sku_of(&product_id, &sku_id)?;
    if is_cloud_identity_free(sku) {
        return Err(ApiError::condition_not_met(
            "Auto license un-assignment is not allowed: Cloud Identity Free goes with every user.",
        ));
    }
    for _ in 0..ATTEMPTS {
        let (user, account) = user_of(&state, &caller, &user_key).await?;
        let licence = state
            .store
            .licenses(&account.id)
            .await?
            .into_iter()
            .find(|l| l.user_id == user.id && l.sku_id == sku.sku_id)
            .ok_or_else(no_license)?;
        let now = state.clock.now();
        let mut change = Change::new();
        licence_event(&mut change, &subject.email, now, "license.delete", &licence);
        if let Some((sub, domain)) = subscription_of(&state, &account, sku).await? {
            track_seats(&mut change, &subject.email, now, &domain, &sub, -1);
        }
        change.set.delete_licenses.push(licence);
        match state.apply(change.set).await {
            Ok(()) => return Ok(StatusCode::NO_CONTENT),
            Err(e) => match conflict_or(e) {
                None => continue,
                Some(err) => return Err(err),
            },
        }
    }
    Err(StoreError::Stale.into())
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

fn condition(message: &str) -> ApiError {
    ApiError::from(RuleError {
        kind: RuleErrorKind::ConditionNotMet,
        field: String::new(),
        message: message.into(),
    })
}

/// `patch`/`update`: moves the user's licence from the SKU in the path to the one in the body.
pub async fn reassign(
    caller: Caller,
    State(state): State<AppState>,
    Path((product_id, sku_id, user_key)): Path<(String, String, String)>,
    Json(body): Json<AssignmentBody>,
) -> Result<axum::Json<AssignmentResource>, ApiError> {
    let subject = caller.require(LICENSING)?;
    let _ = (
        &body.kind,
        &body.etags,
        &body.self_link,
        &body.product_name,
        &body.sku_name,
    );
    let from = sku_of(&product_id, &sku_id)?;
    let target_product = body.product_id.as_deref().unwrap_or(&product_id);
    if target_product != product_id {
        return Err(condition("Licenses cannot be reassigned across products."));
    }
    let target = match body.sku_id.as_deref() {
        Some(s) => sku_of(&product_id, s)?,
        None => return Err(ApiError::from(RuleError::required("skuId"))),
    };
    if body
        .user_id
        .as_deref()
        .is_some_and(|u| !u.eq_ignore_ascii_case(&user_key))
    {
        return Err(condition("Licenses cannot be reassigned to another user."));
    }
    if target.sku_id == from.sku_id {
        return Err(condition(
            "The user already has this SKU: reassign to a different SKU.",
        ));
    }
    if is_cloud_identity_free(from) || is_cloud_identity_free(target) {
        return Err(condition(
            "Cloud Identity Free is assigned automatically; it cannot be switched.",
        ));
    }
    for _ in 0..ATTEMPTS {
        let (user, account) = user_of(&state, &caller, &user_key).await?;
        let licences = state.store.licenses(&account.id).await?;
        let current = licences
            .iter()
            .find(|l| l.user_id == user.id && l.sku_id == from.sku_id)
            .cloned()
            .ok_or_else(no_license)?;
        let others: Vec<License> = licences
            .iter()
            .filter(|l| l.user_id == user.id && l.product_id != product_id)
            .cloned()
            .collect();
        let target_sub = subscription_of(&state, &account, target).await?;
        licensing::check_assign(target, &others, target_sub.as_ref().map(|(s, _)| s))?;
        let Some((target_sub, domain)) = target_sub else {
            return Err(ApiError::internal());
        };
        let now = state.clock.now();
        let moved = License {
            sku_id: target.sku_id.to_string(),
            created_at: now,
            ..current.clone()
        };
        let mut change = Change::new();
        licence_event(&mut change, &subject.email, now, "license.reassign", &moved);
        if let Some((from_sub, from_domain)) = subscription_of(&state, &account, from).await? {
            track_seats(
                &mut change,
                &subject.email,
                now,
                &from_domain,
                &from_sub,
                -1,
            );
        }
        track_seats(&mut change, &subject.email, now, &domain, &target_sub, 1);
        change.set.delete_licenses.push(current);
        change.set.insert_licenses.push(moved);
        match state.apply(change.set).await {
            Ok(()) => {
                return Ok(axum::Json(AssignmentResource::new(
                    &state,
                    target,
                    &user.primary_email,
                )));
            }
            Err(e) => match conflict_or(e) {
                None => continue,
                Some(err) => return Err(err),
            },
        }
    }
    Err(StoreError::Stale.into())
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
    if product_name(&product_id).is_none() {
        return Err(ApiError::invalid(format!(
            "Invalid value for productId: '{product_id}'"
        )));
    }
    let only_sku = match &sku_id {
        Some(s) => Some(sku_of(&product_id, s)?),
        None => None,
    };
    let key = params
        .customer_id
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| ApiError::from(RuleError::required("customerId")))?;
    // The reference wants the customer's id; the guide's examples pass its domain.
    let account = match state.store.account(key).await? {
        Some(a) => a,
        None => {
            return Err(ApiError::forbidden(
                "Not Authorized to access this resource/api",
            ));
        }
    };
    access::check(&state, &caller, &account, AdminNeed::Licenses).await?;
    let max = paging::max_results(params.max_results.as_deref(), 100, 1000)?;
    let users = state.store.users_of(&account.id).await?;
    let email_of = |id: &str| {
        users
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.primary_email.clone())
    };
    let licences = state.store.licenses(&account.id).await?;
    let mut rows: Vec<(String, &'static Sku)> = Vec::new();
    for l in licences.iter().filter(|l| l.product_id == product_id) {
        if let (Some(sku), Some(email)) = (
            partnerd_domain::catalogue::sku(&l.sku_id),
            email_of(&l.user_id),
        ) {
            rows.push((email, sku));
        }
    }
    let ci = partnerd_domain::catalogue::sku(licensing::CLOUD_IDENTITY_FREE_SKU)
        .filter(|s| s.product_id == product_id);
    if let Some(ci) = ci {
        for u in cloud_identity_holders(&users, cloud_identity_cap(licences.len())) {
            rows.push((u.primary_email.clone(), ci));
        }
    }
    rows.retain(|(_, s)| only_sku.is_none_or(|o| o.sku_id == s.sku_id));
    rows.sort_by(|a, b| (a.1.sku_id, &a.0).cmp(&(b.1.sku_id, &b.0)));
    let fingerprint = format!("{}|{product_id}|{}", account.id, sku_id.unwrap_or_default());
    let (page, next) = paging::page(
        rows,
        |(email, sku)| format!("{}\u{0}{email}", sku.sku_id),
        max,
        params.page_token.as_deref(),
        &fingerprint,
    )?;
    let mut body = serde_json::json!({
        "kind": "licensing#licenseAssignmentList",
        "etag": format!("\"{}/{}\"", account.id, account.version),
        "items": page.iter().map(|(email, sku)| AssignmentResource::new(&state, sku, email)).collect::<Vec<_>>(),
    });
    paging::add_next_page_token(&mut body, next);
    Ok(axum::Json(body))
}
