//! Human-review requests as the portal and the staff to-do list see them.

use serde::{Deserialize, Serialize};

/// The longest note a candidate or a reviewer writes.
pub const NOTE_MAX: usize = 1000;

/// A request on the staff to-do list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRequest {
    pub id: String,
    pub application_id: String,
    pub person_id: String,
    /// The candidate's name (their alias under anonymised review).
    pub person_name: String,
    pub job_title: String,
    pub note: String,
    pub requested_at: String,
}

/// Where a candidate's request for one application stands (the portal's card shows it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewState {
    /// `open` or `done`.
    pub status: String,
    pub requested_at: String,
    pub answer: Option<String>,
}

/// A note as typed: trimmed, at most [`NOTE_MAX`] characters.
pub fn check_note(note: &str, required: bool) -> Result<String, String> {
    let n = note.trim().replace("\r\n", "\n");
    if required && n.is_empty() {
        return Err("Write what you found, for the candidate.".into());
    }
    if n.chars().count() > NOTE_MAX {
        return Err(format!("Keep it to {NOTE_MAX} characters or fewer."));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(
            check_note("  please look again ", false).unwrap(),
            "please look again"
        );
        assert_eq!(check_note("", false).unwrap(), "");
        assert!(check_note(" ", true).is_err());
        assert!(check_note(&"x".repeat(NOTE_MAX + 1), false).is_err());
    }
}
