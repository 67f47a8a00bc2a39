//! The one durable job runtime's building blocks, shared by every worker (tasks, mail delivery,
//! the campaign engine): claim due rows with a lease in one transaction, back off after a
//! temporary failure, and the loop that runs a worker's passes until shutdown.
//!
//! A worker's rows carry `lease_until`: a claim sets it, the outcome clears it. A process that
//! dies mid-batch only delays its rows until the lease runs out; another process (or the same
//! one after a restart) then claims them again, so handlers must be idempotent.

use super::db::{DbError, run, txn_return};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use surrealdb::types::SurrealValue;
use tokio::sync::{Notify, watch};

/// How often a claim is tried again when other processes keep winning the write conflict.
const CLAIM_TRIES: usize = 20;

/// Runs a claim transaction (`BEGIN; LET $ids = SELECT … LIMIT $batch; UPDATE $ids SET
/// lease_until = … RETURN …; COMMIT;`) built by `query`, and returns what its `UPDATE`
/// returned. A lost write conflict (another process claimed some of the same rows at the same
/// moment) is retried; after [`CLAIM_TRIES`] losses the pass claims nothing.
pub async fn claim<'a, T, F>(mut query: F) -> Result<Vec<T>, DbError>
where
    T: SurrealValue,
    F: FnMut() -> surrealdb::method::Query<'a, surrealdb::engine::any::Any>,
    usize: surrealdb::opt::QueryResult<Vec<T>>,
{
    for _ in 0..CLAIM_TRIES {
        match run(query()).await {
            Ok(mut r) => return Ok(txn_return(&mut r)?),
            Err(e) if e.is_conflict() => {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Vec::new())
}

/// Wait before attempt `attempts + 1` after a temporary failure: 30 s, 1 min, 2 min, 4 min, …
/// capped at one hour.
pub fn backoff(attempts: i64) -> chrono::Duration {
    chrono::Duration::seconds((30i64 << attempts.clamp(0, 7)).min(3600))
}

/// How a worker's loop paces itself.
#[derive(Debug, Clone)]
pub struct Pace {
    /// Name in the logs.
    pub name: &'static str,
    /// A pass that claimed this many rows runs again at once (more may be waiting).
    pub batch: usize,
    /// Otherwise the next pass comes after this long, or sooner when woken.
    pub idle: Duration,
    pub wake: Arc<Notify>,
}

impl Pace {
    /// A periodic job: one pass every `idle`, nobody wakes it sooner.
    pub fn every(name: &'static str, idle: Duration) -> Self {
        Self {
            name,
            batch: usize::MAX,
            idle,
            wake: Arc::new(Notify::new()),
        }
    }
}

/// Runs `pass` until `shutdown` becomes true. A pass returns how many rows it claimed; a failed
/// pass is logged and the loop goes on after the idle wait.
pub async fn run_loop<F, Fut, E>(pace: Pace, mut shutdown: watch::Receiver<bool>, mut pass: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, E>>,
    E: std::fmt::Display,
{
    tracing::debug!(worker = pace.name, "worker started");
    loop {
        let n = match pass().await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(worker = pace.name, error = %e, "worker pass failed");
                0
            }
        };
        if *shutdown.borrow() {
            break;
        }
        if n >= pace.batch {
            continue;
        }
        tokio::select! {
            _ = pace.wake.notified() => {}
            _ = tokio::time::sleep(pace.idle) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
    tracing::debug!(worker = pace.name, "worker stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0).num_seconds(), 30);
        assert_eq!(backoff(1).num_seconds(), 60);
        assert_eq!(backoff(3).num_seconds(), 240);
        assert_eq!(backoff(7).num_seconds(), 3600);
        assert_eq!(backoff(50).num_seconds(), 3600);
        assert_eq!(backoff(-3).num_seconds(), 30);
    }

    #[tokio::test]
    async fn the_loop_stops_on_shutdown_and_reruns_full_batches() {
        let (tx, rx) = watch::channel(false);
        let wake = Arc::new(Notify::new());
        let pace = Pace {
            name: "test",
            batch: 2,
            idle: Duration::from_secs(3600),
            wake: wake.clone(),
        };
        let passes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = passes.clone();
        let stop = tx.clone();
        // Two full batches run back to back (no idle wait of an hour); the third pass stops it.
        run_loop(pace, rx, move || {
            let n = counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            if n == 3 {
                let _ = stop.send(true);
            }
            async move { Ok::<_, String>(if n < 3 { 2 } else { 0 }) }
        })
        .await;
        assert_eq!(passes.load(std::sync::atomic::Ordering::SeqCst), 3);
        drop(tx);
    }
}
