//! The catalogue screens: the services with their framework agreement, and one service in
//! detail with the terms in force and a cost estimate for the signed-in commune.

use std::collections::HashMap;

use centrale_domain::catalogue::{
    estimate_cost, CallOffMethod, CriterionKind, DesignationRule, FrameworkAgreement,
    FrameworkTerms, Provider, ProviderStatus, Recurrence, Service,
};
use centrale_domain::commune::Commune;
use centrale_domain::money::{Amount, Cents};
use centrale_domain::order::Order;
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::live::{self, Live};
use crate::error::Result;

/// What the catalogue screen filters on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceFilter {
    /// Words to find in the name, summary, description, category or code; case and accents
    /// do not matter, every word must be found.
    #[serde(default)]
    pub text: Option<String>,
    /// Only this category (case and accents do not matter).
    #[serde(default)]
    pub category: Option<String>,
}

/// Why no call-off can be made today under a service's framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CallOffBlocker {
    /// The framework agreement is not on this PC (yet).
    FrameworkMissing,
    /// The framework has no published terms.
    NoTermsPublished,
    /// The framework's period has not started.
    NotStarted,
    /// The framework's end date has passed.
    Ended,
    /// Every provider of the framework is suspended.
    NoActiveProvider,
}

/// One line of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceRow {
    /// Service id.
    pub id: Uuid,
    /// Stable code, e.g. `e-guichet`.
    pub code: String,
    /// Name (French).
    pub name: String,
    /// One sentence (French).
    pub summary: String,
    /// Category (French).
    pub category: String,
    /// The framework agreement.
    pub framework_id: Uuid,
    /// Its reference, when the framework is on this PC.
    pub framework_reference: Option<String>,
    /// First day of the framework (terms in force).
    pub start_date: Option<NaiveDate>,
    /// Last day a call-off may be made (terms in force).
    pub end_date: Option<NaiveDate>,
    /// Names of the framework's providers, in the framework's order.
    pub provider_names: Vec<String>,
    /// True when an order may be placed under the framework today.
    pub call_off_possible: bool,
    /// Why not, when it may not.
    pub call_off_blocker: Option<CallOffBlocker>,
    /// A local change not yet accepted by the server.
    pub pending: bool,
    /// For a commune: the solutions it already runs that a solution of this service works with
    /// (their names; issue 16 §1). Empty for other accounts.
    pub fits_running: Vec<String>,
    /// The day the centrale added it to the catalogue (none: a founding service; issue 16 §3).
    pub added_on: Option<NaiveDate>,
    /// Added within `centrale_domain::survey::NEW_SERVICE_DAYS`: shown as new.
    pub is_new: bool,
    /// The need of a survey it answers.
    pub from_need: Option<centrale_domain::survey::NeedOrigin>,
}

/// A provider's place in the framework, with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkProviderView {
    /// Provider id.
    pub provider_id: Uuid,
    /// Legal name, when the provider is on this PC.
    pub name: Option<String>,
    /// BCE/KBO number as shown (`0123.456.749`).
    pub enterprise_number: Option<String>,
    /// Where invitations are sent.
    pub contact_email: Option<String>,
    /// Active or suspended.
    pub status: ProviderStatus,
}

/// One line of the price schedule with its ceiling excluding and including VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PriceLineView {
    /// Stable code within the framework.
    pub code: String,
    /// Label (French).
    pub label: String,
    /// Unit (French).
    pub unit: String,
    /// VAT rate in percent (21 for 21 %).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub vat_rate_percent: Decimal,
    /// Ceiling unit price excluding VAT.
    pub ceiling_excl_vat: Cents,
    /// Ceiling unit price including VAT.
    pub ceiling_incl_vat: Cents,
    /// Paid once, every year or every month of the contract.
    pub recurrence: Recurrence,
}

/// An award criterion and its weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CriterionView {
    /// Stable code.
    pub code: String,
    /// Label (French).
    pub label: String,
    /// Weight in points (the weights sum to 100).
    pub weight: u32,
    /// Scored by the price formula or by the commune.
    pub kind: CriterionKind,
}

/// A document of the framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentView {
    /// Title (French).
    pub title: String,
    /// Version label.
    pub version: String,
    /// File name.
    pub file_name: String,
    /// Hex SHA-256, so everyone can check they read the same document.
    pub sha256: String,
}

/// One version of a framework's terms, as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TermsView {
    /// Version number.
    pub version: u32,
    /// Publication (server time).
    pub published_at: DateTime<Utc>,
    /// Why it changed (French; empty for the first version).
    pub change_note: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day a call-off may be made.
    pub end_date: NaiveDate,
    /// Providers with their names and status.
    pub providers: Vec<FrameworkProviderView>,
    /// Price schedule.
    pub price_schedule: Vec<PriceLineView>,
    /// Award criteria and weights.
    pub criteria: Vec<CriterionView>,
    /// Documents.
    pub documents: Vec<DocumentView>,
    /// Contract duration of a call-off, in months (recurring lines are priced over it).
    pub contract_months: u32,
    /// Maximum value of the framework excluding VAT (none: not stated, records before the
    /// rule).
    pub max_value: Option<Cents>,
    /// How the price criterion is scored (issue 11 rule 8); the screens state it with the
    /// domain's sentence (`PRICE_FORMULAS` in `rules.ts`).
    pub price_formula: centrale_domain::evaluation::PriceFormula,
    /// The conditions of a call-off without competition (issue 11 rule 5); none: every order
    /// is put back in competition.
    pub direct_call_off: Option<DirectCallOffView>,
}

/// A party's place in the ranking of direct call-offs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RankedProviderView {
    /// 1 = best ranked.
    pub rank: u32,
    /// Provider id.
    pub provider_id: Uuid,
    /// Legal name, when the provider is on this PC.
    pub name: Option<String>,
}

/// The objective conditions of a call-off without competition written in the framework, as
/// the screens state them (Dir. 2014/24 art. 33(4)(a)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DirectCallOffView {
    /// Cascade or rotation.
    pub rule: DesignationRule,
    /// The parties in the framework's order.
    pub ranking: Vec<RankedProviderView>,
    /// With both methods: the amount (excl. VAT) up to which an order is placed directly.
    pub up_to: Option<Cents>,
}

/// A commune's previous direct call-off under the framework, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviousCallOffView {
    /// The order.
    pub order_id: Uuid,
    /// Its title.
    pub title: String,
    /// The provider it went to.
    pub provider_id: Uuid,
    /// Its name, when on this PC.
    pub provider_name: Option<String>,
    /// When it was awarded.
    pub awarded_at: DateTime<Utc>,
}

/// Who a commune's next direct call-off under the framework goes to, and why — decided by the
/// domain's `designation::designate` on the commune's orders this PC holds, as the
/// intercommunale decides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DesignationView {
    /// Cascade or rotation.
    pub rule: DesignationRule,
    /// The provider designated.
    pub provider_id: Uuid,
    /// Its name, when on this PC.
    pub provider_name: Option<String>,
    /// Its place in the ranking (1 = best ranked).
    pub rank: u32,
    /// With a rotation: the commune's previous direct call-off (none: its first).
    pub previous: Option<PreviousCallOffView>,
    /// Parties passed over because they cannot take a call-off now (suspended), by name.
    pub passed_over: Vec<String>,
    /// With both methods: the amount (excl. VAT) up to which an order is placed directly
    /// (above it, competition is reopened and nobody is designated).
    pub up_to: Option<Cents>,
}

/// The designation for `commune`'s next direct call-off under `framework`'s version `pinned`,
/// when the framework's method allows direct call-offs and a party can take one.
pub(crate) fn designation_view(
    conn: &Connection,
    framework: &FrameworkAgreement,
    pinned: u32,
    commune: &str,
    providers: &HashMap<Uuid, Provider>,
) -> Result<Option<DesignationView>> {
    if !framework.call_off_method.allows_direct() {
        return Ok(None);
    }
    let orders: Vec<Order> = live::of_kind::<Order>(conn, RecordKind::Order, Some(commune))?
        .into_iter()
        .map(|o| o.body)
        .collect();
    let name = |id: Uuid| providers.get(&id).map(|p| p.name.clone());
    let Ok(d) = centrale_domain::designation::designate(framework, pinned, commune, &orders) else {
        return Ok(None);
    };
    let up_to = match framework.call_off_method {
        CallOffMethod::Both => framework
            .version(pinned)
            .and_then(|t| t.direct_call_off.as_ref())
            .and_then(|c| c.up_to),
        _ => None,
    };
    Ok(Some(DesignationView {
        rule: d.rule,
        provider_id: d.provider_id,
        provider_name: name(d.provider_id),
        rank: d.rank,
        previous: d.previous.map(|p| PreviousCallOffView {
            order_id: p.order_id,
            provider_name: name(p.provider_id),
            title: p.title,
            provider_id: p.provider_id,
            awarded_at: p.awarded_at,
        }),
        passed_over: d
            .passed_over
            .iter()
            .map(|id| name(*id).unwrap_or_else(|| id.to_string()))
            .collect(),
        up_to,
    }))
}

/// A framework agreement with its terms in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkView {
    /// Framework id.
    pub id: Uuid,
    /// Reference, e.g. `CA-2025-01`.
    pub reference: String,
    /// Title (French).
    pub title: String,
    /// How orders are placed.
    pub call_off_method: CallOffMethod,
    /// How many versions were published.
    pub version_count: u32,
    /// The terms in force (the newest version).
    pub terms: TermsView,
}

/// One line of a cost estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EstimateLineView {
    /// Price line code.
    pub code: String,
    /// Label (French).
    pub label: String,
    /// Unit (French).
    pub unit: String,
    /// Estimated quantity for the commune.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
    /// Ceiling unit price excluding VAT.
    pub unit_ceiling_excl_vat: Cents,
    /// Times the line is paid over the contract (1 for a one-off line).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub periods: Decimal,
    /// Ceiling × quantity × periods, excluding and including VAT.
    pub amount: Amount,
}

/// What the service would cost the commune at the framework's ceilings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CostEstimate {
    /// The commune.
    pub commune_nis: String,
    /// Its name (French).
    pub commune_name: String,
    /// The population the estimate is based on.
    pub population: u32,
    /// Reference date of the population figure.
    pub population_date: NaiveDate,
    /// Per price line.
    pub lines: Vec<EstimateLineView>,
    /// Total.
    pub total: Amount,
}

/// One service in detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceDetail {
    /// The catalogue line.
    pub service: ServiceRow,
    /// A few sentences (French).
    pub description: String,
    /// The framework and its terms in force, when on this PC.
    pub framework: Option<FrameworkView>,
    /// The estimate for the signed-in commune (none for other accounts, or when the commune
    /// or the framework is not on this PC).
    pub estimate: Option<CostEstimate>,
    /// Who the signed-in commune's next direct call-off goes to, and why (issue 11 rule 5);
    /// none for other accounts, a framework without direct call-offs, or when no party can
    /// take one now.
    pub designation: Option<DesignationView>,
    /// The interoperability sheet of each party's solution under the terms in force, with,
    /// for a commune, what each works with among the solutions it runs (issue 16 §1).
    pub interoperability: Vec<super::interoperability::SolutionSheetView>,
}

/// Lowercase without diacritics, for searches that ignore case and accents.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '\u{2019}' => out.push('\''),
            // Combining marks (decomposed input).
            '\u{300}'..='\u{36f}' => {}
            other => out.push(other),
        }
    }
    out
}

impl ServiceFilter {
    fn matches(&self, service: &Service) -> bool {
        if let Some(category) = self.category.as_deref().map(str::trim) {
            if !category.is_empty() && fold(category) != fold(service.category_fr.trim()) {
                return false;
            }
        }
        let Some(text) = self.text.as_deref() else {
            return true;
        };
        let haystack = fold(&format!(
            "{} {} {} {} {}",
            service.name_fr,
            service.summary_fr,
            service.description_fr,
            service.category_fr,
            service.code
        ));
        fold(text)
            .split_whitespace()
            .all(|word| haystack.contains(word))
    }
}

fn call_off(framework: Option<&FrameworkAgreement>, today: NaiveDate) -> Option<CallOffBlocker> {
    let Some(framework) = framework else {
        return Some(CallOffBlocker::FrameworkMissing);
    };
    let Some(terms) = framework.versions.last() else {
        return Some(CallOffBlocker::NoTermsPublished);
    };
    if today < terms.start_date {
        Some(CallOffBlocker::NotStarted)
    } else if today > terms.end_date {
        Some(CallOffBlocker::Ended)
    } else if terms.active_providers().is_empty() {
        Some(CallOffBlocker::NoActiveProvider)
    } else {
        None
    }
}

fn row(
    service: &Live<Service>,
    framework: Option<&FrameworkAgreement>,
    providers: &HashMap<Uuid, Provider>,
    today: NaiveDate,
) -> ServiceRow {
    let s = &service.body;
    let terms = framework.and_then(|f| f.versions.last());
    let blocker = call_off(framework, today);
    ServiceRow {
        id: s.id,
        code: s.code.clone(),
        name: s.name_fr.clone(),
        summary: s.summary_fr.clone(),
        category: s.category_fr.clone(),
        framework_id: s.framework_id,
        framework_reference: framework.map(|f| f.reference.clone()),
        start_date: terms.map(|t| t.start_date),
        end_date: terms.map(|t| t.end_date),
        provider_names: terms
            .map(|t| {
                t.providers
                    .iter()
                    .filter_map(|p| providers.get(&p.provider_id).map(|p| p.name.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        call_off_possible: blocker.is_none(),
        call_off_blocker: blocker,
        pending: service.pending,
        fits_running: Vec::new(),
        added_on: s.added_on,
        is_new: centrale_domain::survey::is_new(s.added_on, today),
        from_need: s.from_need.clone(),
    }
}

/// The terms as shown, with provider names and VAT-inclusive ceilings.
pub(crate) fn terms_view(terms: &FrameworkTerms, providers: &HashMap<Uuid, Provider>) -> TermsView {
    TermsView {
        version: terms.version,
        published_at: terms.published_at,
        change_note: terms.change_note.clone(),
        start_date: terms.start_date,
        end_date: terms.end_date,
        providers: terms
            .providers
            .iter()
            .map(|fp| {
                let p = providers.get(&fp.provider_id);
                FrameworkProviderView {
                    provider_id: fp.provider_id,
                    name: p.map(|p| p.name.clone()),
                    enterprise_number: p.map(|p| p.enterprise_number.formatted()),
                    contact_email: p.map(|p| p.contact_email.clone()),
                    status: fp.status,
                }
            })
            .collect(),
        price_schedule: terms
            .price_schedule
            .iter()
            .map(|l| PriceLineView {
                code: l.code.clone(),
                label: l.label_fr.clone(),
                unit: l.unit_fr.clone(),
                vat_rate_percent: l.vat_rate.0,
                ceiling_excl_vat: l.ceiling_cents,
                ceiling_incl_vat: Amount::at_rate(l.ceiling_cents, l.vat_rate).incl_vat,
                recurrence: l.recurrence,
            })
            .collect(),
        criteria: terms
            .award_criteria
            .iter()
            .map(|c| CriterionView {
                code: c.code.clone(),
                label: c.label_fr.clone(),
                weight: c.weight,
                kind: c.kind,
            })
            .collect(),
        documents: terms
            .documents
            .iter()
            .map(|d| DocumentView {
                title: d.title_fr.clone(),
                version: d.version.clone(),
                file_name: d.file_name.clone(),
                sha256: d.sha256.clone(),
            })
            .collect(),
        contract_months: terms.contract_months,
        max_value: terms.max_value,
        price_formula: terms.price_formula,
        direct_call_off: terms.direct_call_off.as_ref().map(|c| DirectCallOffView {
            rule: c.rule,
            ranking: c
                .ranking
                .iter()
                .enumerate()
                .map(|(i, id)| RankedProviderView {
                    rank: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    provider_id: *id,
                    name: providers.get(id).map(|p| p.name.clone()),
                })
                .collect(),
            up_to: c.up_to,
        }),
    }
}

fn frameworks(conn: &Connection) -> Result<HashMap<Uuid, FrameworkAgreement>> {
    Ok(
        live::of_kind::<FrameworkAgreement>(conn, RecordKind::Framework, None)?
            .into_iter()
            .map(|f| (f.body.id, f.body))
            .collect(),
    )
}

/// The catalogue, filtered, sorted by name.
pub(crate) fn services(
    conn: &Connection,
    filter: &ServiceFilter,
    today: NaiveDate,
) -> Result<Vec<ServiceRow>> {
    let frameworks = frameworks(conn)?;
    let providers = live::providers(conn)?;
    let running = super::interoperability::running(conn)?;
    let sheets = if running.is_empty() {
        None
    } else {
        Some(super::interoperability::Catalogue::read(conn)?)
    };
    let mut rows: Vec<(String, ServiceRow)> = live::services(conn)?
        .iter()
        .filter(|s| filter.matches(&s.body))
        .map(|s| {
            let framework = frameworks.get(&s.body.framework_id);
            let mut r = row(s, framework, &providers, today);
            if let (Some(sheets), Some(terms)) =
                (&sheets, framework.and_then(|f| f.versions.last()))
            {
                r.fits_running = sheets.fitting_names(s.body.id, terms, &running);
            }
            (fold(&s.body.name_fr), r)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// The categories of the catalogue, sorted, each once.
pub(crate) fn categories(conn: &Connection) -> Result<Vec<String>> {
    let mut categories: Vec<(String, String)> = live::services(conn)?
        .into_iter()
        .map(|s| (fold(&s.body.category_fr), s.body.category_fr))
        .collect();
    categories.sort();
    categories.dedup_by(|a, b| a.0 == b.0);
    Ok(categories.into_iter().map(|(_, c)| c).collect())
}

/// One service with its framework's terms in force and the signed-in commune's estimate.
pub(crate) fn service_detail(
    conn: &Connection,
    service_id: Uuid,
    today: NaiveDate,
) -> Result<Option<ServiceDetail>> {
    let Some(service) = live::one::<Service>(conn, RecordKind::Service, &service_id.to_string())?
    else {
        return Ok(None);
    };
    let framework = live::one::<FrameworkAgreement>(
        conn,
        RecordKind::Framework,
        &service.body.framework_id.to_string(),
    )?
    .map(|f| f.body);
    let providers = live::providers(conn)?;
    let scope = live::commune_scope(conn)?;
    let commune = match &scope {
        Some(nis) => live::one::<Commune>(conn, RecordKind::Commune, nis)?.map(|c| c.body),
        None => None,
    };
    let designation = match (&framework, &scope) {
        (Some(f), Some(nis)) => match f.versions.last() {
            Some(terms) => designation_view(conn, f, terms.version, nis, &providers)?,
            None => None,
        },
        _ => None,
    };
    let terms = framework.as_ref().and_then(|f| f.versions.last());
    let interoperability = match terms {
        Some(terms) => {
            let running = super::interoperability::running(conn)?;
            super::interoperability::Catalogue::read(conn)?.views(service.body.id, terms, &running)
        }
        None => vec![],
    };
    let estimate = match (terms, commune) {
        (Some(terms), Some(commune)) => Some(estimate(terms, &commune)),
        _ => None,
    };
    Ok(Some(ServiceDetail {
        service: row(&service, framework.as_ref(), &providers, today),
        description: service.body.description_fr.clone(),
        framework: framework.as_ref().and_then(|f| {
            f.versions.last().map(|terms| FrameworkView {
                id: f.id,
                reference: f.reference.clone(),
                title: f.title_fr.clone(),
                call_off_method: f.call_off_method,
                version_count: u32::try_from(f.versions.len()).unwrap_or(u32::MAX),
                terms: terms_view(terms, &providers),
            })
        }),
        estimate,
        designation,
        interoperability,
    }))
}

fn estimate(terms: &FrameworkTerms, commune: &Commune) -> CostEstimate {
    let (lines, total) = estimate_cost(terms, commune.population);
    CostEstimate {
        commune_nis: commune.nis_code.to_string(),
        commune_name: commune.name_fr.clone(),
        population: commune.population,
        population_date: commune.population_date,
        lines: lines
            .into_iter()
            .map(|line| {
                let schedule = terms.price_line(&line.code);
                EstimateLineView {
                    label: schedule.map(|s| s.label_fr.clone()).unwrap_or_default(),
                    unit: schedule.map(|s| s.unit_fr.clone()).unwrap_or_default(),
                    unit_ceiling_excl_vat: schedule.map_or(Cents::ZERO, |s| s.ceiling_cents),
                    code: line.code,
                    quantity: line.quantity,
                    periods: line.periods,
                    amount: line.amount,
                }
            })
            .collect(),
        total,
    }
}
