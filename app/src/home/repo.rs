//! The home's reads: a handful of small queries, each bounded (lists stop at `LIST_LIMIT`).

use super::types::*;
use crate::error::AppResult;
use crate::jobs::repo::StageRow;
use crate::jobs::types::JobStatus;
use crate::server::db::{Db, key};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct JobLine {
    id: RecordId,
    title: String,
    status: String,
    stages: Vec<StageRow>,
    /// Only for the order (newest first): SurrealDB orders by selected fields.
    #[allow(dead_code)]
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct StageTally {
    job: RecordId,
    stage: String,
    n: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct AppLine {
    person: RecordId,
    person_name: String,
    job: RecordId,
    stage: String,
    stage_entered_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct Count {
    n: i64,
}

pub async fn dashboard(
    db: &Db,
    me: &RecordId,
    only_managed_by: Option<RecordId>,
    last_visit: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<Dashboard> {
    let mine = if only_managed_by.is_some() {
        "AND hiring_manager = $hm"
    } else {
        ""
    };
    let mut res = db
        .query(format!(
            "SELECT id, title, status, stages, created_at FROM job
                WHERE status != 'closed' {mine} ORDER BY created_at DESC;"
        ))
        .bind(("hm", only_managed_by))
        .await?;
    let jobs: Vec<JobLine> = res.take(0)?;
    let since = last_visit.unwrap_or(now - Duration::days(NEW_DAYS_DEFAULT));
    let job_ids: Vec<RecordId> = jobs.iter().map(|j| j.id.clone()).collect();
    let hired = crate::jobs::repo::hired_stage_ids(jobs.iter().map(|j| j.stages.as_slice()));

    let mut res = db
        .query(
            "SELECT job, stage, count() AS n FROM application
                WHERE job IN $jobs AND status = 'active' GROUP BY job, stage;
             SELECT person, person_name, job, stage, stage_entered_at, created_at FROM application
                WHERE job IN $jobs AND created_at > $since ORDER BY created_at DESC LIMIT $limit;
             SELECT count() AS n FROM application WHERE job IN $jobs AND created_at > $since GROUP ALL;
             SELECT person, person_name, job, stage, stage_entered_at, created_at FROM application
                WHERE job IN $jobs AND status = 'active' AND stage_entered_at < $stuck
                    AND stage NOT IN $hired
                ORDER BY stage_entered_at ASC LIMIT $limit;
             SELECT count() AS n FROM application
                WHERE job IN $jobs AND status = 'active' AND stage_entered_at < $stuck
                    AND stage NOT IN $hired GROUP ALL;",
        )
        .bind(("jobs", job_ids))
        .bind(("since", since))
        .bind(("stuck", now - Duration::days(STUCK_DAYS)))
        .bind(("hired", hired))
        .bind(("limit", LIST_LIMIT as i64))
        .await?;
    let tallies: Vec<StageTally> = res.take(0)?;
    let new_rows: Vec<AppLine> = res.take(1)?;
    let new_total: Option<Count> = res.take(2)?;
    let stuck_rows: Vec<AppLine> = res.take(3)?;
    let stuck_total: Option<Count> = res.take(4)?;

    let mut counts: HashMap<(String, String), i64> = HashMap::new();
    for t in tallies {
        counts.insert((key(&t.job), t.stage), t.n);
    }
    let by_id: HashMap<String, &JobLine> = jobs.iter().map(|j| (key(&j.id), j)).collect();
    let item = |a: &AppLine| {
        let job = by_id.get(&key(&a.job));
        PipelineItem {
            person_id: key(&a.person),
            name: a.person_name.clone(),
            job_id: key(&a.job),
            job_title: job.map(|j| j.title.clone()).unwrap_or_default(),
            stage_name: job
                .and_then(|j| j.stages.iter().find(|s| s.id == a.stage))
                .map(|s| s.name.clone())
                .unwrap_or_else(|| a.stage.clone()),
            days_in_stage: (now - a.stage_entered_at).num_days().max(0),
            applied_at: a.created_at.to_rfc3339(),
        }
    };
    let pipelines = jobs
        .iter()
        .map(|j| {
            let id = key(&j.id);
            let stages: Vec<StageCount> = j
                .stages
                .iter()
                .map(|s| StageCount {
                    name: s.name.clone(),
                    count: counts
                        .get(&(id.clone(), s.id.clone()))
                        .copied()
                        .unwrap_or(0),
                })
                .collect();
            JobPipeline {
                active: stages.iter().map(|s| s.count).sum(),
                id,
                title: j.title.clone(),
                status: JobStatus::parse(&j.status).unwrap_or(JobStatus::Draft),
                stages,
            }
        })
        .collect();

    let approvals = crate::approvals::repo::inbox(db, me)
        .await?
        .into_iter()
        .map(|s| ApprovalTodo {
            job_id: key(&s.job),
            job_title: if s.offer.is_some() {
                format!("Offer · {}", s.job_title)
            } else {
                s.job_title
            },
            requested_by: s.requested_by,
        })
        .collect();

    Ok(Dashboard {
        since: last_visit.map(|p| p.to_rfc3339()),
        approvals,
        new_applicants: new_rows.iter().map(item).collect(),
        new_total: new_total.map(|c| c.n).unwrap_or(0),
        stuck: stuck_rows.iter().map(item).collect(),
        stuck_total: stuck_total.map(|c| c.n).unwrap_or(0),
        jobs: pipelines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, person};

    /// An application of `p` to `job`, applied `applied_days` ago, in its stage for `in_stage_days`.
    async fn apply(
        st: &crate::server::AppState,
        p: &RecordId,
        job: &RecordId,
        stage: &str,
        applied_days: i64,
        in_stage_days: i64,
    ) {
        let now = Utc::now();
        st.db
            .query(
                "CREATE application CONTENT {
                    person: $p, job: $j, stage: $stage, person_name: $name, source: 'careers_page',
                    created_at: $created, stage_entered_at: $entered
                } RETURN NONE",
            )
            .bind(("p", p.clone()))
            .bind(("j", job.clone()))
            .bind(("stage", stage.to_string()))
            .bind(("name", format!("{} Test", key(p))))
            .bind(("created", now - Duration::days(applied_days)))
            .bind(("entered", now - Duration::days(in_stage_days)))
            .await
            .unwrap()
            .check()
            .unwrap();
    }

    #[tokio::test]
    async fn the_home_lists_new_and_stuck_candidates_and_counts_each_stage() {
        let st = testing::state().await;
        let job = testing::open_job(&st, "Rust dev").await;
        let other = testing::open_job(&st, "Designer").await;
        let stages: Vec<StageRow> = {
            let mut r = st
                .db
                .query("SELECT VALUE stages FROM ONLY $j")
                .bind(("j", job.clone()))
                .await
                .unwrap();
            r.take::<Vec<StageRow>>(0).unwrap()
        };
        let (applied, screen) = (stages[0].id.clone(), stages[1].id.clone());
        let fresh = person(&st, "fresh", serde_json::json!({})).await;
        let old = person(&st, "old", serde_json::json!({})).await;
        let older = person(&st, "older", serde_json::json!({})).await;
        apply(&st, &fresh, &job, &applied, 1, 1).await;
        apply(&st, &old, &job, &screen, 30, 20).await;
        apply(&st, &older, &other, &applied, 40, 40).await;
        // Hired long ago: where they are meant to stay, so never "stuck".
        let hired = person(&st, "hired", serde_json::json!({})).await;
        let hired_stage = stages
            .iter()
            .find(|s| s.kind == "hired")
            .unwrap()
            .id
            .clone();
        apply(&st, &hired, &job, &hired_stage, 60, 50).await;

        let me = RecordId::new("staff", "tester");
        let now = Utc::now();
        let d = dashboard(&st.db, &me, None, Some(now - Duration::days(3)), now)
            .await
            .unwrap();
        let names =
            |items: &[PipelineItem]| items.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&d.new_applicants), ["fresh Test"]);
        assert_eq!(d.new_total, 1);
        // Stuck: the longest in their stage first.
        assert_eq!(names(&d.stuck), ["older Test", "old Test"]);
        assert_eq!(d.stuck_total, 2);
        assert_eq!(d.stuck[1].stage_name, stages[1].name);
        assert_eq!(d.stuck[1].days_in_stage, 20);
        let rust = d.jobs.iter().find(|j| j.title == "Rust dev").unwrap();
        assert_eq!(rust.active, 3);
        assert_eq!(rust.stages[0].count, 1);
        assert_eq!(rust.stages[1].count, 1);
        assert!(rust.stages[2..4].iter().all(|s| s.count == 0));
        assert_eq!(rust.stages[4].count, 1, "the hired one counts in Hired");

        // Without an earlier visit, "new" is the last 7 days; a closed application is not stuck.
        st.db
            .query("UPDATE application SET status = 'rejected' WHERE person = $p")
            .bind(("p", old.clone()))
            .await
            .unwrap()
            .check()
            .unwrap();
        let d = dashboard(&st.db, &me, None, None, now).await.unwrap();
        assert_eq!(d.since, None);
        assert_eq!(names(&d.new_applicants), ["fresh Test"]);
        assert_eq!(names(&d.stuck), ["older Test"]);

        // A hiring manager sees only their jobs.
        let hm = RecordId::new("staff", "hm");
        st.db
            .query("UPDATE $j SET hiring_manager = $hm")
            .bind(("j", other.clone()))
            .bind(("hm", hm.clone()))
            .await
            .unwrap()
            .check()
            .unwrap();
        let d = dashboard(&st.db, &hm, Some(hm.clone()), None, now)
            .await
            .unwrap();
        assert_eq!(
            d.jobs.iter().map(|j| j.title.as_str()).collect::<Vec<_>>(),
            ["Designer"]
        );
        assert_eq!(names(&d.stuck), ["older Test"]);
        assert!(d.new_applicants.is_empty());
    }
}
