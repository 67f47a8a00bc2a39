//! Interview slots: free times for a five-person panel over 14 days.

use crate::report;
use app::server::config::Config;
use chrono::{Duration as ChronoDuration, Utc};
use std::time::Instant;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct GenBusy {
    staff: RecordId,
    interview: RecordId,
    starts_at: chrono::DateTime<Utc>,
    ends_at: chrono::DateTime<Utc>,
}

/// Free times for a five-person panel (four time zones) over 14 days, each member with three
/// one-hour interviews a day: the whole server path (busy time read from the database, then the
/// search) and the search alone. Target: p95 ≤ 50 ms.
pub async fn run(runs: usize) {
    use app::interviews::{repo, slots};
    let st = app::startup::init(server::test_leptos_options(), Config::for_tests())
        .await
        .expect("state");
    let zones = [
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "Europe/Lisbon",
        "Europe/London",
    ];
    let mut ids = Vec::new();
    for (i, z) in zones.iter().enumerate() {
        let id = RecordId::new("staff", format!("bench{i}"));
        st.db
            .query(
                "CREATE $id CONTENT { email: $email, name: $name, role: 'interviewer',
                    password_hash: '', time_zone: $zone } RETURN NONE",
            )
            .bind(("id", id.clone()))
            .bind(("email", format!("panel{i}@bench.test")))
            .bind(("name", format!("Panelist {i}")))
            .bind(("zone", z.to_string()))
            .await
            .unwrap()
            .check()
            .unwrap();
        ids.push(id);
    }
    let now = Utc::now();
    let today = now.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
    let mut busy = Vec::new();
    for (p, id) in ids.iter().enumerate() {
        for d in 0..15i64 {
            for k in 0..3i64 {
                let hour = 7 + (p as i64 * 3 + d * 5 + k * 3) % 12;
                let start = today + ChronoDuration::days(d) + ChronoDuration::hours(hour);
                busy.push(GenBusy {
                    staff: id.clone(),
                    interview: RecordId::new("interview", format!("bench{p}_{d}_{k}")),
                    starts_at: start,
                    ends_at: start + ChronoDuration::hours(1),
                });
            }
        }
    }
    let blocks = busy.len();
    crate::generator::insert_rows(&st, "INSERT INTO busy_span $rows RETURN NONE", busy).await;
    let panel = repo::staff_rows(&st.db, &ids).await.unwrap();
    let rules = slots::Rules::default();
    println!(
        "slots: 5 panelists in 4 zones, {blocks} busy hours, {} days, {}-minute steps",
        rules.days, rules.step_min
    );
    let mut found = 0;
    let mut whole = Vec::new();
    for i in 0..runs + 5 {
        let t = Instant::now();
        let s = repo::propose(&st.db, &[(&panel, 60)], None, now, &rules, &[])
            .await
            .unwrap();
        if i >= 5 {
            whole.push(t.elapsed());
        }
        found = s.len();
    }
    report("slots: busy time read + search", &mut whole, Some(50.0));
    let mut people: Vec<slots::Availability> = panel.iter().map(|p| p.availability()).collect();
    let mut spans = repo::busy(
        &st.db,
        &ids,
        now - ChronoDuration::hours(1),
        now + ChronoDuration::days(15),
        &[],
    )
    .await
    .unwrap();
    for (p, row) in people.iter_mut().zip(&panel) {
        p.busy = spans
            .remove(&app::server::db::key(&row.id))
            .unwrap_or_default();
    }
    let mut rules60 = rules.clone();
    rules60.duration = ChronoDuration::minutes(60);
    let mut search = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let s = slots::free_slots(&people, now, &rules60);
        search.push(t.elapsed());
        assert_eq!(s.len(), found);
    }
    report("slots: search alone", &mut search, None);
    println!("slots: {found} free start times found");
}
