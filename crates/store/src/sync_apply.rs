//! What the sync engine writes: pulled pages (with the cursor, in one transaction), the
//! answers to a push, and the laying out again of pending changes on the server's state.

use std::collections::HashMap;

use centrale_protocol::{Change, Me, MutationResult, MutationStatus, RawChange};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::error::Result;
use crate::outbox::{self, OutboxEntry};
use crate::{local, meta_set, records, Store};

/// What a pulled page did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PageApplied {
    /// Changes stored.
    pub changes: usize,
    /// Cursor now stored.
    pub cursor: i64,
    /// Whether pending local changes were laid out again on the new server state.
    pub rebased: bool,
}

/// What the answers to a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResultsApplied {
    /// Accepted by the server.
    pub applied: usize,
    /// Refused: now in the needs-attention list.
    pub rejected: usize,
    /// In conflict: both versions kept.
    pub conflicts: usize,
}

/// Takes every local change off and lays the still-pending ones out again, in order, on
/// the server's state. A pending change that the new state no longer allows locally keeps
/// its place in the outbox (the server decides) but shows no effect.
pub(crate) fn rebase(tx: &mut Transaction<'_>) -> Result<()> {
    records::restore_server_state(tx)?;
    tx.execute(
        "DELETE FROM outbox_touch WHERE client_seq IN (SELECT client_seq FROM outbox)",
        [],
    )?;
    let pending = outbox::query(tx, "WHERE state = 'pending' ORDER BY client_seq", &[])?;
    for entry in pending {
        let Some(mutation) = entry.mutation() else {
            continue;
        };
        let mut sp = tx.savepoint()?;
        match local::apply(
            &sp,
            &entry.created_by,
            entry.client_seq,
            &mutation,
            entry.created_at,
        ) {
            Ok(_) => sp.commit()?,
            Err(e) => {
                tracing::debug!(mutation = %entry.name, error = %e, "pending change no longer shows locally");
                sp.rollback()?;
            }
        }
    }
    Ok(())
}

fn set_state(
    conn: &Connection,
    mutation_id: &str,
    state: &str,
    code: Option<&str>,
    message: Option<&str>,
    details: &Value,
    current: Option<&Change>,
) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET state = ?2, error_code = ?3, error_message = ?4, error_details = ?5,
           conflict_current = ?6, second_factor = NULL
         WHERE mutation_id = ?1",
        params![
            mutation_id,
            state,
            code,
            message,
            serde_json::to_string(details)?,
            current.map(serde_json::to_string).transpose()?,
        ],
    )?;
    conn.execute(
        "DELETE FROM outbox_touch WHERE client_seq = (SELECT client_seq FROM outbox WHERE mutation_id = ?1)",
        [mutation_id],
    )?;
    Ok(())
}

/// Entries chained to `mutation_id` share its fate when it is refused or in conflict.
fn fail_dependents(
    conn: &Connection,
    mutation_id: &str,
    state: &str,
    current: Option<&Change>,
) -> Result<usize> {
    let dependents: Vec<String> = conn
        .prepare("SELECT mutation_id FROM outbox WHERE depends_on = ?1 AND state = 'pending'")?
        .query_map([mutation_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut count = 0;
    for dependent in dependents {
        let (code, message) = if state == "conflict" {
            ("conflict", "Ce brouillon a été modifié entre-temps depuis un autre poste. Les deux versions sont conservées : choisissez celle à garder.")
        } else {
            ("depends_on_refused", "Cette modification suivait une modification refusée par l'intercommunale : corrigez d'abord celle-ci, puis renvoyez-la.")
        };
        set_state(
            conn,
            &dependent,
            state,
            Some(code),
            Some(message),
            &serde_json::json!({}),
            current,
        )?;
        count += 1 + fail_dependents(conn, &dependent, state, current)?;
    }
    Ok(count)
}

impl Store {
    /// Stores one pulled page and its cursor in one transaction, then lays pending local
    /// changes out again on the new state. A crash at any point keeps either the whole page
    /// and its cursor, or neither.
    pub fn apply_pull_page(&self, changes: &[Change], next_cursor: i64) -> Result<PageApplied> {
        let raw = changes
            .iter()
            .map(RawChange::of)
            .collect::<std::result::Result<Vec<_>, _>>()?;
        self.apply_raw_pull_page(&raw, next_cursor)
    }

    /// The same with each record as the server's JSON text, stored as it is (what the sync
    /// engine receives: issue 19 §4).
    pub fn apply_raw_pull_page(
        &self,
        changes: &[RawChange],
        next_cursor: i64,
    ) -> Result<PageApplied> {
        // Nothing new (the usual answer of a sync when nobody changed anything): no write,
        // no fsync.
        if changes.is_empty() && next_cursor == self.cursor()? {
            return Ok(PageApplied {
                changes: 0,
                cursor: next_cursor,
                rebased: false,
            });
        }
        self.write(|tx| {
            // Pulled pages never add local changes: looked for once per page.
            let pending = records::any_pending(tx)?;
            let mut under_local = false;
            for change in changes {
                let body = (!change.deleted).then(|| change.record.get());
                under_local |= records::put_server(
                    tx,
                    change.kind,
                    &change.id,
                    change.version,
                    body,
                    pending,
                )?;
            }
            meta_set(tx, "cursor", &next_cursor.to_string())?;
            if !changes.is_empty() {
                // A framework version or a pinned order may need a file not yet here.
                crate::files::forget_document_files_complete(tx)?;
            }
            let rebased = under_local || pending;
            if rebased {
                rebase(tx)?;
            }
            Ok(PageApplied {
                changes: changes.len(),
                cursor: next_cursor,
                rebased,
            })
        })
    }

    /// The next entries to push for `user_id`, in order: the pending ones up to the first that
    /// waits for an earlier edit's answer. Other accounts' changes wait for their author.
    pub fn push_batch(&self, user_id: &str, max: usize) -> Result<Vec<OutboxEntry>> {
        let pending = self.pending()?;
        let mut batch = Vec::new();
        for entry in pending {
            if entry.created_by.user_id != user_id {
                continue;
            }
            if entry.depends_on.is_some() || batch.len() >= max {
                break;
            }
            batch.push(entry);
        }
        Ok(batch)
    }

    /// The authors of pending changes other than `user_id` (to tell the user who must sign
    /// in for them to leave).
    pub fn pending_authors(&self, user_id: &str) -> Result<Vec<Me>> {
        let mut seen = HashMap::new();
        for entry in self.pending()? {
            if entry.created_by.user_id != user_id {
                seen.entry(entry.created_by.user_id.clone())
                    .or_insert(entry.created_by);
            }
        }
        Ok(seen.into_values().collect())
    }

    /// Stores the server's answers: applied entries leave the outbox (their effect stays
    /// until the pull brings the server's copy), refused ones go to the needs-attention list
    /// with what the user typed, conflicts keep both versions.
    pub fn record_push_results(&self, results: &[MutationResult]) -> Result<ResultsApplied> {
        self.write(|tx| {
            let mut out = ResultsApplied::default();
            for result in results {
                let id = result.mutation_id.to_string();
                match result.status {
                    MutationStatus::Applied => {
                        // An answer to an entry no longer here (already answered) changes nothing.
                        if tx.execute("DELETE FROM outbox WHERE mutation_id = ?1", [&id])? == 0 {
                            continue;
                        }
                        for written in &result.records {
                            records::accept_local(tx, written.kind, &written.id, written.version)?;
                            // An edit chained to this one is now based on the version it made.
                            tx.execute(
                                "UPDATE outbox SET base_version = ?2, depends_on = NULL
                                 WHERE depends_on = ?1 AND client_seq IN
                                   (SELECT client_seq FROM outbox_touch WHERE kind = ?3 AND id = ?4)",
                                params![id, written.version, written.kind.as_str(), written.id],
                            )?;
                        }
                        // A chained entry that touched nothing of it (should not happen) is freed.
                        tx.execute(
                            "UPDATE outbox SET depends_on = NULL WHERE depends_on = ?1",
                            [&id],
                        )?;
                        out.applied += 1;
                    }
                    status @ (MutationStatus::Rejected | MutationStatus::Conflict) => {
                        let conflict = status == MutationStatus::Conflict;
                        let (state, current) = if conflict {
                            ("conflict", result.current.as_ref())
                        } else {
                            ("needs_attention", None)
                        };
                        set_state(
                            tx,
                            &id,
                            state,
                            result.code.as_deref(),
                            result.message.as_deref(),
                            &result.details,
                            current,
                        )?;
                        let settled = 1 + fail_dependents(tx, &id, state, current)?;
                        if conflict {
                            out.conflicts += settled;
                        } else {
                            out.rejected += settled;
                        }
                    }
                }
            }
            if out.rejected + out.conflicts > 0 {
                rebase(tx)?;
            }
            Ok(out)
        })
    }

    /// Sets aside an entry the server could not even read (a whole batch refused, naming it),
    /// so that the others can leave.
    pub fn set_aside(
        &self,
        mutation_id: Uuid,
        code: &str,
        message: &str,
        details: &Value,
    ) -> Result<()> {
        self.write(|tx| {
            set_state(
                tx,
                &mutation_id.to_string(),
                "needs_attention",
                Some(code),
                Some(message),
                details,
                None,
            )?;
            fail_dependents(tx, &mutation_id.to_string(), "needs_attention", None)?;
            rebase(tx)
        })
    }

    /// Counts a send that got no answer.
    pub fn note_attempt(&self, mutation_ids: &[Uuid]) -> Result<()> {
        self.write(|tx| {
            for id in mutation_ids {
                tx.execute(
                    "UPDATE outbox SET attempts = attempts + 1 WHERE mutation_id = ?1",
                    [id.to_string()],
                )?;
            }
            Ok(())
        })
    }

    /// When the last sync completed (stored by the sync engine).
    pub fn last_sync(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .read(|c| crate::meta_get(c, "last_sync"))?
            .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
            .map(|d| d.with_timezone(&Utc)))
    }

    /// Stores the time of a completed sync.
    pub fn set_last_sync(&self, at: DateTime<Utc>) -> Result<()> {
        self.write(|tx| meta_set(tx, "last_sync", &at.to_rfc3339()))
    }

    /// Forgets every cached record and the cursor (the next sync reloads everything); the
    /// outbox is kept and laid out again once the records are back.
    pub fn reset_for_resync(&self) -> Result<()> {
        self.write(|tx| {
            records::wipe(tx)?;
            meta_set(tx, "cursor", "0")
        })
    }
}
