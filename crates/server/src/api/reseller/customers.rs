//! `customers`: get, insert, patch, update. The wire types mirror the discovery
//! document's `Customer` and `Address` schemas; the rules live in `domain::customer`.

use axum::extract::State;
use partnerd_app::customers::{self, Edit};
use partnerd_domain::customer::{
    Customer, CustomerFields, CustomerType, PostalAddress, Visibility,
};
use partnerd_domain::scopes::{RESELLER_READ, RESELLER_WRITE};
use serde::{Deserialize, Serialize};

use crate::api::address::AddressBody;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

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

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    caller.require(RESELLER_READ)?;
    let (customer, visibility) = customers::get(&state.ops, caller.actor(), &customer_id).await?;
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
    caller.require(RESELLER_WRITE)?;
    let customer = customers::insert(
        &state.ops,
        caller.actor(),
        body.into_fields(),
        params.customer_auth_token.as_deref(),
    )
    .await?;
    Ok(axum::Json(CustomerResource::new(
        &customer,
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
    change(caller, state, customer_id, body, Edit::Patch).await
}

pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
    Json(body): Json<CustomerBody>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    change(caller, state, customer_id, body, Edit::Replace).await
}

async fn change(
    caller: Caller,
    state: AppState,
    customer_id: String,
    body: CustomerBody,
    edit: Edit,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    caller.require(RESELLER_WRITE)?;
    let customer = customers::change(
        &state.ops,
        caller.actor(),
        &customer_id,
        body.into_fields(),
        edit,
    )
    .await?;
    Ok(axum::Json(CustomerResource::new(
        &customer,
        Visibility::Full,
        &state.public_url,
    )))
}
