-- An assertion that names no key (Google's Node.js client signs without `kid`) is tried
-- against every key of its issuer's service account: find them without a scan.
CREATE INDEX service_account_keys_client ON service_account_keys (client_id);
