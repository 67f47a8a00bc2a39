//! Requisition approvals: an ordered chain of approvers per job; the job cannot be published
//! until every approver has approved. Approvers decide in the app, from an email, or from Slack
//! (signed, single-use, expiring links).

pub mod api;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{ApprovalLinkPage, ApprovalsPage};
