//! Opens the offers of every mini-competition whose deadline has passed (server time), with
//! the system actor, through the same write path as everything else.

use std::time::Duration;

use centrale_protocol::records::RecordKind;
use serde_json::json;

use crate::actor::Actor;
use crate::engine::store::DEADLINE_INDEX;
use crate::engine::{open_due_competition, Ctx, EngineError};
use crate::state::AppState;

/// Opens every competition that is due. Cheap when none is: it reads the small index of
/// open competitions, not the orders.
pub async fn open_due(state: &AppState) -> Result<usize, centrale_server_db::DbError> {
    let now = state.clock.now();
    let due: Vec<uuid::Uuid> = state
        .db
        .list_live_records(DEADLINE_INDEX)
        .await?
        .into_iter()
        .filter(|r| {
            r.body
                .get("deadline")
                .and_then(|d| {
                    serde_json::from_value::<chrono::DateTime<chrono::Utc>>(d.clone()).ok()
                })
                .is_some_and(|d| d <= now)
        })
        .filter_map(|r| uuid::Uuid::parse_str(&r.id).ok())
        .collect();
    let mut opened = 0;
    for order_id in due {
        let mut ctx = Ctx {
            tx: state.db.write().await?,
            actor: Actor::system(),
            now,
            // The day of the one instant the due competitions were chosen at.
            today: centrale_domain::time::brussels_today(now),
            settings: &state.settings,
            written: vec![],
        };
        let opened_now = match open_due_competition(&mut ctx, order_id).await {
            Ok(()) => crate::mail::events::offers_opened(&mut ctx, order_id).await,
            refused => refused,
        };
        match opened_now {
            Ok(()) => {
                let written = ctx.written.clone();
                ctx.audit(
                    "order.open_offers",
                    Some(RecordKind::Order),
                    Some(&order_id.to_string()),
                    json!({"automatic": true, "records": written}),
                )
                .await
                .map_err(db_error)?;
                ctx.tx.commit().await?;
                opened += 1;
            }
            // Someone opened it meanwhile, or it was withdrawn: nothing to do.
            Err(EngineError::Rejected(_)) | Err(EngineError::Conflict(_)) => {}
            Err(e) => return Err(db_error(e)),
        }
    }
    Ok(opened)
}

fn db_error(e: EngineError) -> centrale_server_db::DbError {
    match e {
        EngineError::Db(e) => e,
        other => centrale_server_db::DbError::Corrupt(other.to_string()),
    }
}

/// Runs `open_due` every `scheduler_interval_secs`.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let every = Duration::from_secs(state.settings.scheduler_interval_secs.max(1));
        loop {
            match open_due(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(opened = n, "offres ouvertes à l'échéance"),
                Err(e) => tracing::warn!(error = %e, "ouverture automatique des offres impossible"),
            }
            // Reminders and late milestones are news of the day: written only when e-mail is
            // sent (an outbox filled for months without SMTP would send them stale).
            if crate::mail::enabled(&state.settings) {
                match crate::mail::write_late_milestones(&state).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(messages = n, "jalons en retard signalés"),
                    Err(e) => tracing::warn!(error = %e, "jalons en retard non signalés"),
                }
                match crate::mail::write_due_reminders(&state).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(reminders = n, "rappels d'échéance écrits"),
                    Err(e) => tracing::warn!(error = %e, "rappels d'échéance impossibles"),
                }
            }
            tokio::time::sleep(every).await;
        }
    })
}
