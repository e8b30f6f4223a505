//! The files of the framework's documents kept on this PC (issue 12 §2), so that they open
//! offline at the version an order is pinned to, even after a new version is published.
//!
//! A file is kept under the SHA-256 of its content, the hash the framework version records;
//! it is checked against that hash when it arrives and every time it is read. A copy that no
//! longer matches (a damaged disk, a file edited by hand) is dropped, so the next sync fetches
//! a sound one.

use std::collections::BTreeMap;

use centrale_domain::catalogue::FrameworkAgreement;
use centrale_domain::{sha256_hex, DomainError, ErrorCode};
use centrale_protocol::records::RecordKind;
use rusqlite::{params, OptionalExtension};
use uuid::Uuid;

use crate::error::Result;
use crate::{records, Store};

/// A document whose file this PC needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededFile {
    /// SHA-256 of the file.
    pub sha256: String,
    /// Its file name (as the version names it).
    pub file_name: String,
    /// Its title (for messages).
    pub title_fr: String,
}

/// A kept file as read: sound, absent, or damaged (then dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeptFile {
    /// The content, checked against its hash.
    Sound(Vec<u8>),
    /// Not on this PC yet.
    Missing,
    /// The copy did not match its hash: it was dropped.
    Corrupt,
}

/// A framework version some order is pinned to.
struct Pinned {
    framework_id: Uuid,
    framework_version: u32,
}

/// The framework versions the orders are pinned to, each once: SQLite reads the two fields
/// from each order's text, so that a PC with 100,000 orders gets a few pairs back rather than
/// 100,000 records to parse (issue 19 §4).
fn pinned_versions(conn: &rusqlite::Connection) -> Result<Vec<Pinned>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT json_extract(body, '$.framework_id'),
                json_extract(body, '$.framework_version')
         FROM live_record WHERE kind = ?1",
    )?;
    let rows = stmt.query_map(params![RecordKind::Order.as_str()], |r| {
        Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<i64>>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        if let (Some(id), Some(version)) = row? {
            if let (Ok(framework_id), Ok(framework_version)) =
                (Uuid::parse_str(&id), u32::try_from(version))
            {
                out.push(Pinned {
                    framework_id,
                    framework_version,
                });
            }
        }
    }
    Ok(out)
}

impl Store {
    /// Did the last look find every document file this PC needs, with no change pulled and no
    /// damaged copy dropped since? Then a sync that changed nothing need not read every order
    /// again (issue 19: a no-change sync costs what it returns). Kept in the cache (`meta`),
    /// so every process and connection on this file sees it.
    pub fn document_files_complete(&self) -> Result<bool> {
        Ok(self
            .read(|c| crate::meta_get(c, DOCUMENT_FILES_COMPLETE))?
            .is_some_and(|v| v == "1"))
    }

    /// Records that every needed document file is here (after a look that found them all).
    pub fn set_document_files_complete(&self) -> Result<()> {
        self.write(|tx| crate::meta_set(tx, DOCUMENT_FILES_COMPLETE, "1"))
    }

    /// The documents of the framework versions this PC needs — the current version of every
    /// framework of the catalogue and the version each order here is pinned to — whose file
    /// is not kept here yet, by hash.
    pub fn needed_document_files(&self) -> Result<Vec<NeededFile>> {
        self.read(|conn| {
            let frameworks: Vec<FrameworkAgreement> = records::all(conn, RecordKind::Framework)?;
            let pinned = pinned_versions(conn)?;
            let mut needed = BTreeMap::new();
            for f in &frameworks {
                let mut versions: Vec<u32> = f.current().map(|t| t.version).into_iter().collect();
                versions.extend(
                    pinned
                        .iter()
                        .filter(|p| p.framework_id == f.id)
                        .map(|p| p.framework_version),
                );
                for v in versions {
                    for d in f.version(v).map(|t| t.documents.as_slice()).unwrap_or(&[]) {
                        needed
                            .entry(d.sha256.clone())
                            .or_insert_with(|| NeededFile {
                                sha256: d.sha256.clone(),
                                file_name: d.file_name.clone(),
                                title_fr: d.title_fr.clone(),
                            });
                    }
                }
            }
            let mut stmt = conn.prepare_cached("SELECT 1 FROM document_files WHERE sha256 = ?1")?;
            let mut out = Vec::new();
            for (hash, file) in needed {
                if !stmt.exists(params![hash])? {
                    out.push(file);
                }
            }
            Ok(out)
        })
    }

    /// Keeps a file received from the server, after checking it is the one named by `sha256`
    /// (a file that is not is refused and nothing is written).
    pub fn put_document_file(&self, sha256: &str, content: &[u8]) -> Result<()> {
        let computed = sha256_hex(content);
        if !computed.eq_ignore_ascii_case(sha256) {
            return Err(DomainError::rule(ErrorCode::DocumentFileHashMismatch)
                .with("declared", sha256)
                .with("computed", computed)
                .into());
        }
        let now = chrono::Utc::now().to_rfc3339();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO document_files (sha256, content, fetched_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (sha256) DO UPDATE SET content = excluded.content, \
                 fetched_at = excluded.fetched_at",
                params![computed, content, now],
            )?;
            Ok(())
        })
    }

    /// The kept file `sha256`, checked against its hash; a damaged copy is dropped.
    pub fn document_file(&self, sha256: &str) -> Result<KeptFile> {
        let sha256 = sha256.to_ascii_lowercase();
        let content: Option<Vec<u8>> = self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT content FROM document_files WHERE sha256 = ?1",
                    params![sha256],
                    |r| r.get(0),
                )
                .optional()?)
        })?;
        match content {
            None => Ok(KeptFile::Missing),
            Some(bytes) if sha256_hex(&bytes) == sha256 => Ok(KeptFile::Sound(bytes)),
            Some(_) => {
                tracing::warn!(sha256 = %sha256, "damaged copy of a framework document dropped");
                self.write(|tx| {
                    tx.execute(
                        "DELETE FROM document_files WHERE sha256 = ?1",
                        params![sha256],
                    )?;
                    forget_document_files_complete(tx)
                })?;
                Ok(KeptFile::Corrupt)
            }
        }
    }
}

/// `meta` key: every needed document file was here at the last look.
const DOCUMENT_FILES_COMPLETE: &str = "document_files_complete";

/// Something may need a file again (a change pulled, a damaged copy dropped).
pub(crate) fn forget_document_files_complete(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [DOCUMENT_FILES_COMPLETE])?;
    Ok(())
}
