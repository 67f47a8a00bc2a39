//! Candidate self-scheduling, with panels: the recruiter sends a link for one interview and
//! its panel (and its room, when on-site); the candidate picks from times computed live (every panelist free, buffers,
//! notice, a two-week window), in their own zone, and can move or cancel until a cut-off.
//! Bookings race safely: the panel's busy blocks refuse the second of two at the same time.

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

/// Sends the candidate a link to choose the time of this interview with this panel, in this
/// room if it is on-site (the times offered are then those the room is free too).
#[server]
pub async fn send_scheduling_link(
    application_id: String,
    plan_id: String,
    interviewers: Option<Vec<String>>,
    room_id: Option<String>,
) -> Result<String, AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let (_, ctx) = super::access::application_for(&application_id).await?;
    if ctx.status != "active" {
        return Err(AppError::Conflict(
            "This application is closed: interviews can no longer be scheduled.".into(),
        ));
    }
    let plan = super::api::plan_for(&ctx, &plan_id).await?;
    let panel = super::api::panel_of(interviewers).await?;
    let room = super::api::room_of(room_id).await?;
    if let Some(room) = &room {
        room.fits(panel.len() + 1)
            .map_err(|m| AppError::invalid("room_id", m))?;
    }
    let st = state()?;
    let me = RecordId::new("staff", user.id.as_str());
    let (link, expires) = repo::create_link(
        &st.db,
        &ctx,
        &plan,
        &panel,
        room.as_ref().map(|r| &r.id),
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
    let at = room
        .as_ref()
        .map(|r| format!(", at {}", r.place()))
        .unwrap_or_default();
    let body = format!(
        "Hello {},\n\nThank you for your interest in {} at {}. The next step is a {} ({} minutes) \
         with {}{at}.\n\nChoose a time that suits you (shown in your own time zone):\n{url}\n\n\
         The link works for {} days. You can move or cancel the interview with it up to {} hours \
         before it starts.\n\n{}\n",
        ctx.first_name,
        ctx.job_title,
        st.config.company_name,
        plan.name,
        plan.duration_min,
        panel
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        st.config.scheduling.window_days,
        st.config.scheduling.change_cutoff_hours,
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
                plan.name, st.config.company_name
            ),
            &body,
        )
        .person(ctx.person.clone());
    st.mailer.enqueue(&st.db, mail).await?;
    Ok(ctx.email)
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

/// Free times for the candidate, in their zone.
#[cfg(feature = "ssr")]
async fn free_slots(
    panel: &[repo::StaffRow],
    room: Option<&RecordId>,
    duration_min: i64,
    zone: &str,
    except: Option<&RecordId>,
) -> Result<Vec<Slot>, AppError> {
    super::api::slots_for(
        &[(panel, duration_min)],
        room,
        super::api::Viewer::Candidate { zone },
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
    let plan = repo::plan_row(&st.db, &link.plan)
        .await?
        .ok_or(AppError::NotFound)?;
    let panel = repo::staff_rows(&st.db, &link.interviewers).await?;
    let room = link_room(&link).await?;
    let zone = zone_of(time_zone.as_deref(), &link);
    let tz = slots::zone(&zone);
    let mut zones: Vec<String> = COMMON_ZONES.iter().map(|z| z.to_string()).collect();
    if !zones.contains(&zone) {
        zones.insert(0, zone.clone());
    }
    let state = match (&link.interview, link.status.as_str()) {
        (Some(iv), _) => {
            let row = repo::interview_row(&st.db, iv)
                .await?
                .ok_or(AppError::NotFound)?;
            if row.status == "cancelled" {
                SchedulingState::Cancelled
            } else if row.ends_at < Utc::now() {
                SchedulingState::Closed {
                    reason: "This interview has taken place.".into(),
                }
            } else {
                let until =
                    row.starts_at - Duration::hours(st.config.scheduling.change_cutoff_hours);
                let can_change = Utc::now() < until && link.application_status == "active";
                SchedulingState::Booked {
                    when: slots::label(row.starts_at, row.ends_at, tz),
                    location: row.location.clone(),
                    sequence: row.sequence,
                    can_change,
                    change_until: slots::moment_label(until, tz),
                    slots: if can_change {
                        free_slots(
                            &panel,
                            row.room.as_ref(),
                            (row.ends_at - row.starts_at).num_minutes(),
                            &zone,
                            Some(&row.id),
                        )
                        .await?
                    } else {
                        Vec::new()
                    },
                }
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
                        &panel,
                        room.as_ref().map(|r| &r.id),
                        plan.duration_min,
                        &zone,
                        None,
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
    Ok(SchedulingView {
        first_name: link.first_name.clone(),
        company: st.config.company_name.clone(),
        job_title: link.job_title.clone(),
        interview_name: plan.name.clone(),
        duration_min: plan.duration_min.max(0) as u32,
        format: Format::parse(&plan.format).unwrap_or(Format::Video),
        panel: panel.iter().map(|p| p.name.clone()).collect(),
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
    let start = super::api::start_time(starts_at)?;
    Ok((link, tz, start))
}

/// Refuses a time the page could not have offered: the rules (hours, notice, buffers, busy
/// time) hold for candidates however the request was made.
#[cfg(feature = "ssr")]
async fn must_be_offered(
    panel: &[repo::StaffRow],
    room: Option<&RecordId>,
    duration_min: i64,
    start: chrono::DateTime<Utc>,
    except: Option<&RecordId>,
) -> Result<(), AppError> {
    let all = super::api::rules(2000)?;
    let offered = repo::propose(
        &state()?.db,
        &[(panel, duration_min)],
        room,
        Utc::now(),
        &all,
        except,
    )
    .await?;
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
    let plan = repo::plan_row(&st.db, &link.plan)
        .await?
        .ok_or(AppError::NotFound)?;
    let panel = repo::staff_rows(&st.db, &link.interviewers).await?;
    let room = link_room(&link).await??;
    must_be_offered(
        &panel,
        room.as_ref().map(|r| &r.id),
        plan.duration_min,
        start,
        None,
    )
    .await?;
    repo::set_candidate_zone(&st.db, &link.person, tz.name()).await?;
    let ctx = repo::application(&st.db, &link.application)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::schedule(
        &st.db,
        &ctx,
        &plan,
        &panel,
        room.as_ref(),
        start,
        &Actor::candidate(),
        None,
        tz,
        Some(repo::Mailing::of(&st)),
        Some(&link.id),
    )
    .await?;
    Ok(())
}

/// The booked interview the link names, if it may still be changed.
#[cfg(feature = "ssr")]
async fn changeable(
    link: &repo::LinkRow,
) -> Result<(repo::InterviewRow, Vec<repo::StaffRow>), AppError> {
    let st = state()?;
    let iv = link.interview.as_ref().ok_or(AppError::NotFound)?;
    let row = repo::interview_row(&st.db, iv)
        .await?
        .ok_or(AppError::NotFound)?;
    let cutoff = st.config.scheduling.change_cutoff_hours;
    if row.status != "scheduled" || row.starts_at - Duration::hours(cutoff) < Utc::now() {
        return Err(AppError::Conflict(format!(
            "This interview can no longer be changed here (changes close {cutoff} hours \
             before it starts). Please reply to your invitation email instead."
        )));
    }
    let panel = repo::staff_rows(&st.db, &row.interviewers).await?;
    Ok((row, panel))
}

/// The candidate moves their interview (same panel).
#[server]
pub async fn move_booked_interview(
    token: String,
    starts_at: String,
    sequence: i64,
    time_zone: String,
) -> Result<(), AppError> {
    let st = state()?;
    let (link, tz, start) = candidate_change(&token, &starts_at, &time_zone).await?;
    let (mut row, panel) = changeable(&link).await?;
    must_be_offered(
        &panel,
        row.room.as_ref(),
        (row.ends_at - row.starts_at).num_minutes(),
        start,
        Some(&row.id),
    )
    .await?;
    repo::set_candidate_zone(&st.db, &link.person, tz.name()).await?;
    row.candidate_zone = Some(tz.name().to_string());
    row.sequence = sequence;
    repo::reschedule(
        &st.db,
        &row,
        &panel,
        start,
        &Actor::candidate(),
        tz,
        Some(repo::Mailing::of(&st)),
    )
    .await
}

/// The candidate cancels their interview; the panel and the recruiter are told.
#[server]
pub async fn cancel_booked_interview(token: String) -> Result<(), AppError> {
    let st = state()?;
    crate::server::ratelimit::public_form(&st, "schedule-ip").await?;
    let link = link_of(&token).await?;
    let (row, panel) = changeable(&link).await?;
    let tz = slots::zone(row.candidate_zone.as_deref().unwrap_or(repo::DEFAULT_ZONE));
    repo::cancel(
        &st.db,
        &row,
        &panel,
        &Actor::candidate(),
        tz,
        Some(repo::Mailing::of(&st)),
    )
    .await?;
    if let Some(by) = &link.created_by
        && let Some(rec) = repo::staff_rows(&st.db, std::slice::from_ref(by))
            .await?
            .first()
    {
        let body = format!(
            "{} {} cancelled their {} for {}. Send a new scheduling link, or get in touch:\n{}/app/applications/{}\n",
            row.first_name,
            row.last_name,
            row.name,
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
                        "{} {} cancelled their {}",
                        row.first_name, row.last_name, row.name
                    ),
                    &body,
                ),
            )
            .await?;
    }
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
