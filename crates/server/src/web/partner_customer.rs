//! A customer's page in the Partner Sales Console (`/partner/customers/{id}`): its record
//! and badges, Quick links, its subscriptions with the actions their state and the
//! user's privileges allow, and its order history from the event log, newest first.
//! Read through the same operations as the API (`customers::history`, the subscription
//! listing), so a customer of another reseller is not found, whatever the URL says.
//!
//! Each subscription action (`/partner/customers/{id}/subscriptions/{sid}/{action}`) is a
//! confirmation page (GET) and its form (POST), which calls the API's own operation
//! (`subscriptions::change` or `delete`) and goes back to this page with a status line;
//! a refusal is said in words on the confirmation page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use partnerd_app::OpError;
use partnerd_app::subscriptions::{self, Allowed, Edit};
use partnerd_domain::catalogue;
use partnerd_domain::customer::{Customer, CustomerType, Visibility};
use partnerd_domain::event::Event;
use partnerd_domain::plan::{PlanName, RenewalType, SuspensionReason};
use partnerd_domain::subscription::{self, Offer, PlanChange, Subscription};
use partnerd_domain::{RuleError, RuleErrorKind};
use partnerd_i18n::{Language, format, tr, tr_with};
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::form::{self, Field, Placement};
use crate::web::gate::{self, Admitted};
use crate::web::pages::{failure, not_found_for};
use crate::web::partner_order::{
    Need, NoticePage, parse_seats, plan_options, refusal, seats_input,
};
use crate::web::visitor::Visitor;

/// Order-history entries per page.
pub const HISTORY_PAGE: u32 = 20;

pub struct SubscriptionRow {
    pub product: String,
    pub plan_id: &'static str,
    pub seats: String,
    pub status_id: &'static str,
    pub reasons: Vec<&'static str>,
    pub renews_at: Option<i64>,
    /// The plan chosen for after a trial.
    pub after_trial: Option<&'static str>,
    pub actions: Vec<ActionLink>,
}

/// An action offered on a subscription: its confirmation page.
pub struct ActionLink {
    pub href: String,
    pub label_id: &'static str,
}

pub struct HistoryRow {
    pub at: i64,
    pub who: String,
    pub action_id: &'static str,
    pub product: String,
    pub seats: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "partner_customer.html")]
struct CustomerPage {
    chrome: Chrome,
    name: String,
    customer: Customer,
    team: bool,
    tos_pending: bool,
    subscriptions: Vec<SubscriptionRow>,
    history: Vec<HistoryRow>,
    older: Option<String>,
    /// What the last action did (the status line after its redirect).
    done_id: Option<&'static str>,
    /// The customer information form, for those who may edit (Edit Customers).
    edit_href: Option<String>,
    /// New service, when the user may order.
    order_href: Option<String>,
    /// Quick links > Admin console, while reseller access is on and the user may use it.
    admin_console_href: Option<String>,
    remind_action: String,
}

#[derive(Deserialize)]
pub struct HistoryParams {
    before: Option<i64>,
    done: Option<String>,
}

/// The status line of `?done=`: only the actions' own outcomes, never the URL's words.
fn done_id(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "seats" => "done-seats",
        "plan" => "done-plan",
        "renewal" => "done-renewal",
        "start" => "done-start",
        "suspend" => "done-suspend",
        "activate" => "done-activate",
        "cancel" => "done-cancel",
        "transfer" => "done-transfer",
        "remind" => "customer-remind-done",
        "unsent" => "order-remind-refused",
        "info" => "customer-edit-saved",
        _ => return None,
    })
}

pub fn plan_id(plan: PlanName) -> &'static str {
    match plan {
        PlanName::AnnualMonthlyPay => "plan-annual-monthly",
        PlanName::AnnualYearlyPay => "plan-annual-yearly",
        PlanName::Flexible => "plan-flexible",
        PlanName::Trial => "plan-trial",
        PlanName::Free => "plan-free",
    }
}

pub fn reason_id(reason: SuspensionReason) -> &'static str {
    match reason {
        SuspensionReason::PendingTosAcceptance => "reason-pending-tos",
        SuspensionReason::RenewalWithTypeCancel => "reason-renewal-cancel",
        SuspensionReason::ResellerInitiated => "reason-reseller",
        SuspensionReason::TrialEnded => "reason-trial-ended",
        SuspensionReason::Other => "reason-other",
    }
}

fn product_name(sku_id: &str) -> String {
    catalogue::sku(sku_id)
        .map(|s| s.sku_name.to_string())
        .unwrap_or_else(|| sku_id.to_string())
}

fn subscription_row(
    s: &Subscription,
    allowed: &Allowed,
    offers: &[Offer],
    chrome: &Chrome,
) -> SubscriptionRow {
    let link = |action: SubAction| ActionLink {
        href: chrome.href(&format!(
            "/partner/customers/{}/subscriptions/{}/{}",
            s.customer_id,
            s.id,
            action.segment()
        )),
        label_id: action.label_id(s),
    };
    let mut actions: Vec<ActionLink> = SubAction::ALL
        .into_iter()
        .filter(|a| a.offered(s, allowed))
        .map(link)
        .collect();
    // Upgrade and Downgrade are switch orders: the order page's cards of the editions
    // this one may switch to (from the same rules as the order).
    let switches = |up: bool| {
        offers.iter().any(|o| {
            o.switch.as_ref().is_some_and(|(from, _)| from.id == s.id) && o.is_upgrade() == up
        })
    };
    for (up, label_id, direction) in [
        (true, "order-upgrade", "up"),
        (false, "order-downgrade", "down"),
    ] {
        if s.is_live() && switches(up) {
            let query = serde_urlencoded::to_string([
                ("from", s.sku_id.as_str()),
                ("direction", direction),
            ])
            .unwrap_or_default();
            actions.push(ActionLink {
                href: chrome.href(&format!(
                    "/partner/customers/{}/order?{query}",
                    s.customer_id
                )),
                label_id,
            });
        }
    }
    SubscriptionRow {
        product: product_name(&s.sku_id),
        plan_id: plan_id(s.plan),
        seats: if s.licensed_seats > 0 {
            format!("{} / {}", s.licensed_seats, s.seats)
        } else {
            s.seats.to_string()
        },
        status_id: if s.cancelled.is_some() {
            "status-cancelled"
        } else if s.suspension_reasons.is_empty() {
            "status-active"
        } else {
            "status-suspended"
        },
        reasons: s.suspension_reasons.iter().map(|r| reason_id(*r)).collect(),
        renews_at: s.commitment.map(|(_, end)| end),
        after_trial: s
            .pending_plan
            .filter(|_| s.in_trial)
            .map(|p| plan_id(p.plan)),
        actions,
    }
}

fn seats_of(state: Option<&serde_json::Value>) -> Option<i64> {
    state?.get("seats")?.as_i64()
}

/// "50, added 12": the quantity after a change, with the change, in the page's language.
fn seats_change(e: &Event, language: Language) -> String {
    let after = seats_of(e.event.after.as_ref());
    let before = seats_of(e.event.before.as_ref());
    let n = |v: i64| format::number(language, v);
    match (before, after) {
        (Some(b), Some(a)) if a > b => tr_with(
            language,
            "hist-seats-added",
            &[("count", &n(a)), ("change", &n(a - b))],
        ),
        (Some(b), Some(a)) if a < b => tr_with(
            language,
            "hist-seats-removed",
            &[("count", &n(a)), ("change", &n(b - a))],
        ),
        (_, Some(a)) => n(a),
        _ => String::new(),
    }
}

/// The words for an event's action; an action without its own words is "Other change".
fn action_id(action: &str) -> &'static str {
    match action {
        "customer.insert" => "hist-customer-insert",
        "customer.patch" | "customer.update" => "hist-customer-change",
        "customer.transferIn" => "hist-customer-transfer-in",
        "customer.transferToDirect" => "hist-customer-transfer-to-direct",
        "customer.acceptTos" => "hist-customer-accept-tos",
        "customer.verifyDomain" => "hist-customer-verify-domain",
        "customer.setResellerAccess" => "hist-customer-reseller-access",
        "customer.autoLicensing" => "hist-customer-auto-licensing",
        "customer.directoryUpdate" => "hist-customer-settings",
        "customer.transferToken" => "hist-customer-transfer-token",
        "customer.remindTerms" => "hist-customer-remind",
        "subscription.insert" => "hist-sub-insert",
        "subscription.switchedFrom" => "hist-sub-switched",
        "subscription.changeSeats" => "hist-sub-seats",
        "subscription.changePlan" => "hist-sub-plan",
        "subscription.changeRenewalSettings" => "hist-sub-renewal",
        "subscription.startPaidService" => "hist-sub-start",
        "subscription.suspend" => "hist-sub-suspend",
        "subscription.activate" => "hist-sub-activate",
        "subscription.delete" => "hist-sub-delete",
        "subscription.tosAccepted" => "hist-sub-tos",
        "subscription.licensedSeats" => "hist-sub-licensed",
        "subscription.transferIn" => "hist-sub-transfer-in",
        "subscription.transferOut" => "hist-sub-transfer-out",
        "subscription.transition" => "hist-sub-transition",
        _ => "hist-other",
    }
}

/// Who made a change, as the console's history says it (spec A7): the reseller's user
/// by name, the customer (one of its own users, or its acceptance of the Terms), an
/// automated job (the platform's clock), or a Google representative (the control API's
/// operator stands in for Google).
fn who(actor: &str, action: &str, customer: &Customer, language: Language) -> String {
    // Only the customer's super admins accept its Terms of Service, whoever recorded it
    // (the control API's operator stands in for them in tests).
    if matches!(action, "customer.acceptTos" | "subscription.tosAccepted") {
        return tr(language, "who-customer");
    }
    let of_customer = actor.rsplit_once('@').is_some_and(|(_, domain)| {
        let domain = domain.to_ascii_lowercase();
        domain == customer.domain || domain.ends_with(&format!(".{}", customer.domain))
    });
    match actor {
        "system" => tr(language, "who-system"),
        "operator" => tr(language, "who-google"),
        _ if of_customer => tr(language, "who-customer"),
        _ => actor.to_string(),
    }
}

fn history_row(e: &Event, customer: &Customer, language: Language) -> HistoryRow {
    let state = e.event.after.as_ref().or(e.event.before.as_ref());
    let product = state
        .and_then(|s| s.get("skuId"))
        .or_else(|| state.and_then(|s| s.get("sku_id")))
        .and_then(|v| v.as_str())
        .map(product_name)
        .unwrap_or_default();
    HistoryRow {
        at: e.event.at,
        who: who(&e.event.actor, &e.event.action, customer, language),
        action_id: action_id(&e.event.action),
        product,
        seats: seats_change(e, language),
    }
}

pub async fn page(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(params): Query<HistoryParams>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let (current, reach) = (admitted.current, admitted.reach);
    let actor = &current.actor;
    let language = visitor.language;
    let found =
        partnerd_app::customers::history(&state.ops, actor, &id, params.before, HISTORY_PAGE + 1)
            .await;
    let (customer, mut events) = match found {
        Ok(found) => found,
        Err(e) => {
            // Not this reseller's customer, or none: the same page either way.
            return refusal(&visitor, &admitted, &e, Need::View, "/partner")
                .unwrap_or_else(|| not_found_for(&visitor));
        }
    };
    let listing = match partnerd_app::subscriptions::listing(&state.ops, actor).await {
        Ok(l) => l,
        Err(_) => return not_found_for(&visitor),
    };
    let subscriptions = match listing.filter(Some(&customer.id), None).await {
        Ok(filter) => listing.page(&filter, 0, 200).await,
        Err(e) => Err(e),
    };
    let subscriptions = match subscriptions {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = %e, "reading a customer's subscriptions");
            return failure(language);
        }
    };
    let allowed = match subscriptions::allowed(&state.ops, actor).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "reading a user's privileges");
            return failure(language);
        }
    };
    // The switches on offer, from the same rules as the order page (only for users who
    // may order: the offers need that privilege).
    let offers = if allowed.add {
        match subscriptions::offers(&state.ops, actor, &customer.id).await {
            Ok((_, offers)) => offers,
            Err(_) => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let more = events.len() > HISTORY_PAGE as usize;
    events.truncate(HISTORY_PAGE as usize);
    let mut chrome = Chrome::new(&visitor, "customer-title", reach, Console::Partner);
    let name = customer
        .postal_address
        .organization_name
        .clone()
        .unwrap_or_else(|| customer.domain.clone());
    chrome.title = name.clone();
    let older = more.then(|| events.last()).flatten().map(|last| {
        chrome.href(&format!(
            "/partner/customers/{}?before={}",
            customer.id, last.id
        ))
    });
    let page = CustomerPage {
        name,
        team: customer.customer_type == CustomerType::Team,
        tos_pending: customer.tos_accepted_at.is_none(),
        subscriptions: subscriptions
            .iter()
            .map(|(_, s, _)| subscription_row(s, &allowed, &offers, &chrome))
            .collect(),
        history: events
            .iter()
            .map(|e| history_row(e, &customer, language))
            .collect(),
        older,
        done_id: done_id(params.done.as_deref()),
        edit_href: allowed
            .edit
            .then(|| chrome.href(&format!("/partner/customers/{}/edit", customer.id))),
        order_href: allowed
            .add
            .then(|| chrome.href(&format!("/partner/customers/{}/order", customer.id))),
        admin_console_href: (allowed.admin_console && customer.reseller_access)
            .then(|| chrome.href(&format!("/admin/customers/{}", customer.id))),
        remind_action: chrome.href(&format!("/partner/customers/{}/remind", customer.id)),
        customer,
        chrome,
    };
    (StatusCode::OK, page).into_response()
}

/// The actions of one subscription, each a confirmation page and its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubAction {
    Seats,
    Plan,
    Renewal,
    Start,
    Suspend,
    Activate,
    Cancel,
    Transfer,
}

impl SubAction {
    pub const ALL: [SubAction; 8] = [
        SubAction::Seats,
        SubAction::Plan,
        SubAction::Renewal,
        SubAction::Start,
        SubAction::Suspend,
        SubAction::Activate,
        SubAction::Cancel,
        SubAction::Transfer,
    ];

    /// Its path segment (and the customer page's `?done=`).
    pub fn segment(self) -> &'static str {
        match self {
            SubAction::Seats => "seats",
            SubAction::Plan => "plan",
            SubAction::Renewal => "renewal",
            SubAction::Start => "start",
            SubAction::Suspend => "suspend",
            SubAction::Activate => "activate",
            SubAction::Cancel => "cancel",
            SubAction::Transfer => "transfer",
        }
    }

    fn parse(segment: &str) -> Option<SubAction> {
        SubAction::ALL.into_iter().find(|a| a.segment() == segment)
    }

    /// Its name, after Google's help pages: licences of an annual plan are committed
    /// seats, of the others a licence cap.
    pub fn label_id(self, s: &Subscription) -> &'static str {
        match self {
            SubAction::Seats if s.plan.is_annual() => "sub-change-seats",
            SubAction::Seats => "sub-change-cap",
            SubAction::Plan => "sub-change-plan",
            SubAction::Renewal => "sub-renewal",
            SubAction::Start => "sub-start-paid",
            SubAction::Suspend => "sub-suspend",
            SubAction::Activate => "sub-activate",
            SubAction::Cancel => "sub-cancel",
            SubAction::Transfer => "sub-transfer",
        }
    }

    /// The privilege it needs.
    fn need(self) -> Need {
        match self {
            SubAction::Transfer => Need::Transfer,
            _ => Need::Edit,
        }
    }

    /// Whether the user's privileges let it send this action, whatever the subscription.
    fn permitted(self, allowed: &Allowed) -> bool {
        match self.need() {
            Need::Transfer => allowed.transfer,
            _ => allowed.edit,
        }
    }

    /// Whether the customer page offers it: what the subscription's state allows (the
    /// domain's own rules where one answers it without input) and the user's
    /// privileges allow. The operation judges again when it is sent.
    pub fn offered(self, s: &Subscription, allowed: &Allowed) -> bool {
        if !s.is_live() {
            return false;
        }
        let permitted = self.permitted(allowed);
        let trial_ended_only = s.suspension_reasons == [SuspensionReason::TrialEnded];
        permitted
            && match self {
                SubAction::Seats => !s.is_suspended() && s.plan != PlanName::Free,
                SubAction::Plan => {
                    matches!(s.plan, PlanName::Trial | PlanName::Flexible)
                        && (!s.is_suspended() || trial_ended_only)
                }
                SubAction::Renewal => s.plan.is_annual(),
                SubAction::Start => s.start_paid_service(0).is_ok(),
                SubAction::Suspend => s.suspend().is_ok_and(|o| o.next != *s),
                SubAction::Activate => s.activate(0).is_ok(),
                SubAction::Cancel => subscription::deletion(s, Some("cancel"), true).is_ok(),
                SubAction::Transfer => {
                    subscription::deletion(s, Some("transfer_to_direct"), true).is_ok()
                }
            }
    }

    fn explain_id(self, s: &Subscription) -> Option<&'static str> {
        Some(match self {
            SubAction::Seats if s.plan.is_annual() => "sub-seats-annual",
            SubAction::Seats => "sub-seats-cap",
            SubAction::Plan => "sub-plan-explain",
            SubAction::Renewal => return None,
            SubAction::Start => "sub-start-explain",
            SubAction::Suspend => "sub-suspend-explain",
            SubAction::Activate => "sub-activate-explain",
            SubAction::Cancel => "sub-cancel-explain",
            SubAction::Transfer => "sub-transfer-explain",
        })
    }

    /// The words for a refusal no field shows.
    fn refused_id(self, violation: &RuleError) -> &'static str {
        if violation.kind == RuleErrorKind::BadRequest {
            return "sub-refused-suspended";
        }
        match self {
            SubAction::Seats => "sub-refused-seats",
            SubAction::Plan => "sub-refused-plan",
            SubAction::Renewal => "sub-refused-renewal",
            SubAction::Start => "sub-refused-start",
            SubAction::Suspend => "sub-refused-suspend",
            SubAction::Activate => "sub-refused-activate",
            SubAction::Cancel => "sub-refused-cancel",
            SubAction::Transfer => "sub-refused-transfer",
        }
    }
}

/// The renewal types a reseller picks from (Google's proposals are not the reseller's
/// to choose).
const RENEWALS: [(RenewalType, &str); 6] = [
    (RenewalType::AutoRenewMonthlyPay, "renewal-auto-monthly"),
    (RenewalType::AutoRenewYearlyPay, "renewal-auto-yearly"),
    (
        RenewalType::RenewCurrentUsersMonthlyPay,
        "renewal-current-monthly",
    ),
    (
        RenewalType::RenewCurrentUsersYearlyPay,
        "renewal-current-yearly",
    ),
    (RenewalType::SwitchToPayAsYouGo, "renewal-flexible"),
    (RenewalType::Cancel, "renewal-cancel"),
];

#[derive(Template, WebTemplate)]
#[template(path = "partner_subscription_action.html")]
struct ActionPage {
    chrome: Chrome,
    customer_href: String,
    form_action: String,
    heading_id: &'static str,
    explain: Option<String>,
    product: String,
    plan_id: &'static str,
    seats_now: u32,
    status_id: &'static str,
    /// Which fields the form has.
    with_seats: bool,
    with_plan: bool,
    with_renewal: bool,
    seats: Field,
    plan: Field,
    plans: Vec<(String, String)>,
    renewal: Field,
    renewals: Vec<(String, String)>,
    po: Field,
    deal: Field,
    problems: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    seats: Option<String>,
    plan: Option<String>,
    renewal: Option<String>,
    po: Option<String>,
    deal: Option<String>,
}

fn action_page(
    visitor: &Visitor,
    admitted: &Admitted<'_>,
    s: &Subscription,
    action: SubAction,
    values: &ActionForm,
) -> ActionPage {
    let language = visitor.language;
    let heading_id = match action {
        SubAction::Transfer => "sub-transfer-title",
        other => other.label_id(s),
    };
    let mut chrome = Chrome::new(visitor, heading_id, admitted.reach, Console::Partner);
    let product = product_name(&s.sku_id);
    chrome.title = format!("{} · {product}", chrome.title);
    let paid: Vec<PlanName> = s
        .sku()
        .map(|k| {
            k.plans
                .iter()
                .copied()
                .filter(|p| p.is_paid() && *p != s.plan)
                .collect()
        })
        .unwrap_or_default();
    let first_plan = paid
        .first()
        .map(|p| plan_options(language, &[*p])[0].0.clone());
    let current_renewal = s
        .renewal_type
        .or(s.plan.default_renewal())
        .map(|r| r.as_str().to_string());
    ActionPage {
        customer_href: chrome.href(&format!("/partner/customers/{}", s.customer_id)),
        form_action: chrome.href(&format!(
            "/partner/customers/{}/subscriptions/{}/{}",
            s.customer_id,
            s.id,
            action.segment()
        )),
        heading_id,
        explain: action
            .explain_id(s)
            .map(|id| tr_with(language, id, &[("name", &product)])),
        plan_id: plan_id(s.plan),
        seats_now: s.seats,
        status_id: if s.is_suspended() {
            "status-suspended"
        } else {
            "status-active"
        },
        with_seats: matches!(action, SubAction::Seats | SubAction::Plan),
        with_plan: action == SubAction::Plan,
        with_renewal: action == SubAction::Renewal,
        seats: Field::new(
            "seats",
            values.seats.clone().unwrap_or_else(|| s.seats.to_string()),
        ),
        plan: Field::new(
            "plan",
            values.plan.clone().or(first_plan).unwrap_or_default(),
        ),
        plans: plan_options(language, &paid),
        renewal: Field::new(
            "renewal",
            values
                .renewal
                .clone()
                .or(current_renewal)
                .unwrap_or_default(),
        ),
        renewals: RENEWALS
            .iter()
            .map(|(r, id)| (r.as_str().to_string(), tr(language, id)))
            .collect(),
        po: Field::new("po", values.po.clone().unwrap_or_default()),
        deal: Field::new("deal", values.deal.clone().unwrap_or_default()),
        problems: vec![],
        product,
        chrome,
    }
}

/// Where a change's violations are shown.
const ACTION_PLACEMENTS: [Placement; 6] = [
    Placement::to("seats.", "seats"),
    Placement::to("planName", "plan"),
    Placement::to("renewalType", "renewal"),
    Placement::to("renewalSettings.", "renewal"),
    Placement::to("purchaseOrderId", "po"),
    Placement::to("dealCode", "deal"),
];

/// `GET /partner/customers/{id}/subscriptions/{sid}/{action}`: what the action will do,
/// with its form.
pub async fn action_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, sid, segment)): Path<(String, String, String)>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let Some(action) = SubAction::parse(&segment) else {
        return not_found_for(&visitor);
    };
    let back = format!("/partner/customers/{id}");
    let actor = admitted.actor();
    let sub = match subscriptions::get(&state.ops, actor, &id, &sid).await {
        Ok((s, _)) => s,
        Err(e) => {
            return refusal(&visitor, &admitted, &e, Need::View, &back)
                .unwrap_or_else(|| not_found_for(&visitor));
        }
    };
    // A form the user could not send is not shown either: the same words as a refused
    // send (which the operation would answer).
    let permitted = match subscriptions::allowed(&state.ops, actor).await {
        Ok(allowed) => action.permitted(&allowed),
        Err(e) => {
            return refusal(&visitor, &admitted, &e, Need::View, &back)
                .unwrap_or_else(|| not_found_for(&visitor));
        }
    };
    if !permitted {
        return refusal(
            &visitor,
            &admitted,
            &OpError::NotAuthorized,
            action.need(),
            &back,
        )
        .unwrap_or_else(|| not_found_for(&visitor));
    }
    action_page(&visitor, &admitted, &sub, action, &ActionForm::default()).into_response()
}

/// `POST /partner/customers/{id}/subscriptions/{sid}/{action}`: the API's operation,
/// then back to the customer page with a status line, or the confirmation page again
/// with the refusal in words.
pub async fn action_submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, sid, segment)): Path<(String, String, String)>,
    Form(values): Form<ActionForm>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let Some(action) = SubAction::parse(&segment) else {
        return not_found_for(&visitor);
    };
    let back = format!("/partner/customers/{id}");
    let actor = admitted.actor();
    let language = visitor.language;
    let sub = match subscriptions::get(&state.ops, actor, &id, &sid).await {
        Ok((s, _)) => s,
        Err(e) => {
            return refusal(&visitor, &admitted, &e, Need::View, &back)
                .unwrap_or_else(|| not_found_for(&visitor));
        }
    };
    let mut page = action_page(&visitor, &admitted, &sub, action, &values);
    let seats = if page.with_seats {
        match parse_seats(language, &mut page.seats) {
            Ok(n) => Some(seats_input(n)),
            Err(_) => return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
        }
    } else {
        None
    };
    let ops = &state.ops;
    let customer_key = sub.customer_id.as_str();
    let result = match action {
        SubAction::Cancel => {
            subscriptions::delete(ops, actor, customer_key, &sub.id, Some("cancel")).await
        }
        SubAction::Transfer => {
            subscriptions::delete(
                ops,
                actor,
                customer_key,
                &sub.id,
                Some("transfer_to_direct"),
            )
            .await
        }
        other => {
            let edit = match other {
                SubAction::Seats => Edit::Seats(seats.unwrap_or_default()),
                SubAction::Plan => Edit::Plan(PlanChange {
                    plan_name: values.plan.clone(),
                    seats,
                    purchase_order_id: values.po.clone(),
                    deal_code: values.deal.clone(),
                }),
                SubAction::Renewal => Edit::Renewal(values.renewal.clone()),
                SubAction::Start => Edit::StartPaidService,
                SubAction::Suspend => Edit::Suspend,
                _ => Edit::Activate,
            };
            subscriptions::change(ops, actor, customer_key, &sub.id, edit)
                .await
                .map(|_| ())
        }
    };
    match result {
        Ok(()) => {
            let done =
                serde_urlencoded::to_string([("done", action.segment())]).unwrap_or_default();
            // After the last resold subscription moved to Google the customer is no
            // longer this reseller's: its page would be a 404, so the list is next.
            let still_mine = matches!(
                partnerd_app::customers::get(ops, actor, customer_key).await,
                Ok((_, Visibility::Full))
            );
            if still_mine {
                let target = format!("/partner/customers/{}?{done}", sub.customer_id);
                return Redirect::to(&page.chrome.href(&target)).into_response();
            }
            let notice = NoticePage {
                message: tr(language, "done-transfer"),
                back_href: page.chrome.href("/partner"),
                back_id: "customers-back",
                chrome: Chrome::new(
                    &visitor,
                    "sub-transfer-title",
                    admitted.reach,
                    Console::Partner,
                ),
            };
            notice.into_response()
        }
        Err(e) => {
            if let Some(answer) = refusal(&visitor, &admitted, &e, action.need(), &back) {
                return answer;
            }
            let mut problems = vec![];
            for violation in e.violations() {
                let unplaced = form::place(
                    language,
                    &mut [
                        &mut page.seats,
                        &mut page.plan,
                        &mut page.renewal,
                        &mut page.po,
                        &mut page.deal,
                    ],
                    std::slice::from_ref(violation),
                    &ACTION_PLACEMENTS,
                );
                if !unplaced.is_empty() {
                    problems.push(format!(
                        "{} {}",
                        tr(language, action.refused_id(violation)),
                        tr_with(
                            language,
                            "sub-refused-reason",
                            &[("detail", violation.message.as_str())]
                        )
                    ));
                }
            }
            page.problems = problems;
            (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
    }
}
