//! Live segments: saved queries over people (tags, skills, location, source, last contact,
//! engagement, stage reached, consent) whose members update by themselves, with a CSV export.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{SegmentPage, SegmentsPage};

#[cfg(all(test, feature = "ssr"))]
mod tests;

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new().route("/app/export/segment/{id}", get(api::export_segment))
}
