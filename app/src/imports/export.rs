//! CSV exports of people (pools, segments and searches): the shared download response, and the
//! export of a search.

use super::types::ExportQuery;
use crate::error::AppError;
use crate::people::crm::MemberRow;
use crate::server::csv::{cell, csv_attachment};
use surrealdb::types::RecordId;

/// A CSV of people (for pools, segments and searches).
/// The headers read back by the importer's column guess (export, edit, import again).
pub fn to_csv(rows: &[MemberRow]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "First name",
        "Last name",
        "Email",
        "Source",
        "Tags",
        "Consent",
        "Last contacted",
        "Engagement",
    ])?;
    for r in rows {
        w.write_record(
            [
                r.first_name.clone(),
                r.last_name.clone(),
                r.email.clone(),
                r.source.clone(),
                r.tags.join(", "),
                r.consent_status.clone(),
                r.last_contacted_at
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                r.engagement_score.to_string(),
            ]
            .map(|v| cell(&v)),
        )?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    // Every field went in as UTF-8, so the file is UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A CSV download of `rows`, for staff with CRM access.
pub(crate) async fn csv_response(
    st: &crate::server::AppState,
    headers: &http::HeaderMap,
    name: &str,
    rows: impl std::future::Future<Output = crate::error::AppResult<Vec<MemberRow>>>,
) -> Result<axum::response::Response, AppError> {
    let user = crate::auth::guard::staff_from_headers(st, headers).await?;
    if !user.is_some_and(|u| u.role.uses_crm()) {
        return Err(AppError::Forbidden);
    }
    let mut rows = rows.await?;
    // Anonymised review: a masked candidate is exported by alias, without an email.
    let ids: Vec<RecordId> = rows.iter().map(|r| r.id.clone()).collect();
    let masked = crate::anonymity::repo::masks(&st.db, &ids).await?;
    for r in rows
        .iter_mut()
        .filter(|r| masked.iter().any(|m| m.person == r.id))
    {
        r.first_name = crate::anonymity::rules::alias(&crate::server::db::key(&r.id));
        r.last_name.clear();
        r.email.clear();
    }
    let csv = to_csv(&rows).map_err(crate::server::db::internal)?;
    Ok(csv_attachment(name, csv))
}

/// `GET /app/export/search?q=…`
pub async fn export_search(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
    headers: http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    let db = st.db.clone();
    let index = st.ext::<crate::search::index::SearchIndex>().clone();
    let all_jobs = crate::auth::guard::staff_from_headers(&st, &headers)
        .await?
        .is_some_and(|u| u.role.manages_jobs());
    csv_response(&st, &headers, "search", async move {
        let r = crate::search::repo::search(&db, &index, &q.q, &q.filters, all_jobs, "", 100_000)
            .await?;
        crate::people::crm::people_by_ids(
            &db,
            r.hits
                .iter()
                .map(|h| RecordId::new("person", h.id.as_str()))
                .collect(),
        )
        .await
    })
    .await
}
