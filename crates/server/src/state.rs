//! Shared state of the running server.

use std::sync::Arc;

use centrale_server_db::Database;

use crate::login::LoginGuard;
use crate::metrics::Metrics;
use crate::scheduler::SchedulerSignal;
use crate::typesetting::Typesetting;
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
    /// Login throttles kept in memory and the bound on password checks.
    pub login: Arc<LoginGuard>,
    /// The scheduler's next deadline and wake-up, shared with the pull (which only nudges).
    pub scheduler: Arc<SchedulerSignal>,
    /// The counters of `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The bound on documents typeset at once.
    pub typesetting: Typesetting,
}

impl AppState {
    /// Assembles the state.
    pub fn new(db: Database, clock: Arc<dyn Clock>, settings: Settings) -> AppState {
        AppState {
            db,
            clock,
            login: Arc::new(LoginGuard::new(&settings)),
            scheduler: Arc::new(SchedulerSignal::new()),
            metrics: Arc::new(Metrics::default()),
            typesetting: Typesetting::per_core(),
            settings: Arc::new(settings),
        }
    }
}
