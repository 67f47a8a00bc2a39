//! Jobs: staff create, edit, publish and close them; the careers page reads open ones.

pub mod api;
#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{JobDetailPage, JobsPage, NewJobPage};

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new()
        .route("/jobs.xml", get(feeds::indeed_feed))
        .route("/jobs.rss", get(feeds::rss_feed))
}
