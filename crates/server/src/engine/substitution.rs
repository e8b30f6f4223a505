//! Substitute signatories: the bourgmestre f.f., an échevin délégué, the directeur général
//! f.f. (CDLD L1123-5, L1132-4), recorded and ended by the commune's titulars, and the
//! look-up every signatory act starts with.

use centrale_domain::permission::{Act, Owner};
use centrale_domain::role::Role;
use centrale_domain::signatory::{signer_for, Gender, Signer, Substitution};
use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::mutations::{EndSubstitution, RecordSubstitution};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded, Rejection};

const KIND: RecordKind = RecordKind::Substitution;

/// The commune's substitutions (ended ones included: they still cover their past days).
pub async fn of_commune(
    ctx: &mut Ctx<'_>,
    commune: &str,
) -> Result<Vec<Substitution>, EngineError> {
    let all: Vec<Loaded<Substitution>> = ctx.children(KIND, commune).await?;
    Ok(all.into_iter().map(|l| l.value).collect())
}

/// Who signs `act` for `commune` today: the titular, or a substitute whose substitution
/// covers the server's day (the domain's one rule, `signatory::signer_for`).
pub async fn signer(ctx: &mut Ctx<'_>, act: Act, commune: &str) -> Result<Signer, EngineError> {
    let substitutions = of_commune(ctx, commune).await?;
    Ok(signer_for(
        &ctx.actor.domain(),
        act,
        commune,
        &substitutions,
        ctx.today,
    )?)
}

async fn save(
    ctx: &mut Ctx<'_>,
    s: &Substitution,
    previous: Option<i64>,
) -> Result<(), EngineError> {
    let vis = visibility(KIND, Some(&s.commune_nis), None, false);
    ctx.save(
        KIND,
        &s.id.to_string(),
        s,
        previous,
        Some(&s.commune_nis),
        vis,
    )
    .await?;
    Ok(())
}

/// « Name, title » of the titular acting.
fn actor_label(ctx: &Ctx<'_>) -> String {
    ctx.actor.me().title_label()
}

pub async fn record(ctx: &mut Ctx<'_>, p: &RecordSubstitution) -> Result<(), EngineError> {
    // The role first (`forbidden`), then the commune the account belongs to.
    ctx.actor.authorize(Act::RecordSubstitution, Owner::Own)?;
    let commune = ctx
        .actor
        .commune_nis
        .clone()
        .ok_or_else(Rejection::not_found)?;
    ctx.actor
        .authorize(Act::RecordSubstitution, Owner::Commune(&commune))?;
    if ctx
        .load::<Substitution>(KIND, &p.substitution_id.to_string())
        .await?
        .is_some()
    {
        return Err(DomainError::rule(ErrorCode::DuplicateId)
            .with("id", p.substitution_id)
            .into());
    }
    let username = p.substitute_username.trim().to_string();
    let mut substitution = Substitution {
        id: p.substitution_id,
        commune_nis: commune.clone(),
        capacity: p.capacity,
        substitute_username: username.clone(),
        substitute_user_id: String::new(),
        substitute_name: String::new(),
        substitute_gender: Gender::Unspecified,
        from: p.from,
        to: p.to,
        decision: p.decision.clone(),
        recorded_by: actor_label(ctx),
        recorded_at: ctx.now,
        ended: None,
    };
    let others = of_commune(ctx, &commune).await?;
    substitution.validate(ctx.today, &others)?;
    // The substitute is a staff account of this commune (an échevin or an agent): never the
    // bourgmestre's or the DG's own account, never another commune's.
    let account = ctx.tx.find_user_by_username(&username).await?;
    let account = account.filter(|u| {
        !u.disabled
            && u.commune_nis.as_deref() == Some(commune.as_str())
            && Role::parse(&u.role) == Some(Role::CommuneStaff)
    });
    let Some(account) = account else {
        return Err(
            DomainError::field(ErrorCode::SubstituteAccountInvalid, "substitute_username")
                .with("username", username)
                .into(),
        );
    };
    substitution.substitute_user_id = account.id;
    substitution.substitute_name = account.display_name;
    substitution.substitute_gender = Gender::parse(&account.gender).unwrap_or_default();
    save(ctx, &substitution, None).await
}

pub async fn end(ctx: &mut Ctx<'_>, p: &EndSubstitution) -> Result<(), EngineError> {
    let mut s: Loaded<Substitution> = ctx.require(KIND, &p.substitution_id.to_string()).await?;
    ctx.actor
        .authorize(Act::EndSubstitution, Owner::Commune(&s.value.commune_nis))?;
    let by = actor_label(ctx);
    s.value.end(&by, ctx.now, ctx.today)?;
    save(ctx, &s.value, Some(s.version)).await
}
