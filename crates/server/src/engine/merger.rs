//! A commune merger applied on a running server (issue 11 rule 17): one write transaction
//! through the engine's saves, so that every moved record gets a new version (clients pull it)
//! and the audit chain records the merger.
//!
//! The new commune succeeds to the merged communes' rights and obligations, public contracts
//! and conventions included (CDLD L1155-1, from the decree on voluntary mergers published on
//! 17 September 2019): their adhesions, orders (with
//! their invitations and offers) and milestones move to the new code with their history, each
//! marked with the commune it came from (`formerly`); their accounts move too.

use centrale_domain::adhesion::Adhesion;
use centrale_domain::commune::{Commune, Merger, MergerCheck};
use centrale_domain::deployment::Milestone;
use centrale_domain::offer::{Invitation, Offer};
use centrale_domain::order::Order;
use centrale_protocol::records::RecordKind;
use centrale_server_db::Database;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{visibility, Ctx, EngineError, Loaded};
use crate::actor::Actor;
use crate::Settings;

/// What a merger moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// The same merger was already recorded: nothing was written.
    pub already_applied: bool,
    /// Adhesions moved.
    pub adhesions: usize,
    /// Orders moved.
    pub orders: usize,
    /// Invitations moved.
    pub invitations: usize,
    /// Offers moved.
    pub offers: usize,
    /// Milestones moved.
    pub milestones: usize,
    /// Accounts moved.
    pub accounts: u64,
}

/// Applies `merger` at `now` in one transaction (all or nothing). Refused (an `EngineError`
/// whose rejection says why in French) for an unknown commune, one already ended, a new code
/// already used, an effective day in the future; `already_applied` when it was applied before.
pub async fn merge_communes(
    db: &Database,
    merger: &Merger,
    now: DateTime<Utc>,
) -> Result<MergeReport, EngineError> {
    let settings = Settings::default();
    let mut ctx = Ctx::new(
        db.write().await?,
        Actor::server_act("system:merger", "Fusion de communes"),
        now,
        &settings,
    );
    let loaded: Vec<Loaded<Commune>> = ctx.all(RecordKind::Commune).await?;
    let mut communes: Vec<Commune> = loaded.iter().map(|c| c.value.clone()).collect();
    if merger.check(&communes, ctx.today)? == MergerCheck::AlreadyApplied {
        ctx.tx.rollback().await?;
        return Ok(MergeReport {
            already_applied: true,
            ..MergeReport::default()
        });
    }
    let before = communes.clone();
    let new = merger.apply(&mut communes)?;
    let public = visibility(RecordKind::Commune, None, None, false);
    for (c, l) in communes.iter().zip(&loaded) {
        if c != &l.value {
            ctx.save(
                RecordKind::Commune,
                c.nis_code.as_str(),
                c,
                Some(l.version),
                None,
                public.clone(),
            )
            .await?;
        }
    }
    ctx.save(
        RecordKind::Commune,
        new.nis_code.as_str(),
        &new,
        None,
        None,
        public,
    )
    .await?;
    let to = new.nis_code.as_str().to_string();
    let mut report = MergeReport::default();

    let adhesions: Vec<Loaded<Adhesion>> = ctx.all(RecordKind::Adhesion).await?;
    for mut a in adhesions {
        let Some(succession) = merger.succession_of(&a.value.commune_nis, &before) else {
            continue;
        };
        a.value.commune_nis.clone_from(&to);
        a.value.formerly = Some(succession);
        super::adhesion::save(&mut ctx, &a.value, Some(a.version)).await?;
        report.adhesions += 1;
    }

    let orders: Vec<Loaded<Order>> = ctx.all(RecordKind::Order).await?;
    for o in orders {
        let Some(succession) = merger.succession_of(&o.value.commune_nis, &before) else {
            continue;
        };
        let mut moved = o.value.clone();
        moved.commune_nis.clone_from(&to);
        moved.formerly = Some(succession.clone());
        super::order::save(&mut ctx, &moved, Some(&o)).await?;
        report.orders += 1;
        let order_id = o.value.id.to_string();
        let invitations: Vec<Loaded<Invitation>> =
            ctx.children(RecordKind::Invitation, &order_id).await?;
        for mut inv in invitations {
            inv.value.commune_nis.clone_from(&to);
            super::order::save_invitation(&mut ctx, &inv.value, Some(inv.version)).await?;
            report.invitations += 1;
        }
        // Each offer keeps its seal: opened offers stay visible to the commune (the new one),
        // sealed ones to their author alone.
        let rows = ctx
            .tx
            .list_children(RecordKind::Offer.as_str(), &order_id)
            .await?;
        for row in rows.into_iter().filter(|r| !r.deleted) {
            let mut offer: Offer = serde_json::from_value(row.body)
                .map_err(|e| EngineError::Internal(e.to_string()))?;
            offer.commune_nis.clone_from(&to);
            let opened = row.visibility.centrale;
            super::order::save_offer(&mut ctx, &offer, Some(row.version), opened).await?;
            report.offers += 1;
        }
        let milestones: Vec<Loaded<Milestone>> =
            ctx.children(RecordKind::Milestone, &order_id).await?;
        for mut m in milestones {
            m.value.commune_nis.clone_from(&to);
            m.value.formerly = Some(succession.clone());
            super::deployment::save_milestone(&mut ctx, &m.value, Some(m.version)).await?;
            report.milestones += 1;
        }
    }

    for code in &merger.merged {
        report.accounts += ctx.tx.move_commune_accounts(code.as_str(), &to).await?;
    }
    // The standings follow the records: the former communes' are emptied, the new one's made.
    for code in &merger.merged {
        super::standing::refresh(&mut ctx, code.as_str()).await?;
    }
    super::standing::refresh(&mut ctx, &to).await?;
    let merged: Vec<&str> = merger.merged.iter().map(|c| c.as_str()).collect();
    ctx.audit(
        "commune.merge",
        Some(RecordKind::Commune),
        Some(&to),
        json!({
            "into": to,
            "name_fr": new.name_fr,
            "from": merged,
            "on": merger.effective,
            "adhesions": report.adhesions,
            "orders": report.orders,
            "invitations": report.invitations,
            "offers": report.offers,
            "milestones": report.milestones,
            "accounts": report.accounts,
        }),
    )
    .await?;
    ctx.tx.commit().await?;
    Ok(report)
}
