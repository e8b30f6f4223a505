//! Issue 16 §3: a commune answers a needs survey on its PC, offline — a draft kept in the
//! outbox and shown at once, then sent by its directeur général; the same rules as the server.

use super::*;
use centrale_domain::survey::{response_key, AnswerValue, ResponseStatus, SurveyAnswer};
use centrale_protocol::mutations::SurveyAnswers;

fn survey(id: Uuid) -> centrale_domain::survey::Survey {
    centrale_domain::survey::publish(
        id,
        &centrale_domain::fixtures::mobility_survey(
            "Besoins smart city 2027",
            centrale_domain::time::brussels_today(Utc::now()) + chrono::Days::new(30),
            true,
        ),
        "Centrale",
        Utc::now(),
    )
    .unwrap()
}

fn answers(id: Uuid, choices: &[&str]) -> SurveyAnswers {
    SurveyAnswers {
        survey_id: id,
        answers: vec![SurveyAnswer {
            question: "mobilite".into(),
            value: AnswerValue::Choices(choices.iter().map(|c| c.to_string()).collect()),
        }],
    }
}

#[test]
fn a_survey_answered_offline_waits_in_the_outbox_and_only_the_dg_sends_it() {
    let id = Uuid::now_v7();
    let today = centrale_domain::time::brussels_today(Utc::now());
    let pull = |store: &Store| {
        store
            .apply_pull_page(
                &[change(
                    3,
                    RecordKind::Survey,
                    &id.to_string(),
                    1,
                    json!(survey(id)),
                )],
                3,
            )
            .unwrap()
    };

    // The staff keeps a draft, offline; sending is the DG's.
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    pull(&store);
    let err = store
        .enqueue(&Mutation::SaveSurveyAnswers(answers(id, &["metro"])))
        .unwrap_err();
    assert_eq!(err.code(), "survey_answer_invalid");
    store
        .enqueue(&Mutation::SaveSurveyAnswers(answers(id, &[])))
        .unwrap();
    let row = &store.surveys(today).unwrap().surveys[0];
    assert_eq!(
        (row.my_status, row.my_pending),
        (Some(ResponseStatus::Draft), true)
    );
    let err = store
        .enqueue(&Mutation::SendSurveyAnswers(answers(id, &["parking"])))
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");

    // The staff is not told (sending is not theirs); the DG is, until the answers are sent.
    let waiting_survey = |store: &Store| {
        store
            .waiting(today)
            .unwrap()
            .into_iter()
            .filter(|w| w.kind == centrale_store::read::WaitingKind::AnswerSurvey)
            .count()
    };
    assert_eq!(waiting_survey(&store), 0);
    let (_dir, store) = cache(&me("dg", Role::DirectorGeneral, NIS));
    pull(&store);
    assert_eq!(waiting_survey(&store), 1);
    let err = store
        .enqueue(&Mutation::SendSurveyAnswers(answers(id, &[])))
        .unwrap_err();
    assert_eq!(err.code(), "survey_answer_missing");
    store
        .enqueue(&Mutation::SendSurveyAnswers(answers(id, &["parking"])))
        .unwrap();
    let page = store.survey(id, today).unwrap().expect("the survey");
    assert!(page.pending && page.open);
    let response = page.response.expect("the answers");
    assert_eq!(response.status, ResponseStatus::Sent);
    assert_eq!(response.commune_nis, NIS);
    assert_eq!(store.pending().unwrap()[0].name, "survey.send_answers");
    assert_eq!(waiting_survey(&store), 0);
    // Sent: no more changes on this PC either.
    let err = store
        .enqueue(&Mutation::SaveSurveyAnswers(answers(id, &["velos"])))
        .unwrap_err();
    assert_eq!(err.code(), "survey_response_sent");
    assert_eq!(response_key(id, NIS), format!("{id}:{NIS}"));

    // The export of one survey's results holds that survey's answers only.
    let other = Uuid::now_v7();
    store
        .apply_pull_page(
            &[change(
                4,
                RecordKind::Survey,
                &other.to_string(),
                1,
                json!(survey(other)),
            )],
            4,
        )
        .unwrap();
    let sent = |only| -> Vec<(Uuid, usize)> {
        store
            .survey_answers_sent(only)
            .unwrap()
            .iter()
            .map(|(s, answers)| (s.id, answers.len()))
            .collect()
    };
    assert_eq!(sent(Some(id)), [(id, 1)]);
    assert_eq!(sent(Some(other)), [(other, 0)]);
    let mut every = sent(None);
    every.sort();
    let mut both = vec![(id, 1), (other, 0)];
    both.sort();
    assert_eq!(every, both);
}
