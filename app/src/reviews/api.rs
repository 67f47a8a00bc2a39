//! Human-review server functions: the candidate asks (portal); recruiters and admins list the
//! open requests and answer them.

use super::types::ReviewRequest;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::{require_candidate, require_role},
    crate::auth::types::Role,
    crate::server::activity::Actor,
    crate::server::db::id,
    crate::server::state,
};

/// The signed-in candidate asks for a person to review one of their applications, with an
/// optional note. Asking again while a request is open changes nothing.
#[server]
pub async fn request_human_review(
    application_id: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let person = require_candidate().await?;
    let note = super::types::check_note(&note, false).map_err(|m| AppError::invalid("note", m))?;
    let st = state()?;
    let app = id("application", &application_id)?;
    let row = crate::portal::repo::owned_application(&st.db, &app)
        .await?
        .filter(|r| r.person == person)
        .ok_or(AppError::NotFound)?;
    repo::request(&st.db, &app, &person, &row.job, &note).await?;
    Ok(())
}

/// Open human-review requests, oldest first (recruiters and admins).
#[server]
pub async fn list_review_requests() -> Result<Vec<ReviewRequest>, AppError> {
    require_role(Role::manages_jobs).await?;
    let st = state()?;
    repo::open(&st.db).await
}

/// Answers a request: the candidate is emailed the answer, and it goes on their timeline.
#[server]
pub async fn answer_review_request(request_id: String, answer: String) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let answer =
        super::types::check_note(&answer, true).map_err(|m| AppError::invalid("answer", m))?;
    let st = state()?;
    let done = repo::answer(
        &st.db,
        &id("review_request", &request_id)?,
        &answer,
        &Actor::staff(&user),
    )
    .await?;
    let company = &st.config.company_name;
    let mail = st
        .mailer
        .compose(
            "review_answered",
            &done.email,
            &done.first_name,
            &format!("We reviewed your application for {}", done.job_title),
            &format!(
                "Hi {},\n\nYou asked for a person to review your application for {}. {} did:\n\n{answer}\n\n\
                 You can follow your application in the candidate portal: {}/portal\n\nThe {company} hiring team",
                done.first_name, done.job_title, user.name, st.config.public_url
            ),
        )
        .person(done.person.clone());
    crate::server::db::write(
        st.db
            .query("CREATE mail CONTENT $mail RETURN NONE")
            .bind(("mail", mail)),
    )
    .await?;
    st.mailer.wake();
    Ok(())
}
