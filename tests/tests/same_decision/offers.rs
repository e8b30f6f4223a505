//! The order walk's acts on the offers and the execution: the providers' offers (on the
//! server: providers use the portal), the server's clock passing deadlines, the opening (by the
//! server at a pull, or asked by the commune before one), setting an offer aside, the price
//! verification (asked by the commune or the centrale, answered by the provider on the server,
//! accepted by the commune), the evaluation, the award, the purchase order and the milestones'
//! acts (update and re-plan request by the centrale for the provider; acknowledgement, decision
//! on a re-plan and the acceptances by the commune). Each act aims at a record in the state it
//! needs most of the time (read from the server's records, as the centrale sees them), with a
//! valid payload mostly, so that the walk carries orders from the competition to the final
//! acceptance; the rest of the time at another record, or with a payload a rule refuses.

use std::collections::HashMap;

use centrale_protocol::mutations::Mutation;
use centrale_server::seed::demo_provider_id;
use centrale_tests::calloff::{mutation, quality_criteria};
use centrale_tests::{TestServer, CENTRALE, CIVITECH, NUAGIX};
use rand::rngs::StdRng;
use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

use super::Who;

/// One step of this part of the walk.
pub enum Step {
    /// Decided by that account's PC, then by the server (`decide_alike`).
    Pc(Who, Mutation),
    /// Decided by the server alone (a provider on the portal), as this account.
    Server(&'static str, Mutation),
    /// The server's clock moves on by these days; then, when given, the commune asks the
    /// server to open this order's offers before any pull does.
    Advance(i64, Option<Uuid>),
}

/// What the walk remembers of the providers' offers: each invitation's offer id (a provider
/// replaces its offer under the same id).
#[derive(Default)]
pub struct Offers {
    by_invitation: HashMap<String, Uuid>,
}

impl Offers {
    /// `invitation`'s offer was applied under `offer_id`.
    pub fn submitted(&mut self, invitation: &str, offer_id: Uuid) {
        self.by_invitation
            .entry(invitation.to_string())
            .or_insert(offer_id);
    }
}

fn pick<T: Clone>(rng: &mut StdRng, from: &[T]) -> Option<T> {
    (!from.is_empty()).then(|| from[rng.gen_range(0..from.len())].clone())
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

/// The provider's shared account.
fn provider_user(provider_id: &str) -> Option<&'static str> {
    [("nuagix", NUAGIX), ("civitech", CIVITECH)]
        .into_iter()
        .find(|(short, _)| demo_provider_id(short).to_string() == provider_id)
        .map(|(_, user)| user)
}

/// The next act of the offers' part of the walk, chosen on the server's records now.
pub async fn step(rng: &mut StdRng, server: &TestServer, known: &Offers) -> Option<Step> {
    let now = server.now();
    let today = centrale_domain::time::brussels_today(now);
    let view = server.view(CENTRALE).await;
    let orders: Vec<(String, Value)> = view
        .of_kind("order")
        .into_iter()
        .map(|(id, o)| (id.to_string(), o.clone()))
        .collect();
    let in_status = |statuses: &[&str]| -> Vec<(String, Value)> {
        orders
            .iter()
            .filter(|(_, o)| statuses.contains(&str_of(o, "status")))
            .cloned()
            .collect()
    };
    let offers_of = |order_id: &str| -> Vec<Value> {
        view.of_kind("offer")
            .into_iter()
            .filter(|(_, o)| str_of(o, "order_id") == order_id)
            .map(|(_, o)| o.clone())
            .collect()
    };
    let milestones: Vec<Value> = view
        .of_kind("milestone")
        .into_iter()
        .map(|(_, m)| m.clone())
        .collect();
    let some_order = |rng: &mut StdRng| {
        pick(rng, &orders).map_or_else(Uuid::now_v7, |(id, _)| id.parse().unwrap())
    };
    let decision = |date: chrono::NaiveDate| json!({"organ": {"kind": "college"}, "reference": "COL/2026/310", "date": date});
    let opened = in_status(&["offers_opened", "evaluated"]);
    let step = match rng.gen_range(0..21) {
        // A provider submits (or replaces) its offer on a running invitation; now and then
        // with a lead time the framework refuses, or under a second id.
        0..=2 => {
            let sent: Vec<(String, Value)> = view
                .of_kind("invitation")
                .into_iter()
                .filter(|(_, i)| i["status"] == "sent")
                .map(|(id, i)| (id.to_string(), i.clone()))
                .collect();
            let (invitation, inv) = pick(rng, &sent)?;
            let user = provider_user(str_of(&inv, "provider_id"))?;
            let offer_id = match known.by_invitation.get(&invitation) {
                Some(id) if rng.gen_bool(0.8) => *id,
                _ => Uuid::now_v7(),
            };
            Step::Server(
                user,
                mutation(
                    "offer.submit",
                    json!({
                        "offer_id": offer_id,
                        "invitation_id": invitation,
                        "lines": [
                            {"price_line_code": "setup", "unit_price_cents": rng.gen_range(300_000..450_000)},
                            {"price_line_code": "licence", "unit_price_cents": rng.gen_range(12_000..17_000)}
                        ],
                        "lead_time_days": if rng.gen_bool(0.1) { 0 } else { rng.gen_range(30..90) },
                        "notes": "Hébergement en Belgique, support en français.",
                    }),
                ),
            )
        }
        // The clock passes a deadline (or not); the commune then asks for the opening before
        // the next pull opens it (or for an order whose deadline has not passed).
        3 | 4 => {
            let days = pick(rng, &[2, 6, 11, 16, 35]).unwrap_or(1);
            let due = in_status(&["competition_open"]);
            let open = pick(rng, &due)
                .filter(|_| rng.gen_bool(0.6))
                .map(|(id, _)| id.parse().unwrap());
            Step::Advance(days, open)
        }
        // The commune sets an opened offer aside: irregular, or abnormally low (only after
        // a price request); motivated, or not enough.
        5 => {
            let (order_id, _) = pick(rng, &opened)?;
            let offer = pick(rng, &offers_of(&order_id))?;
            Step::Pc(
                Who::Commune,
                mutation(
                    "order.set_offer_aside",
                    json!({"order_id": order_id, "offer_id": str_of(&offer, "id"),
                           "ground": if rng.gen_bool(0.5) { "irregular" } else { "abnormally_low" },
                           "motivation": if rng.gen_bool(0.8) {
                               "L'offre ne contient pas le formulaire de prix signé."
                           } else { "Non" }}),
                ),
            )
        }
        // The commune or the centrale asks a provider to justify its prices, with a time
        // limit long enough or too short.
        6 => {
            let (order_id, _) = pick(rng, &opened)?;
            let offer = pick(rng, &offers_of(&order_id))?;
            let who = if rng.gen_bool(0.5) {
                Who::Commune
            } else {
                Who::Centrale
            };
            let days = pick(rng, &[5, 15, 20]).unwrap_or(15);
            Step::Pc(
                who,
                mutation(
                    "order.ask_price_justification",
                    json!({"order_id": order_id, "request_id": Uuid::now_v7(),
                           "offer_id": str_of(&offer, "id"),
                           "prices": "Le prix de mise en place paraît anormalement bas.",
                           "deadline": now + chrono::Duration::days(days)}),
                ),
            )
        }
        // The provider asked answers on the portal (or another provider tries).
        7 => {
            let requests: Vec<(String, Value)> = orders
                .iter()
                .flat_map(|(id, o)| {
                    o["price_requests"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .map(move |r| (id.clone(), r))
                })
                .collect();
            let (order_id, request) = pick(rng, &requests)?;
            let invitations: Vec<(String, Value)> = view
                .of_kind("invitation")
                .into_iter()
                .filter(|(_, i)| str_of(i, "order_id") == order_id)
                .map(|(id, i)| (id.to_string(), i.clone()))
                .collect();
            let asked = invitations
                .iter()
                .filter(|(_, i)| i["provider_id"] == request["provider_id"])
                .max_by_key(|(_, i)| str_of(i, "sent_at").to_string())
                .cloned();
            let (invitation, inv) = if rng.gen_bool(0.8) {
                asked?
            } else {
                pick(rng, &invitations)?
            };
            let user = provider_user(str_of(&inv, "provider_id"))?;
            Step::Server(
                user,
                mutation(
                    "order.answer_price_justification",
                    json!({"invitation_id": invitation, "request_id": str_of(&request, "id"),
                           "answer": if rng.gen_bool(0.85) {
                               "Nos coûts de mise en place sont amortis sur d'autres communes."
                           } else { "" }}),
                ),
            )
        }
        // The commune accepts a justification (answered, or not yet).
        8 => {
            let with_requests: Vec<(String, Value)> = orders
                .iter()
                .filter(|(_, o)| {
                    o["price_requests"]
                        .as_array()
                        .is_some_and(|r| !r.is_empty())
                })
                .cloned()
                .collect();
            let (order_id, order) = pick(rng, &with_requests)?;
            let request = pick(rng, order["price_requests"].as_array()?)?;
            Step::Pc(
                Who::Commune,
                mutation(
                    "order.accept_price_justification",
                    json!({"order_id": order_id, "request_id": str_of(&request, "id")}),
                ),
            )
        }
        // The commune declares no conflict of interest before evaluating and deciding.
        9 => {
            let (order_id, _) = pick(rng, &opened)?;
            Step::Pc(
                Who::Commune,
                centrale_tests::mutations::declare_no_conflict(order_id.parse().unwrap()),
            )
        }
        // The commune scores the opened offers (each quality criterion of each offer not set
        // aside; now and then one missing, or over the criterion's weight).
        10 | 11 => {
            let (order_id, order) = pick(rng, &opened)?;
            let set_aside: Vec<&str> = order["set_aside"]
                .as_array()
                .map(|s| s.iter().map(|x| str_of(x, "offer_id")).collect())
                .unwrap_or_default();
            let points = if rng.gen_bool(0.9) { "8" } else { "99" };
            let mut scores = Vec::new();
            for code in quality_criteria(server).await {
                for offer in offers_of(&order_id) {
                    if set_aside.contains(&str_of(&offer, "id")) {
                        continue;
                    }
                    scores.push(
                        json!({"offer_id": str_of(&offer, "id"), "criterion_code": code,
                                       "points": points,
                                       "justification": "Solution complète et documentée."}),
                    );
                }
            }
            if rng.gen_bool(0.1) {
                scores.pop();
            }
            Step::Pc(
                Who::Commune,
                mutation(
                    "order.evaluate",
                    json!({"order_id": order_id, "scores": scores}),
                ),
            )
        }
        // The collège awards to the offer ranked first (or another), by a decision of today
        // (or dated before the opening).
        12 | 13 => {
            let evaluated = in_status(&["evaluated"]);
            let (order_id, order) = pick(rng, &evaluated).or_else(|| pick(rng, &opened))?;
            let ranked: Vec<String> = order["evaluation"]["ranking"]["offers"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|o| str_of(o, "offer_id").to_string())
                        .collect()
                })
                .unwrap_or_default();
            let others: Vec<String> = offers_of(&order_id)
                .iter()
                .map(|o| str_of(o, "id").to_string())
                .collect();
            let offer = if rng.gen_bool(0.8) {
                ranked.first().cloned()
            } else {
                pick(rng, &others)
            }?;
            let date = if rng.gen_bool(0.9) {
                today
            } else {
                today - chrono::Duration::days(60)
            };
            Step::Pc(
                Who::Commune,
                mutation(
                    "order.award",
                    json!({"order_id": order_id, "offer_id": offer,
                           "justification": "Offre classée première selon les critères de l'accord-cadre.",
                           "college_decision": decision(date)}),
                ),
            )
        }
        // The centrale issues the purchase order of an awarded order.
        14 => {
            let awarded = in_status(&["awarded"]);
            let order_id =
                pick(rng, &awarded).map_or_else(|| some_order(rng), |(id, _)| id.parse().unwrap());
            Step::Pc(
                Who::Centrale,
                mutation(
                    "order.issue_purchase_order",
                    json!({"order_id": order_id, "reference": "BC/2026/91",
                           "contract_manager_name": "Marie Dupont",
                           "contract_manager_quality": "Responsable informatique"}),
                ),
            )
        }
        // The centrale, for the provider, records a milestone done today (the next one of
        // its order mostly; now and then an acceptance, which a planning update may not
        // mark), or moves its date without a request.
        15 => {
            let open: Vec<Value> = milestones
                .iter()
                .filter(|m| m["actual_date"].is_null())
                .cloned()
                .collect();
            let next: Vec<Value> = open
                .iter()
                .filter(|m| {
                    !open.iter().any(|o| {
                        o["order_id"] == m["order_id"]
                            && str_of(o, "planned_date") < str_of(m, "planned_date")
                    })
                })
                .cloned()
                .collect();
            let m = if rng.gen_bool(0.8) {
                pick(rng, &next)
            } else {
                pick(rng, &milestones)
            }?;
            let payload = if rng.gen_bool(0.85) {
                json!({"milestone_id": str_of(&m, "id"), "actual_date": today,
                       "notes": "Fait avec l'équipe communale."})
            } else {
                json!({"milestone_id": str_of(&m, "id"),
                       "planned_date": today + chrono::Duration::days(40)})
            };
            Step::Pc(Who::Centrale, mutation("milestone.update", payload))
        }
        // A re-plan: requested by the centrale for the provider, decided by the commune;
        // or the commune takes note of a milestone done.
        16 => {
            let m = pick(rng, &milestones)?;
            let pending: Vec<Value> = m["replans"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .filter(|x| x["decision"].is_null())
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            match rng.gen_range(0..3) {
                0 => Step::Pc(
                    Who::Centrale,
                    mutation(
                        "milestone.request_replan",
                        json!({"milestone_id": str_of(&m, "id"), "request_id": Uuid::now_v7(),
                               "requested_date": today + chrono::Duration::days(rng.gen_range(20..60)),
                               "reason": if rng.gen_bool(0.85) {
                                   "Le serveur de la commune n'est pas encore livré."
                               } else { "" }}),
                    ),
                ),
                1 => Step::Pc(
                    Who::Commune,
                    mutation(
                        "milestone.decide_replan",
                        json!({"milestone_id": str_of(&m, "id"),
                               "request_id": pick(rng, &pending).map_or_else(|| Uuid::now_v7().to_string(), |r| str_of(&r, "id").to_string()),
                               "accepted": rng.gen_bool(0.6),
                               "reason": "La commune accepte ce report, motivé."}),
                    ),
                ),
                _ => Step::Pc(
                    Who::Commune,
                    mutation(
                        "milestone.acknowledge",
                        json!({"milestone_id": str_of(&m, "id")}),
                    ),
                ),
            }
        }
        // An order of the walk moves on: the commune sends its draft (with its decision), the
        // centrale launches the competition of a request (deadline far enough).
        18..=20 => {
            let (order_id, order) = pick(rng, &in_status(&["draft", "submitted"]))?;
            let order_id: Uuid = order_id.parse().unwrap();
            if order["status"] == "draft" {
                Step::Pc(Who::Commune, centrale_tests::mutations::submit(order_id))
            } else {
                Step::Pc(
                    Who::Centrale,
                    centrale_tests::mutations::launch_competition(
                        order_id,
                        now + chrono::Duration::days(15),
                    ),
                )
            }
        }
        // The commune signs the provisional or the final acceptance (dated today).
        _ => {
            let running = in_status(&["deploying", "provisionally_accepted"]);
            let (order_id, order) = pick(rng, &running).or_else(|| pick(rng, &orders))?;
            let name = if order["status"] == "provisionally_accepted" || rng.gen_bool(0.2) {
                "order.accept_final"
            } else {
                "order.accept_provisional"
            };
            Step::Pc(
                Who::Commune,
                mutation(
                    name,
                    json!({"order_id": order_id, "date": today,
                           "remarks": "Installation conforme au cahier des charges."}),
                ),
            )
        }
    };
    Some(step)
}
