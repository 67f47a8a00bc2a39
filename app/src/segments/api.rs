//! Segment server functions, and the CSV export of a segment.

// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::state,
};

#[server]
pub async fn list_segments() -> Result<Vec<SegmentSummary>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::segments(&state()?.db).await
}

#[cfg(feature = "ssr")]
async fn stage_choices(
    user: &crate::auth::types::StaffUser,
) -> Result<Vec<(String, String)>, AppError> {
    let st = state()?;
    Ok(
        crate::search::repo::filter_options(&st.db, st.ext(), user.role.manages_jobs())
            .await?
            .stages,
    )
}

/// A segment and who is in it now (`segment_id` empty: a new one, from the given definition).
#[server]
pub async fn get_segment(segment_id: String) -> Result<SegmentDetail, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    if segment_id.is_empty() {
        return Ok(SegmentDetail {
            id: None,
            name: String::new(),
            definition: Default::default(),
            description: "Everyone".into(),
            members: Vec::new(),
            stages: stage_choices(&user).await?,
        });
    }
    let sid = id("segment", &segment_id)?;
    let (name, d) = repo::segment(&st.db, &sid)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = repo::segment_people(&st.db, &d)
        .await?
        .iter()
        .map(|m| m.to_member())
        .collect();
    Ok(SegmentDetail {
        id: Some(segment_id),
        name,
        description: d.describe(),
        definition: d,
        members,
        stages: stage_choices(&user).await?,
    })
}

#[server]
pub async fn save_segment(
    #[server(default)] segment_id: String,
    name: String,
    #[server(default)] tags: String,
    #[server(default)] skills: String,
    #[server(default)] location: String,
    #[server(default)] sources: String,
    #[server(default)] last_contacted: String,
    #[server(default)] contacted_days: String,
    #[server(default)] min_engagement: String,
    #[server(default)] stage_reached: String,
    #[server(default)] consent: String,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let mut c = crate::error::Checks::new();
    let name = c.check(
        "name",
        crate::domain::required_text(&name, "a name for the segment", 80),
    );
    let d = SegmentDefinition::parse(&SegmentForm {
        tags: &tags,
        skills: &skills,
        location: &location,
        sources: &sources,
        last_contacted: &last_contacted,
        contacted_days: &contacted_days,
        min_engagement: &min_engagement,
        stage_reached: &stage_reached,
        consent: &consent,
    });
    let d = match d {
        Ok(d) => Some(d),
        Err(AppError::Validation(errs)) => {
            for e in errs {
                c.add(&e.field, e.message);
            }
            None
        }
        Err(e) => return Err(e),
    };
    c.finish()?;
    let st = state()?;
    let existing = if segment_id.is_empty() {
        None
    } else {
        Some(id("segment", &segment_id)?)
    };
    let sid = repo::save_segment(
        &st.db,
        existing.as_ref(),
        &name.unwrap_or_default(),
        &d.unwrap_or_default(),
        &Actor::staff(&user),
    )
    .await?;
    let k = key(&sid);
    leptos_axum::redirect(&format!("/app/segments/{k}"));
    Ok(k)
}

/// `GET /app/export/segment/{id}`
#[cfg(feature = "ssr")]
pub async fn export_segment(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    axum::extract::Path(seg): axum::extract::Path<String>,
    headers: http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    let db = st.db.clone();
    crate::imports::export::csv_response(&st, &headers, "segment", async move {
        let (_, d) = repo::segment(&db, &id("segment", &seg)?)
            .await?
            .ok_or(AppError::NotFound)?;
        repo::segment_people(&db, &d).await
    })
    .await
}
