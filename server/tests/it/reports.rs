//! Hiring reports over HTTP: the funnel follows a card moved on the board (the stage history is
//! written by the database on every move), a hiring manager reports only on their own jobs,
//! bad dates are named, and the CSV downloads carry the same numbers.

use crate::common;

use app::pipeline::api::MoveCard;
use app::reports::api::{HiringReports, HomeNumbers};
use common::*;
use serde_json::Value;
use surrealdb::types::RecordId;

async fn report(t: &TestApp, c: &reqwest::Client, args: &[(&str, &str)]) -> (u16, Value) {
    let res = t.call::<HiringReports>(c, args).await;
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn column(r: &Value, field: &str) -> Vec<i64> {
    r["funnel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[field].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_funnel_follows_a_move_and_managers_see_only_their_jobs() {
    let t = spawn_app().await;
    let recruiter = t.signed_in("recruiter@acme.test").await;

    let (status, before) = report(&t, &recruiter, &[("job", "rust-backend")]).await;
    assert_eq!(status, 200, "{before}");
    let names: Vec<&str> = before["funnel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Applied", "Phone screen", "Interview", "Offer", "Hired"]
    );
    let applications = before["applications"].as_i64().unwrap();
    assert!(applications > 0, "the demo job has applications");
    let reached = column(&before, "reached");
    assert_eq!(reached[0], applications, "everyone reached the first stage");
    assert!(
        reached.windows(2).all(|w| w[0] >= w[1]),
        "a funnel narrows: {reached:?}"
    );

    // A card moves from Applied to Phone screen on the board.
    let ids: Vec<RecordId> = t
        .state()
        .db
        .query(
            "SELECT VALUE id FROM application
                WHERE job = $job AND stage = 'applied' AND status = 'active' LIMIT 1",
        )
        .bind(("job", RecordId::new("job", "rust-backend")))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let app_id = app::server::db::key(&ids[0]);
    let res = t
        .call::<MoveCard>(
            &recruiter,
            &[
                ("job_id", "rust-backend"),
                ("application_id", &app_id),
                ("from", "applied"),
                ("to", "phone_screen"),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let (_, after) = report(&t, &recruiter, &[("job", "rust-backend")]).await;
    assert_eq!(column(&after, "reached")[1], reached[1] + 1);
    assert_eq!(
        column(&after, "now_in_stage")[0],
        column(&before, "now_in_stage")[0] - 1
    );
    assert_eq!(after["applications"].as_i64().unwrap(), applications);

    // All jobs: the recruiter may choose any; the hiring manager only theirs.
    let (_, all) = report(&t, &recruiter, &[]).await;
    assert!(all["options"]["jobs"].as_array().unwrap().len() > 1);
    assert!(all["applications"].as_i64().unwrap() > applications);
    let morgan = t.signed_in("manager@acme.test").await;
    let (status, own) = report(&t, &morgan, &[]).await;
    assert_eq!(status, 200, "{own}");
    let jobs: Vec<&str> = own["options"]["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j[0].as_str().unwrap())
        .collect();
    assert_eq!(jobs, ["rust-backend"]);
    assert_eq!(own["applications"].as_i64().unwrap(), applications);
    assert!(own["can_search"] == Value::Bool(false));
    // The home's headline numbers are the same totals, for the same jobs, without the rest.
    for (who, full) in [(&recruiter, &all), (&morgan, &own)] {
        let home: Value = t.call::<HomeNumbers>(who, &[]).await.json().await.unwrap();
        for field in ["applications", "hires", "offers"] {
            assert_eq!(home[field], full[field], "{field}");
        }
        assert_eq!(home["from"], full["query"]["from"]);
        assert_eq!(home["to"], full["query"]["to"]);
        assert!(home.get("funnel").is_none() && home.get("impact").is_none());
    }
    let (status, _) = report(&t, &morgan, &[("job", "product-designer")]).await;
    assert_eq!(status, 403, "another manager's job");
    let (status, _) = report(&t, &morgan, &[("job", "no-such-job")]).await;
    assert_eq!(status, 404);
    let interviewer = t.signed_in("interviewer@acme.test").await;
    let (status, _) = report(&t, &interviewer, &[]).await;
    assert_eq!(status, 403);

    // Bad dates are named; a period far back has nothing in it.
    let (status, bad) = report(&t, &recruiter, &[("from", "yesterday")]).await;
    assert_eq!(status, 422, "{bad}");
    assert!(bad.to_string().contains("YYYY-MM-DD"), "{bad}");
    let (status, _) = report(
        &t,
        &recruiter,
        &[("from", "2026-05-02"), ("to", "2026-05-01")],
    )
    .await;
    assert_eq!(status, 422);
    let (_, old) = report(
        &t,
        &recruiter,
        &[("from", "2001-01-01"), ("to", "2001-12-31")],
    )
    .await;
    assert_eq!(old["applications"].as_i64().unwrap(), 0);

    // The CSV has the same numbers, and formulas never reach a spreadsheet.
    let csv = recruiter
        .get(t.url("/app/reports/funnel.csv?job=rust-backend"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"funnel-")
    );
    let body = csv.text().await.unwrap();
    let second = body.lines().nth(2).unwrap();
    assert!(
        second.starts_with(&format!("Phone screen,{},", reached[1] + 1)),
        "{body}"
    );
    let sources = morgan
        .get(t.url("/app/reports/sources.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(sources.status(), 200);
    assert!(
        sources
            .text()
            .await
            .unwrap()
            .starts_with("Source,Applications,")
    );
    t.stop().await;
}

#[tokio::test]
async fn the_weekly_digest_reaches_slack_once_a_week() {
    let smtp = Smtp::start();
    let (hook, slack) = slack_receiver().await;
    let mut config = test_config(&smtp);
    config.slack_webhook_url = Some(hook);
    config.slack_digest = true;
    let t = spawn_with(config, smtp).await;
    // This week's digest: the worker sends it at start when it is due; before Monday 08:00
    // UTC it is asked for as of 08:00. Either way one message, and asking again sends nothing.
    let mut when = chrono::Utc::now();
    if app::reports::digest::due_week(when).is_none() {
        when += chrono::Duration::hours(9);
    }
    app::reports::digest::send_due(t.state(), when)
        .await
        .unwrap();
    let got = wait_slack(&slack, 1).await;
    let text = got[0]["text"].as_str().unwrap().to_string();
    let week = app::reports::digest::due_week(when).unwrap();
    assert!(text.contains(&format!("({week})")), "{text}");
    let new: Vec<i64> = t
        .state()
        .db
        .query("RETURN count(SELECT id FROM application WHERE created_at >= time::now() - 7d)")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert!(
        text.contains(&format!("{} new applications", new[0])),
        "{text}"
    );
    assert!(text.contains("/app/reports|Open the reports>"), "{text}");
    for _ in 0..3 {
        assert_eq!(
            app::reports::digest::send_due(t.state(), when)
                .await
                .unwrap(),
            0
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(slack.lock().unwrap().len(), 1);
    t.stop().await;
}

#[tokio::test]
async fn self_identification_is_kept_apart_and_counted_only_for_recruiters() {
    use reqwest::multipart::{Form, Part};
    let t = spawn_app().await;
    let email = "sid.apart@example.org";
    let form = Form::new()
        .text("job_id", "rust-backend")
        .text("name", "Sid Apart")
        .text("email", email)
        .text("phone", "")
        .text("gender", "non_binary")
        .text("ethnicity", "asian")
        .text("veteran", "a made-up value")
        .part(
            "resume",
            Part::bytes(pdf_bytes("")).file_name("resume.pdf".to_string()),
        );
    let res = t
        .client()
        .post(t.url(<app::careers::api::Apply as server_fn::ServerFn>::PATH))
        .header("Origin", &t.base)
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());

    // Stored apart, unknown values as "declined"; nothing of it on the application or person.
    let mut r = t
        .state()
        .db
        .query(
            "LET $p = (SELECT VALUE id FROM person WHERE email = $email)[0];
             LET $a = (SELECT VALUE id FROM application WHERE person = $p)[0];
             SELECT VALUE [gender, ethnicity, veteran, disability]
                FROM self_identification WHERE application = $a;
             RETURN $p;",
        )
        .bind(("email", email))
        .await
        .unwrap();
    let answers: Vec<Vec<String>> = r.take(2).unwrap();
    assert_eq!(answers, [["non_binary", "asian", "declined", "declined"]]);
    let person: Option<RecordId> = r.take(3).unwrap();
    let person_id = app::server::db::key(&person.unwrap());
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let profile = t
        .call::<app::people::api::GetPerson>(&recruiter, &[("person_id", &person_id)])
        .await;
    assert_eq!(profile.status(), 200);
    let profile = profile.text().await.unwrap();
    assert!(profile.contains("Sid"), "{profile}");
    assert!(
        !profile.contains("non_binary") && !profile.contains("asian"),
        "{profile}"
    );

    // Counted in the recruiter's adverse-impact check, by the question asked for.
    let (_, rep) = report(
        &t,
        &recruiter,
        &[("job", "rust-backend"), ("group_by", "gender")],
    )
    .await;
    let impact = &rep["impact"];
    assert_eq!(impact["group_by"], "gender");
    assert!(impact["answered"].as_i64().unwrap() >= 1);
    let first_step = &impact["stages"][0];
    assert_eq!(first_step["from"], "Applied");
    let non_binary = first_step["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "non_binary")
        .expect("the new answer is counted");
    assert!(non_binary["applicants"].as_i64().unwrap() >= 1);
    // Never for a hiring manager.
    let morgan = t.signed_in("manager@acme.test").await;
    let (_, theirs) = report(&t, &morgan, &[("job", "rust-backend")]).await;
    assert_eq!(theirs["impact"], Value::Null);
    t.stop().await;
}

#[tokio::test]
async fn pipeline_health_names_who_is_stuck_which_jobs_idle_and_whose_scorecards_are_late() {
    use app::reports::api::GetPipelineHealth;
    let t = spawn_app().await;
    let db = &t.state().db;
    let old = chrono::Utc::now() - chrono::Duration::days(30);
    let ended = chrono::Utc::now() - chrono::Duration::days(3);
    db.query(
        "LET $riley = (SELECT VALUE id FROM staff WHERE email = 'recruiter@acme.test')[0];
         LET $ivy = (SELECT VALUE id FROM staff WHERE email = 'interviewer@acme.test')[0];
         CREATE job:health SET title = 'Health Check Engineer', department = 'Ops', location = '',
            description = '', employment_type = 'full_time', status = 'open', owner = $riley,
            stages = (SELECT stages FROM ONLY job:`rust-backend`).stages;
         CREATE person:hal SET first_name = 'Hal', last_name = 'Stuck', email = 'hal@example.org';
         CREATE person:fia SET first_name = 'Fia', last_name = 'Fresh', email = 'fia@example.org';
         CREATE application:hal_app SET person = person:hal, person_name = 'Hal Stuck', job = job:health,
            stage = 'interview', status = 'active', uniq = 'hal:health', stage_entered_at = $old;
         CREATE application:fia_app SET person = person:fia, person_name = 'Fia Fresh', job = job:health,
            stage = 'hired', status = 'active', uniq = 'fia:health', stage_entered_at = $old;
         UPDATE stage_event SET at = $old WHERE job = job:health;
         CREATE interview:hal_int SET application = application:hal_app, person = person:hal,
            job = job:health, name = 'Technical interview', format = 'video',
            starts_at = $ended - 1h, ends_at = $ended, interviewers = [$ivy];
         CREATE type::record('scorecard', 'hal_int_ivy') SET interview = interview:hal_int,
            application = application:hal_app, interviewer = $ivy;",
    )
    .bind(("old", old))
    .bind(("ended", ended))
    .await
    .unwrap()
    .check()
    .unwrap();

    let recruiter = t.signed_in("recruiter@acme.test").await;
    let h = t
        .json::<GetPipelineHealth>(&recruiter, &[("job", "health")])
        .await;
    assert_eq!(h["stuck_days"], 14, "{h}");
    assert_eq!(h["stuck_total"], 1, "{h}");
    let group = &h["stuck_by_stage"][0];
    assert_eq!(
        (&group["stage_name"], &group["owner"], &group["count"]),
        (
            &Value::from("Interview"),
            &Value::from("Riley Recruiter"),
            &Value::from(1)
        )
    );
    assert_eq!(h["stuck"][0]["name"], "Hal Stuck");
    assert_eq!(h["stuck"][0]["days"], 30);
    assert_eq!(h["idle_jobs"][0]["title"], "Health Check Engineer");
    assert_eq!(h["idle_jobs"][0]["active"], 2);
    assert_eq!(h["idle_jobs"][0]["days_since_move"], 30);
    assert_eq!(h["overdue"][0]["interviewer"], "Ivy Interviewer");
    assert_eq!(h["overdue"][0]["count"], 1);
    assert_eq!(h["overdue"][0]["oldest_days"], 2);

    // With a longer threshold nobody is stuck and the job is not idle.
    let h = t
        .json::<GetPipelineHealth>(&recruiter, &[("job", "health"), ("stuck_days", "60")])
        .await;
    assert_eq!(h["stuck_total"], 0);
    assert!(h["idle_jobs"].as_array().unwrap().is_empty());
    let bad = t
        .call::<GetPipelineHealth>(&recruiter, &[("stuck_days", "0")])
        .await;
    assert_eq!(bad.status(), 422);

    // A hiring manager of other jobs learns nothing about this one.
    let manager = t.signed_in("manager@acme.test").await;
    let h = t
        .json::<GetPipelineHealth>(&manager, &[("job", "health")])
        .await;
    assert_eq!(h["stuck_total"], 0);
    assert!(h["stuck"].as_array().unwrap().is_empty());
    assert!(h["overdue"].as_array().unwrap().is_empty());
}
