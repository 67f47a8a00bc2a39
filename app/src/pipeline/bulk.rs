//! Bulk actions on a board (move, reject with an optional email, tag, email) and their undo.
//! Emails from a bulk action wait out the undo window before they are sent, so undoing also
//! takes them back.

use super::types::*;
use crate::domain::Tag;
use crate::error::{AppError, AppResult};
use crate::jobs::repo::JobRow;
use crate::server::AppState;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{id, key, new_key, txn_return, write_guarded};
use crate::server::mail::NewMail;
use crate::templates::{TokenValues, render};
use chrono::{DateTime, Duration, Utc};
use surrealdb::types::{RecordId, SurrealValue};

pub const MAX_BULK: usize = 500;

/// What the recruiter asked for.
#[derive(Clone, Debug)]
pub enum BulkKind {
    Move {
        to: String,
    },
    Reject {
        reason: String,
        email: Option<(String, String)>,
    },
    Tag {
        tag: Tag,
    },
    Email {
        subject: String,
        body: String,
    },
    /// Adds the candidates (the people) to a talent pool.
    Pool {
        pool: RecordId,
    },
}

#[derive(Debug, Clone, SurrealValue)]
struct Target {
    id: RecordId,
    job: RecordId,
    person: RecordId,
    stage: String,
    status: String,
    first_name: String,
    last_name: String,
    email: String,
    tags: Vec<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct Item {
    application: RecordId,
    person: RecordId,
    prev_stage: String,
    prev_status: String,
    had_tag: bool,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewBulk {
    id: RecordId,
    job: RecordId,
    actor: Option<RecordId>,
    kind: String,
    items: Vec<Item>,
    tag: Option<String>,
    pool: Option<RecordId>,
    mails: Vec<RecordId>,
    undo_until: DateTime<Utc>,
    message: String,
}

fn email_for(
    st: &AppState,
    t: &Target,
    job: &JobRow,
    subject: &str,
    body: &str,
    send_at: DateTime<Utc>,
) -> (RecordId, NewMail) {
    let v = TokenValues {
        first_name: t.first_name.clone(),
        last_name: t.last_name.clone(),
        email: t.email.clone(),
        company: st.config.company_name.clone(),
        job_title: job.title.clone(),
        ..Default::default()
    }
    .with_links(&st.config.public_url, Some(&key(&job.id)));
    let mut m = st
        .mailer
        .compose(
            "bulk",
            &t.email,
            format!("{} {}", t.first_name, t.last_name).trim(),
            &render(subject, &v),
            &render(body, &v),
        )
        .person(t.person.clone());
    m.next_attempt_at = send_at;
    (RecordId::new("mail", new_key()), m)
}

/// Runs a bulk action on applications of one job. Returns the bulk id and a summary.
pub async fn run(
    st: &AppState,
    job: &JobRow,
    application_ids: &[String],
    kind: BulkKind,
    actor: &Actor,
) -> AppResult<BulkResult> {
    if application_ids.is_empty() {
        return Err(AppError::invalid("ids", "Select at least one candidate."));
    }
    if application_ids.len() > MAX_BULK {
        return Err(AppError::invalid(
            "ids",
            format!("Select at most {MAX_BULK} candidates at a time."),
        ));
    }
    let ids = application_ids
        .iter()
        .map(|a| id("application", a))
        .collect::<Result<Vec<_>, _>>()?;
    let mut r = st
        .db
        .query(
            "SELECT id, job, person, stage, status, person.first_name AS first_name,
                person.last_name AS last_name, person.email AS email, person.tags AS tags FROM $ids",
        )
        .bind(("ids", ids))
        .await?;
    let targets: Vec<Target> = r.take(0)?;
    let targets: Vec<Target> = targets.into_iter().filter(|t| t.job == job.id).collect();
    if targets.is_empty() {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    let send_at = now + Duration::seconds(st.config.undo_seconds);
    let stages = job.stages();
    let columns = columns_for(&stages);
    let bulk_id = RecordId::new("bulk_action", new_key());
    let mut statements = String::from("BEGIN TRANSACTION;\n");
    let mut items = Vec::new();
    let mut activities = Vec::new();
    let mut mails: Vec<(RecordId, NewMail)> = Vec::new();
    let (kind_name, tag, message);
    let mut move_to: Option<String> = None;
    match &kind {
        BulkKind::Move { to } => {
            let target = MoveTarget::parse(to, &stages)
                .filter(|t| matches!(t, MoveTarget::Stage(_)))
                .ok_or_else(|| AppError::invalid("to", "Choose a stage of this job."))?;
            let MoveTarget::Stage(stage) = target else {
                unreachable!()
            };
            let name = columns
                .iter()
                .find(|c| c.id == stage)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            for t in targets
                .iter()
                .filter(|t| !(t.stage == stage && t.status == "active"))
            {
                items.push(item(t, false));
                activities.push(
                    NewActivity::new(actor, "stage_moved", format!("Moved to {name}"))
                        .person(&t.person)
                        .application(&t.id)
                        .job(&job.id)
                        .for_candidate(),
                );
            }
            statements.push_str(
                "UPDATE $apps SET stage = $stage, status = 'active', stage_entered_at = time::now(), rejection_reason = NONE RETURN NONE;\n",
            );
            kind_name = "move";
            tag = None;
            message = format!("Moved {} to {name}.", plural(items.len()));
            move_to = Some(stage);
        }
        BulkKind::Reject { reason, email } => {
            if !REJECTION_REASONS.contains(&reason.as_str()) {
                return Err(AppError::invalid(
                    "reason",
                    "Choose a reason for the rejection.",
                ));
            }
            for t in targets.iter().filter(|t| t.status == "active") {
                items.push(item(t, false));
                activities.push(
                    NewActivity::new(
                        actor,
                        "stage_moved",
                        "Application closed: not moving forward",
                    )
                    .person(&t.person)
                    .application(&t.id)
                    .job(&job.id)
                    .for_candidate(),
                );
                if let Some((subject, body)) = email {
                    mails.push(email_for(st, t, job, subject, body, send_at));
                }
            }
            statements.push_str(
                "UPDATE $apps SET status = 'rejected', rejection_reason = $reason, stage_entered_at = time::now() RETURN NONE;\n",
            );
            kind_name = "reject";
            tag = None;
            message = format!(
                "Rejected {}{}.",
                plural(items.len()),
                if email.is_some() {
                    format!(
                        " and queued {} rejection email{}",
                        mails.len(),
                        if mails.len() == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                }
            );
        }
        BulkKind::Tag { tag: t } => {
            for x in &targets {
                let had = x.tags.iter().any(|g| g == t.as_str());
                items.push(item(x, had));
                if !had {
                    activities.push(
                        NewActivity::new(actor, "tagged", format!("Tagged “{}”", t.as_str()))
                            .person(&x.person),
                    );
                }
            }
            statements
                .push_str("UPDATE $people SET tags = array::union(tags, [$tag]) RETURN NONE;\n");
            kind_name = "tag";
            tag = Some(t.as_str().to_string());
            message = format!(
                "Tagged {} “{}”.",
                plural(items.iter().filter(|i| !i.had_tag).count()),
                t.as_str()
            );
        }
        BulkKind::Pool { pool } => {
            let people: Vec<RecordId> = targets.iter().map(|t| t.person.clone()).collect();
            let mut r = st
                .db
                .query(
                    "SELECT VALUE name FROM ONLY $pool;
                     SELECT VALUE person FROM pool_member WHERE pool = $pool AND person IN $people;",
                )
                .bind(("pool", pool.clone()))
                .bind(("people", people))
                .await?;
            let name: Option<String> = r.take(0)?;
            let name = name.ok_or_else(|| AppError::invalid("pool", "Choose a pool."))?;
            let members: Vec<RecordId> = r.take(1)?;
            let members: std::collections::HashSet<String> = members.iter().map(key).collect();
            for x in &targets {
                let had = members.contains(&key(&x.person));
                items.push(item(x, had));
                if !had {
                    activities.push(
                        NewActivity::new(
                            actor,
                            "pool_added",
                            format!("Added to the pool “{name}”"),
                        )
                        .person(&x.person),
                    );
                }
            }
            let added = items.iter().filter(|i| !i.had_tag).count();
            if added == 0 {
                return Err(AppError::Conflict(format!(
                    "The selected candidates are already in “{name}”."
                )));
            }
            statements.push_str(
                "FOR $p IN $people { CREATE pool_member CONTENT { pool: $pool, person: $p, added_by: $added_by } RETURN NONE; };\n",
            );
            kind_name = "pool";
            tag = None;
            message = format!("Added {} to “{name}”.", plural(added));
        }
        BulkKind::Email { subject, body } => {
            for t in &targets {
                items.push(item(t, false));
                mails.push(email_for(st, t, job, subject, body, send_at));
            }
            kind_name = "email";
            tag = None;
            message = format!(
                "Queued {} email{}.",
                mails.len(),
                if mails.len() == 1 { "" } else { "s" }
            );
        }
    }
    if items.is_empty() && mails.is_empty() {
        return Err(AppError::Conflict(
            "Nothing to do: the selected candidates are already there.".into(),
        ));
    }
    let apps: Vec<RecordId> = items.iter().map(|i| i.application.clone()).collect();
    let people: Vec<RecordId> = items
        .iter()
        .filter(|i| !i.had_tag)
        .map(|i| i.person.clone())
        .collect();
    let mail_ids: Vec<RecordId> = mails.iter().map(|(id, _)| id.clone()).collect();
    statements.push_str(
        "FOR $m IN $mails { CREATE type::record('mail', $m.key) CONTENT $m.mail RETURN NONE; };
         INSERT INTO activity $activities RETURN NONE;
         CREATE $bulk CONTENT $record RETURN NONE;
         COMMIT TRANSACTION;",
    );
    let mail_payload: Vec<MailWithKey> = mails
        .into_iter()
        .map(|(id, mail)| MailWithKey {
            key: key(&id),
            mail,
        })
        .collect();
    let reason = match &kind {
        BulkKind::Reject { reason, .. } => Some(reason.clone()),
        _ => None,
    };
    let pool = match &kind {
        BulkKind::Pool { pool } => Some(pool.clone()),
        _ => None,
    };
    write_guarded(
        st.db
            .query(statements)
            .bind(("apps", apps))
            .bind(("stage", move_to))
            .bind(("people", people))
            .bind(("tag", tag.clone()))
            .bind(("reason", reason))
            .bind(("pool", pool.clone()))
            .bind(("added_by", actor.label.clone()))
            .bind(("mails", mail_payload))
            .bind(("activities", activities))
            .bind(("bulk", bulk_id.clone()))
            .bind((
                "record",
                NewBulk {
                    id: bulk_id.clone(),
                    job: job.id.clone(),
                    actor: actor.id.clone(),
                    kind: kind_name.into(),
                    items,
                    tag,
                    pool,
                    mails: mail_ids,
                    undo_until: send_at,
                    message: message.clone(),
                },
            )),
        &[],
    )
    .await?;
    st.mailer.wake();
    Ok(BulkResult {
        bulk_id: key(&bulk_id),
        message,
        undo_seconds: st.config.undo_seconds,
    })
}

#[derive(Debug, Clone, SurrealValue)]
struct MailWithKey {
    key: String,
    mail: NewMail,
}

fn item(t: &Target, had_tag: bool) -> Item {
    Item {
        application: t.id.clone(),
        person: t.person.clone(),
        prev_stage: t.stage.clone(),
        prev_status: t.status.clone(),
        had_tag,
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 candidate".into()
    } else {
        format!("{n} candidates")
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct BulkRow {
    job: RecordId,
    kind: String,
    items: Vec<Item>,
    tag: Option<String>,
    pool: Option<RecordId>,
    mails: Vec<RecordId>,
    undo_until: DateTime<Utc>,
    undone_at: Option<DateTime<Utc>>,
}

/// Undoes a bulk action within its window: applications go back where they were (unless
/// someone moved them since), unsent emails are withdrawn, added tags are removed.
pub async fn undo(
    st: &AppState,
    job: &JobRow,
    bulk: &RecordId,
    actor: &Actor,
) -> AppResult<String> {
    let mut r = st
        .db
        .query("SELECT job, kind, items, tag, pool, mails, undo_until, undone_at FROM ONLY $b")
        .bind(("b", bulk.clone()))
        .await?;
    let row: Option<BulkRow> = r.take(0)?;
    let row = row.filter(|b| b.job == job.id).ok_or(AppError::NotFound)?;
    if row.undone_at.is_some() {
        return Err(AppError::Conflict("This action was already undone.".into()));
    }
    if Utc::now() > row.undo_until {
        return Err(AppError::Gone(
            "Too late to undo: the change has been kept.".into(),
        ));
    }
    let mut q = String::from(
        "BEGIN TRANSACTION;
         LET $claimed = UPDATE $b SET undone_at = time::now() WHERE undone_at = NONE AND undo_until > time::now() RETURN VALUE id;
         IF array::len($claimed) = 0 { THROW 'too_late' };
         LET $unsent = SELECT VALUE id FROM $mails WHERE status IN ['queued', 'outbox'];
         DELETE $unsent;\n",
    );
    match row.kind.as_str() {
        "move" | "reject" => {
            // Restore each application still where the bulk action put it.
            q.push_str(
                "FOR $i IN $items {
                    UPDATE $i.application SET stage = $i.prev_stage, status = $i.prev_status, rejection_reason = NONE
                        WHERE (status != $i.prev_status OR stage != $i.prev_stage) RETURN NONE;
                 };\n",
            );
        }
        "tag" => {
            q.push_str(
                "FOR $i IN $items { IF !$i.had_tag { UPDATE $i.person SET tags = array::complement(tags, [$tag]) RETURN NONE; }; };\n",
            );
        }
        "pool" => {
            q.push_str(
                "FOR $i IN $items { IF !$i.had_tag { DELETE pool_member WHERE pool = $pool AND person = $i.person RETURN NONE; }; };\n",
            );
        }
        _ => {}
    }
    let activities: Vec<NewActivity> = row
        .items
        .iter()
        .map(|i| {
            let a = NewActivity::new(actor, "undo", format!("Undid the bulk {}", row.kind))
                .person(&i.person);
            if row.kind == "move" || row.kind == "reject" {
                a.application(&i.application).job(&job.id).for_candidate()
            } else {
                a
            }
        })
        .collect();
    q.push_str("INSERT INTO activity $activities RETURN NONE;\nRETURN array::len($unsent);\nCOMMIT TRANSACTION;");
    let mut res = write_guarded(
        st.db
            .query(q)
            .bind(("b", bulk.clone()))
            .bind(("mails", row.mails.clone()))
            .bind(("items", row.items.clone()))
            .bind(("tag", row.tag.clone()))
            .bind(("pool", row.pool.clone()))
            .bind(("activities", activities)),
        &[(
            "too_late",
            AppError::Gone("Too late to undo: the change has been kept.".into()),
        )],
    )
    .await?;
    let withdrawn: i64 = txn_return::<Option<i64>>(&mut res)?.unwrap_or(0);
    Ok(format!(
        "Undone.{}",
        if withdrawn > 0 {
            format!(
                " {withdrawn} email{} will not be sent.",
                if withdrawn == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    ))
}

#[derive(Debug, Clone, SurrealValue)]
struct BulkInfoRow {
    job: RecordId,
    message: String,
    undo_until: DateTime<Utc>,
    undone_at: Option<DateTime<Utc>>,
}

/// What a recent bulk action did and how long it can still be undone.
pub async fn info(st: &AppState, job: &JobRow, bulk: &RecordId) -> AppResult<BulkStatus> {
    let mut r = st
        .db
        .query("SELECT job, message, undo_until, undone_at FROM ONLY $b")
        .bind(("b", bulk.clone()))
        .await?;
    let row: Option<BulkInfoRow> = r.take(0)?;
    let row = row.filter(|b| b.job == job.id).ok_or(AppError::NotFound)?;
    Ok(BulkStatus {
        bulk_id: key(bulk),
        message: row.message,
        // Rounded up: 0 only once the window has really closed.
        seconds_left: ((row.undo_until - Utc::now()).num_milliseconds() + 999)
            .div_euclid(1000)
            .max(0),
        undone: row.undone_at.is_some(),
    })
}
