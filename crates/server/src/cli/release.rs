//! `centrale-server release publish <file> --version <v> --signature <sig>`: publishes a new
//! version of the desktop app, which the apps of that system then offer to install (issue 13
//! §2). Checked by the domain (`centrale_domain::app_release::validate`), stored whole in the
//! database, audited.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use centrale_domain::app_release::{self, AppTarget, AppVersion};
use centrale_server::Settings;
use centrale_server_db::AppReleaseRow;
use chrono::Utc;
use clap::Subcommand;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{audit_admin, open_ready};

#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Publie une nouvelle version de l'application pour un système : les PC de ce système la
    /// proposent ensuite à leurs utilisateurs.
    Publish {
        /// Le fichier de mise à jour (paquet .deb ou .rpm, installateur .msi).
        file: PathBuf,
        /// Le numéro de la version, par exemple 0.2.0.
        #[arg(long)]
        version: String,
        /// La signature du fichier faite par le signataire de Tauri : le fichier .sig, ou son
        /// contenu.
        #[arg(long, value_name = "FICHIER.sig|SIGNATURE")]
        signature: String,
        /// Le système : linux-x86_64 ou windows-x86_64 (par défaut d'après l'extension du
        /// fichier : .msi pour Windows, .deb et .rpm pour Linux).
        #[arg(long)]
        target: Option<String>,
        /// Ce qui change, en quelques phrases, montré avant l'installation.
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Liste les versions publiées.
    List,
}

/// The system a file is for, from its extension.
fn target_of(file: &Path) -> Option<AppTarget> {
    match file.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "msi" | "exe" => Some(AppTarget::WindowsX86_64),
        "deb" | "rpm" | "appimage" => Some(AppTarget::LinuxX86_64),
        _ => None,
    }
}

pub async fn run(settings: &Settings, command: ReleaseCommand) -> anyhow::Result<ExitCode> {
    let db = open_ready(settings).await?;
    let ReleaseCommand::Publish {
        file,
        version,
        signature,
        target,
        notes,
    } = command
    else {
        for target in AppTarget::ALL {
            for r in db.app_releases(target.as_str()).await? {
                println!(
                    "{}\t{}\t{}\t{} octets\tpubliée le {}",
                    r.target,
                    r.version,
                    r.file_name,
                    r.size_bytes,
                    r.published_at.format("%d/%m/%Y %H:%M UTC")
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let target = match target {
        Some(name) => AppTarget::parse(&name, None).map_err(|e| anyhow!(e.message_fr()))?,
        None => target_of(&file).ok_or_else(|| {
            anyhow!(
                "Impossible de savoir pour quel système est « {} » : indiquez --target linux-x86_64 ou windows-x86_64.",
                file.display()
            )
        })?,
    };
    let content = std::fs::read(&file)
        .with_context(|| format!("Lecture du fichier « {} » impossible", file.display()))?;
    // The .sig file Tauri's signer wrote, or its content pasted.
    let signature = match std::fs::read_to_string(&signature) {
        Ok(text) => text.trim().to_string(),
        Err(_) => signature.trim().to_string(),
    };
    let file_name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let published: Vec<AppVersion> = db
        .app_releases(target.as_str())
        .await?
        .iter()
        .filter_map(|r| AppVersion::parse(&r.version).ok())
        .collect();
    let version = app_release::validate(
        &version,
        &file_name,
        content.len() as u64,
        &signature,
        notes.trim(),
        &published,
    )
    .map_err(|e| anyhow!(e.message_fr()))?;
    let sha256 = hex::encode(Sha256::digest(&content));
    let row = AppReleaseRow {
        version: version.to_string(),
        target: target.as_str().to_string(),
        file_name,
        sha256: sha256.clone(),
        size_bytes: i64::try_from(content.len())?,
        signature,
        notes: notes.trim().to_string(),
        published_at: Utc::now(),
        published_by: "administration (ligne de commande)".into(),
    };
    if !db.put_app_release(&row, &content).await? {
        bail!(app_release::already_published(version).message_fr());
    }
    audit_admin(
        &db,
        "app_release.publish",
        json!({"version": row.version, "target": row.target, "file_name": row.file_name, "sha256": sha256, "size_bytes": row.size_bytes}),
    )
    .await?;
    println!(
        "Version {version} publiée pour {} : {} ({} octets, SHA-256 {sha256}).",
        target.as_str(),
        row.file_name,
        row.size_bytes
    );
    Ok(ExitCode::SUCCESS)
}
