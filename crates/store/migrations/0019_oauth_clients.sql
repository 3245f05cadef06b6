-- OAuth clients a reseller registers for user credentials (GAM's oauth2.txt), and the
-- refresh tokens issued to its users; both secrets are kept only as SHA-256 digests.
CREATE TABLE oauth_clients (
    client_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    secret_digest TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX oauth_clients_account ON oauth_clients (account_id);

CREATE TABLE refresh_tokens (
    digest TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES oauth_clients(client_id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    user_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
-- Suspending or deleting a user ends its refresh tokens with its access tokens.
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
