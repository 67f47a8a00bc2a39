//! Slack incoming webhooks: a message is a task on the job runtime, so a Slack outage only
//! delays it (temporary failures are retried with backoff, a refused message is kept as dead).

use super::AppState;
use super::tasks::{Task, TaskError};
use serde::{Deserialize, Serialize};

/// One Slack message (the webhook's JSON body: `text`, `blocks`, …).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SlackMessage(pub serde_json::Value);

impl Task for SlackMessage {
    const KIND: &'static str = "slack";
}

/// Task handler: posts the message to `SLACK_WEBHOOK_URL`.
pub async fn post(st: AppState, message: SlackMessage) -> Result<(), TaskError> {
    let Some(url) = st.config.slack_webhook_url.as_deref() else {
        return Ok(()); // Slack was switched off after the task was queued.
    };
    let res = st
        .tasks
        .http
        .post(url)
        .json(&message.0)
        .send()
        .await
        // The webhook URL is the secret: errors (kept on the job, shown to admins) leave it out.
        .map_err(|e| TaskError::Retry(e.without_url().to_string()))?;
    let status = res.status();
    if status.is_success() {
        Ok(())
    } else if status.is_server_error() || status.as_u16() == 429 {
        Err(TaskError::Retry(format!("Slack answered {status}")))
    } else {
        Err(TaskError::Fail(format!("Slack answered {status}")))
    }
}
