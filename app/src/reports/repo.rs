//! What the reports read: the jobs in the caller's reach, the period's applications with their
//! stage history (the `stage_event` table, written by the database itself on every change of
//! an application's stage or status), and their offers.

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

#[derive(Debug, Clone, SurrealValue)]
struct AppRow {
    id: RecordId,
    job: RecordId,
    stage: String,
    status: String,
    source: String,
    created_at: DateTime<Utc>,
    rejection_reason: Option<String>,
    warmed_by: Option<RecordId>,
}

#[derive(Debug, Clone, SurrealValue)]
struct EventRow {
    application: RecordId,
    stage: String,
    status: String,
    at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct OfferRow {
    application: RecordId,
    status: String,
    version: i64,
}

/// The applications to `jobs` that arrived in `[from, to)` (from `source` when given), each
/// with its history and its latest offer.
///
/// The applications, and the history with the offers, are read on two tasks of their own, so
/// that a second core can take one of the two scans (`bench reports` probes both reads side by
/// side: 98 ms against 152 ms one after the other at 20,000 applications). Both are spawned,
/// and only then awaited: a task spawned from a worker waits in that worker's own slot, which
/// no other worker takes, until the spawner yields.
pub async fn cohort(
    db: &Db,
    jobs: Vec<RecordId>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    source: Option<String>,
) -> AppResult<Vec<AppFacts>> {
    let history = {
        let (db, jobs) = (db.clone(), jobs.clone());
        tokio::spawn(async move {
            // Unordered: each application's few events are put in order below, which is
            // cheaper than sorting the whole period in the query.
            let mut r = db
                .query(
                    "SELECT application, stage, status, at FROM stage_event
                        WHERE job IN $jobs AND at >= $from;
                     SELECT application, status, version FROM offer WHERE job IN $jobs;",
                )
                .bind(("jobs", jobs))
                .bind(("from", from))
                .await?;
            let events: Vec<EventRow> = r.take(0)?;
            let offers: Vec<OfferRow> = r.take(1)?;
            AppResult::Ok((events, offers))
        })
    };
    let apps = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut r = db
                .query(
                    "SELECT id, job, stage, status, source, created_at, rejection_reason, warmed_by
                        FROM application
                        WHERE job IN $jobs AND created_at >= $from AND created_at < $to
                            AND ($source = NONE OR source = $source);",
                )
                .bind(("jobs", jobs))
                .bind(("from", from))
                .bind(("to", to))
                .bind(("source", source))
                .await?;
            let apps: Vec<AppRow> = r.take(0)?;
            AppResult::Ok(apps)
        })
    };
    let (apps, history) = tokio::join!(apps, history);
    let apps = apps.map_err(crate::server::db::internal)??;
    let (events, offers) = history.map_err(crate::server::db::internal)??;
    let mut moves: HashMap<String, Vec<(String, String, DateTime<Utc>)>> = HashMap::new();
    for e in events {
        moves
            .entry(key(&e.application))
            .or_default()
            .push((e.stage, e.status, e.at));
    }
    let mut latest: HashMap<String, (i64, String)> = HashMap::new();
    for o in offers {
        let e = latest
            .entry(key(&o.application))
            .or_insert((0, String::new()));
        if o.version > e.0 {
            *e = (o.version, o.status);
        }
    }
    Ok(apps
        .into_iter()
        .map(|a| {
            let id = key(&a.id);
            let mut moves = moves.remove(&id).unwrap_or_default();
            moves.sort_by_key(|m| m.2);
            AppFacts {
                offer: latest.remove(&id).map(|(_, s)| s),
                moves,
                id,
                job: key(&a.job),
                source: a.source,
                created: a.created_at,
                stage: a.stage,
                status: a.status,
                rejection_reason: a.rejection_reason,
                warmed: a.warmed_by.is_some(),
            }
        })
        .collect())
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
