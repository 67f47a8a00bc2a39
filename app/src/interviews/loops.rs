//! Booking a loop: the panels and plan interviews a recruiter asked for, checked (at most
//! [`MAX_LOOP`] interviews back to back, one room), and the free times for them as a recruiter
//! or a candidate sees them.

use super::types::Slot;
use super::{repo, slots};
use crate::error::AppError;
use crate::server::db::id;
use crate::server::state;
use surrealdb::types::RecordId;

/// The panel, checked: 1 to 6 active staff, no one twice.
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
const CANDIDATE_TIMES_PER_DAY: usize = 8;

/// Free times for interviews back to back, each a panel and a length in minutes (one part for a
/// single interview), labelled for `viewer` with the whole stretch: for a recruiter the first
/// 60; for a candidate a few on every free day of the window (`CANDIDATE_TIMES_PER_DAY`).
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
pub(super) const MAX_LOOP: usize = 4;

/// The interviews a recruiter books in one go: the first, then any others straight after it
/// (`then_plan_id`, in order, each with its own panel), and the room. Checked against the job's
/// plan, the staff list and the rooms in use.
///
/// `then_interviewers` holds `N:staff` for the panel of the N-th later interview (from 0); a
/// bare `staff` is on the first one's. An empty plan id is skipped with its panel.
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
pub(super) struct Requested {
    pub interviews: Vec<(repo::PlanRow, Vec<repo::StaffRow>)>,
    pub room: Option<repo::RoomRow>,
}

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
pub(super) fn parts_of(
    interviews: &[(repo::PlanRow, Vec<repo::StaffRow>)],
) -> Vec<(&[repo::StaffRow], i64)> {
    interviews
        .iter()
        .map(|(plan, panel)| (panel.as_slice(), plan.duration_min))
        .collect()
}

/// A time the caller chose: in the future, on a five-minute mark.
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
