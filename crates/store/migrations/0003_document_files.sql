-- Schema 3: the files of the framework's documents (issue 12 §2), kept on this PC so that they
-- open offline, at the version an order is pinned to. Named by the SHA-256 of their content (the
-- hash the framework version records); checked against it each time one is read.
CREATE TABLE document_files (
    sha256 TEXT PRIMARY KEY,
    content BLOB NOT NULL,
    fetched_at TEXT NOT NULL
);
