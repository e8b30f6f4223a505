//! The interoperability sheets as the screens show them (issue 16 §1): each party's solution
//! with its links to other catalogue solutions named, and, for a commune, which of the
//! solutions it already runs each one works with (`centrale_domain::interoperability`).

use std::collections::HashMap;

use centrale_domain::catalogue::{FrameworkAgreement, FrameworkTerms, Provider, Service};
use centrale_domain::interoperability::{self, Fit, InteroperabilitySheet, SheetIndex, Solution};
use centrale_protocol::records::RecordKind;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::live;
use super::orders::OrderHead;
use crate::error::Result;

/// Another catalogue solution, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SolutionName {
    /// The solution.
    pub solution: Solution,
    /// The service's name, when on this PC.
    pub service_name: Option<String>,
    /// The provider's name, when on this PC.
    pub provider_name: Option<String>,
    /// The solution's own name, from its sheet, when recorded.
    pub solution_name: Option<String>,
}

/// A link between two solutions, as a sheet declares it, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkView {
    /// The other solution.
    pub with: SolutionName,
    /// How they work together.
    pub how: String,
    /// When the intercommunale tested them together (none: declared, not tested).
    pub checked_on: Option<NaiveDate>,
    /// True when the other solution's sheet declares it (not this one's).
    pub declared_by_other: bool,
}

/// One party's solution under a framework version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SolutionSheetView {
    /// The provider.
    pub provider_id: Uuid,
    /// Its name, when on this PC.
    pub provider_name: Option<String>,
    /// The sheet as recorded; none when the centrale has not recorded one for this version.
    pub sheet: Option<InteroperabilitySheet>,
    /// Every solution it works with, declared on its sheet or on the other's.
    pub links: Vec<LinkView>,
    /// For a commune's account: which of the solutions the commune already runs it works
    /// with (empty for other accounts).
    pub fits_running: Vec<LinkView>,
}

/// What the views read once: names and every sheet in force in the catalogue.
pub(crate) struct Catalogue {
    services: HashMap<Uuid, Service>,
    providers: HashMap<Uuid, Provider>,
    index: SheetIndex,
    /// Every solution that has a sheet, in catalogue order.
    solutions: Vec<Solution>,
}

impl Catalogue {
    pub(crate) fn read(conn: &Connection) -> Result<Catalogue> {
        let services: HashMap<Uuid, Service> = live::services(conn)?
            .into_iter()
            .map(|s| (s.body.id, s.body))
            .collect();
        let providers = live::providers(conn)?;
        let mut index = SheetIndex::default();
        let mut solutions = Vec::new();
        let mut frameworks: Vec<FrameworkAgreement> =
            live::of_kind::<FrameworkAgreement>(conn, RecordKind::Framework, None)?
                .into_iter()
                .map(|f| f.body)
                .collect();
        frameworks.sort_by(|a, b| a.reference.cmp(&b.reference));
        for f in &frameworks {
            if let Some(terms) = f.versions.last() {
                index.add(f.service_id, &terms.interoperability);
                solutions.extend(terms.interoperability.iter().map(|s| Solution {
                    service_id: f.service_id,
                    provider_id: s.provider_id,
                }));
            }
        }
        Ok(Catalogue {
            services,
            providers,
            index,
            solutions,
        })
    }

    fn name(&self, solution: Solution) -> SolutionName {
        SolutionName {
            solution,
            service_name: self
                .services
                .get(&solution.service_id)
                .map(|s| s.name_fr.clone()),
            provider_name: self
                .providers
                .get(&solution.provider_id)
                .map(|p| p.name.clone()),
            solution_name: self.index.sheet(solution).map(|s| s.solution_name.clone()),
        }
    }

    fn link_view(&self, own: Solution, fit: Fit) -> LinkView {
        LinkView {
            with: self.name(fit.with),
            how: fit.how,
            checked_on: fit.checked_on,
            declared_by_other: fit.declared_by != own,
        }
    }

    /// The sheets of `terms` (a version of the framework covering `service_id`), one per party
    /// in the framework's order, with the links of each and, when `running` is given, the fits
    /// with what the commune runs.
    pub(crate) fn views(
        &self,
        service_id: Uuid,
        terms: &FrameworkTerms,
        running: &[Solution],
    ) -> Vec<SolutionSheetView> {
        // The version's own sheets win over the index (an order's pinned version may be older
        // than the one in force).
        let mut index = self.index.clone();
        index.add(service_id, &terms.interoperability);
        terms
            .providers
            .iter()
            .map(|party| {
                let own = Solution {
                    service_id,
                    provider_id: party.provider_id,
                };
                let sheet = terms
                    .interoperability
                    .iter()
                    .find(|s| s.provider_id == party.provider_id)
                    .cloned();
                let mut others: Vec<Solution> = sheet
                    .iter()
                    .flat_map(|s| s.works_with.iter().map(|l| l.with))
                    .collect();
                others.extend(self.solutions.iter().copied());
                let links = interoperability::fits_with(&index, own, &others)
                    .into_iter()
                    .map(|fit| self.link_view(own, fit))
                    .collect();
                let fits_running = interoperability::fits_with(&index, own, running)
                    .into_iter()
                    .map(|fit| self.link_view(own, fit))
                    .collect();
                SolutionSheetView {
                    provider_id: party.provider_id,
                    provider_name: self
                        .providers
                        .get(&party.provider_id)
                        .map(|p| p.name.clone()),
                    sheet,
                    links,
                    fits_running,
                }
            })
            .collect()
    }
}

impl Catalogue {
    /// The names of the commune's running solutions that a solution of `service_id` (under
    /// `terms`) works with, each once, for the catalogue's list (issue 16 §1).
    pub(crate) fn fitting_names(
        &self,
        service_id: Uuid,
        terms: &FrameworkTerms,
        running: &[Solution],
    ) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for party in &terms.providers {
            let own = Solution {
                service_id,
                provider_id: party.provider_id,
            };
            for fit in interoperability::fits_with(&self.index, own, running) {
                let n = self.name(fit.with);
                let label = n
                    .solution_name
                    .or(n.service_name)
                    .unwrap_or_else(|| fit.with.service_id.to_string());
                if !names.contains(&label) {
                    names.push(label);
                }
            }
        }
        names
    }
}

/// The solutions the signed-in commune runs (none for other accounts).
pub(crate) fn running(conn: &Connection) -> Result<Vec<Solution>> {
    let Some(nis) = live::commune_scope(conn)? else {
        return Ok(vec![]);
    };
    let heads: Vec<OrderHead> = super::orders::heads(conn, Some(&nis))?
        .into_iter()
        .map(|o| o.body)
        .collect();
    Ok(interoperability::running(&heads, &nis))
}
