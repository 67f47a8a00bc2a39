//! Candidate self-scheduling, with panels and loops: the recruiter sends a link for one
//! interview and its panel, or a loop of two back to back, each with its own panel (and the
//! room, when on-site); the candidate picks from times computed live (every panelist of every
//! interview free when it is their turn, buffers, notice, a two-week window), in their own zone,
//! and can move or cancel the lot until a cut-off. Bookings race safely: the panel's busy
//! blocks refuse the second of two at the same time.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{repo, slots},
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::security::now_unix,
    crate::server::state,
    chrono::{Duration, Utc},
    surrealdb::types::RecordId,
};

#[cfg(feature = "ssr")]
const PURPOSE: &str = "schedule";

/// The signed token a scheduling link carries.
#[cfg(feature = "ssr")]
pub fn token_for(st: &crate::server::AppState, link: &RecordId, expires: i64) -> String {
    st.keys.sign(PURPOSE, &key(link), expires)
}

/// The link a token names, if the signature holds and it has not run out.
#[cfg(feature = "ssr")]
async fn link_of(token: &str) -> Result<repo::LinkRow, AppError> {
    let st = state()?;
    let closed = || {
        AppError::Conflict(
            "This scheduling link is not valid any more. Ask your recruiter for a new one.".into(),
        )
    };
    let subject = st
        .keys
        .verify(token, PURPOSE, now_unix())
        .map_err(|_| closed())?;
    repo::link(&st.db, &id("booking_link", &subject)?)
        .await?
        .ok_or_else(closed)
}

/// An interview with its panel, as a link holds them.
#[cfg(feature = "ssr")]
type Planned = (repo::PlanRow, Vec<repo::StaffRow>);

/// "a Technical interview (60 minutes) with Parker Panelist", for the link's email.
#[cfg(feature = "ssr")]
fn described((plan, panel): &Planned) -> String {
    format!(
        "{} ({} minutes) with {}",
        plan.name,
        plan.duration_min,
        panel
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(feature = "ssr")]
fn names_of(interviews: &[Planned]) -> String {
    let names: Vec<&str> = interviews.iter().map(|(p, _)| p.name.as_str()).collect();
    loop_title(&names)
}

/// Sends the candidate a link to choose the time of this interview with this panel (or of a
/// loop: up to three more straight after it, each with its own panel), in this room if it is
/// on-site (the times offered are then those the room is free too).
#[server]
pub async fn send_scheduling_link(
    application_id: String,
    plan_id: String,
    interviewers: Option<Vec<String>>,
    room_id: Option<String>,
    then_plan_id: Option<Vec<String>>,
    then_interviewers: Option<Vec<String>>,
) -> Result<String, AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let (_, ctx) = super::access::application_for(&application_id).await?;
    if ctx.status != "active" {
        return Err(AppError::Conflict(
            "This application is closed: interviews can no longer be scheduled.".into(),
        ));
    }
    let asked = super::loops::loop_of(
        &ctx,
        &plan_id,
        interviewers,
        then_plan_id,
        then_interviewers,
        room_id,
    )
    .await?;
    let st = state()?;
    let me = RecordId::new("staff", user.id.as_str());
    let (link, expires) = repo::create_link(
        &st.db,
        &ctx,
        &asked.parts(),
        asked.room.as_ref().map(|r| &r.id),
        Some(me),
        Utc::now(),
        st.config.scheduling.window_days,
    )
    .await?;
    let url = format!(
        "{}/schedule/{}",
        st.config.public_url,
        token_for(&st, &link, expires.timestamp())
    );
    let at = asked
        .room
        .as_ref()
        .map(|r| format!(", at {}", r.place()))
        .unwrap_or_default();
    let step = match asked.interviews.as_slice() {
        [one] => format!("a {}{at}", described(one)),
        [first, rest @ ..] => format!(
            "{} interviews back to back{at}: a {}, then {}",
            asked.interviews.len(),
            described(first),
            rest.iter()
                .map(|i| format!("a {}", described(i)))
                .collect::<Vec<_>>()
                .join(", then ")
        ),
        [] => return Err(AppError::invalid("plan_id", "Choose an interview.")),
    };
    let body = format!(
        "Hello {},\n\nThank you for your interest in {} at {}. The next step is {step}.\n\n\
         Choose a time that suits you (shown in your own time zone):\n{url}\n\n\
         The link works for {} days. You can move or cancel {} with it up to {} hours \
         before {} starts.\n\n{}\n",
        ctx.first_name,
        ctx.job_title,
        st.config.company_name,
        st.config.scheduling.window_days,
        if asked.interviews.len() > 1 {
            "them"
        } else {
            "the interview"
        },
        st.config.scheduling.change_cutoff_hours,
        if asked.interviews.len() > 1 {
            "the first"
        } else {
            "it"
        },
        st.config.company_name,
    );
    let mail = st
        .mailer
        .compose(
            "scheduling_link",
            &ctx.email,
            &ctx.person_name(),
            &format!(
                "Choose a time for your {} with {}",
                names_of(&asked.interviews),
                st.config.company_name
            ),
            &body,
        )
        .person(ctx.person.clone());
    st.mailer.enqueue(&st.db, mail).await?;
    Ok(ctx.email)
}

/// The interviews a link books, each with its panel: the first, then those straight after it.
#[cfg(feature = "ssr")]
async fn link_loop(link: &repo::LinkRow) -> Result<Vec<Planned>, AppError> {
    let db = &state()?.db;
    let mut out = Vec::new();
    let parts = std::iter::once((&link.plan, &link.interviewers))
        .chain(link.followed_by.iter().map(|p| (&p.plan, &p.interviewers)));
    for (plan, interviewers) in parts {
        let plan = repo::plan_row(db, plan).await?.ok_or(AppError::NotFound)?;
        out.push((plan, repo::staff_rows(db, interviewers).await?));
    }
    Ok(out)
}

/// The interviews a used link booked that still stand (a recruiter may have cancelled one),
/// in order, each with its panel.
#[cfg(feature = "ssr")]
async fn booked_loop(
    link: &repo::LinkRow,
) -> Result<Vec<(repo::InterviewRow, Vec<repo::StaffRow>)>, AppError> {
    let db = &state()?.db;
    let mut out = Vec::new();
    for iv in link.interview.iter().chain(&link.interviews_after) {
        let Some(row) = repo::interview_row(db, iv).await? else {
            continue;
        };
        if row.status == "scheduled" {
            let panel = repo::staff_rows(db, &row.interviewers).await?;
            out.push((row, panel));
        }
    }
    Ok(out)
}

/// A booked loop as `propose` takes it: each panel and its interview's length.
#[cfg(feature = "ssr")]
fn parts_of_booked(
    ivs: &[(repo::InterviewRow, Vec<repo::StaffRow>)],
) -> Vec<(&[repo::StaffRow], i64)> {
    ivs.iter()
        .map(|(r, p)| (p.as_slice(), (r.ends_at - r.starts_at).num_minutes()))
        .collect()
}

#[cfg(feature = "ssr")]
fn ids_of(ivs: &[(repo::InterviewRow, Vec<repo::StaffRow>)]) -> Vec<RecordId> {
    ivs.iter().map(|(r, _)| r.id.clone()).collect()
}

/// The candidate's zone: the one asked for, else the one they chose before, else the company's.
#[cfg(feature = "ssr")]
fn zone_of(asked: Option<&str>, link: &repo::LinkRow) -> String {
    asked
        .map(str::trim)
        .filter(|z| z.parse::<chrono_tz::Tz>().is_ok())
        .map(str::to_string)
        .or_else(|| link.candidate_zone.clone())
        .unwrap_or_else(|| repo::DEFAULT_ZONE.into())
}

/// Free times for the candidate, in their zone: for each interview (a panel and its length),
/// back to back.
#[cfg(feature = "ssr")]
async fn free_slots(
    parts: &[(&[repo::StaffRow], i64)],
    room: Option<&RecordId>,
    zone: &str,
    except: &[RecordId],
) -> Result<Vec<Slot>, AppError> {
    super::loops::slots_for(
        parts,
        room,
        super::loops::Viewer::Candidate { zone },
        except,
    )
    .await
}

/// What the candidate's scheduling page shows (public: the signed link is the key).
#[server]
pub async fn scheduling_page(
    token: String,
    time_zone: Option<String>,
) -> Result<SchedulingView, AppError> {
    let st = state()?;
    let link = link_of(&token).await?;
    let planned = link_loop(&link).await?;
    let room = link_room(&link).await?;
    let zone = zone_of(time_zone.as_deref(), &link);
    let tz = slots::zone(&zone);
    let mut zones: Vec<String> = COMMON_ZONES.iter().map(|z| z.to_string()).collect();
    if !zones.contains(&zone) {
        zones.insert(0, zone.clone());
    }
    let state = match (&link.interview, link.status.as_str()) {
        (Some(_), _) => {
            let ivs = booked_loop(&link).await?;
            match (ivs.first(), ivs.last()) {
                (Some((first, _)), Some((last, _))) => {
                    if last.ends_at < Utc::now() {
                        SchedulingState::Closed {
                            reason: "This interview has taken place.".into(),
                        }
                    } else {
                        let until = first.starts_at
                            - Duration::hours(st.config.scheduling.change_cutoff_hours);
                        let can_change = Utc::now() < until && link.application_status == "active";
                        SchedulingState::Booked {
                            when: slots::label(first.starts_at, last.ends_at, tz),
                            parts: if ivs.len() > 1 {
                                ivs.iter()
                                    .map(|(r, _)| {
                                        format!(
                                            "{}: {}",
                                            r.name,
                                            slots::label(r.starts_at, r.ends_at, tz)
                                        )
                                    })
                                    .collect()
                            } else {
                                Vec::new()
                            },
                            location: first.location.clone(),
                            sequence: first.sequence,
                            can_change,
                            change_until: slots::moment_label(until, tz),
                            slots: if can_change {
                                free_slots(
                                    &parts_of_booked(&ivs),
                                    first.room.as_ref(),
                                    &zone,
                                    &ids_of(&ivs),
                                )
                                .await?
                            } else {
                                Vec::new()
                            },
                        }
                    }
                }
                _ => SchedulingState::Cancelled,
            }
        }
        (None, "open") if link.application_status == "active" && link.expires_at > Utc::now() => {
            match &room {
                // Taken out of use since the link was sent: nothing can be booked in it.
                Err(gone) => SchedulingState::Closed {
                    reason: gone.to_string(),
                },
                Ok(room) => SchedulingState::Open {
                    slots: free_slots(
                        &super::loops::parts_of(&planned),
                        room.as_ref().map(|r| &r.id),
                        &zone,
                        &[],
                    )
                    .await?,
                },
            }
        }
        (None, "withdrawn") => SchedulingState::Closed {
            reason: "Your recruiter sent you a newer link for this interview: please use that one."
                .into(),
        },
        _ => SchedulingState::Closed {
            reason: "This link is not valid any more. Ask your recruiter for a new one.".into(),
        },
    };
    let (plan, panel) = &planned[0];
    Ok(SchedulingView {
        first_name: link.first_name.clone(),
        company: st.config.company_name.clone(),
        job_title: link.job_title.clone(),
        interview_name: plan.name.clone(),
        duration_min: plan.duration_min.max(0) as u32,
        format: Format::parse(&plan.format).unwrap_or(Format::Video),
        panel: panel.iter().map(|p| p.name.clone()).collect(),
        then: planned[1..]
            .iter()
            .map(|(plan, panel)| LoopStep {
                name: plan.name.clone(),
                duration_min: plan.duration_min.max(0) as u32,
                panel: panel.iter().map(|p| p.name.clone()).collect(),
            })
            .collect(),
        // Where it will be, while a time is to be chosen (once booked, the booking says).
        place: matches!(state, SchedulingState::Open { .. })
            .then(|| room.ok().flatten().map(|r| r.place()))
            .flatten(),
        time_zone: zone,
        zones,
        state,
        change_cutoff_hours: st.config.scheduling.change_cutoff_hours,
    })
}

/// The room a link books in: none, the room (in use), or the error to show when the room has
/// been taken out of use since the link was sent.
#[cfg(feature = "ssr")]
async fn link_room(
    link: &repo::LinkRow,
) -> Result<Result<Option<repo::RoomRow>, AppError>, AppError> {
    let Some(room) = &link.room else {
        return Ok(Ok(None));
    };
    Ok(repo::room_row(&state()?.db, room)
        .await?
        .map(Some)
        .ok_or_else(|| {
            AppError::Conflict(
            "The room for this interview is no longer available. Ask your recruiter for a new link."
                .into(),
        )
        }))
}

#[cfg(feature = "ssr")]
fn chosen_zone(time_zone: &str) -> Result<chrono_tz::Tz, AppError> {
    time_zone
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("time_zone", "Choose your time zone from the list."))
}

/// What every candidate change starts with: the allowance of public forms, the link, the zone
/// and the time chosen.
#[cfg(feature = "ssr")]
async fn candidate_change(
    token: &str,
    starts_at: &str,
    time_zone: &str,
) -> Result<(repo::LinkRow, chrono_tz::Tz, chrono::DateTime<Utc>), AppError> {
    crate::server::ratelimit::public_form(&state()?, "schedule-ip").await?;
    let link = link_of(token).await?;
    let tz = chosen_zone(time_zone)?;
    let start = super::loops::start_time(starts_at)?;
    Ok((link, tz, start))
}

/// Refuses a time the page could not have offered: the rules (hours, notice, buffers, busy
/// time) hold for candidates however the request was made.
#[cfg(feature = "ssr")]
async fn must_be_offered(
    parts: &[(&[repo::StaffRow], i64)],
    room: Option<&RecordId>,
    start: chrono::DateTime<Utc>,
    except: &[RecordId],
) -> Result<(), AppError> {
    let all = super::loops::rules(2000)?;
    let offered = repo::propose(&state()?.db, parts, room, Utc::now(), &all, except).await?;
    if offered.contains(&start) {
        Ok(())
    } else {
        Err(repo::taken())
    }
}

/// The candidate books a time.
#[server]
pub async fn book_interview_slot(
    token: String,
    starts_at: String,
    time_zone: String,
) -> Result<(), AppError> {
    let st = state()?;
    let (link, tz, start) = candidate_change(&token, &starts_at, &time_zone).await?;
    if link.status != "open" || link.application_status != "active" {
        return Err(AppError::Conflict(
            "This link has already been used, or has run out. Ask your recruiter for a new one."
                .into(),
        ));
    }
    let planned = link_loop(&link).await?;
    let room = link_room(&link).await??;
    must_be_offered(
        &super::loops::parts_of(&planned),
        room.as_ref().map(|r| &r.id),
        start,
        &[],
    )
    .await?;
    repo::set_candidate_zone(&st.db, &link.person, tz.name()).await?;
    let ctx = repo::application(&st.db, &link.application)
        .await?
        .ok_or(AppError::NotFound)?;
    let parts: Vec<repo::Part> = planned
        .iter()
        .map(|(plan, panel)| repo::Part { plan, panel })
        .collect();
    repo::schedule_loop(
        &st.db,
        &ctx,
        &parts,
        room.as_ref(),
        start,
        &Actor::candidate(),
        None,
        tz,
        Some(repo::Mailing::of(&st)),
        Some(&link.id),
    )
    .await?;
    crate::server::http::back_with_done("booked", &format!("/schedule/{token}"));
    Ok(())
}

/// The booked interviews the link names (one, or a loop), if they may still be changed.
#[cfg(feature = "ssr")]
async fn changeable(
    link: &repo::LinkRow,
) -> Result<Vec<(repo::InterviewRow, Vec<repo::StaffRow>)>, AppError> {
    let st = state()?;
    link.interview.as_ref().ok_or(AppError::NotFound)?;
    let ivs = booked_loop(link).await?;
    let cutoff = st.config.scheduling.change_cutoff_hours;
    match ivs.first() {
        Some((first, _)) if first.starts_at - Duration::hours(cutoff) >= Utc::now() => Ok(ivs),
        _ => Err(AppError::Conflict(format!(
            "This interview can no longer be changed here (changes close {cutoff} hours \
             before it starts). Please reply to your invitation email instead."
        ))),
    }
}

/// The candidate moves their interview, or their whole loop back to back (same panels).
#[server]
pub async fn move_booked_interview(
    token: String,
    starts_at: String,
    sequence: i64,
    time_zone: String,
) -> Result<(), AppError> {
    let st = state()?;
    let (link, tz, start) = candidate_change(&token, &starts_at, &time_zone).await?;
    let mut ivs = changeable(&link).await?;
    must_be_offered(
        &parts_of_booked(&ivs),
        ivs[0].0.room.as_ref(),
        start,
        &ids_of(&ivs),
    )
    .await?;
    repo::set_candidate_zone(&st.db, &link.person, tz.name()).await?;
    for (row, _) in ivs.iter_mut() {
        row.candidate_zone = Some(tz.name().to_string());
    }
    // The version the candidate saw: a change made meanwhile is not silently overwritten.
    ivs[0].0.sequence = sequence;
    let moves: Vec<(&repo::InterviewRow, &[repo::StaffRow])> =
        ivs.iter().map(|(r, p)| (r, p.as_slice())).collect();
    repo::reschedule_loop(
        &st.db,
        &moves,
        start,
        &Actor::candidate(),
        tz,
        Some(repo::Mailing::of(&st)),
    )
    .await?;
    crate::server::http::back_with_done("moved", &format!("/schedule/{token}"));
    Ok(())
}

/// The candidate cancels their interview (or their loop); the panels and the recruiter are
/// told.
#[server]
pub async fn cancel_booked_interview(token: String) -> Result<(), AppError> {
    let st = state()?;
    crate::server::ratelimit::public_form(&st, "schedule-ip").await?;
    let link = link_of(&token).await?;
    let ivs = changeable(&link).await?;
    let row = &ivs[0].0;
    let tz = slots::zone(row.candidate_zone.as_deref().unwrap_or(repo::DEFAULT_ZONE));
    let drops: Vec<(&repo::InterviewRow, &[repo::StaffRow])> =
        ivs.iter().map(|(r, p)| (r, p.as_slice())).collect();
    repo::cancel_loop(
        &st.db,
        &drops,
        &Actor::candidate(),
        tz,
        Some(repo::Mailing::of(&st)),
    )
    .await?;
    let names: Vec<&str> = ivs.iter().map(|(r, _)| r.name.as_str()).collect();
    let what = loop_title(&names);
    if let Some(by) = &link.created_by
        && let Some(rec) = repo::staff_rows(&st.db, std::slice::from_ref(by))
            .await?
            .first()
    {
        let body = format!(
            "{} {} cancelled their {what} for {}. Send a new scheduling link, or get in touch:\n{}/app/applications/{}\n",
            row.first_name,
            row.last_name,
            row.job_title,
            st.config.public_url,
            key(&row.application),
        );
        st.mailer
            .enqueue(
                &st.db,
                st.mailer.compose(
                    "interview_cancelled_by_candidate",
                    &rec.email,
                    &rec.name,
                    &format!(
                        "{} {} cancelled their {what}",
                        row.first_name, row.last_name
                    ),
                    &body,
                ),
            )
            .await?;
    }
    crate::server::http::back_with_done("cancelled", &format!("/schedule/{token}"));
    Ok(())
}

/// `GET /portal/interviews/{id}/invite.ics`: the signed-in candidate's own interview as a
/// calendar file (METHOD:PUBLISH: a copy to save, with the same UID as the emailed invitation).
#[cfg(feature = "ssr")]
pub async fn download_ics(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    axum::extract::Path(interview_id): axum::extract::Path<String>,
    headers: http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let person = crate::auth::guard::candidate_from_headers(&st, &headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let row = repo::interview_row(&st.db, &id("interview", &interview_id)?)
        .await?
        .filter(|r| r.person == person && r.status == "scheduled")
        .ok_or(AppError::NotFound)?;
    let panel = repo::staff_rows(&st.db, &row.interviewers).await?;
    let ics = repo::calendar_copy(&repo::Mailing::of(&st), &row, &panel);
    Ok((
        [
            (http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"interview.ics\"",
            ),
            (http::header::CACHE_CONTROL, "private, no-store"),
        ],
        ics,
    )
        .into_response())
}
