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
    super::{repo, slots},
    crate::auth::guard::{require_role, require_staff},
    crate::auth::types::{Role, StaffUser},
    crate::error::Checks,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::state,
    surrealdb::types::RecordId,
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

/// Who looks at free times: a recruiter sees each panelist's (and the candidate's) own time
/// beside theirs, where the zones differ; a candidate sees only theirs.
#[cfg(feature = "ssr")]
pub(super) enum Viewer<'a> {
    Recruiter {
        zone: &'a str,
        candidate_zone: Option<&'a str>,
    },
    Candidate {
        zone: &'a str,
    },
}

/// The company's scheduling rules (`ATS_SCHEDULING_*`), stopping after `limit` times.
#[cfg(feature = "ssr")]
pub(super) fn rules(limit: usize) -> Result<slots::Rules, AppError> {
    let s = state()?.config.scheduling;
    Ok(slots::Rules {
        notice: chrono::Duration::hours(s.notice_hours),
        days: s.window_days,
        buffer: chrono::Duration::minutes(s.buffer_minutes),
        limit,
        ..Default::default()
    })
}

/// How many times a candidate is offered on each day of the window.
#[cfg(feature = "ssr")]
const CANDIDATE_TIMES_PER_DAY: usize = 8;

/// Free times for interviews back to back, each a panel and a length in minutes (one part for a
/// single interview), labelled for `viewer` with the whole stretch: for a recruiter the first
/// 60; for a candidate a few on every free day of the window (`CANDIDATE_TIMES_PER_DAY`).
#[cfg(feature = "ssr")]
pub(super) async fn slots_for(
    parts: &[(&[repo::StaffRow], i64)],
    room: Option<&RecordId>,
    viewer: Viewer<'_>,
    except: &[RecordId],
) -> Result<Vec<Slot>, AppError> {
    let db = &state()?.db;
    let candidate = matches!(viewer, Viewer::Candidate { .. });
    let rules = rules(if candidate { 2000 } else { 60 })?;
    let mut starts = repo::propose(db, parts, room, chrono::Utc::now(), &rules, except).await?;
    let mut people: Vec<&repo::StaffRow> = Vec::new();
    for p in parts.iter().flat_map(|(panel, _)| panel.iter()) {
        if !people.iter().any(|q| q.id == p.id) {
            people.push(p);
        }
    }
    let (viewer_zone, others): (&str, Vec<(String, String)>) = match viewer {
        Viewer::Candidate { zone } => (zone, Vec::new()),
        Viewer::Recruiter {
            zone,
            candidate_zone,
        } => (
            zone,
            people
                .iter()
                .map(|p| (p.name.clone(), p.zone_name()))
                .chain(candidate_zone.map(|z| ("Candidate".to_string(), z.to_string())))
                .filter(|(_, z)| z != zone)
                .collect(),
        ),
    };
    let tz = slots::zone(viewer_zone);
    if candidate {
        starts = slots::spread_per_day(&starts, tz, CANDIDATE_TIMES_PER_DAY);
    }
    let duration = chrono::Duration::minutes(parts.iter().map(|(_, m)| m).sum());
    Ok(starts
        .into_iter()
        .map(|t| Slot {
            starts_at: t.to_rfc3339(),
            label: slots::label(t, t + duration, tz),
            elsewhere: others
                .iter()
                .map(|(who, z)| format!("{who}: {}", slots::short_label(t, slots::zone(z))))
                .collect(),
        })
        .collect())
}

/// The most interviews one loop holds.
#[cfg(feature = "ssr")]
pub(super) const MAX_LOOP: usize = 4;

/// The interviews a recruiter books in one go: the first, then any others straight after it
/// (`then_plan_id`, in order, each with its own panel), and the room. Checked against the job's
/// plan, the staff list and the rooms in use.
///
/// `then_interviewers` holds `N:staff` for the panel of the N-th later interview (from 0); a
/// bare `staff` is on the first one's. An empty plan id is skipped with its panel.
#[cfg(feature = "ssr")]
pub(super) async fn loop_of(
    ctx: &repo::AppContext,
    plan_id: &str,
    interviewers: Option<Vec<String>>,
    then_plan_id: Option<Vec<String>>,
    then_interviewers: Option<Vec<String>>,
    room_id: Option<String>,
) -> Result<Requested, AppError> {
    let mut interviews = vec![(plan_for(ctx, plan_id).await?, panel_of(interviewers).await?)];
    let room = room_of(room_id).await?;
    let panels = then_interviewers.unwrap_or_default();
    for (i, then) in then_plan_id.unwrap_or_default().iter().enumerate() {
        if then.trim().is_empty() {
            continue;
        }
        let nth = ordinal(interviews.len() + 1);
        if interviews.len() == MAX_LOOP {
            return Err(AppError::invalid(
                "then_plan_id",
                format!("A loop holds at most {MAX_LOOP} interviews."),
            ));
        }
        let plan = plan_for(ctx, then).await.map_err(|_| {
            AppError::invalid(
                "then_plan_id",
                format!("Choose the {nth} interview from this job's plan."),
            )
        })?;
        let panel = panel_of(Some(panel_at(&panels, i)))
            .await
            .map_err(|e| match e {
                AppError::Validation(_) => AppError::invalid(
                    "then_interviewers",
                    format!("Choose who interviews in the {nth} interview (one to six people)."),
                ),
                e => e,
            })?;
        interviews.push((plan, panel));
    }
    Requested { interviews, room }.seated()
}

/// The staff keys of the `i`-th later interview's panel (see [`loop_of`]).
#[cfg(feature = "ssr")]
fn panel_at(values: &[String], i: usize) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| match v.split_once(':') {
            Some((n, staff)) if n.parse::<usize>().is_ok() => {
                (n.parse::<usize>() == Ok(i)).then(|| staff.to_string())
            }
            _ => (i == 0).then(|| v.clone()),
        })
        .collect()
}

/// "second", "third", … for the interviews of a loop.
#[cfg(feature = "ssr")]
fn ordinal(n: usize) -> String {
    match n {
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        n => format!("{n}th"),
    }
}

/// What a recruiter asked to book: the interviews back to back (each with its panel) and the
/// room, if any.
#[cfg(feature = "ssr")]
pub(super) struct Requested {
    pub interviews: Vec<(repo::PlanRow, Vec<repo::StaffRow>)>,
    pub room: Option<repo::RoomRow>,
}

#[cfg(feature = "ssr")]
impl Requested {
    /// The interviews as booking and links take them.
    pub fn parts(&self) -> Vec<repo::Part<'_>> {
        self.interviews
            .iter()
            .map(|(plan, panel)| repo::Part { plan, panel })
            .collect()
    }

    /// Refuses a room too small for the largest panel and the candidate.
    fn seated(self) -> Result<Self, AppError> {
        if let Some(room) = &self.room {
            let people = self
                .interviews
                .iter()
                .map(|(_, p)| p.len())
                .max()
                .unwrap_or(0)
                + 1;
            room.fits(people)
                .map_err(|m| AppError::invalid("room_id", m))?;
        }
        Ok(self)
    }
}

/// The room chosen for an on-site interview, if any: one in use.
#[cfg(feature = "ssr")]
pub(super) async fn room_of(room_id: Option<String>) -> Result<Option<repo::RoomRow>, AppError> {
    let Some(room) = room_id.filter(|r| !r.trim().is_empty()) else {
        return Ok(None);
    };
    let wrong = || AppError::invalid("room_id", "Choose a room from the list.");
    let id = id("room", &room).map_err(|_| wrong())?;
    repo::room_row(&state()?.db, &id)
        .await?
        .ok_or_else(wrong)
        .map(Some)
}

/// The parts of a loop as `propose` takes them.
#[cfg(feature = "ssr")]
pub(super) fn parts_of(
    interviews: &[(repo::PlanRow, Vec<repo::StaffRow>)],
) -> Vec<(&[repo::StaffRow], i64)> {
    interviews
        .iter()
        .map(|(plan, panel)| (panel.as_slice(), plan.duration_min))
        .collect()
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
