-- Custom admin roles of an account (prebuilt roles are data in the binary).
CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    description TEXT,
    -- Privilege names, space-separated.
    privileges TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX roles_name_key ON roles (account_id, name);

CREATE TABLE role_assignments (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role_id TEXT NOT NULL,
    assigned_to TEXT NOT NULL,
    scope_type TEXT NOT NULL,
    -- '' for CUSTOMER scope, so the unique index below also covers it.
    org_unit_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX role_assignments_key ON role_assignments (account_id, role_id, assigned_to, scope_type, org_unit_id);
