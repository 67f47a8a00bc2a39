//! Any bytes as an import's CSV file, read with any column mapping: inspected, previewed and
//! every row read without a panic; a row accepted as a person always has a valid email and a
//! name, and its free-text fields stay within their limits.
#![no_main]
#![allow(dead_code, unused_imports)]
use libfuzzer_sys::fuzz_target;

// The app's own files (`#[path]`), beside stand-ins for the few app types they name but the
// code fuzzed here never touches.
mod error {
    #[derive(Debug)]
    pub struct AppError;
    impl AppError {
        pub fn invalid(_field: impl Into<String>, _message: impl Into<String>) -> Self {
            AppError
        }
    }
}
mod people {
    pub mod types {
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct DuplicatePair;
    }
}
mod search {
    pub mod types {
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct SearchFilters {}
    }
}
#[path = "../../app/src/domain.rs"]
mod domain;
#[path = "../../app/src/dedupe/types.rs"]
mod dedupe_types;
#[path = "../../app/src/server/csv.rs"]
mod server_csv;
#[path = "../../app/src/imports/types.rs"]
mod import_types;
#[path = "../../app/src/imports/csv.rs"]
mod import_csv;
// The paths those files use (`crate::dedupe::types`, `crate::server::csv`; `super::types` and
// `super::ats` from the import's files, whose parent here is the crate root).
mod dedupe {
    pub(crate) use super::dedupe_types as types;
}
mod server {
    pub(crate) use super::server_csv as csv;
}
use import_types as types;
mod ats {
    #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct AtsPlan;
}

use import_types::IMPORT_FIELDS;

fuzz_target!(|data: &[u8]| {
    // The first byte picks a mapping for up to eight columns; the rest is the file.
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok((headers, rows)) = import_csv::inspect(text) else {
        return;
    };
    assert!(rows > 0);
    let _ = import_csv::preview(text, 5);
    // Guessed from the headers (what the importer proposes), or shifted by `pick`, so fields
    // land on every kind of column.
    let mapping: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let guessed = import_types::guess_field(h);
            if pick == 0 {
                guessed.to_string()
            } else {
                IMPORT_FIELDS[(usize::from(pick) + i) % IMPORT_FIELDS.len()]
                    .0
                    .to_string()
            }
        })
        .collect();
    let _ = import_csv::check_mapping(&mapping);
    let mut reader = import_csv::reader(text);
    for (n, rec) in reader.records().enumerate() {
        let Ok(rec) = rec else { continue };
        match import_csv::read_row(&rec, &mapping, n as i64 + 2) {
            Ok(p) => {
                assert!(domain::EmailAddress::parse(&p.email).is_ok(), "{p:?}");
                assert!(!(p.first_name.trim().is_empty() && p.last_name.trim().is_empty()));
                assert!(p.location.as_ref().is_none_or(|l| l.chars().count() <= 120));
                assert!(p.headline.as_ref().is_none_or(|l| l.chars().count() <= 200));
                assert!(p.skills.iter().all(|s| s.chars().count() <= 60));
                assert!(p.tags.iter().all(|t| domain::Tag::parse(t).is_ok()));
            }
            Err(errors) => assert!(!errors.is_empty()),
        }
    }
});
