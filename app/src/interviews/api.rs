//! Structured hiring's server functions: each authorises its caller (role, then the object),
//! checks its input, then calls the repository.

// Form-shaped server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
// The plan, decision and working-hours functions live beside them; callers find every
// server function here.
pub use super::decision::*;
pub use super::hours::*;
pub use super::plans::*;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    super::access::{application_for, me},
    super::loops::*,
    super::{repo, slots},
    crate::auth::guard::{require_role, require_staff},
    crate::auth::types::{Role, StaffUser},
    crate::error::Checks,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::state,
};

/// An application's interviews, the job's plan, who can interview, and the debrief.
#[server]
pub async fn application_interviews(
    application_id: String,
) -> Result<InterviewsOfApplication, AppError> {
    let (user, ctx) = application_for(&application_id).await?;
    crate::audit::record_read(
        "application_interviews",
        vec![
            format!("application:{}", key(&ctx.id)),
            format!("person:{}", key(&ctx.person)),
        ],
    )
    .await?;
    let db = &state()?.db;
    let zone = repo::time_zone_of(db, &me(&user)).await?;
    let (interviews, debrief) = repo::of_application(db, &ctx.id, slots::zone(&zone)).await?;
    let job_plan = repo::in_stage_order(repo::plan_of(db, &ctx.job).await?, &ctx.stages);
    let can_schedule = user.role.manages_jobs() && ctx.status == "active";
    let staff = if can_schedule {
        repo::panel_choices(db)
            .await?
            .into_iter()
            .map(|s| StaffChoice {
                id: key(&s.id),
                time_zone: s.zone_name(),
                name: s.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let rooms = if can_schedule {
        repo::rooms(db, false)
            .await?
            .iter()
            .map(repo::RoomRow::to_wire)
            .collect()
    } else {
        Vec::new()
    };
    Ok(InterviewsOfApplication {
        application_id: key(&ctx.id),
        person_id: key(&ctx.person),
        person_name: ctx.person_name(),
        job_id: key(&ctx.job),
        job_title: ctx.job_title.clone(),
        stage_name: match ctx.status.as_str() {
            "rejected" => "Rejected".into(),
            "withdrawn" => "Withdrawn".into(),
            _ => ctx
                .stages
                .iter()
                .find(|s| s.id == ctx.stage)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        },
        plan: repo::plan_wire(&job_plan, &ctx.stages),
        interviews,
        staff,
        rooms,
        can_schedule,
        debrief,
        viewer_time_zone: zone,
        decisions: repo::decisions_of(db, &ctx).await?,
        can_decide: ctx.status == "active",
        next_stage_name: super::decision::next_stage(&ctx).map(|s| s.name.clone()),
    })
}

/// Times in the next two weeks when the whole panel works and is free (each panel for its own
/// interview, when a second one follows straight after).
#[server]
pub async fn propose_slots(
    application_id: String,
    plan_id: String,
    interviewers: Option<Vec<String>>,
    then_plan_id: Option<Vec<String>>,
    then_interviewers: Option<Vec<String>>,
    room_id: Option<String>,
) -> Result<Vec<Slot>, AppError> {
    require_role(Role::manages_jobs).await?;
    let (user, ctx) = application_for(&application_id).await?;
    let asked = loop_of(
        &ctx,
        &plan_id,
        interviewers,
        then_plan_id,
        then_interviewers,
        room_id,
    )
    .await?;
    let zone = repo::time_zone_of(&state()?.db, &me(&user)).await?;
    slots_for(
        &parts_of(&asked.interviews),
        asked.room.as_ref().map(|r| &r.id),
        Viewer::Recruiter {
            zone: &zone,
            candidate_zone: ctx.candidate_zone.as_deref(),
        },
        &[],
    )
    .await
}

/// Books the panel (or both panels of two interviews back to back, in one transaction) and
/// sends everyone a calendar invitation.
#[server]
pub async fn schedule_interview(
    application_id: String,
    plan_id: String,
    interviewers: Option<Vec<String>>,
    starts_at: String,
    then_plan_id: Option<Vec<String>>,
    then_interviewers: Option<Vec<String>>,
    room_id: Option<String>,
) -> Result<String, AppError> {
    require_role(Role::manages_jobs).await?;
    let (user, ctx) = application_for(&application_id).await?;
    if ctx.status != "active" {
        return Err(AppError::Conflict(
            "This application is closed: interviews can no longer be scheduled.".into(),
        ));
    }
    let asked = loop_of(
        &ctx,
        &plan_id,
        interviewers,
        then_plan_id,
        then_interviewers,
        room_id,
    )
    .await?;
    let start = start_time(&starts_at)?;
    let st = state()?;
    let zone = slots::zone(&repo::time_zone_of(&st.db, &me(&user)).await?);
    let ids = repo::schedule_loop(
        &st.db,
        &ctx,
        &asked.parts(),
        asked.room.as_ref(),
        start,
        &Actor::staff(&user),
        Some(me(&user)),
        zone,
        Some(repo::Mailing::of(&st)),
        None,
    )
    .await?;
    Ok(ids.into_iter().next().unwrap_or_default())
}

/// A scheduled interview a recruiter may change: its row and its panel.
#[cfg(feature = "ssr")]
async fn changeable(
    user: &StaffUser,
    interview_id: &str,
) -> Result<(repo::InterviewRow, Vec<repo::StaffRow>), AppError> {
    let db = &state()?.db;
    let iv = repo::interview_row(db, &id("interview", interview_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.can_work_board(iv.hiring_manager.as_ref().map(key).as_deref()) {
        return Err(AppError::Forbidden);
    }
    let panel = repo::staff_rows(db, &iv.interviewers).await?;
    Ok((iv, panel))
}

/// Free times to move an interview to (its own time counts as free).
#[server]
pub async fn reschedule_slots(interview_id: String) -> Result<RescheduleChoice, AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let (iv, panel) = changeable(&user, &interview_id).await?;
    let zone = repo::time_zone_of(&state()?.db, &me(&user)).await?;
    let slots = slots_for(
        &[(&panel, (iv.ends_at - iv.starts_at).num_minutes())],
        iv.room.as_ref(),
        Viewer::Recruiter {
            zone: &zone,
            candidate_zone: iv.candidate_zone.as_deref(),
        },
        std::slice::from_ref(&iv.id),
    )
    .await?;
    Ok(RescheduleChoice {
        interview_id: key(&iv.id),
        application_id: key(&iv.application),
        name: iv.name.clone(),
        when: slots::label(iv.starts_at, iv.ends_at, slots::zone(&zone)),
        sequence: iv.sequence,
        slots,
    })
}

/// Moves an interview to another time; everyone gets the updated invitation.
#[server]
pub async fn reschedule_interview(
    interview_id: String,
    starts_at: String,
    sequence: i64,
) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let (mut iv, panel) = changeable(&user, &interview_id).await?;
    let start = start_time(&starts_at)?;
    // The version the recruiter saw: a change made meanwhile is not silently overwritten.
    iv.sequence = sequence;
    let st = state()?;
    let zone = slots::zone(&repo::time_zone_of(&st.db, &me(&user)).await?);
    repo::reschedule(
        &st.db,
        &iv,
        &panel,
        start,
        &Actor::staff(&user),
        zone,
        Some(repo::Mailing::of(&st)),
    )
    .await
}

/// Cancels an interview; everyone gets the calendar cancellation.
#[server]
pub async fn cancel_interview(interview_id: String) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let (iv, panel) = changeable(&user, &interview_id).await?;
    let st = state()?;
    let zone = slots::zone(&repo::time_zone_of(&st.db, &me(&user)).await?);
    repo::cancel(
        &st.db,
        &iv,
        &panel,
        &Actor::staff(&user),
        zone,
        Some(repo::Mailing::of(&st)),
    )
    .await
}

/// The interviews the caller sits on: scorecards to write, upcoming, done.
#[server]
pub async fn my_interviews() -> Result<MyInterviewList, AppError> {
    let user = require_staff().await?;
    let db = &state()?.db;
    let me = me(&user);
    let zone = slots::zone(&repo::time_zone_of(db, &me).await?);
    repo::mine(db, &me, chrono::Utc::now(), zone).await
}

/// May `user` open this interview? Its panel, recruiters and admins, the job's hiring manager.
/// Returns whether they oversee the job (and so see every scorecard).
#[cfg(feature = "ssr")]
fn interview_access(user: &StaffUser, iv: &repo::InterviewRow) -> Result<bool, AppError> {
    let oversees = user.can_work_board(iv.hiring_manager.as_ref().map(key).as_deref());
    let on_panel = iv.interviewers.iter().any(|s| key(s) == user.id);
    if oversees || on_panel {
        Ok(oversees)
    } else {
        Err(AppError::Forbidden)
    }
}

/// One interview: the kit, what the interviewer needs of the candidate, their scorecard, and
/// the others' once theirs is submitted.
#[server]
pub async fn get_interview(interview_id: String) -> Result<InterviewDetail, AppError> {
    let user = require_staff().await?;
    let db = &state()?.db;
    let row = repo::interview_row(db, &id("interview", &interview_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let oversees = interview_access(&user, &row)?;
    crate::audit::record_read(
        "get_interview",
        vec![
            format!("interview:{interview_id}"),
            format!("person:{}", key(&row.person)),
        ],
    )
    .await?;
    let zone = slots::zone(&repo::time_zone_of(db, &me(&user)).await?);
    let bits = repo::candidate(db, &row.person).await?;
    let resume = repo::resume_for(db, &row.application, &row.person).await?;
    let (interview, cards, row) = repo::detail(db, row, zone).await?;
    let mine = cards
        .iter()
        .find(|c| key(&c.interviewer) == user.id)
        .map(|c| c.to_wire());
    let others: Vec<Scorecard> = cards
        .iter()
        .filter(|c| key(&c.interviewer) != user.id)
        .map(|c| c.to_wire())
        .collect();
    let others_submitted = others
        .iter()
        .filter(|c| c.status == CardStatus::Submitted)
        .count();
    let visible = sees_others(oversees, mine.as_ref().map(|m| m.status));
    Ok(InterviewDetail {
        resume_url: resume.map(|_| format!("/app/interviews/{}/resume", interview.id)),
        interview,
        attributes: row.attributes,
        questions: row.questions,
        guidance: row.guidance,
        candidate_headline: bits.headline,
        candidate_skills: bits.skills,
        mine,
        // Only submitted scorecards are ever shown to others: a draft is the writer's own.
        others: visible.then(|| {
            others
                .into_iter()
                .filter(|c| c.status == CardStatus::Submitted)
                .collect()
        }),
        others_submitted,
    })
}

/// Saves the caller's scorecard: `intent` "draft" keeps it editable, "submit" makes it final
/// (and needs every attribute rated and a recommendation). `ratings` maps "a0", "a1", … (the
/// attributes in order) to 1–4.
#[server]
pub async fn save_scorecard(
    interview_id: String,
    ratings: Option<BTreeMap<String, String>>,
    notes: String,
    recommendation: Option<String>,
    intent: String,
) -> Result<(), AppError> {
    let user = require_staff().await?;
    let db = &state()?.db;
    let row = repo::interview_row(db, &id("interview", &interview_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !row.interviewers.iter().any(|s| key(s) == user.id) {
        return Err(AppError::Forbidden);
    }
    if row.status != "scheduled" {
        return Err(AppError::Conflict("This interview was cancelled.".into()));
    }
    let submit = match intent.as_str() {
        "submit" => true,
        "draft" => false,
        _ => return Err(AppError::invalid("intent", "Save a draft or submit.")),
    };
    let ratings = ratings.unwrap_or_default();
    let mut c = Checks::new();
    let values: Vec<i64> = (0..row.attributes.len())
        .map(|i| {
            ratings
                .get(&format!("a{i}"))
                .and_then(|v| Rating::parse(v))
                .map(|r| r as i64)
                .unwrap_or(0)
        })
        .collect();
    if ratings
        .values()
        .any(|v| !v.is_empty() && Rating::parse(v).is_none())
    {
        c.add(
            "ratings",
            "Ratings go from 1 (strong no) to 4 (strong yes).",
        );
    }
    let rec = recommendation
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|r| Rating::parse(r).ok_or(()))
        .transpose();
    let rec = match rec {
        Ok(r) => r,
        Err(()) => {
            c.add("recommendation", "Choose a recommendation.");
            None
        }
    };
    if submit {
        if values.contains(&0) {
            c.add("ratings", "Rate every attribute before submitting.");
        }
        if rec.is_none() {
            c.add("recommendation", "Choose your overall recommendation.");
        }
    }
    let notes = notes.trim().to_string();
    if notes.chars().count() > 10_000 {
        c.add("notes", "Keep notes under 10,000 characters.");
    }
    c.finish()?;
    repo::save_card(
        db,
        &row,
        &me(&user),
        values,
        notes,
        rec.map(|r| r as i64).unwrap_or(0),
        submit,
        &Actor::staff(&user),
    )
    .await
}

/// `GET /app/interviews/{id}/resume`: the candidate's resume, for the interview's panel (and
/// whoever oversees the job).
#[cfg(feature = "ssr")]
pub async fn download_resume(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    axum::extract::Path(interview_id): axum::extract::Path<String>,
    headers: http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    let user = crate::auth::guard::staff_from_headers(&st, &headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let row = repo::interview_row(&st.db, &id("interview", &interview_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    interview_access(&user, &row)?;
    let resume = repo::resume_for(&st.db, &row.application, &row.person)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::people::api::resume_response(&st.db, &resume).await
}
