-- Accounts: resellers and their customers (a reseller is itself a Google account).
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    domain TEXT NOT NULL,
    customer_type TEXT NOT NULL,
    managed_by TEXT REFERENCES accounts(id),
    reseller_public_id TEXT,
    alternate_email TEXT,
    phone_number TEXT,
    postal_address TEXT NOT NULL,
    primary_admin_email TEXT,
    domain_verified BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
-- Domains are stored lower-case; this index decides concurrent inserts of one domain.
CREATE UNIQUE INDEX accounts_domain_key ON accounts (domain);
CREATE UNIQUE INDEX accounts_public_id_key ON accounts (reseller_public_id);
CREATE INDEX accounts_managed_by ON accounts (managed_by);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    primary_email TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_super_admin BOOLEAN NOT NULL,
    suspended BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_primary_email_key ON users (primary_email);
CREATE INDEX users_account ON users (account_id);

CREATE TABLE service_accounts (
    client_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX service_accounts_email_key ON service_accounts (email);

CREATE TABLE service_account_keys (
    key_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES service_accounts(client_id),
    public_key_pem TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Domain-wide delegation: which client IDs may impersonate users of an account, with which scopes.
CREATE TABLE delegations (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    client_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    PRIMARY KEY (account_id, client_id)
);

-- Access tokens are kept only as SHA-256 digests.
CREATE TABLE access_tokens (
    digest TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    subject_user_id TEXT,
    subject_email TEXT,
    scopes TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

-- Every change, written in the transaction that makes it.
CREATE TABLE events (
    id {{ID}},
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    account_id TEXT,
    action TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT
);
CREATE INDEX events_account ON events (account_id, id);

-- Server-wide settings shared by every process on the database (the clock offset).
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
