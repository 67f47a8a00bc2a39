//! The pipeline board: a column per stage, a card per application, moves by drag-and-drop,
//! keyboard or a plain form; and sourcing people into a job's pipeline.

pub mod api;
mod board_client;
#[cfg(feature = "ssr")]
pub mod bulk;
pub mod columns;
#[cfg(feature = "ssr")]
pub mod live;
mod quick_view;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod sourcing;
pub mod types;
pub mod views;

pub use views::BoardPage;

#[cfg(all(test, feature = "ssr"))]
mod tests;

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new().route("/app/jobs/{id}/events", get(live::board_events))
}
