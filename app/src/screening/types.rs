//! Explainable screening: a job's criteria, each application's result per criterion with the
//! evidence quoted, the overrides recruiters keep, and the score. Shared by the server and
//! the browser; the rules here are pure and unit-tested.

use serde::{Deserialize, Serialize};

/// What a criterion checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A skill named in the resume or the profile ("Rust", "Kubernetes or k8s").
    Skill,
    /// At least N years of a skill or title.
    Years,
    /// Where the candidate is, or says they will work from.
    Location,
    /// A spoken language.
    Language,
    /// A yes/no question on the application form (work authorisation, notice period, …).
    Question,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Skill,
        Kind::Years,
        Kind::Location,
        Kind::Language,
        Kind::Question,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Skill => "skill",
            Kind::Years => "years",
            Kind::Location => "location",
            Kind::Language => "language",
            Kind::Question => "question",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Skill => "Skill",
            Kind::Years => "Years of experience",
            Kind::Location => "Location",
            Kind::Language => "Language",
            Kind::Question => "Question on the application form",
        }
    }
}

/// One of a job's criteria.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub kind: Kind,
    /// The skill, title, places, language, or the question asked.
    pub term: String,
    /// Years criteria: the minimum.
    pub years: Option<u32>,
    /// A must-have (a "Not met" fails the screen); otherwise a nice-to-have.
    pub required: bool,
    /// Questions: the answer that meets it (true: Yes).
    pub answer: Option<bool>,
}

impl Criterion {
    /// What it asks, in a sentence ("At least 5 years of Rust").
    pub fn describe(&self) -> String {
        match self.kind {
            Kind::Skill => self.term.clone(),
            Kind::Years => format!(
                "At least {} year{} of {}",
                self.years.unwrap_or(1),
                if self.years == Some(1) { "" } else { "s" },
                self.term
            ),
            Kind::Location => format!("Based in {}", self.term),
            Kind::Language => format!("Speaks {}", self.term),
            Kind::Question => format!(
                "“{}” answered {}",
                self.term,
                if self.answer == Some(false) {
                    "No"
                } else {
                    "Yes"
                }
            ),
        }
    }

    /// Points: a must-have counts twice.
    pub fn weight(&self) -> u32 {
        if self.required { 2 } else { 1 }
    }
}

/// A criterion as entered, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCriterion {
    pub kind: Kind,
    pub term: String,
    pub years: Option<u32>,
    pub required: bool,
    pub answer: Option<bool>,
}

/// At most this many criteria per job (the list stays something a person reads).
pub const MAX_CRITERIA: usize = 20;

/// Checks a criterion from the form: Err((field, message)).
pub fn check_criterion(
    kind: &str,
    term: &str,
    years: &str,
    required: bool,
    answer: &str,
) -> Result<NewCriterion, (&'static str, &'static str)> {
    let kind = Kind::parse(kind).ok_or(("kind", "Choose what the criterion checks."))?;
    let term = term.split_whitespace().collect::<Vec<_>>().join(" ");
    if term.is_empty() {
        return Err((
            "term",
            match kind {
                Kind::Question => "Write the question candidates answer.",
                Kind::Location => "Name the places (e.g. “Germany or Portugal”).",
                _ => "Name the skill, title or language.",
            },
        ));
    }
    if term.chars().count() > 200 {
        return Err(("term", "Keep it under 200 characters."));
    }
    let years = match kind {
        Kind::Years => Some(
            years
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|y| (1..=40).contains(y))
                .ok_or(("years", "Give the minimum years, from 1 to 40."))?,
        ),
        _ => None,
    };
    let answer = match kind {
        Kind::Question => Some(match answer.trim() {
            "yes" => true,
            "no" => false,
            _ => return Err(("answer", "Choose the answer that meets the criterion.")),
        }),
        _ => None,
    };
    Ok(NewCriterion {
        kind,
        term,
        years,
        required,
        answer,
    })
}

/// A criterion's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    NotMet,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not_met",
            Verdict::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Verdict::Met, Verdict::NotMet, Verdict::Unknown]
            .into_iter()
            .find(|v| v.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "Met",
            Verdict::NotMet => "Not met",
            Verdict::Unknown => "Unknown",
        }
    }

    /// A short mark for tables (with the label beside it for screen readers).
    pub fn mark(self) -> &'static str {
        match self {
            Verdict::Met => "✓",
            Verdict::NotMet => "✗",
            Verdict::Unknown => "?",
        }
    }
}

/// What reading the application found for one criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub verdict: Verdict,
    /// The sentence it was read from, quoted (or what the application said).
    pub evidence: Option<String>,
    /// Where: `resume`, `profile`, `application`, or `none` (nothing to read).
    pub source: String,
}

impl Finding {
    pub fn new(verdict: Verdict, evidence: Option<String>, source: &str) -> Self {
        Self {
            verdict,
            evidence,
            source: source.into(),
        }
    }

    /// Why there is no quote, when there is none.
    pub fn explanation(&self) -> Option<&'static str> {
        if self.evidence.is_some() {
            return None;
        }
        Some(match (self.verdict, self.source.as_str()) {
            (Verdict::NotMet, "resume") => "Not found in the resume or the profile's skills.",
            (Verdict::Unknown, "resume") => {
                "Not mentioned in the resume (often left off, so this is not held against anyone)."
            }
            (_, "unanswered") => {
                "Not answered on the application (sourced, imported, or skipped): ask them."
            }
            (_, "none") => "Nothing to read yet: no resume text, location or answer.",
            _ => "No evidence.",
        })
    }
}

/// A recruiter's decision on one criterion, kept over every later re-reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub verdict: Verdict,
    pub note: String,
    pub by: String,
    pub at: String,
}

/// One criterion's result for an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub criterion: Criterion,
    pub found: Finding,
    pub overridden: Option<Override>,
}

impl CriterionResult {
    /// The verdict that counts: the recruiter's when they overrode it.
    pub fn verdict(&self) -> Verdict {
        self.overridden
            .as_ref()
            .map_or(self.found.verdict, |o| o.verdict)
    }
}

/// An application's score: points of the criteria met, of those possible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Score {
    pub points: u32,
    pub possible: u32,
    /// No must-have is "Not met" (unknowns do not fail anyone).
    pub passed: bool,
    pub unknown: u32,
}

impl Score {
    pub fn percent(&self) -> u32 {
        (self.points * 100 + self.possible / 2)
            .checked_div(self.possible)
            .unwrap_or(0)
    }

    /// "7/9 · passes", for cards and lists.
    pub fn label(&self) -> String {
        format!(
            "{}/{} · {}",
            self.points,
            self.possible,
            if self.passed {
                "passes"
            } else {
                "misses a must-have"
            }
        )
    }
}

/// Scores results: a met criterion earns its weight; unknowns earn nothing and fail no one.
pub fn score(results: &[CriterionResult]) -> Score {
    let mut s = Score {
        passed: true,
        ..Score::default()
    };
    for r in results {
        let w = r.criterion.weight();
        s.possible += w;
        match r.verdict() {
            Verdict::Met => s.points += w,
            Verdict::NotMet if r.criterion.required => s.passed = false,
            Verdict::NotMet => {}
            Verdict::Unknown => s.unknown += 1,
        }
    }
    s
}

/// An application's screening, for its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationScreening {
    pub application_id: String,
    pub job_id: String,
    pub results: Vec<CriterionResult>,
    pub score: Option<Score>,
    /// When the application was last read against the criteria.
    pub read_at: Option<String>,
    /// Recruiters and admins override; hiring managers read.
    pub can_override: bool,
    /// Anonymised review: quotes have names, contacts and links taken out.
    pub masked: bool,
}

/// One application in a job's screening list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScreeningLine {
    pub application_id: String,
    pub person_id: String,
    pub name: String,
    pub stage_name: String,
    pub status: String,
    pub applied_at: String,
    pub score: Option<Score>,
    /// The verdict per criterion, in the criteria's order.
    pub marks: Vec<Verdict>,
}

/// A job's screening page: its criteria and its applications, ranked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobScreening {
    pub job_id: String,
    pub job_title: String,
    pub criteria: Vec<Criterion>,
    pub lines: Vec<ScreeningLine>,
    pub can_edit: bool,
}

/// The list's filter and order (from the query string).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilter {
    /// `passed`, `failed` or empty (all).
    pub only: String,
    /// A criterion id: only applications that meet it.
    pub meets: String,
    /// `score` (best first, the default) or `applied` (newest first).
    pub sort: String,
    /// Include rejected and withdrawn applications.
    pub closed: bool,
}

impl ListFilter {
    pub fn admits(&self, l: &ScreeningLine, criteria: &[Criterion]) -> bool {
        let passed = l.score.is_some_and(|s| s.passed);
        (self.closed || l.status == "active")
            && match self.only.as_str() {
                "passed" => passed,
                "failed" => l.score.is_some() && !passed,
                _ => true,
            }
            && (self.meets.is_empty()
                || criteria
                    .iter()
                    .position(|c| c.id == self.meets)
                    .is_some_and(|i| l.marks.get(i) == Some(&Verdict::Met)))
    }

    /// Filters and orders `lines` in place.
    pub fn apply(&self, lines: &mut Vec<ScreeningLine>, criteria: &[Criterion]) {
        lines.retain(|l| self.admits(l, criteria));
        if self.sort == "applied" {
            lines.sort_by(|a, b| b.applied_at.cmp(&a.applied_at));
        } else {
            sort_by_score(lines, |l| l.score);
        }
    }
}

/// Best first: passes before misses, then points, then fewest unknowns; unread last.
pub fn sort_by_score<T>(items: &mut [T], score: impl Fn(&T) -> Option<Score>) {
    items.sort_by_key(|i| {
        let s = score(i);
        (
            s.is_none(),
            std::cmp::Reverse(s.map(|s| (s.passed, s.percent())).unwrap_or_default()),
            s.map(|s| s.unknown).unwrap_or_default(),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(required: bool, found: Verdict, over: Option<Verdict>) -> CriterionResult {
        CriterionResult {
            criterion: Criterion {
                id: "c".into(),
                kind: Kind::Skill,
                term: "Rust".into(),
                years: None,
                required,
                answer: None,
            },
            found: Finding::new(found, None, "resume"),
            overridden: over.map(|verdict| Override {
                verdict,
                note: String::new(),
                by: "Rita".into(),
                at: String::new(),
            }),
        }
    }

    #[test]
    fn must_haves_count_twice_and_a_missed_one_fails_the_screen() {
        let s = score(&[
            result(true, Verdict::Met, None),
            result(false, Verdict::Met, None),
            result(false, Verdict::NotMet, None),
        ]);
        assert_eq!((s.points, s.possible, s.passed), (3, 4, true));
        assert_eq!(s.percent(), 75);
        let s = score(&[
            result(true, Verdict::NotMet, None),
            result(false, Verdict::Met, None),
        ]);
        assert_eq!((s.points, s.possible, s.passed), (1, 3, false));
    }

    #[test]
    fn unknowns_earn_nothing_and_fail_no_one() {
        let s = score(&[result(true, Verdict::Unknown, None)]);
        assert_eq!((s.points, s.possible, s.passed, s.unknown), (0, 2, true, 1));
    }

    #[test]
    fn an_override_wins_over_the_reading() {
        let r = result(true, Verdict::NotMet, Some(Verdict::Met));
        assert_eq!(r.verdict(), Verdict::Met);
        let s = score(&[r]);
        assert!(s.passed);
        assert_eq!(s.points, 2);
    }

    #[test]
    fn no_criteria_score_nothing_and_pass() {
        let s = score(&[]);
        assert_eq!((s.possible, s.percent(), s.passed), (0, 0, true));
    }

    #[test]
    fn criteria_are_checked_per_kind() {
        assert_eq!(
            check_criterion("years", " Rust ", "5", true, ""),
            Ok(NewCriterion {
                kind: Kind::Years,
                term: "Rust".into(),
                years: Some(5),
                required: true,
                answer: None
            })
        );
        assert_eq!(
            check_criterion("years", "Rust", "0", true, "")
                .unwrap_err()
                .0,
            "years"
        );
        assert_eq!(
            check_criterion("skill", "  ", "", true, "").unwrap_err().0,
            "term"
        );
        assert_eq!(
            check_criterion("nope", "Rust", "", true, "").unwrap_err().0,
            "kind"
        );
        assert_eq!(
            check_criterion("question", "EU work permit?", "", true, "")
                .unwrap_err()
                .0,
            "answer"
        );
        let q = check_criterion("question", "EU work permit?", "", true, "no").unwrap();
        assert_eq!(q.answer, Some(false));
        assert_eq!(
            check_criterion("skill", &"x".repeat(201), "", false, "")
                .unwrap_err()
                .0,
            "term"
        );
    }

    #[test]
    fn descriptions_read_as_sentences() {
        let mut c = result(true, Verdict::Met, None).criterion;
        c.kind = Kind::Years;
        c.years = Some(1);
        assert_eq!(c.describe(), "At least 1 year of Rust");
        c.years = Some(5);
        assert_eq!(c.describe(), "At least 5 years of Rust");
        c.kind = Kind::Question;
        c.term = "Can you start within 3 months?".into();
        c.answer = Some(true);
        assert_eq!(
            c.describe(),
            "“Can you start within 3 months?” answered Yes"
        );
    }

    fn line(id: &str, score: Option<Score>, status: &str, marks: Vec<Verdict>) -> ScreeningLine {
        ScreeningLine {
            application_id: id.into(),
            person_id: id.into(),
            name: id.into(),
            stage_name: String::new(),
            status: status.into(),
            applied_at: id.into(),
            score,
            marks,
        }
    }

    #[test]
    fn lists_rank_passes_first_then_points_and_filter_by_criterion() {
        let s = |points, passed| {
            Some(Score {
                points,
                possible: 4,
                passed,
                unknown: 0,
            })
        };
        let criteria = vec![result(true, Verdict::Met, None).criterion];
        let mut lines = vec![
            line("a", s(4, false), "active", vec![Verdict::NotMet]),
            line("b", None, "active", vec![]),
            line("c", s(2, true), "active", vec![Verdict::Met]),
            line("d", s(3, true), "rejected", vec![Verdict::Met]),
            line("e", s(3, true), "active", vec![Verdict::Met]),
        ];
        let mut all = lines.clone();
        ListFilter::default().apply(&mut all, &criteria);
        let ids: Vec<_> = all.iter().map(|l| l.application_id.as_str()).collect();
        assert_eq!(ids, ["e", "c", "a", "b"]);
        let f = ListFilter {
            only: "failed".into(),
            ..Default::default()
        };
        let mut failed = lines.clone();
        f.apply(&mut failed, &criteria);
        assert_eq!(failed.len(), 1);
        let f = ListFilter {
            meets: "c".into(),
            closed: true,
            sort: "applied".into(),
            ..Default::default()
        };
        f.apply(&mut lines, &criteria);
        let ids: Vec<_> = lines.iter().map(|l| l.application_id.as_str()).collect();
        assert_eq!(ids, ["e", "d", "c"]);
    }
}
