-- Centrale server schema, version 10: the desktop app's updates (issue 13 §2).
-- One row per version and system: the file the app downloads, its SHA-256, and the signature
-- Tauri's signer made of it (the app checks it against the public key built into it before it
-- installs anything). Kept in the database like the framework's document files, for the same
-- reasons: several servers see the same files, a backup holds them, a row appears whole or not
-- at all. A published version is never rewritten: a correction is a higher version.

CREATE TABLE app_releases (
    version TEXT NOT NULL,
    target TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    signature TEXT NOT NULL,
    notes TEXT NOT NULL,
    content BLOB NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (version, target)
);
