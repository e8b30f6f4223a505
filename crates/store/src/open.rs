//! Opening the cache file: pragmas, integrity, migrations (with a copy taken first), and the
//! refusal of a file written by a newer build.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, StoreError};

/// The numbered migrations, in order. Schema version N = the first N applied.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (2, include_str!("../migrations/0002_outbox_chain.sql")),
    (3, include_str!("../migrations/0003_document_files.sql")),
    (
        4,
        include_str!("../migrations/0004_outbox_second_factor.sql"),
    ),
    (5, include_str!("../migrations/0005_screen_summaries.sql")),
    (6, include_str!("../migrations/0006_milestone_dates.sql")),
];

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// SQLite's own words for a file that is not a database or is damaged.
fn is_corruption(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode;
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase)
    )
}

pub(crate) fn corrupt(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Maps an SQLite error met while reading the file's structure: corruption is named as such.
pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    if is_corruption(&e) {
        corrupt(path, e)
    } else {
        StoreError::Sqlite(e)
    }
}

/// Opens one connection with the pragmas every connection needs.
pub(crate) fn connect(path: &Path, write: bool) -> Result<Connection> {
    let flags = if write {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // A power cut in a town hall must not lose an acknowledged change: FULL syncs the WAL
    // at every commit.
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
        .map_err(|e| classify(path, e))?;
    // Screens read the cache through the mapped file instead of copying each page in (issue
    // 19 §4: the copies were a sixth of a screen's read on 10,000 orders). Address space, not
    // memory: the kernel's page cache backs it, shared by the connections.
    conn.execute_batch("PRAGMA mmap_size = 268435456;")
        .map_err(|e| classify(path, e))?;
    if write {
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::refused(
                "cache_no_wal",
                format!("Le dossier des données locales ne permet pas le mode WAL ({mode})."),
            ));
        }
    }
    Ok(conn)
}

/// The schema version recorded in the file (0 for a new, empty file).
pub(crate) fn schema_version(path: &Path, conn: &Connection) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(path, e))
}

/// Checks the file reads as a sound database (a quick check, not a full integrity scan).
pub(crate) fn check_integrity(path: &Path, conn: &Connection) -> Result<()> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if verdict != "ok" {
        return Err(corrupt(path, verdict));
    }
    Ok(())
}

/// Where the copy taken before migrating from `from` goes.
pub fn backup_path(path: &Path, from: i64) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".avant-schema-{}.bak", from + 1));
    path.with_file_name(name)
}

/// Brings the file to `target` (the newest schema unless a test asks for an older one).
pub(crate) fn migrate(path: &Path, conn: &mut Connection, target: i64) -> Result<()> {
    let current = schema_version(path, conn)?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current >= target {
        return Ok(());
    }
    if current > 0 {
        let backup = backup_path(path, current);
        if backup.exists() {
            std::fs::remove_file(&backup)?;
        }
        conn.execute("VACUUM INTO ?1", [backup.to_string_lossy().as_ref()])
            .map_err(|e| classify(path, e))?;
    }
    for &(version, sql) in MIGRATIONS
        .iter()
        .filter(|(v, _)| *v > current && *v <= target)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .and_then(|()| tx.pragma_update(None, "user_version", version))
            .map_err(|e| StoreError::Migration {
                version,
                detail: e.to_string(),
            })?;
        tx.commit().map_err(|e| StoreError::Migration {
            version,
            detail: e.to_string(),
        })?;
        tracing::info!(version, "local cache migrated");
    }
    Ok(())
}
