//! Every end-to-end suite that needs no desktop app, in one test binary (each would otherwise
//! link the whole server and client again). nextest runs each test in a process of its own,
//! so a module may still set process-wide state.

#[path = "cache_files.rs"]
mod cache_files;
#[path = "fault_run.rs"]
mod fault_run;
#[path = "faults.rs"]
mod faults;
#[path = "same_decision.rs"]
mod same_decision;
#[path = "same_paper.rs"]
mod same_paper;
#[path = "sync_journeys.rs"]
mod sync_journeys;
