//! Who may act on an application's interviews, shared by the interview, decision, working-hours,
//! scheduling and offer server functions (kept apart so none of them imports another's API).

use super::repo;
use crate::auth::guard::require_role;
use crate::auth::types::{Role, StaffUser};
use crate::error::AppError;
use crate::server::db::id;
use crate::server::state;
use surrealdb::types::RecordId;

/// The signed-in staff member's record id.
pub(crate) fn me(user: &StaffUser) -> RecordId {
    RecordId::new("staff", user.id.as_str())
}

/// The application, if the caller may see its interviews (recruiters, admins, the job's
/// hiring manager). The role is checked before the application is looked up.
pub(crate) async fn application_for(
    application_id: &str,
) -> Result<(StaffUser, repo::AppContext), AppError> {
    let user = require_role(Role::sees_jobs).await?;
    let ctx = repo::application(&state()?.db, &id("application", application_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.can_work_board(ctx.hiring_manager_key().as_deref()) {
        return Err(AppError::Forbidden);
    }
    Ok((user, ctx))
}
