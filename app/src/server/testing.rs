//! Helpers for repository tests: a fresh in-memory database with the real schema per test.

use super::AppState;
use super::config::Config;
use crate::auth::types::{Role, StaffUser};
use crate::server::activity::Actor;
use leptos::prelude::LeptosOptions;
use surrealdb::types::RecordId;

/// A state on a brand-new `mem://` database (schema applied, no SMTP, no demo data).
pub async fn state() -> AppState {
    let mut config = Config::for_tests();
    config.demo = false;
    AppState::init(LeptosOptions::builder().output_name("ats").build(), config)
        .await
        .expect("test state")
}

/// The same, with demo data.
pub async fn demo_state() -> AppState {
    let mut config = Config::for_tests();
    config.demo = true;
    AppState::init(LeptosOptions::builder().output_name("ats").build(), config)
        .await
        .expect("test state")
}

pub fn recruiter() -> Actor {
    Actor::staff(&StaffUser {
        id: "tester".into(),
        email: "tester@acme.test".into(),
        name: "Tess Tester".into(),
        role: Role::Recruiter,
    })
}

/// Record ids of a table, for counting.
pub async fn ids(st: &AppState, table: &str) -> Vec<RecordId> {
    let mut r = st
        .db
        .query(format!("SELECT VALUE id FROM {table}"))
        .await
        .unwrap();
    r.take(0).unwrap()
}
