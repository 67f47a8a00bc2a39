//! Consent at the source: the versioned privacy notice the public forms show, and the consent
//! ledger (`consent_event`): who agreed to or withdrew from what, on which basis, when, from
//! which address, having read which version and words.

use super::types::{Basis, ConsentRecord, PrivacyNotice, consent_source_label};
use crate::error::AppResult;
use crate::server::db::{Db, is_unique_violation, write};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct NoticeRow {
    version: i64,
    summary: String,
    body: String,
    pool_wording: String,
    author_name: String,
    published_at: DateTime<Utc>,
}

impl From<NoticeRow> for PrivacyNotice {
    fn from(r: NoticeRow) -> Self {
        PrivacyNotice {
            version: r.version,
            summary: r.summary,
            body: r.body,
            pool_wording: r.pool_wording,
            published_at: r.published_at.to_rfc3339(),
            author_name: r.author_name,
        }
    }
}

const NOTICE_FIELDS: &str = "version, summary, body, pool_wording, author_name, published_at";

/// The first notice of a new installation, until an admin publishes their own.
fn first_notice(company: &str) -> (String, String, String) {
    (
        format!(
            "{company} uses the details you send to consider you for this role and to stay in \
             touch about it. We keep them while your application is open and for a limited time \
             after, then delete them. You can see, correct, download or erase your data at any \
             time from the candidate portal."
        ),
        format!(
            "Who we are\n{company} is responsible for the personal data you give us when you apply \
             or join our talent community.\n\n\
             What we keep and why\nYour name, contact details, resume and what happens in our \
             hiring process (interviews, feedback, offers), to consider you for the role you \
             applied for. If you agree separately, we also keep your details in our talent pool \
             and write to you about other roles and events.\n\n\
             How long\nApplications that end are anonymised after the period our retention \
             policy sets. Talent-pool members are asked from time to time whether they want to \
             stay; those who do not answer are removed.\n\n\
             Your rights\nYou can see everything we hold about you, download it, correct it, \
             withdraw your consent and ask us to erase it, from the privacy centre of the \
             candidate portal. We answer requests within 30 days."
        ),
        format!(
            "Keep my details in the {company} talent pool and write to me about other roles and \
             events. I can withdraw at any time."
        ),
    )
}

/// The notice in force: the newest version (the first one is written on first use).
pub async fn current_notice(db: &Db, company: &str) -> AppResult<PrivacyNotice> {
    if let Some(n) = newest(db).await? {
        return Ok(n);
    }
    let (summary, body, wording) = first_notice(company);
    match publish(db, 1, &summary, &body, &wording, "").await {
        Ok(()) => {}
        // Another request wrote it first.
        Err(e) if is_unique_violation(&e) => {}
        Err(e) => return Err(e.into()),
    }
    newest(db).await?.ok_or(crate::error::AppError::Internal)
}

async fn newest(db: &Db) -> AppResult<Option<PrivacyNotice>> {
    let mut r = db
        .query(format!(
            "SELECT {NOTICE_FIELDS} FROM privacy_notice ORDER BY version DESC LIMIT 1"
        ))
        .await?;
    let rows: Vec<NoticeRow> = r.take(0)?;
    Ok(rows.into_iter().next().map(Into::into))
}

/// One published version.
pub async fn notice_version(db: &Db, version: i64) -> AppResult<Option<PrivacyNotice>> {
    let mut r = db
        .query(format!(
            "SELECT {NOTICE_FIELDS} FROM privacy_notice WHERE version = $v LIMIT 1"
        ))
        .bind(("v", version))
        .await?;
    let rows: Vec<NoticeRow> = r.take(0)?;
    Ok(rows.into_iter().next().map(Into::into))
}

async fn publish(
    db: &Db,
    version: i64,
    summary: &str,
    body: &str,
    wording: &str,
    author: &str,
) -> Result<(), surrealdb::Error> {
    db.query(
        "CREATE type::record('privacy_notice', $v) SET version = $v, summary = $s, body = $b,
            pool_wording = $w, author_name = $a RETURN NONE",
    )
    .bind(("v", version))
    .bind(("s", summary.to_string()))
    .bind(("b", body.to_string()))
    .bind(("w", wording.to_string()))
    .bind(("a", author.to_string()))
    .await?
    .check()?;
    Ok(())
}

/// Publishes a new version of the notice (the next number); returns it. Two admins saving at
/// once get consecutive versions.
pub async fn publish_notice(
    db: &Db,
    company: &str,
    text: &super::types::NoticeText,
    author: &str,
) -> AppResult<i64> {
    for _ in 0..5 {
        let next = current_notice(db, company).await?.version + 1;
        match publish(
            db,
            next,
            &text.summary,
            &text.body,
            &text.pool_wording,
            author,
        )
        .await
        {
            Ok(()) => return Ok(next),
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(crate::error::AppError::Conflict(
        "Someone else is publishing the notice. Try again.".into(),
    ))
}

/// What the notice said when someone answered a form: the version they were shown if it
/// exists, else the one in force.
pub async fn notice_seen(db: &Db, company: &str, shown: &str) -> AppResult<PrivacyNotice> {
    if let Ok(v) = shown.trim().parse::<i64>()
        && let Some(n) = notice_version(db, v).await?
    {
        return Ok(n);
    }
    current_notice(db, company).await
}

/// A ledger entry to write (in the caller's transaction: `CREATE consent_event CONTENT $c`).
#[derive(Debug, Clone, SurrealValue)]
pub struct NewConsentEvent {
    pub person: RecordId,
    pub purpose: String,
    pub basis: String,
    pub given: bool,
    pub notice_version: Option<i64>,
    pub wording: String,
    pub ip: Option<String>,
    pub source: String,
    pub by_name: Option<String>,
}

impl NewConsentEvent {
    /// The talent-pool answer a person gave themselves, with the words they read.
    pub fn pool(
        person: &RecordId,
        given: bool,
        notice: Option<&PrivacyNotice>,
        ip: Option<String>,
        source: &str,
    ) -> Self {
        NewConsentEvent {
            person: person.clone(),
            purpose: "talent_pool".into(),
            basis: Basis::Consent.as_str().into(),
            given,
            notice_version: notice.map(|n| n.version),
            wording: notice.map(|n| n.pool_wording.clone()).unwrap_or_default(),
            ip,
            source: source.into(),
            by_name: None,
        }
    }

    /// An application, considered on the organisation's legitimate interest in hiring, under
    /// the notice shown beside the form.
    pub fn application(person: &RecordId, notice: &PrivacyNotice, ip: Option<String>) -> Self {
        NewConsentEvent {
            person: person.clone(),
            purpose: "application".into(),
            basis: Basis::LegitimateInterest.as_str().into(),
            given: true,
            notice_version: Some(notice.version),
            wording: notice.summary.clone(),
            ip,
            source: "apply_form".into(),
            by_name: None,
        }
    }

    /// A basis a member of staff recorded (a sourced prospect, a referral, an import, an edit
    /// on the profile).
    pub fn by_staff(
        person: &RecordId,
        basis: Basis,
        given: bool,
        source: &str,
        staff_name: &str,
        ip: Option<String>,
    ) -> Self {
        NewConsentEvent {
            person: person.clone(),
            purpose: "talent_pool".into(),
            basis: basis.as_str().into(),
            given,
            notice_version: None,
            wording: String::new(),
            ip,
            source: source.into(),
            by_name: Some(staff_name.to_string()),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct EventRow {
    purpose: String,
    basis: String,
    given: bool,
    notice_version: Option<i64>,
    wording: String,
    ip: Option<String>,
    source: String,
    by_name: Option<String>,
    at: DateTime<Utc>,
}

/// A person's consent record, newest first.
pub async fn history(db: &Db, person: &RecordId) -> AppResult<Vec<ConsentRecord>> {
    let mut r = db
        .query(
            "SELECT purpose, basis, given, notice_version, wording, ip, source, by_name, at
             FROM consent_event WHERE person = $p ORDER BY at DESC LIMIT 200",
        )
        .bind(("p", person.clone()))
        .await?;
    let rows: Vec<EventRow> = r.take(0)?;
    Ok(rows
        .into_iter()
        .map(|e| ConsentRecord {
            at: e.at.to_rfc3339(),
            purpose: if e.purpose == "application" {
                "Application".into()
            } else {
                "Talent pool".into()
            },
            basis: Basis::read(Some(&e.basis))
                .map(|b| b.label().to_string())
                .unwrap_or(e.basis),
            given: e.given,
            notice_version: e.notice_version,
            wording: e.wording,
            ip: e.ip,
            source: consent_source_label(&e.source, e.by_name.as_deref()),
        })
        .collect())
}

/// Demo data: the consent record of everyone the demo shows as agreeing (sign-ups confirmed by
/// email, applicants who ticked the talent-pool box), under the first notice, from documentation
/// addresses (203.0.113.0/24).
pub async fn seed_demo(db: &Db, company: &str) -> AppResult<()> {
    let notice = current_notice(db, company).await?;
    write(
        db.query(
            "FOR $p IN (SELECT id, source, consent_at FROM person
                        WHERE consent_status = 'granted' AND consent_at != NONE) {
                CREATE consent_event CONTENT {
                    person: $p.id, purpose: 'talent_pool', basis: 'consent', given: true,
                    notice_version: $v, wording: $w,
                    ip: '203.0.113.24',
                    source: IF $p.source = 'event' THEN 'talent_form' ELSE 'apply_form' END,
                    at: $p.consent_at,
                } RETURN NONE;
            };",
        )
        .bind(("v", notice.version))
        .bind(("w", notice.pool_wording)),
    )
    .await?;
    Ok(())
}
