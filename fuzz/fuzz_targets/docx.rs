//! Any bytes as a DOCX resume: no panic, no hang past the deadline, no unbounded memory.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "../../app/src/careers/extract.rs"]
mod extract;

fuzz_target!(|data: &[u8]| {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    let _ = extract::docx_text(data, deadline);
});
