//! Admin pages: the mail outbox and the background jobs that failed for good (with retry).

pub mod api;
#[cfg(feature = "ssr")]
mod repo;
pub mod types;
pub mod views;

pub use views::{DeadJobsPage, OutboxPage};
