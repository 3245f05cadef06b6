//! Directory `customers`: get, patch, update. The same record as the Reseller API's
//! customer, plus the default language of new users; the operations are
//! `partnerd_app::accounts`.

use axum::extract::State;
use partnerd_app::accounts;
use partnerd_app::customers::Edit;
use partnerd_domain::clock::rfc3339;
use partnerd_domain::customer::{Customer, CustomerFields, PostalAddress};
use partnerd_domain::scopes::{DIRECTORY_CUSTOMER_READ, DIRECTORY_CUSTOMER_WRITE};
use serde::{Deserialize, Serialize};

use super::etag;
use crate::api::address::AddressBody;
use crate::caller::Caller;
use crate::errors::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    etag: Option<String>,
    #[serde(default)]
    customer_domain: Option<String>,
    #[serde(default)]
    alternate_email: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    postal_address: Option<AddressBody>,
    #[serde(default)]
    customer_creation_time: Option<String>,
}

impl CustomerBody {
    /// The shared customer fields, if the request touches any of them.
    fn customer_fields(&mut self) -> Option<CustomerFields> {
        let _ = (
            &self.kind,
            &self.id,
            &self.etag,
            &self.customer_creation_time,
        );
        let fields = CustomerFields {
            domain: self.customer_domain.take(),
            customer_type: None,
            alternate_email: self.alternate_email.take(),
            phone_number: self.phone_number.take(),
            postal_address: self.postal_address.take().map(AddressBody::into_domain),
            primary_admin_email: None,
        };
        (fields != CustomerFields::default()).then_some(fields)
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerResource {
    kind: &'static str,
    id: String,
    etag: String,
    customer_domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternate_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    language: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_address: Option<PostalAddress>,
    customer_creation_time: String,
}

impl CustomerResource {
    fn new(c: &Customer) -> Self {
        CustomerResource {
            kind: "admin#directory#customer",
            id: c.id.clone(),
            etag: etag(&c.id, c.version),
            customer_domain: c.domain.clone(),
            alternate_email: c.alternate_email.clone(),
            phone_number: c.phone_number.clone(),
            language: c.language.clone(),
            postal_address: (!c.postal_address.is_empty()).then(|| c.postal_address.clone()),
            customer_creation_time: rfc3339(c.created_at),
        }
    }
}

pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    caller.require(DIRECTORY_CUSTOMER_READ)?;
    let account = accounts::get(&state.ops, caller.actor(), &key).await?;
    Ok(axum::Json(CustomerResource::new(&account)))
}

pub async fn patch(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<CustomerBody>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    change(caller, state, key, body, Edit::Patch).await
}

pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path(key): Path<String>,
    Json(body): Json<CustomerBody>,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    change(caller, state, key, body, Edit::Replace).await
}

async fn change(
    caller: Caller,
    state: AppState,
    key: String,
    mut body: CustomerBody,
    edit: Edit,
) -> Result<axum::Json<CustomerResource>, ApiError> {
    caller.require(DIRECTORY_CUSTOMER_WRITE)?;
    let language = body.language.take();
    let fields = body.customer_fields();
    let account = accounts::change(
        &state.ops,
        caller.actor(),
        &key,
        fields,
        language.as_deref(),
        edit,
    )
    .await?;
    Ok(axum::Json(CustomerResource::new(&account)))
}
