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

/// The retention policies (everywhere, and per region), who they would touch now, and what
/// they did. The top-level fields are the default policy ("everywhere else").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    /// Months after which closed applicants are erased; `None`: off.
    pub closed_applicants_months: Option<i64>,
    /// Who the policy would erase if it ran now (at most 50 shown).
    pub preview: Vec<RetentionPerson>,
    /// How many it would erase now in all.
    pub preview_total: usize,
    /// Months after which talent-pool consent must be renewed; `None`: never asked.
    pub reconsent_months: Option<i64>,
    /// Days a renewal email waits for an answer before the person leaves the pool.
    pub grace_days: i64,
    /// Talent-pool members a run now would email to renew.
    pub reconsent_total: usize,
    /// Those whose renewal email went unanswered: a run now takes them out of the pool.
    pub lapsing_total: usize,
    pub regions: Vec<RegionPolicy>,
    pub runs: Vec<RetentionRun>,
}

/// A region's own policy: the countries it covers and its periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionPolicy {
    pub key: String,
    pub name: String,
    pub countries: Vec<String>,
    pub closed_applicants_months: Option<i64>,
    pub reconsent_months: Option<i64>,
    pub grace_days: i64,
    pub preview_total: usize,
    pub reconsent_total: usize,
    pub lapsing_total: usize,
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
    /// The region's name (None: everywhere else).
    pub region: Option<String>,
    pub months: Option<i64>,
    pub erased: i64,
    pub asked: i64,
    pub lapsed: i64,
}

impl RetentionRun {
    /// "erased 2 (after 12 months), asked 5 to renew, 1 lapsed".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.erased > 0 {
            parts.push(match self.months {
                Some(m) => format!("erased {} (after {m} months)", self.erased),
                None => format!("erased {}", self.erased),
            });
        }
        if self.asked > 0 {
            parts.push(format!("asked {} to renew their consent", self.asked));
        }
        if self.lapsed > 0 {
            parts.push(format!("{} left the talent pool (no answer)", self.lapsed));
        }
        parts.join(", ")
    }
}

/// The country a location names: its last comma-separated part ("Berlin, Germany" → "germany").
pub fn country_of(location: &str) -> String {
    location
        .rsplit(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase()
}

/// A region's countries as typed ("Germany, France; Spain"): lower case, each once.
pub fn parse_countries(value: &str) -> Result<Vec<String>, &'static str> {
    let mut out: Vec<String> = Vec::new();
    for c in value.split([',', ';', '\n']) {
        let c = c.trim().to_lowercase();
        if c.is_empty() {
            continue;
        }
        if c.chars().count() > 60 {
            return Err("Name each country in 60 characters or fewer.");
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        return Err(
            "Name at least one country, as people's locations end (for example: Germany, France).",
        );
    }
    if out.len() > 100 {
        return Err("Name at most 100 countries.");
    }
    Ok(out)
}

/// Days a renewal email waits: 1 to 365 (empty: 30).
pub fn parse_grace_days(value: &str) -> Result<i64, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(30);
    }
    match v.parse::<i64>() {
        Ok(n) if (1..=365).contains(&n) => Ok(n),
        _ => Err("Enter a number of days from 1 to 365."),
    }
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
    fn regions_are_read_from_locations_and_forms() {
        assert_eq!(country_of("Berlin, Germany"), "germany");
        assert_eq!(country_of(" France "), "france");
        assert_eq!(country_of(""), "");
        assert_eq!(
            parse_countries("Germany, france;GERMANY\nSpain"),
            Ok(vec!["germany".into(), "france".into(), "spain".into()])
        );
        assert!(parse_countries(" , ").is_err());
        assert_eq!(parse_grace_days(""), Ok(30));
        assert_eq!(parse_grace_days("14"), Ok(14));
        assert!(parse_grace_days("0").is_err());
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

/// The privacy notice the public forms show: a short summary beside the form, the full text at
/// `/privacy`, and the words of the separate talent-pool checkbox. Every save publishes a new
/// version; what a person saw is recorded with their consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacyNotice {
    pub version: i64,
    pub summary: String,
    pub body: String,
    pub pool_wording: String,
    pub published_at: String,
    pub author_name: String,
}

/// Lengths a notice's parts may have.
pub const NOTICE_SUMMARY_MAX: usize = 600;
pub const NOTICE_BODY_MAX: usize = 20_000;
pub const NOTICE_WORDING_MAX: usize = 300;

/// A notice's three texts, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeText {
    pub summary: String,
    pub body: String,
    pub pool_wording: String,
}

/// A notice an admin typed, checked: every part present and within its length.
pub fn check_notice(
    summary: &str,
    body: &str,
    pool_wording: &str,
) -> Result<NoticeText, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let mut part = |field: &'static str, text: &str, max: usize, what: &str| {
        let t = text.trim().replace("\r\n", "\n");
        if t.is_empty() {
            errors.push((field, format!("Write the {what}.")));
        } else if t.chars().count() > max {
            errors.push((
                field,
                format!("Keep the {what} to {max} characters or fewer."),
            ));
        }
        t
    };
    let s = part("summary", summary, NOTICE_SUMMARY_MAX, "summary");
    let b = part("body", body, NOTICE_BODY_MAX, "full notice");
    let w = part(
        "pool_wording",
        pool_wording,
        NOTICE_WORDING_MAX,
        "talent-pool question",
    );
    if errors.is_empty() {
        Ok(NoticeText {
            summary: s,
            body: b,
            pool_wording: w,
        })
    } else {
        Err(errors)
    }
}

/// The lawful basis on which a person may be contacted about roles they did not apply for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Basis {
    /// They agreed (talent-pool box, confirmed sign-up, privacy centre).
    Consent,
    /// A sourcer's legitimate interest in approaching a professional about a role; ends when
    /// they object (consent status `withdrawn`).
    LegitimateInterest,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Consent => "consent",
            Basis::LegitimateInterest => "legitimate_interest",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Basis::Consent => "consent",
            Basis::LegitimateInterest => "legitimate interest",
        }
    }
    /// Reads a stored basis. Bases typed as free text before they were a choice ("consent
    /// (double opt-in)", "Legitimate interest: met at a meetup") read by their first words.
    pub fn read(stored: Option<&str>) -> Option<Basis> {
        let s = stored?.trim().to_lowercase();
        if s.starts_with("legitimate") {
            Some(Basis::LegitimateInterest)
        } else if s.starts_with("consent") {
            Some(Basis::Consent)
        } else {
            None
        }
    }
}

/// May a nurture campaign write to someone with this consent status and basis? Only when they
/// agreed (status `granted`), or a sourcer holds a legitimate interest they did not object to.
/// An applicant who did not tick the talent-pool box, a sign-up never confirmed and anyone who
/// withdrew are not reached.
pub fn campaign_may_reach(consent_status: &str, basis: Option<&str>) -> bool {
    match consent_status {
        "withdrawn" => false,
        "granted" => true,
        _ => Basis::read(basis) == Some(Basis::LegitimateInterest),
    }
}

/// One line of a person's consent record, as staff and the person see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub at: String,
    /// "Talent pool" or "This application".
    pub purpose: String,
    pub basis: String,
    pub given: bool,
    pub notice_version: Option<i64>,
    pub wording: String,
    pub ip: Option<String>,
    /// "Application form", "Talent-community sign-up", "Privacy centre", "Staff: Riley", …
    pub source: String,
}

/// How a ledger entry's source reads.
pub fn consent_source_label(source: &str, by: Option<&str>) -> String {
    match (source, by) {
        ("apply_form", _) => "Application form".into(),
        ("talent_form", _) => "Talent-community sign-up, confirmed by email".into(),
        ("privacy_centre", _) => "Privacy centre".into(),
        ("referral", Some(b)) => format!("Referral by {b}"),
        ("import", Some(b)) => format!("Import by {b}"),
        ("staff", Some(b)) => format!("Set by {b}"),
        ("reconsent", _) => "Renewal email".into(),
        ("retention", _) => "Retention policy".into(),
        (other, _) => other.replace('_', " "),
    }
}

#[cfg(test)]
mod consent_tests {
    use super::*;

    #[test]
    fn old_free_text_bases_still_read() {
        assert_eq!(
            Basis::read(Some("consent (double opt-in)")),
            Some(Basis::Consent)
        );
        assert_eq!(
            Basis::read(Some("Legitimate interest: met at a meetup")),
            Some(Basis::LegitimateInterest)
        );
        assert_eq!(
            Basis::read(Some("legitimate_interest")),
            Some(Basis::LegitimateInterest)
        );
        assert_eq!(Basis::read(Some("asked nicely")), None);
        assert_eq!(Basis::read(None), None);
    }

    #[test]
    fn campaigns_reach_only_people_whose_basis_allows_it() {
        assert!(campaign_may_reach("granted", Some("consent")));
        assert!(campaign_may_reach("unknown", Some("legitimate_interest")));
        // An applicant who did not tick the box; an unconfirmed sign-up.
        assert!(!campaign_may_reach("unknown", None));
        assert!(!campaign_may_reach("pending", Some("consent")));
        // Withdrawal (or an objection) beats any basis.
        assert!(!campaign_may_reach(
            "withdrawn",
            Some("legitimate_interest")
        ));
        assert!(!campaign_may_reach("withdrawn", Some("consent")));
    }

    #[test]
    fn a_notice_needs_every_part_within_its_length() {
        let errs = check_notice(" ", &"x".repeat(NOTICE_BODY_MAX + 1), "Keep me").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["summary", "body"]);
        let ok = check_notice("We keep it.", "Full text\r\nline", "Keep me").unwrap();
        assert_eq!(ok.body, "Full text\nline");
    }
}
