//! Segment wire types and pure rules: a segment is a saved query over people.

use crate::error::{AppResult, Checks};
use crate::people::types::Member;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub members: i64,
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

    /// The conditions this definition puts on a `person` (bound as `$tags`, `$skills`,
    /// `$location`, `$sources`, `$cutoff` and `$min`), and the time `$cutoff` stands for at
    /// `now`. The stage reached is not among them: it needs the applications (the repository
    /// reads those). Stored definitions are read back leniently, so any shape must work here: a
    /// day count that is unreadable or out of range drops its condition instead of panicking.
    pub fn conditions(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> (Vec<&'static str>, Option<chrono::DateTime<chrono::Utc>>) {
        let mut c: Vec<&'static str> = Vec::new();
        if !self.tags.is_empty() {
            c.push("tags CONTAINSANY $tags");
        }
        if !self.skills.is_empty() {
            c.push("skills CONTAINSANY $skills");
        }
        if !self.location.is_empty() {
            c.push("string::contains(string::lowercase(location ?? ''), $location)");
        }
        if !self.sources.is_empty() {
            c.push("source IN $sources");
        }
        let days_ago = |n: &str| {
            n.parse::<i64>()
                .ok()
                .and_then(chrono::TimeDelta::try_days)
                .and_then(|d| now.checked_sub_signed(d))
        };
        let mut cutoff = None;
        match self.last_contacted.split_once(':') {
            Some(("over", n)) => {
                cutoff = days_ago(n);
                if cutoff.is_some() {
                    c.push("(last_contacted_at = NONE OR last_contacted_at < $cutoff)");
                }
            }
            Some(("within", n)) => {
                cutoff = days_ago(n);
                if cutoff.is_some() {
                    c.push("last_contacted_at >= $cutoff");
                }
            }
            _ if self.last_contacted == "never" => c.push("last_contacted_at = NONE"),
            _ => {}
        }
        if self.min_engagement.is_some() {
            c.push("engagement_score >= $min");
        }
        match self.consent.as_str() {
            "granted" => c.push("consent_status = 'granted'"),
            "not_withdrawn" => c.push("consent_status != 'withdrawn'"),
            _ => {}
        }
        (c, cutoff)
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

/// A segment and who is in it now (`id` None: a new one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentDetail {
    pub id: Option<String>,
    pub name: String,
    pub definition: SegmentDefinition,
    pub description: String,
    pub members: Vec<Member>,
    pub stages: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn conditions_follow_the_definition_and_survive_odd_stored_values() {
        let now = chrono::Utc::now();
        let d = SegmentDefinition {
            tags: vec!["rust".into()],
            last_contacted: "over:90".into(),
            consent: "granted".into(),
            ..Default::default()
        };
        let (c, cutoff) = d.conditions(now);
        assert_eq!(
            c,
            [
                "tags CONTAINSANY $tags",
                "(last_contacted_at = NONE OR last_contacted_at < $cutoff)",
                "consent_status = 'granted'"
            ]
        );
        assert_eq!(cutoff, Some(now - chrono::TimeDelta::days(90)));
        assert_eq!(SegmentDefinition::default().conditions(now), (vec![], None));
        // Stored by hand or by an older version: out of range or unreadable, no condition.
        for odd in [
            "over:99999999999999999",
            "within:-99999999999999",
            "over:x",
            "over:",
        ] {
            let d = SegmentDefinition {
                last_contacted: odd.into(),
                ..Default::default()
            };
            assert_eq!(d.conditions(now), (vec![], None), "{odd}");
        }
    }
}
