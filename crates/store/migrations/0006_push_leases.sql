-- A push being delivered is leased in real (wall-clock) time, apart from the platform
-- time that says when it is due: moving the platform clock must not end a lease early
-- and let a second process deliver the same push.
ALTER TABLE outbox ADD COLUMN leased_until BIGINT NOT NULL DEFAULT 0;
