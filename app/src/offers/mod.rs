//! Offers: the terms and a letter from a template, an approval chain (the requisition
//! approvals' machinery: in the app, by email link, from Slack, never the requester's own),
//! the candidate's answer in the portal, and the hand-off to onboarding (an email and a signed
//! webhook). Accepting moves the card to Hired and closes a filled job.

pub mod api;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{OfferPanel, PortalOfferPage};
