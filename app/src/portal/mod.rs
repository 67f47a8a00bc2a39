//! The candidate portal: magic-link sign-in, applications, timeline, withdrawal.

pub mod api;
#[cfg(feature = "ssr")]
pub mod links;
pub mod types;
pub mod views;

pub use views::PortalPage;
