//! Typesetting on the server, bounded: a PDF takes a tenth of a second or more of CPU and about
//! 32 MiB while it is made; tokio's blocking pool would start up to 512 at once (docs/scale.md),
//! so a burst of downloads could take gigabytes. At most one document per core is made at a
//! time; the others wait their turn (they are not refused).

use std::sync::Arc;

use tokio::sync::Semaphore;

/// The bound on documents made at once.
#[derive(Clone)]
pub struct Typesetting {
    permits: Arc<Semaphore>,
    size: usize,
}

impl Typesetting {
    /// One document at a time per core of this machine.
    pub fn per_core() -> Typesetting {
        Typesetting::with(
            std::thread::available_parallelism()
                .map(std::num::NonZeroUsize::get)
                .unwrap_or(2),
        )
    }

    /// At most `size` at once (at least one).
    pub fn with(size: usize) -> Typesetting {
        let size = size.max(1);
        Typesetting {
            permits: Arc::new(Semaphore::new(size)),
            size,
        }
    }

    /// How many documents may be made at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `job` off the async workers once a turn is free.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        // The semaphore is never closed: acquiring cannot fail.
        let _turn = self.permits.acquire().await;
        tokio::task::spawn_blocking(job).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn never_more_documents_at_once_than_the_bound() {
        let typesetting = Typesetting::with(2);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs: Vec<_> = (0..12)
            .map(|_| {
                let (t, running, most) = (typesetting.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    t.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        // Long enough for the others to try to start meanwhile.
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                    .unwrap();
                })
            })
            .collect();
        for job in jobs {
            job.await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(Typesetting::with(0).size(), 1);
    }
}
