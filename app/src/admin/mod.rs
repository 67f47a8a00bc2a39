//! Admin pages: the mail outbox, the background jobs that failed for good (with retry), the
//! brand candidates see, and the design system's style guide.

pub mod api;
pub mod brand;
#[cfg(feature = "ssr")]
mod repo;
mod styleguide;
pub mod types;
pub mod views;

pub use brand::{BrandPage, public_brand};
pub use styleguide::StyleguidePage;
pub use views::{DeadJobsPage, OutboxPage};

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    crate::server::http::Routes::new()
        .route(
            "/admin/export.json",
            axum::routing::get(api::download_export),
        )
        .route("/brand/logo", axum::routing::get(brand::logo_file))
}
