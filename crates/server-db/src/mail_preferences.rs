//! How each account is told by e-mail (issue 14 §1): its choice per kind of message, read by
//! the outbox's writers at enqueue, and the daily digest's bookkeeping.
//!
//! Kinds and choices are stored as their stable names (`offers_opened`, `digest`); which are
//! legal, and the defaults, are the domain's (`centrale_domain::mail`), never decided here.
//!
//! The digest is written like any message, in the outbox, with the uniqueness key
//! `digest:<account>:<day>`: of two servers writing the same account's digest for the same day,
//! the second one's insert finds the key taken (on PostgreSQL it waits for the first one's
//! commit) and writes nothing, so its transaction marks nothing either. The held messages are
//! marked with the digest's id in that transaction; the digest itself is then sent by the
//! ordinary sender (claim, lease, once).

use chrono::{DateTime, Utc};

use crate::columns::{get_text, time_text};
use crate::mail::MessageRow;
use crate::write::WriteTx;
use crate::{Database, DbError};

impl WriteTx<'_> {
    /// Replaces the choices of `account` with `choices` (kind, choice), in this transaction.
    pub async fn set_mail_preferences(
        &mut self,
        account: &str,
        choices: &[(String, String)],
        at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query("DELETE FROM mail_preferences WHERE account = $1")
            .bind(account)
            .execute(self.conn())
            .await?;
        for (kind, choice) in choices {
            sqlx::query(
                "INSERT INTO mail_preferences (account, kind, choice, updated_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(account)
            .bind(kind)
            .bind(choice)
            .bind(time_text(&at))
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// The choice `account` made for `kind`, as this transaction sees it (`None`: none made).
    pub async fn mail_choice(
        &mut self,
        account: &str,
        kind: &str,
    ) -> Result<Option<String>, DbError> {
        let row =
            sqlx::query("SELECT choice FROM mail_preferences WHERE account = $1 AND kind = $2")
                .bind(account)
                .bind(kind)
                .fetch_optional(self.conn())
                .await?;
        row.as_ref().map(|r| get_text(r, "choice")).transpose()
    }

    /// The messages of `account` held for its digest and not yet listed, written before
    /// `before`, oldest first.
    pub async fn held_messages(
        &mut self,
        account: &str,
        before: DateTime<Utc>,
    ) -> Result<Vec<MessageRow>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM mail_outbox WHERE recipient_account = $1 AND delivery = 'digest' \
             AND digest_id IS NULL AND created_at < $2 ORDER BY created_at, id",
            crate::mail::COLUMNS
        ))
        .bind(account)
        .bind(time_text(&before))
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(crate::mail::message_from_row).collect()
    }

    /// Marks the held messages `ids` as listed by the digest `digest_id` (those not listed
    /// yet); returns how many.
    pub async fn mark_in_digest(
        &mut self,
        ids: &[String],
        digest_id: &str,
    ) -> Result<u64, DbError> {
        let mut marked = 0;
        for id in ids {
            marked += sqlx::query(
                "UPDATE mail_outbox SET digest_id = $1 WHERE id = $2 AND delivery = 'digest' \
                 AND digest_id IS NULL",
            )
            .bind(digest_id)
            .bind(id)
            .execute(self.conn())
            .await?
            .rows_affected();
        }
        Ok(marked)
    }
}

impl Database {
    /// The choices of `account`: (kind, choice), by kind.
    pub async fn mail_preferences(&self, account: &str) -> Result<Vec<(String, String)>, DbError> {
        let rows = sqlx::query(
            "SELECT kind, choice FROM mail_preferences WHERE account = $1 ORDER BY kind",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((get_text(r, "kind")?, get_text(r, "choice")?)))
            .collect()
    }

    /// The accounts with messages held for their digest, not yet listed, written before
    /// `before`.
    pub async fn accounts_with_held_messages(
        &self,
        before: DateTime<Utc>,
    ) -> Result<Vec<String>, DbError> {
        let rows = sqlx::query(
            "SELECT DISTINCT recipient_account FROM mail_outbox WHERE delivery = 'digest' \
             AND digest_id IS NULL AND created_at < $1 AND recipient_account IS NOT NULL \
             ORDER BY recipient_account",
        )
        .bind(time_text(&before))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| get_text(r, "recipient_account"))
            .collect()
    }
}
