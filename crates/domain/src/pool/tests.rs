use super::*;
use crate::catalogue::CallOffMethod;
use crate::fixtures::{date, now, sample_terms};

fn framework() -> FrameworkAgreement {
    let mut f = FrameworkAgreement {
        id: Uuid::from_u128(10),
        service_id: Uuid::from_u128(11),
        reference: "CA-2025-01".into(),
        title_fr: "E-guichet".into(),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![],
    };
    f.publish(sample_terms(&[Uuid::from_u128(1), Uuid::from_u128(2)]))
        .unwrap();
    f
}

fn service() -> Service {
    Service {
        id: Uuid::from_u128(11),
        code: "e-guichet".into(),
        name_fr: "E-guichet".into(),
        summary_fr: "Un guichet en ligne.".into(),
        description_fr: "Un guichet en ligne.".into(),
        category_fr: "Services".into(),
        framework_id: Uuid::from_u128(10),
        added_on: None,
        from_need: None,
    }
}

fn draft(join_until: NaiveDate) -> PoolDraft {
    PoolDraft {
        service_id: Uuid::from_u128(11),
        title: "E-guichet groupé".into(),
        description: "Un e-guichet commun pour l'état civil.".into(),
        join_until,
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> &'static str {
    r.unwrap_err().code().as_str()
}

#[test]
fn a_pool_is_opened_on_a_framework_in_force_with_a_joining_date_ahead() {
    let (f, s) = (framework(), service());
    let today = crate::time::brussels_today(now());
    let ok = create(Uuid::from_u128(5), &draft(today), &s, &f, "Centrale", now()).unwrap();
    assert_eq!(ok.phase(&[], today), PoolPhase::Joining);
    assert_eq!(
        ok.phase(&[], today.succ_opt().unwrap()),
        PoolPhase::JoiningClosed
    );
    assert_eq!(
        code(create(
            Uuid::from_u128(5),
            &draft(today.pred_opt().unwrap()),
            &s,
            &f,
            "Centrale",
            now()
        )),
        "pool_join_until_invalid"
    );
    assert_eq!(
        code(create(
            Uuid::from_u128(5),
            &draft(date(2040, 1, 1)),
            &s,
            &f,
            "Centrale",
            now()
        )),
        "pool_join_until_invalid"
    );
    let short = PoolDraft {
        title: "Ab".into(),
        ..draft(today)
    };
    assert_eq!(
        code(create(
            Uuid::from_u128(5),
            &short,
            &s,
            &f,
            "Centrale",
            now()
        )),
        "pool_title_length"
    );
    let direct = FrameworkAgreement {
        call_off_method: CallOffMethod::Direct,
        ..f.clone()
    };
    assert_eq!(
        code(create(
            Uuid::from_u128(5),
            &draft(today),
            &s,
            &direct,
            "Centrale",
            now()
        )),
        "call_off_method_not_allowed"
    );
}

#[test]
fn a_member_id_is_derived_so_a_replacement_keeps_it() {
    let (offer, order) = (Uuid::from_u128(1), Uuid::from_u128(2));
    assert_eq!(member_offer_id(offer, order), member_offer_id(offer, order));
    assert_ne!(
        member_offer_id(offer, order),
        member_offer_id(offer, Uuid::from_u128(3))
    );
}
