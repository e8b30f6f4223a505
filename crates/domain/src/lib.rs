//! Centrale's procurement rules, pure: the types of a call-off, its state machines, scoring and
//! validation.
//!
//! This crate must never do I/O (no files, no network, no clock): every rule takes the current
//! time or date as an argument, so the server stays the authority for time and tests control it.

pub mod accompaniment;
pub mod adhesion;
pub mod app_release;
pub mod catalogue;
pub mod commune;
pub mod decide;
pub mod decision;
pub mod deployment;
pub mod designation;
pub mod document_file;
pub mod enterprise;
pub mod error;
pub mod evaluation;
pub mod exact;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod interoperability;
pub mod limits;
pub mod mail;
pub mod messages;
pub mod money;
pub mod needs;
pub mod offer;
pub mod order;
pub mod paper;
pub mod permission;
pub mod pool;
pub mod role;
pub mod second_factor;
pub mod signatory;
pub mod standing;
pub mod survey;
pub mod time;
pub mod tracking;
pub mod value;

pub use error::{DomainError, ErrorCode};

/// Hex SHA-256 of a text, as used for convention texts, documents and offer receipts.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Date shown to users: dd/mm/yyyy.
pub fn format_date(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}
