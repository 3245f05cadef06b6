-- Directory API: a customer's default language and whether its reseller may administer it.
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE accounts ADD COLUMN reseller_access BOOLEAN NOT NULL DEFAULT TRUE;

ALTER TABLE users ADD COLUMN org_unit_id TEXT;
ALTER TABLE users ADD COLUMN change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Organizational units below an account's root ("/", which is implicit).
CREATE TABLE org_units (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    description TEXT,
    -- The full path, e.g. /Staff/Sales; kept for every unit so lookups by path are one read.
    path TEXT NOT NULL,
    parent_id TEXT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX org_units_path_key ON org_units (account_id, path);
