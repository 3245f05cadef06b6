-- The Partner Sales Console filters a reseller's customers by what their subscriptions
-- are (plan, suspension reason, renewal date) and sorts them by the earliest renewal.
-- These facts live in the JSON state; copies in columns of their own let the list ask for
-- them without parsing every state, and the index walks renewals in date order.
ALTER TABLE subscriptions ADD COLUMN plan TEXT NOT NULL DEFAULT '';
-- The suspension reasons, each between commas (",TRIAL_ENDED,"); '' while not suspended.
ALTER TABLE subscriptions ADD COLUMN suspension_reasons TEXT NOT NULL DEFAULT '';
-- The end of the annual term of a live annual subscription out of trial: its renewal.
ALTER TABLE subscriptions ADD COLUMN renews_at BIGINT;
UPDATE subscriptions SET plan = {{SUBSCRIPTION_PLAN}},
    suspension_reasons = {{SUBSCRIPTION_REASONS}},
    renews_at = {{SUBSCRIPTION_RENEWS_AT}};
CREATE INDEX subscriptions_renewals ON subscriptions (reseller_id, renews_at, customer_id, live_sku);
-- A filter few subscriptions meet (a rare SKU or plan, the suspended ones) is answered from
-- the subscriptions that meet it, found through these, instead of by asking every customer.
-- Suspended subscriptions are few: their index is partial, and costs nothing to the rest.
-- Each holds `live_sku` too, so that finding and counting a filter's live subscriptions
-- reads the index alone.
CREATE INDEX subscriptions_by_plan ON subscriptions (reseller_id, plan, customer_id, live_sku);
CREATE INDEX subscriptions_by_sku ON subscriptions (reseller_id, live_sku, customer_id);
CREATE INDEX subscriptions_suspended ON subscriptions (reseller_id, suspension_reasons, customer_id, live_sku)
    WHERE suspension_reasons <> '';
