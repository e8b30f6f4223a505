//! The one write path. Every write is a named mutation applied in its own transaction:
//! permission check → domain rule → write → audit-log entry → change-log entry (the record's
//! new `seq`), exactly once per mutation id.

mod accompaniment;
mod account;
mod adhesion;
mod catalogue;
mod deployment;
mod enterprise_numbers;
mod merger;
mod offer;
mod order;
mod pool;
pub mod standing;
pub mod store;
mod substitution;
mod survey;

use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::mutations::Mutation;
use centrale_protocol::records::RecordKind;
use centrale_protocol::{codes, Change, MutationEnvelope, MutationResult, MutationStatus};
use centrale_server_db::{DbError, NewMutation};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::actor::Actor;
use crate::state::AppState;
pub use order::backfill_framework_index;
pub use store::{visibility, Ctx, Loaded};

/// A refusal the user can act on: stable code, French message, details.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// Stable code.
    pub code: String,
    /// French message.
    pub message: String,
    /// Details (field, …).
    pub details: Value,
}

impl Rejection {
    /// The role may not do this.
    pub fn forbidden(message: String) -> Rejection {
        Rejection {
            code: codes::FORBIDDEN.into(),
            message,
            details: json!({}),
        }
    }

    /// Not found, or not visible to the caller (the same answer, so nothing leaks).
    pub fn not_found() -> Rejection {
        Rejection {
            code: codes::NOT_FOUND.into(),
            message: ErrorCode::NotFound.message_fr(&json!({})),
            details: json!({}),
        }
    }

    /// A rule specific to the server (not a domain rule).
    pub fn new(code: &str, message: impl Into<String>) -> Rejection {
        Rejection {
            code: code.into(),
            message: message.into(),
            details: json!({}),
        }
    }
}

impl From<DomainError> for Rejection {
    fn from(e: DomainError) -> Self {
        Rejection {
            code: e.code().into(),
            message: e.to_string(),
            details: e.params(),
        }
    }
}

/// Why a mutation did not apply.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Refused: stored as the mutation's result.
    #[error("rejected: {}", .0.code)]
    Rejected(Rejection),
    /// The edit was based on an older version.
    #[error("conflict")]
    Conflict(Box<Change>),
    /// Storage failed: nothing is stored, the client retries.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A bug or corrupt record: nothing is stored, logged.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<Rejection> for EngineError {
    fn from(r: Rejection) -> Self {
        EngineError::Rejected(r)
    }
}

impl From<DomainError> for EngineError {
    fn from(e: DomainError) -> Self {
        EngineError::Rejected(e.into())
    }
}

/// A mutation checked for shape, ready to apply.
#[derive(Debug, Clone)]
pub struct ParsedMutation {
    /// Envelope as sent.
    pub envelope: MutationEnvelope,
    /// Parsed payload.
    pub mutation: Mutation,
}

fn result_of(
    mutation_id: Uuid,
    outcome: &Result<Vec<centrale_protocol::RecordRef>, EngineError>,
) -> Option<MutationResult> {
    match outcome {
        Ok(records) => Some(MutationResult {
            mutation_id,
            status: MutationStatus::Applied,
            code: None,
            message: None,
            details: json!({}),
            records: records.clone(),
            current: None,
        }),
        Err(EngineError::Rejected(r)) => Some(MutationResult {
            mutation_id,
            status: MutationStatus::Rejected,
            code: Some(r.code.clone()),
            message: Some(r.message.clone()),
            details: r.details.clone(),
            records: vec![],
            current: None,
        }),
        Err(EngineError::Conflict(current)) => Some(MutationResult {
            mutation_id,
            status: MutationStatus::Conflict,
            code: Some("conflict".into()),
            message: Some("Ce brouillon a été modifié entre-temps depuis un autre poste. Les deux versions sont conservées : choisissez celle à garder.".into()),
            details: json!({}),
            records: vec![],
            current: Some((**current).clone()),
        }),
        Err(_) => None,
    }
}

/// Applies one mutation exactly once. A repeat of a known mutation id returns the stored
/// result; a rejection or conflict is stored too, so a retry gets the same answer.
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    client_id: Uuid,
    parsed: &ParsedMutation,
) -> Result<MutationResult, EngineError> {
    let env = &parsed.envelope;
    let mutation_id = env.mutation_id.to_string();
    let waiting = std::time::Instant::now();
    let tx = state.db.write().await?;
    state.metrics.write_lock_wait.observe(waiting.elapsed());
    // Time is read once per mutation, under the write lock (a mutation that waited for the
    // lock is decided at the instant it is applied); the Brussels day comes from it.
    let now = state.clock.now();
    let mut ctx = Ctx::new(tx, actor.clone(), now, &state.settings);
    if let Some(stored) = ctx.tx.find_mutation(&mutation_id).await? {
        if stored.user_id != actor.user_id {
            return Ok(result_of(
                env.mutation_id,
                &Err(DomainError::rule(ErrorCode::MutationIdReused).into()),
            )
            .unwrap_or_else(|| unreachable_result(env.mutation_id)));
        }
        return serde_json::from_value(stored.result)
            .map_err(|e| EngineError::Internal(e.to_string()));
    }
    let outcome = match dispatch(&mut ctx, env, &parsed.mutation).await {
        // A signing act's one-time code (issue 17 point 9), after the act's own rules as on
        // the PC, in the same transaction: nothing of the act stays without it.
        Ok(()) => {
            crate::second_factor::check_act(
                &mut ctx,
                parsed.mutation.act(),
                env.second_factor.as_ref(),
                &client_id.to_string(),
            )
            .await
        }
        refused => refused,
    };
    let outcome = match outcome {
        // The communes' public standings the act changed (issue 15.9), then the e-mail the
        // act causes (issue 14), in its transaction.
        Ok(()) => match standing::refresh_written(&mut ctx).await {
            Ok(()) => crate::mail::events::after_mutation(&mut ctx, &parsed.mutation).await,
            failed => failed,
        },
        refused => refused,
    };
    let outcome = match outcome {
        Ok(()) => {
            let written = ctx.written.clone();
            let primary = written.first().cloned();
            ctx.audit(
                parsed.mutation.name(),
                primary.as_ref().map(|r| r.kind),
                primary.as_ref().map(|r| r.id.as_str()),
                json!({
                    "mutation_id": mutation_id,
                    "client_id": client_id,
                    "payload": env.payload,
                    "records": written,
                }),
            )
            .await?;
            Ok(written)
        }
        Err(e @ (EngineError::Rejected(_) | EngineError::Conflict(_))) => {
            // Nothing of the refused mutation is kept: start again from a clean transaction.
            ctx.tx.rollback().await?;
            ctx.tx = state.db.write().await?;
            ctx.written.clear();
            // Refusals are part of the record too (a late offer, an award against the ranking).
            let code = match &e {
                EngineError::Rejected(r) => r.code.clone(),
                _ => "conflict".to_string(),
            };
            // A wrong code counts towards the account's wait, whatever became of the act.
            if code == ErrorCode::SecondFactorWrong.as_str() {
                crate::second_factor::count_wrong_code(&mut ctx).await?;
            }
            ctx.audit(
                &format!("{}.refused", parsed.mutation.name()),
                None,
                None,
                json!({"mutation_id": mutation_id, "client_id": client_id, "code": code}),
            )
            .await?;
            Err(e)
        }
        Err(other) => return Err(other),
    };
    let result =
        result_of(env.mutation_id, &outcome).unwrap_or_else(|| unreachable_result(env.mutation_id));
    state.metrics.count_mutation(
        parsed.mutation.name(),
        match result.status {
            MutationStatus::Applied => "applied",
            MutationStatus::Rejected => "rejected",
            MutationStatus::Conflict => "conflict",
        },
    );
    ctx.tx
        .store_mutation(&NewMutation {
            mutation_id,
            client_id: client_id.to_string(),
            client_seq: env.client_seq,
            user_id: actor.user_id.clone(),
            name: parsed.mutation.name().to_string(),
            result: serde_json::to_value(&result)
                .map_err(|e| EngineError::Internal(e.to_string()))?,
            applied_at: now,
        })
        .await?;
    ctx.tx.commit().await?;
    Ok(result)
}

fn unreachable_result(mutation_id: Uuid) -> MutationResult {
    MutationResult {
        mutation_id,
        status: MutationStatus::Rejected,
        code: Some(codes::INTERNAL.into()),
        message: Some(ErrorCode::InternalError.message_fr(&json!({}))),
        details: json!({}),
        records: vec![],
        current: None,
    }
}

/// The conflict answer for an edit based on `base_version` when the record is at `current`.
pub async fn check_version(
    ctx: &mut Ctx<'_>,
    kind: RecordKind,
    id: &str,
    base_version: Option<i64>,
    current: i64,
) -> Result<(), EngineError> {
    match base_version {
        Some(base) if base != current => {
            let row = ctx
                .tx
                .get_record(kind.as_str(), id)
                .await?
                .ok_or_else(|| EngineError::Rejected(Rejection::not_found()))?;
            Err(EngineError::Conflict(Box::new(Change {
                seq: row.seq,
                kind,
                id: row.id,
                version: row.version,
                deleted: row.deleted,
                record: row.body,
            })))
        }
        _ => Ok(()),
    }
}

async fn dispatch(
    ctx: &mut Ctx<'_>,
    env: &MutationEnvelope,
    mutation: &Mutation,
) -> Result<(), EngineError> {
    use Mutation as M;
    match mutation {
        M::StartAdhesion(p) => adhesion::start(ctx, p).await,
        M::RecordCollegeDecision(p) => adhesion::record_college_decision(ctx, p).await,
        M::SignAdhesion(p) => adhesion::sign(ctx, p).await,
        M::CountersignAdhesion(p) => adhesion::countersign(ctx, p).await,
        M::ActivateAdhesion(p) => adhesion::activate(ctx, p).await,
        M::TerminateAdhesion(p) => adhesion::terminate(ctx, p).await,
        M::RecordSubstitution(p) => substitution::record(ctx, p).await,
        M::EndSubstitution(p) => substitution::end(ctx, p).await,
        M::CreateOrderDraft(p) => order::create_draft(ctx, p).await,
        M::UpdateOrderDraft(p) => order::update_draft(ctx, p, env.base_version).await,
        M::DeleteOrderDraft(p) => order::delete_draft(ctx, p, env.base_version).await,
        M::SubmitOrder(p) => order::submit(ctx, p).await,
        M::DeclareNoConflict(p) => order::declare_no_conflict(ctx, p).await,
        M::CancelOrder(p) => order::cancel(ctx, p).await,
        M::WithdrawOrder(p) => order::withdraw(ctx, p).await,
        M::LaunchCompetition(p) => order::launch_competition(ctx, p).await,
        M::RelaunchCompetition(p) => order::relaunch_competition(ctx, p).await,
        M::ExtendDeadline(p) => order::extend_deadline(ctx, p).await,
        M::AskQuestion(p) => order::ask_question(ctx, p).await,
        M::SetOfferAside(p) => order::set_offer_aside(ctx, p).await,
        M::AskPriceJustification(p) => order::ask_price_justification(ctx, p).await,
        M::AnswerPriceJustification(p) => order::answer_price_justification(ctx, p).await,
        M::AcceptPriceJustification(p) => order::accept_price_justification(ctx, p).await,
        M::AnswerQuestion(p) => order::answer_question(ctx, p).await,
        M::OpenOffers(p) => order::open_offers(ctx, p).await,
        M::EvaluateOffers(p) => order::evaluate(ctx, p).await,
        M::AwardOrder(p) => order::award(ctx, p).await,
        M::DirectAwardOrder(p) => order::direct_award(ctx, p).await,
        M::IssuePurchaseOrder(p) => order::issue_purchase_order(ctx, p).await,
        M::AcceptProvisional(p) => deployment::accept(ctx, p, false).await,
        M::AcceptFinal(p) => deployment::accept(ctx, p, true).await,
        M::SubmitOffer(p) => offer::submit(ctx, p).await,
        M::UpdateMilestone(p) => deployment::update(ctx, p).await,
        M::AcknowledgeMilestone(p) => deployment::acknowledge(ctx, p).await,
        M::RequestReplan(p) => deployment::request_replan(ctx, p).await,
        M::DecideReplan(p) => deployment::decide_replan(ctx, p).await,
        M::RegisterProvider(p) => catalogue::register_provider(ctx, p).await,
        M::PublishFrameworkVersion(p) => catalogue::publish_version(ctx, p).await,
        M::AddService(p) => catalogue::add_service(ctx, p).await,
        M::SetMailPreferences(p) => account::set_mail_preferences(ctx, p).await,
        M::PublishAccompanimentPriceList(p) => accompaniment::publish_price_list(ctx, p).await,
        M::OrderAccompaniment(p) => accompaniment::order(ctx, p).await,
        M::PlanAccompaniment(p) => accompaniment::plan(ctx, p).await,
        M::RecordAccompanimentDelivery(p) => accompaniment::record_delivery(ctx, p).await,
        M::InvoiceAccompaniment(p) => accompaniment::invoice(ctx, p).await,
        M::CancelAccompaniment(p) => accompaniment::cancel(ctx, p).await,
        M::PublishSurvey(p) => survey::publish(ctx, p).await,
        M::SaveSurveyAnswers(p) => survey::answer(ctx, p, false).await,
        M::SendSurveyAnswers(p) => survey::answer(ctx, p, true).await,
        M::CreatePool(p) => pool::create(ctx, p).await,
        M::LaunchPool(p) => pool::launch(ctx, p).await,
        M::DeclarePoolNoConflict(p) => pool::declare_no_conflict(ctx, p).await,
        M::EvaluatePool(p) => pool::evaluate(ctx, p).await,
        M::SubmitPooledOffer(p) => offer::submit_pooled(ctx, p).await,
        M::SetPooledOfferAside(p) => pool::set_offer_aside(ctx, p).await,
        M::ExtendPoolDeadline(p) => pool::extend_deadline(ctx, p).await,
    }
}

pub use enterprise_numbers::set_enterprise_numbers;
pub use merger::{merge_communes, MergeReport};
pub use order::open_due_competition;
