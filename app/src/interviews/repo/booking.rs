//! Booking: scheduling, rescheduling and cancelling an interview, each in one transaction
//! with the panel's busy time, their scorecards, the timeline and the calendar invites.

use super::invitations::{Booked, booked, invitations};
use super::*;
use crate::interviews::invite::{Method, Party};

#[derive(Debug, Clone, SurrealValue)]
struct NewInterview {
    id: RecordId,
    application: RecordId,
    person: RecordId,
    job: RecordId,
    plan: Option<RecordId>,
    name: String,
    format: String,
    location: String,
    room: Option<RecordId>,
    attributes: Vec<String>,
    questions: Vec<String>,
    guidance: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    interviewers: Vec<RecordId>,
    scheduled_by: Option<RecordId>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewBlock {
    id: RecordId,
    staff: RecordId,
    interview: RecordId,
    at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewSpan {
    staff: RecordId,
    interview: RecordId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewCard {
    id: RecordId,
    interview: RecordId,
    application: RecordId,
    interviewer: RecordId,
    ratings: Vec<i64>,
}

/// Who an interview holds: its panel, and its room if it has one.
fn held(panel: &[StaffRow], room: Option<&RecordId>) -> Vec<RecordId> {
    panel
        .iter()
        .map(|s| s.id.clone())
        .chain(room.cloned())
        .collect()
}

fn blocks(
    held: &[RecordId],
    iv: &RecordId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<NewBlock> {
    let mut out = Vec::new();
    for s in held {
        let mut t = start;
        while t < end {
            let n = t.timestamp() / 60 / BLOCK_MIN;
            out.push(NewBlock {
                id: RecordId::new("busy_block", format!("{}_{n}", key(s))),
                staff: s.clone(),
                interview: iv.clone(),
                at: t,
            });
            t += Duration::minutes(BLOCK_MIN);
        }
    }
    out
}

pub fn scorecard_id(iv: &RecordId, staff: &RecordId) -> RecordId {
    RecordId::new("scorecard", format!("{}_{}", key(iv), key(staff)))
}

/// What the panel is booked for: the conflict users see when someone took the time first.
pub fn taken() -> AppError {
    AppError::Conflict(
        "Someone on the panel, or the room, was booked at that time a moment ago. Choose another time.".into(),
    )
}

fn spans(
    held: &[RecordId],
    iv: &RecordId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Vec<NewSpan> {
    held.iter()
        .map(|s| NewSpan {
            staff: s.clone(),
            interview: iv.clone(),
            starts_at,
            ends_at,
        })
        .collect()
}

/// The link a recruiter's booking gives the candidate.
#[derive(Debug, Clone, SurrealValue)]
struct OwnLink {
    application: RecordId,
    person: RecordId,
    plan: RecordId,
    interviewers: Vec<RecordId>,
    followed_by: Vec<LinkPart>,
    room: Option<RecordId>,
    interview: RecordId,
    interviews_after: Vec<RecordId>,
    status: String,
    expires_at: DateTime<Utc>,
    created_by: Option<RecordId>,
}

/// One interview of a booking: what it is and who sits on it.
pub struct Part<'a> {
    pub plan: &'a PlanRow,
    pub panel: &'a [StaffRow],
}

/// Books the interview (in `room`, if one is given): the interview, each panelist's (and the
/// room's) busy blocks and their (empty) scorecards, the timeline entry and the invitations,
/// in one transaction. A block already taken fails the whole booking.
#[allow(clippy::too_many_arguments)]
pub async fn schedule(
    db: &Db,
    app: &AppContext,
    plan: &PlanRow,
    panel: &[StaffRow],
    room: Option<&RoomRow>,
    starts_at: DateTime<Utc>,
    actor: &Actor,
    actor_staff: Option<RecordId>,
    zone: chrono_tz::Tz,
    mailing: Option<Mailing<'_>>,
    link: Option<&RecordId>,
) -> AppResult<String> {
    let ids = book(
        db,
        app,
        &[Part { plan, panel }],
        room,
        starts_at,
        actor,
        actor_staff,
        zone,
        mailing,
        link,
    )
    .await?;
    Ok(ids.into_iter().next().unwrap_or_default())
}

/// Books interviews back to back from `starts_at` (each starts when the one before ends), in
/// `room` if one is given, all or none: one transaction, so a panelist (or the room) taken
/// meanwhile in any of them fails the lot. With `link`, the candidate chose the time through
/// it: the link is used up (refused if it was already) and names the interviews it booked.
#[allow(clippy::too_many_arguments)]
pub async fn schedule_loop(
    db: &Db,
    app: &AppContext,
    parts: &[Part<'_>],
    room: Option<&RoomRow>,
    starts_at: DateTime<Utc>,
    actor: &Actor,
    actor_staff: Option<RecordId>,
    zone: chrono_tz::Tz,
    mailing: Option<Mailing<'_>>,
    link: Option<&RecordId>,
) -> AppResult<Vec<String>> {
    book(
        db,
        app,
        parts,
        room,
        starts_at,
        actor,
        actor_staff,
        zone,
        mailing,
        link,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn book(
    db: &Db,
    app: &AppContext,
    parts: &[Part<'_>],
    room: Option<&RoomRow>,
    starts_at: DateTime<Utc>,
    actor: &Actor,
    actor_staff: Option<RecordId>,
    zone: chrono_tz::Tz,
    mailing: Option<Mailing<'_>>,
    link: Option<&RecordId>,
) -> AppResult<Vec<String>> {
    let candidate_zone = app
        .candidate_zone
        .as_deref()
        .map(slots::zone)
        .unwrap_or(zone);
    let mut ids = Vec::new();
    let mut rows = Vec::new();
    let (mut all_blocks, mut all_spans, mut cards) = (Vec::new(), Vec::new(), Vec::new());
    let (mut activities, mut mails) = (Vec::new(), Vec::new());
    let mut start = starts_at;
    for Part { plan, panel } in parts {
        let iv = RecordId::new("interview", new_key());
        let ends_at = start + Duration::minutes(plan.duration_min);
        let row = NewInterview {
            id: iv.clone(),
            application: app.id.clone(),
            person: app.person.clone(),
            job: app.job.clone(),
            plan: Some(plan.id.clone()),
            name: plan.name.clone(),
            format: plan.format.clone(),
            // A room is where the interview is; the plan's own place otherwise.
            location: room
                .map(RoomRow::place)
                .unwrap_or_else(|| plan.location.clone()),
            room: room.map(|r| r.id.clone()),
            attributes: plan.attributes.clone(),
            questions: plan.questions.clone(),
            guidance: plan.guidance.clone(),
            starts_at: start,
            ends_at,
            interviewers: panel.iter().map(|s| s.id.clone()).collect(),
            scheduled_by: actor_staff.clone(),
        };
        cards.extend(panel.iter().map(|s| NewCard {
            id: scorecard_id(&iv, &s.id),
            interview: iv.clone(),
            application: app.id.clone(),
            interviewer: s.id.clone(),
            ratings: vec![0; plan.attributes.len()],
        }));
        let summary = format!(
            "{} scheduled for {}",
            plan.name,
            slots::label(start, ends_at, candidate_zone)
        );
        activities.push(
            NewActivity::new(actor, "interview_scheduled", summary)
                .person(&app.person)
                .application(&app.id)
                .job(&app.job)
                .for_candidate(),
        );
        if let Some(m) = mailing {
            mails.extend(invitations(
                &m,
                &Booked {
                    id: &iv,
                    person: &app.person,
                    sequence: 0,
                    name: &plan.name,
                    format: &plan.format,
                    location: &row.location,
                    job_title: &app.job_title,
                    starts_at: start,
                    ends_at,
                    candidate: Party {
                        name: app.person_name(),
                        email: app.email.clone(),
                    },
                    candidate_zone,
                    panel,
                },
                Method::Request,
            ));
        }
        let held = held(panel, room.map(|r| &r.id));
        all_blocks.extend(blocks(&held, &iv, start, ends_at));
        all_spans.extend(spans(&held, &iv, start, ends_at));
        rows.push(row);
        ids.push(key(&iv));
        start = ends_at;
    }
    let first = rows.first().map(|r| r.id.clone());
    let after: Vec<RecordId> = rows.iter().skip(1).map(|r| r.id.clone()).collect();
    // Booked by a recruiter: the candidate still gets a link of their own (in the portal) to
    // move or cancel it until the cut-off, as if they had chosen the time themselves; one link
    // for a whole loop, which then moves (and is cancelled) as one.
    let own_links: Vec<OwnLink> = match (link, rows.first(), parts.first()) {
        (None, Some(row), Some(Part { plan, .. })) => vec![OwnLink {
            application: app.id.clone(),
            person: app.person.clone(),
            plan: plan.id.clone(),
            interviewers: row.interviewers.clone(),
            followed_by: parts
                .iter()
                .skip(1)
                .map(|p| LinkPart {
                    plan: p.plan.id.clone(),
                    interviewers: p.panel.iter().map(|s| s.id.clone()).collect(),
                })
                .collect(),
            room: room.map(|r| r.id.clone()),
            interview: row.id.clone(),
            interviews_after: after.clone(),
            status: "booked".into(),
            expires_at: rows.last().map_or(row.ends_at, |r| r.ends_at),
            created_by: row.scheduled_by.clone(),
        }],
        _ => Vec::new(),
    };
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             IF $link != NONE {
                LET $open = UPDATE $link SET status = 'booked', interview = $iv,
                        interviews_after = $after
                    WHERE status = 'open' AND expires_at > time::now() RETURN VALUE id;
                IF array::len($open) = 0 { THROW 'link_used' };
             };
             INSERT INTO booking_link $own_links RETURN NONE;
             INSERT INTO interview $rows RETURN NONE;
             INSERT INTO busy_block $blocks RETURN NONE;
             INSERT INTO busy_span $spans RETURN NONE;
             INSERT INTO scorecard $cards RETURN NONE;
             INSERT INTO activity $activities RETURN NONE;
             INSERT INTO mail $mails RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("iv", first))
        .bind(("after", after))
        .bind(("rows", rows))
        .bind(("blocks", all_blocks))
        .bind(("spans", all_spans))
        .bind(("cards", cards))
        .bind(("activities", activities))
        .bind(("mails", mails))
        .bind(("link", link.cloned()))
        .bind(("own_links", own_links)),
        &[
            ("busy_block", taken()),
            (
                "link_used",
                AppError::Conflict(
                    "This link has already been used, or has run out. Ask your recruiter for a new one."
                        .into(),
                ),
            ),
        ],
    )
    .await?;
    if let Some(m) = mailing {
        m.mailer.wake();
    }
    Ok(ids)
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict(
        "This interview was cancelled, moved or is over: reload to see it as it is now.".into(),
    )
}

/// Moves a scheduled interview (same panel) to `starts_at`: its busy time moves with it, the
/// SEQUENCE grows and everyone gets the updated invitation. Refused when the interview changed
/// since `iv` was read, or someone on the panel is busy at the new time.
#[allow(clippy::too_many_arguments)]
pub async fn reschedule(
    db: &Db,
    iv: &InterviewRow,
    panel: &[StaffRow],
    starts_at: DateTime<Utc>,
    actor: &Actor,
    zone: chrono_tz::Tz,
    mailing: Option<Mailing<'_>>,
) -> AppResult<()> {
    reschedule_loop(db, &[(iv, panel)], starts_at, actor, zone, mailing).await
}

/// One interview of a move: its id, the version read, and its new times.
#[derive(Debug, Clone, SurrealValue)]
struct Move {
    iv: RecordId,
    seq: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

/// Moves interviews (each with its panel) back to back from `starts_at`, each keeping its
/// length, all or none: one transaction, so a change made meanwhile to any of them (its
/// SEQUENCE no longer the one read), or a panelist busy at its new time, refuses the lot.
#[allow(clippy::too_many_arguments)]
pub async fn reschedule_loop(
    db: &Db,
    ivs: &[(&InterviewRow, &[StaffRow])],
    starts_at: DateTime<Utc>,
    actor: &Actor,
    zone: chrono_tz::Tz,
    mailing: Option<Mailing<'_>>,
) -> AppResult<()> {
    let (mut moves, mut all_blocks, mut all_spans) = (Vec::new(), Vec::new(), Vec::new());
    let (mut activities, mut mails) = (Vec::new(), Vec::new());
    let mut start = starts_at;
    for (iv, panel) in ivs {
        let ends_at = start + (iv.ends_at - iv.starts_at);
        let held = held(panel, iv.room.as_ref());
        let mut moved = booked(iv, panel, zone);
        moved.starts_at = start;
        moved.ends_at = ends_at;
        activities.push(
            NewActivity::new(
                actor,
                "interview_rescheduled",
                format!(
                    "{} moved to {}",
                    iv.name,
                    slots::label(start, ends_at, moved.candidate_zone)
                ),
            )
            .person(&iv.person)
            .application(&iv.application)
            .job(&iv.job)
            .for_candidate(),
        );
        if let Some(m) = mailing {
            mails.extend(invitations(&m, &moved, Method::Request));
        }
        all_blocks.extend(blocks(&held, &iv.id, start, ends_at));
        all_spans.extend(spans(&held, &iv.id, start, ends_at));
        moves.push(Move {
            iv: iv.id.clone(),
            seq: iv.sequence,
            starts_at: start,
            ends_at,
        });
        start = ends_at;
    }
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             FOR $m IN $moves {
                LET $iv = $m.iv;
                LET $done = UPDATE $iv SET starts_at = $m.starts_at, ends_at = $m.ends_at,
                        sequence += 1
                    WHERE status = 'scheduled' AND sequence = $m.seq AND ends_at > time::now()
                    RETURN VALUE id;
                IF array::len($done) = 0 { THROW 'not_scheduled' };
                DELETE busy_block WHERE interview = $iv;
                DELETE busy_span WHERE interview = $iv;
             };
             INSERT INTO busy_block $blocks RETURN NONE;
             INSERT INTO busy_span $spans RETURN NONE;
             INSERT INTO activity $activities RETURN NONE;
             INSERT INTO mail $mails RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("moves", moves))
        .bind(("blocks", all_blocks))
        .bind(("spans", all_spans))
        .bind(("activities", activities))
        .bind(("mails", mails)),
        &[
            ("not_scheduled", changed_meanwhile()),
            ("busy_block", taken()),
        ],
    )
    .await?;
    if let Some(m) = mailing {
        m.mailer.wake();
    }
    Ok(())
}

/// Cancels a scheduled interview: frees the panel's time, drops unsubmitted scorecards and
/// sends everyone the cancellation.
pub async fn cancel(
    db: &Db,
    iv: &InterviewRow,
    panel: &[StaffRow],
    actor: &Actor,
    zone: chrono_tz::Tz,
    mailing: Option<Mailing<'_>>,
) -> AppResult<()> {
    cancel_loop(db, &[(iv, panel)], actor, zone, mailing).await
}

/// One interview of a cancellation: its id and the version read.
#[derive(Debug, Clone, SurrealValue)]
struct Cancellation {
    iv: RecordId,
    seq: i64,
}

/// Cancels interviews (each with its panel), all or none, as `cancel` does one.
pub async fn cancel_loop(
    db: &Db,
    ivs: &[(&InterviewRow, &[StaffRow])],
    actor: &Actor,
    zone: chrono_tz::Tz,
    mailing: Option<Mailing<'_>>,
) -> AppResult<()> {
    let mut activities = Vec::new();
    let mut mails = Vec::new();
    for (iv, panel) in ivs {
        activities.push(
            NewActivity::new(
                actor,
                "interview_cancelled",
                format!("{} cancelled", iv.name),
            )
            .person(&iv.person)
            .application(&iv.application)
            .job(&iv.job)
            .for_candidate(),
        );
        if let Some(m) = mailing {
            mails.extend(invitations(&m, &booked(iv, panel, zone), Method::Cancel));
        }
    }
    let drops: Vec<Cancellation> = ivs
        .iter()
        .map(|(iv, _)| Cancellation {
            iv: iv.id.clone(),
            seq: iv.sequence,
        })
        .collect();
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             FOR $d IN $drops {
                LET $iv = $d.iv;
                LET $done = UPDATE $iv SET status = 'cancelled', sequence += 1
                    WHERE status = 'scheduled' AND sequence = $d.seq AND ends_at > time::now()
                    RETURN VALUE id;
                IF array::len($done) = 0 { THROW 'not_scheduled' };
                DELETE busy_block WHERE interview = $iv;
                DELETE busy_span WHERE interview = $iv;
                DELETE scorecard WHERE interview = $iv AND status != 'submitted';
             };
             INSERT INTO activity $activities RETURN NONE;
             INSERT INTO mail $mails RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("drops", drops))
        .bind(("activities", activities))
        .bind(("mails", mails)),
        &[("not_scheduled", changed_meanwhile())],
    )
    .await?;
    if let Some(m) = mailing {
        m.mailer.wake();
    }
    Ok(())
}
