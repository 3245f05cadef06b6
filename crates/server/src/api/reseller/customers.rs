//! `customers`: get, insert, patch, update. The wire types mirror the discovery
//! document's `Customer` and `Address` schemas; the rules live in `domain::customer`.

use axum::extract::State;
use partnerd_domain::Clock;
use partnerd_domain::customer::{
    self, Customer, CustomerFields, CustomerType, PostalAddress, Visibility,
};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::scopes::{RESELLER_READ, RESELLER_WRITE};
use partnerd_store::{StoreError, TokenDeletion};
use serde::{Deserialize, Serialize};

use crate::api::address::AddressBody;
use crate::billing::Change;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// Optimistic updates retry this often when another request changed the customer.
const UPDATE_ATTEMPTS: usize = 5;

/// A `Customer` as clients send it. Unknown fields are refused, as Google does;
/// read-only fields are accepted and ignored.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    customer_id: Option<String>,
    #[serde(default)]
    customer_domain: Option<String>,
    #[serde(default)]
    customer_domain_verified: Option<bool>,
    #[serde(default)]
    customer_type: Option<String>,
    #[serde(default)]
    alternate_email: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    postal_address: Option<AddressBody>,
    #[serde(default)]
    primary_admin: Option<PrimaryAdmin>,
    #[serde(default)]
    resource_ui_url: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrimaryAdmin {
    #[serde(default)]
    primary_email: Option<String>,
}

impl CustomerBody {
    fn into_fields(self) -> CustomerFields {
        // kind, customerId, customerDomainVerified and resourceUiUrl are read-only.
        let _ = (
            self.kind,
            self.customer_id,
            self.customer_domain_verified,
            self.resource_ui_url,
        );
        CustomerFields {
            domain: self.customer_domain,
            customer_type: self.customer_type,
            alternate_email: self.alternate_email,
            phone_number: self.phone_number,
            postal_address: self.postal_address.map(AddressBody::into_domain),
            primary_admin_email: self.primary_admin.and_then(|p| p.primary_email),
        }
    }
}

/// A `Customer` as the API returns it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerResource {
    kind: &'static str,
    customer_id: String,
    customer_domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_domain_verified: Option<bool>,
    customer_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternate_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_address: Option<AddressResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_admin: Option<PrimaryAdmin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_ui_url: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressResource {
    kind: &'static str,
    #[serde(flatten)]
    address: PostalAddress,
}

impl CustomerResource {
    fn new(c: &Customer, visibility: Visibility, public_url: &str) -> Self {
        let minimal = CustomerResource {
            kind: "reseller#customer",
            customer_id: c.id.clone(),
            customer_domain: c.domain.clone(),
            customer_domain_verified: None,
            customer_type: c.customer_type.as_str(),
            alternate_email: None,
            phone_number: None,
            postal_address: None,
            primary_admin: None,
            resource_ui_url: None,
        };
        match visibility {
            Visibility::Minimal => minimal,
            Visibility::Full => CustomerResource {
                customer_domain_verified: Some(c.domain_verified),
                alternate_email: c.alternate_email.clone(),
                phone_number: c.phone_number.clone(),
                postal_address: (!c.postal_address.is_empty()).then(|| AddressResource {
                    kind: "customers#address",
                    address: c.postal_address.clone(),
                }),
                primary_admin: (c.customer_type == CustomerType::Team).then(|| PrimaryAdmin {
                    primary_email: c.primary_admin_email.clone(),
                }),
                resource_ui_url: Some(format!("{public_url}/admin/customers/{}", c.id)),
                ..minimal
            },
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsertParams {
    #[serde(default)]
    customer_auth_token: Option<String>,
}

pub(super) async fn find_customer(state: &AppState, key: &str) -> Result<Customer, ApiError> {
    state
        .store
        .account(key)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Customer {key} was not found.")))
}

fn event(
    state: &AppState,
    actor: &str,
    action: &str,
    before: Option<&Customer>,
    after: &Customer,
) -> NewEvent {
    NewEvent {
        at: state.clock.now(),
        actor: actor.to_string(),
        account_id: after.managed_by.clone(),
        action: action.to_string(),
        resource_type: "customer".into(),
        resource_id: after.id.clone(),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(after).ok(),
        event_type: None,
    }
}

fn duplicate_domain(domain: &str) -> ApiError {
    ApiError::duplicate(format!(
        "A customer with the domain {domain} already exists. To move it to your management, \
         order it with the customerAuthToken its administrator gives you."
    ))
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    caller.require(RESELLER_READ)?;

    crate::privileges::reseller(
        &state,
        caller.acting(),
        crate::privileges::ResellerNeed::View,
    )
    .await?;
    let customer = find_customer(&state, &customer_id).await?;
    let visibility = customer.visibility_for(caller.account_id());
    Ok(axum::Json(CustomerResource::new(
        &customer,
        visibility,
        &state.public_url,
    )))
}

pub async fn insert(
    caller: Caller,
    State(state): State<AppState>,
    Query(params): Query<InsertParams>,
    Json(body): Json<CustomerBody>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    let subject = caller.require(RESELLER_WRITE)?;
    crate::privileges::reseller(
        &state,
        caller.acting(),
        crate::privileges::ResellerNeed::Add,
    )
    .await?;
    let fields = body.into_fields();
    if let Some(token) = params.customer_auth_token.filter(|t| !t.is_empty())
        && let Some(domain) = &fields.domain
        && let Some(existing) = state.store.account(domain).await?
    {
        return take_over(&caller, &subject.email, &state, existing, &token).await;
    }
    // A fresh id per attempt: a collision of random ids is retried, a domain conflict is not.
    for _ in 0..3 {
        let customer = customer::new_customer(
            ids::new_customer_id(),
            fields.clone(),
            caller.account_id(),
            state.clock.now(),
        )?;
        let e = event(&state, &subject.email, "customer.insert", None, &customer);
        match state.store.insert_customer(&customer, e).await {
            Ok(()) => {
                return Ok(axum::Json(CustomerResource::new(
                    &customer,
                    Visibility::Full,
                    &state.public_url,
                )));
            }
            Err(StoreError::Conflict(name)) if name == "accounts_pkey" => continue,
            Err(StoreError::Conflict(_)) => return Err(duplicate_domain(&customer.domain)),
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::internal())
}

/// `customers.insert?customerAuthToken` for a customer that exists: with a token its
/// admin made for this reseller, the reseller takes the customer record over.
async fn take_over(
    caller: &Caller,
    actor: &str,
    state: &AppState,
    existing: Customer,
    token: &str,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    super::transfers::authorized_token(state, caller, &existing, token).await?;
    if existing.managed_by.as_deref() == Some(caller.account_id()) {
        return Ok(axum::Json(CustomerResource::new(
            &existing,
            Visibility::Full,
            &state.public_url,
        )));
    }
    let mut mine = existing.clone();
    mine.managed_by = Some(caller.account_id().to_string());
    mine.version += 1;
    let mut change = Change::new();
    change.customer(
        actor,
        "customer.transferIn",
        state.clock.now(),
        &existing,
        &mine,
    );
    // The customer now belongs to this reseller: every other reseller's token ends.
    change
        .set
        .delete_transfer_tokens
        .push(TokenDeletion::OthersOf {
            customer_id: existing.id.clone(),
            keep_reseller_id: caller.account_id().to_string(),
        });
    state.apply(change.set).await?;
    Ok(axum::Json(CustomerResource::new(
        &mine,
        Visibility::Full,
        &state.public_url,
    )))
}

pub async fn patch(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
    Json(body): Json<CustomerBody>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    change(
        caller,
        state,
        customer_id,
        body.into_fields(),
        customer::patched,
        "customer.patch",
    )
    .await
}

pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
    Json(body): Json<CustomerBody>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    change(
        caller,
        state,
        customer_id,
        body.into_fields(),
        customer::replaced,
        "customer.update",
    )
    .await
}

/// Reads, applies the rule, and writes only if nobody changed the customer meanwhile;
/// otherwise starts again from the fresh state.
async fn change(
    caller: Caller,
    state: AppState,
    customer_id: String,
    fields: CustomerFields,
    apply: fn(&Customer, CustomerFields) -> Result<Customer, partnerd_domain::RuleError>,
    action: &str,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    let subject = caller.require(RESELLER_WRITE)?;
    crate::privileges::reseller(
        &state,
        caller.acting(),
        crate::privileges::ResellerNeed::Edit,
    )
    .await?;
    for _ in 0..UPDATE_ATTEMPTS {
        let before = find_customer(&state, &customer_id).await?;
        before.ensure_managed_by(caller.account_id())?;
        let after = apply(&before, fields.clone())?;
        let e = event(&state, &subject.email, action, Some(&before), &after);
        match state.store.update_customer(&before, &after, e).await {
            Ok(()) => {
                return Ok(axum::Json(CustomerResource::new(
                    &after,
                    Visibility::Full,
                    &state.public_url,
                )));
            }
            Err(StoreError::Stale) => continue,
            Err(StoreError::Conflict(_)) => return Err(duplicate_domain(&after.domain)),
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::from(StoreError::Stale))
}
