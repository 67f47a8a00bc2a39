//! Staff authentication, sessions and roles.

pub mod api;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod totp;
pub mod types;
pub mod views;

pub use views::{LoginPage, StaffLayout};
