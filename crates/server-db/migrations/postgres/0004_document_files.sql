-- Centrale server schema, version 4: the files of the framework's own documents (issue 12 §2).
-- Content-addressed: a file is named by the SHA-256 of its content (lower-case hex), the hash the
-- framework version records, so the same content is stored once. Kept in the database, not on
-- disk: several servers over one PostgreSQL see the same files without a shared folder, a backup
-- holds them with the records that name them, and a file appears in one INSERT that commits whole
-- or not at all (no half-written file is ever visible). Files are never rewritten nor deleted: a
-- published version names them for good.

CREATE TABLE document_files (
    sha256 TEXT PRIMARY KEY,
    file_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BYTEA NOT NULL,
    stored_at TEXT NOT NULL,
    stored_by TEXT NOT NULL
);
