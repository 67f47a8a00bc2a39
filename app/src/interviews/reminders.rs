//! Overdue scorecard reminders, sent by the job runtime: an interviewer whose scorecard is still
//! not submitted `ATS_SCORECARD_DUE_HOURS` after the interview ended gets one email (and a
//! Slack message when Slack is configured). Never twice: marking the scorecard reminded, the
//! email and the Slack task are one transaction that refuses a scorecard already marked, so
//! two app processes racing over the same overdue card send one reminder between them.

use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::db::{key, write_guarded};
use crate::server::slack::SlackMessage;
use crate::server::tasks::NewTask;
use chrono::{DateTime, Duration, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct DueCard {
    id: RecordId,
    interview: RecordId,
    email: String,
    name: String,
    interview_name: String,
    first_name: String,
    last_name: String,
    job_title: String,
    ended_at: DateTime<Utc>,
}

/// How many overdue scorecards one pass looks at.
const BATCH: i64 = 100;

/// Sends every reminder due at `now`; returns how many were sent by this call.
pub async fn send_due(st: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let before = now - Duration::hours(st.config.scorecard_due_hours);
    let mut res = st
        .db
        .query(
            "SELECT id, interview, interviewer.email AS email, interviewer.name AS name,
                interview.name AS interview_name, interview.person.first_name AS first_name,
                interview.person.last_name AS last_name, interview.job.title AS job_title,
                interview.ends_at AS ended_at
             FROM scorecard
             WHERE status != 'submitted' AND reminded_at = NONE
                AND interview.status = 'scheduled' AND interview.ends_at < $before
                AND interviewer.active = true
             LIMIT $batch",
        )
        .bind(("before", before))
        .bind(("batch", BATCH))
        .await?;
    let due: Vec<DueCard> = res.take(0)?;
    let mut sent = 0;
    for card in due {
        match remind(st, &card).await {
            Ok(()) => sent += 1,
            // Reminded meanwhile (by another process), or a write conflict with it: that
            // process sends it, or the next pass looks again.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if sent > 0 {
        st.mailer.wake();
        st.tasks.wake();
    }
    Ok(sent)
}

async fn remind(st: &AppState, card: &DueCard) -> AppResult<()> {
    let candidate = format!("{} {}", card.first_name, card.last_name);
    let url = format!(
        "{}/app/interviews/{}",
        st.config.public_url,
        key(&card.interview)
    );
    let hours = (Utc::now() - card.ended_at).num_hours().max(0);
    let body = format!(
        "Hello {},\n\nYour scorecard for the {} with {} ({}) is not in yet: the interview ended \
         {hours} hours ago. The hiring team decides on the scorecards, and yours is still \
         missing.\n\nWrite it now:\n{url}\n",
        card.name, card.interview_name, candidate, card.job_title,
    );
    let mail = st.mailer.compose(
        "scorecard_reminder",
        &card.email,
        &card.name,
        &format!("Scorecard due: {} with {candidate}", card.interview_name),
        &body,
    );
    let slack = st.config.slack_webhook_url.as_ref().map(|_| {
        NewTask::of(&SlackMessage(serde_json::json!({
            "text": format!(
                "Scorecard due: {} has not submitted the scorecard for the {} with {candidate} ({}). <{url}|Write it>",
                card.name, card.interview_name, card.job_title
            )
        })))
    });
    write_guarded(
        st.db
            .query(
                "BEGIN TRANSACTION;
                 LET $marked = UPDATE $card SET reminded_at = time::now()
                    WHERE reminded_at = NONE AND status != 'submitted' RETURN VALUE id;
                 IF array::len($marked) = 0 { THROW 'already_reminded' };
                 CREATE mail CONTENT $mail RETURN NONE;
                 IF $slack != NONE { CREATE task CONTENT $slack RETURN NONE };
                 COMMIT TRANSACTION;",
            )
            .bind(("card", card.id.clone()))
            .bind(("mail", mail))
            .bind(("slack", slack)),
        &[(
            "already_reminded",
            AppError::Conflict("already reminded".into()),
        )],
    )
    .await?;
    Ok(())
}
