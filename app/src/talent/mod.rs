//! Talent capture: staff referrals (with an optional resume and job) and the public
//! talent-community sign-up with double opt-in.

pub mod api;
#[cfg(feature = "ssr")]
mod repo;
pub mod types;
pub mod views;

pub use views::{ReferPage, TalentConfirmPage, TalentPage};

/// The pool people who join the talent community land in.
#[cfg(feature = "ssr")]
pub use repo::TALENT_POOL;
