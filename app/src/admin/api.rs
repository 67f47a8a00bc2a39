//! Outbox server function.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::db::{internal, key},
    crate::server::mail::MailRow,
    crate::server::state,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub status: String,
    pub error: Option<String>,
    pub unsubscribe_url: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    /// True when mail goes out over SMTP; false when it only lands here.
    pub delivers: bool,
    pub mails: Vec<OutboxMail>,
}

/// The newest 200 messages, whatever their status.
#[server]
pub async fn list_outbox(to: String) -> Result<Outbox, AppError> {
    require_role(Role::reads_outbox).await?;
    let st = state()?;
    let to = to.trim().to_lowercase();
    let mut res = st
        .db
        .query(
            "SELECT id, to_email, to_name, subject, body_text, kind, status, error, unsubscribe_url, created_at
             FROM mail WHERE ($to = '' OR to_email = $to) ORDER BY created_at DESC LIMIT 200",
        )
        .bind(("to", to))
        .await
        .map_err(internal)?;
    let rows: Vec<MailRow> = res.take(0).map_err(internal)?;
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
