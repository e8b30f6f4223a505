//! Sample data for the tests of this crate and of the crates above it (feature `fixtures`).
//! Never used by production code.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::catalogue::{
    AwardCriterion, CriterionKind, FrameworkProvider, FrameworkTerms, PriceLine, ProviderStatus,
    QuantityEstimate, Recurrence,
};
use crate::deployment::MilestonePlan;
use crate::money::{Cents, VatRate};

/// The tests' instant: 29 November 2026, 09:00 UTC (the server seed's time).
pub fn now() -> DateTime<Utc> {
    use chrono::TimeZone;
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap()
}

/// An account of `role`: of commune 84009 for a commune role, of provider `Uuid::from_u128(1)`
/// for a provider's, named after its role.
pub fn actor(
    role: crate::role::Role,
    gender: crate::signatory::Gender,
) -> crate::permission::Actor {
    crate::permission::Actor {
        user_id: format!("{role:?}"),
        display_name: format!("{role:?}"),
        role,
        commune_nis: role.is_commune().then(|| "84009".to_string()),
        provider_id: (role == crate::role::Role::ProviderUser).then_some(Uuid::from_u128(1)),
        gender,
    }
}

/// A date (panics on an impossible one: fixtures are written by hand).
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The maximum value of the sample terms: 10 000 000,00 € excluding VAT (never reached by the
/// tests that do not test it).
pub const SAMPLE_MAX_VALUE_CENTS: i64 = 1_000_000_000;

/// Framework terms as most tests need them: 1 March 2025 to 28 February 2029, price 60 and
/// quality 40, a set-up line (4 500,00 € ceiling) and a licence line per 1 000 inhabitants
/// (180,00 € ceiling), each provider given active.
pub fn sample_terms(providers: &[Uuid]) -> FrameworkTerms {
    FrameworkTerms {
        version: 1,
        published_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap(),
        change_note: String::new(),
        start_date: date(2025, 3, 1),
        end_date: date(2029, 2, 28),
        providers: providers
            .iter()
            .map(|id| FrameworkProvider {
                provider_id: *id,
                status: ProviderStatus::Active,
            })
            .collect(),
        award_criteria: vec![
            AwardCriterion {
                code: "price".into(),
                label_fr: "Prix".into(),
                weight: 60,
                kind: CriterionKind::Price,
            },
            AwardCriterion {
                code: "quality".into(),
                label_fr: "Qualité".into(),
                weight: 40,
                kind: CriterionKind::Quality,
            },
        ],
        price_schedule: vec![
            PriceLine {
                code: "setup".into(),
                label_fr: "Mise en service".into(),
                unit_fr: "forfait".into(),
                ceiling_cents: Cents(450_000),
                vat_rate: VatRate::standard(),
                estimate: QuantityEstimate::Fixed {
                    quantity: Decimal::ONE,
                },
                recurrence: Recurrence::OneOff,
            },
            PriceLine {
                code: "licence".into(),
                label_fr: "Licence annuelle".into(),
                unit_fr: "par 1 000 habitants".into(),
                ceiling_cents: Cents(18_000),
                vat_rate: VatRate::standard(),
                estimate: QuantityEstimate::PerInhabitants { per: 1000 },
                recurrence: Recurrence::OneOff,
            },
        ],
        documents: vec![],
        milestone_plan: MilestonePlan::standard(),
        legal_basis: None,
        contract_months: 48,
        max_value: Some(Cents(SAMPLE_MAX_VALUE_CENTS)),
        direct_call_off: None,
        guarantee_months: 0,
        price_formula: crate::evaluation::PriceFormula::Relative,
        interoperability: vec![],
    }
}

/// An active adhesion of `commune`: the conseil's decision of 2 November 2026 (after the
/// directeur financier's opinion of the same day) recorded on 29 November 2026, signed by the
/// directeur général and the bourgmestre, countersigned and activated at `at` — a commune that
/// may order.
pub fn active_adhesion(commune: &str, at: DateTime<Utc>) -> crate::adhesion::Adhesion {
    use crate::adhesion::{
        Adhesion, ConventionTemplate, Decision, FinancialOpinion, OpinionKind, Organ, Signature,
    };
    use crate::role::Role;
    let t = ConventionTemplate::new(Uuid::nil(), 1, "C".into(), "texte".into());
    let mut a = Adhesion::draft(Uuid::now_v7(), commune, &t);
    let day = date(2026, 11, 2);
    a.record_college_decision(
        Decision {
            organ: Organ::Conseil,
            reference: "COL/2026/99".into(),
            date: day,
            financial_opinion: Some(FinancialOpinion {
                reference: "DF/2026/7".into(),
                date: day,
                kind: OpinionKind::Favourable,
            }),
        },
        date(2026, 11, 29),
    )
    .unwrap();
    let signature = |user: &str, role: Role| Signature {
        user_id: user.into(),
        name: user.into(),
        role,
        signed_at: at,
        text_sha256: t.sha256.clone(),
        capacity: Default::default(),
        title: String::new(),
        substitution: None,
    };
    a.sign(signature("dg", Role::DirectorGeneral)).unwrap();
    a.sign(signature("b", Role::Mayor)).unwrap();
    a.countersign(signature("c", Role::CentraleStaff)).unwrap();
    a.activate(at).unwrap();
    a
}

/// A needs survey of one theme and one several-choices question, `mobilite` (`parking`,
/// `velos`), answered until `closes_on`.
pub fn mobility_survey(
    title: &str,
    closes_on: NaiveDate,
    required: bool,
) -> crate::survey::SurveyDraft {
    use crate::survey::{QuestionKind, SurveyChoice, SurveyDraft, SurveyQuestion, SurveyTheme};
    SurveyDraft {
        title: title.into(),
        intro: String::new(),
        closes_on,
        themes: vec![SurveyTheme {
            title_fr: "Mobilité".into(),
            questions: vec![SurveyQuestion {
                code: "mobilite".into(),
                text_fr: "Quels services de mobilité vous manquent ?".into(),
                help_fr: String::new(),
                required,
                kind: QuestionKind::Choice {
                    choices: ["parking", "velos"]
                        .map(|c| SurveyChoice {
                            code: c.into(),
                            label_fr: c.to_uppercase(),
                        })
                        .to_vec(),
                    multiple: true,
                },
            }],
        }],
    }
}
