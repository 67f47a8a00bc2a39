//! People server functions.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::{require_role, require_staff},
    crate::auth::types::Role,
    crate::domain::Tag,
    crate::server::activity::Actor,
    crate::server::db::id,
    crate::server::{AppState, respond, state},
};

/// People, newest first, filtered by a name/email fragment and a tag; 50 per page.
#[server]
pub async fn list_people(q: String, tag: String, cursor: String) -> Result<PeopleList, AppError> {
    require_role(Role::uses_crm).await?;
    if q.len() > 200 || tag.len() > 60 || cursor.len() > 200 {
        return Err(respond(AppError::invalid("q", "That search is too long.")));
    }
    repo::list(&state()?.db, &q, &tag, &cursor).await
}

/// Every tag in use, with counts.
#[server]
pub async fn tag_counts() -> Result<Vec<TagCount>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::tag_counts(&state()?.db).await
}

/// Tags one or more people.
#[server]
pub async fn add_tag(
    #[server(default)] person_ids: Vec<String>,
    tag: String,
) -> Result<usize, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let tag = Tag::parse(&tag).map_err(|m| respond(AppError::invalid("tag", m)))?;
    if person_ids.is_empty() {
        return Err(respond(AppError::invalid(
            "person_ids",
            "Select at least one person.",
        )));
    }
    if person_ids.len() > 1000 {
        return Err(respond(AppError::invalid(
            "person_ids",
            "Tag at most 1,000 people at a time.",
        )));
    }
    let ids = person_ids
        .iter()
        .map(|p| id("person", p))
        .collect::<Result<Vec<_>, _>>()?;
    repo::add_tag(&state()?.db, &ids, tag.as_str(), &Actor::staff(&user)).await
}

/// Removes a tag from one person.
#[server]
pub async fn remove_tag(person_id: String, tag: String) -> Result<(), AppError> {
    let user = require_role(Role::uses_crm).await?;
    repo::remove_tag(
        &state()?.db,
        &id("person", &person_id)?,
        tag.trim(),
        &Actor::staff(&user),
    )
    .await
}

/// A person's profile: details, applications, resumes, tags and timeline.
#[server]
pub async fn get_person(person_id: String) -> Result<PersonProfile, AppError> {
    let user = require_staff().await?;
    if !(user.role.uses_crm() || user.role.manages_jobs() || user.role == Role::HiringManager) {
        return Err(respond(AppError::Forbidden));
    }
    let st = state()?;
    let profile = repo::profile(&st.db, &id("person", &person_id)?)
        .await
        .map_err(respond)?;
    if user.role == Role::HiringManager && !user.role.uses_crm() {
        // Hiring managers see people who applied to a job they manage.
        let managed = crate::jobs::repo::list(
            &st.db,
            Some(surrealdb::types::RecordId::new("staff", user.id.as_str())),
        )
        .await?;
        let ok = profile
            .applications
            .iter()
            .any(|a| managed.iter().any(|j| j.id == a.job_id));
        if !ok {
            return Err(respond(AppError::Forbidden));
        }
    }
    Ok(profile)
}

/// `GET /app/resumes/{id}`: the stored resume file, for staff who may see people.
#[cfg(feature = "ssr")]
pub async fn download_resume(
    axum::extract::State(st): axum::extract::State<AppState>,
    axum::extract::Path(resume_id): axum::extract::Path<String>,
    headers: http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{StatusCode, header};
    let user = crate::auth::guard::staff_from_headers(&st, &headers).await;
    let allowed = matches!(&user, Ok(Some(u)) if u.role.uses_crm() || u.role.manages_jobs() || u.role == Role::HiringManager);
    if !allowed {
        return (StatusCode::FORBIDDEN, "Sign in as staff to see resumes.").into_response();
    }
    let Ok(rid) = id("resume", &resume_id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match repo::resume_file(&st.db, &rid).await {
        Ok(Some(f)) => (
            [
                (header::CONTENT_TYPE, f.content_type.clone()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{}\"", f.filename),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            f.data.into_inner(),
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Adds a note to a person's profile.
#[server]
pub async fn add_note(person_id: String, body: String) -> Result<(), AppError> {
    let user = require_staff().await?;
    if !(user.role.uses_crm() || user.role.manages_jobs() || user.role == Role::HiringManager) {
        return Err(respond(AppError::Forbidden));
    }
    let body = crate::domain::required_long_text(&body, "a note", 5_000)
        .map_err(|m| respond(AppError::invalid("body", m)))?;
    repo::add_note(
        &state()?.db,
        &id("person", &person_id)?,
        &body,
        &Actor::staff(&user),
    )
    .await
    .map_err(respond)
}

/// Copies the checked details read from a resume onto the person (`fields[]`: name, email,
/// phone, links, skills, history) and marks the proposal reviewed.
#[server]
pub async fn apply_resume_proposal(
    person_id: String,
    resume_id: String,
    #[server(default)] fields: Vec<String>,
) -> Result<Vec<String>, AppError> {
    let user = require_role(Role::uses_crm).await?;
    repo::apply_proposal(
        &state()?.db,
        &id("person", &person_id)?,
        &id("resume", &resume_id)?,
        &fields,
        &Actor::staff(&user),
    )
    .await
    .map_err(respond)
}
