//! The Partner Sales Console's customers list (`/partner`): searched by name or domain
//! prefix, filtered by customer type, sorted, and paged with keyset cursors through the
//! same `customers::list` operation (and privilege) as the API's reads.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use partnerd_app::OpError;
use partnerd_domain::catalogue;
use partnerd_domain::customer::{Customer, CustomerType};
use partnerd_domain::plan::{PlanName, SuspensionReason};
use partnerd_domain::subscription::Subscription;
use partnerd_i18n::{Language, tr, tr_with};
use partnerd_store::{CustomerCursor, CustomerOrder, CustomerQuery, HeldStatus, HoldingFilter};
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::form::Field;
use crate::web::gate;
use crate::web::pages::{self, failure, refused_console};
use crate::web::visitor::{Visitor, with_authuser};

/// Customers per page.
pub const PAGE_SIZE: u32 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    q: Option<String>,
    #[serde(rename = "type")]
    customer_type: Option<String>,
    sort: Option<String>,
    /// Subscription status: `active`, `suspended`, or `none` (no subscription yet).
    status: Option<String>,
    sku: Option<String>,
    plan: Option<String>,
    reason: Option<String>,
    /// Renewal date range, `YYYY-MM-DD` (UTC), the end inclusive.
    renews_from: Option<String>,
    renews_to: Option<String>,
    after: Option<String>,
}

impl ListParams {
    fn given(value: &Option<String>) -> Option<&str> {
        value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    /// The parameters that choose the list (not the page), for links and the download.
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        let mut pairs = vec![];
        for (name, value) in [
            ("q", &self.q),
            ("type", &self.customer_type),
            ("status", &self.status),
            ("sku", &self.sku),
            ("plan", &self.plan),
            ("reason", &self.reason),
            ("renews_from", &self.renews_from),
            ("renews_to", &self.renews_to),
        ] {
            if let Some(v) = Self::given(value) {
                pairs.push((name, v));
            }
        }
        pairs
    }
}

pub struct Row {
    pub href: String,
    pub name: String,
    pub id: String,
    pub domain: String,
    pub team: bool,
    pub education: bool,
    pub created_at: i64,
    /// "2 active, 1 suspended"; empty until the first order.
    pub subscriptions: String,
    /// The earliest renewal (none for Flexible and trials).
    pub renews_at: Option<i64>,
    /// Each product with its licence usage (used / cap).
    pub products: Vec<(String, String)>,
}

pub struct Choice {
    pub value: &'static str,
    pub label_id: &'static str,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "partner_customers.html")]
struct CustomersPage {
    chrome: Chrome,
    search: String,
    types: Vec<Choice>,
    sorts: Vec<Choice>,
    status: Field,
    sku: Field,
    plan: Field,
    reason: Field,
    renews_from: Field,
    renews_to: Field,
    statuses: Vec<(String, String)>,
    skus: Vec<(String, String)>,
    plans: Vec<(String, String)>,
    reasons: Vec<(String, String)>,
    rows: Vec<Row>,
    next: Option<String>,
    first: Option<String>,
    /// The CSV of the filtered list (super admins only).
    download: Option<String>,
    /// The filters had errors: no list is shown until they are mended.
    filter_errors: bool,
    /// Whether the user may add customers (Create customer, Import are offered).
    can_add: bool,
}

fn order_of(sort: Option<&str>) -> CustomerOrder {
    match sort {
        Some("name") => CustomerOrder::Organization,
        Some("newest") => CustomerOrder::Newest,
        Some("renewal") => CustomerOrder::Renewal,
        _ => CustomerOrder::Domain,
    }
}

fn sort_value(order: CustomerOrder) -> &'static str {
    match order {
        CustomerOrder::Domain => "domain",
        CustomerOrder::Organization => "name",
        CustomerOrder::Newest => "newest",
        CustomerOrder::Renewal => "renewal",
    }
}

const PLANS: [PlanName; 5] = [
    PlanName::AnnualMonthlyPay,
    PlanName::AnnualYearlyPay,
    PlanName::Flexible,
    PlanName::Trial,
    PlanName::Free,
];

const REASONS: [SuspensionReason; 5] = [
    SuspensionReason::PendingTosAcceptance,
    SuspensionReason::RenewalWithTypeCancel,
    SuspensionReason::ResellerInitiated,
    SuspensionReason::TrialEnded,
    SuspensionReason::Other,
];

/// Midnight UTC of a `YYYY-MM-DD` date, in milliseconds.
fn day_start(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp() * 1000)
}

const DAY_MILLIS: i64 = 86_400_000;

/// The list's query from its parameters; each parameter that names nothing known is
/// marked on its field (a list is only shown for filters that mean something).
fn query_of(params: &ListParams, language: Language, fields: &mut Filters) -> CustomerQuery {
    let order = order_of(params.sort.as_deref());
    let customer_type = match ListParams::given(&params.customer_type) {
        Some("domain") => Some(CustomerType::Domain),
        Some("team") => Some(CustomerType::Team),
        _ => None,
    };
    let mut holding = HoldingFilter::default();
    let mut without_subscriptions = false;
    let unknown = |f: &mut Field| f.error = Some(tr(language, "customers-filter-unknown"));
    match ListParams::given(&params.status) {
        None => {}
        Some("active") => holding.status = Some(HeldStatus::Active),
        Some("suspended") => holding.status = Some(HeldStatus::Suspended),
        Some("none") => without_subscriptions = true,
        Some(_) => unknown(&mut fields.status),
    }
    if let Some(sku) = ListParams::given(&params.sku) {
        match catalogue::sku(sku) {
            Some(known) => holding.sku_id = Some(known.sku_id.to_string()),
            None => unknown(&mut fields.sku),
        }
    }
    if let Some(plan) = ListParams::given(&params.plan) {
        match PLANS.iter().find(|p| p.as_str() == plan) {
            Some(p) => holding.plan = Some(*p),
            None => unknown(&mut fields.plan),
        }
    }
    if let Some(reason) = ListParams::given(&params.reason) {
        match REASONS.iter().find(|r| r.as_str() == reason) {
            Some(r) => holding.reason = Some(*r),
            None => unknown(&mut fields.reason),
        }
    }
    let bad_date = |f: &mut Field| f.error = Some(tr(language, "customers-filter-date"));
    if let Some(from) = ListParams::given(&params.renews_from) {
        match day_start(from) {
            Some(at) => holding.renews_from = Some(at),
            None => bad_date(&mut fields.renews_from),
        }
    }
    if let Some(to) = ListParams::given(&params.renews_to) {
        match day_start(to) {
            // The end date is inclusive: up to the start of the next day.
            Some(at) => holding.renews_before = Some(at + DAY_MILLIS),
            None => bad_date(&mut fields.renews_to),
        }
    }
    if let (Some(from), Some(before)) = (holding.renews_from, holding.renews_before)
        && before <= from
    {
        fields.renews_to.error = Some(tr(language, "customers-filter-range"));
    }
    if without_subscriptions && !holding.is_empty() {
        fields.status.error = Some(tr(language, "customers-filter-none-and-more"));
    }
    CustomerQuery {
        search: ListParams::given(&params.q).map(str::to_string),
        customer_type,
        order,
        after: params
            .after
            .as_deref()
            .and_then(|token| decode_cursor(token, order)),
        holding,
        without_subscriptions,
    }
}

/// The filter controls, with what was chosen and what was wrong.
struct Filters {
    status: Field,
    sku: Field,
    plan: Field,
    reason: Field,
    renews_from: Field,
    renews_to: Field,
}

impl Filters {
    fn of(params: &ListParams) -> Self {
        let value = |v: &Option<String>| ListParams::given(v).unwrap_or_default().to_string();
        Filters {
            status: Field::new("status", value(&params.status)),
            sku: Field::new("sku", value(&params.sku)),
            plan: Field::new("plan", value(&params.plan)),
            reason: Field::new("reason", value(&params.reason)),
            renews_from: Field::new("renews_from", value(&params.renews_from)),
            renews_to: Field::new("renews_to", value(&params.renews_to)),
        }
    }

    fn any_error(&self) -> bool {
        [
            &self.status,
            &self.sku,
            &self.plan,
            &self.reason,
            &self.renews_from,
            &self.renews_to,
        ]
        .iter()
        .any(|f| f.invalid())
    }
}

/// A cursor as the page's `after` parameter: opaque to the user, never an offset.
pub fn encode_cursor(cursor: &CustomerCursor) -> String {
    let plain = match cursor {
        CustomerCursor::Domain(domain) => format!("d|{domain}"),
        CustomerCursor::Organization { name, id } => format!("o|{id}|{name}"),
        CustomerCursor::Newest { created_at, id } => format!("n|{id}|{created_at}"),
        CustomerCursor::Renewal { renews_at, id } => format!("r|{id}|{renews_at}"),
        CustomerCursor::Unrenewed(domain) => format!("u|{domain}"),
    };
    URL_SAFE_NO_PAD.encode(plain)
}

/// The cursor of an `after` parameter, if it is one for `order` (anything else starts
/// from the first page).
pub fn decode_cursor(token: &str, order: CustomerOrder) -> Option<CustomerCursor> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let plain = String::from_utf8(bytes).ok()?;
    let (kind, rest) = plain.split_once('|')?;
    match (kind, order) {
        ("d", CustomerOrder::Domain) => Some(CustomerCursor::Domain(rest.to_string())),
        ("o", CustomerOrder::Organization) => {
            let (id, name) = rest.split_once('|')?;
            Some(CustomerCursor::Organization {
                name: name.to_string(),
                id: id.to_string(),
            })
        }
        ("n", CustomerOrder::Newest) => {
            let (id, at) = rest.split_once('|')?;
            Some(CustomerCursor::Newest {
                created_at: at.parse().ok()?,
                id: id.to_string(),
            })
        }
        ("r", CustomerOrder::Renewal) => {
            let (id, at) = rest.split_once('|')?;
            Some(CustomerCursor::Renewal {
                renews_at: at.parse().ok()?,
                id: id.to_string(),
            })
        }
        ("u", CustomerOrder::Renewal) => Some(CustomerCursor::Unrenewed(rest.to_string())),
        _ => None,
    }
}

/// The earliest renewal among a customer's subscriptions.
fn earliest_renewal(subscriptions: &[&Subscription]) -> Option<i64> {
    subscriptions.iter().filter_map(|s| s.renews_at()).min()
}

fn subscriptions_summary(language: Language, subscriptions: &[&Subscription]) -> String {
    if subscriptions.is_empty() {
        return String::new();
    }
    let suspended = subscriptions
        .iter()
        .filter(|s| !s.suspension_reasons.is_empty())
        .count();
    let active = subscriptions.len() - suspended;
    let mut parts = vec![];
    if active > 0 {
        parts.push(tr_with(
            language,
            "customers-subs-active",
            &[("count", &active.to_string())],
        ));
    }
    if suspended > 0 {
        parts.push(tr_with(
            language,
            "customers-subs-suspended",
            &[("count", &suspended.to_string())],
        ));
    }
    parts.join(", ")
}

/// Each product with its licence usage: used of the cap (or of the committed seats).
fn products(subscriptions: &[&Subscription]) -> Vec<(String, String)> {
    subscriptions
        .iter()
        .map(|s| {
            let name = catalogue::sku(&s.sku_id)
                .map(|k| k.sku_name.to_string())
                .unwrap_or_else(|| s.sku_id.clone());
            (name, format!("{} / {}", s.licensed_seats, s.seats))
        })
        .collect()
}

fn row(c: &Customer, language: Language, held: &[&Subscription]) -> Row {
    Row {
        subscriptions: subscriptions_summary(language, held),
        renews_at: earliest_renewal(held),
        products: products(held),
        href: format!("/partner/customers/{}", c.id),
        name: c
            .postal_address
            .organization_name
            .clone()
            .unwrap_or_default(),
        id: c.id.clone(),
        domain: c.domain.clone(),
        team: c.customer_type == CustomerType::Team,
        education: c.education,
        created_at: c.created_at,
    }
}

/// The list's own URL with `after` set (other parameters kept).
fn page_href(
    chrome: &Chrome,
    params: &ListParams,
    order: CustomerOrder,
    after: Option<&str>,
) -> String {
    let mut pairs = params.pairs();
    pairs.push(("sort", sort_value(order)));
    if let Some(after) = after {
        pairs.push(("after", after));
    }
    chrome.href(&format!(
        "/partner?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    ))
}

/// A page of customers with the subscriptions of each (one read for the page).
async fn page_with_subscriptions(
    state: &AppState,
    actor: &partnerd_app::Actor,
    query: &CustomerQuery,
    limit: u32,
) -> Result<(Vec<Customer>, Vec<Subscription>), OpError> {
    let customers = partnerd_app::customers::list(&state.ops, actor, query, limit).await?;
    let ids: Vec<String> = customers.iter().map(|c| c.id.clone()).collect();
    let subscriptions =
        partnerd_app::customers::page_subscriptions(&state.ops, actor, &ids).await?;
    Ok((customers, subscriptions))
}

fn held_by<'s>(subscriptions: &'s [Subscription], customer: &Customer) -> Vec<&'s Subscription> {
    subscriptions
        .iter()
        .filter(|s| s.customer_id == customer.id)
        .collect()
}

/// The cursor after the last customer of a page.
fn cursor_after(last: &Customer, order: CustomerOrder, held: &[&Subscription]) -> CustomerCursor {
    match order {
        CustomerOrder::Renewal => CustomerCursor::after_renewal(last, earliest_renewal(held)),
        _ => CustomerCursor::after(last, order),
    }
}

fn options<T: Copy>(
    language: Language,
    all_id: &str,
    items: &[T],
    value: impl Fn(T) -> String,
    label: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), tr(language, all_id)))
        .chain(items.iter().map(|i| (value(*i), label(*i))))
        .collect()
}

pub async fn customers(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<ListParams>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let (current, reach) = (admitted.current, admitted.reach);
    let language = visitor.language;
    let mut filters = Filters::of(&params);
    let query = query_of(&params, language, &mut filters);
    let order = query.order;
    let filter_errors = filters.any_error();
    let (mut customers, subscriptions) = if filter_errors {
        (vec![], vec![])
    } else {
        match page_with_subscriptions(&state, &current.actor, &query, PAGE_SIZE + 1).await {
            Ok(found) => found,
            Err(OpError::NotAuthorized | OpError::Forbidden(_)) => {
                return refused_console(&visitor, reach, Console::Partner);
            }
            Err(e) => {
                tracing::error!(error = %e, "listing a reseller's customers");
                return failure(language);
            }
        }
    };
    let can_add = partnerd_app::privileges::reseller(
        &state.ops,
        &current.actor,
        partnerd_app::privileges::ResellerNeed::Add,
    )
    .await
    .is_ok();
    let more = customers.len() > PAGE_SIZE as usize;
    customers.truncate(PAGE_SIZE as usize);
    let chrome = Chrome::new(&visitor, "customers-title", reach, Console::Partner);
    let next = more
        .then(|| customers.last())
        .flatten()
        .map(|last| encode_cursor(&cursor_after(last, order, &held_by(&subscriptions, last))))
        .map(|token| page_href(&chrome, &params, order, Some(&token)));
    let first = query
        .after
        .is_some()
        .then(|| page_href(&chrome, &params, order, None));
    let download = (current.user.is_super_admin && !filter_errors).then(|| {
        let mut pairs = params.pairs();
        pairs.push(("sort", sort_value(order)));
        chrome.href(&format!(
            "/partner/customers.csv?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        ))
    });
    let selected_type = params.customer_type.as_deref().unwrap_or("");
    let page = CustomersPage {
        search: query.search.clone().unwrap_or_default(),
        types: [
            ("", "customers-type-all"),
            ("domain", "customers-type-domain"),
            ("team", "customers-type-team"),
        ]
        .into_iter()
        .map(|(value, label_id)| Choice {
            value,
            label_id,
            selected: value == selected_type,
        })
        .collect(),
        sorts: [
            CustomerOrder::Domain,
            CustomerOrder::Organization,
            CustomerOrder::Renewal,
            CustomerOrder::Newest,
        ]
        .into_iter()
        .map(|o| Choice {
            value: sort_value(o),
            label_id: match o {
                CustomerOrder::Domain => "customers-sort-domain",
                CustomerOrder::Organization => "customers-sort-name",
                CustomerOrder::Newest => "customers-sort-newest",
                CustomerOrder::Renewal => "customers-sort-renewal",
            },
            selected: o == order,
        })
        .collect(),
        statuses: options(
            language,
            "customers-filter-any",
            &["active", "suspended", "none"],
            |v| v.to_string(),
            |v| tr(language, &format!("customers-status-{v}")),
        ),
        skus: options(
            language,
            "customers-filter-any",
            &catalogue::all().iter().collect::<Vec<_>>(),
            |k| k.sku_id.to_string(),
            |k| k.sku_name.to_string(),
        ),
        plans: options(
            language,
            "customers-filter-any",
            &PLANS,
            |p| p.as_str().to_string(),
            |p| tr(language, crate::web::partner_customer::plan_id(p)),
        ),
        reasons: options(
            language,
            "customers-filter-any",
            &REASONS,
            |r| r.as_str().to_string(),
            |r| tr(language, crate::web::partner_customer::reason_id(r)),
        ),
        rows: customers
            .iter()
            .map(|c| row(c, language, &held_by(&subscriptions, c)))
            .collect(),
        status: filters.status,
        sku: filters.sku,
        plan: filters.plan,
        reason: filters.reason,
        renews_from: filters.renews_from,
        renews_to: filters.renews_to,
        next,
        first,
        download,
        filter_errors,
        can_add,
        chrome,
    };
    let status = if filter_errors {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (status, page).into_response()
}

#[derive(Deserialize)]
pub struct SwitchParams {
    q: Option<String>,
}

/// The customer switcher: the one customer a name or domain prefix names opens; several
/// (or none) open the list, searched for it.
pub async fn switch(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<SwitchParams>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let q = params.q.as_deref().map(str::trim).unwrap_or_default();
    let list = || {
        let query = serde_urlencoded::to_string([("q", q)]).unwrap_or_default();
        Redirect::to(&with_authuser(&format!("/partner?{query}"), visitor.index)).into_response()
    };
    if q.is_empty() {
        return list();
    }
    let query = CustomerQuery {
        search: Some(q.to_string()),
        ..Default::default()
    };
    match partnerd_app::customers::list(&state.ops, admitted.actor(), &query, 2).await {
        Ok(found) if found.len() == 1 => Redirect::to(&with_authuser(
            &format!("/partner/customers/{}", found[0].id),
            visitor.index,
        ))
        .into_response(),
        Ok(_) => list(),
        Err(OpError::NotAuthorized | OpError::Forbidden(_)) => {
            refused_console(&visitor, admitted.reach, Console::Partner)
        }
        Err(e) => {
            tracing::error!(error = %e, "switching customers");
            failure(visitor.language)
        }
    }
}

/// Customers per read of the download.
const DOWNLOAD_PAGE: u32 = 100;

/// A spreadsheet cell that cannot run as a formula: a leading `=`, `+`, `-`, `@` (or tab
/// or carriage return) makes spreadsheets evaluate it, so it is quoted with `'`.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_line(fields: &[String]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(vec![]);
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(fields.iter().map(|f| cell(f)));
    writer.into_inner().unwrap_or_default()
}

/// **Download customers**: the filtered list as CSV, for super admins, streamed a page
/// at a time through the same list operation (so a download of 100,000 customers holds
/// one page in memory, never the whole list).
pub async fn download(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<ListParams>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let (current, reach) = (admitted.current, admitted.reach);
    if !current.user.is_super_admin {
        let _ = reach;
        return pages::refused(&visitor, "customers-download-refused");
    }
    let language = visitor.language;
    let mut filters = Filters::of(&params);
    let mut query = query_of(&params, language, &mut filters);
    if filters.any_error() {
        // The page shows what is wrong beside each filter.
        return customers(State(state), Extension(visitor), Query(params)).await;
    }
    query.after = None;
    let actor = current.actor.clone();
    let header = csv_line(
        &[
            "customers-col-name",
            "customers-col-id",
            "customers-col-domain",
            "customers-col-type",
            "customers-col-subscriptions",
            "customers-col-renewal",
            "customers-col-created",
            "customers-col-products",
            "customers-col-usage",
        ]
        .map(|id| tr(language, id)),
    );
    let stream =
        futures_util::stream::unfold((Some(query), Some(header)), move |(query, header)| {
            let state = state.clone();
            let actor = actor.clone();
            async move {
                if let Some(header) = header {
                    return Some((Ok::<_, std::io::Error>(header), (query, None)));
                }
                let mut query = query?;
                let found = page_with_subscriptions(&state, &actor, &query, DOWNLOAD_PAGE).await;
                let (customers, subscriptions) = match found {
                    Ok(found) => found,
                    Err(e) => {
                        // The response has begun: end it short rather than pretend.
                        tracing::error!(error = %e, "downloading a reseller's customers");
                        return Some((Err(std::io::Error::other("read failed")), (None, None)));
                    }
                };
                let mut chunk = vec![];
                for c in &customers {
                    let held = held_by(&subscriptions, c);
                    let r = row(c, language, &held);
                    let (names, usage): (Vec<String>, Vec<String>) = r.products.into_iter().unzip();
                    chunk.extend(csv_line(&[
                        r.name,
                        r.id,
                        r.domain,
                        tr(
                            language,
                            if r.team {
                                "customers-type-team"
                            } else {
                                "customers-type-domain"
                            },
                        ),
                        r.subscriptions,
                        r.renews_at.map(iso_date).unwrap_or_default(),
                        iso_date(r.created_at),
                        names.join("; "),
                        usage.join("; "),
                    ]));
                }
                let next = (customers.len() == DOWNLOAD_PAGE as usize)
                    .then(|| customers.last())
                    .flatten()
                    .map(|last| {
                        query.after = Some(cursor_after(
                            last,
                            query.order,
                            &held_by(&subscriptions, last),
                        ));
                        query
                    });
                if chunk.is_empty() {
                    return None;
                }
                Some((Ok(chunk), (next, None)))
            }
        });
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"customers.csv\""),
    );
    response
}

/// A date as `YYYY-MM-DD` (UTC): what spreadsheets read in every language.
fn iso_date(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_only_in_their_own_order() {
        let cursors = [
            (
                CustomerCursor::Domain("a.example".into()),
                CustomerOrder::Domain,
            ),
            (
                CustomerCursor::Organization {
                    name: "Acme | Co".into(),
                    id: "C01234567".into(),
                },
                CustomerOrder::Organization,
            ),
            (
                CustomerCursor::Newest {
                    created_at: 42,
                    id: "C01234567".into(),
                },
                CustomerOrder::Newest,
            ),
        ];
        for (cursor, order) in cursors {
            let token = encode_cursor(&cursor);
            assert_eq!(decode_cursor(&token, order), Some(cursor));
            let other = if order == CustomerOrder::Domain {
                CustomerOrder::Newest
            } else {
                CustomerOrder::Domain
            };
            assert_eq!(decode_cursor(&token, other), None);
        }
        assert_eq!(decode_cursor("not base64!", CustomerOrder::Domain), None);
    }
}
