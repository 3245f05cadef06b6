//! The Partner Sales Console's Create customer page (`/partner/customers/new`): the
//! form of the help pages (product family, domain or team customer, educational
//! institution, organization, contact information), every violation beside its control
//! at once, and on Create one operation (`onboarding::create_customer`) that makes the
//! customer, its super admin and the welcome e-mail together. The result page shows the
//! super admin's temporary password once, with Purchase and Close. A domain that already
//! has an account leads to the import form instead.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use partnerd_app::OpError;
use partnerd_app::onboarding::{self, NewCustomer};
use partnerd_app::privileges::{self, ResellerNeed};
use partnerd_domain::RuleErrorKind;
use partnerd_domain::customer::{CustomerFields, PostalAddress};
use partnerd_domain::geo;
use partnerd_i18n::{Language, format};
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::form::{Field, Placement, place};
use crate::web::gate;
use crate::web::pages::{failure, refused_console};
use crate::web::visitor::{Visitor, with_authuser};

#[derive(Template, WebTemplate)]
#[template(path = "partner_create.html")]
struct CreatePage {
    chrome: Chrome,
    problems: Vec<String>,
    customer_type: Field,
    education: Field,
    organization_name: Field,
    domain: Field,
    primary_email: Field,
    crm_id: Field,
    contact_name: Field,
    address_line: Field,
    locality: Field,
    postal_code: Field,
    country: Field,
    countries: Vec<(String, String)>,
    alternate_email: Field,
    phone: Field,
}

#[derive(Template, WebTemplate)]
#[template(path = "partner_created.html")]
struct CreatedPage {
    chrome: Chrome,
    name: String,
    customer_id: String,
    username: String,
    password: String,
    recipients: String,
    customer_href: String,
    purchase_href: String,
    close_href: String,
}

/// What the form sends (every control optional: a missing one is an empty one).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CreateForm {
    customer_type: String,
    education: String,
    organization_name: String,
    domain: String,
    primary_email: String,
    crm_id: String,
    contact_name: String,
    address_line: String,
    locality: String,
    postal_code: String,
    country: String,
    alternate_email: String,
    phone: String,
}

/// Which control shows the violations of which field of the operation.
const PLACEMENTS: &[Placement] = &[
    Placement::saying("customerDomain", "domain", "create-error-domain"),
    Placement::to("customerType", "customer_type"),
    Placement::saying(
        "primaryAdmin.primaryEmail",
        "primary_email",
        "create-error-primary",
    ),
    Placement::saying(
        "alternateEmail",
        "alternate_email",
        "create-error-alternate",
    ),
    Placement::saying("phoneNumber", "phone", "create-error-phone"),
    Placement::saying("crmId", "crm_id", "create-error-crm"),
    Placement::to("postalAddress.contactName", "contact_name"),
    Placement::to("postalAddress.organizationName", "organization_name"),
    Placement::to("postalAddress.addressLine1", "address_line"),
    Placement::to("postalAddress.locality", "locality"),
    Placement::saying(
        "postalAddress.postalCode",
        "postal_code",
        "create-error-postal",
    ),
    Placement::saying(
        "postalAddress.countryCode",
        "country",
        "create-error-country",
    ),
];

/// The countries open to resale, named and sorted in the page's language, after a
/// first empty choice.
fn countries(language: Language) -> Vec<(String, String)> {
    let mut named: Vec<(String, String)> = geo::resale_countries()
        .into_iter()
        .map(|code| (code.to_string(), format::country(language, code)))
        .collect();
    named.sort_by(|a, b| a.1.cmp(&b.1));
    let mut all = vec![(
        String::new(),
        partnerd_i18n::tr(language, "create-country-choose"),
    )];
    all.extend(named);
    all
}

impl CreatePage {
    fn new(chrome: Chrome, form: &CreateForm) -> Self {
        let customer_type = if form.customer_type == "team" {
            "team"
        } else {
            "domain"
        };
        CreatePage {
            problems: vec![],
            customer_type: Field::new("customer_type", customer_type),
            education: Field::new("education", form.education.clone()),
            organization_name: Field::new("organization_name", form.organization_name.clone()),
            domain: Field::new("domain", form.domain.clone()),
            primary_email: Field::new("primary_email", form.primary_email.clone()),
            crm_id: Field::new("crm_id", form.crm_id.clone()),
            contact_name: Field::new("contact_name", form.contact_name.clone()),
            address_line: Field::new("address_line", form.address_line.clone()),
            locality: Field::new("locality", form.locality.clone()),
            postal_code: Field::new("postal_code", form.postal_code.clone()),
            country: Field::new("country", form.country.clone()),
            countries: countries(chrome.language),
            alternate_email: Field::new("alternate_email", form.alternate_email.clone()),
            phone: Field::new("phone", form.phone.clone()),
            chrome,
        }
    }
}

fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn input_of(form: &CreateForm, language: Language) -> NewCustomer {
    let team = form.customer_type == "team";
    NewCustomer {
        fields: CustomerFields {
            domain: Some(form.domain.trim().to_string()),
            customer_type: Some(if team { "team" } else { "domain" }.to_string()),
            alternate_email: optional(&form.alternate_email),
            phone_number: optional(&form.phone),
            postal_address: Some(PostalAddress {
                contact_name: optional(&form.contact_name),
                organization_name: optional(&form.organization_name),
                address_line1: optional(&form.address_line),
                locality: optional(&form.locality),
                postal_code: optional(&form.postal_code),
                country_code: optional(&form.country),
                ..Default::default()
            }),
            primary_admin_email: optional(&form.primary_email),
        },
        education: Field::new("education", form.education.clone()).checked(),
        crm_id: optional(&form.crm_id),
        language,
    }
}

/// The form, empty (a domain customer, the first choice).
pub async fn form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    // Offered only to those who may add customers; the operation checks it again.
    if privileges::reseller(&state.ops, admitted.actor(), ResellerNeed::Add)
        .await
        .is_err()
    {
        return refused_console(&visitor, admitted.reach, Console::Partner);
    }
    let chrome = Chrome::new(&visitor, "create-title", admitted.reach, Console::Partner);
    (
        StatusCode::OK,
        CreatePage::new(chrome, &CreateForm::default()),
    )
        .into_response()
}

/// Create: the customer, its super admin and the welcome e-mail in one operation, or the
/// form again with every violation beside its control and nothing created.
pub async fn submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(form): Form<CreateForm>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let reach = admitted.reach;
    let language = visitor.language;
    let sign_in_url = format!("{}/signin", state.public_url);
    let made = onboarding::create_customer(
        &state.ops,
        admitted.actor(),
        input_of(&form, language),
        &sign_in_url,
    )
    .await;
    let created = match made {
        Ok(created) => created,
        Err(OpError::Rules(violations)) => {
            // A domain with an account already (with Google or another reseller): the
            // way on is a transfer token, so the import form, with the domain filled in.
            if violations
                .iter()
                .any(|v| v.kind == RuleErrorKind::Duplicate && v.field == "customerDomain")
            {
                let query = serde_urlencoded::to_string([
                    ("domain", form.domain.trim()),
                    ("existing", "1"),
                ])
                .unwrap_or_default();
                return Redirect::to(&with_authuser(
                    &format!("/partner/import?{query}"),
                    visitor.index,
                ))
                .into_response();
            }
            let chrome = Chrome::new(&visitor, "create-title", reach, Console::Partner);
            let mut page = CreatePage::new(chrome, &form);
            let CreatePage {
                customer_type,
                education,
                organization_name,
                domain,
                primary_email,
                crm_id,
                contact_name,
                address_line,
                locality,
                postal_code,
                country,
                alternate_email,
                phone,
                ..
            } = &mut page;
            let rest = place(
                language,
                &mut [
                    customer_type,
                    education,
                    organization_name,
                    domain,
                    primary_email,
                    crm_id,
                    contact_name,
                    address_line,
                    locality,
                    postal_code,
                    country,
                    alternate_email,
                    phone,
                ],
                &violations,
                PLACEMENTS,
            );
            page.problems = rest;
            return (StatusCode::BAD_REQUEST, page).into_response();
        }
        Err(OpError::NotAuthorized | OpError::Forbidden(_)) => {
            return refused_console(&visitor, reach, Console::Partner);
        }
        Err(e) => {
            tracing::error!(error = %e, "creating a customer from the console");
            return failure(language);
        }
    };
    let mut chrome = Chrome::new(&visitor, "created-title", reach, Console::Partner);
    let customer = &created.customer;
    let name = customer
        .postal_address
        .organization_name
        .clone()
        .unwrap_or_else(|| customer.domain.clone());
    let mut recipients = vec![created.admin.primary_email.clone()];
    if let Some(alternate) = &customer.alternate_email
        && !alternate.eq_ignore_ascii_case(&created.admin.primary_email)
    {
        recipients.push(alternate.clone());
    }
    let page = CreatedPage {
        name,
        customer_id: customer.id.clone(),
        username: created.admin.primary_email.clone(),
        password: created.temporary_password.clone(),
        recipients: recipients.join(", "),
        customer_href: chrome.href(&format!("/partner/customers/{}", customer.id)),
        purchase_href: chrome.href(&format!("/partner/customers/{}/order", customer.id)),
        close_href: chrome.href("/partner"),
        chrome: {
            // The password is on this page only: the language switcher must not send
            // the visitor back to a fresh (empty) form under the same title.
            chrome.here = "/partner".into();
            chrome
        },
    };
    // Shown once: this answer is the only place the password appears (console pages
    // are never cached, see `headers`).
    (StatusCode::OK, page).into_response()
}
