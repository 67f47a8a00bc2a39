//! The staff home: what needs me today (approvals, new applicants since my last visit, candidates
//! stuck in a stage) and every job's pipeline at a glance, with counts per stage.

pub mod api;
#[cfg(feature = "ssr")]
mod repo;
pub mod types;
mod views;

pub use views::HomeDashboard;
