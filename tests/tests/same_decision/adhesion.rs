//! Issue 11 §1, the adhesion's acts: a seeded random walk of the commune's and the centrale's
//! acts on adhesions and substitute signatories — starting an adhesion (again, with a known
//! id, for another commune), the decision to join (valid, without reference, dated tomorrow),
//! the signatures of the directeur général, the bourgmestre and of an agent (a substitute on
//! the days a substitution covers, refused otherwise), the centrale's countersignature and
//! activation, the notice of termination and its second signature (the same reason or
//! another), recording and ending substitutions (periods over or to come, a decision after
//! the first day, overlaps); the server's clock moves on now and then, so that substitutions
//! run out and notices take effect. Each act is decided first by the acting account's PC,
//! then by the server (`decide_alike`).
//!
//! A substitute is named by a login the server checks against its accounts, which a PC does
//! not know: the walk names the commune's échevin for the bourgmestre and its agent for the
//! directeur général (logins both sides accept); the HTTP tests cover the logins the server
//! refuses. The designating act is the collège's or the bourgmestre's written act (CDLD
//! L1123-5, L1132-4, L1124-19), which both sides check alike.

use centrale_domain::adhesion::{Decision, Organ};
use centrale_domain::signatory::{Capacity, DelegatedDocument};
use centrale_protocol::mutations::{
    EndSubstitution, Mutation, RecordCollegeDecision, RecordSubstitution, TerminateAdhesion,
};
use centrale_sync::SyncConfig;
use centrale_tests::mutations as m;
use centrale_tests::server::convention_sha;
use centrale_tests::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::{decide_alike, env_number, Seen};

/// Who acts, each on their own PC.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    /// The directeur général of Bertrix.
    Dg,
    /// The bourgmestre of Bertrix.
    Mayor,
    /// An agent of Bertrix (a substitute when a substitution names them).
    Agent,
    /// An échevin of Bertrix (the bourgmestre's substitute when a substitution names them).
    Alderman,
    /// The centrale's buyer.
    Centrale,
    /// The directeur général of Libramont-Chevigny (another commune).
    OtherDg,
}

impl Who {
    const ALL: [Who; 6] = [
        Who::Dg,
        Who::Mayor,
        Who::Agent,
        Who::Alderman,
        Who::Centrale,
        Who::OtherDg,
    ];

    fn user(self) -> &'static str {
        match self {
            Who::Dg => DG,
            Who::Mayor => MAYOR,
            Who::Agent => AGENT,
            Who::Alderman => ALDERMAN,
            Who::Centrale => CENTRALE,
            Who::OtherDg => DG_OTHER,
        }
    }
}

/// What the walk created so far (each list in order of creation).
#[derive(Default)]
struct Known {
    /// Bertrix's adhesions.
    adhesions: Vec<Uuid>,
    /// Libramont-Chevigny's.
    other_adhesions: Vec<Uuid>,
    /// Bertrix's substitutions.
    substitutions: Vec<Uuid>,
}

/// One of `choices` (listed twice: twice as likely).
fn pick<T: Copy>(rng: &mut StdRng, choices: &[T]) -> T {
    choices[rng.gen_range(0..choices.len())]
}

/// The commune's decision to join, valid or not.
fn joining(rng: &mut StdRng, today: NaiveDate) -> Decision {
    let valid = Decision {
        organ: Organ::Conseil,
        reference: "CC/2026/12".into(),
        date: today,
        financial_opinion: None,
    };
    match rng.gen_range(0..8) {
        0 => Decision {
            reference: "  ".into(),
            ..valid
        },
        1 => Decision {
            date: today + Duration::days(1),
            ..valid
        },
        // The collège alone is not competent to join (CDLD L1222-7).
        2 => Decision {
            organ: Organ::College,
            ..valid
        },
        _ => valid,
    }
}

/// One act of the walk; `None`: the server's clock moves on.
fn random_act(
    rng: &mut StdRng,
    known: &Known,
    sha: &str,
    now: DateTime<Utc>,
) -> Option<(Who, Mutation)> {
    let today = centrale_domain::time::brussels_today(now);
    // Bertrix's latest adhesion mostly; sometimes an earlier one, another commune's (for the
    // agent's signatory acts too: another commune's record is `not_found` before the role is
    // checked, on the server as on the agent's PC, which is never shown it), or one that does
    // not exist.
    let adhesion = |rng: &mut StdRng| match rng.gen_range(0..10) {
        0 => Uuid::now_v7(),
        1 if !known.other_adhesions.is_empty() => pick(rng, &known.other_adhesions),
        2 if !known.adhesions.is_empty() => pick(rng, &known.adhesions),
        _ => known.adhesions.last().copied().unwrap_or_else(Uuid::now_v7),
    };
    let signatory = |rng: &mut StdRng| {
        pick(
            rng,
            &[
                Who::Dg,
                Who::Mayor,
                Who::Agent,
                Who::Alderman,
                Who::Dg,
                Who::Mayor,
            ],
        )
    };
    let reason = "Le conseil communal a décidé de se retirer de la centrale.";
    let (who, act) = match rng.gen_range(0..24) {
        // The server's day moves on (a few days; now and then a month).
        0 => return None,
        // A commune account starts its adhesion: a new one, or again with a known id.
        1 | 2 => {
            let who = pick(
                rng,
                &[Who::Dg, Who::Dg, Who::Agent, Who::Centrale, Who::OtherDg],
            );
            let id = match who {
                Who::OtherDg if rng.gen_bool(0.3) => known
                    .other_adhesions
                    .last()
                    .copied()
                    .unwrap_or_else(Uuid::now_v7),
                Who::OtherDg => Uuid::now_v7(),
                // Bertrix's own ids only: another commune's id is not on this PC (a
                // collision of UUIDs, not an act a person can do).
                _ if rng.gen_bool(0.2) && !known.adhesions.is_empty() => {
                    pick(rng, &known.adhesions)
                }
                _ => Uuid::now_v7(),
            };
            (who, m::start_adhesion(id))
        }
        3 | 4 => {
            let who = pick(
                rng,
                &[Who::Dg, Who::Agent, Who::Agent, Who::Centrale, Who::OtherDg],
            );
            let act = Mutation::RecordCollegeDecision(RecordCollegeDecision {
                adhesion_id: adhesion(rng),
                college_decision: joining(rng, today),
            });
            (who, act)
        }
        5..=9 => {
            let who = if rng.gen_bool(0.15) {
                pick(rng, &[Who::Centrale, Who::OtherDg])
            } else {
                signatory(rng)
            };
            let text = if rng.gen_bool(0.15) {
                "0".repeat(64)
            } else {
                sha.to_string()
            };
            (who, m::sign_adhesion(adhesion(rng), &text))
        }
        10 | 11 => {
            let who = if rng.gen_bool(0.8) {
                Who::Centrale
            } else {
                Who::Dg
            };
            let text = if rng.gen_bool(0.15) {
                "0".repeat(64)
            } else {
                sha.to_string()
            };
            (who, m::countersign_adhesion(adhesion(rng), &text))
        }
        12 => {
            let who = if rng.gen_bool(0.8) {
                Who::Centrale
            } else {
                Who::Mayor
            };
            (who, m::activate_adhesion(adhesion(rng)))
        }
        13..=15 => {
            let reason = match rng.gen_range(0..6) {
                0 => String::new(),
                1 => "Une autre raison que celle de la première signature.".into(),
                _ => reason.into(),
            };
            let who = signatory(rng);
            let act = Mutation::TerminateAdhesion(TerminateAdhesion {
                adhesion_id: adhesion(rng),
                reason,
            });
            (who, act)
        }
        // A titular names the agent as a substitute (now and then the agent tries it).
        16..=19 => {
            let who = pick(rng, &[Who::Mayor, Who::Dg, Who::Mayor, Who::Dg, Who::Agent]);
            let capacity = pick(
                rng,
                &[
                    Capacity::MayorActing,
                    Capacity::DirectorGeneralActing,
                    Capacity::DelegatedAlderman,
                    Capacity::MayorActing,
                    Capacity::Titular,
                ],
            );
            let from = today + Duration::days(pick(rng, &[-3, 0, 0, 0, 2]));
            let to = from + Duration::days(pick(rng, &[-1, 4, 20, 60]));
            let decided = if rng.gen_bool(0.1) {
                from + Duration::days(1)
            } else {
                from.min(today) - Duration::days(5)
            };
            let id = if rng.gen_bool(0.1) && !known.substitutions.is_empty() {
                pick(rng, &known.substitutions)
            } else {
                Uuid::now_v7()
            };
            let act = Mutation::RecordSubstitution(RecordSubstitution {
                substitution_id: id,
                capacity,
                substitute_username: match capacity {
                    Capacity::DirectorGeneralActing => AGENT.into(),
                    _ => ALDERMAN.into(),
                },
                from,
                to,
                decision: Decision {
                    organ: pick(
                        rng,
                        &[
                            Organ::College,
                            Organ::College,
                            Organ::Mayor,
                            Organ::DirectorGeneral {
                                authorisation_date: decided - chrono::Duration::days(3),
                            },
                        ],
                    ),
                    reference: "COL/2026/5".into(),
                    date: decided,
                    financial_opinion: None,
                },
                ranked_before_unavailable: None,
                documents: Some(vec![
                    DelegatedDocument::Award,
                    DelegatedDocument::Acceptance,
                ]),
            });
            (who, act)
        }
        20 => {
            let who = pick(rng, &[Who::Mayor, Who::Dg, Who::Agent, Who::OtherDg]);
            let id = if known.substitutions.is_empty() || rng.gen_bool(0.15) {
                Uuid::now_v7()
            } else {
                pick(rng, &known.substitutions)
            };
            let act = Mutation::EndSubstitution(EndSubstitution {
                substitution_id: id,
            });
            (who, act)
        }
        _ => {
            let who = signatory(rng);
            (who, m::sign_adhesion(adhesion(rng), sha))
        }
    };
    Some((who, act))
}

#[tokio::test]
async fn the_pc_and_the_server_decide_alike_on_the_adhesions_acts() {
    let steps = env_number("CENTRALE_DECIDE_STEPS", 150);
    let seeds = match std::env::var("CENTRALE_DECIDE_SEED") {
        Ok(_) => vec![env_number("CENTRALE_DECIDE_SEED", 1)],
        Err(_) => vec![1, 2, 3],
    };
    let mut seen = Seen::default();
    for seed in seeds {
        let walked = walk(seed, steps).await;
        seen.accepted.extend(walked.accepted);
        for (key, n) in walked.refusals {
            *seen.refusals.entry(key).or_insert(0) += n;
        }
    }
    // The walks signed, countersigned, activated and gave notice; named substitutes; and
    // refused (each side agreeing on the code): a signature for the role and outside a
    // substitution's days, a countersignature for the state, a second adhesion.
    for act in [
        "adhesion.start",
        "adhesion.record_college_decision",
        "adhesion.sign",
        "adhesion.countersign",
        "adhesion.activate",
        "adhesion.terminate",
        "substitution.record",
        "substitution.end",
    ] {
        assert!(
            seen.accepted.contains(act),
            "no {act} accepted: {:?}",
            seen.accepted
        );
    }
    for (act, code) in [
        ("adhesion.sign", "forbidden"),
        ("adhesion.sign", "substitution_not_in_force"),
        ("adhesion.countersign", "invalid_state"),
        ("adhesion.start", "adhesion_exists"),
    ] {
        assert!(
            seen.refusals.contains_key(&(act, code.to_string())),
            "no {act} refused with {code}: {:?}",
            seen.refusals
        );
    }
}

/// One walk of `steps` acts from a fresh server (no adhesion for Bertrix yet).
async fn walk(seed: u64, steps: u64) -> Seen {
    println!("same_decision (adhesion) seed {seed} ({steps} steps)");
    let mut rng = StdRng::seed_from_u64(seed);
    let server = TestServer::spawn().await;
    let sha = convention_sha(&server).await;
    let mut pcs = Vec::new();
    for who in Who::ALL {
        let pc = TestClient::sign_in(SyncConfig::new(&server.base), who.user()).await;
        pc.sync().await;
        pcs.push((who, pc));
    }
    let mut known = Known::default();
    let mut seen = Seen::default();
    for step in 0..steps {
        let Some((who, act)) = random_act(&mut rng, &known, &sha, server.now()) else {
            let days = pick(&mut rng, &[1, 2, 5, 9, 30]);
            server.clock.advance(Duration::days(days));
            continue;
        };
        let pc = &pcs
            .iter()
            .find(|(w, _)| *w == who)
            .expect("every account has its PC")
            .1;
        let at = format!("seed {seed}, step {step} ({})", server.now());
        if decide_alike(&server, pc, who.user(), &act, &at, &mut seen).await {
            match &act {
                Mutation::StartAdhesion(s) if who == Who::OtherDg => {
                    known.other_adhesions.push(s.adhesion_id);
                }
                Mutation::StartAdhesion(s) => known.adhesions.push(s.adhesion_id),
                Mutation::RecordSubstitution(s) => known.substitutions.push(s.substitution_id),
                _ => {}
            }
        }
    }
    println!(
        "seed {seed}: accepted {:?}, refused {:?}",
        seen.accepted, seen.refusals
    );
    seen
}
