//! Campaigns (CRM): email everyone with a tag, personalised, with working unsubscribe.

pub mod api;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod schedule;
pub mod sequence;
#[cfg(feature = "ssr")]
pub mod tracking;
pub mod types;
pub mod views;

pub use views::{CampaignPage, CampaignsPage, UnsubscribePage};

#[cfg(all(test, feature = "ssr"))]
mod tests;
