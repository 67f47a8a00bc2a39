//! Any text as an email template: checked or refused, and rendering never panics; a template
//! without tokens renders to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[allow(dead_code)]
#[path = "../../app/src/templates.rs"]
mod templates;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = templates::check_template(text);
    let values = templates::TokenValues {
        first_name: "Ada".into(),
        last_name: "{{email}}".into(),
        email: "ada@example.org".into(),
        company: "Acme".into(),
        job_title: "}}{{".into(),
        ..Default::default()
    }
    .with_links("https://jobs.example", Some("j1"));
    let out = templates::render(text, &values);
    if !text.contains("{{") {
        assert_eq!(out, text);
    }
});
