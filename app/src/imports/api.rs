//! CSV import server functions: upload, the mapping step and its progress, and the start.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::db::{id, key},
    crate::server::state,
    surrealdb::types::RecordId,
};

/// Uploads a CSV file to import (field `file`) and opens its mapping step.
#[server(input = MultipartFormData)]
pub async fn upload_import(data: MultipartData) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let mut form =
        crate::server::form::Form::read(data, &[("file", super::csv::MAX_CSV_BYTES)]).await?;
    let file = form.take_file("file");
    if file.as_ref().is_some_and(|f| f.too_big) {
        return Err(AppError::invalid(
            "file",
            "That file is larger than 60 MB. Split it into smaller files.",
        ));
    }
    let Some((name, bytes)) = file
        .filter(|f| !f.bytes.is_empty())
        .map(|f| (f.filename, f.bytes))
    else {
        return Err(AppError::invalid("file", "Choose a CSV file to import."));
    };
    let name = if name.is_empty() {
        "import.csv".to_string()
    } else {
        name
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| AppError::invalid("file", "Save the file as UTF-8 CSV and try again."))?;
    let id = repo::create(
        &st.db,
        &name,
        text,
        Some(RecordId::new("staff", user.id.as_str())),
    )
    .await?;
    let k = key(&id);
    leptos_axum::redirect(&format!("/app/imports/{k}"));
    Ok(k)
}

#[server]
pub async fn get_import(import_id: String) -> Result<ImportView, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let import = id("import_job", &import_id)?;
    let job = repo::get_view(&st.db, &import)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut view = job.view();
    // While mapping: what the file's job, stage and status columns will add (read from the
    // whole file, as the columns are mapped now).
    if view.status == ImportStatus::Mapping
        && let Some(full) = repo::get(&st.db, &import).await?
    {
        view.plan = repo::plan(&st.db, &full).await?;
    }
    Ok(view)
}

#[server]
pub async fn start_import(
    import_id: String,
    #[server(default)] mapping: Vec<String>,
    duplicates: String,
    #[server(default)] tag: String,
    #[server(default)] pool: String,
) -> Result<(), AppError> {
    let user = require_role(Role::uses_crm).await?;
    // Applications (and the jobs they need) are recruiters' and admins' to add.
    if mapping.iter().any(|m| m == "job") && !user.role.manages_jobs() {
        return Err(AppError::invalid(
            "mapping",
            "Only recruiters and admins import applications: set the Job column to “Ignore this column”, or ask one of them.",
        ));
    }
    let st = state()?;
    let tag = if tag.trim().is_empty() {
        None
    } else {
        Some(
            crate::domain::Tag::parse(&tag)
                .map_err(|m| AppError::invalid("tag", m))?
                .as_str()
                .to_string(),
        )
    };
    let pool = if pool.is_empty() {
        None
    } else {
        Some(id("pool", &pool)?)
    };
    repo::start(
        &st,
        &id("import_job", &import_id)?,
        mapping,
        &duplicates,
        tag,
        pool,
        &crate::server::activity::Actor::staff(&user),
    )
    .await
}
