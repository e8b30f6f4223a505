//! `centrale-server commune merge …`: applies a commune merger on a running server (issue 11
//! rule 17), through the engine (`centrale_server::engine::merge_communes`);
//! `centrale-server commune enterprise-numbers <file>`: the communes' BCE/KBO numbers
//! (`centrale_server::engine::set_enterprise_numbers`).

use std::process::ExitCode;

use anyhow::{anyhow, bail};
use centrale_domain::commune::{Commune, Merger, NisCode};
use centrale_protocol::records::RecordKind;
use centrale_server::engine::{merge_communes, EngineError};
use centrale_server::Settings;
use chrono::{NaiveDate, Utc};
use clap::Subcommand;

use super::open_ready;

#[derive(Debug, Subcommand)]
pub enum CommuneCommand {
    /// Applique une fusion de communes : les adhésions, commandes, déploiements et comptes des
    /// anciennes communes passent à la nouvelle, avec leur historique (sans effet si la fusion
    /// est déjà enregistrée).
    Merge {
        /// Code INS de la nouvelle commune (ex. 82039).
        #[arg(long, value_name = "INS")]
        into: String,
        /// Nom français de la nouvelle commune.
        #[arg(long)]
        name: String,
        /// Nom néerlandais (par défaut le nom français).
        #[arg(long)]
        name_nl: Option<String>,
        /// Codes INS des communes fusionnées, séparés par des virgules (ex. 82003,82005).
        #[arg(long, value_name = "INS,INS", value_delimiter = ',')]
        from: Vec<String>,
        /// Date d'effet de la fusion (jj/mm/aaaa ou aaaa-mm-jj), pas dans le futur.
        #[arg(long, value_name = "DATE")]
        on: String,
        /// Code postal principal (par défaut celui de la première commune fusionnée).
        #[arg(long)]
        postal_code: Option<String>,
    },
    /// Enregistre les numéros d'entreprise (BCE/KBO) des communes, qui les identifient dans
    /// les données ouvertes : un fichier CSV « code INS ; numéro d'entreprise » par ligne
    /// (séparateur « ; » ou « , », ligne d'en-tête permise), tiré de la Banque-Carrefour des
    /// Entreprises.
    EnterpriseNumbers {
        /// Le fichier CSV, par exemple numeros-bce-communes.csv.
        file: std::path::PathBuf,
    },
}

fn parse_day(text: &str) -> anyhow::Result<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .map_err(|_| {
            anyhow!("Date « {text} » illisible : écrivez-la jj/mm/aaaa, par exemple 01/01/2025.")
        })
}

pub async fn run(settings: &Settings, command: CommuneCommand) -> anyhow::Result<ExitCode> {
    let (into, name, name_nl, from, on, postal_code) = match command {
        CommuneCommand::EnterpriseNumbers { file } => {
            return enterprise_numbers(settings, &file).await;
        }
        CommuneCommand::Merge {
            into,
            name,
            name_nl,
            from,
            on,
            postal_code,
        } => (into, name, name_nl, from, on, postal_code),
    };
    let db = open_ready(settings).await?;
    let merged = from
        .iter()
        .map(|c| NisCode::parse(c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!("{e}"))?;
    let postal_code = match postal_code {
        Some(p) => p,
        None => {
            let first = merged
                .first()
                .ok_or_else(|| anyhow!("Indiquez les communes fusionnées avec --from."))?;
            let row = db
                .get_record(RecordKind::Commune.as_str(), first.as_str())
                .await?
                .ok_or_else(|| anyhow!("La commune {first} de la fusion est inconnue."))?;
            let commune: Commune = serde_json::from_value(row.body)?;
            commune.main_postal_code
        }
    };
    let merger = Merger {
        new_nis: NisCode::parse(&into).map_err(|e| anyhow!("{e}"))?,
        name_nl: name_nl.unwrap_or_else(|| name.clone()),
        name_fr: name,
        merged,
        effective: parse_day(&on)?,
        main_postal_code: postal_code,
    };
    let report = match merge_communes(&db, &merger, Utc::now()).await {
        Ok(r) => r,
        Err(EngineError::Rejected(r)) => bail!("{}", r.message),
        Err(e) => return Err(e.into()),
    };
    if report.already_applied {
        println!(
            "La fusion dans {} ({}) est déjà enregistrée : rien n'a changé.",
            merger.name_fr, merger.new_nis
        );
    } else {
        println!(
            "Fusion enregistrée : {} ({}) au {}. Repris : {} adhésion(s), {} commande(s), {} jalon(s), {} compte(s).",
            merger.name_fr,
            merger.new_nis,
            merger.effective.format("%d/%m/%Y"),
            report.adhesions,
            report.orders,
            report.milestones,
            report.accounts
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn enterprise_numbers(
    settings: &Settings,
    file: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow!("Lecture de {} impossible : {e}", file.display()))?;
    let numbers = centrale_domain::commune::parse_enterprise_numbers_csv(&text)
        .map_err(|e| anyhow!("{e}"))?;
    let db = open_ready(settings).await?;
    let changed =
        match centrale_server::engine::set_enterprise_numbers(&db, &numbers, Utc::now()).await {
            Ok(n) => n,
            Err(EngineError::Rejected(r)) => bail!("{}", r.message),
            Err(e) => return Err(e.into()),
        };
    println!(
        "Numéros d'entreprise lus : {} ; communes mises à jour : {changed}.",
        numbers.len()
    );
    Ok(ExitCode::SUCCESS)
}
