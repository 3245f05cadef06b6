-- Other addresses of users (the Directory's users.aliases; a renamed user keeps its old
-- address as one). An address is an alias of one user at most.
CREATE TABLE user_aliases (
    alias TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX user_aliases_user ON user_aliases (user_id);
CREATE INDEX user_aliases_account ON user_aliases (account_id, alias);

-- Delegations made with the default scopes gain the two alias scopes `partnerd key
-- create` delegates now.
UPDATE delegations
SET scopes = scopes || ' https://www.googleapis.com/auth/admin.directory.user.alias'
    || ' https://www.googleapis.com/auth/admin.directory.user.alias.readonly'
WHERE scopes LIKE '%admin.directory.rolemanagement.readonly%'
  AND scopes NOT LIKE '%admin.directory.user.alias%';
