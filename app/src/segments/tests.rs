//! Repository tests on `mem://`: segments.

use super::repo;
use super::types::SegmentDefinition;
use crate::server::AppState;
use crate::server::db::key;
use crate::testing::{self, person, recruiter};
use chrono::{Duration, Utc};
use surrealdb::types::RecordId;

async fn matches(st: &AppState, d: SegmentDefinition) -> Vec<String> {
    let mut v: Vec<String> = repo::segment_people(&st.db, &d)
        .await
        .unwrap()
        .iter()
        .map(|m| key(&m.id))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn segments_filter_on_every_criterion_and_stay_current() {
    let st = testing::state().await;
    let old = Utc::now() - Duration::days(100);
    let recent = Utc::now() - Duration::days(3);
    person(
        &st,
        "ada",
        serde_json::json!({ "tags": ["meetup"], "skills": ["Rust"], "location": "Berlin, Germany",
        "consent_status": "granted", "engagement_score": 12 }),
    )
    .await;
    person(
        &st,
        "bob",
        serde_json::json!({ "tags": ["meetup", "alumni"], "skills": ["Go"], "location": "Munich",
        "source": "referral", "consent_status": "withdrawn" }),
    )
    .await;
    person(
        &st,
        "cyd",
        serde_json::json!({ "skills": ["Rust", "Go"], "location": "berlin" }),
    )
    .await;
    st.db
        .query("UPDATE person:ada SET last_contacted_at = $old; UPDATE person:bob SET last_contacted_at = $recent;")
        .bind(("old", old))
        .bind(("recent", recent))
        .await
        .unwrap()
        .check()
        .unwrap();

    let d = |f: fn(&mut SegmentDefinition)| {
        let mut d = SegmentDefinition::default();
        f(&mut d);
        d
    };
    assert_eq!(
        matches(&st, d(|d| d.tags = vec!["meetup".into()])).await,
        ["ada", "bob"]
    );
    assert_eq!(
        matches(&st, d(|d| d.skills = vec!["Rust".into()])).await,
        ["ada", "cyd"]
    );
    assert_eq!(
        matches(&st, d(|d| d.location = "BERLIN".into())).await,
        ["ada", "cyd"]
    );
    assert_eq!(
        matches(&st, d(|d| d.sources = vec!["referral".into()])).await,
        ["bob"]
    );
    assert_eq!(
        matches(&st, d(|d| d.last_contacted = "never".into())).await,
        ["cyd"]
    );
    assert_eq!(
        matches(&st, d(|d| d.last_contacted = "over:30".into())).await,
        ["ada", "cyd"]
    );
    assert_eq!(
        matches(&st, d(|d| d.last_contacted = "within:30".into())).await,
        ["bob"]
    );
    assert_eq!(
        matches(&st, d(|d| d.min_engagement = Some(10))).await,
        ["ada"]
    );
    assert_eq!(
        matches(&st, d(|d| d.consent = "granted".into())).await,
        ["ada"]
    );
    assert_eq!(
        matches(&st, d(|d| d.consent = "not_withdrawn".into())).await,
        ["ada", "cyd"]
    );
    // Criteria combine with AND.
    assert_eq!(
        matches(
            &st,
            d(|d| {
                d.skills = vec!["Rust".into()];
                d.location = "berlin".into();
                d.consent = "granted".into();
            })
        )
        .await,
        ["ada"]
    );

    // Past stage reached: by each job's own stage order.
    let job = testing::open_job(&st, "Rust dev").await;
    let cyd = RecordId::new("person", "cyd");
    crate::pipeline::repo::add_to_job(&st.db, &cyd, &job, &recruiter())
        .await
        .unwrap();
    assert_eq!(
        matches(&st, d(|d| d.stage_reached = "interview".into())).await,
        Vec::<String>::new()
    );
    st.db
        .query("UPDATE application SET stage = 'offer' WHERE person = person:cyd")
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(
        matches(&st, d(|d| d.stage_reached = "interview".into())).await,
        ["cyd"]
    );

    // A saved segment is a query: someone tagged later is in it without touching the segment.
    let def = d(|d| d.tags = vec!["alumni".into()]);
    let seg = repo::save_segment(&st.db, None, "Alumni", &def, &recruiter())
        .await
        .unwrap();
    let count = |st: &AppState| {
        let db = st.db.clone();
        let seg = seg.clone();
        async move {
            let (_, def) = repo::segment(&db, &seg).await.unwrap().unwrap();
            repo::segment_people(&db, &def).await.unwrap().len()
        }
    };
    assert_eq!(count(&st).await, 1);
    st.db
        .query("UPDATE person:ada SET tags += 'alumni'")
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(count(&st).await, 2);
    let summaries = repo::segments(&st.db).await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].members, 2);
}
