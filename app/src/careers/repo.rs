//! Storing an application: person (new or existing), resume, application, timeline, email.

use super::resume::ResumeKind;
use super::types::ApplyInput;
use crate::error::{AppError, AppResult};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, new_key};
use crate::server::mail::NewMail;
use surrealdb::types::{Bytes, RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct NewPerson {
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    source: String,
    resume_text: Option<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewResume {
    person: RecordId,
    filename: String,
    content_type: String,
    size: i64,
    data: Bytes,
    text: Option<String>,
    parse_status: String,
    parse_message: Option<String>,
    proposal: Option<super::parse::Proposal>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewApplication {
    person: RecordId,
    person_name: String,
    uniq: String,
    job: RecordId,
    stage: String,
    status: String,
    source: String,
    resume: RecordId,
}

pub struct Upload {
    pub filename: String,
    pub kind: ResumeKind,
    pub bytes: Vec<u8>,
    /// What reading the file gave (text and proposals, or why there is none).
    pub parsed: super::parse::ParsedResume,
}

/// What the applicant was told and answered about their data: the notice beside the form, the
/// separate talent-pool box, and where they sent it from.
pub struct ApplyConsent {
    pub notice: crate::privacy::types::PrivacyNotice,
    pub talent_pool: bool,
    pub ip: Option<String>,
}

pub enum ApplyOutcome {
    Applied { person: RecordId },
    AlreadyApplied { person: RecordId },
}

pub async fn person_by_email(db: &Db, email: &str) -> AppResult<Option<RecordId>> {
    let mut res = db
        .query("SELECT VALUE id FROM person WHERE email = $email LIMIT 1")
        .bind(("email", email.to_string()))
        .await?;
    Ok(res.take(0)?)
}

/// Task: read the text of an uploaded resume that could not be read while the candidate waited
/// (queued in the application's transaction; `careers::tasks` handles it).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ParseResume {
    /// Key of the `resume` row.
    pub resume: String,
}

impl crate::server::tasks::Task for ParseResume {
    const KIND: &'static str = "parse_resume";
}

/// The person with this email when they already applied for `job`.
pub async fn applied_with_email(
    db: &Db,
    email: &str,
    job: &RecordId,
) -> AppResult<Option<RecordId>> {
    let mut res = db
        .query(
            "LET $p = (SELECT VALUE id FROM person WHERE email = $email LIMIT 1)[0];
             SELECT VALUE person FROM application WHERE $p != NONE AND person = $p AND job = $job LIMIT 1",
        )
        .bind(("email", email.to_string()))
        .bind(("job", job.clone()))
        .await?;
    Ok(res.take(1)?)
}

/// Stores the application in one transaction. An existing person (same email) gains an
/// application and its resume, but nothing of theirs is changed: this is an unauthenticated
/// form, and anyone can type anyone's email. `mail_for` builds the confirmation email for the
/// person id (new or existing) so the message is written in the same transaction.
/// The job an application is for: its id, title and first stage.
pub struct Opening<'a> {
    pub job: &'a RecordId,
    pub title: &'a str,
    pub first_stage: &'a str,
}

pub async fn apply(
    db: &Db,
    opening: &Opening<'_>,
    input: &ApplyInput,
    upload: &Upload,
    consent: &ApplyConsent,
    mail_for: impl Fn(&RecordId) -> NewMail,
) -> AppResult<ApplyOutcome> {
    use crate::privacy::consent::NewConsentEvent;
    let Opening {
        job,
        title: job_title,
        first_stage,
    } = *opening;
    for _attempt in 0..3 {
        let existing = person_by_email(db, input.email.as_str()).await?;
        let (person, is_new) = match existing {
            Some(p) => (p, false),
            None => (RecordId::new("person", new_key()), true),
        };
        let application = RecordId::new("application", new_key());
        let resume = RecordId::new("resume", new_key());
        let activity = NewActivity::new(
            &Actor::candidate(),
            "applied",
            format!("Applied for {job_title}"),
        )
        .person(&person)
        .application(&application)
        .job(job)
        .for_candidate();
        let result = crate::server::db::run(db
            .query(
                "BEGIN TRANSACTION;
                 IF (SELECT VALUE status FROM ONLY $job) != 'open' { THROW 'job_not_open' };
                 IF $is_new { CREATE $person CONTENT $new_person RETURN NONE };
                 IF array::len(SELECT VALUE id FROM application WHERE person = $person AND job = $job) > 0 {
                     THROW 'already_applied'
                 };
                 CREATE $resume CONTENT $new_resume RETURN NONE;
                 CREATE $application CONTENT $new_application RETURN NONE;
                 CREATE activity CONTENT $activity RETURN NONE;
                 CREATE mail CONTENT $mail RETURN NONE;
                 IF $parse_later { CREATE task CONTENT $task RETURN NONE };
                 CREATE consent_event CONTENT $application_basis RETURN NONE;
                 -- The talent-pool box: a separate answer. Someone who withdrew is not opted
                 -- back in from this unauthenticated form (the privacy centre does that).
                 IF $pool AND (SELECT VALUE consent_status FROM ONLY $person) IN ['unknown', 'pending'] {
                     UPDATE $person SET consent_status = 'granted', consent_at = time::now(),
                         consent_basis = 'consent' RETURN NONE;
                     CREATE consent_event CONTENT $pool_consent RETURN NONE;
                 };
                 COMMIT TRANSACTION;",
            )
            .bind(("pool", consent.talent_pool))
            .bind((
                "application_basis",
                NewConsentEvent::application(&person, &consent.notice, consent.ip.clone()),
            ))
            .bind((
                "pool_consent",
                NewConsentEvent::pool(
                    &person,
                    true,
                    Some(&consent.notice),
                    consent.ip.clone(),
                    "apply_form",
                ),
            ))
            .bind(("job", job.clone()))
            .bind(("is_new", is_new))
            .bind(("person", person.clone()))
            .bind((
                "new_person",
                NewPerson {
                    first_name: input.name.first.clone(),
                    last_name: input.name.last.clone(),
                    email: input.email.as_str().to_string(),
                    phone: input.phone.as_ref().map(|p| p.as_str().to_string()),
                    source: "careers_page".into(),
                    resume_text: upload.parsed.text.clone(),
                },
            ))
            .bind(("parse_later", upload.parsed.parse_status == "pending"))
            .bind((
                "task",
                crate::server::tasks::NewTask::of(&ParseResume {
                    resume: crate::server::db::key(&resume),
                }),
            ))
            .bind(("resume", resume.clone()))
            .bind((
                "new_resume",
                NewResume {
                    person: person.clone(),
                    filename: upload.filename.clone(),
                    content_type: upload.kind.content_type().into(),
                    size: upload.bytes.len() as i64,
                    data: Bytes::from(upload.bytes.clone()),
                    text: upload.parsed.text.clone(),
                    parse_status: upload.parsed.parse_status.clone(),
                    parse_message: upload.parsed.parse_message.clone(),
                    proposal: upload.parsed.proposal.clone(),
                },
            ))
            .bind(("application", application.clone()))
            .bind((
                "new_application",
                NewApplication {
                    person: person.clone(),
                    person_name: input.name.full(),
                    uniq: format!("{}:{}", crate::server::db::key(&person), crate::server::db::key(job)),
                    job: job.clone(),
                    stage: first_stage.to_string(),
                    status: "active".into(),
                    source: "careers_page".into(),
                    resume: resume.clone(),
                },
            ))
            .bind(("activity", activity))
            .bind(("mail", mail_for(&person))))
            .await;
        match result {
            Ok(_) => return Ok(ApplyOutcome::Applied { person }),
            Err(e) => {
                let msg = e.to_string();
                if msg.contains("already_applied") {
                    return Ok(ApplyOutcome::AlreadyApplied { person });
                }
                if msg.contains("job_not_open") {
                    return Err(AppError::Conflict(
                        "This job is no longer accepting applications.".into(),
                    ));
                }
                if e.is_conflict() || msg.to_lowercase().contains("already contains") {
                    // Someone created this person (or applied) at the same moment: look again.
                    continue;
                }
                return Err(e.into());
            }
        }
    }
    Err(AppError::Conflict(
        "We could not store your application just now. Please try again.".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::careers::resume::ResumeKind;
    use crate::error::Checks;
    use crate::testing;

    fn input(name: &str, email: &str) -> ApplyInput {
        ApplyInput::parse(name, email, "", Checks::new()).unwrap()
    }

    fn no_pool() -> ApplyConsent {
        ApplyConsent {
            notice: crate::privacy::types::PrivacyNotice {
                version: 1,
                summary: "We keep it.".into(),
                body: String::new(),
                pool_wording: String::new(),
                published_at: String::new(),
                author_name: String::new(),
            },
            talent_pool: false,
            ip: None,
        }
    }

    fn upload() -> Upload {
        Upload {
            filename: "cv.pdf".into(),
            kind: ResumeKind::Pdf,
            bytes: b"%PDF-1.4 test".to_vec(),
            parsed: crate::careers::parse::ParsedResume::from_result(Ok(
                "Grace Hopper\nCOBOL, Rust".into(),
            )),
        }
    }

    async fn open_job(st: &crate::server::AppState, title: &str) -> RecordId {
        testing::open_job(st, title).await
    }

    #[tokio::test]
    async fn applying_stores_person_application_timeline_and_mail_together() {
        let st = testing::state().await;
        let job = open_job(&st, "Rust dev").await;
        let mail = |p: &RecordId| {
            st.mailer
                .compose("application_received", "a@x.test", "A", "s", "b")
                .person(p.clone())
        };
        let out = apply(
            &st.db,
            &Opening {
                job: &job,
                title: "Rust dev",
                first_stage: "applied",
            },
            &input("Ada L", "ada@x.test"),
            &upload(),
            &no_pool(),
            mail,
        )
        .await
        .unwrap();
        let ApplyOutcome::Applied { person } = out else {
            panic!("expected a new application")
        };
        assert_eq!(testing::ids(&st, "person").await, vec![person.clone()]);
        assert_eq!(testing::ids(&st, "application").await.len(), 1);
        assert_eq!(testing::ids(&st, "resume").await.len(), 1);
        assert_eq!(testing::ids(&st, "mail").await.len(), 1);
        let mut r = st
            .db
            .query("SELECT VALUE summary FROM activity WHERE person = $p")
            .bind(("p", person))
            .await
            .unwrap();
        let summaries: Vec<String> = r.take(0).unwrap();
        assert_eq!(summaries, ["Applied for Rust dev"]);
    }

    #[tokio::test]
    async fn the_same_email_is_one_person_and_cannot_apply_twice_to_one_job() {
        let st = testing::state().await;
        let a = open_job(&st, "A").await;
        let b = open_job(&st, "B").await;
        let mail = |p: &RecordId| {
            st.mailer
                .compose("x", "g@x.test", "G", "s", "b")
                .person(p.clone())
        };
        let first = apply(
            &st.db,
            &Opening {
                job: &a,
                title: "A",
                first_stage: "applied",
            },
            &input("Grace", "g@x.test"),
            &upload(),
            &no_pool(),
            mail,
        )
        .await
        .unwrap();
        let again = apply(
            &st.db,
            &Opening {
                job: &a,
                title: "A",
                first_stage: "applied",
            },
            &input("Grace H", "G@X.test"),
            &upload(),
            &no_pool(),
            mail,
        )
        .await
        .unwrap();
        let other = apply(
            &st.db,
            &Opening {
                job: &b,
                title: "B",
                first_stage: "applied",
            },
            &input("Grace", "g@x.test"),
            &upload(),
            &no_pool(),
            mail,
        )
        .await
        .unwrap();
        let (
            ApplyOutcome::Applied { person: p1 },
            ApplyOutcome::AlreadyApplied { person: p2 },
            ApplyOutcome::Applied { person: p3 },
        ) = (first, again, other)
        else {
            panic!("unexpected outcomes")
        };
        assert!(p1 == p2 && p2 == p3, "one person across applications");
        assert_eq!(testing::ids(&st, "application").await.len(), 2);
        assert_eq!(
            testing::ids(&st, "resume").await.len(),
            2,
            "the refused attempt stored nothing"
        );
        assert_eq!(testing::ids(&st, "mail").await.len(), 2);
    }

    #[tokio::test]
    async fn closed_jobs_take_no_applications() {
        let st = testing::state().await;
        let job = open_job(&st, "Gone").await;
        crate::jobs::repo::set_status(
            &st.db,
            &job,
            crate::jobs::types::JobStatus::Closed,
            &testing::recruiter(),
        )
        .await
        .unwrap();
        let mail = |p: &RecordId| {
            st.mailer
                .compose("x", "c@x.test", "C", "s", "b")
                .person(p.clone())
        };
        let r = apply(
            &st.db,
            &Opening {
                job: &job,
                title: "Gone",
                first_stage: "applied",
            },
            &input("C", "c@x.test"),
            &upload(),
            &no_pool(),
            mail,
        )
        .await;
        assert!(matches!(r, Err(AppError::Conflict(_))));
        assert!(testing::ids(&st, "person").await.is_empty());
    }
}

/// A stored resume file and whose it is.
#[derive(Debug, Clone, SurrealValue)]
pub struct StoredFile {
    pub person: RecordId,
    pub content_type: String,
    pub data: surrealdb::types::Bytes,
}

/// The file of a resume, if it still exists.
pub async fn stored_resume(db: &Db, id: &RecordId) -> AppResult<Option<StoredFile>> {
    let mut r = db
        .query("SELECT person, content_type, data FROM ONLY $id")
        .bind(("id", id.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// Saves a parse outcome on the resume and fills the person's searchable text when they have
/// none (a resume that came through a public form never replaces what a person has).
pub async fn store_parsed(
    db: &crate::server::db::Db,
    resume: &RecordId,
    person: &RecordId,
    parsed: super::parse::ParsedResume,
) -> crate::error::AppResult<()> {
    db.query(
        "UPDATE $resume MERGE $parsed RETURN NONE;
         UPDATE $person SET resume_text = resume_text ?? $parsed.text RETURN NONE;",
    )
    .bind(("resume", resume.clone()))
    .bind(("person", person.clone()))
    .bind(("parsed", parsed))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}
