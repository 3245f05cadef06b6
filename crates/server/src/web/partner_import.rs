//! The Partner Sales Console's Import page (`/partner/import`): a customer of Google or
//! of another reseller moves to the signed-in reseller with its transfer token. Domain
//! and Transfer token, then Import lists what the token can move, each subscription with
//! the plans the transfer rules allow and its fewest licenses; Confirm runs the API's own
//! operations (`onboarding::import`: `customers.insert` with the token, a transfer per
//! subscription, which notifies the losing reseller). A token that does not fit is
//! explained in words: unknown, expired, made for another reseller or customer.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use partnerd_app::OpError;
use partnerd_app::onboarding::{self, Choice, Movable, TokenProblem};
use partnerd_app::privileges::{self, ResellerNeed};
use partnerd_domain::customer::Visibility;
use partnerd_domain::{RuleError, RuleErrorKind, catalogue};
use partnerd_i18n::{Language, tr, tr_with};
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::form::Field;
use crate::web::gate::{self, Admitted};
use crate::web::pages::{failure, refused_console};
use crate::web::partner_customer::plan_id;
use crate::web::visitor::Visitor;

/// One subscription the token can move, as the page offers it.
pub struct ImportRow {
    pub index: usize,
    pub product: String,
    pub sku: String,
    pub current_plan_id: &'static str,
    pub current_seats: u32,
    pub minimum: u32,
    pub moves_along: bool,
    /// The customer gave purchase consent for its product group (else it stays).
    pub consented: bool,
    /// Its product group's name, for the words when it stays.
    pub group: String,
    /// (wire name, message id of its label)
    pub plans: Vec<(&'static str, &'static str)>,
    pub plan: String,
    pub seats: String,
    pub plan_error: Option<String>,
    pub seats_error: Option<String>,
}

impl ImportRow {
    pub fn plan_name(&self) -> String {
        format!("plan_{}", self.index)
    }

    pub fn seats_name(&self) -> String {
        format!("seats_{}", self.index)
    }

    pub fn sku_name(&self) -> String {
        format!("sku_{}", self.index)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "partner_import.html")]
struct ImportPage {
    chrome: Chrome,
    problems: Vec<String>,
    /// The domain the Create customer form found taken, for the explanation.
    existing: Option<String>,
    domain: Field,
    token: Field,
    /// Empty until a token was accepted.
    rows: Vec<ImportRow>,
}

pub struct MovedRow {
    pub product: String,
    pub plan_id: &'static str,
    pub seats: u32,
}

#[derive(Template, WebTemplate)]
#[template(path = "partner_imported.html")]
struct ImportedPage {
    chrome: Chrome,
    name: String,
    moved: Vec<MovedRow>,
    customer_href: String,
    close_href: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImportQuery {
    domain: String,
    existing: String,
}

fn product_name(sku_id: &str) -> String {
    catalogue::sku(sku_id)
        .map(|s| s.sku_name.to_string())
        .unwrap_or_else(|| sku_id.to_string())
}

fn row(index: usize, m: &Movable) -> ImportRow {
    let s = &m.subscription;
    let plan = if m.plans.contains(&s.plan) {
        s.plan
    } else {
        m.plans.first().copied().unwrap_or(s.plan)
    };
    ImportRow {
        index,
        product: product_name(&s.sku_id),
        sku: s.sku_id.clone(),
        current_plan_id: plan_id(s.plan),
        current_seats: s.seats,
        minimum: m.minimum_seats,
        moves_along: m.moves_along,
        consented: m.consented,
        group: catalogue::sku(&s.sku_id)
            .map(|sku| {
                partnerd_domain::licensing::product_name(sku.product_id)
                    .unwrap_or(sku.product_id)
                    .to_string()
            })
            .unwrap_or_default(),
        plans: m
            .plans
            .iter()
            .map(|p| (p.wire_name(), plan_id(*p)))
            .collect(),
        plan: plan.wire_name().to_string(),
        seats: s.seats.max(m.minimum_seats).to_string(),
        plan_error: None,
        seats_error: None,
    }
}

/// The import page, in its first step (or its second, with `rows`).
fn page(visitor: &Visitor, admitted: &Admitted<'_>, domain: &str, token: &str) -> ImportPage {
    ImportPage {
        chrome: Chrome::new(visitor, "import-title", admitted.reach, Console::Partner),
        problems: vec![],
        existing: None,
        domain: Field::new("domain", domain.trim()),
        token: Field::new("token", token.trim()),
        rows: vec![],
    }
}

/// Whether the actor may import (Add Customers): else the console's refusal.
async fn may_add(state: &AppState, visitor: &Visitor, admitted: &Admitted<'_>) -> Option<Response> {
    privileges::reseller(&state.ops, admitted.actor(), ResellerNeed::Add)
        .await
        .is_err()
        .then(|| refused_console(visitor, admitted.reach, Console::Partner))
}

pub async fn form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(q): Query<ImportQuery>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    if let Some(refused) = may_add(&state, &visitor, &admitted).await {
        return refused;
    }
    let mut page = page(&visitor, &admitted, &q.domain, "");
    if q.existing == "1" && !page.domain.value.is_empty() {
        page.existing = Some(page.domain.value.clone());
    }
    (StatusCode::OK, page).into_response()
}

/// Says why a token does not fit, in the page's language.
async fn token_message(
    state: &AppState,
    visitor: &Visitor,
    admitted: &Admitted<'_>,
    domain: &str,
    token: &str,
) -> Result<String, OpError> {
    let language = visitor.language;
    let customer = partnerd_app::customers::find(&state.ops, domain).await?;
    let problem = onboarding::token_problem(&state.ops, admitted.actor(), &customer, token).await?;
    Ok(match problem {
        Some(TokenProblem::Expired) => tr(language, "import-token-expired"),
        Some(TokenProblem::OtherReseller) => {
            let reseller_id = admitted.actor().account_id().unwrap_or_default();
            let public_id = partnerd_app::customers::find(&state.ops, reseller_id)
                .await?
                .reseller_public_id
                .unwrap_or_default();
            tr_with(
                language,
                "import-token-other-reseller",
                &[("id", &public_id)],
            )
        }
        Some(TokenProblem::OtherCustomer) => tr(language, "import-token-other-customer"),
        Some(TokenProblem::Unknown) | None => tr(language, "import-token-unknown"),
    })
}

/// The answer to an operation's refusal that is not about the input's shape: the
/// console's 403, a word beside the domain or the token, or the failure page.
/// The words for rules that name no control of the page (already held, nothing to move,
/// no purchase consent); a plan or seat count chosen for one subscription is shown beside
/// its control instead.
fn rule_problems(language: Language, violations: &[RuleError]) -> Vec<String> {
    violations
        .iter()
        .filter(|v| !v.field.starts_with("subscriptions."))
        .map(|v| match v.kind {
            RuleErrorKind::Duplicate => tr(language, "import-already-yours"),
            RuleErrorKind::ConditionNotMet if v.field == "subscriptions" => {
                tr(language, "import-nothing")
            }
            RuleErrorKind::ConditionNotMet
                if v.field == partnerd_domain::transfer::CONSENT_FIELD =>
            {
                tr(language, "import-no-consent-any")
            }
            RuleErrorKind::ConditionNotMet
                if v.field
                    .starts_with(partnerd_domain::transfer::CONSENT_FIELD) =>
            {
                let sku = v.field.rsplit('.').next().unwrap_or_default();
                let name = catalogue::sku(sku).map_or(sku, |s| s.sku_name);
                tr_with(language, "import-no-consent-add-on", &[("name", name)])
            }
            _ => crate::web::form::message(language, v, None),
        })
        .collect()
}

async fn refusal(
    state: &AppState,
    visitor: &Visitor,
    admitted: &Admitted<'_>,
    mut page: ImportPage,
    error: OpError,
) -> Response {
    let language = visitor.language;
    match error {
        OpError::NotAuthorized => refused_console(visitor, admitted.reach, Console::Partner),
        OpError::NotFound(_) => {
            page.domain.error = Some(tr(language, "import-no-customer"));
            (StatusCode::BAD_REQUEST, page).into_response()
        }
        OpError::Forbidden(_) => {
            let (domain, token) = (page.domain.value.clone(), page.token.value.clone());
            match token_message(state, visitor, admitted, &domain, &token).await {
                Ok(message) => {
                    page.token.error = Some(message);
                    page.rows.clear();
                    (StatusCode::BAD_REQUEST, page).into_response()
                }
                Err(OpError::NotFound(_)) => {
                    page.domain.error = Some(tr(language, "import-no-customer"));
                    (StatusCode::BAD_REQUEST, page).into_response()
                }
                Err(e) => {
                    tracing::error!(error = %e, "explaining a transfer token");
                    failure(language)
                }
            }
        }
        OpError::Rules(violations) => {
            page.problems = rule_problems(language, &violations);
            (StatusCode::BAD_REQUEST, page).into_response()
        }
        e => {
            tracing::error!(error = %e, "importing a customer");
            failure(language)
        }
    }
}

/// Import (the first step) and Confirm transfer (the second): the form's fields by name,
/// since the second step has a plan and a license count per subscription.
pub async fn submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    if let Some(refused) = may_add(&state, &visitor, &admitted).await {
        return refused;
    }
    let fields: HashMap<String, String> = pairs.into_iter().collect();
    let value = |name: &str| fields.get(name).map(|v| v.trim()).unwrap_or_default();
    let language = visitor.language;
    let mut page = page(&visitor, &admitted, value("domain"), value("token"));
    if page.domain.value.is_empty() {
        page.domain.error = Some(tr(language, "form-required"));
    }
    if page.token.value.is_empty() {
        page.token.error = Some(tr(language, "form-required"));
    }
    if page.domain.invalid() || page.token.invalid() {
        return (StatusCode::BAD_REQUEST, page).into_response();
    }
    let (domain, token) = (page.domain.value.clone(), page.token.value.clone());
    let actor = admitted.actor();
    match partnerd_app::customers::get(&state.ops, actor, &domain).await {
        Ok((_, Visibility::Full)) => {
            page.domain.error = Some(tr(language, "import-already-yours"));
            return (StatusCode::BAD_REQUEST, page).into_response();
        }
        Ok(_) => {}
        Err(e) => return refusal(&state, &visitor, &admitted, page, e).await,
    }
    if value("step") == "confirm" {
        let choices: Vec<Choice> = (0..200)
            .map_while(|i| {
                fields.get(&format!("sku_{i}")).map(|sku| Choice {
                    sku_id: sku.clone(),
                    plan: value(&format!("plan_{i}")).to_string(),
                    seats: value(&format!("seats_{i}")).to_string(),
                })
            })
            .collect();
        match onboarding::import(&state.ops, actor, &domain, &token, &choices).await {
            Ok((customer, moved)) => {
                let chrome = Chrome::new(
                    &visitor,
                    "import-done-title",
                    admitted.reach,
                    Console::Partner,
                );
                let done = ImportedPage {
                    name: customer
                        .postal_address
                        .organization_name
                        .clone()
                        .unwrap_or_else(|| customer.domain.clone()),
                    moved: moved
                        .iter()
                        .map(|s| MovedRow {
                            product: product_name(&s.sku_id),
                            plan_id: plan_id(s.plan),
                            seats: s.seats,
                        })
                        .collect(),
                    customer_href: chrome.href(&format!("/partner/customers/{}", customer.id)),
                    close_href: chrome.href("/partner"),
                    chrome,
                };
                return (StatusCode::OK, done).into_response();
            }
            Err(OpError::Rules(violations)) => {
                // The choices broke the transfer rules, or something the customer must
                // do first stands in the way: the second step again, what was chosen
                // kept, each message beside its control and the others above the table.
                let offered = match onboarding::movable(&state.ops, actor, &domain, &token).await {
                    Ok((_, offered)) => offered,
                    Err(e) => return refusal(&state, &visitor, &admitted, page, e).await,
                };
                page.rows = offered.iter().enumerate().map(|(i, m)| row(i, m)).collect();
                for r in &mut page.rows {
                    if let Some(chosen) = fields.get(&r.plan_name()) {
                        r.plan = chosen.trim().to_string();
                    }
                    if let Some(chosen) = fields.get(&r.seats_name()) {
                        r.seats = chosen.trim().to_string();
                    }
                    let named = |what: &str| format!("subscriptions.{}.{what}", r.index);
                    if violations.iter().any(|v| v.field == named("plan")) {
                        r.plan_error = Some(tr(language, "import-error-plan"));
                    }
                    if violations.iter().any(|v| v.field == named("seats")) {
                        r.seats_error = Some(tr(language, "import-error-seats"));
                    }
                }
                page.problems = rule_problems(language, &violations);
                return (StatusCode::BAD_REQUEST, page).into_response();
            }
            Err(e) => return refusal(&state, &visitor, &admitted, page, e).await,
        }
    }
    match onboarding::movable(&state.ops, actor, &domain, &token).await {
        Ok((_, offered)) if offered.is_empty() => {
            page.problems = vec![tr(language, "import-nothing")];
            (StatusCode::OK, page).into_response()
        }
        Ok((_, offered)) => {
            page.rows = offered.iter().enumerate().map(|(i, m)| row(i, m)).collect();
            (StatusCode::OK, page).into_response()
        }
        Err(e) => refusal(&state, &visitor, &admitted, page, e).await,
    }
}
