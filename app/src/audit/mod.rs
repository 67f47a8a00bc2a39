//! The audit log: who read or changed what, when, from where. Append-only and hash-chained
//! (`chain`), recorded by the HTTP layer for changes, sign-ins, downloads and exports and by the
//! server functions that show a candidate's profile, scorecards or offer (`record`); admins
//! browse, filter, export and check it (`views`, `api`); old entries are pruned behind a signed
//! checkpoint (`repo::prune`), and `server audit verify` checks it from a shell.

pub mod api;
#[cfg(feature = "ssr")]
pub mod chain;
#[cfg(feature = "ssr")]
pub mod record;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
pub mod views;

pub use views::AuditPage;

#[cfg(feature = "ssr")]
pub use record::{record_here, record_read};

/// This feature's plain HTTP routes (merged by `crate::startup::routes`).
#[cfg(feature = "ssr")]
pub fn routes() -> crate::server::http::Routes {
    crate::server::http::Routes::new().route("/admin/audit.csv", axum::routing::get(api::download))
}
