//! Hiring reports: a cohort-correct funnel with pass-through and time in stage, time to hire,
//! source effectiveness and offer acceptance, each with a chart, a table and a CSV download.
//! Recruiters and admins report on every job, hiring managers on their own.

pub mod api;
#[cfg(feature = "ssr")]
pub mod compute;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod digest;
#[cfg(feature = "ssr")]
pub mod health;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(all(test, feature = "ssr"))]
mod tests;
pub mod types;
pub mod views;

pub use views::ReportsPage;

#[cfg(feature = "ssr")]
pub use routes::routes;
