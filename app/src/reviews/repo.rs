//! Human-review requests in the database.

use super::types::{ReviewRequest, ReviewState};
use crate::error::{AppError, AppResult};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, txn_return, write};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// Files a request for `application` (one open at a time: asking again changes nothing).
/// Returns false when one was already open.
pub async fn request(
    db: &Db,
    application: &RecordId,
    person: &RecordId,
    job: &RecordId,
    note: &str,
) -> AppResult<bool> {
    let activity = NewActivity::new(
        &Actor::candidate(),
        "review_requested",
        "You asked for a person to review this application",
    )
    .person(person)
    .application(application)
    .job(job)
    .for_candidate();
    let mut r = write(
        db.query(
            "BEGIN TRANSACTION;
             LET $open = (SELECT VALUE id FROM review_request
                WHERE application = $app AND status = 'open');
             IF array::len($open) = 0 {
                 CREATE review_request SET application = $app, person = $person, job = $job,
                    note = $note RETURN NONE;
                 CREATE activity CONTENT $activity RETURN NONE;
             };
             RETURN array::len($open) = 0;
             COMMIT TRANSACTION;",
        )
        .bind(("app", application.clone()))
        .bind(("person", person.clone()))
        .bind(("job", job.clone()))
        .bind(("note", note.to_string()))
        .bind(("activity", activity)),
    )
    .await?;
    let made: Option<bool> = txn_return(&mut r)?;
    Ok(made.unwrap_or(false))
}

#[derive(Debug, Clone, SurrealValue)]
struct StateRow {
    application: RecordId,
    status: String,
    requested_at: DateTime<Utc>,
    answer: Option<String>,
}

/// The latest request per application of `person`.
pub async fn states_of(db: &Db, person: &RecordId) -> AppResult<Vec<(RecordId, ReviewState)>> {
    let mut r = db
        .query(
            "SELECT application, status, requested_at, answer FROM review_request
                WHERE person = $p ORDER BY requested_at DESC",
        )
        .bind(("p", person.clone()))
        .await?;
    let rows: Vec<StateRow> = r.take(0)?;
    let mut out: Vec<(RecordId, ReviewState)> = Vec::new();
    for row in rows {
        if !out.iter().any(|(a, _)| *a == row.application) {
            out.push((
                row.application,
                ReviewState {
                    status: row.status,
                    requested_at: row.requested_at.to_rfc3339(),
                    answer: row.answer,
                },
            ));
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, SurrealValue)]
struct OpenRow {
    id: RecordId,
    application: RecordId,
    person: RecordId,
    person_name: Option<String>,
    job_title: Option<String>,
    note: String,
    requested_at: DateTime<Utc>,
}

/// Open requests, oldest first.
pub async fn open(db: &Db) -> AppResult<Vec<ReviewRequest>> {
    let mut r = db
        .query(
            "SELECT id, application, person, application.person_name AS person_name,
                job.title AS job_title, note, requested_at FROM review_request
                WHERE status = 'open' ORDER BY requested_at LIMIT 100",
        )
        .await?;
    let rows: Vec<OpenRow> = r.take(0)?;
    let mut out: Vec<ReviewRequest> = rows
        .into_iter()
        .map(|o| ReviewRequest {
            id: key(&o.id),
            application_id: key(&o.application),
            person_id: key(&o.person),
            person_name: o.person_name.unwrap_or_default(),
            job_title: o.job_title.unwrap_or_default(),
            note: o.note,
            requested_at: o.requested_at.to_rfc3339(),
        })
        .collect();
    // Anonymised review: the alias until the job's chosen stage.
    let masked = crate::anonymity::repo::alias_masked(db, &mut out, |r| {
        (r.person_id.as_str(), &mut r.person_name)
    })
    .await?;
    for r in out.iter_mut().filter(|r| masked.contains(&r.person_id)) {
        // Their own words may name them.
        r.note = "(hidden under anonymised review)".into();
    }
    Ok(out)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct Answered {
    pub person: RecordId,
    pub application: RecordId,
    pub job: RecordId,
    pub email: String,
    pub first_name: String,
    pub job_title: String,
}

/// Marks a request reviewed with the answer for the candidate (and their timeline); returns
/// who to write to. Answering twice is refused.
pub async fn answer(db: &Db, request: &RecordId, answer: &str, by: &Actor) -> AppResult<Answered> {
    let mut r = db
        .query(
            "SELECT person, application, job, person.email AS email,
                person.first_name AS first_name, job.title AS job_title, status
                FROM ONLY $r",
        )
        .bind(("r", request.clone()))
        .await?;
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        person: RecordId,
        application: RecordId,
        job: RecordId,
        email: String,
        first_name: String,
        job_title: String,
        status: String,
    }
    let row: Row = r.take::<Option<Row>>(0)?.ok_or(AppError::NotFound)?;
    if row.status != "open" {
        return Err(AppError::Conflict(
            "This request has already been answered.".into(),
        ));
    }
    let activity = NewActivity::new(
        by,
        "review_answered",
        format!("A person reviewed this application: {answer}"),
    )
    .person(&row.person)
    .application(&row.application)
    .job(&row.job)
    .for_candidate();
    write(
        db.query(
            "BEGIN TRANSACTION;
             UPDATE $r SET status = 'done', answer = $answer, answered_by = $by,
                answered_at = time::now() WHERE status = 'open' RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("r", request.clone()))
        .bind(("answer", answer.to_string()))
        .bind(("by", by.id.clone()))
        .bind(("activity", activity)),
    )
    .await?;
    Ok(Answered {
        person: row.person,
        application: row.application,
        job: row.job,
        email: row.email,
        first_name: row.first_name,
        job_title: row.job_title,
    })
}
