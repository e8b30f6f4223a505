-- Centrale server schema, version 6: how each account is told by e-mail (issue 14 §1). Same
-- text in both dialects.
-- An account's choice per kind of message (`immediate`, `digest`, `nothing`); a kind without a
-- row has its default, a legal notification never has a row (always sent at once). `account` is
-- a user id, or `provider:<id>` for a provider's contact address. Written by the mutation
-- `account.set_mail_preferences` (which also writes the synced record `mail_preferences`).
CREATE TABLE mail_preferences (
    account TEXT NOT NULL,
    kind TEXT NOT NULL,
    choice TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, kind)
);

-- How each outbox message goes, decided at enqueue by its recipient's choice: `immediate` (the
-- sender sends it), `digest` (held until the daily digest of its account lists it; `digest_id`
-- is then the digest message's id), `nothing` (never sent: not sent by choice). `action` is
-- where to act (the portal's link, the path in the app), which the digest lists.
ALTER TABLE mail_outbox ADD COLUMN delivery TEXT NOT NULL DEFAULT 'immediate';
ALTER TABLE mail_outbox ADD COLUMN digest_id TEXT NULL;
ALTER TABLE mail_outbox ADD COLUMN action TEXT NULL;

CREATE INDEX mail_outbox_held ON mail_outbox (recipient_account, created_at) WHERE delivery = 'digest' AND digest_id IS NULL;
