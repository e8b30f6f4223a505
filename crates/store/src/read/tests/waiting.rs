//! What waits for the signed-in person (issue 14 §2): the domain's permissions decide whose
//! act it is; each thing is told once per account.

use centrale_domain::deployment::MilestoneKind;
use centrale_domain::role::Role;
use centrale_protocol::Me;

use super::fixture::{fixture, today, NIS};
use crate::read::WaitingKind;

fn commune_account(user: &str, role: Role) -> Me {
    Me {
        user_id: user.into(),
        username: user.into(),
        display_name: user.into(),
        role,
        commune_nis: Some(NIS.into()),
        provider_id: None,
        gender: Default::default(),
        second_factor: false,
    }
}

#[test]
fn the_award_waits_for_a_signatory_and_a_late_step_for_every_commune_account() {
    let f = fixture();
    // The directrice générale (the fixture's session): the evaluated order waits for the
    // collège's award, which she signs (CDLD L1132-3); the deployment's configuration is late.
    let dg = f.store.waiting(today()).unwrap();
    let mut seen: Vec<_> = dg
        .iter()
        .map(|w| (w.kind, w.record_id, w.milestone))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (WaitingKind::AwardOrder, f.evaluated.id, None),
            (
                WaitingKind::LateMilestone,
                f.deploying.id,
                Some(MilestoneKind::Configuration)
            ),
        ]
    );
    assert!(dg.iter().all(|w| w.commune_nis == NIS));
    // An agent of the commune does not sign: only the late step waits for them.
    f.store
        .set_session(&commune_account("agent.84009", Role::CommuneStaff))
        .unwrap();
    let agent: Vec<_> = f
        .store
        .waiting(today())
        .unwrap()
        .into_iter()
        .map(|w| w.kind)
        .collect();
    assert_eq!(agent, [WaitingKind::LateMilestone]);
}

#[test]
fn each_thing_is_told_once_to_each_account() {
    let f = fixture();
    let mut first: Vec<_> = f
        .store
        .take_unnotified(today())
        .unwrap()
        .into_iter()
        .map(|w| w.kind)
        .collect();
    first.sort();
    assert_eq!(first, [WaitingKind::AwardOrder, WaitingKind::LateMilestone]);
    assert!(f.store.take_unnotified(today()).unwrap().is_empty());
    // Still counted: told is not done.
    assert_eq!(f.store.waiting(today()).unwrap().len(), 2);
    // Another account on the same PC is told for itself.
    f.store
        .set_session(&commune_account("bourgmestre.84009", Role::Mayor))
        .unwrap();
    assert_eq!(f.store.take_unnotified(today()).unwrap().len(), 2);
    assert!(f.store.take_unnotified(today()).unwrap().is_empty());
}
