//! The documents a message carries (issue 14 §1: the award notification with the tenderer's
//! own letter), typeset by the sender when it sends, from the records as they are then, with
//! the same function as every other copy of the document (`crate::paper`). Dated with the
//! message's own time (the act's), so a retry sends the same letter.

use centrale_documents::OrderDocument;
use centrale_server_db::MessageRow;
use uuid::Uuid;

use crate::state::AppState;

/// Why a message's attachment could not be produced; said in French (its `Display`) in the
/// centrale's list of failed messages.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    /// The references stored with the message could not be read.
    #[error("pièces jointes illisibles : {0}")]
    Unreadable(centrale_server_db::DbError),
    /// The order or the document it names is not (or no longer) there.
    #[error("pièce jointe « {0} » introuvable")]
    Missing(String),
    /// The document could not be assembled or typeset.
    #[error("pièce jointe « {document} » : {detail}")]
    NotMade {
        /// The document's code.
        document: String,
        /// What went wrong.
        detail: String,
    },
}

/// A file attached to a message.
#[derive(Debug, Clone)]
pub struct Attached {
    /// Its name (Windows-safe).
    pub file_name: String,
    /// `application/pdf`.
    pub media_type: &'static str,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The files `row` carries; an error when one cannot be produced: the message waits rather
/// than go without it.
pub async fn for_message(
    state: &AppState,
    row: &MessageRow,
) -> Result<Vec<Attached>, AttachmentError> {
    let references = state
        .db
        .message_attachments(&row.id)
        .await
        .map_err(AttachmentError::Unreadable)?;
    let mut out = Vec::new();
    for r in references {
        let missing = || AttachmentError::Missing(r.document.clone());
        let not_made = |detail: String| AttachmentError::NotMade {
            document: r.document.clone(),
            detail,
        };
        let order_id = Uuid::parse_str(&r.order_id).map_err(|_| missing())?;
        let which = OrderDocument::parse(&r.document).ok_or_else(missing)?;
        let order = crate::paper::order(&state.db, order_id)
            .await
            .map_err(|e| not_made(e.to_string()))?
            .ok_or_else(missing)?;
        let docs = crate::paper::order_documents(state, order, row.created_at)
            .await
            .map_err(|e| not_made(e.to_string()))?
            .ok_or_else(missing)?;
        let file_name = docs.file_name(which);
        let rendered = state
            .typesetting
            .run(move || docs.pdf(which))
            .await
            .map_err(|e| not_made(e.to_string()))?
            .map_err(|e| not_made(e.to_string()))?;
        out.push(Attached {
            file_name,
            media_type: "application/pdf",
            bytes: rendered.pdf,
        });
    }
    Ok(out)
}
