//! The communes' public standings (issue 15.9): each commune's record `commune_standing`,
//! recomputed by `centrale_domain::standing::standing` from its adhesions and orders in the
//! transaction of every act that writes one of them (an order only when it changes how it
//! counts, `order_moves_standing`), and written only when it changed.

use std::collections::BTreeSet;

use centrale_domain::adhesion::Adhesion;
use centrale_domain::commune::Commune;
use centrale_domain::order::Order;
use centrale_domain::standing::{standing, CommuneStanding};
use centrale_protocol::records::RecordKind;
use centrale_server_db::Database;
use chrono::{DateTime, Utc};

use super::{visibility, Ctx, EngineError};
use crate::actor::Actor;
use crate::Settings;

const KIND: RecordKind = RecordKind::CommuneStanding;

/// Recomputes the standing of `commune_nis` and writes it when it differs from the stored one
/// (a commune with nothing to show and no record gets none). True when it was written.
pub async fn refresh(ctx: &mut Ctx<'_>, commune_nis: &str) -> Result<bool, EngineError> {
    let adhesions: Vec<Adhesion> = ctx
        .children::<Adhesion>(RecordKind::Adhesion, commune_nis)
        .await?
        .into_iter()
        .map(|l| l.value)
        .collect();
    let orders: Vec<Order> = ctx
        .children::<Order>(RecordKind::Order, commune_nis)
        .await?
        .into_iter()
        .map(|l| l.value)
        .collect();
    let new = standing(commune_nis, &adhesions, &orders, ctx.today);
    let stored = ctx.load::<CommuneStanding>(KIND, commune_nis).await?;
    let unchanged = match &stored {
        Some(s) => s.value == new,
        None => new == CommuneStanding::none(commune_nis),
    };
    if unchanged {
        return Ok(false);
    }
    ctx.save(
        KIND,
        commune_nis,
        &new,
        stored.map(|s| s.version),
        None,
        visibility(KIND, None, None, false),
    )
    .await?;
    Ok(true)
}

/// Refreshes the standing of every commune whose adhesion or order this unit of work wrote.
pub async fn refresh_written(ctx: &mut Ctx<'_>) -> Result<(), EngineError> {
    let touched: Vec<(RecordKind, String)> = ctx
        .written
        .iter()
        .filter(|r| match r.kind {
            RecordKind::Adhesion => true,
            // An order that counts as it did (a draft written, a milestone…) moves nothing:
            // with 10,000 orders a commune's every write read them all (issue 19 §3).
            RecordKind::Order => ctx.orders_moving_standing.get(&r.id) != Some(&false),
            _ => false,
        })
        .map(|r| (r.kind, r.id.clone()))
        .collect();
    let mut communes = BTreeSet::new();
    for (kind, id) in touched {
        // Both kinds are filed under their commune (a deleted draft keeps its parent).
        if let Some(row) = ctx.tx.get_record(kind.as_str(), &id).await? {
            if let Some(parent) = row.parent_id {
                communes.insert(parent);
            }
        }
    }
    for nis in communes {
        refresh(ctx, &nis).await?;
    }
    Ok(())
}

/// Recomputes every commune's standing in one transaction: the backfill of a database whose
/// adhesions or orders were written before standings existed, run at each server start and
/// after the demo seed (a no-op when every standing is up to date). Returns how many were
/// written.
pub async fn backfill(db: &Database, now: DateTime<Utc>) -> Result<usize, EngineError> {
    let settings = Settings::default();
    let mut ctx = Ctx::new(db.write().await?, Actor::system(), now, &settings);
    let mut communes: BTreeSet<String> = ctx
        .all::<Commune>(RecordKind::Commune)
        .await?
        .into_iter()
        .map(|c| c.value.nis_code.to_string())
        .collect();
    // A standing of a code no longer listed as a commune is refreshed too.
    for s in ctx.all::<CommuneStanding>(KIND).await? {
        communes.insert(s.value.commune_nis);
    }
    let mut written = 0;
    for nis in &communes {
        if refresh(&mut ctx, nis).await? {
            written += 1;
        }
    }
    if written == 0 {
        ctx.tx.rollback().await?;
        return Ok(0);
    }
    let records = ctx.written.clone();
    ctx.audit(
        "commune_standing.backfill",
        Some(KIND),
        None,
        serde_json::json!({ "records": records }),
    )
    .await?;
    ctx.tx.commit().await?;
    Ok(written)
}
