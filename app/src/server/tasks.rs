//! Durable background tasks. A task is a row in `task`; workers (in any app process on the
//! database) claim due rows with a lease, run them and record the outcome. A crash mid-task only
//! delays it until the lease runs out; temporary failures are retried with backoff.

use super::AppState;
use super::db::{Db, errors_of, internal, is_conflict_message, txn_return};
use crate::error::AppResult;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use surrealdb::types::{RecordId, SurrealValue};
use tokio::sync::{Notify, watch};

pub const SLACK: &str = "slack";
pub const PARSE_RESUME: &str = "parse_resume";

const LEASE_SECS: i64 = 300;
const MAX_ATTEMPTS: i64 = 8;
const BATCH: i64 = 20;

/// Content of a new task row (bind as `$task`, `CREATE task CONTENT $task`).
#[derive(Debug, Clone, SurrealValue)]
pub struct NewTask {
    pub kind: String,
    pub payload: serde_json::Value,
    pub due_at: DateTime<Utc>,
}

impl NewTask {
    pub fn now(kind: &str, payload: serde_json::Value) -> Self {
        Self {
            kind: kind.to_string(),
            payload,
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
#[derive(Debug)]
pub enum TaskError {
    /// Worth another try later (network trouble, 5xx, conflicts).
    Retry(String),
    /// Will never work (bad payload, 4xx): recorded and dropped.
    Fail(String),
}

#[derive(Clone, Debug)]
pub struct Tasks {
    wake: Arc<Notify>,
    pub http: reqwest::Client,
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
        }
    }

    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub async fn enqueue(&self, db: &Db, task: NewTask) -> AppResult<()> {
        db.query("CREATE task CONTENT $task RETURN NONE")
            .bind(("task", task))
            .await
            .and_then(|r| r.check())
            .map_err(internal)?;
        self.wake();
        Ok(())
    }
}

async fn claim(db: &Db) -> Result<Vec<ClaimedTask>, String> {
    for _ in 0..20 {
        let mut r = db
            .query(
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
            .bind(("lease_until", Utc::now() + Duration::seconds(LEASE_SECS)))
            .await
            .map_err(|e| e.to_string())?;
        match errors_of(&mut r) {
            None => return txn_return(&mut r).map_err(|e| e.to_string()),
            Some(m) if is_conflict_message(&m) => {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                continue;
            }
            Some(m) => return Err(m),
        }
    }
    Ok(Vec::new())
}

async fn finish(db: &Db, id: &RecordId, outcome: Result<(), TaskError>, attempts: i64) {
    let q = match &outcome {
        Ok(()) => db
            .query("UPDATE $id SET status = 'done', done_at = time::now(), lease_until = NONE, last_error = NONE")
            .bind(("id", id.clone())),
        Err(TaskError::Retry(m)) if attempts < MAX_ATTEMPTS => {
            let backoff = (30i64 << attempts.clamp(0, 7)).min(3600);
            tracing::warn!(task = ?id, error = %m, "task failed, will retry");
            db.query("UPDATE $id SET lease_until = NONE, last_error = $e, due_at = $due")
                .bind(("id", id.clone()))
                .bind(("e", m.clone()))
                .bind(("due", Utc::now() + Duration::seconds(backoff)))
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
    match t.kind.as_str() {
        SLACK => post_slack(st, &t.payload).await,
        PARSE_RESUME => crate::careers::parse::run_task(st, &t.payload).await,
        crate::crm::import::IMPORT => crate::crm::import::run_task(st, &t.payload).await,
        other => Err(TaskError::Fail(format!("unknown task kind {other}"))),
    }
}

/// Claims and runs due tasks; returns how many were claimed.
pub async fn run_due(st: &AppState) -> Result<usize, String> {
    let tasks = claim(&st.db).await?;
    let n = tasks.len();
    for t in tasks {
        let outcome = run_one(st, &t).await;
        finish(&st.db, &t.id, outcome, t.attempts).await;
    }
    Ok(n)
}

pub async fn run_worker(st: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        let n = match run_due(&st).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "task worker pass failed");
                0
            }
        };
        if *shutdown.borrow() {
            break;
        }
        if n as i64 >= BATCH {
            continue;
        }
        tokio::select! {
            _ = st.tasks.wake.notified() => {}
            _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
}

/// Posts a Slack incoming-webhook message (`payload` is the message JSON).
async fn post_slack(st: &AppState, payload: &serde_json::Value) -> Result<(), TaskError> {
    let Some(url) = st.config.slack_webhook_url.as_deref() else {
        return Ok(()); // Slack was switched off after the task was queued.
    };
    let res = st
        .tasks
        .http
        .post(url)
        .json(payload)
        .send()
        .await
        .map_err(|e| TaskError::Retry(e.to_string()))?;
    let status = res.status();
    if status.is_success() {
        Ok(())
    } else if status.is_server_error() || status.as_u16() == 429 {
        Err(TaskError::Retry(format!("Slack answered {status}")))
    } else {
        Err(TaskError::Fail(format!("Slack answered {status}")))
    }
}
