use super::*;
use crate::decide::survey as decide;
use crate::fixtures::{actor, date, now};
use crate::role::Role;
use crate::signatory::Gender;
use chrono::TimeZone;

fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> &'static str {
    r.unwrap_err().code().as_str()
}

fn choice(code: &str, label: &str) -> SurveyChoice {
    SurveyChoice {
        code: code.into(),
        label_fr: label.into(),
    }
}

fn draft() -> SurveyDraft {
    SurveyDraft {
        title: "Besoins smart city 2027".into(),
        intro: "Dites-nous ce dont votre commune a besoin.".into(),
        closes_on: date(2026, 12, 31),
        themes: vec![
            SurveyTheme {
                title_fr: "Mobilité".into(),
                questions: vec![
                    SurveyQuestion {
                        code: "mobilite".into(),
                        text_fr: "Quels services de mobilité vous manquent ?".into(),
                        help_fr: String::new(),
                        required: true,
                        kind: QuestionKind::Choice {
                            choices: vec![
                                choice("parking", "Stationnement intelligent"),
                                choice("velos", "Comptage des vélos"),
                                choice("bornes", "Bornes de recharge"),
                            ],
                            multiple: true,
                        },
                    },
                    SurveyQuestion {
                        code: "sites".into(),
                        text_fr: "Combien de parkings publics ?".into(),
                        help_fr: String::new(),
                        required: false,
                        kind: QuestionKind::Number {
                            unit_fr: "parkings".into(),
                            max: 500,
                        },
                    },
                ],
            },
            SurveyTheme {
                title_fr: "Priorités".into(),
                questions: vec![
                    SurveyQuestion {
                        code: "priorite".into(),
                        text_fr: "Votre priorité pour 2027 ?".into(),
                        help_fr: String::new(),
                        required: true,
                        kind: QuestionKind::Choice {
                            choices: vec![
                                choice("mobilite", "Mobilité"),
                                choice("energie", "Énergie"),
                            ],
                            multiple: false,
                        },
                    },
                    SurveyQuestion {
                        code: "remarques".into(),
                        text_fr: "Autre chose ?".into(),
                        help_fr: String::new(),
                        required: false,
                        kind: QuestionKind::Text,
                    },
                ],
            },
        ],
    }
}

fn published() -> Survey {
    decide::publish(
        &actor(Role::CentraleStaff, Gender::Female),
        Uuid::from_u128(7),
        false,
        &draft(),
        now(),
    )
    .unwrap()
}

fn answers(parking_and: &[&str], priority: &str) -> Vec<SurveyAnswer> {
    vec![
        SurveyAnswer {
            question: "mobilite".into(),
            value: AnswerValue::Choices(parking_and.iter().map(|s| s.to_string()).collect()),
        },
        SurveyAnswer {
            question: "priorite".into(),
            value: AnswerValue::Choices(vec![priority.into()]),
        },
        SurveyAnswer {
            question: "sites".into(),
            value: AnswerValue::Number(12),
        },
    ]
}

#[test]
fn only_the_centrale_publishes_a_survey_whose_content_holds() {
    let s = published();
    assert_eq!(s.published_by, "CentraleStaff");
    assert_eq!(s.questions().count(), 4);
    assert_eq!(
        code(decide::publish(
            &actor(Role::DirectorGeneral, Gender::Female),
            Uuid::from_u128(8),
            false,
            &draft(),
            now()
        )),
        "forbidden"
    );
    let centrale = actor(Role::CentraleStaff, Gender::Male);
    let refused = |d: SurveyDraft| {
        code(decide::publish(
            &centrale,
            Uuid::from_u128(8),
            false,
            &d,
            now(),
        ))
    };
    let mut d = draft();
    d.closes_on = date(2026, 11, 28);
    assert_eq!(refused(d), "survey_closes_in_past");
    let mut d = draft();
    d.themes[1].questions[0].code = "mobilite".into();
    assert_eq!(refused(d), "survey_code_duplicate");
    let mut d = draft();
    d.themes[1].questions[0].kind = QuestionKind::Choice {
        choices: vec![choice("seul", "Un seul")],
        multiple: false,
    };
    assert_eq!(refused(d), "survey_choices_count");
    let mut d = draft();
    d.themes[0].questions[1].kind = QuestionKind::Number {
        unit_fr: String::new(),
        max: 0,
    };
    assert_eq!(refused(d), "survey_number_max_invalid");
    let mut d = draft();
    d.themes[0].questions.clear();
    assert_eq!(refused(d), "survey_empty");
    let mut d = draft();
    d.themes[0].questions[0].code = "Mobilité".into();
    assert_eq!(refused(d), "survey_code_invalid");
    assert_eq!(
        code(decide::publish(
            &centrale,
            Uuid::from_u128(8),
            true,
            &draft(),
            now()
        )),
        "duplicate_id"
    );
}

#[test]
fn a_draft_may_be_incomplete_and_changed_but_only_the_director_general_sends_it_complete() {
    let s = published();
    let staff = actor(Role::CommuneStaff, Gender::Female);
    let partial = vec![SurveyAnswer {
        question: "remarques".into(),
        value: AnswerValue::Text("  Nous cherchons aussi un outil de participation.  ".into()),
    }];
    let d = decide::answer(&staff, Some(&s), None, &partial, false, now()).unwrap();
    assert_eq!(d.status, ResponseStatus::Draft);
    assert_eq!(d.commune_nis, "84009");
    assert_eq!(
        d.answers[0].value,
        AnswerValue::Text("Nous cherchons aussi un outil de participation.".into())
    );
    // Staff cannot send; the DG cannot send it incomplete.
    assert_eq!(
        code(decide::answer(
            &staff,
            Some(&s),
            Some(&d),
            &partial,
            true,
            now()
        )),
        "forbidden"
    );
    let dg = actor(Role::DirectorGeneral, Gender::Female);
    let e = decide::answer(&dg, Some(&s), Some(&d), &partial, true, now()).unwrap_err();
    assert_eq!(e.code().as_str(), "survey_answer_missing");
    assert_eq!(e.field_name().as_deref(), Some("question:mobilite"));

    let sent = decide::answer(
        &dg,
        Some(&s),
        Some(&d),
        &answers(&["parking"], "mobilite"),
        true,
        now(),
    )
    .unwrap();
    assert_eq!(sent.status, ResponseStatus::Sent);
    let signature = sent.sent.as_ref().unwrap();
    assert_eq!(signature.title, "directrice générale");
    // In the survey's order, blanks left out.
    assert_eq!(
        sent.answers
            .iter()
            .map(|a| a.question.as_str())
            .collect::<Vec<_>>(),
        ["mobilite", "sites", "priorite"]
    );
    // Sent is final.
    assert_eq!(
        code(decide::answer(
            &staff,
            Some(&s),
            Some(&sent),
            &partial,
            false,
            now()
        )),
        "survey_response_sent"
    );
}

#[test]
fn answers_are_checked_against_the_questions_and_refused_after_the_closing_day() {
    let s = published();
    let staff = actor(Role::CommuneStaff, Gender::Male);
    let with = |a: SurveyAnswer| code(decide::answer(&staff, Some(&s), None, &[a], false, now()));
    assert_eq!(
        with(SurveyAnswer {
            question: "priorite".into(),
            value: AnswerValue::Choices(vec!["mobilite".into(), "energie".into()]),
        }),
        "survey_answer_invalid"
    );
    assert_eq!(
        with(SurveyAnswer {
            question: "mobilite".into(),
            value: AnswerValue::Choices(vec!["metro".into()]),
        }),
        "survey_answer_invalid"
    );
    assert_eq!(
        with(SurveyAnswer {
            question: "sites".into(),
            value: AnswerValue::Number(501),
        }),
        "survey_number_out_of_range"
    );
    assert_eq!(
        with(SurveyAnswer {
            question: "sites".into(),
            value: AnswerValue::Text("douze".into()),
        }),
        "survey_answer_invalid"
    );
    assert_eq!(
        with(SurveyAnswer {
            question: "inconnue".into(),
            value: AnswerValue::Text("?".into()),
        }),
        "survey_question_unknown"
    );
    // The last day (Brussels) is still open; the next one is not.
    let last_evening = Utc.with_ymd_and_hms(2026, 12, 31, 22, 30, 0).unwrap();
    let after = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
    let a = answers(&["parking"], "mobilite");
    assert!(decide::answer(&staff, Some(&s), None, &a, false, last_evening).is_ok());
    assert_eq!(
        code(decide::answer(&staff, Some(&s), None, &a, false, after)),
        "survey_closed"
    );
    // A provider or the centrale does not answer; an unknown survey is not found.
    assert_eq!(
        code(decide::answer(
            &actor(Role::CentraleStaff, Gender::Male),
            Some(&s),
            None,
            &a,
            false,
            now()
        )),
        "forbidden"
    );
    assert_eq!(
        code(decide::answer(&staff, None, None, &a, false, now())),
        "not_found"
    );
}

#[test]
fn results_count_the_sent_answers_per_need_the_most_expressed_first() {
    let s = published();
    let sent = |nis: &str, mobility: &[&str], priority: &str| SurveyResponse {
        survey_id: s.id,
        commune_nis: nis.into(),
        answers: answers(mobility, priority),
        status: ResponseStatus::Sent,
        saved_by: "DG".into(),
        saved_at: now(),
        sent: None,
    };
    let mut draft = sent("85011", &["velos", "bornes", "parking"], "energie");
    draft.status = ResponseStatus::Draft;
    let responses = vec![
        sent("84009", &["parking"], "mobilite"),
        sent("81001", &["bornes", "parking"], "energie"),
        draft,
    ];
    let results = results(&s, &responses);
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].answered, 2);
    let QuestionResult::Choice { counts } = &results[0].result else {
        panic!("{:?}", results[0].result)
    };
    let summary: Vec<(&str, usize)> = counts
        .iter()
        .map(|c| (c.choice.code.as_str(), c.communes.len()))
        .collect();
    assert_eq!(summary, [("parking", 2), ("bornes", 1), ("velos", 0)]);
    let QuestionResult::Number { values, total } = &results[1].result else {
        panic!("{:?}", results[1].result)
    };
    assert_eq!((values.len(), *total), (2, 24));
    assert_eq!(results[3].answered, 0);
    let need = NeedRef {
        survey_id: s.id,
        question: "mobilite".into(),
        choice: "parking".into(),
    };
    assert_eq!(communes_expressing(&need, &responses), 2);
    assert_eq!(s.need(&need).unwrap().label_fr, "Stationnement intelligent");
    assert!(s
        .need(&NeedRef {
            question: "sites".into(),
            ..need.clone()
        })
        .is_none());
}

#[test]
fn a_service_added_for_a_need_names_it_and_is_new_for_ninety_days() {
    let today = date(2026, 11, 29);
    assert!(is_new(Some(today), today));
    assert!(is_new(Some(date(2026, 9, 1)), today));
    assert!(!is_new(Some(date(2026, 8, 31)), today));
    assert!(!is_new(None, today));
    let q = &published().themes[0].questions[0];
    assert_eq!(
        answer_text_fr(
            q,
            &AnswerValue::Choices(vec!["parking".into(), "bornes".into()])
        ),
        "Stationnement intelligent ; Bornes de recharge"
    );
}
