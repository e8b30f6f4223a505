//! Storage layer of the Centrale intercommunal server.
//!
//! One code path over SQLite (the default: one file, nothing to install) and PostgreSQL
//! (production, several servers over one database), chosen by the database URL, through sqlx's
//! `Any` driver. It owns the schema and its migrations, the change log that clients pull
//! (`records` with a global, gapless `seq`), users and device tokens, the exactly-once memory of
//! mutations, the hash-chained append-only audit log, web sessions and backups.
//!
//! What it must never do: decide anything about the business. Records are opaque JSON
//! documents with a kind, an id and visibility columns; which user may see or change what,
//! state machines, versions and conflicts are the server's job (`centrale-server`) on top of
//! `centrale-domain`. This crate stores and returns exactly what it is given.
//!
//! Writes that touch the change log go through [`Database::write`], which serialises writers
//! so that change order equals commit order (see [`WriteTx`]).

#![warn(missing_docs)]

mod app_releases;
mod audit;
mod backup;
mod columns;
mod database;
mod document_files;
mod error;
mod mail;
mod mail_attachments;
mod mail_preferences;
mod migrate;
mod records;
mod second_factors;
mod users;
mod web_sessions;
mod write;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

#[cfg(test)]
mod tests;

pub use app_releases::AppReleaseRow;
pub use audit::GENESIS_HASH;
pub use audit::{audit_hash, AuditEntry, AuditInput, AuditProblem, AuditProblemKind, AuditReport};
pub use database::{Backend, Database};
pub use document_files::DocumentFile;
pub use error::DbError;
pub use mail::{MessageRow, NewMessage, Routing};
pub use mail_attachments::MailAttachment;
pub use migrate::LATEST_SCHEMA_VERSION;
pub use records::{ChangeRow, PullPage, PullPageText, RecordRow, RecordWrite, Viewer, Visibility};
pub use second_factors::{SecondFactorAnswer, SecondFactorUse, StepUse};
pub use users::{NewUser, TokenRow, UserRow};
pub use web_sessions::WebSession;
pub use write::{NewMutation, StoredMutation, WriteTx};
