-- One outbox for every delivery: push notifications (to the reseller's endpoint, looked
-- up when delivered) and e-mail (to the recipient written here), claimed and leased alike.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'push';
ALTER TABLE outbox ADD COLUMN recipient TEXT;
CREATE INDEX outbox_kind_due ON outbox (kind, delivered_at, next_attempt_at);
