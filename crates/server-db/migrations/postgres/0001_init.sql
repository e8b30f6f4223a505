-- Centrale server schema, version 1 (PostgreSQL dialect).
-- Same logical schema as migrations/sqlite/0001_init.sql: integers and booleans (0/1) are
-- BIGINT, times are RFC 3339 UTC TEXT, JSON bodies are TEXT.
-- Applied whole by sqlx's migrator (src/migrate.rs), its checksum recorded: once released,
-- a migration is never edited; a change is a new file.

CREATE TABLE records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0,
    parent_id TEXT NULL,
    body TEXT NOT NULL,
    vis_public BIGINT NOT NULL,
    vis_centrale BIGINT NOT NULL,
    vis_commune TEXT NULL,
    vis_provider TEXT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE UNIQUE INDEX records_seq ON records (seq);
CREATE INDEX records_kind_parent ON records (kind, parent_id);
CREATE INDEX records_commune_seq ON records (vis_commune, seq) WHERE vis_commune IS NOT NULL;
CREATE INDEX records_provider_seq ON records (vis_provider, seq) WHERE vis_provider IS NOT NULL;

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

INSERT INTO counters (name, value) VALUES ('change_seq', 0);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT UNIQUE NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    commune_nis TEXT NULL,
    provider_id TEXT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    is_demo BIGINT NOT NULL DEFAULT 0,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    last_failed_at TEXT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE device_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    device TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT NULL,
    revoked_at TEXT NULL
);

CREATE INDEX device_tokens_user ON device_tokens (user_id);

CREATE TABLE mutations (
    mutation_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    client_seq BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    result TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE INDEX mutations_client ON mutations (client_id, client_seq);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_kind TEXT NULL,
    record_id TEXT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX web_sessions_user ON web_sessions (user_id);
