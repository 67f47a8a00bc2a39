//! The candidate's own data, from the portal: everything held about them as JSON, and their
//! resume files.

use crate::error::AppError;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, header};

/// `GET /portal/my-data.json`: everything held about the signed-in candidate.
pub async fn my_data(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let person = crate::auth::guard::candidate_from_headers(&st, &headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let data = super::repo::everything(&st.db, &person).await?;
    let body = serde_json::to_string_pretty(&data).map_err(crate::server::db::internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-data.json\"".to_string(),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

/// `GET /portal/resumes/{id}`: one of the signed-in candidate's own resume files.
pub async fn my_resume(
    State(st): State<AppState>,
    Path(resume_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let person = crate::auth::guard::candidate_from_headers(&st, &headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let resume = crate::server::db::id("resume", &resume_id)?;
    if crate::people::repo::resume_person(&st.db, &resume).await? != Some(person) {
        return Err(AppError::NotFound);
    }
    crate::people::api::resume_response(&st.db, &resume).await
}
