//! The files of the framework's own documents, content-addressed by SHA-256 (issue 12 §2).
//!
//! This crate stores what it is given: the server checks a file (type, size, hash) with
//! `centrale_domain::document_file` before calling [`Database::put_document_file`].

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::columns::{get_i64, get_text, get_time, time_text};
use crate::{Database, DbError, WriteTx};

/// A stored file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentFile {
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Its type's stable name (`pdf`, `docx`, …).
    pub file_type: String,
    /// The content.
    pub content: Vec<u8>,
    /// When it was first stored.
    pub stored_at: DateTime<Utc>,
    /// Who stored it first (user id).
    pub stored_by: String,
}

impl Database {
    /// Stores a file under its hash, in one statement (it commits whole or not at all). The
    /// same content stored again writes nothing: returns whether this call stored it.
    pub async fn put_document_file(
        &self,
        sha256: &str,
        file_type: &str,
        content: &[u8],
        stored_by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let size = i64::try_from(content.len())
            .map_err(|_| DbError::Corrupt("fichier trop grand".into()))?;
        let done = sqlx::query(
            "INSERT INTO document_files (sha256, file_type, size_bytes, content, stored_at, stored_by) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(file_type)
        .bind(size)
        .bind(content.to_vec())
        .bind(time_text(&now))
        .bind(stored_by)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The file with this hash, if stored.
    pub async fn document_file(&self, sha256: &str) -> Result<Option<DocumentFile>, DbError> {
        let row = sqlx::query(
            "SELECT sha256, file_type, content, stored_at, stored_by FROM document_files \
             WHERE sha256 = $1",
        )
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(DocumentFile {
            sha256: get_text(&row, "sha256")?,
            file_type: get_text(&row, "file_type")?,
            content: row.try_get::<Vec<u8>, _>("content")?,
            stored_at: get_time(&row, "stored_at")?,
            stored_by: get_text(&row, "stored_by")?,
        }))
    }

    /// How many files are stored (tests and the operator's checks).
    pub async fn count_document_files(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM document_files")
            .fetch_one(&self.pool)
            .await?;
        get_i64(&row, "n")
    }
}

impl WriteTx<'_> {
    /// Which of `hashes` have their file stored, as this transaction sees it.
    pub async fn stored_document_files(
        &mut self,
        hashes: &[String],
    ) -> Result<std::collections::BTreeSet<String>, DbError> {
        let mut stored = std::collections::BTreeSet::new();
        for hash in hashes {
            let row = sqlx::query("SELECT sha256 FROM document_files WHERE sha256 = $1")
                .bind(hash)
                .fetch_optional(&mut *self.conn())
                .await?;
            if row.is_some() {
                stored.insert(hash.clone());
            }
        }
        Ok(stored)
    }
}
