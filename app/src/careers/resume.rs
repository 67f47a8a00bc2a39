//! Recognising uploaded resumes by their content, never by their file name.

use std::io::Cursor;

pub const MAX_RESUME_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResumeKind {
    Pdf,
    Docx,
}

impl ResumeKind {
    pub fn content_type(self) -> &'static str {
        match self {
            ResumeKind::Pdf => "application/pdf",
            ResumeKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            ResumeKind::Pdf => "pdf",
            ResumeKind::Docx => "docx",
        }
    }
}

/// Decides what an upload really is. PDFs carry `%PDF-` near the start; DOCX files are ZIP
/// archives holding `word/document.xml`.
pub fn sniff(bytes: &[u8]) -> Result<ResumeKind, String> {
    if bytes.is_empty() {
        return Err("That file is empty. Attach your resume as a PDF or Word (DOCX) file.".into());
    }
    if bytes.len() > MAX_RESUME_BYTES {
        return Err("That file is larger than 10 MB. Attach a smaller PDF or DOCX.".into());
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(ResumeKind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes))
            && zip.by_name("word/document.xml").is_ok()
        {
            return Ok(ResumeKind::Docx);
        }
        return Err("That ZIP file is not a Word document. Attach a PDF or DOCX.".into());
    }
    Err("We accept resumes as PDF or Word (DOCX) files only.".into())
}

/// A safe file name for downloads: letters, digits, dots, dashes, underscores.
pub fn clean_filename(name: &str, kind: ResumeKind) -> String {
    let base: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let base = base.trim_matches('.').to_string();
    let stem = base
        .rsplit_once('.')
        .map(|(s, _)| s.to_string())
        .unwrap_or(base);
    let stem = if stem.is_empty() {
        "resume".to_string()
    } else {
        stem
    };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(with_document: bool) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            z.start_file("[Content_Types].xml", opts).unwrap();
            z.write_all(b"<Types/>").unwrap();
            if with_document {
                z.start_file("word/document.xml", opts).unwrap();
                z.write_all(b"<w:document/>").unwrap();
            }
            z.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn pdfs_and_docx_are_recognised_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(ResumeKind::Pdf));
        assert_eq!(sniff(&docx(true)), Ok(ResumeKind::Docx));
    }

    #[test]
    fn other_files_are_refused() {
        assert!(sniff(b"").unwrap_err().contains("empty"));
        assert!(sniff(b"GIF89a....").is_err());
        assert!(sniff(&docx(false)).unwrap_err().contains("not a Word"));
        assert!(sniff(b"MZ\x90\x00 pretend.pdf").is_err());
        let big = vec![b'%'; MAX_RESUME_BYTES + 1];
        assert!(sniff(&big).unwrap_err().contains("10 MB"));
    }

    #[test]
    fn filenames_are_cleaned() {
        assert_eq!(
            clean_filename("../../etc/My CV.exe", ResumeKind::Pdf),
            "My_CV.pdf"
        );
        assert_eq!(clean_filename("", ResumeKind::Docx), "resume.docx");
    }
}
