//! The catalogue and the codes agree: every code has a French sentence, every placeholder is a
//! parameter the code declares, and every refusal renders without a placeholder left.

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::adhesion::AdhesionStatus;
use crate::deployment::MilestoneKind;
use crate::messages::{fr, placeholders, render_fr};
use crate::money::Cents;
use crate::order::OrderStatus;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn every_code_has_a_french_message() {
    for code in ErrorCode::ALL {
        assert!(
            fr().errors.contains_key(code.as_str()),
            "no French message for {code} in messages/fr.json"
        );
    }
}

#[test]
fn every_catalogue_entry_is_a_code() {
    for key in fr().errors.keys() {
        let code = key.split('.').next().unwrap_or(key);
        assert!(
            ErrorCode::parse(code).is_some(),
            "{key}: no ErrorCode {code}"
        );
    }
}

#[test]
fn every_placeholder_is_a_declared_parameter() {
    for (key, template) in &fr().errors {
        let code = ErrorCode::parse(key.split('.').next().unwrap_or(key)).unwrap();
        for name in placeholders(template) {
            assert!(
                name == "field" || code.param_names().contains(&name),
                "{key}: placeholder {{{name}}} is not a parameter of {code}"
            );
        }
    }
}

#[test]
fn codes_have_one_name_on_the_wire() {
    let mut seen = std::collections::BTreeSet::new();
    for code in ErrorCode::ALL {
        assert_eq!(json!(code), json!(code.as_str()));
        assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
        assert!(seen.insert(code.as_str()), "{code} twice");
    }
}

/// One example of every typed variant (and a few rules): each renders a full sentence
/// (no placeholder left) and only with parameters its code declares.
fn examples() -> Vec<DomainError> {
    let at = Utc.with_ymd_and_hms(2027, 3, 14, 11, 0, 0).unwrap();
    vec![
        DomainError::rule(ErrorCode::NoOfferToAward),
        DomainError::field(ErrorCode::OrderTitleInvalid, "title").with("max_chars", 200),
        DomainError::invalid("title", "Message entier."),
        DomainError::InvalidTransition {
            action: "order.submit",
            state: RecordState::Order(OrderStatus::Submitted),
        },
        DomainError::InvalidTransition {
            action: "adhesion.sign",
            state: RecordState::Adhesion(AdhesionStatus::SignedByCommune),
        },
        DomainError::AdhesionNotActive { status: None },
        DomainError::AdhesionNotActive {
            status: Some(AdhesionStatus::Draft),
        },
        DomainError::FrameworkNotInForce {
            reference: "AC-2026-01".into(),
            start: date(2026, 1, 1),
            end: date(2029, 12, 31),
        },
        DomainError::CallOffMethodNotAllowed(CallOffAsked::Competition),
        DomainError::CallOffMethodNotAllowed(CallOffAsked::DirectAward),
        DomainError::PriceAboveCeiling {
            line: "Licence".into(),
            code: "LIC".into(),
            price: Cents(450_000),
            ceiling: Cents(400_000),
        },
        DomainError::DeadlinePassed { deadline: at },
        DomainError::OffersSealed { deadline: at },
        DomainError::AwardNotFollowingRanking {
            expected: "Nuagix".into(),
            expected_provider_id: Uuid::nil(),
        },
        DomainError::NotAllowed("Message entier.".into()),
        DomainError::Forbidden {
            act: Act::SignAdhesion,
            role: Role::CommuneStaff,
        },
        DomainError::NotFound,
        DomainError::DeadlineTooSoon {
            min_days: 10,
            earliest: at,
        },
        DomainError::DeadlineAfterFrameworkEnd {
            end: date(2029, 12, 31),
        },
        DomainError::DecisionBeforeOffers {
            date: date(2027, 3, 1),
            earliest: date(2027, 3, 2),
            what: "offers_opened",
        },
        DomainError::DateOutOfRange {
            field: "date".into(),
            what: "milestone_actual_date",
            date: date(2040, 1, 1),
            earliest: date(2027, 1, 1),
            latest: date(2027, 3, 14),
        },
        DomainError::ProviderNotParty {
            provider: Uuid::nil(),
        },
        DomainError::ModificationWithoutReviewClause {
            change: Widening::CeilingRaised {
                line: "LIC".into(),
                label: "Licence".into(),
                before: Cents(100),
                after: Cents(200),
            },
        },
        DomainError::ModificationWithoutReviewClause {
            change: Widening::LineAdded {
                line: "LIC".into(),
                label: "Licence".into(),
            },
        },
        DomainError::ModificationWithoutReviewClause {
            change: Widening::EndExtended {
                before: date(2029, 12, 31),
                after: date(2030, 6, 30),
            },
        },
        DomainError::LegalBasisMissing,
        DomainError::DecisionOrganNotCompetent {
            field: "decision.organ".into(),
            act: crate::adhesion::DecidingAct::Award,
            organ: "conseil",
        },
        DomainError::FinancialOpinionMissing {
            field: "decision.financial_opinion".into(),
            amount_incl_vat: crate::money::Cents(2_500_000),
        },
        DomainError::LaunchDecisionMissing,
        DomainError::BudgetArticleMissing,
        DomainError::TerminationReasonDiffers {
            reason: "Fusion de communes".into(),
        },
        DomainError::ConflictDeclarationMissing,
        DomainError::ConflictStatementChanged,
        DomainError::MotivationTooShort {
            field: "reason",
            min_chars: 20,
            max_chars: 10_000,
        },
        DomainError::DeadlineNotLater {
            current: Utc.with_ymd_and_hms(2027, 3, 20, 11, 0, 0).unwrap(),
        },
        DomainError::ProviderSuspended {
            provider: Uuid::nil(),
        },
        DomainError::QuestionAlreadyAnswered {
            question: Uuid::nil(),
        },
        DomainError::WithdrawalBeforeLaunch {
            date: date(2027, 3, 1),
            earliest: date(2027, 3, 5),
        },
        DomainError::MaximumValueExceeded {
            reference: "CA-2025-01".into(),
            maximum: Cents(100_000_000),
            consumed: Cents(99_000_000),
            amount: Cents(2_000_000),
        },
        DomainError::MaximumValueMissing,
        DomainError::DirectCallOffConditionsMissing,
        DomainError::NotDesignatedProvider {
            expected: Uuid::nil(),
        },
        DomainError::CallOffThreshold {
            direct: true,
            amount: Cents(500_000),
            up_to: Cents(1_000_000),
        },
        DomainError::CallOffThreshold {
            direct: false,
            amount: Cents(1_500_000),
            up_to: Cents(1_000_000),
        },
        DomainError::GuaranteePeriodRunning {
            months: 12,
            provisional: date(2027, 3, 1),
            earliest: date(2028, 3, 1),
        },
        DomainError::ContractMonthsOutOfRange {
            months: 60,
            max: 48,
        },
        DomainError::ModificationWithoutReviewClause {
            change: Widening::ContractLengthened {
                before: 36,
                after: 48,
            },
        },
        DomainError::ModificationWithoutReviewClause {
            change: Widening::PriceFormulaChanged {
                before: crate::evaluation::PriceFormula::Relative,
                after: crate::evaluation::PriceFormula::AgainstCeiling,
            },
        },
    ]
}

/// Exhaustive on purpose: a new variant does not compile until it is listed here, the reminder
/// to give it an example above.
fn has_example(e: &DomainError) -> bool {
    match e {
        DomainError::Rule { .. }
        | DomainError::Invalid { .. }
        | DomainError::InvalidTransition { .. }
        | DomainError::AdhesionNotActive { .. }
        | DomainError::FrameworkNotInForce { .. }
        | DomainError::CallOffMethodNotAllowed(_)
        | DomainError::PriceAboveCeiling { .. }
        | DomainError::DeadlinePassed { .. }
        | DomainError::OffersSealed { .. }
        | DomainError::AwardNotFollowingRanking { .. }
        | DomainError::NotAllowed(_)
        | DomainError::Forbidden { .. }
        | DomainError::NotFound
        | DomainError::DeadlineTooSoon { .. }
        | DomainError::DeadlineAfterFrameworkEnd { .. }
        | DomainError::DecisionBeforeOffers { .. }
        | DomainError::DateOutOfRange { .. }
        | DomainError::ProviderNotParty { .. }
        | DomainError::ModificationWithoutReviewClause { .. }
        | DomainError::LegalBasisMissing
        | DomainError::DecisionOrganNotCompetent { .. }
        | DomainError::FinancialOpinionMissing { .. }
        | DomainError::LaunchDecisionMissing
        | DomainError::BudgetArticleMissing
        | DomainError::TerminationReasonDiffers { .. }
        | DomainError::ConflictDeclarationMissing
        | DomainError::ConflictStatementChanged
        | DomainError::MotivationTooShort { .. }
        | DomainError::DeadlineNotLater { .. }
        | DomainError::ProviderSuspended { .. }
        | DomainError::QuestionAlreadyAnswered { .. }
        | DomainError::WithdrawalBeforeLaunch { .. }
        | DomainError::MaximumValueExceeded { .. }
        | DomainError::MaximumValueMissing
        | DomainError::DirectCallOffConditionsMissing
        | DomainError::NotDesignatedProvider { .. }
        | DomainError::CallOffThreshold { .. }
        | DomainError::GuaranteePeriodRunning { .. }
        | DomainError::ContractMonthsOutOfRange { .. } => true,
    }
}

#[test]
fn every_refusal_renders_a_full_sentence_from_raw_parameters() {
    for e in examples() {
        assert!(has_example(&e));
        let code = e.code();
        let params = e.params();
        for name in params.as_object().unwrap().keys() {
            assert!(
                name == "field" || code.param_names().contains(&name.as_str()),
                "{code}: parameter {name} not declared"
            );
        }
        let text = e.to_string();
        assert!(!placeholders(&text).iter().any(|_| true), "{code}: {text}");
        assert!(!text.is_empty() && text != code.as_str(), "{code}: {text}");
        assert_eq!(text, render_fr(code, &params));
    }
}

#[test]
fn parameters_are_raw_and_the_sentence_formats_them() {
    let at = Utc.with_ymd_and_hms(2027, 3, 14, 11, 0, 0).unwrap();
    // Law of 17 June 2016 art. 43: the earliest deadline travels as an instant, shown in Brussels.
    let e = DomainError::DeadlineTooSoon {
        min_days: 10,
        earliest: at,
    };
    assert_eq!(e.params()["earliest"], json!(at));
    assert!(
        e.to_string().contains("à partir du 14/03/2027 à 12:00"),
        "{e}"
    );
    let e = DomainError::PriceAboveCeiling {
        line: "Licence".into(),
        code: "LIC".into(),
        price: Cents(450_000),
        ceiling: Cents(400_000),
    };
    assert_eq!(e.params()["price_cents"], 450_000);
    assert!(e.to_string().contains("4\u{202f}500,00\u{a0}€ HTVA"), "{e}");
    let e = DomainError::FrameworkNotInForce {
        reference: "AC".into(),
        start: date(2026, 1, 1),
        end: date(2029, 12, 31),
    };
    assert_eq!(e.params()["end"], "2029-12-31");
    assert!(e.to_string().contains("du 01/01/2026 au 31/12/2029"), "{e}");
}

#[test]
fn a_forbidden_act_names_the_role_and_who_may() {
    let e = DomainError::Forbidden {
        act: Act::SignAdhesion,
        role: Role::CommuneStaff,
    };
    assert_eq!(e.params()["act"], "sign_adhesion");
    assert_eq!(
        e.params()["allowed_roles"],
        json!(["director_general", "mayor"])
    );
    assert_eq!(
        e.to_string(),
        "Votre compte (agent communal) ne permet pas de signer la convention au nom de la commune. Cette action est réservée à : directeur général, bourgmestre."
    );
}

#[test]
fn an_invalid_transition_names_the_state_and_what_to_do() {
    let e = DomainError::InvalidTransition {
        action: "order.submit",
        state: RecordState::Order(OrderStatus::Submitted),
    };
    assert_eq!(
        e.params(),
        json!({"kind": "order", "action": "order.submit", "order_status": "submitted"})
    );
    assert_eq!(
        e.to_string(),
        "Cette action n'est pas possible : la commande est « demande envoyée à la centrale ». Cette demande a déjà été envoyée."
    );
}

#[test]
fn a_rule_carries_its_field_and_parameters() {
    let e = DomainError::field(ErrorCode::ReasonLengthInvalid, "reason")
        .with("min_chars", 5)
        .with("max_chars", 2000);
    assert_eq!(e.code(), "reason_length_invalid");
    assert_eq!(e.field_name().as_deref(), Some("reason"));
    assert_eq!(
        e.to_string(),
        "Indiquez le motif en une phrase (5 à 2\u{202f}000 caractères)."
    );
}

/// The catalogue's labels are the words the domain uses elsewhere (`label_fr`).
#[test]
fn labels_match_the_domain_words() {
    let labels = &fr().labels;
    for role in [
        Role::DirectorGeneral,
        Role::Mayor,
        Role::CommuneStaff,
        Role::CentraleStaff,
        Role::ProviderUser,
    ] {
        assert_eq!(labels["role"][role.as_str()], role.label_fr());
    }
    for kind in MilestoneKind::ALL {
        let name = json!(kind);
        assert_eq!(labels["milestone"][name.as_str().unwrap()], kind.label_fr());
    }
    for status in [
        AdhesionStatus::Draft,
        AdhesionStatus::SignedByCommune,
        AdhesionStatus::Countersigned,
        AdhesionStatus::Active,
        AdhesionStatus::Terminated,
    ] {
        let name = json!(status);
        assert_eq!(
            labels["adhesion_status"][name.as_str().unwrap()],
            status.label_fr()
        );
    }
    for status in [
        OrderStatus::Draft,
        OrderStatus::Submitted,
        OrderStatus::CompetitionOpen,
        OrderStatus::OffersOpened,
        OrderStatus::Evaluated,
        OrderStatus::Awarded,
        OrderStatus::PurchaseOrderIssued,
        OrderStatus::Deploying,
        OrderStatus::ProvisionallyAccepted,
        OrderStatus::FinallyAccepted,
        OrderStatus::Cancelled,
        OrderStatus::Withdrawn,
        OrderStatus::NoOffer,
    ] {
        let name = json!(status);
        assert_eq!(
            labels["order_status"][name.as_str().unwrap()],
            status.label_fr()
        );
    }
    for act in [
        Act::StartAdhesion,
        Act::RecordAdhesionDecision,
        Act::SignAdhesion,
        Act::CountersignAdhesion,
        Act::ActivateAdhesion,
        Act::TerminateAdhesion,
        Act::RecordSubstitution,
        Act::EndSubstitution,
        Act::CreateOrderDraft,
        Act::UpdateOrderDraft,
        Act::DeleteOrderDraft,
        Act::SubmitOrder,
        Act::CancelOrder,
        Act::WithdrawOrder,
        Act::LaunchCompetition,
        Act::OpenOffers,
        Act::EvaluateOffers,
        Act::AwardOrder,
        Act::DirectAwardOrder,
        Act::IssuePurchaseOrder,
        Act::AcceptOrder,
        Act::SubmitOffer,
        Act::UpdateMilestone,
        Act::AcknowledgeMilestone,
        Act::RequestReplan,
        Act::DecideReplan,
        Act::RegisterProvider,
        Act::PublishFrameworkVersion,
        Act::AddService,
        Act::ReadFailedMail,
        Act::UploadFrameworkDocument,
        Act::ReadDocuments,
        Act::TrackFrameworks,
    ] {
        assert_eq!(labels["act"][&act_name(act)], act.label_fr(), "{act:?}");
    }
}

#[test]
fn a_missing_label_shows_the_raw_value() {
    let text = fr().fill("{what}", &json!({"what": "Une date"}));
    assert_eq!(text, "Une date");
    let text = fr().fill("{missing} {x", &json!({}));
    assert_eq!(text, "{missing} {x");
}
