//! CSV import (and export) wire types and pure rules: which person field a column fills.

use serde::{Deserialize, Serialize};

/// Fields of a person that a CSV column can fill.
pub const IMPORT_FIELDS: [(&str, &str); 14] = [
    ("", "Ignore this column"),
    ("full_name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("location", "Location"),
    ("headline", "Headline"),
    ("skills", "Skills (comma-separated)"),
    ("tags", "Tags (comma-separated)"),
    ("linkedin", "LinkedIn URL"),
    ("job", "Job (adds an application)"),
    ("stage", "Stage of that application"),
    ("outcome", "Status or archive reason"),
];

/// A guess at which field a CSV header means.
pub fn guess_field(header: &str) -> &'static str {
    let h = header.trim().to_lowercase().replace(['_', '-'], " ");
    match h.as_str() {
        "name" | "full name" | "candidate" | "candidate name" => "full_name",
        "first name" | "firstname" | "given name" => "first_name",
        "last name" | "lastname" | "surname" | "family name" => "last_name",
        "email" | "e mail" | "email address" | "mail" => "email",
        "phone" | "phone number" | "mobile" | "telephone" => "phone",
        "location" | "city" | "address" => "location",
        "title" | "headline" | "position" | "current title" | "job title" => "headline",
        "skills" | "skill" => "skills",
        "tags" | "tag" | "labels" => "tags",
        "linkedin" | "linkedin url" | "linkedin profile" | "links" | "profile links" => "linkedin",
        // Other applicant tracking systems' exports (Greenhouse, Lever).
        "job" | "job name" | "jobs" | "posting" | "posting title" => "job",
        "stage" | "current stage" | "pipeline stage" => "stage",
        "status" | "application status" | "archive reason" | "archived reason" => "outcome",
        _ => "",
    }
}

/// One problem with one row of an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based, counting the header as row 1 (as a spreadsheet shows it).
    pub row: i64,
    pub field: String,
    pub message: String,
}

/// Where an import stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Uploaded; columns are being mapped.
    Mapping,
    Queued,
    Running,
    Done,
    Failed,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Mapping => "mapping",
            ImportStatus::Queued => "queued",
            ImportStatus::Running => "running",
            ImportStatus::Done => "done",
            ImportStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ImportStatus::Mapping,
            ImportStatus::Queued,
            ImportStatus::Running,
            ImportStatus::Done,
            ImportStatus::Failed,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    /// Started and not finished: the page follows its progress.
    pub fn in_progress(self) -> bool {
        matches!(self, ImportStatus::Queued | ImportStatus::Running)
    }
}

/// Compares with the stored name (`status == "done"`).
impl PartialEq<&str> for ImportStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: String,
    pub filename: String,
    pub status: ImportStatus,
    pub headers: Vec<String>,
    /// Field chosen (or guessed) for each header.
    pub mapping: Vec<String>,
    pub preview: Vec<Vec<String>>,
    pub duplicates: String,
    pub total_rows: i64,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    /// Applications added from a job column (exports of other applicant tracking systems).
    pub applications: i64,
    pub errors: Vec<RowError>,
    /// While mapping: the export recognised, and the jobs and stages its applications go to.
    pub plan: Option<super::ats::AtsPlan>,
}

/// The query of `GET /app/export/search`: the search page's text and filters.
#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub q: String,
    #[serde(flatten)]
    pub filters: crate::search::types::SearchFilters,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_guessed() {
        assert_eq!(guess_field("E-mail"), "email");
        assert_eq!(guess_field("Full Name"), "full_name");
        assert_eq!(guess_field("Favourite colour"), "");
        assert_eq!(guess_field("Job Name"), "job");
        assert_eq!(guess_field("Posting"), "job");
        assert_eq!(guess_field("Current Stage"), "stage");
        assert_eq!(guess_field("Archive Reason"), "outcome");
    }

    #[test]
    fn import_statuses_round_trip() {
        for s in ["mapping", "queued", "running", "done", "failed"] {
            let v = ImportStatus::parse(s).unwrap();
            assert_eq!(v.as_str(), s);
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::Value::String(s.into())
            );
        }
        assert_eq!(ImportStatus::parse("paused"), None);
        assert!(ImportStatus::Running.in_progress() && !ImportStatus::Done.in_progress());
    }
}
