//! The portal's reads and writes (server only).

use crate::error::AppResult;
use crate::server::activity::NewActivity;
use crate::server::db::{Db, txn_return, write};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
pub struct PersonRow {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct StageInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct AppRow {
    pub id: RecordId,
    pub job_title: String,
    pub stages: Vec<StageInfo>,
    pub stage: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct EntryRow {
    pub application: Option<RecordId>,
    pub summary: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct OwnedApp {
    pub person: RecordId,
    pub job: RecordId,
    pub status: String,
}

/// The person's name and address.
pub async fn person(db: &Db, person: &RecordId) -> AppResult<Option<PersonRow>> {
    let mut res = db
        .query("SELECT first_name, last_name, email FROM ONLY $p")
        .bind(("p", person.clone()))
        .await?;
    Ok(res.take(0)?)
}

/// The person with this address, if they have applied to anything.
pub async fn person_by_email(db: &Db, email: &str) -> AppResult<Option<RecordId>> {
    let mut res = db
        .query("SELECT VALUE id FROM person WHERE email = $email AND merged_into = NONE LIMIT 1")
        .bind(("email", email.to_string()))
        .await?;
    let ids: Vec<RecordId> = res.take(0)?;
    Ok(ids.into_iter().next())
}

/// Everything the portal shows: the person, their applications (newest first) and the
/// timeline entries they may see (newest first).
pub async fn portal(
    db: &Db,
    person: &RecordId,
) -> AppResult<Option<(PersonRow, Vec<AppRow>, Vec<EntryRow>)>> {
    let mut res = db
        .query(
            "SELECT first_name, last_name, email FROM ONLY $p;
             SELECT id, job.title AS job_title, job.stages AS stages, stage, status, created_at
                FROM application WHERE person = $p ORDER BY created_at DESC;
             SELECT application, summary, at FROM activity
                WHERE person = $p AND visible_to_candidate = true ORDER BY at DESC;",
        )
        .bind(("p", person.clone()))
        .await?;
    let Some(p): Option<PersonRow> = res.take(0)? else {
        return Ok(None);
    };
    Ok(Some((p, res.take(1)?, res.take(2)?)))
}

/// Whose application it is.
pub async fn owned_application(db: &Db, app: &RecordId) -> AppResult<Option<OwnedApp>> {
    let mut res = db
        .query("SELECT person, job, status FROM ONLY $app")
        .bind(("app", app.clone()))
        .await?;
    Ok(res.take(0)?)
}

/// Withdraws an active application (with its timeline entry); returns the ids it changed
/// (none when it was already closed).
pub async fn withdraw(db: &Db, app: &RecordId, activity: NewActivity) -> AppResult<Vec<RecordId>> {
    let mut res = write(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $app SET status = 'withdrawn', stage_entered_at = time::now()
                WHERE status = 'active' RETURN VALUE id;
             IF array::len($done) > 0 { CREATE activity CONTENT $activity RETURN NONE };
             RETURN $done;
             COMMIT TRANSACTION;",
        )
        .bind(("app", app.clone()))
        .bind(("activity", activity)),
    )
    .await?;
    Ok(txn_return(&mut res)?)
}

/// Revokes every portal link sent to `person` before now.
pub async fn revoke_links(db: &Db, person: &RecordId) -> AppResult<()> {
    db.query("UPDATE $p SET portal_links_after = $now RETURN NONE")
        .bind(("p", person.clone()))
        .bind(("now", chrono::Utc::now().timestamp_millis()))
        .await
        .and_then(|r| r.check())?;
    Ok(())
}

/// Uses up a portal link: false when it was used before or a newer link revoked it.
pub async fn spend_link(
    db: &Db,
    person: &RecordId,
    issued: i64,
    token_hash: &str,
) -> AppResult<bool> {
    let res = crate::server::db::write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             IF ((SELECT VALUE portal_links_after FROM ONLY $p) ?? 0) > $issued { THROW 'link_spent' };
             CREATE type::record('used_link', $hash) RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("issued", issued))
        .bind(("hash", token_hash.to_string())),
        &[
            ("link_spent", crate::error::AppError::Gone(String::new())),
            ("already exists", crate::error::AppError::Gone(String::new())),
        ],
    )
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(crate::error::AppError::Gone(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Housekeeping: forgets used links older than any link's lifetime.
pub async fn purge_used_links(db: &Db) -> AppResult<()> {
    db.query("DELETE used_link WHERE at < time::now() - 2d")
        .await
        .and_then(|r| r.check())?;
    Ok(())
}
