//! Write transactions: the only way to change records, mutations and the audit log.

use chrono::{DateTime, Utc};
use sqlx::{Any, Transaction};
use tokio::sync::MutexGuard;

use crate::audit::{audit_hash, chain_head};
use crate::columns::{flag, get_i64, get_json, get_text, json_text, time_text};
use crate::error::is_unique_violation;
use crate::records::{self, RecordRow, RecordWrite};
use crate::{AuditInput, Backend, Database, DbError};

/// Advisory lock key that serialises writers across server processes on PostgreSQL.
const WRITER_LOCK_KEY: i64 = 4242;

/// The remembered outcome of a mutation (for exactly-once answers to repeats).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredMutation {
    /// Mutation id (client-generated).
    pub mutation_id: String,
    /// Mutation name.
    pub name: String,
    /// The answer that was given, to give again.
    pub result: serde_json::Value,
    /// Who pushed it.
    pub user_id: String,
    /// Client that sent it.
    pub client_id: String,
    /// Its per-client sequence number.
    pub client_seq: i64,
    /// When it was applied (or rejected).
    pub applied_at: DateTime<Utc>,
}

/// A mutation outcome to remember.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMutation {
    /// Mutation id (client-generated, unique).
    pub mutation_id: String,
    /// Client that sent it.
    pub client_id: String,
    /// Its per-client sequence number.
    pub client_seq: i64,
    /// Who pushed it.
    pub user_id: String,
    /// Mutation name.
    pub name: String,
    /// The answer given (applied or rejected, as the server encodes it).
    pub result: serde_json::Value,
    /// When.
    pub applied_at: DateTime<Utc>,
}

/// An open write transaction. Commit with [`WriteTx::commit`]; dropping it rolls back.
///
/// Only one `WriteTx` exists at a time per [`Database`] (and, on PostgreSQL, per database
/// across processes). WHY: the change cursor (`seq`) is taken from the `counters` row inside
/// the transaction, so writers are serialised and seq order equals commit order — a pull can
/// never skip a change that commits late (with concurrent writers, seq 7 could commit after a
/// client had already pulled seq 8 and moved its cursor past 7).
pub struct WriteTx<'a> {
    // Field order matters: the transaction is dropped (rolled back) before the lock is freed.
    tx: Transaction<'static, Any>,
    _writer: MutexGuard<'a, ()>,
}

impl Database {
    /// Opens the write transaction, waiting for any other writer to finish.
    ///
    /// On SQLite the transaction is `BEGIN IMMEDIATE` (it holds the file's write lock from
    /// the start, so it never fails half-way on a stale snapshot); on PostgreSQL it takes
    /// `pg_advisory_xact_lock(4242)`, released at commit or rollback.
    pub async fn write(&self) -> Result<WriteTx<'_>, DbError> {
        let writer = self.writer.lock().await;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITER_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
                tx
            }
        };
        Ok(WriteTx {
            tx,
            _writer: writer,
        })
    }
}

impl WriteTx<'_> {
    /// The transaction's connection (for the other modules of this crate).
    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    /// The record `kind`/`id` as this transaction sees it.
    pub async fn get_record(&mut self, kind: &str, id: &str) -> Result<Option<RecordRow>, DbError> {
        records::get_record(&mut *self.tx, kind, id).await
    }

    /// Every record of `kind` (tombstones included), by id, as this transaction sees them.
    pub async fn list_records(&mut self, kind: &str) -> Result<Vec<RecordRow>, DbError> {
        records::list_records(&mut *self.tx, kind).await
    }

    /// Children of `parent_id` of `kind` (tombstones included), by id.
    pub async fn list_children(
        &mut self,
        kind: &str,
        parent_id: &str,
    ) -> Result<Vec<RecordRow>, DbError> {
        records::list_children(&mut *self.tx, kind, parent_id).await
    }

    /// The user with this login name, as this transaction sees it.
    pub async fn find_user_by_username(
        &mut self,
        username: &str,
    ) -> Result<Option<crate::UserRow>, DbError> {
        crate::users::user_by_username(&mut *self.tx, username).await
    }

    /// The échevins' accounts of a commune, as this transaction sees them.
    pub async fn aldermen_of(&mut self, commune_nis: &str) -> Result<Vec<crate::UserRow>, DbError> {
        crate::users::aldermen_of(&mut *self.tx, commune_nis).await
    }

    /// Inserts or replaces a record and gives it the next change `seq`, which is returned.
    pub async fn put_record(&mut self, record: &RecordWrite) -> Result<i64, DbError> {
        let row =
            sqlx::query("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value")
                .bind("change_seq")
                .fetch_optional(&mut *self.tx)
                .await?
                .ok_or_else(|| {
                    DbError::Corrupt("compteur change_seq absent de la table counters".into())
                })?;
        let seq = get_i64(&row, "value")?;
        sqlx::query(
            "INSERT INTO records (kind, id, version, seq, deleted, parent_id, body, \
             vis_public, vis_centrale, vis_commune, vis_provider, updated_at, format_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, \
             seq = excluded.seq, deleted = excluded.deleted, parent_id = excluded.parent_id, \
             body = excluded.body, format_version = excluded.format_version, \
             vis_public = excluded.vis_public, \
             vis_centrale = excluded.vis_centrale, vis_commune = excluded.vis_commune, \
             vis_provider = excluded.vis_provider, updated_at = excluded.updated_at",
        )
        .bind(&record.kind)
        .bind(&record.id)
        .bind(record.version)
        .bind(seq)
        .bind(flag(record.deleted))
        .bind(record.parent_id.as_deref())
        .bind(json_text(&record.body))
        .bind(flag(record.visibility.public))
        .bind(flag(record.visibility.centrale))
        .bind(record.visibility.commune.as_deref())
        .bind(record.visibility.provider.as_deref())
        .bind(time_text(&record.updated_at))
        .bind(record.format_version)
        .execute(&mut *self.tx)
        .await?;
        Ok(seq)
    }

    /// The remembered outcome of mutation `mutation_id`, if it was seen before.
    pub async fn find_mutation(
        &mut self,
        mutation_id: &str,
    ) -> Result<Option<StoredMutation>, DbError> {
        let row = sqlx::query(
            "SELECT mutation_id, client_id, client_seq, user_id, name, result, applied_at \
             FROM mutations WHERE mutation_id = $1",
        )
        .bind(mutation_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(StoredMutation {
            mutation_id: get_text(&row, "mutation_id")?,
            name: get_text(&row, "name")?,
            result: get_json(&row, "result")?,
            user_id: get_text(&row, "user_id")?,
            client_id: get_text(&row, "client_id")?,
            client_seq: get_i64(&row, "client_seq")?,
            applied_at: crate::columns::get_time(&row, "applied_at")?,
        }))
    }

    /// Remembers a mutation's outcome. A mutation id already stored gives
    /// [`DbError::Duplicate`] (and the transaction must then be dropped).
    pub async fn store_mutation(&mut self, mutation: &NewMutation) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO mutations (mutation_id, client_id, client_seq, user_id, name, result, \
             applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&mutation.mutation_id)
        .bind(&mutation.client_id)
        .bind(mutation.client_seq)
        .bind(&mutation.user_id)
        .bind(&mutation.name)
        .bind(json_text(&mutation.result))
        .bind(time_text(&mutation.applied_at))
        .execute(&mut *self.tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DbError::Duplicate(format!(
                    "mutation {} déjà enregistrée",
                    mutation.mutation_id
                ))
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// Moves every account of commune `from` to commune `to` (a merger, issue 11 rule 17), in
    /// this transaction; returns how many moved.
    pub async fn move_commune_accounts(&mut self, from: &str, to: &str) -> Result<u64, DbError> {
        let done = sqlx::query("UPDATE users SET commune_nis = $1 WHERE commune_nis = $2")
            .bind(to)
            .bind(from)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected())
    }

    /// Appends an entry to the audit chain and returns its seq.
    pub async fn append_audit(&mut self, input: &AuditInput) -> Result<i64, DbError> {
        let (last_seq, prev_hash) = chain_head(&mut *self.tx).await?;
        let seq = last_seq + 1;
        let at = time_text(&input.at);
        let details = json_text(&input.details);
        let hash = audit_hash(
            seq,
            &at,
            &input.actor,
            &input.action,
            input.record_kind.as_deref(),
            input.record_id.as_deref(),
            &details,
            &prev_hash,
        );
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, record_kind, record_id, details, \
             prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(seq)
        .bind(at)
        .bind(&input.actor)
        .bind(&input.action)
        .bind(input.record_kind.as_deref())
        .bind(input.record_id.as_deref())
        .bind(details)
        .bind(prev_hash)
        .bind(hash)
        .execute(&mut *self.tx)
        .await?;
        Ok(seq)
    }

    /// Commits everything written in this transaction.
    pub async fn commit(self) -> Result<(), DbError> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Abandons everything written in this transaction (same as dropping it, but waits).
    pub async fn rollback(self) -> Result<(), DbError> {
        self.tx.rollback().await?;
        Ok(())
    }
}
