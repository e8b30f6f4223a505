//! `cargo xtask bench`: the server's sync benchmark on SQLite, then on PostgreSQL.
//!
//! The bench prints its own `BENCH <name> <value> <unit>` lines on stdout; they pass through
//! untouched, preceded by the machine's core count so that results from different machines can
//! be compared.

use std::path::Path;
use std::thread::available_parallelism;

use anyhow::{ensure, Result};

use crate::cmd::{self, capture};
use crate::setup;
use crate::steps::Steps;

const PACKAGE: &str = "centrale-server";
const BENCH: &str = "sync_throughput";

pub fn run() -> Result<()> {
    let cores = available_parallelism().map_or(1, |n| n.get());
    println!("BENCH machine_cores {cores} cores");
    let root = cmd::repo_root();
    let mut steps = Steps::new();
    steps.run("find the bench target", || ensure_bench_exists(&root))?;
    let pg_url = setup::prepare(&mut steps)?;
    steps.run("bench (SQLite)", || bench(&root, None))?;
    steps.run("bench (PostgreSQL)", || bench(&root, Some(&pg_url)))?;
    steps.print_summary();
    Ok(())
}

/// Fails early and clearly if the bench is missing, rather than after the machine set-up.
fn ensure_bench_exists(root: &Path) -> Result<()> {
    let metadata =
        capture(cmd::cargo(root).args(["metadata", "--no-deps", "--format-version", "1"]))?;
    ensure!(
        has_bench_target(&metadata, BENCH),
        "no bench target `{BENCH}` in the workspace: expected `crates/server/benches/{BENCH}.rs` \
         in package {PACKAGE}"
    );
    println!("found bench `{BENCH}`");
    Ok(())
}

/// Whether `cargo metadata` JSON has a bench target named `name`. A plain text scan keeps xtask
/// free of a JSON parser: a target is a flat object (`{"kind":["bench"],…,"name":"…",…}`).
fn has_bench_target(metadata: &str, name: &str) -> bool {
    let needle = format!("\"name\":\"{name}\"");
    metadata.match_indices(&needle).any(|(at, _)| {
        let start = metadata[..at].rfind('{').unwrap_or(0);
        let end = metadata[at..].find('}').map_or(metadata.len(), |i| at + i);
        metadata[start..end].contains("\"kind\":[\"bench\"]")
    })
}

/// Runs the bench once; on PostgreSQL when a URL is given.
fn bench(root: &Path, pg_url: Option<&str>) -> Result<()> {
    let mut command = cmd::cargo(root);
    command.args(["bench", "--package", PACKAGE, "--bench", BENCH]);
    match pg_url {
        Some(url) => command
            .env("CENTRALE_TEST_BACKEND", "postgres")
            .env(setup::PG_URL_ENV, url),
        None => command.env_remove("CENTRALE_TEST_BACKEND"),
    };
    cmd::run(&mut command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bench_targets_only() {
        let metadata = r#"{"packages":[{"name":"centrale-server","targets":[
            {"kind":["lib"],"crate_types":["lib"],"name":"centrale_server","src_path":"x"},
            {"kind":["bench"],"crate_types":["bin"],"name":"sync_throughput","src_path":"y"}]}]}"#;
        assert!(has_bench_target(metadata, "sync_throughput"));
        assert!(!has_bench_target(metadata, "centrale_server"));
        assert!(!has_bench_target(metadata, "missing"));
    }
}
