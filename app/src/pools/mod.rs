//! Talent pools: named lists of people, kept by hand (from search, a board, an import, a
//! profile or the talent-community sign-up), with a CSV export.

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{PoolPage, PoolsPage};

#[cfg(all(test, feature = "ssr"))]
mod tests;

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new().route("/app/export/pool/{id}", get(api::export_pool))
}
