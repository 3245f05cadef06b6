-- The product groups a customer chose to move with a transfer token: its purchase consent
-- for the receiving reseller, as a JSON array of product IDs; NULL for every group (tokens
-- made before, and tokens that name none).
ALTER TABLE transfer_tokens ADD COLUMN product_groups TEXT;
