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

/// The query of a console page of a reseller's customers (see `Store::customers_page`).
pub fn customers_page_query(
    reseller_id: &str,
    q: &crate::CustomerQuery,
    limit: u32,
) -> (String, Vec<Value>) {
    use crate::{CustomerCursor, CustomerOrder};
    let mut params: Vec<Value> = vec![reseller_id.into()];
    let mut conditions = vec!["managed_by = $1".to_string()];
    let mut param = |v: Value| {
        params.push(v);
        format!("${}", params.len())
    };
    if let Some(search) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped: String = search
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let p = param(format!("{escaped}%").into());
        conditions.push(format!(
            "(domain LIKE {p} ESCAPE '\\' OR organization_key LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(t) = q.customer_type {
        let p = param(t.as_str().into());
        conditions.push(format!("customer_type = {p}"));
    }
    let order = match (q.order, &q.after) {
        (CustomerOrder::Domain, after) => {
            if let Some(CustomerCursor::Domain(d)) = after {
                let p = param(d.as_str().into());
                conditions.push(format!("domain > {p}"));
            }
            "domain"
        }
        (CustomerOrder::Organization, after) => {
            if let Some(CustomerCursor::Organization { name, id }) = after {
                let n = param(name.as_str().into());
                let i = param(id.as_str().into());
                conditions.push(format!(
                    "(organization_key > {n} OR (organization_key = {n} AND id > {i}))"
                ));
            }
            "organization_key, id"
        }
        (CustomerOrder::Newest, after) => {
            if let Some(CustomerCursor::Newest { created_at, id }) = after {
                let c = param((*created_at).into());
                let i = param(id.as_str().into());
                conditions.push(format!(
                    "(created_at < {c} OR (created_at = {c} AND id < {i}))"
                ));
            }
            "created_at DESC, id DESC"
        }
    };
    let limit = param(i64::from(limit).into());
    let text = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE {} ORDER BY {order} LIMIT {limit}",
        conditions.join(" AND ")
    );
    (text, params)
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
