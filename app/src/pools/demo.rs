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
    Ok(())
}
