//! The permission matrix: for each mutation, which of the five roles may do it. Every role is
//! tried on a state where the mutation would otherwise be possible; refused roles get
//! `forbidden` (or `not_found` for what they cannot even see) and nothing changes.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_protocol::MutationStatus;
use centrale_server::seed::{demo_convention_template_id, demo_framework_id, demo_provider_id};
use centrale_server::Clock;
use chrono::Duration;
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// The five roles: director general, mayor, commune agent, centrale, a provider.
const ROLES: [&str; 5] = [DG, MAYOR, AGENT, CENTRALE, NUAGIX];

/// One row of the matrix.
struct Case {
    name: &'static str,
    /// Roles that may do it, in the order they try (each with its own payload, or the same).
    allowed: Vec<&'static str>,
    payloads: Vec<Value>,
    /// Payload the refused roles try (a target on which the mutation is otherwise possible).
    denied_payload: Value,
    /// Roles left out (allowed in principle but the state allows only one of them).
    unchecked: Vec<&'static str>,
    /// Extra refusals with their code (e.g. another provider → not_found).
    extra_denied: Vec<(&'static str, &'static str)>,
    /// Check that a refusal changes nothing (by pulling: not while a pull would open offers).
    snapshot: bool,
}

impl Case {
    fn new(
        name: &'static str,
        allowed: &[&'static str],
        payloads: Vec<Value>,
        denied_payload: Value,
    ) -> Case {
        Case {
            name,
            allowed: allowed.to_vec(),
            payloads,
            denied_payload,
            unchecked: vec![],
            extra_denied: vec![],
            snapshot: true,
        }
    }

    fn same(name: &'static str, allowed: &[&'static str], payload: Value) -> Case {
        Case::new(name, allowed, vec![payload.clone()], payload)
    }

    fn unchecked(mut self, roles: &[&'static str]) -> Case {
        self.unchecked = roles.to_vec();
        self
    }

    fn without_snapshot(mut self) -> Case {
        self.snapshot = false;
        self
    }

    fn also_denied(mut self, role: &'static str, code: &'static str) -> Case {
        self.extra_denied.push((role, code));
        self
    }
}

/// Runs one row: refused roles first (nothing may change), then the allowed ones.
async fn check(app: &TestApp, case: Case) {
    let mut denied: Vec<(&str, &str)> = ROLES
        .iter()
        .filter(|r| !case.allowed.contains(r) && !case.unchecked.contains(r))
        .map(|r| (*r, "forbidden"))
        .collect();
    denied.extend(case.extra_denied.iter().copied());
    for (role, code) in denied {
        let before = if case.snapshot {
            app.pull_since(&app.token(CENTRALE).await, 0).await.1
        } else {
            0
        };
        let result = app
            .push_one_as(role, case.name, case.denied_payload.clone(), None)
            .await;
        assert_eq!(
            (result.status, result.code.as_deref()),
            (MutationStatus::Rejected, Some(code)),
            "{} by {role}: expected {code}, got {:?}",
            case.name,
            result.message
        );
        assert_french(result.message.as_deref().unwrap());
        if code == "forbidden" {
            // The message says who may do it.
            assert!(
                result.message.as_deref().unwrap().contains("réservée"),
                "{}: {:?}",
                case.name,
                result.message
            );
        }
        let after = if case.snapshot {
            app.pull_since(&app.token(CENTRALE).await, 0).await.1
        } else {
            0
        };
        assert_eq!(
            before, after,
            "{} by {role}: a refusal changes nothing",
            case.name
        );
    }
    for (i, role) in case.allowed.iter().enumerate() {
        let payload = case.payloads.get(i).unwrap_or(&case.payloads[0]).clone();
        let result = app.push_one_as(role, case.name, payload, None).await;
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{} by {role} should be allowed: {:?} {:?}",
            case.name,
            result.code,
            result.message
        );
    }
}

fn order(id: Uuid) -> Value {
    json!({"order_id": id})
}

#[tokio::test]
async fn the_permission_matrix_of_the_mutations() {
    let app = spawn_app().await;
    let template = demo_convention_template_id();

    // ---- adhesion ------------------------------------------------------------------------
    let adhesion = Uuid::now_v7();
    let start = json!({"adhesion_id": adhesion, "template_id": template});
    // Only one adhesion per commune: the DG starts it; the mayor and agent could have too.
    check(
        &app,
        Case::same("adhesion.start", &[DG], start).unchecked(&[MAYOR, AGENT]),
    )
    .await;
    let decision = json!({"adhesion_id": adhesion, "college_decision": conseil("COL/2026/11")});
    check(
        &app,
        Case::same(
            "adhesion.record_college_decision",
            &[DG, MAYOR, AGENT],
            decision,
        ),
    )
    .await;
    let sha = app
        .state_of(DG)
        .await
        .get(RecordKind::ConventionTemplate, template)
        .unwrap()["sha256"]
        .clone();
    let sign = json!({"adhesion_id": adhesion, "text_sha256": sha});
    check(
        &app,
        Case::same("adhesion.sign", &[DG, MAYOR], sign.clone()),
    )
    .await;
    check(&app, Case::same("adhesion.countersign", &[CENTRALE], sign)).await;
    check(
        &app,
        Case::same(
            "adhesion.activate",
            &[CENTRALE],
            json!({"adhesion_id": adhesion}),
        ),
    )
    .await;

    // ---- order drafts -------------------------------------------------------------------------
    let drafts: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
    let payloads: Vec<Value> = drafts
        .iter()
        .map(|id| create_draft(*id, "e-guichet", "Commande du tableau", eguichet_needs()))
        .collect();
    let denied = create_draft(
        Uuid::now_v7(),
        "e-guichet",
        "Commande refusée",
        eguichet_needs(),
    );
    check(
        &app,
        Case::new("order.create_draft", &[DG, MAYOR, AGENT], payloads, denied),
    )
    .await;
    let update =
        json!({"order_id": drafts[0], "title": "Commande modifiée", "needs": eguichet_needs()});
    check(
        &app,
        Case::same("order.update_draft", &[DG, MAYOR, AGENT], update),
    )
    .await;
    check(
        &app,
        Case::new(
            "order.submit",
            &[DG, MAYOR, AGENT],
            drafts.iter().map(|d| submit(*d)).collect(),
            submit(drafts[0]),
        ),
    )
    .await;
    // Whoever evaluates or decides declares no conflict of interest (law of 17 June 2016
    // art. 6): any commune account, on its own name.
    let declare = |id: Uuid| {
        json!({"order_id": id,
               "statement_sha256": centrale_domain::order::no_conflict_statement_sha256()})
    };
    check(
        &app,
        Case::same(
            "order.declare_no_conflict",
            &[DG, MAYOR, AGENT],
            declare(drafts[0]),
        ),
    )
    .await;
    for user in [DG, MAYOR, AGENT] {
        app.declare_no_conflict(user, drafts[1]).await;
    }
    let mut more = Vec::new();
    for i in 0..6 {
        more.push(
            draft_order(
                &app,
                "e-guichet",
                &format!("Brouillon {i}"),
                eguichet_needs(),
            )
            .await,
        );
    }
    let reason = "La commune renonce à ce projet.";
    check(
        &app,
        Case::new(
            "order.cancel",
            &[DG, MAYOR, AGENT],
            more[..3]
                .iter()
                .map(|d| json!({"order_id": d, "reason": reason}))
                .collect(),
            json!({"order_id": more[0], "reason": reason}),
        ),
    )
    .await;
    check(
        &app,
        Case::new(
            "order.delete_draft",
            &[DG, MAYOR, AGENT],
            more[3..].iter().map(|d| order(*d)).collect(),
            order(more[3]),
        ),
    )
    .await;

    // ---- mini-competition ---------------------------------------------------------------------
    let (s1, s2) = (drafts[0], drafts[1]);
    let deadline = app.clock.now() + Duration::days(15);
    check(
        &app,
        Case::same(
            "order.launch_competition",
            &[CENTRALE],
            json!({"order_id": s1, "deadline": deadline}),
        ),
    )
    .await;
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": s2, "deadline": deadline}),
    )
    .await;
    let centrale = app.state_of(CENTRALE).await;
    let invitation = |order_id: Uuid, short: &str| -> String {
        centrale
            .find(RecordKind::Invitation, "order_id", order_id.to_string())
            .into_iter()
            .find(|i| i["provider_id"] == demo_provider_id(short).to_string().as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let n1 = Uuid::now_v7();
    check(
        &app,
        Case::same(
            "offer.submit",
            &[NUAGIX],
            offer_payload(n1, &invitation(s1, "nuagix"), 380_000, 14_000),
        )
        .also_denied(CIVITECH, "not_found"),
    )
    .await;
    let (c1, n2, c2) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(c1, &invitation(s1, "civitech"), 420_000, 17_000),
    )
    .await;
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(n2, &invitation(s2, "nuagix"), 380_000, 14_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(c2, &invitation(s2, "civitech"), 420_000, 17_000),
    )
    .await;

    // Opening at the deadline: the centrale or the commune (no pull in between: a pull opens).
    app.clock.set(deadline);
    check(
        &app,
        Case::new(
            "order.open_offers",
            &[CENTRALE, DG],
            vec![order(s1), order(s2)],
            order(s1),
        )
        .unchecked(&[MAYOR, AGENT])
        .without_snapshot(),
    )
    .await;
    let scores = |a: Uuid, b: Uuid| -> Vec<Value> {
        ["quality", "lead_time"]
            .iter()
            .flat_map(|code| {
                [
                    json!({"offer_id": a, "criterion_code": code, "points": "18",
                           "justification": "Très bonne réponse sur ce critère."}),
                    json!({"offer_id": b, "criterion_code": code, "points": "9",
                           "justification": "Réponse partielle sur ce critère."}),
                ]
            })
            .collect()
    };
    check(
        &app,
        Case::same(
            "order.evaluate",
            &[DG, MAYOR, AGENT],
            json!({"order_id": s1, "scores": scores(n1, c1)}),
        ),
    )
    .await;
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": s2, "scores": scores(n2, c2)}),
    )
    .await;
    let award = |order_id: Uuid, offer: Uuid| {
        json!({"order_id": order_id, "offer_id": offer,
               "justification": "Offre classée première selon les critères de l'accord-cadre.",
               "college_decision": app.college("COL/2026/99")})
    };
    check(
        &app,
        Case::new(
            "order.award",
            &[DG, MAYOR],
            vec![award(s1, n1), award(s2, n2)],
            award(s1, n1),
        ),
    )
    .await;
    check(
        &app,
        Case::same(
            "order.issue_purchase_order",
            &[CENTRALE],
            json!({"order_id": s1, "reference": "BC-2026-0001", "contract_manager_name": "Marie Dupont", "contract_manager_quality": "Responsable informatique"}),
        ),
    )
    .await;

    // ---- deployment ---------------------------------------------------------------------------
    let milestones =
        app.state_of(NUAGIX)
            .await
            .find(RecordKind::Milestone, "order_id", s1.to_string());
    let milestone = |kind: &str| -> String {
        milestones.iter().find(|m| m["kind"] == kind).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let today = app.clock.today();
    check(
        &app,
        Case::new(
            "milestone.update",
            &[NUAGIX, CENTRALE],
            vec![
                json!({"milestone_id": milestone("kickoff"), "actual_date": today}),
                json!({"milestone_id": milestone("configuration"), "actual_date": today}),
            ],
            json!({"milestone_id": milestone("kickoff"), "actual_date": today}),
        )
        .also_denied(CIVITECH, "not_found"),
    )
    .await;
    app.apply(
        NUAGIX,
        "milestone.update",
        json!({"milestone_id": milestone("integration"), "actual_date": today}),
    )
    .await;
    check(
        &app,
        Case::new(
            "milestone.acknowledge",
            &[DG, MAYOR, AGENT],
            ["kickoff", "configuration", "integration"]
                .iter()
                .map(|k| json!({"milestone_id": milestone(k)}))
                .collect(),
            json!({"milestone_id": milestone("kickoff")}),
        ),
    )
    .await;

    // ---- acceptances (signatories: one signs each, the other is left out by the state) --------
    app.apply(
        NUAGIX,
        "milestone.update",
        json!({"milestone_id": milestone("training"), "actual_date": today}),
    )
    .await;
    app.apply(
        NUAGIX,
        "milestone.update",
        json!({"milestone_id": milestone("go_live"), "actual_date": today}),
    )
    .await;
    let acceptance =
        json!({"order_id": s1, "date": today, "remarks": "Conforme au cahier des charges."});
    check(
        &app,
        Case::same("order.accept_provisional", &[DG], acceptance.clone()).unchecked(&[MAYOR]),
    )
    .await;
    // The final acceptance once the guarantee period (12 months) has run; then back to the
    // test's day for the acts that follow.
    let back = app.clock.now();
    app.clock.set(back + Duration::days(366));
    let acceptance = json!({"order_id": s1, "date": app.clock.today(),
                            "remarks": "Conforme au cahier des charges."});
    check(
        &app,
        Case::same("order.accept_final", &[MAYOR], acceptance).unchecked(&[DG]),
    )
    .await;
    app.clock.set(back);

    // ---- withdrawal during a competition (signatories) ---------------------------------------
    let w = draft_order(&app, "e-guichet", "À retirer", eguichet_needs()).await;
    app.apply(DG, "order.submit", submit(w)).await;
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": w, "deadline": app.clock.now() + Duration::days(15)}),
    )
    .await;
    check(
        &app,
        Case::same(
            "order.withdraw",
            &[MAYOR],
            json!({"order_id": w, "reason": "Le collège a reporté le projet à l'an prochain.",
                   "college_decision": app.college("COL/2026/42")}),
        )
        .unchecked(&[DG]),
    )
    .await;

    // ---- direct award -------------------------------------------------------------------------
    let rooms = add_direct_rooms(&app, None).await;
    let r1 = draft_order(&app, rooms, "Salles 1", salles_needs()).await;
    let r2 = draft_order(&app, rooms, "Salles 2", salles_needs()).await;
    app.apply(DG, "order.submit", submit(r1)).await;
    app.apply(DG, "order.submit", submit(r2)).await;
    app.declare_no_conflict(DG, r1).await;
    app.declare_no_conflict(MAYOR, r2).await;
    let direct = |order_id: Uuid| {
        json!({"order_id": order_id, "provider_id": demo_provider_id("reservix"),
               "justification": "Attribution directe aux conditions de l'accord-cadre.",
               "college_decision": app.college("COL/2026/100")})
    };
    check(
        &app,
        Case::new(
            "order.direct_award",
            &[DG, MAYOR],
            vec![direct(r1), direct(r2)],
            direct(r1),
        ),
    )
    .await;

    // ---- catalogue ----------------------------------------------------------------------------
    check(
        &app,
        Case::same(
            "provider.register",
            &[CENTRALE],
            json!({"provider_id": Uuid::now_v7(), "short_name": "nouveau", "name": "Nouveau Prestataire SRL",
                   "enterprise_number": "0987.654.394", "address": "Grand-Rue 1, 6800 Libramont",
                   "contact_email": "offres@nouveau.example"}),
        ),
    )
    .await;
    check(
        &app,
        Case::same(
            "framework.publish_version",
            &[CENTRALE],
            json!({"framework_id": demo_framework_id("CA-2025-03"), "change_note": "Échéance avancée au 30/06/2029.", "end_date": "2029-06-30",
                   "legal_basis": {"kind": "correction", "note": "Date de fin erronée dans la version publiée."}}),
        ),
    )
    .await;

    // ---- termination of the adhesion, last (no order can follow it) --------------------------
    check(
        &app,
        Case::same(
            "adhesion.terminate",
            &[DG],
            json!({"adhesion_id": adhesion,
                   "reason": "La commune confie ses achats à une autre centrale."}),
        )
        .unchecked(&[MAYOR]),
    )
    .await;
}
