//! Privacy requests as the admin queue and the candidate see them.

use serde::{Deserialize, Serialize};

/// Days an organisation has to answer a data request (GDPR art. 12(3)).
pub const ANSWER_WITHIN_DAYS: i64 = 30;

/// An erasure request in the admin queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacyRequest {
    pub id: String,
    pub person_id: String,
    /// The person's name now ("Erased person" once done).
    pub person_name: String,
    pub kind: String,
    /// `open`, `done` or `declined`.
    pub status: String,
    pub requested_at: String,
    pub due_at: String,
    /// Whole days until the deadline (negative: overdue).
    pub days_left: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: Option<String>,
}

/// The queue: open requests (soonest deadline first), then the latest answered ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacyQueue {
    pub open: Vec<PrivacyRequest>,
    pub answered: Vec<PrivacyRequest>,
}

/// How a deadline reads: "Due in 12 days", "Due today", "3 days overdue".
pub fn deadline_label(days_left: i64) -> String {
    match days_left {
        d if d > 1 => format!("Due in {d} days"),
        1 => "Due tomorrow".into(),
        0 => "Due today".into(),
        -1 => "1 day overdue".into(),
        d => format!("{} days overdue", -d),
    }
}

/// What the portal's privacy centre shows a candidate about themselves and lets them change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacyCentreData {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub location: String,
    /// They agreed to stay in the talent pool for future roles.
    pub talent_pool: bool,
    /// Email topics: `(topic, label, still wanted)`.
    pub topics: Vec<(String, String, bool)>,
}

/// Contact details a candidate corrected, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub location: Option<String>,
}

/// Corrected contact details, checked: names 1–100 characters, a phone of digits and `+ - ( ) .`
/// and spaces (or empty), a location up to 100 characters.
pub fn check_details(
    first_name: &str,
    last_name: &str,
    phone: &str,
    location: &str,
) -> Result<Details, Vec<(&'static str, &'static str)>> {
    let mut errors = Vec::new();
    let (f, l, p, loc) = (
        first_name.trim(),
        last_name.trim(),
        phone.trim(),
        location.trim(),
    );
    if f.is_empty() || f.chars().count() > 100 {
        errors.push((
            "first_name",
            "Enter your first name (up to 100 characters).",
        ));
    }
    if l.chars().count() > 100 {
        errors.push(("last_name", "Keep your last name under 100 characters."));
    }
    let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
    let phone_ok = p.is_empty()
        || (p.len() <= 40
            && digits >= 6
            && p.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | '.' | ' ')));
    if !phone_ok {
        errors.push((
            "phone",
            "Enter a phone number with digits, spaces and + - ( ) only.",
        ));
    }
    if loc.chars().count() > 100 {
        errors.push(("location", "Keep the location under 100 characters."));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Details {
        first_name: f.to_string(),
        last_name: l.to_string(),
        phone: (!p.is_empty()).then(|| p.to_string()),
        location: (!loc.is_empty()).then(|| loc.to_string()),
    })
}

/// What erasing one person changed, by kind of record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Erased {
    pub people: usize,
    pub resumes: usize,
    pub mails: usize,
    pub audit_entries: usize,
    pub import_files: usize,
    pub tasks: usize,
}

/// The retention policy, who it would erase now, and what it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    /// Months after which closed applicants are erased; `None`: off.
    pub closed_applicants_months: Option<i64>,
    /// Who the policy would erase if it ran now (at most 50 shown).
    pub preview: Vec<RetentionPerson>,
    /// How many it would erase now in all.
    pub preview_total: usize,
    pub runs: Vec<RetentionRun>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionPerson {
    pub id: String,
    pub name: String,
    /// When something last happened about them.
    pub last_activity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionRun {
    pub at: String,
    pub months: i64,
    pub erased: i64,
}

/// The months a retention form names: empty is off; otherwise 1 to 120.
pub fn parse_months(value: &str) -> Result<Option<i64>, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(n) if (1..=120).contains(&n) => Ok(Some(n)),
        _ => Err("Enter a number of months from 1 to 120, or leave it empty to keep everyone."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrected_details_are_checked() {
        assert_eq!(
            check_details(" Ada ", "Lovelace", "+44 (20) 7946-0000", ""),
            Ok(Details {
                first_name: "Ada".into(),
                last_name: "Lovelace".into(),
                phone: Some("+44 (20) 7946-0000".into()),
                location: None
            })
        );
        let bad = check_details("", "x", "call me", "").unwrap_err();
        assert_eq!(
            bad.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            vec!["first_name", "phone"]
        );
    }

    #[test]
    fn retention_months_are_checked() {
        assert_eq!(parse_months(""), Ok(None));
        assert_eq!(parse_months(" 18 "), Ok(Some(18)));
        assert!(parse_months("0").is_err());
        assert!(parse_months("121").is_err());
        assert!(parse_months("soon").is_err());
    }

    #[test]
    fn deadlines_read_as_words() {
        assert_eq!(deadline_label(30), "Due in 30 days");
        assert_eq!(deadline_label(1), "Due tomorrow");
        assert_eq!(deadline_label(0), "Due today");
        assert_eq!(deadline_label(-1), "1 day overdue");
        assert_eq!(deadline_label(-4), "4 days overdue");
    }
}
