//! Where the province's communes stand (issue 15.9): each commune in force with its public
//! standing as the server wrote it (record `commune_standing`, pulled like any record, never
//! written on this PC), for the map on a commune's « Accueil ».

use std::collections::HashMap;

use centrale_domain::commune::Commune;
use centrale_domain::standing::{CommuneStanding, StandingAdhesion};
use centrale_protocol::records::RecordKind;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::catalogue::fold;
use super::live;
use crate::error::Result;

/// A commune in force and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StandingRow {
    /// NIS code.
    pub nis_code: String,
    /// French name.
    pub name_fr: String,
    /// Where its adhesion stands on `today` (a notice of termination ends it on its effective
    /// date); `none` without a standing on this PC.
    pub adhesion: StandingAdhesion,
    /// The day its adhesion in force was activated.
    pub joined_since: Option<NaiveDate>,
    /// Its call-offs awarded.
    pub awarded_call_offs: u32,
    /// The signed-in account's own commune.
    pub own: bool,
}

/// Every commune in force on `today`, by French name, with its standing.
pub(crate) fn standings(conn: &Connection, today: NaiveDate) -> Result<Vec<StandingRow>> {
    let own = live::commune_scope(conn)?;
    let by_commune: HashMap<String, CommuneStanding> =
        live::of_kind::<CommuneStanding>(conn, RecordKind::CommuneStanding, None)?
            .into_iter()
            .map(|s| (s.body.commune_nis.clone(), s.body))
            .collect();
    let mut rows: Vec<(String, StandingRow)> =
        live::of_kind::<Commune>(conn, RecordKind::Commune, None)?
            .into_iter()
            .map(|c| c.body)
            .filter(|c| c.is_valid_on(today))
            .map(|c| {
                let nis = c.nis_code.to_string();
                let s = by_commune
                    .get(&nis)
                    .cloned()
                    .unwrap_or_else(|| CommuneStanding::none(&nis));
                let adhesion = s.adhesion_on(today);
                let row = StandingRow {
                    own: own.as_deref() == Some(nis.as_str()),
                    joined_since: (adhesion == StandingAdhesion::Joined)
                        .then_some(s.joined_since)
                        .flatten(),
                    adhesion,
                    awarded_call_offs: s.awarded_call_offs,
                    name_fr: c.name_fr,
                    nis_code: nis,
                };
                (fold(&row.name_fr), row)
            })
            .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.nis_code.cmp(&b.1.nis_code)));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}
