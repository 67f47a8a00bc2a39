//! Resume text extraction (PDF with lopdf, DOCX with zip + quick-xml) and the proposals made
//! from it: name, email, phone, links, skills and work-history lines.

use super::resume::ResumeKind;
use crate::domain::{EmailAddress, Phone};
use serde::{Deserialize, Serialize};
use std::io::{Cursor, Read};
use std::time::{Duration, Instant};
use surrealdb::types::SurrealValue;

/// Why no text came out of a file. Each has a message a recruiter (or candidate) understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseProblem {
    Encrypted,
    Corrupt,
    Empty,
    /// Not read within the time a candidate waits: read again in the background.
    TooSlow,
    /// Every reader was busy: read in the background.
    Busy,
    /// Not read in the background either: given up, the file is kept.
    TooComplex,
}

impl ParseProblem {
    pub fn status(self) -> &'static str {
        match self {
            ParseProblem::Encrypted => "encrypted",
            ParseProblem::Corrupt => "corrupt",
            ParseProblem::Empty => "empty",
            ParseProblem::TooSlow | ParseProblem::Busy => "pending",
            ParseProblem::TooComplex => "too_complex",
        }
    }
    pub fn message(self) -> &'static str {
        match self {
            ParseProblem::Encrypted => {
                "The resume is password-protected, so its text could not be read. The file is kept as it is."
            }
            ParseProblem::Corrupt => {
                "The resume file looks damaged, so its text could not be read. The file is kept as it is."
            }
            ParseProblem::Empty => {
                "The resume has no readable text (it may be a scanned image). The file is kept as it is."
            }
            ParseProblem::TooSlow | ParseProblem::Busy => "The resume is still being read.",
            ParseProblem::TooComplex => {
                "The resume took too long to read, so its text could not be read. The file is kept as it is."
            }
        }
    }
}

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

/// Limits that keep a hostile file from costing more than a real resume: what a file may inflate
/// to, how many pages and ZIP entries are read, and how long reading may take.
pub mod limits {
    use std::time::Duration;
    /// Bytes any one PDF stream (or page's content) may decompress to.
    pub const PDF_STREAM_BYTES: usize = 16 * 1024 * 1024;
    /// Pages read from a PDF (a resume has a few; the rest is ignored).
    pub const PDF_PAGES: usize = 50;
    /// Bytes `word/document.xml` may inflate to.
    pub const DOCX_XML_BYTES: u64 = 32 * 1024 * 1024;
    /// Entries in a DOCX archive (a Word file has a few dozen).
    pub const DOCX_ENTRIES: usize = 5_000;
    /// Text kept from one resume.
    pub const TEXT_BYTES: usize = 1024 * 1024;
    /// Time one file may take to read.
    pub const READ_TIME: Duration = Duration::from_secs(10);
    /// Files read at once; more wait for a free reader (the readers are plain threads, apart
    /// from the runtime's blocking pool that password hashing uses).
    pub const READERS: usize = 2;
}

/// A stream that would inflate past its limit.
fn is_bomb(e: &lopdf::Error) -> bool {
    matches!(
        e,
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })
    )
}

fn pdf_text(bytes: &[u8], deadline: Instant) -> Result<String, ParseProblem> {
    let options = lopdf::LoadOptions::with_max_decompressed_size(limits::PDF_STREAM_BYTES);
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| {
        let m = e.to_string().to_lowercase();
        if is_bomb(&e) {
            ParseProblem::TooComplex
        } else if m.contains("decrypt") || m.contains("encrypt") || m.contains("password") {
            ParseProblem::Encrypted
        } else {
            ParseProblem::Corrupt
        }
    })?;
    if doc.is_encrypted() {
        return Err(ParseProblem::Encrypted);
    }
    let pages: Vec<u32> = doc
        .get_pages()
        .keys()
        .copied()
        .take(limits::PDF_PAGES)
        .collect();
    if pages.is_empty() {
        return Err(ParseProblem::Corrupt);
    }
    // Page by page, so the time limit stops the work between pages.
    let mut out = String::new();
    let mut read_any = false;
    for page in pages {
        if Instant::now() > deadline {
            return Err(ParseProblem::TooComplex);
        }
        match doc.extract_text_with_limit(&[page], limits::PDF_STREAM_BYTES) {
            Ok(t) => {
                read_any = true;
                out.push_str(&t);
            }
            Err(e) if is_bomb(&e) => return Err(ParseProblem::TooComplex),
            Err(_) => {}
        }
        if out.len() > limits::TEXT_BYTES {
            break;
        }
    }
    if !read_any {
        return Err(ParseProblem::Corrupt);
    }
    Ok(out)
}

fn docx_text(bytes: &[u8], deadline: Instant) -> Result<String, ParseProblem> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ParseProblem::Corrupt)?;
    if zip.len() > limits::DOCX_ENTRIES {
        return Err(ParseProblem::TooComplex);
    }
    let mut xml = Vec::new();
    {
        let entry = zip
            .by_name("word/document.xml")
            .map_err(|_| ParseProblem::Corrupt)?;
        // The declared size is the file's word, not a fact: cap what inflation produces.
        entry
            .take(limits::DOCX_XML_BYTES + 1)
            .read_to_end(&mut xml)
            .map_err(|_| ParseProblem::Corrupt)?;
        if xml.len() as u64 > limits::DOCX_XML_BYTES {
            return Err(ParseProblem::TooComplex);
        }
    }
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut in_text = false;
    let mut events: u32 = 0;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(4096) && Instant::now() > deadline {
            return Err(ParseProblem::TooComplex);
        }
        if out.len() > limits::TEXT_BYTES {
            break;
        }
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == b"w:t" => in_text = true,
            Ok(Event::End(e)) if e.name().as_ref() == b"w:t" => in_text = false,
            Ok(Event::End(e)) if e.name().as_ref() == b"w:p" => out.push('\n'),
            Ok(Event::Empty(e)) if e.name().as_ref() == b"w:tab" => out.push('\t'),
            Ok(Event::Empty(e)) if e.name().as_ref() == b"w:br" => out.push('\n'),
            Ok(Event::Text(t)) if in_text => {
                let raw = String::from_utf8_lossy(t.as_ref()).into_owned();
                out.push_str(&unescape(&raw));
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                out.push_str(&unescape(&format!("&{name};")));
            }
            Ok(Event::Eof) => break,
            Err(_) => return Err(ParseProblem::Corrupt),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
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
