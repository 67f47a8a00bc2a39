//! Repository tests on `mem://`: merges and their undo.

use super::repo;
use crate::pipeline::repo::add_to_job;
use crate::testing::{self, person, recruiter};
use surrealdb::types::RecordId;

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
    add_to_job(&st.db, &keep, &job, &recruiter()).await.unwrap();
    let dup_app = add_to_job(&st.db, &dup, &job, &recruiter()).await.unwrap();
    let dup_other = add_to_job(&st.db, &dup, &other_job, &recruiter())
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

    let (back, winner) = repo::unmerge(&st.db, &merge, &recruiter()).await.unwrap();
    assert_eq!(back, dup);
    assert_ne!(winner, dup);
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
    assert!(add_to_job(&st.db, &dup, &job, &recruiter()).await.is_err());
    assert!(
        repo::unmerge(&st.db, &merge, &recruiter()).await.is_err(),
        "a merge is undone once"
    );
}

#[tokio::test]
async fn duplicates_of_one_person_look_in_their_name_block_and_older_records_get_one_at_start() {
    let st = testing::state().await;
    // Ada; another Ada in the same block whatever the case ("a:love"); and Bea, same surname
    // but another initial: another block, not looked at (as in the whole-table list).
    for (k, first, last) in [
        ("ada", "Ada", "Lovelace"),
        ("ada2", "ada", "LOVELACE"),
        ("bea", "Bea", "Lovelace"),
    ] {
        person(
            &st,
            k,
            serde_json::json!({ "first_name": first, "last_name": last }),
        )
        .await;
    }
    let ada = RecordId::new("person", "ada");
    let found = |pairs: Vec<crate::people::types::DuplicatePair>| {
        pairs.into_iter().map(|p| p.b.id).collect::<Vec<_>>()
    };
    assert_eq!(
        found(repo::duplicates_of(&st.db, &ada).await.unwrap()),
        ["ada2"]
    );

    // A record written before the name block existed has none until the start fills it.
    st.db
        .query(
            "DEFINE FIELD OVERWRITE name_key ON person TYPE option<string>;
             CREATE person:old SET first_name = 'Ada', last_name = 'Lovelace', email = 'a.lovelace@example.test';",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
    crate::server::db::apply_schema(&st.db).await.unwrap();
    assert_eq!(
        found(repo::duplicates_of(&st.db, &ada).await.unwrap()),
        ["ada2"],
        "no name block yet"
    );
    repo::fill_name_keys(&st.db).await.unwrap();
    let mut after = found(repo::duplicates_of(&st.db, &ada).await.unwrap());
    after.sort();
    assert_eq!(after, ["ada2", "old"]);
}
