//! Job server functions: staff management and the public read side.

// Server functions take one argument per form field, so the job form makes for long lists.
#![allow(clippy::too_many_arguments)]

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::{require_role, require_staff},
    crate::auth::types::Role,
    crate::server::activity::Actor,
    crate::server::db::id,
    crate::server::state,
    surrealdb::types::RecordId,
};

/// Jobs the caller may see: all for recruiters and admins, their own for hiring managers.
#[server]
pub async fn list_jobs() -> Result<Vec<JobSummary>, AppError> {
    let user = require_role(Role::sees_jobs).await?;
    let st = state()?;
    let only = (!user.role.manages_jobs()).then(|| RecordId::new("staff", user.id.as_str()));
    repo::list(&st.db, only).await
}

/// One job for staff (hiring managers only for their own jobs).
#[server]
pub async fn get_job(job_id: String) -> Result<JobDetail, AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let job = repo::get(&st.db, &id(repo::TABLE, &job_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.can_work_board(job.hiring_manager_key().as_deref()) {
        return Err(AppError::Forbidden);
    }
    Ok(job.to_detail())
}

/// People who can be chosen as hiring manager.
#[server]
pub async fn hiring_manager_options() -> Result<Vec<StaffOption>, AppError> {
    require_role(Role::manages_jobs).await?;
    repo::hiring_manager_options(&state()?.db).await
}

#[cfg(feature = "ssr")]
async fn check_people(input: &JobInput) -> Result<(), AppError> {
    let options = repo::hiring_manager_options(&state()?.db).await?;
    let mut c = crate::error::Checks::new();
    if let Some(hm) = &input.hiring_manager
        && !options.iter().any(|o| &o.id == hm)
    {
        c.add("hiring_manager", "Choose a hiring manager from the list.");
    }
    if input
        .approvers
        .iter()
        .any(|a| !options.iter().any(|o| &o.id == a))
    {
        c.add("approvers", "Choose approvers from the list.");
    }
    c.finish()
}

/// Creates a draft job (a requisition) with the default pipeline and opens its page.
#[server]
pub async fn create_job(
    title: String,
    department: String,
    location: String,
    remote: Option<String>,
    employment_type: String,
    description: String,
    hiring_manager: String,
    #[server(default)] headcount: String,
    #[server(default)] target_start: String,
    #[server(default)] salary_min: String,
    #[server(default)] salary_max: String,
    #[server(default)] salary_currency: String,
    #[server(default)] salary_period: String,
    #[server(default)] valid_through: String,
    #[server(default)] approvers: Vec<String>,
) -> Result<String, AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let input = JobInput::parse(&JobForm {
        title,
        department,
        location,
        remote,
        employment_type,
        description,
        hiring_manager,
        headcount,
        target_start,
        salary_min,
        salary_max,
        salary_currency,
        salary_period,
        valid_through,
        approvers,
    })?;
    check_people(&input).await?;
    let st = state()?;
    let id = repo::create(&st.db, &input, &Actor::staff(&user)).await?;
    let key = crate::server::db::key(&id);
    leptos_axum::redirect(&format!("/app/jobs/{key}"));
    Ok(key)
}

/// Saves the job form. Headcount, salary and approvers are locked while approval is pending or
/// granted.
#[server]
pub async fn update_job(
    job_id: String,
    title: String,
    department: String,
    location: String,
    remote: Option<String>,
    employment_type: String,
    description: String,
    hiring_manager: String,
    #[server(default)] headcount: String,
    #[server(default)] target_start: String,
    #[server(default)] salary_min: String,
    #[server(default)] salary_max: String,
    #[server(default)] salary_currency: String,
    #[server(default)] salary_period: String,
    #[server(default)] valid_through: String,
    #[server(default)] approvers: Vec<String>,
) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let input = JobInput::parse(&JobForm {
        title,
        department,
        location,
        remote,
        employment_type,
        description,
        hiring_manager,
        headcount,
        target_start,
        salary_min,
        salary_max,
        salary_currency,
        salary_period,
        valid_through,
        approvers,
    })?;
    check_people(&input).await?;
    let st = state()?;
    repo::update(
        &st.db,
        &id(repo::TABLE, &job_id)?,
        &input,
        &Actor::staff(&user),
    )
    .await
}

/// The job's activity (creation, edits, approvals, publishing), newest first.
#[server]
pub async fn job_activity(
    job_id: String,
) -> Result<Vec<crate::people::types::ProfileEntry>, AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let job_ref = id(repo::TABLE, &job_id)?;
    let job = repo::get(&st.db, &job_ref)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.can_work_board(job.hiring_manager_key().as_deref()) {
        return Err(AppError::Forbidden);
    }
    repo::activity(&st.db, &job_ref).await
}

/// Publishes (`open`), closes (`closed`) or un-publishes (`draft`) a job.
#[server]
pub async fn set_job_status(job_id: String, status: String) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let status = JobStatus::parse(&status)
        .ok_or_else(|| AppError::invalid("status", "Unknown job status."))?;
    let st = state()?;
    let job_ref = id(repo::TABLE, &job_id)?;
    let job = repo::get(&st.db, &job_ref)
        .await?
        .ok_or(AppError::NotFound)?;
    if job.status() == status {
        return Ok(());
    }
    repo::set_status(&st.db, &job_ref, status, &Actor::staff(&user)).await
}

/// Open jobs for the public careers page.
#[server]
pub async fn list_open_jobs() -> Result<Vec<PublicJob>, AppError> {
    let st = state()?;
    Ok(repo::list_open(&st.db)
        .await?
        .iter()
        .map(|j| j.to_public())
        .collect())
}

/// One open job for the public careers page (closed and draft jobs are not found), with its
/// schema.org `JobPosting` JSON-LD.
#[server]
pub async fn get_public_job(job_id: String) -> Result<PublicJob, AppError> {
    let st = state()?;
    match repo::get(&st.db, &id(repo::TABLE, &job_id)?).await? {
        Some(job) if job.status() == JobStatus::Open => {
            let mut p = job.to_public();
            p.json_ld = super::feeds::script_safe_json(&super::feeds::job_posting(
                &job,
                &st.config.company_name,
                &st.config.public_url,
            ));
            Ok(p)
        }
        _ => Err(AppError::NotFound),
    }
}
