//! Durable background tasks on the job runtime ([`super::runtime`]). A task is a row in `task`
//! with a typed payload ([`Task`]); features register a handler per kind in the composition
//! root (`crate::startup`). Workers in any app process claim due rows with a lease, run them and
//! record the outcome: done, queued again with backoff after a temporary failure, or dead
//! (`failed`, error kept, visible to admins with a retry) after a permanent one or too many tries.

use super::AppState;
use super::db::Db;
use super::runtime::{self, Pace, backoff};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, RwLock};
use surrealdb::types::{RecordId, SurrealValue};
use tokio::sync::{Notify, watch};

const LEASE_SECS: i64 = 300;
const MAX_ATTEMPTS: i64 = 8;
const BATCH: i64 = 20;

/// A kind of background task: its payload type names its kind.
pub trait Task: Serialize + DeserializeOwned + Send + 'static {
    const KIND: &'static str;
}

/// Content of a new task row (bind as `$task`, `CREATE task CONTENT $task`), e.g. in the same
/// transaction as the change that needs it.
#[derive(Debug, Clone, SurrealValue)]
pub struct NewTask {
    pub kind: String,
    pub payload: serde_json::Value,
    pub due_at: DateTime<Utc>,
}

impl NewTask {
    /// The task `payload`, due now.
    pub fn of<T: Task>(payload: &T) -> Self {
        Self {
            kind: T::KIND.to_string(),
            // A derived Serialize of plain fields always converts.
            payload: serde_json::to_value(payload).unwrap_or_default(),
            due_at: Utc::now(),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct ClaimedTask {
    id: RecordId,
    kind: String,
    payload: serde_json::Value,
    attempts: i64,
}

/// Why a task did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// Worth another try later (network trouble, 5xx, conflicts).
    #[error("temporary failure: {0}")]
    Retry(String),
    /// Will never work (bad payload, 4xx, bad input): recorded as dead.
    #[error("permanent failure: {0}")]
    Fail(String),
}

impl From<AppError> for TaskError {
    /// Lost conflicts and internal (database, network) errors may pass; everything else is about
    /// the input and will fail again the same way.
    fn from(e: AppError) -> Self {
        match e {
            AppError::Conflict(_) | AppError::Internal | AppError::Request(_) => {
                TaskError::Retry(e.to_string())
            }
            other => TaskError::Fail(match &other {
                AppError::Validation(errors) => errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                _ => other.to_string(),
            }),
        }
    }
}

impl From<super::db::DbError> for TaskError {
    fn from(e: super::db::DbError) -> Self {
        TaskError::Retry(e.to_string())
    }
}

type Handler = Arc<
    dyn Fn(AppState, serde_json::Value) -> BoxFuture<'static, Result<(), TaskError>> + Send + Sync,
>;

#[derive(Clone)]
pub struct Tasks {
    wake: Arc<Notify>,
    pub http: reqwest::Client,
    handlers: Arc<RwLock<HashMap<&'static str, Handler>>>,
}

impl std::fmt::Debug for Tasks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kinds: Vec<&str> = self
            .handlers
            .read()
            .map(|h| h.keys().copied().collect())
            .unwrap_or_default();
        f.debug_struct("Tasks").field("kinds", &kinds).finish()
    }
}

impl Default for Tasks {
    fn default() -> Self {
        Self::new()
    }
}

impl Tasks {
    pub fn new() -> Self {
        Self {
            wake: Arc::new(Notify::new()),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(15))
                .build()
                .expect("http client"),
            handlers: Arc::default(),
        }
    }

    /// The same handlers with this process's own wake-up (for a second node in tests).
    pub fn for_another_node(&self) -> Self {
        Self {
            wake: Arc::new(Notify::new()),
            http: self.http.clone(),
            handlers: self.handlers.clone(),
        }
    }

    /// Registers the handler of tasks of type `T` (done once, in the composition root).
    pub fn register<T, F, Fut>(&self, handler: F)
    where
        T: Task,
        F: Fn(AppState, T) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), TaskError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        let run: Handler = Arc::new(move |st, payload| {
            let handler = handler.clone();
            Box::pin(async move {
                let task: T = serde_json::from_value(payload).map_err(|e| {
                    TaskError::Fail(format!("the {} payload was not understood: {e}", T::KIND))
                })?;
                handler(st, task).await
            })
        });
        self.handlers
            .write()
            .expect("task handlers lock")
            .insert(T::KIND, run);
    }

    fn handler(&self, kind: &str) -> Option<Handler> {
        self.handlers.read().ok()?.get(kind).cloned()
    }

    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Queues `task` to run as soon as a worker is free.
    pub async fn enqueue<T: Task>(&self, db: &Db, task: &T) -> AppResult<()> {
        db.query("CREATE task CONTENT $task RETURN NONE")
            .bind(("task", NewTask::of(task)))
            .await
            .and_then(|r| r.check())?;
        self.wake();
        Ok(())
    }
}

async fn claim(db: &Db) -> Result<Vec<ClaimedTask>, super::db::DbError> {
    let lease_until = Utc::now() + chrono::Duration::seconds(LEASE_SECS);
    runtime::claim(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $ids = SELECT VALUE id FROM task
                WHERE status = 'queued' AND due_at <= time::now()
                  AND (lease_until = NONE OR lease_until < time::now())
                LIMIT $batch;
             UPDATE $ids SET lease_until = $lease_until, attempts += 1
                WHERE status = 'queued' AND (lease_until = NONE OR lease_until < time::now())
                RETURN id, kind, payload, attempts;
             COMMIT TRANSACTION;",
        )
        .bind(("batch", BATCH))
        .bind(("lease_until", lease_until))
    })
    .await
}

async fn finish(db: &Db, id: &RecordId, outcome: Result<(), TaskError>, attempts: i64) {
    let q = match &outcome {
        Ok(()) => db
            .query("UPDATE $id SET status = 'done', done_at = time::now(), lease_until = NONE, last_error = NONE")
            .bind(("id", id.clone())),
        Err(TaskError::Retry(m)) if attempts < MAX_ATTEMPTS => {
            tracing::warn!(task = ?id, error = %m, "task failed, will retry");
            db.query("UPDATE $id SET lease_until = NONE, last_error = $e, due_at = $due")
                .bind(("id", id.clone()))
                .bind(("e", m.clone()))
                .bind(("due", Utc::now() + backoff(attempts)))
        }
        Err(TaskError::Retry(m)) | Err(TaskError::Fail(m)) => {
            tracing::warn!(task = ?id, error = %m, "task failed permanently");
            db.query("UPDATE $id SET status = 'failed', lease_until = NONE, last_error = $e")
                .bind(("id", id.clone()))
                .bind(("e", m.clone()))
        }
    };
    if let Err(e) = q.await.and_then(|r| r.check()) {
        tracing::error!(error = %e, "could not record task outcome");
    }
}

async fn run_one(st: &AppState, t: &ClaimedTask) -> Result<(), TaskError> {
    match st.tasks.handler(&t.kind) {
        Some(run) => run(st.clone(), t.payload.clone()).await,
        None => Err(TaskError::Fail(format!("unknown task kind {}", t.kind))),
    }
}

/// Claims and runs due tasks; returns how many were claimed.
pub async fn run_due(st: &AppState) -> Result<usize, super::db::DbError> {
    let tasks = claim(&st.db).await?;
    let n = tasks.len();
    for t in tasks {
        let outcome = run_one(st, &t).await;
        finish(&st.db, &t.id, outcome, t.attempts).await;
    }
    Ok(n)
}

/// Runs due tasks until `shutdown`.
pub async fn run_worker(st: AppState, shutdown: watch::Receiver<bool>) {
    let pace = Pace {
        name: "tasks",
        batch: BATCH as usize,
        idle: std::time::Duration::from_secs(2),
        wake: st.tasks.wake.clone(),
    };
    runtime::run_loop(pace, shutdown, || run_due(&st)).await;
}

/// A task that did not succeed, for the admins' jobs page.
#[derive(Debug, Clone, SurrealValue)]
pub struct DeadTask {
    pub id: RecordId,
    pub kind: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Dead tasks, newest first.
pub async fn dead(db: &Db, limit: i64) -> AppResult<Vec<DeadTask>> {
    let mut r = db
        .query(
            "SELECT id, kind, attempts, last_error, created_at FROM task
             WHERE status = 'failed' ORDER BY created_at DESC LIMIT $limit",
        )
        .bind(("limit", limit))
        .await?;
    Ok(r.take(0)?)
}

/// Queues a dead task again with a fresh set of attempts. False when it was not dead.
pub async fn retry(tasks: &Tasks, db: &Db, id: &RecordId) -> AppResult<bool> {
    let mut r = db
        .query(
            "UPDATE $id SET status = 'queued', attempts = 0, due_at = time::now(), lease_until = NONE
             WHERE status = 'failed' RETURN VALUE id",
        )
        .bind(("id", id.clone()))
        .await?;
    let updated: Vec<RecordId> = r.take(0)?;
    if !updated.is_empty() {
        tasks.wake();
    }
    Ok(!updated.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
    struct Flaky {
        fail: String,
    }

    impl Task for Flaky {
        const KIND: &'static str = "test_flaky";
    }

    #[tokio::test]
    async fn failures_are_retried_later_or_kept_as_dead_jobs_that_can_be_retried() {
        let st = testing::state().await;
        st.tasks.register(|_st, t: Flaky| async move {
            match t.fail.as_str() {
                "never" => Ok(()),
                "always" => Err(TaskError::Fail("bad input".into())),
                _ => Err(TaskError::Retry("try later".into())),
            }
        });
        for fail in ["always", "never", "sometimes"] {
            st.tasks
                .enqueue(&st.db, &Flaky { fail: fail.into() })
                .await
                .unwrap();
        }
        // A payload of the wrong shape can never run.
        st.db
            .query("CREATE task CONTENT { kind: 'test_flaky', payload: { nope: 1 }, due_at: time::now() }")
            .await
            .unwrap()
            .check()
            .unwrap();
        assert_eq!(run_due(&st).await.unwrap(), 4);

        let dead_jobs = dead(&st.db, 10).await.unwrap();
        let mut errors: Vec<String> = dead_jobs
            .iter()
            .map(|d| d.last_error.clone().unwrap_or_default())
            .collect();
        errors.sort();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0], "bad input");
        assert!(
            errors[1].contains("payload was not understood"),
            "{errors:?}"
        );

        // The temporary failure waits for its backoff, still queued.
        let mut r = st
            .db
            .query("SELECT VALUE status FROM task WHERE payload.fail = 'sometimes' AND due_at > time::now()")
            .await
            .unwrap();
        let waiting: Vec<String> = r.take(0).unwrap();
        assert_eq!(waiting, ["queued"]);
        assert_eq!(
            run_due(&st).await.unwrap(),
            0,
            "nothing is due before its backoff"
        );

        // A dead job can be queued again, once.
        let first = dead_jobs[0].id.clone();
        assert!(retry(&st.tasks, &st.db, &first).await.unwrap());
        assert!(
            !retry(&st.tasks, &st.db, &first).await.unwrap(),
            "only dead jobs are retried"
        );
        assert_eq!(dead(&st.db, 10).await.unwrap().len(), 1);
    }
}
