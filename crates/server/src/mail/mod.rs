//! E-mail from the intercommunal server (issue 14): the outbox is written by the acts
//! ([`events`], in their transaction), the French texts are in [`templates`], and the sender
//! here delivers what is due to the configured SMTP server.
//!
//! The sender is a loop like the scheduler's: every `mail_interval_secs` it claims one due
//! message at a time ([`centrale_server_db::Database::claim_message`]: one server wins each
//! row, even with several servers over one PostgreSQL), sends it with lettre, then records the
//! delivery, or the next attempt (waits of `mail_retry_secs` doubling, at most 6 hours), or,
//! after `mail_max_attempts` or an answer that will never change (a 5xx SMTP refusal, an
//! address that is not one), the final failure, which the centrale sees
//! (`GET /api/v1/mail/failed`, `centrale-server mail failed`).

pub mod attachments;
pub mod digest;
pub mod events;
pub mod templates;

pub use digest::write_due_digests;

use std::time::Duration;

use centrale_server_db::{DbError, MessageRow};
use chrono::Utc;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use crate::state::AppState;
use crate::Settings;

/// How long a claim holds a message, in SMTP time limits: longer than one exchange can last
/// (the letters typeset, the connection, the conversation).
const LEASE_PER_TIMEOUT: i64 = 5;
/// The longest wait between two attempts.
const MAX_WAIT_SECS: u64 = 6 * 3600;

/// What one pass of the sender did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Accepted by the SMTP server.
    pub sent: usize,
    /// Failed, tried again later.
    pub deferred: usize,
    /// Given up.
    pub failed: usize,
}

/// Why one attempt failed.
struct AttemptError {
    message: String,
    permanent: bool,
}

/// True when the server is configured to send e-mail.
pub fn enabled(settings: &Settings) -> bool {
    !settings.smtp_host.trim().is_empty()
}

fn transport(s: &Settings) -> Result<AsyncSmtpTransport<Tokio1Executor>, AttemptError> {
    let host = s.smtp_host.trim();
    let builder = match s.smtp_security.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
        _ => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            host,
        )),
    }
    .map_err(|e| AttemptError {
        message: format!("serveur SMTP {host} : {e}"),
        permanent: false,
    })?;
    let mut builder = builder
        .port(s.smtp_port)
        .timeout(Some(Duration::from_secs(s.smtp_timeout_secs.max(1))));
    if !s.smtp_user.is_empty() {
        builder = builder.credentials(Credentials::new(
            s.smtp_user.clone(),
            s.smtp_password.expose().to_string(),
        ));
    }
    Ok(builder.build())
}

/// Why a message cannot be put together: nothing an SMTP server would change, so the attempt
/// is a final failure, recorded with this text for the centrale.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    /// The configured sender (`mail_from`) is not an address.
    #[error("expéditeur « {address} » invalide : {reason}")]
    Sender {
        /// As configured.
        address: String,
        /// lettre's reason.
        reason: String,
    },
    /// The recipient's address is not an address.
    #[error("adresse « {address} » invalide : {reason}")]
    Recipient {
        /// As stored.
        address: String,
        /// lettre's reason.
        reason: String,
    },
    /// lettre refused the message itself.
    #[error("message impossible à construire : {0}")]
    Build(String),
}

impl MessageError {
    /// Stable code, for logs and the failed-mail list.
    pub fn code(&self) -> &'static str {
        match self {
            MessageError::Sender { .. } => "mail_sender_invalid",
            MessageError::Recipient { .. } => "mail_recipient_invalid",
            MessageError::Build(_) => "mail_message_invalid",
        }
    }
}

/// The e-mail of an outbox row: From the configured sender, To the recipient by name, the
/// row's id as `Message-ID` (a message sent twice after a crash is the same message), plain
/// text and HTML alternatives, and the `files` it carries.
pub fn build_message(
    settings: &Settings,
    row: &MessageRow,
    files: &[attachments::Attached],
) -> Result<Message, MessageError> {
    let from: Mailbox =
        settings
            .mail_from
            .parse()
            .map_err(|e: lettre::address::AddressError| MessageError::Sender {
                address: settings.mail_from.clone(),
                reason: e.to_string(),
            })?;
    let address: Address =
        row.recipient_email
            .parse()
            .map_err(|e: lettre::address::AddressError| MessageError::Recipient {
                address: row.recipient_email.clone(),
                reason: e.to_string(),
            })?;
    let domain = from.email.domain().to_string();
    let text = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(row.body_text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(row.body_html.clone()),
        );
    let body = if files.is_empty() {
        text
    } else {
        let mut mixed = MultiPart::mixed().multipart(text);
        for f in files {
            let media =
                ContentType::parse(f.media_type).map_err(|e| MessageError::Build(e.to_string()))?;
            mixed = mixed.singlepart(
                lettre::message::Attachment::new(f.file_name.clone()).body(f.bytes.clone(), media),
            );
        }
        mixed
    };
    Message::builder()
        .message_id(Some(format!("<{}@{domain}>", row.id)))
        .from(from)
        .to(Mailbox::new(Some(row.recipient_name.clone()), address))
        .subject(row.subject.clone())
        .multipart(body)
        .map_err(|e| MessageError::Build(e.to_string()))
}

async fn attempt(
    transport: &Result<AsyncSmtpTransport<Tokio1Executor>, AttemptError>,
    settings: &Settings,
    row: &MessageRow,
    files: &[attachments::Attached],
) -> Result<(), AttemptError> {
    let message = build_message(settings, row, files).map_err(|e| {
        tracing::warn!(code = e.code(), message_id = %row.id, "e-mail impossible à construire");
        AttemptError {
            message: e.to_string(),
            permanent: true,
        }
    })?;
    let transport = transport.as_ref().map_err(|e| AttemptError {
        message: e.message.clone(),
        permanent: e.permanent,
    })?;
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| AttemptError {
            message: e.to_string(),
            permanent: e.is_permanent(),
        })
}

/// How long a sender holds the message it claimed (`smtp_timeout_secs` × 5).
pub fn lease(settings: &Settings) -> chrono::Duration {
    let timeout = i64::try_from(settings.smtp_timeout_secs.max(1)).unwrap_or(600);
    chrono::Duration::seconds(timeout.saturating_mul(LEASE_PER_TIMEOUT))
}

/// The wait before attempt `attempts + 1` (after `attempts` failed ones).
pub fn backoff(settings: &Settings, attempts: i64) -> Duration {
    let base = settings.mail_retry_secs.max(1);
    let factor = 1u64 << attempts.clamp(0, 20);
    Duration::from_secs(base.saturating_mul(factor).min(MAX_WAIT_SECS))
}

/// Sends every message due now (server time), one claim at a time; returns what it did.
pub async fn deliver_due(state: &AppState) -> Result<Delivery, DbError> {
    let settings = &state.settings;
    let mut done = Delivery::default();
    if !enabled(settings) {
        return Ok(done);
    }
    let transport = transport(settings);
    let token = Uuid::new_v4().to_string();
    loop {
        let now = state.clock.now();
        let until = now + lease(settings);
        let Some(row) = state.db.claim_message(now, until, &token).await? else {
            return Ok(done);
        };
        // The letters it carries, typeset now; one that cannot be is a failed attempt (the
        // message never leaves without the letter it announces).
        let (sent, letters_failed) = match attachments::for_message(state, &row).await {
            Ok(files) => (attempt(&transport, settings, &row, &files).await, false),
            Err(e) => (
                Err(AttemptError {
                    message: e.to_string(),
                    permanent: false,
                }),
                true,
            ),
        };
        match sent {
            Ok(()) => {
                state
                    .db
                    .mark_message_sent(&row.id, &token, state.clock.now())
                    .await?;
                done.sent += 1;
            }
            Err(e) => {
                let attempts = row.attempts + 1;
                let give_up =
                    e.permanent || attempts >= i64::from(settings.mail_max_attempts.max(1));
                let at = state.clock.now();
                let retry_at = (!give_up).then(|| {
                    at + chrono::Duration::from_std(backoff(settings, row.attempts))
                        .unwrap_or_else(|_| chrono::Duration::seconds(60))
                });
                state
                    .db
                    .mark_message_attempt_failed(&row.id, &token, at, retry_at, &e.message)
                    .await?;
                if give_up {
                    tracing::warn!(message = %row.id, kind = %row.kind, error = %e.message, "e-mail abandonné");
                    done.failed += 1;
                } else {
                    tracing::info!(message = %row.id, error = %e.message, "e-mail reporté");
                    done.deferred += 1;
                    // The SMTP server is unreachable: the other messages wait for the next pass
                    // (a letter that could not be typeset concerns this message only).
                    if !e.permanent && !letters_failed {
                        return Ok(done);
                    }
                }
            }
        }
    }
}

/// Why a failed e-mail could not be put back in the queue.
#[derive(Debug, thiserror::Error)]
pub enum RetryError {
    /// A corrected address that is not one, or no such failed message.
    #[error("{0}")]
    Refused(#[from] centrale_domain::DomainError),
    /// Storage.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Puts a failed message back in the queue, due `now`, to `to` when given (the domain's rule
/// for an address), with an audit entry naming who did it: the centrale in its app or the
/// administrator on the command line.
pub async fn retry_failed(
    db: &centrale_server_db::Database,
    id: &str,
    to: Option<&str>,
    actor: &str,
    now: chrono::DateTime<Utc>,
) -> Result<(), RetryError> {
    use centrale_domain::{DomainError, ErrorCode};
    let id = id.trim();
    let to = to
        .filter(|t| !t.trim().is_empty())
        .map(|t| centrale_domain::mail::check_email(t, "to"))
        .transpose()?;
    if !db.retry_failed_message(id, now, to.as_deref()).await? {
        return Err(DomainError::rule(ErrorCode::FailedMailNotFound).into());
    }
    let mut tx = db.write().await?;
    tx.append_audit(&centrale_server_db::AuditInput {
        at: now,
        actor: actor.into(),
        action: "mail.retry".into(),
        record_kind: None,
        record_id: None,
        details: serde_json::json!({ "message_id": id, "to": to }),
    })
    .await?;
    tx.commit().await?;
    tracing::info!(message = %id, "e-mail remis dans la file d'envoi");
    Ok(())
}

/// Runs the sender every `mail_interval_secs` (nothing when no SMTP server is configured).
pub fn spawn(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    if !enabled(&state.settings) {
        tracing::info!("aucun serveur SMTP configuré : les e-mails attendent dans la file d'envoi");
        return None;
    }
    tracing::info!(
        host = %state.settings.smtp_host,
        port = state.settings.smtp_port,
        security = %state.settings.smtp_security,
        "envoi des e-mails activé"
    );
    Some(tokio::spawn(async move {
        let every = Duration::from_secs(state.settings.mail_interval_secs.max(1));
        loop {
            // The daily digests due are written first, then sent with the rest (issue 14 §1).
            if let Err(e) = write_due_digests(&state).await {
                tracing::warn!(error = %e, "résumés quotidiens impossibles");
            }
            match deliver_due(&state).await {
                Ok(d) if d == Delivery::default() => {}
                Ok(d) => tracing::info!(
                    sent = d.sent,
                    deferred = d.deferred,
                    failed = d.failed,
                    "e-mails traités"
                ),
                Err(e) => tracing::warn!(error = %e, "envoi des e-mails impossible"),
            }
            tokio::time::sleep(every).await;
        }
    }))
}

/// The messages of the milestones late today (Brussels), each written once (see
/// [`events::late_milestones`]).
pub async fn write_late_milestones(state: &AppState) -> Result<usize, DbError> {
    let now = state.clock.now();
    let mut ctx = crate::engine::Ctx::new(
        state.db.write().await?,
        crate::actor::Actor::system(),
        now,
        &state.settings,
    );
    match events::late_milestones(&mut ctx).await {
        Ok(n) => {
            ctx.tx.commit().await?;
            Ok(n)
        }
        Err(crate::engine::EngineError::Db(e)) => Err(e),
        Err(e) => {
            tracing::warn!(error = %e, "messages des jalons en retard impossibles");
            Ok(0)
        }
    }
}

/// The reminders due now: 3 days and 1 day before each running competition's deadline
/// (written once each; see [`events::deadline_reminders`]).
pub async fn write_due_reminders(state: &AppState) -> Result<usize, DbError> {
    use crate::engine::store::DEADLINE_INDEX;
    let now = state.clock.now();
    let mut written = 0;
    for r in state.db.list_live_records(DEADLINE_INDEX).await? {
        let Some(deadline) = r
            .body
            .get("deadline")
            .and_then(|d| serde_json::from_value::<chrono::DateTime<Utc>>(d.clone()).ok())
        else {
            continue;
        };
        let Ok(order_id) = Uuid::parse_str(&r.id) else {
            continue;
        };
        if deadline <= now {
            continue;
        }
        let days = if deadline - now <= chrono::Duration::days(1) {
            1
        } else if deadline - now <= chrono::Duration::days(3) {
            3
        } else {
            continue;
        };
        let mut ctx = crate::engine::Ctx::new(
            state.db.write().await?,
            crate::actor::Actor::system(),
            now,
            &state.settings,
        );
        match events::deadline_reminders(&mut ctx, order_id, deadline, days).await {
            Ok(n) => {
                ctx.tx.commit().await?;
                written += n;
            }
            Err(crate::engine::EngineError::Db(e)) => return Err(e),
            Err(e) => tracing::warn!(error = %e, "rappel d'échéance impossible"),
        }
    }
    Ok(written)
}
