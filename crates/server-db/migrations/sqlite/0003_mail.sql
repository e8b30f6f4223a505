-- Centrale server schema, version 3: e-mail (issue 14). Same text in both dialects.
-- The outbox: one row per message to send, written in the same transaction as the act that
-- causes it (so a message exists exactly when its act does). A sender claims a row by moving
-- `claimed_until` forward with a fresh `claim_token` (one UPDATE, which only one server can win),
-- sends, then marks it sent or schedules the next attempt. Times are RFC 3339 UTC text.

CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    dedup_key TEXT NULL UNIQUE,
    recipient_email TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_account TEXT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until TEXT NULL,
    claim_token TEXT NULL,
    sent_at TEXT NULL,
    failed_at TEXT NULL,
    last_error TEXT NULL
);

CREATE INDEX mail_outbox_pending ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Where an account is told things (optional: an account without an address gets no e-mail).
ALTER TABLE users ADD COLUMN email TEXT NULL;
