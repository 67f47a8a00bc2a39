//! Full-text search over people (names, emails, skills, tags, resume text, notes) on an embedded
//! tantivy index that follows the database's change feed, with AND, OR, NOT, "phrases",
//! filters, BM25 ranking, labelled snippets and search-after pagination.

pub mod api;
#[cfg(feature = "ssr")]
pub mod index;
pub mod palette;
pub mod query;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use palette::CommandPalette;
pub use views::{HeaderSearch, SearchPage};
