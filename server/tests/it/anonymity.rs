//! Anonymised review over HTTP: once a recruiter turns it on for a job, the board, the live
//! card after a move, the profile and the resume download hide who a candidate is until the
//! chosen stage; bad stages are named; turning it off is recorded on the job.

use crate::common;

use app::anonymity::api::SetAnonymisedReview;
use app::jobs::api::JobActivity;
use app::people::api::GetPerson;
use app::pipeline::api::{GetBoard, MoveCard};
use common::*;
use serde_json::Value;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct Who {
    id: RecordId,
    person: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    stage: String,
    status: String,
}

#[tokio::test]
async fn names_stay_hidden_until_the_chosen_stage_and_leaving_is_recorded() {
    let t = spawn_app().await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let job = "product-designer";
    let set = |until: &'static str| {
        let (t, c) = (&t, &recruiter);
        async move {
            t.call::<SetAnonymisedReview>(c, &[("job_id", job), ("until", until)])
                .await
        }
    };

    // A stage that hides nothing, or that the job does not have, is refused by name.
    let first = set("applied").await;
    assert_eq!(first.status(), 422);
    assert!(first.text().await.unwrap().contains("Choose a later stage"));
    assert_eq!(set("no-such-stage").await.status(), 422);
    // An interviewer may not change it.
    let interviewer = t.signed_in("interviewer@acme.test").await;
    let res = t
        .call::<SetAnonymisedReview>(&interviewer, &[("job_id", job), ("until", "interview")])
        .await;
    assert_eq!(res.status(), 403);

    assert!(set("interview").await.status().is_success());

    let people: Vec<Who> = t
        .state()
        .db
        .query(
            "SELECT id, person, person.first_name AS first_name, person.last_name AS last_name,
                person.email AS email, stage, status
             FROM application WHERE job = $job",
        )
        .bind(("job", RecordId::new("job", job)))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let early: Vec<&Who> = people
        .iter()
        .filter(|w| w.stage == "applied" || w.stage == "phone_screen")
        .collect();
    assert!(!early.is_empty(), "the demo job has early applications");

    // The board: early cards carry aliases, and their names and emails appear nowhere in it.
    let board = t.call::<GetBoard>(&recruiter, &[("job_id", job)]).await;
    assert!(board.status().is_success());
    let text = board.text().await.unwrap();
    let b: Value = serde_json::from_str(&text).unwrap();
    // (A shown person may share a hidden one's last name.)
    let shown: Vec<&str> = people
        .iter()
        .filter(|w| !early.iter().any(|e| e.id == w.id))
        .map(|w| w.last_name.as_str())
        .collect();
    for w in &early {
        assert!(
            shown.contains(&w.last_name.as_str()) || !text.contains(&w.last_name),
            "{} on the board",
            w.last_name
        );
        assert!(!text.contains(&w.email), "{} on the board", w.email);
        let card = b["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == app::server::db::key(&w.id))
            .unwrap();
        assert_eq!(card["masked"], true);
        let alias = app::anonymity::rules::alias(&app::server::db::key(&w.person));
        assert_eq!(card["name"], alias.as_str());
    }

    // The profile: an alias, no contact details, the resume text without them, a notice.
    let w = *early.iter().find(|w| w.status == "active").unwrap();
    let pid = app::server::db::key(&w.person);
    // An email that names them, in subject and text: the Emails tab shows it redacted.
    t.state()
        .db
        .query(
            "CREATE mail CONTENT {
                to_email: $email, to_name: $name, kind: 'bulk', person: $p, status: 'outbox',
                subject: 'Next steps, ' + $name,
                body_text: 'Dear ' + $name + ', reply to ' + $email + ' with your times.' }",
        )
        .bind(("email", w.email.clone()))
        .bind(("name", format!("{} {}", w.first_name, w.last_name)))
        .bind(("p", w.person.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let res = t
        .call::<GetPerson>(&recruiter, &[("person_id", &pid)])
        .await;
    assert!(res.status().is_success());
    let text = res.text().await.unwrap();
    assert!(!text.contains(&w.last_name), "{text}");
    assert!(!text.contains(&w.email), "{text}");
    let p: Value = serde_json::from_str(&text).unwrap();
    assert!(p["name"].as_str().unwrap().starts_with("Candidate "));
    assert_eq!(p["email"], "");
    assert!(p["links"].as_array().unwrap().is_empty());
    let mail = p["emails"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["subject"].as_str().unwrap().starts_with("Next steps"))
        .expect("the email is listed");
    assert!(
        mail["body"].as_str().unwrap().contains("with your times."),
        "{mail}"
    );
    assert!(
        p["anonymised"][0]
            .as_str()
            .unwrap()
            .contains("anonymised review until Interview"),
        "{p}"
    );
    // The board's quick view hides the same.
    let quick = t
        .call::<app::pipeline::api::GetQuickProfile>(&recruiter, &[("person_id", &pid)])
        .await;
    assert!(quick.status().is_success());
    let text = quick.text().await.unwrap();
    assert!(!text.contains(&w.last_name), "{text}");
    assert!(!text.contains(&w.email), "{text}");
    let q: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (q["email"].as_str(), q["anonymised"].as_bool()),
        (Some(""), Some(true)),
        "{q}"
    );
    // Nor can the resume file be fetched.
    if let Some(resume) = p["resumes"][0]["id"].as_str() {
        let res = recruiter
            .get(t.url(&format!("/app/resumes/{resume}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }

    // The home's lists name no one hidden either.
    let home: Value = t
        .call::<app::home::api::LoadDashboard>(&recruiter, &[])
        .await
        .json()
        .await
        .unwrap();
    let mut seen = 0;
    for item in ["new_applicants", "stuck"]
        .iter()
        .flat_map(|l| home[*l].as_array().unwrap())
    {
        if let Some(e) = early
            .iter()
            .find(|e| item["person_id"] == app::server::db::key(&e.person))
        {
            seen += 1;
            assert!(
                item["name"].as_str().unwrap().starts_with("Candidate "),
                "{item}"
            );
            assert!(!item.to_string().contains(&e.last_name), "{item}");
        }
    }
    assert!(
        seen > 0,
        "the home lists some of the job's early candidates: {home}"
    );

    // Nor does the people list tie the alias to the name.
    let list = t
        .call::<app::people::api::ListPeople>(
            &recruiter,
            &[("q", w.email.as_str()), ("tag", ""), ("cursor", "")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains(p["name"].as_str().unwrap()), "{list}");
    assert!(!list.contains(&w.last_name), "{list}");

    // Search finds them by name, shows the alias, and its CSV export has no name or email.
    let alias = p["name"].as_str().unwrap().to_string();
    let q = format!("{} {}", w.first_name, w.last_name);
    let started = std::time::Instant::now();
    let hit = loop {
        let r: Value = t
            .call::<app::search::api::SearchPeople>(&recruiter, &[("q", q.as_str())])
            .await
            .json()
            .await
            .unwrap();
        if let Some(h) = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == pid.as_str())
        {
            break h.clone();
        }
        assert!(
            started.elapsed().as_secs() < 20,
            "the search never found {q}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(hit["name"], alias.as_str(), "{hit}");
    assert!(!hit.to_string().contains(&w.last_name), "{hit}");
    let csv = recruiter
        .get(t.url("/app/export/search"))
        .query(&[("q", q.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with(&alias))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(!row.contains(&w.last_name), "{row}");
    assert!(!csv.contains(&w.email), "{csv}");

    // Moved to the chosen stage, the card shows who it is.
    let res = t
        .call::<MoveCard>(
            &recruiter,
            &[
                ("job_id", job),
                ("application_id", &app::server::db::key(&w.id)),
                ("from", &w.stage),
                ("to", "interview"),
            ],
        )
        .await;
    let status = res.status();
    let card: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status} {card}");
    assert_eq!(card["masked"], false);
    assert_eq!(
        card["name"],
        format!("{} {}", w.first_name, w.last_name).as_str()
    );

    // Turned off: every name shows, and the job's activity says who turned it off.
    assert!(set("").await.status().is_success());
    let text = t
        .call::<GetBoard>(&recruiter, &[("job_id", job)])
        .await
        .text()
        .await
        .unwrap();
    assert!(!text.contains("Candidate "), "no aliases left");
    for w in &early {
        assert!(text.contains(&w.last_name));
    }
    let activity: Value = t
        .call::<JobActivity>(&recruiter, &[("job_id", job)])
        .await
        .json()
        .await
        .unwrap();
    let texts: Vec<&str> = activity
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Turned off anonymised review")),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"Turned on anonymised review: names hidden until Interview"),
        "{texts:?}"
    );
}
