-- Centrale local cache, schema 1.

-- Key/value settings of this installation: client id, sync cursor, the signed-in account.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Every synced record, as the user sees it: the server's state, with this PC's pending
-- changes laid on top. While a local change overlays a record (`pending = 1`), the server's
-- own state is kept in `server_version`/`server_body` so that it can be restored when the
-- change is applied, refused or rebased (`server_body` NULL: not on the server).
CREATE TABLE record (
    kind           TEXT NOT NULL,
    id             TEXT NOT NULL,
    version        INTEGER NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    body           TEXT NOT NULL,
    commune_nis    TEXT,
    parent_id      TEXT,
    pending        INTEGER NOT NULL DEFAULT 0,
    server_version INTEGER,
    server_body    TEXT,
    PRIMARY KEY (kind, id)
) STRICT;

CREATE INDEX record_by_parent ON record (kind, parent_id);
CREATE INDEX record_pending ON record (pending) WHERE pending = 1;

-- The records a screen may show.
CREATE VIEW live_record AS
    SELECT kind, id, version, body, commune_nis, parent_id, pending
    FROM record WHERE deleted = 0;

-- What the user did and the server has not yet accepted, in order.
CREATE TABLE outbox (
    client_seq    INTEGER PRIMARY KEY NOT NULL,
    mutation_id   TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    base_version  INTEGER,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'needs_attention', 'conflict')),
    error_code    TEXT,
    error_message TEXT,
    error_details TEXT,
    conflict_current TEXT
) STRICT;

-- The records each pending mutation changed locally (to undo and replay it).
CREATE TABLE outbox_touch (
    client_seq INTEGER NOT NULL REFERENCES outbox (client_seq) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    PRIMARY KEY (client_seq, kind, id)
) STRICT;
