//! `cargo xtask test`: set up the machine, then run every check and test, stopping at the first
//! failure. This is the whole of CI (`.ci/run`), and what a developer runs before pushing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::cmd::{self, succeeds};
use crate::steps::Steps;
use crate::{deps, desktop, habits, setup, ui};

/// Packages whose tests run a second time on PostgreSQL (the server's production backend): the
/// server's own suites and the client-against-server suites.
const POSTGRES_PACKAGES: &[&str] = &["centrale-server-db", "centrale-server", "centrale-tests"];

/// What every check needs to know.
struct Context {
    root: PathBuf,
    runner: Runner,
    pg_url: String,
}

/// The test runner: cargo-nextest when installed (faster, clearer output), otherwise cargo test.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runner {
    Nextest,
    CargoTest,
}

impl Runner {
    fn detect(root: &Path) -> Self {
        if succeeds(cmd::cargo(root).args(["nextest", "--version"])) {
            Runner::Nextest
        } else {
            Runner::CargoTest
        }
    }

    /// The command running the tests of `packages` (the whole workspace when empty), and with
    /// `journeys` the desktop journeys alone (without, everything but them).
    ///
    /// With nextest every run builds the same selection — the whole workspace with the
    /// journeys' feature — and picks tests with a filter: a different package or feature
    /// selection would unify dependencies' features differently and compile them all again.
    fn command(self, root: &Path, packages: &[&str], journeys: bool) -> Command {
        let mut command = cmd::cargo(root);
        match self {
            Runner::Nextest => {
                // An empty selection is a warning, not a failure: a crate may have no tests yet.
                command.args(["nextest", "run", "--no-tests=warn", "--workspace"]);
                command.args(["--features", JOURNEYS_FEATURE]);
                let journey_binaries = JOURNEYS
                    .iter()
                    .map(|j| format!("binary({j})"))
                    .collect::<Vec<_>>()
                    .join(" | ");
                let filter = if journeys {
                    journey_binaries
                } else {
                    let mut filter = format!("not ({journey_binaries})");
                    if !packages.is_empty() {
                        let chosen = packages
                            .iter()
                            .map(|p| format!("package({p})"))
                            .collect::<Vec<_>>()
                            .join(" | ");
                        filter = format!("({chosen}) & {filter}");
                    }
                    filter
                };
                command.args(["-E", &filter]);
            }
            Runner::CargoTest => {
                command.arg("test");
                if journeys {
                    command.args(["--package", "centrale-tests", "--features", "desktop-e2e"]);
                    for journey in JOURNEYS {
                        command.args(["--test", journey]);
                    }
                } else if packages.is_empty() {
                    command.arg("--workspace");
                } else {
                    for package in packages {
                        command.args(["--package", package]);
                    }
                }
            }
        }
        command
    }
}

/// The feature that builds the desktop journeys (and the portal in Chromium).
pub const JOURNEYS_FEATURE: &str = "centrale-tests/desktop-e2e";

/// The test binary that drives the real desktop app (run apart, under Xvfb).
const JOURNEYS: &[&str] = &["journeys"];

/// One named check of the list below.
struct Check {
    name: &'static str,
    run: fn(&Context) -> Result<()>,
}

/// The Rust checks, in order: the cheapest first so that a formatting slip fails in seconds.
fn rust_checks(runner: Runner) -> Vec<Check> {
    let mut checks = vec![
        Check {
            name: "cargo fmt --check",
            run: |c| fmt(&c.root),
        },
        Check {
            name: "cargo clippy",
            run: |c| clippy(&c.root),
        },
        Check {
            name: "tests (SQLite)",
            run: tests_sqlite,
        },
    ];
    if runner == Runner::Nextest {
        checks.push(Check {
            name: "doctests",
            run: doctests,
        });
    }
    checks.push(Check {
        name: "server tests (PostgreSQL)",
        run: tests_postgres,
    });
    checks
}

/// The front end's checks, first: the desktop app embeds `ui/dist`, so the UI is built before
/// any Rust compiles.
fn ui_checks() -> Vec<Check> {
    vec![
        Check {
            name: "ui: npm ci",
            run: |c| ui::install(&c.root),
        },
        Check {
            name: "ui: type check",
            run: |c| ui::script(&c.root, "typecheck"),
        },
        Check {
            name: "ui: lint",
            run: |c| ui::script(&c.root, "lint"),
        },
        Check {
            name: "ui: tests (vitest)",
            run: |c| ui::script(&c.root, "test"),
        },
        Check {
            name: "ui: build",
            run: |c| ui::script(&c.root, "build"),
        },
    ]
}

/// The real desktop app, built, then driven through its journeys under Xvfb.
fn desktop_checks() -> Vec<Check> {
    vec![Check {
        name: "desktop journeys (tauri-driver, Xvfb)",
        run: desktop_journeys,
    }]
}

fn desktop_journeys(context: &Context) -> Result<()> {
    // nextest builds the whole workspace, the app's binary included (its integration tests
    // need it), exactly as the tests before did; `cargo test` of one package does not.
    if context.runner == Runner::CargoTest {
        cmd::run(cmd::cargo(&context.root).args(["build", "--package", "centrale-desktop"]))?;
    }
    let mut test = context.runner.command(&context.root, &[], true);
    // One app at a time: each journey is a whole PC with its WebKit processes.
    match context.runner {
        Runner::Nextest => test.args(["--test-threads", "1"]),
        Runner::CargoTest => test.args(["--", "--test-threads=1"]),
    };
    test.env_remove("CENTRALE_TEST_BACKEND");
    cmd::run(&mut desktop::headless(test))
}

pub fn run() -> Result<()> {
    let mut steps = Steps::new();
    let pg_url = setup::prepare(&mut steps)?;
    let root = cmd::repo_root();
    let runner = Runner::detect(&root);
    let context = Context {
        root,
        runner,
        pg_url,
    };
    let dependencies = Check {
        name: "dependencies: unused and licences",
        run: |c| deps::check(&c.root),
    };
    let subjects = Check {
        name: "habits: commit subjects",
        run: |c| habits::commit_subjects(&c.root),
    };
    // The dependency check first: it takes seconds and needs nothing built.
    let checks = [dependencies, subjects]
        .into_iter()
        .chain(ui_checks())
        .chain(rust_checks(runner))
        .chain(desktop_checks());
    for check in checks {
        steps.run(check.name, || (check.run)(&context))?;
    }
    steps.print_summary();
    println!("xtask: all checks passed");
    Ok(())
}

/// `cargo fmt --check` of the workspace (also `cargo xtask check`'s first step).
pub fn fmt(root: &Path) -> Result<()> {
    cmd::run(cmd::cargo(root).args(["fmt", "--all", "--", "--check"]))
}

/// Clippy of every target of the workspace, warnings denied (also run by `cargo xtask check`).
pub fn clippy(root: &Path) -> Result<()> {
    // With the journeys' feature: they build only with it, and the tests build the same way.
    cmd::run(cmd::cargo(root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--features",
        JOURNEYS_FEATURE,
        "--",
        "-D",
        "warnings",
    ]))
}

/// The whole workspace on the default backend, SQLite. `CENTRALE_TEST_BACKEND` is cleared so a
/// value left in the developer's shell cannot turn this run into a second PostgreSQL run.
fn tests_sqlite(context: &Context) -> Result<()> {
    let mut command = context.runner.command(&context.root, &[], false);
    cmd::run(command.env_remove("CENTRALE_TEST_BACKEND"))
}

/// nextest does not run doctests, so they get their own run.
fn doctests(context: &Context) -> Result<()> {
    cmd::run(cmd::cargo(&context.root).args([
        "test",
        "--workspace",
        "--doc",
        "--features",
        JOURNEYS_FEATURE,
    ]))
}

/// The server's suites again, on PostgreSQL.
fn tests_postgres(context: &Context) -> Result<()> {
    let mut command = context
        .runner
        .command(&context.root, POSTGRES_PACKAGES, false);
    command
        .env("CENTRALE_TEST_BACKEND", "postgres")
        .env(setup::PG_URL_ENV, &context.pg_url);
    cmd::run(&mut command)
}
