-- The consoles list a reseller's customers searched by domain or organization name and
-- sorted by either or by age, a page at a time; and show a customer's order history, the
-- events that concern it, newest first. The organization name is kept lower-case beside
-- the address it comes from, so that it can be indexed; events name their customer.
ALTER TABLE accounts ADD COLUMN organization_key TEXT NOT NULL DEFAULT '';
UPDATE accounts SET organization_key = {{ORGANIZATION_KEY}};
CREATE INDEX accounts_reseller_domain ON accounts (managed_by, domain);
CREATE INDEX accounts_reseller_name ON accounts (managed_by, organization_key, id);
CREATE INDEX accounts_reseller_created ON accounts (managed_by, created_at, id);
ALTER TABLE events ADD COLUMN customer_id TEXT;
UPDATE events SET customer_id = {{EVENT_CUSTOMER}};
CREATE INDEX events_customer ON events (customer_id, id);
