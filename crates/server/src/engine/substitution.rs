//! Substitute signatories: the bourgmestre f.f., an échevin délégué, the directeur général
//! f.f. (CDLD L1123-5, L1132-4), recorded and ended by the commune's titulars, and the
//! substitutions every signatory act reads (`of_commune`; who signs is decided in the domain,
//! `signatory::signer_for`). Recording and ending are decided by
//! `centrale_domain::decide::substitution`: this module loads what they read (the substitute's
//! account by its login) and writes what they return.

use centrale_domain::decide::substitution::{self as decide, Account, SubstituteAccount};
use centrale_domain::role::Role;
use centrale_domain::signatory::{Gender, Substitution};
use centrale_protocol::mutations::{EndSubstitution, RecordSubstitution};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded};

const KIND: RecordKind = RecordKind::Substitution;

/// The commune's substitutions (ended ones included: they still cover their past days).
pub async fn of_commune(
    ctx: &mut Ctx<'_>,
    commune: &str,
) -> Result<Vec<Substitution>, EngineError> {
    let all: Vec<Loaded<Substitution>> = ctx.children(KIND, commune).await?;
    Ok(all.into_iter().map(|l| l.value).collect())
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

pub async fn record(ctx: &mut Ctx<'_>, p: &RecordSubstitution) -> Result<(), EngineError> {
    let id_taken = ctx
        .load::<Substitution>(KIND, &p.substitution_id.to_string())
        .await?
        .is_some();
    let others = match ctx.actor.commune_nis.clone() {
        Some(commune) => of_commune(ctx, &commune).await?,
        None => Vec::new(),
    };
    let user = ctx
        .tx
        .find_user_by_username(p.substitute_username.trim())
        .await?;
    // The commune's échevins and their ranks: the bourgmestre f.f. by rank is the first
    // (CDLD L1123-5).
    let aldermen_rows = match ctx.actor.commune_nis.clone() {
        Some(commune) => ctx.tx.aldermen_of(&commune).await?,
        None => Vec::new(),
    };
    let account = user.as_ref().map(account_of);
    let aldermen: Vec<Account<'_>> = aldermen_rows.iter().map(account_of).collect();
    let substitution = decide::record(
        &ctx.actor.domain(),
        decide::Record {
            substitution_id: p.substitution_id,
            id_taken,
            others: &others,
            capacity: p.capacity,
            substitute_username: &p.substitute_username,
            account: SubstituteAccount::Looked(account),
            from: p.from,
            to: p.to,
            decision: &p.decision,
            aldermen: &aldermen,
            ranked_before_unavailable: p.ranked_before_unavailable.as_deref(),
            documents: p.documents.as_deref(),
        },
        ctx.now,
    )?;
    save(ctx, &substitution, None).await
}

/// An account as the domain's rules read it.
fn account_of(u: &centrale_server_db::UserRow) -> Account<'_> {
    Account {
        user_id: &u.id,
        display_name: &u.display_name,
        role: Role::parse(&u.role),
        commune_nis: u.commune_nis.as_deref(),
        disabled: u.disabled,
        gender: Gender::parse(&u.gender).unwrap_or_default(),
        alderman: u.alderman,
        alderman_rank: u.alderman_rank.and_then(|r| u32::try_from(r).ok()),
        belgian: u.alderman_belgian,
    }
}

pub async fn end(ctx: &mut Ctx<'_>, p: &EndSubstitution) -> Result<(), EngineError> {
    let s: Option<Loaded<Substitution>> = ctx.load(KIND, &p.substitution_id.to_string()).await?;
    let substitution = decide::end(&ctx.actor.domain(), s.as_ref().map(|s| &s.value), ctx.now)?;
    save(ctx, &substitution, s.map(|s| s.version)).await
}
