//! Admin reads (server only): the mail outbox. Dead background tasks are read through the job
//! runtime (`crate::server::tasks`).

use crate::error::AppResult;
use crate::server::db::Db;
use crate::server::mail::MailRow;

/// The newest 200 messages (optionally to one address), whatever their status.
pub async fn outbox(db: &Db, to: &str) -> AppResult<Vec<MailRow>> {
    let mut res = db
        .query(
            "SELECT id, to_email, to_name, subject, body_text, kind, status, error, unsubscribe_url, created_at
             FROM mail WHERE ($to = '' OR to_email = $to) ORDER BY created_at DESC LIMIT 200",
        )
        .bind(("to", to.to_string()))
        .await?;
    Ok(res.take(0)?)
}
