//! Repository tests on the real schema: plans, booking (no double booking, even when two
//! bookings race), scorecards, the debrief, the demo.

use super::*;
use crate::testing;

async fn staff(st: &crate::server::AppState, email: &str) -> RecordId {
    let mut r = st
        .db
        .query("SELECT VALUE id FROM staff WHERE email = $e")
        .bind(("e", email.to_string()))
        .await
        .unwrap();
    let ids: Vec<RecordId> = r.take(0).unwrap();
    ids[0].clone()
}

/// An active application of the demo's Rust job in the interview stage with no interview yet.
async fn fresh_application(st: &crate::server::AppState) -> AppContext {
    let mut r = st
        .db
        .query(
            "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active'
                AND id NOT IN (SELECT VALUE application FROM interview) ORDER BY id LIMIT 1",
        )
        .await
        .unwrap();
    let ids: Vec<RecordId> = r.take(0).unwrap();
    application(&st.db, &ids[0]).await.unwrap().unwrap()
}

async fn rows(st: &crate::server::AppState, ids: &[RecordId]) -> Vec<StaffRow> {
    let mut out = staff_rows(&st.db, ids).await.unwrap();
    out.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    out
}

fn next_monday_at(hour: u32) -> DateTime<Utc> {
    let mut d = (Utc::now() + Duration::days(1)).date_naive();
    while chrono::Datelike::weekday(&d) != chrono::Weekday::Mon {
        d = d.succ_opt().unwrap();
    }
    d.and_hms_opt(hour, 0, 0).unwrap().and_utc()
}

#[tokio::test]
async fn the_demo_has_plans_a_past_panel_with_scorecards_and_an_upcoming_interview() {
    let st = testing::demo_state().await;
    let job = RecordId::new("job", "rust-backend");
    let plan = plan_of(&st.db, &job).await.unwrap();
    assert_eq!(plan.len(), 3);
    assert!(
        plan.iter()
            .any(|p| p.name == "Technical interview" && p.attributes.len() == 3)
    );
    let ivy = staff(&st, "interviewer@acme.test").await;
    let mine = mine(&st.db, &ivy, Utc::now(), chrono_tz::Europe::London)
        .await
        .unwrap();
    assert_eq!(mine.upcoming.len(), 1, "{mine:?}");
    assert_eq!(mine.past.len(), 1, "the past one is scored");
    assert!(mine.to_do.is_empty());
    let past = &mine.past[0];
    let (_, debrief) = of_application(
        &st.db,
        &RecordId::new("application", past.application_id.as_str()),
        chrono_tz::Europe::London,
    )
    .await
    .unwrap();
    assert_eq!(debrief.columns.len(), 2, "both panelists submitted");
    assert_eq!(debrief.attributes.len(), 3);
    let badges = badges(
        &st.db,
        &[RecordId::new("application", past.application_id.as_str())],
    )
    .await
    .unwrap();
    assert_eq!(
        badges.values().next().map(String::as_str),
        Some("2/2 · 2 yes")
    );
    // A candidate is asked to choose the time of their recruiter screen, another one time for
    // a loop of two interviews.
    let mut r = st
        .db
        .query("SELECT VALUE person FROM booking_link WHERE status = 'open' ORDER BY created_at")
        .await
        .unwrap();
    let waiting: Vec<RecordId> = r.take(0).unwrap();
    assert_eq!(waiting.len(), 2);
    let mut names = Vec::new();
    for person in &waiting {
        let links = open_links_for_person(&st.db, person).await.unwrap();
        names.push(links[0].2.clone());
    }
    names.sort();
    assert_eq!(
        names,
        ["Recruiter screen", "Technical interview and Meet the team"]
    );
}

#[tokio::test]
async fn a_panelist_cannot_be_booked_twice_at_once_even_when_two_bookings_race() {
    let st = testing::demo_state().await;
    let job = RecordId::new("job", "rust-backend");
    let plan = plan_of(&st.db, &job).await.unwrap();
    let technical = plan
        .iter()
        .find(|p| p.name == "Technical interview")
        .unwrap();
    let a = fresh_application(&st).await;
    let ivy = staff(&st, "interviewer@acme.test").await;
    let parker = staff(&st, "panel@acme.test").await;
    let admin = staff(&st, "admin@acme.test").await;
    let at = next_monday_at(10);
    let actor = testing::recruiter();
    let zone = chrono_tz::Europe::London;
    // Ten bookings of panels that all include Ivy, at overlapping times, at once.
    let mut tasks = Vec::new();
    for i in 0..10i64 {
        let db = st.db.clone();
        let (a, p, actor) = (a.clone(), technical.clone(), actor.clone());
        let panel = if i % 2 == 0 {
            rows(&st, &[ivy.clone(), parker.clone()]).await
        } else {
            rows(&st, &[admin.clone(), ivy.clone()]).await
        };
        let start = at + Duration::minutes(15 * (i % 3));
        tasks.push(tokio::spawn(async move {
            schedule(
                &db, &a, &p, &panel, None, start, &actor, None, zone, None, None,
            )
            .await
        }));
    }
    let mut booked = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => booked += 1,
            Err(AppError::Conflict(_)) => {}
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    assert_eq!(booked, 1, "one booking wins, every other is refused");
    let busy = busy(
        &st.db,
        std::slice::from_ref(&ivy),
        at - Duration::hours(1),
        at + Duration::hours(3),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        busy[&key(&ivy)].len(),
        1,
        "one interval, never two overlapping"
    );
    // The slots offered to Ivy now avoid that hour (and its buffer).
    let rows = staff_rows(&st.db, std::slice::from_ref(&ivy))
        .await
        .unwrap();
    let free = propose(
        &st.db,
        &[(&rows, 60)],
        None,
        at - Duration::days(1),
        &slots::Rules {
            notice: Duration::zero(),
            days: 3,
            ..Default::default()
        },
        &[],
    )
    .await
    .unwrap();
    let (b0, b1) = busy[&key(&ivy)][0];
    assert!(!free.is_empty());
    assert!(
        free.iter()
            .all(|s| *s + Duration::minutes(60) <= b0 || *s >= b1)
    );
}

#[tokio::test]
async fn cancelling_frees_the_panel_and_keeps_submitted_scorecards_only() {
    let st = testing::demo_state().await;
    let plan = plan_of(&st.db, &RecordId::new("job", "rust-backend"))
        .await
        .unwrap();
    let technical = plan
        .iter()
        .find(|p| p.name == "Technical interview")
        .unwrap();
    let a = fresh_application(&st).await;
    let ivy = staff(&st, "interviewer@acme.test").await;
    let parker = staff(&st, "panel@acme.test").await;
    let at = next_monday_at(13);
    let actor = testing::recruiter();
    let zone = chrono_tz::Europe::London;
    let panel = rows(&st, &[ivy.clone(), parker.clone()]).await;
    let iv = schedule(
        &st.db, &a, technical, &panel, None, at, &actor, None, zone, None, None,
    )
    .await
    .unwrap();
    let row = interview_row(&st.db, &RecordId::new("interview", iv.as_str()))
        .await
        .unwrap()
        .unwrap();
    save_card(
        &st.db,
        &row,
        &ivy,
        vec![4, 3, 3],
        "Good".into(),
        4,
        true,
        &actor,
    )
    .await
    .unwrap();
    // A submitted scorecard is final.
    let again = save_card(
        &st.db,
        &row,
        &ivy,
        vec![1, 1, 1],
        "".into(),
        1,
        false,
        &actor,
    )
    .await;
    assert!(matches!(again, Err(AppError::Conflict(_))));
    cancel(&st.db, &row, &panel, &actor, zone, None)
        .await
        .unwrap();
    assert!(matches!(
        cancel(&st.db, &row, &panel, &actor, zone, None).await,
        Err(AppError::Conflict(_))
    ));
    let left = busy(
        &st.db,
        &[ivy.clone(), parker.clone()],
        at - Duration::hours(1),
        at + Duration::hours(2),
        &[],
    )
    .await
    .unwrap();
    assert!(left.is_empty(), "the panel is free again");
    let mut r = st
        .db
        .query("SELECT VALUE status FROM scorecard WHERE interview = $iv")
        .bind(("iv", row.id.clone()))
        .await
        .unwrap();
    let statuses: Vec<String> = r.take(0).unwrap();
    assert_eq!(statuses, ["submitted"]);
    // The same time can be booked again.
    schedule(
        &st.db, &a, technical, &panel, None, at, &actor, None, zone, None, None,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn plans_copy_between_jobs_for_the_stages_they_share() {
    let st = testing::demo_state().await;
    let target = testing::open_job(&st, "Platform Engineer").await;
    let job = crate::jobs::repo::get(&st.db, &target)
        .await
        .unwrap()
        .unwrap();
    assert!(plan_of(&st.db, &target).await.unwrap().is_empty());
    let n = copy_plan(
        &st.db,
        &RecordId::new("job", "rust-backend"),
        &target,
        &job.stages,
        &testing::recruiter(),
    )
    .await
    .unwrap();
    assert_eq!(n, 3);
    let copied = in_stage_order(plan_of(&st.db, &target).await.unwrap(), &job.stages);
    assert_eq!(copied[0].name, "Recruiter screen");
    let choices = jobs_with_plans(&st.db, &target).await.unwrap();
    assert!(
        choices
            .iter()
            .any(|j| j.id == "rust-backend" && j.interviews == 3)
    );
}

#[tokio::test]
async fn invites_follow_the_interview_through_a_move_and_a_cancellation() {
    let st = testing::demo_state().await;
    let plan = plan_of(&st.db, &RecordId::new("job", "rust-backend"))
        .await
        .unwrap();
    let technical = plan
        .iter()
        .find(|p| p.name == "Technical interview")
        .unwrap();
    let a = fresh_application(&st).await;
    let parker = staff(&st, "panel@acme.test").await;
    let morgan = staff(&st, "manager@acme.test").await;
    let panel = rows(&st, &[parker.clone(), morgan.clone()]).await;
    let at = next_monday_at(14);
    let actor = testing::recruiter();
    let zone = chrono_tz::Europe::London;
    let mailing = Some(Mailing::of(&st));
    let iv = schedule(
        &st.db, &a, technical, &panel, None, at, &actor, None, zone, mailing, None,
    )
    .await
    .unwrap();
    let iv = RecordId::new("interview", iv.as_str());
    let invites = |method: &'static str| {
        let db = st.db.clone();
        let iv = key(&iv);
        async move {
            let mut r = db
                .query(
                    "SELECT to_email, calendar FROM mail WHERE kind = 'interview_invite'
                        AND string::contains(calendar, $uid) AND string::contains(calendar, $m)
                        ORDER BY to_email",
                )
                .bind(("uid", format!("UID:interview-{iv}@")))
                .bind(("m", format!("METHOD:{method}")))
                .await
                .unwrap();
            let rows: Vec<(String, String)> = r
                .take::<Vec<surrealdb::types::Value>>(0)
                .unwrap()
                .into_iter()
                .map(|v| {
                    let o = v.into_object().unwrap();
                    (
                        o.get("to_email").unwrap().clone().into_string().unwrap(),
                        o.get("calendar").unwrap().clone().into_string().unwrap(),
                    )
                })
                .collect();
            rows
        }
    };
    let sent = invites("REQUEST").await;
    let to: Vec<&str> = sent.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(to.len(), 3, "both panelists and the candidate: {to:?}");
    assert!(to.contains(&"panel@acme.test") && to.contains(&"manager@acme.test"));
    assert!(to.contains(&a.email.as_str()));
    let parker_ics = &sent.iter().find(|(t, _)| t == "panel@acme.test").unwrap().1;
    assert!(parker_ics.contains("TZID=America/New_York"), "{parker_ics}");
    assert!(parker_ics.contains("SEQUENCE:0"));
    let morgan_ics = &sent
        .iter()
        .find(|(t, _)| t == "manager@acme.test")
        .unwrap()
        .1;
    assert!(morgan_ics.contains("TZID=Europe/Berlin"));

    // Moved: the same UID, SEQUENCE 1, the panel's time moves with it.
    let row = interview_row(&st.db, &iv).await.unwrap().unwrap();
    let later = at + Duration::days(1);
    reschedule(&st.db, &row, &panel, later, &actor, zone, mailing)
        .await
        .unwrap();
    let moved = invites("REQUEST").await;
    assert_eq!(moved.len(), 6);
    assert_eq!(
        moved
            .iter()
            .filter(|(_, c)| c.contains("SEQUENCE:1"))
            .count(),
        3
    );
    let busy = busy(
        &st.db,
        std::slice::from_ref(&parker),
        at - Duration::hours(1),
        later + Duration::hours(2),
        &[],
    )
    .await
    .unwrap();
    let spans = &busy[&key(&parker)];
    assert!(spans.contains(&(later, later + Duration::minutes(technical.duration_min))));
    assert!(
        !spans.iter().any(|(s, _)| *s == at),
        "the old time is free: {spans:?}"
    );
    // A move from a stale copy (SEQUENCE 0) is refused: nothing is overwritten.
    assert!(matches!(
        reschedule(&st.db, &row, &panel, at, &actor, zone, mailing).await,
        Err(AppError::Conflict(_))
    ));

    // Cancelled: METHOD:CANCEL with SEQUENCE 2 to everyone.
    let row = interview_row(&st.db, &iv).await.unwrap().unwrap();
    cancel(&st.db, &row, &panel, &actor, zone, mailing)
        .await
        .unwrap();
    let cancelled = invites("CANCEL").await;
    assert_eq!(cancelled.len(), 3);
    assert!(
        cancelled
            .iter()
            .all(|(_, c)| c.contains("SEQUENCE:2") && c.contains("STATUS:CANCELLED"))
    );
}
