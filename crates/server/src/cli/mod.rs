//! The command line of `centrale-server`: run the server, migrate, load the demo data,
//! manage accounts, back up, verify the audit log.

mod commune;
mod mail;
mod release;
mod user;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::bail;
use centrale_server::{AppState, Settings, SystemClock};
use centrale_server_db::{AuditInput, Database, DbError, LATEST_SCHEMA_VERSION};
use chrono::Utc;
use clap::{Parser, Subcommand};

/// Serveur de la centrale d'achat intercommunale et ses commandes d'administration.
#[derive(Debug, Parser)]
#[command(name = "centrale-server", version)]
pub struct Cli {
    /// Base de données : sqlite:chemin/fichier.db ou postgres://utilisateur:motdepasse@hôte:5432/base
    #[arg(
        long,
        global = true,
        env = "CENTRALE_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    database: Option<String>,
    /// Fichier de configuration TOML.
    #[arg(long, global = true, env = "CENTRALE_CONFIG", value_name = "FICHIER")]
    config: Option<PathBuf>,
    /// Centrale hébergée visée (son nom d'hôte, voir [[centrales]] dans le fichier de configuration) ; sans lui, la centrale propre du serveur.
    #[arg(long, global = true, env = "CENTRALE_HOSTED", value_name = "HÔTE")]
    centrale: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Démarre le serveur (applique d'abord les migrations).
    Serve {
        /// Adresse d'écoute, par exemple 127.0.0.1:8080.
        #[arg(long, env = "CENTRALE_BIND", value_name = "ADRESSE:PORT")]
        bind: Option<String>,
    },
    /// Met le schéma de la base de données à jour.
    Migrate,
    /// Charge les données de démonstration (communes, catalogue, comptes « demo »).
    Seed {
        /// Confirme qu'il s'agit des données de démonstration.
        #[arg(long)]
        demo: bool,
        /// Ajoute environ un an d'activité fictive (adhésions, commandes, offres, déploiements) jusqu'à aujourd'hui, sur une base sans adhésion.
        #[arg(long)]
        history: bool,
    },
    /// Gère les comptes.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Communes : applique une fusion sur un serveur en service.
    Commune {
        #[command(subcommand)]
        command: commune::CommuneCommand,
    },
    /// Écrit une copie cohérente de la base SQLite dans un nouveau fichier.
    Backup {
        /// Fichier de destination (ne doit pas exister).
        file: PathBuf,
    },
    /// E-mails envoyés par le serveur.
    Mail {
        #[command(subcommand)]
        command: mail::MailCommand,
    },
    /// Écrit les données ouvertes (OCDS 1.1.5 : accords-cadres et commandes, paquet de publications) dans un fichier, celui que sert /ocds/releases.json.
    Ocds {
        /// Fichier de destination (remplacé s'il existe), par exemple ocds-releases.json.
        file: PathBuf,
    },
    /// Versions de l'application des communes servies en mise à jour.
    Release {
        #[command(subcommand)]
        command: release::ReleaseCommand,
    },
    /// Journal d'audit.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Vérifie la chaîne de hachage du journal d'audit.
    Verify,
}

/// Runs one command; `Err` is reported by `main` in French with exit code 1.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(host) = &cli.centrale {
        settings = hosted_centrale(&settings, host)?;
    }
    if let Some(url) = cli.database {
        settings.database_url = url;
    }
    if let Command::Serve { bind: Some(bind) } = &cli.command {
        settings.bind = parse_bind(bind)?;
    }
    init_logging(&settings.log_format);
    match cli.command {
        Command::Serve { .. } => serve(settings).await,
        Command::Migrate => migrate(&settings).await,
        Command::Seed { demo, history } => seed(&settings, demo, history).await,
        Command::User { command } => user::run(&settings, command).await,
        Command::Commune { command } => commune::run(&settings, command).await,
        Command::Backup { file } => backup(&settings, &file).await,
        Command::Mail { command } => mail::run(&settings, command).await,
        Command::Ocds { file } => ocds(&settings, &file).await,
        Command::Release { command } => release::run(&settings, command).await,
        Command::Audit {
            command: AuditCommand::Verify,
        } => audit_verify(&settings).await,
    }
}

/// The settings of the hosted centrale `host` (an administration command on its database alone).
fn hosted_centrale(settings: &Settings, host: &str) -> anyhow::Result<Settings> {
    let wanted = centrale_server::config::normalize_host(host);
    let hosted = settings.hosted();
    let known: Vec<&str> = hosted.iter().map(|(h, _)| h.as_str()).collect();
    match hosted.iter().find(|(h, _)| *h == wanted) {
        Some((_, own)) => Ok(own.clone()),
        None if known.is_empty() => bail!(
            "Aucune centrale hébergée « {host} » : le fichier de configuration n'en déclare aucune ([[centrales]])."
        ),
        None => bail!(
            "Aucune centrale hébergée « {host} » ; celles du fichier de configuration sont : {}.",
            known.join(", ")
        ),
    }
}

fn parse_bind(value: &str) -> anyhow::Result<SocketAddr> {
    match value.trim().parse() {
        Ok(addr) => Ok(addr),
        Err(_) => bail!(
            "Adresse d'écoute « {value} » invalide : adresse:port attendu, par exemple 127.0.0.1:8080."
        ),
    }
}

fn init_logging(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    // `try_init`: a second initialisation (there is none in the binary) is not an error.
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// The SQLite file a URL names, when it does not exist yet (`None` for PostgreSQL, for an
/// existing file, or for a URL `Database::connect` will refuse with its own message).
fn missing_sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.trim().strip_prefix("sqlite:")?;
    let path = rest.strip_prefix("//").unwrap_or(rest);
    if path.is_empty() || path.contains('?') || path.starts_with("file:") || path == ":memory:" {
        return None;
    }
    let path = Path::new(path);
    (path.symlink_metadata().is_err()).then(|| path.to_path_buf())
}

/// Opens an existing database without changing it (refuses to create a new SQLite file).
async fn open_existing(settings: &Settings) -> anyhow::Result<Database> {
    if let Some(path) = missing_sqlite_file(&settings.database_url) {
        bail!(
            "La base de données {} n'existe pas : vérifiez --database (ou CENTRALE_DATABASE_URL), ou créez-la avec « centrale-server migrate ».",
            path.display()
        );
    }
    Ok(Database::connect(&settings.database_url).await?)
}

/// Opens an existing database whose schema is up to date.
pub(crate) async fn open_ready(settings: &Settings) -> anyhow::Result<Database> {
    let db = open_existing(settings).await?;
    let version = db.schema_version().await?;
    if version > LATEST_SCHEMA_VERSION {
        return Err(DbError::TooNew {
            found: version,
            known: LATEST_SCHEMA_VERSION,
        }
        .into());
    }
    if version == 0 {
        bail!(
            "La base de données n'est pas encore initialisée : lancez d'abord « centrale-server migrate »."
        );
    }
    if version < LATEST_SCHEMA_VERSION {
        bail!(
            "La base de données est au schéma {version}, ce programme attend le schéma {LATEST_SCHEMA_VERSION} : lancez d'abord « centrale-server migrate »."
        );
    }
    Ok(db)
}

/// Appends an administration act to the audit log (its own transaction).
pub(crate) async fn audit_admin(
    db: &Database,
    action: &str,
    details: serde_json::Value,
) -> anyhow::Result<()> {
    let mut tx = db.write().await?;
    tx.append_audit(&AuditInput {
        at: Utc::now(),
        actor: "administration (ligne de commande)".into(),
        action: action.into(),
        record_kind: None,
        record_id: None,
        details,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> anyhow::Error {
    use std::io::ErrorKind;
    let message = match e.kind() {
        ErrorKind::AddrInUse => format!(
            "Impossible d'écouter sur {addr} : le port {} est déjà utilisé (un autre serveur Centrale tourne peut-être déjà). Arrêtez l'autre programme ou choisissez un autre port avec --bind.",
            addr.port()
        ),
        ErrorKind::PermissionDenied => format!(
            "Impossible d'écouter sur {addr} : permission refusée. Les ports inférieurs à 1024 demandent des droits d'administrateur ; choisissez par exemple le port 8080 avec --bind."
        ),
        ErrorKind::AddrNotAvailable => format!(
            "Impossible d'écouter sur {addr} : cette adresse n'appartient pas à cette machine. Utilisez 127.0.0.1 (cette machine seulement) ou 0.0.0.0 (toutes ses interfaces)."
        ),
        _ => format!("Impossible d'écouter sur {addr} : {e}"),
    };
    anyhow::Error::msg(message)
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    let mut hosted = Vec::new();
    for (host, own) in settings.hosted() {
        let db = prepare_database(&own)
            .await
            .map_err(|e| e.context(format!("centrale « {host} »")))?;
        hosted.push((host, AppState::new(db, Arc::new(SystemClock), own)));
    }
    let db = prepare_database(&settings).await?;
    let bind = settings.bind;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| bind_error(bind, e))?;
    let local = listener.local_addr().unwrap_or(bind);
    println!("Centrale écoute sur http://{local}");
    for (host, _) in &hosted {
        println!("Centrale hébergée : {host}");
    }
    let state = AppState::new(db, Arc::new(SystemClock), settings);
    centrale_server::http::serve(listener, state, hosted).await?;
    Ok(ExitCode::SUCCESS)
}

/// Opens one centrale's database, migrates it and brings what is derived up to date before
/// serving.
async fn prepare_database(settings: &Settings) -> anyhow::Result<Database> {
    let db = Database::connect(&settings.database_url).await?;
    let applied = db.migrate().await?;
    if !applied.is_empty() {
        tracing::info!(versions = ?applied, "migrations appliquées");
    }
    // The communes' public standings (issue 15.9) of a database written before they existed,
    // or whose notices of termination took effect since: brought up to date before serving.
    let standings = centrale_server::engine::standing::backfill(&db, Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("mise à jour de la situation publique des communes : {e}"))?;
    if standings > 0 {
        tracing::info!(
            communes = standings,
            "situations publiques des communes mises à jour"
        );
    }
    // Orders written before the framework index existed are filed under their framework.
    let filed = centrale_server::engine::backfill_framework_index(&db, Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("index des commandes par accord-cadre : {e}"))?;
    if filed > 0 {
        tracing::info!(orders = filed, "commandes rangées sous leur accord-cadre");
    }
    let demo = db.count_demo_users().await?;
    if demo > 0 {
        tracing::warn!(
            comptes = demo,
            "Des comptes de démonstration existent (mot de passe « demo ») : ne pas utiliser en production."
        );
    }
    Ok(db)
}

async fn migrate(settings: &Settings) -> anyhow::Result<ExitCode> {
    let db = Database::connect(&settings.database_url).await?;
    let applied = db.migrate().await?;
    let version = db.schema_version().await?;
    if applied.is_empty() {
        println!("La base de données est déjà à jour (schéma {version}).");
    } else {
        let list: Vec<String> = applied.iter().map(i64::to_string).collect();
        println!(
            "Migrations appliquées : {}. La base de données est au schéma {version}.",
            list.join(", ")
        );
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn seed(settings: &Settings, demo: bool, history: bool) -> anyhow::Result<ExitCode> {
    if !demo {
        bail!("Précisez --demo : seules les données de démonstration peuvent être chargées ainsi.");
    }
    let db = Database::connect(&settings.database_url).await?;
    db.migrate().await?;
    let now = Utc::now();
    let report = centrale_server::seed::seed_demo(&db, now).await?;
    println!("{report}");
    if history {
        let report = centrale_server::seed_history::seed_demo_history(&db, now).await?;
        println!("{report}");
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn backup(settings: &Settings, file: &Path) -> anyhow::Result<ExitCode> {
    let db = open_existing(settings).await?;
    db.backup_to(file).await?;
    db.close().await;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!("Sauvegarde écrite : {} ({size} octets).", file.display());
    Ok(ExitCode::SUCCESS)
}

/// The open data as a file: written beside its destination, then renamed, so that a site
/// serving the file never serves half of it.
async fn ocds(settings: &Settings, file: &Path) -> anyhow::Result<ExitCode> {
    let db = open_ready(settings).await?;
    let text = centrale_server::ocds::publication(
        &db,
        settings,
        Utc::now(),
        centrale_server::ocds::Scope::All,
    )
    .await?;
    db.close().await;
    let Some(text) = text else {
        bail!("Rien à publier : aucun accord-cadre n'est enregistré sur ce serveur.");
    };
    let partial = file.with_extension("json.partiel");
    std::fs::write(&partial, text.as_bytes())
        .and_then(|_| std::fs::rename(&partial, file))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            anyhow::Error::msg(format!(
                "Impossible d'écrire {} : {e}. Vérifiez que le dossier existe et que vous pouvez y écrire.",
                file.display()
            ))
        })?;
    println!(
        "Données ouvertes OCDS écrites : {} ({} octets).",
        file.display(),
        text.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn audit_verify(settings: &Settings) -> anyhow::Result<ExitCode> {
    let db = open_ready(settings).await?;
    let report = db.verify_audit().await?;
    db.close().await;
    match report.first_problem {
        None => {
            let plural = if report.entries > 1 { "s" } else { "" };
            println!(
                "Journal d'audit intègre : {} entrée{plural}.",
                report.entries
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(problem) => {
            eprintln!(
                "Journal d'audit altéré à l'entrée {} : {}",
                problem.seq, problem.message
            );
            Ok(ExitCode::from(1))
        }
    }
}
