//! Explainable screening, local only: per job, a list of criteria (skills, years, location,
//! languages, yes/no questions on the apply form); each application gets a verdict per
//! criterion with the evidence quoted from the resume or the application, and a score that
//! sorts and filters the board and the job's screening list. It never rejects anyone by
//! itself; recruiters override any result and the override is kept. No candidate data leaves
//! the server: the reading is plain text matching in [`matching`].

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod matching;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{
    JobScreeningPage, Questions, ScoreBadge, Screening, ScreeningPanel, ScreeningQuestions,
    questions_of,
};
