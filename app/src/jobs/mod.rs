//! Jobs: staff create, edit, publish and close them; the careers page reads open ones.

pub mod api;
#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{JobDetailPage, JobsPage, NewJobPage};
