//! Screening server functions: criteria per job (recruiters and admins), the ranked list and
//! an application's reading (whoever works the job's board), overrides (recruiters and
//! admins), and the public questions of the apply form.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo::{self, Scope, Screen},
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::jobs::repo as jobs_repo,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::state,
};

/// The job, if the caller may work its board (recruiters, admins, its hiring manager).
#[cfg(feature = "ssr")]
use crate::pipeline::api::job_for_board as job_for;

/// A job's criteria and its applications ranked by score, filtered.
#[server]
pub async fn get_job_screening(
    job_id: String,
    #[server(default)] only: String,
    #[server(default)] meets: String,
    #[server(default)] sort: String,
    #[server(default)] closed: String,
) -> Result<JobScreening, AppError> {
    let (job, user) = job_for(&job_id).await?;
    let db = &state()?.db;
    let criteria = repo::criteria(db, &job.id).await?;
    let stages = job.stages();
    let mut lines = repo::lines(db, &job.id, &criteria, |s| {
        stages
            .iter()
            .find(|x| x.id == s)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    })
    .await?;
    crate::anonymity::repo::alias_masked(db, &mut lines, |l| (&l.person_id, &mut l.name)).await?;
    let filter = ListFilter {
        only,
        meets,
        sort,
        closed: closed == "yes",
    };
    filter.apply(&mut lines, &criteria);
    Ok(JobScreening {
        job_id: key(&job.id),
        job_title: job.title.clone(),
        criteria,
        lines,
        can_edit: user.role.manages_jobs(),
    })
}

/// Adds a criterion to a job; its applications are read against it in the background.
#[server]
pub async fn add_screening_criterion(
    job_id: String,
    kind: String,
    #[server(default)] term: String,
    #[server(default)] years: String,
    #[server(default)] required: Option<String>,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let (job, _) = job_for(&job_id).await?;
    let c = check_criterion(&kind, &term, &years, required.is_some(), &answer)
        .map_err(|(f, m)| AppError::invalid(f, m))?;
    let st = state()?;
    repo::add_criterion(&st.db, &job.id, &c, &Actor::staff(&user)).await?;
    st.tasks.enqueue(&st.db, &Screen::job(&job.id)).await?;
    Ok(())
}

/// Removes a criterion (and the overrides of it); the applications are scored again.
#[server]
pub async fn remove_screening_criterion(
    job_id: String,
    criterion_id: String,
) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let (job, _) = job_for(&job_id).await?;
    let st = state()?;
    repo::remove_criterion(
        &st.db,
        &job.id,
        &id("screening_criterion", &criterion_id)?,
        &Actor::staff(&user),
    )
    .await?;
    st.tasks.enqueue(&st.db, &Screen::job(&job.id)).await?;
    Ok(())
}

/// Reads every application of the job again (after resumes or profiles changed).
#[server]
pub async fn rescreen_job(job_id: String) -> Result<(), AppError> {
    require_role(Role::manages_jobs).await?;
    let (job, _) = job_for(&job_id).await?;
    let st = state()?;
    st.tasks.enqueue(&st.db, &Screen::job(&job.id)).await?;
    Ok(())
}

/// An application's reading: each criterion with its verdict, the evidence quoted and any
/// override. Under anonymised review the quotes have names, contacts and links taken out.
#[server]
pub async fn get_application_screening(
    application_id: String,
) -> Result<ApplicationScreening, AppError> {
    let (user, ctx) = crate::interviews::access::application_for(&application_id).await?;
    crate::audit::record_read(
        "application_screening",
        vec![
            format!("application:{}", key(&ctx.id)),
            format!("person:{}", key(&ctx.person)),
        ],
    )
    .await?;
    let db = &state()?.db;
    let (mut results, score, read_at) = repo::of_application(db, &ctx.id, &ctx.job).await?;
    let masked = crate::anonymity::repo::is_masked(db, &ctx.person).await?;
    if masked {
        let name = ctx.person_name();
        let who = crate::anonymity::rules::Identity {
            name: &name,
            email: &ctx.email,
            phone: None,
        };
        for r in &mut results {
            r.found.evidence = r
                .found
                .evidence
                .as_deref()
                .map(|e| crate::anonymity::rules::redact(e, &who));
        }
    }
    Ok(ApplicationScreening {
        application_id: key(&ctx.id),
        job_id: key(&ctx.job),
        results,
        score,
        read_at,
        can_override: user.role.manages_jobs(),
        masked,
    })
}

/// A recruiter's decision on one criterion of one application (`verdict` empty: back to the
/// reading). Kept over every later reading; the note says why.
#[server]
pub async fn override_screening(
    application_id: String,
    criterion_id: String,
    #[server(default)] verdict: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let user = require_role(Role::manages_jobs).await?;
    let (_, ctx) = crate::interviews::access::application_for(&application_id).await?;
    let verdict = match verdict.trim() {
        "" => None,
        v => Some(
            Verdict::parse(v)
                .ok_or_else(|| AppError::invalid("verdict", "Choose Met, Not met or Unknown."))?,
        ),
    };
    let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
    if note.chars().count() > 500 {
        return Err(AppError::invalid(
            "note",
            "Keep the note under 500 characters.",
        ));
    }
    let db = &state()?.db;
    let criterion = repo::criteria(db, &ctx.job)
        .await?
        .into_iter()
        .find(|c| c.id == criterion_id)
        .ok_or(AppError::NotFound)?;
    repo::set_override(
        db,
        &ctx.id,
        &ctx.person,
        &criterion,
        verdict,
        &note,
        &Actor::staff(&user),
    )
    .await
}

/// The yes/no questions an open job asks on its application form: (criterion id, question).
#[server]
pub async fn screening_questions(job_id: String) -> Result<Vec<(String, String)>, AppError> {
    let db = &state()?.db;
    let job = id(jobs_repo::TABLE, &job_id)?;
    let open = jobs_repo::get(db, &job)
        .await?
        .is_some_and(|j| j.status() == crate::jobs::types::JobStatus::Open);
    if !open {
        return Err(AppError::NotFound);
    }
    questions(db, &job).await
}

/// The job's questions (criterion id, question).
#[cfg(feature = "ssr")]
pub async fn questions(
    db: &crate::server::db::Db,
    job: &surrealdb::types::RecordId,
) -> crate::error::AppResult<Vec<(String, String)>> {
    Ok(repo::criteria(db, job)
        .await?
        .into_iter()
        .filter(|c| c.kind == Kind::Question)
        .map(|c| (c.id, c.term))
        .collect())
}

/// Reads applications again (the job runtime's handler of [`Screen`]).
#[cfg(feature = "ssr")]
pub async fn run_task(
    st: crate::server::AppState,
    task: Screen,
) -> Result<(), crate::server::tasks::TaskError> {
    use crate::server::tasks::TaskError;
    let bad = |_| TaskError::Fail("bad screening task".into());
    let scope = match (&task.job, &task.person, &task.application) {
        (Some(j), _, _) => Scope::Job(id("job", j).map_err(bad)?),
        (_, Some(p), _) => Scope::Person(id("person", p).map_err(bad)?),
        (_, _, Some(a)) => Scope::Application(id("application", a).map_err(bad)?),
        _ => return Err(TaskError::Fail("a screening task names nothing".into())),
    };
    repo::screen(&st.db, scope)
        .await
        .map(|_| ())
        .map_err(|e| TaskError::Retry(format!("{e:?}")))
}
