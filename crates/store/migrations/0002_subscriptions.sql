-- When one of the customer's super admins accepted the Terms of Service.
ALTER TABLE accounts ADD COLUMN tos_accepted_at BIGINT;

-- The push type of an event, for those resellers are notified of.
ALTER TABLE events ADD COLUMN event_type TEXT;

CREATE TABLE subscriptions (
    -- Insertion order: the key of list pages, so pages neither skip nor repeat.
    seq {{ID}},
    id TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES accounts(id),
    reseller_id TEXT NOT NULL REFERENCES accounts(id),
    sku_id TEXT NOT NULL,
    -- The SKU while the subscription is live, NULL once cancelled: with the unique index
    -- below, a customer holds at most one live subscription per SKU.
    live_sku TEXT,
    -- When the next clock-driven transition is due (trial end, end of term).
    due_at BIGINT,
    version BIGINT NOT NULL,
    -- The whole subscription as the domain describes it (JSON).
    state TEXT NOT NULL
);
CREATE UNIQUE INDEX subscriptions_id_key ON subscriptions (id);
CREATE UNIQUE INDEX subscriptions_live_sku_key ON subscriptions (customer_id, live_sku);
CREATE INDEX subscriptions_reseller ON subscriptions (reseller_id, seq);
CREATE INDEX subscriptions_due ON subscriptions (due_at);

-- Transfer tokens a customer's admin generated for a receiving reseller (digests only).
CREATE TABLE transfer_tokens (
    digest TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES accounts(id),
    reseller_id TEXT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- resellernotify.register: service accounts allowed to read a reseller's topic.
CREATE TABLE notify_registrations (
    reseller_id TEXT NOT NULL REFERENCES accounts(id),
    service_account_email TEXT NOT NULL,
    PRIMARY KEY (reseller_id, service_account_email)
);

-- Where a reseller's Pub/Sub push subscription delivers.
CREATE TABLE push_endpoints (
    reseller_id TEXT PRIMARY KEY REFERENCES accounts(id),
    url TEXT NOT NULL
);

-- Push notifications waiting for delivery (written with the change they announce).
CREATE TABLE outbox (
    id {{ID}},
    reseller_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX outbox_due ON outbox (delivered_at, next_attempt_at);
