//! The Partner Sales Console's customers list (`/partner`): searched by name or domain
//! prefix, filtered by customer type, sorted, and paged with keyset cursors through the
//! same `customers::list` operation (and privilege) as the API's reads.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use partnerd_app::OpError;
use partnerd_domain::customer::{Customer, CustomerType};
use partnerd_store::{CustomerCursor, CustomerOrder, CustomerQuery};
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::gate;
use crate::web::pages::{failure, refused_console};
use crate::web::visitor::Visitor;

/// Customers per page.
pub const PAGE_SIZE: u32 = 50;

#[derive(Deserialize, Default)]
pub struct ListParams {
    q: Option<String>,
    #[serde(rename = "type")]
    customer_type: Option<String>,
    sort: Option<String>,
    after: Option<String>,
}

pub struct Row {
    pub href: String,
    pub name: String,
    pub id: String,
    pub domain: String,
    pub team: bool,
    pub education: bool,
    pub created_at: i64,
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
    rows: Vec<Row>,
    next: Option<String>,
    first: Option<String>,
    /// Whether the user may add customers (Create customer, Import are offered).
    can_add: bool,
}

fn order_of(sort: Option<&str>) -> CustomerOrder {
    match sort {
        Some("name") => CustomerOrder::Organization,
        Some("newest") => CustomerOrder::Newest,
        _ => CustomerOrder::Domain,
    }
}

fn sort_value(order: CustomerOrder) -> &'static str {
    match order {
        CustomerOrder::Domain => "domain",
        CustomerOrder::Organization => "name",
        CustomerOrder::Newest => "newest",
    }
}

/// A cursor as the page's `after` parameter: opaque to the user, never an offset.
pub fn encode_cursor(cursor: &CustomerCursor) -> String {
    let plain = match cursor {
        CustomerCursor::Domain(domain) => format!("d|{domain}"),
        CustomerCursor::Organization { name, id } => format!("o|{id}|{name}"),
        CustomerCursor::Newest { created_at, id } => format!("n|{id}|{created_at}"),
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
        _ => None,
    }
}

fn row(c: &Customer) -> Row {
    Row {
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
    let mut pairs: Vec<(&str, &str)> = vec![];
    if let Some(q) = params.q.as_deref().filter(|q| !q.trim().is_empty()) {
        pairs.push(("q", q));
    }
    if let Some(t) = params.customer_type.as_deref().filter(|t| !t.is_empty()) {
        pairs.push(("type", t));
    }
    pairs.push(("sort", sort_value(order)));
    if let Some(after) = after {
        pairs.push(("after", after));
    }
    chrome.href(&format!(
        "/partner?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    ))
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
    let order = order_of(params.sort.as_deref());
    let customer_type = match params.customer_type.as_deref() {
        Some("domain") => Some(CustomerType::Domain),
        Some("team") => Some(CustomerType::Team),
        _ => None,
    };
    let query = CustomerQuery {
        search: params
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_string),
        customer_type,
        order,
        after: params
            .after
            .as_deref()
            .and_then(|token| decode_cursor(token, order)),
    };
    let found =
        partnerd_app::customers::list(&state.ops, &current.actor, &query, PAGE_SIZE + 1).await;
    let mut customers = match found {
        Ok(c) => c,
        Err(OpError::NotAuthorized | OpError::Forbidden(_)) => {
            return refused_console(&visitor, reach, Console::Partner);
        }
        Err(e) => {
            tracing::error!(error = %e, "listing a reseller's customers");
            return failure(visitor.language);
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
        .map(|last| encode_cursor(&CustomerCursor::after(last, order)))
        .map(|token| page_href(&chrome, &params, order, Some(&token)));
    let first = query
        .after
        .is_some()
        .then(|| page_href(&chrome, &params, order, None));
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
            CustomerOrder::Newest,
        ]
        .into_iter()
        .map(|o| Choice {
            value: sort_value(o),
            label_id: match o {
                CustomerOrder::Domain => "customers-sort-domain",
                CustomerOrder::Organization => "customers-sort-name",
                CustomerOrder::Newest => "customers-sort-newest",
            },
            selected: o == order,
        })
        .collect(),
        rows: customers.iter().map(row).collect(),
        next,
        first,
        can_add,
        chrome,
    };
    (StatusCode::OK, page).into_response()
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
