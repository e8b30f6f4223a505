-- The second factor of an account (issue 17 point 9): a TOTP secret (RFC 6238, base32), set
-- while the account sets it up and kept once a code from it is confirmed (`second_factor_on_at`);
-- wrong codes counted like failed logins.
ALTER TABLE users ADD COLUMN second_factor_secret TEXT NULL;
ALTER TABLE users ADD COLUMN second_factor_on_at TEXT NULL;
ALTER TABLE users ADD COLUMN second_factor_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN second_factor_failed_at TEXT NULL;

-- Recovery codes, stored hashed (SHA-256: ten random characters from 31), each used once.
CREATE TABLE second_factor_recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TEXT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- The 30-second steps whose code served, per account: a code serves once (RFC 6238 §5.2),
-- except again from the same PC within minutes (two acts signed one after the other).
CREATE TABLE second_factor_used_steps (
    user_id TEXT NOT NULL REFERENCES users (id),
    step BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    used_at TEXT NOT NULL,
    PRIMARY KEY (user_id, step)
);
