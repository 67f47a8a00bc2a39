//! Erasure leaves nothing: a candidate who applied with a resume and a phone number, got a
//! note, a tag and a pool, is in an uploaded import file, was looked at (audit), had their
//! email tried at the staff sign-in and signed in to the portal asks to be erased from the
//! portal; an admin erases them from the queue. Then a full export of the database and the
//! search index hold none of their name, email, phone or resume text; their portal session is
//! gone; reports still count the application; the audit chain still verifies.

use crate::common;

use app::audit::api::GetAuditCheck;
use app::people::api::{AddNote, AddTag, GetPerson};
use app::pools::api::AddToPool;
use app::privacy::api::{AnswerPrivacyRequest, ListPrivacyRequests, RequestErasure};
use app::search::api::SearchPeople;
use common::*;
use futures::StreamExt;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use server_fn::ServerFn;
use surrealdb::types::{RecordId, SurrealValue};

const FIRST: &str = "Zebulon";
const LAST: &str = "Quasimodo";
const EMAIL: &str = "zebulon.quasimodo@example.net";
const PHONE: &str = "+44 7700 900123";
/// A word only in the fixture resume (`resume.docx`).
const RESUME_WORD: &str = "zymurgy";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../end2end/fixtures")
            .join(name),
    )
    .unwrap()
}

async fn export(t: &TestApp) -> String {
    let mut stream = t.state().db.export(()).await.unwrap();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend(chunk.unwrap());
    }
    String::from_utf8_lossy(&bytes).to_lowercase()
}

fn hits(text: &str) -> Vec<&'static str> {
    [
        "zebulon",
        "quasimodo",
        EMAIL,
        "7700 900123",
        "7700900123",
        RESUME_WORD,
    ]
    .into_iter()
    .filter(|n| text.contains(&n.to_lowercase()))
    .collect()
}

async fn search_total(t: &TestApp, c: &reqwest::Client, q: &str) -> u64 {
    let found: Value = t
        .call::<SearchPeople>(c, &[("q", q)])
        .await
        .json()
        .await
        .unwrap();
    found["total"].as_u64().unwrap_or(u64::MAX)
}

#[tokio::test]
async fn an_erased_candidate_leaves_no_trace_in_the_database_or_the_search_index() {
    let t = spawn_app().await;
    let candidate = t.client();
    apply_with_resume(
        &t,
        &candidate,
        "rust-backend",
        (&format!("{FIRST} {LAST}"), EMAIL, PHONE),
        ("Zebulon Quasimodo CV.docx", fixture("resume.docx")),
    )
    .await;
    let db = &t.state().db;
    let person: RecordId = db
        .query("SELECT VALUE id FROM ONLY person WHERE email = $e LIMIT 1")
        .bind(("e", EMAIL))
        .await
        .unwrap()
        .take::<Option<RecordId>>(0)
        .unwrap()
        .expect("the application made a person");
    let pid = app::server::db::key(&person);

    // Staff work with them.
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let sourcer = t.signed_in("sourcer@acme.test").await;
    assert!(
        t.call::<GetPerson>(&recruiter, &[("person_id", &pid)])
            .await
            .status()
            .is_success()
    );
    assert!(
        t.call::<AddNote>(
            &recruiter,
            &[
                ("person_id", &pid),
                ("body", "Zebulon Quasimodo was great on the phone")
            ]
        )
        .await
        .status()
        .is_success()
    );
    assert!(
        t.call::<AddTag>(&sourcer, &[("person_ids[]", &pid), ("tag", "zebulon-fans")])
            .await
            .status()
            .is_success()
    );
    let pool: RecordId = db
        .query("SELECT VALUE id FROM ONLY pool LIMIT 1")
        .await
        .unwrap()
        .take::<Option<RecordId>>(0)
        .unwrap()
        .expect("the demo has pools");
    let added = t
        .call::<AddToPool>(
            &sourcer,
            &[
                ("pool_id", &app::server::db::key(&pool)),
                ("person_ids[]", &pid),
            ],
        )
        .await;
    assert!(added.status().is_success(), "{}", added.status());
    let csv = format!(
        "first_name,last_name,email,phone\n{FIRST},{LAST},{EMAIL},{PHONE}\nAda,Lovelace,ada@example.org,\n"
    );
    let upload = sourcer
        .post(t.url(app::imports::api::UploadImport::PATH))
        .header("Origin", &t.base)
        .header("Accept", "application/json")
        .multipart(
            Form::new().part(
                "file",
                Part::bytes(csv.into_bytes())
                    .file_name("people.csv")
                    .mime_str("text/csv")
                    .unwrap(),
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 200);
    // Somebody tries their address at the staff sign-in (the audit log keeps it).
    let _ = t
        .call::<app::auth::api::Login>(
            &t.client(),
            &[("email", EMAIL), ("password", "guess"), ("next", "/app")],
        )
        .await;

    // The resume was read and is searchable.
    let mut searchable = false;
    for _ in 0..100 {
        if search_total(&t, &sourcer, RESUME_WORD).await == 1 {
            searchable = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(searchable, "the resume is indexed before the erasure");
    assert!(!hits(&export(&t).await).is_empty());

    // The candidate signs in to the portal and asks to be erased.
    let mails = t.smtp.wait_for(EMAIL, 1).await;
    let link = find_link(&body(&mails[0]), &format!("{}/portal/auth?token=", t.base))
        .expect("portal link in the email");
    assert_eq!(follow_portal_link(&t, &candidate, &link).await, "/portal");
    // They can take everything held about them, and their own resume file.
    let mine = candidate
        .get(t.url("/portal/my-data.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), 200);
    assert!(
        mine.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let mine: Value = mine.json().await.unwrap();
    assert_eq!(mine["person"]["email"], EMAIL);
    assert_eq!(mine["person"]["phone"], PHONE);
    assert_eq!(
        mine["applications"][0]["job"],
        "Senior Backend Engineer (Rust)"
    );
    assert!(
        mine["notes"][0]["body"]
            .as_str()
            .unwrap()
            .contains("great on the phone")
    );
    assert!(
        mine["resumes"][0]["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains(RESUME_WORD)
    );
    let file = mine["resumes"][0]["download"].as_str().unwrap().to_string();
    let own = candidate.get(t.url(&file)).send().await.unwrap();
    assert_eq!(own.status(), 200);
    assert_eq!(own.bytes().await.unwrap().to_vec(), fixture("resume.docx"));
    // Not another person's file.
    apply_with_resume(
        &t,
        &t.client(),
        "rust-backend",
        ("Olive Other", "olive.other@example.net", ""),
        ("olive.pdf", fixture("search-resume.pdf")),
    )
    .await;
    let other: RecordId = db
        .query("SELECT VALUE id FROM ONLY resume WHERE person != $p LIMIT 1")
        .bind(("p", person.clone()))
        .await
        .unwrap()
        .take::<Option<RecordId>>(0)
        .unwrap()
        .expect("another applicant's resume");
    let theirs = candidate
        .get(t.url(&format!("/portal/resumes/{}", app::server::db::key(&other))))
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), 404);

    let unconfirmed = t.call::<RequestErasure>(&candidate, &[]).await;
    assert_eq!(unconfirmed.status(), 422);
    let asked = t
        .call::<RequestErasure>(&candidate, &[("confirm", "yes")])
        .await;
    assert!(asked.status().is_success());
    let asked: Value = asked.json().await.unwrap();
    assert_eq!(asked["status"], "open");
    assert!((29..=30).contains(&asked["days_left"].as_i64().unwrap()));
    // Asking twice keeps one request.
    let again: Value = t
        .call::<RequestErasure>(&candidate, &[("confirm", "yes")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["id"], asked["id"]);

    // The admin sees it in the queue and erases.
    let admin = t.signed_in("admin@acme.test").await;
    let queue: Value = t
        .call::<ListPrivacyRequests>(&admin, &[])
        .await
        .json()
        .await
        .unwrap();
    let open = queue["open"].as_array().unwrap();
    // The demo's own request (asked 12 days ago) comes first: soonest deadline first.
    assert_eq!(open.len(), 2);
    assert_eq!(open[0]["days_left"], 18);
    assert_eq!(open[1]["person_name"], format!("{FIRST} {LAST}"));
    let rid = open[1]["id"].as_str().unwrap().to_string();
    let declined = t
        .call::<AnswerPrivacyRequest>(&admin, &[("request_id", &rid), ("decision", "decline")])
        .await;
    assert_eq!(declined.status(), 422, "declining needs the reason");
    let erased = t
        .call::<AnswerPrivacyRequest>(&admin, &[("request_id", &rid), ("decision", "erase")])
        .await;
    assert!(erased.status().is_success(), "{}", erased.status());
    let twice = t
        .call::<AnswerPrivacyRequest>(&admin, &[("request_id", &rid), ("decision", "erase")])
        .await;
    assert_eq!(twice.status(), 409);

    // Nothing is left: not in a full export of the database …
    let dump = export(&t).await;
    let found = hits(&dump);
    let lines: Vec<&str> = dump
        .lines()
        .filter(|l| found.iter().any(|n| l.contains(&n.to_lowercase())))
        .map(|l| &l[..l.len().min(400)])
        .collect();
    assert!(found.is_empty(), "{found:?} left in:\n{}", lines.join("\n"));
    // … nor in the search index (which follows the change).
    let mut gone = false;
    for _ in 0..100 {
        let mut total = 0;
        for q in [RESUME_WORD, "quasimodo", "zebulon", EMAIL] {
            total += search_total(&t, &sourcer, q).await;
        }
        if total == 0 {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(gone, "the search index still finds the person");

    // The portal no longer knows them; the resume file is gone; the application still counts.
    let portal = t.call::<app::portal::api::MyPortal>(&candidate, &[]).await;
    assert_eq!(portal.json::<Value>().await.unwrap(), Value::Null);
    let after = candidate
        .get(t.url("/portal/my-data.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
    let resumes: Vec<RecordId> = db
        .query("SELECT VALUE id FROM resume WHERE person = $p")
        .bind(("p", person.clone()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert!(resumes.is_empty());
    let apps: Vec<RecordId> = db
        .query("SELECT VALUE id FROM application WHERE person = $p")
        .bind(("p", person.clone()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(apps.len(), 1);
    let queue: Value = t
        .call::<ListPrivacyRequests>(&admin, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue["open"].as_array().unwrap().len(), 1);
    let done = &queue["answered"][0];
    assert_eq!(done["status"], "done");
    assert_eq!(done["person_name"], "Erased person");
    assert_eq!(done["decided_by"], "Alex Admin");
    // The audit chain still verifies after its personal parts were blanked.
    let check: Value = t
        .call::<GetAuditCheck>(&admin, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(check["intact"], true, "{check}");
    t.stop().await;
}

#[tokio::test]
async fn retention_erases_exactly_whom_its_preview_named_once() {
    use app::privacy::api::{GetRetention, SaveRetention};
    let t = spawn_app().await;
    let db = &t.state().db;
    let admin = t.signed_in("admin@acme.test").await;
    let get = || async {
        t.call::<GetRetention>(&admin, &[])
            .await
            .json::<Value>()
            .await
            .unwrap()
    };
    let off = get().await;
    assert_eq!(off["closed_applicants_months"], Value::Null);
    assert_eq!(off["preview_total"], 0);
    let bad = t.call::<SaveRetention>(&admin, &[("months", "0")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("from 1 to 120"));

    // Four applicants from two years ago: only the first is due. The second had something
    // happen recently, the third is still in process, the fourth consented to the talent pool.
    let long_ago = chrono::Utc::now() - chrono::Duration::days(730);
    for (key, status, consent, recent) in [
        ("old_rejected", "rejected", "unknown", false),
        ("old_recent", "withdrawn", "unknown", true),
        ("old_active", "active", "unknown", false),
        ("old_consent", "rejected", "granted", false),
    ] {
        db.query(
            "CREATE type::record('person', $k) SET first_name = 'Olga', last_name = $k,
                email = string::concat($k, '@example.org'), consent_status = $consent,
                created_at = $at;
             CREATE application SET person = type::record('person', $k), job = job:`rust-backend`,
                stage = 'applied', status = $status, created_at = $at,
                uniq = string::concat('retention-', $k);
             CREATE activity SET person = type::record('person', $k), actor_label = 'System',
                kind = 'note', summary = 'Something happened',
                at = IF $recent { time::now() } ELSE { $at };",
        )
        .bind(("k", key))
        .bind(("status", status))
        .bind(("consent", consent))
        .bind(("recent", recent))
        .bind(("at", long_ago))
        .await
        .unwrap()
        .check()
        .unwrap();
    }
    assert!(
        t.call::<SaveRetention>(&admin, &[("months", "12")])
            .await
            .status()
            .is_success()
    );
    let preview = get().await;
    assert_eq!(preview["closed_applicants_months"], 12);
    assert_eq!(preview["preview_total"], 1, "{preview}");
    assert_eq!(preview["preview"][0]["id"], "old_rejected");
    assert_eq!(preview["preview"][0]["name"], "Olga old_rejected");

    // What runs is what the preview named, once.
    let erased = app::privacy::retention::apply_retention(t.state(), chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(erased.erased, 1);
    let left: Vec<String> = db
        .query("SELECT VALUE record::id(id) FROM person WHERE erased_at != NONE")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(left, vec!["old_rejected".to_string()]);
    assert_eq!(
        app::privacy::retention::apply_retention(t.state(), chrono::Utc::now())
            .await
            .unwrap()
            .erased,
        0
    );
    let after = get().await;
    assert_eq!(after["preview_total"], 0);
    assert_eq!(after["runs"].as_array().unwrap().len(), 1);
    assert_eq!(after["runs"][0]["erased"], 1);
    assert_eq!(after["runs"][0]["months"], 12);
    t.stop().await;
}

#[tokio::test]
async fn candidates_correct_their_details_and_choose_what_we_may_contact_them_about() {
    use app::privacy::api::{CorrectMyDetails, MyPrivacy, SaveMyConsent};
    let t = spawn_app().await;
    let candidate = t.client();
    apply_with_resume(
        &t,
        &candidate,
        "rust-backend",
        ("Cora Correct", "cora.correct@example.org", ""),
        ("cora.pdf", fixture("search-resume.pdf")),
    )
    .await;
    let mails = t.smtp.wait_for("cora.correct@example.org", 1).await;
    let link = find_link(&body(&mails[0]), &format!("{}/portal/auth?token=", t.base)).unwrap();
    assert_eq!(follow_portal_link(&t, &candidate, &link).await, "/portal");

    let mine: Value = t
        .call::<MyPrivacy>(&candidate, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["first_name"], "Cora");
    assert_eq!(mine["talent_pool"], false);
    assert!(
        mine["topics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t[2] == true)
    );

    // Bad details are named; good ones are saved and reach the recruiters' view.
    let bad = t
        .call::<CorrectMyDetails>(
            &candidate,
            &[
                ("first_name", ""),
                ("last_name", "Correct"),
                ("phone", "call me"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("first_name") && text.contains("phone"),
        "{text}"
    );
    let ok = t
        .call::<CorrectMyDetails>(
            &candidate,
            &[
                ("first_name", "Cora"),
                ("last_name", "Corrected"),
                ("phone", "+44 20 7946 0001"),
                ("location", "Leeds"),
            ],
        )
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    #[derive(Debug, SurrealValue)]
    struct Now {
        first_name: String,
        last_name: String,
        phone: Option<String>,
        location: Option<String>,
        app_name: String,
    }
    let now: Option<Now> = t
        .state()
        .db
        .query(
            "SELECT first_name, last_name, phone, location,
                (SELECT VALUE person_name FROM application WHERE person = $parent.id)[0] AS app_name
             FROM ONLY person WHERE email = 'cora.correct@example.org' LIMIT 1",
        )
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let now = now.unwrap();
    let (name, phone, app_name) = (
        format!("{} {}", now.first_name, now.last_name),
        now.phone,
        now.app_name,
    );
    assert_eq!(now.location.as_deref(), Some("Leeds"));
    assert_eq!(name, "Cora Corrected");
    assert_eq!(phone.as_deref(), Some("+44 20 7946 0001"));
    assert_eq!(app_name, "Cora Corrected");

    // Consent per purpose: the talent pool yes, job alerts only.
    assert_eq!(
        t.call::<SaveMyConsent>(&candidate, &[("keep[]", "spam")])
            .await
            .status(),
        422
    );
    let saved = t
        .call::<SaveMyConsent>(
            &candidate,
            &[("talent_pool", "yes"), ("keep[]", "job_alerts")],
        )
        .await;
    assert!(saved.status().is_success());
    let mine: Value = t
        .call::<MyPrivacy>(&candidate, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["talent_pool"], true);
    let on: Vec<&str> = mine["topics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t[2] == true)
        .map(|t| t[0].as_str().unwrap())
        .collect();
    assert_eq!(on, vec!["job_alerts"]);
    // Withdrawn again: recorded as withdrawn, with the time.
    let withdrawn = t.call::<SaveMyConsent>(&candidate, &[]).await;
    assert!(withdrawn.status().is_success());
    let status: Option<String> = t
        .state()
        .db
        .query("SELECT VALUE consent_status FROM ONLY person WHERE email = 'cora.correct@example.org' LIMIT 1")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(status.as_deref(), Some("withdrawn"));
    t.stop().await;
}

#[tokio::test]
async fn a_person_in_the_crm_who_never_applied_reaches_their_privacy_centre_by_link() {
    use app::portal::api::RequestPortalLink;
    use app::privacy::api::MyPrivacy;
    let t = spawn_app().await;
    t.state()
        .db
        .query(
            "CREATE person:prospect SET first_name = 'Petra', last_name = 'Prospect',
                email = 'petra.prospect@example.org', source = 'sourced'",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
    let c = t.client();
    let asked = t
        .call::<RequestPortalLink>(&c, &[("email", "petra.prospect@example.org")])
        .await;
    assert!(asked.status().is_success() || asked.status().is_redirection());
    let mails = t.smtp.wait_for("petra.prospect@example.org", 1).await;
    let link = find_link(&body(&mails[0]), &format!("{}/portal/auth?token=", t.base)).unwrap();
    assert_eq!(follow_portal_link(&t, &c, &link).await, "/portal");
    let mine: Value = t.call::<MyPrivacy>(&c, &[]).await.json().await.unwrap();
    assert_eq!(mine["first_name"], "Petra");
    let portal: Value = t
        .call::<app::portal::api::MyPortal>(&c, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(portal["applications"].as_array().unwrap().len(), 0);
    t.stop().await;
}

#[tokio::test]
async fn admins_are_reminded_once_of_a_request_due_within_a_week() {
    let t = spawn_app().await;
    let st = t.state();
    let now = chrono::Utc::now();
    // The demo's request is due in 18 days: no reminder yet.
    assert_eq!(app::privacy::tasks::remind_due(st, now).await.unwrap(), 0);
    st.db
        .query(
            "CREATE privacy_request SET person = person:demo001, kind = 'erasure',
                requested_at = $asked, due_at = $due",
        )
        .bind(("asked", now - chrono::Duration::days(27)))
        .bind(("due", now + chrono::Duration::days(3)))
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(app::privacy::tasks::remind_due(st, now).await.unwrap(), 1);
    let mails = t.smtp.wait_for("admin@acme.test", 1).await;
    let mail = mails
        .iter()
        .find(|m| header(m, "Subject").is_some_and(|s| s.contains("privacy request is due")))
        .expect("a reminder to the admin");
    assert!(body(mail).contains("/admin/privacy"));
    // Once.
    assert_eq!(
        app::privacy::tasks::remind_due(st, now + chrono::Duration::hours(1))
            .await
            .unwrap(),
        0
    );
    t.stop().await;
}
