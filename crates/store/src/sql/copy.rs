//! PostgreSQL's binary COPY of the rows bulk seeding writes.

/// PostgreSQL binary COPY of accounts: the columns of `INSERT_ACCOUNT`, in the order of
/// `account_params`.
pub const COPY_ACCOUNTS: &str = "COPY accounts (id, domain, customer_type, managed_by, \
     reseller_public_id, alternate_email, phone_number, postal_address, primary_admin_email, \
     domain_verified, created_at, version, tos_accepted_at, language, reseller_access, organization_key, \
     education) FROM STDIN (FORMAT binary)";

/// The column types of `COPY_ACCOUNTS`.
pub const COPY_ACCOUNT_TYPES: &[tokio_postgres::types::Type] = {
    use tokio_postgres::types::Type;
    &[
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::BOOL,
        Type::INT8,
        Type::INT8,
        Type::INT8,
        Type::TEXT,
        Type::BOOL,
        Type::TEXT,
        Type::BOOL,
    ]
};

/// PostgreSQL binary COPY of subscriptions: the columns of `INSERT_SUBSCRIPTION`, in the
/// order of `insert_subscription_params` (`seq` takes its default, as on insert).
pub const COPY_SUBSCRIPTIONS: &str = "COPY subscriptions (id, customer_id, reseller_id, sku_id, \
     live_sku, due_at, version, state, plan, suspension_reasons, renews_at) FROM STDIN (FORMAT binary)";

/// The column types of `COPY_SUBSCRIPTIONS`.
pub const COPY_SUBSCRIPTION_TYPES: &[tokio_postgres::types::Type] = {
    use tokio_postgres::types::Type;
    &[
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::INT8,
        Type::INT8,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::INT8,
    ]
};
