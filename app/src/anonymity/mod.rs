//! Anonymised review, per job: until an application reaches a chosen stage, staff see a stable
//! alias ("Candidate 4F2K") instead of the candidate's name, and no email, phone, links or
//! resume file; the resume is shown as extracted text with those redacted. Turning the mode
//! on, changing it and leaving it are recorded in the job's activity.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;
pub mod views;

pub use views::AnonymisedReview;
