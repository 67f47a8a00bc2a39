//! Wire types of the admin pages.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub status: String,
    pub error: Option<String>,
    pub unsubscribe_url: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    /// True when mail goes out over SMTP; false when it only lands here.
    pub delivers: bool,
    pub mails: Vec<OutboxMail>,
}

/// A background task that failed for good (kept with its error until an admin retries it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeadJob {
    pub id: String,
    /// What it was: `parse_resume`, `import`, `slack`, …
    pub kind: String,
    pub attempts: i64,
    pub error: Option<String>,
    pub created_at: String,
}

/// What a kind of task does, in words an admin understands.
pub fn job_label(kind: &str) -> &'static str {
    match kind {
        "parse_resume" => "Read a resume",
        "import" => "CSV import",
        "slack" => "Slack message",
        _ => "Background task",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_kinds_have_labels() {
        assert_eq!(job_label("import"), "CSV import");
        assert_eq!(job_label("parse_resume"), "Read a resume");
        assert_eq!(job_label("something_new"), "Background task");
    }
}
