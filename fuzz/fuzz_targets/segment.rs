//! Any segment form, and any stored segment definition (JSON, read back leniently): parsed or
//! refused field by field, and the conditions, the description and a storage round trip never
//! panic; a parsed definition reads back as itself.
#![no_main]
#![allow(dead_code)]
use libfuzzer_sys::fuzz_target;

// The app's own files (`#[path]`), beside stand-ins for the app types they name: the form
// checks collect errors as the app's do; the others are never touched here.
mod error {
    #[derive(Debug)]
    pub struct AppError(pub Vec<(String, String)>);
    pub type AppResult<T> = Result<T, AppError>;
    impl AppError {
        pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
            AppError(vec![(field.into(), message.into())])
        }
    }
    #[derive(Debug, Default)]
    pub struct Checks(Vec<(String, String)>);
    impl Checks {
        pub fn new() -> Self {
            Self::default()
        }
        pub fn add(&mut self, field: &str, message: impl Into<String>) {
            self.0.push((field.into(), message.into()));
        }
        pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
            result.map_err(|m| self.add(field, m)).ok()
        }
        pub fn finish(self) -> AppResult<()> {
            if self.0.is_empty() { Ok(()) } else { Err(AppError(self.0)) }
        }
    }
}
mod people {
    pub mod types {
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct Member;
    }
}
#[path = "../../app/src/domain.rs"]
mod domain;
#[path = "../../app/src/segments/types.rs"]
mod segment_types;

use segment_types::{SegmentDefinition, SegmentForm};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let now = chrono::Utc::now();
    // A stored definition of any shape: whatever deserializes must be usable.
    if let Ok(stored) = serde_json::from_str::<SegmentDefinition>(text) {
        let _ = stored.conditions(now);
        let _ = stored.describe();
    }
    // The form: nine fields separated by NUL.
    let mut f = text.split('\0');
    let mut next = || f.next().unwrap_or("");
    let form = SegmentForm {
        tags: next(),
        skills: next(),
        location: next(),
        sources: next(),
        last_contacted: next(),
        contacted_days: next(),
        min_engagement: next(),
        stage_reached: next(),
        consent: next(),
    };
    match SegmentDefinition::parse(&form) {
        Ok(d) => {
            let (conditions, cutoff) = d.conditions(now);
            // A contacted rule from the form always has its cutoff.
            if d.last_contacted.contains(':') {
                assert!(cutoff.is_some(), "{d:?}");
            }
            assert!(conditions.len() <= 7);
            let _ = d.describe();
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(serde_json::from_str::<SegmentDefinition>(&json).unwrap(), d);
        }
        Err(e) => assert!(!e.0.is_empty()),
    }
});
