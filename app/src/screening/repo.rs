//! Screening in the database: criteria per job, one reading per application, the overrides
//! recruiters keep, and the score copied onto the application for boards and lists.

use super::matching::{Facts, evaluate};
use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, write};
use chrono::{DateTime, Datelike, Utc};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

/// Task: read applications against their job's criteria again (after an application, a
/// resume read in the background, a change of criteria, or on request).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Screen {
    pub job: Option<String>,
    pub person: Option<String>,
    pub application: Option<String>,
}

impl crate::server::tasks::Task for Screen {
    const KIND: &'static str = "screen";
}

impl Screen {
    pub fn job(job: &RecordId) -> Self {
        Self {
            job: Some(key(job)),
            ..Self::default()
        }
    }
    pub fn person(person: &RecordId) -> Self {
        Self {
            person: Some(key(person)),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct CriterionRow {
    id: RecordId,
    kind: String,
    term: String,
    years: Option<i64>,
    required: bool,
    answer: Option<bool>,
    created_at: DateTime<Utc>,
}

impl CriterionRow {
    fn to_wire(&self) -> Criterion {
        Criterion {
            id: key(&self.id),
            kind: Kind::parse(&self.kind).unwrap_or(Kind::Skill),
            term: self.term.clone(),
            years: self.years.and_then(|y| u32::try_from(y).ok()),
            required: self.required,
            answer: self.answer,
        }
    }
}

/// A job's criteria, in the order they were added.
pub async fn criteria(db: &Db, job: &RecordId) -> AppResult<Vec<Criterion>> {
    let mut r = db
        .query(
            "SELECT id, kind, term, years, required, answer, created_at FROM screening_criterion
             WHERE job = $job ORDER BY created_at",
        )
        .bind(("job", job.clone()))
        .await?;
    let rows: Vec<CriterionRow> = r.take(0)?;
    Ok(rows.iter().map(CriterionRow::to_wire).collect())
}

/// Adds a criterion to a job (at most [`MAX_CRITERIA`]).
pub async fn add_criterion(
    db: &Db,
    job: &RecordId,
    c: &NewCriterion,
    actor: &Actor,
) -> AppResult<()> {
    if criteria(db, job).await?.len() >= MAX_CRITERIA {
        return Err(AppError::invalid(
            "term",
            "A job has at most 20 criteria: remove one first.",
        ));
    }
    let shown = Criterion {
        id: String::new(),
        kind: c.kind,
        term: c.term.clone(),
        years: c.years,
        required: c.required,
        answer: c.answer,
    };
    let activity = NewActivity::new(
        actor,
        "screening_changed",
        format!(
            "Screening: added “{}” ({})",
            shown.describe(),
            if c.required {
                "must-have"
            } else {
                "nice-to-have"
            }
        ),
    )
    .job(job);
    write(
        db.query(
            "BEGIN TRANSACTION;
             CREATE screening_criterion SET job = $job, kind = $kind, term = $term, years = $years,
                required = $required, answer = $answer RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("job", job.clone()))
        .bind(("kind", c.kind.as_str().to_string()))
        .bind(("term", c.term.clone()))
        .bind(("years", c.years.map(i64::from)))
        .bind(("required", c.required))
        .bind(("answer", c.answer))
        .bind(("activity", activity)),
    )
    .await?;
    Ok(())
}

/// Removes a criterion and the overrides of it.
pub async fn remove_criterion(
    db: &Db,
    job: &RecordId,
    criterion: &RecordId,
    actor: &Actor,
) -> AppResult<()> {
    let Some(c) = criteria(db, job)
        .await?
        .into_iter()
        .find(|c| c.id == key(criterion))
    else {
        return Err(AppError::NotFound);
    };
    let activity = NewActivity::new(
        actor,
        "screening_changed",
        format!("Screening: removed “{}”", c.describe()),
    )
    .job(job);
    write(
        db.query(
            "BEGIN TRANSACTION;
             DELETE screening_override WHERE criterion = $c;
             DELETE $c;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("c", criterion.clone()))
        .bind(("activity", activity)),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct AnswerRow {
    criterion: String,
    yes: bool,
}

/// Keeps the answers an applicant gave to the job's questions on their application.
pub async fn record_answers(
    db: &Db,
    person: &RecordId,
    job: &RecordId,
    answers: Vec<(String, bool)>,
) -> AppResult<()> {
    let rows: Vec<AnswerRow> = answers
        .into_iter()
        .map(|(criterion, yes)| AnswerRow { criterion, yes })
        .collect();
    write(
        db.query("UPDATE application SET answers = $answers WHERE person = $person AND job = $job RETURN NONE")
            .bind(("answers", rows))
            .bind(("person", person.clone()))
            .bind(("job", job.clone())),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct AppFacts {
    id: RecordId,
    job: RecordId,
    answers: Option<Vec<AnswerRow>>,
    resume: Option<String>,
    location: Option<String>,
    skills: Option<Vec<String>>,
    screen_points: Option<i64>,
    screen_possible: Option<i64>,
    screen_passed: Option<bool>,
    screen_unknown: Option<i64>,
}

#[derive(Debug, Clone, SurrealValue)]
struct FindingRow {
    criterion: String,
    verdict: String,
    evidence: Option<String>,
    source: String,
}

impl FindingRow {
    fn to_wire(&self) -> Finding {
        Finding {
            verdict: Verdict::parse(&self.verdict).unwrap_or(Verdict::Unknown),
            evidence: self.evidence.clone(),
            source: self.source.clone(),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct OverrideRow {
    application: RecordId,
    criterion: RecordId,
    verdict: String,
    note: String,
    by_name: String,
    at: DateTime<Utc>,
}

impl OverrideRow {
    fn to_wire(&self) -> Override {
        Override {
            verdict: Verdict::parse(&self.verdict).unwrap_or(Verdict::Unknown),
            note: self.note.clone(),
            by: self.by_name.clone(),
            at: self.at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct Reading {
    key: String,
    app: RecordId,
    job: RecordId,
    findings: Vec<FindingRow>,
    changed: bool,
    points: Option<i64>,
    possible: Option<i64>,
    passed: Option<bool>,
    unknown: Option<i64>,
}

/// Which applications to read again.
pub enum Scope {
    Job(RecordId),
    Person(RecordId),
    Application(RecordId),
}

/// Reads the applications in `scope` against their job's criteria, keeps each finding, and
/// copies the score (overrides included) onto the application. Returns how many were read.
pub async fn screen(db: &Db, scope: Scope) -> AppResult<usize> {
    let (filter, value) = match scope {
        Scope::Job(j) => ("job = $v", j),
        Scope::Person(p) => ("person = $v", p),
        Scope::Application(a) => ("id = $v", a),
    };
    let mut r = db
        .query(format!(
            "SELECT id, job, answers, person.resume_text AS resume, person.location AS location,
                person.skills AS skills, screen_points, screen_possible, screen_passed, screen_unknown
             FROM application WHERE {filter}"
        ))
        .bind(("v", value))
        .await?;
    let apps: Vec<AppFacts> = r.take(0)?;
    if apps.is_empty() {
        return Ok(0);
    }
    let mut by_job: HashMap<String, Vec<Criterion>> = HashMap::new();
    let mut jobs: Vec<&RecordId> = apps.iter().map(|a| &a.job).collect();
    jobs.sort_by_key(|j| key(j));
    jobs.dedup();
    for j in jobs {
        by_job.insert(key(j), criteria(db, j).await?);
    }
    let overrides = overrides_of(db, apps.iter().map(|a| a.id.clone()).collect()).await?;
    let year = Utc::now().year();
    let mut readings = Vec::with_capacity(apps.len());
    for a in &apps {
        let crit = &by_job[&key(&a.job)];
        let answers: Vec<(String, bool)> = a
            .answers
            .iter()
            .flatten()
            .map(|x| (x.criterion.clone(), x.yes))
            .collect();
        let skills = a.skills.clone().unwrap_or_default();
        let facts = Facts {
            resume: a.resume.as_deref(),
            location: a.location.as_deref(),
            skills: &skills,
            answers: &answers,
            year,
        };
        let mine = overrides.get(&key(&a.id));
        let results: Vec<CriterionResult> = crit
            .iter()
            .map(|c| CriterionResult {
                criterion: c.clone(),
                found: evaluate(c, &facts),
                overridden: mine
                    .and_then(|o| o.iter().find(|o| key(&o.criterion) == c.id))
                    .map(OverrideRow::to_wire),
            })
            .collect();
        let s = (!crit.is_empty()).then(|| score(&results));
        let (points, possible, passed, unknown) = (
            s.map(|s| i64::from(s.points)),
            s.map(|s| i64::from(s.possible)),
            s.map(|s| s.passed),
            s.map(|s| i64::from(s.unknown)),
        );
        readings.push(Reading {
            key: key(&a.id),
            app: a.id.clone(),
            job: a.job.clone(),
            findings: results
                .iter()
                .map(|r| FindingRow {
                    criterion: r.criterion.id.clone(),
                    verdict: r.found.verdict.as_str().into(),
                    evidence: r.found.evidence.clone(),
                    source: r.found.source.clone(),
                })
                .collect(),
            changed: (points, possible, passed, unknown)
                != (
                    a.screen_points,
                    a.screen_possible,
                    a.screen_passed,
                    a.screen_unknown,
                ),
            points,
            possible,
            passed,
            unknown,
        });
    }
    let n = readings.len();
    for chunk in readings.chunks(500) {
        write(
            db.query(
                // In one transaction, and only for applications that still exist: an
                // application deleted while it was being read gets no orphan reading.
                "BEGIN TRANSACTION;
                 FOR $r IN $rows {
                     IF $r.app.id = NONE {
                         CONTINUE;
                     };
                     IF array::len($r.findings) = 0 {
                         DELETE type::record('screening_result', $r.key);
                     } ELSE {
                         UPSERT type::record('screening_result', $r.key) CONTENT {
                             application: $r.app, job: $r.job, findings: $r.findings, read_at: time::now()
                         } RETURN NONE;
                     };
                     IF $r.changed {
                         UPDATE $r.app SET screen_points = $r.points, screen_possible = $r.possible,
                             screen_passed = $r.passed, screen_unknown = $r.unknown RETURN NONE;
                     };
                 };
                 COMMIT TRANSACTION;",
            )
            .bind(("rows", chunk.to_vec())),
        )
        .await?;
    }
    Ok(n)
}

/// The overrides of `apps`, by application key.
async fn overrides_of(
    db: &Db,
    apps: Vec<RecordId>,
) -> AppResult<HashMap<String, Vec<OverrideRow>>> {
    let mut r = db
        .query(
            "SELECT application, criterion, verdict, note, by_name, at FROM screening_override
             WHERE application IN $apps",
        )
        .bind(("apps", apps))
        .await?;
    let rows: Vec<OverrideRow> = r.take(0)?;
    let mut out: HashMap<String, Vec<OverrideRow>> = HashMap::new();
    for o in rows {
        out.entry(key(&o.application)).or_default().push(o);
    }
    Ok(out)
}

#[derive(Debug, Clone, SurrealValue)]
struct ResultRow {
    findings: Vec<FindingRow>,
    read_at: DateTime<Utc>,
}

/// An application's results per criterion (in the job's order), its score and when it was read.
pub async fn of_application(
    db: &Db,
    app: &RecordId,
    job: &RecordId,
) -> AppResult<(Vec<CriterionResult>, Option<Score>, Option<String>)> {
    let crit = criteria(db, job).await?;
    let mut r = db
        .query("SELECT findings, read_at FROM type::record('screening_result', $k)")
        .bind(("k", key(app)))
        .await?;
    let stored: Vec<ResultRow> = r.take(0)?;
    let stored = stored.into_iter().next();
    let overrides = overrides_of(db, vec![app.clone()]).await?;
    let mine = overrides.get(&key(app));
    let results: Vec<CriterionResult> = crit
        .into_iter()
        .map(|c| {
            let found = stored
                .as_ref()
                .and_then(|s| s.findings.iter().find(|f| f.criterion == c.id))
                .map(FindingRow::to_wire)
                // Added since the last reading: the task is on its way.
                .unwrap_or_else(|| Finding::new(Verdict::Unknown, None, "none"));
            let overridden = mine
                .and_then(|o| o.iter().find(|o| key(&o.criterion) == c.id))
                .map(OverrideRow::to_wire);
            CriterionResult {
                criterion: c,
                found,
                overridden,
            }
        })
        .collect();
    let s = (!results.is_empty() && stored.is_some()).then(|| score(&results));
    Ok((results, s, stored.map(|s| s.read_at.to_rfc3339())))
}

/// Sets (or, with `verdict` None, clears) a recruiter's decision on one criterion, and scores
/// the application again. The reading under it is kept; the override wins over it.
pub async fn set_override(
    db: &Db,
    app: &RecordId,
    person: &RecordId,
    criterion: &Criterion,
    verdict: Option<Verdict>,
    note: &str,
    actor: &Actor,
) -> AppResult<()> {
    let crit = RecordId::new("screening_criterion", criterion.id.as_str());
    let summary = match verdict {
        Some(v) => format!(
            "Screening: “{}” set to {}{}",
            criterion.describe(),
            v.label(),
            if note.is_empty() {
                String::new()
            } else {
                format!(" ({note})")
            }
        ),
        None => format!(
            "Screening: the override of “{}” was cleared",
            criterion.describe()
        ),
    };
    let activity = NewActivity::new(actor, "screening_override", summary)
        .person(person)
        .application(app);
    write(
        db.query(
            "BEGIN TRANSACTION;
             DELETE screening_override WHERE application = $app AND criterion = $c;
             IF $verdict != NONE {
                 CREATE screening_override SET application = $app, criterion = $c, verdict = $verdict,
                    note = $note, by = $by, by_name = $by_name RETURN NONE;
             };
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("app", app.clone()))
        .bind(("c", crit))
        .bind(("verdict", verdict.map(|v| v.as_str().to_string())))
        .bind(("note", note.to_string()))
        .bind(("by", actor.id.clone()))
        .bind(("by_name", actor.label.clone()))
        .bind(("activity", activity)),
    )
    .await?;
    screen(db, Scope::Application(app.clone())).await?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct LineRow {
    id: RecordId,
    person: RecordId,
    person_name: String,
    stage: String,
    status: String,
    created_at: DateTime<Utc>,
    screen_points: Option<i64>,
    screen_possible: Option<i64>,
    screen_passed: Option<bool>,
    screen_unknown: Option<i64>,
}

#[derive(Debug, Clone, SurrealValue)]
struct StoredFindings {
    application: RecordId,
    findings: Vec<FindingRow>,
}

/// The score stored on an application, if it was read against criteria.
pub fn stored_score(
    points: Option<i64>,
    possible: Option<i64>,
    passed: Option<bool>,
    unknown: Option<i64>,
) -> Option<Score> {
    Some(Score {
        points: u32::try_from(points?).ok()?,
        possible: u32::try_from(possible?).ok()?,
        passed: passed?,
        unknown: unknown.and_then(|u| u32::try_from(u).ok()).unwrap_or(0),
    })
}

/// A job's applications with their score and verdict per criterion (unfiltered, unordered).
/// `stage_name` names a stage of the job.
pub async fn lines(
    db: &Db,
    job: &RecordId,
    criteria: &[Criterion],
    stage_name: impl Fn(&str) -> String,
) -> AppResult<Vec<ScreeningLine>> {
    let mut r = db
        .query(
            "SELECT id, person, person_name, stage, status, created_at, screen_points, screen_possible,
                screen_passed, screen_unknown FROM application WHERE job = $job;
             SELECT application, findings FROM screening_result WHERE job = $job;",
        )
        .bind(("job", job.clone()))
        .await?;
    let rows: Vec<LineRow> = r.take(0)?;
    let found: Vec<StoredFindings> = r.take(1)?;
    let found: HashMap<String, Vec<FindingRow>> = found
        .into_iter()
        .map(|f| (key(&f.application), f.findings))
        .collect();
    let overrides = overrides_of(db, rows.iter().map(|r| r.id.clone()).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let marks = criteria
                .iter()
                .map(|c| {
                    overrides
                        .get(&key(&row.id))
                        .and_then(|o| o.iter().find(|o| key(&o.criterion) == c.id))
                        .and_then(|o| Verdict::parse(&o.verdict))
                        .or_else(|| {
                            found
                                .get(&key(&row.id))
                                .and_then(|f| f.iter().find(|f| f.criterion == c.id))
                                .and_then(|f| Verdict::parse(&f.verdict))
                        })
                        .unwrap_or(Verdict::Unknown)
                })
                .collect();
            ScreeningLine {
                application_id: key(&row.id),
                person_id: key(&row.person),
                name: row.person_name,
                stage_name: match row.status.as_str() {
                    "rejected" => "Rejected".into(),
                    "withdrawn" => "Withdrawn".into(),
                    _ => stage_name(&row.stage),
                },
                status: row.status,
                applied_at: row.created_at.to_rfc3339(),
                score: stored_score(
                    row.screen_points,
                    row.screen_possible,
                    row.screen_passed,
                    row.screen_unknown,
                ),
                marks,
            }
        })
        .collect())
}

/// Pass or fail of every screened application of `jobs` (application key → passed), for the
/// adverse-impact check.
pub async fn passes(db: &Db, jobs: Vec<RecordId>) -> AppResult<HashMap<String, bool>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        id: RecordId,
        screen_passed: Option<bool>,
    }
    let mut r = db
        .query("SELECT id, screen_passed FROM application WHERE job IN $jobs AND screen_passed != NONE")
        .bind(("jobs", jobs))
        .await?;
    let rows: Vec<Row> = r.take(0)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.screen_passed.map(|p| (key(&r.id), p)))
        .collect())
}
