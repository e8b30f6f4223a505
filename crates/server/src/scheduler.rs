//! Opens the offers of every mini-competition whose deadline has passed (server time), with
//! the system actor, through the same write path as everything else.
//!
//! The opening runs in the scheduler's own loop, never inside a pull (issue 19 §1): a pull
//! that ran it waited for the global write lock and failed with it. The pull only reads an
//! atomic (the earliest deadline still to open, [`SchedulerSignal`]) and, once it has passed,
//! wakes the loop without waiting for it. Offers stay sealed until the opening commits (their
//! visibility excludes the commune until then), so a pull in between shows no offer, never a
//! sealed one; the opening follows within moments of the first pull after the deadline, and
//! within `scheduler_interval_secs` when nobody pulls.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use centrale_protocol::records::RecordKind;
use chrono::{DateTime, Utc};
use serde_json::json;
use tokio::sync::{watch, Notify};

use crate::actor::Actor;
use crate::engine::store::DEADLINE_INDEX;
use crate::engine::{open_due_competition, Ctx, EngineError};
use crate::state::AppState;

/// What the pull and the scheduler's loop share: the earliest deadline still to open and a
/// wake-up. Cheap to read: one atomic load per pull.
#[derive(Debug)]
pub struct SchedulerSignal {
    wake: Notify,
    /// Unix milliseconds of the earliest deadline after the last step's time; `i64::MIN`
    /// before the first step (unknown: the first pull wakes the loop), `i64::MAX` when none.
    next_due_ms: AtomicI64,
    /// How many steps the loop has finished (for whoever must wait for one, e.g. tests).
    steps: watch::Sender<u64>,
}

impl Default for SchedulerSignal {
    fn default() -> Self {
        SchedulerSignal::new()
    }
}

impl SchedulerSignal {
    /// Nothing known yet: the first pull wakes the loop.
    pub fn new() -> SchedulerSignal {
        SchedulerSignal {
            wake: Notify::new(),
            next_due_ms: AtomicI64::new(i64::MIN),
            steps: watch::Sender::new(0),
        }
    }

    /// Wakes the loop, without waiting for it, when the earliest known deadline has passed.
    ///
    /// Only a loop waiting right now is woken (no permit is stored): a nudge that arrives
    /// during a step is not needed (the step reads the index itself), and a permit stored
    /// long before would wake the loop for nothing later. If the step that ran had read the
    /// index just before the deadline, the next pull nudges again (the mark is still due).
    pub fn nudge_if_due(&self, now: DateTime<Utc>) {
        if now.timestamp_millis() >= self.next_due_ms.load(Ordering::Relaxed) {
            self.wake.notify_waiters();
        }
    }

    /// The earliest deadline the last step saw still ahead (`None`: none, or no step yet).
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        match self.next_due_ms.load(Ordering::Relaxed) {
            i64::MIN | i64::MAX => None,
            ms => DateTime::from_timestamp_millis(ms),
        }
    }

    /// The number of steps the loop has finished, changing after each.
    pub fn steps(&self) -> watch::Receiver<u64> {
        self.steps.subscribe()
    }

    fn set_next_due(&self, at: Option<DateTime<Utc>>) {
        let ms = at.map_or(i64::MAX, |t| t.timestamp_millis());
        self.next_due_ms.store(ms, Ordering::Relaxed);
    }
}

/// Opens every competition that is due, and records the next deadline for the pulls'
/// nudges. Cheap when none is: it reads the small index of open competitions, not the
/// orders.
pub async fn open_due(state: &AppState) -> Result<usize, centrale_server_db::DbError> {
    let now = state.clock.now();
    let mut due = Vec::new();
    let mut next: Option<DateTime<Utc>> = None;
    for entry in state.db.list_live_records(DEADLINE_INDEX).await? {
        let deadline = entry
            .body
            .get("deadline")
            .and_then(|d| serde_json::from_value::<DateTime<Utc>>(d.clone()).ok());
        let Some(deadline) = deadline else { continue };
        if deadline <= now {
            if let Ok(id) = uuid::Uuid::parse_str(&entry.id) {
                due.push(id);
            }
        } else if next.is_none_or(|n| deadline < n) {
            next = Some(deadline);
        }
    }
    // Only deadlines still ahead: a due entry that fails (or is refused) below is retried by
    // the loop's own pace, not by every pull.
    state.scheduler.set_next_due(next);
    let mut opened = 0;
    for order_id in due {
        // The day of the one instant the due competitions were chosen at.
        let mut ctx = Ctx::new(
            state.db.write().await?,
            Actor::system(),
            now,
            &state.settings,
        );
        let opened_now = match open_due_competition(&mut ctx, order_id).await {
            // A competition without offers changes no standing today; refreshed all the
            // same, so every write of an order keeps its commune's standing in step.
            Ok(()) => match crate::engine::standing::refresh_written(&mut ctx).await {
                Ok(()) => crate::mail::events::offers_opened(&mut ctx, order_id).await,
                failed => failed,
            },
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

/// Runs `open_due` every `scheduler_interval_secs`, and at once when a pull nudges it.
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
            state.scheduler.steps.send_modify(|n| *n += 1);
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                () = state.scheduler.wake.notified() => {}
            }
        }
    })
}
