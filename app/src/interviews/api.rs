//! Structured hiring's server functions: each authorises its caller (role, then the object),
//! checks its input, then calls the repository.

// Form-shaped server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    super::{repo, slots},
    crate::auth::guard::{require_role, require_staff},
    crate::auth::types::{Role, StaffUser},
    crate::error::Checks,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::state,
    surrealdb::types::RecordId,
};

#[cfg(feature = "ssr")]
fn me(user: &StaffUser) -> RecordId {
    RecordId::new("staff", user.id.as_str())
}

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

/// The application, if the caller may see its interviews (recruiters, admins, the job's
/// hiring manager). The role is checked before the application is looked up.
#[cfg(feature = "ssr")]
pub(super) async fn application_for(
    application_id: &str,
) -> Result<(StaffUser, repo::AppContext), AppError> {
    let user = require_role(Role::sees_jobs).await?;
    let ctx = repo::application(&state()?.db, &id("application", application_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.can_work_board(ctx.hiring_manager_key().as_deref()) {
        return Err(AppError::Forbidden);
    }
    Ok((user, ctx))
}

/// An application's interviews, the job's plan, who can interview, and the debrief.
#[server]
pub async fn application_interviews(
    application_id: String,
) -> Result<InterviewsOfApplication, AppError> {
    let (user, ctx) = application_for(&application_id).await?;
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
        can_schedule,
        debrief,
        viewer_time_zone: zone,
        decisions: repo::decisions_of(db, &ctx).await?,
        can_decide: ctx.status == "active",
        next_stage_name: next_stage(&ctx).map(|s| s.name.clone()),
    })
}

/// The stage after the application's current one.
#[cfg(feature = "ssr")]
fn next_stage(ctx: &repo::AppContext) -> Option<&crate::jobs::repo::StageRow> {
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

/// The panel, checked: 1 to 6 active staff, no one twice.
#[cfg(feature = "ssr")]
pub(super) async fn panel_of(ids: Option<Vec<String>>) -> Result<Vec<repo::StaffRow>, AppError> {
    let mut ids = ids.unwrap_or_default();
    ids.sort();
    ids.dedup();
    if ids.is_empty() || ids.len() > 6 {
        return Err(AppError::invalid(
            "interviewers",
            "Choose who interviews (one to six people).",
        ));
    }
    let records = ids
        .iter()
        .map(|i| id("staff", i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::invalid("interviewers", "Choose interviewers from the list."))?;
    let rows = repo::staff_rows(&state()?.db, &records).await?;
    if rows.len() != records.len() {
        return Err(AppError::invalid(
            "interviewers",
            "Choose interviewers from the list.",
        ));
    }
    Ok(rows)
}

#[cfg(feature = "ssr")]
pub(super) async fn plan_for(
    ctx: &repo::AppContext,
    plan_id: &str,
) -> Result<repo::PlanRow, AppError> {
    let plan = repo::plan_row(&state()?.db, &id("plan_interview", plan_id)?)
        .await?
        .filter(|p| p.job == ctx.job)
        .ok_or_else(|| AppError::invalid("plan_id", "Choose an interview of this job's plan."))?;
    Ok(plan)
}

/// Free times for `panel`, each labelled in the viewer's zone and, where they differ, in each
/// panelist's and the candidate's.
#[cfg(feature = "ssr")]
async fn slots_for(
    panel: &[repo::StaffRow],
    duration_min: i64,
    viewer_zone: &str,
    candidate_zone: Option<&str>,
    except: Option<&RecordId>,
) -> Result<Vec<Slot>, AppError> {
    let db = &state()?.db;
    let zone = slots::zone(viewer_zone);
    let rules = slots::Rules {
        limit: 40,
        ..Default::default()
    };
    let starts = repo::propose(db, panel, duration_min, chrono::Utc::now(), &rules, except).await?;
    let duration = chrono::Duration::minutes(duration_min);
    Ok(starts
        .into_iter()
        .map(|t| Slot {
            starts_at: t.to_rfc3339(),
            label: slots::label(t, t + duration, zone),
            elsewhere: panel
                .iter()
                .filter(|p| p.zone_name() != viewer_zone)
                .map(|p| (p.name.clone(), p.zone_name()))
                .chain(
                    candidate_zone
                        .filter(|z| *z != viewer_zone)
                        .map(|z| ("Candidate".to_string(), z.to_string())),
                )
                .map(|(who, z)| format!("{who}: {}", slots::short_label(t, slots::zone(&z))))
                .collect(),
        })
        .collect())
}

/// Times in the next two weeks when the whole panel works and is free.
#[server]
pub async fn propose_slots(
    application_id: String,
    plan_id: String,
    interviewers: Option<Vec<String>>,
) -> Result<Vec<Slot>, AppError> {
    require_role(Role::manages_jobs).await?;
    let (user, ctx) = application_for(&application_id).await?;
    let plan = plan_for(&ctx, &plan_id).await?;
    let panel = panel_of(interviewers).await?;
    let zone = repo::time_zone_of(&state()?.db, &me(&user)).await?;
    slots_for(
        &panel,
        plan.duration_min,
        &zone,
        ctx.candidate_zone.as_deref(),
        None,
    )
    .await
}

/// A time the caller chose: in the future, on a five-minute mark.
#[cfg(feature = "ssr")]
pub(super) fn start_time(starts_at: &str) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let start = chrono::DateTime::parse_from_rfc3339(starts_at.trim())
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|_| AppError::invalid("starts_at", "Choose a time."))?;
    use chrono::Timelike;
    if start.second() != 0 || start.minute() as i64 % repo::BLOCK_MIN != 0 {
        return Err(AppError::invalid(
            "starts_at",
            "Interviews start on a multiple of five minutes.",
        ));
    }
    if start <= chrono::Utc::now() {
        return Err(AppError::invalid(
            "starts_at",
            "Choose a time in the future.",
        ));
    }
    Ok(start)
}

/// Books the panel and sends everyone a calendar invitation.
#[server]
pub async fn schedule_interview(
    application_id: String,
    plan_id: String,
    interviewers: Option<Vec<String>>,
    starts_at: String,
) -> Result<String, AppError> {
    require_role(Role::manages_jobs).await?;
    let (user, ctx) = application_for(&application_id).await?;
    if ctx.status != "active" {
        return Err(AppError::Conflict(
            "This application is closed: interviews can no longer be scheduled.".into(),
        ));
    }
    let plan = plan_for(&ctx, &plan_id).await?;
    let panel = panel_of(interviewers).await?;
    let start = start_time(&starts_at)?;
    let st = state()?;
    let zone = slots::zone(&repo::time_zone_of(&st.db, &me(&user)).await?);
    repo::schedule(
        &st.db,
        &ctx,
        &plan,
        &panel,
        start,
        &Actor::staff(&user),
        Some(me(&user)),
        zone,
        Some(repo::Mailing::of(&st)),
        None,
    )
    .await
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
        &panel,
        (iv.ends_at - iv.starts_at).num_minutes(),
        &zone,
        iv.candidate_zone.as_deref(),
        Some(&iv.id),
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

/// The caller's time zone and working day.
#[server]
pub async fn my_working_hours() -> Result<WorkingHours, AppError> {
    let user = require_staff().await?;
    let db = &state()?.db;
    let row = repo::staff_rows(db, &[me(&user)])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let a = row.availability();
    let feed = repo::feed_status(db, &me(&user)).await?;
    let zone = slots::zone(&row.zone_name());
    Ok(WorkingHours {
        busy_feed_url: feed.busy_feed_url.clone().unwrap_or_default(),
        busy_feed_status: feed.busy_feed_url.as_ref().map(|_| {
            match (&feed.busy_feed_error, feed.busy_feed_checked_at) {
                (Some(e), _) => format!("Last read failed: {e}"),
                (None, Some(at)) => format!(
                    "Read {}: {} busy times in the next weeks.",
                    slots::short_label(at, zone),
                    feed.busy_feed_events.unwrap_or(0)
                ),
                (None, None) => "Not read yet.".into(),
            }
        }),
        time_zone: row.zone_name(),
        start: hhmm(a.day_start_min),
        end: hhmm(a.day_end_min),
        zones: chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name().to_string())
            .filter(|z| z.contains('/') && !z.starts_with("Etc/"))
            .collect(),
    })
}

/// Sets the caller's time zone and working day: interviews are only proposed inside it.
#[server]
pub async fn save_working_hours(
    time_zone: String,
    start: String,
    end: String,
    busy_feed_url: Option<String>,
) -> Result<(), AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let mut c = Checks::new();
    let feed = busy_feed_url.as_deref().map(str::trim).unwrap_or("");
    // Calendars hand out webcal:// addresses: the same file over https.
    let feed = match feed.strip_prefix("webcal://") {
        Some(rest) => format!("https://{rest}"),
        None => feed.to_string(),
    };
    let http_ok = st.config.busy_feed_allow_http && feed.starts_with("http://");
    if !(feed.is_empty() || feed.starts_with("https://") || http_ok) {
        c.add(
            "busy_feed_url",
            "Paste your calendar's address: it starts with https:// or webcal://.",
        );
    } else if feed.len() > 2000 || feed.chars().any(char::is_whitespace) {
        c.add("busy_feed_url", "That is not a calendar address.");
    }
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        c.add("time_zone", "Choose a time zone from the list.");
    }
    let from = c.check(
        "start",
        parse_hhmm(&start).ok_or_else(|| "Enter a time like 09:00.".to_string()),
    );
    let to = c.check(
        "end",
        parse_hhmm(&end).ok_or_else(|| "Enter a time like 17:30.".to_string()),
    );
    if let (Some(a), Some(b)) = (from, to)
        && b < a + 60
    {
        c.add("end", "The day ends at least an hour after it starts.");
    }
    c.finish()?;
    let (Some(a), Some(b)) = (from, to) else {
        return Err(AppError::Internal);
    };
    let staff = me(&user);
    repo::set_working_hours(&st.db, &staff, &time_zone, a, b).await?;
    repo::set_feed(&st.db, &staff, (!feed.is_empty()).then_some(feed.as_str())).await?;
    if !feed.is_empty() {
        // Read at once, so a wrong address is reported now rather than in a quarter of an hour.
        super::feeds::refresh_one(&st, &staff, &feed, &time_zone)
            .await
            .map_err(|e| AppError::invalid("busy_feed_url", e))?;
    }
    Ok(())
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
