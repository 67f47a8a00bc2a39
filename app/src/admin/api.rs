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

/// The links in a mail with their secrets hidden: an admin reading the outbox must not be able
/// to sign in as a candidate, decide someone's approval or unsubscribe someone.
#[cfg(feature = "ssr")]
pub fn mask_tokens(text: &str) -> String {
    const HIDDEN: &str = "[hidden]";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = ["token=", "/t/c/", "/t/o/"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
            .min();
        let Some((i, len)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let end = rest
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%'))
            })
            .unwrap_or(rest.len());
        if end > 0 {
            out.push_str(HIDDEN);
        }
        rest = &rest[end..];
    }
}

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
                body: mask_tokens(&m.body_text),
                kind: m.kind,
                status: m.status,
                error: m.error,
                unsubscribe_url: m.unsubscribe_url.map(|u| mask_tokens(&u)),
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

/// `GET /admin/export.json`: the whole database in the open export format
/// (`crate::server::backup`), for admins.
#[cfg(feature = "ssr")]
pub async fn download_export(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    headers: http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let user = crate::auth::guard::staff_from_headers(&st, &headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let doc = crate::server::backup::export(&st.db).await?;
    let body = serde_json::to_vec(&doc).map_err(crate::server::db::internal)?;
    let name = format!(
        "acme-hiring-export-{}.json",
        chrono::Utc::now().format("%Y-%m-%d")
    );
    Ok((
        [
            (http::header::CONTENT_TYPE, "application/json".to_string()),
            (
                http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (http::header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::mask_tokens;

    #[test]
    fn secrets_in_links_are_hidden() {
        assert_eq!(
            mask_tokens("Follow it: https://x/portal/auth?token=abc.DEF-1_2\nBye"),
            "Follow it: https://x/portal/auth?token=[hidden]\nBye"
        );
        assert_eq!(
            mask_tokens("a https://x/t/c/TOK.sig b https://x/t/o/T.sig.gif c"),
            "a https://x/t/c/[hidden] b https://x/t/o/[hidden] c"
        );
        assert_eq!(mask_tokens("no links"), "no links");
    }
}
