-- Transfer tokens are deleted by customer (a customer that moves ends every other
-- reseller's token; a new token supersedes the same reseller's older ones), and access
-- tokens by user (suspending or deleting a user ends its tokens).
CREATE INDEX transfer_tokens_customer ON transfer_tokens (customer_id, reseller_id);
CREATE INDEX access_tokens_subject ON access_tokens (subject_user_id);
