//! A customer's page in the Partner Sales Console (`/partner/customers/{id}`): its record
//! and badges, its subscriptions, and its order history from the event log, newest first.
//! Read through the same operations as the API (`customers::history`, the subscription
//! listing), so a customer of another reseller is not found, whatever the URL says.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use partnerd_app::OpError;
use partnerd_domain::catalogue;
use partnerd_domain::customer::{Customer, CustomerType};
use partnerd_domain::event::Event;
use partnerd_domain::plan::{PlanName, SuspensionReason};
use partnerd_domain::subscription::Subscription;
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::gate;
use crate::web::pages::{failure, not_found_for};
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
}

pub struct HistoryRow {
    pub at: i64,
    pub who: String,
    pub action: String,
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
}

#[derive(Deserialize)]
pub struct HistoryParams {
    before: Option<i64>,
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

fn reason_id(reason: SuspensionReason) -> &'static str {
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

fn subscription_row(s: &Subscription) -> SubscriptionRow {
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
    }
}

fn seats_of(state: Option<&serde_json::Value>) -> Option<i64> {
    state?.get("seats")?.as_i64()
}

/// "50, added 12": the quantity after a change, with the change.
fn seats_change(e: &Event) -> String {
    let after = seats_of(e.event.after.as_ref());
    let before = seats_of(e.event.before.as_ref());
    match (before, after) {
        (Some(b), Some(a)) if a > b => format!("{a} (+{})", a - b),
        (Some(b), Some(a)) if a < b => format!("{a} (−{})", b - a),
        (_, Some(a)) => a.to_string(),
        _ => String::new(),
    }
}

fn history_row(e: &Event) -> HistoryRow {
    let state = e.event.after.as_ref().or(e.event.before.as_ref());
    let product = state
        .and_then(|s| s.get("skuId"))
        .or_else(|| state.and_then(|s| s.get("sku_id")))
        .and_then(|v| v.as_str())
        .map(product_name)
        .unwrap_or_default();
    HistoryRow {
        at: e.event.at,
        who: e.event.actor.clone(),
        action: e.event.action.clone(),
        product,
        seats: seats_change(e),
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
    let found =
        partnerd_app::customers::history(&state.ops, actor, &id, params.before, HISTORY_PAGE + 1)
            .await;
    let (customer, mut events) = match found {
        Ok(found) => found,
        Err(OpError::Store(e)) => {
            tracing::error!(error = %e, "reading a customer's page");
            return failure(visitor.language);
        }
        // Not this reseller's customer, or none: the same page either way.
        Err(_) => return not_found_for(&visitor),
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
            return failure(visitor.language);
        }
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
            .map(|(_, s, _)| subscription_row(s))
            .collect(),
        history: events.iter().map(history_row).collect(),
        older,
        customer,
        chrome,
    };
    (StatusCode::OK, page).into_response()
}
