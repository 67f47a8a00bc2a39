//! The CRM report: pool growth and engagement per month over the last year, and per campaign
//! the people who engaged, replied, applied and were hired.

use super::types::{CampaignFunnel, CrmMonth, CrmReport, last_months};
use crate::error::AppResult;
use crate::server::db::{Db, key};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct MonthCount {
    month: String,
    n: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct KindCount {
    month: String,
    kind: String,
    n: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct CampaignLine {
    id: RecordId,
    name: String,
    enrolled: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct Touch {
    campaign: RecordId,
    kind: String,
    person: RecordId,
}

pub async fn report(db: &Db, now: DateTime<Utc>) -> AppResult<CrmReport> {
    let months = last_months(now.date_naive(), 12);
    let since = chrono::NaiveDate::parse_from_str(&format!("{}-01", months[0]), "%Y-%m-%d")
        .unwrap_or_default()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let mut r = db
        .query(
            "SELECT time::format(added_at, '%Y-%m') AS month, count() AS n FROM pool_member
                WHERE added_at >= $since GROUP BY month;
             SELECT time::format(at, '%Y-%m') AS month, kind, count() AS n FROM engagement
                WHERE at >= $since AND machine = false GROUP BY month, kind;
             SELECT count() AS n FROM (SELECT person FROM pool_member GROUP BY person) GROUP ALL;
             SELECT id, name, launched_at, (SELECT VALUE count() FROM enrollment WHERE campaign = $parent.id GROUP ALL)[0] ?? 0 AS enrolled
                FROM campaign WHERE launched_at != NONE ORDER BY launched_at DESC LIMIT 50;
             SELECT campaign, kind, person FROM engagement
                WHERE campaign != NONE AND machine = false AND kind IN ['open', 'click', 'reply', 'apply', 'hired'];",
        )
        .bind(("since", since))
        .await?;
    let added: Vec<MonthCount> = r.take(0)?;
    let kinds: Vec<KindCount> = r.take(1)?;
    #[derive(Debug, Clone, SurrealValue)]
    struct N {
        n: i64,
    }
    let pooled: Option<N> = r.take(2)?;
    let campaigns: Vec<CampaignLine> = r.take(3)?;
    let touches: Vec<Touch> = r.take(4)?;

    let added: HashMap<String, i64> = added.into_iter().map(|m| (m.month, m.n)).collect();
    let kind = |month: &str, k: &str| {
        kinds
            .iter()
            .filter(|c| c.month == month && c.kind == k)
            .map(|c| c.n)
            .sum::<i64>()
    };
    let months = months
        .iter()
        .map(|m| CrmMonth {
            month: m.clone(),
            added_to_pools: added.get(m).copied().unwrap_or(0),
            opened: kind(m, "open"),
            clicked: kind(m, "click"),
            replied: kind(m, "reply"),
            applied: kind(m, "apply"),
        })
        .collect();
    // Unique people per campaign and step: an open or a click is "engaged".
    let mut people: HashMap<(String, &'static str), std::collections::HashSet<String>> =
        HashMap::new();
    for t in &touches {
        let step = match t.kind.as_str() {
            "open" | "click" => "engaged",
            "reply" => "replied",
            "apply" => "applied",
            "hired" => "hired",
            _ => continue,
        };
        people
            .entry((key(&t.campaign), step))
            .or_default()
            .insert(key(&t.person));
    }
    let count = |c: &str, step: &'static str| {
        people
            .get(&(c.to_string(), step))
            .map(|s| s.len() as i64)
            .unwrap_or(0)
    };
    let campaigns = campaigns
        .into_iter()
        .map(|c| {
            let id = key(&c.id);
            CampaignFunnel {
                engaged: count(&id, "engaged"),
                replied: count(&id, "replied"),
                applied: count(&id, "applied"),
                hired: count(&id, "hired"),
                id,
                name: c.name,
                enrolled: c.enrolled,
            }
        })
        .collect();
    Ok(CrmReport {
        months,
        pooled_now: pooled.map(|p| p.n).unwrap_or(0),
        campaigns,
    })
}
