-- When each user first and last signed in to the consoles: the Directory's agreedToTerms
-- (a user agrees to the Terms of Service at its first sign-in) and lastLoginTime.
CREATE TABLE user_sign_ins (
    user_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);
CREATE INDEX user_sign_ins_account ON user_sign_ins (account_id);
