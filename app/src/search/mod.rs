//! Full-text search over people (names, emails, skills, tags, resume text, notes) on a SurrealDB
//! FULLTEXT/BM25 index, with AND, OR, NOT, "phrases", filters and cursor pagination.

pub mod api;
pub mod query;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::{HeaderSearch, SearchPage};
