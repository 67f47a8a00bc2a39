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
    let job = repo::get_view(&st.db, &id("import_job", &import_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(job.view())
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
