//! Issue 11 §1: the PC's offline effects and the server decide alike. A seeded random walk of a
//! commune's acts on its orders, and of the centrale's launches of competitions on them — valid
//! and invalid payloads, known and unknown records, every state the two bring an order to — is
//! decided first by the acting account's PC (`Store::enqueue_at` with the server's time, the
//! offline path). An act the PC accepts is sent and must be
//! applied by the server; an act the PC refuses is pushed straight to the server (as a PC
//! without the rule would) and must be refused there with the same code.
//!
//! Three fixed seeds by default, so that CI decides the same every time;
//! `CENTRALE_DECIDE_SEED=<n>` walks another one, `CENTRALE_DECIDE_STEPS` sets the length.

use centrale_domain::adhesion::{Decision, Organ};
use centrale_protocol::mutations::{CloseOrder, Mutation, SubmitOrder, WithdrawOrder};
use centrale_protocol::MutationStatus;
use centrale_store::StoreError;
use centrale_sync::SyncConfig;
use centrale_tests::mutations as m;
use centrale_tests::server::activate_adhesion;
use centrale_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

/// Who acts: the commune's directeur général or the centrale's buyer, each on their own PC.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Commune,
    Centrale,
}

/// One act of the walk and who does it.
fn random_act(
    rng: &mut StdRng,
    orders: &[Uuid],
    now: chrono::DateTime<chrono::Utc>,
) -> (Who, Mutation) {
    // Mostly the orders the walk created; sometimes one that does not exist.
    let order = |rng: &mut StdRng| {
        if orders.is_empty() || rng.gen_bool(0.1) {
            Uuid::now_v7()
        } else {
            orders[rng.gen_range(0..orders.len())]
        }
    };
    let title = |rng: &mut StdRng| match rng.gen_range(0..6) {
        0 => String::new(),
        1 => "x".repeat(201),
        _ => format!("E-guichet {}", rng.gen_range(2027..2030)),
    };
    let reason = |rng: &mut StdRng| match rng.gen_range(0..4) {
        0 => String::new(),
        1 => "Non".into(),
        _ => "Le conseil communal n'a pas voté le crédit.".into(),
    };
    let act = match rng.gen_range(0..12) {
        // The centrale launches the competition: too soon, or far enough.
        9 | 10 => {
            let days = [3, 12, 20][rng.gen_range(0..3)];
            return (
                Who::Centrale,
                m::launch_competition(order(rng), now + chrono::Duration::days(days)),
            );
        }
        // The commune withdraws a running competition, motivated or not.
        11 => Mutation::WithdrawOrder(WithdrawOrder {
            order_id: order(rng),
            reason: if rng.gen_bool(0.5) {
                "Trop court".into()
            } else {
                "Le collège renonce : le besoin est couvert par la province.".into()
            },
            college_decision: Decision {
                organ: Organ::College,
                reference: "COL/2026/301".into(),
                date: centrale_domain::time::brussels_today(now),
                financial_opinion: None,
            },
        }),
        0 | 1 => m::create_draft(Uuid::now_v7(), &title(rng)),
        2 => m::update_draft(order(rng), &title(rng), rng.gen_range(0..4)),
        3 => m::delete_draft(order(rng)),
        4 => m::submit(order(rng)),
        5 => Mutation::SubmitOrder(SubmitOrder {
            order_id: order(rng),
            decision: None,
            budget_article: String::new(),
        }),
        6 => m::declare_no_conflict(order(rng)),
        7 => Mutation::CancelOrder(CloseOrder {
            order_id: order(rng),
            reason: reason(rng),
        }),
        _ => m::update_draft(order(rng), "E-guichet 2027", 0),
    };
    (Who::Commune, act)
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

#[tokio::test]
async fn the_pc_and_the_server_decide_alike_on_random_acts() {
    let steps = env_number("CENTRALE_DECIDE_STEPS", 150);
    let seeds = match std::env::var("CENTRALE_DECIDE_SEED") {
        Ok(_) => vec![env_number("CENTRALE_DECIDE_SEED", 1)],
        Err(_) => vec![1, 2, 3],
    };
    let mut accepted = std::collections::BTreeSet::new();
    for seed in seeds {
        accepted.extend(walk(seed, steps).await);
    }
    // The walks reached the competition: launched by the centrale, withdrawn by the commune.
    for act in [
        "order.submit",
        "order.launch_competition",
        "order.withdraw",
        "order.cancel",
    ] {
        assert!(accepted.contains(act), "no {act} accepted: {accepted:?}");
    }
}

/// One walk of `steps` acts from a fresh server, decided by the PC, then by the server; the
/// names of the acts accepted.
async fn walk(seed: u64, steps: u64) -> std::collections::BTreeSet<&'static str> {
    let mut names = std::collections::BTreeSet::new();
    println!("same_decision seed {seed} ({steps} steps)");
    let mut rng = StdRng::seed_from_u64(seed);

    let server = TestServer::spawn().await;
    activate_adhesion(&server, "84009").await;
    let pc_commune = TestClient::sign_in(SyncConfig::new(&server.base), DG).await;
    pc_commune.sync().await;
    let centrale = TestClient::sign_in(SyncConfig::new(&server.base), CENTRALE).await;
    centrale.sync().await;

    let mut orders: Vec<Uuid> = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for step in 0..steps {
        let (who, act) = random_act(&mut rng, &orders, server.now());
        let name = act.name();
        let (pc, user) = match who {
            Who::Commune => (&pc_commune, DG),
            Who::Centrale => (&centrale, CENTRALE),
        };
        // Each PC knows what the other did (the walk syncs after every act).
        pc.sync().await;
        match pc.store.enqueue_at(&act, server.now()) {
            Ok(_) => {
                accepted += 1;
                names.insert(name);
                if let Mutation::CreateOrderDraft(d) = &act {
                    orders.push(d.order_id);
                }
                let report = pc.sync().await;
                assert_eq!(
                    (report.rejected, report.conflicts),
                    (0, 0),
                    "seed {seed}, step {step}: the PC of {who:?} accepted {name}, the server did not ({:?})",
                    pc.store
                        .needs_attention()
                        .map(|a| a.iter().map(|e| e.error_code.clone()).collect::<Vec<_>>())
                );
            }
            Err(err @ (StoreError::Rule(_) | StoreError::Refused { .. })) => {
                refused += 1;
                let result = server.push(user, &[act]).await.remove(0);
                assert_eq!(
                    (result.status, result.code.as_deref()),
                    (MutationStatus::Rejected, Some(err.code())),
                    "seed {seed}, step {step}: the PC of {who:?} refused {name} ({err}), the server answered {:?}",
                    result.message
                );
            }
            Err(other) => panic!("seed {seed}, step {step}: {name} failed on the PC: {other}"),
        }
    }
    // The walk exercised both paths.
    assert!(
        accepted > 0 && refused > 0,
        "accepted {accepted}, refused {refused}"
    );
    names
}
