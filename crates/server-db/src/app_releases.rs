//! The desktop app's published versions and their files (issue 13 §2).
//!
//! This crate stores what it is given: the server checks a release with
//! `centrale_domain::app_release::validate` before calling [`Database::put_app_release`].

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::columns::{get_i64, get_text, get_time, time_text};
use crate::{Database, DbError};

/// A published release, without its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppReleaseRow {
    /// `1.2.3`.
    pub version: String,
    /// `linux-x86_64`, `windows-x86_64`.
    pub target: String,
    /// The file's name as downloaded.
    pub file_name: String,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    /// Its size.
    pub size_bytes: i64,
    /// Tauri's signature of the file.
    pub signature: String,
    /// What changes, in French.
    pub notes: String,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// Who published it.
    pub published_by: String,
}

const COLUMNS: &str =
    "version, target, file_name, sha256, size_bytes, signature, notes, published_at, published_by";

fn row_of(row: &sqlx::any::AnyRow) -> Result<AppReleaseRow, DbError> {
    Ok(AppReleaseRow {
        version: get_text(row, "version")?,
        target: get_text(row, "target")?,
        file_name: get_text(row, "file_name")?,
        sha256: get_text(row, "sha256")?,
        size_bytes: get_i64(row, "size_bytes")?,
        signature: get_text(row, "signature")?,
        notes: get_text(row, "notes")?,
        published_at: get_time(row, "published_at")?,
        published_by: get_text(row, "published_by")?,
    })
}

impl Database {
    /// Publishes a release with its file, in one statement. Returns `false`, writing nothing,
    /// when this version is already published for this system (a published version is never
    /// rewritten).
    pub async fn put_app_release(
        &self,
        release: &AppReleaseRow,
        content: &[u8],
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO app_releases (version, target, file_name, sha256, size_bytes, signature, \
             notes, content, published_at, published_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (version, target) DO NOTHING",
        )
        .bind(&release.version)
        .bind(&release.target)
        .bind(&release.file_name)
        .bind(&release.sha256)
        .bind(release.size_bytes)
        .bind(&release.signature)
        .bind(&release.notes)
        .bind(content.to_vec())
        .bind(time_text(&release.published_at))
        .bind(&release.published_by)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The releases published for `target`, without their files, oldest publication first.
    pub async fn app_releases(&self, target: &str) -> Result<Vec<AppReleaseRow>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM app_releases WHERE target = $1 ORDER BY published_at, version"
        ))
        .bind(target)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row_of).collect()
    }

    /// One release and its file.
    pub async fn app_release_file(
        &self,
        target: &str,
        version: &str,
    ) -> Result<Option<(AppReleaseRow, Vec<u8>)>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS}, content FROM app_releases WHERE target = $1 AND version = $2"
        ))
        .bind(target)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let content = row.try_get::<Vec<u8>, _>("content")?;
        Ok(Some((row_of(&row)?, content)))
    }
}
