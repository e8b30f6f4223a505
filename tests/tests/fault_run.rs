//! The randomized fault run (see `centrale_tests::fault_run`): seeded and reproducible.
//!
//! - `CENTRALE_FAULT_SEED=<n>` replays a run (the seed is printed at its start and in every
//!   failure);
//! - `CENTRALE_FAULT_STEPS=<n>` sets its length; without it, a bounded run that keeps
//!   `cargo xtask test` fast. The soak is the same test with many more steps, e.g.
//!   `CENTRALE_FAULT_STEPS=5000 cargo test --release -p centrale-tests --test fault_run`.

use centrale_tests::fault_run::{run, FaultRunConfig};

/// Steps of a run when `CENTRALE_FAULT_STEPS` is not set.
const DEFAULT_STEPS: usize = 1500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pcs_acting_offline_through_dropped_connections_and_restarts_lose_nothing_and_double_nothing(
) {
    let report = run(FaultRunConfig::from_env(DEFAULT_STEPS)).await;
    assert!(
        report.enqueued > 0 && report.applied > 0,
        "the run did something: {report:?}"
    );
    assert!(report.syncs > 0, "{report:?}");
}
