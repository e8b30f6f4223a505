//! The append-only, hash-chained audit log.
//!
//! Each entry's `hash` is the hex SHA-256 of an unambiguous encoding of its fields and of the
//! previous entry's hash (see [`audit_hash`]), so changing, removing or reordering an entry
//! breaks the chain from there on. Triggers in both dialects refuse UPDATE and DELETE.
//! Limit, by design: removing the *last* entries leaves a valid shorter chain; anchoring the
//! latest hash elsewhere (e.g. printing it in reports) is the server's business.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

use crate::columns::{get_i64, get_opt_text, get_text, parse_json, parse_time};
use crate::{Database, DbError};

/// `prev_hash` of the first entry: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What to record (the chain fields are computed by [`crate::WriteTx::append_audit`]).
#[derive(Clone, Debug, PartialEq)]
pub struct AuditInput {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it (user id or `system:…`).
    pub actor: String,
    /// What was done (a stable action name).
    pub action: String,
    /// Kind of the record concerned, if any.
    pub record_kind: Option<String>,
    /// Id of the record concerned, if any.
    pub record_id: Option<String>,
    /// Anything else worth keeping.
    pub details: serde_json::Value,
}

/// One stored audit entry.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// Kind of the record concerned, if any.
    pub record_kind: Option<String>,
    /// Id of the record concerned, if any.
    pub record_id: Option<String>,
    /// Details.
    pub details: serde_json::Value,
    /// Hash of the previous entry ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

/// What kind of problem [`Database::verify_audit`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditProblemKind {
    /// An entry is missing (the chain does not start at 1, or skips a number).
    Missing,
    /// `prev_hash` is not the previous entry's hash.
    BrokenLink,
    /// The entry's content does not match its hash.
    TamperedEntry,
}

/// The first problem found in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditProblem {
    /// The seq where the problem is (for `Missing`, the first missing seq).
    pub seq: i64,
    /// What is wrong.
    pub kind: AuditProblemKind,
    /// A sentence for the operator (French).
    pub message: String,
}

/// Result of [`Database::verify_audit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    /// Number of entries stored.
    pub entries: i64,
    /// The first problem, or `None` when the whole chain verifies.
    pub first_problem: Option<AuditProblem>,
}

/// The hash of an entry, from its fields *as stored* (`at` and `details` are the stored text).
///
/// Encoding fed to SHA-256: the ASCII tag `centrale-audit-v1`, then `seq` as 8 bytes big-endian,
/// then each of `at`, `actor`, `action`, `record_kind`, `record_id`, `details`, `prev_hash`:
/// a text is its UTF-8 length as 8 bytes big-endian followed by its bytes; an optional text is
/// the byte 0 when absent, or the byte 1 followed by the text. Result in lower-case hex.
#[allow(clippy::too_many_arguments)]
pub fn audit_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    record_kind: Option<&str>,
    record_id: Option<&str>,
    details: &str,
    prev_hash: &str,
) -> String {
    fn text(h: &mut Sha256, s: &str) {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    }
    fn opt(h: &mut Sha256, s: Option<&str>) {
        match s {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                text(h, s);
            }
        }
    }
    let mut h = Sha256::new();
    h.update(b"centrale-audit-v1");
    h.update(seq.to_be_bytes());
    text(&mut h, at);
    text(&mut h, actor);
    text(&mut h, action);
    opt(&mut h, record_kind);
    opt(&mut h, record_id);
    text(&mut h, details);
    text(&mut h, prev_hash);
    hex::encode(h.finalize())
}

const AUDIT_COLUMNS: &str =
    "seq, at, actor, action, record_kind, record_id, details, prev_hash, hash";

/// The stored text of one entry, before any parsing (what the hash covers).
struct RawEntry {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    record_kind: Option<String>,
    record_id: Option<String>,
    details: String,
    prev_hash: String,
    hash: String,
}

impl RawEntry {
    fn from_row(row: &AnyRow) -> Result<RawEntry, DbError> {
        Ok(RawEntry {
            seq: get_i64(row, "seq")?,
            at: get_text(row, "at")?,
            actor: get_text(row, "actor")?,
            action: get_text(row, "action")?,
            record_kind: get_opt_text(row, "record_kind")?,
            record_id: get_opt_text(row, "record_id")?,
            details: get_text(row, "details")?,
            prev_hash: get_text(row, "prev_hash")?,
            hash: get_text(row, "hash")?,
        })
    }

    fn computed_hash(&self) -> String {
        audit_hash(
            self.seq,
            &self.at,
            &self.actor,
            &self.action,
            self.record_kind.as_deref(),
            self.record_id.as_deref(),
            &self.details,
            &self.prev_hash,
        )
    }

    fn parse(self) -> Result<AuditEntry, DbError> {
        Ok(AuditEntry {
            seq: self.seq,
            at: parse_time(&self.at, "audit_log.at")?,
            details: parse_json(&self.details, "audit_log.details")?,
            actor: self.actor,
            action: self.action,
            record_kind: self.record_kind,
            record_id: self.record_id,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

/// The last entry's seq and hash, or `(0, GENESIS_HASH)` when the log is empty.
pub(crate) async fn chain_head<'c, E>(ex: E) -> Result<(i64, String), DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(ex)
        .await?;
    match row {
        Some(row) => Ok((get_i64(&row, "seq")?, get_text(&row, "hash")?)),
        None => Ok((0, GENESIS_HASH.to_string())),
    }
}

const VERIFY_PAGE: i64 = 1000;

impl Database {
    /// Walks the whole audit chain in seq order and reports the first problem, if any.
    pub async fn verify_audit(&self) -> Result<AuditReport, DbError> {
        let count = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        let entries = get_i64(&count, "n")?;
        let mut expected_seq = 1;
        let mut prev_hash = GENESIS_HASH.to_string();
        let mut after = i64::MIN;
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        loop {
            let rows = sqlx::query(&sql)
                .bind(after)
                .bind(VERIFY_PAGE)
                .fetch_all(&self.pool)
                .await?;
            if rows.is_empty() {
                return Ok(AuditReport {
                    entries,
                    first_problem: None,
                });
            }
            for row in &rows {
                let entry = RawEntry::from_row(row)?;
                if let Some(problem) = check_entry(&entry, expected_seq, &prev_hash) {
                    return Ok(AuditReport {
                        entries,
                        first_problem: Some(problem),
                    });
                }
                expected_seq = entry.seq + 1;
                after = entry.seq;
                prev_hash = entry.hash;
            }
        }
    }

    /// Up to `limit` audit entries after `after_seq`, in seq order.
    pub async fn list_audit(&self, after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        sqlx::query(&sql)
            .bind(after_seq)
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| RawEntry::from_row(row)?.parse())
            .collect()
    }
}

fn check_entry(entry: &RawEntry, expected_seq: i64, prev_hash: &str) -> Option<AuditProblem> {
    if entry.seq != expected_seq {
        return Some(AuditProblem {
            seq: expected_seq,
            kind: AuditProblemKind::Missing,
            message: format!(
                "Entrée {expected_seq} du journal d'audit manquante (l'entrée suivante trouvée \
                 est la {}).",
                entry.seq
            ),
        });
    }
    if entry.prev_hash != prev_hash {
        return Some(AuditProblem {
            seq: entry.seq,
            kind: AuditProblemKind::BrokenLink,
            message: format!(
                "Entrée {} du journal d'audit : elle ne suit pas l'entrée précédente (empreinte \
                 précédente attendue {prev_hash}, trouvée {}).",
                entry.seq, entry.prev_hash
            ),
        });
    }
    if entry.computed_hash() != entry.hash {
        return Some(AuditProblem {
            seq: entry.seq,
            kind: AuditProblemKind::TamperedEntry,
            message: format!(
                "Entrée {} du journal d'audit modifiée : son contenu ne correspond plus à son \
                 empreinte.",
                entry.seq
            ),
        });
    }
    None
}
