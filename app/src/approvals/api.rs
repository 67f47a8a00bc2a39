//! Approval server functions: request, decide in the app, decide from a signed link.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{notify, repo},
    crate::auth::guard::{require_role, require_staff},
    crate::auth::types::Role,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::security::{TokenError, now_unix},
    crate::server::{AppState, state},
    surrealdb::types::RecordId,
};

/// Sends the requisition to its approval chain (the first approver is notified).
#[server]
pub async fn request_approval(job_id: String) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let st = state()?;
    let job = crate::jobs::repo::get(&st.db, &id("job", &job_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let first = repo::request(&st.db, &job, &Actor::staff(&user)).await?;
    notify::notify_approver(&st, &first).await
}

/// Takes back a pending (or granted, not yet published) approval so the requisition can change.
#[server]
pub async fn withdraw_approval(job_id: String) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let st = state()?;
    repo::withdraw(&st.db, &id("job", &job_id)?, &Actor::staff(&user)).await
}

/// The current round's steps of a job.
#[server]
pub async fn approval_steps(job_id: String) -> Result<Vec<ApprovalStep>, AppError> {
    let user = require_role(|r| r.sees_jobs()).await?;
    let st = state()?;
    let job = id("job", &job_id)?;
    if !user.role.manages_jobs() {
        // A hiring manager sees the approvals of their own jobs only.
        let theirs = crate::jobs::repo::get(&st.db, &job)
            .await?
            .is_some_and(|j| j.hiring_manager_key().as_deref() == Some(user.id.as_str()));
        if !theirs {
            return Err(AppError::Forbidden);
        }
    }
    Ok(repo::latest_round(&st.db, &job)
        .await?
        .iter()
        .map(|s| s.to_step())
        .collect())
}

/// Decisions waiting for the signed-in staff member.
#[server]
pub async fn my_approvals() -> Result<Vec<PendingApproval>, AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let me = RecordId::new("staff", user.id.as_str());
    let mut out = Vec::new();
    for s in repo::inbox(&st.db, &me).await? {
        let of = match &s.offer {
            Some(o) => repo::offer_round(&st.db, o).await?.len(),
            None => repo::latest_round(&st.db, &s.job).await?.len(),
        } as i64;
        let Some(d) = notify::describe(&st, &s).await? else {
            continue;
        };
        out.push(PendingApproval {
            id: key(&s.id),
            job_id: key(&s.job),
            job_title: d.title,
            href: d.href,
            is_offer: s.offer.is_some(),
            requested_by: s.requested_by.clone(),
            summary: d.summary,
            position: s.position + 1,
            of,
        });
    }
    Ok(out)
}

#[cfg(feature = "ssr")]
async fn decide_and_notify(
    st: &AppState,
    step: &RecordId,
    approve: bool,
    reason: String,
    via: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    let decided = repo::decide(&st.db, step, approve, Some(reason), via, actor).await?;
    notify::after_decision(st, &decided).await
}

/// The signed-in approver decides (`decision` is `approve` or `reject`; rejecting needs a reason).
#[server]
pub async fn decide_approval(
    approval_id: String,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let step_id = id("approval", &approval_id)?;
    let step = repo::step(&st.db, &step_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if key(&step.approver) != user.id {
        return Err(AppError::Forbidden);
    }
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(AppError::invalid("decision", "Choose approve or reject."));
        }
    };
    decide_and_notify(&st, &step_id, approve, reason, "app", &Actor::staff(&user)).await
}

#[cfg(feature = "ssr")]
fn read_link(st: &AppState, token: &str) -> Result<(RecordId, bool), AppError> {
    let subject = st.keys.verify(token, "approval", now_unix()).map_err(|e| {
        match e {
            TokenError::Expired => AppError::Gone(
                "This approval link has expired. Open Acme Hiring to decide, or ask for a new request.".into(),
            ),
            _ => AppError::Forbidden,
        }
    })?;
    let (step, decision) = subject.split_once(':').ok_or(AppError::Forbidden)?;
    let approve = match decision {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::Forbidden),
    };
    Ok((id("approval", step)?, approve))
}

/// What a signed approval link is about (shown before the approver confirms).
#[server]
pub async fn approval_link_info(token: String) -> Result<LinkInfo, AppError> {
    let st = state()?;
    let (step_id, approve) = read_link(&st, &token)?;
    let s = repo::step(&st.db, &step_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let viewer = match crate::auth::guard::current_staff().await? {
        None => LinkViewer::SignedOut,
        Some(u) if u.id == key(&s.approver) => LinkViewer::Approver,
        Some(u) => LinkViewer::Other(u.name),
    };
    let d = notify::describe(&st, &s).await?.ok_or(AppError::NotFound)?;
    Ok(LinkInfo {
        viewer,
        job_title: d.title,
        subject: d.noun.to_string(),
        approver_name: s.approver_name.clone(),
        summary: d.summary,
        decision: if approve {
            "approve".into()
        } else {
            "reject".into()
        },
        open: s.status == "pending",
        status: s.status.clone(),
    })
}

/// Decides through a signed link. Works once: afterwards the step is no longer pending. The
/// link is not a bearer token: links travel through Slack channels and forwarded mail, so only
/// the approver, signed in, may decide with it.
#[server]
pub async fn decide_by_link(token: String, reason: String) -> Result<(), AppError> {
    let st = state()?;
    let (step_id, approve) = read_link(&st, &token)?;
    let s = repo::step(&st.db, &step_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = require_staff().await?;
    if user.id != key(&s.approver) {
        return Err(AppError::Forbidden);
    }
    decide_and_notify(&st, &step_id, approve, reason, "link", &Actor::staff(&user)).await
}
