//! Tests of what the reports read: the `report_fact` rows against their sources.

use super::compute::AppFacts;
use super::repo::*;
use crate::server::db::{Db, key};
use crate::testing;
use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

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
                    ORDER BY at).map(|$m| [$m.stage, $m.status, $m.at]) AS moves
             FROM application;",
        )
        .await
        .unwrap();
    let rows: Vec<FactRow> = r.take(0).unwrap();
    sorted(
        rows.into_iter()
            .map(|f| f.into_facts(DateTime::<Utc>::MIN_UTC))
            .collect(),
    )
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

    // Facts lost (a database from before the table, never filled): the start fills them in
    // again, once; so it does for rows of an older shape (objects for moves).
    run(
        db,
        "DELETE report_fact WHERE job = job:`rust-backend`; DELETE setting:report_facts;",
    )
    .await;
    let lost = left.len() - from_facts(db).await.len();
    assert!(lost > 0);
    assert_eq!(backfill_facts_once(db).await.unwrap(), left.len());
    assert_eq!(from_facts(db).await, left);
    assert_eq!(backfill_facts(db).await.unwrap(), 0, "nothing left to fill");
    run(db, "UPSERT setting:report_facts SET value = '1'").await;
    assert_eq!(
        backfill_facts_once(db).await.unwrap(),
        left.len(),
        "an older shape"
    );
    assert_eq!(from_facts(db).await, left);
    // Later starts do not scan again; a row lost meanwhile is found by the full check.
    run(db, "DELETE report_fact WHERE job = job:`rust-backend`").await;
    assert_eq!(
        backfill_facts_once(db).await.unwrap(),
        0,
        "filled once already"
    );
    assert_eq!(backfill_facts(db).await.unwrap(), lost);
}

/// Runs statements that must succeed.
async fn run(db: &Db, statements: &'static str) {
    db.query(statements).await.unwrap().check().unwrap();
}
