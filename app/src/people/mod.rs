//! People: one record per human across ATS and CRM, with tags and a single timeline; the CRM
//! fields of a profile; and the member lists shared by pools and segments.

pub mod api;
#[cfg(feature = "ssr")]
pub mod crm;
pub mod crm_panel;
#[cfg(feature = "ssr")]
mod email_text;
pub mod members;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use crm_panel::{Crm, CrmPanel};
pub use views::{PeoplePage, PersonPage};

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new().route("/app/resumes/{id}", get(api::download_resume))
}
