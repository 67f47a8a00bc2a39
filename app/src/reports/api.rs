//! The reports' server function. Recruiters and admins report on every job, hiring managers on
//! their own; other roles are refused.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{compute, repo},
    crate::auth::types::{Role, StaffUser},
    crate::server::db::key,
    chrono::{Duration, NaiveDate, Utc},
    surrealdb::types::RecordId,
};

/// How far back the period reaches when none is chosen.
pub const DEFAULT_DAYS: i64 = 90;
/// The longest period one report covers.
pub const MAX_DAYS: i64 = 3 * 366;

#[cfg(feature = "ssr")]
use crate::domain::optional_day as day;

/// The instants a period of whole days starts and ends at (the end is the next midnight).
#[cfg(feature = "ssr")]
fn bounds(from: NaiveDate, to: NaiveDate) -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    (midnight(from), midnight(to + Duration::days(1)))
}

/// The report for `query`, as `user` may see it. Shared by the page and the CSV downloads.
#[cfg(feature = "ssr")]
pub async fn build(
    db: &crate::server::db::Db,
    user: &StaffUser,
    mut query: ReportQuery,
) -> Result<HiringReport, AppError> {
    if !user.role.sees_jobs() {
        return Err(AppError::Forbidden);
    }
    let today = Utc::now().date_naive();
    let to = day("to", &query.to)?.unwrap_or(today);
    let from = day("from", &query.from)?.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
    if from > to {
        return Err(AppError::invalid(
            "from",
            "The period must start before it ends.",
        ));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(AppError::invalid(
            "from",
            "Choose a period of at most three years.",
        ));
    }
    query.from = from.format("%Y-%m-%d").to_string();
    query.to = to.format("%Y-%m-%d").to_string();

    let manager = (!user.role.manages_jobs()).then(|| RecordId::new("staff", user.id.as_str()));
    let all = repo::jobs(db, manager).await?;
    let mut departments: Vec<String> = all
        .iter()
        .map(|j| j.department.clone())
        .filter(|d| !d.is_empty())
        .collect();
    departments.sort();
    departments.dedup();
    let options = ReportOptions {
        jobs: all.iter().map(|j| (key(&j.id), j.title.clone())).collect(),
        departments,
        sources: repo::sources(db)
            .await?
            .into_iter()
            .map(|s| {
                let label = crate::people::types::source_label(&s);
                (s, label)
            })
            .collect(),
    };
    let chosen: Vec<&repo::ReportJob> = if query.job.trim().is_empty() {
        all.iter()
            .filter(|j| query.department.is_empty() || j.department == query.department)
            .collect()
    } else {
        match all.iter().find(|j| key(&j.id) == query.job.trim()) {
            Some(j) => vec![j],
            // A job out of reach reads as one that does not exist, whether it does or not.
            None => {
                let exists = crate::jobs::repo::get(
                    db,
                    &crate::server::db::id(crate::jobs::repo::TABLE, query.job.trim())?,
                )
                .await?
                .is_some();
                return Err(if exists {
                    AppError::Forbidden
                } else {
                    AppError::NotFound
                });
            }
        }
    };
    let (start, end) = bounds(from, to);
    let source = Some(query.source.trim().to_string()).filter(|s| !s.is_empty());
    let facts = repo::cohort(
        db,
        chosen.iter().map(|j| j.id.clone()).collect(),
        start,
        end,
        source,
    )
    .await?;
    let stages: Vec<compute::JobStages> = chosen.iter().map(|j| j.to_stages()).collect();
    let c = compute::compute(&stages, &facts);
    // Self-identification is read in aggregate only, and only by recruiters and admins (a
    // hiring manager reviews candidates; small groups of their own jobs could point at people).
    let question = self_id_question(&query.group_by);
    query.group_by = question.name.to_string();
    let impact = if user.role.manages_jobs() {
        let answers = repo::answers(
            db,
            chosen.iter().map(|j| j.id.clone()).collect(),
            question.name,
        )
        .await?;
        let passes =
            crate::screening::repo::passes(db, chosen.iter().map(|j| j.id.clone()).collect())
                .await?;
        let mut impact = compute::adverse_impact(&stages, &facts, &answers, question);
        impact.screening = compute::screening_impact(&facts, &answers, &passes, question);
        Some(impact)
    } else {
        None
    };
    Ok(HiringReport {
        query,
        options,
        figures: c,
        can_search: user.role.uses_crm(),
        impact,
    })
}

/// The hiring reports for the page's filters: funnel, times, sources, offers.
#[server]
pub async fn hiring_reports(
    #[server(default)] job: String,
    #[server(default)] department: String,
    #[server(default)] source: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] group_by: String,
) -> Result<HiringReport, AppError> {
    let user = crate::auth::guard::require_role(Role::sees_jobs).await?;
    let st = crate::server::state()?;
    build(
        &st.db,
        &user,
        ReportQuery {
            job,
            department,
            source,
            from,
            to,
            group_by,
        },
    )
    .await
}

/// The staff home's headline numbers: the last 90 days on every job the caller reports on.
/// Only the cohort's totals: no filter choices and no adverse-impact check, as the reports
/// page has.
#[server]
pub async fn home_numbers() -> Result<Headline, AppError> {
    let user = crate::auth::guard::require_role(Role::sees_jobs).await?;
    let db = &crate::server::state()?.db;
    let to = Utc::now().date_naive();
    let from = to - Duration::days(DEFAULT_DAYS - 1);
    let manager = (!user.role.manages_jobs()).then(|| RecordId::new("staff", user.id.as_str()));
    let jobs = repo::jobs(db, manager).await?;
    let (start, end) = bounds(from, to);
    let facts = repo::cohort(
        db,
        jobs.iter().map(|j| j.id.clone()).collect(),
        start,
        end,
        None,
    )
    .await?;
    let stages: Vec<compute::JobStages> = jobs.iter().map(|j| j.to_stages()).collect();
    Ok(Headline::of(
        &compute::compute(&stages, &facts),
        from.format("%Y-%m-%d").to_string(),
        to.format("%Y-%m-%d").to_string(),
    ))
}

/// Pipeline health for the page's job and department: applications stuck more than
/// `stuck_days` (default 14) in a stage, open jobs where nothing moved as long, and overdue
/// scorecards per interviewer.
#[server]
pub async fn get_pipeline_health(
    #[server(default)] job: String,
    #[server(default)] department: String,
    #[server(default)] stuck_days: String,
) -> Result<PipelineHealth, AppError> {
    let user = crate::auth::guard::require_role(Role::sees_jobs).await?;
    let days = parse_stuck_days(&stuck_days).map_err(|m| AppError::invalid("stuck_days", m))?;
    let db = &crate::server::state()?.db;
    let manager = (!user.role.manages_jobs()).then(|| RecordId::new("staff", user.id.as_str()));
    let jobs: Vec<RecordId> = repo::jobs(db, manager)
        .await?
        .into_iter()
        .filter(|j| job.trim().is_empty() || key(&j.id) == job.trim())
        .filter(|j| department.is_empty() || j.department == department)
        .map(|j| j.id)
        .collect();
    super::health::health(db, jobs, days, Utc::now()).await
}
