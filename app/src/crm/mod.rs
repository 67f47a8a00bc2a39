//! CRM: talent pools, live segments, sourcing capture (CSV import/export, referrals, the
//! talent-community sign-up), duplicates and merges, and prospects into pipelines.

pub mod api;
#[cfg(feature = "ssr")]
pub mod capture;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::*;

#[cfg(all(test, feature = "ssr"))]
mod tests;
