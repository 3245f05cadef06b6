//! The reads the consoles list with, written once over `Db` for both databases: a
//! reseller's customers (searched, filtered, ordered, a keyset page at a time) and a
//! customer's order history.

use async_trait::async_trait;
use partnerd_domain::customer::Customer;
use partnerd_domain::event::Event;

use crate::db::Db;
use crate::rows::{Row, Value};
use crate::{CustomerOrder, CustomerQuery, HoldingPlan, Result, SubscriptionRow, sql};

#[async_trait]
pub trait ConsoleReads {
    /// A page of the customers `reseller_id` manages, searched, filtered and ordered as
    /// `query` says (keyset paging: each page starts after `query.after`).
    async fn customers_page(
        &self,
        reseller_id: &str,
        query: &CustomerQuery,
        limit: u32,
    ) -> Result<Vec<Customer>>;

    /// `customers_page` with its plan chosen (`HoldingPlan`); `None` counts the holders
    /// and picks the cheapest (what `customers_page` does). Every plan gives the same
    /// page; the suite checks that they do.
    async fn customers_page_planned(
        &self,
        reseller_id: &str,
        query: &CustomerQuery,
        limit: u32,
        plan: Option<HoldingPlan>,
    ) -> Result<Vec<Customer>>;

    /// The live subscriptions `reseller_id` holds of each of `customer_ids` (a page of
    /// the list), in order.
    async fn customers_subscriptions(
        &self,
        reseller_id: &str,
        customer_ids: &[String],
    ) -> Result<Vec<SubscriptionRow>>;

    /// A customer's history in `reseller_id`'s event log: the events that concern it (its
    /// record, its subscriptions), newest first, with ids below `before`. Another
    /// reseller's events for the same customer are not part of it.
    async fn customer_history(
        &self,
        customer_id: &str,
        reseller_id: &str,
        before: i64,
        limit: u32,
    ) -> Result<Vec<Event>>;
}

#[async_trait]
impl<T: Db + ?Sized> ConsoleReads for T {
    async fn customers_page(
        &self,
        reseller_id: &str,
        query: &CustomerQuery,
        limit: u32,
    ) -> Result<Vec<Customer>> {
        self.customers_page_planned(reseller_id, query, limit, None)
            .await
    }

    async fn customers_page_planned(
        &self,
        reseller_id: &str,
        query: &CustomerQuery,
        limit: u32,
        plan: Option<HoldingPlan>,
    ) -> Result<Vec<Customer>> {
        // Fewer matching subscriptions than this: the page starts from their holders (all
        // of them read and sorted, ~5 µs each at 100,000 customers; counting them reads an
        // index alone); more: the customers are walked in order and each is asked (a
        // point lookup in the filter's index for a plan or SKU, else a look in the list
        // of holders; ~1.5 µs), which finds a page's worth after about 50 × customers /
        // holders of them. The two cost the same where holders² ≈ 50 × customers × 0.3:
        // about 1,200 at 100,000 customers. Measured by `partnerd-bench`.
        const SPARSE_BELOW: u32 = 1_500;
        // Up to this many holders of a plan or SKU, reading them once into a list the
        // walk looks each customer up in (hashed on PostgreSQL) beats a point lookup per
        // customer walked: the walk is then long (50 × customers / holders), the list
        // short. Measured by `partnerd-bench` (`plan=TRIAL`, 4,927 holders: PostgreSQL
        // p99 30 -> 12 ms listed; `sku=1010020028`, 45,000: 13 ms probed, 21 listed).
        const LISTED_BELOW: u32 = 10_000;
        let plan = if let Some(chosen) = plan {
            chosen
        } else if sql::holding_is_indexed(&query.holding) {
            let cap = if sql::probes_by_filter_index(&query.holding) {
                LISTED_BELOW
            } else {
                SPARSE_BELOW
            };
            let (text, params) = sql::holding_count_query(reseller_id, &query.holding, cap);
            let rows = self.rows(&text, params).await?;
            let counted = rows.first().and_then(|r| r.int(0).ok()).unwrap_or(0);
            if counted < i64::from(SPARSE_BELOW) {
                HoldingPlan::FromHolders
            } else if counted < i64::from(LISTED_BELOW) {
                HoldingPlan::WalkListed
            } else {
                HoldingPlan::WalkProbed
            }
        } else {
            HoldingPlan::WalkProbed
        };
        let mut page: Vec<Customer> = vec![];
        match sql::customers_page_queries(reseller_id, query, plan, self.byte_ordered_text()) {
            sql::PagePlan::InTurn(queries) => {
                for q in queries {
                    let missing = limit.saturating_sub(page.len() as u32);
                    if missing == 0 {
                        break;
                    }
                    let (text, params) = sql::limited(&q, missing);
                    page.extend(self.fetch::<Customer>(text, params).await?);
                }
            }
            sql::PagePlan::Merged(queries) => {
                for q in queries {
                    let (text, params) = sql::limited(&q, limit);
                    page.extend(self.fetch::<Customer>(text, params).await?);
                }
                // Byte order, as the database compares (a merged plan is only made where
                // it does).
                match query.order {
                    CustomerOrder::Organization => page.sort_by(|x, y| {
                        (sql::organization_key(x), &x.id).cmp(&(sql::organization_key(y), &y.id))
                    }),
                    _ => page.sort_by(|x, y| x.domain.cmp(&y.domain)),
                }
                page.dedup_by(|x, y| x.id == y.id);
                page.truncate(limit as usize);
            }
        }
        Ok(page)
    }

    async fn customers_subscriptions(
        &self,
        reseller_id: &str,
        customer_ids: &[String],
    ) -> Result<Vec<SubscriptionRow>> {
        if customer_ids.is_empty() {
            return Ok(vec![]);
        }
        let (text, params) = sql::customers_subscriptions_query(reseller_id, customer_ids);
        self.fetch(text, params).await
    }

    async fn customer_history(
        &self,
        customer_id: &str,
        reseller_id: &str,
        before: i64,
        limit: u32,
    ) -> Result<Vec<Event>> {
        let params = vec![
            Value::from(customer_id),
            Value::from(reseller_id),
            Value::from(before),
            Value::from(i64::from(limit)),
        ];
        self.fetch(sql::SELECT_CUSTOMER_HISTORY, params).await
    }
}
