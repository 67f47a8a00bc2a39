//! Board server functions.

// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth::guard::{require_role, require_staff},
    crate::auth::types::Role,
    crate::jobs::repo::{self as jobs_repo, JobRow},
    crate::server::activity::Actor,
    crate::server::db::id,
    crate::server::state,
};

#[cfg(feature = "ssr")]
pub(crate) async fn job_for_board(
    job_id: &str,
) -> Result<(JobRow, crate::auth::types::StaffUser), AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let job = jobs_repo::get(&st.db, &id(jobs_repo::TABLE, job_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.can_work_board(job.hiring_manager_key().as_deref()) {
        return Err(AppError::Forbidden);
    }
    Ok((job, user))
}

/// What the board's quick view shows of a person: the profile as [`get_person`] gives it (the
/// same rights, read audit and anonymised review), cut to the drawer's summary.
///
/// [`get_person`]: crate::people::api::get_person
#[server]
pub async fn get_quick_profile(person_id: String) -> Result<QuickProfile, AppError> {
    crate::people::api::get_person(person_id)
        .await
        .map(QuickProfile::from)
}

/// The pipeline board of a job: its columns and the applications that pass the filters.
#[server]
pub async fn get_board(
    job_id: String,
    #[server(default)] tag: String,
    #[server(default)] source: String,
    #[server(default)] min_days: String,
    #[server(default)] show: String,
    #[server(default)] screen: String,
    #[server(default)] sort: String,
) -> Result<Board, AppError> {
    let (job, user) = job_for_board(&job_id).await?;
    let filters = BoardFilters::parse(&tag, &source, &min_days, &show).screening(&screen, &sort);
    let db = &state()?.db;
    let mut board = super::repo::board(db, &job, &filters).await?;
    if user.role.uses_crm() {
        board.pools = crate::pools::repo::pool_choices(db).await?;
    }
    Ok(board)
}

/// Moves a card from column `from` to column `to` (a stage id, `@rejected` or `@withdrawn`).
#[server]
pub async fn move_card(
    job_id: String,
    application_id: String,
    from: String,
    to: String,
) -> Result<Card, AppError> {
    let (job, user) = job_for_board(&job_id).await?;
    let app = id("application", &application_id)?;
    let card =
        super::repo::move_card(&state()?.db, &job, &app, &from, &to, &Actor::staff(&user)).await?;
    // Without JavaScript: back to the board as it was, its "Move to" form closed, the card kept
    // in view in its new column (a long column shows its first cards only).
    crate::server::http::back_without(
        &["move"],
        &[("kept", &application_id)],
        &format!("/app/jobs/{job_id}/board"),
    );
    Ok(card)
}

/// Applies one action to the selected cards (`ids[]`). `action` is `move` (with `to`),
/// `reject` (with `reason`, and `send_email` + `template` or `subject`/`body` for an email),
/// `tag` (with `tag`) or `email` (with `subject`/`body`, or a `template`).
#[server]
pub async fn bulk_action(
    job_id: String,
    action: String,
    #[server(default)] ids: Vec<String>,
    #[server(default)] to: String,
    #[server(default)] reason: String,
    #[server(default)] send_email: Option<String>,
    #[server(default)] template: String,
    #[server(default)] subject: String,
    #[server(default)] body: String,
    #[server(default)] tag: String,
    #[server(default)] pool: String,
    #[server(default)] show: String,
) -> Result<BulkResult, AppError> {
    use super::bulk::BulkKind;
    let (job, user) = job_for_board(&job_id).await?;
    let st = state()?;
    let mail = resolve_email(&st, &subject, &body, &template).await?;
    let kind = match action.as_str() {
        "move" => BulkKind::Move { to },
        "reject" => {
            let wants = matches!(send_email.as_deref(), Some("on" | "true" | "1"));
            if wants && mail.is_none() {
                return Err(AppError::invalid(
                    "template",
                    "Choose a template or write the email.",
                ));
            }
            BulkKind::Reject {
                reason,
                email: if wants { mail } else { None },
            }
        }
        "tag" => BulkKind::Tag {
            tag: crate::domain::Tag::parse(&tag).map_err(|m| AppError::invalid("tag", m))?,
        },
        "pool" => {
            if !user.role.uses_crm() {
                return Err(AppError::Forbidden);
            }
            BulkKind::Pool {
                pool: id("pool", &pool).map_err(|_| AppError::invalid("pool", "Choose a pool."))?,
            }
        }
        "email" => {
            let (subject, body) = mail.ok_or_else(|| {
                AppError::invalid("template", "Choose a template or write the email.")
            })?;
            BulkKind::Email { subject, body }
        }
        _ => {
            return Err(AppError::invalid(
                "action",
                "Choose what to do with the selected candidates.",
            ));
        }
    };
    let result = super::bulk::run(&st, &job, &ids, kind, &Actor::staff(&user)).await?;
    // Back to the board, which shows what happened with an Undo button (also without JavaScript).
    let keep = if show == "closed" { "&show=closed" } else { "" };
    leptos_axum::redirect(&format!(
        "/app/jobs/{}/board?bulk={}{keep}",
        job_id, result.bulk_id
    ));
    Ok(result)
}

/// A recent bulk action of this board (for its Undo banner).
#[server]
pub async fn get_bulk_status(job_id: String, bulk_id: String) -> Result<BulkStatus, AppError> {
    let (job, _) = job_for_board(&job_id).await?;
    let st = state()?;
    super::bulk::info(&st, &job, &id("bulk_action", &bulk_id)?).await
}

/// The email of a bulk action: the subject and body as written, or else the chosen template.
#[cfg(feature = "ssr")]
async fn resolve_email(
    st: &crate::server::AppState,
    subject: &str,
    body: &str,
    template: &str,
) -> Result<Option<(String, String)>, AppError> {
    let (s, b) = (subject.trim(), body.trim());
    if s.is_empty() && b.is_empty() {
        if template.is_empty() {
            return Ok(None);
        }
        let tpl = super::repo::template(&st.db, &id("email_template", template)?)
            .await?
            .ok_or_else(|| AppError::invalid("template", "Choose a template."))?;
        return Ok(Some((tpl.subject, tpl.body)));
    }
    let mut c = crate::error::Checks::new();
    if s.is_empty() {
        c.add("subject", "Enter a subject.");
    } else if s.chars().count() > 200 {
        c.add("subject", "Keep the subject to 200 characters or fewer.");
    } else if let Err(m) = crate::templates::check_template(s) {
        c.add("subject", m);
    }
    if b.is_empty() {
        c.add("body", "Enter the message.");
    } else if b.chars().count() > 20_000 {
        c.add("body", "Keep the message to 20,000 characters or fewer.");
    } else if let Err(m) = crate::templates::check_template(b) {
        c.add("body", m);
    }
    c.finish()?;
    Ok(Some((s.to_string(), b.to_string())))
}

/// Undoes a bulk action within its undo window.
#[server]
pub async fn undo_bulk(job_id: String, bulk_id: String) -> Result<String, AppError> {
    let (job, user) = job_for_board(&job_id).await?;
    let st = state()?;
    let message = super::bulk::undo(
        &st,
        &job,
        &id("bulk_action", &bulk_id)?,
        &Actor::staff(&user),
    )
    .await?;
    leptos_axum::redirect(&format!("/app/jobs/{job_id}/board?bulk={bulk_id}"));
    Ok(message)
}

/// Edits a job's stages: `op` is `add` (with `name`), `rename` (with `stage` and `name`),
/// `up`, `down` or `remove` (with `stage`).
#[server]
pub async fn edit_stage(
    job_id: String,
    op: String,
    #[server(default)] stage: String,
    #[server(default)] name: String,
) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let st = state()?;
    let job = jobs_repo::get(&st.db, &id(jobs_repo::TABLE, &job_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let edit = match op.as_str() {
        "add" => StageEdit::Add {
            id: format!("s{}", &crate::server::db::new_key()[..10]),
            name,
        },
        "rename" => StageEdit::Rename { id: stage, name },
        "up" => StageEdit::Move {
            id: stage,
            up: true,
        },
        "down" => StageEdit::Move {
            id: stage,
            up: false,
        },
        "remove" => StageEdit::Remove { id: stage },
        _ => return Err(AppError::invalid("op", "Unknown change.")),
    };
    super::repo::edit_job_stages(&st.db, &job, &edit, &Actor::staff(&user)).await
}

/// Adds a person to a job's pipeline as sourced.
#[server]
pub async fn add_person_to_job(person_id: String, job_id: String) -> Result<(), AppError> {
    let user = require_role(|r| r.uses_crm() || r.manages_jobs()).await?;
    let st = state()?;
    let job = id("job", &job_id).map_err(|_| AppError::invalid("job_id", "Choose a job."))?;
    let person = id("person", &person_id)?;
    super::repo::add_to_job(&st.db, &person, &job, &Actor::staff(&user)).await?;
    // Read against the job's screening criteria, like an application.
    st.tasks
        .enqueue(&st.db, &crate::screening::repo::Screen::person(&person))
        .await
}

/// Adds the people ticked in a pool or segment to a job's pipeline as sourced.
#[server]
pub async fn add_people_to_job(
    #[server(default)] person_ids: Vec<String>,
    #[server(default)] job_id: String,
) -> Result<String, AppError> {
    let user = require_role(|r| r.uses_crm() || r.manages_jobs()).await?;
    let st = state()?;
    let mut c = crate::error::Checks::new();
    let job = c.check(
        "job_id",
        id("job", &job_id).map_err(|_| "Choose a job.".to_string()),
    );
    if person_ids.is_empty() {
        c.add("person_ids", "Tick the people to add.");
    } else if person_ids.len() > 500 {
        c.add("person_ids", "Add at most 500 people at a time.");
    }
    c.finish()?;
    let job = job.expect("checked");
    let actor = Actor::staff(&user);
    let (mut added, mut already) = (0usize, 0usize);
    for p in &person_ids {
        match super::repo::try_add_to_job(&st.db, &id("person", p)?, &job, &actor).await? {
            Some(_) => added += 1,
            None => already += 1,
        }
    }
    let people = |n: usize| {
        if n == 1 {
            "1 person".to_string()
        } else {
            format!("{n} people")
        }
    };
    if added > 0 {
        st.tasks
            .enqueue(&st.db, &crate::screening::repo::Screen::job(&job))
            .await?;
    }
    Ok(if already == 0 {
        format!("Added {} to the pipeline as sourced.", people(added))
    } else {
        format!(
            "Added {} to the pipeline as sourced; {} already there.",
            people(added),
            people(already)
        )
    })
}
