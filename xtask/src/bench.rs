//! `cargo xtask bench`: every benchmark of the workspace — the server's sync throughput and its
//! no-change pull on a 1,000,000-row change log (SQLite then PostgreSQL), the client cache's
//! screen reads, the client's sync against a real server, the typesetting of a call-off's whole
//! file against one page, a long randomized fault run (the soak), and the desktop app's cold
//! start and memory against a bare Tauri window (release builds, under Xvfb).
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

/// One benchmark target: package, bench name, and whether it runs a second time on PostgreSQL.
struct Bench {
    package: &'static str,
    name: &'static str,
    postgres_too: bool,
}

const BENCHES: &[Bench] = &[
    Bench {
        package: "centrale-server",
        name: "sync_throughput",
        postgres_too: true,
    },
    Bench {
        package: "centrale-server",
        name: "pull_no_change",
        postgres_too: true,
    },
    Bench {
        package: "centrale-server",
        name: "pull_load",
        postgres_too: true,
    },
    Bench {
        package: "centrale-server",
        name: "centrales_writing",
        postgres_too: true,
    },
    Bench {
        package: "centrale-store",
        name: "screen_reads",
        postgres_too: false,
    },
    Bench {
        package: "centrale-tests",
        name: "client_sync",
        postgres_too: false,
    },
    Bench {
        package: "centrale-documents",
        name: "whole_file",
        postgres_too: false,
    },
];

/// Steps of the randomized fault run in the soak (the test default is bounded for CI).
const SOAK_STEPS: &str = "10000";

pub fn run() -> Result<()> {
    let cores = available_parallelism().map_or(1, |n| n.get());
    println!("BENCH machine_cores {cores} cores");
    let root = cmd::repo_root();
    let mut steps = Steps::new();
    steps.run("find the bench targets", || ensure_benches_exist(&root))?;
    let pg_url = setup::prepare(&mut steps)?;
    // Issue 19 §2: the load generator of the `pull_load` bench.
    steps.run("the load generator wrk", || {
        setup::ensure_packages(&["wrk"])
    })?;
    for b in BENCHES {
        steps.run(&format!("bench {} (SQLite)", b.name), || {
            bench(&root, b, None)
        })?;
        if b.postgres_too {
            steps.run(&format!("bench {} (PostgreSQL)", b.name), || {
                bench(&root, b, Some(&pg_url))
            })?;
        }
    }
    steps.run("soak: long randomized fault run", || soak(&root))?;
    steps.run("desktop app vs a bare window (release, Xvfb)", || {
        desktop_app(&root)
    })?;
    steps.print_summary();
    Ok(())
}

/// Fails early and clearly if a bench is missing, rather than after the machine set-up.
fn ensure_benches_exist(root: &Path) -> Result<()> {
    let metadata =
        capture(cmd::cargo(root).args(["metadata", "--no-deps", "--format-version", "1"]))?;
    for b in BENCHES {
        ensure!(
            has_bench_target(&metadata, b.name),
            "no bench target `{}` in the workspace (expected in package {})",
            b.name,
            b.package
        );
        println!("found bench `{}`", b.name);
    }
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

/// The randomized fault run with many more steps than in `cargo xtask test`.
fn soak(root: &Path) -> Result<()> {
    let mut command = cmd::cargo(root);
    command
        .args([
            "test",
            "--package",
            "centrale-tests",
            "--test",
            "suite",
            "fault_run::",
        ])
        .env("CENTRALE_FAULT_STEPS", SOAK_STEPS)
        .env_remove("CENTRALE_TEST_BACKEND");
    cmd::run(&mut command)
}

/// Builds the UI, the app and the bare window in release, then measures both under Xvfb.
fn desktop_app(root: &Path) -> Result<()> {
    crate::ui::build(root)?;
    ui_first_screen(root)?;
    cmd::run(cmd::cargo(root).args([
        "build",
        "--release",
        "--package",
        "centrale-desktop",
        "--package",
        "centrale-bare-window",
    ]))?;
    let mut command = cmd::cargo(root);
    command
        .args([
            "bench",
            "--package",
            "centrale-tests",
            "--features",
            "desktop-e2e",
            "--bench",
            "desktop_app",
        ])
        .env_remove("CENTRALE_TEST_BACKEND");
    cmd::run(&mut crate::desktop::headless(command))
}

/// Issue 19 §5: what the window loads to show its first screen (the script `index.html`
/// names) against all the UI's scripts (the other screens load when first shown).
fn ui_first_screen(root: &Path) -> Result<()> {
    let dist = root.join("ui/dist");
    let index = std::fs::read_to_string(dist.join("index.html"))?;
    let entry = index
        .split("src=\"./")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or_else(|| anyhow::anyhow!("no script in ui/dist/index.html"))?;
    let first = std::fs::metadata(dist.join(entry))?.len();
    let mut all = 0;
    for file in std::fs::read_dir(dist.join("assets"))? {
        let path = file?.path();
        if path.extension().is_some_and(|e| e == "js") {
            all += std::fs::metadata(&path)?.len();
        }
    }
    #[allow(clippy::cast_precision_loss)] // sizes of a few MB, a ratio to two decimals
    let ratio = first as f64 / all.max(1) as f64;
    println!("BENCH ui_first_screen_js_vs_all_js_ratio {ratio:.2} ratio");
    println!("BENCH ui_first_screen_js_kib {} KiB", first / 1024);
    Ok(())
}

/// Runs a bench once; on PostgreSQL when a URL is given.
fn bench(root: &Path, b: &Bench, pg_url: Option<&str>) -> Result<()> {
    let mut command = cmd::cargo(root);
    command.args(["bench", "--package", b.package, "--bench", b.name]);
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
