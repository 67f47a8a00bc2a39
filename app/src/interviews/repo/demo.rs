//! The demo's structured hiring: plans for every job, a scored panel, an upcoming interview,
//! and scheduling links waiting for candidates (one of them for a loop of two interviews).

use super::*;

/// Demo: a plan for every job, and for the Rust job a past panel interview with both
/// scorecards in and an upcoming one, so a newcomer sees the whole flow.
pub async fn seed_demo(db: &Db, now: DateTime<Utc>) -> AppResult<()> {
    let mut res = db
        .query(
            "UPDATE staff SET time_zone = 'America/New_York' WHERE email = 'panel@acme.test' RETURN NONE;
             UPDATE staff SET time_zone = 'Europe/Berlin' WHERE email = 'manager@acme.test' RETURN NONE;
             SELECT VALUE id FROM job ORDER BY id;",
        )
        .await?;
    let jobs: Vec<RecordId> = res.take(2)?;
    // The offices' interview rooms.
    for (name, place, seats) in [
        ("Thames", "London office, 4th floor", 8),
        ("Spree", "Berlin office, 2nd floor", 4),
    ] {
        add_room(db, name, place, Some(seats)).await?;
    }
    let actor = Actor::system();
    for job in &jobs {
        for input in default_plan(&key(job)) {
            add_plan_interview(db, job, input, &actor).await?;
        }
    }
    // The Rust job's interview stage: a panel a week ago (both scorecards in) and one to come.
    let mut res = db
        .query(
            "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND stage = 'interview'
                AND status = 'active' ORDER BY id LIMIT 2;
             SELECT VALUE id FROM staff WHERE email IN ['interviewer@acme.test', 'panel@acme.test']
                ORDER BY email;",
        )
        .await?;
    let apps: Vec<RecordId> = res.take(0)?;
    let panel: Vec<RecordId> = res.take(1)?;
    let panel_rows = staff_rows(db, &panel).await?;
    let plan = plan_of(db, &RecordId::new("job", "rust-backend")).await?;
    let Some(technical) = plan.iter().find(|p| p.stage == "interview") else {
        return Ok(());
    };
    let day = |d: i64, h: u32| {
        let date = (now + Duration::days(d)).date_naive();
        let mut t = date.and_hms_opt(h, 0, 0).unwrap_or_default().and_utc();
        while matches!(
            chrono::Datelike::weekday(&t),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        ) {
            t += Duration::days(if d < 0 { -1 } else { 1 });
        }
        t
    };
    let zone = chrono_tz::Europe::London;
    if let Some(app) = apps.first()
        && let Some(ctx) = application(db, app).await?
    {
        let iv = schedule(
            db,
            &ctx,
            technical,
            &panel_rows,
            None,
            day(-7, 14),
            &actor,
            None,
            zone,
            None,
            None,
        )
        .await?;
        let iv = interview_row(db, &RecordId::new("interview", iv))
            .await?
            .ok_or(AppError::NotFound)?;
        let notes = [
            "Clear on ownership and lifetimes; walked through a real borrow-checker fight. Tests first.",
            "Strong systems answers; a little quiet when the design question opened up.",
        ];
        for (i, s) in panel.iter().enumerate() {
            let ratings = vec![4 - i as i64, 3, 3 - i as i64 % 2];
            let n = iv.attributes.len();
            let mut r = ratings;
            r.resize(n, 3);
            save_card(
                db,
                &iv,
                s,
                r,
                notes[i % 2].into(),
                4 - i as i64,
                true,
                &actor,
            )
            .await?;
        }
    }
    if let Some(app) = apps.get(1)
        && let Some(ctx) = application(db, app).await?
    {
        schedule(
            db,
            &ctx,
            technical,
            &panel_rows,
            None,
            day(3, 15),
            &actor,
            None,
            zone,
            None,
            None,
        )
        .await?;
    }
    // A candidate in the phone screen has a link to choose the time of their recruiter screen
    // (their portal shows it).
    let mut res = db
        .query(
            "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND stage = 'phone_screen'
                AND status = 'active' ORDER BY id LIMIT 1;
             SELECT VALUE id FROM staff WHERE email = 'recruiter@acme.test';",
        )
        .await?;
    let screen_apps: Vec<RecordId> = res.take(0)?;
    let recruiter: Vec<RecordId> = res.take(1)?;
    if let (Some(app), Some(screen)) = (
        screen_apps.first(),
        plan.iter().find(|p| p.stage == "phone_screen"),
    ) && let Some(ctx) = application(db, app).await?
    {
        let panel = staff_rows(db, &recruiter).await?;
        create_link(
            db,
            &ctx,
            &[Part {
                plan: screen,
                panel: &panel,
            }],
            None,
            recruiter.first().cloned(),
            now,
            14,
        )
        .await?;
    }
    // Another (in the interview stage, else still in the phone screen) has a link to choose one
    // time for a loop: the technical interview with Ivy, then meeting the team with Morgan
    // straight after.
    let mut res = db
        .query(
            "SELECT VALUE id FROM application WHERE job = job:`rust-backend` AND status = 'active'
                AND stage IN ['interview', 'phone_screen']
                AND id NOT IN (SELECT VALUE application FROM interview)
                AND id NOT IN (SELECT VALUE application FROM booking_link)
                ORDER BY stage, id LIMIT 1;
             SELECT VALUE id FROM staff WHERE email = 'interviewer@acme.test';
             SELECT VALUE id FROM staff WHERE email = 'manager@acme.test';",
        )
        .await?;
    let next: Vec<RecordId> = res.take(0)?;
    let team = plan.iter().find(|p| p.name == "Meet the team");
    if let (Some(app), Some(team)) = (next.first(), team)
        && let Some(ctx) = application(db, app).await?
    {
        let ivy = staff_rows(db, &res.take::<Vec<RecordId>>(1)?).await?;
        let morgan = staff_rows(db, &res.take::<Vec<RecordId>>(2)?).await?;
        create_link(
            db,
            &ctx,
            &[
                Part {
                    plan: technical,
                    panel: &ivy,
                },
                Part {
                    plan: team,
                    panel: &morgan,
                },
            ],
            None,
            recruiter.first().cloned(),
            now,
            14,
        )
        .await?;
    }
    Ok(())
}

/// The demo jobs' plans: a recruiter screen, then an interview loop fitting the job.
fn default_plan(job: &str) -> Vec<PlanInput> {
    let screen = PlanInput {
        stage: "phone_screen".into(),
        name: "Recruiter screen".into(),
        duration_min: 30,
        format: "phone".into(),
        location: "The recruiter calls the candidate".into(),
        attributes: vec!["Motivation".into(), "Communication".into()],
        questions: vec![
            "What draws you to this role, and to us?".into(),
            "What are you looking for in your next team?".into(),
        ],
        guidance: "Keep it friendly; confirm salary expectations and notice period.".into(),
    };
    let (name, attributes, questions) = match job {
        "rust-backend" => (
            "Technical interview",
            vec![
                "Rust ownership model",
                "System design",
                "Testing discipline",
            ],
            vec![
                "Walk us through a bug the borrow checker caught for you.",
                "Design a job queue that survives a crash: what is stored, when?",
            ],
        ),
        "product-designer" => (
            "Portfolio review",
            vec!["Craft", "User research", "Collaboration"],
            vec!["Show one project end to end: what did research change?"],
        ),
        "frontend-contract" => (
            "Pairing session",
            vec!["Leptos / reactive UI", "Accessibility", "Collaboration"],
            vec!["Build a small accessible form together."],
        ),
        _ => (
            "Case interview",
            vec!["Problem solving", "Communication", "Domain knowledge"],
            vec!["Talk us through how you would approach the case we sent."],
        ),
    };
    vec![
        screen,
        PlanInput {
            stage: "interview".into(),
            name: name.into(),
            duration_min: 60,
            format: "video".into(),
            location: "https://meet.example.com/acme-interview".into(),
            attributes: attributes.into_iter().map(str::to_string).collect(),
            questions: questions.into_iter().map(str::to_string).collect(),
            guidance: "Rate what you saw, not what you guess. Write notes as evidence.".into(),
        },
        PlanInput {
            stage: "interview".into(),
            name: "Meet the team".into(),
            duration_min: 45,
            format: "onsite".into(),
            location: "Acme office, 2nd floor, room Ada".into(),
            attributes: vec!["Collaboration".into(), "Values".into()],
            questions: vec!["Tell us about a disagreement in a team and how it ended.".into()],
            guidance: "A conversation, not a test.".into(),
        },
    ]
}
