//! Project automation for Centrale, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! Written in Rust rather than shell so that it works the same on every developer machine and in
//! CI, and reports failures with context. It depends only on std, `anyhow`, `clap` and
//! `serde_json` because CI compiles it from scratch before anything else.
//!
//! - `test`: set up a fresh Debian 12 machine (packages, PostgreSQL), then run every check and
//!   test; this is what `.ci/run` calls.
//! - `check`: the developer's inner loop (format, UI type check, clippy, the unit tests of the
//!   crates changed since `main`), minutes instead of the whole `test`.
//! - `demo`: start the intercommunal server with demo data.
//! - `bench`: run the server and client benchmarks, and the desktop app's against a bare window.
//! - `bindings`: regenerate the UI's TypeScript types from the Rust types.
//! - `deps`: the dependency check alone (unused dependencies, licences).
//! - `release`: the installers (Windows MSI cross-compiled, Linux `.deb` and `.rpm`), built
//!   here, then checked; the Linux ones installed and started under Xvfb.

mod bench;
mod check;
mod cmd;
mod demo;
mod deps;
mod desktop;
mod habits;
mod pe;
mod release;
mod release_linux;
mod setup;
mod steps;
mod test;
mod ui;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Command line of `cargo xtask`.
#[derive(Parser)]
#[command(name = "cargo xtask", about = "Centrale project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up the machine (Debian packages, PostgreSQL), then run every check and test.
    Test,
    /// The developer's inner loop: fmt, the UI's type check, clippy, the changed crates' unit tests.
    Check,
    /// Start the intercommunal server on SQLite with the demo data.
    Demo(demo::DemoArgs),
    /// Run the server benchmarks, on SQLite then on PostgreSQL.
    Bench,
    /// Regenerate the UI's TypeScript types (ui/src/bindings) from the Rust types.
    Bindings,
    /// Check the dependencies alone (none unused, every licence allowed), as `test` does first.
    Deps,
    /// Build the installers (MSI, .deb, .rpm) here and check them: a maintainer's command.
    Release(release::ReleaseArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Test => test::run(),
        Command::Check => check::run(),
        Command::Demo(args) => demo::run(&args),
        Command::Bench => bench::run(),
        Command::Bindings => ui::write_bindings(),
        Command::Deps => deps::check(&cmd::repo_root()),
        Command::Release(args) => release::run_release(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the whole context chain on one line: "step X failed: command Y failed: …".
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
