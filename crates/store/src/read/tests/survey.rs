//! The centrale's results of a survey: how many communes answered, out of the communes in
//! force (a merged commune's code is not one, unless it answered before it ended).

use centrale_domain::survey::{publish, response_key, ResponseStatus, SurveyResponse};
use centrale_protocol::records::RecordKind;
use centrale_protocol::Change;
use uuid::Uuid;

use crate::Store;

use super::fixture::{
    at, centrale_staff, commune_until as commune, date, pulled as change, pulled_communes,
};

#[test]
fn the_results_count_out_of_the_communes_in_force_and_those_that_answered() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("c.db")).unwrap();
    store.set_session(&centrale_staff()).unwrap();
    let id = Uuid::from_u128(7);
    let survey = publish(
        id,
        &centrale_domain::fixtures::mobility_survey("Besoins 2025", date(2025, 3, 31), false),
        "Centrale",
        at(2024, 11, 1, 9),
    )
    .unwrap();
    let mut bastogne = commune("82039", "Bastogne", None);
    bastogne.valid_from = Some(date(2025, 1, 1));
    let communes = [
        bastogne,
        commune("82009", "Fauvillers", None),
        commune("82014", "Houffalize", None),
        // Merged into the new Bastogne: Bertogne answered before; the old Bastogne did not.
        commune("82005", "Bertogne", Some(date(2024, 12, 31))),
        commune(
            "82003",
            "Bastogne (ancienne commune)",
            Some(date(2024, 12, 31)),
        ),
    ];
    let draft = |nis: &str| SurveyResponse {
        survey_id: id,
        commune_nis: nis.into(),
        answers: Vec::new(),
        status: ResponseStatus::Draft,
        saved_by: "Agent".into(),
        saved_at: at(2024, 11, 20, 10),
        sent: None,
    };
    let mut changes: Vec<Change> = pulled_communes(&communes);
    changes.push(change(
        10,
        RecordKind::Survey,
        &id.to_string(),
        serde_json::to_value(&survey).unwrap(),
    ));
    for (i, nis) in ["82005", "82009"].into_iter().enumerate() {
        changes.push(change(
            11 + i as i64,
            RecordKind::SurveyResponse,
            &response_key(id, nis),
            serde_json::to_value(draft(nis)).unwrap(),
        ));
    }
    store.apply_pull_page(&changes, 20).unwrap();

    let results = store
        .survey_results(id, date(2026, 12, 6))
        .unwrap()
        .expect("the survey");
    // Bastogne, Fauvillers, Houffalize in force, and Bertogne, which answered: 4, not 5.
    assert_eq!(results.communes_total, 4);
    assert_eq!(results.communes.len(), 2);
    assert_eq!(results.names.len(), 5, "every commune is still named");
    // Before the merger, the same survey counted the five communes then in force.
    let before = store
        .survey_results(id, date(2024, 11, 30))
        .unwrap()
        .unwrap();
    assert_eq!(before.communes_total, 4, "82039 did not exist yet");
}
