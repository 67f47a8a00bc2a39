//! Structured hiring over HTTP, as the browser calls it: a recruiter finds times for a panel
//! and books one; the same people cannot be booked twice; each interviewer sees the others'
//! scorecards only after submitting their own; the resume and the interview are the panel's
//! (and the job's overseers'), nobody else's.

use crate::common;

use app::interviews::api::*;
use common::*;
use serde_json::Value;
use surrealdb::types::RecordId;

async fn one(t: &TestApp, q: &str) -> String {
    let ids: Vec<RecordId> = t.state().db.query(q).await.unwrap().take(0).unwrap();
    app::server::db::key(ids.first().unwrap_or_else(|| panic!("nothing for {q}")))
}

/// The application's upcoming interviews in its candidate's portal: each one's "Move or cancel"
/// link, as the scheduling token it carries (None: no link).
async fn portal_links(t: &TestApp, app_id: &str) -> Vec<Option<String>> {
    let person = one(
        t,
        &format!("SELECT VALUE person FROM application:`{app_id}`"),
    )
    .await;
    app::interviews::repo::upcoming_for_person(
        &t.state().db,
        &RecordId::new("person", person),
        chrono::Utc::now(),
        |link| app::interviews::scheduling::token_for(t.state(), link, i64::MAX / 2),
    )
    .await
    .unwrap()
    .into_iter()
    .filter(|(a, _)| a == app_id)
    .map(|(_, iv)| iv.change_href)
    .collect()
}

/// The key of the staff member with this email.
async fn staff(t: &TestApp, email: &str) -> String {
    one(
        t,
        &format!("SELECT VALUE id FROM staff WHERE email = '{email}'"),
    )
    .await
}

/// An active application of the demo's Rust job with no interview yet.
async fn fresh_application(t: &TestApp) -> String {
    one(
        t,
        "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active'
            AND id NOT IN (SELECT VALUE application FROM interview) ORDER BY id LIMIT 1",
    )
    .await
}

/// The Rust job's technical interview (its plan).
async fn technical_plan(t: &TestApp) -> String {
    one(
        t,
        "SELECT VALUE id FROM plan_interview WHERE job = job:`rust-backend` AND name = 'Technical interview'",
    )
    .await
}

/// The Rust job's "Meet the team" (its plan), which follows the technical interview in loops.
async fn team_plan(t: &TestApp) -> String {
    one(
        t,
        "SELECT VALUE id FROM plan_interview WHERE job = job:`rust-backend` AND name = 'Meet the team'",
    )
    .await
}

/// A server function's answer: its status and its JSON (or its text).
async fn json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// A candidate books `at` through their link's `token`, reading times in `zone`: the status.
async fn book_slot(t: &TestApp, c: &reqwest::Client, token: &str, at: &str, zone: &str) -> u16 {
    t.call::<app::interviews::scheduling::BookInterviewSlot>(
        c,
        &[("token", token), ("starts_at", at), ("time_zone", zone)],
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test]
async fn a_panel_is_booked_once_and_scorecards_stay_hidden_until_yours_is_in() {
    let t = spawn_app().await;
    let app_id = fresh_application(&t).await;
    let plan = technical_plan(&t).await;
    let ivy = staff(&t, "interviewer@acme.test").await;
    let parker = staff(&t, "panel@acme.test").await;
    let admin = staff(&t, "admin@acme.test").await;
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
    let sam_id = staff(&t, "sourcer@acme.test").await;
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

/// The invitations in these messages, as Python's `icalendar` package reads them.
fn invitations(messages: &[String]) -> Vec<Value> {
    let dir = temp_dir("ics");
    let mut paths = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let p = dir.join(format!("{i}.eml"));
        std::fs::write(&p, m).unwrap();
        paths.push(p);
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/ics_read.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .args(&paths)
        .output()
        .expect("python3 with icalendar is needed (pip install icalendar)");
    assert!(
        out.status.success(),
        "an invitation did not parse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn invitations_are_real_icalendar_and_follow_moves_and_cancellation() {
    let t = spawn_app().await;
    let app_id = fresh_application(&t).await;
    let candidate: Vec<String> = t
        .state()
        .db
        .query(format!(
            "SELECT VALUE person.email FROM application:`{app_id}`"
        ))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let candidate = candidate[0].clone();
    let plan = technical_plan(&t).await;
    let parker = staff(&t, "panel@acme.test").await;
    let morgan = staff(&t, "manager@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let panel = [
        ("interviewers[]", parker.as_str()),
        ("interviewers[]", morgan.as_str()),
    ];
    let mut form = vec![
        ("application_id", app_id.as_str()),
        ("plan_id", plan.as_str()),
    ];
    form.extend(panel);
    let (status, slots) = json(t.call::<ProposeSlots>(&recruiter, &form).await).await;
    assert_eq!(status, 200, "{slots}");
    let first = slots[0]["starts_at"].as_str().unwrap().to_string();
    form.push(("starts_at", &first));
    let (status, iv) = json(t.call::<ScheduleInterview>(&recruiter, &form).await).await;
    assert_eq!(status, 200, "{iv}");
    let iv = iv.as_str().unwrap().to_string();
    let start = chrono::DateTime::parse_from_rfc3339(&first)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let utc = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();

    let to_parker = invitations(&t.smtp.wait_for("panel@acme.test", 1).await);
    let to_morgan = invitations(&t.smtp.wait_for("manager@acme.test", 1).await);
    let to_candidate = invitations(&t.smtp.wait_for(&candidate, 1).await);
    let uid = to_parker[0]["uid"].as_str().unwrap().to_string();
    assert!(uid.starts_with(&format!("interview-{iv}@")), "{uid}");
    let location: Vec<String> = t
        .state()
        .db
        .query(format!("SELECT VALUE location FROM interview:`{iv}`"))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let location = location[0].clone();
    assert!(!location.is_empty(), "the demo plan has a place or a link");
    for (inv, zone) in [
        (&to_parker[0], "America/New_York"),
        (&to_morgan[0], "Europe/Berlin"),
        (&to_candidate[0], "Europe/London"),
    ] {
        assert_eq!(inv["method"], "REQUEST", "{inv}");
        assert_eq!(inv["content_type_method"], "REQUEST");
        assert_eq!(inv["uid"], uid.as_str(), "one UID for every copy");
        assert_eq!(inv["sequence"], 0);
        assert_eq!(inv["tzid"], zone, "times in the recipient's zone: {inv}");
        assert_eq!(inv["dtstart"], utc(start).as_str(), "{inv}");
        assert_eq!(
            inv["dtend"],
            utc(start + chrono::Duration::minutes(60)).as_str()
        );
        let attendees: Vec<&str> = inv["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(attendees.contains(&"panel@acme.test"), "{inv}");
        assert!(attendees.contains(&"manager@acme.test"));
        assert!(attendees.contains(&candidate.as_str()));
        assert!(
            inv["organizer"]
                .as_str()
                .unwrap()
                .contains("careers@acme.test")
        );
        assert_eq!(inv["location"], location.as_str(), "{inv}");
    }

    // Moved: the same UID, SEQUENCE 1, the new time.
    let (status, choice) = json(
        t.call::<RescheduleSlots>(&recruiter, &[("interview_id", &iv)])
            .await,
    )
    .await;
    assert_eq!(status, 200, "{choice}");
    assert_eq!(choice["sequence"], 0);
    let later = choice["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap().to_string())
        .find(|s| *s != first)
        .expect("another time");
    let res = t
        .call::<RescheduleInterview>(
            &recruiter,
            &[
                ("interview_id", &iv),
                ("starts_at", &later),
                ("sequence", "0"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let moved = invitations(&t.smtp.wait_for("panel@acme.test", 2).await);
    let moved = moved
        .iter()
        .find(|i| i["sequence"] == 1)
        .expect("SEQUENCE 1");
    assert_eq!(moved["uid"], uid.as_str());
    assert_eq!(moved["method"], "REQUEST");
    let later_utc = chrono::DateTime::parse_from_rfc3339(&later)
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!(moved["dtstart"], utc(later_utc).as_str());
    // A second move from the same (now stale) copy is refused.
    let res = t
        .call::<RescheduleInterview>(
            &recruiter,
            &[
                ("interview_id", &iv),
                ("starts_at", &first),
                ("sequence", "0"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 409);

    // Cancelled: METHOD:CANCEL, SEQUENCE 2, to the candidate too.
    let res = t
        .call::<CancelInterview>(&recruiter, &[("interview_id", &iv)])
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let all = invitations(&t.smtp.wait_for(&candidate, 3).await);
    let cancel = all
        .iter()
        .find(|i| i["method"] == "CANCEL")
        .expect("a cancellation");
    assert_eq!(cancel["uid"], uid.as_str());
    assert_eq!(cancel["sequence"], 2);
    assert_eq!(cancel["status"], "CANCELLED");
    assert_eq!(cancel["content_type_method"], "CANCEL");
    t.stop().await;
}

#[tokio::test]
async fn candidates_book_their_own_panel_once_and_can_move_or_cancel() {
    use app::interviews::scheduling::*;
    let t = spawn_app().await;
    let plan = technical_plan(&t).await;
    let parker = staff(&t, "panel@acme.test").await;
    let morgan = staff(&t, "manager@acme.test").await;
    let apps: Vec<RecordId> = t
        .state()
        .db
        .query(
            "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active'
                AND id NOT IN (SELECT VALUE application FROM interview) ORDER BY id LIMIT 2",
        )
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let public = t.client();
    // The recruiter sends each candidate a link for the same panel.
    let mut tokens = Vec::new();
    for a in &apps {
        let app_id = app::server::db::key(a);
        let (status, email) = json(
            t.call::<SendSchedulingLink>(
                &recruiter,
                &[
                    ("application_id", app_id.as_str()),
                    ("plan_id", &plan),
                    ("interviewers[]", &parker),
                    ("interviewers[]", &morgan),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 200, "{email}");
        let email = email.as_str().unwrap().to_string();
        let mail = t.smtp.wait_for(&email, 1).await;
        let link = find_link(&body(&mail[0]), &t.url("/schedule/")).expect("a scheduling link");
        tokens.push((email, link.rsplit('/').next().unwrap().to_string()));
    }
    let page = |token: String, tz: &'static str| {
        let (t, c) = (&t, public.clone());
        async move {
            json(
                t.call::<SchedulingPage>(&c, &[("token", token.as_str()), ("time_zone", tz)])
                    .await,
            )
            .await
        }
    };
    let (status, p) = page(tokens[0].1.clone(), "America/Chicago").await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["time_zone"], "America/Chicago");
    let slots = p["state"]["Open"]["slots"]
        .as_array()
        .expect("open, with times")
        .clone();
    assert!(
        slots[0]["label"].as_str().unwrap().contains('C'),
        "Central time: {}",
        slots[0]
    );
    // A time more than a day ahead, so that it can still be moved and cancelled.
    let first = slots
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap().to_string())
        .find(|s| {
            chrono::DateTime::parse_from_rfc3339(s).unwrap()
                > chrono::Utc::now() + chrono::Duration::hours(26)
        })
        .expect("a time after tomorrow");

    // Both candidates take the same time at once: the panel is booked once.
    let book = |token: String, at: String| {
        let (t, c) = (&t, public.clone());
        async move { book_slot(t, &c, &token, &at, "America/Chicago").await }
    };
    let (a, b) = tokio::join!(
        book(tokens[0].1.clone(), first.clone()),
        book(tokens[1].1.clone(), first.clone())
    );
    let mut statuses = [a, b];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "one booking wins");
    let (winner, loser) = if a == 200 {
        (&tokens[0], &tokens[1])
    } else {
        (&tokens[1], &tokens[0])
    };
    // A used link books nothing more.
    assert_eq!(
        book(
            winner.1.clone(),
            slots[3]["starts_at"].as_str().unwrap().into()
        )
        .await,
        409
    );
    // The other candidate sees that time gone and books another.
    let (_, p) = page(loser.1.clone(), "America/Chicago").await;
    let free: Vec<String> = p["state"]["Open"]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !free.contains(&first),
        "the booked time is not offered again"
    );
    assert_eq!(book(loser.1.clone(), free[0].clone()).await, 200);

    // The winner's invitation is in their own zone.
    let inv = invitations(&t.smtp.wait_for(&winner.0, 2).await);
    let request = inv
        .iter()
        .find(|i| i["method"] == "REQUEST")
        .expect("an invitation");
    assert_eq!(request["tzid"], "America/Chicago");

    // They move it, then cancel it, with the same link.
    let (_, p) = page(winner.1.clone(), "America/Chicago").await;
    let booked = &p["state"]["Booked"];
    assert_eq!(booked["can_change"], true, "{p}");
    let other = booked["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap().to_string())
        .find(|s| {
            *s != first
                && chrono::DateTime::parse_from_rfc3339(s).unwrap()
                    > chrono::Utc::now() + chrono::Duration::hours(26)
        })
        .unwrap();
    let res = t
        .call::<MoveBookedInterview>(
            &public,
            &[
                ("token", winner.1.as_str()),
                ("starts_at", other.as_str()),
                ("sequence", "0"),
                ("time_zone", "America/Chicago"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let inv = invitations(&t.smtp.wait_for(&winner.0, 3).await);
    assert!(
        inv.iter()
            .any(|i| i["sequence"] == 1 && i["method"] == "REQUEST")
    );
    let res = t
        .call::<CancelBookedInterview>(&public, &[("token", winner.1.as_str())])
        .await;
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let (_, p) = page(winner.1.clone(), "America/Chicago").await;
    assert_eq!(p["state"], "Cancelled");
    let inv = invitations(&t.smtp.wait_for(&winner.0, 4).await);
    assert!(
        inv.iter()
            .any(|i| i["method"] == "CANCEL" && i["sequence"] == 2)
    );
    // The recruiter who sent the link hears of it.
    let told = t.smtp.wait_for("recruiter@acme.test", 1).await;
    assert!(
        told.iter()
            .any(|m| header(m, "Subject").is_some_and(|s| s.contains("cancelled")))
    );
    t.stop().await;
}

#[tokio::test]
async fn a_candidate_can_move_an_interview_the_recruiter_booked_from_the_portal() {
    use app::interviews::scheduling::*;
    let t = spawn_app().await;
    let candidate = t
        .candidate_in_portal("rust-backend", "Bo Booked", "bo.booked@example.org")
        .await;
    let app_id = one(
        &t,
        "SELECT VALUE id FROM application WHERE person.email = 'bo.booked@example.org'",
    )
    .await;
    let plan = technical_plan(&t).await;
    let parker = staff(&t, "panel@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let mut form = vec![
        ("application_id", app_id.as_str()),
        ("plan_id", plan.as_str()),
        ("interviewers[]", parker.as_str()),
    ];
    let (status, slots) = json(t.call::<ProposeSlots>(&recruiter, &form).await).await;
    assert_eq!(status, 200, "{slots}");
    let later = |s: &Value| {
        chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap()).unwrap()
            > chrono::Utc::now() + chrono::Duration::hours(26)
    };
    let start = slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| later(s))
        .expect("a time after tomorrow")["starts_at"]
        .as_str()
        .unwrap()
        .to_string();
    form.push(("starts_at", &start));
    let (status, iv) = json(t.call::<ScheduleInterview>(&recruiter, &form).await).await;
    assert_eq!(status, 200, "{iv}");

    // The portal offers "Move or cancel" for it, as for a time the candidate chose.
    let portal = t
        .call::<app::portal::api::MyPortal>(&candidate, &[])
        .await
        .text()
        .await
        .unwrap();
    let href = portal
        .split("\"change_href\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("a change link in the portal: {portal}"))
        .to_string();
    let token = href.strip_prefix("/schedule/").expect("a scheduling page");
    let (status, p) = json(
        t.call::<SchedulingPage>(
            &t.client(),
            &[("token", token), ("time_zone", "Europe/Lisbon")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{p}");
    let booked = &p["state"]["Booked"];
    assert_eq!(booked["can_change"], true, "{p}");
    let other = booked["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| later(s) && s["starts_at"] != start.as_str())
        .expect("another time")["starts_at"]
        .as_str()
        .unwrap()
        .to_string();
    let res = t
        .call::<MoveBookedInterview>(
            &t.client(),
            &[
                ("token", token),
                ("starts_at", other.as_str()),
                ("sequence", "0"),
                ("time_zone", "Europe/Lisbon"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let moved: Vec<chrono::DateTime<chrono::Utc>> = t
        .state()
        .db
        .query(format!(
            "SELECT VALUE starts_at FROM interview:`{}`",
            iv.as_str().unwrap()
        ))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(
        moved[0],
        chrono::DateTime::parse_from_rfc3339(&other).unwrap()
    );
    t.stop().await;
}

#[tokio::test]
async fn the_scheduling_window_notice_and_cutoff_are_settings() {
    use app::interviews::scheduling::*;
    let smtp = Smtp::start();
    let mut config = test_config(&smtp);
    config.scheduling.window_days = 9;
    config.scheduling.notice_hours = 30;
    config.scheduling.change_cutoff_hours = 6;
    let t = spawn_with(config, smtp).await;
    let app_id = fresh_application(&t).await;
    let plan = technical_plan(&t).await;
    let parker = staff(&t, "panel@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let form = [
        ("application_id", app_id.as_str()),
        ("plan_id", plan.as_str()),
        ("interviewers[]", parker.as_str()),
    ];
    let now = chrono::Utc::now();
    let (status, slots) = json(t.call::<ProposeSlots>(&recruiter, &form).await).await;
    assert_eq!(status, 200, "{slots}");
    let starts: Vec<chrono::DateTime<chrono::Utc>> = slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap())
                .unwrap()
                .to_utc()
        })
        .collect();
    assert!(!starts.is_empty(), "some times within nine days");
    for s in &starts {
        assert!(*s >= now + chrono::Duration::hours(30), "notice: {s}");
        assert!(
            *s <= now + chrono::Duration::days(9) + chrono::Duration::minutes(1),
            "window: {s}"
        );
    }
    // The link the candidate gets says so, and the page tells the cut-off.
    let (status, email) = json(t.call::<SendSchedulingLink>(&recruiter, &form).await).await;
    assert_eq!(status, 200, "{email}");
    let mail = t.smtp.wait_for(email.as_str().unwrap(), 1).await;
    let text = body(&mail[0]);
    assert!(text.contains("The link works for 9 days"), "{text}");
    assert!(text.contains("up to 6 hours"), "{text}");
    let link = find_link(&text, &t.url("/schedule/")).unwrap();
    let token = link.rsplit('/').next().unwrap();
    let (status, p) = json(
        t.call::<SchedulingPage>(&t.client(), &[("token", token), ("time_zone", "UTC")])
            .await,
    )
    .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["change_cutoff_hours"], 6);
    t.stop().await;
}

#[tokio::test]
async fn overdue_scorecards_are_reminded_once_by_mail_and_slack_even_when_two_processes_race() {
    use app::interviews::repo;
    let smtp = Smtp::start();
    let (hook, slack) = slack_receiver().await;
    let mut config = test_config(&smtp);
    config.slack_webhook_url = Some(hook);
    config.scorecard_due_hours = 1;
    let t = spawn_with(config, smtp).await;
    let st = t.state();
    let app_id = fresh_application(&t).await;
    let ctx = repo::application(&st.db, &RecordId::new("application", app_id.as_str()))
        .await
        .unwrap()
        .unwrap();
    let plan = repo::plan_of(&st.db, &ctx.job).await.unwrap();
    let technical = plan
        .iter()
        .find(|p| p.name == "Technical interview")
        .unwrap();
    let panel: Vec<RecordId> = st
        .db
        .query("SELECT VALUE id FROM staff WHERE email IN ['panel@acme.test', 'sourcer@acme.test', 'admin@acme.test'] ORDER BY email")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let rows = repo::staff_rows(&st.db, &panel).await.unwrap();
    // An interview that ended two hours ago (recorded as it happened), three on the panel.
    let start = chrono::Utc::now() - chrono::Duration::hours(3);
    let start = start
        - chrono::Duration::minutes(chrono::Timelike::minute(&start) as i64 % 5)
        - chrono::Duration::seconds(chrono::Timelike::second(&start) as i64)
        - chrono::Duration::nanoseconds(chrono::Timelike::nanosecond(&start) as i64);
    let iv = repo::schedule(
        &st.db,
        &ctx,
        technical,
        &rows,
        None,
        start,
        &app::server::activity::Actor::system(),
        None,
        chrono_tz::Europe::London,
        None,
        None,
    )
    .await
    .unwrap();
    let row = repo::interview_row(&st.db, &RecordId::new("interview", iv.as_str()))
        .await
        .unwrap()
        .unwrap();
    // Alex submitted; Parker and Sam did not.
    let alex = rows.iter().find(|r| r.email == "admin@acme.test").unwrap();
    repo::save_card(
        &st.db,
        &row,
        &alex.id,
        vec![3; row.attributes.len()],
        "Solid.".into(),
        3,
        true,
        &app::server::activity::Actor::system(),
    )
    .await
    .unwrap();
    // Two processes (and this one's own worker) look for overdue scorecards at once.
    let other = app::startup::another_node(st).unwrap();
    let now = chrono::Utc::now();
    let (a, b) = tokio::join!(
        app::interviews::reminders::send_due(st, now),
        app::interviews::reminders::send_due(&other, now)
    );
    a.unwrap();
    b.unwrap();
    app::interviews::reminders::send_due(st, now).await.unwrap();
    for who in ["panel@acme.test", "sourcer@acme.test"] {
        let mails = t.smtp.wait_for(who, 1).await;
        let due: Vec<&String> = mails
            .iter()
            .filter(|m| header(m, "Subject").is_some_and(|s| s.starts_with("Scorecard due:")))
            .collect();
        assert_eq!(due.len(), 1, "one reminder to {who}");
        assert!(body(due[0]).contains(&format!("/app/interviews/{iv}")));
    }
    // Every reminder was written when `send_due` returned: exactly one mail and one Slack task
    // per overdue scorecard exist, whoever wrote them.
    let counts: Vec<i64> = st
        .db
        .query(
            "RETURN [
                count(SELECT id FROM mail WHERE kind = 'scorecard_reminder'),
                count(SELECT id FROM task WHERE kind = 'slack'
                    AND string::starts_with(payload.text, 'Scorecard due:'))
            ]",
        )
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(counts, [2, 2]);
    let msgs = wait_slack(&slack, 2).await;
    let reminders = slack
        .lock()
        .unwrap()
        .iter()
        .filter(|m| {
            m["text"]
                .as_str()
                .is_some_and(|s| s.starts_with("Scorecard due:"))
        })
        .count();
    assert_eq!(reminders, 2, "{msgs:?}");
    let to_alex = t.smtp.messages().into_iter().filter(|m| {
        header(m, "To").is_some_and(|to| to.contains("admin@acme.test"))
            && header(m, "Subject").is_some_and(|s| s.starts_with("Scorecard due:"))
    });
    assert_eq!(to_alex.count(), 0, "a submitted scorecard is not chased");
    t.stop().await;
}

#[tokio::test]
async fn the_hiring_manager_decides_with_a_reason_and_the_candidate_moves() {
    let t = spawn_app().await;
    // Two active applications of the Rust job, whose hiring manager is Morgan.
    let apps: Vec<RecordId> = t
        .state()
        .db
        .query(
            "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active'
                AND stage = 'interview' ORDER BY id LIMIT 2",
        )
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let (advance, reject) = (
        app::server::db::key(&apps[0]),
        app::server::db::key(&apps[1]),
    );
    let morgan = t.signed_in("manager@acme.test").await;
    let interviewer = t.signed_in("interviewer@acme.test").await;
    let decide = |c: reqwest::Client, app: String, d: &'static str, reason: &'static str| {
        let t = &t;
        async move {
            json(
                t.call::<DecideApplication>(
                    &c,
                    &[
                        ("application_id", app.as_str()),
                        ("decision", d),
                        ("reason", reason),
                    ],
                )
                .await,
            )
            .await
        }
    };
    // A reason is required; an interviewer cannot decide.
    let (status, body) = decide(morgan.clone(), advance.clone(), "advance", " ").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("reason"));
    let (status, _) = decide(interviewer.clone(), advance.clone(), "advance", "Great").await;
    assert_eq!(status, 403);

    let (status, body) = decide(
        morgan.clone(),
        advance.clone(),
        "advance",
        "Strong on ownership; both panelists yes.",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = decide(
        morgan.clone(),
        reject.clone(),
        "reject",
        "Not enough systems depth for this role.",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let rows: Vec<Value> = json_rows(
        t.state()
            .db
            .query("SELECT stage, status FROM $apps ORDER BY id")
            .bind(("apps", apps.clone()))
            .await
            .unwrap(),
    );
    assert_eq!(rows[0]["stage"], "offer", "advanced: {rows:?}");
    assert_eq!(rows[0]["status"], "active");
    assert_eq!(rows[1]["status"], "rejected");
    // The decision and its reason are on the application's page.
    let (status, page) = json(
        t.call::<ApplicationInterviews>(&morgan, &[("application_id", advance.as_str())])
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page["decisions"][0]["decision"], "advance");
    assert_eq!(page["decisions"][0]["by"], "Morgan Manager");
    assert_eq!(page["decisions"][0]["stage_name"], "Interview");
    assert!(
        page["decisions"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("ownership")
    );
    // A closed application takes no more decisions.
    let (status, _) = decide(morgan, reject, "advance", "Changed my mind.").await;
    assert_eq!(status, 409);
    t.stop().await;
}

#[tokio::test]
async fn a_pasted_calendar_feed_keeps_its_busy_times_free_of_interviews() {
    let smtp = Smtp::start();
    let mut config = test_config(&smtp);
    config.busy_feed_minutes = 0; // every pass reads every feed again
    let t = spawn_with(config, smtp).await;
    // The panelist's own calendar, served over HTTP on loopback.
    let served: std::sync::Arc<std::sync::Mutex<String>> = Default::default();
    let body = served.clone();
    let cal = axum::Router::new().route(
        "/cal.ics",
        axum::routing::get(move || {
            let body = body.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "text/calendar")],
                    body.lock().unwrap().clone(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let feed = format!("http://{}/cal.ics", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, cal).await.unwrap() });

    let app_id = one(
        &t,
        "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active' ORDER BY id LIMIT 1",
    )
    .await;
    let plan = technical_plan(&t).await;
    let parker = staff(&t, "panel@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let starts = || {
        let (t, recruiter, app_id, plan, parker) = (&t, &recruiter, &app_id, &plan, &parker);
        async move {
            let (status, slots) = json(
                t.call::<ProposeSlots>(
                    recruiter,
                    &[
                        ("application_id", app_id.as_str()),
                        ("plan_id", plan),
                        ("interviewers[]", parker),
                    ],
                )
                .await,
            )
            .await;
            assert_eq!(status, 200, "{slots}");
            slots
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["starts_at"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let before = starts().await;
    let first = chrono::DateTime::parse_from_rfc3339(&before[0])
        .unwrap()
        .with_timezone(&chrono::Utc);
    let ics = |at: chrono::DateTime<chrono::Utc>| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:dentist\r\n\
             DTSTAMP:20260101T000000Z\r\nSUMMARY:Dentist\r\nDTSTART:{}\r\nDTEND:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            at.format("%Y%m%dT%H%M%SZ"),
            (at + chrono::Duration::hours(1)).format("%Y%m%dT%H%M%SZ"),
        )
    };
    *served.lock().unwrap() = ics(first);

    // Parker pastes the address with his working hours; it is read at once.
    let parker_c = t.signed_in("panel@acme.test").await;
    let save = |url: String| {
        let (t, c) = (&t, parker_c.clone());
        async move {
            json(
                t.call::<SaveWorkingHours>(
                    &c,
                    &[
                        ("time_zone", "America/New_York"),
                        ("start", "09:00"),
                        ("end", "17:30"),
                        ("busy_feed_url", url.as_str()),
                    ],
                )
                .await,
            )
            .await
        }
    };
    let (status, body) = save("ftp://example.com/cal.ics".into()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("busy_feed_url"));
    let (status, body) = save(format!("{feed}-missing")).await;
    assert_eq!(
        status, 422,
        "an address that does not answer with a calendar: {body}"
    );
    let (status, body) = save(feed.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (_, hours) = json(t.call::<MyWorkingHours>(&parker_c, &[]).await).await;
    assert_eq!(hours["busy_feed_url"], feed.as_str());
    assert!(
        hours["busy_feed_status"]
            .as_str()
            .unwrap()
            .contains("1 busy times"),
        "{hours}"
    );
    let after = starts().await;
    assert!(
        !after.contains(&before[0]),
        "the dentist's hour is not offered"
    );

    // The dentist moves a day; the runtime's next read follows.
    *served.lock().unwrap() = ics(first + chrono::Duration::days(1));
    app::interviews::feeds::refresh_due(t.state())
        .await
        .unwrap();
    let moved = starts().await;
    assert!(moved.contains(&before[0]), "the hour is free again");
    assert!(
        !moved.contains(&(first + chrono::Duration::days(1)).to_rfc3339()),
        "and the new one is busy"
    );
    // Removing the address removes its busy time.
    let (status, _) = save(String::new()).await;
    assert_eq!(status, 200);
    let (_, hours) = json(t.call::<MyWorkingHours>(&parker_c, &[]).await).await;
    assert_eq!(hours["busy_feed_url"], "");
    t.stop().await;
}

#[tokio::test]
async fn two_interviews_are_booked_back_to_back_each_with_its_panel_or_not_at_all() {
    use chrono::Timelike;
    let t = spawn_app().await;
    let app_id = fresh_application(&t).await;
    let technical = technical_plan(&t).await;
    let team = team_plan(&t).await;
    let ivy = staff(&t, "interviewer@acme.test").await;
    let parker = staff(&t, "panel@acme.test").await;
    let admin = staff(&t, "admin@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let loop_form = |app: &str, first: &str, then: &str, at: Option<&str>| {
        let mut form = vec![
            ("application_id".to_string(), app.to_string()),
            ("plan_id".into(), technical.clone()),
            ("interviewers[]".into(), first.to_string()),
            ("then_plan_id[]".into(), team.clone()),
        ];
        if !then.is_empty() {
            form.push(("then_interviewers[]".into(), then.to_string()));
        }
        if let Some(at) = at {
            form.push(("starts_at".into(), at.to_string()));
        }
        form
    };
    let call = |form: Vec<(String, String)>, schedule: bool| {
        let (t, recruiter) = (&t, &recruiter);
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let res = if schedule {
                t.call::<ScheduleInterview>(recruiter, &form).await
            } else {
                t.call::<ProposeSlots>(recruiter, &form).await
            };
            json(res).await
        }
    };

    // An hour with Ivy (London) then 45 minutes with Parker (New York, 09:00 there is 14:00
    // UTC): the loop can start no earlier than 13:00 UTC, when Ivy alone could start at 09:00.
    let (status, slots) = call(loop_form(&app_id, &ivy, &parker, None), false).await;
    assert_eq!(status, 200, "{slots}");
    let starts: Vec<chrono::DateTime<chrono::Utc>> = slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap())
                .unwrap()
                .with_timezone(&chrono::Utc)
        })
        .collect();
    assert!(
        !starts.is_empty(),
        "the two overlap every weekday afternoon"
    );
    assert!(
        starts.iter().all(|s| s.hour() >= 13),
        "Parker's part starts at 09:00 New York or later: {starts:?}"
    );
    assert!(
        slots[0]["label"].as_str().unwrap().contains(
            &(starts[0] + chrono::Duration::minutes(105))
                .format("%H:%M")
                .to_string()
        ),
        "the label spans both interviews: {}",
        slots[0]
    );
    // The second interview needs a panel of its own, and the field says so.
    let (status, body) = call(loop_form(&app_id, &ivy, "", None), false).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("then_interviewers"), "{body}");

    // Booked: two interviews, one after the other, each with its own panel and invitations.
    let at = slots[0]["starts_at"].as_str().unwrap().to_string();
    let (status, body) = call(loop_form(&app_id, &ivy, &parker, Some(&at)), true).await;
    assert_eq!(status, 200, "{body}");
    let rows: Vec<Value> = json_rows(
        t.state()
            .db
            .query(format!(
                "SELECT name, starts_at, ends_at, interviewers.email AS panel,
                count(SELECT id FROM scorecard WHERE interview = $parent.id) AS cards
             FROM interview WHERE application = application:`{app_id}` ORDER BY starts_at"
            ))
            .await
            .unwrap(),
    );
    let at_of = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("a time: {v}")))
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["name"], "Technical interview");
    assert_eq!(at_of(&rows[0]["starts_at"]), starts[0]);
    assert_eq!(
        rows[0]["panel"],
        serde_json::json!(["interviewer@acme.test"])
    );
    assert_eq!(rows[1]["name"], "Meet the team");
    assert_eq!(
        at_of(&rows[1]["starts_at"]),
        at_of(&rows[0]["ends_at"]),
        "straight after"
    );
    assert_eq!(
        at_of(&rows[1]["ends_at"]) - at_of(&rows[1]["starts_at"]),
        chrono::Duration::minutes(45)
    );
    assert_eq!(rows[1]["panel"], serde_json::json!(["panel@acme.test"]));
    assert!(
        rows.iter().all(|r| r["cards"] == 1),
        "a scorecard per panelist: {rows:?}"
    );
    let candidate: Vec<String> = t
        .state()
        .db
        .query(format!(
            "SELECT VALUE person.email FROM application:`{app_id}`"
        ))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let to_candidate = invitations(&t.smtp.wait_for(&candidate[0], 2).await);
    let mut names: Vec<&str> = to_candidate
        .iter()
        .filter_map(|i| i["summary"].as_str())
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        2,
        "one invitation per interview: {to_candidate:?}"
    );
    assert_ne!(to_candidate[0]["uid"], to_candidate[1]["uid"]);
    assert_eq!(
        invitations(&t.smtp.wait_for("panel@acme.test", 1).await).len(),
        1
    );

    // All or nothing: another candidate's loop at the same time, with the admin first (free)
    // and Parker second (now taken), books neither interview.
    let other = fresh_application(&t).await;
    assert_ne!(other, app_id);
    let (status, body) = call(loop_form(&other, &admin, &parker, Some(&at)), true).await;
    assert_eq!(status, 409, "{body}");
    let mut res = t
        .state()
        .db
        .query(format!(
            "SELECT VALUE id FROM interview WHERE application = application:`{other}`;
             SELECT VALUE id FROM busy_span WHERE staff = staff:`{admin}` AND starts_at = <datetime> '{at}'"
        ))
        .await
        .unwrap();
    let interviews: Vec<RecordId> = res.take(0).unwrap();
    let busy: Vec<RecordId> = res.take(1).unwrap();
    assert!(
        interviews.is_empty() && busy.is_empty(),
        "nothing of the refused loop was kept: {interviews:?} {busy:?}"
    );
}

#[tokio::test]
async fn a_room_is_booked_like_a_person_and_admins_keep_the_list() {
    use app::interviews::rooms::{AddRoom, ListRooms, SetRoomActive};
    let t = spawn_app().await;
    let admin_c = t.signed_in("admin@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;

    // The demo's rooms; admins add one, names are unique, recruiters cannot add any.
    let (status, rooms) = json(t.call::<ListRooms>(&admin_c, &[]).await).await;
    assert_eq!(status, 200, "{rooms}");
    let names: Vec<&str> = rooms
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Spree", "Thames"]);
    let thames = rooms[1]["id"].as_str().unwrap().to_string();
    let (status, body) = json(
        t.call::<AddRoom>(
            &admin_c,
            &[
                ("name", "Danube"),
                ("location", "Vienna office"),
                ("capacity", "2"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for bad in ["0", "many", "501"] {
        let (status, body) = json(
            t.call::<AddRoom>(
                &admin_c,
                &[("name", "Rhine"), ("location", ""), ("capacity", bad)],
            )
            .await,
        )
        .await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body.to_string().contains("capacity"), "{body}");
    }
    let (_, rooms) = json(t.call::<ListRooms>(&admin_c, &[]).await).await;
    let seats = |name: &str| {
        rooms
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| r["capacity"].clone())
            .unwrap()
    };
    assert_eq!(
        (seats("Danube"), seats("Thames")),
        (Value::from(2), Value::from(8))
    );
    let danube = rooms
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Danube")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = json(
        t.call::<AddRoom>(&admin_c, &[("name", "Thames"), ("location", "")])
            .await,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("name"), "{body}");
    let (status, _) = json(t.call::<ListRooms>(&recruiter, &[]).await).await;
    assert_eq!(status, 403);
    let (status, _) = json(
        t.call::<AddRoom>(&recruiter, &[("name", "Nile"), ("location", "")])
            .await,
    )
    .await;
    assert_eq!(status, 403);

    // A technical interview with Ivy in the Thames room.
    let plan = technical_plan(&t).await;
    let ivy = staff(&t, "interviewer@acme.test").await;
    let admin = staff(&t, "admin@acme.test").await;
    let first_app = fresh_application(&t).await;
    let form = |app: &str, who: &str, room: &str, at: Option<&str>| {
        let mut f = vec![
            ("application_id".to_string(), app.to_string()),
            ("plan_id".into(), plan.clone()),
            ("interviewers[]".into(), who.to_string()),
        ];
        if !room.is_empty() {
            f.push(("room_id".into(), room.to_string()));
        }
        if let Some(at) = at {
            f.push(("starts_at".into(), at.to_string()));
        }
        f
    };
    let call = |f: Vec<(String, String)>, schedule: bool| {
        let (t, recruiter) = (&t, &recruiter);
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            json(if schedule {
                t.call::<ScheduleInterview>(recruiter, &f).await
            } else {
                t.call::<ProposeSlots>(recruiter, &f).await
            })
            .await
        }
    };
    let starts = |slots: &Value| -> Vec<String> {
        slots
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["starts_at"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, slots) = call(form(&first_app, &ivy, &thames, None), false).await;
    assert_eq!(status, 200, "{slots}");
    let at = starts(&slots)[0].clone();
    let (status, iv) = call(form(&first_app, &ivy, &thames, Some(&at)), true).await;
    assert_eq!(status, 200, "{iv}");
    let iv = iv.as_str().unwrap().to_string();
    let place: Vec<String> = t
        .state()
        .db
        .query(format!(
            "SELECT VALUE location FROM interview:`{iv}` WHERE room = room:`{thames}`"
        ))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(place, ["Thames · London office, 4th floor"]);
    let to_ivy = invitations(&t.smtp.wait_for("interviewer@acme.test", 1).await);
    assert_eq!(to_ivy[0]["location"], "Thames · London office, 4th floor");

    // Another candidate, another interviewer, the same room: that time is no longer offered
    // with the room (it still is without), and booking it anyway is refused.
    let second_app = fresh_application(&t).await;
    let (_, without) = call(form(&second_app, &admin, "", None), false).await;
    assert!(starts(&without).contains(&at), "the admin is free then");
    let (status, with) = call(form(&second_app, &admin, &thames, None), false).await;
    assert_eq!(status, 200, "{with}");
    assert!(!starts(&with).contains(&at), "the room is taken then");
    let (status, body) = call(form(&second_app, &admin, &thames, Some(&at)), true).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("the room"), "{body}");
    // A room that is not on the list is refused, naming the field.
    let (status, body) = call(form(&second_app, &admin, "nosuchroom", None), false).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("room_id"), "{body}");

    // Danube seats two: one interviewer and the candidate fit, two interviewers do not.
    let (status, body) = call(form(&second_app, &admin, &danube, None), false).await;
    assert_eq!(status, 200, "{body}");
    let mut two = form(&second_app, &admin, &danube, None);
    two.push(("interviewers[]".into(), ivy.clone()));
    let (status, body) = call(two, false).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("Danube seats 2"), "{body}");
    assert!(body.to_string().contains("room_id"), "{body}");

    // Out of use: no longer offered, while the booked interview keeps it.
    let (status, _) = json(
        t.call::<SetRoomActive>(&admin_c, &[("room_id", &thames), ("active", "false")])
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = call(form(&second_app, &admin, &thames, None), false).await;
    assert_eq!(status, 422, "{body}");
    let kept: Vec<RecordId> = t
        .state()
        .db
        .query(format!("SELECT VALUE room FROM interview:`{iv}`"))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(kept.len(), 1);
}

#[tokio::test]
async fn a_candidate_books_an_on_site_interview_when_the_panel_and_the_room_are_free() {
    use app::interviews::rooms::SetRoomActive;
    use app::interviews::scheduling::*;
    let t = spawn_app().await;
    let admin_c = t.signed_in("admin@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let public = t.client();
    let plan = technical_plan(&t).await;
    let ivy = staff(&t, "interviewer@acme.test").await;
    let admin = staff(&t, "admin@acme.test").await;
    let spree = one(&t, "SELECT VALUE id FROM room WHERE name = 'Spree'").await;
    let form = |app: &str, who: &[&str], room: &str, at: Option<&str>| {
        let mut f = vec![
            ("application_id".to_string(), app.to_string()),
            ("plan_id".into(), plan.clone()),
        ];
        f.extend(
            who.iter()
                .map(|w| ("interviewers[]".to_string(), w.to_string())),
        );
        if !room.is_empty() {
            f.push(("room_id".into(), room.to_string()));
        }
        if let Some(at) = at {
            f.push(("starts_at".into(), at.to_string()));
        }
        f
    };
    let starts = |slots: &Value| -> Vec<String> {
        slots
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["starts_at"].as_str().unwrap().to_string())
            .collect()
    };
    fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
        f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    // Another candidate's interview with the admin holds Spree at one time.
    let first_app = fresh_application(&t).await;
    let f = form(&first_app, &[&admin], &spree, None);
    let (status, slots) = json(t.call::<ProposeSlots>(&recruiter, &pairs(&f)).await).await;
    assert_eq!(status, 200, "{slots}");
    let taken = starts(&slots)
        .into_iter()
        .find(|s| {
            chrono::DateTime::parse_from_rfc3339(s).unwrap()
                > chrono::Utc::now() + chrono::Duration::hours(26)
        })
        .expect("a time after tomorrow");
    let f = form(&first_app, &[&admin], &spree, Some(&taken));
    let (status, iv) = json(t.call::<ScheduleInterview>(&recruiter, &pairs(&f)).await).await;
    assert_eq!(status, 200, "{iv}");

    // Spree seats four: a panel of four and the candidate do not fit.
    let second_app = fresh_application(&t).await;
    let parker = staff(&t, "panel@acme.test").await;
    let morgan = staff(&t, "manager@acme.test").await;
    let f = form(&second_app, &[&ivy, &admin, &parker, &morgan], &spree, None);
    let (status, refused) = json(t.call::<SendSchedulingLink>(&recruiter, &pairs(&f)).await).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.to_string().contains("Spree seats 4"), "{refused}");

    // The link for Ivy in Spree: it says where, and offers only times the room is free too.
    let f = form(&second_app, &[&ivy], &spree, None);
    let (status, email) = json(t.call::<SendSchedulingLink>(&recruiter, &pairs(&f)).await).await;
    assert_eq!(status, 200, "{email}");
    let email = email.as_str().unwrap().to_string();
    let mail = t.smtp.wait_for(&email, 1).await;
    assert!(
        body(&mail[0]).contains("at Spree · Berlin office, 2nd floor"),
        "{}",
        body(&mail[0])
    );
    let link = find_link(&body(&mail[0]), &t.url("/schedule/")).expect("a scheduling link");
    let token = link.rsplit('/').next().unwrap().to_string();
    let page = |token: String| {
        let (t, c) = (&t, public.clone());
        async move {
            json(
                t.call::<SchedulingPage>(
                    &c,
                    &[("token", token.as_str()), ("time_zone", "Europe/Berlin")],
                )
                .await,
            )
            .await
        }
    };
    let (status, p) = page(token.clone()).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["place"], "Spree · Berlin office, 2nd floor");
    let offered = starts(&p["state"]["Open"]["slots"]);
    let f = form(&second_app, &[&ivy], "", None);
    let (_, without_room) = json(t.call::<ProposeSlots>(&recruiter, &pairs(&f)).await).await;
    assert!(starts(&without_room).contains(&taken), "Ivy is free then");
    assert!(!offered.contains(&taken), "the room is not");
    let book = |token: String, at: String| {
        let (t, c) = (&t, public.clone());
        async move { book_slot(t, &c, &token, &at, "Europe/Berlin").await }
    };
    // Sent by hand anyway, the room's busy time is refused.
    assert_eq!(book(token.clone(), taken.clone()).await, 409);
    let at = offered
        .iter()
        .find(|s| {
            chrono::DateTime::parse_from_rfc3339(s).unwrap()
                > chrono::Utc::now() + chrono::Duration::hours(26)
        })
        .unwrap()
        .clone();
    assert_eq!(book(token.clone(), at.clone()).await, 200);
    let booked: Vec<String> = t
        .state()
        .db
        .query(format!(
            "SELECT VALUE location FROM interview WHERE application = application:`{second_app}`
                AND room = room:`{spree}`"
        ))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(booked, ["Spree · Berlin office, 2nd floor"]);
    let (_, p) = page(token.clone()).await;
    assert_eq!(
        p["state"]["Booked"]["location"],
        "Spree · Berlin office, 2nd floor"
    );
    // The room is now held at that time for everyone: the admin is free then, the room not.
    let third_app = fresh_application(&t).await;
    let f = form(&third_app, &[&admin], "", None);
    let (_, slots) = json(t.call::<ProposeSlots>(&recruiter, &pairs(&f)).await).await;
    assert!(starts(&slots).contains(&at), "the admin is free then");
    let f = form(&third_app, &[&admin], &spree, None);
    let (_, slots) = json(t.call::<ProposeSlots>(&recruiter, &pairs(&f)).await).await;
    assert!(!starts(&slots).contains(&at));

    // A link whose room is taken out of use before the candidate chooses books nothing.
    let f = form(&third_app, &[&ivy], &spree, None);
    let (status, email) = json(t.call::<SendSchedulingLink>(&recruiter, &pairs(&f)).await).await;
    assert_eq!(status, 200, "{email}");
    let mail = t.smtp.wait_for(email.as_str().unwrap(), 1).await;
    let link = find_link(&body(&mail[0]), &t.url("/schedule/")).unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();
    let (status, _) = json(
        t.call::<SetRoomActive>(&admin_c, &[("room_id", &spree), ("active", "false")])
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let (_, p) = page(token.clone()).await;
    assert!(
        p["state"]["Closed"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("room")),
        "{p}"
    );
    // A time that was free for Ivy and the room is refused now.
    let free = offered
        .iter()
        .find(|s| {
            **s != at
                && chrono::DateTime::parse_from_rfc3339(s).unwrap()
                    > chrono::Utc::now() + chrono::Duration::hours(26)
        })
        .unwrap()
        .clone();
    assert_eq!(book(token, free).await, 409);
    t.stop().await;
}

#[tokio::test]
async fn a_candidate_books_a_loop_of_two_panels_then_moves_and_cancels_it_as_one() {
    use app::interviews::scheduling::*;
    use chrono::{DateTime, Duration, Utc};
    let t = spawn_app().await;
    let app_id = fresh_application(&t).await;
    let other_app = one(
        &t,
        &format!(
            "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active'
                AND id != application:`{app_id}`
                AND id NOT IN (SELECT VALUE application FROM interview) ORDER BY id LIMIT 1"
        ),
    )
    .await;
    let technical = technical_plan(&t).await;
    let team = team_plan(&t).await;
    let ivy = staff(&t, "interviewer@acme.test").await;
    let parker = staff(&t, "panel@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let public = t.client();
    let starts = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap_or_else(|| panic!("times: {v}"))
            .iter()
            .map(|s| s["starts_at"].as_str().unwrap().to_string())
            .collect()
    };
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let later = |s: &&String| at(s) > Utc::now() + Duration::hours(26);
    let loop_form = [
        ("application_id", app_id.as_str()),
        ("plan_id", technical.as_str()),
        ("interviewers[]", ivy.as_str()),
        ("then_plan_id[]", team.as_str()),
        ("then_interviewers[]", parker.as_str()),
    ];

    // The link: an hour with Ivy, then 45 minutes with Parker straight after.
    let (status, email) = json(t.call::<SendSchedulingLink>(&recruiter, &loop_form).await).await;
    assert_eq!(status, 200, "{email}");
    let email = email.as_str().unwrap().to_string();
    let mail = t.smtp.wait_for(&email, 1).await;
    let text = body(&mail[0]);
    assert!(
        text.contains(
            "2 interviews back to back: a Technical interview (60 minutes) with Ivy Interviewer, \
             then a Meet the team (45 minutes) with Parker Panelist"
        ),
        "{text}"
    );
    assert_eq!(
        header(&mail[0], "Subject").unwrap(),
        "Choose a time for your Technical interview and Meet the team with Acme"
    );
    let token = find_link(&text, &t.url("/schedule/"))
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let page = || {
        let (t, c, token) = (&t, public.clone(), token.clone());
        async move {
            json(
                t.call::<SchedulingPage>(&c, &[("token", token.as_str()), ("time_zone", "UTC")])
                    .await,
            )
            .await
        }
    };
    let (status, p) = page().await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["interview_name"], "Technical interview");
    assert_eq!(p["then"][0]["name"], "Meet the team");
    assert_eq!(p["then"][0]["panel"][0], "Parker Panelist");
    // The candidate is offered the loop's times (those the recruiter is, as far as the
    // recruiter's first 60 go), a few on each day of the window.
    let offered = starts(&p["state"]["Open"]["slots"]);
    let (_, proposed) = json(t.call::<ProposeSlots>(&recruiter, &loop_form).await).await;
    let proposed = starts(&proposed);
    let last = at(proposed.last().unwrap());
    for o in offered.iter().filter(|o| at(o) <= last) {
        assert!(proposed.contains(o), "{o} is a time of the loop");
    }
    let days: std::collections::BTreeSet<_> = offered.iter().map(|o| at(o).date_naive()).collect();
    assert!(
        days.len() >= 5,
        "the whole window, not its first days: {days:?}"
    );
    let s = offered
        .iter()
        .find(later)
        .expect("a time after tomorrow")
        .clone();
    assert!(
        p["state"]["Open"]["slots"][0]["label"]
            .as_str()
            .unwrap()
            .contains(
                &(at(&offered[0]) + Duration::minutes(105))
                    .format("%H:%M")
                    .to_string()
            ),
        "a time spans both interviews: {p}"
    );

    // Another candidate's interview takes Parker when the loop's second part would start:
    // Ivy alone is still free then, but the loop is not offered at that time any more.
    let parker_at = (at(&s) + Duration::minutes(60)).to_rfc3339();
    let (status, iv) = json(
        t.call::<ScheduleInterview>(
            &recruiter,
            &[
                ("application_id", other_app.as_str()),
                ("plan_id", team.as_str()),
                ("interviewers[]", parker.as_str()),
                ("starts_at", parker_at.as_str()),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{iv}");
    let (_, p) = page().await;
    let offered = starts(&p["state"]["Open"]["slots"]);
    assert!(
        !offered.contains(&s),
        "Parker is taken during the second part"
    );
    let ivy_busy = app::interviews::repo::busy(
        &t.state().db,
        &[RecordId::new("staff", ivy.as_str())],
        at(&s) - Duration::hours(2),
        at(&s) + Duration::hours(3),
        &[],
    )
    .await
    .unwrap();
    let ivy_part = (at(&s), at(&s) + Duration::minutes(60));
    assert!(
        ivy_busy
            .values()
            .flatten()
            .all(|(from, to)| *to <= ivy_part.0 || *from >= ivy_part.1),
        "Ivy alone is free then: {ivy_busy:?}"
    );
    assert_eq!(
        book_slot(&t, &public, &token, &s, "UTC").await,
        409,
        "sent by hand, it is refused"
    );

    // The candidate books a free time: both interviews, the second when the first ends.
    let chosen = offered.iter().find(later).unwrap().clone();
    assert_eq!(book_slot(&t, &public, &token, &chosen, "UTC").await, 200);
    let rows = || async {
        json_rows(
            t.state()
                .db
                .query(format!(
                    "SELECT name, <string> starts_at AS starts_at, <string> ends_at AS ends_at,
                    sequence, status, interviewers.name AS panel
                 FROM interview WHERE application = application:`{app_id}` ORDER BY starts_at"
                ))
                .await
                .unwrap(),
        )
    };
    let time = |v: &Value| at(v.as_str().unwrap());
    let booked = rows().await;
    assert_eq!(booked.len(), 2, "{booked:?}");
    assert_eq!(booked[0]["name"], "Technical interview");
    assert_eq!(booked[1]["name"], "Meet the team");
    assert_eq!(time(&booked[0]["starts_at"]), at(&chosen));
    assert_eq!(
        time(&booked[1]["starts_at"]),
        time(&booked[0]["ends_at"]),
        "back to back"
    );
    assert_eq!(booked[0]["panel"], serde_json::json!(["Ivy Interviewer"]));
    assert_eq!(booked[1]["panel"], serde_json::json!(["Parker Panelist"]));
    let inv = invitations(&t.smtp.wait_for(&email, 3).await);
    assert_eq!(
        inv.iter().filter(|i| i["method"] == "REQUEST").count(),
        2,
        "an invitation for each interview"
    );

    // In the portal, each of the two leads back to the link, to move or cancel the loop.
    let links = portal_links(&t, &app_id).await;
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links[0].is_some() && links[0] == links[1], "{links:?}");

    // The page shows both; moving moves the loop, as one.
    let (_, p) = page().await;
    let b = &p["state"]["Booked"];
    assert_eq!(b["can_change"], true, "{p}");
    assert_eq!(b["parts"].as_array().map(Vec::len), Some(2), "{p}");
    assert!(
        b["parts"][1]
            .as_str()
            .unwrap()
            .starts_with("Meet the team: ")
    );
    let other = starts(&b["slots"])
        .into_iter()
        .find(|x| at(x) > at(&chosen) + Duration::hours(24))
        .expect("a time another day");
    let move_to = |when: &str, seq: &str| {
        let (t, c, token) = (&t, public.clone(), token.clone());
        let (when, seq) = (when.to_string(), seq.to_string());
        async move {
            t.call::<MoveBookedInterview>(
                &c,
                &[
                    ("token", token.as_str()),
                    ("starts_at", when.as_str()),
                    ("sequence", seq.as_str()),
                    ("time_zone", "UTC"),
                ],
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(move_to(&other, "0").await, 200);
    let moved = rows().await;
    assert_eq!(time(&moved[0]["starts_at"]), at(&other));
    assert_eq!(
        time(&moved[1]["starts_at"]),
        time(&moved[0]["ends_at"]),
        "still back to back"
    );
    assert!(moved.iter().all(|r| r["sequence"] == 1), "{moved:?}");
    // A page read before that move cannot move it again.
    assert_eq!(move_to(&chosen, "0").await, 409);
    // Both panels' old time is free again: the recruiter is offered it for the loop.
    let (_, again) = json(t.call::<ProposeSlots>(&recruiter, &loop_form).await).await;
    assert!(starts(&again).contains(&chosen));
    let inv = invitations(&t.smtp.wait_for(&email, 5).await);
    assert_eq!(
        inv.iter()
            .filter(|i| i["method"] == "REQUEST" && i["sequence"] == 1)
            .count(),
        2
    );

    // Cancelling cancels both; each panel and the recruiter are told.
    let res = t
        .call::<CancelBookedInterview>(&public, &[("token", token.as_str())])
        .await;
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    assert!(rows().await.iter().all(|r| r["status"] == "cancelled"));
    let (_, p) = page().await;
    assert_eq!(p["state"], "Cancelled");
    let inv = invitations(&t.smtp.wait_for(&email, 7).await);
    assert_eq!(
        inv.iter()
            .filter(|i| i["method"] == "CANCEL" && i["sequence"] == 2)
            .count(),
        2
    );
    // Ivy: invited, moved, cancelled; Parker too, after the other candidate's invitation.
    for (who, n) in [("interviewer@acme.test", 3), ("panel@acme.test", 4)] {
        let inv = invitations(&t.smtp.wait_for(who, n).await);
        assert!(
            inv.iter().any(|i| i["method"] == "CANCEL"),
            "{who}: {inv:?}"
        );
    }
    let cancelled = "cancelled their Technical interview and Meet the team";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !t
        .smtp
        .messages()
        .iter()
        .any(|m| header(m, "Subject").is_some_and(|s| s.ends_with(cancelled)))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the recruiter is told"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    t.stop().await;
}

/// A loop of three: the recruiter screen, the technical interview and meeting the team, each
/// with its own panel, booked back to back; a fifth interview is refused.
#[tokio::test]
async fn three_interviews_are_booked_back_to_back_move_as_one_from_the_portal_and_a_loop_holds_at_most_four()
 {
    use app::interviews::scheduling::{MoveBookedInterview, SchedulingPage};
    let t = spawn_app().await;
    let app_id = fresh_application(&t).await;
    let screen = one(
        &t,
        "SELECT VALUE id FROM plan_interview WHERE job = job:`rust-backend` AND name = 'Recruiter screen'",
    )
    .await;
    let technical = technical_plan(&t).await;
    let team = team_plan(&t).await;
    let riley = staff(&t, "recruiter@acme.test").await;
    let ivy = staff(&t, "interviewer@acme.test").await;
    let parker = staff(&t, "panel@acme.test").await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    // The panels of later interviews are numbered from 0: `0:` technical, `1:` the team.
    let mut form: Vec<(&str, String)> = vec![
        ("application_id", app_id.clone()),
        ("plan_id", screen.clone()),
        ("interviewers[]", riley.clone()),
        ("then_plan_id[]", technical.clone()),
        ("then_plan_id[]", team.clone()),
        ("then_interviewers[]", format!("0:{ivy}")),
        ("then_interviewers[]", format!("1:{parker}")),
    ];
    let pairs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
    let call = |f: Vec<(&'static str, String)>, schedule: bool| {
        let (t, recruiter) = (&t, &recruiter);
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            json(if schedule {
                t.call::<ScheduleInterview>(recruiter, &f).await
            } else {
                t.call::<ProposeSlots>(recruiter, &f).await
            })
            .await
        }
    };
    let (status, slots) = call(pairs(&form), false).await;
    assert_eq!(status, 200, "{slots}");
    // A time more than a day out, so that the candidate may still move it (moves close 24
    // hours before): the first time offered may be tomorrow morning.
    let open_from = chrono::Utc::now() + chrono::Duration::hours(26);
    let slot = slots
        .as_array()
        .expect("times for all three")
        .iter()
        .find(|s| {
            chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap()).unwrap()
                > open_from
        })
        .expect("a time more than a day out")
        .clone();
    let first = slot["starts_at"].as_str().unwrap().to_string();
    let start = chrono::DateTime::parse_from_rfc3339(&first).unwrap();
    assert!(
        slot["label"].as_str().unwrap().contains(
            &(start + chrono::Duration::minutes(30 + 60 + 45))
                .with_timezone(&chrono::Utc)
                .format("%H:%M")
                .to_string()
        ),
        "the label spans all three: {slot}"
    );

    // The third interview without its panel: the field says which.
    let no_panel: Vec<_> = form
        .iter()
        .filter(|(k, v)| !(*k == "then_interviewers[]" && v.starts_with("1:")))
        .cloned()
        .collect();
    let (status, body) = call(no_panel, false).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("third interview"), "{body}");

    // Booked: three interviews, each starting when the one before ends.
    form.push(("starts_at", first.clone()));
    let (status, body) = call(pairs(&form), true).await;
    assert_eq!(status, 200, "{body}");
    let rows: Vec<Value> = json_rows(
        t.state()
            .db
            .query(format!(
                "SELECT name, starts_at, ends_at, interviewers.email AS panel
                 FROM interview WHERE application = application:`{app_id}` ORDER BY starts_at"
            ))
            .await
            .unwrap(),
    );
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Recruiter screen", "Technical interview", "Meet the team"]
    );
    for w in rows.windows(2) {
        assert_eq!(
            w[0]["ends_at"], w[1]["starts_at"],
            "straight after: {rows:?}"
        );
    }
    assert_eq!(rows[0]["panel"], serde_json::json!(["recruiter@acme.test"]));
    assert_eq!(
        rows[1]["panel"],
        serde_json::json!(["interviewer@acme.test"])
    );
    assert_eq!(rows[2]["panel"], serde_json::json!(["panel@acme.test"]));

    // In the candidate's portal, all three lead to one link of their own, which moves the loop
    // as one (a recruiter booked it, so no link was sent).
    let links = portal_links(&t, &app_id).await;
    assert_eq!(links.len(), 3, "{links:?}");
    assert!(
        links.iter().all(|l| l.is_some() && *l == links[0]),
        "{links:?}"
    );
    let token = links[0].clone().unwrap();
    let public = t.client();
    let (status, p) = json(
        t.call::<SchedulingPage>(&public, &[("token", token.as_str()), ("time_zone", "UTC")])
            .await,
    )
    .await;
    assert_eq!(status, 200, "{p}");
    let b = &p["state"]["Booked"];
    assert_eq!(b["can_change"], true, "{p}");
    assert_eq!(b["parts"].as_array().map(Vec::len), Some(3), "{p}");
    let chosen = chrono::DateTime::parse_from_rfc3339(&first).unwrap();
    let other = b["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap().to_string())
        .find(|s| {
            chrono::DateTime::parse_from_rfc3339(s).unwrap() > chosen + chrono::Duration::hours(24)
        })
        .expect("a time another day");
    let res = t
        .call::<MoveBookedInterview>(
            &public,
            &[
                ("token", token.as_str()),
                ("starts_at", other.as_str()),
                ("sequence", "0"),
                ("time_zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let moved: Vec<Value> = json_rows(
        t.state()
            .db
            .query(format!(
                "SELECT name, starts_at, ends_at FROM interview
                 WHERE application = application:`{app_id}` AND status = 'scheduled' ORDER BY starts_at"
            ))
            .await
            .unwrap(),
    );
    assert_eq!(moved.len(), 3, "{moved:?}");
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(moved[0]["starts_at"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&other).unwrap(),
        "the loop moved: {moved:?}"
    );
    for w in moved.windows(2) {
        assert_eq!(
            w[0]["ends_at"], w[1]["starts_at"],
            "still back to back: {moved:?}"
        );
    }

    // Five in a loop are refused before anything is searched.
    let mut five = pairs(&form);
    five.retain(|(k, _)| *k != "starts_at");
    for i in 2..4 {
        five.push(("then_plan_id[]", team.clone()));
        five.push(("then_interviewers[]", format!("{i}:{parker}")));
    }
    let (status, body) = call(five, false).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("at most 4 interviews"), "{body}");
    t.stop().await;
}
