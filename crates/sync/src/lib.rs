//! Centrale's sync engine on the commune's PC: pushes the outbox in order, pulls the changes
//! after the stored cursor page by page, retries with backoff when the network or the server
//! fails, and reports a status the app shows at all times.
//!
//! It never decides anything about the data: the server applies, the store keeps. It never
//! stores a credential: the app hands it a [`Credentials`] provider (the OS keyring).

mod backoff;
mod client;
mod credentials;
mod engine;
mod error;
mod probe;
mod status;

pub use backoff::Backoff;
pub use client::{SyncClient, SyncConfig, SyncReport};
pub use credentials::{CredentialError, Credentials, MemoryCredentials};
pub use engine::{EngineTiming, SyncEngine};
pub use error::{SyncError, SyncFailure};
pub use probe::{probe, ProbeError};
pub use status::{SyncPhase, SyncStatus};
