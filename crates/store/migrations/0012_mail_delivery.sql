-- What became of an e-mail's attempts, for the control API's mail list: the last refusal
-- (an SMTP server's answer, or why none answered), and when delivery was given up.
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
-- The mail list, newest first: all of it, or one recipient's.
CREATE INDEX outbox_kind_id ON outbox (kind, id);
CREATE INDEX outbox_kind_recipient_id ON outbox (kind, recipient, id);
