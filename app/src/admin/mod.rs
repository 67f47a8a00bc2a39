//! Admin pages: the mail outbox.

pub mod api;
pub mod views;

pub use views::OutboxPage;
