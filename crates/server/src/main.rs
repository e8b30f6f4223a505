//! `centrale-server`: the intercommunal server and its administration commands.
//!
//! Every failure ends with a French message on stderr and exit code 1 (2 for a command line
//! clap cannot parse), never a panic or a debug dump.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Erreur : impossible de démarrer le moteur d'exécution : {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Erreur : {e:#}");
            ExitCode::from(1)
        }
    }
}
