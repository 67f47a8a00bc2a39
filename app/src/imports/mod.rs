//! CSV import of people (upload, column mapping with a preview, a background task that creates
//! or updates people in batches and reports bad rows) and CSV export of people lists.

pub mod api;
pub mod ats;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod reconcile;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{ImportNewPage, ImportPage};

#[cfg(all(test, feature = "ssr"))]
mod tests;

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new().route("/app/export/search", get(export::export_search))
}
