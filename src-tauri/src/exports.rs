//! The centrale's lists as CSV files (issue 12 §3), written on this PC from what it holds —
//! offline too — into the folder the PDFs go to, named by day and list
//! (`2026-12-14 Centrale - Commandes.csv`). The formatting is `centrale-exports`' (fr-BE: `;`,
//! decimal comma, UTF-8 with BOM); this is the thin host side.
//!
//! Who gets what: the orders and the deployments are exported by every account from its own
//! cache — a commune's PC holds only that commune's records, so its export is its own data;
//! the communes and the consumption of the frameworks are the centrale's lists (a commune's
//! PC does not hold the other communes' orders: its consumption would be a wrong total), and
//! a commune's account is refused them.

use std::collections::HashMap;
use std::path::Path;

use centrale_domain::role::Role;
use centrale_exports::sheets::{self, Sheet};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desktop::Desktop;
use crate::error::{CommandError, CommandResult};

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// Every order with its award and purchase order.
    Orders,
    /// Every milestone of the running deployments.
    Deployments,
    /// Every commune with its adhesion (centrale only).
    Communes,
    /// What the awards consumed of each framework, per commune (centrale only).
    Consumption,
    /// Which communes use which solutions: every awarded call-off (centrale only; issue 16
    /// point 5).
    Solutions,
    /// The intercommunale's accompaniment services ordered and invoiced (issue 16 §2): a
    /// commune's own, every commune's for the centrale.
    Accompaniment,
    /// The communes' answers sent to the needs surveys (centrale only; issue 16 §3).
    SurveyAnswers,
}

impl ExportKind {
    fn sheet(self) -> Sheet {
        match self {
            ExportKind::Orders => Sheet::Orders,
            ExportKind::Deployments => Sheet::Deployments,
            ExportKind::Communes => Sheet::Communes,
            ExportKind::Consumption => Sheet::Consumption,
            ExportKind::Solutions => Sheet::Solutions,
            ExportKind::Accompaniment => Sheet::Accompaniment,
            ExportKind::SurveyAnswers => Sheet::SurveyAnswers,
        }
    }

    fn centrale_only(self) -> bool {
        matches!(
            self,
            ExportKind::Communes
                | ExportKind::Consumption
                | ExportKind::Solutions
                | ExportKind::SurveyAnswers
        )
    }
}

/// A CSV file written on this PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedExport {
    /// Where it is (full path, shown to the user).
    pub path: String,
    /// Its file name.
    pub file_name: String,
    /// How many lines of data it holds (the header not counted).
    pub rows: u32,
}

impl Desktop {
    /// The list `kind` as a CSV file in `folder`, from this PC's cache.
    /// `survey`: the survey whose answers `SurveyAnswers` exports (its results page); every
    /// survey's when `None`; the other lists ignore it.
    pub fn export_csv(
        &self,
        kind: ExportKind,
        survey: Option<uuid::Uuid>,
        folder: &Path,
    ) -> CommandResult<SavedExport> {
        let store = self.store()?;
        let me = store
            .session()?
            .ok_or_else(|| CommandError::new("not_signed_in", "Connectez-vous d'abord."))?;
        if kind.centrale_only() && me.role != Role::CentraleStaff {
            return Err(CommandError::new(
                "export_centrale_only",
                "Cette liste est celle de la centrale d'achat : elle réunit toutes les communes, que ce poste ne contient pas.",
            ));
        }
        let today = self.today();
        let table = match kind {
            ExportKind::Orders => sheets::orders(&store.order_lines()?),
            ExportKind::Deployments => {
                let names: HashMap<String, String> = store
                    .communes(today)?
                    .into_iter()
                    .map(|c| (c.nis_code, c.name_fr))
                    .collect();
                sheets::deployments(&store.deployments(today)?, &names, today)
            }
            ExportKind::Communes => sheets::communes(&store.communes(today)?),
            ExportKind::Consumption => sheets::consumption(&store.overview(today)?.frameworks),
            ExportKind::Solutions => sheets::solutions(&store.tracking(today)?),
            ExportKind::Accompaniment => sheets::accompaniment(&store.accompaniment()?),
            ExportKind::SurveyAnswers => {
                let names: HashMap<String, String> = store
                    .communes(today)?
                    .into_iter()
                    .map(|c| (c.nis_code, c.name_fr))
                    .collect();
                sheets::survey_answers(&store.survey_answers_sent(survey)?, &names)
            }
        };
        let name = sheets::file_name(today, kind.sheet());
        let path = folder.join(&name);
        std::fs::create_dir_all(folder)
            .and_then(|_| std::fs::write(&path, table.to_bytes()))
            .map_err(|e| {
                CommandError::new(
                    "export_not_saved",
                    format!(
                        "Le fichier n'a pas pu être enregistré dans {} ({e}). Vérifiez que ce dossier existe et que vous pouvez y écrire.",
                        folder.display()
                    ),
                )
                .with_params(serde_json::json!({ "folder": folder.display().to_string() }))
            })?;
        Ok(SavedExport {
            path: path.display().to_string(),
            file_name: name,
            rows: u32::try_from(table.rows.len()).unwrap_or(u32::MAX),
        })
    }
}
