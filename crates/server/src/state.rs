//! Shared state of the running server.

use std::sync::Arc;

use centrale_server_db::Database;

use crate::{Clock, Settings};

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// Storage.
    pub db: Database,
    /// Server time.
    pub clock: Arc<dyn Clock>,
    /// Settings.
    pub settings: Arc<Settings>,
}

impl AppState {
    /// Assembles the state.
    pub fn new(db: Database, clock: Arc<dyn Clock>, settings: Settings) -> AppState {
        AppState {
            db,
            clock,
            settings: Arc::new(settings),
        }
    }
}
