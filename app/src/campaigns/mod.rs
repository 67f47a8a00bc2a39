//! Campaigns (CRM): email everyone with a tag, personalised, with working unsubscribe.

pub mod api;
mod builder;
#[cfg(feature = "ssr")]
pub mod crm_report;
#[cfg(feature = "ssr")]
pub mod decide;
#[cfg(feature = "ssr")]
pub mod engine;
mod preview;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod schedule;
pub mod sequence;
pub mod starters;
#[cfg(feature = "ssr")]
pub mod tracking;
pub mod types;
pub mod views;

pub use views::{CampaignPage, CampaignsPage, UnsubscribePage};

#[cfg(all(test, feature = "ssr"))]
mod tests;

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::{get, post};
    crate::server::http::Routes::new()
        .route("/unsubscribe", post(api::one_click_unsubscribe))
        .route("/t/o/{token}", get(tracking::open_pixel))
        .route("/t/c/{token}", get(tracking::click))
        .route("/hooks/inbound", post(tracking::inbound))
}
