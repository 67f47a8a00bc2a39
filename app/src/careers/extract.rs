//! Raw text out of resume files (PDF with lopdf, DOCX with zip + quick-xml), within limits that
//! keep a hostile file from costing more than a real resume. No dependency on the rest of the
//! app, so the fuzz targets (`fuzz/`) build this file on its own.

use std::io::{Cursor, Read};
use std::time::Instant;

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

pub fn pdf_text(bytes: &[u8], deadline: Instant) -> Result<String, ParseProblem> {
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

pub fn docx_text(bytes: &[u8], deadline: Instant) -> Result<String, ParseProblem> {
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
