//! CRM storage: pools, segments, CRM fields, duplicates and merges, prospects into pipelines.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, internal, key, new_key, write_guarded};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
pub struct MemberRow {
    pub id: RecordId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub source: String,
    pub tags: Vec<String>,
    pub consent_status: String,
    pub last_contacted_at: Option<DateTime<Utc>>,
    pub engagement_score: i64,
}

pub const MEMBER_FIELDS: &str = "id, first_name, last_name, email, source, tags, consent_status, last_contacted_at, engagement_score";

impl MemberRow {
    pub fn to_member(&self) -> Member {
        Member {
            id: key(&self.id),
            name: format!("{} {}", self.first_name, self.last_name)
                .trim()
                .to_string(),
            email: self.email.clone(),
            source: self.source.clone(),
            tags: self.tags.clone(),
            consent: self.consent_status.clone(),
            last_contacted_at: self.last_contacted_at.map(|d| d.to_rfc3339()),
            engagement_score: self.engagement_score,
        }
    }
}

// ---- pools -----------------------------------------------------------------------------------

#[derive(Debug, Clone, SurrealValue)]
struct PoolRow {
    id: RecordId,
    name: String,
    description: String,
    members: i64,
}

const POOL_FIELDS: &str = "id, name, description,
    count(SELECT VALUE id FROM pool_member WHERE pool = $parent.id) AS members";

impl From<PoolRow> for PoolSummary {
    fn from(p: PoolRow) -> Self {
        PoolSummary {
            id: key(&p.id),
            name: p.name,
            description: p.description,
            members: p.members,
        }
    }
}

/// Every pool with its member count.
pub async fn pools(db: &Db) -> AppResult<Vec<PoolSummary>> {
    let mut r = db
        .query(format!("SELECT {POOL_FIELDS} FROM pool ORDER BY name"))
        .await
        .map_err(internal)?;
    let rows: Vec<PoolRow> = r.take(0).map_err(internal)?;
    Ok(rows.into_iter().map(PoolSummary::from).collect())
}

/// Pools as (id, name), for choosing one in a form: no member counts.
pub async fn pool_choices(db: &Db) -> AppResult<Vec<(String, String)>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Choice {
        id: RecordId,
        name: String,
    }
    let mut r = db
        .query("SELECT id, name FROM pool ORDER BY name")
        .await
        .map_err(internal)?;
    let rows: Vec<Choice> = r.take(0).map_err(internal)?;
    Ok(rows.into_iter().map(|c| (key(&c.id), c.name)).collect())
}

pub async fn pool(db: &Db, id: &RecordId) -> AppResult<Option<PoolSummary>> {
    let mut r = db
        .query(format!("SELECT {POOL_FIELDS} FROM ONLY $id"))
        .bind(("id", id.clone()))
        .await
        .map_err(internal)?;
    let row: Option<PoolRow> = r.take(0).map_err(internal)?;
    Ok(row.map(PoolSummary::from))
}

pub async fn create_pool(
    db: &Db,
    name: &str,
    description: &str,
    actor: &Actor,
) -> AppResult<RecordId> {
    let id = RecordId::new("pool", new_key());
    write_guarded(
        db.query("CREATE $id SET name = $name, description = $d, created_by = $by RETURN NONE")
            .bind(("id", id.clone()))
            .bind(("name", name.to_string()))
            .bind(("d", description.to_string()))
            .bind(("by", actor.id.clone())),
        &[(
            "already contains",
            AppError::invalid("name", "There is already a pool with that name."),
        )],
    )
    .await?;
    Ok(id)
}

/// Pool by name, created when missing (used by sign-ups and imports).
pub async fn pool_named(db: &Db, name: &str, description: &str) -> AppResult<RecordId> {
    let mut r = db
        .query("SELECT VALUE id FROM pool WHERE name = $name LIMIT 1")
        .bind(("name", name.to_string()))
        .await
        .map_err(internal)?;
    let found: Option<RecordId> = r.take(0).map_err(internal)?;
    match found {
        Some(id) => Ok(id),
        None => match create_pool(db, name, description, &Actor::system()).await {
            Ok(id) => Ok(id),
            // Created by someone else at the same moment.
            Err(AppError::Validation(_)) => Box::pin(pool_named(db, name, description)).await,
            Err(e) => Err(e),
        },
    }
}

/// Adds people to a pool (existing members are skipped). Returns how many were added.
pub async fn add_to_pool(
    db: &Db,
    pool: &RecordId,
    people: &[RecordId],
    actor: &Actor,
) -> AppResult<usize> {
    let mut r = db
        .query("SELECT VALUE person FROM pool_member WHERE pool = $pool AND person IN $people")
        .bind(("pool", pool.clone()))
        .bind(("people", people.to_vec()))
        .await
        .map_err(internal)?;
    let already: Vec<RecordId> = r.take(0).map_err(internal)?;
    let already: HashSet<String> = already.iter().map(key).collect();
    let new: Vec<RecordId> = people
        .iter()
        .filter(|p| !already.contains(&key(p)))
        .cloned()
        .collect();
    if new.is_empty() {
        return Ok(0);
    }
    let mut r = db
        .query("SELECT VALUE name FROM ONLY $pool")
        .bind(("pool", pool.clone()))
        .await
        .map_err(internal)?;
    let name: Option<String> = r.take(0).map_err(internal)?;
    let name = name.ok_or(AppError::NotFound)?;
    #[derive(Debug, Clone, SurrealValue)]
    struct NewMember {
        pool: RecordId,
        person: RecordId,
        added_by: String,
    }
    for chunk in new.chunks(1000) {
        let rows: Vec<NewMember> = chunk
            .iter()
            .map(|p| NewMember {
                pool: pool.clone(),
                person: p.clone(),
                added_by: actor.label.clone(),
            })
            .collect();
        let acts: Vec<NewActivity> = chunk
            .iter()
            .map(|p| {
                NewActivity::new(actor, "pool_added", format!("Added to the pool “{name}”"))
                    .person(p)
            })
            .collect();
        write_guarded(
            db.query(
                "BEGIN TRANSACTION;
                 INSERT INTO pool_member $rows RETURN NONE;
                 INSERT INTO activity $acts RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("rows", rows))
            .bind(("acts", acts)),
            &[],
        )
        .await?;
    }
    Ok(new.len())
}

pub async fn remove_from_pool(
    db: &Db,
    pool: &RecordId,
    person: &RecordId,
    actor: &Actor,
) -> AppResult<()> {
    let activity = NewActivity::new(actor, "pool_removed", "Removed from a pool").person(person);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             DELETE pool_member WHERE pool = $pool AND person = $person;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("pool", pool.clone()))
        .bind(("person", person.clone()))
        .bind(("activity", activity)),
        &[],
    )
    .await?;
    Ok(())
}

pub async fn pool_members(db: &Db, pool: &RecordId) -> AppResult<Vec<MemberRow>> {
    let mut r = db
        .query(format!(
            "LET $ids = SELECT VALUE person FROM pool_member WHERE pool = $pool;
             SELECT {MEMBER_FIELDS} FROM $ids ORDER BY last_name, first_name;"
        ))
        .bind(("pool", pool.clone()))
        .await
        .map_err(internal)?;
    r.take(1).map_err(internal)
}

/// Pools a person belongs to (for the profile).
pub async fn pools_of(db: &Db, person: &RecordId) -> AppResult<Vec<(String, String)>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        pool: RecordId,
        name: String,
    }
    let mut r = db
        .query("SELECT pool, pool.name AS name FROM pool_member WHERE person = $p")
        .bind(("p", person.clone()))
        .await
        .map_err(internal)?;
    let rows: Vec<Row> = r.take(0).map_err(internal)?;
    Ok(rows.into_iter().map(|r| (key(&r.pool), r.name)).collect())
}

// ---- segments --------------------------------------------------------------------------------

#[derive(Debug, Clone, SurrealValue)]
struct SegmentRow {
    id: RecordId,
    name: String,
    definition: serde_json::Value,
}

fn definition_of(v: &serde_json::Value) -> SegmentDefinition {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

/// People ids with an application at or beyond a stage (by each job's own stage order).
async fn reached(db: &Db, stage: &str) -> AppResult<Vec<RecordId>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        person: RecordId,
        stage: String,
        stages: Vec<crate::jobs::repo::StageRow>,
    }
    let mut r = db
        .query("SELECT person, stage, job.stages AS stages FROM application")
        .await
        .map_err(internal)?;
    let rows: Vec<Row> = r.take(0).map_err(internal)?;
    let mut out = Vec::new();
    for row in rows {
        let pos = |id: &str| row.stages.iter().position(|s| s.id == id);
        if let (Some(target), Some(at)) = (pos(stage), pos(&row.stage))
            && at >= target
        {
            out.push(row.person);
        }
    }
    Ok(out)
}

/// Everyone a segment definition matches right now.
pub async fn segment_people(db: &Db, d: &SegmentDefinition) -> AppResult<Vec<MemberRow>> {
    let mut clauses: Vec<&str> = Vec::new();
    if !d.tags.is_empty() {
        clauses.push("tags CONTAINSANY $tags");
    }
    if !d.skills.is_empty() {
        clauses.push("skills CONTAINSANY $skills");
    }
    if !d.location.is_empty() {
        clauses.push("string::contains(string::lowercase(location ?? ''), $location)");
    }
    if !d.sources.is_empty() {
        clauses.push("source IN $sources");
    }
    let (contacted_clause, cutoff) = match d.last_contacted.split_once(':') {
        Some(("over", n)) => (
            Some("(last_contacted_at = NONE OR last_contacted_at < $cutoff)"),
            Some(Utc::now() - Duration::days(n.parse().unwrap_or(0))),
        ),
        Some(("within", n)) => (
            Some("last_contacted_at >= $cutoff"),
            Some(Utc::now() - Duration::days(n.parse().unwrap_or(0))),
        ),
        _ if d.last_contacted == "never" => (Some("last_contacted_at = NONE"), None),
        _ => (None, None),
    };
    if let Some(c) = contacted_clause {
        clauses.push(c);
    }
    if d.min_engagement.is_some() {
        clauses.push("engagement_score >= $min");
    }
    match d.consent.as_str() {
        "granted" => clauses.push("consent_status = 'granted'"),
        "not_withdrawn" => clauses.push("consent_status != 'withdrawn'"),
        _ => {}
    }
    let reached_ids = if d.stage_reached.is_empty() {
        None
    } else {
        Some(reached(db, &d.stage_reached).await?)
    };
    let source = if reached_ids.is_some() {
        "$reached"
    } else {
        "person"
    };
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let skills_lower: Vec<String> = d.skills.clone();
    let mut r = db
        .query(format!(
            "SELECT {MEMBER_FIELDS} FROM {source} {filter} ORDER BY last_name, first_name"
        ))
        .bind(("tags", d.tags.clone()))
        .bind(("skills", skills_lower))
        .bind(("location", d.location.to_lowercase()))
        .bind(("sources", d.sources.clone()))
        .bind(("cutoff", cutoff))
        .bind(("min", d.min_engagement))
        .bind((
            "reached",
            reached_ids.map(|v| {
                let mut seen = HashSet::new();
                v.into_iter()
                    .filter(|id| seen.insert(key(id)))
                    .collect::<Vec<_>>()
            }),
        ))
        .await
        .map_err(internal)?;
    r.take(0).map_err(internal)
}

pub async fn segments(db: &Db) -> AppResult<Vec<SegmentSummary>> {
    let mut r = db
        .query("SELECT id, name, definition FROM segment ORDER BY name")
        .await
        .map_err(internal)?;
    let rows: Vec<SegmentRow> = r.take(0).map_err(internal)?;
    let mut out = Vec::new();
    for s in rows {
        let d = definition_of(&s.definition);
        let members = segment_people(db, &d).await?.len() as i64;
        out.push(SegmentSummary {
            id: key(&s.id),
            name: s.name,
            description: d.describe(),
            members,
        });
    }
    Ok(out)
}

pub async fn segment(db: &Db, id: &RecordId) -> AppResult<Option<(String, SegmentDefinition)>> {
    let mut r = db
        .query("SELECT id, name, definition FROM ONLY $id")
        .bind(("id", id.clone()))
        .await
        .map_err(internal)?;
    let row: Option<SegmentRow> = r.take(0).map_err(internal)?;
    Ok(row.map(|s| (s.name, definition_of(&s.definition))))
}

pub async fn save_segment(
    db: &Db,
    id: Option<&RecordId>,
    name: &str,
    d: &SegmentDefinition,
    actor: &Actor,
) -> AppResult<RecordId> {
    let id = id
        .cloned()
        .unwrap_or_else(|| RecordId::new("segment", new_key()));
    let definition = serde_json::to_value(d).map_err(internal)?;
    write_guarded(
        db.query("UPSERT $id SET name = $name, definition = $d, created_by = created_by ?? $by RETURN NONE")
            .bind(("id", id.clone()))
            .bind(("name", name.to_string()))
            .bind(("d", definition))
            .bind(("by", actor.id.clone())),
        &[("already contains", AppError::invalid("name", "There is already a segment with that name."))],
    )
    .await?;
    Ok(id)
}

// ---- CRM fields --------------------------------------------------------------------------------

#[derive(Debug, Clone, SurrealValue)]
pub struct CrmFieldsRow {
    pub owner: Option<RecordId>,
    pub owner_name: Option<String>,
    pub consent_status: String,
    pub consent_at: Option<DateTime<Utc>>,
    pub consent_basis: Option<String>,
    pub last_contacted_at: Option<DateTime<Utc>>,
    pub engagement_score: i64,
    pub timezone: Option<String>,
    pub unsubscribed_topics: Vec<String>,
    pub referred_by_name: Option<String>,
    pub referral_relationship: Option<String>,
    pub interests: Vec<String>,
}

pub async fn crm_fields(db: &Db, person: &RecordId) -> AppResult<Option<CrmFieldsRow>> {
    let mut r = db
        .query(
            "SELECT owner, owner.name AS owner_name, consent_status, consent_at, consent_basis, last_contacted_at,
                engagement_score, timezone, unsubscribed_topics, referred_by.name AS referred_by_name,
                referral_relationship, interests FROM ONLY $p",
        )
        .bind(("p", person.clone()))
        .await
        .map_err(internal)?;
    r.take(0).map_err(internal)
}

/// Sets owner, consent (with date and basis) and time zone, with a timeline entry.
pub async fn update_crm_fields(
    db: &Db,
    person: &RecordId,
    owner: Option<RecordId>,
    consent: &str,
    basis: Option<String>,
    timezone: Option<String>,
    actor: &Actor,
) -> AppResult<()> {
    let current = crm_fields(db, person).await?.ok_or(AppError::NotFound)?;
    let consent_changed = current.consent_status != consent;
    let activity = NewActivity::new(
        actor,
        "crm_updated",
        if consent_changed {
            format!("Consent set to {consent}")
        } else {
            "Updated CRM details".to_string()
        },
    )
    .person(person);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             UPDATE $p SET owner = $owner, consent_status = $consent, consent_basis = $basis, timezone = $tz,
                consent_at = IF $changed THEN time::now() ELSE consent_at END RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("owner", owner))
        .bind(("consent", consent.to_string()))
        .bind(("basis", basis))
        .bind(("tz", timezone))
        .bind(("changed", consent_changed))
        .bind(("activity", activity)),
        &[],
    )
    .await?;
    Ok(())
}

// ---- duplicates and merges ---------------------------------------------------------------------

#[derive(Debug, Clone, SurrealValue)]
struct DupRow {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    links: Vec<String>,
    source: String,
    tags: Vec<String>,
    consent_status: String,
    last_contacted_at: Option<DateTime<Utc>>,
    engagement_score: i64,
}

impl DupRow {
    fn member(&self) -> Member {
        Member {
            id: key(&self.id),
            name: format!("{} {}", self.first_name, self.last_name)
                .trim()
                .to_string(),
            email: self.email.clone(),
            source: self.source.clone(),
            tags: self.tags.clone(),
            consent: self.consent_status.clone(),
            last_contacted_at: self.last_contacted_at.map(|d| d.to_rfc3339()),
            engagement_score: self.engagement_score,
        }
    }
    fn linkedin(&self) -> Option<String> {
        self.links.iter().find_map(|l| linkedin_key(l))
    }
}

const DUP_FIELDS: &str = "id, first_name, last_name, email, phone, links, source, tags, consent_status, last_contacted_at, engagement_score";

fn pair(a: &DupRow, b: &DupRow) -> Option<DuplicatePair> {
    let la = a.linkedin();
    let lb = b.linkedin();
    let na = format!("{} {}", a.first_name, a.last_name);
    let nb = format!("{} {}", b.first_name, b.last_name);
    duplicate_confidence(&Evidence {
        email_a: &a.email,
        email_b: &b.email,
        phone_a: a.phone.as_deref(),
        phone_b: b.phone.as_deref(),
        linkedin_a: la.as_deref(),
        linkedin_b: lb.as_deref(),
        name_a: &na,
        name_b: &nb,
    })
    .map(|(confidence, reasons)| DuplicatePair {
        a: a.member(),
        b: b.member(),
        confidence,
        reasons,
    })
}

/// Likely duplicates of everyone: candidates share a phone, a LinkedIn profile or the start of
/// their name, and are then scored. Highest confidence first.
pub async fn find_duplicates(db: &Db, limit: usize) -> AppResult<Vec<DuplicatePair>> {
    let mut r = db
        .query(format!("SELECT {DUP_FIELDS} FROM person"))
        .await
        .map_err(internal)?;
    let rows: Vec<DupRow> = r.take(0).map_err(internal)?;
    let mut buckets: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, p) in rows.iter().enumerate() {
        if let Some(ph) = p.phone.as_deref().map(phone_key).filter(|k| k.len() >= 7) {
            buckets
                .entry(format!("p:{}", ph.trim_start_matches('+')))
                .or_default()
                .push(i);
        }
        if let Some(l) = p.linkedin() {
            buckets.entry(format!("l:{l}")).or_default().push(i);
        }
        // Close names: same first initial and the same first letters of the last name.
        let last: String = p
            .last_name
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(4)
            .collect();
        let initial = p.first_name.to_lowercase().chars().next().unwrap_or('_');
        if !last.is_empty() {
            buckets
                .entry(format!("n:{initial}{last}"))
                .or_default()
                .push(i);
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for ids in buckets.values() {
        // Very common last names make large buckets; names alone are weak evidence there.
        if ids.len() > 200 {
            continue;
        }
        for (x, &i) in ids.iter().enumerate() {
            for &j in &ids[x + 1..] {
                let k = if i < j { (i, j) } else { (j, i) };
                if !seen.insert(k) {
                    continue;
                }
                if let Some(p) = pair(&rows[k.0], &rows[k.1]) {
                    out.push(p);
                }
            }
        }
    }
    out.sort_by(|a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then_with(|| a.a.name.cmp(&b.a.name))
    });
    out.truncate(limit);
    Ok(out)
}

/// Likely duplicates of one person.
pub async fn duplicates_of(db: &Db, person: &RecordId) -> AppResult<Vec<DuplicatePair>> {
    let mut r = db
        .query(format!(
            "LET $me = (SELECT {DUP_FIELDS}, phone_key, linkedin_key FROM ONLY $p);
             RETURN $me;
             LET $lo = string::slice($me.last_name, 0, 4);
             SELECT {DUP_FIELDS} FROM person WHERE id != $p AND (
                (last_name >= $lo AND last_name < $lo + $max)
                OR (phone_key != NONE AND phone_key = $me.phone_key)
                OR (linkedin_key != NONE AND linkedin_key = $me.linkedin_key)
                OR email = $me.email);"
        ))
        .bind(("p", person.clone()))
        .bind(("max", char::MAX.to_string()))
        .await
        .map_err(internal)?;
    let me: Option<DupRow> = r.take(1).map_err(internal)?;
    let others: Vec<DupRow> = r.take(3).map_err(internal)?;
    let Some(me) = me else {
        return Err(AppError::NotFound);
    };
    let mut out: Vec<DuplicatePair> = others.iter().filter_map(|o| pair(&me, o)).collect();
    out.sort_by_key(|d| std::cmp::Reverse(d.confidence));
    Ok(out)
}

/// Both records, whole, for the merge screen.
pub async fn person_snapshot(db: &Db, id: &RecordId) -> AppResult<Option<serde_json::Value>> {
    let mut r = db
        .query("SELECT * OMIT search_text, phone_key FROM ONLY $id")
        .bind(("id", id.clone()))
        .await
        .map_err(internal)?;
    let v: Option<serde_json::Value> = r.take(0).map_err(internal)?;
    Ok(v)
}

/// Fields the merge screen lets the user choose between.
pub const MERGE_FIELDS: [&str; 6] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "location",
    "headline",
];

#[derive(Debug, Clone, SurrealValue)]
struct Moved {
    applications: Vec<RecordId>,
    notes: Vec<RecordId>,
    activities: Vec<RecordId>,
    resumes: Vec<RecordId>,
    mails: Vec<RecordId>,
    pool_members: Vec<RecordId>,
    enrollments: Vec<RecordId>,
    engagements: Vec<RecordId>,
}

/// Merges `loser` into `winner`. For each of [`MERGE_FIELDS`] `take_loser` says whether the
/// loser's value wins. Everything that belongs to the loser moves over; both records are kept
/// in the merge so it can be undone.
pub async fn merge(
    db: &Db,
    winner: &RecordId,
    loser: &RecordId,
    take_loser: &[String],
    actor: &Actor,
) -> AppResult<RecordId> {
    if winner == loser {
        return Err(AppError::invalid("other", "Choose two different people."));
    }
    let w = person_snapshot(db, winner)
        .await?
        .ok_or(AppError::NotFound)?;
    let l = person_snapshot(db, loser)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut updates = serde_json::Map::new();
    for f in MERGE_FIELDS {
        if take_loser.iter().any(|x| x == f) && !l[f].is_null() {
            updates.insert(f.to_string(), l[f].clone());
        }
    }
    // Lists are united; the more engaged, the more recent contact wins.
    let union = |field: &str| -> serde_json::Value {
        let mut v: Vec<serde_json::Value> = w[field].as_array().cloned().unwrap_or_default();
        for x in l[field].as_array().cloned().unwrap_or_default() {
            if !v.contains(&x) {
                v.push(x);
            }
        }
        serde_json::Value::Array(v)
    };
    for f in ["skills", "tags", "links", "interests", "work_history"] {
        updates.insert(f.into(), union(f));
    }
    let mut r = db
        .query(
            "SELECT VALUE id FROM application WHERE person = $l;
             SELECT VALUE id FROM note WHERE person = $l;
             SELECT VALUE id FROM activity WHERE person = $l;
             SELECT VALUE id FROM resume WHERE person = $l;
             SELECT VALUE id FROM mail WHERE person = $l;
             SELECT VALUE id FROM pool_member WHERE person = $l AND pool NOTINSIDE (SELECT VALUE pool FROM pool_member WHERE person = $w);
             SELECT VALUE id FROM enrollment WHERE person = $l AND campaign NOTINSIDE (SELECT VALUE campaign FROM enrollment WHERE person = $w);
             SELECT VALUE id FROM engagement WHERE person = $l;
             SELECT VALUE job FROM application WHERE person = $l AND job IN (SELECT VALUE job FROM application WHERE person = $w);",
        )
        .bind(("l", loser.clone()))
        .bind(("w", winner.clone()))
        .await
        .map_err(internal)?;
    let moved = Moved {
        applications: r.take(0).map_err(internal)?,
        notes: r.take(1).map_err(internal)?,
        activities: r.take(2).map_err(internal)?,
        resumes: r.take(3).map_err(internal)?,
        mails: r.take(4).map_err(internal)?,
        pool_members: r.take(5).map_err(internal)?,
        enrollments: r.take(6).map_err(internal)?,
        engagements: r.take(7).map_err(internal)?,
    };
    // Both applied to the same job: both applications are kept (the board shows two cards).
    let both_applied: Vec<RecordId> = r.take(8).map_err(internal)?;
    let merge_id = RecordId::new("merge", new_key());
    let loser_name = format!(
        "{} {}",
        l["first_name"].as_str().unwrap_or(""),
        l["last_name"].as_str().unwrap_or("")
    );
    let activity = NewActivity::new(
        actor,
        "merged",
        format!(
            "Merged with {} ({})",
            loser_name.trim(),
            l["email"].as_str().unwrap_or("")
        ),
    )
    .person(winner);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             CREATE $merge SET winner = $w, loser = $l, loser_snapshot = (SELECT * FROM ONLY $l),
                winner_snapshot = (SELECT * FROM ONLY $w), moved = $moved, by = $by RETURN NONE;
             DELETE $l;
             UPDATE $moved.applications SET person = $w, person_name = $name,
                uniq = <string> record::id($w) + ':' + <string> record::id(job)
                    + IF job IN $both THEN ':' + <string> record::id(id) ELSE '' END RETURN NONE;
             UPDATE $moved.notes SET person = $w RETURN NONE;
             UPDATE $moved.activities SET person = $w RETURN NONE;
             UPDATE $moved.resumes SET person = $w RETURN NONE;
             UPDATE $moved.mails SET person = $w RETURN NONE;
             UPDATE $moved.pool_members SET person = $w RETURN NONE;
             DELETE pool_member WHERE person = $l;
             UPDATE $moved.enrollments SET person = $w RETURN NONE;
             UPDATE enrollment SET status = 'stopped', stop_reason = 'merged' WHERE person = $l RETURN NONE;
             UPDATE $moved.engagements SET person = $w RETURN NONE;
             DELETE session WHERE person = $l;
             UPDATE $w MERGE $updates RETURN NONE;
             UPDATE $w SET engagement_score = engagement_score + $score,
                last_contacted_at = IF $lc > last_contacted_at OR last_contacted_at = NONE THEN $lc ELSE last_contacted_at END RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("merge", merge_id.clone()))
        .bind(("w", winner.clone()))
        .bind(("l", loser.clone()))
        .bind(("moved", moved))
        .bind(("both", both_applied))
        .bind(("by", actor.label.clone()))
        .bind(("name", format!(
            "{} {}",
            updates.get("first_name").and_then(|v| v.as_str()).or(w["first_name"].as_str()).unwrap_or(""),
            updates.get("last_name").and_then(|v| v.as_str()).or(w["last_name"].as_str()).unwrap_or("")
        ).trim().to_string()))
        .bind(("updates", serde_json::Value::Object(updates)))
        .bind(("score", l["engagement_score"].as_i64().unwrap_or(0)))
        .bind(("lc", l["last_contacted_at"].as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|d| d.with_timezone(&Utc))))
        .bind(("activity", activity)),
        &[("already contains", AppError::Conflict("These records changed while merging. Please try again.".into()))],
    )
    .await?;
    Ok(merge_id)
}

/// Undoes a merge: the loser comes back as it was, with what was moved; the winner's fields are
/// restored.
pub async fn unmerge(db: &Db, merge: &RecordId, actor: &Actor) -> AppResult<RecordId> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        winner: RecordId,
        loser: RecordId,
        loser_snapshot: serde_json::Value,
        winner_snapshot: serde_json::Value,
        moved: Moved,
        undone_at: Option<DateTime<Utc>>,
    }
    let mut r = db
        .query(
            "SELECT winner, loser, loser_snapshot, winner_snapshot, moved, undone_at FROM ONLY $m",
        )
        .bind(("m", merge.clone()))
        .await
        .map_err(internal)?;
    let row: Option<Row> = r.take(0).map_err(internal)?;
    let row = row.ok_or(AppError::NotFound)?;
    if row.undone_at.is_some() {
        return Err(AppError::Conflict("This merge was already undone.".into()));
    }
    let loser_name = format!(
        "{} {}",
        row.loser_snapshot["first_name"].as_str().unwrap_or(""),
        row.loser_snapshot["last_name"].as_str().unwrap_or("")
    )
    .trim()
    .to_string();
    let winner_name = format!(
        "{} {}",
        row.winner_snapshot["first_name"].as_str().unwrap_or(""),
        row.winner_snapshot["last_name"].as_str().unwrap_or("")
    )
    .trim()
    .to_string();
    let activity = NewActivity::new(
        actor,
        "unmerged",
        format!("Undid the merge with {loser_name}"),
    )
    .person(&row.winner);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $m SET undone_at = time::now() WHERE undone_at = NONE RETURN VALUE id;
             IF array::len($done) = 0 { THROW 'already_undone' };
             LET $snap = (SELECT loser_snapshot, winner_snapshot FROM ONLY $m);
             UPDATE $w CONTENT $snap.winner_snapshot RETURN NONE;
             CREATE $l CONTENT $snap.loser_snapshot RETURN NONE;
             UPDATE $moved.applications SET person = $l, person_name = $lname,
                uniq = <string> record::id($l) + ':' + <string> record::id(job) RETURN NONE;
             UPDATE application SET person_name = $wname WHERE person = $w RETURN NONE;
             UPDATE $moved.notes SET person = $l RETURN NONE;
             UPDATE $moved.activities SET person = $l RETURN NONE;
             UPDATE $moved.resumes SET person = $l RETURN NONE;
             UPDATE $moved.mails SET person = $l RETURN NONE;
             UPDATE $moved.pool_members SET person = $l RETURN NONE;
             UPDATE $moved.enrollments SET person = $l RETURN NONE;
             UPDATE $moved.engagements SET person = $l RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("m", merge.clone()))
        .bind(("w", row.winner.clone()))
        .bind(("l", row.loser.clone()))
        .bind(("moved", row.moved))
        .bind(("lname", loser_name))
        .bind(("wname", winner_name))
        .bind(("activity", activity)),
        &[
            ("already_undone", AppError::Conflict("This merge was already undone.".into())),
            ("already contains", AppError::Conflict("The old email address is in use by someone else now.".into())),
        ],
    )
    .await?;
    Ok(row.loser)
}

// ---- prospects into pipelines ------------------------------------------------------------------

/// Adds a person to a job's pipeline as a sourced application, crediting the campaign that
/// warmed them, and stops that job's nurture campaigns for them. A person already in that
/// pipeline is a conflict.
pub async fn add_to_job(
    db: &Db,
    person: &RecordId,
    job: &RecordId,
    actor: &Actor,
) -> AppResult<RecordId> {
    try_add_to_job(db, person, job, actor)
        .await?
        .ok_or_else(|| AppError::Conflict(ALREADY_IN_PIPELINE.into()))
}

const ALREADY_IN_PIPELINE: &str = "This person is already in that job's pipeline.";

/// Like [`add_to_job`], but a person already in the pipeline is `None` rather than an error
/// (for adding many people at once).
pub async fn try_add_to_job(
    db: &Db,
    person: &RecordId,
    job: &RecordId,
    actor: &Actor,
) -> AppResult<Option<RecordId>> {
    let job_row = crate::jobs::repo::get(db, job)
        .await?
        .ok_or(AppError::NotFound)?;
    if job_row.status() == crate::jobs::types::JobStatus::Closed {
        return Err(AppError::Conflict("That job is closed.".into()));
    }
    let mut r = db
        .query(
            "SELECT first_name, last_name FROM ONLY $p;
             SELECT VALUE id FROM application WHERE person = $p AND job = $job;
             (SELECT campaign, at FROM engagement WHERE person = $p AND campaign != NONE ORDER BY at DESC LIMIT 1)[0].campaign
                ?? (SELECT campaign, enrolled_at FROM enrollment WHERE person = $p ORDER BY enrolled_at DESC LIMIT 1)[0].campaign;",
        )
        .bind(("p", person.clone()))
        .bind(("job", job.clone()))
        .await
        .map_err(internal)?;
    #[derive(Debug, Clone, SurrealValue)]
    struct Name {
        first_name: String,
        last_name: String,
    }
    let name: Option<Name> = r.take(0).map_err(internal)?;
    let name = name.ok_or(AppError::NotFound)?;
    let existing: Vec<RecordId> = r.take(1).map_err(internal)?;
    if !existing.is_empty() {
        return Ok(None);
    }
    let warmed_by: Option<RecordId> = r.take(2).map_err(internal)?;
    let app = RecordId::new("application", new_key());
    let first_stage = job_row
        .stages
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_else(|| "applied".into());
    let activity = NewActivity::new(
        actor,
        "sourced",
        format!("Added to the pipeline of {} (sourced)", job_row.title),
    )
    .person(person)
    .application(&app)
    .job(job);
    let written = write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             CREATE $app SET person = $p, person_name = $name, job = $job, stage = $stage, status = 'active',
                source = 'sourced', warmed_by = $warmed, uniq = $uniq RETURN NONE;
             UPDATE enrollment SET status = 'stopped', stop_reason = 'added to the job'
                WHERE person = $p AND status = 'active' AND campaign.job = $job RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("app", app.clone()))
        .bind(("p", person.clone()))
        .bind(("name", format!("{} {}", name.first_name, name.last_name).trim().to_string()))
        .bind(("job", job.clone()))
        .bind(("stage", first_stage))
        .bind(("warmed", warmed_by))
        .bind(("uniq", format!("{}:{}", key(person), key(job))))
        .bind(("activity", activity)),
        // The unique index catches someone adding the same person at the same moment.
        &[("already contains", AppError::Conflict(ALREADY_IN_PIPELINE.into()))],
    )
    .await;
    match written {
        Ok(_) => Ok(Some(app)),
        Err(AppError::Conflict(m)) if m == ALREADY_IN_PIPELINE => Ok(None),
        Err(e) => Err(e),
    }
}
