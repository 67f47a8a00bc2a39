//! Reading resumes: text extraction (in `extract`) on bounded reader threads with a deadline,
//! and the proposals made from the text: name, email, phone, links, skills, work history.

pub use super::extract::{ParseProblem, limits};
use super::extract::{docx_text, pdf_text};
use super::resume::ResumeKind;
use crate::domain::{EmailAddress, Phone};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use surrealdb::types::SurrealValue;

/// What the app proposes from a resume; a recruiter confirms it on the profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, SurrealValue)]
pub struct Proposal {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub links: Vec<String>,
    pub skills: Vec<String>,
    pub history: Vec<String>,
}

/// Extracts the text of a resume. Never panics, whatever the file holds; stops with
/// [`ParseProblem::TooComplex`] past `deadline` or past the size limits in [`limits`].
pub fn extract_text_until(
    kind: ResumeKind,
    bytes: &[u8],
    deadline: Instant,
) -> Result<String, ParseProblem> {
    let result = std::panic::catch_unwind(|| match kind {
        ResumeKind::Pdf => pdf_text(bytes, deadline),
        ResumeKind::Docx => docx_text(bytes, deadline),
    })
    .unwrap_or(Err(ParseProblem::Corrupt))?;
    let text: String = result
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    let text = text.trim().to_string();
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
        return Err(ParseProblem::Empty);
    }
    Ok(text)
}

/// [`extract_text_until`] with the usual time limit.
pub fn extract_text(kind: ResumeKind, bytes: &[u8]) -> Result<String, ParseProblem> {
    extract_text_until(kind, bytes, Instant::now() + limits::READ_TIME)
}

/// The readers: at most [`limits::READERS`] files are read at once.
static READERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(limits::READERS);

/// Extraction off the async runtime on a reader thread, within the time limit. The reader
/// itself stops at the deadline (between pages and XML events), so a slow file does not keep
/// a thread busy after the caller gave up. With every reader busy for `wait`, answers
/// [`ParseProblem::Busy`].
pub async fn extract_text_async(kind: ResumeKind, bytes: Vec<u8>) -> Result<String, ParseProblem> {
    extract_text_waiting(kind, bytes, limits::READ_TIME).await
}

/// [`extract_text_async`] waiting up to `wait` for a free reader.
pub async fn extract_text_waiting(
    kind: ResumeKind,
    bytes: Vec<u8>,
    wait: Duration,
) -> Result<String, ParseProblem> {
    let started = Instant::now();
    let Ok(Ok(permit)) = tokio::time::timeout(wait, READERS.acquire()).await else {
        return Err(ParseProblem::Busy);
    };
    // What is left of the candidate's wait (at least a second, to read a small file).
    let budget = limits::READ_TIME
        .saturating_sub(started.elapsed())
        .max(Duration::from_secs(1));
    let (tx, rx) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("resume-reader".into())
        .spawn(move || {
            // The permit goes with the thread: a caller that gives up does not free the reader.
            let _permit = permit;
            let _ = tx.send(extract_text_until(kind, &bytes, Instant::now() + budget));
        });
    if spawned.is_err() {
        return Err(ParseProblem::Busy);
    }
    let result = match rx.await {
        Ok(r) => r,
        Err(_) => Err(ParseProblem::Corrupt),
    };
    result.map_err(|p| match p {
        // The candidate path reads again in the background; the caller decides.
        ParseProblem::TooComplex if started.elapsed() >= budget => ParseProblem::TooSlow,
        other => other,
    })
}

fn looks_like_name(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && line.chars().count() <= 60
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.')
        })
}

fn clean_token(t: &str) -> &str {
    t.trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')' | '<' | '>' | '"' | '\'' | '|'))
        .trim_end_matches('.')
}

fn has_year_range(line: &str) -> bool {
    let years: Vec<u32> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .filter_map(|t| t.parse().ok())
        .filter(|y| (1960..=2100).contains(y))
        .collect();
    let lower = line.to_lowercase();
    !years.is_empty()
        && (years.len() >= 2
            || lower.contains("present")
            || lower.contains("now")
            || lower.contains("current"))
}

/// Proposals from resume text.
pub fn propose(text: &str) -> Proposal {
    let mut p = Proposal::default();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    p.name = lines
        .iter()
        .take(5)
        .find(|l| looks_like_name(l))
        .map(|l| l.to_string());
    for token in text.split_whitespace().map(clean_token) {
        if p.email.is_none()
            && token.contains('@')
            && let Ok(e) = EmailAddress::parse(token.trim_start_matches("mailto:"))
        {
            p.email = Some(e.into_inner());
        }
        let lower = token.to_lowercase();
        let is_link = lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.")
            || lower.contains("linkedin.com/")
            || lower.contains("github.com/");
        if is_link && !lower.contains('@') && token.len() <= 200 {
            let url = if lower.starts_with("http") {
                token.to_string()
            } else {
                format!("https://{token}")
            };
            if !p.links.contains(&url) && p.links.len() < 10 {
                p.links.push(url);
            }
        }
    }
    // A phone number: the first run of phone characters with 7 to 15 digits.
    for line in &lines {
        let mut run = String::new();
        for c in line.chars().chain(std::iter::once('x')) {
            if c.is_ascii_digit() || " +-().".contains(c) {
                run.push(c);
            } else {
                let candidate = run.trim().trim_matches(|c: char| c == '-' || c == '.');
                let digits = candidate.chars().filter(|c| c.is_ascii_digit()).count();
                if (7..=15).contains(&digits)
                    && !has_year_range(candidate)
                    && let Ok(Some(ph)) = Phone::parse_optional(candidate)
                {
                    p.phone = Some(ph.as_str().to_string());
                    break;
                }
                run.clear();
            }
        }
        if p.phone.is_some() {
            break;
        }
    }
    p.skills = super::skills::find_skills(text);
    p.history = lines
        .iter()
        .filter(|l| has_year_range(l) && l.chars().count() <= 200)
        .take(12)
        .map(|l| l.to_string())
        .collect();
    p
}

/// The stored outcome of reading a resume.
#[derive(Debug, Clone, SurrealValue)]
pub struct ParsedResume {
    pub text: Option<String>,
    pub parse_status: String,
    pub parse_message: Option<String>,
    pub proposal: Option<Proposal>,
}

impl ParsedResume {
    pub fn from_result(result: Result<String, ParseProblem>) -> Self {
        match result {
            Ok(text) => {
                let proposal = propose(&text);
                Self {
                    text: Some(text),
                    parse_status: "ok".into(),
                    parse_message: None,
                    proposal: Some(proposal),
                }
            }
            Err(p) => Self {
                text: None,
                parse_status: p.status().into(),
                parse_message: Some(p.message().into()),
                proposal: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../end2end/fixtures")
                .join(name),
        )
        .expect("fixture (python3 tools/make_fixtures.py end2end/fixtures)")
    }

    #[test]
    fn text_comes_out_of_real_pdf_and_docx_files() {
        for (file, kind) in [
            ("resume.pdf", ResumeKind::Pdf),
            ("resume.docx", ResumeKind::Docx),
        ] {
            let text = extract_text(kind, &fixture(file)).unwrap();
            assert!(text.contains("Jordan Rivers"), "{file}: {text}");
            assert!(text.contains("Zymurgy"), "{file}: {text}");
            let p = propose(&text);
            assert_eq!(p.name.as_deref(), Some("Jordan Rivers"), "{file}");
            assert_eq!(
                p.email.as_deref(),
                Some("jordan.rivers@example.net"),
                "{file}"
            );
            assert_eq!(p.phone.as_deref(), Some("+49 30 1234 5678"), "{file}");
            assert!(
                p.links
                    .contains(&"https://www.linkedin.com/in/jordan-rivers".to_string()),
                "{file}: {:?}",
                p.links
            );
            assert!(
                p.links.contains(&"https://github.com/jrivers".to_string()),
                "{file}"
            );
            for s in ["Rust", "Tokio", "PostgreSQL", "Kubernetes"] {
                assert!(
                    p.skills.contains(&s.to_string()),
                    "{file}: {s} in {:?}",
                    p.skills
                );
            }
            assert_eq!(p.history.len(), 2, "{file}: {:?}", p.history);
            assert!(p.history[0].contains("Northwind"));
        }
    }

    #[test]
    fn broken_files_give_clear_problems() {
        assert_eq!(
            extract_text(ResumeKind::Pdf, b"%PDF-1.4 garbage"),
            Err(ParseProblem::Corrupt)
        );
        assert_eq!(
            extract_text(ResumeKind::Docx, b"PK\x03\x04 not a zip"),
            Err(ParseProblem::Corrupt)
        );
        let empty_pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        let r = extract_text(ResumeKind::Pdf, empty_pdf);
        assert!(
            matches!(r, Err(ParseProblem::Empty) | Err(ParseProblem::Corrupt)),
            "{r:?}"
        );
        let encrypted = fixture("encrypted.pdf");
        assert_eq!(
            extract_text(ResumeKind::Pdf, &encrypted),
            Err(ParseProblem::Encrypted)
        );
        for p in [
            ParseProblem::Encrypted,
            ParseProblem::Corrupt,
            ParseProblem::Empty,
        ] {
            assert!(
                p.message().contains("could not be read")
                    || p.message().contains("no readable text")
            );
        }
    }

    #[test]
    fn proposals_ignore_years_as_phone_numbers() {
        let p = propose("Sam Lee\n2019-2023 Engineer at X\nsam@lee.dev");
        assert_eq!(p.phone, None);
        assert_eq!(p.history, ["2019-2023 Engineer at X"]);
        assert_eq!(p.email.as_deref(), Some("sam@lee.dev"));
    }
}
