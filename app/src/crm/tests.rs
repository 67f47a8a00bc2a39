//! Repository tests on `mem://`: segments, pools, merges, imports, prospects into pipelines.

use super::import;
use super::repo;
use super::types::SegmentDefinition;
use crate::server::AppState;
use crate::server::db::key;
use crate::server::testing::{self, recruiter};
use chrono::{Duration, Utc};
use surrealdb::types::RecordId;

async fn person(st: &AppState, k: &str, fields: serde_json::Value) -> RecordId {
    let id = RecordId::new("person", k);
    let mut content = serde_json::json!({
        "first_name": k, "last_name": "Test", "email": format!("{k}@example.test"), "source": "sourced"
    });
    for (f, v) in fields.as_object().unwrap() {
        content[f] = v.clone();
    }
    st.db
        .query("CREATE $id CONTENT $c RETURN NONE")
        .bind(("id", id.clone()))
        .bind(("c", content))
        .await
        .unwrap()
        .check()
        .unwrap();
    id
}

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
    repo::add_to_job(&st.db, &cyd, &job, &recruiter())
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

#[tokio::test]
async fn pools_hold_people_once_and_count_them() {
    let st = testing::state().await;
    let a = person(&st, "ada", serde_json::json!({})).await;
    let b = person(&st, "bob", serde_json::json!({})).await;
    let pool = repo::create_pool(&st.db, "Rust alumni", "", &recruiter())
        .await
        .unwrap();
    assert_eq!(
        repo::add_to_pool(&st.db, &pool, &[a.clone(), b.clone()], &recruiter())
            .await
            .unwrap(),
        2
    );
    // Adding again adds nobody twice.
    assert_eq!(
        repo::add_to_pool(&st.db, &pool, std::slice::from_ref(&a), &recruiter())
            .await
            .unwrap(),
        0
    );
    assert_eq!(repo::pool(&st.db, &pool).await.unwrap().unwrap().members, 2);
    repo::remove_from_pool(&st.db, &pool, &b, &recruiter())
        .await
        .unwrap();
    let members = repo::pool_members(&st.db, &pool).await.unwrap();
    assert_eq!(
        members.iter().map(|m| key(&m.id)).collect::<Vec<_>>(),
        ["ada"]
    );
    assert!(
        repo::create_pool(&st.db, "Rust alumni", "", &recruiter())
            .await
            .is_err(),
        "pool names are unique"
    );
}

#[tokio::test]
async fn merging_keeps_everything_and_undoing_restores_both_records() {
    let st = testing::state().await;
    let job = testing::open_job(&st, "Rust dev").await;
    let other_job = testing::open_job(&st, "Go dev").await;
    let keep = person(&st, "ada", serde_json::json!({ "first_name": "Ada", "last_name": "Lovelace",
        "email": "ada@example.test", "skills": ["Rust"], "tags": ["meetup"], "engagement_score": 3 })).await;
    let dup = person(&st, "ada2", serde_json::json!({ "first_name": "Ada", "last_name": "Lovelace-King",
        "email": "ada.king@example.test", "phone": "+44 20 7946 0000", "skills": ["Go"], "tags": ["alumni"],
        "engagement_score": 4, "consent_status": "granted" })).await;
    st.db
        .query("UPDATE person:ada2 SET consent_at = time::now(), last_contacted_at = time::now()")
        .await
        .unwrap()
        .check()
        .unwrap();
    // Both applied to the same job, and the duplicate to another one too.
    repo::add_to_job(&st.db, &keep, &job, &recruiter())
        .await
        .unwrap();
    let dup_app = repo::add_to_job(&st.db, &dup, &job, &recruiter())
        .await
        .unwrap();
    let dup_other = repo::add_to_job(&st.db, &dup, &other_job, &recruiter())
        .await
        .unwrap();
    st.db
        .query(
            "CREATE note SET person = person:ada2, body = 'Met at RustConf', author_name = 'Tess'",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
    let pairs = repo::duplicates_of(&st.db, &keep).await.unwrap();
    assert_eq!(pairs.len(), 1, "close names are flagged: {pairs:?}");
    assert!(pairs[0].confidence >= 30);

    let merge = repo::merge(
        &st.db,
        &keep,
        &dup,
        &["phone".into(), "last_name".into()],
        &recruiter(),
    )
    .await
    .unwrap();
    let gone: Option<serde_json::Value> = repo::person_snapshot(&st.db, &dup).await.unwrap();
    assert!(gone.is_none(), "the duplicate record is gone");
    let kept = repo::person_snapshot(&st.db, &keep).await.unwrap().unwrap();
    assert_eq!(kept["last_name"], "Lovelace-King");
    assert_eq!(kept["email"], "ada@example.test");
    assert_eq!(kept["phone"], "+44 20 7946 0000");
    assert_eq!(kept["skills"], serde_json::json!(["Rust", "Go"]));
    assert_eq!(kept["tags"], serde_json::json!(["meetup", "alumni"]));
    assert_eq!(kept["engagement_score"], 7);
    let mut r = st
        .db
        .query("SELECT VALUE id FROM application WHERE person = $p; SELECT VALUE id FROM note WHERE person = $p;")
        .bind(("p", keep.clone()))
        .await
        .unwrap();
    let apps: Vec<RecordId> = r.take(0).unwrap();
    let notes: Vec<RecordId> = r.take(1).unwrap();
    assert_eq!(
        apps.len(),
        3,
        "all applications are kept, even two for the same job"
    );
    assert_eq!(notes.len(), 1);
    assert!(apps.contains(&dup_app) && apps.contains(&dup_other));

    let back = repo::unmerge(&st.db, &merge, &recruiter()).await.unwrap();
    assert_eq!(back, dup);
    let restored = repo::person_snapshot(&st.db, &dup).await.unwrap().unwrap();
    assert_eq!(restored["email"], "ada.king@example.test");
    assert_eq!(restored["consent_status"], "granted");
    assert!(
        restored["consent_at"].is_string(),
        "dates survive the round trip: {restored}"
    );
    let kept = repo::person_snapshot(&st.db, &keep).await.unwrap().unwrap();
    assert_eq!(kept["last_name"], "Lovelace");
    assert!(kept["phone"].is_null());
    assert_eq!(kept["skills"], serde_json::json!(["Rust"]));
    let mut r = st
        .db
        .query("SELECT VALUE id FROM application WHERE person = $d; SELECT VALUE id FROM note WHERE person = $d;")
        .bind(("d", dup.clone()))
        .await
        .unwrap();
    let apps: Vec<RecordId> = r.take(0).unwrap();
    let notes: Vec<RecordId> = r.take(1).unwrap();
    assert_eq!(apps.len(), 2);
    assert_eq!(notes.len(), 1);
    // The restored application is unique per person and job again.
    assert!(
        repo::add_to_job(&st.db, &dup, &job, &recruiter())
            .await
            .is_err()
    );
    assert!(
        repo::unmerge(&st.db, &merge, &recruiter()).await.is_err(),
        "a merge is undone once"
    );
}

#[tokio::test]
async fn imports_report_bad_rows_and_handle_people_already_here() {
    let st = testing::state().await;
    person(
        &st,
        "ada",
        serde_json::json!({ "email": "ada@example.test", "location": "London" }),
    )
    .await;
    let csv = "Name,E-mail,Phone,City\n\
               Ada Lovelace,ADA@example.test,,Berlin\n\
               Grace Hopper,grace@example.test,+1 212 555 0100,New York\n\
               No Email,,,Paris\n\
               Alan Turing,not-an-email,,Manchester\n\
               Grace Again,grace@example.test,,Boston\n";
    let id = import::create(&st.db, "people.csv", csv.into(), None)
        .await
        .unwrap();
    let job = import::get(&st.db, &id).await.unwrap().unwrap();
    assert_eq!(job.mapping(), ["full_name", "email", "phone", "location"]);
    assert_eq!(job.view().preview.len(), 5);
    import::start(
        &st,
        &id,
        job.mapping(),
        "update",
        Some("london-2026".into()),
        None,
    )
    .await
    .unwrap();
    import::run(&st, &id).await.unwrap();
    let v = import::get(&st.db, &id).await.unwrap().unwrap().view();
    assert_eq!(v.status, "done");
    assert_eq!((v.processed, v.created, v.updated), (5, 1, 1));
    let rows: Vec<(i64, String)> = v.errors.iter().map(|e| (e.row, e.field.clone())).collect();
    assert_eq!(
        rows,
        [
            (4, "email".to_string()),
            (5, "email".to_string()),
            (6, "email".to_string())
        ],
        "{:?}",
        v.errors
    );
    assert!(
        v.errors[2].message.contains("row 3"),
        "the repeat names the first row: {:?}",
        v.errors[2]
    );
    let ada = repo::person_snapshot(&st.db, &RecordId::new("person", "ada"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        ada["location"], "Berlin",
        "update mode updates people already here"
    );
    assert!(
        ada["tags"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("london-2026"))
    );
    // The same file again, skipping people already here: nothing new, nobody touched.
    let id = import::create(&st.db, "again.csv", csv.replace("Berlin", "Rome"), None)
        .await
        .unwrap();
    let job = import::get(&st.db, &id).await.unwrap().unwrap();
    import::start(&st, &id, job.mapping(), "skip", None, None)
        .await
        .unwrap();
    import::run(&st, &id).await.unwrap();
    let v = import::get(&st.db, &id).await.unwrap().unwrap().view();
    assert_eq!((v.created, v.updated, v.skipped), (0, 0, 2));
    let ada = repo::person_snapshot(&st.db, &RecordId::new("person", "ada"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ada["location"], "Berlin");
}

#[tokio::test]
async fn sourcing_into_a_job_credits_the_campaign_and_ends_its_nurture() {
    let st = testing::state().await;
    let job = testing::open_job(&st, "Rust dev").await;
    let ada = person(&st, "ada", serde_json::json!({ "tags": ["nurture"] })).await;
    let input = crate::campaigns::types::CampaignInput::parse(
        "Warm up",
        "nurture",
        "Hi {{first_name}}",
        "Hello",
    )
    .unwrap();
    let c = crate::campaigns::repo::create(&st.db, &input, &recruiter())
        .await
        .unwrap();
    st.db
        .query("UPDATE $c SET job = $j")
        .bind(("c", c.clone()))
        .bind(("j", job.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    crate::campaigns::engine::launch(&st, &c, &recruiter())
        .await
        .unwrap();
    let app = repo::add_to_job(&st.db, &ada, &job, &recruiter())
        .await
        .unwrap();
    let mut r = st
        .db
        .query("SELECT source, warmed_by FROM ONLY $a; SELECT status, stop_reason FROM enrollment WHERE person = $p;")
        .bind(("a", app))
        .bind(("p", ada.clone()))
        .await
        .unwrap();
    let app: Option<serde_json::Value> = r.take(0).unwrap();
    let enrollments: Vec<serde_json::Value> = r.take(1).unwrap();
    let app = app.unwrap();
    assert_eq!(app["source"], "sourced");
    assert!(
        app["warmed_by"].is_string() || app["warmed_by"].is_object(),
        "credited to the campaign: {app}"
    );
    assert_eq!(
        enrollments,
        [serde_json::json!({ "status": "stopped", "stop_reason": "added to the job" })]
    );
    assert!(
        repo::add_to_job(&st.db, &ada, &job, &recruiter())
            .await
            .is_err(),
        "once per job"
    );
}

#[tokio::test]
async fn a_board_bulk_adds_candidates_to_a_pool_and_undo_removes_only_the_new_members() {
    use crate::pipeline::bulk::{self, BulkKind};
    let st = testing::state().await;
    let job_id = testing::open_job(&st, "Support lead").await;
    let job = crate::jobs::repo::get(&st.db, &job_id)
        .await
        .unwrap()
        .unwrap();
    let ada = person(&st, "ada", serde_json::json!({})).await;
    let bob = person(&st, "bob", serde_json::json!({})).await;
    let mut apps = Vec::new();
    for p in [&ada, &bob] {
        apps.push(key(&repo::add_to_job(&st.db, p, &job_id, &recruiter())
            .await
            .unwrap()));
    }
    let pool = repo::create_pool(&st.db, "Silver medalists", "", &recruiter())
        .await
        .unwrap();
    // Ada was already in the pool.
    repo::add_to_pool(&st.db, &pool, std::slice::from_ref(&ada), &recruiter())
        .await
        .unwrap();
    let done = bulk::run(
        &st,
        &job,
        &apps,
        BulkKind::Pool { pool: pool.clone() },
        &recruiter(),
    )
    .await
    .unwrap();
    assert_eq!(done.message, "Added 1 candidate to “Silver medalists”.");
    assert_eq!(repo::pool(&st.db, &pool).await.unwrap().unwrap().members, 2);
    // Again: nothing new to add is said plainly.
    let again = bulk::run(
        &st,
        &job,
        &apps,
        BulkKind::Pool { pool: pool.clone() },
        &recruiter(),
    )
    .await
    .unwrap_err();
    assert!(again.to_string().contains("already in"), "{again}");
    bulk::undo(
        &st,
        &job,
        &RecordId::new("bulk_action", done.bulk_id.as_str()),
        &recruiter(),
    )
    .await
    .unwrap();
    let members = repo::pool_members(&st.db, &pool).await.unwrap();
    assert_eq!(
        members.iter().map(|m| key(&m.id)).collect::<Vec<_>>(),
        ["ada"],
        "undo keeps who was there before"
    );
}
