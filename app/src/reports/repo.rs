//! What the reports read: the jobs in the caller's reach and the period's applications with
//! their stage history and latest offer (the `report_fact` table, kept by the database itself
//! from the applications, their `stage_event` history and their offers).

use super::compute::{AppFacts, JobStages};
use crate::error::AppResult;
use crate::server::db::{Db, key};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
pub struct ReportJob {
    pub id: RecordId,
    pub title: String,
    pub department: String,
    pub stages: Vec<crate::jobs::repo::StageRow>,
}

impl ReportJob {
    pub fn to_stages(&self) -> JobStages {
        JobStages {
            job: key(&self.id),
            stages: self
                .stages
                .iter()
                .map(|s| (s.id.clone(), s.name.clone(), s.kind == "hired"))
                .collect(),
        }
    }
}

/// Every job, or only those `manager` is the hiring manager of.
pub async fn jobs(db: &Db, manager: Option<RecordId>) -> AppResult<Vec<ReportJob>> {
    let mut r = db
        .query(
            "SELECT id, title, department, stages FROM job
                WHERE $manager = NONE OR hiring_manager = $manager ORDER BY title;",
        )
        .bind(("manager", manager))
        .await?;
    Ok(r.take(0)?)
}

/// One application as the reports see it: its `report_fact` row, kept by the database.
#[derive(Debug, Clone, SurrealValue)]
pub(super) struct FactRow {
    id: RecordId,
    job: RecordId,
    source: String,
    created: DateTime<Utc>,
    stage: String,
    status: String,
    rejection_reason: Option<String>,
    warmed: bool,
    offer: Option<String>,
    /// (stage, status, at), oldest first: arrays, not objects, which decode faster.
    moves: Vec<(String, String, DateTime<Utc>)>,
}

/// The applications to `jobs` that arrived in `[from, to)` (from `source` when given), each
/// with its history and its latest offer, from `report_fact` (see the schema).
///
/// Before that table the reports read the applications and their history with the offers,
/// 157 ms p50 at 20,000 applications in `bench reports`, most of it reading and decoding rows.
/// The jobs are read in two halves side by side, so that a second core takes half the rows
/// (every other job to each: jobs listed together tend to be alike in size, so a first and a
/// second half took 107 and 70 ms); both are spawned, and only then awaited: a task spawned
/// from a worker waits in that worker's own slot, which no other worker takes, until the
/// spawner yields.
pub async fn cohort(
    db: &Db,
    jobs: Vec<RecordId>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    source: Option<String>,
) -> AppResult<Vec<AppFacts>> {
    let (first, second): (Vec<_>, Vec<_>) =
        jobs.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let (jobs, second): (Vec<RecordId>, Vec<RecordId>) = (
        first.into_iter().map(|(_, j)| j).collect(),
        second.into_iter().map(|(_, j)| j).collect(),
    );
    let read = |jobs: Vec<RecordId>| {
        let (db, source) = (db.clone(), source.clone());
        tokio::spawn(async move {
            if jobs.is_empty() {
                return AppResult::Ok(Vec::new());
            }
            let mut r = db
                .query(
                    "SELECT id, job, source, created, stage, status, rejection_reason, warmed,
                        offer, moves
                    FROM report_fact
                    WHERE job IN $jobs AND created >= $from AND created < $to
                        AND ($source = NONE OR source = $source);",
                )
                .bind(("jobs", jobs))
                .bind(("from", from))
                .bind(("to", to))
                .bind(("source", source))
                .await?;
            let rows: Vec<FactRow> = r.take(0)?;
            AppResult::Ok(rows)
        })
    };
    let (a, b) = (read(jobs), read(second));
    let (a, b) = tokio::join!(a, b);
    let mut rows = a.map_err(crate::server::db::internal)??;
    rows.extend(b.map_err(crate::server::db::internal)??);
    Ok(rows.into_iter().map(|f| f.into_facts(from)).collect())
}

impl FactRow {
    /// As the reports compute with it. Moves come ordered by the database; one stamped before
    /// `from` (a clock set back) stays out, as it did when the history was read by time.
    pub(super) fn into_facts(self, from: DateTime<Utc>) -> AppFacts {
        AppFacts {
            id: key(&self.id),
            job: key(&self.job),
            source: self.source,
            created: self.created,
            stage: self.stage,
            status: self.status,
            rejection_reason: self.rejection_reason,
            offer: self.offer,
            warmed: self.warmed,
            moves: self
                .moves
                .into_iter()
                .filter(|(_, _, at)| *at >= from)
                .collect(),
        }
    }
}

/// Writes the `report_fact` row of every application that has none: those written before the
/// table existed (from then on the database keeps them). Returns how many it wrote.
pub async fn backfill_facts(db: &Db) -> AppResult<usize> {
    fill_facts(
        db,
        "!record::exists(type::record('report_fact', record::id(id)))",
    )
    .await
}

/// Recomputes the `report_fact` row of the applications matching `filter` (a constant).
async fn fill_facts(db: &Db, filter: &'static str) -> AppResult<usize> {
    let mut r = db
        .query(format!(
            "LET $apps = (SELECT VALUE id FROM application WHERE {filter});
             FOR $a IN $apps {{ fn::report_fact($a); }};
             RETURN count($apps);"
        ))
        .await?
        .check()?;
    let n: Option<usize> = r.take(2)?;
    Ok(n.unwrap_or(0))
}

/// The shape of `report_fact` rows: a database whose marker names an older one (or none) has
/// every row recomputed once, at start. 2: `moves` as arrays.
const FACTS_VERSION: &str = "2";

/// Brings `report_fact` up to date once per database and shape, at start: every row is
/// recomputed when the marker in `setting` is missing (a database from before the table) or
/// names an older shape; later starts do nothing. Returns how many rows it wrote.
pub async fn backfill_facts_once(db: &Db) -> AppResult<usize> {
    use crate::server::db::{filled, set_filled};
    if filled(db, "report_facts", FACTS_VERSION).await? {
        return Ok(0);
    }
    let n = fill_facts(db, "true").await?;
    set_filled(db, "report_facts", FACTS_VERSION).await?;
    Ok(n)
}

#[derive(Debug, Clone, SurrealValue)]
struct SourceOnly {
    source: String,
}

/// The sources applications arrived from, for the filter.
pub async fn sources(db: &Db) -> AppResult<Vec<String>> {
    let mut r = db
        .query("SELECT source FROM application GROUP BY source;")
        .await?;
    let rows: Vec<SourceOnly> = r.take(0)?;
    Ok(rows.into_iter().map(|s| s.source).collect())
}

#[derive(Debug, Clone, SurrealValue)]
struct SelfIdRow {
    application: RecordId,
    gender: String,
    ethnicity: String,
    veteran: String,
    disability: String,
}

/// The answers to `question` of the applications to `jobs`, by application key. Only the
/// adverse-impact check reads this table, and only in aggregate.
pub async fn answers(
    db: &Db,
    jobs: Vec<RecordId>,
    question: &str,
) -> AppResult<HashMap<String, String>> {
    let mut r = db
        .query(
            "SELECT application, gender, ethnicity, veteran, disability
                FROM self_identification WHERE job IN $jobs;",
        )
        .bind(("jobs", jobs))
        .await?;
    let rows: Vec<SelfIdRow> = r.take(0)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let answer = match question {
                "ethnicity" => row.ethnicity,
                "veteran" => row.veteran,
                "disability" => row.disability,
                _ => row.gender,
            };
            (key(&row.application), answer)
        })
        .collect())
}

/// Keeps a candidate's voluntary self-identification for their application to `job`, apart
/// from the application (reviewers and exports never read this table). `answers` are in the
/// order of [`super::types::SELF_ID`], already checked.
pub async fn record_self_id(
    db: &Db,
    person: &RecordId,
    job: &RecordId,
    answers: [&'static str; 4],
) -> AppResult<()> {
    db.query(
        "LET $app = (SELECT VALUE id FROM application WHERE person = $person AND job = $job LIMIT 1)[0];
         IF $app != NONE {
            CREATE self_identification CONTENT {
                application: $app, job: $job, gender: $gender, ethnicity: $ethnicity,
                veteran: $veteran, disability: $disability
            } RETURN NONE
         };",
    )
    .bind(("person", person.clone()))
    .bind(("job", job.clone()))
    .bind(("gender", answers[0].to_string()))
    .bind(("ethnicity", answers[1].to_string()))
    .bind(("veteran", answers[2].to_string()))
    .bind(("disability", answers[3].to_string()))
    .await?
    .check()?;
    Ok(())
}
