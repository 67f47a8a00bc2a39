//! Privacy: candidates ask from the portal for their data to be erased; admins answer the queue
//! within 30 days; erasure removes everything that names or describes the person (`repo::erase`)
//! and keeps what reports count.

pub mod api;
#[cfg(feature = "ssr")]
pub mod consent;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
mod routes;
#[cfg(feature = "ssr")]
pub mod tasks;
pub mod types;
pub mod views;

pub use views::{PrivacyNoticePage, PrivacyRequestsPage, RenewConsentPage};

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new()
        .route("/portal/my-data.json", get(routes::my_data))
        .route("/portal/resumes/{id}", get(routes::my_resume))
}
