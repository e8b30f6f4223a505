//! The background engine: syncs on a timer, on demand, and soon after a local change; backs
//! off after failures; publishes its status on a watch channel.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::backoff::Backoff;
use crate::client::{SyncClient, SyncReport};
use crate::error::{SyncError, SyncFailure};
use crate::status::{SyncPhase, SyncStatus};

/// How often the engine syncs on its own, how soon after a local change, how it backs off.
#[derive(Debug, Clone, Copy)]
pub struct EngineTiming {
    /// Between two syncs when all is well.
    pub interval: Duration,
    /// After a local change (several changes in a row make one sync).
    pub after_change: Duration,
    /// After failures.
    pub backoff: Backoff,
}

impl Default for EngineTiming {
    fn default() -> Self {
        EngineTiming {
            interval: Duration::from_secs(60),
            after_change: Duration::from_secs(2),
            backoff: Backoff::default(),
        }
    }
}

enum Command {
    SyncNow(Option<oneshot::Sender<Result<SyncReport, SyncFailure>>>),
    LocalChange,
    Stop,
}

/// A running engine. Dropping it stops the background task.
pub struct SyncEngine {
    commands: mpsc::UnboundedSender<Command>,
    status: watch::Receiver<SyncStatus>,
    task: Option<JoinHandle<()>>,
}

impl SyncEngine {
    /// Starts the engine on the current tokio runtime; it syncs at once.
    pub fn start(client: SyncClient, timing: EngineTiming) -> SyncEngine {
        let (commands, rx) = mpsc::unbounded_channel();
        let initial = counts(&client, SyncStatus::default());
        let (status_tx, status) = watch::channel(initial);
        let task = tokio::spawn(run(client, timing, rx, status_tx));
        let _ = commands.send(Command::SyncNow(None));
        SyncEngine {
            commands,
            status,
            task: Some(task),
        }
    }

    /// The status stream (the latest value, and a change notification).
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Syncs now ("Synchroniser maintenant") and waits for the outcome.
    pub async fn sync_now(&self) -> Result<SyncReport, SyncFailure> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(Command::SyncNow(Some(tx)))
            .map_err(|_| SyncFailure::stopped())?;
        rx.await.map_err(|_| SyncFailure::stopped())?
    }

    /// Tells the engine the user changed something: a sync follows shortly.
    pub fn local_change(&self) {
        let _ = self.commands.send(Command::LocalChange);
    }

    /// Stops the engine after the sync in progress, if any.
    pub async fn stop(mut self) {
        let _ = self.commands.send(Command::Stop);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SyncEngine {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn counts(client: &SyncClient, mut status: SyncStatus) -> SyncStatus {
    if let Ok((pending, attention)) = client.store().outbox_counts() {
        status.pending = pending;
        status.needs_attention = attention;
    }
    if let Ok(last) = client.store().last_sync() {
        status.last_success = last;
    }
    status
}

async fn run(
    client: SyncClient,
    timing: EngineTiming,
    mut commands: mpsc::UnboundedReceiver<Command>,
    status: watch::Sender<SyncStatus>,
) {
    let mut failures: u32 = 0;
    let mut next = tokio::time::Instant::now() + timing.interval;
    loop {
        let mut waiters = Vec::new();
        tokio::select! {
            command = commands.recv() => match command {
                None | Some(Command::Stop) => return,
                Some(Command::SyncNow(waiter)) => waiters.extend(waiter),
                Some(Command::LocalChange) => {
                    status.send_modify(|s| *s = counts(&client, s.clone()));
                    // Let a burst of changes settle, then sync once.
                    let settle = tokio::time::sleep(timing.after_change);
                    tokio::pin!(settle);
                    loop {
                        tokio::select! {
                            () = &mut settle => break,
                            more = commands.recv() => match more {
                                None | Some(Command::Stop) => return,
                                Some(Command::SyncNow(waiter)) => { waiters.extend(waiter); break; }
                                Some(Command::LocalChange) => {
                                    status.send_modify(|s| *s = counts(&client, s.clone()));
                                }
                            },
                        }
                    }
                }
            },
            () = tokio::time::sleep_until(next) => {}
        }
        status.send_modify(|s| s.phase = SyncPhase::Syncing);
        let outcome = client.sync_once().await;
        let message = outcome
            .as_ref()
            .map(Clone::clone)
            .map_err(SyncFailure::from);
        let delay = match &outcome {
            Ok(_) => {
                failures = 0;
                timing.interval
            }
            Err(e) if e.is_retryable() => {
                failures = failures.saturating_add(1);
                timing.backoff.delay(failures)
            }
            Err(_) => {
                failures = 0;
                timing.interval
            }
        };
        next = tokio::time::Instant::now() + delay;
        status.send_modify(|s| {
            let mut updated = counts(&client, s.clone());
            apply_outcome(&mut updated, &outcome, delay);
            *s = updated;
        });
        for waiter in waiters {
            let _ = waiter.send(message.clone());
        }
    }
}

fn apply_outcome(s: &mut SyncStatus, outcome: &Result<SyncReport, SyncError>, delay: Duration) {
    match outcome {
        Ok(report) => {
            s.phase = SyncPhase::Idle;
            s.online = true;
            s.last_error = None;
            s.last_error_code = None;
            s.next_retry_at = None;
            s.server_time = report.server_time;
        }
        Err(e) => {
            s.phase = match e {
                SyncError::CredentialsNeeded => SyncPhase::CredentialsNeeded,
                SyncError::UpdateNeeded => SyncPhase::UpdateNeeded,
                e if e.is_retryable() => SyncPhase::Offline,
                _ => SyncPhase::Idle,
            };
            s.online = !matches!(e, SyncError::Network(_));
            s.last_error_code = Some(e.code().to_string());
            s.last_error = Some(e.to_string());
            s.next_retry_at = e
                .is_retryable()
                .then(|| Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default());
        }
    }
}
