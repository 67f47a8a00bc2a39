//! The server functions of each job's interview plan: read, add, remove, copy.

// Form-shaped server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::require_role,
    crate::auth::types::{Role, StaffUser},
    crate::error::Checks,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::state,
};

/// The job, if the caller may work on it (recruiters and admins: every job; a hiring manager:
/// their own).
#[cfg(feature = "ssr")]
async fn job_for(user: &StaffUser, job_id: &str) -> Result<crate::jobs::repo::JobRow, AppError> {
    let job = crate::jobs::repo::get(&state()?.db, &id("job", job_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.can_work_board(job.hiring_manager_key().as_deref()) {
        return Err(AppError::Forbidden);
    }
    Ok(job)
}

/// A job's interview plan (recruiters, admins, the job's hiring manager).
#[server]
pub async fn get_plan(job_id: String) -> Result<JobPlan, AppError> {
    let user = require_role(Role::sees_jobs).await?;
    let job = job_for(&user, &job_id).await?;
    let db = &state()?.db;
    let rows = repo::in_stage_order(repo::plan_of(db, &job.id).await?, &job.stages);
    Ok(JobPlan {
        job_id: key(&job.id),
        job_title: job.title.clone(),
        stages: job
            .stages
            .iter()
            .filter(|s| s.kind != "hired")
            .map(|s| StageChoice {
                id: s.id.clone(),
                name: s.name.clone(),
            })
            .collect(),
        interviews: repo::plan_wire(&rows, &job.stages),
        copy_from: if user.role.manages_jobs() {
            repo::jobs_with_plans(db, &job.id).await?
        } else {
            Vec::new()
        },
        can_edit: user.role.manages_jobs(),
    })
}

/// Adds an interview with its kit to a job's plan.
#[server]
pub async fn add_plan_interview(
    job_id: String,
    stage: String,
    name: String,
    duration_min: String,
    format: String,
    location: String,
    attributes: String,
    questions: String,
    guidance: String,
) -> Result<String, AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let job = job_for(&user, &job_id).await?;
    let mut c = Checks::new();
    if !job
        .stages
        .iter()
        .any(|s| s.id == stage && s.kind != "hired")
    {
        c.add("stage", "Choose a stage of this job.");
    }
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 120 {
        c.add("name", "Name the interview (up to 120 characters).");
    }
    let duration = c.check(
        "duration_min",
        duration_min
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| {
                (MIN_DURATION_MIN..=MAX_DURATION_MIN).contains(d) && d % repo::BLOCK_MIN as u32 == 0
            })
            .ok_or_else(|| {
                "Enter minutes between 15 and 480, in steps of 5 (for example 45).".to_string()
            }),
    );
    let format = c.check(
        "format",
        Format::parse(&format).ok_or_else(|| "Choose video, phone or on site.".to_string()),
    );
    let location = location.trim().to_string();
    if location.chars().count() > 500 {
        c.add("location", "Keep the location under 500 characters.");
    } else if format == Some(Format::Video)
        && !location.is_empty()
        && !(location.starts_with("https://") || location.starts_with("http://"))
    {
        c.add("location", "Enter the video link, starting with https://.");
    }
    let attributes = lines(&attributes);
    if attributes.is_empty() {
        c.add(
            "attributes",
            "Add at least one focus attribute to rate, one per line.",
        );
    } else if attributes.len() > MAX_ATTRIBUTES || attributes.iter().any(|a| a.chars().count() > 80)
    {
        c.add(
            "attributes",
            "Up to 12 attributes, each under 80 characters.",
        );
    }
    let questions = lines(&questions);
    if questions.len() > 20 || questions.iter().any(|q| q.chars().count() > 500) {
        c.add(
            "questions",
            "Up to 20 questions, each under 500 characters.",
        );
    }
    let guidance = guidance.trim().to_string();
    if guidance.chars().count() > 2000 {
        c.add("guidance", "Keep the guidance under 2,000 characters.");
    }
    c.finish()?;
    let (Some(duration), Some(format)) = (duration, format) else {
        return Err(AppError::Internal);
    };
    repo::add_plan_interview(
        &state()?.db,
        &job.id,
        repo::PlanInput {
            stage,
            name,
            duration_min: duration as i64,
            format: format.as_str().into(),
            location,
            attributes,
            questions,
            guidance,
        },
        &Actor::staff(&user),
    )
    .await
}

/// Removes an interview from a plan (interviews already scheduled keep their kit).
#[server]
pub async fn remove_plan_interview(plan_id: String) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let db = &state()?.db;
    let row = repo::plan_row(db, &id("plan_interview", &plan_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::remove_plan_interview(db, &row, &Actor::staff(&user)).await
}

/// Copies another job's plan into this one (for the stages both have).
#[server]
pub async fn copy_plan(job_id: String, from_job_id: String) -> Result<usize, AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let job = job_for(&user, &job_id).await?;
    let db = &state()?.db;
    let from = crate::jobs::repo::get(db, &id("job", &from_job_id)?)
        .await?
        .ok_or_else(|| AppError::invalid("from_job_id", "Choose a job to copy from."))?;
    if from.id == job.id {
        return Err(AppError::invalid("from_job_id", "Choose another job."));
    }
    let n = repo::copy_plan(db, &from.id, &job.id, &job.stages, &Actor::staff(&user)).await?;
    if n == 0 {
        return Err(AppError::invalid(
            "from_job_id",
            "That job has no interviews in stages this job has.",
        ));
    }
    Ok(n)
}
