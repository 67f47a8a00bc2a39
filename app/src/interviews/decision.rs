//! The hiring decision after the debrief: advance to the next stage or reject, with a reason.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::access::{application_for, me},
    super::repo,
    crate::error::Checks,
    crate::server::activity::Actor,
    crate::server::state,
};

/// The stage after the application's current one.
#[cfg(feature = "ssr")]
pub(super) fn next_stage(ctx: &repo::AppContext) -> Option<&crate::jobs::repo::StageRow> {
    let i = ctx.stages.iter().position(|s| s.id == ctx.stage)?;
    ctx.stages.get(i + 1)
}

/// The hiring decision after the debrief: advance the candidate to the next stage, or reject
/// them, with the reason recorded (the job's hiring manager, recruiters, admins).
#[server]
pub async fn decide_application(
    application_id: String,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    let (user, ctx) = application_for(&application_id).await?;
    let mut checks = Checks::default();
    let reason = reason.trim().to_string();
    if decision != "advance" && decision != "reject" {
        checks.add("decision", "Choose advance or reject.");
    }
    if reason.chars().count() < 3 {
        checks.add("reason", "Say why: the team reads it later.");
    } else if reason.chars().count() > 2000 {
        checks.add("reason", "Keep the reason under 2,000 characters.");
    }
    checks.finish()?;
    if ctx.status != "active" {
        return Err(AppError::Conflict(
            "This application is already closed.".into(),
        ));
    }
    let db = &state()?.db;
    let job = crate::jobs::repo::get(db, &ctx.job)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = if decision == "advance" {
        next_stage(&ctx).map(|s| s.id.clone()).ok_or_else(|| {
            AppError::Conflict(
                "This is the job's last stage: there is nowhere to advance to.".into(),
            )
        })?
    } else {
        "@rejected".to_string()
    };
    let actor = Actor::staff(&user);
    crate::pipeline::repo::move_card(db, &job, &ctx.id, &ctx.stage, &to, &actor).await?;
    repo::record_decision(db, &ctx, &me(&user), &decision, &reason, &actor).await
}
