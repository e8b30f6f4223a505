//! The recovery path for a damaged cache file: read what can be read of the outbox (the
//! user's unsent work) and of the settings, move the damaged file aside, start a fresh cache
//! with them, and let a full sync bring the rest back from the server.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags};
use serde::Serialize;

use crate::error::Result;
use crate::{meta_set, Store};

/// What a rescue saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rescued {
    /// Unsent changes read back from the damaged file and kept.
    pub outbox_entries: usize,
    /// Whether the whole outbox could be read (false: some unsent changes may be lost; the
    /// ones read before the damage are kept).
    pub outbox_readable: bool,
    /// Where the damaged file was moved (kept for support).
    pub damaged_copy: PathBuf,
}

struct SavedEntry {
    client_seq: i64,
    mutation_id: String,
    name: String,
    payload: String,
    base_version: Option<i64>,
    created_at: String,
    created_by: String,
    state: String,
    error_code: Option<String>,
    error_message: Option<String>,
    error_details: Option<String>,
    conflict_current: Option<String>,
    depends_on: Option<String>,
    attempts: i64,
}

/// Every column of an outbox entry, newest schema first; a file of schema 1 has no
/// `depends_on` or `attempts`.
const OUTBOX_QUERIES: [&str; 2] = [
    "SELECT client_seq, mutation_id, name, payload, base_version, created_at, created_by, state,
       error_code, error_message, error_details, conflict_current, depends_on, attempts
     FROM outbox ORDER BY client_seq",
    "SELECT client_seq, mutation_id, name, payload, base_version, created_at, created_by, state,
       error_code, error_message, error_details, conflict_current, NULL, 0
     FROM outbox ORDER BY client_seq",
];

/// Opens the damaged file read-only, as leniently as SQLite allows: with `writable_schema`,
/// a file cut short is read up to its end instead of being refused whole (SQLite otherwise
/// refuses a file shorter than its header says), so the pages left may still give the outbox.
fn open_damaged(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.pragma_update(None, "writable_schema", true)?;
    Ok(conn)
}

/// The readable outbox rows, and whether the whole outbox was read.
fn read_outbox(path: &Path) -> rusqlite::Result<(Vec<SavedEntry>, bool)> {
    let conn = open_damaged(path)?;
    let mut stmt = match conn.prepare(OUTBOX_QUERIES[0]) {
        Ok(stmt) => stmt,
        Err(_) => conn.prepare(OUTBOX_QUERIES[1])?,
    };
    let rows = stmt.query_map([], |r| {
        Ok(SavedEntry {
            client_seq: r.get(0)?,
            mutation_id: r.get(1)?,
            name: r.get(2)?,
            payload: r.get(3)?,
            base_version: r.get(4)?,
            created_at: r.get(5)?,
            created_by: r.get(6)?,
            state: r.get(7)?,
            error_code: r.get(8)?,
            error_message: r.get(9)?,
            error_details: r.get(10)?,
            conflict_current: r.get(11)?,
            depends_on: r.get(12)?,
            attempts: r.get(13)?,
        })
    })?;
    // Keep the rows read before a damaged page; SQLite stops the scan there, so an error
    // means rows may be missing: say so rather than report a cut outbox as read.
    let mut saved = Vec::new();
    for row in rows {
        match row {
            Ok(entry) => saved.push(entry),
            Err(_) => return Ok((saved, false)),
        }
    }
    Ok((saved, true))
}

fn read_meta(path: &Path) -> Vec<(String, String)> {
    let read = || -> rusqlite::Result<Vec<(String, String)>> {
        let conn = open_damaged(path)?;
        let mut stmt = conn.prepare("SELECT key, value FROM meta WHERE key <> 'cursor'")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.filter_map(|r| r.ok()).collect())
    };
    read().unwrap_or_default()
}

impl Store {
    /// Recovers from a damaged cache at `path`: the readable outbox entries and settings are
    /// carried to a fresh file (same mutation ids, so the server never applies one twice), the
    /// damaged file is moved aside, and the cursor starts at zero for a full re-sync.
    pub fn rescue(path: impl AsRef<Path>) -> Result<(Store, Rescued)> {
        let path = path.as_ref();
        let (saved, outbox_readable) = read_outbox(path).unwrap_or_default();
        let meta = read_meta(path);

        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let mut name = path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(format!(".endommage-{stamp}"));
        let damaged_copy = path.with_file_name(name);
        if path.exists() {
            std::fs::rename(path, &damaged_copy)?;
        }
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_os_string();
            side.push(suffix);
            let side = PathBuf::from(side);
            if side.exists() {
                let mut moved = damaged_copy.as_os_str().to_os_string();
                moved.push(suffix);
                std::fs::rename(&side, PathBuf::from(moved))?;
            }
        }

        let store = Store::open(path)?;
        let kept = store.write(|tx| {
            for (key, value) in &meta {
                meta_set(tx, key, value)?;
            }
            meta_set(tx, "cursor", "0")?;
            let mut kept = 0;
            for e in &saved {
                kept += tx.execute(
                    "INSERT OR IGNORE INTO outbox (client_seq, mutation_id, name, payload, base_version,
                       created_at, created_by, state, error_code, error_message, error_details,
                       conflict_current, depends_on, attempts)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                    params![
                        e.client_seq,
                        e.mutation_id,
                        e.name,
                        e.payload,
                        e.base_version,
                        e.created_at,
                        e.created_by,
                        e.state,
                        e.error_code,
                        e.error_message,
                        e.error_details,
                        e.conflict_current,
                        e.depends_on,
                        e.attempts
                    ],
                )?;
            }
            // An edit waiting for an earlier edit that could not be read back has no version
            // to be based on: sending it blind could overwrite another PC's work, so the user
            // checks it first.
            tx.execute(
                "UPDATE outbox SET state = 'needs_attention', depends_on = NULL,
                   error_code = 'depends_on_lost',
                   error_message = 'Cette modification suivait une autre modification qui n''a pas pu être récupérée. Vérifiez le brouillon puis renvoyez-la.'
                 WHERE depends_on IS NOT NULL
                   AND depends_on NOT IN (SELECT mutation_id FROM outbox)",
                [],
            )?;
            if let Some(max) = saved.iter().map(|e| e.client_seq).max() {
                meta_set(tx, "next_client_seq", &(max + 1).to_string())?;
            }
            Ok(kept)
        })?;
        tracing::warn!(kept, outbox_readable, "damaged local cache rescued");
        Ok((
            store,
            Rescued {
                outbox_entries: kept,
                outbox_readable,
                damaged_copy,
            },
        ))
    }
}
