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
    let (mut samples, mut reads, mut computes) = (Vec::new(), Vec::new(), Vec::new());
    let mut applications = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let facts = app::reports::repo::cohort(&st.db, ids.clone(), from, to, None)
            .await
            .unwrap();
        let read = t.elapsed();
        let c = app::reports::compute::compute(&stages, &facts);
        samples.push(t.elapsed());
        reads.push(read);
        computes.push(t.elapsed() - read);
        applications = c.applications;
    }
    report(
        &format!("reports over {applications} applications"),
        &mut samples,
        Some(200.0),
    );
    report("  of which the reads", &mut reads, None);
    report("  of which the computing", &mut computes, None);
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
/// Whether two reads run side by side on two tasks take the time of the longer one.
async fn side_by_side(st: &AppState, ids: &[RecordId]) {
    let apps = "SELECT id, job, stage, status, source, created_at, rejection_reason, warmed_by FROM application WHERE job IN $jobs";
    let events = "SELECT application, stage, status, at FROM stage_event WHERE job IN $jobs";
    let run = |q: &'static str| {
        let (db, ids) = (st.db.clone(), ids.to_vec());
        async move {
            let t = Instant::now();
            db.query(q)
                .bind(("jobs", ids))
                .await
                .unwrap()
                .check()
                .unwrap();
            t.elapsed().as_secs_f64() * 1000.0
        }
    };
    let alone = run(apps).await + run(events).await;
    let t = Instant::now();
    let (a, b) = tokio::join!(tokio::spawn(run(apps)), tokio::spawn(run(events)));
    let both = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "  one after the other {alone:>8.1} ms; side by side {both:>8.1} ms ({:.1} and {:.1})",
        a.unwrap(),
        b.unwrap()
    );
}

/// Times each statement of the hiring reports and of pipeline health on its own, with the
/// variants tried while tuning them (a profiling aid; the figures above are what users get).
pub async fn probe(st: &AppState) {
    let jobs = app::reports::repo::jobs(&st.db, None).await.unwrap();
    let ids: Vec<RecordId> = jobs.iter().map(|j| j.id.clone()).collect();
    let before = Utc::now() - chrono::Duration::days(14);
    let from = Utc::now() - chrono::Duration::days(3 * 365);
    let to = Utc::now() + chrono::Duration::days(1);
    side_by_side(st, &ids).await;
    for (name, q) in [
        (
            "count events",
            "SELECT count() AS n FROM stage_event GROUP ALL",
        ),
        (
            "apps",
            "SELECT id, job, stage, status, source, created_at, rejection_reason, warmed_by FROM application WHERE job IN $jobs AND created_at >= $from AND created_at < $to AND ($source = NONE OR source = $source)",
        ),
        (
            "apps, no job",
            "SELECT id, job, stage, status, source, created_at, rejection_reason, warmed_by FROM application WHERE created_at >= $from AND created_at < $to AND ($source = NONE OR source = $source)",
        ),
        (
            "apps, by created",
            "SELECT id, job, stage, status, source, created_at, rejection_reason, warmed_by FROM application WITH INDEX application_created WHERE created_at >= $from AND created_at < $to AND job IN $jobs",
        ),
        (
            "events",
            "SELECT application, stage, status, at FROM stage_event WHERE job IN $jobs AND at >= $from ORDER BY at",
        ),
        (
            "events, unordered",
            "SELECT application, stage, status, at FROM stage_event WHERE job IN $jobs AND at >= $from",
        ),
        (
            "events, no job",
            "SELECT application, stage, status, at FROM stage_event WHERE at >= $from",
        ),
        (
            "offers",
            "SELECT application, status, version FROM offer WHERE job IN $jobs",
        ),
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
            "SELECT job, time::max(at) AS last FROM stage_event WHERE job IN $jobs GROUP BY job",
        ),
        (
            "active",
            "SELECT job, count() AS n FROM application WHERE job IN $jobs AND status = 'active' GROUP BY job",
        ),
        (
            "one pass",
            "SELECT job, stage, status, count() AS n, count(stage_entered_at < $before) AS stuck, time::max(stage_entered_at) AS last FROM application WHERE job IN $jobs GROUP BY job, stage, status",
        ),
        (
            "one pass, no job",
            "SELECT job, stage, status, count() AS n, count(stage_entered_at < $before) AS stuck, time::max(stage_entered_at) AS last FROM application GROUP BY job, stage, status",
        ),
        (
            "scorecards",
            "SELECT interviewer.name AS interviewer_name, count() AS n FROM scorecard WHERE status = 'pending' AND interview.job IN $jobs GROUP BY interviewer_name",
        ),
    ] {
        let mut times = Vec::new();
        let mut outcome = String::new();
        for _ in 0..5 {
            let t = Instant::now();
            let r = st
                .db
                .query(q)
                .bind(("jobs", ids.clone()))
                .bind(("before", before))
                .bind(("from", from))
                .bind(("to", to))
                .bind(("source", None::<String>))
                .await
                .and_then(|r| r.check());
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            outcome = match r {
                Ok(mut r) => {
                    let rows: Vec<surrealdb::types::Value> = r.take(0).unwrap_or_default();
                    format!("{} rows", rows.len())
                }
                Err(e) => format!("error: {e}"),
            };
        }
        let first = times[0];
        times.sort_by(f64::total_cmp);
        println!(
            "  {name:<18} first {first:>8.1} ms  median {:>8.1} ms  {outcome}",
            times[2]
        );
    }
}
