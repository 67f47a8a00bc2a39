//! Staff accounts: admins invite colleagues (a signed, single-use, expiring link to set a
//! password), change roles, deactivate (every session of that person ends at once, live board
//! streams included) and see who signed in when. Everyone changes their own password (the
//! current one first) and can reset a forgotten one by email.

pub mod api;
#[cfg(feature = "ssr")]
pub(crate) mod repo;
pub mod types;
pub mod views;

pub use views::{AccountPage, InvitePage, ResetPasswordPage, StaffPage};
