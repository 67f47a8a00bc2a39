//! Board server functions.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth::guard::require_staff,
    crate::jobs::repo::{self as jobs_repo, JobRow},
    crate::server::activity::Actor,
    crate::server::db::id,
    crate::server::{respond, state},
};

#[cfg(feature = "ssr")]
async fn job_for_board(job_id: &str) -> Result<(JobRow, crate::auth::types::StaffUser), AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let job = jobs_repo::get(&st.db, &id(jobs_repo::TABLE, job_id)?)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    if !user.can_work_board(job.hiring_manager_key().as_deref()) {
        return Err(respond(AppError::Forbidden));
    }
    Ok((job, user))
}

/// The pipeline board of a job: its columns and every application as a card.
#[server]
pub async fn get_board(job_id: String) -> Result<Board, AppError> {
    let (job, _) = job_for_board(&job_id).await?;
    super::repo::board(&state()?.db, &job).await
}

/// Moves a card from column `from` to column `to` (a stage id, `@rejected` or `@withdrawn`).
#[server]
pub async fn move_card(
    job_id: String,
    application_id: String,
    from: String,
    to: String,
) -> Result<Card, AppError> {
    let (job, user) = job_for_board(&job_id).await?;
    let app = id("application", &application_id)?;
    super::repo::move_card(&state()?.db, &job, &app, &from, &to, &Actor::staff(&user))
        .await
        .map_err(respond)
}
