//! Duplicates: detection (email, phone, LinkedIn profile, close names), the merge that keeps
//! everything from both records, and its undo.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{DuplicatesPage, MergePage, MergedBanner};

#[cfg(all(test, feature = "ssr"))]
mod tests;
