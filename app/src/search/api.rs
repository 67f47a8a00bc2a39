//! Search server functions.

// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {crate::auth::guard::require_role, crate::auth::types::Role, crate::server::state};

/// Searches people. See [`super::query`] for the language.
#[server]
pub async fn search_people(
    q: String,
    #[server(default)] job: String,
    #[server(default)] stage: String,
    #[server(default)] tag: String,
    #[server(default)] source: String,
    #[server(default)] applied_from: String,
    #[server(default)] applied_to: String,
    #[server(default)] cursor: String,
) -> Result<SearchResults, AppError> {
    let user = require_role(Role::uses_crm).await?;
    if q.len() > 500 {
        return Err(AppError::invalid(
            "q",
            "Keep the search under 500 characters.",
        ));
    }
    let filters = SearchFilters {
        job,
        stage,
        tag,
        source,
        applied_from,
        applied_to,
    };
    let st = state()?;
    let mut r = super::repo::search(
        &st.db,
        st.ext(),
        &q,
        &filters,
        user.role.manages_jobs(),
        &cursor,
        super::repo::PAGE,
    )
    .await?;
    r.facets = super::repo::facets(&st.db, st.ext(), &q, &filters).await?;
    mask_hits(&st.db, &mut r.hits).await?;
    Ok(r)
}

/// Anonymised review: masked candidates show their alias, without email or snippet.
#[cfg(feature = "ssr")]
async fn mask_hits(db: &crate::server::db::Db, hits: &mut [SearchHit]) -> Result<(), AppError> {
    let masked =
        crate::anonymity::repo::alias_masked(db, hits, |h| (h.id.as_str(), &mut h.name)).await?;
    for h in hits.iter_mut().filter(|h| masked.contains(&h.id)) {
        h.email.clear();
        h.snippet.clear();
        h.snippet_field = None;
    }
    Ok(())
}

/// The top few people for the search box in the header.
#[server]
pub async fn quick_search(q: String) -> Result<Vec<SearchHit>, AppError> {
    require_role(Role::uses_crm).await?;
    if q.trim().is_empty() || q.len() > 200 {
        return Ok(Vec::new());
    }
    // While typing, an unfinished query ("rust AND") is not an error: search what is complete.
    let st = state()?;
    let r = super::repo::search(
        &st.db,
        st.ext(),
        &q,
        &SearchFilters::default(),
        false,
        "",
        8,
    )
    .await;
    match r {
        Ok(mut r) => {
            mask_hits(&st.db, &mut r.hits).await?;
            Ok(r.hits)
        }
        Err(AppError::Validation(_)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

#[server]
pub async fn search_filter_options() -> Result<FilterOptions, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    super::repo::filter_options(&st.db, st.ext(), user.role.manages_jobs()).await
}
