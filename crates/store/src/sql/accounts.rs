//! The accounts table: resellers and their customers (one row each), the console's
//! page of a reseller's customers, and the lookup by id or primary domain.

use partnerd_domain::customer::{Customer, CustomerType, PostalAddress};

use super::{Statement, checked};
use crate::rows::{FromRow, Row, Value};
use crate::{Result, StoreError};

pub const COUNT_ACCOUNTS: &str = "SELECT COUNT(*) FROM accounts";

const ACCOUNT_COLUMNS: &str = "id, domain, customer_type, managed_by, reseller_public_id, alternate_email, \
     phone_number, postal_address, primary_admin_email, domain_verified, created_at, version, tos_accepted_at, language, reseller_access, education";

pub fn select_account_by_id() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1")
}

pub fn select_account_by_domain() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE domain = $1")
}

pub fn select_account_by_public_id() -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE reseller_public_id = $1")
}

pub const INSERT_ACCOUNT: &str = "INSERT INTO accounts (id, domain, customer_type, managed_by, \
     reseller_public_id, alternate_email, phone_number, postal_address, primary_admin_email, \
     domain_verified, created_at, version, tos_accepted_at, language, reseller_access, organization_key, \
     education) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

pub const UPDATE_ACCOUNT: &str = "UPDATE accounts SET domain = $1, customer_type = $2, \
     alternate_email = $3, phone_number = $4, postal_address = $5, primary_admin_email = $6, \
     domain_verified = $7, version = $8, tos_accepted_at = $9, managed_by = $10, language = $11, reseller_access = $12, \
     organization_key = $13, education = $14 WHERE id = $15 AND version = $16";

/// `ACCOUNT_COLUMNS` of the accounts aliased `a`.
fn account_columns_of_a() -> String {
    ACCOUNT_COLUMNS
        .split(", ")
        .map(|c| format!("a.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Numbered parameters of one query, `$1` the reseller.
struct Params(Vec<Value>);

impl Params {
    fn add(&mut self, v: impl Into<Value>) -> String {
        self.0.push(v.into());
        format!("${}", self.0.len())
    }
}

/// The reseller test of a subscription looked up by customer: written so that no index
/// can serve it. Without statistics SQLite's planner would otherwise walk an index that
/// leads with `reseller_id` (all of the reseller's subscriptions, for each customer)
/// instead of the customer's own few. PostgreSQL folds `= TRUE` away and plans by its
/// statistics.
fn of_reseller(alias: &str) -> String {
    format!("({alias}.reseller_id = $1) = TRUE")
}

/// The search, lower-case (domains and organization keys are stored so).
fn searched(q: &crate::CustomerQuery) -> Option<String> {
    q.search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
}

/// The search as a range `[low, high)`, where text compares byte by byte: exactly the
/// values that start with it.
fn search_range(q: &crate::CustomerQuery, byte_ranges: bool) -> Option<(String, String)> {
    let low = searched(q).filter(|_| byte_ranges)?;
    let high = successor(&low)?;
    Some((low, high))
}

/// The least text greater than every text that starts with `prefix`, in byte (code
/// point) order: `prefix` with its last character advanced (none when it cannot be).
fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    let last = chars.pop()?;
    let next = (u32::from(last) + 1..=0x10FFFF).find_map(char::from_u32)?;
    chars.push(next);
    Some(chars.into_iter().collect())
}

/// What one live subscription of the reseller (aliased `h`) must meet; `probe`: `h` is
/// looked up by its customer (see `of_reseller`), else found through the indexes that
/// lead with the reseller.
fn holding_conditions(h: &crate::HoldingFilter, p: &mut Params, probe: bool) -> Vec<String> {
    let mut sub = vec![
        // A plan or SKU probe is a point lookup of `(reseller, plan or SKU, customer)` in
        // the filter's own index, read alone; other probes go through the customer's
        // subscriptions (see `of_reseller`).
        if probe && !probes_by_filter_index(h) {
            of_reseller("h")
        } else {
            "h.reseller_id = $1".to_string()
        },
        // Found through the index of the filter (plan, SKU, suspension, renewal), `live_sku`
        // is only checked: written so, SQLite's planner cannot take every live
        // subscription's index instead.
        if probe {
            "h.live_sku IS NOT NULL".to_string()
        } else {
            "(h.live_sku IS NOT NULL) = TRUE".to_string()
        },
    ];
    if let Some(sku) = &h.sku_id {
        sub.push(format!("h.live_sku = {}", p.add(sku.as_str())));
    }
    if let Some(plan) = h.plan {
        sub.push(format!("h.plan = {}", p.add(plan.as_str())));
    }
    // `<> ''` as the partial index `subscriptions_suspended` says (so it may serve), and
    // `> ''` (the same, for text) so that its second column narrows the walk.
    if h.status == Some(crate::HeldStatus::Suspended) || h.reason.is_some() {
        sub.push("h.suspension_reasons <> ''".into());
        sub.push("h.suspension_reasons > ''".into());
    }
    if h.status == Some(crate::HeldStatus::Active) {
        sub.push("h.suspension_reasons = ''".into());
    }
    if let Some(reason) = h.reason {
        sub.push(format!(
            "h.suspension_reasons LIKE {}",
            p.add(format!("%,{},%", reason.as_str()))
        ));
    }
    if let Some(from) = h.renews_from {
        sub.push(format!("h.renews_at >= {}", p.add(from)));
    }
    if let Some(before) = h.renews_before {
        sub.push(format!("h.renews_at < {}", p.add(before)));
    }
    sub
}

/// Whether asking one customer whether it holds what `h` asks for is a lookup in the
/// index of the filter (`subscriptions_by_plan` or `subscriptions_by_sku`, which lead with
/// the reseller, then the plan or SKU, then the customer).
pub fn probes_by_filter_index(h: &crate::HoldingFilter) -> bool {
    h.plan.is_some() || h.sku_id.is_some()
}

/// Whether an index finds the subscriptions `h` asks for without reading the others:
/// then, when few match, the page is built from them (`sparse`) rather than by walking the
/// customers and asking each.
pub fn holding_is_indexed(h: &crate::HoldingFilter) -> bool {
    h.sku_id.is_some()
        || h.plan.is_some()
        || h.reason.is_some()
        || h.status == Some(crate::HeldStatus::Suspended)
        || h.renews_from.is_some()
        || h.renews_before.is_some()
}

/// How many live subscriptions meet `h`, counted up to `cap`.
pub fn holding_count_query(
    reseller_id: &str,
    h: &crate::HoldingFilter,
    cap: u32,
) -> (String, Vec<Value>) {
    let mut p = Params(vec![reseller_id.into()]);
    let conditions = holding_conditions(h, &mut p, false);
    let limit = p.add(i64::from(cap));
    (
        format!(
            "SELECT count(*) FROM (SELECT 1 FROM subscriptions h WHERE {} LIMIT {limit}) t",
            conditions.join(" AND ")
        ),
        p.0,
    )
}

/// The conditions every order shares: the reseller's own customers, searched by domain or
/// organization name prefix, of a type, holding (or not) subscriptions of a kind.
fn shared_conditions(
    q: &crate::CustomerQuery,
    p: &mut Params,
    plan: crate::HoldingPlan,
    byte_ranges: bool,
) -> Vec<String> {
    let mut conditions = vec!["a.managed_by = $1".to_string()];
    // A search that is a range is the driving table's (see `customers_page_queries`).
    if search_range(q, byte_ranges).is_none()
        && let Some(search) = searched(q)
    {
        let escaped: String = search
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let n = p.add(format!("{escaped}%"));
        conditions.push(format!(
            "(a.domain LIKE {n} ESCAPE '\\' OR a.organization_key LIKE {n} ESCAPE '\\')"
        ));
    }
    if let Some(t) = q.customer_type {
        let n = p.add(t.as_str());
        conditions.push(format!("a.customer_type = {n}"));
    }
    if !q.holding.is_empty() && plan != crate::HoldingPlan::FromHolders {
        let listed = plan == crate::HoldingPlan::WalkListed || !probes_by_filter_index(&q.holding);
        if holding_is_indexed(&q.holding) && listed {
            // A renewal date range or a suspension held by many, or a plan or SKU held by
            // some thousands (`HoldingPlan`): their holders are listed once through the
            // filter's index and each customer walked is looked up in that list (`|| ''` keeps the list from being used to find the
            // customers instead, which would sort them all). Asking each customer would
            // read its subscriptions: five times slower at 100,000 customers. `= TRUE`
            // keeps the list a list on PostgreSQL: a bare `IN` at the top of the
            // conditions is made a semi-join, which its planner runs as a probe of each
            // walked customer's subscriptions (6 µs each, 40 ms a page), where the
            // condition stays a subplan it hashes once.
            conditions.push(format!(
                "((a.id || '') IN (SELECT h.customer_id FROM subscriptions h WHERE {})) = TRUE",
                holding_conditions(&q.holding, p, false).join(" AND ")
            ));
        } else {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM subscriptions h WHERE h.customer_id = a.id AND {})",
                holding_conditions(&q.holding, p, true).join(" AND ")
            ));
        }
    }
    if q.without_subscriptions {
        conditions.push(
            "NOT EXISTS (SELECT 1 FROM subscriptions h WHERE h.customer_id = a.id \
             AND (h.reseller_id = $1) = TRUE AND h.live_sku IS NOT NULL)"
                .into(),
        );
    }
    conditions
}

/// How the queries of a console page make the page.
#[derive(Debug)]
pub enum PagePlan {
    /// Run in turn, each filling what the ones before left of the page.
    InTurn(Vec<(String, Vec<Value>)>),
    /// Run each for a whole page, then keep the first rows of their union in the list's
    /// order (each returns its rows in that order, none returns another's).
    Merged(Vec<(String, Vec<Value>)>),
}

/// The queries of a console page of a reseller's customers (see `Store::customers_page`):
/// one for most orders; for the renewal order, the customers with a renewal date (driven
/// by the renewal index, each customer at its earliest renewal) and then those without,
/// in turn; for a search that is a range in the domain or name order, the two of
/// `searched_in_order`, merged.
///
/// `byte_ranges`: the database compares text byte by byte (a search prefix is a range).
/// `plan`: how the customers meeting the holding filter are found (`HoldingPlan`); with
/// `FromHolders` the customers holding them are the rows to start from, found through
/// the index that serves the filter and sorted, instead of walking every customer in
/// order.
pub fn customers_page_queries(
    reseller_id: &str,
    q: &crate::CustomerQuery,
    plan: crate::HoldingPlan,
    byte_ranges: bool,
) -> PagePlan {
    use crate::{CustomerCursor, CustomerOrder};
    let range = search_range(q, byte_ranges);
    if let Some((low, high)) = &range
        && matches!(q.order, CustomerOrder::Domain | CustomerOrder::Organization)
    {
        return PagePlan::Merged(searched_in_order(reseller_id, q, low, high));
    }
    // A searched list starts from the customers the search finds; else a sparse filter's
    // from its holders.
    let sparse =
        plan == crate::HoldingPlan::FromHolders && !q.holding.is_empty() && range.is_none();
    // Whether a table of starting rows drives the query (else the walk is in index order).
    let driven = range.is_some() || sparse;
    let columns = account_columns_of_a();
    // The starting rows as a table `m` (column `cid`); CROSS JOIN keeps SQLite's planner
    // from turning the join round (walking every customer in order, asking each).
    let from_accounts = |p: &mut Params| -> (String, Option<String>) {
        if let Some((low, high)) = &range {
            let lo = p.add(low.as_str());
            let hi = p.add(high.as_str());
            (
                format!(
                    "(SELECT id AS cid FROM accounts WHERE managed_by = $1 \
                     AND domain >= {lo} AND domain < {hi} \
                     UNION SELECT id FROM accounts WHERE managed_by = $1 \
                     AND organization_key >= {lo} AND organization_key < {hi}) m \
                     CROSS JOIN accounts a"
                ),
                Some("a.id = m.cid".to_string()),
            )
        } else if sparse {
            let holders = holding_conditions(&q.holding, p, false).join(" AND ");
            (
                format!(
                    "(SELECT DISTINCT h.customer_id AS cid FROM subscriptions h WHERE {holders}) m \
                     CROSS JOIN accounts a"
                ),
                Some("a.id = m.cid".to_string()),
            )
        } else {
            ("accounts a".to_string(), None)
        }
    };
    let query = |extra: &dyn Fn(&mut Params) -> (Vec<String>, &'static str)| {
        let mut p = Params(vec![reseller_id.into()]);
        let (from, join) = from_accounts(&mut p);
        let plan = if sparse || plan != crate::HoldingPlan::FromHolders {
            plan
        } else {
            // Not started from the holders after all (a search drives): walk and ask.
            crate::HoldingPlan::WalkProbed
        };
        let mut conditions = shared_conditions(q, &mut p, plan, byte_ranges);
        conditions.extend(join);
        let (more, order) = extra(&mut p);
        conditions.extend(more);
        (from, conditions, order, p)
    };
    // Each cursor of two columns carries a bound of its first column alone as well
    // (`x >= n AND (x > n OR (x = n AND id > i))`), which both planners use as the start
    // of an index range; the disjunction alone made PostgreSQL read the index from its
    // beginning.
    let by_domain = |after: Option<&str>, unrenewed: bool| {
        query(&|p: &mut Params| {
            let mut more = vec![];
            if let Some(d) = after {
                more.push(format!("a.domain > {}", p.add(d)));
            }
            if unrenewed {
                more.push(
                    "NOT EXISTS (SELECT 1 FROM subscriptions e WHERE e.customer_id = a.id \
                     AND (e.reseller_id = $1) = TRUE AND e.renews_at IS NOT NULL)"
                        .into(),
                );
            }
            (more, "a.domain")
        })
    };
    let simple = |(from, conditions, order, p): (String, Vec<String>, &str, Params)| {
        (
            format!(
                "SELECT {columns} FROM {from} WHERE {} ORDER BY {order}",
                conditions.join(" AND ")
            ),
            p.0,
        )
    };
    PagePlan::InTurn(match (q.order, &q.after) {
        (CustomerOrder::Domain, after) => {
            let after = match after {
                Some(CustomerCursor::Domain(d)) => Some(d.as_str()),
                _ => None,
            };
            vec![simple(by_domain(after, false))]
        }
        (CustomerOrder::Organization, after) => vec![simple(query(&|p: &mut Params| {
            let mut more = vec![];
            if let Some(CustomerCursor::Organization { name, id }) = after {
                let n = p.add(name.as_str());
                let i = p.add(id.as_str());
                more.push(format!(
                    "a.organization_key >= {n} AND (a.organization_key > {n} OR (a.organization_key = {n} AND a.id > {i}))"
                ));
            }
            (more, "a.organization_key, a.id")
        }))],
        (CustomerOrder::Newest, after) => vec![simple(query(&|p: &mut Params| {
            let mut more = vec![];
            if let Some(CustomerCursor::Newest { created_at, id }) = after {
                let c = p.add(*created_at);
                let i = p.add(id.as_str());
                more.push(format!(
                    "a.created_at <= {c} AND (a.created_at < {c} OR (a.created_at = {c} AND a.id < {i}))"
                ));
            }
            (more, "a.created_at DESC, a.id DESC")
        }))],
        (CustomerOrder::Renewal, Some(CustomerCursor::Unrenewed(d))) => {
            vec![simple(by_domain(Some(d), true))]
        }
        (CustomerOrder::Renewal, after) => {
            let (from, conditions, _, p) = query(&|p: &mut Params| {
                let mut more = vec![
                    // Driving the walk through the renewal index, or looked up per holder.
                    if driven {
                        of_reseller("s")
                    } else {
                        "s.reseller_id = $1".to_string()
                    },
                    "s.renews_at IS NOT NULL".to_string(),
                    // Each customer once, at its earliest renewal (the first subscription
                    // of that date).
                    "NOT EXISTS (SELECT 1 FROM subscriptions e WHERE e.customer_id = s.customer_id \
                     AND (e.reseller_id = $1) = TRUE AND e.renews_at IS NOT NULL \
                     AND (e.renews_at < s.renews_at OR (e.renews_at = s.renews_at AND e.id < s.id)))"
                        .to_string(),
                ];
                if let Some(CustomerCursor::Renewal { renews_at, id }) = after {
                    let r = p.add(*renews_at);
                    let i = p.add(id.as_str());
                    more.push(format!(
                        "s.renews_at >= {r} AND (s.renews_at > {r} OR (s.renews_at = {r} AND s.customer_id > {i}))"
                    ));
                }
                (more, "")
            });
            let renewing = (
                format!(
                    "SELECT {columns} FROM {} \
                     WHERE s.customer_id = a.id AND {} ORDER BY s.renews_at, s.customer_id",
                    // Not sparse: the renewal index drives (soonest first, a page's worth);
                    // sparse: the few holders do, and their renewals are sorted.
                    if driven {
                        format!("{from} CROSS JOIN subscriptions s")
                    } else {
                        "subscriptions s CROSS JOIN accounts a".to_string()
                    },
                    conditions.join(" AND ")
                ),
                p.0,
            );
            vec![renewing, simple(by_domain(None, true))]
        }
    })
}

/// A search for the prefix `[low, high)` in the domain or the name order, as two reads
/// that each come out of an index in the list's order or nearly: the customers whose
/// sort column starts with the search (that column's index, walked in order from the
/// cursor), and those whose other column does while their sort column does not (found in
/// the other column's index, which holds the sort column too, so the ones the first read
/// returns are skipped without reading their rows; only the rest are sorted). Sorting the
/// union of both, as a single query must, read and sorted every match to show 50.
fn searched_in_order(
    reseller_id: &str,
    q: &crate::CustomerQuery,
    low: &str,
    high: &str,
) -> Vec<(String, Vec<Value>)> {
    use crate::{CustomerCursor, CustomerOrder};
    let columns = account_columns_of_a();
    // The second read's order is an expression, not the column, so that no index walk can
    // give it: PostgreSQL otherwise walks every customer in order and asks each (its
    // estimate of the matches, which are correlated with the first read's, is far off).
    let (sorted, other, order, order_of_other) = match q.order {
        CustomerOrder::Organization => (
            "organization_key",
            "domain",
            "a.organization_key, a.id",
            "a.organization_key || '', a.id",
        ),
        _ => ("domain", "organization_key", "a.domain", "a.domain || ''"),
    };
    [false, true]
        .into_iter()
        .map(|by_other| {
            let mut p = Params(vec![reseller_id.into()]);
            let lo = p.add(low);
            let hi = p.add(high);
            let mut conditions = shared_conditions(q, &mut p, crate::HoldingPlan::WalkProbed, true);
            let from = if by_other {
                conditions.push("a.id = m.cid".into());
                format!(
                    "(SELECT id AS cid FROM accounts WHERE managed_by = $1 \
                     AND {other} >= {lo} AND {other} < {hi} \
                     AND NOT ({sorted} >= {lo} AND {sorted} < {hi})) m CROSS JOIN accounts a"
                )
            } else {
                // After the reseller test, before the others: placeholders are numbered in
                // the order they appear.
                conditions.insert(1, format!("a.{sorted} >= {lo} AND a.{sorted} < {hi}"));
                "accounts a".to_string()
            };
            match &q.after {
                Some(CustomerCursor::Domain(d)) => {
                    conditions.push(format!("a.domain > {}", p.add(d.as_str())));
                }
                Some(CustomerCursor::Organization { name, id }) => {
                    let n = p.add(name.as_str());
                    let i = p.add(id.as_str());
                    conditions.push(format!(
                        "a.organization_key >= {n} AND (a.organization_key > {n} OR (a.organization_key = {n} AND a.id > {i}))"
                    ));
                }
                _ => {}
            }
            (
                format!(
                    "SELECT {columns} FROM {from} WHERE {} ORDER BY {}",
                    conditions.join(" AND "),
                    if by_other { order_of_other } else { order }
                ),
                p.0,
            )
        })
        .collect()
}

/// `query` with ` LIMIT n` appended (`n` one more parameter).
pub fn limited(query: &(String, Vec<Value>), limit: u32) -> (String, Vec<Value>) {
    let (text, params) = query;
    let mut params = params.clone();
    params.push(i64::from(limit).into());
    (format!("{text} LIMIT ${}", params.len()), params)
}

/// The live subscriptions `reseller_id` holds of the customers `ids` (the list's
/// Subscriptions, Renewal date, Products and License usage columns).
pub fn customers_subscriptions_query(reseller_id: &str, ids: &[String]) -> (String, Vec<Value>) {
    let mut params: Vec<Value> = vec![reseller_id.into()];
    let mut marks = vec![];
    for id in ids {
        params.push(id.as_str().into());
        marks.push(format!("${}", params.len()));
    }
    (
        format!(
            "SELECT s.seq, s.state, a.domain FROM subscriptions s JOIN accounts a ON a.id = s.customer_id \
             WHERE (s.reseller_id = $1) = TRUE AND s.live_sku IS NOT NULL AND s.customer_id IN ({}) ORDER BY s.seq",
            marks.join(", ")
        ),
        params,
    )
}

/// The lower-case organization name the consoles search and sort by.
pub fn organization_key(c: &Customer) -> String {
    c.postal_address
        .organization_name
        .as_deref()
        .unwrap_or_default()
        .to_lowercase()
}

pub fn account_params(c: &Customer) -> Result<Vec<Value>> {
    Ok(vec![
        c.id.as_str().into(),
        c.domain.as_str().into(),
        c.customer_type.as_str().into(),
        (&c.managed_by).into(),
        (&c.reseller_public_id).into(),
        (&c.alternate_email).into(),
        (&c.phone_number).into(),
        address_json(&c.postal_address)?.into(),
        (&c.primary_admin_email).into(),
        c.domain_verified.into(),
        c.created_at.into(),
        c.version.into(),
        Value::OptInt(c.tos_accepted_at),
        c.language.as_str().into(),
        c.reseller_access.into(),
        organization_key(c).into(),
        c.education.into(),
    ])
}

pub fn update_account_params(before: &Customer, after: &Customer) -> Result<Vec<Value>> {
    Ok(vec![
        after.domain.as_str().into(),
        after.customer_type.as_str().into(),
        (&after.alternate_email).into(),
        (&after.phone_number).into(),
        address_json(&after.postal_address)?.into(),
        (&after.primary_admin_email).into(),
        after.domain_verified.into(),
        after.version.into(),
        Value::OptInt(after.tos_accepted_at),
        (&after.managed_by).into(),
        after.language.as_str().into(),
        after.reseller_access.into(),
        organization_key(after).into(),
        after.education.into(),
        before.id.as_str().into(),
        before.version.into(),
    ])
}

fn address_json(a: &PostalAddress) -> Result<String> {
    serde_json::to_string(a).map_err(|e| StoreError::Backend(e.to_string()))
}

pub fn account_from_row(r: &impl Row) -> Result<Customer> {
    let customer_type = match r.text(2)?.as_str() {
        "team" => CustomerType::Team,
        _ => CustomerType::Domain,
    };
    let postal_address = serde_json::from_str(&r.text(7)?)
        .map_err(|e| StoreError::Backend(format!("stored postal address: {e}")))?;
    Ok(Customer {
        id: r.text(0)?,
        domain: r.text(1)?,
        customer_type,
        managed_by: r.opt_text(3)?,
        reseller_public_id: r.opt_text(4)?,
        alternate_email: r.opt_text(5)?,
        phone_number: r.opt_text(6)?,
        postal_address,
        primary_admin_email: r.opt_text(8)?,
        domain_verified: r.boolean(9)?,
        created_at: r.int(10)?,
        version: r.int(11)?,
        tos_accepted_at: r.opt_int(12)?,
        language: r.text(13)?,
        reseller_access: r.boolean(14)?,
        education: r.boolean(15)?,
    })
}

impl FromRow for Customer {
    fn from_row(r: &impl Row) -> Result<Self> {
        account_from_row(r)
    }
}

/// Whether a key looks like an account id rather than a domain.
pub fn is_account_id(key: &str) -> bool {
    partnerd_domain::ids::is_customer_id(key)
}

pub fn account_lookup(id_or_domain: &str) -> (String, Value) {
    if is_account_id(id_or_domain) {
        (select_account_by_id(), id_or_domain.into())
    } else {
        (
            select_account_by_domain(),
            Value::Text(id_or_domain.trim().to_ascii_lowercase()),
        )
    }
}

/// `Write::UpdateCustomer`: the customer read as `before` becomes `after`, or `Stale`.
/// Moves a customer's version on and nothing else: an order serialises on its customer
/// this way. Setting no indexed column keeps SQLite from rewriting the row's four index
/// entries (it rewrites an index whose column is assigned, even to the same value).
pub const BUMP_ACCOUNT_VERSION: &str =
    "UPDATE accounts SET version = $1 WHERE id = $2 AND version = $3";

pub fn update_account(before: &Customer, after: &Customer) -> Result<Statement> {
    let only_version = Customer {
        version: before.version,
        ..after.clone()
    } == *before;
    if only_version {
        return Ok(checked(
            BUMP_ACCOUNT_VERSION,
            vec![
                after.version.into(),
                before.id.as_str().into(),
                before.version.into(),
            ],
        ));
    }
    Ok(checked(
        UPDATE_ACCOUNT,
        update_account_params(before, after)?,
    ))
}

#[cfg(test)]
mod bump_tests {
    use super::*;

    fn customer() -> Customer {
        Customer {
            id: "C0test000".into(),
            domain: "a.example".into(),
            customer_type: CustomerType::Domain,
            managed_by: Some("C0reseller".into()),
            alternate_email: None,
            phone_number: None,
            postal_address: PostalAddress::default(),
            primary_admin_email: None,
            domain_verified: false,
            created_at: 0,
            reseller_public_id: None,
            tos_accepted_at: None,
            language: "en".into(),
            reseller_access: true,
            education: false,
            version: 3,
        }
    }

    #[test]
    fn a_version_bump_assigns_no_indexed_column() {
        let before = customer();
        let bumped = Customer {
            version: 4,
            ..before.clone()
        };
        let st = update_account(&before, &bumped).expect("statement");
        assert_eq!(st.sql, BUMP_ACCOUNT_VERSION);
        assert!(st.expects_one_row, "still an optimistic check");
        let renamed = Customer {
            domain: "b.example".into(),
            ..bumped
        };
        assert_eq!(
            update_account(&before, &renamed).expect("statement").sql,
            UPDATE_ACCOUNT
        );
    }
}
