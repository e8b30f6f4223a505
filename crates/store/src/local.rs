//! The optimistic effect of a mutation on this PC's records, computed with the same domain
//! rules the server runs. The server re-checks everything with its own clock and data; this
//! only lets the user see the result at once, offline.
//!
//! Mutations whose effect depends on what only the server knows (launching a mini-competition
//! creates invitations for the framework's providers; opening reads sealed offers; the purchase
//! order and milestones are written by the centrale) have no local effect: they wait in the
//! outbox, shown as pending, and their result arrives with the next pull.

use centrale_domain::adhesion::{Adhesion, AdhesionStatus, ConventionTemplate, Signature};
use centrale_domain::catalogue::{FrameworkAgreement, ProviderNames, Service};
use centrale_domain::deployment::{Milestone, MilestoneKind};
use centrale_domain::evaluation::{evaluate_with as rank_offers, OfferForScoring, PriceBasis};
use centrale_domain::offer::Offer;
use centrale_domain::order::{Acceptance, ConflictDeclaration, EvaluationRecord, Order};
use centrale_domain::permission::{authorize, Act, Owner};
use centrale_domain::signatory::{signer_for, Capacity, Signer, Substitution, SUBSTITUTE_SIGNS};
use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::mutations::Mutation;
use centrale_protocol::records::RecordKind;
use centrale_protocol::Me;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{Result, StoreError};
use crate::records;

struct Local<'a> {
    conn: &'a Connection,
    /// Who acts (a substitute's name carries their capacity once a signatory act resolved it).
    actor: Me,
    client_seq: i64,
    now: DateTime<Utc>,
    today: NaiveDate,
    touched: Vec<(RecordKind, String)>,
}

impl Local<'_> {
    fn load<T: DeserializeOwned>(&self, kind: RecordKind, id: Uuid) -> Result<Option<(T, i64)>> {
        records::load(self.conn, kind, &id.to_string())
    }

    fn require<T: DeserializeOwned>(&self, kind: RecordKind, id: Uuid) -> Result<T> {
        // Not (yet) on this PC: the answer the server gives for an unknown record.
        self.load(kind, id)?
            .map(|(v, _)| v)
            .ok_or(StoreError::Rule(DomainError::NotFound))
    }

    fn save<T: Serialize>(&mut self, kind: RecordKind, id: Uuid, value: &T) -> Result<()> {
        let body = serde_json::to_value(value)?;
        let id = id.to_string();
        records::put_local(self.conn, self.client_seq, kind, &id, Some(&body))?;
        self.touched.push((kind, id));
        Ok(())
    }

    fn delete(&mut self, kind: RecordKind, id: Uuid) -> Result<()> {
        let id = id.to_string();
        records::put_local(self.conn, self.client_seq, kind, &id, None)?;
        self.touched.push((kind, id));
        Ok(())
    }

    /// The domain's one permission matrix, as the server applies it.
    fn may(&self, act: Act, owner: Owner<'_>) -> Result<()> {
        authorize(&self.actor.actor(), act, owner)?;
        Ok(())
    }

    fn commune(&self) -> Result<String> {
        self.may(Act::CreateOrderDraft, Owner::Own)?;
        self.actor
            .commune_nis
            .clone()
            .ok_or_else(|| StoreError::from(centrale_domain::DomainError::NotFound))
    }

    /// The signature of the account acting, as the titular it is or the substitute whose
    /// substitution covers today (the domain's `signer_for`, as on the server).
    fn signature(&self, act: Act, commune: &str, text_sha256: &str) -> Result<Signature> {
        let signer = self.signer(act, commune)?;
        Ok(Signature {
            user_id: self.actor.user_id.clone(),
            name: self.actor.display_name.clone(),
            role: signer.role,
            signed_at: self.now,
            text_sha256: text_sha256.to_string(),
            capacity: signer.capacity,
            title: signer.title,
            substitution: signer.substitution,
        })
    }

    /// Who signs `act` for `commune` today (CDLD L1132-3; substitutes L1123-5, L1132-4).
    fn signer(&self, act: Act, commune: &str) -> Result<Signer> {
        let substitutions: Vec<Substitution> = records::all(self.conn, RecordKind::Substitution)?;
        Ok(signer_for(
            &self.actor.actor(),
            act,
            commune,
            &substitutions,
            self.today,
        )?)
    }

    fn order(&mut self, id: Uuid, act: Act) -> Result<Order> {
        let order: Order = self.require(RecordKind::Order, id)?;
        if SUBSTITUTE_SIGNS.contains(&act) {
            // A substitute is named as such on what the act records (as on the server).
            let signer = self.signer(act, &order.commune_nis)?;
            if signer.capacity != Capacity::Titular {
                self.actor.display_name = signer.label(&self.actor.display_name);
            }
        } else {
            self.may(act, Owner::Commune(&order.commune_nis))?;
        }
        Ok(order)
    }

    fn current_adhesion(&self, commune: &str) -> Result<Option<Adhesion>> {
        let all: Vec<Adhesion> = records::all(self.conn, RecordKind::Adhesion)?;
        let today = self.today;
        Ok(all
            .into_iter()
            .find(|a| a.commune_nis == commune && a.status_on(today) != AdhesionStatus::Terminated))
    }

    /// The orders this PC knows: its commune's (the centrale's PC: every commune's). The
    /// maximum value of a framework is checked on them here, a lower bound of what the server
    /// counts over every commune: the server may still refuse what this PC accepted.
    fn orders(&self) -> Result<Vec<Order>> {
        records::all(self.conn, RecordKind::Order)
    }

    fn opened_offers(&self, order: &Order) -> Result<Vec<Offer>> {
        records::children(self.conn, RecordKind::Offer, &order.id.to_string())
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
        today: centrale_domain::time::brussels_today(now),
        touched: Vec::new(),
    };
    run(&mut l, mutation)?;
    Ok(l.touched)
}

fn run(l: &mut Local<'_>, mutation: &Mutation) -> Result<()> {
    use Mutation as M;
    match mutation {
        M::StartAdhesion(p) => {
            l.may(Act::StartAdhesion, Owner::Own)?;
            let commune = l.commune()?;
            if l.current_adhesion(&commune)?.is_some() {
                return Err(DomainError::rule(ErrorCode::AdhesionExists).into());
            }
            let template: ConventionTemplate =
                l.require(RecordKind::ConventionTemplate, p.template_id)?;
            let adhesion = Adhesion::draft(p.adhesion_id, &commune, &template);
            l.save(RecordKind::Adhesion, p.adhesion_id, &adhesion)
        }
        M::RecordCollegeDecision(p) => {
            let mut a: Adhesion = l.require(RecordKind::Adhesion, p.adhesion_id)?;
            l.may(Act::RecordAdhesionDecision, Owner::Commune(&a.commune_nis))?;
            a.record_college_decision(p.college_decision.clone(), l.today)?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &a)
        }
        M::SignAdhesion(p) => {
            let mut a: Adhesion = l.require(RecordKind::Adhesion, p.adhesion_id)?;
            a.sign(l.signature(Act::SignAdhesion, &a.commune_nis.clone(), &p.text_sha256)?)?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &a)
        }
        M::CountersignAdhesion(p) => {
            l.may(Act::CountersignAdhesion, Owner::Own)?;
            let mut a: Adhesion = l.require(RecordKind::Adhesion, p.adhesion_id)?;
            a.countersign(Signature {
                user_id: l.actor.user_id.clone(),
                name: l.actor.display_name.clone(),
                role: l.actor.role,
                signed_at: l.now,
                text_sha256: p.text_sha256.clone(),
                capacity: Capacity::Titular,
                title: l.actor.title_fr(),
                substitution: None,
            })?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &a)
        }
        M::ActivateAdhesion(p) => {
            l.may(Act::ActivateAdhesion, Owner::Own)?;
            let mut a: Adhesion = l.require(RecordKind::Adhesion, p.adhesion_id)?;
            a.activate(l.now)?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &a)
        }
        M::TerminateAdhesion(p) => {
            let mut a: Adhesion = l.require(RecordKind::Adhesion, p.adhesion_id)?;
            let signature = l.signature(Act::TerminateAdhesion, &a.commune_nis.clone(), "")?;
            a.terminate(signature, &p.reason, l.today)?;
            l.save(RecordKind::Adhesion, p.adhesion_id, &a)
        }
        M::RecordSubstitution(p) => {
            l.may(Act::RecordSubstitution, Owner::Own)?;
            let commune = l
                .actor
                .commune_nis
                .clone()
                .ok_or(StoreError::Rule(DomainError::NotFound))?;
            l.may(Act::RecordSubstitution, Owner::Commune(&commune))?;
            if records::get(
                l.conn,
                RecordKind::Substitution,
                &p.substitution_id.to_string(),
            )?
            .is_some()
            {
                return Err(DomainError::rule(ErrorCode::DuplicateId)
                    .with("id", p.substitution_id)
                    .into());
            }
            // The substitute's account and name are the server's to fill in (this PC does not
            // know the commune's accounts): until then the login stands for the name.
            let username = p.substitute_username.trim().to_string();
            let substitution = Substitution {
                id: p.substitution_id,
                commune_nis: commune,
                capacity: p.capacity,
                substitute_username: username.clone(),
                substitute_user_id: String::new(),
                substitute_name: username,
                substitute_gender: Default::default(),
                from: p.from,
                to: p.to,
                decision: p.decision.clone(),
                recorded_by: l.actor.title_label(),
                recorded_at: l.now,
                ended: None,
            };
            let others: Vec<Substitution> = records::all(l.conn, RecordKind::Substitution)?;
            substitution.validate(l.today, &others)?;
            l.save(RecordKind::Substitution, p.substitution_id, &substitution)
        }
        M::EndSubstitution(p) => {
            let mut s: Substitution = l.require(RecordKind::Substitution, p.substitution_id)?;
            l.may(Act::EndSubstitution, Owner::Commune(&s.commune_nis))?;
            let by = l.actor.title_label();
            s.end(&by, l.now, l.today)?;
            l.save(RecordKind::Substitution, p.substitution_id, &s)
        }
        M::CreateOrderDraft(p) => {
            let commune = l.commune()?;
            if records::get(l.conn, RecordKind::Order, &p.order_id.to_string())?.is_some() {
                return Err(DomainError::rule(ErrorCode::DuplicateId)
                    .with("id", p.order_id)
                    .into());
            }
            let service: Service = l.require(RecordKind::Service, p.service_id)?;
            let framework: FrameworkAgreement =
                l.require(RecordKind::Framework, service.framework_id)?;
            let order = Order::new_draft(
                p.order_id,
                &commune,
                &framework,
                p.title.trim().to_string(),
                p.needs.clone(),
                &l.actor.display_name,
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &order)
        }
        M::UpdateOrderDraft(p) => {
            let mut o = l.order(p.order_id, Act::UpdateOrderDraft)?;
            let framework: FrameworkAgreement = l.require(RecordKind::Framework, o.framework_id)?;
            o.update_draft(&framework, p.title.trim().to_string(), p.needs.clone())?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        M::DeleteOrderDraft(p) => {
            let o = l.order(p.order_id, Act::DeleteOrderDraft)?;
            o.check_deletable()?;
            l.delete(RecordKind::Order, p.order_id)
        }
        M::SubmitOrder(p) => {
            let mut o = l.order(p.order_id, Act::SubmitOrder)?;
            let adhesion = l.current_adhesion(&o.commune_nis)?;
            let framework: FrameworkAgreement = l.require(RecordKind::Framework, o.framework_id)?;
            let by = l.actor.display_name.clone();
            o.submit(
                adhesion.as_ref(),
                &framework,
                p.decision.clone(),
                &p.budget_article,
                &by,
                l.now,
                l.today,
            )?;
            centrale_domain::value::check_submission(&framework, &l.orders()?, &o)?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        M::DeclareNoConflict(p) => {
            let mut o = l.order(p.order_id, Act::DeclareNoConflict)?;
            o.declare_no_conflict(ConflictDeclaration {
                user_id: l.actor.user_id.clone(),
                name: l.actor.display_name.clone(),
                role: l.actor.role,
                declared_at: l.now,
                statement_sha256: p.statement_sha256.clone(),
            })?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        M::CancelOrder(p) => {
            let mut o = l.order(p.order_id, Act::CancelOrder)?;
            let by = l.actor.display_name.clone();
            o.cancel(p.reason.trim().to_string(), &by, l.now)?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        M::WithdrawOrder(p) => {
            let mut o = l.order(p.order_id, Act::WithdrawOrder)?;
            let by = l.actor.display_name.clone();
            let (now, today) = (l.now, l.today);
            o.withdraw(
                p.reason.trim().to_string(),
                p.college_decision.clone(),
                &by,
                now,
                today,
            )?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        M::EvaluateOffers(p) => {
            let mut o = l.order(p.order_id, Act::EvaluateOffers)?;
            o.check_evaluable()?;
            let framework: FrameworkAgreement = l.require(RecordKind::Framework, o.framework_id)?;
            let terms = framework.pinned(o.framework_version)?.clone();
            let scoring: Vec<OfferForScoring> = l
                .opened_offers(&o)?
                .iter()
                .filter(|offer| !o.is_set_aside(offer.id))
                .map(OfferForScoring::from)
                .collect();
            let basis = PriceBasis::of(&terms, &o.needs)?;
            let ranking = rank_offers(basis, &terms.award_criteria, &scoring, &p.scores)?;
            o.record_evaluation(EvaluationRecord {
                quality_scores: p.scores.clone(),
                ranking,
                evaluated_at: l.now,
                evaluated_by: l.actor.display_name.clone(),
            })?;
            // Law of 17 June 2016 art. 6, as on the server.
            o.check_no_conflict_declared(&l.actor.user_id)?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        M::AwardOrder(p) => {
            let mut o = l.order(p.order_id, Act::AwardOrder)?;
            let offers = l.opened_offers(&o)?;
            let offer = offers
                .iter()
                .find(|x| x.id == p.offer_id)
                .cloned()
                .ok_or(StoreError::Rule(DomainError::NotFound))?;
            let mut names = ProviderNames::default();
            for x in &offers {
                if let Some((provider, _)) = l.load::<centrale_domain::catalogue::Provider>(
                    RecordKind::Provider,
                    x.provider_id,
                )? {
                    names.insert(x.provider_id, provider.name);
                }
            }
            let framework: FrameworkAgreement = l.require(RecordKind::Framework, o.framework_id)?;
            let by = l.actor.display_name.clone();
            let (now, today) = (l.now, l.today);
            o.award(
                &framework,
                p.offer_id,
                offer.total,
                p.justification.trim().to_string(),
                p.college_decision.clone(),
                &by,
                now,
                today,
                |id| names.name(id),
            )?;
            // Law of 17 June 2016 art. 6, as on the server.
            o.check_no_conflict_declared(&l.actor.user_id)?;
            centrale_domain::value::check_maximum(
                &framework,
                &l.orders()?,
                &o,
                offer.total.excl_vat,
            )?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        M::AcceptProvisional(p) | M::AcceptFinal(p) => {
            let final_acceptance = matches!(mutation, M::AcceptFinal(_));
            let mut o = l.order(p.order_id, Act::AcceptOrder)?;
            let mut milestones: Vec<Milestone> =
                records::children(l.conn, RecordKind::Milestone, &p.order_id.to_string())?;
            let acceptance = Acceptance {
                date: p.date,
                remarks: p.remarks.trim().to_string(),
                by: l.actor.display_name.clone(),
                recorded_at: l.now,
            };
            let today = l.today;
            let kind = if final_acceptance {
                let framework: FrameworkAgreement =
                    l.require(RecordKind::Framework, o.framework_id)?;
                o.check_guarantee(&framework, p.date)?;
                o.accept_finally(acceptance, today)?;
                MilestoneKind::FinalAcceptance
            } else {
                let go_live_done = milestones
                    .iter()
                    .any(|m| m.kind == MilestoneKind::GoLive && m.actual_date.is_some());
                o.accept_provisionally(acceptance, go_live_done, today)?;
                MilestoneKind::ProvisionalAcceptance
            };
            l.save(RecordKind::Order, p.order_id, &o)?;
            if let Some(m) = milestones.iter_mut().find(|m| m.kind == kind) {
                m.actual_date = Some(p.date);
                m.acknowledged_at = Some(l.now);
                m.acknowledged_by = Some(l.actor.display_name.clone());
                let id = m.id;
                l.save(RecordKind::Milestone, id, &*m)?;
            }
            Ok(())
        }
        M::AcknowledgeMilestone(p) => {
            let mut m: Milestone = l.require(RecordKind::Milestone, p.milestone_id)?;
            l.may(Act::AcknowledgeMilestone, Owner::Commune(&m.commune_nis))?;
            let by = l.actor.display_name.clone();
            m.acknowledge(&by, l.now)?;
            l.save(RecordKind::Milestone, p.milestone_id, &m)
        }
        M::UpdateMilestone(p) => {
            l.may(Act::UpdateMilestone, Owner::Own)?;
            let mut m: Milestone = l.require(RecordKind::Milestone, p.milestone_id)?;
            l.may(Act::UpdateMilestone, Owner::Provider(m.provider_id))?;
            let order: Order = l.require(RecordKind::Order, m.order_id)?;
            m.update(
                p.planned_date,
                p.actual_date,
                p.notes.clone(),
                order.status,
                order.awarded_on(),
                l.today,
            )?;
            l.save(RecordKind::Milestone, p.milestone_id, &m)
        }
        // The invitations are the server's to write, but the rule is the same: a deadline the
        // server would refuse (too soon in Brussels calendar days, after the framework's end)
        // is refused here at once, offline too, with the server's minimum days as last pulled.
        M::LaunchCompetition(p) | M::RelaunchCompetition(p) => {
            l.may(Act::LaunchCompetition, Owner::Own)?;
            let mut o: Order = l.require(RecordKind::Order, p.order_id)?;
            let framework: FrameworkAgreement = l.require(RecordKind::Framework, o.framework_id)?;
            let min_days = match crate::meta_get(l.conn, "server_settings")? {
                Some(json) => {
                    serde_json::from_str::<centrale_protocol::ServerSettings>(&json)?
                        .min_competition_days
                }
                None => centrale_domain::order::DEFAULT_MIN_COMPETITION_DAYS,
            };
            let by = l.actor.display_name.clone();
            if matches!(mutation, M::RelaunchCompetition(_)) {
                o.relaunch_competition(&framework, p.deadline, min_days, l.now, l.today, &by)?;
            } else {
                o.launch_competition(&framework, p.deadline, min_days, l.now, l.today, &by)?;
            }
            Ok(())
        }
        // The invitations are the server's to write; the rule is checked here at once.
        M::ExtendDeadline(p) => {
            l.may(Act::ExtendDeadline, Owner::Own)?;
            let mut o: Order = l.require(RecordKind::Order, p.order_id)?;
            let framework: FrameworkAgreement = l.require(RecordKind::Framework, o.framework_id)?;
            let by = l.actor.display_name.clone();
            let (now, today) = (l.now, l.today);
            o.extend_deadline(
                &framework,
                p.deadline,
                p.reason.trim().to_string(),
                &by,
                now,
                today,
            )?;
            Ok(())
        }
        // The server writes the version; the rules for modifying a concluded framework are
        // checked here too, so the form shows a refusal at once, next to its field.
        M::PublishFrameworkVersion(p) => {
            l.may(Act::PublishFrameworkVersion, Owner::Own)?;
            let mut framework: FrameworkAgreement =
                l.require(RecordKind::Framework, p.framework_id)?;
            let terms = p.next_terms(framework.current()?, l.now)?;
            framework.publish(terms)?;
            Ok(())
        }
        M::SetOfferAside(p) => {
            let mut o = l.order(p.order_id, Act::SetOfferAside)?;
            let offer = l
                .opened_offers(&o)?
                .into_iter()
                .find(|x| x.id == p.offer_id)
                .ok_or_else(|| {
                    StoreError::refused(
                        "not_found",
                        "Cette offre n'est pas sur ce poste. Synchronisez puis réessayez.",
                    )
                })?;
            let by = l.actor.display_name.clone();
            o.set_offer_aside(
                offer.id,
                offer.provider_id,
                p.motivation.trim().to_string(),
                &by,
                l.now,
            )?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        // The invitations are the server's to write; the rule is checked here at once.
        M::AnswerQuestion(p) => {
            l.may(Act::AnswerQuestion, Owner::Own)?;
            let mut o: Order = l.require(RecordKind::Order, p.order_id)?;
            o.answer_question(p.question_id, p.answer.trim().to_string(), l.now)?;
            l.save(RecordKind::Order, p.order_id, &o)
        }
        // The purchase order is the server's to write; the rule (rule 16: the fonctionnaire
        // dirigeant named) is checked here at once, on a copy.
        M::IssuePurchaseOrder(p) => {
            l.may(Act::IssuePurchaseOrder, Owner::Own)?;
            let mut o: Order = l.require(RecordKind::Order, p.order_id)?;
            let by = l.actor.display_name.clone();
            o.issue_purchase_order(
                p.reference.trim().to_string(),
                p.contract_manager(),
                &by,
                l.now,
            )?;
            Ok(())
        }
        // Known only to the server (see the module's comment).
        M::AskQuestion(_)
        | M::OpenOffers(_)
        | M::DirectAwardOrder(_)
        | M::SubmitOffer(_)
        | M::RegisterProvider(_)
        | M::AddService(_) => Ok(()),
    }
}
