//! Talent pool server functions, and the CSV export of a pool.

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
    surrealdb::types::RecordId,
};

#[server]
pub async fn list_pools() -> Result<Vec<PoolSummary>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::pools(&state()?.db).await
}

#[server]
pub async fn create_pool(
    name: String,
    #[server(default)] description: String,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let name = crate::domain::required_text(&name, "a name for the pool", 80)
        .map_err(|m| AppError::invalid("name", m))?;
    let description = crate::domain::optional_text(&description, 300)
        .map_err(|m| AppError::invalid("description", m))?;
    let id = repo::create_pool(&state()?.db, &name, &description, &Actor::staff(&user)).await?;
    let k = key(&id);
    leptos_axum::redirect(&format!("/app/pools/{k}"));
    Ok(k)
}

#[server]
pub async fn get_pool(pool_id: String) -> Result<PoolDetail, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let pid = id("pool", &pool_id)?;
    let pool = repo::pool(&st.db, &pid).await?.ok_or(AppError::NotFound)?;
    let members = repo::pool_members(&st.db, &pid)
        .await?
        .iter()
        .map(|m| m.to_member())
        .collect();
    Ok(PoolDetail { pool, members })
}

/// Adds people to a pool: by id (`person_ids[]`), or everyone a search finds (`q`).
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn add_to_pool(
    pool_id: String,
    #[server(default)] person_ids: Vec<String>,
    #[server(default)] search: bool,
    #[server(default)] q: String,
    #[server(default)] job: String,
    #[server(default)] stage: String,
    #[server(default)] tag: String,
    #[server(default)] source: String,
    #[server(default)] applied_from: String,
    #[server(default)] applied_to: String,
) -> Result<usize, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let pid = id("pool", &pool_id).map_err(|_| AppError::invalid("pool_id", "Choose a pool."))?;
    let mut ids: Vec<RecordId> = person_ids
        .iter()
        .map(|p| id("person", p))
        .collect::<Result<_, _>>()?;
    if search {
        let filters = crate::search::types::SearchFilters {
            job,
            stage,
            tag,
            source,
            applied_from,
            applied_to,
        };
        let r = crate::search::repo::search(
            &st.db,
            st.ext(),
            &q,
            &filters,
            user.role.manages_jobs(),
            "",
            100_000,
        )
        .await?;
        ids.extend(
            r.hits
                .iter()
                .map(|h| RecordId::new("person", h.id.as_str())),
        );
    }
    if ids.is_empty() {
        return Err(AppError::invalid(
            "person_ids",
            if search {
                "The search found no one."
            } else {
                "Select at least one person."
            },
        ));
    }
    repo::add_to_pool(&st.db, &pid, &ids, &Actor::staff(&user)).await
}

#[server]
pub async fn remove_from_pool(pool_id: String, person_id: String) -> Result<(), AppError> {
    let user = require_role(Role::uses_crm).await?;
    repo::remove_from_pool(
        &state()?.db,
        &id("pool", &pool_id)?,
        &id("person", &person_id)?,
        &Actor::staff(&user),
    )
    .await
}

/// `GET /app/export/pool/{id}`
#[cfg(feature = "ssr")]
pub async fn export_pool(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    axum::extract::Path(pool): axum::extract::Path<String>,
    headers: http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    let db = st.db.clone();
    crate::imports::export::csv_response(&st, &headers, "pool", async move {
        repo::pool_members(&db, &id("pool", &pool)?).await
    })
    .await
}
