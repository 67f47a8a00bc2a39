//! Demo data for the CRM: the "Silver medalists" and talent-community pools with members who
//! joined over the past year, a saved segment and a draft campaign (called by `crate::demo`).

use crate::server::AppState;
use chrono::{Duration, Utc};
use surrealdb::types::RecordId;

/// A talent pool, a saved segment and a draft campaign, so that a newcomer opens the CRM pages
/// to something real.
pub async fn seed(st: &AppState, silver_medalists: &[RecordId]) -> crate::error::AppResult<()> {
    let db = &st.db;
    let by = crate::server::activity::Actor::system();
    let pool = crate::pools::repo::create_pool(
        db,
        "Silver medalists",
        "Strong candidates we turned down late in the process: first call for the next opening.",
        &by,
    )
    .await?;
    // Members joined over the past year, so the CRM report's months mean something: silver
    // medalists kept one by one, people met at events as they signed up.
    let talent = crate::pools::repo::pool_named(
        db,
        crate::talent::TALENT_POOL,
        "People who signed up on the careers site.",
    )
    .await?;
    let now = Utc::now();
    let kept: Vec<serde_json::Value> = silver_medalists
        .iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::json!({
                "person": crate::server::db::key(p),
                "at": (now - Duration::days(20 + 29 * i as i64)).to_rfc3339(),
            })
        })
        .collect();
    db.query(
        "FOR $m IN $kept {
             CREATE pool_member SET pool = $pool, person = type::record('person', $m.person),
                added_by = 'Riley Recruiter', added_at = <datetime> $m.at RETURN NONE;
         };
         FOR $p IN (SELECT id, created_at FROM person WHERE source = 'event') {
             CREATE pool_member SET pool = $talent, person = $p.id,
                added_by = 'Talent community sign-up', added_at = $p.created_at RETURN NONE;
         };",
    )
    .bind(("kept", kept))
    .bind(("pool", pool.clone()))
    .bind(("talent", talent))
    .await?
    .check()?;
    let meetup = crate::segments::types::SegmentDefinition {
        tags: vec!["rust-meetup-2026".into()],
        consent: "not_withdrawn".into(),
        ..Default::default()
    };
    crate::segments::repo::save_segment(db, None, "Met at the Rust meetup", &meetup, &by).await?;
    let campaign = crate::campaigns::types::CampaignInput::parse(
        "Rust meetup follow-up",
        "rust-meetup-2026",
        "Good to meet you at the Rust meetup, {{first_name}}",
        "Hi {{first_name}},\n\nThank you for stopping by our table at the Rust meetup. We are \
         growing the backend team this year; if you would like to hear when a role fits you, \
         reply to this email.\n\nRiley",
    )?;
    crate::campaigns::repo::create(db, &campaign, &by).await?;
    past_campaign(st, &pool).await?;
    recent_campaign(st, &pool).await
}

/// A campaign to the silver medalists that finished last week, with opens, clicks and a few
/// replies nobody has answered yet: the sourcer's home has campaign activity and replies to
/// answer. Finished, so the campaign engine sends nothing more.
async fn recent_campaign(st: &AppState, pool: &RecordId) -> crate::error::AppResult<()> {
    let input = crate::campaigns::types::CampaignInput::parse(
        "Silver medalists: new backend roles",
        "past-applicant",
        "New backend roles, {{first_name}}",
        "Hi {{first_name}},\n\nWe opened two backend roles this month and thought of you. \
         Reply and I will send you the details.\n\nRiley",
    )?;
    finished_campaign(st, pool, &input, 12, 2, |i| {
        let at = |d: i64| Duration::days(d) + Duration::hours(i as i64);
        let mut touches = Vec::new();
        if i % 4 != 3 {
            touches.push(("open", at(1 + (i % 3) as i64)));
        }
        if i % 2 == 0 {
            touches.push(("click", at(2 + (i % 3) as i64)));
        }
        if i % 3 == 0 && i < 9 {
            touches.push(("reply", at(3 + (i % 5) as i64)));
        }
        touches
    })
    .await
}

/// A campaign sent to the silver medalists five months ago, with the opens, clicks and replies
/// it drew over the weeks after, so that the CRM report's engagement and campaign funnel have
/// history. (Nobody applied from it: the demo's applications predate it or came elsewhere.)
async fn past_campaign(st: &AppState, pool: &RecordId) -> crate::error::AppResult<()> {
    let input = crate::campaigns::types::CampaignInput::parse(
        "Silver medalists: spring check-in",
        "past-applicant",
        "Still thinking about {{first_name}}",
        "Hi {{first_name}},\n\nYou came very close with us last time. New roles are opening this \
         spring; reply if you would like a first look.\n\nRiley",
    )?;
    // Two in three opened (over the first weeks), one in three clicked, one in five replied.
    finished_campaign(st, pool, &input, 150, 21, |i| {
        let day = |d: usize| Duration::days(d as i64);
        let mut touches = Vec::new();
        if i % 3 != 2 {
            touches.push(("open", day(i % 20 + 1)));
        }
        if i % 3 == 0 {
            touches.push(("click", day(i % 25 + 2)));
        }
        if i % 5 == 0 {
            touches.push(("reply", day(i % 40 + 3)));
        }
        touches
    })
    .await
}

/// Writes a campaign to everyone in `pool` as launched `days_ago` and completed `ran_days`
/// later: one completed enrollment per person, their `last_contacted_at` at the launch, and the
/// engagement `touches(i)` gives the i-th person (kind, time after the launch).
async fn finished_campaign(
    st: &AppState,
    pool: &RecordId,
    input: &crate::campaigns::types::CampaignInput,
    days_ago: i64,
    ran_days: i64,
    touches: impl Fn(usize) -> Vec<(&'static str, Duration)>,
) -> crate::error::AppResult<()> {
    let db = &st.db;
    let by = crate::server::activity::Actor::system();
    let campaign = crate::campaigns::repo::create(db, input, &by).await?;
    let launched = Utc::now() - Duration::days(days_ago);
    let mut r = db
        .query("SELECT VALUE person FROM pool_member WHERE pool = $pool")
        .bind(("pool", pool.clone()))
        .await?;
    let people: Vec<RecordId> = r.take(0)?;
    let touches: Vec<serde_json::Value> = people
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            touches(i).into_iter().map(move |(kind, after)| {
                serde_json::json!({
                    "person": crate::server::db::key(p), "kind": kind,
                    "at": (launched + after).to_rfc3339(),
                })
            })
        })
        .collect();
    db.query(
        "UPDATE $c SET status = 'completed', audience_kind = 'pool', audience_pool = $pool,
            launched_at = $launched, completed_at = $completed,
            recipients = array::len($people) RETURN NONE;
         FOR $p IN $people {
             CREATE enrollment SET campaign = $c, person = $p, status = 'completed', step_index = 1,
                next_run_at = $launched RETURN NONE;
             UPDATE $p SET last_contacted_at = $launched RETURN NONE;
         };
         FOR $t IN $touches {
             CREATE engagement SET kind = $t.kind, person = type::record('person', $t.person),
                campaign = $c, at = <datetime> $t.at RETURN NONE;
         };",
    )
    .bind(("c", campaign))
    .bind(("pool", pool.clone()))
    .bind(("launched", launched))
    .bind(("completed", launched + Duration::days(ran_days)))
    .bind(("people", people))
    .bind(("touches", touches))
    .await?
    .check()?;
    Ok(())
}
