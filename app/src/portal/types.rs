//! What candidates see of their applications.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalApplication {
    pub id: String,
    pub job_title: String,
    /// Candidate-facing status line, e.g. "In progress: Interview".
    pub status_line: String,
    pub status: String,
    pub applied_at: String,
    pub can_withdraw: bool,
    pub timeline: Vec<TimelineEntry>,
    /// Interviews to come, soonest first.
    #[serde(default)]
    pub interviews: Vec<PortalInterview>,
    /// Interviews whose time the candidate is asked to choose.
    #[serde(default)]
    pub to_schedule: Vec<PortalToSchedule>,
    /// The offer the candidate received for this application, if any.
    #[serde(default)]
    pub offer: Option<PortalOfferLink>,
    /// Their latest request for a human review of it, if any.
    #[serde(default)]
    pub review: Option<crate::reviews::types::ReviewState>,
}

/// An offer in the portal's list: where to read it and how it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalOfferLink {
    pub href: String,
    /// "Waiting for your answer", "Accepted", …
    pub label: String,
    /// True while the candidate may still accept or decline.
    pub open: bool,
}

/// An interview waiting for the candidate to choose its time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalToSchedule {
    pub name: String,
    /// The scheduling page.
    pub href: String,
}

/// An upcoming interview as the candidate sees it (no panel scorecards, no internal notes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalInterview {
    pub id: String,
    pub name: String,
    /// RFC 3339.
    pub starts_at: String,
    /// "Mon 7 Dec, 14:00–15:00 GMT".
    pub when: String,
    /// "Video call", "Phone", "On site".
    pub format: String,
    pub location: String,
    /// The interviewers' names.
    pub with: Vec<String>,
    /// The scheduling page, when the candidate chose the time (they can move or cancel there).
    pub change_href: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalData {
    pub first_name: String,
    pub email: String,
    pub applications: Vec<PortalApplication>,
    /// The candidate's open request to erase their data, if any.
    #[serde(default)]
    pub erasure_requested: Option<crate::privacy::types::PrivacyRequest>,
}

/// The line a candidate sees for an application.
pub fn status_line(status: &str, stage_name: &str, hired: bool) -> String {
    match status {
        "rejected" => "Not moving forward".into(),
        "withdrawn" => "Withdrawn".into(),
        _ if hired => "Hired. Welcome aboard!".into(),
        _ => format!("In progress: {stage_name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_speak_to_candidates() {
        assert_eq!(
            status_line("active", "Interview", false),
            "In progress: Interview"
        );
        assert_eq!(
            status_line("rejected", "Interview", false),
            "Not moving forward"
        );
        assert_eq!(status_line("withdrawn", "Applied", false), "Withdrawn");
        assert!(status_line("active", "Hired", true).starts_with("Hired"));
    }
}
