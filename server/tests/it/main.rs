//! The server's HTTP and engine tests, in one test binary: each of these links the whole app
//! (about 430 MB without debug info), so one binary instead of nine saves some 3.4 GB of disk
//! and eight links per build. cargo-nextest still runs each test in its own process.
//! (`crash.rs` stays apart: it kills and restarts its own server processes.)

#[path = "../common/mod.rs"]
mod common;

mod anonymity;
mod ats;
mod ats_import;
mod attacks;
mod audit;
mod backup;
mod bundles;
mod consent;
mod crm;
mod errors;
mod http;
mod interviews;
mod matrix;
mod offers;
mod privacy;
mod reports;
mod reviews;
mod screening;
mod search_index;
mod staff;
