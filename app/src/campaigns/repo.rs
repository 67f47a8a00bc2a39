//! Campaign storage and sending.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, internal, key, new_key};
use crate::server::mail::NewMail;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

pub const TABLE: &str = "campaign";

#[derive(Debug, Clone, SurrealValue)]
pub struct CampaignRow {
    pub id: RecordId,
    pub name: String,
    pub status: String,
    pub audience_tag: String,
    pub subject: String,
    pub body: String,
    pub recipients: i64,
    pub skipped: i64,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct CampaignContent {
    name: String,
    audience_tag: String,
    subject: String,
    body: String,
}

impl From<&CampaignInput> for CampaignContent {
    fn from(i: &CampaignInput) -> Self {
        Self {
            name: i.name.clone(),
            audience_tag: i.audience_tag.clone(),
            subject: i.subject.clone(),
            body: i.body.clone(),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct AudienceRow {
    pub id: RecordId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub unsubscribed_at: Option<DateTime<Utc>>,
}

impl AudienceRow {
    pub fn values(&self, company: &str) -> TokenValues {
        TokenValues {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            company: company.to_string(),
            job_title: String::new(),
        }
    }
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

pub async fn list(db: &Db) -> AppResult<Vec<CampaignSummary>> {
    let mut res = db
        .query(
            "SELECT id, name, status, audience_tag, subject, body, recipients, skipped, sent_at, created_at
             FROM campaign ORDER BY created_at DESC",
        )
        .await
        .map_err(internal)?;
    let rows: Vec<CampaignRow> = res.take(0).map_err(internal)?;
    Ok(rows
        .into_iter()
        .map(|r| CampaignSummary {
            id: key(&r.id),
            name: r.name,
            status: r.status,
            audience_tag: r.audience_tag,
            recipients: r.recipients,
            sent_at: r.sent_at.map(|d| d.to_rfc3339()),
        })
        .collect())
}

pub async fn get(db: &Db, id: &RecordId) -> AppResult<Option<CampaignRow>> {
    let mut res = db
        .query(
            "SELECT id, name, status, audience_tag, subject, body, recipients, skipped, sent_at
             FROM ONLY $id",
        )
        .bind(("id", id.clone()))
        .await
        .map_err(internal)?;
    res.take(0).map_err(internal)
}

pub async fn create(db: &Db, input: &CampaignInput, actor: &Actor) -> AppResult<RecordId> {
    let id = RecordId::new(TABLE, new_key());
    db.query("CREATE $id CONTENT $c; UPDATE $id SET created_by = $by RETURN NONE;")
        .bind(("id", id.clone()))
        .bind(("c", CampaignContent::from(input)))
        .bind(("by", actor.id.clone()))
        .await
        .and_then(|r| r.check())
        .map_err(internal)?;
    Ok(id)
}

pub async fn update(db: &Db, id: &RecordId, input: &CampaignInput) -> AppResult<()> {
    let mut res = db
        .query("UPDATE $id MERGE $c WHERE status = 'draft' RETURN VALUE id")
        .bind(("id", id.clone()))
        .bind(("c", CampaignContent::from(input)))
        .await
        .map_err(internal)?;
    let done: Vec<RecordId> = res.take(0).map_err(internal)?;
    if done.is_empty() {
        return Err(AppError::Conflict(
            "This campaign was already sent and can no longer be edited.".into(),
        ));
    }
    Ok(())
}

/// Everyone with the tag (including the unsubscribed, who are counted but never emailed).
pub async fn audience(db: &Db, tag: &str) -> AppResult<Vec<AudienceRow>> {
    let mut res = db
        .query(
            "SELECT id, first_name, last_name, email, unsubscribed_at FROM person
             WHERE tags CONTAINS $tag ORDER BY last_name, first_name",
        )
        .bind(("tag", tag.to_string()))
        .await
        .map_err(internal)?;
    res.take(0).map_err(internal)
}

pub async fn delivered_count(db: &Db, campaign: &RecordId) -> AppResult<i64> {
    let mut res = db
        .query("SELECT VALUE id FROM mail WHERE campaign = $c AND status = 'sent'")
        .bind(("c", campaign.clone()))
        .await
        .map_err(internal)?;
    let ids: Vec<RecordId> = res.take(0).map_err(internal)?;
    Ok(ids.len() as i64)
}

/// Renders one recipient's message (with the unsubscribe footer and header).
pub fn message_for(st: &AppState, c: &CampaignRow, p: &AudienceRow) -> NewMail {
    let values = p.values(&st.config.company_name);
    let unsubscribe = crate::portal::links::unsubscribe_link(st, &p.id);
    let subject = render(&c.subject, &values);
    let body = format!(
        "{}{}",
        render(&c.body, &values),
        footer(&st.config.company_name, &unsubscribe)
    );
    st.mailer.compose(
        "campaign",
        &p.email,
        &p.name(),
        &subject,
        &body,
        Some(p.id.clone()),
        Some(c.id.clone()),
        Some(unsubscribe),
    )
}

/// Sends a draft campaign: one mail row per reachable person (unsubscribed people skipped),
/// a timeline entry per person, then marks it sent. Returns (sent, skipped).
pub async fn send(st: &AppState, id: &RecordId, actor: &Actor) -> AppResult<(i64, i64)> {
    let db = &st.db;
    let mut res = db
        .query("UPDATE $id SET status = 'sending' WHERE status = 'draft' RETURN VALUE id")
        .bind(("id", id.clone()))
        .await
        .map_err(internal)?;
    let claimed: Vec<RecordId> = res.take(0).map_err(internal)?;
    if claimed.is_empty() {
        return Err(AppError::Conflict(
            "This campaign has already been sent.".into(),
        ));
    }
    let campaign = get(db, id).await?.ok_or(AppError::NotFound)?;
    let people = audience(db, &campaign.audience_tag).await?;
    let (reachable, unsubscribed): (Vec<_>, Vec<_>) = people
        .into_iter()
        .partition(|p| p.unsubscribed_at.is_none());
    for chunk in reachable.chunks(500) {
        let mails: Vec<NewMail> = chunk
            .iter()
            .map(|p| message_for(st, &campaign, p))
            .collect();
        let activities: Vec<NewActivity> = chunk
            .iter()
            .map(|p| {
                NewActivity::new(
                    actor,
                    "campaign_email",
                    format!("Campaign email “{}”", campaign.name),
                )
                .person(&p.id)
            })
            .collect();
        db.query(
            "BEGIN TRANSACTION;
             INSERT INTO mail $mails RETURN NONE;
             INSERT INTO activity $activities RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("mails", mails))
        .bind(("activities", activities))
        .await
        .and_then(|r| r.check())
        .map_err(internal)?;
        st.mailer.wake();
    }
    let sent = reachable.len() as i64;
    let skipped = unsubscribed.len() as i64;
    db.query(
        "UPDATE $id SET status = 'sent', sent_at = time::now(), recipients = $sent, skipped = $skipped RETURN NONE",
    )
    .bind(("id", id.clone()))
    .bind(("sent", sent))
    .bind(("skipped", skipped))
    .await
    .and_then(|r| r.check())
    .map_err(internal)?;
    Ok((sent, skipped))
}

/// Marks a person unsubscribed (idempotent). Returns false when they already were.
pub async fn unsubscribe(db: &Db, person: &RecordId, how: &str) -> AppResult<bool> {
    let activity = NewActivity::new(
        &Actor::candidate(),
        "unsubscribed",
        format!("Unsubscribed from campaign emails ({how})"),
    )
    .person(person);
    let mut res = crate::server::db::write(
        db
        .query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $p SET unsubscribed_at = time::now() WHERE unsubscribed_at = NONE RETURN VALUE id;
             IF array::len($done) > 0 { CREATE activity CONTENT $activity RETURN NONE };
             RETURN $done;
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("activity", activity)),
    )
    .await?;
    let done: Vec<RecordId> = crate::server::db::txn_return(&mut res).map_err(internal)?;
    Ok(!done.is_empty())
}

#[derive(Debug, Clone, SurrealValue)]
pub struct UnsubPerson {
    pub email: String,
    pub unsubscribed_at: Option<DateTime<Utc>>,
}

pub async fn unsub_person(db: &Db, person: &RecordId) -> AppResult<Option<UnsubPerson>> {
    let mut res = db
        .query("SELECT email, unsubscribed_at FROM ONLY $p")
        .bind(("p", person.clone()))
        .await
        .map_err(internal)?;
    res.take(0).map_err(internal)
}
