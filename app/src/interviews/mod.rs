//! Structured hiring: each job's interview plan (interviews per stage, each with a kit of
//! focus attributes, questions and guidance); scheduling a panel at a time that suits everyone
//! (working hours in each person's zone, busy time, no double booking); the interviewers' own
//! list; scorecards (hidden from a panelist until they submit theirs); the debrief matrix.

#[cfg(feature = "ssr")]
pub(crate) mod access;
pub mod api;
pub mod decision;
#[cfg(feature = "ssr")]
pub mod feeds;
pub mod hours;
#[cfg(feature = "ssr")]
pub mod invite;
#[cfg(feature = "ssr")]
mod loops;
pub mod plans;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rooms;
pub mod scheduling;
#[cfg(feature = "ssr")]
pub mod slots;
pub mod types;
mod views;

pub use views::{
    ApplicationInterviewsPage, InterviewPage, MyInterviewsPage, PlanPage, RoomsPage, SchedulePage,
};

/// The feature's plain routes: the candidate's resume for the panel; the candidate's own
/// interview as a calendar file.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    use axum::routing::get;
    crate::server::http::Routes::new()
        .route("/app/interviews/{id}/resume", get(api::download_resume))
        .route(
            "/portal/interviews/{id}/invite.ics",
            get(scheduling::download_ics),
        )
}
