-- Directory groups of an account and their members (users, groups of the account, or
-- addresses outside it).
CREATE TABLE directory_groups (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX directory_groups_email_key ON directory_groups (email);
CREATE INDEX directory_groups_account ON directory_groups (account_id, email);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES directory_groups(id),
    member_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
-- groups.list by userKey, and removing a deleted user's or group's memberships.
CREATE INDEX group_members_member ON group_members (member_id);
CREATE INDEX group_members_account ON group_members (account_id);

-- Delegations made with the default scopes before groups were served gain the four group
-- scopes `partnerd key create` delegates now, so existing keys reach the new methods.
UPDATE delegations
SET scopes = scopes || ' https://www.googleapis.com/auth/admin.directory.group'
    || ' https://www.googleapis.com/auth/admin.directory.group.readonly'
    || ' https://www.googleapis.com/auth/admin.directory.group.member'
    || ' https://www.googleapis.com/auth/admin.directory.group.member.readonly'
WHERE scopes LIKE '%admin.directory.rolemanagement.readonly%'
  AND scopes NOT LIKE '%admin.directory.group%';
