//! Deadlines: every admin is emailed once about each open privacy request that is due within
//! a week (run by the housekeeping job).

use crate::error::AppResult;
use crate::server::AppState;
use chrono::{DateTime, Utc};

/// Days before a deadline that admins are reminded.
pub const REMIND_DAYS_BEFORE: i64 = 7;

/// Sends the reminders that are due; returns how many requests they were about.
pub async fn remind_due(st: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let soon = now + chrono::Duration::days(REMIND_DAYS_BEFORE);
    let due = super::repo::claim_reminders(&st.db, now, soon).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let admins = super::repo::admins(&st.db).await?;
    let url = format!("{}/admin/privacy", st.config.public_url);
    for deadline in &due {
        let date = deadline.format("%-d %b %Y");
        let overdue = *deadline < now;
        let subject = if overdue {
            format!("A privacy request is overdue (it was due on {date})")
        } else {
            format!("A privacy request is due on {date}")
        };
        for (email, name) in &admins {
            let body = format!(
                "Hello {name},\n\nA candidate asked for their data to be erased, and the answer \
                 is due on {date} (30 days after they asked). Erase it, or decline with the \
                 reason it must be kept:\n\n{url}\n"
            );
            let mail = st
                .mailer
                .compose("privacy_reminder", email, name, &subject, &body);
            st.mailer.enqueue(&st.db, mail).await?;
        }
    }
    tracing::info!(requests = due.len(), "privacy request reminders sent");
    Ok(due.len())
}
