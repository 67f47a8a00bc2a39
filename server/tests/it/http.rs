//! HTTP-level tests against the real router: auth, Origin checks, applying with uploads,
//! the portal's magic links, board moves, campaigns with unsubscribe, persistence.

use crate::common;

use app::auth::api::{Login, Logout, Me};
use app::campaigns::api::{CreateCampaign, GetCampaign, PreviewCampaign, SendCampaign};
use app::careers::api::Apply;
use app::jobs::api::{CreateJob, ListJobs, SetJobStatus};
use app::pipeline::api::{GetBoard, MoveCard};
use app::portal::api::{MyPortal, RequestPortalLink, WithdrawApplication};
use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

const RECRUITER: &str = "recruiter@acme.test";
const SOURCER: &str = "sourcer@acme.test";
const MANAGER: &str = "manager@acme.test";

fn apply_form(job: &str, name: &str, email: &str, file: Option<(&str, Vec<u8>)>) -> Form {
    let mut f = Form::new()
        .text("job_id", job.to_string())
        .text("name", name.to_string())
        .text("email", email.to_string())
        .text("phone", "");
    if let Some((filename, bytes)) = file {
        f = f.part("resume", Part::bytes(bytes).file_name(filename.to_string()));
    }
    f
}

async fn apply(t: &TestApp, c: &reqwest::Client, form: Form) -> reqwest::Response {
    c.post(t.url(Apply::PATH))
        .header("Origin", &t.base)
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn count(t: &TestApp, table: &str) -> usize {
    let mut r = t
        .state()
        .db
        .query(format!("SELECT VALUE id FROM {table}"))
        .await
        .unwrap();
    let ids: Vec<surrealdb::types::RecordId> = r.take(0).unwrap();
    ids.len()
}

#[tokio::test]
async fn public_pages_render_and_closed_jobs_are_not_found() {
    let t = spawn_app().await;
    let c = t.client();
    let jobs = c.get(t.url("/jobs")).send().await.unwrap();
    assert_eq!(jobs.status(), 200);
    let html = jobs.text().await.unwrap();
    assert!(
        html.contains("Senior Backend Engineer (Rust)"),
        "open job listed"
    );
    assert!(
        !html.contains("Frontend Engineer (contract)"),
        "draft job not listed"
    );
    let page = c.get(t.url("/jobs/rust-backend")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Apply for"));
    let draft = c
        .get(t.url("/jobs/frontend-contract"))
        .send()
        .await
        .unwrap();
    assert_eq!(draft.status(), 404);
    let missing = c.get(t.url("/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    // An address with a trailing slash is sent to its page, with the query kept; never to
    // another site.
    for (from, to) in [
        ("/jobs/rust-backend/", "/jobs/rust-backend"),
        ("/jobs//?q=rust", "/jobs?q=rust"),
        ("/app/jobs/x/board/", "/app/jobs/x/board"),
    ] {
        let res = c.get(t.url(from)).send().await.unwrap();
        assert_eq!(res.status(), 308, "{from}");
        assert_eq!(res.headers()["location"], to, "{from}");
    }
    for path in ["//evil.example/", "/\\evil.example/"] {
        let res = c.get(t.url(path)).send().await.unwrap();
        assert!(!res.status().is_redirection(), "{path}");
    }
    t.stop().await;
}

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_and_sign_out_invalidates_it() {
    let t = spawn_app().await;
    let c = t.client();
    let bad = t
        .call::<Login>(
            &c,
            &[
                ("email", RECRUITER),
                ("password", "wrong"),
                ("next", "/app"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let err: Value = bad.json().await.unwrap();
    assert!(
        err["Validation"][0]["message"]
            .as_str()
            .unwrap()
            .contains("do not match")
    );

    let ok = t
        .call::<Login>(
            &c,
            &[
                ("email", RECRUITER),
                ("password", app::demo::DEMO_PASSWORD),
                ("next", "/app"),
            ],
        )
        .await;
    assert!(ok.status().is_success());
    let cookie = ok
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("ats_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http test server");
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("ats_session=")
        .to_string();
    assert!(token.len() >= 43, "at least 256 bits of randomness");

    let me: Value = t.call::<Me>(&c, &[]).await.json().await.unwrap();
    assert_eq!(me["role"], "recruiter");

    // The raw token is not what the database stores.
    let mut r = t
        .state()
        .db
        .query("SELECT VALUE token_hash FROM session")
        .await
        .unwrap();
    let hashes: Vec<String> = r.take(0).unwrap();
    assert!(!hashes.contains(&token));

    assert!(t.call::<Logout>(&c, &[]).await.status().is_success());
    // Replaying the old cookie does not work any more.
    let replay = t.client();
    let res = replay
        .post(t.url(Me::PATH))
        .header("Origin", &t.base)
        .header("Cookie", format!("ats_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap(), Value::Null);
    t.stop().await;
}

#[tokio::test]
async fn failed_sign_ins_are_rate_limited() {
    let t = spawn_app().await;
    let c = t.client();
    for _ in 0..5 {
        let r = t
            .call::<Login>(
                &c,
                &[("email", SOURCER), ("password", "nope"), ("next", "/app")],
            )
            .await;
        assert_eq!(r.status(), 422);
    }
    let blocked = t
        .call::<Login>(
            &c,
            &[
                ("email", SOURCER),
                ("password", app::demo::DEMO_PASSWORD),
                ("next", "/app"),
            ],
        )
        .await;
    assert_eq!(blocked.status(), 429, "even the right password waits");
    t.stop().await;
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let t = spawn_app().await;
    let c = t.client();
    let evil = c
        .post(t.url(Login::PATH))
        .header("Origin", "https://evil.example")
        .form(&[("email", RECRUITER), ("password", "x"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let fetch_meta = c
        .post(t.url(Login::PATH))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("email", RECRUITER), ("password", "x"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_meta.status(), 403);
    t.stop().await;
}

#[tokio::test]
async fn roles_and_objects_are_checked() {
    let t = spawn_app().await;
    let anonymous = t.client();
    assert_eq!(t.call::<ListJobs>(&anonymous, &[]).await.status(), 401);

    let sourcer = t.signed_in(SOURCER).await;
    let r = t
        .call::<CreateJob>(
            &sourcer,
            &[
                ("title", "X"),
                ("department", ""),
                ("location", "Paris"),
                ("employment_type", "full_time"),
                ("description", "d"),
                ("hiring_manager", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);

    // The hiring manager manages only the Rust job.
    let manager = t.signed_in(MANAGER).await;
    let jobs: Value = t
        .call::<ListJobs>(&manager, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(jobs.as_array().unwrap().len(), 1);
    assert_eq!(
        t.call::<GetBoard>(&manager, &[("job_id", "rust-backend")])
            .await
            .status(),
        200
    );
    assert_eq!(
        t.call::<GetBoard>(&manager, &[("job_id", "product-designer")])
            .await
            .status(),
        403
    );
    t.stop().await;
}

#[tokio::test]
async fn recruiters_create_and_publish_jobs_with_checked_input() {
    let t = spawn_app().await;
    let c = t.signed_in(RECRUITER).await;
    let bad = t
        .call::<CreateJob>(
            &c,
            &[
                ("title", ""),
                ("department", ""),
                ("location", ""),
                ("employment_type", "forever"),
                ("description", ""),
                ("hiring_manager", ""),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let err: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = err["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["title", "location", "employment_type", "description"]
    );

    let ok = t
        .call::<CreateJob>(
            &c,
            &[
                ("title", "Site Reliability Engineer"),
                ("department", "Engineering"),
                ("location", ""),
                ("remote", "on"),
                ("employment_type", "full_time"),
                ("description", "Keep things up."),
                ("hiring_manager", ""),
            ],
        )
        .await;
    assert!(ok.status().is_success());
    let id: String = ok.json().await.unwrap();
    assert_eq!(
        t.client()
            .get(t.url(&format!("/jobs/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "drafts are not public"
    );
    let refused = t
        .call::<SetJobStatus>(&c, &[("job_id", &id), ("status", "open")])
        .await;
    assert_eq!(refused.status(), 409, "not without an approved requisition");
    t.state()
        .db
        .query("UPDATE $id SET approval_status = 'approved'")
        .bind(("id", surrealdb::types::RecordId::new("job", id.as_str())))
        .await
        .unwrap();
    let publish = t
        .call::<SetJobStatus>(&c, &[("job_id", &id), ("status", "open")])
        .await;
    assert!(publish.status().is_success());
    let page = t
        .client()
        .get(t.url(&format!("/jobs/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let board: Value = t
        .call::<GetBoard>(&c, &[("job_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    let cols: Vec<&str> = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        cols,
        ["Applied", "Phone screen", "Interview", "Offer", "Hired"]
    );
    let targets: Vec<&str> = board["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "Applied",
            "Phone screen",
            "Interview",
            "Offer",
            "Hired",
            "Rejected",
            "Withdrawn"
        ]
    );
    t.stop().await;
}

#[tokio::test]
async fn applying_checks_every_field_and_stores_nothing_on_bad_input() {
    let t = spawn_app().await;
    let c = t.client();
    let people = count(&t, "person").await;
    let apps = count(&t, "application").await;

    let r = apply(&t, &c, apply_form("rust-backend", "", "not-an-email", None)).await;
    assert_eq!(r.status(), 422);
    let err: Value = r.json().await.unwrap();
    let fields: Vec<&str> = err["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["resume", "name", "email"] {
        assert!(fields.contains(&f), "{f} reported in {fields:?}");
    }

    // A text file renamed to .pdf is refused by content.
    let r = apply(
        &t,
        &c,
        apply_form(
            "rust-backend",
            "Ada Lovelace",
            "ada@example.org",
            Some(("cv.pdf", b"just text".to_vec())),
        ),
    )
    .await;
    assert_eq!(r.status(), 422);
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["Validation"][0]["field"], "resume");

    // Over 10 MB.
    let mut big = pdf_bytes("x");
    big.resize(10 * 1024 * 1024 + 10, b' ');
    let r = apply(
        &t,
        &c,
        apply_form(
            "rust-backend",
            "Ada Lovelace",
            "ada@example.org",
            Some(("cv.pdf", big)),
        ),
    )
    .await;
    assert_eq!(r.status(), 422);
    let err: Value = r.json().await.unwrap();
    assert!(
        err["Validation"][0]["message"]
            .as_str()
            .unwrap()
            .contains("10 MB")
    );

    assert_eq!(count(&t, "person").await, people, "no person stored");
    assert_eq!(
        count(&t, "application").await,
        apps,
        "no application stored"
    );
    t.stop().await;
}

#[tokio::test]
async fn applying_creates_the_person_emails_a_portal_link_and_refuses_twice() {
    let t = spawn_app().await;
    let c = t.client();
    let email = "grace.hopper@example.org";
    let r = apply(
        &t,
        &c,
        apply_form(
            "rust-backend",
            "Grace Hopper",
            email,
            Some(("Grace CV.pdf", pdf_bytes("Grace"))),
        ),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(
        r.headers().get("location").map(|v| v.to_str().unwrap()),
        Some("/jobs/rust-backend/applied")
    );

    let mails = t.smtp.wait_for(email, 1).await;
    assert!(
        header(&mails[0], "Subject")
            .unwrap()
            .contains("We received your application")
    );
    let first_link = find_link(&body(&mails[0]), &format!("{}/portal/auth?token=", t.base))
        .expect("portal link in email");
    // The same message in the branded HTML layout, its link clickable.
    let html = html_body(&mails[0]);
    assert!(html.contains(">Acme</td>"), "{html}");
    assert!(
        html.contains(&format!("<a href=\"{}\"", first_link.replace('&', "&amp;"))),
        "{html}"
    );

    // Applying again is refused politely, and a fresh link is sent.
    let again = apply(
        &t,
        &c,
        apply_form(
            "rust-backend",
            "Grace Hopper",
            email,
            Some(("cv.pdf", pdf_bytes("Grace"))),
        ),
    )
    .await;
    assert_eq!(again.status(), 409);
    let err: Value = again.json().await.unwrap();
    assert!(
        err["Conflict"]
            .as_str()
            .unwrap()
            .contains("already applied")
    );
    let mails = t.smtp.wait_for(email, 2).await;
    let link = find_link(&body(&mails[1]), &format!("{}/portal/auth?token=", t.base))
        .expect("a fresh portal link");
    assert_ne!(link, first_link);

    // Applying to another job reuses the same person.
    let docx = {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(b"<w:document/>").unwrap();
        z.finish().unwrap();
        buf.into_inner()
    };
    let r = apply(
        &t,
        &c,
        apply_form(
            "product-designer",
            "Grace Hopper",
            "GRACE.HOPPER@example.org",
            Some(("cv.docx", docx)),
        ),
    )
    .await;
    assert!(r.status().is_success());
    let mut q = t
        .state()
        .db
        .query("SELECT VALUE id FROM person WHERE email = $e")
        .bind(("e", email))
        .await
        .unwrap();
    let ids: Vec<surrealdb::types::RecordId> = q.take(0).unwrap();
    assert_eq!(ids.len(), 1, "one person across applications");

    // Opening the magic link signs nobody in: it opens a page whose button does.
    let candidate = t.client();
    let res = candidate.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/portal/signin?token=")
    );
    let portal: Value = t
        .call::<MyPortal>(&candidate, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(portal, Value::Null, "opening the link signed nobody in");
    // The older link was revoked by the fresh one.
    assert_eq!(
        follow_portal_link(&t, &t.client(), &first_link).await,
        "/portal?link=used"
    );
    // The fresh one signs in, once.
    assert_eq!(follow_portal_link(&t, &candidate, &link).await, "/portal");
    assert_eq!(
        follow_portal_link(&t, &t.client(), &link).await,
        "/portal?link=used",
        "a link works once"
    );
    let portal: Value = t
        .call::<MyPortal>(&candidate, &[])
        .await
        .json()
        .await
        .unwrap();
    let apps = portal["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 2);
    let rust = apps
        .iter()
        .find(|a| a["job_title"] == "Senior Backend Engineer (Rust)")
        .unwrap();
    assert_eq!(rust["status_line"], "In progress: Applied");
    assert_eq!(
        rust["timeline"][0]["text"],
        "Applied for Senior Backend Engineer (Rust)"
    );
    t.stop().await;
}

#[tokio::test]
async fn magic_links_are_signed_and_expire() {
    let t = spawn_app().await;
    let c = t.client();
    let forged = c
        .get(t.url("/portal/auth?token=cG9ydGFsfGRlbW8wMDB8OTk5OTk5OTk5OQ.AAAA"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.headers().get("location").unwrap(),
        "/portal?link=invalid"
    );
    let expired_token = t.state().keys.sign("portal", "demo000", 1);
    let expired = c
        .get(t.url(&format!("/portal/auth?token={expired_token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expired.headers().get("location").unwrap(),
        "/portal?link=expired"
    );
    let wrong_purpose = t.state().keys.sign("unsub", "demo000", 0);
    let r = c
        .get(t.url(&format!("/portal/auth?token={wrong_purpose}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get("location").unwrap(), "/portal?link=invalid");
    let portal: Value = t.call::<MyPortal>(&c, &[]).await.json().await.unwrap();
    assert_eq!(portal, Value::Null, "not signed in");

    // Requesting a link answers the same for unknown and known addresses; only known get mail.
    assert!(
        t.call::<RequestPortalLink>(&c, &[("email", "nobody@example.org")])
            .await
            .status()
            .is_success()
    );
    let mut q = t
        .state()
        .db
        .query("SELECT VALUE email FROM ONLY person:demo000")
        .await
        .unwrap();
    let known: Option<String> = q.take(0).unwrap();
    let known = known.unwrap();
    assert!(
        t.call::<RequestPortalLink>(&c, &[("email", &known)])
            .await
            .status()
            .is_success()
    );
    t.smtp.wait_for(&known, 1).await;
    assert!(
        t.smtp
            .messages()
            .iter()
            .all(|m| !m.contains("nobody@example.org"))
    );
    t.stop().await;
}

#[tokio::test]
async fn candidates_withdraw_only_their_own_active_applications() {
    let t = spawn_app().await;
    let c = t.client();
    let email = "linus@example.org";
    assert!(
        apply(
            &t,
            &c,
            apply_form(
                "customer-success",
                "Linus T",
                email,
                Some(("cv.pdf", pdf_bytes("L")))
            )
        )
        .await
        .status()
        .is_success()
    );
    let mail = t.smtp.wait_for(email, 1).await.remove(0);
    let link = find_link(&body(&mail), &format!("{}/portal/auth?token=", t.base)).unwrap();
    let candidate = t.client();
    assert_eq!(follow_portal_link(&t, &candidate, &link).await, "/portal");
    let portal: Value = t
        .call::<MyPortal>(&candidate, &[])
        .await
        .json()
        .await
        .unwrap();
    let app_id = portal["applications"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Someone else's application.
    assert_eq!(
        t.call::<WithdrawApplication>(&candidate, &[("application_id", "demo000")])
            .await
            .status(),
        404
    );
    // Their own.
    assert!(
        t.call::<WithdrawApplication>(&candidate, &[("application_id", &app_id)])
            .await
            .status()
            .is_success()
    );
    assert_eq!(
        t.call::<WithdrawApplication>(&candidate, &[("application_id", &app_id)])
            .await
            .status(),
        409
    );
    let portal: Value = t
        .call::<MyPortal>(&candidate, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(portal["applications"][0]["status"], "withdrawn");
    assert_eq!(
        portal["applications"][0]["timeline"][0]["text"],
        "You withdrew this application"
    );
    // Staff see it in the Withdrawn column.
    let r = t.signed_in(RECRUITER).await;
    let board: Value = t
        .call::<GetBoard>(&r, &[("job_id", "customer-success")])
        .await
        .json()
        .await
        .unwrap();
    let card = board["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == app_id.as_str())
        .unwrap();
    assert_eq!(card["status"], "withdrawn");
    t.stop().await;
}

#[tokio::test]
async fn moves_are_stored_checked_and_reach_the_timeline() {
    let t = spawn_app().await;
    let r = t.signed_in(RECRUITER).await;
    let (id, from, to) = t.a_card_to_move(&r).await;
    let (id, from, to) = (id.as_str(), from.as_str(), to.as_str());

    let moved: Value = t
        .call::<MoveCard>(
            &r,
            &[
                ("job_id", "data-analyst"),
                ("application_id", id),
                ("from", from),
                ("to", to),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["stage"], to);
    assert_eq!(moved["days_in_stage"], 0);

    // A stale move (the card is no longer in `from`) is refused.
    let stale = t
        .call::<MoveCard>(
            &r,
            &[
                ("job_id", "data-analyst"),
                ("application_id", id),
                ("from", from),
                ("to", "@rejected"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    // Unknown columns and other jobs' cards are refused.
    let bad = t
        .call::<MoveCard>(
            &r,
            &[
                ("job_id", "data-analyst"),
                ("application_id", id),
                ("from", to),
                ("to", "nowhere"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let other = t
        .call::<MoveCard>(
            &r,
            &[
                ("job_id", "rust-backend"),
                ("application_id", id),
                ("from", to),
                ("to", "hired"),
            ],
        )
        .await;
    assert_eq!(other.status(), 404);

    let mut q = t
        .state()
        .db
        .query("SELECT VALUE summary FROM activity WHERE application = $a ORDER BY at DESC LIMIT 1")
        .bind(("a", surrealdb::types::RecordId::new("application", id)))
        .await
        .unwrap();
    let last: Vec<String> = q.take(0).unwrap();
    assert_eq!(
        last[0],
        if to == "offer" {
            "Moved to Offer"
        } else {
            "Moved to Interview"
        }
    );
    t.stop().await;
}

#[tokio::test]
async fn campaigns_personalise_carry_unsubscribe_and_skip_the_unsubscribed() {
    let t = spawn_app().await;
    let s = t.signed_in(SOURCER).await;
    let bad = t
        .call::<CreateCampaign>(
            &s,
            &[
                ("name", "Meetup"),
                ("audience_tag", "rust-meetup-2026"),
                ("subject", "Hi {{frist_name}}"),
                ("body", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let err: Value = bad.json().await.unwrap();
    assert_eq!(err["Validation"][0]["field"], "subject");

    let created = t
        .call::<CreateCampaign>(
            &s,
            &[
                ("name", "Meetup follow-up"),
                ("audience_tag", "rust-meetup-2026"),
                ("subject", "Great to meet you, {{first_name}}"),
                (
                    "body",
                    "Hi {{first_name}},\n\nThanks for coming. {{company}} is hiring.",
                ),
            ],
        )
        .await;
    assert!(created.status().is_success());
    let id: String = created.json().await.unwrap();
    let detail: Value = t
        .call::<GetCampaign>(&s, &[("campaign_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    let reach = detail["reachable"].as_i64().unwrap();
    assert_eq!(reach, 40);
    let first = &detail["sample"][0];
    let preview: Value = t
        .call::<PreviewCampaign>(
            &s,
            &[
                ("campaign_id", &id),
                ("person_id", first["id"].as_str().unwrap()),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let first_name = first["name"].as_str().unwrap().split(' ').next().unwrap();
    assert_eq!(
        preview["subject"],
        format!("Great to meet you, {first_name}")
    );
    assert!(
        preview["body"]
            .as_str()
            .unwrap()
            .contains("Acme is hiring.")
    );
    assert!(
        preview["body"]
            .as_str()
            .unwrap()
            .contains("/unsubscribe?token=")
    );

    // One person unsubscribes (one click, RFC 8058) before the send.
    let victim_email = first["email"].as_str().unwrap().to_string();
    let person = surrealdb::types::RecordId::new("person", first["id"].as_str().unwrap());
    let token = app::portal::links::unsubscribe_token(t.state(), &person);
    let one_click = t
        .client()
        .post(t.url(&format!("/unsubscribe?token={token}")))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), 200);

    let sent: Value = t
        .call::<SendCampaign>(&s, &[("campaign_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent, serde_json::json!([reach - 1, 1]));
    assert_eq!(
        t.call::<SendCampaign>(&s, &[("campaign_id", &id)])
            .await
            .status(),
        409,
        "never sent twice"
    );

    // Every reachable person gets exactly one personalised message with unsubscribe headers.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let campaign_mails = loop {
        let m: Vec<String> = t
            .smtp
            .messages()
            .into_iter()
            .filter(|m| header(m, "List-Unsubscribe").is_some())
            .collect();
        if m.len() as i64 >= reach - 1 || std::time::Instant::now() > deadline {
            break m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(campaign_mails.len() as i64, reach - 1);
    assert!(
        campaign_mails
            .iter()
            .all(|m| !header(m, "To").unwrap().contains(&victim_email))
    );
    let m = &campaign_mails[0];
    assert_eq!(
        header(m, "List-Unsubscribe-Post").unwrap(),
        "List-Unsubscribe=One-Click"
    );
    let unsub_url = header(m, "List-Unsubscribe").unwrap();
    assert!(unsub_url.starts_with(&format!("<{}/unsubscribe?token=", t.base)));
    let text = body(m);
    assert!(text.contains("Thanks for coming. Acme is hiring."));
    assert!(!text.contains("{{"));
    t.stop().await;
}

#[tokio::test]
async fn no_js_form_posts_redirect_back_with_the_error() {
    let t = spawn_app().await;
    let c = t.client();
    let res = c
        .post(t.url(Login::PATH))
        .header("Origin", &t.base)
        .header("Accept", "text/html")
        .header("Referer", t.url("/login"))
        .form(&[("email", "bad"), ("password", ""), ("next", "/app")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let loc = res.headers().get("location").unwrap().to_str().unwrap();
    assert!(
        loc.starts_with(&t.url("/login?")) && loc.contains("__err="),
        "{loc}"
    );
    let page = c.get(loc).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Enter a valid email address"),
        "error shown on the re-rendered page"
    );
    t.stop().await;
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = temp_dir("db");
    let url = format!("surrealkv://{}", dir.join("ats.db").display());
    let smtp = Smtp::start();
    let mut config = test_config(&smtp);
    config.database_url = url.clone();
    let t = spawn_with(config.clone(), smtp).await;
    let r = t.signed_in(RECRUITER).await;
    let created = t
        .call::<CreateJob>(
            &r,
            &[
                ("title", "Persistent Job"),
                ("department", ""),
                ("location", "Oslo"),
                ("employment_type", "contract"),
                ("description", "Still here after a restart."),
                ("hiring_manager", ""),
            ],
        )
        .await;
    let id: String = created.json().await.unwrap();
    let TestApp { running, smtp, .. } = t;
    running.unwrap().shutdown().await;

    let t = spawn_with(config, smtp).await;
    let r = t.signed_in(RECRUITER).await;
    let jobs: Value = t.call::<ListJobs>(&r, &[]).await.json().await.unwrap();
    assert!(
        jobs.as_array()
            .unwrap()
            .iter()
            .any(|j| j["id"] == id.as_str() && j["title"] == "Persistent Job")
    );
    t.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn every_other_form_rejects_bad_input_clearly() {
    use app::campaigns::api::UpdateCampaign;
    use app::jobs::api::UpdateJob;
    use app::people::api::AddTag;
    let t = spawn_app().await;
    let r = t.signed_in(RECRUITER).await;
    let bad_update = t
        .call::<UpdateJob>(
            &r,
            &[
                ("job_id", "rust-backend"),
                ("title", "x".repeat(200).as_str()),
                ("department", ""),
                ("location", "Berlin"),
                ("employment_type", "full_time"),
                ("description", "d"),
                ("hiring_manager", "nobody"),
            ],
        )
        .await;
    assert_eq!(bad_update.status(), 422);
    let err: Value = bad_update.json().await.unwrap();
    assert_eq!(err["Validation"][0]["field"], "title");
    let bad_manager = t
        .call::<UpdateJob>(
            &r,
            &[
                ("job_id", "rust-backend"),
                ("title", "Rust"),
                ("department", ""),
                ("location", "Berlin"),
                ("employment_type", "full_time"),
                ("description", "d"),
                ("hiring_manager", "nobody"),
            ],
        )
        .await;
    assert_eq!(bad_manager.status(), 422);
    assert_eq!(
        bad_manager.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "hiring_manager"
    );

    let s = t.signed_in(SOURCER).await;
    let bad_tag = t
        .call::<AddTag>(&s, &[("person_ids[]", "demo001"), ("tag", "no/slashes")])
        .await;
    assert_eq!(bad_tag.status(), 422);
    assert_eq!(
        bad_tag.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "tag"
    );
    let nobody = t.call::<AddTag>(&s, &[("tag", "ok")]).await;
    assert_eq!(nobody.status(), 422);
    assert_eq!(
        nobody.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "person_ids"
    );
    let ok: Value = t
        .call::<AddTag>(
            &s,
            &[
                ("person_ids[]", "demo001"),
                ("person_ids[]", "demo002"),
                ("tag", "Hack Day"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok, 2, "both checkboxes arrive");

    let created: String = t
        .call::<CreateCampaign>(
            &s,
            &[
                ("name", "C"),
                ("audience_tag", "hack-day"),
                ("subject", "S"),
                ("body", "B"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let bad_campaign = t
        .call::<UpdateCampaign>(
            &s,
            &[
                ("campaign_id", &created),
                ("name", ""),
                ("audience_tag", ""),
                ("subject", "S"),
                ("body", "Hi {{first_name"),
            ],
        )
        .await;
    assert_eq!(bad_campaign.status(), 422);
    let fields: Vec<String> = bad_campaign.json::<Value>().await.unwrap()["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["name", "audience_tag", "body"]);

    let forged = t
        .client()
        .post(t.url("/unsubscribe?token=bogus"))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
    let page = t
        .client()
        .get(t.url("/unsubscribe?token=bogus"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("This unsubscribe link is not valid"));
    t.stop().await;
}

#[tokio::test]
async fn the_outbox_is_for_admins_and_holds_mail_when_smtp_is_off() {
    use app::admin::api::ListOutbox;
    let smtp = Smtp::start();
    let mut config = test_config(&smtp);
    config.smtp_url = None;
    let t = spawn_with(config, smtp).await;
    let c = t.client();
    let email = "outbox.person@example.org";
    assert!(
        apply(
            &t,
            &c,
            apply_form(
                "rust-backend",
                "Out Box",
                email,
                Some(("cv.pdf", pdf_bytes("o")))
            )
        )
        .await
        .status()
        .is_success()
    );
    let recruiter = t.signed_in(RECRUITER).await;
    assert_eq!(
        t.call::<ListOutbox>(&recruiter, &[("to", "")])
            .await
            .status(),
        403
    );
    let admin = t.signed_in("admin@acme.test").await;
    let outbox: Value = t
        .call::<ListOutbox>(&admin, &[("to", email)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outbox["delivers"], false);
    let mails = outbox["mails"].as_array().unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["status"], "outbox");
    assert!(
        mails[0]["body"]
            .as_str()
            .unwrap()
            .contains("/portal/auth?token=[hidden]"),
        "the outbox names the link but hides its secret"
    );
    let page = admin.get(t.url("/admin/outbox")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("We received your application")
    );
    assert!(t.smtp.messages().is_empty(), "nothing was sent over SMTP");
    t.stop().await;
}

/// The ids of the resources a page's HTML hands to the browser (`__PENDING_RESOURCES=[…]`).
fn pending_resources(html: &str) -> Vec<u64> {
    let start = html.find("__PENDING_RESOURCES=[").expect("a rendered page") + 21;
    let end = start + html[start..].find(']').unwrap();
    html[start..end]
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().parse().unwrap())
        .collect()
}

/// A staff page is built once per request: the staff member is looked up with the request, not
/// awaited inside a Suspense, whose children Leptos builds again once their data is in. Built
/// twice, the page handed the browser two sets of resources, and the browser sometimes
/// hydrated against the abandoned one. Signed out, the staff area still sends to sign in.
#[tokio::test]
async fn a_staff_page_is_built_once_per_request() {
    let t = spawn_app().await;
    let c = t.signed_in("recruiter@acme.test").await;
    let html = t.text(&c, "/app/account").await;
    assert!(html.contains("Change your password"), "{html}");
    let ids = pending_resources(&html);
    // The company's name (for titles and headers), the signed-in staff member, and the
    // two-step status of the account page.
    assert_eq!(ids.len(), 3, "resources handed to the browser: {ids:?}");

    let anon = t.client();
    let res = anon
        .get(t.url("/app/account"))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::FOUND);
    let to = res.headers()[reqwest::header::LOCATION].to_str().unwrap();
    assert_eq!(to, "/login?next=/app/account");
}

#[tokio::test]
async fn an_admin_brands_the_careers_pages_and_emails_in_a_readable_colour() {
    use app::admin::brand::{PublicBrand, SaveBrand};
    let t = spawn_app().await;
    let admin = t.signed_in("admin@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let status = |res: reqwest::Response| res.status().as_u16();

    // Only admins; a colour too light to read and an overlong introduction are refused.
    let res = t
        .call::<SaveBrand>(&recruiter, &[("colour", "#0f766e"), ("intro", "")])
        .await;
    assert_eq!(status(res), 403);
    let res = t
        .call::<SaveBrand>(&admin, &[("colour", "#ffcc00"), ("intro", "Hi")])
        .await;
    assert_eq!(res.status().as_u16(), 422);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("colour") && text.contains("too light"),
        "{text}"
    );
    let long = "x".repeat(601);
    let res = t
        .call::<SaveBrand>(&admin, &[("colour", "#0f766e"), ("intro", long.as_str())])
        .await;
    assert_eq!(res.status().as_u16(), 422);
    assert!(res.text().await.unwrap().contains("intro"));

    // Saved: the careers page carries the colour and the introduction, for anyone.
    let intro = "We make spreadsheets <fun>.\n\nRemote-friendly since 2015.";
    let res = t
        .call::<SaveBrand>(&admin, &[("colour", "#0F766E"), ("intro", intro)])
        .await;
    assert_eq!(status(res), 200);
    let public = t.client();
    let res = t.call::<PublicBrand>(&public, &[]).await;
    let brand: serde_json::Value = res.json().await.unwrap();
    assert_eq!(brand["company"], "Acme");
    assert!(
        brand["css"]
            .as_str()
            .unwrap()
            .starts_with("--brand:#0f766e;"),
        "{brand}"
    );
    let page = public
        .get(t.url("/jobs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(":root { --brand:#0f766e;"), "the colour");
    assert!(
        page.contains("We make spreadsheets &lt;fun&gt;."),
        "the intro, escaped"
    );
    assert!(page.contains("Acme Careers"));

    // A logo: PNG, JPEG or WebP by content, up to 200 KB; anyone may load it.
    use app::admin::brand::{RemoveLogo, UploadLogo};
    use server_fn::ServerFn;
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let (t, admin) = (&t, admin.clone());
        async move {
            admin
                .post(t.url(UploadLogo::PATH))
                .header("Origin", &t.base)
                .header("Accept", "application/json")
                .multipart(Form::new().part("logo", Part::bytes(bytes).file_name(name)))
                .send()
                .await
                .unwrap()
        }
    };
    let res = upload(
        b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>".to_vec(),
        "logo.svg",
    )
    .await;
    assert_eq!(res.status().as_u16(), 422);
    assert!(res.text().await.unwrap().contains("PNG, JPEG or WebP"));
    let res = upload(vec![0xff; 300 * 1024], "huge.jpg").await;
    assert_eq!(res.status().as_u16(), 422);
    assert!(res.text().await.unwrap().contains("200 KB"));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let res = upload(png.clone(), "logo.png").await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let brand: Value = t
        .call::<PublicBrand>(&public, &[])
        .await
        .json()
        .await
        .unwrap();
    let path = brand["logo"].as_str().expect("a logo").to_string();
    assert!(path.starts_with("/brand/logo?v="), "{path}");
    let res = public.get(t.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().to_vec(), png);
    let page = public
        .get(t.url("/jobs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!(
            "src=\"{path}\" alt=\"\" height=\"32\" class=\"brand-logo\""
        )),
        "the header shows the logo"
    );

    // The next email's HTML is in the colour, with the logo.
    let email = "brand.check@example.org";
    let r = apply(
        &t,
        &public,
        apply_form(
            "rust-backend",
            "Brand Check",
            email,
            Some(("Brand CV.pdf", pdf_bytes("Brand"))),
        ),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    let mails = t.smtp.wait_for(email, 1).await;
    let html = html_body(&mails[0]);
    assert!(html.contains("background:#0f766e;"));
    assert!(
        html.contains(&format!("<img src=\"{}{}\"", t.base, path)),
        "{html}"
    );

    // Removed: gone from the pages and no longer served.
    assert_eq!(t.call::<RemoveLogo>(&admin, &[]).await.status(), 200);
    let brand: Value = t
        .call::<PublicBrand>(&public, &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(brand["logo"].is_null(), "{brand}");
    assert_eq!(
        public
            .get(t.url("/brand/logo"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    t.stop().await;
}

/// The server turns Nagle's algorithm off on every connection it accepts: with it on, the last
/// piece of a streamed page waited for the browser's delayed ACK (up to 40 ms on Linux).
#[tokio::test]
async fn accepted_connections_send_without_delay() {
    use axum::serve::Listener;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut listener = server::without_delay(listener);
    let client = tokio::spawn(tokio::net::TcpStream::connect(addr));
    let (tcp, peer) = listener.accept().await;
    let client = client.await.unwrap().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    assert!(
        tcp.nodelay().unwrap(),
        "TCP_NODELAY is off on an accepted connection"
    );
}
