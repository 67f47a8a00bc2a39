//! Staff roles and what each may do.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Recruiter,
    HiringManager,
    Interviewer,
    Sourcer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Recruiter,
        Role::HiringManager,
        Role::Interviewer,
        Role::Sourcer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Recruiter => "recruiter",
            Role::HiringManager => "hiring_manager",
            Role::Interviewer => "interviewer",
            Role::Sourcer => "sourcer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Recruiter => "Recruiter",
            Role::HiringManager => "Hiring manager",
            Role::Interviewer => "Interviewer",
            Role::Sourcer => "Sourcer",
        }
    }

    /// Create, edit, publish and close jobs; see every board.
    pub fn manages_jobs(self) -> bool {
        matches!(self, Role::Admin | Role::Recruiter)
    }

    /// Work with the talent pool: people, tags, campaigns.
    pub fn uses_crm(self) -> bool {
        matches!(self, Role::Admin | Role::Recruiter | Role::Sourcer)
    }

    /// See the jobs list (hiring managers see only their own jobs).
    pub fn sees_jobs(self) -> bool {
        matches!(self, Role::Admin | Role::Recruiter | Role::HiringManager)
    }

    pub fn reads_outbox(self) -> bool {
        matches!(self, Role::Admin)
    }
}

/// The signed-in staff member, as the browser sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// An admin requires two-step sign-in of this member and they have not set it up: until
    /// they do, only their account page works.
    #[serde(default)]
    pub must_set_up_two_step: bool,
    /// When this member signed in before the current session (RFC 3339): the home shows what is
    /// new since then.
    #[serde(default)]
    pub last_visit: Option<String>,
}

impl StaffUser {
    /// May this person view (and move cards on) the board of a job with this hiring manager?
    pub fn can_work_board(&self, job_hiring_manager: Option<&str>) -> bool {
        self.role.manages_jobs()
            || (self.role == Role::HiringManager && job_hiring_manager == Some(self.id.as_str()))
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// Passwords that are among the most used (and so the first guessed); lower-case.
const COMMON_PASSWORDS: [&str; 40] = [
    "password",
    "password1",
    "password12",
    "password123",
    "password1234",
    "passw0rd",
    "123456789012",
    "1234567890",
    "12345678910",
    "qwertyuiop",
    "qwertyuiop123",
    "qwerty123456",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "welcome123",
    "administrator",
    "admin1234567",
    "changeme1234",
    "trustno1trustno1",
    "football1234",
    "baseball1234",
    "monkey123456",
    "sunshine1234",
    "princess1234",
    "dragon123456",
    "starwars1234",
    "abc123456789",
    "aaaaaaaaaaaa",
    "111111111111",
    "000000000000",
    "123123123123",
    "1q2w3e4r5t6y",
    "zaq12wsxcde3",
    "qazwsxedcrfv",
    "asdfghjkl123",
    "superman1234",
    "michael12345",
    "passwordpassword",
    "correcthorsebatterystaple",
];

/// Checks a new password: long enough, not a common one, not the person's own name or email.
/// The message says what to do.
pub fn check_password(password: &str, email: &str, name: &str) -> Result<(), String> {
    let p = password.trim();
    if p.chars().count() < MIN_PASSWORD {
        return Err(format!(
            "Use at least {MIN_PASSWORD} characters. A few unrelated words make a strong password."
        ));
    }
    if password.chars().count() > 256 {
        return Err("Use at most 256 characters.".into());
    }
    let lower = p.to_lowercase();
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if COMMON_PASSWORDS.contains(&lower.as_str()) || distinct.len() < 4 {
        return Err("That password is among the first ones attackers try. Choose another.".into());
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let words: Vec<String> = name
        .split_whitespace()
        .map(str::to_lowercase)
        .chain(std::iter::once(local))
        .filter(|w| w.chars().count() >= 4)
        .collect();
    if words
        .iter()
        .any(|w| lower == *w || lower.trim_end_matches(|c: char| c.is_ascii_digit()) == *w)
    {
        return Err("Do not use your name or email address as your password.".into());
    }
    Ok(())
}

/// Where to go after signing in: only local paths, never another site.
///
/// Browsers drop tabs and newlines from a URL and read `\\` as `/`, so `/\t/evil.example`
/// arrives as `//evil.example`, another site. Only a path of plain URL characters that starts
/// with one `/` is accepted; anything else goes to `/app`.
pub fn safe_next(next: &str) -> String {
    let n = next.trim_matches(' ');
    let plain = n
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~/?#[]@!$&'()*+,;=%:".contains(c));
    if plain && n.starts_with('/') && !n.starts_with("//") {
        n.to_string()
    } else {
        "/app".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_a_local_path_after_the_browser_normalises_it() {
        for ok in ["/app", "/app/jobs/x?tab=board#top", "/app/people/a%20b"] {
            assert_eq!(safe_next(ok), ok);
        }
        for evil in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example",
            "/\u{0}/evil.example",
            " //evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(evil), "/app", "{evil:?}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let ok = |p: &str| check_password(p, "ada.lovelace@acme.test", "Ada Lovelace");
        assert!(ok("short").unwrap_err().contains("at least 12"));
        assert!(ok("Password123").unwrap_err().contains("at least 12"));
        assert!(ok("passwordpassword").unwrap_err().contains("first ones"));
        assert!(ok("aaaaaaaaaaaaaaaa").unwrap_err().contains("first ones"));
        assert!(ok("ada.lovelace").unwrap_err().contains("name or email"));
        assert!(
            ok("ada.lovelace2026")
                .unwrap_err()
                .contains("name or email")
        );
        assert!(ok("analytical engine notes").is_ok());
        assert!(ok("correct horse staple 9").is_ok());
    }

    #[test]
    fn roles_roundtrip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn permissions_follow_roles() {
        assert!(Role::Recruiter.manages_jobs());
        assert!(!Role::Sourcer.manages_jobs());
        assert!(Role::Sourcer.uses_crm());
        assert!(!Role::Interviewer.uses_crm());
        assert!(!Role::HiringManager.reads_outbox());
        let hm = StaffUser {
            id: "hm1".into(),
            email: "hm@x.test".into(),
            name: "H".into(),
            role: Role::HiringManager,
            must_set_up_two_step: false,
            last_visit: None,
        };
        assert!(hm.can_work_board(Some("hm1")));
        assert!(!hm.can_work_board(Some("hm2")));
        assert!(!hm.can_work_board(None));
    }

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/app/jobs"), "/app/jobs");
        assert_eq!(safe_next("//evil.example"), "/app");
        assert_eq!(safe_next("https://evil.example"), "/app");
        assert_eq!(safe_next(""), "/app");
    }
}
