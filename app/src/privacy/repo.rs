//! Erasure and the request queue in the database.

use super::types::{ANSWER_WITHIN_DAYS, Erased};
use crate::error::{AppError, AppResult};
use crate::server::db::{Db, key, write};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct Identity {
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
}

/// The texts that identify a person in free text (CSV rows, task payloads, audit details):
/// their email, phone and full name, lower-cased. Single names are too common to look for.
fn needles(i: &Identity) -> Vec<String> {
    let mut out = vec![i.email.trim().to_lowercase()];
    if let Some(p) = i.phone.as_deref().map(str::trim).filter(|p| p.len() >= 6) {
        out.push(p.to_lowercase());
    }
    let full = format!("{} {}", i.first_name.trim(), i.last_name.trim()).to_lowercase();
    if full.trim().len() >= 5 && full.contains(' ') {
        out.push(full);
    }
    out.retain(|n| !n.is_empty());
    out
}

/// The lines of a CSV text that name none of `needles`.
pub fn without_lines(csv: &str, needles: &[String]) -> String {
    csv.split_inclusive('\n')
        .filter(|line| {
            let l = line.to_lowercase();
            !needles.iter().any(|n| l.contains(n.as_str()))
        })
        .collect()
}

/// The address an erased person's record keeps (unique, and never deliverable).
pub fn erased_email(person: &RecordId) -> String {
    format!("erased-{}@erased.invalid", key(person))
}

#[derive(Debug, SurrealValue)]
struct Counts {
    resumes: i64,
    mails: i64,
}

/// Erases a person everywhere, and the people merged into them: their record keeps only what
/// reports count (applications, stages, sources, dates), everything that names or describes
/// them is removed or blanked, their resumes are deleted and their portal links and sessions
/// stop working. The search index follows the record's change.
pub async fn erase(db: &Db, person: &RecordId) -> AppResult<Erased> {
    let mut all = vec![person.clone()];
    let mut i = 0;
    while i < all.len() {
        let merged: Vec<RecordId> = db
            .query("SELECT VALUE id FROM person WHERE merged_into = $p")
            .bind(("p", all[i].clone()))
            .await?
            .take(0)?;
        for m in merged {
            if !all.contains(&m) {
                all.push(m);
            }
        }
        i += 1;
    }
    let mut total = Erased::default();
    for p in &all {
        let one = erase_one(db, p).await?;
        total.people += one.people;
        total.resumes += one.resumes;
        total.mails += one.mails;
        total.audit_entries += one.audit_entries;
        total.import_files += one.import_files;
        total.tasks += one.tasks;
    }
    Ok(total)
}

async fn erase_one(db: &Db, p: &RecordId) -> AppResult<Erased> {
    let who: Option<Identity> = db
        .query("SELECT first_name, last_name, email, phone FROM ONLY $p")
        .bind(("p", p.clone()))
        .await?
        .take(0)?;
    let who = who.ok_or(AppError::NotFound)?;
    let needles = needles(&who);
    let email = who.email.trim().to_lowercase();
    let mut res = write(
        db.query(
            "BEGIN TRANSACTION;
             LET $apps = (SELECT VALUE id FROM application WHERE person = $p);
             UPDATE application SET resume = NONE, person_name = 'Erased person',
                rejection_reason = NONE WHERE person = $p RETURN NONE;
             LET $resumes = (SELECT VALUE id FROM resume WHERE person = $p);
             DELETE $resumes;
             DELETE activity WHERE person = $p OR application IN $apps;
             DELETE note WHERE person = $p;
             UPDATE scorecard SET notes = '' WHERE application IN $apps RETURN NONE;
             UPDATE hiring_decision SET reason = 'Erased' WHERE application IN $apps RETURN NONE;
             -- Screening quotes the resume and the answers; the score on the application stays.
             DELETE screening_result WHERE application IN $apps;
             UPDATE screening_override SET note = '' WHERE application IN $apps RETURN NONE;
             UPDATE application SET answers = [] WHERE person = $p RETURN NONE;
             UPDATE offer SET letter = '', template = '', accepted_name = NONE, accepted_ip = NONE,
                decline_reason = NONE, withdraw_reason = NONE WHERE person = $p RETURN NONE;
             LET $mails = (UPDATE mail SET to_email = $gone, to_name = '', subject = 'Erased',
                body_text = '', html_body = NONE, calendar = NONE, unsubscribe_url = NONE,
                error = NONE, status = IF status = 'queued' { 'suppressed' } ELSE { status }
                WHERE person = $p OR string::lowercase(to_email) = $email RETURN VALUE id);
             UPDATE enrollment SET status = 'stopped', stop_reason = 'erased'
                WHERE person = $p AND status = 'active' RETURN NONE;
             DELETE pool_member WHERE person = $p;
             DELETE merge WHERE winner = $p OR loser = $p;
             DELETE session WHERE person = $p;
             DELETE consent_event WHERE person = $p;
             UPDATE review_request SET note = '', answer = NONE WHERE person = $p RETURN NONE;
             DELETE rate_event WHERE string::contains(string::lowercase(bucket), $email);
             DELETE rate_lock WHERE string::contains(string::lowercase(<string> id), $email);
             UPDATE booking_link SET status = 'withdrawn' WHERE person = $p AND status = 'open'
                RETURN NONE;
             UPDATE $p SET first_name = 'Erased', last_name = 'person', email = $gone,
                phone = NONE, location = NONE, headline = NONE, skills = [], tags = [], links = [],
                work_history = [], resume_text = NONE, notes_text = NONE, linkedin_key = NONE,
                interests = [], timezone = NONE, referral_relationship = NONE,
                consent_status = 'withdrawn', consent_basis = NONE, consent_at = time::now(),
                unsubscribed_at = time::now(), portal_links_after = $now_ms,
                erased_at = time::now() RETURN NONE;
             RETURN { resumes: array::len($resumes), mails: array::len($mails) };
             COMMIT TRANSACTION;",
        )
        .bind(("p", p.clone()))
        .bind(("gone", erased_email(p)))
        .bind(("email", email))
        .bind(("now_ms", Utc::now().timestamp_millis())),
    )
    .await?;
    let counts: Counts =
        crate::server::db::txn_return::<Option<Counts>>(&mut res)?.ok_or(AppError::Internal)?;
    let mut erased = Erased {
        people: 1,
        resumes: counts.resumes as usize,
        mails: counts.mails as usize,
        ..Default::default()
    };
    erased.import_files = scrub_imports(db, &needles).await?;
    erased.tasks = scrub_tasks(db, &needles).await?;
    erased.audit_entries =
        crate::audit::repo::redact(db, &format!("person:{}", key(p)), &needles).await?;
    Ok(erased)
}

#[derive(Debug, SurrealValue)]
struct ImportText {
    id: RecordId,
    csv: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct ImportErrors {
    id: RecordId,
    errors: Vec<serde_json::Value>,
}

/// Removes the person's rows from uploaded CSV files and from import row errors.
async fn scrub_imports(db: &Db, needles: &[String]) -> AppResult<usize> {
    let mut changed = 0;
    for table in ["import_file", "import_job"] {
        let mut seen: Vec<RecordId> = Vec::new();
        for n in needles {
            let rows: Vec<ImportText> = db
                .query(format!(
                    "SELECT id, csv FROM {table} WHERE csv != NONE AND string::contains(string::lowercase(csv), $n)"
                ))
                .bind(("n", n.clone()))
                .await?
                .take(0)?;
            for r in rows {
                if seen.contains(&r.id) {
                    continue;
                }
                seen.push(r.id.clone());
                let csv = without_lines(r.csv.as_deref().unwrap_or_default(), needles);
                write(
                    db.query("UPDATE $id SET csv = $csv RETURN NONE")
                        .bind(("id", r.id))
                        .bind(("csv", csv)),
                )
                .await?;
                changed += 1;
            }
        }
    }
    // Row errors: on imports, and on the batches of an import still running.
    for n in needles {
        let mut found = db
            .query(
                "SELECT id, errors FROM import_job WHERE string::contains(string::lowercase(<string> errors), $n);
                 SELECT id, errors FROM import_batch WHERE string::contains(string::lowercase(<string> errors), $n);",
            )
            .bind(("n", n.clone()))
            .await?;
        let mut rows: Vec<ImportErrors> = found.take(0)?;
        rows.extend(found.take::<Vec<ImportErrors>>(1)?);
        for r in rows {
            let kept: Vec<serde_json::Value> = r
                .errors
                .into_iter()
                .filter(|e| {
                    let t = e.to_string().to_lowercase();
                    !needles.iter().any(|n| t.contains(n.as_str()))
                })
                .collect();
            write(
                db.query("UPDATE $id SET errors = $errors RETURN NONE")
                    .bind(("id", r.id))
                    .bind(("errors", kept)),
            )
            .await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Deletes background tasks (done or waiting) whose payload names the person: a Slack message
/// or a notification about them must neither stay nor go out.
async fn scrub_tasks(db: &Db, needles: &[String]) -> AppResult<usize> {
    let mut gone = 0;
    for n in needles {
        let mut res = write(
            db.query(
                "BEGIN TRANSACTION;
                 LET $gone = (SELECT VALUE id FROM task
                    WHERE string::contains(string::lowercase(<string> payload), $n));
                 DELETE $gone;
                 RETURN array::len($gone);
                 COMMIT TRANSACTION;",
            )
            .bind(("n", n.clone())),
        )
        .await?;
        let n: i64 = crate::server::db::txn_return::<Option<i64>>(&mut res)?.unwrap_or(0);
        gone += n as usize;
    }
    Ok(gone)
}

/// A request row with the person's name as it is now.
#[derive(Debug, Clone, SurrealValue)]
pub struct RequestRow {
    pub id: RecordId,
    pub person: RecordId,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub kind: String,
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

const REQUEST_FIELDS: &str = "id, person, person.first_name AS first_name,
    person.last_name AS last_name, kind, status, requested_at, due_at,
    decided_by.name AS decided_by_name, decided_at, note";

/// The person's open erasure request, or a new one due in 30 days.
pub async fn request_erasure(db: &Db, person: &RecordId) -> AppResult<RequestRow> {
    write(
        db.query(
            "BEGIN TRANSACTION;
             IF array::len(SELECT VALUE id FROM privacy_request
                 WHERE person = $p AND kind = 'erasure' AND status = 'open') = 0 {
                 CREATE privacy_request SET person = $p, kind = 'erasure',
                    due_at = $due RETURN NONE;
             };
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind((
            "due",
            Utc::now() + chrono::Duration::days(ANSWER_WITHIN_DAYS),
        )),
    )
    .await?;
    open_request(db, person).await?.ok_or(AppError::Internal)
}

/// The person's open erasure request, if any.
pub async fn open_request(db: &Db, person: &RecordId) -> AppResult<Option<RequestRow>> {
    let rows: Vec<RequestRow> = db
        .query(format!(
            "SELECT {REQUEST_FIELDS} FROM privacy_request
             WHERE person = $p AND status = 'open' LIMIT 1"
        ))
        .bind(("p", person.clone()))
        .await?
        .take(0)?;
    Ok(rows.into_iter().next())
}

/// Open requests (soonest deadline first) and the 50 latest answered ones.
pub async fn queue(db: &Db) -> AppResult<(Vec<RequestRow>, Vec<RequestRow>)> {
    let mut res = db
        .query(format!(
            "SELECT {REQUEST_FIELDS} FROM privacy_request WHERE status = 'open' ORDER BY due_at;
             SELECT {REQUEST_FIELDS} FROM privacy_request WHERE status != 'open'
                ORDER BY decided_at DESC LIMIT 50;"
        ))
        .await?;
    Ok((res.take(0)?, res.take(1)?))
}

/// One request.
pub async fn get_request(db: &Db, id: &RecordId) -> AppResult<Option<RequestRow>> {
    let rows: Vec<RequestRow> = db
        .query(format!("SELECT {REQUEST_FIELDS} FROM $id"))
        .bind(("id", id.clone()))
        .await?
        .take(0)?;
    Ok(rows.into_iter().next())
}

/// Closes an open request as `done` or `declined`; false when it was not open any more.
pub async fn close_request(
    db: &Db,
    id: &RecordId,
    status: &str,
    by: &RecordId,
    note: Option<String>,
) -> AppResult<bool> {
    let changed: Vec<RecordId> = write(
        db.query(
            "UPDATE $id SET status = $status, decided_by = $by, decided_at = time::now(),
                note = $note WHERE status = 'open' RETURN VALUE id",
        )
        .bind(("id", id.clone()))
        .bind(("status", status.to_string()))
        .bind(("by", by.clone()))
        .bind(("note", note)),
    )
    .await?
    .take(0)?;
    Ok(!changed.is_empty())
}

/// Everything held about a person, as one JSON document (the candidate's own download). Notes
/// and submitted scorecards are included: they are data about the person too.
pub async fn everything(db: &Db, person: &RecordId) -> AppResult<serde_json::Value> {
    let value: Option<surrealdb::types::Value> = db
        .query(
            "RETURN {
                format: 'acme-hiring/person-export/1',
                exported_at: time::now(),
                person: (SELECT first_name, last_name, email, phone, location, headline, skills,
                    tags, links, work_history, source, consent_status, consent_at, consent_basis,
                    unsubscribed_topics, interests, timezone, created_at, updated_at
                    FROM ONLY $p),
                applications: (SELECT record::id(id) AS id, job.title AS job, stage, status,
                    source, created_at, stage_entered_at,
                    (SELECT stage, status, at FROM stage_event
                        WHERE application = $parent.id ORDER BY at) AS history,
                    -- Screening: the answers given, each criterion's reading and quote, any
                    -- recruiter's override, and the score.
                    answers, screen_points, screen_possible, screen_passed,
                    (SELECT findings, read_at FROM type::record('screening_result', record::id($parent.id)))[0] AS screening,
                    (SELECT criterion.term AS criterion, verdict, note, by_name, at
                        FROM screening_override WHERE application = $parent.id) AS screening_overrides
                    FROM application WHERE person = $p),
                resumes: (SELECT record::id(id) AS id, filename, content_type, size, uploaded_at,
                    text, string::concat('/portal/resumes/', record::id(id)) AS download
                    FROM resume WHERE person = $p),
                timeline: (SELECT at, kind, summary, actor_label FROM activity
                    WHERE person = $p ORDER BY at),
                notes: (SELECT created_at, author_name, body FROM note
                    WHERE person = $p ORDER BY created_at),
                interviews: (SELECT name, format, starts_at, ends_at, status, job.title AS job
                    FROM interview WHERE person = $p),
                scorecards: (SELECT interview.name AS interview, ratings, notes, recommendation,
                    submitted_at FROM scorecard
                    WHERE application IN (SELECT VALUE id FROM application WHERE person = $p)
                        AND status = 'submitted'),
                offers: (SELECT job.title AS job, version, status, base_salary, currency, period,
                    bonus, equity, start_date, letter, sent_at, responded_at
                    FROM offer WHERE person = $p),
                emails: (SELECT created_at, subject, kind, status, sent_at FROM mail
                    WHERE person = $p ORDER BY created_at),
                pools: (SELECT pool.name AS pool, added_at FROM pool_member WHERE person = $p),
                campaigns: (SELECT campaign.name AS campaign, status, enrolled_at
                    FROM enrollment WHERE person = $p),
                engagement: (SELECT kind, at, campaign.name AS campaign FROM engagement
                    WHERE person = $p ORDER BY at),
                privacy_requests: (SELECT kind, status, requested_at, due_at, decided_at, note
                    FROM privacy_request WHERE person = $p),
                consent: (SELECT at, purpose, basis, given, notice_version, wording, ip, source
                    FROM consent_event WHERE person = $p ORDER BY at),
            }",
        )
        .bind(("p", person.clone()))
        .await?
        .take(0)?;
    Ok(value
        .map(|v| v.into_json_value())
        .unwrap_or(serde_json::Value::Null))
}

#[derive(Debug, SurrealValue)]
pub struct Mine {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub consent_status: String,
    pub consent_basis: Option<String>,
    pub unsubscribed_topics: Vec<String>,
}

impl Mine {
    /// In the talent pool now: campaigns may write to them (consent, or a legitimate interest
    /// they did not object to).
    pub fn in_talent_pool(&self) -> bool {
        super::types::campaign_may_reach(&self.consent_status, self.consent_basis.as_deref())
    }
}

/// The person's contact details and consent, for their privacy centre.
pub async fn mine(db: &Db, person: &RecordId) -> AppResult<Option<Mine>> {
    let row: Option<Mine> = db
        .query(
            "SELECT first_name, last_name, email, phone, location, consent_status,
                consent_basis, unsubscribed_topics FROM ONLY $p",
        )
        .bind(("p", person.clone()))
        .await?
        .take(0)?;
    Ok(row)
}

/// The person corrects their own contact details (their timeline says so).
pub async fn correct_details(
    db: &Db,
    person: &RecordId,
    d: super::types::Details,
) -> AppResult<()> {
    use crate::server::activity::{Actor, NewActivity};
    let activity = NewActivity::new(
        &Actor::candidate(),
        "details_corrected",
        "Corrected their contact details",
    )
    .person(person)
    .for_candidate();
    write(
        db.query(
            "BEGIN TRANSACTION;
             UPDATE $p SET first_name = $first, last_name = $last, phone = $phone,
                location = $location RETURN NONE;
             UPDATE application SET person_name = string::trim(string::concat($first, ' ', $last))
                WHERE person = $p RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("first", d.first_name))
        .bind(("last", d.last_name))
        .bind(("phone", d.phone))
        .bind(("location", d.location))
        .bind(("activity", activity)),
    )
    .await?;
    Ok(())
}

/// The person's talent-pool answer: staying in (consent given now, unless they already are
/// in the pool) or leaving it (consent withdrawn, or an objection to a sourcer's legitimate
/// interest). An answer that changes nothing writes nothing.
/// A change is written to the consent ledger with `notice` (the words they read) and `ip`.
pub async fn set_talent_pool(
    db: &Db,
    person: &RecordId,
    keep: bool,
    notice: Option<&super::types::PrivacyNotice>,
    ip: Option<String>,
) -> AppResult<()> {
    let in_pool = mine(db, person)
        .await?
        .ok_or(AppError::NotFound)?
        .in_talent_pool();
    let event = super::consent::NewConsentEvent::pool(person, keep, notice, ip, "privacy_centre");
    use crate::server::activity::{Actor, NewActivity};
    let summary = if keep {
        "Agreed to stay in the talent pool"
    } else {
        "Withdrew consent to the talent pool"
    };
    let activity = NewActivity::new(&Actor::candidate(), "consent", summary)
        .person(person)
        .for_candidate();
    write(
        db.query(
            "BEGIN TRANSACTION;
             LET $now = (SELECT VALUE consent_status FROM ONLY $p);
             IF $keep AND !$in_pool {
                 UPDATE $p SET consent_status = 'granted', consent_at = time::now(),
                    consent_basis = 'consent' RETURN NONE;
                 CREATE activity CONTENT $activity RETURN NONE;
                 CREATE consent_event CONTENT $event RETURN NONE;
             } ELSE IF !$keep AND ($in_pool OR $now = 'pending') {
                 UPDATE $p SET consent_status = 'withdrawn', consent_at = time::now() RETURN NONE;
                 CREATE activity CONTENT $activity RETURN NONE;
                 CREATE consent_event CONTENT $event RETURN NONE;
             };
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("in_pool", in_pool))
        .bind(("event", event))
        .bind(("keep", keep))
        .bind(("activity", activity)),
    )
    .await?;
    Ok(())
}

/// Claims the open requests due before `soon` whose admins were not reminded yet (one
/// statement: two app nodes never both claim one); returns their deadlines.
pub async fn claim_reminders(
    db: &Db,
    now: DateTime<Utc>,
    soon: DateTime<Utc>,
) -> AppResult<Vec<DateTime<Utc>>> {
    let due: Vec<DateTime<Utc>> = write(
        db.query(
            "UPDATE privacy_request SET reminded_at = $now
             WHERE status = 'open' AND reminded_at = NONE AND due_at < $soon RETURN VALUE due_at",
        )
        .bind(("now", now))
        .bind(("soon", soon)),
    )
    .await?
    .take(0)?;
    Ok(due)
}

/// Active admins: `(email, name)`.
pub async fn admins(db: &Db) -> AppResult<Vec<(String, String)>> {
    #[derive(SurrealValue)]
    struct Admin {
        email: String,
        name: String,
    }
    let rows: Vec<Admin> = db
        .query("SELECT email, name FROM staff WHERE role = 'admin' AND active = true")
        .await?
        .take(0)?;
    Ok(rows.into_iter().map(|a| (a.email, a.name)).collect())
}

/// Demo data: the longest-rejected applicant asked 12 days ago for their data to be erased, so
/// the admins' queue shows an open request with its deadline.
pub async fn seed_demo(db: &Db, now: DateTime<Utc>) -> AppResult<()> {
    write(
        db.query(
            "LET $p = (SELECT person, created_at FROM application WHERE status = 'rejected'
                ORDER BY created_at LIMIT 1)[0].person;
             IF $p != NONE {
                 CREATE privacy_request SET person = $p, kind = 'erasure', requested_at = $asked,
                    due_at = $due RETURN NONE;
             };",
        )
        .bind(("asked", now - chrono::Duration::days(12)))
        .bind((
            "due",
            now - chrono::Duration::days(12) + chrono::Duration::days(ANSWER_WITHIN_DAYS),
        )),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_naming_the_person_go() {
        let needles = vec!["ada@example.com".to_string(), "ada lovelace".to_string()];
        let csv = "name,email\nAda Lovelace,x@y.z\nBob,ADA@example.com\nCarla,c@d.e\n";
        assert_eq!(without_lines(csv, &needles), "name,email\nCarla,c@d.e\n");
    }

    #[test]
    fn needles_are_email_phone_and_full_name() {
        let i = Identity {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "Ada@Example.com".into(),
            phone: Some("+44 20 7946 0000".into()),
        };
        assert_eq!(
            needles(&i),
            vec![
                "ada@example.com".to_string(),
                "+44 20 7946 0000".to_string(),
                "ada lovelace".to_string()
            ]
        );
    }
}
