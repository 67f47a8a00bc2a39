//! The public careers site: open jobs, one job with its application form, confirmation.

pub mod api;
#[cfg(feature = "ssr")]
pub mod extract;
#[cfg(feature = "ssr")]
pub mod parse;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod resume;
pub mod skills;
#[cfg(feature = "ssr")]
pub mod tasks;
pub mod types;
pub mod views;

pub use views::{AppliedPage, CareersPage, JobPage};
