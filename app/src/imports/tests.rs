//! Repository tests on `mem://`: imports.

use super::{import, repo};
use crate::dedupe::repo::person_snapshot;
use crate::server::AppState;
use crate::testing::{self, person};
use surrealdb::types::RecordId;

/// Uploads `csv` and starts its import with the guessed columns and `policy` for people
/// already here.
async fn started(st: &AppState, name: &str, csv: String, policy: &str) -> RecordId {
    let id = repo::create(&st.db, name, csv, None).await.unwrap();
    let job = repo::get(&st.db, &id).await.unwrap().unwrap();
    repo::start(
        st,
        &id,
        job.mapping(),
        policy,
        None,
        None,
        &testing::recruiter(),
    )
    .await
    .unwrap();
    id
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
    let id = repo::create(&st.db, "people.csv", csv.into(), None)
        .await
        .unwrap();
    let job = repo::get(&st.db, &id).await.unwrap().unwrap();
    assert_eq!(job.mapping(), ["full_name", "email", "phone", "location"]);
    assert_eq!(job.view().preview.len(), 5);
    repo::start(
        &st,
        &id,
        job.mapping(),
        "update",
        Some("london-2026".into()),
        None,
        &testing::recruiter(),
    )
    .await
    .unwrap();
    import::run(&st, &id).await.unwrap();
    let v = repo::get(&st.db, &id).await.unwrap().unwrap().view();
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
    let ada = person_snapshot(&st.db, &RecordId::new("person", "ada"))
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
    let id = started(&st, "again.csv", csv.replace("Berlin", "Rome"), "skip").await;
    import::run(&st, &id).await.unwrap();
    let v = repo::get(&st.db, &id).await.unwrap().unwrap().view();
    assert_eq!((v.created, v.updated, v.skipped), (0, 0, 2));
    let ada = person_snapshot(&st.db, &RecordId::new("person", "ada"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ada["location"], "Berlin");
}

#[tokio::test]
async fn a_retried_import_goes_on_from_the_last_committed_row() {
    let st = testing::state().await;
    let csv = "Name,Email\n\
               Ada Lovelace,ada@resume.test\n\
               Grace Hopper,grace@resume.test\n\
               Alan Turing,alan@resume.test\n\
               Ada Again,ada@resume.test\n";
    let id = started(&st, "people.csv", csv.into(), "create").await;
    // An earlier attempt committed the first two rows (people and counts together), then died.
    person(
        &st,
        "ada",
        serde_json::json!({ "email": "ada@resume.test" }),
    )
    .await;
    person(
        &st,
        "grace",
        serde_json::json!({ "email": "grace@resume.test" }),
    )
    .await;
    // What a committed batch leaves: its record with what it added (key: the rows before it).
    st.db
        .query(
            "UPDATE $id SET status = 'running';
             CREATE type::record('import_batch', [$key, 0]) SET processed = 2, created = 2, updated = 0, skipped = 0;",
        )
        .bind(("id", id.clone()))
        .bind(("key", crate::server::db::key(&id)))
        .await
        .unwrap()
        .check()
        .unwrap();
    let running = repo::get(&st.db, &id).await.unwrap().unwrap().view();
    assert_eq!(
        (running.processed, running.created),
        (2, 2),
        "the import's figures count its committed batches"
    );
    import::run(&st, &id).await.unwrap();
    let v = repo::get(&st.db, &id).await.unwrap().unwrap().view();
    assert_eq!(v.status, "done");
    assert_eq!((v.processed, v.created), (4, 3));
    assert!(
        testing::ids(&st, "import_batch").await.is_empty(),
        "finishing folds the batches into the import"
    );
    assert_eq!(
        testing::ids(&st, "person").await.len(),
        3,
        "the committed rows were not created again"
    );
    let rows: Vec<(i64, String)> = v.errors.iter().map(|e| (e.row, e.field.clone())).collect();
    assert_eq!(rows, [(5, "email".to_string())]);
    assert!(v.errors[0].message.contains("row 2"), "{:?}", v.errors);
    // Who started it is on record.
    let mut r = st
        .db
        .query("SELECT VALUE [actor_label, summary] FROM activity WHERE kind = 'import_started'")
        .await
        .unwrap();
    let entries: Vec<Vec<String>> = r.take(0).unwrap();
    assert_eq!(
        entries,
        [["Tess Tester", "Started importing people.csv (4 rows)"]]
    );
}

#[tokio::test]
async fn an_import_that_can_never_work_fails_at_once_instead_of_retrying() {
    let st = testing::state().await;
    let id = repo::create(
        &st.db,
        "people.csv",
        "Name,Email\nAda,ada@x.test\n".into(),
        None,
    )
    .await
    .unwrap();
    // The import was deleted while its task waited: no retry can bring it back.
    st.db
        .query("DELETE $id")
        .bind(("id", id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let task = repo::RunImport {
        import: crate::server::db::key(&id),
    };
    let outcome = import::run_task(st.clone(), task).await;
    assert!(
        matches!(outcome, Err(crate::server::tasks::TaskError::Fail(_))),
        "{outcome:?}"
    );
    assert!(testing::ids(&st, "person").await.is_empty());
}

#[tokio::test]
async fn overlapping_batches_commit_in_order_and_one_that_loses_a_race_is_written_again() {
    let st = testing::state().await;
    // 1,002 rows: two batches, run side by side. The first batch's last row and the second
    // batch's first row name the same person and job (an export lists a row per application),
    // so the second batch's transaction, begun before the first committed, adds the same
    // application and loses at its commit; written again, it sees the first's.
    let mut csv = String::from("Name,Email,Job\n");
    for i in 1..1000 {
        csv.push_str(&format!("Person {i},p{i}@race.test,\n"));
    }
    csv.push_str("Ada Lovelace,ada@race.test,Platform Engineer\n");
    csv.push_str("Ada Lovelace,ada@race.test,Platform Engineer\n");
    csv.push_str("Ada Lovelace,ada@race.test,Data Engineer\n");
    csv.push_str("No Email,,\n");
    let id = started(&st, "race.csv", csv, "skip").await;
    let job = repo::get(&st.db, &id).await.unwrap().unwrap();
    assert_eq!(job.mapping(), ["full_name", "email", "job"]);
    import::run(&st, &id).await.unwrap();
    let v = repo::get(&st.db, &id).await.unwrap().unwrap().view();
    assert_eq!(v.status, "done");
    assert_eq!(
        (v.processed, v.created, v.applications),
        (1003, 1000, 2),
        "{:?}",
        v.errors
    );
    let rows: Vec<i64> = v.errors.iter().map(|e| e.row).collect();
    assert_eq!(
        rows,
        [1004],
        "the row without an email, in the second batch"
    );
    let mut r = st
        .db
        .query("SELECT VALUE job.title FROM application WHERE person.email = 'ada@race.test'")
        .await
        .unwrap();
    let mut jobs: Vec<String> = r.take(0).unwrap();
    jobs.sort();
    assert_eq!(
        jobs,
        ["Data Engineer", "Platform Engineer"],
        "each application once"
    );
    assert_eq!(testing::ids(&st, "person").await.len(), 1000);
    assert!(testing::ids(&st, "import_batch").await.is_empty());
}
