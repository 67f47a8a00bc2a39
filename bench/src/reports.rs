//! Report and screening timings over the `scale` benchmark's generated history.

use crate::report;
use app::jobs::repo::JobRow;
use app::server::AppState;
use app::server::activity::Actor;
use chrono::Utc;
use std::time::Instant;
use surrealdb::types::RecordId;

/// Only the reports and screening, over generated data (`bench reports`).
pub async fn run(people: usize, applications: usize, jobs: usize) {
    let (st, dir) = crate::bench_state("reports", None).await;
    crate::generate(&st, people, applications, jobs).await;
    let big = app::jobs::repo::get(&st.db, &RecordId::new("job", "bench000"))
        .await
        .unwrap()
        .unwrap();
    reports(&st).await;
    probe(&st).await;
    health(&st).await;
    crm(&st).await;
    screening(&st, &big).await;
    crate::finish(st, dir).await;
}

/// The hiring reports over every job and every application (the whole generated history):
/// what a recruiter's reports page reads and computes. Target: p95 ≤ 200 ms.
pub async fn reports(st: &AppState) {
    let jobs = app::reports::repo::jobs(&st.db, None).await.unwrap();
    let stages: Vec<_> = jobs.iter().map(|j| j.to_stages()).collect();
    let ids: Vec<RecordId> = jobs.iter().map(|j| j.id.clone()).collect();
    let from = Utc::now() - chrono::Duration::days(3 * 365);
    let to = Utc::now() + chrono::Duration::days(1);
    let mut samples = Vec::new();
    let mut applications = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let facts = app::reports::repo::cohort(&st.db, ids.clone(), from, to, None)
            .await
            .unwrap();
        let c = app::reports::compute::compute(&stages, &facts);
        samples.push(t.elapsed());
        applications = c.applications;
    }
    report(
        &format!("reports over {applications} applications"),
        &mut samples,
        Some(200.0),
    );
}

/// Pipeline health over every job: stuck candidates per stage and owner, quiet jobs, overdue
/// scorecards, offers. Target: p95 ≤ 200 ms.
pub async fn health(st: &AppState) {
    let jobs = app::reports::repo::jobs(&st.db, None).await.unwrap();
    let ids: Vec<RecordId> = jobs.iter().map(|j| j.id.clone()).collect();
    let mut samples = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let h = app::reports::health::health(&st.db, ids.clone(), 14, Utc::now())
            .await
            .unwrap();
        samples.push(t.elapsed());
        std::hint::black_box(h);
    }
    report("pipeline health, every job", &mut samples, Some(200.0));
}

/// The CRM report: pool growth, engagement by month, campaign funnel. Target: p95 ≤ 200 ms.
pub async fn crm(st: &AppState) {
    let mut samples = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let r = app::campaigns::crm_report::report(&st.db, Utc::now())
            .await
            .unwrap();
        samples.push(t.elapsed());
        std::hint::black_box(r);
    }
    report("CRM report", &mut samples, Some(200.0));
}

/// Screening the big job: five criteria, every application read against them (the background
/// task after a change of criteria), then the ranked list the screening page shows.
pub async fn screening(st: &AppState, job: &JobRow) {
    let actor = Actor::system();
    for (kind, term, years, required) in [
        ("skill", "Rust", "", true),
        ("years", "Rust", "3", true),
        ("skill", "Kubernetes or k8s", "", false),
        ("language", "German", "", false),
        ("location", "Germany or Portugal", "", false),
    ] {
        let c = app::screening::types::check_criterion(kind, term, years, required, "").unwrap();
        app::screening::repo::add_criterion(&st.db, &job.id, &c, &actor)
            .await
            .unwrap();
    }
    let mut samples = Vec::new();
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        n = app::screening::repo::screen(&st.db, app::screening::repo::Scope::Job(job.id.clone()))
            .await
            .unwrap();
        samples.push(t.elapsed());
    }
    report(
        &format!("screen a job of {n} applications"),
        &mut samples,
        None,
    );
    let criteria = app::screening::repo::criteria(&st.db, &job.id)
        .await
        .unwrap();
    let mut samples = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let mut lines = app::screening::repo::lines(&st.db, &job.id, &criteria, |s| s.to_string())
            .await
            .unwrap();
        app::screening::types::ListFilter::default().apply(&mut lines, &criteria);
        samples.push(t.elapsed());
    }
    report(
        &format!("screening list of {n} applications"),
        &mut samples,
        Some(200.0),
    );
}
/// Times each statement of pipeline health on its own (profiling aid, `bench health-probe`).
pub async fn probe(st: &AppState) {
    let jobs = app::reports::repo::jobs(&st.db, None).await.unwrap();
    let ids: Vec<RecordId> = jobs.iter().map(|j| j.id.clone()).collect();
    let before = Utc::now() - chrono::Duration::days(14);
    for (name, q) in [
        (
            "tally",
            "SELECT job, stage, count() AS n FROM application WHERE job IN $jobs AND status = 'active' AND stage_entered_at < $before GROUP BY job, stage",
        ),
        (
            "lines",
            "SELECT person, person_name, job, stage, stage_entered_at FROM application WHERE job IN $jobs AND status = 'active' AND stage_entered_at < $before ORDER BY stage_entered_at ASC LIMIT 50",
        ),
        (
            "last move",
            "SELECT id AS job, time::max((SELECT VALUE at FROM stage_event WHERE job = $parent.id)) AS last FROM job WHERE id IN $jobs",
        ),
        (
            "active",
            "SELECT id AS job, count((SELECT VALUE id FROM application WHERE job = $parent.id AND status = 'active')) AS active FROM job WHERE id IN $jobs",
        ),
        (
            "scorecards",
            "SELECT interviewer.name AS interviewer_name, count() AS n FROM scorecard WHERE status = 'pending' AND interview.job IN $jobs GROUP BY interviewer_name",
        ),
    ] {
        let t = Instant::now();
        st.db
            .query(q)
            .bind(("jobs", ids.clone()))
            .bind(("before", before))
            .await
            .unwrap()
            .check()
            .unwrap();
        println!(
            "  {name:<12} {:>8.1} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}
