-- Licences users hold (paid SKUs; Cloud Identity Free is implicit for every user).
CREATE TABLE licenses (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    user_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- One SKU per product per user.
    PRIMARY KEY (user_id, product_id)
);
CREATE INDEX licenses_account ON licenses (account_id, product_id, sku_id);
