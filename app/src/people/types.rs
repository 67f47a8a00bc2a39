//! Wire types for people.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub id: String,
    pub name: String,
    pub email: String,
    pub headline: Option<String>,
    pub tags: Vec<String>,
    pub source: String,
    pub unsubscribed: bool,
    /// The person's open applications that were read against their job's criteria.
    #[serde(default)]
    pub screened: Vec<ScreenedFor>,
}

/// An open application's screening score, as the people list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScreenedFor {
    pub application_id: String,
    pub job_title: String,
    pub score: crate::screening::types::Score,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeopleList {
    pub people: Vec<PersonSummary>,
    /// Pass back as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TagCount {
    pub tag: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileApplication {
    pub id: String,
    pub job_id: String,
    pub job_title: String,
    pub stage_name: String,
    pub status: String,
    pub applied_at: String,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileEntry {
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub text: String,
}

/// An email to the person (sent, queued or held back), as the profile's Emails tab lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileEmail {
    pub subject: String,
    /// What sent it (`campaign`, `interview_invite`, …; see [`email_kind_label`]).
    pub kind: String,
    /// `queued`, `sent`, `failed`, `outbox` or `suppressed`.
    pub status: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// First opened and first clicked (campaign emails, which are tracked).
    pub opened_at: Option<String>,
    pub clicked_at: Option<String>,
    /// The campaign it belongs to: (key, name).
    pub campaign: Option<(String, String)>,
    /// The plain-text body, as sent.
    pub body: String,
}

/// What sent an email, in words.
pub fn email_kind_label(kind: &str) -> &'static str {
    match kind {
        "campaign" => "Campaign",
        "application_received" => "Application received",
        "interview_invite" => "Interview invitation",
        "interview_cancelled_by_candidate" => "Interview cancelled",
        "scheduling_link" => "Scheduling link",
        "offer" => "Offer",
        "offer_update" => "Offer update",
        "offer_withdrawn" => "Offer withdrawn",
        "onboarding" => "Onboarding",
        "optin" => "Consent request",
        "reconsent" => "Consent renewal",
        "portal_link" => "Portal sign-in link",
        "privacy_reminder" => "Privacy notice",
        "review_answered" => "Review answered",
        "bulk" => "Bulk email",
        _ => "Email",
    }
}

/// How far an email got, in words.
pub fn email_status_label(status: &str) -> &'static str {
    match status {
        "sent" => "Sent",
        "failed" => "Not delivered",
        "suppressed" => "Not sent: unsubscribed",
        "outbox" => "In the outbox",
        _ => "Queued",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResumeInfo {
    pub id: String,
    pub filename: String,
    pub size: i64,
    pub content_type: String,
    pub uploaded_at: String,
    /// `ok`, `empty`, `encrypted`, `corrupt` or `pending`.
    pub parse_status: String,
    pub parse_message: Option<String>,
    pub text: Option<String>,
    /// What the app read from it, until a recruiter reviews it.
    pub proposal: Option<ResumeProposal>,
}

/// Details read from a resume, offered for the recruiter to confirm.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResumeProposal {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub links: Vec<String>,
    pub skills: Vec<String>,
    pub history: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub author: String,
    pub body: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonProfile {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub headline: Option<String>,
    pub skills: Vec<String>,
    pub tags: Vec<String>,
    pub source: String,
    pub unsubscribed_at: Option<String>,
    pub created_at: String,
    pub applications: Vec<ProfileApplication>,
    pub resumes: Vec<ResumeInfo>,
    pub timeline: Vec<ProfileEntry>,
    pub links: Vec<String>,
    pub work_history: Vec<String>,
    pub notes: Vec<Note>,
    /// Emails to the person, newest first (none in a profile limited to some jobs).
    #[serde(default)]
    pub emails: Vec<ProfileEmail>,
    /// Anonymised review: why this profile shows an alias (one line per job), empty when it
    /// shows who the person is.
    #[serde(default)]
    pub anonymised: Vec<String>,
}

/// Human-readable source.
pub fn source_label(source: &str) -> String {
    match source {
        "careers_page" => "Careers page".into(),
        "sourced" => "Sourced".into(),
        "referral" => "Referral".into(),
        "import" => "Import".into(),
        "event" => "Event".into(),
        other => other.replace('_', " "),
    }
}

/// "1.2 MB" style sizes.
pub fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// A person in a pool or segment list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub email: String,
    pub source: String,
    pub tags: Vec<String>,
    pub consent: String,
    pub last_contacted_at: Option<String>,
    pub engagement_score: i64,
}

/// Everything the profile's CRM panel shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrmProfile {
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub consent_status: String,
    pub consent_at: Option<String>,
    pub consent_basis: Option<String>,
    /// The consent ledger, newest first: what they agreed to, when, where, under which notice.
    pub consent_record: Vec<crate::privacy::types::ConsentRecord>,
    pub last_contacted_at: Option<String>,
    pub engagement_score: i64,
    pub timezone: Option<String>,
    pub unsubscribed_topics: Vec<String>,
    pub referred_by: Option<String>,
    pub referral_relationship: Option<String>,
    pub interests: Vec<String>,
    pub pools: Vec<(String, String)>,
    pub all_pools: Vec<(String, String)>,
    pub jobs: Vec<(String, String)>,
    pub staff: Vec<(String, String)>,
    pub duplicates: Vec<DuplicatePair>,
    /// (campaign name, status, where they are)
    pub campaigns: Vec<(String, String, String)>,
}

pub const INTERESTS_LIST: [&str; 6] = [
    "Engineering",
    "Design",
    "Product",
    "Customer Success",
    "Data",
    "Operations",
];
pub const RELATIONSHIPS: [&str; 5] = [
    "Former colleague",
    "Friend",
    "Met at an event",
    "Found online",
    "Other",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(source_label("careers_page"), "Careers page");
        assert_eq!(source_label("job_fair"), "job fair");
        assert_eq!(size_label(2048), "2 KB");
        assert_eq!(size_label(3 * 1024 * 1024), "3.0 MB");
    }
}

/// Two records that may be the same human (found by `crate::dedupe`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicatePair {
    pub a: Member,
    pub b: Member,
    /// 0–100.
    pub confidence: u32,
    pub reasons: Vec<String>,
}
