//! The status the app shows at all times.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// What the engine is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Waiting for the next sync.
    Idle,
    /// A sync is running.
    Syncing,
    /// The server could not be reached: retrying with backoff.
    Offline,
    /// Sign in again.
    CredentialsNeeded,
    /// Install the update.
    UpdateNeeded,
}

/// The sync status.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    /// What the engine is doing.
    pub phase: SyncPhase,
    /// Whether the last contact with the server succeeded.
    pub online: bool,
    /// When the last sync completed.
    pub last_success: Option<DateTime<Utc>>,
    /// Changes waiting to be sent.
    pub pending: i64,
    /// Changes refused or in conflict, waiting for the user.
    pub needs_attention: i64,
    /// Stable code of the last error, if the last sync failed.
    pub last_error_code: Option<String>,
    /// The last error in plain words.
    pub last_error: Option<String>,
    /// When the next automatic try is due, after a failure.
    pub next_retry_at: Option<DateTime<Utc>>,
    /// Server time at the last contact (the authority for deadlines).
    pub server_time: Option<DateTime<Utc>>,
}

impl Default for SyncStatus {
    fn default() -> Self {
        SyncStatus {
            phase: SyncPhase::Idle,
            online: false,
            last_success: None,
            pending: 0,
            needs_attention: 0,
            last_error_code: None,
            last_error: None,
            next_retry_at: None,
            server_time: None,
        }
    }
}
