//! The candidate portal: magic-link sign-in, applications, timeline, withdrawal.

pub mod api;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub(crate) mod repo;
pub mod types;
pub mod views;

pub use views::{PortalPage, PortalSignInPage};

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new().route("/portal/auth", get(links::portal_auth))
}
