//! Human review on request: a candidate asks, from the portal, for a person to review their
//! application (for example after an automated step or a rejection they think is wrong); the
//! request lands on the recruiters' to-do list on the staff home; the answer reaches the
//! candidate by email and on their timeline.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{ReviewRequests, ReviewRequestsCard};
