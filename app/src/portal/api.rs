//! Candidate portal server functions.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth::guard,
    crate::domain::EmailAddress,
    crate::server::AppState,
    crate::server::activity::{Actor, NewActivity},
    crate::server::db::{id, internal, key},
    crate::server::{respond, state},
    chrono::{DateTime, Utc},
    surrealdb::types::{RecordId, SurrealValue},
};

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, SurrealValue)]
struct PersonRow {
    first_name: String,
    last_name: String,
    email: String,
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, SurrealValue)]
struct StageInfo {
    id: String,
    name: String,
    kind: String,
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, SurrealValue)]
struct AppRow {
    id: RecordId,
    job_title: String,
    stages: Vec<StageInfo>,
    stage: String,
    status: String,
    created_at: DateTime<Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, SurrealValue)]
struct EntryRow {
    application: Option<RecordId>,
    summary: String,
    at: DateTime<Utc>,
}

/// Emails a person a fresh portal sign-in link.
#[cfg(feature = "ssr")]
pub async fn send_portal_link(st: &AppState, person: &RecordId) -> Result<(), AppError> {
    let mut res = st
        .db
        .query("SELECT first_name, last_name, email FROM ONLY $p")
        .bind(("p", person.clone()))
        .await
        .map_err(internal)?;
    let Some(p): Option<PersonRow> = res.take(0).map_err(internal)? else {
        return Ok(());
    };
    let link = super::links::portal_link(st, person);
    let company = &st.config.company_name;
    let mail = st.mailer.compose(
        "portal_link",
        &p.email,
        format!("{} {}", p.first_name, p.last_name).trim(),
        &format!("Your link to follow your applications at {company}"),
        &format!(
            "Hi {},\n\nHere is your link to see your applications, their status and next steps:\n{link}\n\n\
             It signs you in for 7 days. If you did not ask for it, you can ignore this email.\n\n\
             The {company} hiring team",
            p.first_name
        ),
        Some(person.clone()),
        None,
        None,
    );
    st.mailer.enqueue(&st.db, mail).await
}

/// Sends a sign-in link to the email address, if it belongs to someone who applied. The answer
/// is the same either way, so the form does not reveal who has applied.
#[server]
pub async fn request_portal_link(email: String) -> Result<(), AppError> {
    let st = state()?;
    let email = EmailAddress::parse(&email).map_err(|m| respond(AppError::invalid("email", m)))?;
    let rate_key = format!("portal:{email}");
    if crate::auth::repo::recent_failures(&st.db, &rate_key).await? >= 3 {
        tracing::info!(%email, "portal link rate limit reached");
        return Ok(());
    }
    crate::auth::repo::record_failure(&st.db, &[rate_key]).await?;
    let mut res = st
        .db
        .query(
            "LET $p = (SELECT VALUE id FROM person WHERE email = $email LIMIT 1)[0];
             RETURN IF $p != NONE AND array::len(SELECT VALUE id FROM application WHERE person = $p) > 0
                THEN $p ELSE NONE END;",
        )
        .bind(("email", email.as_str().to_string()))
        .await
        .map_err(internal)?;
    let person: Option<RecordId> = res.take(1).map_err(internal)?;
    if let Some(person) = person {
        send_portal_link(&st, &person).await?;
    }
    Ok(())
}

/// The signed-in candidate's applications with their candidate-visible timelines.
#[server]
pub async fn my_portal() -> Result<Option<PortalData>, AppError> {
    let Some(person) = guard::current_candidate().await? else {
        return Ok(None);
    };
    let st = state()?;
    let mut res = st
        .db
        .query(
            "SELECT first_name, last_name, email FROM ONLY $p;
             SELECT id, job.title AS job_title, job.stages AS stages, stage, status, created_at
                FROM application WHERE person = $p ORDER BY created_at DESC;
             SELECT application, summary, at FROM activity
                WHERE person = $p AND visible_to_candidate = true ORDER BY at DESC;",
        )
        .bind(("p", person.clone()))
        .await
        .map_err(internal)?;
    let Some(p): Option<PersonRow> = res.take(0).map_err(internal)? else {
        return Ok(None);
    };
    let apps: Vec<AppRow> = res.take(1).map_err(internal)?;
    let entries: Vec<EntryRow> = res.take(2).map_err(internal)?;
    let applications = apps
        .into_iter()
        .map(|a| {
            let stage = a.stages.iter().find(|s| s.id == a.stage);
            let stage_name = stage
                .map(|s| s.name.clone())
                .unwrap_or_else(|| a.stage.clone());
            let hired = stage.is_some_and(|s| s.kind == "hired");
            let timeline = entries
                .iter()
                .filter(|e| e.application.as_ref() == Some(&a.id))
                .map(|e| TimelineEntry {
                    at: e.at.to_rfc3339(),
                    text: e.summary.clone(),
                })
                .collect();
            PortalApplication {
                id: key(&a.id),
                job_title: a.job_title.clone(),
                status_line: status_line(&a.status, &stage_name, hired),
                can_withdraw: a.status == "active" && !hired,
                status: a.status.clone(),
                applied_at: a.created_at.to_rfc3339(),
                timeline,
            }
        })
        .collect();
    Ok(Some(PortalData {
        first_name: p.first_name,
        email: p.email,
        applications,
    }))
}

/// Withdraws one of the signed-in candidate's active applications.
#[server]
pub async fn withdraw_application(application_id: String) -> Result<(), AppError> {
    let person = guard::require_candidate().await?;
    let st = state()?;
    let app = id("application", &application_id)?;
    let mut res = st
        .db
        .query("SELECT person, job, status FROM ONLY $app")
        .bind(("app", app.clone()))
        .await
        .map_err(internal)?;
    let row: Option<OwnedApp> = res.take(0).map_err(internal)?;
    let row = row
        .filter(|r| r.person == person)
        .ok_or_else(|| respond(AppError::NotFound))?;
    let activity = NewActivity::new(
        &Actor::candidate(),
        "withdrawn",
        "You withdrew this application",
    )
    .person(&person)
    .application(&app)
    .job(&row.job)
    .for_candidate();
    let mut res = crate::server::db::write(
        st.db
            .query(
                "BEGIN TRANSACTION;
             LET $done = UPDATE $app SET status = 'withdrawn', stage_entered_at = time::now()
                WHERE status = 'active' RETURN VALUE id;
             IF array::len($done) > 0 { CREATE activity CONTENT $activity RETURN NONE };
             RETURN $done;
             COMMIT TRANSACTION;",
            )
            .bind(("app", app))
            .bind(("activity", activity)),
    )
    .await?;
    let done: Vec<RecordId> = crate::server::db::txn_return(&mut res).map_err(internal)?;
    if done.is_empty() {
        return Err(respond(AppError::Conflict(
            "This application is already closed.".into(),
        )));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, SurrealValue)]
struct OwnedApp {
    person: RecordId,
    job: RecordId,
    status: String,
}

/// Signs the candidate out of the portal.
#[server]
pub async fn portal_logout() -> Result<(), AppError> {
    let cookie = guard::end_session(crate::auth::repo::PORTAL_COOKIE).await?;
    expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, cookie);
    leptos_axum::redirect("/portal");
    Ok(())
}
