//! Offers over HTTP, as the browser calls them: made by a recruiter, approved by someone else
//! (never the requester), sent to the candidate by email, accepted in the portal with a typed
//! signature; the card lands in Hired, a filled job closes, onboarding gets an email and a
//! signed webhook (received by a real HTTP server on loopback, its signature checked with
//! Python's `hmac`). Revisions supersede, withdrawals end the chain, interviewers see nothing.

use crate::common;

use app::approvals::api::{DecideApproval, MyApprovals};
use app::offers::api::*;
use common::*;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use surrealdb::types::RecordId;

async fn one(t: &TestApp, q: &str) -> String {
    let ids: Vec<RecordId> = t.state().db.query(q).await.unwrap().take(0).unwrap();
    app::server::db::key(ids.first().unwrap_or_else(|| panic!("nothing for {q}")))
}

async fn text(t: &TestApp, q: &str) -> Option<String> {
    let v: Vec<Option<String>> = t.state().db.query(q).await.unwrap().take(0).unwrap();
    v.into_iter().next().flatten()
}

async fn json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

type Received = Arc<Mutex<Vec<(axum::http::HeaderMap, Vec<u8>)>>>;

/// An onboarding system's webhook endpoint on loopback: its URL and what it received.
async fn webhook_receiver() -> (String, Received) {
    let got: Received = Default::default();
    let store = got.clone();
    let app = axum::Router::new().route(
        "/onboarding",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let store = store.clone();
                async move {
                    store.lock().unwrap().push((headers, body.to_vec()));
                    "ok"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/onboarding"), got)
}

/// HMAC-SHA256 of `t.body` with Python's standard library (an implementation of its own).
fn python_hmac(secret: &str, t: &str, body: &[u8]) -> String {
    let dir = temp_dir("hmac");
    let path = dir.join("body");
    std::fs::write(&path, body).unwrap();
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import hmac,hashlib,sys; body=open(sys.argv[3],'rb').read(); \
             print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode()+b'.'+body, hashlib.sha256).hexdigest())",
            secret,
            t,
        ])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// An active application, without an offer, of the open Product Designer job, whose headcount
/// is set to one more than its hires so far: one acceptance fills it. Returns the application
/// and the hires so far.
async fn application_of_a_one_hire_job(t: &TestApp) -> (String, i64) {
    let hires: Option<i64> = t
        .state()
        .db
        .query(
            "LET $n = (SELECT count() AS n FROM application WHERE job = job:`product-designer`
                AND stage = 'hired' AND status = 'active' GROUP ALL)[0].n ?? 0;
             UPDATE job:`product-designer` SET headcount = $n + 1;
             RETURN $n;",
        )
        .await
        .unwrap()
        .take(2)
        .unwrap();
    let app = one(
        t,
        "SELECT VALUE id FROM application WHERE status = 'active' AND job = job:`product-designer`
            AND stage != 'hired' AND id NOT IN (SELECT VALUE application FROM offer)
            ORDER BY id LIMIT 1",
    )
    .await;
    (app, hires.unwrap_or(0))
}

fn offer_form<'a>(app_id: &'a str, approver: &'a str, salary: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("application_id", app_id),
        ("base_salary", salary),
        ("currency", "EUR"),
        ("period", "YEAR"),
        ("bonus", "10% of base"),
        ("equity", ""),
        ("start_date", "2030-02-01"),
        (
            "letter",
            "Dear {{first_name}},\n\nWe offer you {{job_title}} at {{salary}}, starting {{start_date}}.",
        ),
        ("approvers[]", approver),
    ]
}

#[tokio::test]
async fn an_offer_is_approved_accepted_hires_closes_the_job_and_reaches_onboarding() {
    let (hook, received) = webhook_receiver().await;
    let smtp = Smtp::start();
    let mut config = test_config(&smtp);
    config.onboarding_email = Some("people-ops@acme.test".into());
    config.onboarding_webhook_url = Some(hook);
    config.onboarding_webhook_secret = Some("whsec-test-secret".into());
    let t = spawn_with(config, smtp).await;
    let (app_id, hires_before) = application_of_a_one_hire_job(&t).await;
    let job_id = one(&t, &format!("SELECT VALUE job FROM application:`{app_id}`")).await;
    let email = text(
        &t,
        &format!("SELECT VALUE person.email FROM application:`{app_id}`"),
    )
    .await
    .unwrap();
    let first = text(
        &t,
        &format!("SELECT VALUE person.first_name FROM application:`{app_id}`"),
    )
    .await
    .unwrap();
    let last = text(
        &t,
        &format!("SELECT VALUE person.last_name FROM application:`{app_id}`"),
    )
    .await
    .unwrap();
    let manager = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'manager@acme.test'",
    )
    .await;
    let riley = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'recruiter@acme.test'",
    )
    .await;
    let recruiter = t.signed_in("recruiter@acme.test").await;

    // Interviewers never see offers (salaries); a recruiter cannot approve their own offer.
    let interviewer = t.signed_in("interviewer@acme.test").await;
    let res = t
        .call::<ApplicationOffer>(&interviewer, &[("application_id", &app_id)])
        .await;
    assert_eq!(res.status().as_u16(), 403);
    let (status, body) = json(
        t.call::<MakeOffer>(&recruiter, &offer_form(&app_id, &riley, "85000"))
            .await,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("approvers"), "{body}");
    let (status, body) = json(
        t.call::<MakeOffer>(&recruiter, &offer_form(&app_id, &manager, "-5"))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("base_salary"), "{body}");

    // Made: it waits for the hiring manager, who is asked by email.
    let (status, body) = json(
        t.call::<MakeOffer>(&recruiter, &offer_form(&app_id, &manager, "85,000"))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let asked = t.smtp.wait_for("manager@acme.test", 1).await;
    let ask = asked.last().unwrap();
    assert!(
        header(ask, "Subject")
            .unwrap()
            .contains(&format!("Offer to {first} {last}")),
        "{ask}"
    );
    assert!(body_of(ask).contains("EUR 85,000 per year"), "{ask}");
    assert!(find_link(&body_of(ask), &t.url("/approvals/decide?token=")).is_some());
    // The candidate has heard nothing yet, and cannot read an unapproved offer.
    assert_eq!(
        t.smtp
            .messages()
            .iter()
            .filter(|m| m.contains(&email) && m.contains("Your offer"))
            .count(),
        0
    );

    // The recruiter is not the approver of this step; the manager approves in the app.
    let morgan = t.signed_in("manager@acme.test").await;
    let (_, inbox) = json(t.call::<MyApprovals>(&morgan, &[]).await).await;
    let step = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["is_offer"] == true)
        .expect("the offer in the manager's approvals")
        .clone();
    assert!(step["href"].as_str().unwrap().contains(&app_id), "{step}");
    let step_id = step["id"].as_str().unwrap();
    let res = t
        .call::<DecideApproval>(
            &recruiter,
            &[
                ("approval_id", step_id),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 403);
    // The manager approves from the link in the email (the first link is "Approve"); the
    // recruiter cannot use that link, and the step is then no longer waiting in the app.
    let approve = find_link(&body_of(ask), &t.url("/approvals/decide?token=")).unwrap();
    let token = approve.split("token=").nth(1).unwrap().to_string();
    let form = [("token", token.as_str()), ("reason", "")];
    use app::approvals::api::DecideByLink;
    let res = t.call::<DecideByLink>(&recruiter, &form).await;
    assert_eq!(res.status().as_u16(), 403);
    let (status, body) = json(t.call::<DecideByLink>(&morgan, &form).await).await;
    assert_eq!(status, 200, "{body}");
    let (_, inbox) = json(t.call::<MyApprovals>(&morgan, &[]).await).await;
    assert!(
        !inbox.as_array().unwrap().iter().any(|a| a["id"] == step_id),
        "{inbox}"
    );

    // Approved: the candidate gets the offer by email, with a link that signs them in.
    let mails = t.smtp.wait_for(&email, 1).await;
    let offer_mail = mails
        .iter()
        .find(|m| header(m, "Subject").is_some_and(|s| s.contains("Your offer")))
        .expect("the offer email");
    let link = find_link(&body_of(offer_mail), &t.url("/portal/auth?token=")).unwrap();
    let candidate = t.client();
    assert_eq!(follow_portal_link(&t, &candidate, &link).await, "/portal");
    let offer_id = one(
        &t,
        &format!("SELECT VALUE id FROM offer WHERE application = application:`{app_id}`"),
    )
    .await;
    let (status, offer) = json(
        t.call::<PortalOffer>(&candidate, &[("offer_id", &offer_id)])
            .await,
    )
    .await;
    assert_eq!(status, 200, "{offer}");
    assert_eq!(offer["status"], "sent");
    assert!(
        offer["letter"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Dear {first},")),
        "{offer}"
    );
    assert!(
        offer["letter"]
            .as_str()
            .unwrap()
            .contains("EUR 85,000 per year")
    );

    // The signature must be the candidate's name; then it is accepted, once.
    let (status, body) = json(
        t.call::<AcceptOffer>(
            &candidate,
            &[("offer_id", &offer_id), ("full_name", "Someone Else")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("full_name"), "{body}");
    let signature = format!("{} {}", first.to_lowercase(), last);
    let (status, body) = json(
        t.call::<AcceptOffer>(
            &candidate,
            &[("offer_id", &offer_id), ("full_name", &signature)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let res = t
        .call::<AcceptOffer>(
            &candidate,
            &[("offer_id", &offer_id), ("full_name", &signature)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 409);

    // Recorded: the name, the time, the address. The card is in Hired; the job is filled and
    // closed; the recruiter sees who is still in process.
    let row: Vec<Value> = t
        .state()
        .db
        .query(format!(
            "SELECT status, accepted_name, accepted_ip, responded_at != NONE AS answered
                FROM offer:`{offer_id}`"
        ))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(row[0]["status"], "accepted");
    assert_eq!(row[0]["accepted_name"], signature.as_str());
    assert_eq!(row[0]["accepted_ip"], "127.0.0.1");
    assert_eq!(row[0]["answered"], true);
    assert_eq!(
        text(
            &t,
            &format!("SELECT VALUE stage FROM application:`{app_id}`")
        )
        .await
        .as_deref(),
        Some("hired")
    );
    assert_eq!(
        text(&t, &format!("SELECT VALUE status FROM job:`{job_id}`"))
            .await
            .as_deref(),
        Some("closed")
    );
    let (_, card) = json(
        t.call::<ApplicationOffer>(&recruiter, &[("application_id", &app_id)])
            .await,
    )
    .await;
    let filled = &card["filled"];
    assert_eq!(filled[0], hires_before + 1, "{card}");
    assert_eq!(filled[1], hires_before + 1, "{card}");
    let still_open: i64 = t
        .state()
        .db
        .query(format!(
            "RETURN (SELECT count() AS n FROM application
                WHERE job = job:`{job_id}` AND status = 'active' AND stage != 'hired' GROUP ALL)[0].n ?? 0"
        ))
        .await
        .unwrap()
        .take::<Option<i64>>(0)
        .unwrap()
        .unwrap_or(0);
    assert_eq!(filled[2].as_array().unwrap().len() as i64, still_open);
    // From that list the recruiter tells the others, rather than leave them waiting.
    let open_ids: Vec<String> = filled[2]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["application_id"].as_str().unwrap().to_string())
        .collect();
    assert!(!open_ids.is_empty(), "the demo job has others in process");
    let mut form = vec![
        ("job_id", job_id.as_str()),
        ("action", "reject"),
        ("reason", "The role has been filled"),
        ("send_email", "on"),
        ("subject", "Your application for {{job_title}}"),
        (
            "body",
            "Dear {{first_name}}, the position has now been filled.",
        ),
    ];
    for id in &open_ids {
        form.push(("ids[]", id));
    }
    let res: Value = t
        .call::<app::pipeline::api::BulkAction>(&recruiter, &form)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        res["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(&format!("Rejected {} candidate", open_ids.len()))),
        "{res}"
    );
    let (_, card) = json(
        t.call::<ApplicationOffer>(&recruiter, &[("application_id", &app_id)])
            .await,
    )
    .await;
    assert_eq!(card["filled"][2], serde_json::json!([]), "{card}");
    for id in &open_ids {
        assert_eq!(
            text(
                &t,
                &format!("SELECT VALUE rejection_reason FROM application:`{id}`")
            )
            .await
            .as_deref(),
            Some("The role has been filled")
        );
    }

    // Onboarding: an email, and the webhook, signed.
    let ops = t.smtp.wait_for("people-ops@acme.test", 1).await;
    assert!(
        header(&ops[0], "Subject")
            .unwrap()
            .contains(&format!("New hire: {first} {last}"))
    );
    for _ in 0..200 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (headers, body) = received
        .lock()
        .unwrap()
        .first()
        .cloned()
        .expect("the onboarding webhook");
    let payload: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload["event"], "offer.accepted");
    assert_eq!(payload["new_hire"]["email"], email.as_str());
    assert_eq!(payload["compensation"]["base_salary"], 85000);
    assert_eq!(payload["start_date"], "2030-02-01");
    assert_eq!(headers["x-acme-event"], "offer.accepted");
    let sig = headers["x-acme-signature"].to_str().unwrap();
    let (ts, mac) = sig
        .strip_prefix("t=")
        .and_then(|s| s.split_once(",v1="))
        .expect("t=…,v1=…");
    let age = chrono::Utc::now().timestamp() - ts.parse::<i64>().unwrap();
    assert!((0..300).contains(&age), "signed {age} s ago");
    assert_eq!(mac, python_hmac("whsec-test-secret", ts, &body));
    assert_ne!(mac, python_hmac("another-secret", ts, &body));
    t.stop().await;
}

#[tokio::test]
async fn revisions_supersede_withdrawals_end_and_declines_reach_the_recruiter() {
    let t = spawn_app().await;
    let (app_id, _) = application_of_a_one_hire_job(&t).await;
    let email = text(
        &t,
        &format!("SELECT VALUE person.email FROM application:`{app_id}`"),
    )
    .await
    .unwrap();
    let manager = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'manager@acme.test'",
    )
    .await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let morgan = t.signed_in("manager@acme.test").await;
    let offers_of = |t: &TestApp| {
        let q = format!(
            "SELECT VALUE [version, status] FROM offer WHERE application = application:`{app_id}` ORDER BY version"
        );
        let db = t.state().db.clone();
        async move { db.query(q).await.unwrap().take::<Vec<Value>>(0).unwrap() }
    };

    // Version 1 waits for approval; a revision replaces it and cancels its open step.
    let (status, _) = json(
        t.call::<MakeOffer>(&recruiter, &offer_form(&app_id, &manager, "80000"))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let old_step = one(
        &t,
        "SELECT VALUE id FROM approval WHERE offer != NONE AND status = 'pending'",
    )
    .await;
    let (status, _) = json(
        t.call::<MakeOffer>(&recruiter, &offer_form(&app_id, &manager, "90000"))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        offers_of(&t).await,
        vec![
            serde_json::json!([1, "superseded"]),
            serde_json::json!([2, "pending_approval"])
        ]
    );
    let res = t
        .call::<DecideApproval>(
            &morgan,
            &[
                ("approval_id", &old_step),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(
        res.status().as_u16(),
        409,
        "a replaced version's step is closed"
    );

    // Rejected by the approver: the recruiter revises, the approver approves version 3.
    let step = one(
        &t,
        "SELECT VALUE id FROM approval WHERE offer != NONE AND status = 'pending'",
    )
    .await;
    let (status, _) = json(
        t.call::<DecideApproval>(
            &morgan,
            &[
                ("approval_id", &step),
                ("decision", "reject"),
                ("reason", "Above the band"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let told = t.smtp.wait_for("recruiter@acme.test", 1).await;
    assert!(
        told.iter().any(|m| body_of(m).contains("Above the band")),
        "{told:?}"
    );
    assert_eq!(offers_of(&t).await[1], serde_json::json!([2, "rejected"]));
    let (status, _) = json(
        t.call::<MakeOffer>(&recruiter, &offer_form(&app_id, &manager, "86000"))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let step = one(
        &t,
        "SELECT VALUE id FROM approval WHERE offer != NONE AND status = 'pending'",
    )
    .await;
    let (status, _) = json(
        t.call::<DecideApproval>(
            &morgan,
            &[
                ("approval_id", &step),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let mails = t.smtp.wait_for(&email, 1).await;
    let link = mails
        .iter()
        .filter_map(|m| find_link(&body_of(m), &t.url("/portal/auth?token=")))
        .next_back()
        .expect("the offer email's link");
    let candidate = t.client();
    follow_portal_link(&t, &candidate, &link).await;
    let v1 = one(
        &t,
        &format!(
            "SELECT VALUE id FROM offer WHERE application = application:`{app_id}` AND version = 1"
        ),
    )
    .await;
    let v3 = one(
        &t,
        &format!(
            "SELECT VALUE id FROM offer WHERE application = application:`{app_id}` AND version = 3"
        ),
    )
    .await;
    // Versions never sent are not the candidate's to read.
    let res = t
        .call::<PortalOffer>(&candidate, &[("offer_id", &v1)])
        .await;
    assert_eq!(res.status().as_u16(), 404);

    // The candidate declines with a reason; the recruiter hears it.
    let (status, _) = json(
        t.call::<DeclineOffer>(&candidate, &[("offer_id", &v3), ("reason", "")])
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = json(
        t.call::<DeclineOffer>(
            &candidate,
            &[
                ("offer_id", &v3),
                ("reason", "I chose a role closer to home"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    // (Earlier: the rejection, then "approved and sent".)
    let told = t.smtp.wait_for("recruiter@acme.test", 3).await;
    assert!(
        told.iter()
            .any(|m| body_of(m).contains("I chose a role closer to home"))
    );
    assert_eq!(offers_of(&t).await[2], serde_json::json!([3, "declined"]));

    // A declined offer can be revised (version 4), then withdrawn: its step is cancelled.
    let (status, _) = json(
        t.call::<MakeOffer>(&recruiter, &offer_form(&app_id, &manager, "92000"))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let v4 = one(
        &t,
        &format!(
            "SELECT VALUE id FROM offer WHERE application = application:`{app_id}` AND version = 4"
        ),
    )
    .await;
    let (status, _) = json(
        t.call::<WithdrawOffer>(&recruiter, &[("offer_id", &v4), ("reason", "")])
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = json(
        t.call::<WithdrawOffer>(
            &recruiter,
            &[("offer_id", &v4), ("reason", "Headcount frozen")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(offers_of(&t).await[3], serde_json::json!([4, "withdrawn"]));
    let open_steps: Vec<RecordId> = t
        .state()
        .db
        .query(format!("SELECT VALUE id FROM approval WHERE offer = offer:`{v4}` AND status IN ['pending', 'waiting']"))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert!(open_steps.is_empty());
    let res = t
        .call::<WithdrawOffer>(&recruiter, &[("offer_id", &v4), ("reason", "Again")])
        .await;
    assert_eq!(res.status().as_u16(), 409);
    t.stop().await;
}

/// The mail's text body (quoted-printable soft breaks joined).
fn body_of(raw: &str) -> String {
    body(raw)
}
