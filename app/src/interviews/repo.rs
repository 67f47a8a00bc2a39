//! The feature's reads and writes of interviews and scorecards (the debrief, the interviewer's
//! list, the portal's view); plans, staff time, booking, links and decisions are in `repo/`.

use super::slots::{self, Availability};
use super::types::*;
use crate::error::{AppError, AppResult};
use crate::jobs::repo::StageRow;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, new_key, write_guarded};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

/// The zone of staff who have not set one (the demo company's home).
pub const DEFAULT_ZONE: &str = "Europe/London";

/// Busy time is recorded in blocks of this many minutes; interviews start and last multiples.
pub const BLOCK_MIN: i64 = 5;

/// What scheduling needs to know about an application.
#[derive(Debug, Clone, SurrealValue)]
pub struct AppContext {
    pub id: RecordId,
    pub person: RecordId,
    pub job: RecordId,
    pub stage: String,
    pub status: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The candidate's own zone, once they told us (self-scheduling).
    pub candidate_zone: Option<String>,
    pub job_title: String,
    pub stages: Vec<StageRow>,
    pub hiring_manager: Option<RecordId>,
    pub resume: Option<RecordId>,
}

impl AppContext {
    pub fn person_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn hiring_manager_key(&self) -> Option<String> {
        self.hiring_manager.as_ref().map(key)
    }
}

pub async fn application(db: &Db, app: &RecordId) -> AppResult<Option<AppContext>> {
    let mut res = db
        .query(
            "SELECT id, person, job, stage, status, resume, person.first_name AS first_name,
                person.last_name AS last_name, person.email AS email,
                person.timezone AS candidate_zone, job.title AS job_title, job.stages AS stages,
                job.hiring_manager AS hiring_manager FROM ONLY $app",
        )
        .bind(("app", app.clone()))
        .await?;
    Ok(res.take(0)?)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct InterviewRow {
    pub id: RecordId,
    pub application: RecordId,
    pub person: RecordId,
    pub job: RecordId,
    pub name: String,
    pub format: String,
    pub location: String,
    pub attributes: Vec<String>,
    pub questions: Vec<String>,
    pub guidance: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub interviewers: Vec<RecordId>,
    pub status: String,
    pub sequence: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub candidate_zone: Option<String>,
    pub job_title: String,
    pub hiring_manager: Option<RecordId>,
    pub room: Option<RecordId>,
}

const INTERVIEW_FIELDS: &str =
    "id, application, person, job, name, format, location, room, attributes,
    questions, guidance, starts_at, ends_at, interviewers, status, sequence,
    person.first_name AS first_name, person.last_name AS last_name, person.email AS email,
    person.timezone AS candidate_zone, job.title AS job_title,
    job.hiring_manager AS hiring_manager";

pub async fn interview_row(db: &Db, iv: &RecordId) -> AppResult<Option<InterviewRow>> {
    let mut res = db
        .query(format!("SELECT {INTERVIEW_FIELDS} FROM ONLY $iv"))
        .bind(("iv", iv.clone()))
        .await?;
    Ok(res.take(0)?)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct CardRow {
    pub id: RecordId,
    pub interview: RecordId,
    pub interviewer: RecordId,
    pub interviewer_name: String,
    pub time_zone: Option<String>,
    pub ratings: Vec<i64>,
    pub notes: String,
    pub recommendation: i64,
    pub status: String,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl CardRow {
    pub fn to_wire(&self) -> Scorecard {
        Scorecard {
            interviewer_id: key(&self.interviewer),
            interviewer_name: self.interviewer_name.clone(),
            ratings: self.ratings.iter().map(|r| Rating::from_i64(*r)).collect(),
            notes: self.notes.clone(),
            recommendation: Rating::from_i64(self.recommendation),
            status: CardStatus::parse(&self.status),
            submitted_at: self.submitted_at.map(|d| d.to_rfc3339()),
        }
    }
}

const CARD_FIELDS: &str = "id, interview, interviewer, interviewer.name AS interviewer_name,
    interviewer.time_zone AS time_zone, ratings, notes, recommendation, status, submitted_at";

/// Which scorecards to read: those of these applications, or of these interviews.
#[derive(Clone, Copy)]
enum CardsOf {
    Applications,
    Interviews,
}

async fn cards_where(db: &Db, of: CardsOf, value: Vec<RecordId>) -> AppResult<Vec<CardRow>> {
    let field = match of {
        CardsOf::Applications => "application",
        CardsOf::Interviews => "interview",
    };
    let mut res = db
        .query(format!(
            "SELECT {CARD_FIELDS} FROM scorecard WHERE {field} IN $v"
        ))
        .bind(("v", value))
        .await?;
    Ok(res.take(0)?)
}

/// Turns rows into wire interviews, times in `zone`.
fn to_wire(rows: Vec<InterviewRow>, cards: &[CardRow], zone: chrono_tz::Tz) -> Vec<Interview> {
    rows.into_iter()
        .map(|r| {
            let panel = r
                .interviewers
                .iter()
                .filter_map(|s| {
                    let c = cards
                        .iter()
                        .find(|c| c.interview == r.id && &c.interviewer == s)?;
                    let tz = c.time_zone.clone().unwrap_or_else(|| DEFAULT_ZONE.into());
                    Some(Panelist {
                        id: key(s),
                        name: c.interviewer_name.clone(),
                        local_time: slots::label(r.starts_at, r.ends_at, slots::zone(&tz)),
                        time_zone: tz,
                        scorecard: CardStatus::parse(&c.status),
                    })
                })
                .collect();
            Interview {
                id: key(&r.id),
                application_id: key(&r.application),
                person_id: key(&r.person),
                person_name: format!("{} {}", r.first_name, r.last_name),
                job_id: key(&r.job),
                job_title: r.job_title.clone(),
                name: r.name.clone(),
                format: Format::parse(&r.format).unwrap_or(Format::Video),
                location: r.location.clone(),
                starts_at: r.starts_at.to_rfc3339(),
                ends_at: r.ends_at.to_rfc3339(),
                when: slots::label(r.starts_at, r.ends_at, zone),
                panel,
                cancelled: r.status == "cancelled",
                past: r.ends_at < Utc::now(),
                sequence: r.sequence,
            }
        })
        .collect()
}

/// An application's interviews (newest plan first: by start time) and its debrief.
pub async fn of_application(
    db: &Db,
    app: &RecordId,
    zone: chrono_tz::Tz,
) -> AppResult<(Vec<Interview>, Debrief)> {
    let mut res = db
        .query(format!(
            "SELECT {INTERVIEW_FIELDS} FROM interview WHERE application = $app ORDER BY starts_at"
        ))
        .bind(("app", app.clone()))
        .await?;
    let rows: Vec<InterviewRow> = res.take(0)?;
    let cards = cards_where(db, CardsOf::Applications, vec![app.clone()]).await?;
    let debrief = debrief(&rows, &cards);
    Ok((to_wire(rows, &cards, zone), debrief))
}

fn debrief(rows: &[InterviewRow], cards: &[CardRow]) -> Debrief {
    let mut input = Vec::new();
    for r in rows {
        for s in &r.interviewers {
            if let Some(c) = cards
                .iter()
                .find(|c| c.interview == r.id && &c.interviewer == s && c.status == "submitted")
            {
                input.push((
                    format!("{} · {}", c.interviewer_name, r.name),
                    r.attributes.clone(),
                    c.ratings.iter().map(|x| Rating::from_i64(*x)).collect(),
                    Rating::from_i64(c.recommendation),
                ));
            }
        }
    }
    Debrief::build(&input)
}

/// The interviews `me` sits on, split into to-do, upcoming and past.
pub async fn mine(
    db: &Db,
    me: &RecordId,
    now: DateTime<Utc>,
    zone: chrono_tz::Tz,
) -> AppResult<MyInterviewList> {
    let mut res = db
        .query("SELECT VALUE interview FROM scorecard WHERE interviewer = $me")
        .bind(("me", me.clone()))
        .await?;
    let ids: Vec<RecordId> = res.take(0)?;
    if ids.is_empty() {
        return Ok(MyInterviewList::default());
    }
    let mut res = db
        .query(format!(
            "SELECT {INTERVIEW_FIELDS} FROM $ids WHERE status = 'scheduled' ORDER BY starts_at"
        ))
        .bind(("ids", ids.clone()))
        .await?;
    let rows: Vec<InterviewRow> = res.take(0)?;
    let cards = cards_where(db, CardsOf::Interviews, ids).await?;
    let mut out = MyInterviewList::default();
    let me_key = key(me);
    for iv in to_wire(rows, &cards, zone) {
        let starts = DateTime::parse_from_rfc3339(&iv.starts_at)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or(now);
        let done = iv
            .panel
            .iter()
            .any(|p| p.id == me_key && p.scorecard == CardStatus::Submitted);
        if starts > now {
            out.upcoming.push(iv);
        } else if done {
            out.past.push(iv);
        } else {
            out.to_do.push(iv);
        }
    }
    out.past.reverse();
    Ok(out)
}

/// One interview for its page: the wire interview, every scorecard.
pub async fn detail(
    db: &Db,
    iv: InterviewRow,
    zone: chrono_tz::Tz,
) -> AppResult<(Interview, Vec<CardRow>, InterviewRow)> {
    let cards = cards_where(db, CardsOf::Interviews, vec![iv.id.clone()]).await?;
    let wire = to_wire(vec![iv.clone()], &cards, zone)
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok((wire, cards, iv))
}

#[derive(Debug, Clone, SurrealValue)]
pub struct CandidateBits {
    pub headline: Option<String>,
    pub skills: Vec<String>,
}

pub async fn candidate(db: &Db, person: &RecordId) -> AppResult<CandidateBits> {
    let mut res = db
        .query("SELECT headline, skills FROM ONLY $p")
        .bind(("p", person.clone()))
        .await?;
    let bits: Option<CandidateBits> = res.take(0)?;
    Ok(bits.unwrap_or(CandidateBits {
        headline: None,
        skills: Vec::new(),
    }))
}

/// The resume to read for an application: the one sent with it, else the person's newest.
pub async fn resume_for(db: &Db, app: &RecordId, person: &RecordId) -> AppResult<Option<RecordId>> {
    let mut res = db
        .query(
            "SELECT VALUE resume FROM ONLY $app;
             SELECT VALUE id FROM resume WHERE person = $p ORDER BY uploaded_at DESC LIMIT 1;",
        )
        .bind(("app", app.clone()))
        .bind(("p", person.clone()))
        .await?;
    let sent: Option<RecordId> = res.take(0).ok().flatten();
    let newest: Vec<RecordId> = res.take(1)?;
    Ok(sent.or_else(|| newest.into_iter().next()))
}

/// Saves a panelist's scorecard (a draft, or submitted). A submitted scorecard is final.
#[allow(clippy::too_many_arguments)]
pub async fn save_card(
    db: &Db,
    iv: &InterviewRow,
    me: &RecordId,
    ratings: Vec<i64>,
    notes: String,
    recommendation: i64,
    submit: bool,
    actor: &Actor,
) -> AppResult<()> {
    let id = scorecard_id(&iv.id, me);
    let status = if submit { "submitted" } else { "draft" };
    let activity = submit.then(|| {
        NewActivity::new(
            actor,
            "scorecard_submitted",
            format!("Scorecard submitted for {}", iv.name),
        )
        .person(&iv.person)
        .application(&iv.application)
        .job(&iv.job)
    });
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $id SET ratings = $ratings, notes = $notes,
                recommendation = $rec, status = $status,
                submitted_at = IF $status = 'submitted' { time::now() } ELSE { NONE }
                WHERE status != 'submitted' RETURN VALUE id;
             IF array::len($done) = 0 { THROW 'already_submitted' };
             IF $activity != NONE { CREATE activity CONTENT $activity RETURN NONE };
             COMMIT TRANSACTION;",
        )
        .bind(("id", id))
        .bind(("ratings", ratings))
        .bind(("notes", notes))
        .bind(("rec", recommendation))
        .bind(("status", status))
        .bind(("activity", activity)),
        &[(
            "already_submitted",
            AppError::Conflict("This scorecard is already submitted.".into()),
        )],
    )
    .await?;
    Ok(())
}

/// A candidate's interviews still to come, by application (for the portal).
pub async fn upcoming_for_person(
    db: &Db,
    person: &RecordId,
    now: DateTime<Utc>,
    change_href: impl Fn(&RecordId) -> String,
) -> AppResult<Vec<(String, crate::portal::types::PortalInterview)>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        id: RecordId,
        application: RecordId,
        name: String,
        format: String,
        location: String,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        names: Vec<String>,
        zone: Option<String>,
        link: Option<RecordId>,
    }
    let mut res = db
        .query(
            "SELECT id, application, name, format, location, starts_at, ends_at,
                interviewers.name AS names, person.timezone AS zone,
                (SELECT VALUE id FROM booking_link WHERE application = $parent.application
                    AND (interview = $parent.id OR $parent.id IN interviews_after)
                    LIMIT 1)[0] AS link
                FROM interview
                WHERE person = $p AND status = 'scheduled' AND ends_at > $now ORDER BY starts_at",
        )
        .bind(("p", person.clone()))
        .bind(("now", now))
        .await?;
    let rows: Vec<Row> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let format = Format::parse(&r.format).unwrap_or(Format::Video);
            let zone = slots::zone(r.zone.as_deref().unwrap_or(DEFAULT_ZONE));
            (
                key(&r.application),
                crate::portal::types::PortalInterview {
                    id: key(&r.id),
                    name: r.name,
                    starts_at: r.starts_at.to_rfc3339(),
                    when: slots::label(r.starts_at, r.ends_at, zone),
                    format: format.label().into(),
                    location: r.location,
                    with: r.names,
                    change_href: r.link.as_ref().map(&change_href),
                },
            )
        })
        .collect())
}

/// "2/3 · 2 yes" per application, for board cards (only applications with interviews).
pub async fn badges(db: &Db, apps: &[RecordId]) -> AppResult<HashMap<String, String>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct B {
        application: RecordId,
        status: String,
        recommendation: i64,
    }
    let mut res = db
        .query(
            "SELECT application, status, recommendation FROM scorecard WHERE application IN $apps",
        )
        .bind(("apps", apps.to_vec()))
        .await?;
    let rows: Vec<B> = res.take(0)?;
    let mut tally: HashMap<String, (usize, usize, usize)> = HashMap::new();
    for r in rows {
        let t = tally.entry(key(&r.application)).or_default();
        t.0 += 1;
        if r.status == "submitted" {
            t.1 += 1;
            if r.recommendation >= Rating::Yes as i64 {
                t.2 += 1;
            }
        }
    }
    Ok(tally
        .into_iter()
        .map(|(k, (all, done, yes))| (k, format!("{done}/{all} · {yes} yes")))
        .collect())
}

mod booking;
mod decisions;
mod demo;
mod invitations;
mod links;
mod plans;
mod rooms;
mod staff;
pub use booking::{
    Part, cancel, cancel_loop, reschedule, reschedule_loop, schedule, schedule_loop, scorecard_id,
    taken,
};
pub use decisions::*;
pub use demo::seed_demo;
pub use invitations::{Mailing, calendar_copy};
pub use links::*;
pub use plans::*;
pub use rooms::*;
pub use staff::*;

#[cfg(test)]
mod tests;
