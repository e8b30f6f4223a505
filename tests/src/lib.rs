//! The harness of Centrale's end-to-end tests: a real server on a free loopback port (over a
//! fresh, seeded database: SQLite, or PostgreSQL with `CENTRALE_TEST_BACKEND=postgres`), real
//! local caches in temporary folders, real sync clients, and the faults a town hall meets: a
//! TCP proxy that cuts connections, killed processes, damaged files.
//!
//! Test support: setup failures panic with a clear message, which is the most useful report
//! a test can give.

pub mod cache;
pub mod calloff;
pub mod client;
#[cfg(feature = "desktop-e2e")]
pub mod desktop;
pub mod fault_run;
#[cfg(feature = "desktop-e2e")]
pub mod journey;
pub mod mutations;
#[cfg(feature = "desktop-e2e")]
pub mod portal;
pub mod proxy;
pub mod server;
#[cfg(feature = "desktop-e2e")]
mod webdriver;

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

pub use cache::{CacheDump, Live};
pub use client::TestClient;
pub use proxy::{Fault, Proxy};
pub use server::TestServer;

/// The demo accounts.
pub const DG: &str = "dg.84009";
/// The mayor of Bertrix.
pub const MAYOR: &str = "bourgmestre.84009";
/// A commune agent of Bertrix.
pub const AGENT: &str = "agent.84009";
/// An échevin of Bertrix (a member of the collège: may stand in for the bourgmestre).
pub const ALDERMAN: &str = "echevin.84009";
/// The director general of Libramont-Chevigny.
pub const DG_OTHER: &str = "dg.84077";
/// The mayor of Libramont-Chevigny.
pub const MAYOR_OTHER: &str = "bourgmestre.84077";
/// The centrale's procurement officer.
pub const CENTRALE: &str = "centrale.achats";
/// A provider's account manager.
pub const NUAGIX: &str = "prestataire.nuagix";
/// The other provider of the e-guichet framework.
pub const CIVITECH: &str = "prestataire.civitech";

/// Bertrix.
pub const BERTRIX: &str = "84009";
/// Libramont-Chevigny.
pub const LIBRAMONT: &str = "84077";

/// Server time at the start of every test: the seed's time.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0)
        .single()
        .expect("valid start time")
}

/// The Belgian date of [`t0`].
pub fn today0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).expect("valid date")
}

/// Polls `check` until it gives a value, failing with `what` after `limit`. For waiting on
/// another process or task, never for ordering the test's own steps.
pub async fn eventually<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if Instant::now() > deadline {
            panic!("gave up after {limit:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}
