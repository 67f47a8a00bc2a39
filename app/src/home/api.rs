//! The home's one server function.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth::guard::require_role, crate::auth::types::Role, crate::server::state,
    surrealdb::types::RecordId,
};

/// What needs the signed-in staff member today, for the jobs they may see (hiring managers:
/// their own jobs).
#[server]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    let user = require_role(Role::sees_jobs).await?;
    let st = state()?;
    let me = RecordId::new("staff", user.id.as_str());
    let only = (!user.role.manages_jobs()).then(|| me.clone());
    let last_visit = user
        .last_visit
        .as_deref()
        .and_then(|v| chrono::DateTime::parse_from_rfc3339(v).ok())
        .map(|d| d.with_timezone(&chrono::Utc));
    let mut d = super::repo::dashboard(&st.db, &me, only, last_visit, chrono::Utc::now()).await?;
    // Anonymised review: the lists name no one a job still hides.
    for list in [&mut d.new_applicants, &mut d.stuck] {
        crate::anonymity::repo::alias_masked(&st.db, list, |i| (i.person_id.as_str(), &mut i.name))
            .await?;
    }
    Ok(d)
}
