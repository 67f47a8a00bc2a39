//! The staff home: what needs me today (approvals, new applicants since my last visit, candidates
//! stuck in a stage) and every job's pipeline at a glance, with counts per stage; for sourcers,
//! replies to answer, campaign activity and who is new in the talent pool.

pub mod api;
pub mod notices;
#[cfg(feature = "ssr")]
mod repo;
pub mod sourcer;
#[cfg(feature = "ssr")]
pub(crate) mod sourcer_repo;
pub mod types;
mod views;

pub use sourcer::SourcerHomePage;
pub use views::HomeDashboard;
