//! `cargo xtask demo`: the intercommunal server on its embedded default (SQLite in `data/`),
//! filled with the demo data, in the foreground. Nothing to install: this is how a newcomer first
//! sees Centrale.
//!
//! The steps are separate functions (build, prepare the database, print the accounts, serve) so
//! that the desktop app can be started next to the server later: spawn the server, launch the
//! app, then wait for both.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use anyhow::{bail, ensure, Context, Result};

use crate::cmd::{self, capture};
use crate::steps::Steps;

/// Options of `cargo xtask demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Address and port the server listens on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,
    /// Delete the demo database (data/demo.db*) first, to start again from fresh demo data.
    #[arg(long)]
    reset: bool,
}

/// The demo database, relative to the repository root (the server runs from there).
const DATABASE_URL: &str = "sqlite:data/demo.db";
const DATA_DIR: &str = "data";
const DATABASE_FILE: &str = "demo.db";

/// The seeded accounts people log in with, as (user name, organisation, role in French, role in
/// English). Provider accounts are not listed: the server's `user list` prints them.
#[rustfmt::skip]
const DEMO_ACCOUNTS: &[(&str, &str, &str, &str)] = &[
    ("dg.84009",          "Bertrix",            "directeur général", "director general"),
    ("bourgmestre.84009", "Bertrix",            "bourgmestre",      "mayor"),
    ("agent.84009",       "Bertrix",            "agent communal",   "municipal officer"),
    ("dg.84077",          "Libramont-Chevigny", "directeur général", "director general"),
    ("bourgmestre.84077", "Libramont-Chevigny", "bourgmestre",      "mayor"),
    ("dg.81001",          "Arlon",              "directeur général", "director general"),
    ("centrale.achats",   "Centrale d'achat",   "acheteur",         "procurement staff"),
];

const DEMO_PASSWORD: &str = "demo";

pub fn run(args: &DemoArgs) -> Result<()> {
    let root = cmd::repo_root();
    let mut steps = Steps::new();
    let mut server = None;
    steps.run("build centrale-server", || {
        server = Some(Server::build(&root)?);
        Ok(())
    })?;
    let server = server.context("the server was not built")?;
    if args.reset {
        steps.run("reset the demo database", || reset(&root))?;
    }
    steps.run("prepare the demo database", || server.prepare_database())?;
    print_welcome(&server, &args.bind);
    let child = server.spawn_serve(&args.bind)?;
    wait(child)
}

/// The built `centrale-server` binary, run against the demo database.
struct Server {
    exe: PathBuf,
    root: PathBuf,
}

impl Server {
    fn build(root: &Path) -> Result<Self> {
        cmd::run(cmd::cargo(root).args([
            "build",
            "--package",
            "centrale-server",
            "--bin",
            "centrale-server",
        ]))?;
        let target_dir =
            std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        let exe = target_dir
            .join("debug")
            .join(format!("centrale-server{}", std::env::consts::EXE_SUFFIX));
        ensure!(
            exe.is_file(),
            "built the server but found no binary at {}",
            exe.display()
        );
        Ok(Self {
            exe,
            root: root.to_owned(),
        })
    }

    /// `centrale-server --database sqlite:data/demo.db <args>`, from the repository root. The
    /// flag wins over a `CENTRALE_DATABASE_URL` the developer may have set for other work.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.exe);
        command
            .current_dir(&self.root)
            .args(["--database", DATABASE_URL])
            .args(args);
        command
    }

    /// Creates and seeds the demo database unless it exists. A half-made database is deleted, so
    /// that the next run does not skip the seed and serve an empty demo.
    fn prepare_database(&self) -> Result<()> {
        let data_dir = self.root.join(DATA_DIR);
        if data_dir.join(DATABASE_FILE).exists() {
            println!("{DATA_DIR}/{DATABASE_FILE} exists: keeping it (use --reset to start again)");
            return Ok(());
        }
        fs::create_dir_all(&data_dir)
            .with_context(|| format!("could not create {}", data_dir.display()))?;
        let created = cmd::run(&mut self.command(&["migrate"]))
            .and_then(|()| cmd::run(&mut self.command(&["seed", "--demo"])));
        if created.is_err() {
            reset(&self.root)?;
        }
        created
    }

    /// The provider accounts as the server lists them, or a pointer to the command.
    fn user_list(&self) -> String {
        match capture(&mut self.command(&["user", "list"])) {
            Ok(list) if !list.trim().is_empty() => list,
            _ => "  see `centrale-server user list`\n".to_owned(),
        }
    }

    /// Starts `serve` with the terminal's stdio: its logs show, and Ctrl-C reaches it.
    fn spawn_serve(&self, bind: &str) -> Result<Child> {
        let mut command = self.command(&["serve", "--bind", bind]);
        println!("$ {}", cmd::describe(&command));
        command
            .spawn()
            .with_context(|| format!("could not start {}", self.exe.display()))
    }
}

/// Deletes `data/demo.db` and its companions (`-wal`, `-shm`, `-journal`).
fn reset(root: &Path) -> Result<()> {
    let data_dir = root.join(DATA_DIR);
    let entries = match fs::read_dir(&data_dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(error).with_context(|| format!("could not read {}", data_dir.display()))
        }
    };
    for entry in entries {
        let path = entry?.path();
        let is_demo_db = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with(DATABASE_FILE));
        if is_demo_db {
            fs::remove_file(&path)
                .with_context(|| format!("could not delete {}", path.display()))?;
            println!("deleted {}", path.display());
        }
    }
    Ok(())
}

/// How to use the demo, in French then in English.
fn print_welcome(server: &Server, bind: &str) {
    let url = format!("http://{bind}");
    let accounts: String = DEMO_ACCOUNTS
        .iter()
        .map(|(user, organisation, fr, en)| {
            format!("  {user:<20} {organisation:<20} {fr} / {en}\n")
        })
        .collect();
    let providers = server.user_list();
    let curl = format!(
        "curl -s -X POST {url}/api/v1/auth/login -H 'content-type: application/json' \
         -d '{{\"username\":\"dg.84009\",\"password\":\"{DEMO_PASSWORD}\",\"device\":\"curl\"}}'"
    );
    println!(
        "\n==> Centrale — démo / demo\n\
         \n\
         Serveur de démonstration : {url}\n\
         Comptes de démonstration, tous avec le mot de passe « {DEMO_PASSWORD} » :\n\
         \n\
         Demo server: {url}\n\
         Demo accounts, all with the password \"{DEMO_PASSWORD}\":\n\
         \n\
         {accounts}\n\
         Comptes des fournisseurs et tous les utilisateurs / Provider accounts and all users:\n\
         {providers}\n\
         Portail des prestataires / Providers' portal: {url}/portail/ \
         (prestataire.nuagix / {DEMO_PASSWORD})\n\
         \n\
         Essayer l'API / Try the API:\n  {curl}\n\
         \n\
         Ctrl-C arrête le serveur. / Ctrl-C stops the server.\n"
    );
}

/// Waits for the server. Being stopped by a signal (Ctrl-C) is the normal way a demo ends.
fn wait(mut child: Child) -> Result<()> {
    let status = child.wait().context("could not wait for the server")?;
    if status.success() || status.code().is_none() {
        return Ok(());
    }
    bail!("the server stopped with {status}")
}
