//! The outbox of e-mail messages (issue 14).
//!
//! A message is written by [`WriteTx::enqueue_message`] in the transaction of the act that
//! causes it: committed together, or not at all, so no message is lost across a crash and
//! none is written for a refused act. Delivery is the server's sender (`centrale-server`'s
//! `mail` module), which goes through [`Database::claim_message`]: one `UPDATE` moves the row's
//! `claimed_until` forward and stamps a fresh `claim_token`, only if nobody holds a live claim.
//! On PostgreSQL a second server's concurrent `UPDATE` waits for the first one's row lock and
//! then re-checks the condition on the claimed row, so it finds nothing; on SQLite writers are
//! serialised. The sender then marks the row sent (or schedules the next attempt, or records the
//! final failure) only under its own token, so a sender whose lease expired cannot overwrite
//! the outcome of the one that took over.
//!
//! What SMTP cannot give: a server that dies after the SMTP server accepted a message but
//! before the row is marked sent will send it again when the lease expires. The message keeps
//! the same `Message-ID` (the row id), which mail systems use to drop such duplicates.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use crate::columns::{get_i64, get_opt_text, get_opt_time, get_text, get_time, time_text};
use crate::write::WriteTx;
use crate::{Database, DbError};

/// A message to send, as the act that causes it writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    /// Message id (UUID text); also the e-mail's `Message-ID`.
    pub id: String,
    /// What event it tells (`competition_invitation`, `deadline_extended`, …).
    pub kind: String,
    /// A key that makes the message unique (a reminder is written once per deadline); `None`
    /// for messages caused by an act, which happen once anyway.
    pub dedup_key: Option<String>,
    /// Recipient's address.
    pub recipient_email: String,
    /// Recipient's name (account or provider).
    pub recipient_name: String,
    /// The account (user id) or provider (`provider:<id>`) it goes to.
    pub recipient_account: Option<String>,
    /// Subject.
    pub subject: String,
    /// Plain text body.
    pub body_text: String,
    /// HTML body.
    pub body_html: String,
    /// When it was written (the act's time).
    pub created_at: DateTime<Utc>,
}

/// A stored message, every column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRow {
    /// Message id.
    pub id: String,
    /// Event kind.
    pub kind: String,
    /// Uniqueness key, if any.
    pub dedup_key: Option<String>,
    /// Recipient's address.
    pub recipient_email: String,
    /// Recipient's name.
    pub recipient_name: String,
    /// Account or provider.
    pub recipient_account: Option<String>,
    /// Subject.
    pub subject: String,
    /// Plain text body.
    pub body_text: String,
    /// HTML body.
    pub body_html: String,
    /// Written at.
    pub created_at: DateTime<Utc>,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// Not sent before this time.
    pub next_attempt_at: DateTime<Utc>,
    /// A sender holds it until then.
    pub claimed_until: Option<DateTime<Utc>>,
    /// The claim's token.
    pub claim_token: Option<String>,
    /// Accepted by the SMTP server at.
    pub sent_at: Option<DateTime<Utc>>,
    /// Given up at.
    pub failed_at: Option<DateTime<Utc>>,
    /// The last delivery error (an SMTP answer or a connection error; never a password).
    pub last_error: Option<String>,
    /// How it goes, by its recipient's choice: `immediate`, `digest` (held for the daily
    /// digest) or `nothing` (not sent by choice).
    pub delivery: String,
    /// The digest message that listed it (held messages only, once listed).
    pub digest_id: Option<String>,
    /// Where to act (the portal's link or the path in the app), listed by the digest.
    pub action: Option<String>,
}

/// How a message goes, decided at enqueue by its recipient's choice (issue 14 §1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routing {
    /// `immediate`, `digest` or `nothing`.
    pub delivery: String,
    /// Where to act, for the digest's list.
    pub action: Option<String>,
}

pub(crate) const COLUMNS: &str =
    "id, kind, dedup_key, recipient_email, recipient_name, recipient_account, \
     subject, body_text, body_html, created_at, attempts, next_attempt_at, claimed_until, \
     claim_token, sent_at, failed_at, last_error, delivery, digest_id, action";

pub(crate) fn message_from_row(row: &AnyRow) -> Result<MessageRow, DbError> {
    Ok(MessageRow {
        id: get_text(row, "id")?,
        kind: get_text(row, "kind")?,
        dedup_key: get_opt_text(row, "dedup_key")?,
        recipient_email: get_text(row, "recipient_email")?,
        recipient_name: get_text(row, "recipient_name")?,
        recipient_account: get_opt_text(row, "recipient_account")?,
        subject: get_text(row, "subject")?,
        body_text: get_text(row, "body_text")?,
        body_html: get_text(row, "body_html")?,
        created_at: get_time(row, "created_at")?,
        attempts: get_i64(row, "attempts")?,
        next_attempt_at: get_time(row, "next_attempt_at")?,
        claimed_until: get_opt_time(row, "claimed_until")?,
        claim_token: get_opt_text(row, "claim_token")?,
        sent_at: get_opt_time(row, "sent_at")?,
        failed_at: get_opt_time(row, "failed_at")?,
        last_error: get_opt_text(row, "last_error")?,
        delivery: get_text(row, "delivery")?,
        digest_id: get_opt_text(row, "digest_id")?,
        action: get_opt_text(row, "action")?,
    })
}

impl WriteTx<'_> {
    /// Writes a message to the outbox, in this transaction. A message whose `dedup_key` is
    /// already in the outbox is not written again; returns whether it was written.
    pub async fn enqueue_message(&mut self, m: &NewMessage) -> Result<bool, DbError> {
        let now = Routing {
            delivery: "immediate".into(),
            action: None,
        };
        self.enqueue_routed(m, &now).await
    }

    /// [`WriteTx::enqueue_message`], going as `routing` says (its recipient's choice).
    pub async fn enqueue_routed(
        &mut self,
        m: &NewMessage,
        routing: &Routing,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO mail_outbox (id, kind, dedup_key, recipient_email, recipient_name, \
             recipient_account, subject, body_text, body_html, created_at, attempts, \
             next_attempt_at, delivery, action) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&m.id)
        .bind(&m.kind)
        .bind(m.dedup_key.as_deref())
        .bind(&m.recipient_email)
        .bind(&m.recipient_name)
        .bind(m.recipient_account.as_deref())
        .bind(&m.subject)
        .bind(&m.body_text)
        .bind(&m.body_html)
        .bind(time_text(&m.created_at))
        .bind(time_text(&m.created_at))
        .bind(&routing.delivery)
        .bind(routing.action.as_deref())
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Whether a message with this uniqueness key was already written.
    pub async fn message_key_exists(&mut self, key: &str) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM mail_outbox WHERE dedup_key = $1")
            .bind(key)
            .fetch_one(self.conn())
            .await?;
        Ok(get_i64(&row, "n")? > 0)
    }
    /// The e-mail addresses of the enabled accounts of `role` (of `commune`, when given), as
    /// this transaction sees them: (user id, display name, address, gender), by username.
    pub async fn account_addresses(
        &mut self,
        role: &str,
        commune: Option<&str>,
    ) -> Result<Vec<(String, String, String, String)>, DbError> {
        const SELECT: &str = "SELECT id, display_name, email, gender FROM users WHERE role = $1 \
             AND disabled = 0 AND email IS NOT NULL";
        let rows = match commune {
            Some(nis) => {
                sqlx::query(&format!("{SELECT} AND commune_nis = $2 ORDER BY username"))
                    .bind(role)
                    .bind(nis)
                    .fetch_all(self.conn())
                    .await?
            }
            None => {
                sqlx::query(&format!("{SELECT} ORDER BY username"))
                    .bind(role)
                    .fetch_all(self.conn())
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok((
                    get_text(r, "id")?,
                    get_text(r, "display_name")?,
                    get_text(r, "email")?,
                    get_text(r, "gender")?,
                ))
            })
            .collect()
    }
}

impl Database {
    /// Claims the oldest message due at `now` that nobody holds, until `until`, under `token`.
    /// `None` when there is nothing to send (or another sender won the row: call again).
    pub async fn claim_message(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        token: &str,
    ) -> Result<Option<MessageRow>, DbError> {
        let now = time_text(&now);
        let row = sqlx::query(&format!(
            "UPDATE mail_outbox SET claimed_until = $1, claim_token = $2 \
             WHERE id = (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                 AND delivery = 'immediate' AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3) \
                 ORDER BY next_attempt_at, id LIMIT 1) \
             AND sent_at IS NULL AND failed_at IS NULL AND delivery = 'immediate' \
             AND (claimed_until IS NULL OR claimed_until < $3) \
             RETURNING {COLUMNS}"
        ))
        .bind(time_text(&until))
        .bind(token)
        .bind(&now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(message_from_row).transpose()
    }

    /// Records the delivery of a claimed message; false when the claim was lost meanwhile.
    pub async fn mark_message_sent(
        &self,
        id: &str,
        token: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL, \
             last_error = NULL WHERE id = $2 AND claim_token = $3 AND sent_at IS NULL",
        )
        .bind(time_text(&at))
        .bind(id)
        .bind(token)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a failed attempt of a claimed message: tried again at `retry_at`, or, when
    /// `retry_at` is `None`, given up (`failed_at = at`).
    pub async fn mark_message_attempt_failed(
        &self,
        id: &str,
        token: &str,
        at: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
        error: &str,
    ) -> Result<bool, DbError> {
        let done = match retry_at {
            Some(retry) => {
                sqlx::query(
                    "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $1, \
                 claimed_until = NULL, last_error = $2 \
                 WHERE id = $3 AND claim_token = $4 AND sent_at IS NULL",
                )
                .bind(time_text(&retry))
                .bind(error)
                .bind(id)
                .bind(token)
                .execute(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "UPDATE mail_outbox SET attempts = attempts + 1, failed_at = $1, \
                 claimed_until = NULL, last_error = $2 \
                 WHERE id = $3 AND claim_token = $4 AND sent_at IS NULL",
                )
                .bind(time_text(&at))
                .bind(error)
                .bind(id)
                .bind(token)
                .execute(&self.pool)
                .await?
            }
        };
        Ok(done.rows_affected() > 0)
    }

    /// Puts a failed message back in the queue, due at `at`, to `email` when given (a
    /// corrected address); false when no such failed message.
    pub async fn retry_failed_message(
        &self,
        id: &str,
        at: DateTime<Utc>,
        email: Option<&str>,
    ) -> Result<bool, DbError> {
        let done =
            match email {
                Some(email) => sqlx::query(
                    "UPDATE mail_outbox SET failed_at = NULL, attempts = 0, next_attempt_at = $1, \
                     recipient_email = $2 WHERE id = $3 AND failed_at IS NOT NULL",
                )
                .bind(time_text(&at))
                .bind(email)
                .bind(id)
                .execute(&self.pool)
                .await?,
                None => sqlx::query(
                    "UPDATE mail_outbox SET failed_at = NULL, attempts = 0, next_attempt_at = $1 \
                     WHERE id = $2 AND failed_at IS NOT NULL",
                )
                .bind(time_text(&at))
                .bind(id)
                .execute(&self.pool)
                .await?,
            };
        Ok(done.rows_affected() > 0)
    }

    /// The messages given up, newest first.
    pub async fn failed_messages(&self) -> Result<Vec<MessageRow>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM mail_outbox WHERE failed_at IS NOT NULL \
             ORDER BY failed_at DESC, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// Messages waiting to be sent (neither sent nor given up), and those given up.
    pub async fn mail_queue_counts(&self) -> Result<(i64, i64), DbError> {
        let mut counts = [0i64; 2];
        for (n, filter) in [
            "sent_at IS NULL AND failed_at IS NULL",
            "failed_at IS NOT NULL",
        ]
        .iter()
        .enumerate()
        {
            let row = sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM mail_outbox WHERE {filter}"
            ))
            .fetch_one(&self.pool)
            .await?;
            counts[n] = crate::columns::get_i64(&row, "n")?;
        }
        Ok((counts[0], counts[1]))
    }

    /// Every message of the outbox, in the order they were written.
    pub async fn all_messages(&self) -> Result<Vec<MessageRow>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM mail_outbox ORDER BY created_at, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message_from_row).collect()
    }
}
