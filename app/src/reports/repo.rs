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
struct FactRow {
    id: RecordId,
    job: RecordId,
    source: String,
    created: DateTime<Utc>,
    stage: String,
    status: String,
    rejection_reason: Option<String>,
    warmed: bool,
    offer: Option<String>,
    moves: Vec<MoveRow>,
}

#[derive(Debug, Clone, SurrealValue)]
struct MoveRow {
    stage: String,
    status: String,
    at: DateTime<Utc>,
}

/// The applications to `jobs` that arrived in `[from, to)` (from `source` when given), each
/// with its history and its latest offer, from `report_fact` (see the schema).
///
/// Before that table the reports read the applications and their history with the offers,
/// 157 ms p50 at 20,000 applications in `bench reports`, most of it reading and decoding rows.
/// The jobs are read in two halves side by side, so that a second core takes half the rows;
/// both are spawned, and only then awaited: a task spawned from a worker waits in that worker's
/// own slot, which no other worker takes, until the spawner yields.
pub async fn cohort(
    db: &Db,
    mut jobs: Vec<RecordId>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    source: Option<String>,
) -> AppResult<Vec<AppFacts>> {
    let second = jobs.split_off(jobs.len() / 2);
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
    Ok(rows
        .into_iter()
        .map(|f| AppFacts {
            id: key(&f.id),
            job: key(&f.job),
            source: f.source,
            created: f.created,
            stage: f.stage,
            status: f.status,
            rejection_reason: f.rejection_reason,
            offer: f.offer,
            warmed: f.warmed,
            // Ordered by the database; a move stamped before the period (a clock set back)
            // stays out, as it did when the history was read by time.
            moves: f
                .moves
                .into_iter()
                .filter(|m| m.at >= from)
                .map(|m| (m.stage, m.status, m.at))
                .collect(),
        })
        .collect())
}

/// Writes the `report_fact` row of every application that has none: those written before the
/// table existed (from then on the database keeps them). Returns how many it wrote.
pub async fn backfill_facts(db: &Db) -> AppResult<usize> {
    let mut r = db
        .query(
            "LET $missing = (SELECT VALUE id FROM application
                WHERE !record::exists(type::record('report_fact', record::id(id))));
             FOR $a IN $missing { fn::report_fact($a); };
             RETURN count($missing);",
        )
        .await?
        .check()?;
    let n: Option<usize> = r.take(2)?;
    Ok(n.unwrap_or(0))
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::testing;

    /// Every application as the reports saw it before `report_fact`: read from the application,
    /// its `stage_event` history and its offers.
    async fn from_sources(db: &Db) -> Vec<AppFacts> {
        let mut r = db
            .query(
                "SELECT id, job, source, created_at AS created, stage, status, rejection_reason,
                    warmed_by != NONE AS warmed,
                    (SELECT VALUE status FROM offer WHERE application = $parent.id
                        ORDER BY version DESC LIMIT 1)[0] AS offer,
                    (SELECT stage, status, at FROM stage_event WHERE application = $parent.id
                        ORDER BY at) AS moves
                 FROM application;",
            )
            .await
            .unwrap();
        let rows: Vec<FactRow> = r.take(0).unwrap();
        sorted(rows.into_iter().map(facts_of).collect())
    }

    fn facts_of(f: FactRow) -> AppFacts {
        AppFacts {
            id: key(&f.id),
            job: key(&f.job),
            source: f.source,
            created: f.created,
            stage: f.stage,
            status: f.status,
            rejection_reason: f.rejection_reason,
            offer: f.offer,
            warmed: f.warmed,
            moves: f
                .moves
                .into_iter()
                .map(|m| (m.stage, m.status, m.at))
                .collect(),
        }
    }

    fn sorted(mut v: Vec<AppFacts>) -> Vec<AppFacts> {
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    async fn from_facts(db: &Db) -> Vec<AppFacts> {
        let jobs: Vec<RecordId> = jobs(db, None)
            .await
            .unwrap()
            .into_iter()
            .map(|j| j.id)
            .collect();
        let from = Utc::now() - chrono::Duration::days(20 * 365);
        let to = Utc::now() + chrono::Duration::days(1);
        sorted(cohort(db, jobs, from, to, None).await.unwrap())
    }

    #[tokio::test]
    async fn the_facts_follow_moves_offers_and_erasure_and_fill_in_when_missing() {
        let st = testing::demo_state().await;
        let db = &st.db;
        let seeded = from_sources(db).await;
        assert!(seeded.len() > 50, "demo applications: {}", seeded.len());
        assert!(
            seeded.iter().any(|f| f.offer.is_some()),
            "the demo has offers"
        );
        assert!(
            seeded.iter().any(|f| f.moves.len() > 2),
            "the demo has histories"
        );
        assert_eq!(from_facts(db).await, seeded, "the demo's facts, as seeded");

        // A card moves on the board, then is turned down with a reason.
        let job = crate::jobs::repo::get(db, &RecordId::new("job", "rust-backend"))
            .await
            .unwrap()
            .unwrap();
        let app = seeded
            .iter()
            .find(|f| f.job == "rust-backend" && f.stage == "applied" && f.status == "active")
            .map(|f| RecordId::new("application", f.id.as_str()))
            .expect("an applicant to move");
        let by = testing::recruiter();
        crate::pipeline::repo::move_card(db, &job, &app, "applied", "phone_screen", &by)
            .await
            .unwrap();
        db.query("UPDATE $app SET status = 'rejected', rejection_reason = 'skills' RETURN NONE")
            .bind(("app", app.clone()))
            .await
            .unwrap()
            .check()
            .unwrap();
        // Its offer history: a second version supersedes the first.
        db.query(
            "CREATE offer CONTENT { application: $app, job: job:`rust-backend`, person: $app.person,
                version: 1, status: 'superseded', base_salary: 1, currency: 'EUR', period: 'YEAR',
                start_date: '2027-01-01', template: 't', letter: 'l', approvers: [] };
             CREATE offer CONTENT { application: $app, job: job:`rust-backend`, person: $app.person,
                version: 2, status: 'declined', base_salary: 1, currency: 'EUR', period: 'YEAR',
                start_date: '2027-01-01', template: 't', letter: 'l', approvers: [] };",
        )
        .bind(("app", app.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
        let now = from_sources(db).await;
        let moved = now.iter().find(|f| f.id == key(&app)).unwrap();
        assert_eq!(
            (
                moved.stage.as_str(),
                moved.status.as_str(),
                moved.offer.as_deref()
            ),
            ("phone_screen", "rejected", Some("declined"))
        );
        assert_eq!(moved.rejection_reason.as_deref(), Some("skills"));
        assert_eq!(
            moved.moves.len(),
            3,
            "arrived, moved, turned down: {:?}",
            moved.moves
        );
        assert_eq!(from_facts(db).await, now, "the facts follow every change");

        // An erased application takes its facts with it.
        db.query("DELETE $app")
            .bind(("app", app.clone()))
            .await
            .unwrap()
            .check()
            .unwrap();
        let left = from_facts(db).await;
        assert_eq!(left.len(), now.len() - 1);
        assert_eq!(left, from_sources(db).await);

        // Facts lost (a database from before the table): the start fills them in again.
        db.query("DELETE report_fact WHERE job = job:`rust-backend`")
            .await
            .unwrap()
            .check()
            .unwrap();
        assert!(from_facts(db).await.len() < left.len());
        let filled = backfill_facts(db).await.unwrap();
        assert!(filled > 0);
        assert_eq!(from_facts(db).await, left);
        assert_eq!(backfill_facts(db).await.unwrap(), 0, "nothing left to fill");
    }
}
