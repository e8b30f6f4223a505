//! Centrale's intercommunal server: accounts and device tokens, the sync API (pull and push of
//! named mutations), the one write path (permission → domain rule → write → audit → change
//! log), the audit log, the admin CLI and the demo seed.
//!
//! It never trusts a state computed by a client: every mutation is re-run against the domain
//! rules with the server's clock.

pub mod actor;
pub mod auth;
pub mod clock;
pub mod config;
pub mod engine;
pub mod error;
pub mod http;
pub mod login;
pub mod mail;
pub mod metrics;
pub mod ocds;
pub mod paper;
pub mod portal;
pub mod scheduler;
pub mod second_factor;
pub mod seed;
pub mod seed_documents;
pub mod seed_history;
pub mod state;
pub mod typesetting;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::Settings;
pub use state::AppState;

/// The server's version, as reported by `/health`.
pub const SERVER_VERSION: &str = env!("CARGO_PKG_VERSION");
