//! Named, timed steps: a `==> step` header before each, and a summary of durations at the end,
//! so a CI log shows at a glance what ran, what failed and where the time went.

use std::time::{Duration, Instant};

use anyhow::Result;

/// The steps run so far by one `cargo xtask` command.
pub struct Steps {
    started: Instant,
    finished: Vec<Finished>,
}

struct Finished {
    name: String,
    elapsed: Duration,
    ok: bool,
}

impl Steps {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            finished: Vec::new(),
        }
    }

    /// Runs one step. On failure it prints the summary (so the failing step is visible at the end
    /// of the log) and returns the error with the step's name as context: callers stop at the
    /// first failure with `?`.
    pub fn run(&mut self, name: &str, step: impl FnOnce() -> Result<()>) -> Result<()> {
        println!("\n==> {name}");
        let started = Instant::now();
        let result = step();
        let elapsed = started.elapsed();
        self.finished.push(Finished {
            name: name.to_owned(),
            elapsed,
            ok: result.is_ok(),
        });
        match result {
            Ok(()) => {
                println!("<== {name}: ok in {}", seconds(elapsed));
                Ok(())
            }
            Err(error) => {
                self.print_summary();
                Err(error.context(format!("step `{name}` failed")))
            }
        }
    }

    /// Prints the time taken by each step and in total.
    pub fn print_summary(&self) {
        println!("\n==> summary");
        for step in &self.finished {
            let status = if step.ok { "ok" } else { "FAILED" };
            println!("  {status:<6} {:>8}  {}", seconds(step.elapsed), step.name);
        }
        println!("  {:<6} {:>8}", "total", seconds(self.started.elapsed()));
    }
}

fn seconds(duration: Duration) -> String {
    format!("{:.1}s", duration.as_secs_f64())
}
