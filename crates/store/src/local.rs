//! The optimistic effect of a mutation on this PC's records, computed with the same domain
//! rules the server runs. The server re-checks everything with its own clock and data; this
//! only lets the user see the result at once, offline.
//!
//! The order's lifecycle, the offers' acts (setting aside, the price verification, the
//! evaluation, the award), the catalogue, the adhesion, the substitutions, the milestones and
//! the acceptances are decided by the same functions as on the server
//! (`centrale_domain::decide`): this file loads what the PC has, calls the function, and
//! writes what it returns — never the invitations (the set-aside notice, the price request,
//! the tenderers' notifications), new milestones, offers or framework versions, which are the
//! server's to write.
//!
//! Mutations whose effect depends on what only the server knows (launching a mini-competition
//! creates invitations for the framework's providers; opening reads sealed offers; the purchase
//! order and milestones are written by the centrale) have no local effect: they wait in the
//! outbox, shown as pending, and their result arrives with the next pull. Launching,
//! relaunching, extending, the purchase order and a framework version are still decided here
//! (a refusal shows at once, offline); a direct award is decided here and its order written
//! (its milestones are the server's); a provider's question, opening, an offer, a new
//! service and a new provider are not run here at all (see the last arm of `run`), nor the
//! provider's answer to a price request (providers use the portal).

use centrale_domain::accompaniment::{AccompanimentOrder, AccompanimentPriceList, PRICE_LIST_ID};
use centrale_domain::adhesion::{Adhesion, ConventionTemplate};
use centrale_domain::catalogue::{FrameworkAgreement, Provider, Service};
use centrale_domain::decide::accompaniment as decide_accompaniment;
use centrale_domain::decide::adhesion as decide_adhesion;
use centrale_domain::decide::mail as decide_mail;
use centrale_domain::decide::milestone as decide_milestone;
use centrale_domain::decide::offer as decide_offer;
use centrale_domain::decide::order as decide;
use centrale_domain::decide::pool as decide_pool;
use centrale_domain::decide::substitution as decide_substitution;
use centrale_domain::decide::survey as decide_survey;
use centrale_domain::decide::Edit;
use centrale_domain::deployment::Milestone;
use centrale_domain::offer::{Invitation, Offer};
use centrale_domain::order::Order;
use centrale_domain::pool::PooledCallOff;
use centrale_domain::signatory::Substitution;
use centrale_domain::survey::{response_key, Survey, SurveyResponse};
use centrale_protocol::mutations::Mutation;
use centrale_protocol::records::RecordKind;
use centrale_protocol::Me;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::error::Result;
use crate::records;

struct Local<'a> {
    conn: &'a Connection,
    /// Who acts.
    actor: Me,
    client_seq: i64,
    now: DateTime<Utc>,
    touched: Vec<(RecordKind, String)>,
}

impl Local<'_> {
    fn load<T: DeserializeOwned>(&self, kind: RecordKind, id: Uuid) -> Result<Option<(T, i64)>> {
        records::load(self.conn, kind, &id.to_string())
    }

    fn save<T: Serialize>(&mut self, kind: RecordKind, id: Uuid, value: &T) -> Result<()> {
        let body = serde_json::to_value(value)?;
        let id = id.to_string();
        records::put_local(self.conn, self.client_seq, kind, &id, Some(&body))?;
        self.touched.push((kind, id));
        Ok(())
    }

    /// [`Local::save`] of a record whose id is not a UUID (an account's preferences).
    fn save_keyed<T: Serialize>(&mut self, kind: RecordKind, id: &str, value: &T) -> Result<()> {
        let body = serde_json::to_value(value)?;
        records::put_local(self.conn, self.client_seq, kind, id, Some(&body))?;
        self.touched.push((kind, id.to_string()));
        Ok(())
    }

    fn delete(&mut self, kind: RecordKind, id: Uuid) -> Result<()> {
        let id = id.to_string();
        records::put_local(self.conn, self.client_seq, kind, &id, None)?;
        self.touched.push((kind, id));
        Ok(())
    }

    /// The orders this PC knows: its commune's (the centrale's PC: every commune's). The
    /// maximum value of a framework is checked on them here, a lower bound of what the server
    /// counts over every commune: the server may still refuse what this PC accepted.
    fn orders(&self) -> Result<Vec<Order>> {
        records::all(self.conn, RecordKind::Order)
    }

    /// A record's value, if this PC has it.
    fn value<T: DeserializeOwned>(&self, kind: RecordKind, id: Uuid) -> Result<Option<T>> {
        Ok(self.load(kind, id)?.map(|(v, _)| v))
    }

    /// The order and its framework, as this PC knows them.
    fn order_and_framework(&self, id: Uuid) -> Result<(Option<Order>, Option<FrameworkAgreement>)> {
        let order: Option<Order> = self.value(RecordKind::Order, id)?;
        let framework = match &order {
            Some(o) => self.value(RecordKind::Framework, o.framework_id)?,
            None => None,
        };
        Ok((order, framework))
    }

    /// A milestone and its order, as this PC knows them.
    fn milestone_and_order(&self, id: Uuid) -> Result<(Option<Milestone>, Option<Order>)> {
        let milestone: Option<Milestone> = self.value(RecordKind::Milestone, id)?;
        let order = match &milestone {
            Some(m) => self.value(RecordKind::Order, m.order_id)?,
            None => None,
        };
        Ok((milestone, order))
    }

    /// A pool as this PC knows it, its framework and its active members' orders.
    #[allow(clippy::type_complexity)]
    fn pool_and_members(
        &self,
        id: Uuid,
    ) -> Result<(
        Option<PooledCallOff>,
        Option<FrameworkAgreement>,
        Vec<Order>,
    )> {
        let pool: Option<PooledCallOff> = self.value(RecordKind::PooledCallOff, id)?;
        let Some(p) = &pool else {
            return Ok((None, None, Vec::new()));
        };
        let framework = self.value(RecordKind::Framework, p.framework_id)?;
        let mut orders = Vec::new();
        for m in p.active_members() {
            if let Some(o) = self.value::<Order>(RecordKind::Order, m.order_id)? {
                orders.push(o);
            }
        }
        Ok((pool, framework, orders))
    }

    /// A member's order cancelled or withdrawn leaves its pool, on this PC too.
    fn leave_pool(&mut self, order: &Order) -> Result<()> {
        let Some(id) = order.pool_id else {
            return Ok(());
        };
        let pool: Option<PooledCallOff> = self.value(RecordKind::PooledCallOff, id)?;
        if let Some(pool) = decide_pool::after_closure(pool.as_ref(), order, self.now) {
            self.save(RecordKind::PooledCallOff, id, &pool)?;
        }
        Ok(())
    }

    /// The server's minimum days of a competition, as last pulled.
    fn min_competition_days(&self) -> Result<u32> {
        Ok(match crate::meta_get(self.conn, "server_settings")? {
            Some(json) => {
                serde_json::from_str::<centrale_protocol::ServerSettings>(&json)?
                    .min_competition_days
            }
            None => centrale_domain::order::DEFAULT_MIN_COMPETITION_DAYS,
        })
    }

    /// The invitations of an order this PC knows.
    fn invitations(&self, order_id: Uuid) -> Result<Vec<Invitation>> {
        records::children(self.conn, RecordKind::Invitation, &order_id.to_string())
    }

    /// The offers of an order this PC has: none before the opening (sealed, never sent to a
    /// PC), every one after.
    fn offers(&self, order_id: Uuid) -> Result<Vec<Offer>> {
        records::children(self.conn, RecordKind::Offer, &order_id.to_string())
    }
}

/// Applies `mutation`'s local effect; returns the records it changed. An error means a rule
/// refuses it on what this PC knows (nothing of it must then be kept).
pub(crate) fn apply(
    conn: &Connection,
    actor: &Me,
    client_seq: i64,
    mutation: &Mutation,
    now: DateTime<Utc>,
) -> Result<Vec<(RecordKind, String)>> {
    let mut l = Local {
        conn,
        actor: actor.clone(),
        client_seq,
        now,
        touched: Vec::new(),
    };
    run(&mut l, mutation)?;
    Ok(l.touched)
}

fn run(l: &mut Local<'_>, mutation: &Mutation) -> Result<()> {
    use Mutation as M;
    match mutation {
        M::StartAdhesion(p) => {
            let id_taken =
                records::get(l.conn, RecordKind::Adhesion, &p.adhesion_id.to_string())?.is_some();
            let adhesions: Vec<Adhesion> = records::all(l.conn, RecordKind::Adhesion)?;
            let template: Option<ConventionTemplate> =
                l.value(RecordKind::ConventionTemplate, p.template_id)?;
            let adhesion = decide_adhesion::start(
                &l.actor.actor(),
                decide_adhesion::Start {
                    adhesion_id: p.adhesion_id,
                    id_taken,
                    adhesions: &adhesions,
                    template: template.as_ref(),
                },
                l.now,
            )?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &adhesion)
        }
        M::RecordCollegeDecision(p) => {
            let a: Option<Adhesion> = l.value(RecordKind::Adhesion, p.adhesion_id)?;
            let adhesion = decide_adhesion::record_college_decision(
                &l.actor.actor(),
                a.as_ref(),
                &p.college_decision,
                l.now,
            )?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &adhesion)
        }
        M::SignAdhesion(p) | M::CountersignAdhesion(p) => {
            let a: Option<Adhesion> = l.value(RecordKind::Adhesion, p.adhesion_id)?;
            let substitutions: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            let input = decide_adhesion::Sign {
                adhesion: a.as_ref(),
                substitutions: &substitutions,
                text_sha256: &p.text_sha256,
            };
            let adhesion = if matches!(mutation, M::SignAdhesion(_)) {
                decide_adhesion::sign(&l.actor.actor(), input, l.now)?
            } else {
                decide_adhesion::countersign(&l.actor.actor(), input, l.now)?
            };
            l.save(RecordKind::Adhesion, p.adhesion_id, &adhesion)
        }
        M::ActivateAdhesion(p) => {
            let a: Option<Adhesion> = l.value(RecordKind::Adhesion, p.adhesion_id)?;
            let adhesion = decide_adhesion::activate(&l.actor.actor(), a.as_ref(), l.now)?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &adhesion)
        }
        M::TerminateAdhesion(p) => {
            let a: Option<Adhesion> = l.value(RecordKind::Adhesion, p.adhesion_id)?;
            let substitutions: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            let adhesion = decide_adhesion::terminate(
                &l.actor.actor(),
                decide_adhesion::Terminate {
                    adhesion: a.as_ref(),
                    substitutions: &substitutions,
                    reason: &p.reason,
                },
                l.now,
            )?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &adhesion)
        }
        // The substitute's account is the server's to check and to fill in (this PC does not
        // know the commune's accounts): until then the login stands for the name.
        M::RecordSubstitution(p) => {
            let id_taken = records::get(
                l.conn,
                RecordKind::Substitution,
                &p.substitution_id.to_string(),
            )?
            .is_some();
            let others: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            let substitution = decide_substitution::record(
                &l.actor.actor(),
                decide_substitution::Record {
                    substitution_id: p.substitution_id,
                    id_taken,
                    others: &others,
                    capacity: p.capacity,
                    substitute_username: &p.substitute_username,
                    account: decide_substitution::SubstituteAccount::NotKnown,
                    from: p.from,
                    to: p.to,
                    decision: &p.decision,
                    aldermen: &[],
                    ranked_before_unavailable: p.ranked_before_unavailable.as_deref(),
                    documents: p.documents.as_deref(),
                },
                l.now,
            )?;
            l.save(RecordKind::Substitution, p.substitution_id, &substitution)
        }
        M::EndSubstitution(p) => {
            let s: Option<Substitution> = l.value(RecordKind::Substitution, p.substitution_id)?;
            let substitution = decide_substitution::end(&l.actor.actor(), s.as_ref(), l.now)?;
            l.save(RecordKind::Substitution, p.substitution_id, &substitution)
        }
        M::CreateOrderDraft(p) => {
            let id_taken =
                records::get(l.conn, RecordKind::Order, &p.order_id.to_string())?.is_some();
            let service: Option<Service> = l.value(RecordKind::Service, p.service_id)?;
            let framework: Option<FrameworkAgreement> = match &service {
                Some(s) => l.value(RecordKind::Framework, s.framework_id)?,
                None => None,
            };
            let pool: Option<PooledCallOff> = match p.pool_id {
                Some(id) => l.value(RecordKind::PooledCallOff, id)?,
                None => None,
            };
            let order = decide::create_draft(
                &l.actor.actor(),
                decide::CreateDraft {
                    order_id: p.order_id,
                    id_taken,
                    service: service.as_ref(),
                    framework: framework.as_ref(),
                    title: &p.title,
                    needs: &p.needs,
                    pool_id: p.pool_id,
                    pool: pool.as_ref(),
                },
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &order)
        }
        // The PC edits on what it has: the server checks the version the edit was based on.
        M::UpdateOrderDraft(p) => {
            let (o, framework) = l.order_and_framework(p.order_id)?;
            let decided = decide::update_draft(
                &l.actor.actor(),
                decide::UpdateDraft {
                    order: o.as_ref(),
                    stale: false,
                    framework: framework.as_ref(),
                    title: &p.title,
                    needs: &p.needs,
                },
                l.now,
            )?;
            match decided {
                Edit::Apply(order) => l.save(RecordKind::Order, p.order_id, &order),
                Edit::Conflict => Ok(()),
            }
        }
        M::DeleteOrderDraft(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            match decide::delete_draft(&l.actor.actor(), o.as_ref(), false, l.now)? {
                Edit::Apply(_) => l.delete(RecordKind::Order, p.order_id),
                Edit::Conflict => Ok(()),
            }
        }
        M::SubmitOrder(p) => {
            let (o, framework) = l.order_and_framework(p.order_id)?;
            let adhesions: Vec<Adhesion> = records::all(l.conn, RecordKind::Adhesion)?;
            let pool: Option<PooledCallOff> = match o.as_ref().and_then(|o| o.pool_id) {
                Some(id) => l.value(RecordKind::PooledCallOff, id)?,
                None => None,
            };
            let sent = decide::submit(
                &l.actor.actor(),
                decide::Submit {
                    order: o.as_ref(),
                    adhesions: &adhesions,
                    framework: framework.as_ref(),
                    orders: &l.orders()?,
                    decision: p.decision.as_ref(),
                    budget_article: &p.budget_article,
                    pool: pool.as_ref(),
                },
                l.now,
            )?;
            // Joining a pool shows at once on this PC; the server's clock decides whether the
            // pool was still open.
            if let Some(joined) = &sent.pool {
                l.save(RecordKind::PooledCallOff, joined.id, joined)?;
            }
            l.save(RecordKind::Order, p.order_id, &sent.order)
        }
        M::DeclareNoConflict(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            let order = decide::declare_no_conflict(
                &l.actor.actor(),
                o.as_ref(),
                &p.statement_sha256,
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &order)
        }
        M::CancelOrder(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            let order = decide::cancel(&l.actor.actor(), o.as_ref(), &p.reason, l.now)?;
            l.leave_pool(&order)?;
            l.save(RecordKind::Order, p.order_id, &order)
        }
        // The invitations told are the server's to write.
        M::WithdrawOrder(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            let substitutions: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            let writes = decide::withdraw(
                &l.actor.actor(),
                decide::Withdraw {
                    order: o.as_ref(),
                    invitations: &l.invitations(p.order_id)?,
                    reason: &p.reason,
                    college_decision: &p.college_decision,
                    substitutions: &substitutions,
                },
                l.now,
            )?;
            l.leave_pool(&writes.order)?;
            l.save(RecordKind::Order, p.order_id, &writes.order)
        }
        // Decided here by the same function as on the server (issue 11 rule 5): the provider
        // the framework designates — by rotation, after the one of this commune's previous
        // direct call-off, which this PC holds — so a wrong one is refused at once, offline.
        // The milestones it plans are the server's to write.
        M::DirectAwardOrder(p) => {
            let (o, framework) = l.order_and_framework(p.order_id)?;
            let substitutions: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            let writes = decide::direct_award(
                &l.actor.actor(),
                decide::DirectAwardInput {
                    order: o.as_ref(),
                    framework: framework.as_ref(),
                    orders: &l.orders()?,
                    provider_id: p.provider_id,
                    justification: &p.justification,
                    college_decision: &p.college_decision,
                    substitutions: &substitutions,
                },
                l.now,
                Uuid::now_v7,
            )?;
            l.save(RecordKind::Order, p.order_id, &writes.order)
        }
        M::EvaluateOffers(p) => {
            let (o, framework) = l.order_and_framework(p.order_id)?;
            let order = decide_offer::evaluate(
                &l.actor.actor(),
                decide_offer::Evaluate {
                    order: o.as_ref(),
                    framework: framework.as_ref(),
                    offers: &l.offers(p.order_id)?,
                    scores: &p.scores,
                },
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &order)
        }
        // The tenderers' notifications and the milestones are the server's to write.
        M::AwardOrder(p) => {
            let (o, framework) = l.order_and_framework(p.order_id)?;
            let offers = l.offers(p.order_id)?;
            let mut providers = Vec::new();
            for x in &offers {
                if let Some(provider) = l.value::<Provider>(RecordKind::Provider, x.provider_id)? {
                    providers.push(provider);
                }
            }
            let substitutions: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            let writes = decide_offer::award(
                &l.actor.actor(),
                decide_offer::Award {
                    order: o.as_ref(),
                    framework: framework.as_ref(),
                    offers: &offers,
                    providers: &providers,
                    invitations: &l.invitations(p.order_id)?,
                    orders: &l.orders()?,
                    substitutions: &substitutions,
                    offer_id: p.offer_id,
                    justification: &p.justification,
                    college_decision: &p.college_decision,
                },
                l.now,
                Uuid::now_v7,
            )?;
            l.save(RecordKind::Order, p.order_id, &writes.order)
        }
        M::AcceptProvisional(p) | M::AcceptFinal(p) => {
            let (o, framework) = l.order_and_framework(p.order_id)?;
            let substitutions: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            let milestones: Vec<Milestone> =
                records::children(l.conn, RecordKind::Milestone, &p.order_id.to_string())?;
            let writes = decide_milestone::accept(
                &l.actor.actor(),
                decide_milestone::Accept {
                    order: o.as_ref(),
                    substitutions: &substitutions,
                    milestones: &milestones,
                    framework: framework.as_ref(),
                    final_acceptance: matches!(mutation, M::AcceptFinal(_)),
                    date: p.date,
                    remarks: &p.remarks,
                },
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &writes.order)?;
            if let Some(m) = writes.milestone {
                l.save(RecordKind::Milestone, m.id, &m)?;
            }
            Ok(())
        }
        M::AcknowledgeMilestone(p) => {
            let m: Option<Milestone> = l.value(RecordKind::Milestone, p.milestone_id)?;
            let milestone = decide_milestone::acknowledge(&l.actor.actor(), m.as_ref(), l.now)?;
            l.save(RecordKind::Milestone, p.milestone_id, &milestone)
        }
        M::RequestReplan(p) => {
            let (m, order) = l.milestone_and_order(p.milestone_id)?;
            let milestone = decide_milestone::request_replan(
                &l.actor.actor(),
                decide_milestone::RequestReplan {
                    milestone: m.as_ref(),
                    order: order.as_ref(),
                    request_id: p.request_id,
                    requested_date: p.requested_date,
                    reason: &p.reason,
                },
                l.now,
            )?;
            l.save(RecordKind::Milestone, p.milestone_id, &milestone)
        }
        M::DecideReplan(p) => {
            let (m, order) = l.milestone_and_order(p.milestone_id)?;
            let milestone = decide_milestone::decide_replan(
                &l.actor.actor(),
                decide_milestone::DecideReplan {
                    milestone: m.as_ref(),
                    order: order.as_ref(),
                    request_id: p.request_id,
                    accepted: p.accepted,
                    reason: &p.reason,
                },
                l.now,
            )?;
            l.save(RecordKind::Milestone, p.milestone_id, &milestone)
        }
        // The kick-off done starts the deployment: the order is written too, as on the server.
        M::UpdateMilestone(p) => {
            let (m, order) = l.milestone_and_order(p.milestone_id)?;
            let writes = decide_milestone::update(
                &l.actor.actor(),
                decide_milestone::Update {
                    milestone: m.as_ref(),
                    order: order.as_ref(),
                    planned_date: p.planned_date,
                    actual_date: p.actual_date,
                    notes: p.notes.as_deref(),
                },
                l.now,
            )?;
            l.save(RecordKind::Milestone, p.milestone_id, &writes.milestone)?;
            if let Some(order) = writes.order {
                l.save(RecordKind::Order, order.id, &order)?;
            }
            Ok(())
        }
        // The invitations are the server's to write, but the rule is the same: a deadline the
        // server would refuse (too soon in Brussels calendar days, after the framework's end)
        // is refused here at once, offline too, with the server's minimum days as last pulled.
        M::LaunchCompetition(p) | M::RelaunchCompetition(p) => {
            let (o, framework) = l.order_and_framework(p.order_id)?;
            let min_days = match crate::meta_get(l.conn, "server_settings")? {
                Some(json) => {
                    serde_json::from_str::<centrale_protocol::ServerSettings>(&json)?
                        .min_competition_days
                }
                None => centrale_domain::order::DEFAULT_MIN_COMPETITION_DAYS,
            };
            decide::launch_competition(
                &l.actor.actor(),
                decide::Launch {
                    order: o.as_ref(),
                    framework: framework.as_ref(),
                    deadline: p.deadline,
                    min_days,
                    relaunch: matches!(mutation, M::RelaunchCompetition(_)),
                },
                l.now,
                Uuid::now_v7,
            )?;
            Ok(())
        }
        // The invitations are the server's to write; the rule is checked here at once.
        M::ExtendDeadline(p) => {
            let (o, framework) = l.order_and_framework(p.order_id)?;
            decide::extend_deadline(
                &l.actor.actor(),
                decide::Extend {
                    order: o.as_ref(),
                    framework: framework.as_ref(),
                    invitations: &l.invitations(p.order_id)?,
                    deadline: p.deadline,
                    reason: &p.reason,
                },
                l.now,
            )?;
            Ok(())
        }
        // The server writes the version; the rules for modifying a concluded framework are
        // checked here too, so the form shows a refusal at once, next to its field.
        M::PublishFrameworkVersion(p) => {
            let framework: Option<FrameworkAgreement> =
                l.value(RecordKind::Framework, p.framework_id)?;
            let providers: Vec<Provider> = records::all(l.conn, RecordKind::Provider)?;
            centrale_domain::decide::catalogue::publish_framework_version(
                &l.actor.actor(),
                framework.as_ref(),
                &providers,
                &p.change(),
                l.now,
            )?;
            Ok(())
        }
        // The provider's notice on its invitation is the server's to write.
        M::SetOfferAside(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            let substitutions: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            let writes = decide_offer::set_offer_aside(
                &l.actor.actor(),
                decide_offer::SetAside {
                    order: o.as_ref(),
                    offers: &l.offers(p.order_id)?,
                    invitations: &l.invitations(p.order_id)?,
                    substitutions: &substitutions,
                    offer_id: p.offer_id,
                    ground: p.ground,
                    motivation: &p.motivation,
                },
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &writes.order)
        }
        // The request is recorded on the order at once (the provider's invitation is the
        // server's to write).
        M::AskPriceJustification(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            let writes = decide_offer::ask_price_justification(
                &l.actor.actor(),
                decide_offer::AskJustification {
                    order: o.as_ref(),
                    offers: &l.offers(p.order_id)?,
                    invitations: &l.invitations(p.order_id)?,
                    request_id: p.request_id,
                    offer_id: p.offer_id,
                    prices: &p.prices,
                    deadline: p.deadline,
                },
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &writes.order)
        }
        M::AcceptPriceJustification(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            let writes = decide_offer::accept_price_justification(
                &l.actor.actor(),
                decide_offer::AcceptJustification {
                    order: o.as_ref(),
                    invitations: &l.invitations(p.order_id)?,
                    request_id: p.request_id,
                },
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &writes.order)
        }
        // The invitations are the server's to write; the rule is checked here at once.
        M::AnswerQuestion(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            let writes = decide::answer_question(
                &l.actor.actor(),
                decide::Answer {
                    order: o.as_ref(),
                    invitations: &l.invitations(p.order_id)?,
                    question_id: p.question_id,
                    answer: &p.answer,
                },
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &writes.order)
        }
        // The purchase order is the server's to write; the rule (rule 16: the fonctionnaire
        // dirigeant named) is checked here at once.
        M::IssuePurchaseOrder(p) => {
            let o: Option<Order> = l.value(RecordKind::Order, p.order_id)?;
            decide::issue_purchase_order(
                &l.actor.actor(),
                o.as_ref(),
                &p.reference,
                p.contract_manager(),
                l.now,
            )?;
            Ok(())
        }
        // The account's own e-mail preferences (issue 14 §1): decided and shown at once, so
        // they can be changed offline; the server keeps its copy where its mailer reads it.
        M::SetMailPreferences(p) => {
            let prefs = decide_mail::set_preferences(
                &l.actor.actor(),
                decide_mail::SetPreferences {
                    account: &p.account,
                    choices: &p.choices,
                },
                l.now,
            )?;
            l.save_keyed(RecordKind::MailPreferences, &prefs.account, &prefs)
        }
        // Issue 16 §2: the intercommunale's accompaniment services.
        M::PublishAccompanimentPriceList(p) => {
            let current: Option<AccompanimentPriceList> =
                l.value(RecordKind::AccompanimentPriceList, PRICE_LIST_ID)?;
            let list = decide_accompaniment::publish_price_list(
                &l.actor.actor(),
                current.as_ref(),
                &p.services,
                &p.note,
                l.now,
            )?;
            l.save(RecordKind::AccompanimentPriceList, PRICE_LIST_ID, &list)
        }
        M::OrderAccompaniment(p) => {
            let id_taken = records::get(
                l.conn,
                RecordKind::AccompanimentOrder,
                &p.accompaniment_id.to_string(),
            )?
            .is_some();
            let adhesions: Vec<Adhesion> = records::all(l.conn, RecordKind::Adhesion)?;
            let call_off: Option<Order> = match p.call_off_id {
                Some(id) => l.value(RecordKind::Order, id)?,
                None => None,
            };
            let list: Option<AccompanimentPriceList> =
                l.value(RecordKind::AccompanimentPriceList, PRICE_LIST_ID)?;
            let order = decide_accompaniment::order(
                &l.actor.actor(),
                decide_accompaniment::OrderInput {
                    id: p.accompaniment_id,
                    id_taken,
                    adhesions: &adhesions,
                    call_off: p.call_off_id.map(|_| call_off.as_ref()),
                    list: list.as_ref(),
                    title: &p.title,
                    lines: &p.lines,
                    decision: &p.decision,
                },
                l.now,
            )?;
            l.save(RecordKind::AccompanimentOrder, p.accompaniment_id, &order)
        }
        M::PlanAccompaniment(p) => {
            let o: Option<AccompanimentOrder> =
                l.value(RecordKind::AccompanimentOrder, p.accompaniment_id)?;
            let order = decide_accompaniment::plan(&l.actor.actor(), o.as_ref(), &p.dates)?;
            l.save(RecordKind::AccompanimentOrder, p.accompaniment_id, &order)
        }
        M::RecordAccompanimentDelivery(p) => {
            let o: Option<AccompanimentOrder> =
                l.value(RecordKind::AccompanimentOrder, p.accompaniment_id)?;
            let order = decide_accompaniment::record_delivery(
                &l.actor.actor(),
                o.as_ref(),
                &p.code,
                p.delivered_on,
                l.now,
            )?;
            l.save(RecordKind::AccompanimentOrder, p.accompaniment_id, &order)
        }
        // The invoice's number is the server's (another PC of the centrale may invoice at the
        // same time); the rule is checked here at once.
        M::InvoiceAccompaniment(p) => {
            let o: Option<AccompanimentOrder> =
                l.value(RecordKind::AccompanimentOrder, p.accompaniment_id)?;
            let others: Vec<AccompanimentOrder> =
                records::all(l.conn, RecordKind::AccompanimentOrder)?;
            decide_accompaniment::invoice(&l.actor.actor(), o.as_ref(), &others, l.now)?;
            Ok(())
        }
        M::CancelAccompaniment(p) => {
            let o: Option<AccompanimentOrder> =
                l.value(RecordKind::AccompanimentOrder, p.accompaniment_id)?;
            let order = decide_accompaniment::cancel(&l.actor.actor(), o.as_ref(), &p.reason)?;
            l.save(RecordKind::AccompanimentOrder, p.accompaniment_id, &order)
        }
        // Issue 16 §3: the needs survey, published by the centrale, answered by a commune
        // offline (a draft, or sent by its directeur général: the server's clock decides
        // whether the survey was still open).
        M::PublishSurvey(p) => {
            let id_taken =
                records::get(l.conn, RecordKind::Survey, &p.survey_id.to_string())?.is_some();
            let survey =
                decide_survey::publish(&l.actor.actor(), p.survey_id, id_taken, &p.survey, l.now)?;
            l.save(RecordKind::Survey, p.survey_id, &survey)
        }
        M::SaveSurveyAnswers(p) | M::SendSurveyAnswers(p) => {
            let send = matches!(mutation, M::SendSurveyAnswers(_));
            let survey: Option<Survey> = l.value(RecordKind::Survey, p.survey_id)?;
            let actor = l.actor.actor();
            let key = actor
                .commune_nis
                .as_deref()
                .map(|nis| response_key(p.survey_id, nis));
            let current: Option<SurveyResponse> = match &key {
                Some(key) => {
                    records::load(l.conn, RecordKind::SurveyResponse, key)?.map(|(v, _)| v)
                }
                None => None,
            };
            let response = decide_survey::answer(
                &actor,
                survey.as_ref(),
                current.as_ref(),
                &p.answers,
                send,
                l.now,
            )?;
            let key = response_key(response.survey_id, &response.commune_nis);
            l.save_keyed(RecordKind::SurveyResponse, &key, &response)
        }
        // Issue 16 §4: pooled call-offs. The centrale's PC opens a pool, declares and makes the
        // common analysis on what it holds (every order and, after the opening, every offer);
        // the launch is checked here and written by the server (its invitations).
        M::CreatePool(p) => {
            let id_taken =
                records::get(l.conn, RecordKind::PooledCallOff, &p.pool_id.to_string())?.is_some();
            let service: Option<Service> = l.value(RecordKind::Service, p.pool.service_id)?;
            let framework: Option<FrameworkAgreement> = match &service {
                Some(s) => l.value(RecordKind::Framework, s.framework_id)?,
                None => None,
            };
            let pool = decide_pool::create(
                &l.actor.actor(),
                p.pool_id,
                id_taken,
                &p.pool,
                service.as_ref(),
                framework.as_ref(),
                l.now,
            )?;
            l.save(RecordKind::PooledCallOff, p.pool_id, &pool)
        }
        M::LaunchPool(p) => {
            let (pool, framework, orders) = l.pool_and_members(p.pool_id)?;
            decide_pool::launch(
                &l.actor.actor(),
                decide_pool::Launch {
                    pool: pool.as_ref(),
                    framework: framework.as_ref(),
                    orders: &orders,
                    deadline: p.deadline,
                    min_days: l.min_competition_days()?,
                },
                l.now,
                Uuid::now_v7,
            )?;
            Ok(())
        }
        M::DeclarePoolNoConflict(p) => {
            let (pool, _, orders) = l.pool_and_members(p.pool_id)?;
            let pool = decide_pool::declare_no_conflict(
                &l.actor.actor(),
                pool.as_ref(),
                &orders,
                &p.statement_sha256,
                l.now,
            )?;
            l.save(RecordKind::PooledCallOff, p.pool_id, &pool)
        }
        M::EvaluatePool(p) => {
            let (pool, framework, orders) = l.pool_and_members(p.pool_id)?;
            let mut offers = Vec::new();
            for o in &orders {
                offers.extend(l.offers(o.id)?);
            }
            let writes = decide_pool::evaluate(
                &l.actor.actor(),
                decide_pool::Evaluate {
                    pool: pool.as_ref(),
                    framework: framework.as_ref(),
                    orders: &orders,
                    offers: &offers,
                    scores: &p.scores,
                },
                l.now,
            )?;
            l.save(RecordKind::PooledCallOff, p.pool_id, &writes.pool)?;
            for w in &writes.orders {
                l.save(RecordKind::Order, w.order.id, &w.order)?;
            }
            Ok(())
        }
        M::SetPooledOfferAside(p) => {
            let (pool, _, orders) = l.pool_and_members(p.pool_id)?;
            let mut offers = Vec::new();
            let mut invitations = Vec::new();
            for o in &orders {
                offers.extend(l.offers(o.id)?);
                invitations.extend(l.invitations(o.id)?);
            }
            let writes = decide_pool::set_offer_aside(
                &l.actor.actor(),
                decide_pool::SetAside {
                    pool: pool.as_ref(),
                    orders: &orders,
                    offers: &offers,
                    invitations: &invitations,
                    provider_id: p.provider_id,
                    ground: p.ground,
                    motivation: &p.motivation,
                },
                l.now,
            )?;
            l.save(RecordKind::PooledCallOff, p.pool_id, &writes.pool)?;
            for w in &writes.orders {
                l.save(RecordKind::Order, w.order.id, &w.order)?;
            }
            Ok(())
        }
        // The invitations are the server's to write; the rule is checked here at once.
        M::ExtendPoolDeadline(p) => {
            let (pool, framework, orders) = l.pool_and_members(p.pool_id)?;
            let mut invitations = Vec::new();
            for o in &orders {
                invitations.extend(l.invitations(o.id)?);
            }
            decide_pool::extend_deadline(
                &l.actor.actor(),
                decide_pool::Extend {
                    pool: pool.as_ref(),
                    framework: framework.as_ref(),
                    orders: &orders,
                    invitations: &invitations,
                    deadline: p.deadline,
                    reason: &p.reason,
                },
                l.now,
            )?;
            Ok(())
        }
        // Known only to the server (see the module's comment): decided there by the same
        // functions (`centrale_domain::decide`).
        M::SubmitPooledOffer(_)
        | M::AskQuestion(_)
        | M::AnswerPriceJustification(_)
        | M::OpenOffers(_)
        | M::SubmitOffer(_)
        | M::RegisterProvider(_)
        | M::AddService(_) => Ok(()),
    }
}
