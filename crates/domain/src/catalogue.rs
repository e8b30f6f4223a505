//! The catalogue: services, providers and framework agreements with their versions.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::deployment::MilestonePlan;
use crate::enterprise::EnterpriseNumber;
use crate::money::{Cents, VatRate};
use crate::{format_date, DomainError};

/// A company party to one or more framework agreements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Provider {
    /// Record id.
    pub id: Uuid,
    /// Lowercase short name (used in logins: `prestataire.<short_name>`).
    pub short_name: String,
    /// Legal name.
    pub name: String,
    /// BCE/KBO number.
    pub enterprise_number: EnterpriseNumber,
    /// Postal address.
    pub address: String,
    /// Where invitations are sent.
    pub contact_email: String,
}

impl Provider {
    /// Checks the fields a person types.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::invalid(
                "name",
                "Indiquez la dénomination du prestataire.",
            ));
        }
        if !self.short_name.chars().all(|c| c.is_ascii_lowercase()) || self.short_name.is_empty() {
            return Err(DomainError::invalid(
                "short_name",
                "Le nom court ne contient que des lettres minuscules sans accent (exemple : nuagix).",
            ));
        }
        if !self.contact_email.contains('@') {
            return Err(DomainError::invalid(
                "contact_email",
                "Indiquez une adresse e-mail valide (exemple : offres@prestataire.be).",
            ));
        }
        Ok(())
    }
}

/// Provider names by id, for the messages that name a provider (e.g. the award that must
/// follow the ranking); an unknown provider is named by its id.
#[derive(Debug, Clone, Default)]
pub struct ProviderNames(HashMap<Uuid, String>);

impl ProviderNames {
    /// The name of `id`, or its id when the provider is unknown here.
    pub fn name(&self, id: Uuid) -> String {
        self.0.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }
}

impl ProviderNames {
    /// Records the name of `id`.
    pub fn insert(&mut self, id: Uuid, name: String) {
        self.0.insert(id, name);
    }
}

/// One entry of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Service {
    /// Record id.
    pub id: Uuid,
    /// Stable code, e.g. `e-guichet`.
    pub code: String,
    /// Name in French.
    pub name_fr: String,
    /// One sentence.
    pub summary_fr: String,
    /// A few sentences.
    pub description_fr: String,
    /// Category shown as a filter.
    pub category_fr: String,
    /// The framework agreement through which it is bought.
    pub framework_id: Uuid,
}

/// How orders are placed under a framework agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CallOffMethod {
    /// Every order reopens competition between the providers.
    MiniCompetition,
    /// Orders are placed directly on the framework's terms.
    Direct,
    /// Either, as the commune chooses.
    Both,
}

impl CallOffMethod {
    /// True when a mini-competition may be run.
    pub fn allows_mini_competition(self) -> bool {
        matches!(self, CallOffMethod::MiniCompetition | CallOffMethod::Both)
    }

    /// True when a direct award on the framework's terms is allowed.
    pub fn allows_direct(self) -> bool {
        matches!(self, CallOffMethod::Direct | CallOffMethod::Both)
    }
}

/// Whether a criterion is scored by the price formula or by the commune's assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    /// Lowest price / offer price × weight.
    Price,
    /// Points from 0 to the weight, given with a justification.
    Quality,
}

/// An award criterion and its weight (the weights of a framework sum to 100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AwardCriterion {
    /// Stable code, e.g. `price`.
    pub code: String,
    /// Label in French.
    pub label_fr: String,
    /// Weight in points.
    pub weight: u32,
    /// How it is scored.
    pub kind: CriterionKind,
}

/// How to estimate the quantity of a price line for one commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum QuantityEstimate {
    /// A fixed quantity.
    Fixed {
        /// The quantity.
        #[schema(value_type = String)]
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        #[serde(deserialize_with = "crate::exact::decimal")]
        quantity: Decimal,
    },
    /// One unit per `per` inhabitants, rounded up.
    PerInhabitants {
        /// Inhabitants per unit.
        per: u32,
    },
    /// One unit per site.
    PerSite {
        /// Sites assumed when the commune says nothing.
        default_sites: u32,
    },
    /// One unit per month.
    PerMonth {
        /// Months assumed.
        months: u32,
    },
}

impl QuantityEstimate {
    /// The estimated quantity for a commune of `population` inhabitants.
    pub fn quantity_for(&self, population: u32) -> Decimal {
        match self {
            QuantityEstimate::Fixed { quantity } => *quantity,
            QuantityEstimate::PerInhabitants { per } => {
                let per = (*per).max(1);
                Decimal::from(population.div_ceil(per))
            }
            QuantityEstimate::PerSite { default_sites } => Decimal::from(*default_sites),
            QuantityEstimate::PerMonth { months } => Decimal::from(*months),
        }
    }
}

/// One line of the price schedule: a unit and its ceiling price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PriceLine {
    /// Stable code within the framework.
    pub code: String,
    /// Label in French.
    pub label_fr: String,
    /// Unit in French (forfait, par an, par capteur…).
    pub unit_fr: String,
    /// Maximum unit price excluding VAT.
    pub ceiling_cents: Cents,
    /// VAT rate.
    pub vat_rate: VatRate,
    /// Quantity estimate for the cost estimate.
    pub estimate: QuantityEstimate,
}

/// A document of the framework (tender documents, price schedule, annexes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkDocument {
    /// Title in French.
    pub title_fr: String,
    /// Version label.
    pub version: String,
    /// File name.
    pub file_name: String,
    /// Hex SHA-256 of the file, so everyone can check they read the same document.
    pub sha256: String,
}

/// Whether a provider may currently receive call-offs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProviderStatus {
    /// Receives invitations.
    Active,
    /// Temporarily excluded from new invitations.
    Suspended,
    /// Replaced by its successor (merger, take-over) under a `LegalBasis::Succession`; it
    /// never comes back.
    Replaced,
}

/// Why a concluded framework may be modified (Dir. 2014/24 art. 72; AR 14 January 2013
/// (modifications)). Every version after the first states one, except a version that only
/// suspends or reinstates parties (that excludes from new call-offs and changes no term).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LegalBasis {
    /// A review (e.g. price-revision) clause written in the framework's documents: the only
    /// basis that may raise a ceiling, add a price line or extend the end date (art. 72(1)(a)).
    ReviewClause {
        /// The clause's reference, e.g. « CSC art. 12 — révision des prix ».
        clause: String,
    },
    /// A party's universal or partial successor (merger, take-over) takes its place
    /// (art. 72(1)(d)(ii); CJEU C-461/20 Advania).
    Succession {
        /// The party replaced.
        predecessor: Uuid,
        /// The provider taking its place.
        successor: Uuid,
        /// The act establishing the succession, e.g. « fusion publiée au Moniteur du 03/02/2026 ».
        act: String,
    },
    /// A material error corrected: may lower a ceiling or fix wording, never raise, add or extend.
    Correction {
        /// What was wrong.
        note: String,
    },
}

/// A change that widens a framework: allowed only under a review clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Widening {
    /// A ceiling above the version in force.
    CeilingRaised {
        /// Line code.
        line: String,
        /// Line label in French.
        label: String,
        /// Ceiling in force.
        before: Cents,
        /// Ceiling asked.
        after: Cents,
    },
    /// A price line that the version in force does not have.
    LineAdded {
        /// Line code.
        line: String,
        /// Line label in French.
        label: String,
    },
    /// A later last day.
    EndExtended {
        /// Last day in force.
        before: NaiveDate,
        /// Last day asked.
        after: NaiveDate,
    },
}

/// A provider's place in a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkProvider {
    /// The provider.
    pub provider_id: Uuid,
    /// Active or suspended.
    pub status: ProviderStatus,
}

/// The terms of a framework agreement in force from a publication; never rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkTerms {
    /// 1, 2, … in publication order.
    pub version: u32,
    /// When this version was published (server time).
    pub published_at: DateTime<Utc>,
    /// Why it changed, in French (empty for the first).
    pub change_note: String,
    /// First day of the framework.
    pub start_date: NaiveDate,
    /// Last day on which a call-off may be made.
    pub end_date: NaiveDate,
    /// The providers (typically two).
    pub providers: Vec<FrameworkProvider>,
    /// Award criteria; weights sum to 100.
    pub award_criteria: Vec<AwardCriterion>,
    /// Price schedule.
    pub price_schedule: Vec<PriceLine>,
    /// Documents.
    pub documents: Vec<FrameworkDocument>,
    /// Days after the award of each deployment milestone.
    pub milestone_plan: MilestonePlan,
    /// Why this version may modify the framework (none for version 1 and for records written
    /// before the rule).
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
}

/// The longest a framework agreement may last: four years.
pub const MAX_FRAMEWORK_YEARS: u32 = 4;

impl FrameworkTerms {
    /// Checks every rule of a framework's terms.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.end_date < self.start_date {
            return Err(DomainError::invalid(
                "end_date",
                "La date de fin de l'accord-cadre précède sa date de début.",
            ));
        }
        let limit = self
            .start_date
            .checked_add_months(Months::new(12 * MAX_FRAMEWORK_YEARS))
            .and_then(|d| d.pred_opt())
            .ok_or_else(|| DomainError::invalid("start_date", "Date de début invalide."))?;
        if self.end_date > limit {
            return Err(DomainError::invalid(
                "end_date",
                format!(
                    "Un accord-cadre dure au plus quatre ans : la date de fin doit être au plus tard le {}.",
                    format_date(limit)
                ),
            ));
        }
        if self.providers.is_empty() {
            return Err(DomainError::invalid(
                "providers",
                "Un accord-cadre compte au moins un prestataire.",
            ));
        }
        let distinct: BTreeSet<_> = self.providers.iter().map(|p| p.provider_id).collect();
        if distinct.len() != self.providers.len() {
            return Err(DomainError::invalid(
                "providers",
                "Un même prestataire figure deux fois dans l'accord-cadre.",
            ));
        }
        if self.award_criteria.is_empty() {
            return Err(DomainError::invalid(
                "award_criteria",
                "Indiquez au moins un critère d'attribution.",
            ));
        }
        let total: u32 = self.award_criteria.iter().map(|c| c.weight).sum();
        if total != 100 {
            return Err(DomainError::invalid(
                "award_criteria",
                format!("Les pondérations des critères d'attribution doivent totaliser 100 (actuellement {total})."),
            ));
        }
        let price_criteria = self
            .award_criteria
            .iter()
            .filter(|c| c.kind == CriterionKind::Price)
            .count();
        if price_criteria > 1 {
            return Err(DomainError::invalid(
                "award_criteria",
                "Un seul critère de prix est possible.",
            ));
        }
        let codes: BTreeSet<_> = self.award_criteria.iter().map(|c| &c.code).collect();
        if codes.len() != self.award_criteria.len() {
            return Err(DomainError::invalid(
                "award_criteria",
                "Deux critères portent le même code.",
            ));
        }
        if self.price_schedule.is_empty() {
            return Err(DomainError::invalid(
                "price_schedule",
                "Le bordereau de prix compte au moins une ligne.",
            ));
        }
        let line_codes: BTreeSet<_> = self.price_schedule.iter().map(|l| &l.code).collect();
        if line_codes.len() != self.price_schedule.len() {
            return Err(DomainError::invalid(
                "price_schedule",
                "Deux lignes du bordereau portent le même code.",
            ));
        }
        for (i, line) in self.price_schedule.iter().enumerate() {
            if line.ceiling_cents.0 <= 0 {
                return Err(DomainError::invalid(
                    format!("price_schedule[{i}].ceiling_cents"),
                    format!(
                        "Le prix plafond de « {} » doit être positif.",
                        line.label_fr
                    ),
                ));
            }
            line.vat_rate
                .validate(&format!("price_schedule[{i}].vat_rate"))?;
        }
        self.milestone_plan.validate()?;
        Ok(())
    }

    /// True when `date` is within the framework's period.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.start_date <= date && date <= self.end_date
    }

    /// The price line with this code.
    pub fn price_line(&self, code: &str) -> Option<&PriceLine> {
        self.price_schedule.iter().find(|l| l.code == code)
    }

    /// Providers that can receive an invitation now.
    pub fn active_providers(&self) -> Vec<Uuid> {
        self.providers
            .iter()
            .filter(|p| p.status == ProviderStatus::Active)
            .map(|p| p.provider_id)
            .collect()
    }
}

/// A framework agreement with every version of its terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkAgreement {
    /// Record id.
    pub id: Uuid,
    /// The service it covers.
    pub service_id: Uuid,
    /// Reference, e.g. `CA-2025-01`.
    pub reference: String,
    /// Title in French.
    pub title_fr: String,
    /// How orders are placed.
    pub call_off_method: CallOffMethod,
    /// Every version, oldest first; the last is in force.
    pub versions: Vec<FrameworkTerms>,
}

impl FrameworkAgreement {
    /// The terms in force (the newest version).
    pub fn current(&self) -> Result<&FrameworkTerms, DomainError> {
        self.versions.last().ok_or_else(|| {
            DomainError::invalid(
                "versions",
                "L'accord-cadre n'a encore aucune version publiée.",
            )
        })
    }

    /// A given version (orders keep the version they were made under).
    pub fn version(&self, version: u32) -> Option<&FrameworkTerms> {
        self.versions.iter().find(|v| v.version == version)
    }

    /// Publishes new terms as the next version. History is never rewritten: the start date
    /// cannot move and every earlier version stays as it was. A version after the first is a
    /// modification of a concluded framework: see [`check_modification`].
    pub fn publish(&mut self, mut terms: FrameworkTerms) -> Result<u32, DomainError> {
        let next = self.versions.last().map_or(1, |v| v.version + 1);
        if let Some(first) = self.versions.first() {
            if terms.start_date != first.start_date {
                return Err(DomainError::invalid(
                    "start_date",
                    "La date de début d'un accord-cadre ne change pas d'une version à l'autre.",
                ));
            }
        }
        if let Some(current) = self.versions.last() {
            check_modification(current, &mut terms)?;
        }
        terms.version = next;
        terms.validate()?;
        self.versions.push(terms);
        Ok(next)
    }

    /// The terms an order is made under: the version it was pinned to at submission.
    pub fn pinned(&self, version: u32) -> Result<&FrameworkTerms, DomainError> {
        self.version(version).ok_or_else(|| {
            DomainError::invalid(
                "framework_version",
                format!(
                    "La version {version} de l'accord-cadre {} est introuvable.",
                    self.reference
                ),
            )
        })
    }

    /// The providers a call-off under `pinned` may go to: those party to that version of the
    /// framework and active in it, each replaced by its successor when a later version records
    /// a succession (the successor takes over the predecessor's whole position, running
    /// call-offs included: Dir. 2014/24 art. 72(1)(d)(ii)), less any the framework in force no
    /// longer has active (suspended since). No other provider is ever one of them: a call-off
    /// is awarded only to the operators party to the framework as concluded (Dir. 2014/24 art.
    /// 33(2); law of 17 June 2016 art. 43).
    pub fn callable_providers(&self, pinned: u32) -> Result<Vec<Uuid>, DomainError> {
        let terms = self.pinned(pinned)?;
        let current = self.current()?;
        let mut ids = terms.active_providers();
        for later in self.versions.iter().filter(|v| v.version > pinned) {
            if let Some(LegalBasis::Succession {
                predecessor,
                successor,
                ..
            }) = &later.legal_basis
            {
                for id in ids.iter_mut().filter(|id| *id == predecessor) {
                    *id = *successor;
                }
            }
        }
        let inactive_now = |id: Uuid| {
            current
                .providers
                .iter()
                .any(|p| p.provider_id == id && p.status != ProviderStatus::Active)
        };
        let mut seen = BTreeSet::new();
        Ok(ids
            .into_iter()
            .filter(|id| !inactive_now(*id) && seen.insert(*id))
            .collect())
    }

    /// Refuses a call-off outside the framework's period.
    pub fn check_in_force(&self, date: NaiveDate) -> Result<&FrameworkTerms, DomainError> {
        let terms = self.current()?;
        if terms.in_force_on(date) {
            Ok(terms)
        } else {
            Err(DomainError::FrameworkNotInForce {
                reference: self.reference.clone(),
                start: format_date(terms.start_date),
                end: format_date(terms.end_date),
            })
        }
    }
}

/// The rules for modifying a concluded framework (Dir. 2014/24 art. 33(2) and art. 72; law of
/// 17 June 2016 art. 43; AR 14 January 2013 (modifications)), checked when `next` follows
/// `current`. A succession is applied to `next` here: the predecessor becomes `Replaced` and
/// the successor a party, so a client only names who replaces whom.
pub fn check_modification(
    current: &FrameworkTerms,
    next: &mut FrameworkTerms,
) -> Result<(), DomainError> {
    let party = |id: Uuid| current.providers.iter().find(|p| p.provider_id == id);
    match &next.legal_basis {
        Some(LegalBasis::ReviewClause { clause }) if clause.trim().is_empty() => {
            return Err(DomainError::invalid(
                "legal_basis.clause",
                "Indiquez la clause de révision de l'accord-cadre sur laquelle repose cette version (exemple : CSC art. 12).",
            ));
        }
        Some(LegalBasis::Correction { note }) if note.trim().is_empty() => {
            return Err(DomainError::invalid(
                "legal_basis.note",
                "Décrivez l'erreur matérielle corrigée.",
            ));
        }
        Some(LegalBasis::Succession {
            predecessor,
            successor,
            act,
        }) => {
            if act.trim().is_empty() {
                return Err(DomainError::invalid(
                    "legal_basis.act",
                    "Indiquez l'acte qui établit la succession (fusion, reprise : référence et date).",
                ));
            }
            if !party(*predecessor).is_some_and(|p| p.status != ProviderStatus::Replaced) {
                return Err(DomainError::invalid(
                    "legal_basis.predecessor",
                    "Le prestataire remplacé doit être partie à l'accord-cadre en vigueur.",
                ));
            }
            if party(*successor).is_some() || successor == predecessor {
                return Err(DomainError::invalid(
                    "legal_basis.successor",
                    "Le successeur est déjà partie à l'accord-cadre : une succession fait entrer un autre opérateur à la place du prestataire remplacé.",
                ));
            }
            for p in next.providers.iter_mut() {
                if p.provider_id == *predecessor {
                    p.status = ProviderStatus::Replaced;
                }
            }
            if !next.providers.iter().any(|p| p.provider_id == *successor) {
                next.providers.push(FrameworkProvider {
                    provider_id: *successor,
                    status: ProviderStatus::Active,
                });
            }
        }
        _ => {}
    }
    let successor = match &next.legal_basis {
        Some(LegalBasis::Succession { successor, .. }) => Some(*successor),
        _ => None,
    };
    // Rule 2: only the operators party to the framework as concluded (art. 33(2)).
    for p in &next.providers {
        match party(p.provider_id) {
            None if Some(p.provider_id) != successor => {
                return Err(DomainError::ProviderNotParty {
                    provider: p.provider_id,
                })
            }
            Some(before)
                if before.status == ProviderStatus::Replaced
                    && p.status != ProviderStatus::Replaced =>
            {
                return Err(DomainError::invalid(
                    "providers",
                    "Un prestataire remplacé par son successeur ne redevient pas partie à l'accord-cadre.",
                ));
            }
            _ => {}
        }
    }
    if current.providers.iter().any(|c| {
        !next
            .providers
            .iter()
            .any(|p| p.provider_id == c.provider_id)
    }) {
        return Err(DomainError::invalid(
            "providers",
            "Un prestataire partie à l'accord-cadre y reste : suspendez-le pour ne plus le consulter.",
        ));
    }
    // Rule 3: widening only under a review clause (art. 72(1)(a)).
    let review_clause = matches!(next.legal_basis, Some(LegalBasis::ReviewClause { .. }));
    if !review_clause {
        if let Some(change) = widening(current, next) {
            return Err(DomainError::ModificationWithoutReviewClause { change });
        }
    }
    // Any other change of the terms states a basis too; statuses alone need none.
    if next.legal_basis.is_none() {
        let mut same = next.clone();
        same.providers.clone_from(&current.providers);
        same.version = current.version;
        same.published_at = current.published_at;
        same.change_note.clone_from(&current.change_note);
        same.legal_basis.clone_from(&current.legal_basis);
        if &same != current {
            return Err(DomainError::LegalBasisMissing);
        }
    }
    Ok(())
}

/// The first change of `next` that widens `current`, if any.
fn widening(current: &FrameworkTerms, next: &FrameworkTerms) -> Option<Widening> {
    for line in &next.price_schedule {
        match current.price_line(&line.code) {
            None => {
                return Some(Widening::LineAdded {
                    line: line.code.clone(),
                    label: line.label_fr.clone(),
                })
            }
            Some(before) if line.ceiling_cents.0 > before.ceiling_cents.0 => {
                return Some(Widening::CeilingRaised {
                    line: line.code.clone(),
                    label: line.label_fr.clone(),
                    before: before.ceiling_cents,
                    after: line.ceiling_cents,
                })
            }
            _ => {}
        }
    }
    (next.end_date > current.end_date).then_some(Widening::EndExtended {
        before: current.end_date,
        after: next.end_date,
    })
}

/// A line of a cost estimate for one commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EstimateLine {
    /// Price line code.
    pub code: String,
    /// Estimated quantity.
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
    /// Ceiling × quantity.
    pub amount: crate::money::Amount,
}

/// Estimates the cost of a service for a commune at the framework's ceiling prices.
pub fn estimate_cost(
    terms: &FrameworkTerms,
    population: u32,
) -> (Vec<EstimateLine>, crate::money::Amount) {
    let mut total = crate::money::Amount::default();
    let mut lines = Vec::new();
    for line in &terms.price_schedule {
        let quantity = line.estimate.quantity_for(population);
        let excl = line
            .ceiling_cents
            .times(quantity)
            .unwrap_or(Cents(i64::MAX));
        let amount = crate::money::Amount::at_rate(excl, line.vat_rate);
        total = total.plus(amount);
        lines.push(EstimateLine {
            code: line.code.clone(),
            quantity,
            amount,
        });
    }
    (lines, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{date, sample_terms};
    use rust_decimal_macros::dec;

    #[test]
    fn at_most_four_years() {
        let ids = [Uuid::nil(), Uuid::max()];
        let mut t = sample_terms(&ids);
        assert!(t.validate().is_ok());
        t.end_date = date(2029, 3, 1);
        let err = t.validate().unwrap_err();
        assert!(err.to_string().contains("quatre ans"), "{err}");
        t.end_date = date(2025, 2, 1);
        assert!(t.validate().is_err());
    }

    #[test]
    fn weights_must_sum_to_100() {
        let mut t = sample_terms(&[Uuid::nil()]);
        t.award_criteria[1].weight = 30;
        let err = t.validate().unwrap_err();
        assert!(err.to_string().contains("100 (actuellement 90)"));
    }

    #[test]
    fn needs_a_provider_and_distinct_ones() {
        let mut t = sample_terms(&[]);
        assert!(t.validate().is_err());
        t = sample_terms(&[Uuid::nil(), Uuid::nil()]);
        assert!(t.validate().is_err());
    }

    #[test]
    fn refuses_non_positive_ceiling_and_wrong_vat() {
        let mut t = sample_terms(&[Uuid::nil()]);
        t.price_schedule[0].ceiling_cents = Cents(0);
        assert!(t.validate().is_err());
        let mut t = sample_terms(&[Uuid::nil()]);
        t.price_schedule[0].vat_rate = VatRate(dec!(19.6));
        assert!(t.validate().is_err());
    }

    #[test]
    fn versions_append_and_keep_history() {
        let mut f = FrameworkAgreement {
            id: Uuid::now_v7(),
            service_id: Uuid::now_v7(),
            reference: "CA-1".into(),
            title_fr: "Test".into(),
            call_off_method: CallOffMethod::MiniCompetition,
            versions: vec![],
        };
        assert!(f.current().is_err());
        assert_eq!(f.publish(sample_terms(&[Uuid::nil()])).unwrap(), 1);
        let mut v2 = sample_terms(&[Uuid::nil()]);
        v2.price_schedule[0].ceiling_cents = Cents(500_000);
        v2.legal_basis = Some(clause());
        assert_eq!(f.publish(v2).unwrap(), 2);
        assert_eq!(
            f.version(1).unwrap().price_schedule[0].ceiling_cents,
            Cents(450_000)
        );
        assert_eq!(
            f.current().unwrap().price_schedule[0].ceiling_cents,
            Cents(500_000)
        );
        let mut moved = sample_terms(&[Uuid::nil()]);
        moved.start_date = date(2025, 4, 1);
        assert!(f.publish(moved).is_err());
        assert_eq!(f.versions.len(), 2);
    }

    #[test]
    fn in_force_period_is_inclusive() {
        let mut f = FrameworkAgreement {
            id: Uuid::now_v7(),
            service_id: Uuid::now_v7(),
            reference: "CA-1".into(),
            title_fr: "Test".into(),
            call_off_method: CallOffMethod::Both,
            versions: vec![],
        };
        f.publish(sample_terms(&[Uuid::nil()])).unwrap();
        assert!(f.check_in_force(date(2029, 2, 28)).is_ok());
        let err = f.check_in_force(date(2029, 3, 1)).unwrap_err();
        assert_eq!(err.code(), "framework_not_in_force");
        assert!(err.to_string().contains("28/02/2029"));
        assert!(f.check_in_force(date(2025, 2, 28)).is_err());
    }

    #[test]
    fn estimate_uses_population() {
        let t = sample_terms(&[Uuid::nil()]);
        let (lines, total) = estimate_cost(&t, 8_844);
        assert_eq!(lines[1].quantity, dec!(9));
        assert_eq!(total.excl_vat, Cents(450_000 + 9 * 18_000));
        // 6 120,00 € HTVA × 1,21 = 7 405,20 € TVAC
        assert_eq!(total.incl_vat, Cents(740_520));
    }

    const P1: Uuid = Uuid::from_u128(1);
    const P2: Uuid = Uuid::from_u128(2);
    const P3: Uuid = Uuid::from_u128(3);

    fn clause() -> LegalBasis {
        LegalBasis::ReviewClause {
            clause: "CSC art. 12 — révision des prix".into(),
        }
    }

    fn concluded() -> FrameworkAgreement {
        let mut f = FrameworkAgreement {
            id: Uuid::now_v7(),
            service_id: Uuid::now_v7(),
            reference: "CA-1".into(),
            title_fr: "Test".into(),
            call_off_method: CallOffMethod::MiniCompetition,
            versions: vec![],
        };
        f.publish(sample_terms(&[P1, P2])).unwrap();
        f
    }

    fn next(f: &FrameworkAgreement, basis: Option<LegalBasis>) -> FrameworkTerms {
        let mut t = f.current().unwrap().clone();
        t.legal_basis = basis;
        t
    }

    /// Dir. 2014/24 art. 33(2), law of 17 June 2016 art. 43: only the operators party to the
    /// framework as concluded; whatever the basis, a new version adds no provider.
    #[test]
    fn rule_art_33_2_a_new_version_adds_no_provider() {
        for basis in [
            None,
            Some(clause()),
            Some(LegalBasis::Correction {
                note: "Coquille".into(),
            }),
        ] {
            let mut f = concluded();
            let mut v2 = next(&f, basis);
            v2.providers.push(FrameworkProvider {
                provider_id: P3,
                status: ProviderStatus::Active,
            });
            let err = f.publish(v2).unwrap_err();
            assert_eq!(err.code(), "provider_not_party");
            assert_eq!(err.params()["provider"], serde_json::json!(P3));
            assert_eq!(f.versions.len(), 1);
        }
        // A party is not struck out either: it is suspended.
        let mut f = concluded();
        let mut v2 = next(&f, None);
        v2.providers.remove(0);
        assert_eq!(f.publish(v2).unwrap_err().code(), "invalid_input");
    }

    /// Dir. 2014/24 art. 72(1)(d)(ii), CJEU C-461/20 Advania: a successor by restructuring takes
    /// a party's place; it is invited on orders pinned before the succession too, the
    /// predecessor never again.
    #[test]
    fn rule_art_72_1_d_ii_a_successor_takes_the_place_of_a_party() {
        let mut f = concluded();
        let v2 = next(
            &f,
            Some(LegalBasis::Succession {
                predecessor: P1,
                successor: P3,
                act: "Fusion par absorption, Moniteur belge du 03/02/2026".into(),
            }),
        );
        assert_eq!(f.publish(v2).unwrap(), 2);
        let v2 = f.current().unwrap();
        assert_eq!(v2.active_providers(), vec![P2, P3]);
        assert_eq!(v2.providers[0].status, ProviderStatus::Replaced);
        assert_eq!(f.callable_providers(1).unwrap(), vec![P3, P2]);
        assert_eq!(f.callable_providers(2).unwrap(), vec![P2, P3]);
        // The predecessor does not come back, and the successor is not a party twice over.
        let mut back = next(&f, None);
        back.providers[0].status = ProviderStatus::Active;
        assert_eq!(f.publish(back).unwrap_err().code(), "invalid_input");
        let again = next(
            &f,
            Some(LegalBasis::Succession {
                predecessor: P1,
                successor: Uuid::from_u128(4),
                act: "Reprise".into(),
            }),
        );
        assert_eq!(f.publish(again).unwrap_err().code(), "invalid_input");
        let not_party = next(
            &f,
            Some(LegalBasis::Succession {
                predecessor: Uuid::from_u128(9),
                successor: Uuid::from_u128(4),
                act: "Reprise".into(),
            }),
        );
        assert_eq!(f.publish(not_party).unwrap_err().code(), "invalid_input");
    }

    /// Dir. 2014/24 art. 72(1)(a), AR 14 January 2013 (modifications): a ceiling is raised only
    /// under a review clause of the framework; a correction or no basis is refused.
    #[test]
    fn rule_art_72_1_a_a_ceiling_is_raised_only_under_a_review_clause() {
        for basis in [
            None,
            Some(LegalBasis::Correction {
                note: "Coquille".into(),
            }),
        ] {
            let mut f = concluded();
            let mut v2 = next(&f, basis);
            v2.price_schedule[1].ceiling_cents = Cents(19_000);
            let err = f.publish(v2).unwrap_err();
            assert_eq!(err.code(), "modification_without_review_clause");
            let params = err.params();
            assert_eq!(params["change"], "ceiling_raised");
            assert_eq!(params["line"], "licence");
            assert_eq!(params["before_cents"], 18_000);
            assert_eq!(params["after_cents"], 19_000);
            assert!(err.to_string().contains("clause de révision"), "{err}");
        }
        let mut f = concluded();
        let mut v2 = next(&f, Some(clause()));
        v2.price_schedule[1].ceiling_cents = Cents(19_000);
        assert_eq!(f.publish(v2).unwrap(), 2);
        let mut empty = next(&f, Some(LegalBasis::ReviewClause { clause: " ".into() }));
        empty.price_schedule[1].ceiling_cents = Cents(20_000);
        assert_eq!(f.publish(empty).unwrap_err().code(), "invalid_input");
    }

    /// Dir. 2014/24 art. 72(1)(a): a price line (more scope) is added only under a review clause.
    #[test]
    fn rule_art_72_1_a_a_price_line_is_added_only_under_a_review_clause() {
        let mut f = concluded();
        let mut v2 = next(
            &f,
            Some(LegalBasis::Correction {
                note: "Oubli".into(),
            }),
        );
        let mut line = v2.price_schedule[0].clone();
        line.code = "training".into();
        v2.price_schedule.push(line);
        let err = f.publish(v2.clone()).unwrap_err();
        assert_eq!(err.code(), "modification_without_review_clause");
        assert_eq!(err.params()["change"], "line_added");
        v2.legal_basis = Some(clause());
        assert_eq!(f.publish(v2).unwrap(), 2);
    }

    /// Dir. 2014/24 art. 72(1)(a) and art. 33(1): the end date moves later only under a review
    /// clause, and never beyond four years from the start.
    #[test]
    fn rule_art_72_1_a_the_end_is_extended_only_under_a_review_clause_within_four_years() {
        let mut f = concluded();
        let mut v2 = next(&f, None);
        v2.end_date = date(2028, 2, 28);
        v2.legal_basis = Some(LegalBasis::Correction {
            note: "Date erronée".into(),
        });
        assert_eq!(f.publish(v2).unwrap(), 2, "shortening is a correction");
        let mut v3 = next(&f, None);
        v3.end_date = date(2029, 2, 28);
        let err = f.publish(v3.clone()).unwrap_err();
        assert_eq!(err.code(), "modification_without_review_clause");
        assert_eq!(err.params()["change"], "end_extended");
        assert_eq!(err.params()["after"], "2029-02-28");
        v3.legal_basis = Some(clause());
        assert_eq!(f.publish(v3).unwrap(), 3);
        let mut v4 = next(&f, Some(clause()));
        v4.end_date = date(2029, 3, 1);
        assert!(f
            .publish(v4)
            .unwrap_err()
            .to_string()
            .contains("quatre ans"));
    }

    /// Dir. 2014/24 art. 72: every modification states its basis; a correction may lower a
    /// ceiling. Suspending or reinstating a party changes no term and needs none (it only
    /// excludes from new call-offs).
    #[test]
    fn rule_art_72_a_modification_states_its_basis_except_a_suspension() {
        let mut f = concluded();
        let mut lower = next(&f, None);
        lower.price_schedule[0].ceiling_cents = Cents(400_000);
        let err = f.publish(lower.clone()).unwrap_err();
        assert_eq!(err.code(), "legal_basis_missing");
        assert_eq!(err.params()["field"], "legal_basis");
        lower.legal_basis = Some(LegalBasis::Correction {
            note: "Erreur de frappe".into(),
        });
        assert_eq!(f.publish(lower).unwrap(), 2);
        let mut suspend = next(&f, None);
        suspend.providers[1].status = ProviderStatus::Suspended;
        suspend.change_note = "Suspension".into();
        assert_eq!(f.publish(suspend).unwrap(), 3);
        assert_eq!(f.callable_providers(1).unwrap(), vec![P1]);
        let mut reinstate = next(&f, None);
        reinstate.providers[1].status = ProviderStatus::Active;
        assert_eq!(f.publish(reinstate).unwrap(), 4);
    }

    /// A fixed quantity is read exactly: a JSON float would pass through a binary float.
    #[test]
    fn a_fixed_quantity_is_read_exactly() {
        let exact: QuantityEstimate =
            serde_json::from_value(serde_json::json!({"basis": "fixed", "quantity": "1.5"}))
                .unwrap();
        assert_eq!(
            exact,
            QuantityEstimate::Fixed {
                quantity: dec!(1.5)
            }
        );
        assert!(serde_json::from_value::<QuantityEstimate>(
            serde_json::json!({"basis": "fixed", "quantity": 1.5})
        )
        .is_err());
    }

    #[test]
    fn call_off_methods() {
        assert!(
            CallOffMethod::Both.allows_direct() && CallOffMethod::Both.allows_mini_competition()
        );
        assert!(!CallOffMethod::Direct.allows_mini_competition());
        assert!(!CallOffMethod::MiniCompetition.allows_direct());
    }
}
