//! Helpers for repository tests: a fresh in-memory database with the real schema per test.

use crate::auth::types::{Role, StaffUser};
use crate::server::AppState;
use crate::server::activity::Actor;
use crate::server::config::Config;
use leptos::prelude::LeptosOptions;
use surrealdb::types::RecordId;

/// A state on a brand-new `mem://` database (schema applied, no SMTP, no demo data).
pub async fn state() -> AppState {
    let mut config = Config::for_tests();
    config.demo = false;
    crate::startup::init(LeptosOptions::builder().output_name("ats").build(), config)
        .await
        .expect("test state")
}

/// The same, with demo data.
pub async fn demo_state() -> AppState {
    let mut config = Config::for_tests();
    config.demo = true;
    crate::startup::init(LeptosOptions::builder().output_name("ats").build(), config)
        .await
        .expect("test state")
}

pub fn recruiter() -> Actor {
    Actor::staff(&StaffUser {
        id: "tester".into(),
        email: "tester@acme.test".into(),
        name: "Tess Tester".into(),
        role: Role::Recruiter,
        must_set_up_two_step: false,
        last_visit: None,
    })
}

/// Record ids of a table, for counting.
pub async fn ids(st: &AppState, table: &str) -> Vec<RecordId> {
    let mut r = st
        .db
        .query("SELECT VALUE id FROM type::table($table)")
        .bind(("table", table.to_string()))
        .await
        .unwrap();
    r.take(0).unwrap()
}

/// A published job with an approved requisition.
pub async fn open_job(st: &AppState, title: &str) -> RecordId {
    let input =
        crate::jobs::types::JobInput::basic(title, "Berlin, Germany", "Do the work.").unwrap();
    let id = crate::jobs::repo::create(&st.db, &input, &recruiter())
        .await
        .unwrap();
    st.db
        .query("UPDATE $id SET approval_status = 'approved'")
        .bind(("id", id.clone()))
        .await
        .unwrap();
    crate::jobs::repo::set_status(
        &st.db,
        &id,
        crate::jobs::types::JobStatus::Open,
        &recruiter(),
    )
    .await
    .unwrap();
    id
}

/// A person keyed `k` (named "k Test", email `k@example.test`, source `sourced`); `fields`
/// override or add fields.
pub async fn person(st: &AppState, k: &str, fields: serde_json::Value) -> RecordId {
    let id = RecordId::new("person", k);
    let mut content = serde_json::json!({
        "first_name": k, "last_name": "Test", "email": format!("{k}@example.test"), "source": "sourced",
        "consent_basis": "legitimate_interest"
    });
    for (f, v) in fields.as_object().unwrap() {
        content[f] = v.clone();
    }
    st.db
        .query("CREATE $id CONTENT $c RETURN NONE")
        .bind(("id", id.clone()))
        .bind(("c", content))
        .await
        .unwrap()
        .check()
        .unwrap();
    id
}
