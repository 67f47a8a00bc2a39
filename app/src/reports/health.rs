//! Pipeline health: active applications stuck in a stage (per job, stage and owner), open jobs
//! where nothing moves, and scorecards overdue per interviewer. The same reach as the other
//! reports: recruiters and admins every job, hiring managers their own.

use super::types::{IdleJob, OverdueScorecards, PipelineHealth, StuckGroup, StuckLine};
use crate::error::AppResult;
use crate::server::db::{Db, key};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

/// A scorecard is overdue this long after its interview ended.
const SCORECARD_GRACE_HOURS: i64 = 24;

#[derive(Debug, Clone, SurrealValue)]
struct JobRow {
    id: RecordId,
    title: String,
    status: String,
    stages: Vec<crate::jobs::repo::StageRow>,
    owner_name: Option<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct StuckRow {
    person: RecordId,
    person_name: String,
    job: RecordId,
    stage: String,
    stage_entered_at: DateTime<Utc>,
}

/// Applications of one job in one stage with one status.
#[derive(Debug, Clone, SurrealValue)]
struct Group {
    job: RecordId,
    stage: String,
    status: String,
    n: i64,
    /// How many of them entered that stage before the stuck threshold.
    stuck: i64,
    last: Option<DateTime<Utc>>,
}

/// An open job: its active applications and its last move.
#[derive(Debug, Clone)]
struct Moved {
    job: RecordId,
    last: Option<DateTime<Utc>>,
    active: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct Late {
    interviewer_name: Option<String>,
    n: i64,
    oldest: Option<DateTime<Utc>>,
}

/// The health of `jobs` (already limited to the caller's reach) at `now`.
pub async fn health(
    db: &Db,
    jobs: Vec<RecordId>,
    stuck_days: i64,
    now: DateTime<Utc>,
) -> AppResult<PipelineHealth> {
    let stuck_before = now - Duration::days(stuck_days);
    // Four reads on three tasks at once (both spawned before anything is awaited, as
    // `repo::cohort` does): the stage tallies and the overdue scorecards need nothing else;
    // the stuck list needs the jobs' hired stages, so it follows the jobs' read here. One
    // after another, in one request, they took 207 ms p95 at 20,000 applications on a slow day.
    // One pass over the jobs' applications gives the stuck counts per stage, the active count
    // per job and each job's last move: every change of stage or status (move, bulk move,
    // rejection, withdrawal) sets `stage_entered_at`. Three grouped reads of their own took
    // 140-150 ms at 20,000 applications, this one 55-65 ms (`bench reports`).
    let groups = {
        let (db, jobs) = (db.clone(), jobs.clone());
        tokio::spawn(async move {
            let mut r = db
                .query(
                    "SELECT job, stage, status, count() AS n,
                         count(stage_entered_at < $before) AS stuck,
                         time::max(stage_entered_at) AS last
                        FROM application WHERE job IN $jobs GROUP BY job, stage, status;",
                )
                .bind(("jobs", jobs))
                .bind(("before", stuck_before))
                .await?;
            AppResult::Ok(r.take::<Vec<Group>>(0)?)
        })
    };
    let late = {
        let (db, jobs) = (db.clone(), jobs.clone());
        tokio::spawn(async move {
            let mut r = db
                .query(
                    "SELECT interviewer.name AS interviewer_name, count() AS n,
                         time::min(interview.ends_at) AS oldest
                        FROM scorecard
                        WHERE status = 'pending' AND interview.job IN $jobs
                            AND interview.status = 'scheduled' AND interview.ends_at < $due
                        GROUP BY interviewer_name;",
                )
                .bind(("jobs", jobs))
                .bind(("due", now - Duration::hours(SCORECARD_GRACE_HOURS)))
                .await?;
            AppResult::Ok(r.take::<Vec<Late>>(0)?)
        })
    };
    let mut r = db
        .query(
            "SELECT id, title, status, stages, owner.name AS owner_name FROM job WHERE id IN $jobs;",
        )
        .bind(("jobs", jobs.clone()))
        .await?;
    let rows: Vec<JobRow> = r.take(0)?;
    let by_id: HashMap<String, &JobRow> = rows.iter().map(|j| (key(&j.id), j)).collect();
    let hired = crate::jobs::repo::hired_stage_ids(rows.iter().map(|j| j.stages.as_slice()));
    let open: Vec<RecordId> = rows
        .iter()
        .filter(|j| j.status == "open")
        .map(|j| j.id.clone())
        .collect();
    let mut r = db
        .query(
            "SELECT person, person_name, job, stage, stage_entered_at FROM application
                WHERE job IN $jobs AND status = 'active' AND stage_entered_at < $before
                    AND stage NOT IN $hired
                ORDER BY stage_entered_at ASC LIMIT 50;",
        )
        .bind(("jobs", jobs))
        .bind(("before", stuck_before))
        .bind(("hired", hired.clone()))
        .await?;
    let lines: Vec<StuckRow> = r.take(0)?;
    let groups: Vec<Group> = groups.await.map_err(crate::server::db::internal)??;
    let late: Vec<Late> = late.await.map_err(crate::server::db::internal)??;
    let tallies: Vec<&Group> = groups
        .iter()
        .filter(|g| g.status == "active" && g.stuck > 0 && !hired.contains(&g.stage))
        .collect();
    let mut per_job: HashMap<String, Moved> = HashMap::new();
    for g in &groups {
        let m = per_job.entry(key(&g.job)).or_insert_with(|| Moved {
            job: g.job.clone(),
            last: None,
            active: 0,
        });
        m.last = m.last.max(g.last);
        if g.status == "active" {
            m.active += g.n;
        }
    }
    let moved: Vec<Moved> = open
        .iter()
        .filter_map(|j| per_job.remove(&key(j)))
        .collect();

    let stage_name = |job: &RecordId, stage: &str| {
        by_id
            .get(&key(job))
            .and_then(|j| j.stages.iter().find(|s| s.id == stage))
            .map(|s| s.name.clone())
            .unwrap_or_else(|| stage.to_string())
    };
    let title = |job: &RecordId| {
        by_id
            .get(&key(job))
            .map(|j| j.title.clone())
            .unwrap_or_default()
    };
    let mut stuck_by_stage: Vec<StuckGroup> = tallies
        .iter()
        .map(|t| StuckGroup {
            job_id: key(&t.job),
            job_title: title(&t.job),
            stage_name: stage_name(&t.job, &t.stage),
            owner: by_id
                .get(&key(&t.job))
                .and_then(|j| j.owner_name.clone())
                .unwrap_or_else(|| "—".into()),
            count: t.stuck,
        })
        .collect();
    stuck_by_stage.sort_by(|a, b| b.count.cmp(&a.count).then(a.job_title.cmp(&b.job_title)));
    let mut stuck: Vec<StuckLine> = lines
        .iter()
        .map(|a| StuckLine {
            person_id: key(&a.person),
            name: a.person_name.clone(),
            job_title: title(&a.job),
            stage_name: stage_name(&a.job, &a.stage),
            days: (now - a.stage_entered_at).num_days().max(0),
        })
        .collect();
    // Anonymised review: the alias until the job's chosen stage, as everywhere else.
    crate::anonymity::repo::alias_masked(db, &mut stuck, |l| (l.person_id.as_str(), &mut l.name))
        .await?;
    let mut idle_jobs: Vec<IdleJob> = moved
        .into_iter()
        .filter(|m| m.active > 0 && m.last.is_none_or(|l| l < stuck_before))
        .map(|m| IdleJob {
            id: key(&m.job),
            title: title(&m.job),
            active: m.active,
            days_since_move: m.last.map(|l| (now - l).num_days().max(0)),
        })
        .collect();
    idle_jobs.sort_by_key(|j| j.days_since_move.map_or(i64::MIN, |d| -d));
    let mut overdue: Vec<OverdueScorecards> = late
        .into_iter()
        .map(|l| OverdueScorecards {
            interviewer: l.interviewer_name.unwrap_or_else(|| "—".into()),
            count: l.n,
            oldest_days: l
                .oldest
                .map(|o| {
                    (now - o - Duration::hours(SCORECARD_GRACE_HOURS))
                        .num_days()
                        .max(0)
                })
                .unwrap_or(0),
        })
        .collect();
    overdue.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.interviewer.cmp(&b.interviewer))
    });
    Ok(PipelineHealth {
        stuck_days,
        stuck_total: stuck_by_stage.iter().map(|g| g.count).sum(),
        stuck_by_stage,
        stuck,
        idle_jobs,
        overdue,
    })
}
