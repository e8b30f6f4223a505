//! Adhesion mutations: start, collège decision, the two commune signatures, countersignature,
//! activation, termination. Each is decided by `centrale_domain::decide::adhesion`: this
//! module loads what it reads and writes what it returns.

use centrale_domain::adhesion::{Adhesion, ConventionTemplate};
use centrale_domain::decide::adhesion as decide;
use centrale_domain::signatory::Substitution;
use centrale_protocol::mutations::{
    ActivateAdhesion, RecordCollegeDecision, SignAdhesion, StartAdhesion, TerminateAdhesion,
};
use centrale_protocol::records::RecordKind;
use uuid::Uuid;

use super::{visibility, Ctx, EngineError, Loaded};

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

/// The adhesion (absent: `None`, refused by the decision).
async fn load(ctx: &mut Ctx<'_>, id: Uuid) -> Result<Option<Loaded<Adhesion>>, EngineError> {
    ctx.load(KIND, &id.to_string()).await
}

/// The substitutions of the adhesion's commune (none when the adhesion is unknown).
async fn substitutions_of(
    ctx: &mut Ctx<'_>,
    adhesion: Option<&Loaded<Adhesion>>,
) -> Result<Vec<Substitution>, EngineError> {
    match adhesion {
        Some(a) => super::substitution::of_commune(ctx, &a.value.commune_nis.clone()).await,
        None => Ok(Vec::new()),
    }
}

/// Writes the adhesion the decision returned, as the next version of the one loaded.
async fn write(
    ctx: &mut Ctx<'_>,
    adhesion: &Adhesion,
    loaded: Option<Loaded<Adhesion>>,
) -> Result<(), EngineError> {
    save(ctx, adhesion, loaded.map(|a| a.version)).await
}

pub async fn start(ctx: &mut Ctx<'_>, p: &StartAdhesion) -> Result<(), EngineError> {
    let adhesions: Vec<Adhesion> = match ctx.actor.commune_nis.clone() {
        Some(commune) => ctx
            .children::<Adhesion>(KIND, &commune)
            .await?
            .into_iter()
            .map(|l| l.value)
            .collect(),
        None => Vec::new(),
    };
    let id_taken = load(ctx, p.adhesion_id).await?.is_some();
    let template = ctx
        .load::<ConventionTemplate>(RecordKind::ConventionTemplate, &p.template_id.to_string())
        .await?
        .map(|l| l.value);
    let adhesion = decide::start(
        &ctx.actor.domain(),
        decide::Start {
            adhesion_id: p.adhesion_id,
            id_taken,
            adhesions: &adhesions,
            template: template.as_ref(),
        },
        ctx.now,
    )?;
    save(ctx, &adhesion, None).await
}

pub async fn record_college_decision(
    ctx: &mut Ctx<'_>,
    p: &RecordCollegeDecision,
) -> Result<(), EngineError> {
    let a = load(ctx, p.adhesion_id).await?;
    let adhesion = decide::record_college_decision(
        &ctx.actor.domain(),
        a.as_ref().map(|a| &a.value),
        &p.college_decision,
        ctx.now,
    )?;
    write(ctx, &adhesion, a).await
}

pub async fn sign(ctx: &mut Ctx<'_>, p: &SignAdhesion) -> Result<(), EngineError> {
    let a = load(ctx, p.adhesion_id).await?;
    let substitutions = substitutions_of(ctx, a.as_ref()).await?;
    let adhesion = decide::sign(
        &ctx.actor.domain(),
        decide::Sign {
            adhesion: a.as_ref().map(|a| &a.value),
            substitutions: &substitutions,
            text_sha256: &p.text_sha256,
        },
        ctx.now,
    )?;
    write(ctx, &adhesion, a).await
}

pub async fn countersign(ctx: &mut Ctx<'_>, p: &SignAdhesion) -> Result<(), EngineError> {
    let a = load(ctx, p.adhesion_id).await?;
    let adhesion = decide::countersign(
        &ctx.actor.domain(),
        decide::Sign {
            adhesion: a.as_ref().map(|a| &a.value),
            substitutions: &[],
            text_sha256: &p.text_sha256,
        },
        ctx.now,
    )?;
    write(ctx, &adhesion, a).await
}

pub async fn activate(ctx: &mut Ctx<'_>, p: &ActivateAdhesion) -> Result<(), EngineError> {
    let a = load(ctx, p.adhesion_id).await?;
    let adhesion = decide::activate(&ctx.actor.domain(), a.as_ref().map(|a| &a.value), ctx.now)?;
    write(ctx, &adhesion, a).await
}

pub async fn terminate(ctx: &mut Ctx<'_>, p: &TerminateAdhesion) -> Result<(), EngineError> {
    let a = load(ctx, p.adhesion_id).await?;
    let substitutions = substitutions_of(ctx, a.as_ref()).await?;
    // Dated by the server (convention art. 12); the second signatory completes the notice.
    let adhesion = decide::terminate(
        &ctx.actor.domain(),
        decide::Terminate {
            adhesion: a.as_ref().map(|a| &a.value),
            substitutions: &substitutions,
            reason: &p.reason,
        },
        ctx.now,
    )?;
    write(ctx, &adhesion, a).await
}
