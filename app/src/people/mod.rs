//! People: one record per human across ATS and CRM, with tags and a single timeline.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{PeoplePage, PersonPage};
