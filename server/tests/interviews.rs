//! Structured hiring over HTTP, as the browser calls it: a recruiter finds times for a panel
//! and books one; the same people cannot be booked twice; each interviewer sees the others'
//! scorecards only after submitting their own; the resume and the interview are the panel's
//! (and the job's overseers'), nobody else's.

mod common;

use app::interviews::api::*;
use common::*;
use serde_json::Value;
use surrealdb::types::RecordId;

async fn one(t: &TestApp, q: &str) -> String {
    let ids: Vec<RecordId> = t.state().db.query(q).await.unwrap().take(0).unwrap();
    app::server::db::key(ids.first().unwrap_or_else(|| panic!("nothing for {q}")))
}

async fn json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn a_panel_is_booked_once_and_scorecards_stay_hidden_until_yours_is_in() {
    let t = spawn_app().await;
    let app_id = one(
        &t,
        "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active'
            AND id NOT IN (SELECT VALUE application FROM interview) ORDER BY id LIMIT 1",
    )
    .await;
    let plan = one(
        &t,
        "SELECT VALUE id FROM plan_interview WHERE job = job:`rust-backend` AND name = 'Technical interview'",
    )
    .await;
    let ivy = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'interviewer@acme.test'",
    )
    .await;
    let parker = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'panel@acme.test'",
    )
    .await;
    let admin = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'admin@acme.test'",
    )
    .await;
    let recruiter = t.signed_in("recruiter@acme.test").await;

    // Times that suit Ivy (London) and Parker (New York) together.
    let (status, slots) = json(
        t.call::<ProposeSlots>(
            &recruiter,
            &[
                ("application_id", &app_id),
                ("plan_id", &plan),
                ("interviewers[]", &ivy),
                ("interviewers[]", &parker),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{slots}");
    let first = slots[0]["starts_at"].as_str().expect("a slot").to_string();
    assert!(
        slots[0]["elsewhere"][0]
            .as_str()
            .is_some_and(|s| s.starts_with("Parker Panelist:")),
        "the New York panelist's own time is shown: {}",
        slots[0]
    );
    // An empty panel is refused, naming the field.
    let (status, body) = json(
        t.call::<ProposeSlots>(
            &recruiter,
            &[("application_id", &app_id), ("plan_id", &plan)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("interviewers"));

    let book = |panel: Vec<String>, at: String| {
        let (t, recruiter, app_id, plan) = (&t, &recruiter, app_id.clone(), plan.clone());
        async move {
            let mut form = vec![
                ("application_id", app_id),
                ("plan_id", plan),
                ("starts_at", at),
            ];
            for p in panel {
                form.push(("interviewers[]", p));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            json(t.call::<ScheduleInterview>(recruiter, &form).await).await
        }
    };
    let (status, iv) = book(vec![ivy.clone(), parker.clone()], first.clone()).await;
    assert_eq!(status, 200, "{iv}");
    let iv = iv.as_str().unwrap().to_string();
    // Ivy is taken at that time: a second panel with her is refused.
    let (status, body) = book(vec![admin.clone(), ivy.clone()], first.clone()).await;
    assert_eq!(status, 409, "{body}");
    // A time in the past is refused.
    let (status, _) = book(vec![admin.clone()], "2020-01-06T10:00:00Z".into()).await;
    assert_eq!(status, 422);

    // Who may open the interview.
    let sourcer = t.signed_in("sourcer@acme.test").await;
    let res = t
        .call::<GetInterview>(&sourcer, &[("interview_id", &iv)])
        .await;
    assert_eq!(res.status().as_u16(), 403, "not on the panel");
    let res = sourcer
        .get(t.url(&format!("/app/interviews/{iv}/resume")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403, "nor the resume");

    let ivy_c = t.signed_in("interviewer@acme.test").await;
    let parker_c = t.signed_in("panel@acme.test").await;
    let detail = |c: reqwest::Client| {
        let (t, iv) = (&t, iv.clone());
        async move { json(t.call::<GetInterview>(&c, &[("interview_id", &iv)]).await).await }
    };
    let (status, d) = detail(ivy_c.clone()).await;
    assert_eq!(status, 200, "{d}");
    assert!(
        d["others"].is_null(),
        "hidden before Ivy submits: {}",
        d["others"]
    );
    assert_eq!(d["attributes"].as_array().unwrap().len(), 3);

    // A draft is saved; submitting needs every rating and a recommendation.
    let save = |c: reqwest::Client, form: Vec<(&'static str, &'static str)>| {
        let (t, iv) = (&t, iv.clone());
        async move {
            let mut f = vec![("interview_id", iv.as_str())];
            f.extend(form);
            json(t.call::<SaveScorecard>(&c, &f).await).await
        }
    };
    let (status, _) = save(
        parker_c.clone(),
        vec![
            ("ratings[a0]", "3"),
            ("notes", "Half way"),
            ("intent", "draft"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = save(
        ivy_c.clone(),
        vec![("ratings[a0]", "4"), ("notes", ""), ("intent", "submit")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("ratings"));
    let full = vec![
        ("ratings[a0]", "4"),
        ("ratings[a1]", "3"),
        ("ratings[a2]", "3"),
        ("notes", "Explained lifetimes with a real bug."),
        ("recommendation", "4"),
        ("intent", "submit"),
    ];
    let (status, body) = save(ivy_c.clone(), full.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (_, d) = detail(ivy_c.clone()).await;
    assert_eq!(
        d["others"].as_array().map(Vec::len),
        Some(0),
        "Parker's draft is his own"
    );
    let (_, d) = detail(parker_c.clone()).await;
    assert!(d["others"].is_null(), "Parker has not submitted yet");
    assert_eq!(d["others_submitted"], 1);
    assert_eq!(d["mine"]["status"], "draft");
    let (status, _) = save(parker_c.clone(), full).await;
    assert_eq!(status, 200);
    let (_, d) = detail(parker_c.clone()).await;
    let others = d["others"].as_array().expect("visible after submitting");
    assert_eq!(others.len(), 1);
    assert_eq!(others[0]["interviewer_name"], "Ivy Interviewer");
    assert_eq!(others[0]["recommendation"], "StrongYes");

    // The debrief lines them up; the job's hiring manager sees it, another job's does not.
    let manager = t.signed_in("manager@acme.test").await;
    let (status, a) = json(
        t.call::<ApplicationInterviews>(&manager, &[("application_id", &app_id)])
            .await,
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["debrief"]["columns"].as_array().unwrap().len(), 2);
    assert_eq!(a["can_schedule"], false);
    let elsewhere = one(
        &t,
        "SELECT VALUE id FROM application WHERE job = job:`data-analyst` LIMIT 1",
    )
    .await;
    let res = t
        .call::<ApplicationInterviews>(&manager, &[("application_id", &elsewhere)])
        .await;
    assert_eq!(res.status().as_u16(), 403);

    // Cancelling frees the panel: the same time can be booked again.
    let (status, _) = json(
        t.call::<CancelInterview>(&recruiter, &[("interview_id", &iv)])
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = book(vec![admin.clone(), ivy.clone()], first.clone()).await;
    assert_eq!(status, 200, "{body}");
    t.stop().await;
}

#[tokio::test]
async fn each_person_sets_their_zone_and_working_day_and_times_follow_it() {
    let t = spawn_app().await;
    let sam = t.signed_in("sourcer@acme.test").await;
    let (status, body) = json(
        t.call::<SaveWorkingHours>(
            &sam,
            &[
                ("time_zone", "Mars/Olympus"),
                ("start", "10:00"),
                ("end", "10:30"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("time_zone") && body.to_string().contains("end"));
    let (status, _) = json(
        t.call::<SaveWorkingHours>(
            &sam,
            &[
                ("time_zone", "Asia/Tokyo"),
                ("start", "10:00"),
                ("end", "12:00"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let (_, h) = json(t.call::<MyWorkingHours>(&sam, &[]).await).await;
    assert_eq!(h["time_zone"], "Asia/Tokyo");
    assert_eq!(h["start"], "10:00");
    assert!(
        h["zones"]
            .as_array()
            .unwrap()
            .iter()
            .any(|z| z == "America/New_York")
    );
    // A recruiter asking for times with Sam only gets Tokyo mornings.
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let app_id = one(
        &t,
        "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active' LIMIT 1",
    )
    .await;
    let plan = one(
        &t,
        "SELECT VALUE id FROM plan_interview WHERE job = job:`rust-backend` AND name = 'Recruiter screen'",
    )
    .await;
    let sam_id = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'sourcer@acme.test'",
    )
    .await;
    let (status, slots) = json(
        t.call::<ProposeSlots>(
            &recruiter,
            &[
                ("application_id", &app_id),
                ("plan_id", &plan),
                ("interviewers[]", &sam_id),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{slots}");
    for s in slots.as_array().unwrap() {
        let at = chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap()).unwrap();
        let tokyo = at.with_timezone(&chrono_tz::Asia::Tokyo);
        let minute = chrono::Timelike::hour(&tokyo) * 60 + chrono::Timelike::minute(&tokyo);
        assert!(
            (600..=690).contains(&minute),
            "{tokyo} is outside 10:00–12:00 Tokyo"
        );
    }
    t.stop().await;
}

#[tokio::test]
async fn plans_are_checked_and_belong_to_recruiters() {
    let t = spawn_app().await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let base = |name: &'static str, minutes: &'static str, attributes: &'static str| {
        vec![
            ("job_id", "product-designer"),
            ("stage", "interview"),
            ("name", name),
            ("duration_min", minutes),
            ("format", "video"),
            ("location", "meet.example.com/x"),
            ("attributes", attributes),
            ("questions", ""),
            ("guidance", ""),
        ]
    };
    let (status, body) = json(
        t.call::<AddPlanInterview>(&recruiter, &base("", "7", ""))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    for field in ["name", "duration_min", "attributes", "location"] {
        assert!(body.to_string().contains(field), "{field} named in {body}");
    }
    let mut ok = base("Craft deep dive", "50", "Craft\nStorytelling");
    ok[5] = ("location", "https://meet.example.com/x");
    let (status, body) = json(t.call::<AddPlanInterview>(&recruiter, &ok).await).await;
    assert_eq!(status, 200, "{body}");
    let (_, plan) = json(
        t.call::<GetPlan>(&recruiter, &[("job_id", "product-designer")])
            .await,
    )
    .await;
    let added = plan["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Craft deep dive")
        .expect("the new interview");
    assert_eq!(added["attributes"][1], "Storytelling");
    assert_eq!(added["stage_name"], "Interview");
    let interviewer = t.signed_in("interviewer@acme.test").await;
    let res = t.call::<AddPlanInterview>(&interviewer, &ok).await;
    assert_eq!(res.status().as_u16(), 403);
    t.stop().await;
}
