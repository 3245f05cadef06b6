//! Ordering in the Partner Sales Console (`/partner/customers/{id}/order`): the product
//! cards a customer may buy (**New service**, **Select**), the plan and **Number of
//! licenses** with purchase order number and deal code, a summary, and **Confirm order**;
//! then the result, with a reminder e-mail for a customer that has not accepted the Terms
//! of Service yet.
//!
//! The cards come from `subscriptions::offers` (the domain's `offers_for`, judged by the
//! same rules as an order), the summary from `subscriptions::preview`, and the order is
//! `subscriptions::insert`, the API's own operation: same events, same push notifications.
//! The page decides nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use partnerd_app::OpError;
use partnerd_app::subscriptions::{self, Ordering};
use partnerd_domain::catalogue::{self, Sku};
use partnerd_domain::customer::{Customer, CustomerType, Visibility};
use partnerd_domain::plan::{EventType, PlanName, SuspensionReason};
use partnerd_domain::subscription::{Offer, Order, SeatsInput, Subscription};
use partnerd_domain::{RuleError, RuleErrorKind};
use partnerd_i18n::{Language, tr, tr_with};
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::form::{self, Field, Placement};
use crate::web::gate::{self, Admitted};
use crate::web::pages::{failure, not_found_for};
use crate::web::partner_customer::plan_id;
use crate::web::visitor::Visitor;

/// A page that explains a refusal or an outcome in a sentence, with the way back.
#[derive(Template, WebTemplate)]
#[template(path = "partner_notice.html")]
pub struct NoticePage {
    pub chrome: Chrome,
    pub message: String,
    pub back_href: String,
    pub back_id: &'static str,
}

/// Which privilege a refused operation needed, for its explanation.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    View,
    Add,
    Edit,
    Transfer,
}

impl Need {
    fn message_id(self) -> &'static str {
        match self {
            Need::View => "refused-view",
            Need::Add => "refused-add",
            Need::Edit => "refused-edit",
            Need::Transfer => "refused-transfer",
        }
    }
}

/// Whether an operation's error says the customer or subscription is not this
/// reseller's: answered as the same 404 as a missing one, so ids of other resellers'
/// customers cannot be probed.
pub fn is_elsewhere(e: &OpError) -> bool {
    match e {
        OpError::NotFound(_) => true,
        OpError::Rules(v) => v.iter().any(|r| r.kind == RuleErrorKind::Forbidden),
        _ => false,
    }
}

/// The answer to an operation's error that is not a form's business: 404 for what is
/// not this reseller's, a 403 explanation for a privilege the role lacks, 500 for a
/// failed store. `None` for rule violations, which the form shows.
pub fn refusal(
    visitor: &Visitor,
    admitted: &Admitted<'_>,
    e: &OpError,
    need: Need,
    back: &str,
) -> Option<Response> {
    if is_elsewhere(e) {
        return Some(not_found_for(visitor));
    }
    let message_id = match e {
        OpError::Rules(_) => return None,
        OpError::NotAuthorized | OpError::Forbidden(_) => need.message_id(),
        OpError::ResellerAccessOff => "refused-access-off",
        OpError::Store(err) => {
            tracing::error!(error = %err, "a console order or change");
            return Some(failure(visitor.language));
        }
        other => {
            tracing::error!(error = %other, "a console order or change");
            return Some(failure(visitor.language));
        }
    };
    let chrome = Chrome::new(
        visitor,
        "error-forbidden-title",
        admitted.reach,
        Console::Partner,
    );
    let page = NoticePage {
        message: tr(visitor.language, message_id),
        back_href: chrome.href(back),
        back_id: "order-back",
        chrome,
    };
    Some((StatusCode::FORBIDDEN, page).into_response())
}

pub fn customer_name(c: &Customer) -> String {
    c.postal_address
        .organization_name
        .clone()
        .unwrap_or_else(|| c.domain.clone())
}

/// A plan's value in the forms: the name the API takes.
fn plan_value(plan: PlanName) -> &'static str {
    match plan {
        PlanName::AnnualMonthlyPay => "ANNUAL_MONTHLY_PAY",
        other => other.wire_name(),
    }
}

/// The plans of a select, labelled in the page's language.
pub fn plan_options(language: Language, plans: &[PlanName]) -> Vec<(String, String)> {
    plans
        .iter()
        .map(|p| (plan_value(*p).to_string(), tr(language, plan_id(*p))))
        .collect()
}

/// A count of licences that is not a number (its message is on the field).
#[derive(Debug)]
pub struct NotANumber;

/// A count of licences as typed: empty is no value (the rules say it is required), a
/// number is the value, anything else is refused beside the field without an order.
pub fn parse_seats(language: Language, field: &mut Field) -> Result<Option<i64>, NotANumber> {
    let typed = field.value.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    match typed.parse::<i64>() {
        Ok(n) => Ok(Some(n)),
        Err(_) => {
            field.error = Some(tr(language, "order-seats-number"));
            Err(NotANumber)
        }
    }
}

/// Both seat fields of a request from the one on the form: the rules read the one the
/// plan uses (committed seats on annual plans, the licence cap otherwise).
pub fn seats_input(n: Option<i64>) -> SeatsInput {
    SeatsInput {
        number_of_seats: n,
        maximum_number_of_seats: n,
        licensed_number_of_seats: None,
    }
}

pub struct Card {
    pub name: String,
    pub plans: Vec<&'static str>,
    /// "Replaces Business Standard" for a switch.
    pub replaces: Option<String>,
    /// `order-upgrade`, `order-downgrade`, or `order-select`'s companion: nothing.
    pub switch_id: Option<&'static str>,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "partner_order.html")]
struct CardsPage {
    chrome: Chrome,
    name: String,
    customer_href: String,
    team: bool,
    unverified: bool,
    cards: Vec<Card>,
}

#[derive(Template, WebTemplate)]
#[template(path = "partner_order_form.html")]
struct FormPage {
    chrome: Chrome,
    name: String,
    customer_href: String,
    action: String,
    product: String,
    sku: String,
    from: String,
    kind: String,
    plans: Vec<(String, String)>,
    plan: Field,
    seats: Field,
    po: Field,
    deal: Field,
    problems: Vec<String>,
    /// The summary with Confirm order, rather than the fields.
    review: bool,
    plan_label: String,
    tos_pending: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "partner_order_done.html")]
struct DonePage {
    chrome: Chrome,
    customer_href: String,
    remind_action: String,
    product: String,
    plan_label: String,
    seats: u32,
    subscription_id: String,
    tos_pending: bool,
    reminded: bool,
    remind_refused: bool,
}

#[derive(Deserialize, Default)]
pub struct OrderParams {
    /// The SKU whose form to show.
    sku: Option<String>,
    /// Only switches from this held SKU (the customer page's Upgrade and Downgrade).
    from: Option<String>,
    /// `up` or `down`: only upgrades or only downgrades.
    direction: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OrderForm {
    sku: Option<String>,
    from: Option<String>,
    plan: Option<String>,
    seats: Option<String>,
    po: Option<String>,
    deal: Option<String>,
    /// `review` (Continue), `confirm` (Confirm order), or `edit` (Change the order).
    step: Option<String>,
}

fn kind_of(language: Language, offer_switch: Option<(&str, EventType)>) -> String {
    match offer_switch {
        None => tr(language, "order-kind-buy"),
        Some((from, EventType::SubscriptionUpgrade)) => {
            tr_with(language, "order-kind-upgrade", &[("name", from)])
        }
        Some((from, _)) => tr_with(language, "order-kind-downgrade", &[("name", from)]),
    }
}

fn sku_name(sku_id: &str) -> String {
    catalogue::sku(sku_id)
        .map(|s| s.sku_name.to_string())
        .unwrap_or_else(|| sku_id.to_string())
}

fn order_path(customer_id: &str) -> String {
    format!("/partner/customers/{customer_id}/order")
}

/// `GET /partner/customers/{id}/order`: the cards, or with `?sku=` the form of one.
pub async fn page(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(params): Query<OrderParams>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let back = format!("/partner/customers/{id}");
    let (customer, offers) = match subscriptions::offers(&state.ops, admitted.actor(), &id).await {
        Ok(found) => found,
        Err(e) => {
            return refusal(&visitor, &admitted, &e, Need::Add, &back)
                .unwrap_or_else(|| not_found_for(&visitor));
        }
    };
    let language = visitor.language;
    if let Some(sku_id) = params.sku.as_deref() {
        let Some(offer) = offers.iter().find(|o| o.sku.sku_id == sku_id) else {
            // Not on offer for this customer (any more): the cards say what is.
            return cards(&visitor, &admitted, &customer, &offers, &params);
        };
        let plan = offer
            .plans
            .first()
            .map(|p| plan_value(*p))
            .unwrap_or_default();
        let values = OrderForm {
            sku: Some(sku_id.to_string()),
            from: offer.switch.as_ref().map(|(s, _)| s.sku_id.clone()),
            plan: Some(plan.to_string()),
            ..Default::default()
        };
        let mut form_page = form_page(&visitor, &admitted, &customer, offer.sku, &values);
        form_page.plans = plan_options(language, &offer.plans);
        return form_page.into_response();
    }
    cards(&visitor, &admitted, &customer, &offers, &params)
}

fn cards(
    visitor: &Visitor,
    admitted: &Admitted<'_>,
    customer: &Customer,
    offers: &[Offer],
    params: &OrderParams,
) -> Response {
    let mut chrome = Chrome::new(
        visitor,
        "order-new-service",
        admitted.reach,
        Console::Partner,
    );
    let language = visitor.language;
    let name = customer_name(customer);
    chrome.title = format!("{} · {name}", chrome.title);
    let wanted = |o: &&Offer| match (&params.from, &o.switch) {
        (None, _) => true,
        (Some(from), Some((held, _))) => {
            &held.sku_id == from
                && match params.direction.as_deref() {
                    Some("up") => o.is_upgrade(),
                    Some("down") => !o.is_upgrade(),
                    _ => true,
                }
        }
        (Some(_), None) => false,
    };
    let cards = offers
        .iter()
        .filter(wanted)
        .map(|o| Card {
            name: o.sku.sku_name.to_string(),
            plans: o.plans.iter().map(|p| plan_id(*p)).collect(),
            replaces: o.switch.as_ref().map(|(held, _)| {
                tr_with(
                    language,
                    "order-replaces",
                    &[("name", &sku_name(&held.sku_id))],
                )
            }),
            switch_id: o.switch.as_ref().map(|_| {
                if o.is_upgrade() {
                    "order-upgrade"
                } else {
                    "order-downgrade"
                }
            }),
            href: chrome.href(&format!(
                "{}?{}",
                order_path(&customer.id),
                serde_urlencoded::to_string([("sku", o.sku.sku_id)]).unwrap_or_default()
            )),
        })
        .collect();
    CardsPage {
        customer_href: chrome.href(&format!("/partner/customers/{}", customer.id)),
        name,
        team: customer.customer_type == CustomerType::Team,
        unverified: !customer.domain_verified,
        cards,
        chrome,
    }
    .into_response()
}

fn form_page(
    visitor: &Visitor,
    admitted: &Admitted<'_>,
    customer: &Customer,
    sku: &Sku,
    values: &OrderForm,
) -> FormPage {
    let language = visitor.language;
    let mut chrome = Chrome::new(
        visitor,
        "order-new-service",
        admitted.reach,
        Console::Partner,
    );
    chrome.title = format!("{} · {}", chrome.title, sku.sku_name);
    let from = values.from.clone().filter(|f| !f.is_empty());
    // Upgrade or downgrade as the held edition's rank says (the rules judge it again).
    let switch = from.as_deref().map(|f| {
        let rank = catalogue::sku(f).map(|k| k.rank).unwrap_or_default();
        let event = if sku.rank > rank {
            EventType::SubscriptionUpgrade
        } else {
            EventType::SubscriptionDowngrade
        };
        (sku_name(f), event)
    });
    let plan_value = values.plan.clone().unwrap_or_default();
    let plan_label = PlanName::parse("plan", &plan_value)
        .map(|p| tr(language, plan_id(p)))
        .unwrap_or_default();
    FormPage {
        name: customer_name(customer),
        customer_href: chrome.href(&format!("/partner/customers/{}", customer.id)),
        action: chrome.href(&order_path(&customer.id)),
        product: sku.sku_name.to_string(),
        sku: sku.sku_id.to_string(),
        from: from.unwrap_or_default(),
        kind: kind_of(language, switch.as_ref().map(|(n, e)| (n.as_str(), *e))),
        plans: plan_options(language, &sku.plans),
        plan: Field::new("plan", plan_value),
        seats: Field::new("seats", values.seats.clone().unwrap_or_default()),
        po: Field::new("po", values.po.clone().unwrap_or_default()),
        deal: Field::new("deal", values.deal.clone().unwrap_or_default()),
        problems: vec![],
        review: false,
        plan_label,
        tos_pending: customer.tos_accepted_at.is_none(),
        chrome,
    }
}

/// Where an order's violations are shown.
const PLACEMENTS: [Placement; 4] = [
    Placement::to("plan.planName", "plan"),
    Placement::to("seats.", "seats"),
    Placement::to("purchaseOrderId", "po"),
    Placement::to("dealCode", "deal"),
];

/// An order's refusal that no field shows, in the page's language: a duplicate (the
/// customer holds the SKU or an edition of its family) in words of its own, a rule the
/// customer does not meet with the rule's reason.
fn order_problem(language: Language, violation: &RuleError) -> String {
    match violation.kind {
        RuleErrorKind::Duplicate => tr(language, "order-refused-duplicate"),
        RuleErrorKind::ConditionNotMet | RuleErrorKind::BadRequest => format!(
            "{} {}",
            tr(language, "sub-refused"),
            tr_with(
                language,
                "sub-refused-reason",
                &[("detail", violation.message.as_str())]
            )
        ),
        _ => form::message(language, violation, None),
    }
}

/// `POST /partner/customers/{id}/order`: Continue (the summary), Change the order (the
/// fields again), or Confirm order (the order, then the result page).
pub async fn submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(values): Form<OrderForm>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let back = format!("/partner/customers/{id}");
    let actor = admitted.actor();
    let language = visitor.language;
    // The customer as the reseller may see it (a 404 for anyone else's), and its
    // privilege to order checked before any input is judged.
    let (customer, _offers) = match subscriptions::offers(&state.ops, actor, &id).await {
        Ok(found) => found,
        Err(e) => {
            return refusal(&visitor, &admitted, &e, Need::Add, &back)
                .unwrap_or_else(|| not_found_for(&visitor));
        }
    };
    let Some(sku) = values.sku.as_deref().and_then(catalogue::sku) else {
        return not_found_for(&visitor);
    };
    let mut page = form_page(&visitor, &admitted, &customer, sku, &values);
    let step = values.step.as_deref().unwrap_or("review");
    if step == "edit" {
        return page.into_response();
    }
    let Ok(seats) = parse_seats(language, &mut page.seats) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
    };
    let order = Order {
        sku_id: Some(sku.sku_id.to_string()),
        plan_name: values.plan.clone(),
        seats: Some(seats_input(seats)),
        renewal_type: None,
        purchase_order_id: values.po.clone(),
        deal_code: values.deal.clone(),
    };
    let from = (!page.from.is_empty()).then_some(page.from.as_str());
    // A switch names what it replaces, so a confirmation never turns into something
    // else when the customer's holdings changed meanwhile: the rules refuse instead.
    let how = Ordering {
        action: Some(if from.is_some() { "switch" } else { "buy" }),
        source_sku_id: from,
        customer_auth_token: None,
    };
    let result = if step == "confirm" {
        subscriptions::insert(&state.ops, actor, &customer.id, order, how)
            .await
            .map(|(s, _)| s)
    } else {
        subscriptions::preview(&state.ops, actor, &customer.id, order, how).await
    };
    match result {
        Ok(sub) if step == "confirm" => {
            let target = format!(
                "{}/done?{}",
                order_path(&customer.id),
                serde_urlencoded::to_string([("subscription", sub.id.as_str())])
                    .unwrap_or_default()
            );
            Redirect::to(&page.chrome.href(&target)).into_response()
        }
        Ok(_) => {
            page.review = true;
            page.into_response()
        }
        Err(e) => {
            if let Some(answer) = refusal(&visitor, &admitted, &e, Need::Add, &back) {
                return answer;
            }
            // One violation at a time, so that those no field shows get the order's
            // own words rather than the generic ones.
            let mut problems = vec![];
            for violation in e.violations() {
                let placed = form::place(
                    language,
                    &mut [
                        &mut page.plan,
                        &mut page.seats,
                        &mut page.po,
                        &mut page.deal,
                    ],
                    std::slice::from_ref(violation),
                    &PLACEMENTS,
                );
                if !placed.is_empty() {
                    problems.push(order_problem(language, violation));
                }
            }
            page.problems = problems;
            (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
    }
}

#[derive(Deserialize, Default)]
pub struct DoneParams {
    subscription: Option<String>,
    reminded: Option<String>,
}

/// `GET /partner/customers/{id}/order/done?subscription=`: what was ordered, and while
/// the customer has not accepted the Terms of Service, the offer of a reminder.
pub async fn done(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(params): Query<DoneParams>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let back = format!("/partner/customers/{id}");
    let actor = admitted.actor();
    let Some(sid) = params.subscription.as_deref() else {
        return not_found_for(&visitor);
    };
    let sub: Subscription = match subscriptions::get(&state.ops, actor, &id, sid).await {
        Ok((s, _)) => s,
        Err(e) => {
            return refusal(&visitor, &admitted, &e, Need::View, &back)
                .unwrap_or_else(|| not_found_for(&visitor));
        }
    };
    let chrome = Chrome::new(
        &visitor,
        "order-done-title",
        admitted.reach,
        Console::Partner,
    );
    let language = visitor.language;
    DonePage {
        customer_href: chrome.href(&format!("/partner/customers/{}", sub.customer_id)),
        remind_action: chrome.href(&format!("/partner/customers/{}/remind", sub.customer_id)),
        product: sku_name(&sub.sku_id),
        plan_label: tr(language, plan_id(sub.plan)),
        seats: sub.seats,
        tos_pending: sub
            .suspension_reasons
            .contains(&SuspensionReason::PendingTosAcceptance),
        reminded: params.reminded.as_deref() == Some("sent"),
        remind_refused: params.reminded.as_deref() == Some("refused"),
        subscription_id: sub.id,
        chrome,
    }
    .into_response()
}

#[derive(Deserialize, Default)]
pub struct RemindForm {
    /// The subscription whose result page sent it, to come back to; else the customer page.
    subscription: Option<String>,
}

/// `POST /partner/customers/{id}/remind`: queues the Terms of Service reminder
/// (`customers::remind_terms`), then back to the page that offered it.
pub async fn remind(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(values): Form<RemindForm>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let back = format!("/partner/customers/{id}");
    let result = partnerd_app::customers::remind_terms(&state.ops, admitted.actor(), &id).await;
    let outcome = match &result {
        Ok(_) => "sent",
        Err(e) => {
            if let Some(answer) = refusal(&visitor, &admitted, e, Need::View, &back) {
                return answer;
            }
            "refused"
        }
    };
    // The customer's own id, not the path's spelling (a domain would do too).
    let customer_id = match partnerd_app::customers::get(&state.ops, admitted.actor(), &id).await {
        Ok((c, Visibility::Full)) => c.id,
        _ => return not_found_for(&visitor),
    };
    let target = match values.subscription.filter(|s| !s.is_empty()) {
        Some(sid) => format!(
            "{}/done?{}",
            order_path(&customer_id),
            serde_urlencoded::to_string([("subscription", sid.as_str()), ("reminded", outcome)])
                .unwrap_or_default()
        ),
        None => format!(
            "/partner/customers/{customer_id}?{}",
            serde_urlencoded::to_string([(
                "done",
                if outcome == "sent" {
                    "remind"
                } else {
                    "unsent"
                }
            )])
            .unwrap_or_default()
        ),
    };
    let href = crate::web::visitor::with_authuser(&target, visitor.index);
    Redirect::to(&href).into_response()
}
