//! The server function behind a job's anonymised review setting.

use crate::error::AppError;
use leptos::prelude::*;

/// Turns a job's anonymised review on until stage `until`, or off (empty `until`). Recruiters
/// and admins only; the change is recorded on the job's activity.
#[server]
pub async fn set_anonymised_review(
    job_id: String,
    #[server(default)] until: String,
) -> Result<(), AppError> {
    use crate::auth::guard::require_role;
    use crate::auth::types::Role;
    use crate::jobs::repo as jobs_repo;
    use crate::server::activity::Actor;
    use crate::server::db::id;
    use crate::server::state;

    let user = require_role(Role::manages_jobs).await?;
    let st = state()?;
    let job = jobs_repo::get(&st.db, &id(jobs_repo::TABLE, &job_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let until = until.trim();
    let until = if until.is_empty() {
        None
    } else {
        let stages = job.stages();
        match stages.iter().position(|s| s.id == until) {
            None => {
                return Err(AppError::invalid(
                    "until",
                    "Choose a stage of this job's pipeline.",
                ));
            }
            Some(0) => {
                return Err(AppError::invalid(
                    "until",
                    "Choose a later stage: names are shown from the stage you choose, so the first stage would hide nothing.",
                ));
            }
            Some(_) => Some(until.to_string()),
        }
    };
    if until == job.anonymise_until {
        return Ok(());
    }
    super::repo::set(&st.db, &job, until, &Actor::staff(&user)).await
}
