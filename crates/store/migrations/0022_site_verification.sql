-- Sites and domains a reseller verified through the Site Verification API, by reseller.
CREATE TABLE verified_sites (
    reseller_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    identifier TEXT NOT NULL,
    -- Space-separated addresses of the owners.
    owners TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (reseller_id, id)
);

-- Delegations made with the default scopes gain the Site Verification scopes `partnerd
-- key create` delegates now (the provisioning codelab verifies the customer's domain).
UPDATE delegations
SET scopes = scopes || ' https://www.googleapis.com/auth/siteverification'
    || ' https://www.googleapis.com/auth/siteverification.verify_only'
WHERE scopes LIKE '%admin.directory.rolemanagement.readonly%'
  AND scopes NOT LIKE '%auth/siteverification%';
