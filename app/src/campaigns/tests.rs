//! Engine tests on `mem://`: sequences, conditions, the frequency cap, send windows, pausing,
//! and people leaving a sequence when they apply, reply or unsubscribe.

use super::engine;
use super::repo;
use super::sequence::{Branch, Event, Step};
use super::types::CampaignInput;
use crate::server::AppState;
use crate::server::db::key;
use crate::testing::{self, recruiter};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use surrealdb::types::{RecordId, SurrealValue};

fn email(id: &str, subject: &str) -> Step {
    Step::Email {
        id: id.into(),
        subject: subject.into(),
        subject_b: None,
        body: "Hello {{first_name}}".into(),
    }
}

async fn people(st: &AppState, tag: &str, keys: &[&str]) -> Vec<RecordId> {
    let mut out = Vec::new();
    for k in keys {
        let id = RecordId::new("person", *k);
        st.db
            .query("CREATE $id SET first_name = $k, last_name = 'Test', email = $k + '@example.test', tags = [$tag], consent_basis = 'legitimate_interest' RETURN NONE")
            .bind(("id", id.clone()))
            .bind(("k", k.to_string()))
            .bind(("tag", tag.to_string()))
            .await
            .unwrap()
            .check()
            .unwrap();
        out.push(id);
    }
    out
}

async fn campaign(st: &AppState, tag: &str, steps: &[Step]) -> RecordId {
    let input = CampaignInput::parse("Nurture", tag, "placeholder", "placeholder").unwrap();
    let id = repo::create(&st.db, &input, &recruiter()).await.unwrap();
    repo::save_steps(&st.db, &id, steps).await.unwrap();
    id
}

#[derive(Debug, Clone, SurrealValue)]
struct SentMail {
    person: RecordId,
    subject: String,
    step_id: Option<String>,
}

async fn mails(st: &AppState) -> Vec<SentMail> {
    let mut r = st
        .db
        .query("SELECT person, subject, step_id, created_at FROM mail WHERE campaign != NONE ORDER BY created_at")
        .await
        .unwrap();
    r.take(0).unwrap()
}

async fn subjects_for(st: &AppState, p: &RecordId) -> Vec<String> {
    mails(st)
        .await
        .into_iter()
        .filter(|m| &m.person == p)
        .map(|m| m.subject)
        .collect()
}

/// Runs engine passes until nothing is due.
async fn drain(st: &AppState) {
    for _ in 0..20 {
        if engine::run_due(st, "test-node").await.unwrap() == 0 {
            return;
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct EnrollmentRow {
    person: RecordId,
    status: String,
    stop_reason: Option<String>,
    step_index: i64,
    next_run_at: DateTime<Utc>,
}

async fn enrollments(st: &AppState, c: &RecordId) -> Vec<EnrollmentRow> {
    let mut r = st
        .db
        .query("SELECT person, status, stop_reason, step_index, next_run_at FROM enrollment WHERE campaign = $c ORDER BY person")
        .bind(("c", c.clone()))
        .await
        .unwrap();
    r.take(0).unwrap()
}

#[tokio::test]
async fn conditions_branch_on_clicks_and_waits_hold_people_back() {
    let st = testing::state().await;
    let [ada, bob] = people(&st, "n", &["ada", "bob"]).await.try_into().unwrap();
    let steps = [
        email("e1", "First {{first_name}}"),
        Step::Condition {
            id: "c1".into(),
            event: Event::Clicked,
            then: Branch::Continue,
            otherwise: Branch::Goto("e3".into()),
        },
        email("e2", "For clickers"),
        Step::Wait {
            id: "w1".into(),
            days: 3,
            until: None,
        },
        email("e3", "Last one"),
    ];
    let c = campaign(&st, "n", &steps).await;
    assert_eq!(engine::launch(&st, &c, &recruiter()).await.unwrap(), (2, 0));
    // Step 1 goes out, then the condition waits for nobody: it is decided on the next pass.
    engine::run_due(&st, "n1").await.unwrap();
    assert_eq!(subjects_for(&st, &ada).await, ["First ada"]);
    // Ada clicks the link in her email (a person, not a scanner: long after delivery).
    let mut r = st
        .db
        .query("SELECT VALUE id FROM mail WHERE person = person:ada")
        .await
        .unwrap();
    let ada_mail: Vec<RecordId> = r.take(0).unwrap();
    st.db
        .query("UPDATE $m SET sent_at = time::now() - 1h")
        .bind(("m", ada_mail[0].clone()))
        .await
        .unwrap();
    super::tracking::record(
        &st.db,
        &ada_mail[0],
        "click",
        Some("https://example.com".into()),
        "Mozilla",
    )
    .await
    .unwrap();
    drain(&st).await;
    assert_eq!(subjects_for(&st, &ada).await, ["First ada", "For clickers"]);
    assert_eq!(
        subjects_for(&st, &bob).await,
        ["First bob", "Last one"],
        "bob skips to the last step"
    );
    let e = enrollments(&st, &c).await;
    assert_eq!(e[0].status, "active", "ada waits three days");
    assert!(e[0].next_run_at > Utc::now() + Duration::days(2));
    assert_eq!(e[1].status, "completed");
    // Three days later ada gets the last email and is done.
    st.db
        .query("UPDATE enrollment SET step_started_at -= 3d, next_run_at = time::now() WHERE person = person:ada")
        .await
        .unwrap();
    drain(&st).await;
    assert_eq!(
        subjects_for(&st, &ada).await,
        ["First ada", "For clickers", "Last one"]
    );
    assert!(
        enrollments(&st, &c)
            .await
            .iter()
            .all(|e| e.status == "completed")
    );
    // The report counts it all, per step.
    let report = super::report::report(&st.db, &repo::get(&st.db, &c).await.unwrap().unwrap())
        .await
        .unwrap();
    assert_eq!(
        (report.enrolled, report.sent, report.clicked),
        (2, 5, 1),
        "{report:?}"
    );
    assert_eq!(
        report
            .steps
            .iter()
            .find(|s| s.step_id == "e1")
            .unwrap()
            .clicked,
        1
    );
}

#[tokio::test]
async fn the_frequency_cap_holds_across_campaigns() {
    let st = testing::state().await;
    let [ada] = people(&st, "cap", &["ada"]).await.try_into().unwrap();
    repo::set_frequency_cap_days(&st.db, 7).await.unwrap();
    let first = campaign(&st, "cap", &[email("a1", "From campaign one")]).await;
    let second = campaign(&st, "cap", &[email("b1", "From campaign two")]).await;
    engine::launch(&st, &first, &recruiter()).await.unwrap();
    engine::launch(&st, &second, &recruiter()).await.unwrap();
    drain(&st).await;
    assert_eq!(
        subjects_for(&st, &ada).await.len(),
        1,
        "one campaign email in 7 days"
    );
    let waiting: Vec<EnrollmentRow> = [
        enrollments(&st, &first).await,
        enrollments(&st, &second).await,
    ]
    .concat()
    .into_iter()
    .filter(|e| e.status == "active")
    .collect();
    assert_eq!(waiting.len(), 1);
    let delay = waiting[0].next_run_at - Utc::now();
    assert!(
        delay > Duration::days(6) && delay <= Duration::days(7),
        "waits out the cap: {delay}"
    );
    // A week later the other campaign may write.
    st.db
        .query("UPDATE person:ada SET last_contacted_at -= 7d; UPDATE enrollment SET next_run_at = time::now() WHERE status = 'active';")
        .await
        .unwrap();
    drain(&st).await;
    assert_eq!(subjects_for(&st, &ada).await.len(), 2);
}

#[tokio::test]
async fn send_windows_follow_each_recipients_time_zone() {
    let st = testing::state().await;
    let [tokyo, ny] = people(&st, "tz", &["tokyo", "ny"])
        .await
        .try_into()
        .unwrap();
    st.db
        .query("UPDATE person:tokyo SET timezone = 'Asia/Tokyo'; UPDATE person:ny SET timezone = 'America/New_York';")
        .await
        .unwrap();
    let c = campaign(&st, "tz", &[email("e1", "Hi")]).await;
    // A window that is closed right now everywhere: only tomorrow-after-next (UTC) is allowed.
    let day = (Utc::now() + Duration::days(2))
        .weekday()
        .number_from_monday();
    st.db
        .query("UPDATE $c SET use_send_window = true, send_days = [$d], send_start_hour = 9, send_end_hour = 17")
        .bind(("c", c.clone()))
        .bind(("d", day as i64))
        .await
        .unwrap();
    engine::launch(&st, &c, &recruiter()).await.unwrap();
    drain(&st).await;
    assert!(
        mails(&st).await.is_empty(),
        "nothing goes out outside the window"
    );
    for (p, zone) in [
        (&tokyo, chrono_tz::Asia::Tokyo),
        (&ny, chrono_tz::America::New_York),
    ] {
        let e = enrollments(&st, &c)
            .await
            .into_iter()
            .find(|e| &e.person == p)
            .unwrap();
        let local = e.next_run_at.with_timezone(&zone);
        assert_eq!(
            (local.hour(), local.minute()),
            (9, 0),
            "opens at 9:00 in {zone}"
        );
        assert_eq!(
            local.weekday().number_from_monday(),
            day,
            "on the allowed day in {zone}"
        );
    }
}

#[tokio::test]
async fn pausing_stops_at_once_and_resuming_continues() {
    let st = testing::state().await;
    let ps = people(&st, "p", &["ada", "bob", "cyd"]).await;
    let c = campaign(&st, "p", &[email("e1", "One"), email("e2", "Two")]).await;
    engine::launch(&st, &c, &recruiter()).await.unwrap();
    engine::run_due(&st, "n1").await.unwrap();
    assert_eq!(mails(&st).await.len(), 3);
    engine::set_paused(&st, &c, true).await.unwrap();
    assert_eq!(
        engine::run_due(&st, "n1").await.unwrap(),
        0,
        "a paused campaign has nothing due"
    );
    // Queued mail of a paused campaign is not handed to SMTP either.
    let mut r = st
        .db
        .query("SELECT VALUE id FROM mail WHERE status = 'queued' AND (campaign = NONE OR campaign.status != 'paused')")
        .await
        .unwrap();
    let deliverable: Vec<RecordId> = r.take(0).unwrap();
    assert!(deliverable.is_empty());
    engine::set_paused(&st, &c, false).await.unwrap();
    drain(&st).await;
    for p in &ps {
        assert_eq!(
            subjects_for(&st, p).await,
            ["One", "Two"],
            "each step once for {}",
            key(p)
        );
    }
    assert!(
        engine::set_paused(&st, &c, false).await.is_err(),
        "only paused campaigns resume"
    );
}

#[tokio::test]
async fn people_leave_when_they_apply_reply_or_unsubscribe() {
    let st = testing::state().await;
    let [ada, bob, cyd, dan] = people(&st, "l", &["ada", "bob", "cyd", "dan"])
        .await
        .try_into()
        .unwrap();
    let c = campaign(
        &st,
        "l",
        &[
            email("e1", "One"),
            Step::Wait {
                id: "w".into(),
                days: 2,
                until: None,
            },
            email("e2", "Two"),
        ],
    )
    .await;
    engine::launch(&st, &c, &recruiter()).await.unwrap();
    drain(&st).await;
    // ada applies, bob replies, cyd unsubscribes; dan does nothing.
    let job = testing::open_job(&st, "Rust dev").await;
    crate::pipeline::repo::add_to_job(&st.db, &ada, &job, &recruiter())
        .await
        .unwrap();
    super::tracking::note_application(&st.db, &ada)
        .await
        .unwrap();
    assert!(
        super::tracking::record_reply(&st.db, &bob, None)
            .await
            .unwrap()
    );
    repo::unsubscribe(&st.db, &cyd, "test").await.unwrap();
    st.db
        .query("UPDATE enrollment SET step_started_at -= 2d, next_run_at = time::now()")
        .await
        .unwrap();
    drain(&st).await;
    let e = enrollments(&st, &c).await;
    let reason = |p: &RecordId| {
        e.iter()
            .find(|x| &x.person == p)
            .unwrap()
            .stop_reason
            .clone()
    };
    assert_eq!(reason(&ada).as_deref(), Some("applied"));
    assert_eq!(reason(&bob).as_deref(), Some("replied"));
    assert_eq!(reason(&cyd).as_deref(), Some("unsubscribed"));
    assert_eq!(subjects_for(&st, &dan).await, ["One", "Two"]);
    for p in [&ada, &bob, &cyd] {
        assert_eq!(subjects_for(&st, p).await, ["One"]);
    }
    let report = super::report::report(&st.db, &repo::get(&st.db, &c).await.unwrap().unwrap())
        .await
        .unwrap();
    assert_eq!(
        (report.replied, report.applied, report.unsubscribed),
        (1, 1, 1),
        "{report:?}"
    );
}

#[tokio::test]
async fn two_nodes_never_decide_the_same_step_twice() {
    let st = testing::state().await;
    let keys: Vec<String> = (0..120).map(|i| format!("p{i:03}")).collect();
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let ps = people(&st, "many", &refs).await;
    let c = campaign(
        &st,
        "many",
        &[email("e1", "One"), email("e2", "Two"), email("e3", "Three")],
    )
    .await;
    engine::launch(&st, &c, &recruiter()).await.unwrap();
    let other = crate::startup::another_node(&st).unwrap();
    let (a, b) = (st.clone(), other.clone());
    let run = |s: AppState, node: &'static str| async move {
        for _ in 0..40 {
            engine::run_due(&s, node).await.unwrap();
        }
    };
    tokio::join!(run(a, "node-a"), run(b, "node-b"));
    let all = mails(&st).await;
    assert_eq!(all.len(), 360, "three emails to each of 120 people");
    for p in &ps {
        let mut steps: Vec<String> = all
            .iter()
            .filter(|m| &m.person == p)
            .filter_map(|m| m.step_id.clone())
            .collect();
        steps.sort();
        assert_eq!(steps, ["e1", "e2", "e3"]);
    }
}

#[tokio::test]
async fn a_launch_records_who_launched_it() {
    let st = testing::state().await;
    people(&st, "launch", &["l1", "l2"]).await;
    let c = campaign(&st, "launch", &[email("e1", "Hello")]).await;
    engine::launch(&st, &c, &recruiter()).await.unwrap();
    let mut r = st
        .db
        .query("SELECT VALUE [actor_label, summary] FROM activity WHERE kind = 'campaign_launched'")
        .await
        .unwrap();
    let entries: Vec<Vec<String>> = r.take(0).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0][0], "Tess Tester");
    assert!(entries[0][1].ends_with("to 2 people"), "{entries:?}");
}
