//! Editing a customer's information in the Partner Sales Console
//! (`/partner/customers/{id}/edit`): organization and contact, through the same
//! `customers::change` operation (`customers.update`'s rules and privilege, Edit
//! Customers) as the API. Every violation is shown beside its field at once, with what
//! was typed kept; nothing changes until the whole form is valid.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use partnerd_app::OpError;
use partnerd_app::customers::Edit;
use partnerd_domain::customer::{Customer, CustomerFields, PostalAddress};
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::form::{Field, Placement, place};
use crate::web::gate;
use crate::web::pages::{failure, not_found_for, refused};
use crate::web::visitor::Visitor;

/// What the form sends (every control; an empty one clears an optional field).
#[derive(Deserialize, Default)]
pub struct InfoForm {
    #[serde(default)]
    organization_name: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    address_line1: String,
    #[serde(default)]
    locality: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    country_code: String,
    #[serde(default)]
    alternate_email: String,
    #[serde(default)]
    phone_number: String,
}

impl InfoForm {
    fn of(c: &Customer) -> Self {
        let a = &c.postal_address;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        InfoForm {
            organization_name: text(&a.organization_name),
            contact_name: text(&a.contact_name),
            address_line1: text(&a.address_line1),
            locality: text(&a.locality),
            region: text(&a.region),
            postal_code: text(&a.postal_code),
            country_code: text(&a.country_code),
            alternate_email: text(&c.alternate_email),
            phone_number: text(&c.phone_number),
        }
    }

    /// The customer's new fields: what the form holds, the rest of the address kept.
    fn fields(&self, c: &Customer) -> CustomerFields {
        let given = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        CustomerFields {
            domain: None,
            customer_type: None,
            alternate_email: given(&self.alternate_email),
            phone_number: given(&self.phone_number),
            postal_address: Some(PostalAddress {
                organization_name: given(&self.organization_name),
                contact_name: given(&self.contact_name),
                address_line1: given(&self.address_line1),
                locality: given(&self.locality),
                region: given(&self.region),
                postal_code: given(&self.postal_code),
                country_code: given(&self.country_code).map(|c| c.to_ascii_uppercase()),
                ..c.postal_address.clone()
            }),
            primary_admin_email: None,
        }
    }
}

/// Where each violation of the operation is shown.
const PLACEMENTS: [Placement; 9] = [
    Placement::to("postalAddress.organizationName", "organization_name"),
    Placement::to("postalAddress.contactName", "contact_name"),
    Placement::to("postalAddress.addressLine1", "address_line1"),
    Placement::to("postalAddress.locality", "locality"),
    Placement::to("postalAddress.region", "region"),
    Placement::to("postalAddress.postalCode", "postal_code"),
    Placement::to("postalAddress.countryCode", "country_code"),
    Placement::to("alternateEmail", "alternate_email"),
    Placement::to("phoneNumber", "phone_number"),
];

#[derive(Template, WebTemplate)]
#[template(path = "partner_customer_edit.html")]
struct EditPage {
    chrome: Chrome,
    customer: Customer,
    name: String,
    back: String,
    action: String,
    fields: Vec<Field>,
    problems: Vec<String>,
}

impl EditPage {
    fn field(&self, name: &str) -> &Field {
        // Every name the template asks for is one of `controls`; a typo shows as an
        // empty control in the page test.
        static EMPTY: Field = Field {
            name: "",
            value: String::new(),
            error: None,
        };
        self.fields
            .iter()
            .find(|f| f.name == name)
            .unwrap_or(&EMPTY)
    }
}

fn controls(form: &InfoForm) -> Vec<Field> {
    vec![
        Field::new("organization_name", &form.organization_name),
        Field::new("contact_name", &form.contact_name),
        Field::new("address_line1", &form.address_line1),
        Field::new("locality", &form.locality),
        Field::new("region", &form.region),
        Field::new("postal_code", &form.postal_code),
        Field::new("country_code", &form.country_code),
        Field::new("alternate_email", &form.alternate_email),
        Field::new("phone_number", &form.phone_number),
    ]
}

fn page(
    visitor: &Visitor,
    reach: partnerd_app::signin::Reach,
    customer: Customer,
    fields: Vec<Field>,
    problems: Vec<String>,
) -> EditPage {
    let mut chrome = Chrome::new(visitor, "customer-edit-title", reach, Console::Partner);
    let name = customer
        .postal_address
        .organization_name
        .clone()
        .unwrap_or_else(|| customer.domain.clone());
    chrome.title = format!("{} · {name}", chrome.title);
    let back = chrome.href(&format!("/partner/customers/{}", customer.id));
    let action = chrome.href(&format!("/partner/customers/{}/edit", customer.id));
    EditPage {
        back,
        action,
        chrome,
        customer,
        name,
        fields,
        problems,
    }
}

/// The operation's refusal said as a page: not this reseller's customer (or none) is the
/// same 404 either way; no Edit Customers privilege is a 403 in words.
fn refusal(visitor: &Visitor, e: OpError) -> Response {
    match e {
        OpError::NotAuthorized | OpError::Forbidden(_) => refused(visitor, "customer-edit-refused"),
        OpError::Store(e) => {
            tracing::error!(error = %e, "editing a customer");
            failure(visitor.language)
        }
        _ => not_found_for(visitor),
    }
}

pub async fn form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    // The form is offered to those who may send it: the Edit privilege is checked now.
    let editable = partnerd_app::customers::editable(&state.ops, admitted.actor(), &id).await;
    let customer = match editable {
        Ok(c) => c,
        Err(e) => return refusal(&visitor, e),
    };
    let fields = controls(&InfoForm::of(&customer));
    page(&visitor, admitted.reach, customer, fields, vec![]).into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(form): Form<InfoForm>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let actor = admitted.actor();
    let customer = match partnerd_app::customers::editable(&state.ops, actor, &id).await {
        Ok(c) => c,
        Err(e) => return refusal(&visitor, e),
    };
    let changed = partnerd_app::customers::change(
        &state.ops,
        actor,
        &customer.id,
        form.fields(&customer),
        Edit::Replace,
    )
    .await;
    match changed {
        Ok(after) => Redirect::to(&crate::web::visitor::with_authuser(
            &format!("/partner/customers/{}?done=info", after.id),
            visitor.index,
        ))
        .into_response(),
        Err(OpError::Rules(violations)) => {
            let mut fields = controls(&form);
            let problems = {
                let mut refs: Vec<&mut Field> = fields.iter_mut().collect();
                place(visitor.language, &mut refs, &violations, &PLACEMENTS)
            };
            let page = page(&visitor, admitted.reach, customer, fields, problems);
            (StatusCode::BAD_REQUEST, page).into_response()
        }
        Err(e) => refusal(&visitor, e),
    }
}
