//! Interview plans, scheduling (with double bookings made impossible by one record per person
//! and 5-minute block), scorecards and the debrief. All SurrealQL of the feature lives here.

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

#[derive(Debug, Clone, SurrealValue)]
pub struct PlanRow {
    pub id: RecordId,
    pub job: RecordId,
    pub stage: String,
    pub position: i64,
    pub name: String,
    pub duration_min: i64,
    pub format: String,
    pub location: String,
    pub attributes: Vec<String>,
    pub questions: Vec<String>,
    pub guidance: String,
}

impl PlanRow {
    fn to_wire(&self, stages: &[StageRow]) -> PlanInterview {
        PlanInterview {
            id: key(&self.id),
            stage: self.stage.clone(),
            stage_name: stages
                .iter()
                .find(|s| s.id == self.stage)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| "(removed stage)".into()),
            name: self.name.clone(),
            duration_min: self.duration_min.max(0) as u32,
            format: Format::parse(&self.format).unwrap_or(Format::Video),
            location: self.location.clone(),
            attributes: self.attributes.clone(),
            questions: self.questions.clone(),
            guidance: self.guidance.clone(),
        }
    }
}

/// A new plan interview, checked.
#[derive(Debug, Clone, SurrealValue)]
pub struct PlanInput {
    pub stage: String,
    pub name: String,
    pub duration_min: i64,
    pub format: String,
    pub location: String,
    pub attributes: Vec<String>,
    pub questions: Vec<String>,
    pub guidance: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewPlanRow {
    job: RecordId,
    stage: String,
    position: i64,
    name: String,
    duration_min: i64,
    format: String,
    location: String,
    attributes: Vec<String>,
    questions: Vec<String>,
    guidance: String,
}

/// The job's interviews, in stage order then position.
pub async fn plan_of(db: &Db, job: &RecordId) -> AppResult<Vec<PlanRow>> {
    let mut res = db
        .query(
            "SELECT id, job, stage, position, name, duration_min, format, location, attributes,
                questions, guidance, created_at FROM plan_interview WHERE job = $job
                ORDER BY position, created_at",
        )
        .bind(("job", job.clone()))
        .await?;
    Ok(res.take(0)?)
}

/// Sorts plan rows by the stage order of the job.
pub fn in_stage_order(mut rows: Vec<PlanRow>, stages: &[StageRow]) -> Vec<PlanRow> {
    rows.sort_by_key(|r| {
        (
            stages
                .iter()
                .position(|s| s.id == r.stage)
                .unwrap_or(usize::MAX),
            r.position,
        )
    });
    rows
}

pub fn plan_wire(rows: &[PlanRow], stages: &[StageRow]) -> Vec<PlanInterview> {
    rows.iter().map(|r| r.to_wire(stages)).collect()
}

pub async fn plan_row(db: &Db, id: &RecordId) -> AppResult<Option<PlanRow>> {
    let mut res = db
        .query(
            "SELECT id, job, stage, position, name, duration_min, format, location, attributes,
                questions, guidance FROM ONLY $id",
        )
        .bind(("id", id.clone()))
        .await?;
    Ok(res.take(0)?)
}

pub async fn add_plan_interview(
    db: &Db,
    job: &RecordId,
    input: PlanInput,
    actor: &Actor,
) -> AppResult<String> {
    let position = plan_of(db, job).await?.len() as i64;
    let id = RecordId::new("plan_interview", new_key());
    let summary = format!("Interview plan: added \"{}\"", input.name);
    let row = NewPlanRow {
        job: job.clone(),
        stage: input.stage,
        position,
        name: input.name,
        duration_min: input.duration_min,
        format: input.format,
        location: input.location,
        attributes: input.attributes,
        questions: input.questions,
        guidance: input.guidance,
    };
    let activity = NewActivity::new(actor, "plan_edited", summary).job(job);
    db.query(
        "BEGIN TRANSACTION;
         CREATE $id CONTENT $row RETURN NONE;
         CREATE activity CONTENT $activity RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("id", id.clone()))
    .bind(("row", row))
    .bind(("activity", activity))
    .await?
    .check()?;
    Ok(key(&id))
}

pub async fn remove_plan_interview(db: &Db, row: &PlanRow, actor: &Actor) -> AppResult<()> {
    let activity = NewActivity::new(
        actor,
        "plan_edited",
        format!("Interview plan: removed \"{}\"", row.name),
    )
    .job(&row.job);
    db.query(
        "BEGIN TRANSACTION;
         DELETE $id;
         CREATE activity CONTENT $activity RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("id", row.id.clone()))
    .bind(("activity", activity))
    .await?
    .check()?;
    Ok(())
}

/// Copies `from`'s plan into `to` (after what `to` has), for the stages both jobs have.
/// Returns how many interviews were copied.
pub async fn copy_plan(
    db: &Db,
    from: &RecordId,
    to: &RecordId,
    to_stages: &[StageRow],
    actor: &Actor,
) -> AppResult<usize> {
    let source = plan_of(db, from).await?;
    let start = plan_of(db, to).await?.len() as i64;
    let rows: Vec<NewPlanRow> = source
        .into_iter()
        .filter(|r| to_stages.iter().any(|s| s.id == r.stage))
        .enumerate()
        .map(|(i, r)| NewPlanRow {
            job: to.clone(),
            stage: r.stage,
            position: start + i as i64,
            name: r.name,
            duration_min: r.duration_min,
            format: r.format,
            location: r.location,
            attributes: r.attributes,
            questions: r.questions,
            guidance: r.guidance,
        })
        .collect();
    let n = rows.len();
    if n == 0 {
        return Ok(0);
    }
    let activity = NewActivity::new(
        actor,
        "plan_edited",
        format!("Interview plan: copied {n} interviews from another job"),
    )
    .job(to);
    db.query(
        "BEGIN TRANSACTION;
         INSERT INTO plan_interview $rows RETURN NONE;
         CREATE activity CONTENT $activity RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("rows", rows))
    .bind(("activity", activity))
    .await?
    .check()?;
    Ok(n)
}

#[derive(Debug, Clone, SurrealValue)]
struct JobTitle {
    id: RecordId,
    title: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct JobCount {
    job: RecordId,
    n: i64,
}

/// Other jobs that have a plan to copy.
pub async fn jobs_with_plans(db: &Db, except: &RecordId) -> AppResult<Vec<JobChoice>> {
    let mut res = db
        .query(
            "SELECT job, count() AS n FROM plan_interview GROUP BY job;
             SELECT id, title FROM job ORDER BY title;",
        )
        .await?;
    let counts: Vec<JobCount> = res.take(0)?;
    let titles: Vec<JobTitle> = res.take(1)?;
    Ok(titles
        .into_iter()
        .filter(|j| &j.id != except)
        .filter_map(|j| {
            let n = counts.iter().find(|c| c.job == j.id)?.n;
            Some(JobChoice {
                id: key(&j.id),
                title: j.title,
                interviews: n.max(0) as usize,
            })
        })
        .collect())
}

/// A staff member's working day and zone.
#[derive(Debug, Clone, SurrealValue)]
pub struct StaffRow {
    pub id: RecordId,
    pub name: String,
    pub email: String,
    /// Empty on staff created before working hours existed (their defaults apply).
    pub time_zone: Option<String>,
    pub work_start: Option<i64>,
    pub work_end: Option<i64>,
}

impl StaffRow {
    pub fn availability(&self) -> Availability {
        Availability::new(
            slots::zone(&self.zone_name()),
            self.work_start.unwrap_or(540).clamp(0, 24 * 60) as u32,
            self.work_end.unwrap_or(1050).clamp(0, 24 * 60) as u32,
        )
    }

    pub fn zone_name(&self) -> String {
        self.time_zone
            .clone()
            .unwrap_or_else(|| DEFAULT_ZONE.into())
    }
}

/// Active staff who can sit on a panel, by name.
pub async fn panel_choices(db: &Db) -> AppResult<Vec<StaffRow>> {
    let mut res = db
        .query(
            "SELECT id, name, email, time_zone, work_start, work_end FROM staff WHERE active = true
                ORDER BY name",
        )
        .await?;
    Ok(res.take(0)?)
}

pub async fn staff_rows(db: &Db, ids: &[RecordId]) -> AppResult<Vec<StaffRow>> {
    let mut res = db
        .query("SELECT id, name, email, time_zone, work_start, work_end, active FROM $ids WHERE active = true")
        .bind(("ids", ids.to_vec()))
        .await?;
    Ok(res.take(0)?)
}

/// Sets a staff member's zone and working day (minutes after local midnight).
pub async fn set_working_hours(
    db: &Db,
    staff: &RecordId,
    zone: &str,
    start: u32,
    end: u32,
) -> AppResult<()> {
    db.query("UPDATE $id SET time_zone = $zone, work_start = $start, work_end = $end RETURN NONE")
        .bind(("id", staff.clone()))
        .bind(("zone", zone.to_string()))
        .bind(("start", i64::from(start)))
        .bind(("end", i64::from(end)))
        .await?
        .check()?;
    Ok(())
}

/// A staff member's busy feed and how its last read went.
#[derive(Debug, Clone, SurrealValue)]
pub struct FeedStatus {
    pub busy_feed_url: Option<String>,
    pub busy_feed_checked_at: Option<DateTime<Utc>>,
    pub busy_feed_error: Option<String>,
    pub busy_feed_events: Option<i64>,
}

pub async fn feed_status(db: &Db, staff: &RecordId) -> AppResult<FeedStatus> {
    let mut res = db
        .query(
            "SELECT busy_feed_url, busy_feed_checked_at, busy_feed_error, busy_feed_events
                FROM ONLY $id",
        )
        .bind(("id", staff.clone()))
        .await?;
    let row: Option<FeedStatus> = res.take(0)?;
    row.ok_or(AppError::NotFound)
}

/// Sets (or with `None` removes) a staff member's busy feed; removing it drops its busy time.
pub async fn set_feed(db: &Db, staff: &RecordId, url: Option<&str>) -> AppResult<()> {
    db.query(
        "BEGIN TRANSACTION;
         LET $before = (SELECT VALUE busy_feed_url FROM ONLY $id);
         IF $url = NONE OR $url != $before {
            UPDATE $id SET busy_feed_url = $url, busy_feed_checked_at = NONE,
                busy_feed_error = NONE, busy_feed_events = NONE RETURN NONE;
            DELETE busy_span WHERE staff = $id AND source = 'feed';
         };
         COMMIT TRANSACTION;",
    )
    .bind(("id", staff.clone()))
    .bind(("url", url.map(str::to_string)))
    .await?
    .check()?;
    Ok(())
}

pub async fn time_zone_of(db: &Db, staff: &RecordId) -> AppResult<String> {
    let mut res = db
        .query("SELECT VALUE time_zone FROM ONLY $id")
        .bind(("id", staff.clone()))
        .await?;
    let tz: Option<String> = res.take(0)?;
    Ok(tz.unwrap_or_else(|| DEFAULT_ZONE.into()))
}

#[derive(Debug, Clone, SurrealValue)]
struct BusyRow {
    staff: RecordId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

/// Half-open time intervals.
pub type Spans = Vec<(DateTime<Utc>, DateTime<Utc>)>;

/// Each person's busy intervals between `from` and `until` (blocks merged).
pub async fn busy(
    db: &Db,
    people: &[RecordId],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    except: Option<&RecordId>,
) -> AppResult<HashMap<String, Spans>> {
    // Intervals starting before `until` (no interview lasts longer than a day, so those
    // starting a day before `from` are enough to catch any still running at `from`).
    let mut res = db
        .query(
            "SELECT staff, starts_at, ends_at FROM busy_span
                WHERE staff IN $people AND starts_at >= $from AND starts_at < $until
                    AND ($except = NONE OR interview != $except)",
        )
        .bind(("except", except.cloned()))
        .bind(("people", people.to_vec()))
        .bind(("from", from - Duration::days(1)))
        .bind(("until", until))
        .await?;
    let rows: Vec<BusyRow> = res.take(0)?;
    let mut out: HashMap<String, Spans> = HashMap::new();
    for r in rows.into_iter().filter(|r| r.ends_at > from) {
        out.entry(key(&r.staff))
            .or_default()
            .push((r.starts_at, r.ends_at));
    }
    for spans in out.values_mut() {
        spans.sort();
    }
    Ok(out)
}

/// Free start times for this panel.
pub async fn propose(
    db: &Db,
    panel: &[StaffRow],
    duration_min: i64,
    now: DateTime<Utc>,
    rules: &slots::Rules,
    except: Option<&RecordId>,
) -> AppResult<Vec<DateTime<Utc>>> {
    let ids: Vec<RecordId> = panel.iter().map(|p| p.id.clone()).collect();
    let mut busy = busy(
        db,
        &ids,
        now - Duration::hours(1),
        now + Duration::days(rules.days + 1),
        except,
    )
    .await?;
    let people: Vec<Availability> = panel
        .iter()
        .map(|p| {
            let mut a = p.availability();
            a.busy = busy.remove(&key(&p.id)).unwrap_or_default();
            a
        })
        .collect();
    let mut rules = rules.clone();
    rules.duration = Duration::minutes(duration_min);
    Ok(slots::free_slots(&people, now, &rules))
}

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
}

const INTERVIEW_FIELDS: &str = "id, application, person, job, name, format, location, attributes,
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

async fn cards_where(db: &Db, field: &str, value: Vec<RecordId>) -> AppResult<Vec<CardRow>> {
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
    let cards = cards_where(db, "application", vec![app.clone()]).await?;
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
    let cards = cards_where(db, "interview", ids).await?;
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
    let cards = cards_where(db, "interview", vec![iv.id.clone()]).await?;
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
                (SELECT VALUE id FROM booking_link WHERE interview = $parent.id LIMIT 1)[0] AS link
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

/// Records a hiring decision (the move it makes is the caller's, done first).
pub async fn record_decision(
    db: &Db,
    app: &AppContext,
    by: &RecordId,
    decision: &str,
    reason: &str,
    actor: &Actor,
) -> AppResult<()> {
    let activity = NewActivity::new(
        actor,
        "hiring_decision",
        format!(
            "Decision: {}. {}",
            if decision == "advance" {
                "advance"
            } else {
                "reject"
            },
            reason
        ),
    )
    .person(&app.person)
    .application(&app.id)
    .job(&app.job);
    db.query(
        "BEGIN TRANSACTION;
         CREATE hiring_decision CONTENT {
            application: $app, job: $job, decided_by: $by, decision: $decision, reason: $reason,
            stage: $stage
         } RETURN NONE;
         CREATE activity CONTENT $activity RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("app", app.id.clone()))
    .bind(("job", app.job.clone()))
    .bind(("by", by.clone()))
    .bind(("decision", decision.to_string()))
    .bind(("reason", reason.to_string()))
    .bind(("stage", app.stage.clone()))
    .bind(("activity", activity))
    .await?
    .check()?;
    Ok(())
}

/// The application's decisions, newest first.
pub async fn decisions_of(db: &Db, app: &AppContext) -> AppResult<Vec<Decision>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        by: String,
        decision: String,
        stage: String,
        reason: String,
        created_at: DateTime<Utc>,
    }
    let mut res = db
        .query(
            "SELECT decided_by.name AS by, decision, stage, reason, created_at FROM hiring_decision
                WHERE application = $app ORDER BY created_at DESC",
        )
        .bind(("app", app.id.clone()))
        .await?;
    let rows: Vec<Row> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| Decision {
            stage_name: app
                .stages
                .iter()
                .find(|s| s.id == r.stage)
                .map(|s| s.name.clone())
                .unwrap_or(r.stage),
            by: r.by,
            decision: r.decision,
            reason: r.reason,
            at: r.created_at.to_rfc3339(),
        })
        .collect())
}

mod booking;
mod demo;
mod links;
pub use booking::{Mailing, cancel, reschedule, schedule, scorecard_id, taken};
pub use demo::seed_demo;
pub use links::*;

#[cfg(test)]
mod tests;
