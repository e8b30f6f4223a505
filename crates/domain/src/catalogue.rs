//! The catalogue: services, providers and framework agreements with their versions.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::deployment::MilestonePlan;
use crate::enterprise::EnterpriseNumber;
use crate::error::ErrorCode;
use crate::money::{Cents, VatRate};
pub use crate::value::Recurrence;
use crate::value::{default_contract_months, MAX_CONTRACT_MONTHS};
use crate::DomainError;

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
        use crate::limits::{self, check_max};
        check_max("name", &self.name, limits::PROVIDER_NAME_MAX_CHARS)?;
        check_max(
            "short_name",
            &self.short_name,
            limits::PROVIDER_SHORT_NAME_MAX_CHARS,
        )?;
        check_max("address", &self.address, limits::PROVIDER_ADDRESS_MAX_CHARS)?;
        check_max(
            "contact_email",
            &self.contact_email,
            limits::EMAIL_MAX_CHARS,
        )?;
        if self.name.trim().is_empty() {
            return Err(DomainError::field(ErrorCode::ProviderNameMissing, "name"));
        }
        if !self.short_name.chars().all(|c| c.is_ascii_lowercase()) || self.short_name.is_empty() {
            return Err(DomainError::field(
                ErrorCode::ProviderShortNameInvalid,
                "short_name",
            ));
        }
        if !self.contact_email.contains('@') {
            return Err(DomainError::field(
                ErrorCode::ProviderEmailInvalid,
                "contact_email",
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
    /// The day the centrale added it to the catalogue (`service.add`, Brussels; none for the
    /// founding services): the catalogue shows it as new for a while (issue 16 §3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_on: Option<NaiveDate>,
    /// The need of a survey it answers (issue 16 §3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_need: Option<crate::survey::NeedOrigin>,
}

/// How orders are placed under a framework agreement. A call-off without reopening of
/// competition is placed only under the objective conditions written in the framework
/// ([`DirectCallOff`]), applied by the rule, never chosen by the commune (Dir. 2014/24 art.
/// 33(4)(a) and (b)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CallOffMethod {
    /// Every order reopens competition between the providers.
    MiniCompetition,
    /// Orders are placed directly, with the provider the framework's conditions designate.
    Direct,
    /// Directly up to the framework's threshold ([`DirectCallOff::up_to`]), with competition
    /// above it: the framework's objective criterion decides, not the commune.
    Both,
}

/// How the framework designates the provider of a call-off without reopening of competition
/// (Dir. 2014/24 art. 33(4)(a); law of 17 June 2016 art. 43 §4 1°): an objective condition
/// written in the framework, applied by the rule ([`crate::designation`]).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DesignationRule {
    /// Down the ranking: the first-ranked provider still able to perform (records written
    /// before the choice: cascade).
    #[default]
    Cascade,
    /// In turn: for each commune, the next provider of the ranking after the one designated
    /// for that commune's previous direct call-off under this framework.
    Rotation,
}

/// The objective conditions of a call-off without reopening of competition, written in the
/// framework (Dir. 2014/24 art. 33(4)(a) and (b)): the framework's ranking and how it
/// designates a provider ([`DesignationRule`]: a cascade — the first-ranked provider still
/// able to perform (not suspended, not replaced; a successor takes its predecessor's place) —
/// or a rotation per commune), and, with `CallOffMethod::Both`, the amount up to which an
/// order is placed directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DirectCallOff {
    /// The parties in the order of the framework's own award (first = best ranked).
    pub ranking: Vec<Uuid>,
    /// How the ranking designates the provider (records written before the choice: cascade).
    #[serde(default)]
    pub rule: DesignationRule,
    /// With `CallOffMethod::Both`: an order whose needs at the ceilings over the contract are
    /// at most this (excluding VAT) is placed directly; above it, competition is reopened.
    #[serde(default)]
    pub up_to: Option<Cents>,
}

/// The cascade, as the framework's documents and the screens state it.
pub const CASCADE_FR: &str = "Cascade : chaque commande directe revient au prestataire le mieux classé de l'accord-cadre qui peut l'exécuter ; s'il est suspendu, au suivant du classement.";

/// The rotation, as the framework's documents and the screens state it.
pub const ROTATION_FR: &str = "Rotation : les commandes directes de chaque commune reviennent à tour de rôle aux prestataires, dans l'ordre du classement ; chacune va au prestataire qui suit celui de la commande directe précédente de la commune, et après le dernier, au premier. Un prestataire suspendu est passé.";

impl DesignationRule {
    /// Every rule, in the order the centrale is offered them.
    pub const ALL: [DesignationRule; 2] = [DesignationRule::Cascade, DesignationRule::Rotation];

    /// The French sentence stating the rule (the same words on every screen and the portal).
    pub fn statement_fr(self) -> &'static str {
        match self {
            DesignationRule::Cascade => CASCADE_FR,
            DesignationRule::Rotation => ROTATION_FR,
        }
    }

    /// The stable code (`cascade`, `rotation`), as serialised.
    pub fn code(self) -> &'static str {
        match self {
            DesignationRule::Cascade => "cascade",
            DesignationRule::Rotation => "rotation",
        }
    }
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
    /// Paid once, every year or every month of the contract (lines written before the rule:
    /// once).
    #[serde(default)]
    pub recurrence: Recurrence,
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
    /// A higher maximum value (CJEU C-23/20: the maximum binds the framework).
    MaximumRaised {
        /// Maximum in force (none: not stated).
        before: Option<Cents>,
        /// Maximum asked (none: removed).
        after: Option<Cents>,
    },
    /// A longer contract duration for the call-offs.
    ContractLengthened {
        /// Months in force.
        before: u32,
        /// Months asked.
        after: u32,
    },
    /// Another price formula: a change of the award method (Dir. 2014/24 art. 67(5), art.
    /// 33(5)(d)), allowed only under a review clause like a widening.
    PriceFormulaChanged {
        /// Formula in force.
        before: crate::evaluation::PriceFormula,
        /// Formula asked.
        after: crate::evaluation::PriceFormula,
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
    /// Contract duration of a call-off, in months (1 to 48; records written before the rule:
    /// 48). Recurring price lines are priced over it (issue 11 rule 9).
    #[serde(default = "default_contract_months")]
    pub contract_months: u32,
    /// Maximum value of the framework excluding VAT, over every commune (CJEU C-216/17,
    /// C-23/20). Every version published now states it; none only in records written before
    /// the rule (nothing is refused on them, the screens say the maximum is not stated).
    #[serde(default)]
    pub max_value: Option<Cents>,
    /// The conditions of a call-off without competition (issue 11 rule 5); none: every order
    /// is put back in competition.
    #[serde(default)]
    pub direct_call_off: Option<DirectCallOff>,
    /// Guarantee period, in months, from the provisional to the final acceptance (issue 11
    /// rule 16; AR 14 January 2013, réception définitive at the end of the guarantee period);
    /// 0 for records written before the rule (no period stated).
    #[serde(default)]
    pub guarantee_months: u32,
    /// How the price criterion is scored (issue 11 rule 8; Dir. 2014/24 art. 67(5)); records
    /// written before the choice: relative.
    #[serde(default)]
    pub price_formula: crate::evaluation::PriceFormula,
    /// The interoperability sheet of each party's solution, as the centrale recorded it with
    /// this version (issue 16 §1; [`crate::interoperability`]). Information, not a term: a
    /// version changing only the sheets needs no legal basis.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interoperability: Vec<crate::interoperability::InteroperabilitySheet>,
}

/// The longest a framework agreement may last: four years.
pub const MAX_FRAMEWORK_YEARS: u32 = 4;

/// The note of a new framework version: what changes, in one sentence of
/// [`crate::limits::CHANGE_NOTE_MIN_CHARS`] to [`crate::limits::CHANGE_NOTE_MAX_CHARS`]
/// characters. A modification of a concluded framework is recorded with its reason (Dir.
/// 2014/24 art. 72: the modification and what allows it); a blank or a word (« maj ») says
/// nothing to the communes reading the service's history.
pub fn check_change_note(note: &str) -> Result<(), DomainError> {
    let length = crate::limits::chars(note);
    if (crate::limits::CHANGE_NOTE_MIN_CHARS..=crate::limits::CHANGE_NOTE_MAX_CHARS)
        .contains(&length)
    {
        Ok(())
    } else {
        Err(
            DomainError::field(ErrorCode::ChangeNoteLength, "change_note")
                .with("length", length)
                .with("min_chars", crate::limits::CHANGE_NOTE_MIN_CHARS)
                .with("max_chars", crate::limits::CHANGE_NOTE_MAX_CHARS),
        )
    }
}

impl FrameworkTerms {
    /// Checks every rule of a framework's terms.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.end_date < self.start_date {
            return Err(
                DomainError::field(ErrorCode::FrameworkEndBeforeStart, "end_date")
                    .with("start", self.start_date)
                    .with("end", self.end_date),
            );
        }
        let limit = self
            .start_date
            .checked_add_months(Months::new(12 * MAX_FRAMEWORK_YEARS))
            .and_then(|d| d.pred_opt())
            .ok_or_else(|| {
                DomainError::field(ErrorCode::FrameworkStartInvalid, "start_date")
                    .with("start", self.start_date)
            })?;
        if self.end_date > limit {
            return Err(DomainError::field(ErrorCode::FrameworkTooLong, "end_date")
                .with("max_years", MAX_FRAMEWORK_YEARS)
                .with("latest", limit));
        }
        if self.providers.is_empty() {
            return Err(DomainError::field(
                ErrorCode::FrameworkProvidersMissing,
                "providers",
            ));
        }
        let distinct: BTreeSet<_> = self.providers.iter().map(|p| p.provider_id).collect();
        if distinct.len() != self.providers.len() {
            return Err(DomainError::field(
                ErrorCode::FrameworkProviderDuplicate,
                "providers",
            ));
        }
        if self.award_criteria.is_empty() {
            return Err(DomainError::field(
                ErrorCode::AwardCriteriaMissing,
                "award_criteria",
            ));
        }
        let total: u32 = self.award_criteria.iter().map(|c| c.weight).sum();
        if total != crate::limits::CRITERIA_WEIGHT_TOTAL {
            return Err(
                DomainError::field(ErrorCode::AwardCriteriaWeightsTotal, "award_criteria")
                    .with("total", total)
                    .with("expected", crate::limits::CRITERIA_WEIGHT_TOTAL),
            );
        }
        let price_criteria = self
            .award_criteria
            .iter()
            .filter(|c| c.kind == CriterionKind::Price)
            .count();
        if price_criteria > 1 {
            return Err(DomainError::field(
                ErrorCode::PriceCriterionDuplicate,
                "award_criteria",
            ));
        }
        let codes: BTreeSet<_> = self.award_criteria.iter().map(|c| &c.code).collect();
        if codes.len() != self.award_criteria.len() {
            return Err(DomainError::field(
                ErrorCode::AwardCriterionCodeDuplicate,
                "award_criteria",
            ));
        }
        if self.price_schedule.is_empty() {
            return Err(DomainError::field(
                ErrorCode::PriceScheduleEmpty,
                "price_schedule",
            ));
        }
        let line_codes: BTreeSet<_> = self.price_schedule.iter().map(|l| &l.code).collect();
        if line_codes.len() != self.price_schedule.len() {
            return Err(DomainError::field(
                ErrorCode::PriceLineCodeDuplicate,
                "price_schedule",
            ));
        }
        for (i, c) in self.award_criteria.iter().enumerate() {
            crate::limits::check_max(
                format!("award_criteria[{i}].label_fr"),
                &c.label_fr,
                crate::limits::CRITERION_LABEL_MAX_CHARS,
            )?;
        }
        for (i, d) in self.documents.iter().enumerate() {
            use crate::limits::{self, check_max};
            check_max(
                format!("documents[{i}].title_fr"),
                &d.title_fr,
                limits::DOCUMENT_TITLE_MAX_CHARS,
            )?;
            check_max(
                format!("documents[{i}].version"),
                &d.version,
                limits::DOCUMENT_VERSION_MAX_CHARS,
            )?;
            check_max(
                format!("documents[{i}].file_name"),
                &d.file_name,
                limits::DOCUMENT_FILE_NAME_MAX_CHARS,
            )?;
        }
        for (i, line) in self.price_schedule.iter().enumerate() {
            use crate::limits::{self, check_max};
            check_max(
                format!("price_schedule[{i}].code"),
                &line.code,
                limits::PRICE_LINE_CODE_MAX_CHARS,
            )?;
            check_max(
                format!("price_schedule[{i}].label_fr"),
                &line.label_fr,
                limits::PRICE_LINE_LABEL_MAX_CHARS,
            )?;
            check_max(
                format!("price_schedule[{i}].unit_fr"),
                &line.unit_fr,
                limits::PRICE_LINE_UNIT_MAX_CHARS,
            )?;
            if line.ceiling_cents.0 <= 0 {
                return Err(DomainError::field(
                    ErrorCode::PriceCeilingNotPositive,
                    format!("price_schedule[{i}].ceiling_cents"),
                )
                .with("line", &line.label_fr)
                .with("code", &line.code)
                .with("ceiling_cents", line.ceiling_cents.0));
            }
            line.vat_rate
                .validate(&format!("price_schedule[{i}].vat_rate"))?;
        }
        self.milestone_plan.validate()?;
        if !(1..=MAX_CONTRACT_MONTHS).contains(&self.contract_months) {
            return Err(DomainError::ContractMonthsOutOfRange {
                months: self.contract_months,
                max: MAX_CONTRACT_MONTHS,
            });
        }
        match self.max_value {
            None => return Err(DomainError::MaximumValueMissing),
            Some(m) if m.0 <= 0 => return Err(DomainError::MaximumValueMissing),
            Some(_) => {}
        }
        if let Some(direct) = &self.direct_call_off {
            let distinct: BTreeSet<_> = direct.ranking.iter().collect();
            if direct.ranking.is_empty() || distinct.len() != direct.ranking.len() {
                return Err(DomainError::DirectCallOffConditionsMissing);
            }
            if let Some(stranger) = direct
                .ranking
                .iter()
                .find(|id| !self.providers.iter().any(|p| p.provider_id == **id))
            {
                return Err(DomainError::ProviderNotParty {
                    provider: *stranger,
                });
            }
            if direct.up_to.is_some_and(|c| c.0 <= 0) {
                return Err(DomainError::DirectCallOffConditionsMissing);
            }
        }
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
            DomainError::field(ErrorCode::FrameworkNotPublished, "versions")
                .with("reference", &self.reference)
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
                return Err(
                    DomainError::field(ErrorCode::FrameworkStartChanged, "start_date")
                        .with("start", first.start_date)
                        .with("requested", terms.start_date),
                );
            }
        }
        if let Some(current) = self.versions.last() {
            check_modification(current, &mut terms)?;
        }
        terms.version = next;
        terms.validate()?;
        let parties: Vec<Uuid> = terms.providers.iter().map(|p| p.provider_id).collect();
        crate::interoperability::validate_sheets(
            &terms.interoperability,
            self.service_id,
            &parties,
            crate::time::brussels_today(terms.published_at),
        )?;
        // Issue 11 rule 5 (Dir. 2014/24 art. 33(4)): a direct call-off only under conditions
        // written in the framework; with `Both`, the threshold that decides between the two.
        let conditions = terms.direct_call_off.as_ref();
        let missing = match self.call_off_method {
            CallOffMethod::MiniCompetition => false,
            CallOffMethod::Direct => conditions.is_none(),
            CallOffMethod::Both => conditions.is_none_or(|c| c.up_to.is_none()),
        };
        if missing {
            return Err(DomainError::DirectCallOffConditionsMissing);
        }
        self.versions.push(terms);
        Ok(next)
    }

    /// The provider a call-off without competition by cascade goes to under version `pinned`:
    /// the first of the framework's ranking that may still receive call-offs (a party replaced
    /// since is followed by its successor; a suspended one is passed over) — never the
    /// commune's choice (Dir. 2014/24 art. 33(4)(a)). With either rule, see
    /// [`crate::designation::designate`].
    pub fn designated_provider(&self, pinned: u32) -> Result<Uuid, DomainError> {
        let ranking = self.ranking(pinned)?;
        let callable = self.callable_providers(pinned)?;
        ranking
            .into_iter()
            .find(|id| callable.contains(id))
            .ok_or_else(|| DomainError::rule(ErrorCode::NoDesignatableProvider))
    }

    /// The ranking of the direct call-off conditions of version `pinned`, each party replaced
    /// by its successor where a version records a succession (the successor takes its
    /// predecessor's place in the ranking: Dir. 2014/24 art. 72(1)(d)(ii)).
    pub fn ranking(&self, pinned: u32) -> Result<Vec<Uuid>, DomainError> {
        let conditions = self
            .pinned(pinned)?
            .direct_call_off
            .as_ref()
            .ok_or(DomainError::DirectCallOffConditionsMissing)?;
        Ok(conditions
            .ranking
            .iter()
            .map(|id| self.successor_of(*id))
            .collect())
    }

    /// Who holds `provider`'s place now: itself, or its successor (followed through every
    /// succession the versions record, oldest first).
    pub fn successor_of(&self, provider: Uuid) -> Uuid {
        let mut id = provider;
        for v in &self.versions {
            if let Some(LegalBasis::Succession {
                predecessor,
                successor,
                ..
            }) = &v.legal_basis
            {
                if *predecessor == id {
                    id = *successor;
                }
            }
        }
        id
    }

    /// The terms an order is made under: the version it was pinned to at submission.
    pub fn pinned(&self, version: u32) -> Result<&FrameworkTerms, DomainError> {
        self.version(version).ok_or_else(|| {
            DomainError::field(ErrorCode::FrameworkVersionNotFound, "framework_version")
                .with("version", version)
                .with("reference", &self.reference)
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
                start: terms.start_date,
                end: terms.end_date,
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
            return Err(DomainError::field(
                ErrorCode::ReviewClauseMissing,
                "legal_basis.clause",
            ));
        }
        Some(LegalBasis::Correction { note }) if note.trim().is_empty() => {
            return Err(DomainError::field(
                ErrorCode::CorrectionNoteMissing,
                "legal_basis.note",
            ));
        }
        Some(LegalBasis::Succession {
            predecessor,
            successor,
            act,
        }) => {
            if act.trim().is_empty() {
                return Err(DomainError::field(
                    ErrorCode::SuccessionActMissing,
                    "legal_basis.act",
                ));
            }
            if !party(*predecessor).is_some_and(|p| p.status != ProviderStatus::Replaced) {
                return Err(DomainError::field(
                    ErrorCode::PredecessorNotParty,
                    "legal_basis.predecessor",
                )
                .with("provider", predecessor));
            }
            if party(*successor).is_some() || successor == predecessor {
                return Err(DomainError::field(
                    ErrorCode::SuccessorAlreadyParty,
                    "legal_basis.successor",
                )
                .with("provider", successor));
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
            // The successor takes the predecessor's place in the ranking of direct call-offs.
            if let Some(direct) = next.direct_call_off.as_mut() {
                for id in direct.ranking.iter_mut().filter(|id| *id == predecessor) {
                    *id = *successor;
                }
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
                return Err(
                    DomainError::field(ErrorCode::ReplacedProviderReturns, "providers")
                        .with("provider", p.provider_id),
                );
            }
            _ => {}
        }
    }
    if let Some(removed) = current.providers.iter().find(|c| {
        !next
            .providers
            .iter()
            .any(|p| p.provider_id == c.provider_id)
    }) {
        return Err(
            DomainError::field(ErrorCode::PartyProviderRemoved, "providers")
                .with("provider", removed.provider_id),
        );
    }
    // Rule 3: widening only under a review clause (art. 72(1)(a)).
    let review_clause = matches!(next.legal_basis, Some(LegalBasis::ReviewClause { .. }));
    // Rule 5: how a direct call-off's provider is designated is an objective condition of the
    // framework (art. 33(4)(a)); changing it modifies the concluded framework, which only a
    // review clause written in it allows (art. 72(1)(a)) — a correction or a succession does
    // not.
    let rule_of = |t: &FrameworkTerms| t.direct_call_off.as_ref().map(|c| c.rule);
    if let (Some(before), Some(after)) = (rule_of(current), rule_of(&*next)) {
        if before != after && !review_clause {
            return Err(DomainError::field(
                ErrorCode::DesignationRuleChanged,
                "direct_call_off.rule",
            )
            .with("before", before.code())
            .with("after", after.code()));
        }
    }
    if !review_clause {
        if let Some(change) = widening(current, next) {
            return Err(DomainError::ModificationWithoutReviewClause { change });
        }
    }
    // Any other change of the terms states a basis too; statuses and interoperability sheets
    // (the centrale's record of the solutions, not a term: issue 16 §1) alone need none.
    if next.legal_basis.is_none() {
        let mut same = next.clone();
        same.providers.clone_from(&current.providers);
        same.interoperability.clone_from(&current.interoperability);
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
    if next.end_date > current.end_date {
        return Some(Widening::EndExtended {
            before: current.end_date,
            after: next.end_date,
        });
    }
    // Stating a maximum where none was recorded narrows nothing that was ever allowed in law
    // (a framework always had one); raising or removing a stated one widens it.
    let raised = match (current.max_value, next.max_value) {
        (Some(before), Some(after)) => after.0 > before.0,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if raised {
        return Some(Widening::MaximumRaised {
            before: current.max_value,
            after: next.max_value,
        });
    }
    if next.contract_months > current.contract_months {
        return Some(Widening::ContractLengthened {
            before: current.contract_months,
            after: next.contract_months,
        });
    }
    (next.price_formula != current.price_formula).then_some(Widening::PriceFormulaChanged {
        before: current.price_formula,
        after: next.price_formula,
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
    /// Times the line is paid over the contract (1 for a one-off line).
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub periods: Decimal,
    /// Ceiling × quantity × periods.
    pub amount: crate::money::Amount,
}

/// Estimates the cost of a service for a commune at the framework's ceiling prices, over the
/// call-off's contract duration (issue 11 rule 9).
pub fn estimate_cost(
    terms: &FrameworkTerms,
    population: u32,
) -> (Vec<EstimateLine>, crate::money::Amount) {
    let mut total = crate::money::Amount::default();
    let mut lines = Vec::new();
    for line in &terms.price_schedule {
        let quantity = line.estimate.quantity_for(population);
        let periods = line.recurrence.periods(terms.contract_months);
        let excl = crate::value::line_total(line.ceiling_cents, quantity, periods)
            .unwrap_or(Cents(i64::MAX));
        let amount = crate::money::Amount::at_rate(excl, line.vat_rate);
        total = total.plus(amount);
        lines.push(EstimateLine {
            code: line.code.clone(),
            quantity,
            periods,
            amount,
        });
    }
    (lines, total)
}

#[cfg(test)]
mod tests;
