//! Any text as a search: parsed or refused with a message, never a panic or a stack overflow;
//! whatever parses can be walked (highlighting) without trouble.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[allow(dead_code)]
#[path = "../../app/src/search/query.rs"]
mod query;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match query::parse(text) {
        Ok(Some(q)) => {
            assert!(query::has_positive(&q));
            let _ = query::positive_words(&q);
        }
        Ok(None) => {}
        Err(message) => assert!(!message.is_empty()),
    }
});
