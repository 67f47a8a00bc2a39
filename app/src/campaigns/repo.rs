//! Campaign storage: drafts, audiences (tag, pool or segment), launching, unsubscribes.

use super::sequence::Step;
use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, new_key, retry_conflicts, write_guarded};
use crate::server::mail::NewMail;
use crate::templates::{TokenValues, render};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

pub const TABLE: &str = "campaign";

#[derive(Debug, Clone, SurrealValue)]
pub struct CampaignRow {
    pub id: RecordId,
    pub name: String,
    pub status: String,
    pub audience_kind: String,
    pub audience_tag: String,
    pub audience_pool: Option<RecordId>,
    pub audience_segment: Option<RecordId>,
    pub subject: String,
    pub body: String,
    pub steps: Vec<serde_json::Value>,
    pub auto_enroll: bool,
    pub use_send_window: bool,
    pub send_days: Vec<i64>,
    pub send_start_hour: i64,
    pub send_end_hour: i64,
    pub job: Option<RecordId>,
    pub job_title: Option<String>,
    pub topic: String,
    pub recipients: i64,
    pub skipped: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub launched_at: Option<DateTime<Utc>>,
}

pub const CAMPAIGN_FIELDS: &str = "id, name, status, audience_kind, audience_tag, audience_pool, audience_segment,
    subject, body, steps, auto_enroll, use_send_window, send_days, send_start_hour, send_end_hour, job,
    job.title AS job_title, topic, recipients, skipped, sent_at, launched_at";

impl CampaignRow {
    /// The sequence (a campaign written with one subject and body is a one-email sequence).
    pub fn steps(&self) -> Vec<Step> {
        let steps: Vec<Step> = self
            .steps
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect();
        if steps.is_empty() && !self.subject.is_empty() {
            return vec![Step::Email {
                id: "s1".into(),
                subject: self.subject.clone(),
                subject_b: None,
                body: self.body.clone(),
            }];
        }
        steps
    }
    pub fn options(&self) -> CampaignOptions {
        CampaignOptions {
            auto_enroll: self.auto_enroll,
            use_send_window: self.use_send_window,
            send_days: self.send_days.iter().map(|d| *d as u32).collect(),
            start_hour: self.send_start_hour as u32,
            end_hour: self.send_end_hour as u32,
            job_id: self.job.as_ref().map(key),
            topic: self.topic.clone(),
        }
    }
    pub fn window(&self) -> Option<super::schedule::Window> {
        self.use_send_window.then(|| super::schedule::Window {
            days: self.send_days.iter().map(|d| *d as u32).collect(),
            start_hour: self.send_start_hour as u32,
            end_hour: self.send_end_hour as u32,
        })
    }
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
    pub unsubscribed_topics: Vec<String>,
    pub consent_status: String,
    pub consent_basis: Option<String>,
    pub timezone: Option<String>,
    pub last_contacted_at: Option<DateTime<Utc>>,
}

pub const AUDIENCE_FIELDS: &str = "id, first_name, last_name, email, unsubscribed_at, unsubscribed_topics, consent_status, consent_basis, timezone, last_contacted_at";

impl AudienceRow {
    pub fn values(&self, company: &str, job_title: &str) -> TokenValues {
        TokenValues {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            company: company.to_string(),
            job_title: job_title.to_string(),
            ..Default::default()
        }
    }
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
    /// May a campaign on `topic` write to this person? Not after they unsubscribed (from
    /// everything or this topic), and only on a basis that allows it
    /// ([`crate::privacy::types::campaign_may_reach`]).
    pub fn reachable_for(&self, topic: &str) -> bool {
        self.unsubscribed_at.is_none()
            && !self.unsubscribed_topics.iter().any(|t| t == topic)
            && crate::privacy::types::campaign_may_reach(
                &self.consent_status,
                self.consent_basis.as_deref(),
            )
    }
}

pub async fn list(db: &Db) -> AppResult<Vec<CampaignSummary>> {
    let mut res = db
        .query(format!(
            "SELECT {CAMPAIGN_FIELDS}, created_at FROM campaign ORDER BY created_at DESC"
        ))
        .await?;
    let rows: Vec<CampaignRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| CampaignSummary {
            id: key(&r.id),
            name: r.name.clone(),
            status: CampaignStatus::parse(&r.status),
            audience_tag: audience_short(&r),
            recipients: r.recipients,
            sent_at: r.launched_at.or(r.sent_at).map(|d| d.to_rfc3339()),
        })
        .collect())
}

fn audience_short(r: &CampaignRow) -> String {
    match r.audience_kind.as_str() {
        "pool" => "pool".into(),
        "segment" => "segment".into(),
        _ => r.audience_tag.clone(),
    }
}

pub async fn get(db: &Db, id: &RecordId) -> AppResult<Option<CampaignRow>> {
    let mut res = db
        .query(format!("SELECT {CAMPAIGN_FIELDS} FROM ONLY $id"))
        .bind(("id", id.clone()))
        .await?;
    Ok(res.take(0)?)
}

/// A one-email campaign to a tag (the quick form).
pub async fn create(db: &Db, input: &CampaignInput, actor: &Actor) -> AppResult<RecordId> {
    let id = RecordId::new(TABLE, new_key());
    let steps = vec![serde_json::to_value(Step::Email {
        id: format!("s{}", &new_key()[..8]),
        subject: input.subject.clone(),
        subject_b: None,
        body: input.body.clone(),
    })?];
    db.query("CREATE $id CONTENT $c; UPDATE $id SET created_by = $by, steps = $steps RETURN NONE;")
        .bind(("id", id.clone()))
        .bind(("c", CampaignContent::from(input)))
        .bind(("by", actor.id.clone()))
        .bind(("steps", steps))
        .await
        .and_then(|r| r.check())?;
    Ok(id)
}

/// Saves the quick form (name, tag, subject, body) of a draft.
pub async fn update(db: &Db, id: &RecordId, input: &CampaignInput) -> AppResult<()> {
    let current = get(db, id).await?.ok_or(AppError::NotFound)?;
    if current.status != "draft" {
        return Err(AppError::Conflict(
            "This campaign was already launched and can no longer be edited.".into(),
        ));
    }
    let mut steps = current.steps();
    match steps.iter_mut().find(|s| matches!(s, Step::Email { .. })) {
        Some(Step::Email { subject, body, .. }) => {
            *subject = input.subject.clone();
            *body = input.body.clone();
        }
        _ => steps.insert(
            0,
            Step::Email {
                id: format!("s{}", &new_key()[..8]),
                subject: input.subject.clone(),
                subject_b: None,
                body: input.body.clone(),
            },
        ),
    }
    save_steps(db, id, &steps).await?;
    db.query("UPDATE $id MERGE $c WHERE status = 'draft' RETURN NONE")
        .bind(("id", id.clone()))
        .bind(("c", CampaignContent::from(input)))
        .await?;
    db.query("UPDATE $id SET audience_kind = 'tag' WHERE status = 'draft' RETURN NONE")
        .bind(("id", id.clone()))
        .await?;
    Ok(())
}

/// Replaces the sequence of a draft. The first email's subject and body are mirrored into the
/// campaign's own fields (lists show them).
pub async fn save_steps(db: &Db, id: &RecordId, steps: &[Step]) -> AppResult<()> {
    let values: Vec<serde_json::Value> = steps
        .iter()
        .map(|s| serde_json::to_value(s).map_err(AppError::from))
        .collect::<Result<_, _>>()?;
    let (subject, body) = steps
        .iter()
        .find_map(|s| match s {
            Step::Email { subject, body, .. } => Some((subject.clone(), body.clone())),
            _ => None,
        })
        .unwrap_or_default();
    let mut r = write_guarded(
        db.query(
            "UPDATE $id SET steps = $steps, subject = $subject, body = $body WHERE status IN ['draft', 'paused'] RETURN VALUE id",
        )
        .bind(("id", id.clone()))
        .bind(("steps", values))
        .bind(("subject", subject))
        .bind(("body", body)),
        &[],
    )
    .await?;
    let done: Vec<RecordId> = r.take(0)?;
    if done.is_empty() {
        return Err(AppError::Conflict(
            "Only drafts and paused campaigns can change their steps.".into(),
        ));
    }
    Ok(())
}

/// Who a campaign goes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Audience {
    Tag(String),
    Pool(RecordId),
    Segment(RecordId),
}

impl Audience {
    /// The stored `audience_kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Audience::Tag(_) => "tag",
            Audience::Pool(_) => "pool",
            Audience::Segment(_) => "segment",
        }
    }
}

/// Saves a draft's audience and options.
pub async fn save_settings(
    db: &Db,
    id: &RecordId,
    name: &str,
    audience: &Audience,
    o: &CampaignOptions,
) -> AppResult<()> {
    let (audience_tag, audience_pool, audience_segment) = match audience {
        Audience::Tag(t) => (t.as_str(), None, None),
        Audience::Pool(p) => ("", Some(p.clone()), None),
        Audience::Segment(s) => ("", None, Some(s.clone())),
    };
    let mut r = db
        .query(
            "UPDATE $id SET name = $name, audience_kind = $kind, audience_tag = $tag, audience_pool = $pool,
                audience_segment = $segment, auto_enroll = $auto, use_send_window = $window, send_days = $days,
                send_start_hour = $start, send_end_hour = $end, job = $job, topic = $topic
             WHERE status IN ['draft', 'paused'] RETURN VALUE id",
        )
        .bind(("id", id.clone()))
        .bind(("name", name.to_string()))
        .bind(("kind", audience.kind()))
        .bind(("tag", audience_tag.to_string()))
        .bind(("pool", audience_pool))
        .bind(("segment", audience_segment))
        .bind(("auto", o.auto_enroll))
        .bind(("window", o.use_send_window))
        .bind(("days", o.send_days.iter().map(|d| *d as i64).collect::<Vec<_>>()))
        .bind(("start", o.start_hour as i64))
        .bind(("end", o.end_hour as i64))
        .bind(("job", o.job_id.as_deref().map(|j| RecordId::new("job", j))))
        .bind(("topic", o.topic.clone()))
        .await?;
    let done: Vec<RecordId> = r.take(0)?;
    if done.is_empty() {
        return Err(AppError::Conflict(
            "Only drafts and paused campaigns can change.".into(),
        ));
    }
    Ok(())
}

/// Everyone in the campaign's audience (reachable or not), ordered by name.
pub async fn audience(db: &Db, c: &CampaignRow) -> AppResult<Vec<AudienceRow>> {
    let ids: Option<Vec<RecordId>> = match c.audience_kind.as_str() {
        "pool" => {
            let pool = c
                .audience_pool
                .clone()
                .ok_or_else(|| AppError::invalid("audience", "Choose a pool."))?;
            let mut r = db
                .query("SELECT VALUE person FROM pool_member WHERE pool = $pool")
                .bind(("pool", pool))
                .await?;
            Some(r.take(0)?)
        }
        "segment" => {
            let seg = c
                .audience_segment
                .clone()
                .ok_or_else(|| AppError::invalid("audience", "Choose a segment."))?;
            let (_, d) = crate::segments::repo::segment(db, &seg)
                .await?
                .ok_or(AppError::NotFound)?;
            Some(
                crate::segments::repo::segment_people(db, &d)
                    .await?
                    .into_iter()
                    .map(|m| m.id)
                    .collect(),
            )
        }
        _ => None,
    };
    let mut r = match ids {
        Some(ids) => db
            .query(format!("SELECT {AUDIENCE_FIELDS} FROM $ids ORDER BY last_name, first_name"))
            .bind(("ids", ids))
            .await?,
        None => db
            .query(format!("SELECT {AUDIENCE_FIELDS} FROM person WHERE tags CONTAINS $tag ORDER BY last_name, first_name"))
            .bind(("tag", c.audience_tag.clone()))
            .await?,
    };
    Ok(r.take(0)?)
}

pub async fn audience_label(db: &Db, c: &CampaignRow) -> AppResult<String> {
    Ok(match c.audience_kind.as_str() {
        "pool" => {
            let name = match &c.audience_pool {
                Some(p) => crate::pools::repo::pool(db, p)
                    .await?
                    .map(|p| p.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            format!("people in the pool {name}")
        }
        "segment" => {
            let name = match &c.audience_segment {
                Some(s) => crate::segments::repo::segment(db, s)
                    .await?
                    .map(|(n, _)| n)
                    .unwrap_or_default(),
                None => String::new(),
            };
            format!("people in the segment {name}")
        }
        _ => format!("people tagged {}", c.audience_tag),
    })
}

pub async fn delivered_count(db: &Db, campaign: &RecordId) -> AppResult<i64> {
    let mut res = db
        .query("SELECT VALUE id FROM mail WHERE campaign = $c AND status = 'sent'")
        .bind(("c", campaign.clone()))
        .await?;
    let ids: Vec<RecordId> = res.take(0)?;
    Ok(ids.len() as i64)
}

/// Renders one step's message for one recipient, with the unsubscribe footer and tracking.
pub fn message_for(
    st: &AppState,
    c: &CampaignRow,
    p: &AudienceRow,
    step: &Step,
    variant: &str,
    mail_id: &RecordId,
) -> NewMail {
    let unsubscribe = crate::portal::links::unsubscribe_link(st, &p.id);
    let (subject, text, html) = rendered(st, c, p, step, variant, Some(mail_id), &unsubscribe);
    let mut m = st
        .mailer
        .compose("campaign", &p.email, &p.name(), &subject, &text)
        .person(p.id.clone())
        .campaign(c.id.clone())
        .unsubscribe(unsubscribe);
    m.html_body = Some(html);
    m.step_id = Some(step.id().to_string());
    m.variant = match step {
        Step::Email {
            subject_b: Some(b), ..
        } if !b.trim().is_empty() => Some(variant.to_string()),
        _ => None,
    };
    m
}

/// A test of one step's message as `p` would receive it, sent to a team member (`to`: email,
/// name) instead. Nothing in it acts on `p` or counts for the campaign: it belongs to neither,
/// its links are not tracked and its unsubscribe link is a placeholder, as its first line says.
pub fn test_message(
    st: &AppState,
    c: &CampaignRow,
    p: &AudienceRow,
    step: &Step,
    variant: &str,
    to: (&str, &str),
) -> NewMail {
    let placeholder = format!("{}/unsubscribe", st.config.public_url);
    let (subject, text, html) = rendered(st, c, p, step, variant, None, &placeholder);
    let note = format!(
        "Test of “{}” as {} would receive it. Its links are not tracked and its unsubscribe link is a placeholder.",
        c.name,
        p.name()
    );
    let mut m = st.mailer.compose(
        "campaign_test",
        to.0,
        to.1,
        &format!("[Test] {subject}"),
        &format!("{note}\n\n{text}"),
    );
    m.html_body = Some(format!(
        "<p style=\"margin:0 0 16px;padding:8px 12px;background:#fff7e0;border-radius:4px;font-size:14px\">{}</p>{html}",
        crate::server::mail_layout::escape(&note)
    ));
    m
}

/// A step's subject, text and HTML for `p`, with the footer's `unsubscribe` link; links to our
/// own pages (and those the message names) are tracked as `mail` when it is given.
fn rendered(
    st: &AppState,
    c: &CampaignRow,
    p: &AudienceRow,
    step: &Step,
    variant: &str,
    mail: Option<&RecordId>,
    unsubscribe: &str,
) -> (String, String, String) {
    let Step::Email {
        subject,
        subject_b,
        body,
        ..
    } = step
    else {
        unreachable!("only email steps make messages")
    };
    let job_id = c.job.as_ref().map(key);
    let values = p
        .values(
            &st.config.company_name,
            c.job_title.as_deref().unwrap_or(""),
        )
        .with_links(&st.config.public_url, job_id.as_deref());
    let subject = match (variant, subject_b) {
        ("B", Some(b)) if !b.trim().is_empty() => render(b, &values),
        _ => render(subject, &values),
    };
    let text = render(body, &values);
    let mut trusted = super::tracking::urls_in(body);
    trusted.extend([values.job_url.clone(), values.jobs_url.clone()]);
    if mail.is_none() {
        trusted.clear();
    }
    let (text, html) = super::tracking::tracked_bodies(
        st,
        mail.unwrap_or(&RecordId::new("mail", "untracked")),
        &text,
        &footer(&st.config.company_name, unsubscribe),
        &trusted,
    );
    (subject, text, html)
}

/// Marks a person unsubscribed (idempotent). Returns false when they already were.
/// The campaign engine may be writing the same person at that moment: conflicts are retried.
pub async fn unsubscribe(db: &Db, person: &RecordId, how: &str) -> AppResult<bool> {
    retry_conflicts(|| unsubscribe_once(db, person, how)).await
}

async fn unsubscribe_once(db: &Db, person: &RecordId, how: &str) -> AppResult<bool> {
    let activity = NewActivity::new(
        &Actor::candidate(),
        "unsubscribed",
        format!("Unsubscribed from campaign emails ({how})"),
    )
    .person(person);
    let mut res = write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $p SET unsubscribed_at = time::now() WHERE unsubscribed_at = NONE RETURN VALUE id;
             IF array::len($done) > 0 {
                CREATE activity CONTENT $activity RETURN NONE;
                LET $last = (SELECT campaign, created_at FROM mail WHERE person = $p AND campaign != NONE ORDER BY created_at DESC LIMIT 1)[0].campaign;
                CREATE engagement SET kind = 'unsubscribe', person = $p, campaign = $last RETURN NONE;
                UPDATE enrollment SET status = 'stopped', stop_reason = 'unsubscribed' WHERE person = $p AND status = 'active' RETURN NONE;
             };
             RETURN $done;
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("activity", activity)),
        &[],
    )
    .await?;
    let done: Vec<RecordId> = crate::server::db::txn_return(&mut res)?;
    Ok(!done.is_empty())
}

/// Sets which topics a person still wants (the unsubscribe page's choices).
pub async fn set_topics(
    db: &Db,
    person: &RecordId,
    unsubscribed_topics: &[String],
) -> AppResult<()> {
    retry_conflicts(|| set_topics_once(db, person, unsubscribed_topics)).await
}

async fn set_topics_once(
    db: &Db,
    person: &RecordId,
    unsubscribed_topics: &[String],
) -> AppResult<()> {
    let activity = NewActivity::new(
        &Actor::candidate(),
        "preferences",
        if unsubscribed_topics.is_empty() {
            "Chose to keep receiving all emails".to_string()
        } else {
            format!("Unsubscribed from: {}", unsubscribed_topics.join(", "))
        },
    )
    .person(person);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             UPDATE $p SET unsubscribed_topics = $topics RETURN NONE;
             IF $topics CONTAINS 'campaigns' {
                UPDATE enrollment SET status = 'stopped', stop_reason = 'unsubscribed' WHERE person = $p AND status = 'active' RETURN NONE;
             };
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("topics", unsubscribed_topics.to_vec()))
        .bind(("activity", activity)),
        &[],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
pub struct UnsubPerson {
    pub email: String,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    pub unsubscribed_topics: Vec<String>,
}

pub async fn unsub_person(db: &Db, person: &RecordId) -> AppResult<Option<UnsubPerson>> {
    let mut res = db
        .query("SELECT email, unsubscribed_at, unsubscribed_topics FROM ONLY $p")
        .bind(("p", person.clone()))
        .await?;
    Ok(res.take(0)?)
}

pub async fn frequency_cap_days(db: &Db) -> AppResult<i64> {
    let mut r = db
        .query("(SELECT VALUE frequency_cap_days FROM ONLY crm_settings:main) ?? 0")
        .await?;
    let v: Option<i64> = r.take(0)?;
    Ok(v.unwrap_or(0))
}

/// An empty sequence (steps are added in the builder).
pub async fn create_sequence(db: &Db, name: &str, staff_key: &str) -> AppResult<RecordId> {
    let id = RecordId::new(TABLE, new_key());
    db.query("CREATE $id SET name = $name, audience_tag = '', subject = '', body = '', created_by = $by RETURN NONE")
        .bind(("id", id.clone()))
        .bind(("name", name.to_string()))
        .bind(("by", Some(RecordId::new("staff", staff_key))))
        .await?
        .check()?;
    Ok(id)
}

/// The time zone of people who have none of their own (`crm_settings.default_timezone`).
pub async fn default_timezone(db: &Db) -> AppResult<String> {
    let mut r = db
        .query("(SELECT VALUE default_timezone FROM ONLY crm_settings:main) ?? 'Europe/Berlin'")
        .await?;
    let v: Option<String> = r.take(0)?;
    Ok(v.unwrap_or_else(|| "Europe/Berlin".into()))
}

pub async fn set_frequency_cap_days(db: &Db, days: i64) -> AppResult<()> {
    db.query("UPSERT crm_settings:main SET frequency_cap_days = $d RETURN NONE")
        .bind(("d", days))
        .await
        .and_then(|r| r.check())?;
    Ok(())
}
