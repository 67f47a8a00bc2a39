//! CRM wire types and pure rules: pools, segments, duplicates, consent, imports.

use crate::error::{AppResult, Checks};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub members: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub members: i64,
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

/// A saved query over people. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentDefinition {
    /// People with any of these tags.
    pub tags: Vec<String>,
    /// People with any of these skills.
    pub skills: Vec<String>,
    /// Location contains this text.
    pub location: String,
    /// People from any of these sources.
    pub sources: Vec<String>,
    /// `never`, `over:N` (not contacted in N days) or `within:N`.
    pub last_contacted: String,
    pub min_engagement: Option<i64>,
    /// A stage id: people with an application that is at (or beyond) it.
    pub stage_reached: String,
    /// `granted` (only people who opted in) or `not_withdrawn`.
    pub consent: String,
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// The segment form as typed: comma-separated lists and free text.
#[derive(Clone, Copy, Debug, Default)]
pub struct SegmentForm<'a> {
    pub tags: &'a str,
    pub skills: &'a str,
    pub location: &'a str,
    pub sources: &'a str,
    pub last_contacted: &'a str,
    pub contacted_days: &'a str,
    pub min_engagement: &'a str,
    pub stage_reached: &'a str,
    pub consent: &'a str,
}

impl SegmentDefinition {
    /// From the segment form, with every field's mistake reported at once.
    pub fn parse(f: &SegmentForm) -> AppResult<Self> {
        let SegmentForm {
            tags,
            skills,
            location,
            sources,
            last_contacted,
            contacted_days,
            min_engagement,
            stage_reached,
            consent,
        } = *f;
        let mut c = Checks::new();
        let tags: Vec<String> = list(tags)
            .iter()
            .filter_map(|t| {
                c.check(
                    "tags",
                    crate::domain::Tag::parse(t).map(|t| t.as_str().to_string()),
                )
            })
            .collect();
        let days = contacted_days.trim();
        let last_contacted = match last_contacted {
            "" | "any" => String::new(),
            "never" => "never".into(),
            kind @ ("over" | "within") => match days.parse::<u32>() {
                Ok(n) if (1..=3650).contains(&n) => format!("{kind}:{n}"),
                _ => {
                    c.add("contacted_days", "Enter a number of days, like 90.");
                    String::new()
                }
            },
            _ => {
                c.add("last_contacted", "Choose when they were last contacted.");
                String::new()
            }
        };
        let min_engagement = if min_engagement.trim().is_empty() {
            None
        } else {
            c.check(
                "min_engagement",
                min_engagement
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| "Enter a whole number.".to_string()),
            )
        };
        let consent = match consent {
            "" | "any" => String::new(),
            "granted" | "not_withdrawn" => consent.to_string(),
            _ => {
                c.add("consent", "Choose a consent rule.");
                String::new()
            }
        };
        c.finish()?;
        Ok(Self {
            tags,
            skills: list(skills),
            location: location.trim().to_string(),
            sources: list(sources),
            last_contacted,
            min_engagement,
            stage_reached: stage_reached.trim().to_string(),
            consent,
        })
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// "Tagged rust-meetup-2026 · skills Rust, Go · not contacted in 90 days"
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.tags.is_empty() {
            parts.push(format!("tagged {}", self.tags.join(" or ")));
        }
        if !self.skills.is_empty() {
            parts.push(format!("skills {}", self.skills.join(" or ")));
        }
        if !self.location.is_empty() {
            parts.push(format!("in {}", self.location));
        }
        if !self.sources.is_empty() {
            parts.push(format!("from {}", self.sources.join(" or ")));
        }
        match self.last_contacted.split_once(':') {
            Some(("over", n)) => parts.push(format!("not contacted in {n} days")),
            Some(("within", n)) => parts.push(format!("contacted in the last {n} days")),
            _ if self.last_contacted == "never" => parts.push("never contacted".into()),
            _ => {}
        }
        if let Some(e) = self.min_engagement {
            parts.push(format!("engagement ≥ {e}"));
        }
        if !self.stage_reached.is_empty() {
            parts.push(format!("reached {}", self.stage_reached.replace('_', " ")));
        }
        match self.consent.as_str() {
            "granted" => parts.push("opted in".into()),
            "not_withdrawn" => parts.push("consent not withdrawn".into()),
            _ => {}
        }
        if parts.is_empty() {
            "Everyone".into()
        } else {
            parts.join(" · ")
        }
    }
}

/// Two records that may be the same human.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicatePair {
    pub a: Member,
    pub b: Member,
    /// 0–100.
    pub confidence: u32,
    pub reasons: Vec<String>,
}

/// Jaro-Winkler similarity of two strings (0.0–1.0).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = vec![false; a.len()];
    let mut b_match = vec![false; b.len()];
    let mut matches = 0.0;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && a[i] == b[j] {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1.0;
                break;
            }
        }
    }
    if matches == 0.0 {
        return 0.0;
    }
    let a_m: Vec<char> = a
        .iter()
        .zip(&a_match)
        .filter(|(_, m)| **m)
        .map(|(c, _)| *c)
        .collect();
    let b_m: Vec<char> = b
        .iter()
        .zip(&b_match)
        .filter(|(_, m)| **m)
        .map(|(c, _)| *c)
        .collect();
    let transpositions = a_m.iter().zip(&b_m).filter(|(x, y)| x != y).count() as f64 / 2.0;
    let jaro = (matches / a.len() as f64
        + matches / b.len() as f64
        + (matches - transpositions) / matches)
        / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

fn normalize_name(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Digits (and a leading +) of a phone number, for comparing.
pub fn phone_key(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// `linkedin.com/in/name` from any spelling of a LinkedIn profile URL.
pub fn linkedin_key(url: &str) -> Option<String> {
    let u = url.trim().to_lowercase();
    let i = u.find("linkedin.com/in/")?;
    let rest = &u[i + "linkedin.com/in/".len()..];
    let handle: String = rest
        .chars()
        .take_while(|c| *c != '/' && *c != '?' && *c != '#')
        .collect();
    (!handle.is_empty()).then(|| format!("linkedin.com/in/{handle}"))
}

/// What two records share, and how sure we are they are one person.
pub struct Evidence<'a> {
    pub email_a: &'a str,
    pub email_b: &'a str,
    pub phone_a: Option<&'a str>,
    pub phone_b: Option<&'a str>,
    pub linkedin_a: Option<&'a str>,
    pub linkedin_b: Option<&'a str>,
    pub name_a: &'a str,
    pub name_b: &'a str,
}

/// Confidence 0–100 with the reasons, or None when they look like different people.
pub fn duplicate_confidence(e: &Evidence) -> Option<(u32, Vec<String>)> {
    let mut score: u32 = 0;
    let mut reasons = Vec::new();
    if !e.email_a.is_empty() && e.email_a.eq_ignore_ascii_case(e.email_b) {
        score += 95;
        reasons.push("same email".into());
    } else {
        let local = |s: &str| {
            s.split('@')
                .next()
                .unwrap_or("")
                .replace(['.', '_', '-'], "")
        };
        if local(e.email_a).len() >= 5 && local(e.email_a) == local(e.email_b) {
            score += 25;
            reasons.push("similar email".into());
        }
    }
    if let (Some(a), Some(b)) = (e.phone_a, e.phone_b)
        && phone_key(a).len() >= 7
        && phone_key(a).trim_start_matches('+') == phone_key(b).trim_start_matches('+')
    {
        score += 60;
        reasons.push("same phone".into());
    }
    if let (Some(a), Some(b)) = (e.linkedin_a, e.linkedin_b)
        && a == b
    {
        score += 80;
        reasons.push("same LinkedIn profile".into());
    }
    let (na, nb) = (normalize_name(e.name_a), normalize_name(e.name_b));
    let sim = jaro_winkler(&na, &nb);
    if na == nb && !na.is_empty() {
        score += 40;
        reasons.push("same name".into());
    } else if sim >= 0.92 {
        score += 30;
        reasons.push(format!("similar name ({:.0}% alike)", sim * 100.0));
    }
    (score >= 30 && !reasons.is_empty()).then(|| (score.min(100), reasons))
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

/// Fields of a person that a CSV column can fill.
pub const IMPORT_FIELDS: [(&str, &str); 11] = [
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
        "title" | "headline" | "position" | "current title" => "headline",
        "skills" | "skill" => "skills",
        "tags" | "tag" | "labels" => "tags",
        "linkedin" | "linkedin url" | "linkedin profile" => "linkedin",
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: String,
    pub filename: String,
    pub status: String,
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
    pub errors: Vec<RowError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_scores_close_names_high() {
        assert!(jaro_winkler("martha", "marhta") > 0.95);
        assert!(jaro_winkler("jon smith", "john smith") > 0.92);
        assert!(jaro_winkler("ada lovelace", "grace hopper") < 0.7);
        assert_eq!(jaro_winkler("", ""), 1.0);
    }

    #[test]
    fn duplicates_need_real_evidence() {
        let base = Evidence {
            email_a: "ada@x.org",
            email_b: "ada.l@y.org",
            phone_a: Some("+44 20 7946 0000"),
            phone_b: Some("+44 (20) 7946-0000"),
            linkedin_a: None,
            linkedin_b: None,
            name_a: "Ada Lovelace",
            name_b: "Ada Lovelace",
        };
        let (score, reasons) = duplicate_confidence(&base).unwrap();
        assert_eq!(score, 100);
        assert_eq!(reasons, ["same phone", "same name"]);
        let names_only = Evidence {
            phone_a: None,
            phone_b: None,
            name_b: "Ada Lovelase",
            ..base
        };
        let (score, _) = duplicate_confidence(&names_only).unwrap();
        assert!((30..60).contains(&score), "{score}");
        let strangers = Evidence {
            phone_a: None,
            phone_b: None,
            name_b: "Grace Hopper",
            ..base
        };
        assert!(duplicate_confidence(&strangers).is_none());
    }

    #[test]
    fn keys_normalise_phones_and_linkedin() {
        assert_eq!(phone_key("+44 (20) 7946-0000"), "+442079460000");
        assert_eq!(
            linkedin_key("https://www.LinkedIn.com/in/ada-lovelace/?trk=x").as_deref(),
            Some("linkedin.com/in/ada-lovelace")
        );
        assert_eq!(linkedin_key("https://github.com/ada"), None);
    }

    #[test]
    fn segments_parse_and_describe() {
        let d = SegmentDefinition::parse(&SegmentForm {
            tags: "Rust Meetup, past-applicant",
            skills: "Rust, Go",
            location: "Berlin",
            sources: "event",
            last_contacted: "over",
            contacted_days: "90",
            min_engagement: "5",
            stage_reached: "interview",
            consent: "granted",
        })
        .unwrap();
        assert_eq!(d.tags, ["rust-meetup", "past-applicant"]);
        assert_eq!(d.last_contacted, "over:90");
        assert_eq!(
            d.describe(),
            "tagged rust-meetup or past-applicant · skills Rust or Go · in Berlin · from event · not contacted in 90 days · engagement ≥ 5 · reached interview · opted in"
        );
        let e = SegmentDefinition::parse(&SegmentForm {
            last_contacted: "over",
            contacted_days: "x",
            min_engagement: "lots",
            consent: "maybe",
            ..Default::default()
        })
        .unwrap_err();
        for f in ["contacted_days", "min_engagement", "consent"] {
            assert!(e.field_message(f).is_some(), "{f}");
        }
    }

    #[test]
    fn headers_are_guessed() {
        assert_eq!(guess_field("E-mail"), "email");
        assert_eq!(guess_field("Full Name"), "full_name");
        assert_eq!(guess_field("Favourite colour"), "");
    }
}
