//! People queries.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, SurrealValue)]
struct SummaryRow {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    headline: Option<String>,
    tags: Vec<String>,
    source: String,
    unsubscribed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl SummaryRow {
    fn to_summary(&self) -> PersonSummary {
        PersonSummary {
            id: key(&self.id),
            name: format!("{} {}", self.first_name, self.last_name)
                .trim()
                .to_string(),
            email: self.email.clone(),
            headline: self.headline.clone(),
            tags: self.tags.clone(),
            source: self.source.clone(),
            unsubscribed: self.unsubscribed_at.is_some(),
            screened: Vec::new(),
        }
    }
}

fn parse_cursor(cursor: &str) -> Option<(DateTime<Utc>, RecordId)> {
    let (at, id) = cursor.split_once('|')?;
    let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    let id = crate::server::db::id("person", id).ok()?;
    Some((at, id))
}

/// Newest first, 50 at a time, filtered by a name/email fragment and a tag.
pub async fn list(db: &Db, q: &str, tag: &str, cursor: &str) -> AppResult<PeopleList> {
    let q = q.trim().to_lowercase();
    let cursor = parse_cursor(cursor);
    let mut res = db
        .query(
            "SELECT id, first_name, last_name, email, headline, tags, source, unsubscribed_at, created_at
             FROM person
             WHERE ($tag = NONE OR tags CONTAINS $tag)
               AND ($q = NONE OR string::contains(
                    string::lowercase(string::concat(first_name, ' ', last_name, ' ', email)), $q))
               AND ($cursor_at = NONE OR created_at < $cursor_at
                    OR (created_at = $cursor_at AND id < $cursor_id))
             ORDER BY created_at DESC, id DESC
             LIMIT $limit",
        )
        .bind(("tag", (!tag.is_empty()).then(|| tag.to_string())))
        .bind(("q", (!q.is_empty()).then_some(q)))
        .bind(("cursor_at", cursor.as_ref().map(|c| c.0)))
        .bind(("cursor_id", cursor.map(|c| c.1)))
        .bind(("limit", PAGE_SIZE + 1))
        .await?;
    let mut rows: Vec<SummaryRow> = res.take(0)?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next_cursor = more
        .then(|| {
            rows.last()
                .map(|r| format!("{}|{}", r.created_at.to_rfc3339(), key(&r.id)))
        })
        .flatten();
    let mut screened = screened_for(db, rows.iter().map(|r| r.id.clone()).collect()).await?;
    Ok(PeopleList {
        people: rows
            .iter()
            .map(|r| PersonSummary {
                screened: screened.remove(&key(&r.id)).unwrap_or_default(),
                ..r.to_summary()
            })
            .collect(),
        next_cursor,
    })
}

/// The screening scores of `people`'s open applications, by person key, best first. One
/// indexed lookup per person (a page of the list), not a scan of every application.
async fn screened_for(
    db: &Db,
    people: Vec<RecordId>,
) -> AppResult<std::collections::HashMap<String, Vec<ScreenedFor>>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Screen {
        id: RecordId,
        job_title: String,
        screen_points: Option<i64>,
        screen_possible: Option<i64>,
        screen_passed: Option<bool>,
        screen_unknown: Option<i64>,
    }
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        id: RecordId,
        screens: Vec<Screen>,
    }
    if people.is_empty() {
        return Ok(Default::default());
    }
    let mut r = db
        .query(
            "SELECT id, (SELECT id, job.title AS job_title, screen_points, screen_possible,
                    screen_passed, screen_unknown
                FROM application
                WHERE person = $parent.id AND status = 'active' AND screen_possible != NONE
             ) AS screens
             FROM $people",
        )
        .bind(("people", people))
        .await?;
    let rows: Vec<Row> = r.take(0)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut list: Vec<ScreenedFor> = row
                .screens
                .into_iter()
                .filter_map(|s| {
                    Some(ScreenedFor {
                        application_id: key(&s.id),
                        job_title: s.job_title,
                        score: crate::screening::repo::stored_score(
                            s.screen_points,
                            s.screen_possible,
                            s.screen_passed,
                            s.screen_unknown,
                        )?,
                    })
                })
                .collect();
            list.sort_by_key(|s| std::cmp::Reverse((s.score.passed, s.score.percent())));
            (key(&row.id), list)
        })
        .collect())
}

/// Adds `tag` to each person (skipping those who have it) with a timeline entry each.
pub async fn add_tag(db: &Db, people: &[RecordId], tag: &str, actor: &Actor) -> AppResult<usize> {
    let mut res = db
        .query("SELECT VALUE id FROM $ids WHERE tags CONTAINSNOT $tag")
        .bind(("ids", people.to_vec()))
        .bind(("tag", tag.to_string()))
        .await?;
    let todo: Vec<RecordId> = res.take(0)?;
    if todo.is_empty() {
        return Ok(0);
    }
    let activities: Vec<NewActivity> = todo
        .iter()
        .map(|p| NewActivity::new(actor, "tagged", format!("Tagged “{tag}”")).person(p))
        .collect();
    db.query(
        "BEGIN TRANSACTION;
         UPDATE $ids SET tags = array::union(tags, [$tag]) RETURN NONE;
         INSERT INTO activity $activities RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("ids", todo.clone()))
    .bind(("tag", tag.to_string()))
    .bind(("activities", activities))
    .await
    .and_then(|r| r.check())?;
    Ok(todo.len())
}

pub async fn remove_tag(db: &Db, person: &RecordId, tag: &str, actor: &Actor) -> AppResult<()> {
    let activity =
        NewActivity::new(actor, "untagged", format!("Removed tag “{tag}”")).person(person);
    db.query(
        "BEGIN TRANSACTION;
         LET $had = (SELECT VALUE id FROM $p WHERE tags CONTAINS $tag);
         IF array::len($had) > 0 {
            UPDATE $p SET tags = array::complement(tags, [$tag]) RETURN NONE;
            CREATE activity CONTENT $activity RETURN NONE;
         };
         COMMIT TRANSACTION;",
    )
    .bind(("p", person.clone()))
    .bind(("tag", tag.to_string()))
    .bind(("activity", activity))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct PersonRow {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    location: Option<String>,
    headline: Option<String>,
    skills: Vec<String>,
    tags: Vec<String>,
    source: String,
    unsubscribed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    links: Vec<String>,
    work_history: Vec<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NoteRow {
    author_name: String,
    body: String,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct MailEntry {
    subject: String,
    kind: String,
    status: String,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    opened_at: Option<DateTime<Utc>>,
    clicked_at: Option<DateTime<Utc>>,
    campaign: Option<RecordId>,
    campaign_name: Option<String>,
    body_text: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct StageInfo {
    id: String,
    name: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct ApplicationRow {
    id: RecordId,
    job: RecordId,
    job_title: String,
    stages: Vec<StageInfo>,
    stage: String,
    status: String,
    source: String,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct ResumeRow {
    id: RecordId,
    filename: String,
    size: i64,
    content_type: String,
    uploaded_at: DateTime<Utc>,
    parse_status: String,
    parse_message: Option<String>,
    text: Option<String>,
    proposal: Option<crate::careers::parse::Proposal>,
    proposal_reviewed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct EntryRow {
    at: DateTime<Utc>,
    actor_label: String,
    kind: String,
    summary: String,
}

/// What of a person a hiring manager may see: the jobs they manage that the person applied to,
/// and their own notes. Everyone else who may open a profile sees all of it.
#[derive(Debug, Clone)]
pub struct Scope {
    pub jobs: Vec<RecordId>,
    pub me: RecordId,
}

/// The jobs managed by `manager` that `person` applied to.
pub async fn managed_jobs_of(
    db: &Db,
    person: &RecordId,
    manager: &RecordId,
) -> AppResult<Vec<RecordId>> {
    let mut res = db
        .query("SELECT VALUE job FROM application WHERE person = $p AND job.hiring_manager = $hm")
        .bind(("p", person.clone()))
        .bind(("hm", manager.clone()))
        .await?;
    Ok(res.take(0)?)
}

/// The jobs of the applications that carry this resume file.
/// Whose resume this is.
pub async fn resume_person(db: &Db, resume: &RecordId) -> AppResult<Option<RecordId>> {
    let mut res = db
        .query("SELECT VALUE person FROM ONLY $r")
        .bind(("r", resume.clone()))
        .await?;
    Ok(res.take(0)?)
}

pub async fn resume_jobs(db: &Db, resume: &RecordId) -> AppResult<Vec<RecordId>> {
    let mut res = db
        .query("SELECT VALUE job FROM application WHERE resume = $r")
        .bind(("r", resume.clone()))
        .await?;
    Ok(res.take(0)?)
}

pub async fn profile(db: &Db, person: &RecordId) -> AppResult<PersonProfile> {
    profile_scoped(db, person, None).await
}

/// A profile, limited to `scope` when given (see [`Scope`]): applications, resumes and history
/// of those jobs only, only one's own notes, no tags or emails.
pub async fn profile_scoped(
    db: &Db,
    person: &RecordId,
    scope: Option<&Scope>,
) -> AppResult<PersonProfile> {
    let mut res = db
        .query(
            "SELECT id, first_name, last_name, email, phone, location, headline, skills, tags, source,
                unsubscribed_at, created_at, links, work_history FROM ONLY $p;
             SELECT id, job, job.title AS job_title, job.stages AS stages, stage, status, source, created_at
                FROM application WHERE person = $p AND ($jobs = NONE OR job IN $jobs) ORDER BY created_at DESC;
             SELECT id, filename, size, content_type, uploaded_at, parse_status, parse_message, text, proposal,
                proposal_reviewed_at FROM resume WHERE person = $p
                AND ($jobs = NONE OR id IN (SELECT VALUE resume FROM application WHERE person = $p AND job IN $jobs))
                ORDER BY uploaded_at DESC;
             SELECT at, actor_label, kind, summary FROM activity WHERE person = $p AND ($jobs = NONE OR job IN $jobs)
                ORDER BY at DESC LIMIT 500;
             SELECT author_name, body, created_at FROM note WHERE person = $p AND ($me = NONE OR author = $me)
                ORDER BY created_at DESC;
             SELECT subject, kind, status, created_at, sent_at, opened_at, clicked_at, campaign,
                campaign.name AS campaign_name, body_text
                FROM mail WHERE person = $p AND $jobs = NONE ORDER BY created_at DESC LIMIT 200;",
        )
        .bind(("p", person.clone()))
        .bind(("jobs", scope.map(|s| s.jobs.clone())))
        .bind(("me", scope.map(|s| s.me.clone())))
        .await?;
    let p: Option<PersonRow> = res.take(0)?;
    let p = p.ok_or(AppError::NotFound)?;
    let apps: Vec<ApplicationRow> = res.take(1)?;
    let resumes: Vec<ResumeRow> = res.take(2)?;
    let entries: Vec<EntryRow> = res.take(3)?;
    let notes: Vec<NoteRow> = res.take(4)?;
    let mails: Vec<MailEntry> = res.take(5)?;
    let mut timeline: Vec<ProfileEntry> = entries
        .into_iter()
        .map(|e| ProfileEntry {
            at: e.at.to_rfc3339(),
            actor: e.actor_label,
            kind: e.kind,
            text: e.summary,
        })
        .chain(mails.iter().map(|m| ProfileEntry {
            at: m.created_at.to_rfc3339(),
            actor: "System".into(),
            kind: "email".into(),
            text: format!(
                "Email “{}”{}",
                m.subject,
                match m.status.as_str() {
                    "sent" => String::new(),
                    other => format!(" ({})", email_status_label(other).to_lowercase()),
                }
            ),
        }))
        .collect();
    let emails = mails
        .into_iter()
        .map(|m| ProfileEmail {
            subject: m.subject,
            kind: m.kind,
            status: m.status,
            created_at: m.created_at.to_rfc3339(),
            sent_at: m.sent_at.map(|d| d.to_rfc3339()),
            opened_at: m.opened_at.map(|d| d.to_rfc3339()),
            clicked_at: m.clicked_at.map(|d| d.to_rfc3339()),
            campaign: m
                .campaign
                .map(|c| (key(&c), m.campaign_name.unwrap_or_default())),
            body: super::email_text::without_secrets(&m.body_text),
        })
        .collect();
    // RFC 3339 in UTC sorts as text.
    timeline.sort_by(|a, b| b.at.cmp(&a.at));
    Ok(PersonProfile {
        anonymised: Vec::new(),
        id: key(&p.id),
        name: format!("{} {}", p.first_name, p.last_name)
            .trim()
            .to_string(),
        email: p.email,
        phone: p.phone,
        location: p.location,
        headline: p.headline,
        skills: p.skills,
        tags: if scope.is_some() { Vec::new() } else { p.tags },
        source: p.source,
        unsubscribed_at: p.unsubscribed_at.map(|d| d.to_rfc3339()),
        created_at: p.created_at.to_rfc3339(),
        applications: apps
            .into_iter()
            .map(|a| ProfileApplication {
                id: key(&a.id),
                job_id: key(&a.job),
                job_title: a.job_title,
                stage_name: a
                    .stages
                    .iter()
                    .find(|s| s.id == a.stage)
                    .map(|s| s.name.clone())
                    .unwrap_or(a.stage),
                status: a.status,
                applied_at: a.created_at.to_rfc3339(),
                source: a.source,
            })
            .collect(),
        resumes: resumes
            .into_iter()
            .map(|r| ResumeInfo {
                id: key(&r.id),
                filename: r.filename,
                size: r.size,
                content_type: r.content_type,
                uploaded_at: r.uploaded_at.to_rfc3339(),
                parse_status: r.parse_status,
                parse_message: r.parse_message,
                text: r.text,
                proposal: r
                    .proposal
                    .filter(|_| r.proposal_reviewed_at.is_none())
                    .map(|p| ResumeProposal {
                        name: p.name,
                        email: p.email,
                        phone: p.phone,
                        links: p.links,
                        skills: p.skills,
                        history: p.history,
                    }),
            })
            .collect(),
        timeline,
        links: p.links,
        work_history: p.work_history,
        emails,
        notes: notes
            .into_iter()
            .map(|n| Note {
                author: n.author_name,
                body: n.body,
                at: n.created_at.to_rfc3339(),
            })
            .collect(),
    })
}

#[derive(Debug, Clone, SurrealValue)]
pub struct ResumeFile {
    pub filename: String,
    pub content_type: String,
    pub data: surrealdb::types::Bytes,
}

pub async fn resume_file(db: &Db, id: &RecordId) -> AppResult<Option<ResumeFile>> {
    let mut res = db
        .query("SELECT filename, content_type, data FROM ONLY $id")
        .bind(("id", id.clone()))
        .await?;
    Ok(res.take(0)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[tokio::test]
    async fn tagging_is_idempotent_and_counted() {
        let st = testing::demo_state().await;
        let people = vec![
            RecordId::new("person", "demo001"),
            RecordId::new("person", "demo002"),
        ];
        assert_eq!(
            add_tag(&st.db, &people, "hackathon", &testing::recruiter())
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            add_tag(&st.db, &people, "hackathon", &testing::recruiter())
                .await
                .unwrap(),
            0
        );
        let counts = st
            .ext::<crate::search::index::SearchIndex>()
            .tag_counts(&st.db)
            .await
            .unwrap();
        assert_eq!(counts.iter().find(|(t, _)| t == "hackathon").unwrap().1, 2);
        remove_tag(&st.db, &people[0], "hackathon", &testing::recruiter())
            .await
            .unwrap();
        let p = profile(&st.db, &people[0]).await.unwrap();
        assert!(!p.tags.contains(&"hackathon".to_string()));
        let texts: Vec<_> = p.timeline.iter().map(|e| e.text.as_str()).collect();
        assert!(
            texts.starts_with(&["Removed tag “hackathon”", "Tagged “hackathon”"]),
            "{texts:?}"
        );
    }

    #[tokio::test]
    async fn people_pages_follow_the_cursor_without_overlap() {
        let st = testing::demo_state().await;
        let first = list(&st.db, "", "", "").await.unwrap();
        assert_eq!(first.people.len(), PAGE_SIZE as usize);
        let second = list(&st.db, "", "", first.next_cursor.as_deref().unwrap())
            .await
            .unwrap();
        assert!(
            second
                .people
                .iter()
                .all(|p| !first.people.iter().any(|q| q.id == p.id))
        );
        let tagged = list(&st.db, "", "rust-meetup-2026", "").await.unwrap();
        assert_eq!(tagged.people.len(), 40);
        assert!(tagged.next_cursor.is_none());
        let q = list(&st.db, "LOVELACE", "", "").await.unwrap();
        assert!(!q.people.is_empty() && q.people.iter().all(|p| p.name.contains("Lovelace")));
    }
}

/// Adds a staff note; notes are searchable and appear on the timeline.
pub async fn add_note(db: &Db, person: &RecordId, body: &str, actor: &Actor) -> AppResult<()> {
    let preview: String = body.chars().take(80).collect();
    let activity = NewActivity::new(
        actor,
        "note",
        format!(
            "Note: {preview}{}",
            if body.chars().count() > 80 { "…" } else { "" }
        ),
    )
    .person(person);
    crate::server::db::write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE id FROM ONLY $p) = NONE { THROW 'no_person' };
             CREATE note SET person = $p, author = $author, author_name = $name, body = $body RETURN NONE;
             UPDATE $p SET notes_text = array::join((SELECT VALUE body FROM note WHERE person = $p), '\n') RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("author", actor.id.clone()))
        .bind(("name", actor.label.clone()))
        .bind(("body", body.to_string()))
        .bind(("activity", activity)),
        &[("no_person", AppError::NotFound)],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct ProposalRow {
    person: RecordId,
    proposal: Option<crate::careers::parse::Proposal>,
}

/// Copies the chosen parts of a resume's proposal onto the person and marks it reviewed.
/// `fields` holds any of name, email, phone, links, skills, history.
pub async fn apply_proposal(
    db: &Db,
    person: &RecordId,
    resume: &RecordId,
    fields: &[String],
    actor: &Actor,
) -> AppResult<Vec<String>> {
    let mut r = db
        .query("SELECT person, proposal FROM ONLY $r")
        .bind(("r", resume.clone()))
        .await?;
    let row: Option<ProposalRow> = r.take(0)?;
    let row = row
        .filter(|r| &r.person == person)
        .ok_or(AppError::NotFound)?;
    let p = row.proposal.unwrap_or_default();
    let want = |f: &str| fields.iter().any(|x| x == f);
    let mut sets: Vec<&str> = Vec::new();
    let mut applied = Vec::new();
    let name = if want("name") {
        p.name
            .as_deref()
            .and_then(|n| crate::domain::PersonName::parse(n).ok())
    } else {
        None
    };
    if name.is_some() {
        sets.push("first_name = $first, last_name = $last");
        applied.push("name".to_string());
    }
    let email = if want("email") {
        p.email
            .as_deref()
            .and_then(|e| crate::domain::EmailAddress::parse(e).ok())
    } else {
        None
    };
    if email.is_some() {
        sets.push("email = $email");
        applied.push("email".to_string());
    }
    if want("phone") && p.phone.is_some() {
        sets.push("phone = $phone");
        applied.push("phone".to_string());
    }
    if want("links") && !p.links.is_empty() {
        sets.push("links = array::union(links, $links)");
        applied.push("links".to_string());
    }
    if want("skills") && !p.skills.is_empty() {
        sets.push("skills = array::union(skills, $skills)");
        applied.push("skills".to_string());
    }
    if want("history") && !p.history.is_empty() {
        sets.push("work_history = $history");
        applied.push("work history".to_string());
    }
    let set_clause = if sets.is_empty() {
        String::new()
    } else {
        format!("UPDATE $p SET {} RETURN NONE;", sets.join(", "))
    };
    let summary = if applied.is_empty() {
        "Reviewed the resume (nothing copied)".to_string()
    } else {
        format!(
            "Updated the profile from the resume: {}",
            applied.join(", ")
        )
    };
    let activity = NewActivity::new(actor, "resume_reviewed", summary).person(person);
    crate::server::db::write_guarded(
        db.query(format!(
            "BEGIN TRANSACTION;
             {set_clause}
             UPDATE $r SET proposal_reviewed_at = time::now() RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;"
        ))
        .bind(("p", person.clone()))
        .bind(("r", resume.clone()))
        .bind(("first", name.as_ref().map(|n| n.first.clone())))
        .bind(("last", name.as_ref().map(|n| n.last.clone())))
        .bind(("email", email.map(|e| e.into_inner())))
        .bind(("phone", p.phone.clone()))
        .bind(("links", p.links.clone()))
        .bind(("skills", p.skills.clone()))
        .bind(("history", p.history.clone()))
        .bind(("activity", activity)),
        &[(
            "already contains",
            AppError::invalid("fields", "Another person already has that email address."),
        )],
    )
    .await?;
    Ok(applied)
}
