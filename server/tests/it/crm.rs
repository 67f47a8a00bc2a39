//! HTTP and engine tests for the CRM: the campaign engine against a real SMTP server across
//! restarts and two processes, engagement tracking (signed links, one-click unsubscribe, the
//! inbound webhook), CSV import and export, referrals and the double opt-in sign-up.

use crate::common;

use app::campaigns::sequence::Step;
use app::imports::api::{GetImport, StartImport};
use app::pools::api::{AddToPool, CreatePool};
use app::talent::api::TalentSignup;
use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use surrealdb::types::RecordId;

const SOURCER: &str = "sourcer@acme.test";

async fn tagged_people(st: &app::server::AppState, tag: &str, n: usize) {
    let rows: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("e{i:04}"), "first_name": format!("P{i}"), "last_name": "Engine",
                "email": format!("p{i}@engine.test"), "tags": [tag], "source": "import",
                "consent_basis": "legitimate_interest"
            })
        })
        .collect();
    st.db
        .query("FOR $r IN $rows { CREATE type::record('person', $r.id) CONTENT object::remove($r, 'id') RETURN NONE; }")
        .bind(("rows", rows))
        .await
        .unwrap()
        .check()
        .unwrap();
}

async fn sequence(st: &app::server::AppState, tag: &str, steps: &[Step]) -> RecordId {
    let input = app::campaigns::types::CampaignInput::parse("Engine test", tag, "x", "x").unwrap();
    let actor = app::server::activity::Actor::system();
    let id = app::campaigns::repo::create(&st.db, &input, &actor)
        .await
        .unwrap();
    app::campaigns::repo::save_steps(&st.db, &id, steps)
        .await
        .unwrap();
    id
}

fn email(id: &str, subject: &str) -> Step {
    Step::Email {
        id: id.into(),
        subject: subject.into(),
        subject_b: None,
        body: "Hi {{first_name}}, see https://example.com/jobs".into(),
    }
}

async fn wait_until(what: &str, mut f: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !f().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// True once no enrollment of campaign `c` is active and none of its mail waits to be sent: a
/// message that was going to go out twice would have reached the SMTP server by then (a row is
/// marked sent only after the server took it).
async fn settled(st: &app::server::AppState, c: &RecordId) -> bool {
    let mut r = st
        .db
        .query(
            "RETURN array::len((SELECT VALUE id FROM enrollment WHERE campaign = $c AND status = 'active'));
             RETURN array::len((SELECT VALUE id FROM mail WHERE campaign = $c AND status = 'queued'));",
        )
        .bind(("c", c.clone()))
        .await
        .unwrap();
    let active: Option<i64> = r.take(0).unwrap();
    let queued: Option<i64> = r.take(1).unwrap();
    active == Some(0) && queued == Some(0)
}

/// (recipient, subject) of every message the SMTP server got, and the Message-IDs.
fn received(smtp: &Smtp) -> (Vec<(String, String)>, Vec<String>) {
    let msgs = smtp.messages();
    let pairs = msgs
        .iter()
        .map(|m| {
            (
                header(m, "To").unwrap_or_default(),
                header(m, "Subject").unwrap_or_default(),
            )
        })
        .collect();
    let ids = msgs
        .iter()
        .map(|m| header(m, "Message-ID").unwrap_or_default())
        .collect();
    (pairs, ids)
}

/// A second scheduler process on the same database: its own node name, mailer and workers.
struct Second {
    stop: tokio::sync::watch::Sender<bool>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Second {
    fn start(st: &app::server::AppState) -> Self {
        let (stop, rx) = tokio::sync::watch::channel(false);
        let b = app::startup::another_node(st).unwrap();
        let workers = app::startup::spawn_workers(&b, rx);
        b.engine_wake.notify_one();
        Self { stop, workers }
    }
    /// Stops it the way a process stops: work in flight finishes, nothing new starts.
    async fn stop(self) {
        let _ = self.stop.send(true);
        for w in self.workers {
            w.await.unwrap();
        }
    }
}

/// Restarts process A: stops serving and its workers, closes the database, opens it again.
/// Also returns how many messages had arrived while it was down.
async fn restart(a: TestApp, config: &app::server::config::Config) -> (TestApp, usize) {
    let TestApp { running, smtp, .. } = a;
    running.unwrap().shutdown().await;
    let sent = smtp.count();
    (spawn_with(config.clone(), smtp).await, sent)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_step_reaches_every_recipient_exactly_once_across_restarts_and_two_processes() {
    const PEOPLE: usize = 1000;
    let dir = temp_dir("engine");
    let smtp = Smtp::start();
    let mut config = test_config(&smtp);
    config.demo = false;
    config.engine_tick_ms = 50;
    config.database_url = format!("surrealkv://{}", dir.join("ats.db").display());

    // Process A serves and runs workers; process B is a second scheduler on the same database.
    let a = spawn_with(config.clone(), smtp).await;
    tagged_people(a.state(), "engine", PEOPLE).await;
    let steps = [
        email("e1", "Step one"),
        Step::Wait {
            id: "w1".into(),
            days: 2,
            until: None,
        },
        email("e2", "Step two"),
        email("e3", "Step three"),
    ];
    let c = sequence(a.state(), "engine", &steps).await;
    let b = Second::start(a.state());
    app::campaigns::engine::launch(a.state(), &c, &app::server::activity::Actor::system())
        .await
        .unwrap();
    wait_until("step one for everyone", async || a.smtp.count() >= PEOPLE).await;

    // Everyone now waits two days. Both processes stop and A starts again on the same files.
    b.stop().await;
    let (a, _) = restart(a, &config).await;
    a.state()
        .db
        .query("UPDATE enrollment SET step_started_at -= 2d, next_run_at = time::now() WHERE status = 'active'")
        .await
        .unwrap()
        .check()
        .unwrap();
    a.state().engine_wake.notify_one();
    let b = Second::start(a.state());
    // In the middle of step two: B's scheduler restarts, then A restarts with its database.
    wait_until("part of step two", async || a.smtp.count() > PEOPLE + 5).await;
    b.stop().await;
    let (a, sent_at_restart) = restart(a, &config).await;
    let b = Second::start(a.state());
    wait_until("all three steps", async || a.smtp.count() >= 3 * PEOPLE).await;
    // Anything extra would have been handed over by the time the campaign has settled.
    wait_until("the campaign to settle", async || {
        settled(a.state(), &c).await
    })
    .await;
    b.stop().await;

    assert!(
        sent_at_restart < 3 * PEOPLE,
        "the restart happened mid-campaign ({sent_at_restart} of {} sent)",
        3 * PEOPLE
    );
    let (pairs, ids) = received(&a.smtp);
    assert_eq!(pairs.len(), 3 * PEOPLE, "no message lost, none repeated");
    let mut per: HashMap<(String, String), usize> = HashMap::new();
    for (to, subject) in pairs {
        *per.entry((
            to.trim_matches(['<', '>'])
                .rsplit('<')
                .next()
                .unwrap()
                .trim_end_matches('>')
                .to_string(),
            subject,
        ))
        .or_default() += 1;
    }
    for i in 0..PEOPLE {
        for subject in ["Step one", "Step two", "Step three"] {
            assert_eq!(
                per.get(&(format!("p{i}@engine.test"), subject.to_string())),
                Some(&1),
                "{subject} to p{i}"
            );
        }
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "every message has its own Message-ID"
    );
    let mut r = a
        .state()
        .db
        .query("SELECT VALUE status FROM enrollment WHERE campaign = $c")
        .bind(("c", c.clone()))
        .await
        .unwrap();
    let statuses: Vec<String> = r.take(0).unwrap();
    assert_eq!(statuses.len(), PEOPLE);
    assert!(statuses.iter().all(|s| s == "completed"), "{statuses:?}");
    a.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn tracked_links_pixels_unsubscribes_and_inbound_replies_are_recorded() {
    let t = spawn_app().await;
    let st = t.state().clone();
    tagged_people(&st, "track", 3).await;
    let c = sequence(
        &st,
        "track",
        &[
            email("e1", "Hello"),
            Step::Wait {
                id: "w".into(),
                days: 1,
                until: None,
            },
            email("e2", "Again"),
        ],
    )
    .await;
    app::campaigns::engine::launch(&st, &c, &app::server::activity::Actor::system())
        .await
        .unwrap();
    let first = t.smtp.wait_for("p0@engine.test", 1).await.remove(0);
    let second = t.smtp.wait_for("p1@engine.test", 1).await.remove(0);
    t.smtp.wait_for("p2@engine.test", 1).await;
    let text = body(&first);
    assert!(text.starts_with("Hi P0, see "), "{text}");

    // A click goes through a signed redirect and is recorded.
    let click = find_link(&text, &format!("{}/t/c/", t.base)).expect("tracked link");
    let c2 = t.client();
    let res = c2.get(&click).send().await.unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "https://example.com/jobs");
    let tampered = format!("{}x", click);
    assert_eq!(c2.get(&tampered).send().await.unwrap().status(), 404);
    // The HTML part carries the open pixel.
    let pixel = find_link(&html_body(&first), &format!("{}/t/o/", t.base)).expect("open pixel");
    let res = c2.get(&pixel).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/gif");

    // RFC 8058 one-click unsubscribe from the second person's mail client.
    let unsub = header(&second, "List-Unsubscribe").unwrap();
    let url = unsub.trim_matches(['<', '>']);
    let res = c2
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // The third person replies; the mail provider calls the inbound webhook.
    let hook = t.url("/hooks/inbound");
    let res = c2
        .post(&hook)
        .json(&serde_json::json!({ "from": "P2 <p2@engine.test>" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "the webhook needs its secret");
    let res = c2
        .post(&hook)
        .header("X-Inbound-Secret", "test-inbound-secret")
        .json(&serde_json::json!({ "from": "P2 Engine <p2@engine.test>", "subject": "Re: Hello" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "recorded");

    let mut r = st
        .db
        .query("SELECT person, status, stop_reason FROM enrollment WHERE campaign = $c ORDER BY person")
        .bind(("c", c.clone()))
        .await
        .unwrap();
    let rows: Vec<Value> = r.take(0).unwrap();
    let reasons: Vec<Value> = rows.iter().map(|r| r["stop_reason"].clone()).collect();
    // p0 clicked and stays in; p1 unsubscribed (leaves at its next step); p2 replied (left).
    assert_eq!(reasons[2], "replied");
    st.db
        .query("UPDATE enrollment SET step_started_at -= 1d, next_run_at = time::now()")
        .await
        .unwrap();
    st.engine_wake.notify_one();
    t.smtp.wait_for("p0@engine.test", 2).await;
    // Every enrollment has taken its next step (p1 left at it) and all mail was handed over.
    wait_until("the campaign to settle", async || settled(&st, &c).await).await;
    assert_eq!(
        t.smtp
            .messages()
            .iter()
            .filter(|m| header(m, "Subject").as_deref() == Some("Again"))
            .count(),
        1
    );
    let report = app::campaigns::report::report(
        &st.db,
        &app::campaigns::repo::get(&st.db, &c)
            .await
            .unwrap()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        (report.clicked, report.replied, report.unsubscribed),
        (1, 1, 1),
        "{report:?}"
    );
    assert_eq!(report.delivered, 4);
    t.stop().await;
}

#[tokio::test]
async fn csv_import_maps_previews_reports_bad_rows_and_exports() {
    let t = spawn_app().await;
    let s = t.signed_in(SOURCER).await;
    let csv = "First name,Last name,Email,Company\nMia,Wong,mia@import.test,Acme\nNo,Email,,Acme\nLeo,Park,leo@import.test,Initech\n";
    let form = Form::new().part(
        "file",
        Part::bytes(csv.as_bytes().to_vec())
            .file_name("event.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    let res = s
        .post(t.url(app::imports::api::UploadImport::PATH))
        .header("Origin", &t.base)
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let id: String = res.json().await.unwrap();
    let view: Value = t
        .call::<GetImport>(&s, &[("import_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        view["headers"],
        serde_json::json!(["First name", "Last name", "Email", "Company"])
    );
    assert_eq!(
        view["mapping"],
        serde_json::json!(["first_name", "last_name", "email", ""])
    );
    assert_eq!(
        view["preview"][0],
        serde_json::json!(["Mia", "Wong", "mia@import.test", "Acme"])
    );
    // A mapping without an email column is refused, naming the problem.
    let res = t
        .call::<StartImport>(
            &s,
            &[
                ("import_id", &id),
                ("mapping[]", "first_name"),
                ("mapping[]", "last_name"),
                ("mapping[]", ""),
                ("mapping[]", ""),
                ("duplicates", "skip"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let pool: String = t
        .call::<CreatePool>(&s, &[("name", "Event leads")])
        .await
        .json()
        .await
        .unwrap();
    let res = t
        .call::<StartImport>(
            &s,
            &[
                ("import_id", &id),
                ("mapping[]", "first_name"),
                ("mapping[]", "last_name"),
                ("mapping[]", "email"),
                ("mapping[]", ""),
                ("duplicates", "skip"),
                ("tag", "event-2026"),
                ("pool", &pool),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut view = Value::Null;
    for _ in 0..100 {
        view = t
            .call::<GetImport>(&s, &[("import_id", &id)])
            .await
            .json()
            .await
            .unwrap();
        if view["status"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(view["status"], "done");
    assert_eq!(view["created"], 2);
    assert_eq!(view["errors"][0]["row"], 3);
    assert_eq!(view["errors"][0]["field"], "email");

    // Export the pool as CSV: signed-in staff only.
    let res = s
        .get(t.url(&format!("/app/export/pool/{pool}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = res.text().await.unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("First name,Last name,Email")
    );
    assert_eq!(lines.filter(|l| l.contains("@import.test")).count(), 2);
    assert_eq!(
        t.client()
            .get(t.url(&format!("/app/export/pool/{pool}")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // Search results can be added to a pool and exported too.
    let res = t
        .call::<AddToPool>(
            &s,
            &[
                ("pool_id", &pool),
                ("search", "true"),
                ("tag", "event-2026"),
            ],
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap(), 0, "already in the pool");
    let res = s
        .get(t.url("/app/export/search?tag=event-2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap().lines().count(), 3);
    t.stop().await;
}

#[tokio::test]
async fn talent_sign_up_needs_consent_and_a_confirmed_email() {
    let t = spawn_app().await;
    let c = t.client();
    let res = t
        .call::<TalentSignup>(
            &c,
            &[
                ("name", "Zoe Quinn"),
                ("email", "zoe@talent.test"),
                ("interests[]", "Engineering"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["Validation"][0]["field"], "consent");
    let res = t
        .call::<TalentSignup>(
            &c,
            &[
                ("name", "Zoe Quinn"),
                ("email", "zoe@talent.test"),
                ("interests[]", "Engineering"),
                ("consent", "on"),
            ],
        )
        .await;
    assert!(res.status().is_success());
    let st = t.state().clone();
    let consent = async || {
        let mut r = st
            .db
            .query("SELECT VALUE consent_status FROM person WHERE email = 'zoe@talent.test'")
            .await
            .unwrap();
        let v: Vec<String> = r.take(0).unwrap();
        v.first().cloned().unwrap_or_default()
    };
    assert_eq!(consent().await, "pending");
    let mail = t.smtp.wait_for("zoe@talent.test", 1).await.remove(0);
    let link = find_link(&body(&mail), &format!("{}/talent/confirm?token=", t.base)).unwrap();
    let token = link.split("token=").nth(1).unwrap();
    let res = t
        .call::<app::talent::api::ConfirmSignup>(&c, &[("token", token)])
        .await;
    assert_eq!(res.json::<Value>().await.unwrap(), "Zoe");
    assert_eq!(consent().await, "granted");
    let res = t
        .call::<app::talent::api::ConfirmSignup>(&c, &[("token", &format!("{token}x"))])
        .await;
    assert_eq!(res.status(), 422);
    t.stop().await;
}

#[tokio::test]
async fn the_crm_report_counts_pool_growth_engagement_and_the_campaign_funnel() {
    use app::campaigns::api::GetCrmReport;
    let t = spawn_app().await;
    let st = t.state().clone();
    tagged_people(&st, "funnel", 4).await;
    let c = sequence(&st, "funnel", &[email("e1", "Hello")]).await;
    app::campaigns::engine::launch(&st, &c, &app::server::activity::Actor::system())
        .await
        .unwrap();
    // Four enrolled: all opened (one only by a mail scanner), two replied, one applied and
    // was hired; two went into a pool this month.
    st.db
        .query(
            "LET $pool = (CREATE pool SET name = 'Funnel pool', description = '')[0].id;
             CREATE pool_member SET pool = $pool, person = person:e0000, added_by = 'test';
             CREATE pool_member SET pool = $pool, person = person:e0001, added_by = 'test';
             FOR $p IN [person:e0000, person:e0001, person:e0002] {
                 CREATE engagement SET kind = 'open', person = $p, campaign = $c;
             };
             CREATE engagement SET kind = 'open', person = person:e0003, campaign = $c, machine = true;
             CREATE engagement SET kind = 'click', person = person:e0000, campaign = $c;
             CREATE engagement SET kind = 'reply', person = person:e0000, campaign = $c;
             CREATE engagement SET kind = 'reply', person = person:e0001, campaign = $c;
             CREATE engagement SET kind = 'apply', person = person:e0000, campaign = $c;
             CREATE engagement SET kind = 'hired', person = person:e0000, campaign = $c;",
        )
        .bind(("c", c.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let sourcer = t.signed_in(SOURCER).await;
    let r = t.json::<GetCrmReport>(&sourcer, &[]).await;
    let funnel = r["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == app::server::db::key(&c).as_str())
        .expect("the launched campaign")
        .clone();
    let steps: Vec<i64> = ["enrolled", "engaged", "replied", "applied", "hired"]
        .iter()
        .map(|k| funnel[k].as_i64().unwrap())
        .collect();
    assert_eq!(steps, [4, 3, 2, 1, 1], "{funnel}");
    let months = r["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    let now = &months[11];
    assert_eq!(
        now["month"],
        chrono::Utc::now().format("%Y-%m").to_string().as_str()
    );
    // Human opens only; the demo's own pools and engagement count too.
    assert!(now["added_to_pools"].as_i64().unwrap() >= 2, "{now}");
    assert!(now["opened"].as_i64().unwrap() >= 3, "{now}");
    assert!(now["replied"].as_i64().unwrap() >= 2, "{now}");
    assert!(r["pooled_now"].as_i64().unwrap() >= 2);
}

#[tokio::test]
async fn the_sourcer_home_lists_replies_to_answer_campaign_activity_and_new_people() {
    use app::home::sourcer::LoadSourcerHome;
    let t = spawn_app().await;
    let sourcer = t.signed_in(SOURCER).await;
    let home = t.json::<LoadSourcerHome>(&sourcer, &[]).await;
    // The demo's campaign of last week: three replies nobody answered yet.
    let replies = home["replies"].as_array().unwrap();
    assert_eq!(replies.len(), 3, "{home}");
    assert!(
        replies
            .iter()
            .all(|r| r["campaign"] == "Silver medalists: new backend roles"),
        "{home}"
    );
    let campaign = home["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Silver medalists: new backend roles")
        .expect("last week's campaign")
        .clone();
    assert_eq!(campaign["replied"], 3);
    assert_eq!(campaign["status"], "completed");
    assert!(campaign["opened"].as_i64().unwrap() > campaign["replied"].as_i64().unwrap());
    assert!(campaign["recipients"].as_i64().unwrap() >= 9);
    // The one five months ago is history, not activity.
    assert!(
        home["campaigns"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "Silver medalists: spring check-in")
    );

    // Once someone writes to a person who replied, the reply is answered.
    let answered = replies[0]["person_id"].as_str().unwrap().to_string();
    t.state()
        .db
        .query("UPDATE type::record('person', $p) SET last_contacted_at = time::now()")
        .bind(("p", answered.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    // A new talent-community member shows as new; an applicant does not.
    t.state()
        .db
        .query(
            "CREATE person SET first_name = 'Nia', last_name = 'Newcomer',
                email = 'nia.newcomer@example.org', source = 'event'",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
    let home = t.json::<LoadSourcerHome>(&sourcer, &[]).await;
    let replies = home["replies"].as_array().unwrap();
    assert_eq!(replies.len(), 2, "{home}");
    assert!(replies.iter().all(|r| r["person_id"] != answered.as_str()));
    assert_eq!(home["new_people"][0]["name"], "Nia Newcomer");
    assert!(home["new_total"].as_i64().unwrap() >= 1);

    // Only those who work the talent pool (the matrix covers every role).
    let manager = t.signed_in("manager@acme.test").await;
    let res = t.call::<LoadSourcerHome>(&manager, &[]).await;
    assert_eq!(res.status(), 403);
    // The sourcer's home page shows it.
    let page = t.text(&sourcer, "/app").await;
    assert!(page.contains("Replies to answer"), "{page}");
    assert!(page.contains("Silver medalists: new backend roles"));

    // The top bar's notifications carry the same replies, each a link to the person.
    use app::home::notices::MyNotices;
    let notices = t.json::<MyNotices>(&sourcer, &[]).await;
    let replies: Vec<&Value> = notices
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "reply")
        .collect();
    assert_eq!(replies.len(), 2, "{notices}");
    assert!(
        replies
            .iter()
            .all(|n| n["href"].as_str().unwrap().starts_with("/app/people/")
                && n["text"]
                    .as_str()
                    .unwrap()
                    .ends_with("replied to a campaign")),
        "{notices}"
    );
    // A hiring manager has none of those (not a CRM user).
    let m = t.json::<MyNotices>(&manager, &[]).await;
    assert!(
        m.as_array().unwrap().iter().all(|n| n["kind"] != "reply"),
        "{m}"
    );
}

async fn campaign_json(t: &TestApp, s: &reqwest::Client, id: &str) -> Value {
    t.call::<app::campaigns::api::GetCampaign>(s, &[("campaign_id", id)])
        .await
        .json()
        .await
        .unwrap()
}

/// A step dropped onto another (as the builder's drag does).
async fn drag_step(t: &TestApp, s: &reqwest::Client, id: &str, step: &str, onto: &str) {
    let r = t
        .call::<app::campaigns::api::ChangeStep>(
            s,
            &[
                ("campaign_id", id),
                ("step_id", step),
                ("op", &format!("to:{onto}")),
            ],
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
}

/// The visual builder's server side: a sequence from a template, a step put in between, a step
/// dragged onto another's place, and a test email that reaches only the sender.
#[tokio::test]
async fn a_template_sequence_takes_steps_between_and_by_drag_and_its_test_reaches_only_the_sender()
{
    use app::campaigns::api::{AddStep, CreateSequence, SaveCampaignSettings, SendTestEmail};
    let t = spawn_app().await;
    let s = t.signed_in(SOURCER).await;
    let unknown = t
        .call::<CreateSequence>(&s, &[("name", ""), ("starter", "no-such")])
        .await;
    assert_eq!(
        unknown.status(),
        422,
        "no name and no template: nothing to name it by"
    );

    let created = t
        .call::<CreateSequence>(&s, &[("name", ""), ("starter", "event_follow_up")])
        .await;
    assert!(created.status().is_success());
    let id: String = created.json().await.unwrap();
    let c = campaign_json(&t, &s, &id).await;
    assert_eq!(c["name"], "Event follow-up", "the template names it");
    let kinds = |c: &Value| -> Vec<String> {
        c["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["kind"].as_str().unwrap().to_string())
            .collect()
    };
    let ids = |c: &Value| -> Vec<String> {
        c["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds(&c), ["email", "wait", "condition", "email"]);
    let before = ids(&c);

    // A wait put in before the last email.
    let added = t
        .call::<AddStep>(
            &s,
            &[
                ("campaign_id", &id),
                ("kind", "wait"),
                ("before", &before[3]),
            ],
        )
        .await;
    assert!(added.status().is_success());
    let c = campaign_json(&t, &s, &id).await;
    assert_eq!(kinds(&c), ["email", "wait", "condition", "wait", "email"]);
    let now = ids(&c);
    assert_eq!(now[4], before[3]);
    let gone = t
        .call::<AddStep>(
            &s,
            &[
                ("campaign_id", &id),
                ("kind", "wait"),
                ("before", "no-such"),
            ],
        )
        .await;
    assert_eq!(gone.status(), 422);

    // The first email dragged onto the condition takes its place; dragged back onto the
    // first step, it is first again.
    drag_step(&t, &s, &id, &now[0], &now[2]).await;
    let c = campaign_json(&t, &s, &id).await;
    assert_eq!(
        ids(&c),
        [&now[1], &now[2], &now[0], &now[3], &now[4]].map(|s| s.to_string())
    );
    drag_step(&t, &s, &id, &now[0], &now[1]).await;
    assert_eq!(ids(&campaign_json(&t, &s, &id).await), now);

    // To the demo's silver medalists pool, then a test of the first email to the sourcer.
    let pool: Vec<RecordId> = t
        .state()
        .db
        .query("SELECT VALUE id FROM pool WHERE name = 'Silver medalists'")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let pool = app::server::db::key(&pool[0]);
    let saved = t
        .call::<SaveCampaignSettings>(
            &s,
            &[
                ("campaign_id", &id),
                ("name", "Event follow-up"),
                ("audience_kind", "pool"),
                ("audience_pool", &pool),
                ("start_hour", "9"),
                ("end_hour", "17"),
            ],
        )
        .await;
    assert!(
        saved.status().is_success(),
        "{}",
        saved.text().await.unwrap()
    );
    let c = campaign_json(&t, &s, &id).await;
    let person = c["sample"][0]["id"].as_str().unwrap().to_string();
    let person_name = c["sample"][0]["name"].as_str().unwrap().to_string();
    let count_mails =
        || async { json_rows(t.state().db.query("SELECT id FROM mail").await.unwrap()).len() };
    let mails_before = count_mails().await;
    let sent = t
        .call::<SendTestEmail>(&s, &[("campaign_id", &id), ("person_id", &person)])
        .await;
    assert!(sent.status().is_success());
    let to: String = sent.json().await.unwrap();
    assert_eq!(to, SOURCER);
    let msg = t.smtp.wait_for(SOURCER, 1).await.remove(0);
    let first_name = person_name.split(' ').next().unwrap();
    assert_eq!(
        header(&msg, "Subject").unwrap(),
        format!("[Test] Thank you for coming, {first_name}")
    );
    assert!(msg.contains(&format!("as {person_name} would receive it")));
    assert!(
        !msg.contains("token="),
        "no link in a test acts on the person"
    );
    // One mail row, for nobody in the audience and no campaign: it counts nowhere.
    let rows = json_rows(
        t.state()
            .db
            .query("SELECT kind, person, campaign, to_email FROM mail WHERE kind = 'campaign_test'")
            .await
            .unwrap(),
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(count_mails().await, mails_before + 1);
    assert!(rows[0]["person"].is_null() && rows[0]["campaign"].is_null());
    assert_eq!(rows[0]["to_email"], SOURCER);
}
