//! Each act played through the one write path, by the account that would do it.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use centrale_domain::catalogue::{CriterionKind, FrameworkAgreement, Provider};
use centrale_domain::deployment::{Milestone, MilestoneKind};
use centrale_domain::offer::Invitation;
use centrale_domain::order::Order;
use centrale_protocol::mutations::Mutation;
use centrale_protocol::records::RecordKind;
use centrale_protocol::{MutationEnvelope, MutationStatus};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use super::schedule::{Act, AdhesionAct, Calendar, Event, MILESTONE_NOTES};
use super::story::{OfferPlan, OrderPlan, ADHESIONS};
use super::{history_adhesion_id, history_offer_id, history_order_id, CENTRALE};
use crate::actor::Actor;
use crate::engine::{self, ParsedMutation};
use crate::seed::{demo_convention_template_id, demo_id, demo_provider_id, demo_service_id};
use crate::{AppState, ManualClock};

/// The communes' fonctionnaires dirigeants named on the history's purchase orders (rule 16).
const CONTRACT_MANAGERS: &[(&str, &str)] = &[
    ("Marie Dupont", "Responsable informatique"),
    ("Luc Lambert", "Directeur financier"),
    (
        "Anne Renard",
        "Employée d'administration, service informatique",
    ),
    ("Pierre Collignon", "Chef de bureau administratif"),
];

pub(super) struct Player<'a> {
    pub(super) state: AppState,
    pub(super) clock: Arc<ManualClock>,
    pub(super) days: Calendar,
    pub(super) plans: &'a [OrderPlan],
    pub(super) frameworks: HashMap<&'static str, &'a FrameworkAgreement>,
    /// The demo catalogue's providers.
    pub(super) providers: &'a [Provider],
    pub(super) actors: HashMap<String, Actor>,
    pub(super) client_seq: HashMap<String, i64>,
    pub(super) applied: usize,
    pub(super) purchase_orders: usize,
    pub(super) text_sha256: String,
}

impl<'a> Player<'a> {
    pub(super) async fn actor(&mut self, username: &str) -> anyhow::Result<Actor> {
        if let Some(actor) = self.actors.get(username) {
            return Ok(actor.clone());
        }
        let user = self
            .state
            .db
            .find_user_by_username(username)
            .await?
            .ok_or_else(|| {
                anyhow!(
                    "le compte de démonstration {username} manque : lancez d'abord « centrale-server seed --demo »"
                )
            })?;
        let actor = Actor::from_user(&user)
            .ok_or_else(|| anyhow!("compte {username} : rôle inconnu {}", user.role))?;
        self.actors.insert(username.to_string(), actor.clone());
        Ok(actor)
    }

    /// Applies one named mutation as `username` through the one write path; it must apply.
    pub(super) async fn apply(
        &mut self,
        username: &str,
        name: &str,
        payload: Value,
    ) -> anyhow::Result<()> {
        let actor = self.actor(username).await?;
        let mutation = Mutation::parse(name, payload.clone())
            .map_err(|e| anyhow!("historique : {name} illisible : {e}"))?;
        let seq = self.client_seq.entry(username.to_string()).or_insert(0);
        *seq += 1;
        self.applied += 1;
        let parsed = ParsedMutation {
            envelope: MutationEnvelope {
                mutation_id: demo_id("history-mutation", &format!("{:04}:{name}", self.applied)),
                client_seq: *seq,
                name: name.to_string(),
                base_version: None,
                payload,
                // The demo's staff sign with their demo second factor, as they would on a PC.
                second_factor: crate::second_factor::demo_proof(
                    username,
                    &mutation,
                    self.clock_now(),
                ),
            },
            mutation,
        };
        // Each account acts from its own PC.
        let client_id = demo_id("history-client", username);
        let result = engine::apply(&self.state, &actor, client_id, &parsed)
            .await
            .with_context(|| format!("historique : {name} par {username}"))?;
        if result.status != MutationStatus::Applied {
            bail!(
                "historique : {name} par {username} le {} refusé ({}) : {}",
                self.clock_now().format("%d/%m/%Y %H:%M"),
                result.code.unwrap_or_default(),
                result.message.unwrap_or_default()
            );
        }
        Ok(())
    }

    pub(super) fn clock_now(&self) -> DateTime<Utc> {
        use crate::Clock;
        self.clock.now()
    }

    pub(super) fn today(&self) -> NaiveDate {
        use crate::Clock;
        self.clock.today()
    }

    /// The collège's award decision of today, after the directeur financier's opinion of the
    /// same day (CDLD L1222-4, L1124-40).
    pub(super) fn college(&self, number: u32) -> Value {
        let today = self.today();
        json!({"organ": {"kind": "college"},
               "reference": format!("COL/{}/{number:03}", today.year()), "date": today,
               "financial_opinion": {"reference": format!("DF/{}/{number:03}", today.year()),
                                     "date": today, "kind": "favourable"}})
    }

    /// The conseil communal's decision of today (joining the centrale, launching an order:
    /// CDLD L1222-7, L1222-3), after the directeur financier's opinion.
    pub(super) fn conseil(&self, number: u32) -> Value {
        let today = self.today();
        json!({"organ": {"kind": "conseil"},
               "reference": format!("CC/{}/{number:03}", today.year()), "date": today,
               "financial_opinion": {"reference": format!("DF/{}/{:03}", today.year(), number + 1),
                                     "date": today, "kind": "favourable"}})
    }

    /// `user` declares no conflict of interest on the order (law of 17 June 2016 art. 6).
    async fn declare_no_conflict(&mut self, user: &str, order_id: Uuid) -> anyhow::Result<()> {
        let payload = json!({"order_id": order_id,
            "statement_sha256": centrale_domain::order::no_conflict_statement_sha256()});
        self.apply(user, "order.declare_no_conflict", payload).await
    }

    pub(super) async fn children<T: serde::de::DeserializeOwned>(
        &self,
        kind: RecordKind,
        order_id: Uuid,
    ) -> anyhow::Result<Vec<T>> {
        self.state
            .db
            .list_children(kind.as_str(), &order_id.to_string())
            .await?
            .into_iter()
            .filter(|r| !r.deleted)
            .map(|r| serde_json::from_value(r.body).map_err(anyhow::Error::from))
            .collect()
    }

    pub(super) async fn order(&self, order_id: Uuid) -> anyhow::Result<Order> {
        let row = self
            .state
            .db
            .get_record(RecordKind::Order.as_str(), &order_id.to_string())
            .await?
            .ok_or_else(|| anyhow!("historique : commande {order_id} introuvable"))?;
        Ok(serde_json::from_value(row.body)?)
    }

    pub(super) async fn milestone_id(
        &self,
        order: usize,
        kind: MilestoneKind,
    ) -> anyhow::Result<Uuid> {
        let id = history_order_id(self.plans[order].key);
        let milestones: Vec<Milestone> = self.children(RecordKind::Milestone, id).await?;
        milestones
            .into_iter()
            .find(|m| m.kind == kind)
            .map(|m| m.id)
            .ok_or_else(|| anyhow!("historique : jalon {kind:?} introuvable"))
    }

    pub(super) fn framework(&self, order: usize) -> anyhow::Result<&'a FrameworkAgreement> {
        self.frameworks
            .get(self.plans[order].service)
            .copied()
            .ok_or_else(|| anyhow!("service {} inconnu", self.plans[order].service))
    }

    pub(super) async fn play(&mut self, event: &Event) -> anyhow::Result<()> {
        self.clock.set(event.at);
        let plans = self.plans;
        match &event.act {
            Act::Adhesion(i, step) => self.adhesion(*i, *step).await,
            Act::CreateDraft(i) => {
                let o = &plans[*i];
                let lines: Vec<Value> = o
                    .lines
                    .iter()
                    .map(|(code, qty)| json!({"price_line_code": code, "quantity": qty}))
                    .collect();
                let payload = json!({
                    "order_id": history_order_id(o.key),
                    "service_id": demo_service_id(o.service),
                    "title": o.title,
                    "needs": {"description": o.description, "lines": lines, "sites": o.sites},
                });
                self.apply(o.author, "order.create_draft", payload).await
            }
            Act::Submit(i) => {
                let o = &plans[*i];
                let dg = format!("dg.{}", o.nis);
                let order_id = history_order_id(o.key);
                let payload = json!({"order_id": order_id,
                    "decision": self.conseil(20 + (*i as u32) * 17),
                    "budget_article": "104/123-13"});
                self.apply(&dg, "order.submit", payload).await?;
                // The DG evaluates and a signatory decides: each declares first that they have
                // no conflict of interest.
                self.declare_no_conflict(&dg, order_id).await?;
                let signatory = signatory(o.nis, *i);
                if signatory != dg {
                    self.declare_no_conflict(&signatory, order_id).await?;
                }
                Ok(())
            }
            Act::Launch(i) => {
                let o = &plans[*i];
                let c = o.competition.as_ref().ok_or_else(|| incoherent(o.key))?;
                let deadline = self.days.at(c.deadline, 12, 0)?;
                let payload = json!({"order_id": history_order_id(o.key), "deadline": deadline});
                self.apply(CENTRALE, "order.launch_competition", payload)
                    .await
            }
            Act::Offer(i, j) => self.offer(*i, *j).await,
            Act::Open(i) => {
                let payload = json!({"order_id": history_order_id(plans[*i].key)});
                self.apply(CENTRALE, "order.open_offers", payload).await
            }
            Act::Evaluate(i) => self.evaluate(*i).await,
            Act::Award(i) => {
                let o = &plans[*i];
                let order_id = history_order_id(o.key);
                let order = self.order(order_id).await?;
                let winner = order
                    .evaluation
                    .as_ref()
                    .and_then(|e| e.ranking.winner())
                    .map(|w| w.offer_id)
                    .ok_or_else(|| anyhow!("historique : {} n'a pas de classement", o.key))?;
                // The schedule planned the milestones from this offer's lead time (rule 16).
                let planned_winner = o
                    .competition
                    .as_ref()
                    .map(|c| history_offer_id(o.key, c.offers[c.winner].provider));
                if planned_winner != Some(winner) {
                    bail!("historique : {} n'est pas gagnée par l'offre prévue", o.key);
                }
                let payload = json!({
                    "order_id": order_id,
                    "offer_id": winner,
                    "justification": "Offre classée première selon les critères et pondérations de l'accord-cadre : meilleur rapport entre le prix et la qualité de la solution.",
                    "college_decision": self.college(40 + (*i as u32) * 17),
                });
                let signatory = signatory(o.nis, *i);
                self.apply(&signatory, "order.award", payload).await
            }
            Act::DirectAward(i) => {
                let o = &plans[*i];
                let provider = o.direct_to.ok_or_else(|| incoherent(o.key))?;
                let payload = json!({
                    "order_id": history_order_id(o.key),
                    "provider_id": demo_provider_id(provider),
                    "justification": "Commande directe aux conditions de l'accord-cadre : besoin standard, délai de mise en œuvre le plus court.",
                    "college_decision": self.college(40 + (*i as u32) * 17),
                });
                let signatory = signatory(o.nis, *i);
                self.apply(&signatory, "order.direct_award", payload).await
            }
            Act::PurchaseOrder(i) => {
                // Numbered in the order they are issued.
                self.purchase_orders += 1;
                let reference = format!(
                    "BC-{}-{:04}",
                    self.today().year(),
                    105 + self.purchase_orders * 7
                );
                // Rule 16: the commune's fonctionnaire dirigeant, named on the purchase order.
                let (name, quality) = CONTRACT_MANAGERS[*i % CONTRACT_MANAGERS.len()];
                let payload = json!({"order_id": history_order_id(plans[*i].key),
                    "reference": reference, "contract_manager_name": name,
                    "contract_manager_quality": quality});
                self.apply(CENTRALE, "order.issue_purchase_order", payload)
                    .await
            }
            Act::MilestoneDone(i, kind, date) => {
                let id = self.milestone_id(*i, *kind).await?;
                let order = self.order(history_order_id(plans[*i].key)).await?;
                let provider = self.provider_name(
                    order
                        .award
                        .as_ref()
                        .map(|a| a.provider_id)
                        .ok_or_else(|| incoherent(plans[*i].key))?,
                )?;
                let step = MilestoneKind::ALL
                    .iter()
                    .position(|k| k == kind)
                    .unwrap_or(0);
                let payload = json!({
                    "milestone_id": id,
                    "actual_date": date,
                    "notes": MILESTONE_NOTES.get(step).copied().unwrap_or_default(),
                });
                self.apply(
                    &format!("prestataire.{provider}"),
                    "milestone.update",
                    payload,
                )
                .await
            }
            Act::Acknowledge(i, kind) => {
                let id = self.milestone_id(*i, *kind).await?;
                let dg = format!("dg.{}", plans[*i].nis);
                self.apply(&dg, "milestone.acknowledge", json!({"milestone_id": id}))
                    .await
            }
            Act::AcceptProvisional(i, date) => {
                let o = &plans[*i];
                let payload = json!({
                    "order_id": history_order_id(o.key),
                    "date": date,
                    "remarks": "Réception provisoire sans réserve : le service fonctionne comme prévu.",
                });
                let mayor = format!("bourgmestre.{}", o.nis);
                self.apply(&mayor, "order.accept_provisional", payload)
                    .await
            }
            Act::AccompanimentOrder(_)
            | Act::AccompanimentPlan(_)
            | Act::AccompanimentDeliver(..)
            | Act::AccompanimentInvoice(_)
            | Act::AccompanimentCancel(_) => self.accompaniment(&event.act).await,
            Act::SurveyPublish => {
                let closes_on = self.days.date(-super::story::SURVEY_CLOSES_IN);
                let payload = json!({
                    "survey_id": super::history_survey_id(),
                    "survey": super::story::survey_content(closes_on),
                });
                self.apply(CENTRALE, "survey.publish", payload).await
            }
            Act::SurveyAnswer(k) => {
                let a = &super::story::SURVEY_ANSWERS[*k];
                let payload = json!({
                    "survey_id": super::history_survey_id(),
                    "answers": a.answers(),
                });
                let mutation = if a.sent {
                    "survey.send_answers"
                } else {
                    "survey.save_answers"
                };
                self.apply(&format!("dg.{}", a.nis), mutation, payload)
                    .await
            }
            Act::PoolCreate
            | Act::PoolJoin(_)
            | Act::PoolLaunch
            | Act::PoolOffer(_)
            | Act::PoolOpen
            | Act::PoolEvaluate
            | Act::PoolAward(_)
            | Act::PoolPurchaseOrder(_) => self.pool(&event.act).await,
        }
    }

    /// Issue 16 §4: one act of the history's pooled call-off.
    async fn pool(&mut self, act: &Act) -> anyhow::Result<()> {
        use super::story::{
            POOL_DESCRIPTION, POOL_JOIN_UNTIL, POOL_MEMBERS, POOL_OFFERS, POOL_SERVICE, POOL_TITLE,
        };
        let pool = super::history_pool_id();
        let members = || POOL_MEMBERS.iter().map(|m| history_order_id(m.key));
        match act {
            Act::PoolCreate => {
                let payload = json!({"pool_id": pool, "pool": {
                    "service_id": demo_service_id(POOL_SERVICE),
                    "title": POOL_TITLE,
                    "description": POOL_DESCRIPTION,
                    "join_until": self.days.date(POOL_JOIN_UNTIL),
                }});
                self.apply(CENTRALE, "pool.create", payload).await
            }
            Act::PoolJoin(k) => {
                let m = &POOL_MEMBERS[*k];
                let dg = format!("dg.{}", m.nis);
                let order_id = history_order_id(m.key);
                let lines: Vec<Value> = m
                    .lines
                    .iter()
                    .map(|(code, qty)| json!({"price_line_code": code, "quantity": qty}))
                    .collect();
                let payload = json!({
                    "order_id": order_id,
                    "service_id": demo_service_id(POOL_SERVICE),
                    "title": m.title,
                    "needs": {"description": super::story::QA_DESCRIPTION, "lines": lines,
                              "sites": m.sites},
                    "pool_id": pool,
                });
                self.apply(&dg, "order.create_draft", payload).await?;
                let payload = json!({"order_id": order_id,
                    "decision": self.conseil(200 + (*k as u32) * 13),
                    "budget_article": "879/744-51"});
                self.apply(&dg, "order.submit", payload).await?;
                // The signatory who will decide the award declares first.
                self.declare_no_conflict(&format!("bourgmestre.{}", m.nis), order_id)
                    .await
            }
            Act::PoolLaunch => {
                let deadline = self.days.at(super::story::POOL_DEADLINE, 12, 0)?;
                let payload = json!({"pool_id": pool, "deadline": deadline});
                self.apply(CENTRALE, "pool.launch_competition", payload)
                    .await
            }
            Act::PoolOffer(j) => {
                let plan = &POOL_OFFERS[*j];
                let terms = self
                    .frameworks
                    .get(POOL_SERVICE)
                    .ok_or_else(|| anyhow!("service {POOL_SERVICE} inconnu"))?
                    .current()?;
                let codes = POOL_MEMBERS[0].lines.iter().map(|(code, _)| *code);
                let lines = unit_prices(terms, codes, plan.price_pct)?;
                let payload = json!({
                    "offer_id": demo_id("history-pool-offer", plan.provider),
                    "pool_id": pool,
                    "lines": lines,
                    "lead_time_days": plan.lead_time_days,
                    "notes": plan.notes,
                });
                self.apply(
                    &format!("prestataire.{}", plan.provider),
                    "offer.submit_pooled",
                    payload,
                )
                .await
            }
            Act::PoolOpen => {
                for order_id in members() {
                    let payload = json!({"order_id": order_id});
                    self.apply(CENTRALE, "order.open_offers", payload).await?;
                }
                Ok(())
            }
            Act::PoolEvaluate => {
                let payload = json!({"pool_id": pool,
                    "statement_sha256": centrale_domain::order::no_conflict_statement_sha256()});
                self.apply(CENTRALE, "pool.declare_no_conflict", payload)
                    .await?;
                let terms = self
                    .frameworks
                    .get(POOL_SERVICE)
                    .ok_or_else(|| anyhow!("service {POOL_SERVICE} inconnu"))?
                    .current()?;
                let scores = quality_scores(
                    terms,
                    &POOL_OFFERS,
                    |plan| ("provider_id", json!(demo_provider_id(plan.provider))),
                    "Réponse complète et convaincante sur ce critère, pour les trois communes.",
                );
                self.apply(
                    CENTRALE,
                    "pool.evaluate",
                    json!({"pool_id": pool, "scores": scores}),
                )
                .await
            }
            Act::PoolAward(k) => {
                let m = &POOL_MEMBERS[*k];
                let order_id = history_order_id(m.key);
                let order = self.order(order_id).await?;
                let winner = order
                    .evaluation
                    .as_ref()
                    .and_then(|e| e.ranking.winner())
                    .map(|w| w.offer_id)
                    .ok_or_else(|| anyhow!("historique : {} n'a pas de classement", m.key))?;
                let payload = json!({
                    "order_id": order_id,
                    "offer_id": winner,
                    "justification": "Offre classée première dans l'analyse commune du marché groupé, faite par la centrale sur le volume des trois communes : meilleur rapport entre le prix et la qualité.",
                    "college_decision": self.college(300 + (*k as u32) * 11),
                });
                self.apply(&format!("bourgmestre.{}", m.nis), "order.award", payload)
                    .await
            }
            Act::PoolPurchaseOrder(k) => {
                self.purchase_orders += 1;
                let reference = format!(
                    "BC-{}-{:04}",
                    self.today().year(),
                    105 + self.purchase_orders * 7
                );
                let (name, quality) = CONTRACT_MANAGERS[*k % CONTRACT_MANAGERS.len()];
                let payload = json!({"order_id": history_order_id(POOL_MEMBERS[*k].key),
                    "reference": reference, "contract_manager_name": name,
                    "contract_manager_quality": quality});
                self.apply(CENTRALE, "order.issue_purchase_order", payload)
                    .await
            }
            _ => Ok(()),
        }
    }

    /// Issue 16 §2: one act of an accompaniment of the story.
    async fn accompaniment(&mut self, act: &Act) -> anyhow::Result<()> {
        use super::story::ACCOMPANIMENTS;
        let k = match act {
            Act::AccompanimentOrder(k)
            | Act::AccompanimentPlan(k)
            | Act::AccompanimentDeliver(k, _)
            | Act::AccompanimentInvoice(k)
            | Act::AccompanimentCancel(k) => *k,
            _ => return Ok(()),
        };
        let a = &ACCOMPANIMENTS[k];
        let id = crate::seed::demo_id("history-accompaniment", a.key);
        let dg = format!("dg.{}", a.nis);
        match act {
            Act::AccompanimentOrder(_) => {
                let lines: Vec<Value> = a
                    .lines
                    .iter()
                    .map(|(code, qty)| json!({"code": code, "quantity": qty}))
                    .collect();
                let payload = json!({
                    "accompaniment_id": id,
                    "title": a.title,
                    "call_off_id": a.call_off.map(history_order_id),
                    "lines": lines,
                    "decision": self.college(300 + k as u32 * 11),
                });
                self.apply(&dg, "accompaniment.order", payload).await
            }
            Act::AccompanimentPlan(_) => {
                let (_, dates) = a.planned.ok_or_else(|| incoherent(a.key))?;
                let dates: Vec<Value> = a
                    .lines
                    .iter()
                    .zip(dates.iter())
                    .map(|((code, _), ago)| json!({"code": code, "planned_on": self.days.date(*ago)}))
                    .collect();
                self.apply(
                    CENTRALE,
                    "accompaniment.plan",
                    json!({"accompaniment_id": id, "dates": dates}),
                )
                .await
            }
            Act::AccompanimentDeliver(_, j) => {
                let (code, _) = a.lines.get(*j).ok_or_else(|| incoherent(a.key))?;
                let payload = json!({"accompaniment_id": id, "code": code,
                    "delivered_on": self.today()});
                self.apply(CENTRALE, "accompaniment.record_delivery", payload)
                    .await
            }
            Act::AccompanimentInvoice(_) => {
                self.apply(
                    CENTRALE,
                    "accompaniment.invoice",
                    json!({"accompaniment_id": id}),
                )
                .await
            }
            _ => {
                let payload = json!({"accompaniment_id": id,
                    "reason": "Le collège préfère préparer la communication avec le service communication de la commune."});
                self.apply(&dg, "accompaniment.cancel", payload).await
            }
        }
    }

    pub(super) fn provider_name(&self, provider_id: Uuid) -> anyhow::Result<&'a str> {
        self.providers
            .iter()
            .find(|p| p.id == provider_id)
            .map(|p| p.short_name.as_str())
            .ok_or_else(|| anyhow!("prestataire {provider_id} inconnu"))
    }

    pub(super) async fn adhesion(&mut self, i: usize, step: AdhesionAct) -> anyhow::Result<()> {
        let a = &ADHESIONS[i];
        let id = history_adhesion_id(a.nis);
        let dg = format!("dg.{}", a.nis);
        let sha = self.text_sha256.clone();
        match step {
            AdhesionAct::Start => {
                let payload =
                    json!({"adhesion_id": id, "template_id": demo_convention_template_id()});
                self.apply(&dg, "adhesion.start", payload).await
            }
            AdhesionAct::College => {
                let payload =
                    // Joining is free (convention art. 3): no financial opinion.
                    json!({"adhesion_id": id, "college_decision": {
                        "organ": {"kind": "conseil"},
                        "reference": format!("CC/{}/{:03}", self.today().year(), a.college_ref),
                        "date": self.today()}});
                self.apply(&dg, "adhesion.record_college_decision", payload)
                    .await
            }
            AdhesionAct::SignDg => {
                let payload = json!({"adhesion_id": id, "text_sha256": sha});
                self.apply(&dg, "adhesion.sign", payload).await
            }
            AdhesionAct::SignMayor => {
                let payload = json!({"adhesion_id": id, "text_sha256": sha});
                self.apply(&format!("bourgmestre.{}", a.nis), "adhesion.sign", payload)
                    .await
            }
            AdhesionAct::Countersign => {
                let payload = json!({"adhesion_id": id, "text_sha256": sha});
                self.apply(CENTRALE, "adhesion.countersign", payload).await
            }
            AdhesionAct::Activate => {
                self.apply(CENTRALE, "adhesion.activate", json!({"adhesion_id": id}))
                    .await
            }
        }
    }

    pub(super) async fn offer(&mut self, i: usize, j: usize) -> anyhow::Result<()> {
        let plans = self.plans;
        let o = &plans[i];
        let c = o.competition.as_ref().ok_or_else(|| incoherent(o.key))?;
        let plan = &c.offers[j];
        let order_id = history_order_id(o.key);
        let provider_id = demo_provider_id(plan.provider);
        let invitations: Vec<Invitation> = self.children(RecordKind::Invitation, order_id).await?;
        let invitation = invitations
            .iter()
            .find(|inv| inv.provider_id == provider_id)
            .ok_or_else(|| anyhow!("historique : {} n'est pas invité", plan.provider))?;
        let terms = self.framework(i)?.current()?;
        let lines = unit_prices(terms, o.lines.iter().map(|(code, _)| *code), plan.price_pct)?;
        let payload = json!({
            "offer_id": history_offer_id(o.key, plan.provider),
            "invitation_id": invitation.id,
            "lines": lines,
            "lead_time_days": plan.lead_time_days,
            "notes": plan.notes,
        });
        self.apply(
            &format!("prestataire.{}", plan.provider),
            "offer.submit",
            payload,
        )
        .await
    }

    pub(super) async fn evaluate(&mut self, i: usize) -> anyhow::Result<()> {
        let plans = self.plans;
        let o = &plans[i];
        let c = o.competition.as_ref().ok_or_else(|| incoherent(o.key))?;
        let terms = self.framework(i)?.current()?;
        let scores = quality_scores(
            terms,
            &c.offers,
            |plan| ("offer_id", json!(history_offer_id(o.key, plan.provider))),
            "Réponse complète et convaincante sur ce critère, avec des références comparables.",
        );
        let payload = json!({"order_id": history_order_id(o.key), "scores": scores});
        self.apply(&format!("dg.{}", o.nis), "order.evaluate", payload)
            .await
    }
}

/// The unit prices a plan offers on the lines `codes`: `price_pct` of each ceiling, a little
/// lower on the later lines; whole euros.
fn unit_prices<'c>(
    terms: &centrale_domain::catalogue::FrameworkTerms,
    codes: impl Iterator<Item = &'c str>,
    price_pct: i64,
) -> anyhow::Result<Vec<Value>> {
    let mut lines = Vec::new();
    for (n, code) in codes.enumerate() {
        let ceiling = terms
            .price_line(code)
            .ok_or_else(|| anyhow!("ligne {code} inconnue"))?
            .ceiling_cents
            .0;
        let pct = price_pct - (n as i64 % 3) * 3;
        let unit = (ceiling * pct / 100 / 100).max(1) * 100;
        lines.push(json!({"price_line_code": code, "unit_price_cents": unit}));
    }
    Ok(lines)
}

/// The quality points of each planned offer on each quality criterion, near its
/// `quality_pct`; `key` names the offer scored (its id, or its provider in a pool); `strong`
/// is the justification of a high mark.
fn quality_scores(
    terms: &centrale_domain::catalogue::FrameworkTerms,
    plans: &[OfferPlan],
    key: impl Fn(&OfferPlan) -> (&'static str, Value),
    strong: &str,
) -> Vec<Value> {
    let mut scores = Vec::new();
    for (n, criterion) in terms
        .award_criteria
        .iter()
        .filter(|c| c.kind == CriterionKind::Quality)
        .enumerate()
    {
        for plan in plans {
            let pct = (plan.quality_pct + ((n as i64 * 7) % 11) - 5).clamp(0, 100);
            let points = i64::from(criterion.weight) * pct / 100;
            let justification = if pct >= 80 {
                strong
            } else {
                "Réponse correcte, mais moins détaillée sur ce critère que l'autre offre."
            };
            let (field, id) = key(plan);
            scores.push(json!({
                field: id,
                "criterion_code": criterion.code,
                "points": points.to_string(),
                "justification": justification,
            }));
        }
    }
    scores
}

pub(super) fn incoherent(key: &str) -> anyhow::Error {
    anyhow!("historique de démonstration : plan incohérent pour la commande {key}")
}

/// Awards are signed by the mayor or, one in three, by the director general.
pub(super) fn signatory(nis: &str, order: usize) -> String {
    if order % 3 == 2 {
        format!("dg.{nis}")
    } else {
        format!("bourgmestre.{nis}")
    }
}
