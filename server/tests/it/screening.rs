//! Explainable screening over HTTP: a recruiter sets a job's criteria; an application is read
//! against them in the background with the evidence quoted; the board and the screening list
//! sort and filter by the score; an override is kept over a later reading; anonymised review
//! takes identities out of the quotes; the adverse-impact check covers the screen; and who may
//! do what.

use crate::common::*;
use app::anonymity::api::SetAnonymisedReview;
use app::pipeline::api::GetBoard;
use app::reports::api::HiringReports;
use app::screening::api::*;
use serde_json::Value;

const JOB: &str = "customer-success";

/// The verdict and evidence of the criterion described as `what`.
fn result<'a>(s: &'a Value, what: &str) -> &'a Value {
    s["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            let c = &r["criterion"];
            format!(
                "{}:{}",
                c["kind"].as_str().unwrap(),
                c["term"].as_str().unwrap()
            ) == what
        })
        .unwrap_or_else(|| panic!("no result for {what}: {s}"))
}

#[tokio::test]
async fn applications_are_read_against_the_criteria_with_evidence_and_overrides_are_kept() {
    let t = spawn_app().await;
    let r = t.signed_in("recruiter@acme.test").await;
    let add = |kind: &'static str,
               term: &'static str,
               years: &'static str,
               required: bool,
               answer: &'static str| {
        let (t, r) = (&t, &r);
        async move {
            let mut args = vec![
                ("job_id", JOB),
                ("kind", kind),
                ("term", term),
                ("years", years),
                ("answer", answer),
            ];
            if required {
                args.push(("required", "yes"));
            }
            t.call::<AddScreeningCriterion>(r, &args).await
        }
    };

    // Bad input is named by field; only recruiters and admins set criteria.
    let bad = add("years", "Rust", "0", true, "").await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("minimum years"));
    assert_eq!(add("question", "EU?", "", true, "").await.status(), 422);
    let manager = t.signed_in("manager@acme.test").await;
    let res = t
        .call::<AddScreeningCriterion>(
            &manager,
            &[("job_id", JOB), ("kind", "skill"), ("term", "Rust")],
        )
        .await;
    assert_eq!(res.status(), 403);

    for (kind, term, years, required, answer) in [
        ("skill", "Rust", "", true, ""),
        ("years", "Rust", "5", true, ""),
        ("skill", "Figma", "", false, ""),
        ("language", "German", "", false, ""),
        ("skill", "LinkedIn", "", false, ""),
        (
            "question",
            "Are you authorised to work in the EU?",
            "",
            true,
            "yes",
        ),
    ] {
        assert!(
            add(kind, term, years, required, answer)
                .await
                .status()
                .is_success()
        );
    }

    // The question is on the public form; the candidate answers No.
    let anyone = t.client();
    let qs = t
        .json::<ScreeningQuestions>(&anyone, &[("job_id", JOB)])
        .await;
    let (qid, text) = (qs[0][0].as_str().unwrap().to_string(), qs[0][1].clone());
    assert_eq!(text, "Are you authorised to work in the EU?");
    assert!(
        t.text(&anyone, &format!("/jobs/{JOB}"))
            .await
            .contains("Are you authorised to work in the EU?")
    );
    let field = format!("q_{qid}");
    apply_with(
        &t,
        &anyone,
        JOB,
        ("Jordan Rivers", "jordan.rivers@example.net", ""),
        ("cv.pdf", pdf_bytes("Resume")),
        &[(field.as_str(), "no")],
    )
    .await;
    let app_id: String = t
        .state()
        .db
        .query("SELECT VALUE id FROM application WHERE person.email = 'jordan.rivers@example.net'")
        .await
        .unwrap()
        .take::<Vec<surrealdb::types::RecordId>>(0)
        .unwrap()
        .first()
        .map(app::server::db::key)
        .unwrap();

    let read = async |c: &reqwest::Client| {
        t.json::<GetApplicationScreening>(c, &[("application_id", app_id.as_str())])
            .await
    };
    wait_until("the application to be read", async || {
        !read(&r).await["score"].is_null()
    })
    .await;
    let s = read(&r).await;
    // Rust: quoted from the resume's skills line.
    let rust = result(&s, "skill:Rust");
    assert_eq!(rust["found"]["verdict"], "met");
    assert!(
        rust["found"]["evidence"]
            .as_str()
            .unwrap()
            .contains("Skills: Rust, Tokio")
    );
    assert_eq!(rust["found"]["source"], "resume");
    // Five years of Rust: mentioned without dates, so a person judges it.
    assert_eq!(result(&s, "years:Rust")["found"]["verdict"], "unknown");
    assert_eq!(result(&s, "skill:Figma")["found"]["verdict"], "not_met");
    assert_eq!(result(&s, "language:German")["found"]["verdict"], "unknown");
    let q = result(&s, "question:Are you authorised to work in the EU?");
    assert_eq!(q["found"]["verdict"], "not_met");
    assert_eq!(
        q["found"]["evidence"],
        "Answered “No” to “Are you authorised to work in the EU?”"
    );
    let links = result(&s, "skill:LinkedIn")["found"]["evidence"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(links.contains("jordan-rivers"), "{links}");
    // Rust (2) and LinkedIn (1) of 2 + 2 + 1 + 1 + 1 + 2; the No to a must-have misses the screen.
    assert_eq!(
        (
            s["score"]["points"].as_u64(),
            s["score"]["possible"].as_u64(),
            s["score"]["passed"].as_bool()
        ),
        (Some(3), Some(9), Some(false))
    );

    // The board: the card carries its score; "passes" leaves it out, "misses" keeps it.
    let board = |screen: &'static str| {
        let (t, r) = (&t, &r);
        async move {
            t.json::<GetBoard>(r, &[("job_id", JOB), ("screen", screen), ("sort", "score")])
                .await
        }
    };
    let on_board = |b: &Value| {
        b["cards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == app_id.as_str())
    };
    let failed = board("failed").await;
    assert!(on_board(&failed), "{failed}");
    let card = failed["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == app_id.as_str())
        .unwrap();
    assert_eq!(card["screening"]["points"], 3);
    assert!(!on_board(&board("passed").await));

    // The screening list, filtered by a criterion met.
    let rust_id = rust["criterion"]["id"].as_str().unwrap().to_string();
    let list = t
        .json::<GetJobScreening>(&r, &[("job_id", JOB), ("meets", rust_id.as_str())])
        .await;
    let line = list["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["application_id"] == app_id.as_str())
        .unwrap();
    assert_eq!(line["marks"][0], "met");
    assert_eq!(line["marks"][5], "not_met");
    assert_eq!(list["criteria"].as_array().unwrap().len(), 6);

    // A recruiter overrides the answer after a call; the score follows and the note is kept.
    let qcid = q["criterion"]["id"].as_str().unwrap().to_string();
    let res = t
        .call::<OverrideScreening>(
            &r,
            &[
                ("application_id", app_id.as_str()),
                ("criterion_id", qcid.as_str()),
                ("verdict", "met"),
                ("note", "Has a Blue Card since May"),
            ],
        )
        .await;
    assert!(res.status().is_success());
    let s = read(&r).await;
    let q = result(&s, "question:Are you authorised to work in the EU?");
    assert_eq!(q["overridden"]["verdict"], "met");
    assert_eq!(q["overridden"]["note"], "Has a Blue Card since May");
    assert_eq!(
        q["found"]["verdict"], "not_met",
        "the reading under it stays"
    );
    assert_eq!(s["score"]["passed"], true);
    assert!(on_board(&board("passed").await));

    // Reading everything again keeps the override.
    let before = read(&r).await["read_at"].clone();
    assert!(
        t.call::<RescreenJob>(&r, &[("job_id", JOB)])
            .await
            .status()
            .is_success()
    );
    wait_until("the job to be read again", async || {
        read(&r).await["read_at"] != before
    })
    .await;
    let s = read(&r).await;
    assert_eq!(
        result(&s, "question:Are you authorised to work in the EU?")["overridden"]["verdict"],
        "met"
    );
    assert_eq!(s["score"]["passed"], true);
    // The override is on the application's timeline.
    let timeline = t
        .state()
        .db
        .query("SELECT VALUE summary FROM activity WHERE kind = 'screening_override'")
        .await
        .unwrap()
        .take::<Vec<String>>(0)
        .unwrap();
    assert!(
        timeline
            .iter()
            .any(|s| s.contains("set to Met (Has a Blue Card since May)")),
        "{timeline:?}"
    );

    // The candidate's own download has the reading, the override and the score.
    t.portal_sign_in(&anyone, "jordan.rivers@example.net").await;
    let mine: Value = anyone
        .get(t.url("/portal/my-data.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let app = &mine["applications"][0];
    assert_eq!(
        app["screening"]["findings"].as_array().unwrap().len(),
        6,
        "{app}"
    );
    assert_eq!(
        app["screening_overrides"][0]["note"],
        "Has a Blue Card since May"
    );
    assert_eq!(app["screen_passed"], true);

    // Anonymised review: the quotes lose the links and the name.
    assert!(
        t.call::<SetAnonymisedReview>(&r, &[("job_id", JOB), ("until", "interview")])
            .await
            .status()
            .is_success()
    );
    let s = read(&r).await;
    assert_eq!(s["masked"], true);
    let links = result(&s, "skill:LinkedIn")["found"]["evidence"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !links.contains("jordan") && links.contains("[link]"),
        "{links}"
    );

    // The adverse-impact check has a screening step (nobody here answered self-identification,
    // so it counts no one, but it is there for the jobs that were screened).
    let report = t.json::<HiringReports>(&r, &[("job", JOB)]).await;
    assert!(
        report["impact"]["screening"].is_object(),
        "{}",
        report["impact"]
    );

    // Removing a criterion takes its overrides with it and scores again.
    let res = t
        .call::<RemoveScreeningCriterion>(&r, &[("job_id", JOB), ("criterion_id", qcid.as_str())])
        .await;
    assert!(res.status().is_success());
    wait_until("the score without the question", async || {
        read(&r).await["score"]["possible"] == 7
    })
    .await;
    let left: Vec<Value> = t
        .state()
        .db
        .query("SELECT * FROM screening_override")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert!(left.is_empty());
    t.stop().await;
}

#[tokio::test]
async fn the_demo_job_is_screened_and_who_may_see_and_override_is_enforced() {
    let t = spawn_app().await;
    let manager = t.signed_in("manager@acme.test").await;
    let interviewer = t.signed_in("interviewer@acme.test").await;
    let r = t.signed_in("recruiter@acme.test").await;

    // The demo's Rust job has criteria and its applicants were read: some pass, some do not,
    // ranked best first.
    let list = t
        .json::<GetJobScreening>(&r, &[("job_id", "rust-backend")])
        .await;
    assert_eq!(list["criteria"].as_array().unwrap().len(), 5);
    let lines = list["lines"].as_array().unwrap();
    assert!(lines.len() > 5, "{list}");
    let passed: Vec<bool> = lines
        .iter()
        .map(|l| l["score"]["passed"].as_bool().unwrap())
        .collect();
    assert!(
        passed.contains(&true) && passed.contains(&false),
        "{passed:?}"
    );
    assert!(
        passed.windows(2).all(|w| w[0] >= w[1]),
        "passes first: {passed:?}"
    );
    let app_id = lines[0]["application_id"].as_str().unwrap().to_string();

    // The job's hiring manager reads the list and a reading, but may not override or edit.
    let res = t
        .call::<GetJobScreening>(&manager, &[("job_id", "rust-backend")])
        .await;
    assert!(res.status().is_success());
    let s = t
        .json::<GetApplicationScreening>(&manager, &[("application_id", app_id.as_str())])
        .await;
    assert_eq!(s["can_override"], false);
    let cid = s["results"][0]["criterion"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = t
        .call::<OverrideScreening>(
            &manager,
            &[
                ("application_id", app_id.as_str()),
                ("criterion_id", cid.as_str()),
                ("verdict", "met"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    // Another job's list is not theirs; interviewers see none.
    let res = t
        .call::<GetJobScreening>(&manager, &[("job_id", JOB)])
        .await;
    assert_eq!(res.status(), 403);
    let res = t
        .call::<GetApplicationScreening>(&interviewer, &[("application_id", app_id.as_str())])
        .await;
    assert_eq!(res.status(), 403);
    // A bad verdict is named; a criterion of another job is not found.
    let res = t
        .call::<OverrideScreening>(
            &r,
            &[
                ("application_id", app_id.as_str()),
                ("criterion_id", cid.as_str()),
                ("verdict", "maybe"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = t
        .call::<OverrideScreening>(
            &r,
            &[
                ("application_id", app_id.as_str()),
                ("criterion_id", "nope"),
                ("verdict", "met"),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    // A job that is not open asks no questions in public.
    let res = t
        .call::<ScreeningQuestions>(&t.client(), &[("job_id", "frontend-contract")])
        .await;
    assert_eq!(res.status(), 404);
    t.stop().await;
}

/// The people list shows each open application's score; merging in a duplicate who brings a
/// skill reads the application again, so the score follows the merged record.
#[tokio::test]
async fn the_people_list_shows_scores_and_a_merge_reads_the_applications_again() {
    use app::dedupe::api::MergePeople;
    use app::people::api::ListPeople;
    let t = spawn_app().await;
    let r = t.signed_in("recruiter@acme.test").await;
    let res = t
        .call::<AddScreeningCriterion>(
            &r,
            &[
                ("job_id", JOB),
                ("kind", "skill"),
                ("term", "Figma"),
                ("required", "yes"),
            ],
        )
        .await;
    assert!(res.status().is_success());
    let anyone = t.client();
    apply_with(
        &t,
        &anyone,
        JOB,
        ("Morgan Vale", "morgan.vale@example.net", ""),
        ("cv.pdf", pdf_bytes("Resume")),
        &[],
    )
    .await;
    let people = async || {
        t.json::<ListPeople>(&r, &[("q", "morgan.vale"), ("tag", ""), ("cursor", "")])
            .await
    };
    let score_of = |p: &Value| {
        let s = &p["people"][0]["screened"][0]["score"];
        (
            s["points"].as_u64(),
            s["possible"].as_u64(),
            s["passed"].as_bool(),
        )
    };
    wait_until("the application to be read", async || {
        score_of(&people().await).0.is_some()
    })
    .await;
    let list = people().await;
    let title = t.json::<GetBoard>(&r, &[("job_id", JOB)]).await["job_title"].clone();
    assert_eq!(list["people"][0]["screened"][0]["job_title"], title);
    // The resume has no Figma, a must-have: no points, misses the screen.
    assert_eq!(score_of(&list), (Some(0), Some(2), Some(false)));
    let keep = list["people"][0]["id"].as_str().unwrap().to_string();

    // A sourced record of the same person lists Figma; merged in, the application is read again.
    let dup: surrealdb::types::RecordId = t
        .state()
        .db
        .query(
            "CREATE ONLY person SET first_name = 'Morgan', last_name = 'Vale',
                 email = 'm.vale@example.org', skills = ['Figma'], source = 'sourced'
             RETURN VALUE id",
        )
        .await
        .unwrap()
        .take::<Option<surrealdb::types::RecordId>>(0)
        .unwrap()
        .unwrap();
    let other = app::server::db::key(&dup);
    let res = t
        .call::<MergePeople>(&r, &[("keep", keep.as_str()), ("other", other.as_str())])
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    wait_until("the merged record to be read again", async || {
        score_of(&people().await) == (Some(2), Some(2), Some(true))
    })
    .await;
}
