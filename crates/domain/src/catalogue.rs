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
    /// cannot move and every earlier version stays as it was.
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
    /// framework and active in it, less any the framework in force has suspended since.
    /// A provider added by a later version is never one of them: a call-off is awarded only to
    /// the operators party to the framework as concluded (Dir. 2014/24 art. 33(2); law of 17
    /// June 2016 art. 43).
    pub fn callable_providers(&self, pinned: u32) -> Result<Vec<Uuid>, DomainError> {
        let terms = self.pinned(pinned)?;
        let current = self.current()?;
        let suspended_now = |id: Uuid| {
            current
                .providers
                .iter()
                .any(|p| p.provider_id == id && p.status == ProviderStatus::Suspended)
        };
        Ok(terms
            .active_providers()
            .into_iter()
            .filter(|id| !suspended_now(*id))
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

    #[test]
    fn call_off_methods() {
        assert!(
            CallOffMethod::Both.allows_direct() && CallOffMethod::Both.allows_mini_competition()
        );
        assert!(!CallOffMethod::Direct.allows_mini_competition());
        assert!(!CallOffMethod::MiniCompetition.allows_direct());
    }
}
