//! The sourcer's home's reads (and the replies the notifications bell counts): replies that
//! wait for an answer, the activity of recent campaigns, who is new in the talent pool.

use super::types::*;
use crate::error::AppResult;
use crate::server::db::{Db, key};
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, HashSet};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct Reply {
    person: RecordId,
    name: String,
    campaign: Option<RecordId>,
    campaign_name: Option<String>,
    at: DateTime<Utc>,
    contacted: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct Campaign {
    id: RecordId,
    name: String,
    status: String,
    recipients: Option<i64>,
    /// Only for the order.
    #[allow(dead_code)]
    since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct Touch {
    campaign: RecordId,
    kind: String,
    person: RecordId,
}

#[derive(Debug, Clone, SurrealValue)]
struct Person {
    id: RecordId,
    name: String,
    source: String,
    created_at: DateTime<Utc>,
}

/// Campaign replies of the last [`REPLY_DAYS`] that nobody answered: no mail went to the
/// person after it (sending any mail sets their last contact). One per person, the newest
/// first.
pub async fn replies_waiting(
    db: &Db,
    now: DateTime<Utc>,
    limit: usize,
) -> AppResult<Vec<ReplyTodo>> {
    let mut r = db
        .query(
            "SELECT person, string::concat(person.first_name, ' ', person.last_name) AS name,
                campaign, campaign.name AS campaign_name, at,
                person.last_contacted_at AS contacted
             FROM engagement WHERE kind = 'reply' AND at > $since
             ORDER BY at DESC LIMIT 200",
        )
        .bind(("since", now - Duration::days(REPLY_DAYS)))
        .await?;
    let replies: Vec<Reply> = r.take(0)?;
    let mut seen = HashSet::new();
    Ok(replies
        .into_iter()
        .filter(|x| x.contacted.is_none_or(|c| c < x.at))
        .filter(|x| seen.insert(key(&x.person)))
        .take(limit)
        .map(|x| ReplyTodo {
            person_id: key(&x.person),
            name: x.name.trim().to_string(),
            campaign_id: x.campaign.as_ref().map(key),
            campaign: x.campaign_name,
            at: x.at.to_rfc3339(),
        })
        .collect())
}

pub async fn sourcer_home(db: &Db, now: DateTime<Utc>) -> AppResult<SourcerHome> {
    let limit = crate::home::types::LIST_LIMIT;
    let mut r = db
        .query(
            "SELECT id, name, status, recipients, launched_at ?? created_at AS since FROM campaign
             WHERE status IN ['sending', 'sent', 'active', 'paused']
                OR (status = 'completed' AND completed_at > $campaigns_since)
             ORDER BY since DESC LIMIT 6;
             SELECT id, string::concat(first_name, ' ', last_name) AS name, source, created_at
             FROM person WHERE created_at > $people_since AND source != 'careers_page'
             ORDER BY created_at DESC LIMIT $limit;
             (SELECT count() AS n FROM person
              WHERE created_at > $people_since AND source != 'careers_page' GROUP ALL)[0].n ?? 0;",
        )
        .bind(("campaigns_since", now - Duration::days(CAMPAIGN_DAYS)))
        .bind(("people_since", now - Duration::days(NEW_PEOPLE_DAYS)))
        .bind(("limit", limit as i64))
        .await?;
    let campaigns: Vec<Campaign> = r.take(0)?;
    let people: Vec<Person> = r.take(1)?;
    let new_total: Option<i64> = r.take(2)?;
    let replies = replies_waiting(db, now, limit).await?;
    let ids: Vec<RecordId> = campaigns.iter().map(|c| c.id.clone()).collect();
    let mut r = db
        .query(
            "SELECT campaign, kind, person FROM engagement
             WHERE campaign IN $ids AND machine = false AND kind IN ['open', 'click', 'reply', 'apply']",
        )
        .bind(("ids", ids))
        .await?;
    let touches: Vec<Touch> = r.take(0)?;
    let mut who: HashMap<(String, String), HashSet<String>> = HashMap::new();
    for t in touches {
        who.entry((key(&t.campaign), t.kind))
            .or_default()
            .insert(key(&t.person));
    }
    let n = |c: &str, kind: &str| {
        who.get(&(c.to_string(), kind.to_string()))
            .map_or(0, |s| s.len() as i64)
    };
    let campaigns = campaigns
        .into_iter()
        .map(|c| {
            let id = key(&c.id);
            CampaignActivity {
                opened: n(&id, "open"),
                clicked: n(&id, "click"),
                replied: n(&id, "reply"),
                applied: n(&id, "apply"),
                status: crate::campaigns::types::CampaignStatus::parse(&c.status),
                recipients: c.recipients.unwrap_or(0),
                name: c.name,
                id,
            }
        })
        .collect();
    Ok(SourcerHome {
        replies,
        campaigns,
        new_people: people
            .into_iter()
            .map(|p| NewPerson {
                id: key(&p.id),
                name: p.name.trim().to_string(),
                source: p.source,
                at: p.created_at.to_rfc3339(),
            })
            .collect(),
        new_total: new_total.unwrap_or(0),
    })
}
