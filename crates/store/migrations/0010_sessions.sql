-- Console sessions, keyed by the digest of the cookie's secret (never the secret).
CREATE TABLE sessions (
    digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    data TEXT NOT NULL
);
-- Signing a user out everywhere (password change, suspension, deletion) finds its sessions.
CREATE INDEX sessions_user ON sessions (user_id);
