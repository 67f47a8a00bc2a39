//! The audit log's wire types, and how requests are classified and named (pure, unit-tested).

use serde::{Deserialize, Serialize};

/// What kind of event an entry records.
pub const KINDS: &[(&str, &str)] = &[
    ("read", "Viewed"),
    ("change", "Changed"),
    ("export", "Exported"),
    ("signin", "Signed in or out"),
    ("system", "System"),
];

/// One entry as the admin page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub action: String,
    /// The action in words.
    pub label: String,
    /// Who: a staff member's name, "Candidate: NAME", or "Public" / "System".
    pub actor: String,
    pub actor_ref: Option<String>,
    pub subjects: Vec<Subject>,
    pub ip: Option<String>,
    pub detail: Option<String>,
    pub outcome: String,
    /// Personal data was erased from it.
    pub redacted: bool,
}

/// Something an entry concerned, with a link where there is a page for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub reference: String,
    pub label: String,
    pub href: Option<String>,
}

/// A page of entries, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page.
    pub older: Option<i64>,
    pub retention_days: u32,
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditCheck {
    pub intact: bool,
    /// Entries checked.
    pub entries: u64,
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// The signed checkpoint the check started from (entries up to it were pruned).
    pub checkpoint: Option<i64>,
    pub broken_at: Option<i64>,
    pub reason: Option<String>,
}

impl AuditCheck {
    /// One line for people and for the `server audit verify` command.
    pub fn summary(&self) -> String {
        let from = match self.checkpoint {
            Some(c) => format!(" (entries up to #{c} were pruned; the signed checkpoint holds)"),
            None => String::new(),
        };
        if self.intact {
            match (self.first, self.last) {
                (Some(a), Some(b)) => {
                    format!(
                        "The audit log is intact: {} entries, #{a} to #{b}{from}.",
                        self.entries
                    )
                }
                _ => format!("The audit log is intact and empty{from}."),
            }
        } else {
            format!(
                "The audit log is broken at entry #{}: {}",
                self.broken_at.unwrap_or_default(),
                self.reason.clone().unwrap_or_default()
            )
        }
    }
}

/// Server functions that only read and are not worth an entry of their own (lists, boards,
/// searches, pages' data). Everything else is a change and is recorded, so a new endpoint is
/// recorded until someone decides otherwise.
const QUIET_PREFIXES: &[&str] = &[
    "get_", "list_", "search_", "load_", "my_", "preview_", "quick_",
];
const QUIET: &[&str] = &[
    "application_interviews",
    "application_offer",
    "approval_link_info",
    "approval_steps",
    "hiring_manager_options",
    "hiring_reports",
    "home_numbers",
    "job_activity",
    "me",
    "merge_preview",
    "portal_offer",
    "propose_slots",
    "reschedule_slots",
    "scheduling_page",
    "signup_name",
    "staff_directory",
    "staff_link_holder",
    "tag_counts",
];

/// How a server function call is recorded by the HTTP layer, by the function's name. Reads of
/// a candidate's profile, scorecards or offer are recorded by those functions themselves
/// (`audit::record_read`), because pages call them in-process while rendering.
pub fn classify_call(name: &str) -> Option<&'static str> {
    if name == "login" || name == "logout" || name == "portal_sign_in" || name == "portal_logout" {
        return Some("signin");
    }
    if QUIET.contains(&name) || QUIET_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return None;
    }
    Some("change")
}

/// The server function's name in a call's path (`/api/move_card1234…` → `move_card`).
pub fn call_name(path: &str) -> Option<&str> {
    let last = path.strip_prefix("/api/")?;
    let name = last.trim_end_matches(|c: char| c.is_ascii_digit());
    (!name.is_empty() && !name.contains('/')).then_some(name)
}

/// A plain GET route that is recorded: `(kind, action, subjects)`.
pub fn classify_route(path: &str) -> Option<(&'static str, String, Vec<String>)> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["app", "resumes", id] => Some((
            "read",
            "download_resume".into(),
            vec![format!("resume:{id}")],
        )),
        ["app", "interviews", id, "resume"] => Some((
            "read",
            "download_resume".into(),
            vec![format!("interview:{id}")],
        )),
        ["admin", "export.json"] => Some(("export", "export_database".into(), vec![])),
        ["portal", "my-data.json"] => Some(("export", "export_my_data".into(), vec![])),
        ["portal", "resumes", id] => Some((
            "read",
            "download_own_resume".into(),
            vec![format!("resume:{id}")],
        )),
        ["app", "export", "search"] => Some(("export", "export_search".into(), vec![])),
        ["app", "export", what @ ("pool" | "segment"), id] => Some((
            "export",
            format!("export_{what}"),
            vec![format!("{what}:{id}")],
        )),
        [.., file] if file.ends_with(".csv") => Some((
            "export",
            format!("export_{}", file.trim_end_matches(".csv").replace('-', "_")),
            vec![],
        )),
        _ => None,
    }
}

/// The records a call's arguments name: `person_id=ab12` → `person:ab12`, `ids[0]` of a
/// `person_ids` list → `person:…`. Other arguments (text, passwords) are never kept.
pub fn subjects_of(fields: &[(String, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, value) in fields {
        let base = name.split('[').next().unwrap_or(name);
        let table = if let Some(t) = base.strip_suffix("_ids") {
            t
        } else if let Some(t) = base.strip_suffix("_id") {
            t
        } else if base == "id" || base == "ids" {
            "record"
        } else {
            continue;
        };
        let plain = !value.is_empty()
            && value.len() <= 64
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if table.is_empty() || !plain {
            continue;
        }
        let table = if table == "app" { "application" } else { table };
        let s = format!("{table}:{value}");
        if !out.contains(&s) && out.len() < 20 {
            out.push(s);
        }
    }
    out
}

/// An action in words: `move_card` → "Move card"; a few get better names.
pub fn action_label(action: &str) -> String {
    let named = match action {
        "login" => "Signed in",
        "login_failed" => "Sign-in failed",
        "logout" => "Signed out",
        "portal_sign_in" => "Candidate portal sign-in",
        "portal_logout" => "Candidate signed out of the portal",
        "get_person" => "Viewed profile",
        "get_interview" => "Viewed interview and scorecards",
        "application_interviews" => "Viewed interviews and scorecards",
        "application_offer" => "Viewed offer",
        "download_resume" => "Downloaded resume",
        "export_search" => "Exported search results",
        "export_pool" => "Exported pool",
        "export_segment" => "Exported segment",
        "export_audit" => "Exported the audit log",
        "export_database" => "Exported the whole database",
        "save_retention" => "Changed the retention policy",
        "export_my_data" => "Candidate downloaded their data",
        "download_own_resume" => "Candidate downloaded their resume",
        "request_erasure" => "Candidate asked for erasure",
        "answer_privacy_request" => "Answered a privacy request",
        "verify_audit" => "Checked the audit log",
        "audit_pruned" => "Pruned old audit entries",
        _ => "",
    };
    if !named.is_empty() {
        return named.to_string();
    }
    let words = action.replace('_', " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Where a subject's page is.
pub fn subject_href(reference: &str) -> Option<String> {
    let (table, key) = reference.split_once(':')?;
    match table {
        "person" => Some(format!("/app/people/{key}")),
        "job" => Some(format!("/app/jobs/{key}")),
        "application" => Some(format!("/app/applications/{key}")),
        "interview" => Some(format!("/app/interviews/{key}")),
        "campaign" => Some(format!("/app/campaigns/{key}")),
        "pool" => Some(format!("/app/pools/{key}")),
        "segment" => Some(format!("/app/segments/{key}")),
        _ => None,
    }
}

/// The filters of the admin page (all optional; dates are `YYYY-MM-DD`, UTC).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    pub kind: String,
    /// A staff member's id.
    #[serde(default)]
    pub actor: String,
    /// `person:KEY`, or a bare person key.
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl AuditFilter {
    /// The subject as stored (`person:KEY`); a bare key is taken as a person.
    pub fn subject_ref(&self) -> Option<String> {
        let s = self.subject.trim();
        if s.is_empty() {
            None
        } else if s.contains(':') {
            Some(s.to_string())
        } else {
            Some(format!("person:{s}"))
        }
    }

    /// The query string of these filters (for links to the next page and the CSV).
    pub fn query(&self) -> String {
        let pairs = [
            ("kind", &self.kind),
            ("actor", &self.actor),
            ("subject", &self.subject),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", crate::components::urlencode(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_classified_by_name() {
        assert_eq!(classify_call("move_card"), Some("change"));
        assert_eq!(classify_call("set_anonymised_review"), Some("change"));
        // Recorded by the function itself.
        assert_eq!(classify_call("get_person"), None);
        assert_eq!(classify_call("login"), Some("signin"));
        assert_eq!(classify_call("get_board"), None);
        assert_eq!(classify_call("list_jobs"), None);
        assert_eq!(classify_call("home_numbers"), None);
        // Unknown names are recorded.
        assert_eq!(classify_call("brand_new_endpoint"), Some("change"));
    }

    #[test]
    fn call_names_come_from_paths() {
        assert_eq!(call_name("/api/move_card1234567890"), Some("move_card"));
        assert_eq!(call_name("/api/login"), Some("login"));
        assert_eq!(call_name("/app/jobs"), None);
        assert_eq!(call_name("/api/a/b"), None);
    }

    #[test]
    fn routes_are_classified() {
        let (kind, action, subjects) = classify_route("/app/resumes/r1").unwrap();
        assert_eq!((kind, action.as_str()), ("read", "download_resume"));
        assert_eq!(subjects, vec!["resume:r1".to_string()]);
        assert_eq!(
            classify_route("/app/export/pool/p9").unwrap().2,
            vec!["pool:p9".to_string()]
        );
        assert_eq!(
            classify_route("/app/reports/funnel.csv").unwrap().1,
            "export_funnel"
        );
        assert_eq!(
            classify_route("/admin/audit.csv").unwrap().1,
            "export_audit"
        );
        assert!(classify_route("/app/jobs/j1/events").is_none());
        assert!(classify_route("/jobs").is_none());
    }

    #[test]
    fn subjects_are_ids_only() {
        let f = |v: &[(&str, &str)]| {
            subjects_of(
                &v.iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            f(&[
                ("person_id", "p1"),
                ("job_id", "j-2"),
                ("note", "secret text"),
                ("password", "x")
            ]),
            vec!["person:p1".to_string(), "job:j-2".to_string()]
        );
        assert_eq!(
            f(&[("person_ids[0]", "a"), ("person_ids[1]", "b")]),
            vec!["person:a".to_string(), "person:b".to_string()]
        );
        assert_eq!(f(&[("app_id", "x")]), vec!["application:x".to_string()]);
        // Not a plain key: not kept.
        assert!(f(&[("person_id", "a b")]).is_empty());
    }

    #[test]
    fn actions_read_as_words() {
        assert_eq!(action_label("move_card"), "Move card");
        assert_eq!(action_label("get_person"), "Viewed profile");
    }

    #[test]
    fn filters_round_trip_as_a_query() {
        let f = AuditFilter {
            kind: "read".into(),
            subject: "person:p1".into(),
            ..Default::default()
        };
        assert_eq!(f.query(), "kind=read&subject=person%3Ap1");
        assert_eq!(f.subject_ref().as_deref(), Some("person:p1"));
        let bare = AuditFilter {
            subject: "p2".into(),
            ..Default::default()
        };
        assert_eq!(bare.subject_ref().as_deref(), Some("person:p2"));
    }

    #[test]
    fn a_check_reads_as_a_sentence() {
        let ok = AuditCheck {
            intact: true,
            entries: 3,
            first: Some(1),
            last: Some(3),
            checkpoint: None,
            broken_at: None,
            reason: None,
        };
        assert_eq!(
            ok.summary(),
            "The audit log is intact: 3 entries, #1 to #3."
        );
        let bad = AuditCheck {
            intact: false,
            broken_at: Some(2),
            reason: Some("Entry #2 is missing: it was deleted.".into()),
            ..ok
        };
        assert!(bad.summary().contains("broken at entry #2"));
    }
}
