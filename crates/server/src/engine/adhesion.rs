//! Adhesion mutations: start, collège decision, the two commune signatures, countersignature,
//! activation, termination.

use centrale_domain::adhesion::{Adhesion, AdhesionStatus, ConventionTemplate, Signature};
use centrale_domain::permission::{Act, Owner};
use centrale_domain::signatory::Signer;
use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::mutations::{
    ActivateAdhesion, RecordCollegeDecision, SignAdhesion, StartAdhesion, TerminateAdhesion,
};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded, Rejection};

const KIND: RecordKind = RecordKind::Adhesion;

pub(super) async fn save(
    ctx: &mut Ctx<'_>,
    adhesion: &Adhesion,
    previous: Option<i64>,
) -> Result<(), EngineError> {
    let vis = visibility(KIND, Some(&adhesion.commune_nis), None, false);
    ctx.save(
        KIND,
        &adhesion.id.to_string(),
        adhesion,
        previous,
        Some(&adhesion.commune_nis),
        vis,
    )
    .await?;
    Ok(())
}

/// The commune's adhesion in force (not terminated on the server's day), if any.
pub async fn current_adhesion(
    ctx: &mut Ctx<'_>,
    commune: &str,
) -> Result<Option<Loaded<Adhesion>>, EngineError> {
    let all: Vec<Loaded<Adhesion>> = ctx.children(KIND, commune).await?;
    let today = ctx.today;
    Ok(all
        .into_iter()
        .find(|a| a.value.status_on(today) != AdhesionStatus::Terminated))
}

async fn load_for(
    ctx: &mut Ctx<'_>,
    id: uuid::Uuid,
    act: Act,
) -> Result<Loaded<Adhesion>, EngineError> {
    let loaded: Loaded<Adhesion> = ctx.require(KIND, &id.to_string()).await?;
    ctx.actor
        .authorize(act, Owner::Commune(&loaded.value.commune_nis))?;
    Ok(loaded)
}

pub async fn start(ctx: &mut Ctx<'_>, p: &StartAdhesion) -> Result<(), EngineError> {
    ctx.actor.authorize(Act::StartAdhesion, Owner::Own)?;
    let commune = ctx
        .actor
        .commune_nis
        .clone()
        .ok_or_else(Rejection::not_found)?;
    if current_adhesion(ctx, &commune).await?.is_some() {
        return Err(DomainError::rule(ErrorCode::AdhesionExists).into());
    }
    if ctx
        .load::<Adhesion>(KIND, &p.adhesion_id.to_string())
        .await?
        .is_some()
    {
        return Err(DomainError::rule(ErrorCode::DuplicateId)
            .with("id", p.adhesion_id)
            .into());
    }
    let template: Loaded<ConventionTemplate> = ctx
        .require(RecordKind::ConventionTemplate, &p.template_id.to_string())
        .await?;
    let adhesion = Adhesion::draft(p.adhesion_id, &commune, &template.value);
    save(ctx, &adhesion, None).await
}

pub async fn record_college_decision(
    ctx: &mut Ctx<'_>,
    p: &RecordCollegeDecision,
) -> Result<(), EngineError> {
    let mut a = load_for(ctx, p.adhesion_id, Act::RecordAdhesionDecision).await?;
    a.value
        .record_college_decision(p.college_decision.clone(), ctx.today)?;
    save(ctx, &a.value, Some(a.version)).await
}

pub async fn sign(ctx: &mut Ctx<'_>, p: &SignAdhesion) -> Result<(), EngineError> {
    let mut a: Loaded<Adhesion> = ctx.require(KIND, &p.adhesion_id.to_string()).await?;
    let signer = super::substitution::signer(ctx, Act::SignAdhesion, &a.value.commune_nis).await?;
    a.value
        .sign(signature(ctx, signer, p.text_sha256.clone()))?;
    save(ctx, &a.value, Some(a.version)).await
}

/// The signature of the signer acting (titular or substitute), with the title as signed.
fn signature(ctx: &Ctx<'_>, signer: Signer, text_sha256: String) -> Signature {
    Signature {
        user_id: ctx.actor.user_id.clone(),
        name: ctx.actor.display_name.clone(),
        role: signer.role,
        signed_at: ctx.now,
        text_sha256,
        capacity: signer.capacity,
        title: signer.title,
        substitution: signer.substitution,
    }
}

pub async fn countersign(ctx: &mut Ctx<'_>, p: &SignAdhesion) -> Result<(), EngineError> {
    ctx.actor.authorize(Act::CountersignAdhesion, Owner::Own)?;
    let mut a: Loaded<Adhesion> = ctx.require(KIND, &p.adhesion_id.to_string()).await?;
    a.value.countersign(Signature {
        user_id: ctx.actor.user_id.clone(),
        name: ctx.actor.display_name.clone(),
        role: ctx.actor.role,
        signed_at: ctx.now,
        text_sha256: p.text_sha256.clone(),
        capacity: Default::default(),
        title: ctx.actor.me().title_fr(),
        substitution: None,
    })?;
    save(ctx, &a.value, Some(a.version)).await
}

pub async fn activate(ctx: &mut Ctx<'_>, p: &ActivateAdhesion) -> Result<(), EngineError> {
    ctx.actor.authorize(Act::ActivateAdhesion, Owner::Own)?;
    let mut a: Loaded<Adhesion> = ctx.require(KIND, &p.adhesion_id.to_string()).await?;
    a.value.activate(ctx.now)?;
    save(ctx, &a.value, Some(a.version)).await
}

pub async fn terminate(ctx: &mut Ctx<'_>, p: &TerminateAdhesion) -> Result<(), EngineError> {
    let mut a: Loaded<Adhesion> = ctx.require(KIND, &p.adhesion_id.to_string()).await?;
    let signer =
        super::substitution::signer(ctx, Act::TerminateAdhesion, &a.value.commune_nis).await?;
    // Dated by the server (convention art. 12); the second signatory completes the notice.
    let signature = signature(ctx, signer, String::new());
    a.value.terminate(signature, &p.reason, ctx.today)?;
    save(ctx, &a.value, Some(a.version)).await
}
