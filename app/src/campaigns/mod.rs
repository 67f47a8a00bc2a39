//! Campaigns (CRM): email everyone with a tag, personalised, with working unsubscribe.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{CampaignPage, CampaignsPage, UnsubscribePage};
