-- Schema 2: edits chained to an earlier edit of the same record, and delivery attempts.

-- An edit made while an earlier edit of the same record from this PC is still on its way
-- waits for that one's answer: its base version is the version that edit produced.
ALTER TABLE outbox ADD COLUMN depends_on TEXT;

-- How many times the mutation was sent without an answer (network errors), for the status.
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

CREATE INDEX outbox_by_state ON outbox (state, client_seq);
