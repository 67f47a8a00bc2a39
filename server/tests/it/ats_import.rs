//! Moving from another applicant tracking system: a Greenhouse and a Lever candidate export
//! (fixtures in `end2end/fixtures`) go through the CSV import. The mapping is guessed from their
//! columns, the plan names the jobs and the stages that are not in a pipeline, and the import
//! adds people with their applications (stage, rejection, withdrawal, hire), creating the jobs
//! that are not here as closed jobs, once.

use crate::common::*;
use app::imports::repo;
use surrealdb::types::SurrealValue;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../end2end/fixtures")
            .join(name),
    )
    .unwrap()
}

#[derive(Debug, SurrealValue)]
struct App {
    email: String,
    job: String,
    stage: String,
    status: String,
    rejection_reason: Option<String>,
    source: String,
}

async fn applications(t: &TestApp, emails: &[&str]) -> Vec<App> {
    let mut r = t
        .state()
        .db
        .query(
            "SELECT person.email AS email, job.title AS job, stage, status, rejection_reason, source
             FROM application WHERE person.email IN $e",
        )
        .bind((
            "e",
            emails.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        ))
        .await
        .unwrap();
    let mut apps: Vec<App> = r.take(0).unwrap();
    apps.sort_by(|a, b| (&a.email, &a.job).cmp(&(&b.email, &b.job)));
    apps
}

async fn run_import(t: &TestApp, name: &str, csv: String) -> app::imports::types::ImportView {
    let st = t.state();
    let id = repo::create(&st.db, name, csv, None).await.unwrap();
    let job = repo::get(&st.db, &id).await.unwrap().unwrap();
    repo::start(
        st,
        &id,
        job.mapping(),
        "skip",
        None,
        None,
        &app::server::activity::Actor::system(),
    )
    .await
    .unwrap();
    // The job runtime runs it (retrying lost write conflicts, e.g. with background screening,
    // from the last committed batch). Running it here as well raced with the worker: two runs
    // at once each created the jobs the file names.
    wait_until("the import finished", async || {
        let job = repo::get(&st.db, &id).await.unwrap().unwrap();
        job.status == "done" || job.status == "failed"
    })
    .await;
    repo::get(&st.db, &id).await.unwrap().unwrap().view()
}

#[tokio::test]
async fn greenhouse_and_lever_exports_bring_people_applications_and_jobs() {
    let t = spawn_app().await;
    let st = t.state();
    let greenhouse = fixture("greenhouse-export.csv");

    // The mapping is guessed from Greenhouse's columns; the plan shows what will be added.
    let id = repo::create(&st.db, "greenhouse.csv", greenhouse.clone(), None)
        .await
        .unwrap();
    let job = repo::get(&st.db, &id).await.unwrap().unwrap();
    assert_eq!(
        job.mapping(),
        [
            "",
            "first_name",
            "last_name",
            "",
            "headline",
            "email",
            "phone",
            "job",
            "stage",
            "outcome",
            "",
            "tags",
            ""
        ]
    );
    let plan = repo::plan(&st.db, &job)
        .await
        .unwrap()
        .expect("a job column");
    assert_eq!(plan.format.as_deref(), Some("Greenhouse"));
    let summary: Vec<_> = plan
        .jobs
        .iter()
        .map(|j| (j.title.as_str(), j.rows, j.exists, j.unknown_stages.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "Senior Backend Engineer (Rust)",
                2,
                true,
                vec!["Application Review".to_string()]
            ),
            (
                "Product Designer",
                2,
                true,
                vec!["Take-Home Test".to_string()]
            ),
            ("Support Lead", 1, false, vec![]),
        ]
    );
    assert_eq!((plan.jobs[0].rejected, plan.jobs[2].hired), (1, 1));

    let v = run_import(&t, "greenhouse.csv", greenhouse.clone()).await;
    assert_eq!(v.status, "done");
    assert_eq!((v.created, v.applications), (3, 4), "{:?}", v.errors);
    // The bad row is reported; the second row of a person (another application) is not.
    let errs: Vec<_> = v.errors.iter().map(|e| (e.row, e.field.as_str())).collect();
    assert_eq!(errs, [(6, "email")]);
    let apps = applications(
        &t,
        &[
            "greta.houseman@example.com",
            "gustav.harlow@example.com",
            "gloria.hale@example.com",
        ],
    )
    .await;
    let got: Vec<_> = apps
        .iter()
        .map(|a| {
            (
                a.email.as_str(),
                a.job.as_str(),
                a.stage.as_str(),
                a.status.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("gloria.hale@example.com", "Support Lead", "hired", "active"),
            (
                "greta.houseman@example.com",
                "Senior Backend Engineer (Rust)",
                "phone_screen",
                "active"
            ),
            (
                "gustav.harlow@example.com",
                "Product Designer",
                "applied",
                "active"
            ),
            (
                "gustav.harlow@example.com",
                "Senior Backend Engineer (Rust)",
                "applied",
                "rejected"
            ),
        ]
    );
    assert!(apps.iter().all(|a| a.source == "import"));
    // The imported applications are read against their job's screening criteria.
    wait_until("the imported application screened", async || {
        let mut r = st
            .db
            .query(
                "SELECT VALUE screen_possible FROM application
                    WHERE person.email = 'greta.houseman@example.com' AND job = job:`rust-backend`",
            )
            .await
            .unwrap();
        let possible: Vec<Option<i64>> = r.take(0).unwrap();
        possible.first().copied().flatten().is_some_and(|p| p > 0)
    })
    .await;
    // The job that was not here is created, closed.
    let mut r = st
        .db
        .query("SELECT VALUE status FROM job WHERE title = 'Support Lead'")
        .await
        .unwrap();
    let statuses: Vec<String> = r.take(0).unwrap();
    assert_eq!(statuses, ["closed"]);

    // The same file again: nobody and nothing twice.
    let again = run_import(&t, "greenhouse-again.csv", greenhouse).await;
    assert_eq!(
        (again.created, again.skipped, again.applications),
        (0, 3, 0)
    );
    let mut r = st
        .db
        .query("SELECT VALUE count() FROM job WHERE title = 'Support Lead' GROUP ALL")
        .await
        .unwrap();
    let n: Vec<i64> = r.take(0).unwrap();
    assert_eq!(n, [1]);

    // Lever: the LinkedIn link among several, the archive reason as rejection or withdrawal,
    // and the job the Greenhouse file created is found by its title.
    let lever = fixture("lever-export.csv");
    let id = repo::create(&st.db, "lever.csv", lever.clone(), None)
        .await
        .unwrap();
    let job = repo::get(&st.db, &id).await.unwrap().unwrap();
    let plan = repo::plan(&st.db, &job).await.unwrap().unwrap();
    assert_eq!(plan.format.as_deref(), Some("Lever"));
    assert!(plan.jobs.iter().all(|j| j.exists), "{:?}", plan.jobs);
    let v = run_import(&t, "lever.csv", lever).await;
    assert_eq!((v.created, v.applications), (3, 3), "{:?}", v.errors);
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let apps = applications(
        &t,
        &[
            "leonie.varga@example.com",
            "lars.vidal@example.com",
            "lena.voss@example.com",
        ],
    )
    .await;
    let got: Vec<_> = apps
        .iter()
        .map(|a| {
            (
                a.email.as_str(),
                a.stage.as_str(),
                a.status.as_str(),
                a.rejection_reason.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "lars.vidal@example.com",
                "applied",
                "rejected",
                Some("Underqualified")
            ),
            ("lena.voss@example.com", "offer", "withdrawn", None),
            ("leonie.varga@example.com", "interview", "active", None),
        ]
    );
    let mut r = st
        .db
        .query("SELECT VALUE links FROM person WHERE email = 'leonie.varga@example.com'")
        .await
        .unwrap();
    let links: Vec<Vec<String>> = r.take(0).unwrap();
    assert_eq!(links, [["https://www.linkedin.com/in/leonie-varga"]]);
}
