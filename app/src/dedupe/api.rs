//! Duplicate and merge server functions.

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
pub async fn list_duplicates() -> Result<Vec<DuplicatePair>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::find_duplicates(&state()?.db, 100).await
}

/// Both records side by side for the merge screen: (field, left value, right value).
#[server]
pub async fn merge_preview(
    a: String,
    b: String,
) -> Result<Vec<(String, String, String)>, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let l = repo::person_snapshot(&st.db, &id("person", &a)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = repo::person_snapshot(&st.db, &id("person", &b)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    let mut rows: Vec<(String, String, String)> = super::types::MERGE_FIELDS
        .iter()
        .map(|f| (f.to_string(), show(&l[*f]), show(&r[*f])))
        .collect();
    for f in [
        "skills",
        "tags",
        "links",
        "source",
        "consent_status",
        "created_at",
    ] {
        rows.push((f.to_string(), show(&l[f]), show(&r[f])));
    }
    Ok(rows)
}

/// Merges `other` into `keep`; `take[]` lists the fields where `other`'s value wins.
#[server]
pub async fn merge_people(
    keep: String,
    other: String,
    #[server(default)] take: Vec<String>,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let m = repo::merge(
        &st.db,
        &id("person", &keep)?,
        &id("person", &other)?,
        &take,
        &Actor::staff(&user),
    )
    .await?;
    // Skills, location and resume text may have changed: read the applications again.
    rescreen(&st, &id("person", &keep)?).await?;
    let mk = key(&m);
    leptos_axum::redirect(&format!("/app/people/{keep}?merged={mk}"));
    Ok(mk)
}

#[server]
pub async fn undo_merge(merge_id: String) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let (loser, winner) =
        repo::unmerge(&st.db, &id("merge", &merge_id)?, &Actor::staff(&user)).await?;
    rescreen(&st, &loser).await?;
    rescreen(&st, &winner).await?;
    let lk = key(&loser);
    leptos_axum::redirect(&format!("/app/people/{lk}"));
    Ok(lk)
}

/// Queues a reading of `person`'s applications against their jobs' criteria.
#[cfg(feature = "ssr")]
async fn rescreen(
    st: &crate::server::AppState,
    person: &surrealdb::types::RecordId,
) -> Result<(), AppError> {
    st.tasks
        .enqueue(&st.db, &crate::screening::repo::Screen::person(person))
        .await
}
