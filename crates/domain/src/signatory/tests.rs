//! Who signs (CDLD L1132-3) and their substitutes (CDLD L1123-5, L1132-4, DG f.f.).

use super::*;
use crate::adhesion::{Adhesion, ConventionTemplate, Organ, Signature};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn actor(id: &str, role: Role, nis: &str, gender: Gender) -> Actor {
    Actor {
        user_id: id.into(),
        display_name: id.into(),
        role,
        commune_nis: Some(nis.into()),
        provider_id: None,
        gender,
    }
}

fn decision() -> Decision {
    Decision {
        organ: Organ::College,
        reference: "COL/2026/300".into(),
        date: date(2026, 6, 25),
        financial_opinion: None,
    }
}

/// Jean (account `jean`, agent of 84009) is bourgmestre f.f. from 01/07 to 31/07/2026.
fn substitution(capacity: Capacity) -> Substitution {
    Substitution {
        id: Uuid::from_u128(1),
        commune_nis: "84009".into(),
        capacity,
        substitute_username: "jean".into(),
        substitute_user_id: "jean".into(),
        substitute_name: "Jean Dupont".into(),
        substitute_gender: Gender::Male,
        from: date(2026, 7, 1),
        to: date(2026, 7, 31),
        decision: decision(),
        ranked_before_unavailable: None,
        documents: None,
        recorded_by: "Marie Lambert, directrice générale".into(),
        recorded_at: Utc::now(),
        ended: None,
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> String {
    r.unwrap_err().code().to_string()
}

#[test]
fn rule_cdld_l1132_3_the_titulars_sign_in_their_own_name_and_title() {
    let dg = actor("marie", Role::DirectorGeneral, "84009", Gender::Female);
    let signer = signer_for(&dg, Act::SignAdhesion, "84009", &[], date(2026, 7, 2)).unwrap();
    assert_eq!(signer.role, Role::DirectorGeneral);
    assert_eq!(signer.capacity, Capacity::Titular);
    assert_eq!(signer.title, "directrice générale");
    assert!(signer.substitution.is_none());
    assert_eq!(
        signer.label("Marie Lambert"),
        "Marie Lambert, directrice générale"
    );
    // Another commune's act: not found, as for any record of another commune.
    assert_eq!(
        code(signer_for(
            &dg,
            Act::SignAdhesion,
            "81001",
            &[],
            date(2026, 7, 2)
        )),
        "not_found"
    );
}

#[test]
fn rule_cdld_l1123_5_a_mayor_acting_signs_in_the_mayors_place_on_covered_days() {
    let jean = actor("jean", Role::CommuneStaff, "84009", Gender::Male);
    let subs = [substitution(Capacity::MayorActing)];
    for day in [date(2026, 7, 1), date(2026, 7, 31)] {
        let signer = signer_for(&jean, Act::TerminateAdhesion, "84009", &subs, day).unwrap();
        assert_eq!(signer.role, Role::Mayor);
        assert_eq!(signer.capacity, Capacity::MayorActing);
        assert_eq!(
            signer.label("Jean Dupont"),
            "Jean Dupont, échevin, bourgmestre f.f."
        );
        let reference = signer.substitution.unwrap();
        assert_eq!(reference.id, Uuid::from_u128(1));
        assert_eq!(reference.decision, decision());
    }
    // Every signatory act, not only the adhesion's.
    for act in [
        Act::AwardOrder,
        Act::WithdrawOrder,
        Act::AcceptOrder,
        Act::SetOfferAside,
    ] {
        assert!(signer_for(&jean, act, "84009", &subs, date(2026, 7, 10)).is_ok());
    }
}

#[test]
fn rule_dg_ff_and_delegated_alderman_titles_follow_the_gender() {
    let claire = actor("jean", Role::CommuneStaff, "84009", Gender::Female);
    let signer = signer_for(
        &claire,
        Act::SignAdhesion,
        "84009",
        &[substitution(Capacity::DirectorGeneralActing)],
        date(2026, 7, 2),
    )
    .unwrap();
    assert_eq!(signer.role, Role::DirectorGeneral);
    assert_eq!(signer.title, "directrice générale f.f.");
    let signer = signer_for(
        &claire,
        Act::SignAdhesion,
        "84009",
        &[substitution(Capacity::DelegatedAlderman)],
        date(2026, 7, 2),
    )
    .unwrap();
    assert_eq!(signer.role, Role::Mayor);
    assert_eq!(
        signer.title,
        "échevine déléguée à la signature du bourgmestre"
    );
}

#[test]
fn rule_cdld_l1123_5_refused_outside_the_period() {
    let jean = actor("jean", Role::CommuneStaff, "84009", Gender::Male);
    let subs = [substitution(Capacity::MayorActing)];
    for day in [date(2026, 6, 30), date(2026, 8, 1)] {
        let err = signer_for(&jean, Act::SignAdhesion, "84009", &subs, day).unwrap_err();
        assert_eq!(err.code(), "substitution_not_in_force");
        assert_eq!(err.params()["from"], "2026-07-01");
        assert_eq!(err.params()["to"], "2026-07-31");
        assert!(err.to_string().contains("bourgmestre f.f."), "{err}");
    }
}

#[test]
fn rule_cdld_l1123_5_refused_once_ended() {
    let jean = actor("jean", Role::CommuneStaff, "84009", Gender::Male);
    let mut s = substitution(Capacity::MayorActing);
    s.end(
        "Marie Lambert, directrice générale",
        Utc::now(),
        date(2026, 7, 10),
    )
    .unwrap();
    assert_eq!(s.last_day(), date(2026, 7, 9));
    let subs = [s.clone()];
    assert!(signer_for(&jean, Act::SignAdhesion, "84009", &subs, date(2026, 7, 9)).is_ok());
    assert_eq!(
        code(signer_for(
            &jean,
            Act::SignAdhesion,
            "84009",
            &subs,
            date(2026, 7, 10)
        )),
        "substitution_not_in_force"
    );
    // Ending twice, or after the period, is refused.
    assert_eq!(
        code(s.end("x", Utc::now(), date(2026, 7, 11))),
        "substitution_already_over"
    );
    let mut over = substitution(Capacity::MayorActing);
    assert_eq!(
        code(over.end("x", Utc::now(), date(2026, 8, 1))),
        "substitution_already_over"
    );
}

#[test]
fn rule_cdld_l1132_3_an_agent_without_substitution_does_not_sign() {
    let agent = actor("paul", Role::CommuneStaff, "84009", Gender::Male);
    let subs = [substitution(Capacity::MayorActing)];
    let err = signer_for(&agent, Act::SignAdhesion, "84009", &subs, date(2026, 7, 2)).unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

#[test]
fn rule_cdld_l1123_5_a_substitution_is_for_its_own_commune_only() {
    // Jean's substitution in 84009 does not let him sign another commune's act, and an
    // agent of another commune named in 84009's record does not sign for 84009: another
    // commune's record is not found (as on the agent's PC, which is never shown it).
    let subs = [substitution(Capacity::MayorActing)];
    let jean = actor("jean", Role::CommuneStaff, "84009", Gender::Male);
    assert_eq!(
        code(signer_for(
            &jean,
            Act::SignAdhesion,
            "81001",
            &subs,
            date(2026, 7, 2)
        )),
        "not_found"
    );
    let elsewhere = actor("jean", Role::CommuneStaff, "81001", Gender::Male);
    assert_eq!(
        code(signer_for(
            &elsewhere,
            Act::SignAdhesion,
            "84009",
            &subs,
            date(2026, 7, 2)
        )),
        "not_found"
    );
    // A substitution is no way into the commune's other acts (designating a substitute).
    assert_eq!(
        code(signer_for(
            &jean,
            Act::RecordSubstitution,
            "84009",
            &subs,
            date(2026, 7, 2)
        )),
        "forbidden"
    );
}

#[test]
fn rule_cdld_l1132_3_the_two_signatures_stay_two_people() {
    let t = ConventionTemplate::new(Uuid::nil(), 1, "Convention".into(), "Texte".into());
    let mut a = Adhesion::draft(Uuid::nil(), "84009", &t);
    a.record_college_decision(
        Decision {
            organ: Organ::Conseil,
            ..decision()
        },
        date(2026, 7, 2),
    )
    .unwrap();
    let jean = actor("jean", Role::CommuneStaff, "84009", Gender::Male);
    let as_mayor = signer_for(
        &jean,
        Act::SignAdhesion,
        "84009",
        &[substitution(Capacity::MayorActing)],
        date(2026, 7, 2),
    )
    .unwrap();
    let signature = |s: &Signer| Signature {
        user_id: "jean".into(),
        name: "Jean Dupont".into(),
        role: s.role,
        signed_at: Utc::now(),
        text_sha256: t.sha256.clone(),
        capacity: s.capacity,
        title: s.title.clone(),
        substitution: s.substitution.clone(),
    };
    a.sign(signature(&as_mayor)).unwrap();
    let stored = a.mayor_signature.clone().unwrap();
    assert_eq!(stored.capacity, Capacity::MayorActing);
    assert_eq!(stored.label(), "Jean Dupont, échevin, bourgmestre f.f.");
    // The same person cannot also sign as DG f.f. (the validation refuses the overlapping
    // substitution too; the adhesion refuses it whatever the records say).
    let mut as_dg = as_mayor.clone();
    as_dg.role = Role::DirectorGeneral;
    as_dg.capacity = Capacity::DirectorGeneralActing;
    assert_eq!(code(a.sign(signature(&as_dg))), "same_signatory_twice");
}

#[test]
fn rule_a_substitute_signs_only_in_the_place_of_the_one_replaced() {
    let t = ConventionTemplate::new(Uuid::nil(), 1, "Convention".into(), "Texte".into());
    let mut a = Adhesion::draft(Uuid::nil(), "84009", &t);
    a.record_college_decision(
        Decision {
            organ: Organ::Conseil,
            ..decision()
        },
        date(2026, 7, 2),
    )
    .unwrap();
    // A bourgmestre f.f. in the DG's slot, or without the substitution: refused.
    let mut s = Signature {
        user_id: "jean".into(),
        name: "Jean".into(),
        role: Role::DirectorGeneral,
        signed_at: Utc::now(),
        text_sha256: t.sha256.clone(),
        capacity: Capacity::MayorActing,
        title: String::new(),
        substitution: Some(SubstitutionRef {
            id: Uuid::nil(),
            decision: decision(),
        }),
    };
    assert_eq!(code(a.sign(s.clone())), "signatory_role_not_allowed");
    s.role = Role::Mayor;
    s.substitution = None;
    assert_eq!(code(a.sign(s)), "signatory_role_not_allowed");
}

#[test]
fn substitution_validation_allowed_and_refused() {
    let today = date(2026, 6, 28);
    let s = substitution(Capacity::MayorActing);
    s.validate(today, &[]).unwrap();
    // Running today, decided the same day: fine.
    let mut same_day = s.clone();
    same_day.from = today;
    same_day.decision.date = today;
    same_day.validate(today, &[]).unwrap();

    let mut titular = s.clone();
    titular.capacity = Capacity::Titular;
    assert_eq!(
        code(titular.validate(today, &[])),
        "substitution_capacity_missing"
    );
    let mut nobody = s.clone();
    nobody.substitute_username = "  ".into();
    assert_eq!(
        code(nobody.validate(today, &[])),
        "substitute_account_missing"
    );
    let mut reversed = s.clone();
    reversed.to = date(2026, 6, 30);
    let err = reversed.validate(today, &[]).unwrap_err();
    assert_eq!(err.code(), "substitution_period_invalid");
    assert_eq!(err.params()["kind"], "order");
    let mut past = s.clone();
    past.from = date(2026, 6, 1);
    past.to = date(2026, 6, 27);
    past.decision.date = date(2026, 5, 30);
    assert_eq!(
        past.validate(today, &[]).unwrap_err().params()["kind"],
        "past"
    );
    let mut late_decision = s.clone();
    late_decision.from = date(2026, 6, 20);
    assert_eq!(
        code(late_decision.validate(today, &[])),
        "substitution_decision_after_start"
    );
    let mut future_decision = s.clone();
    future_decision.decision.date = date(2026, 6, 30);
    assert!(future_decision.validate(today, &[]).is_err());

    // The same account cannot stand in twice over the same days; another account can (several
    // échevins may hold a delegation, CDLD L1132-4), and an ended one frees the days after it.
    let mut second = substitution(Capacity::DirectorGeneralActing);
    second.id = Uuid::from_u128(2);
    second.from = date(2026, 7, 31);
    second.to = date(2026, 8, 15);
    let err = second
        .validate(today, std::slice::from_ref(&s))
        .unwrap_err();
    assert_eq!(err.code(), "substitution_overlaps");
    assert_eq!(err.params()["other_capacity"], "mayor_acting");
    let mut other_person = second.clone();
    other_person.substitute_username = "claire".into();
    other_person
        .validate(today, std::slice::from_ref(&s))
        .unwrap();
    let mut ended = s.clone();
    ended.end("x", Utc::now(), date(2026, 7, 20)).unwrap();
    second.validate(today, &[ended]).unwrap();
}

/// Every act reserved to the signatories is either signed by a substitute too, or is the
/// titulars' designation of substitutes: a new signatory act must choose.
#[test]
fn every_signatory_act_says_whether_a_substitute_signs_it() {
    use crate::permission::SIGNATORIES;
    for act in SUBSTITUTE_SIGNS {
        assert_eq!(act.roles(), SIGNATORIES, "{act:?}");
    }
    let titulars_only = [Act::RecordSubstitution, Act::EndSubstitution];
    for act in titulars_only {
        assert_eq!(act.roles(), SIGNATORIES, "{act:?}");
        assert!(!SUBSTITUTE_SIGNS.contains(&act));
    }
}

#[test]
fn titles_come_from_the_catalogue_by_gender() {
    assert_eq!(
        title_fr(Role::DirectorGeneral, Capacity::Titular, Gender::Female),
        "directrice générale"
    );
    assert_eq!(
        title_fr(
            Role::DirectorGeneral,
            Capacity::Titular,
            Gender::Unspecified
        ),
        "directeur général"
    );
    assert_eq!(
        title_fr(Role::CentraleStaff, Capacity::Titular, Gender::Female),
        "chargée de compte de la centrale"
    );
    assert_eq!(
        title_fr(Role::CommuneStaff, Capacity::Titular, Gender::Female),
        "agente communale"
    );
    assert_eq!(name_with_title("Marie", ""), "Marie");
    for g in [Gender::Female, Gender::Male, Gender::Unspecified] {
        assert_eq!(Gender::parse(g.as_str()), Some(g));
    }
}

/// CDLD L1132-4: the échevin délégué signs the documents the bourgmestre's written act lists,
/// and only those; a delegation recorded before the app asked covers every signatory act.
#[test]
fn rule_cdld_l1132_4_an_alderman_signs_only_the_documents_delegated() {
    let jean = actor("jean", Role::CommuneStaff, "84009", Gender::Male);
    let day = date(2026, 7, 2);
    let delegation = Substitution {
        documents: Some(vec![DelegatedDocument::Award]),
        ..substitution(Capacity::DelegatedAlderman)
    };
    let subs = std::slice::from_ref(&delegation);
    for act in [Act::AwardOrder, Act::DirectAwardOrder] {
        let signer = signer_for(&jean, act, "84009", subs, day).unwrap();
        assert_eq!(signer.capacity, Capacity::DelegatedAlderman, "{act:?}");
    }
    let err = signer_for(&jean, Act::WithdrawOrder, "84009", subs, day).unwrap_err();
    assert_eq!(err.code(), ErrorCode::DelegationDoesNotCover);
    assert_eq!(err.params()["document"], "withdrawal");
    assert!(
        err.to_string()
            .contains("ne couvre pas le retrait d'une remise en concurrence"),
        "{err}"
    );
    // Recorded before the list existed: every signatory act, as then.
    let older = substitution(Capacity::DelegatedAlderman);
    for act in SUBSTITUTE_SIGNS {
        signer_for(&jean, *act, "84009", std::slice::from_ref(&older), day).unwrap();
    }
    // Every act a substitute signs is one of the documents a delegation may list.
    for act in SUBSTITUTE_SIGNS {
        assert!(DelegatedDocument::of(*act).is_some(), "{act:?}");
    }
}
