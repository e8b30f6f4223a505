//! One decision per mutation (issue 11 §1): a pure function over the actor, the records the
//! mutation reads (already loaded by the caller) and the one instant the server read under its
//! write lock (the PC: its server-adjusted clock). It returns the records to write, or the
//! refusal. Every permission (role × act × whose record), precondition, limit and state effect
//! of the mutation is decided here; the server's engine (`crates/server/src/engine/*`) and the
//! PC's offline effects (`crates/store/src/local.rs`) only load the inputs, call the function
//! and write what it returns.
//!
//! A missing record is given as `None` and refused here with `not_found`, in the same order
//! of checks on both sides (the permission before what the record's state says). "Today in
//! Brussels" is derived from `now` here, never passed separately.

pub mod accompaniment;
pub mod adhesion;
pub mod catalogue;
pub mod mail;
pub mod milestone;
pub mod offer;
pub mod order;
pub mod pool;
pub mod substitution;
pub mod survey;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use crate::DomainError;

/// A record the mutation needs: absent (unknown, deleted, or not on this PC) is `not_found`,
/// the answer the server gives for a record the caller may not see.
fn found<T>(record: Option<T>) -> Result<T, DomainError> {
    record.ok_or(DomainError::NotFound)
}

/// The answer to an edit of a record that may have changed since the edit was based on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit<T> {
    /// Write this.
    Apply(T),
    /// The edit was based on an older version: nothing is written; the server answers with
    /// the record as it is now (`conflict`), after the permission was checked (so a record of
    /// another commune never leaks through a conflict).
    Conflict,
}

/// What happens to the server's index of open competitions' deadlines (server-internal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeadlineIndex {
    /// Unchanged.
    #[default]
    Unchanged,
    /// The competition now closes at this instant.
    Set(DateTime<Utc>),
    /// No competition runs any more.
    Cleared,
}
