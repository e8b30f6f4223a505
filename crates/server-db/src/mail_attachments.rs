//! The documents an outbox message carries (issue 14 §1: the award notification with its
//! letter). A reference per attachment — the order and the document's code — written with the
//! message in the act's transaction; the sender typesets the document when it sends. What the
//! codes mean is the server's business, not this crate's.

use crate::columns::{get_i64, get_text};
use crate::write::WriteTx;
use crate::{Database, DbError};

/// A document attached to a message, by reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailAttachment {
    /// The order whose document it is.
    pub order_id: String,
    /// The document's code (`notification_letter`, `information_letter-<provider id>`).
    pub document: String,
}

impl WriteTx<'_> {
    /// Attaches `attachment` to the message `message_id`, after those it already carries.
    pub async fn attach_to_message(
        &mut self,
        message_id: &str,
        attachment: &MailAttachment,
    ) -> Result<(), DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM mail_attachments WHERE message_id = $1")
            .bind(message_id)
            .fetch_one(self.conn())
            .await?;
        let position = get_i64(&row, "n")?;
        sqlx::query(
            "INSERT INTO mail_attachments (message_id, position, order_id, document) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(message_id)
        .bind(position)
        .bind(&attachment.order_id)
        .bind(&attachment.document)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Database {
    /// The documents the message `message_id` carries, in order.
    pub async fn message_attachments(
        &self,
        message_id: &str,
    ) -> Result<Vec<MailAttachment>, DbError> {
        let rows = sqlx::query(
            "SELECT order_id, document FROM mail_attachments WHERE message_id = $1 \
             ORDER BY position",
        )
        .bind(message_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MailAttachment {
                    order_id: get_text(r, "order_id")?,
                    document: get_text(r, "document")?,
                })
            })
            .collect()
    }
}
