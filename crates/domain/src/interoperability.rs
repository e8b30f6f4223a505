//! Interoperability sheets (issue 16 §1): for each provider's solution under a framework, the
//! standards and interfaces it offers, the other catalogue solutions it works with, and what
//! the intercommunale has checked.
//!
//! The centrale retains solutions on their interoperability (its selection condition, see
//! `shared/reference/domain.md`: « l'une des conditions préalables que pose Idelux pour retenir
//! une solution technologique »; the Smart Région calls score openness and interoperability).
//! The sheet is the centrale's record of it, kept with each framework version
//! ([`crate::catalogue::FrameworkTerms::interoperability`]). It describes the solutions and the
//! centrale's own checks; it adds no obligation to the framework's terms, so a version that
//! changes sheets alone needs no legal basis (like a suspension: Dir. 2014/24 art. 72 governs
//! the contract's terms, not the buyer's record of what it verified).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ErrorCode;
use crate::limits::{self, check_max};
use crate::DomainError;

/// An open data format the solution publishes, with its licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OpenDataFormat {
    /// The format, e.g. « CSV », « GeoJSON », « DCAT-AP ».
    pub format: String,
    /// The licence of the data published, e.g. « Licence ouverte CC BY 4.0 ».
    pub licence: String,
}

/// A documented programming interface of the solution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApiInterface {
    /// What it gives access to, e.g. « Demandes des citoyens ».
    pub name: String,
    /// The standard it follows, e.g. « REST, OpenAPI 3.1 », « OGC SensorThings ».
    pub specification: String,
    /// Where its documentation is published (empty when it is given on request).
    #[serde(default)]
    pub documentation_url: String,
}

/// A citizen identity service the solution accepts for single sign-on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CitizenIdentity {
    /// The federal authentication service (CSAM / FAS): eID card reader and itsme through it.
    Csam,
    /// itsme connected directly.
    Itsme,
    /// The Walloon citizen space (« Mon Espace », wallonie.be).
    MonEspace,
}

impl CitizenIdentity {
    /// Every service, in the order the forms offer them.
    pub const ALL: [CitizenIdentity; 3] = [
        CitizenIdentity::Csam,
        CitizenIdentity::Itsme,
        CitizenIdentity::MonEspace,
    ];

    /// As the sheets name it.
    pub fn label_fr(self) -> &'static str {
        match self {
            CitizenIdentity::Csam => "CSAM (carte d'identité électronique et itsme via le fédéral)",
            CitizenIdentity::Itsme => "itsme (connexion directe)",
            CitizenIdentity::MonEspace => "Mon Espace (Wallonie)",
        }
    }
}

/// Where the solution keeps the commune's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum HostingLocation {
    /// In Belgium.
    Belgium,
    /// In another member state of the European Union.
    EuropeanUnion,
    /// Outside the European Union (the GDPR's transfer rules apply).
    OutsideEu,
}

impl HostingLocation {
    /// Every place, in the order the forms offer them.
    pub const ALL: [HostingLocation; 3] = [
        HostingLocation::Belgium,
        HostingLocation::EuropeanUnion,
        HostingLocation::OutsideEu,
    ];

    /// As the sheets say it.
    pub fn label_fr(self) -> &'static str {
        match self {
            HostingLocation::Belgium => "en Belgique",
            HostingLocation::EuropeanUnion => "dans l'Union européenne",
            HostingLocation::OutsideEu => "hors de l'Union européenne",
        }
    }
}

/// What the intercommunale may check on a sheet.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum InteropAspect {
    /// The open data formats and their licences.
    OpenData,
    /// The documented interfaces.
    Api,
    /// Single sign-on with the citizen identity services.
    CitizenIdentity,
    /// The exports of the commune's data.
    DataExport,
    /// Where the data is kept.
    Hosting,
    /// What the commune gets back at the end of the contract.
    Reversibility,
}

impl InteropAspect {
    /// Every aspect, in the sheet's order.
    pub const ALL: [InteropAspect; 6] = [
        InteropAspect::OpenData,
        InteropAspect::Api,
        InteropAspect::CitizenIdentity,
        InteropAspect::DataExport,
        InteropAspect::Hosting,
        InteropAspect::Reversibility,
    ];

    /// As the sheets name it.
    pub fn label_fr(self) -> &'static str {
        match self {
            InteropAspect::OpenData => "Données ouvertes",
            InteropAspect::Api => "Interfaces (API)",
            InteropAspect::CitizenIdentity => "Connexion des citoyens",
            InteropAspect::DataExport => "Export des données de la commune",
            InteropAspect::Hosting => "Hébergement",
            InteropAspect::Reversibility => "Réversibilité en fin de contrat",
        }
    }
}

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// What the provider states was verified.
    Confirmed,
    /// Verified in part; the note says what is missing.
    Partial,
    /// Not confirmed; the note says why.
    NotConfirmed,
}

impl CheckOutcome {
    /// As the sheets say it.
    pub fn label_fr(self) -> &'static str {
        match self {
            CheckOutcome::Confirmed => "vérifié",
            CheckOutcome::Partial => "vérifié en partie",
            CheckOutcome::NotConfirmed => "non confirmé",
        }
    }
}

/// A check of one aspect by the intercommunale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InteropCheck {
    /// What was checked.
    pub aspect: InteropAspect,
    /// When (a day past or today, never ahead of the version's publication).
    pub checked_on: NaiveDate,
    /// What it found.
    pub outcome: CheckOutcome,
    /// How it was checked, or what is missing (required unless confirmed).
    #[serde(default)]
    pub note: String,
}

/// One solution of the catalogue: a service bought from one of its framework's providers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Solution {
    /// The service.
    pub service_id: Uuid,
    /// The provider.
    pub provider_id: Uuid,
}

/// Another catalogue solution this one works with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SolutionLink {
    /// The other solution.
    pub with: Solution,
    /// How they work together, e.g. « les demandes payées sont versées dans la comptabilité ».
    pub how: String,
    /// When the intercommunale tested them together (none: stated by the provider, not tested).
    #[serde(default)]
    pub checked_on: Option<NaiveDate>,
}

/// A provider's solution under a framework version, as the centrale records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InteroperabilitySheet {
    /// The provider, a party to the framework.
    pub provider_id: Uuid,
    /// The solution's commercial name and version, e.g. « Guichet Nuagix 4 ».
    pub solution_name: String,
    /// Open data the solution publishes.
    #[serde(default)]
    pub open_data: Vec<OpenDataFormat>,
    /// Its documented interfaces.
    #[serde(default)]
    pub apis: Vec<ApiInterface>,
    /// The citizen identity services it accepts.
    #[serde(default)]
    pub citizen_identity: Vec<CitizenIdentity>,
    /// The formats in which the commune can export all its data at any time.
    #[serde(default)]
    pub data_exports: Vec<String>,
    /// Where the data is kept.
    pub hosting: HostingLocation,
    /// Which data centre or provider, e.g. « centre de données à Liège ».
    #[serde(default)]
    pub hosting_detail: String,
    /// What the commune gets back, in which format and within which time, at the end of the
    /// contract (required: a solution without a way out is not retained).
    pub reversibility: String,
    /// The other catalogue solutions it works with.
    #[serde(default)]
    pub works_with: Vec<SolutionLink>,
    /// What the intercommunale has checked.
    #[serde(default)]
    pub checks: Vec<InteropCheck>,
}

impl InteroperabilitySheet {
    /// What the solution offers for `aspect`, in French, as the analysis report and the
    /// portal print it (« aucun(e) indiqué(e) » for an empty list).
    pub fn offered_fr(&self, aspect: InteropAspect) -> String {
        let list = |items: Vec<String>| {
            if items.is_empty() {
                "aucun(e) indiqué(e)".to_string()
            } else {
                items.join(" ; ")
            }
        };
        match aspect {
            InteropAspect::OpenData => list(
                self.open_data
                    .iter()
                    .map(|d| format!("{} ({})", d.format, d.licence))
                    .collect(),
            ),
            InteropAspect::Api => list(
                self.apis
                    .iter()
                    .map(|a| format!("{} — {}", a.name, a.specification))
                    .collect(),
            ),
            InteropAspect::CitizenIdentity => list(
                self.citizen_identity
                    .iter()
                    .map(|i| i.label_fr().to_string())
                    .collect(),
            ),
            InteropAspect::DataExport => list(self.data_exports.clone()),
            InteropAspect::Hosting => match self.hosting_detail.trim() {
                "" => format!("Données hébergées {}", self.hosting.label_fr()),
                detail => format!("Données hébergées {} ({detail})", self.hosting.label_fr()),
            },
            InteropAspect::Reversibility => self.reversibility.trim().to_string(),
        }
    }

    /// The check of `aspect`, when the intercommunale made one.
    pub fn check(&self, aspect: InteropAspect) -> Option<&InteropCheck> {
        self.checks.iter().find(|c| c.aspect == aspect)
    }
}

/// Checks the sheets of a framework version: one per party at most, each filled as the forms
/// require, checks dated on or before `today` (the day of publication, Brussels), links to
/// other solutions only (never to itself, each once). `service_id` is the framework's service;
/// `parties` its providers.
pub fn validate_sheets(
    sheets: &[InteroperabilitySheet],
    service_id: Uuid,
    parties: &[Uuid],
    today: NaiveDate,
) -> Result<(), DomainError> {
    let mut seen = BTreeSet::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let at = |field: &str| format!("interoperability[{i}].{field}");
        if !parties.contains(&sheet.provider_id) {
            return Err(DomainError::field(
                ErrorCode::InteroperabilityProviderNotParty,
                at("provider_id"),
            )
            .with("provider", sheet.provider_id));
        }
        if !seen.insert(sheet.provider_id) {
            return Err(DomainError::field(
                ErrorCode::InteroperabilitySheetDuplicate,
                at("provider_id"),
            )
            .with("provider", sheet.provider_id));
        }
        if sheet.solution_name.trim().is_empty() {
            return Err(DomainError::field(
                ErrorCode::InteroperabilityNameMissing,
                at("solution_name"),
            )
            .with("max_chars", limits::SOLUTION_NAME_MAX_CHARS));
        }
        check_max(
            at("solution_name"),
            &sheet.solution_name,
            limits::SOLUTION_NAME_MAX_CHARS,
        )?;
        if sheet.reversibility.trim().is_empty() {
            return Err(DomainError::field(
                ErrorCode::InteroperabilityReversibilityMissing,
                at("reversibility"),
            ));
        }
        check_max(
            at("reversibility"),
            &sheet.reversibility,
            limits::INTEROPERABILITY_TEXT_MAX_CHARS,
        )?;
        check_max(
            at("hosting_detail"),
            &sheet.hosting_detail,
            limits::INTEROPERABILITY_SHORT_TEXT_MAX_CHARS,
        )?;
        let counts = [
            ("open_data", sheet.open_data.len()),
            ("apis", sheet.apis.len()),
            ("data_exports", sheet.data_exports.len()),
            ("works_with", sheet.works_with.len()),
            ("checks", sheet.checks.len()),
        ];
        for (field, count) in counts {
            if count > limits::INTEROPERABILITY_ENTRIES_MAX {
                return Err(DomainError::field(
                    ErrorCode::InteroperabilityTooManyEntries,
                    at(field),
                )
                .with("max", limits::INTEROPERABILITY_ENTRIES_MAX));
            }
        }
        for (j, d) in sheet.open_data.iter().enumerate() {
            short_required(&at(&format!("open_data[{j}].format")), &d.format)?;
            short_required(&at(&format!("open_data[{j}].licence")), &d.licence)?;
        }
        for (j, a) in sheet.apis.iter().enumerate() {
            short_required(&at(&format!("apis[{j}].name")), &a.name)?;
            short_required(&at(&format!("apis[{j}].specification")), &a.specification)?;
            check_max(
                at(&format!("apis[{j}].documentation_url")),
                &a.documentation_url,
                limits::INTEROPERABILITY_SHORT_TEXT_MAX_CHARS,
            )?;
        }
        for (j, format) in sheet.data_exports.iter().enumerate() {
            short_required(&at(&format!("data_exports[{j}]")), format)?;
        }
        let identities: BTreeSet<_> = sheet.citizen_identity.iter().collect();
        if identities.len() != sheet.citizen_identity.len() {
            return Err(DomainError::field(
                ErrorCode::InteroperabilityEntryDuplicate,
                at("citizen_identity"),
            ));
        }
        let own = Solution {
            service_id,
            provider_id: sheet.provider_id,
        };
        let mut linked = BTreeSet::new();
        for (j, link) in sheet.works_with.iter().enumerate() {
            let field = at(&format!("works_with[{j}]"));
            if link.with == own {
                return Err(DomainError::field(
                    ErrorCode::InteroperabilityLinkToItself,
                    field,
                ));
            }
            if !linked.insert(link.with) {
                return Err(DomainError::field(
                    ErrorCode::InteroperabilityEntryDuplicate,
                    field,
                ));
            }
            short_required(&format!("{field}.how"), &link.how)?;
            if let Some(day) = link.checked_on.filter(|d| *d > today) {
                return Err(DomainError::field(
                    ErrorCode::InteroperabilityCheckAhead,
                    format!("{field}.checked_on"),
                )
                .with("date", day)
                .with("today", today));
            }
        }
        let mut aspects = BTreeSet::new();
        for (j, check) in sheet.checks.iter().enumerate() {
            let field = at(&format!("checks[{j}]"));
            if !aspects.insert(check.aspect) {
                return Err(DomainError::field(
                    ErrorCode::InteroperabilityEntryDuplicate,
                    field,
                ));
            }
            if check.checked_on > today {
                return Err(DomainError::field(
                    ErrorCode::InteroperabilityCheckAhead,
                    format!("{field}.checked_on"),
                )
                .with("date", check.checked_on)
                .with("today", today));
            }
            if check.outcome != CheckOutcome::Confirmed && check.note.trim().is_empty() {
                return Err(DomainError::field(
                    ErrorCode::InteroperabilityCheckNoteMissing,
                    format!("{field}.note"),
                ));
            }
            check_max(
                format!("{field}.note"),
                &check.note,
                limits::INTEROPERABILITY_TEXT_MAX_CHARS,
            )?;
        }
    }
    Ok(())
}

/// A short text an entry needs (a format, a licence, an interface's name…).
fn short_required(field: &str, text: &str) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::field(
            ErrorCode::InteroperabilityEntryIncomplete,
            field,
        ));
    }
    check_max(field, text, limits::INTEROPERABILITY_SHORT_TEXT_MAX_CHARS)
}

/// Two solutions that work together, as a sheet declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Fit {
    /// The other solution (the one the commune already runs, for [`fits_with`]).
    pub with: Solution,
    /// How they work together.
    pub how: String,
    /// When the intercommunale tested them together (none: declared, not tested).
    pub checked_on: Option<NaiveDate>,
    /// The solution whose sheet declares it.
    pub declared_by: Solution,
}

/// The sheets in force of the whole catalogue, each with its solution.
#[derive(Debug, Clone, Default)]
pub struct SheetIndex(Vec<(Solution, InteroperabilitySheet)>);

impl SheetIndex {
    /// Adds the sheets of a framework version covering `service_id`; a solution already
    /// indexed takes the sheet added last.
    pub fn add(&mut self, service_id: Uuid, sheets: &[InteroperabilitySheet]) {
        for sheet in sheets {
            self.0.retain(|(s, _)| {
                !(s.service_id == service_id && s.provider_id == sheet.provider_id)
            });
            self.0.push((
                Solution {
                    service_id,
                    provider_id: sheet.provider_id,
                },
                sheet.clone(),
            ));
        }
    }

    /// The sheet of a solution, when the centrale recorded one.
    pub fn sheet(&self, solution: Solution) -> Option<&InteroperabilitySheet> {
        self.0
            .iter()
            .find(|(s, _)| *s == solution)
            .map(|(_, sheet)| sheet)
    }

    /// The link between two solutions, declared on either's sheet; a link the intercommunale
    /// tested is preferred over one merely declared.
    pub fn link(&self, a: Solution, b: Solution) -> Option<Fit> {
        let declared = |from: Solution, to: Solution| {
            self.sheet(from).and_then(|sheet| {
                sheet.works_with.iter().find(|l| l.with == to).map(|l| Fit {
                    with: b,
                    how: l.how.clone(),
                    checked_on: l.checked_on,
                    declared_by: from,
                })
            })
        };
        match (declared(a, b), declared(b, a)) {
            (Some(x), Some(y)) => Some(if x.checked_on.is_some() || y.checked_on.is_none() {
                x
            } else {
                y
            }),
            (x, y) => x.or(y),
        }
    }
}

/// Which of the solutions a commune already runs `candidate` works with, in the order of
/// `running` (each once); a solution of the same service is not counted (it would replace it,
/// not work with it).
pub fn fits_with(index: &SheetIndex, candidate: Solution, running: &[Solution]) -> Vec<Fit> {
    let mut seen = BTreeSet::new();
    running
        .iter()
        .filter(|r| r.service_id != candidate.service_id && seen.insert(**r))
        .filter_map(|r| index.link(candidate, *r))
        .collect()
}

/// What [`running`] reads of an order: the whole record, or the few fields a list keeps of it.
pub trait AwardedCallOff {
    /// The commune that ordered.
    fn commune_nis(&self) -> &str;
    /// The service ordered.
    fn service_id(&self) -> Uuid;
    /// The provider it was awarded to, once awarded.
    fn awarded_provider(&self) -> Option<Uuid>;
}

impl AwardedCallOff for crate::order::Order {
    fn commune_nis(&self) -> &str {
        &self.commune_nis
    }
    fn service_id(&self) -> Uuid {
        self.service_id
    }
    fn awarded_provider(&self) -> Option<Uuid> {
        self.award.as_ref().map(|a| a.provider_id)
    }
}

/// The solutions a commune runs: its call-offs awarded (whatever their deployment state), in
/// the order given, each once — the same reading as the centrale's « qui utilise quoi »
/// ([`crate::tracking`]).
pub fn running<O: AwardedCallOff>(orders: &[O], commune_nis: &str) -> Vec<Solution> {
    let mut seen = BTreeSet::new();
    orders
        .iter()
        .filter(|o| o.commune_nis() == commune_nis)
        .filter_map(|o| {
            o.awarded_provider().map(|provider_id| Solution {
                service_id: o.service_id(),
                provider_id,
            })
        })
        .filter(|s| seen.insert(*s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn sheet(provider: u128) -> InteroperabilitySheet {
        InteroperabilitySheet {
            provider_id: id(provider),
            solution_name: "Guichet 4".into(),
            open_data: vec![OpenDataFormat {
                format: "CSV".into(),
                licence: "CC BY 4.0".into(),
            }],
            apis: vec![],
            citizen_identity: vec![CitizenIdentity::Csam],
            data_exports: vec!["CSV".into()],
            hosting: HostingLocation::Belgium,
            hosting_detail: String::new(),
            reversibility: "Export complet en CSV dans les 30 jours.".into(),
            works_with: vec![],
            checks: vec![],
        }
    }

    const SERVICE: u128 = 100;

    #[test]
    fn a_sheet_is_for_a_party_once_with_its_name_and_its_way_out() {
        let parties = [id(1), id(2)];
        assert!(validate_sheets(&[sheet(1), sheet(2)], id(SERVICE), &parties, day(10)).is_ok());
        let err = validate_sheets(&[sheet(3)], id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityProviderNotParty);
        let err =
            validate_sheets(&[sheet(1), sheet(1)], id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilitySheetDuplicate);
        assert_eq!(err.params()["field"], "interoperability[1].provider_id");
        let mut nameless = sheet(1);
        nameless.solution_name = "  ".into();
        let err = validate_sheets(&[nameless], id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityNameMissing);
        let mut no_way_out = sheet(2);
        no_way_out.reversibility = String::new();
        let err =
            validate_sheets(&[sheet(1), no_way_out], id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityReversibilityMissing);
        assert_eq!(err.params()["field"], "interoperability[1].reversibility");
    }

    #[test]
    fn entries_are_complete_and_checks_are_dated_and_explained() {
        let parties = [id(1)];
        let mut s = sheet(1);
        s.open_data[0].licence = String::new();
        let err = validate_sheets(&[s], id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityEntryIncomplete);
        assert_eq!(
            err.params()["field"],
            "interoperability[0].open_data[0].licence"
        );

        let mut s = sheet(1);
        s.checks = vec![InteropCheck {
            aspect: InteropAspect::Hosting,
            checked_on: day(11),
            outcome: CheckOutcome::Confirmed,
            note: String::new(),
        }];
        let err =
            validate_sheets(std::slice::from_ref(&s), id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityCheckAhead);
        assert!(validate_sheets(std::slice::from_ref(&s), id(SERVICE), &parties, day(11)).is_ok());

        s.checks[0].outcome = CheckOutcome::Partial;
        let err =
            validate_sheets(std::slice::from_ref(&s), id(SERVICE), &parties, day(11)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityCheckNoteMissing);
        s.checks[0].note = "Les données restent en Belgique, la sauvegarde aux Pays-Bas.".into();
        assert!(validate_sheets(std::slice::from_ref(&s), id(SERVICE), &parties, day(11)).is_ok());
        s.checks.push(s.checks[0].clone());
        let err = validate_sheets(&[s], id(SERVICE), &parties, day(11)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityEntryDuplicate);

        let mut s = sheet(1);
        s.citizen_identity = vec![CitizenIdentity::Csam, CitizenIdentity::Csam];
        let err = validate_sheets(&[s], id(SERVICE), &parties, day(11)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityEntryDuplicate);
    }

    #[test]
    fn a_solution_links_to_others_each_once_never_to_itself() {
        let parties = [id(1)];
        let other = Solution {
            service_id: id(200),
            provider_id: id(7),
        };
        let link = |with| SolutionLink {
            with,
            how: "Les demandes payées arrivent en comptabilité.".into(),
            checked_on: Some(day(3)),
        };
        let mut s = sheet(1);
        s.works_with = vec![link(other)];
        assert!(validate_sheets(std::slice::from_ref(&s), id(SERVICE), &parties, day(10)).is_ok());
        s.works_with.push(link(other));
        let err = validate_sheets(&[s], id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityEntryDuplicate);
        let mut s = sheet(1);
        s.works_with = vec![link(Solution {
            service_id: id(SERVICE),
            provider_id: id(1),
        })];
        let err =
            validate_sheets(std::slice::from_ref(&s), id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityLinkToItself);
        s.works_with = vec![link(other)];
        s.works_with[0].checked_on = Some(day(20));
        let err = validate_sheets(&[s], id(SERVICE), &parties, day(10)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InteroperabilityCheckAhead);
    }

    #[test]
    fn a_commune_sees_which_candidates_fit_what_it_runs_whichever_sheet_declares_it() {
        let guichet_a = Solution {
            service_id: id(SERVICE),
            provider_id: id(1),
        };
        let guichet_b = Solution {
            service_id: id(SERVICE),
            provider_id: id(2),
        };
        let payment = Solution {
            service_id: id(200),
            provider_id: id(7),
        };
        let app = Solution {
            service_id: id(300),
            provider_id: id(8),
        };
        let mut index = SheetIndex::default();
        let mut a = sheet(1);
        a.works_with = vec![SolutionLink {
            with: payment,
            how: "Paiement des demandes".into(),
            checked_on: None,
        }];
        index.add(id(SERVICE), &[a, sheet(2)]);
        let mut app_sheet = sheet(8);
        // The app's sheet declares the link to guichet B; guichet B's own sheet does not.
        app_sheet.works_with = vec![SolutionLink {
            with: guichet_b,
            how: "Demandes depuis l'application".into(),
            checked_on: Some(day(2)),
        }];
        index.add(id(300), &[app_sheet]);

        let running = [payment, app, payment, guichet_a];
        let fits_a = fits_with(&index, guichet_a, &running);
        assert_eq!(fits_a.len(), 1);
        assert_eq!(fits_a[0].with, payment);
        assert_eq!(fits_a[0].declared_by, guichet_a);
        assert_eq!(fits_a[0].checked_on, None);
        let fits_b = fits_with(&index, guichet_b, &running);
        assert_eq!(fits_b.len(), 1);
        assert_eq!(fits_b[0].with, app);
        assert_eq!(fits_b[0].declared_by, app);
        assert_eq!(fits_b[0].checked_on, Some(day(2)));
        // A solution of the same service replaces, it does not fit with.
        assert!(fits_with(&index, guichet_b, &[guichet_a]).is_empty());
    }
}
