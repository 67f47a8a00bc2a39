//! Admin server functions: the mail outbox and the background jobs that failed for good.

use super::types::{DeadJob, Outbox};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::types::OutboxMail,
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::db::{id, key},
    crate::server::{state, tasks},
};

/// The newest 200 messages, whatever their status.
#[server]
pub async fn list_outbox(to: String) -> Result<Outbox, AppError> {
    require_role(Role::reads_outbox).await?;
    let st = state()?;
    let to = to.trim().to_lowercase();
    let rows = super::repo::outbox(&st.db, &to).await?;
    Ok(Outbox {
        delivers: st.mailer.delivers(),
        mails: rows
            .into_iter()
            .map(|m| OutboxMail {
                id: key(&m.id),
                to: if m.to_name.is_empty() {
                    m.to_email
                } else {
                    format!("{} <{}>", m.to_name, m.to_email)
                },
                subject: m.subject,
                body: m.body_text,
                kind: m.kind,
                status: m.status,
                error: m.error,
                unsubscribe_url: m.unsubscribe_url,
                created_at: m.created_at.to_rfc3339(),
            })
            .collect(),
    })
}

/// Background tasks that failed for good, newest first (at most 200).
#[server]
pub async fn list_dead_jobs() -> Result<Vec<DeadJob>, AppError> {
    require_role(Role::reads_outbox).await?;
    let st = state()?;
    Ok(tasks::dead(&st.db, 200)
        .await?
        .into_iter()
        .map(|t| DeadJob {
            id: key(&t.id),
            kind: t.kind,
            attempts: t.attempts,
            error: t.last_error,
            created_at: t.created_at.to_rfc3339(),
        })
        .collect())
}

/// Queues a dead task again, with a fresh set of attempts.
#[server]
pub async fn retry_job(job_id: String) -> Result<(), AppError> {
    require_role(Role::reads_outbox).await?;
    let st = state()?;
    let task = id("task", &job_id)?;
    if tasks::retry(&st.tasks, &st.db, &task).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
