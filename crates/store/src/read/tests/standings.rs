//! The communes' public standings as pulled (issue 15.9): read back for the map of a
//! commune's « Accueil », every commune in force, its own marked, the date of a notice
//! deciding.

use centrale_domain::role::Role;
use centrale_domain::standing::{CommuneStanding, StandingAdhesion};
use centrale_protocol::records::RecordKind;
use centrale_protocol::{Change, Me};

use crate::Store;

use super::fixture::{commune_until as commune, date, pulled as change, pulled_communes};

#[test]
fn pulled_standings_are_read_back_for_every_commune_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("c.db")).unwrap();
    store
        .set_session(&Me {
            user_id: "dg.84077".into(),
            username: "dg.84077".into(),
            display_name: "Directeur général".into(),
            role: Role::DirectorGeneral,
            commune_nis: Some("84077".into()),
            provider_id: None,
            gender: Default::default(),
            second_factor: false,
        })
        .unwrap();
    let communes = [
        commune("84009", "Bertrix", None),
        commune("84077", "Libramont-Chevigny", None),
        commune("81001", "Arlon", None),
        // Merged: not in force, not on the map.
        commune("82005", "Bertogne", Some(date(2024, 12, 31))),
    ];
    let mut changes: Vec<Change> = pulled_communes(&communes);
    let bertrix = CommuneStanding {
        commune_nis: "84009".into(),
        adhesion: StandingAdhesion::Joined,
        joined_since: Some(date(2026, 3, 2)),
        joined_until: None,
        awarded_call_offs: 2,
    };
    // Arlon gave notice: it leaves on 01/05/2027.
    let arlon = CommuneStanding {
        commune_nis: "81001".into(),
        adhesion: StandingAdhesion::Joined,
        joined_since: Some(date(2026, 1, 5)),
        joined_until: Some(date(2027, 5, 1)),
        awarded_call_offs: 1,
    };
    for (i, s) in [&bertrix, &arlon].into_iter().enumerate() {
        changes.push(change(
            10 + i as i64,
            RecordKind::CommuneStanding,
            &s.commune_nis,
            serde_json::to_value(s).unwrap(),
        ));
    }
    store.apply_pull_page(&changes, 20).unwrap();

    let rows = store.standings(date(2026, 12, 3)).unwrap();
    let summary: Vec<(&str, StandingAdhesion, u32, bool)> = rows
        .iter()
        .map(|r| (r.nis_code.as_str(), r.adhesion, r.awarded_call_offs, r.own))
        .collect();
    assert_eq!(
        summary,
        [
            ("81001", StandingAdhesion::Joined, 1, false),
            ("84009", StandingAdhesion::Joined, 2, false),
            // No standing pulled: not joined, nothing awarded; the signed-in commune.
            ("84077", StandingAdhesion::None, 0, true),
        ]
    );
    assert_eq!(rows[1].name_fr, "Bertrix");
    assert_eq!(rows[1].joined_since, Some(date(2026, 3, 2)));

    // From the notice's effective date on, Arlon has left, with no new record.
    let later = store.standings(date(2027, 5, 1)).unwrap();
    assert_eq!(later[0].adhesion, StandingAdhesion::None);
    assert_eq!(later[0].joined_since, None);
    assert_eq!(later[0].awarded_call_offs, 1);
}
