//! `cargo xtask demo`: the intercommunal server on its embedded default (SQLite in `data/`),
//! filled with the demo data, and the desktop app opened on it (its own cache in
//! `data/poste-demo`). Nothing to install: this is how a newcomer first sees Centrale.
//! The demo database is created with about a year of activity (`seed --demo --history`), so
//! the centrale's screens open filled.
//! `--no-app` serves without opening the app; `--reset` starts again from fresh demo data.

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
    /// Only the server: do not build and open the desktop app.
    #[arg(long)]
    no_app: bool,
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
    ("bourgmestre.81001", "Arlon",              "bourgmestre",      "mayor"),
    ("centrale.achats",   "Centrale d'achat",   "acheteur",         "procurement staff"),
];

const DEMO_PASSWORD: &str = "demo";

/// The centrale's contact the demo portal shows (the server's `contact_*` settings).
const DEMO_CONTACT: &[(&str, &str)] = &[
    ("CENTRALE_CONTACT_EMAIL", "centrale.achats@exemple.be"),
    ("CENTRALE_CONTACT_PHONE", "+32 61 00 00 00"),
];

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
    let mut app = None;
    if !args.no_app {
        steps.run("build the desktop app", || {
            app = Some(build_app(&root)?);
            Ok(())
        })?;
    }
    print_welcome(&server, &args.bind, app.is_some());
    let child = server.spawn_serve(&args.bind)?;
    match app {
        Some(app) => run_app_beside(child, &app, &root, &args.bind),
        None => wait(child),
    }
}

/// Builds the UI and the desktop app; returns the app's binary.
fn build_app(root: &Path) -> Result<PathBuf> {
    crate::ui::build(root)?;
    cmd::run(cmd::cargo(root).args(["build", "--package", "centrale-desktop"]))?;
    Ok(root.join("target/debug/centrale-desktop"))
}

/// Opens the app pointed at the demo server (its own cache in `data/poste-demo`), and stops
/// the server when the app is closed. Without a screen, the server keeps running alone.
fn run_app_beside(mut server: Child, app: &Path, root: &Path, bind: &str) -> Result<()> {
    let has_screen = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
        || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty());
    if !has_screen {
        println!(
            "Pas d'écran ici (DISPLAY vide) : l'application ne peut pas s'ouvrir ; le serveur \
             reste disponible. / No display here: the app cannot open; the server keeps running."
        );
        return wait(server);
    }
    let launched = Command::new(app)
        .env("CENTRALE_SERVER_URL", format!("http://{bind}"))
        .env("CENTRALE_DATA_DIR", root.join(DATA_DIR).join("poste-demo"))
        .status();
    let _ = server.kill();
    let _ = server.wait();
    let status = launched.with_context(|| format!("could not start {}", app.display()))?;
    ensure!(status.success(), "the desktop app stopped with {status}");
    Ok(())
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

    /// Creates and seeds the demo database, with its year of history, unless it exists. A
    /// half-made database is deleted, so that the next run does not skip the seed and serve an
    /// empty demo.
    fn prepare_database(&self) -> Result<()> {
        let data_dir = self.root.join(DATA_DIR);
        if data_dir.join(DATABASE_FILE).exists() {
            println!("{DATA_DIR}/{DATABASE_FILE} exists: keeping it (use --reset to start again)");
            return Ok(());
        }
        fs::create_dir_all(&data_dir)
            .with_context(|| format!("could not create {}", data_dir.display()))?;
        let created = cmd::run(&mut self.command(&["migrate"]))
            .and_then(|()| cmd::run(&mut self.command(&["seed", "--demo", "--history"])));
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

    /// Starts `serve` with the terminal's stdio: its logs show, and Ctrl-C reaches it. The
    /// portal shows a demo contact for the centrale (issue 15 point 10).
    fn spawn_serve(&self, bind: &str) -> Result<Child> {
        let mut command = self.command(&["serve", "--bind", bind]);
        for (name, value) in DEMO_CONTACT {
            command.env(name, value);
        }
        println!("$ {}", cmd::describe(&command));
        command
            .spawn()
            .with_context(|| format!("could not start {}", self.exe.display()))
    }
}

/// Deletes `data/demo.db` and its companions (`-wal`, `-shm`, `-journal`), and the demo PC's
/// cache.
fn reset(root: &Path) -> Result<()> {
    let data_dir = root.join(DATA_DIR);
    // The demo PC's cache knows the old database's history: it starts again too.
    let pc = data_dir.join("poste-demo");
    if pc.exists() {
        fs::remove_dir_all(&pc).with_context(|| format!("could not delete {}", pc.display()))?;
        println!("deleted {}", pc.display());
    }
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
fn print_welcome(server: &Server, bind: &str, with_app: bool) {
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
         Et dg.<NIS> / bourgmestre.<NIS> des communes de l'historique (environ un an d'adhésions \
         et de commandes) / and those of the communes in the demo history (about a year of \
         adhesions and orders).\n\
         \n\
         Comptes des fournisseurs et tous les utilisateurs / Provider accounts and all users:\n\
         {providers}\n\
         Portail des prestataires / Providers' portal: {url}/portail/ \
         (prestataire.nuagix / {DEMO_PASSWORD})\n\
         \n\
         Essayer l'API / Try the API:\n  {curl}\n"
    );
    if with_app {
        println!(
            "L'application Centrale s'ouvre, connectée à ce serveur : dg.84009 / {DEMO_PASSWORD} \
             pour une commune, centrale.achats / {DEMO_PASSWORD} pour la centrale d'achat. La \
             fermer arrête le serveur ; Ctrl-C aussi.\n\
             The Centrale app opens, pointed at this server (dg.84009 for a commune, \
             centrale.achats for the centrale). Closing it stops the server; so does Ctrl-C.\n"
        );
    } else {
        println!(
            "Serveur seul (--no-app) : Ctrl-C l'arrête.\n\
             Server only (--no-app): Ctrl-C stops it.\n"
        );
    }
}

/// Waits for the server. Being stopped by a signal (Ctrl-C) is the normal way a demo ends.
fn wait(mut child: Child) -> Result<()> {
    let status = child.wait().context("could not wait for the server")?;
    if status.success() || status.code().is_none() {
        return Ok(());
    }
    bail!("the server stopped with {status}")
}
