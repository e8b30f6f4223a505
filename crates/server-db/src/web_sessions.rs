//! Sessions of the provider web portal (cookie id stored by hash, with its CSRF token).

use chrono::{DateTime, Utc};

use crate::columns::{get_text, get_time, time_text};
use crate::error::is_unique_violation;
use crate::{Database, DbError};

/// A web portal session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSession {
    /// Hash of the session cookie value (the value itself is never stored).
    pub id_hash: String,
    /// Whose session it is.
    pub user_id: String,
    /// Token that forms must send back.
    pub csrf_token: String,
    /// Opening time.
    pub created_at: DateTime<Utc>,
    /// Past this time the session is no longer found.
    pub expires_at: DateTime<Utc>,
}

impl Database {
    /// Stores a new web session.
    pub async fn insert_web_session(&self, session: &WebSession) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.id_hash)
        .bind(&session.user_id)
        .bind(&session.csrf_token)
        .bind(time_text(&session.created_at))
        .bind(time_text(&session.expires_at))
        .execute(&self.pool)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DbError::Duplicate("cette session web existe déjà".into())
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// The session with this id hash, if it exists and has not expired at `now`.
    pub async fn find_web_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WebSession>, DbError> {
        // Stored times are fixed-width RFC 3339 UTC text: text order is time order.
        let row = sqlx::query(
            "SELECT id_hash, user_id, csrf_token, created_at, expires_at FROM web_sessions \
             WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(time_text(&now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(WebSession {
            id_hash: get_text(&row, "id_hash")?,
            user_id: get_text(&row, "user_id")?,
            csrf_token: get_text(&row, "csrf_token")?,
            created_at: get_time(&row, "created_at")?,
            expires_at: get_time(&row, "expires_at")?,
        }))
    }

    /// Ends a session (logout); false when there was none.
    pub async fn delete_web_session(&self, id_hash: &str) -> Result<bool, DbError> {
        let done = sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends every session of a user (password reset, account disabled); returns how many.
    pub async fn delete_user_web_sessions(&self, user_id: &str) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Removes every session expired at `now`; returns how many.
    pub async fn delete_expired_web_sessions(&self, now: DateTime<Utc>) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1")
            .bind(time_text(&now))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
