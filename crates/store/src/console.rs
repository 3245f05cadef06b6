//! The reads the consoles list with, written once over `Db` for both databases: a
//! reseller's customers (searched, filtered, ordered, a keyset page at a time) and a
//! customer's order history.

use async_trait::async_trait;
use partnerd_domain::customer::Customer;
use partnerd_domain::event::Event;

use crate::db::Db;
use crate::rows::Value;
use crate::{CustomerQuery, Result, sql};

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
        let (text, params) = sql::customers_page_query(reseller_id, query, limit);
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
