//! The communes: the centrale's list (with each one's adhesion) and one commune.

use centrale_domain::adhesion::AdhesionStatus;
use centrale_domain::commune::Commune;
use centrale_protocol::records::RecordKind;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::adhesion;
use super::catalogue::fold;
use super::live::{self, Live};
use crate::error::Result;

/// A commune as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneRow {
    /// NIS code (5 digits).
    pub nis_code: String,
    /// French name.
    pub name_fr: String,
    /// Dutch name.
    pub name_nl: String,
    /// Arrondissement (French).
    pub arrondissement_fr: String,
    /// Arrondissement NIS code.
    pub arrondissement_nis: String,
    /// Inhabitants.
    pub population: u32,
    /// Reference date of the population figure.
    pub population_date: NaiveDate,
    /// Main postcode.
    pub main_postal_code: String,
    /// First day the code is valid.
    pub valid_from: Option<NaiveDate>,
    /// Last day the code is valid (a merged commune).
    pub valid_until: Option<NaiveDate>,
    /// The commune that took over after a merger.
    pub successor: Option<String>,
    /// Whether the code is in force today in Brussels (`Commune::is_valid_on`): a merged
    /// commune stays in the list, for its history, but is not counted among the province's.
    pub current: bool,
    /// The status of its current adhesion, if it has one on this PC.
    pub adhesion_status: Option<AdhesionStatus>,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

fn row(c: Live<Commune>, adhesion_status: Option<AdhesionStatus>, today: NaiveDate) -> CommuneRow {
    let pending = c.pending;
    let c = c.body;
    let current = c.is_valid_on(today);
    CommuneRow {
        nis_code: c.nis_code.to_string(),
        name_fr: c.name_fr,
        name_nl: c.name_nl,
        arrondissement_fr: c.arrondissement_fr,
        arrondissement_nis: c.arrondissement_nis,
        population: c.population,
        population_date: c.population_date,
        main_postal_code: c.main_postal_code,
        valid_from: c.valid_from,
        valid_until: c.valid_until,
        successor: c.successor.map(|s| s.to_string()),
        current,
        adhesion_status,
        pending,
    }
}

/// Every commune on this PC, by French name, each saying whether it is in force on `today` and
/// where its adhesion stands that day (a notice of termination ends it on its effective date).
pub(crate) fn list(conn: &Connection, today: NaiveDate) -> Result<Vec<CommuneRow>> {
    let statuses = adhesion::statuses(conn, Some(today))?;
    let mut rows: Vec<(String, CommuneRow)> =
        live::of_kind::<Commune>(conn, RecordKind::Commune, None)?
            .into_iter()
            .map(|c| {
                let status = statuses.get(c.body.nis_code.as_str()).copied();
                let r = row(c, status, today);
                (fold(&r.name_fr), r)
            })
            .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.nis_code.cmp(&b.1.nis_code)));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// One commune.
pub(crate) fn one(conn: &Connection, nis: &str, today: NaiveDate) -> Result<Option<CommuneRow>> {
    let Some(c) = live::one::<Commune>(conn, RecordKind::Commune, nis)? else {
        return Ok(None);
    };
    let status = adhesion::current(conn, nis, Some(today))?.map(|a| a.status);
    Ok(Some(row(c, status, today)))
}
