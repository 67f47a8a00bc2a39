//! Hiring reports on the wire: what one page of reports shows for a set of filters.

use serde::{Deserialize, Serialize};

/// The filters of the reports page (and of its CSV downloads), as the page's GET form sends
/// them: empty means "any". Dates are `YYYY-MM-DD`; the period is the days the applications
/// arrived in, both ends included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub job: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The self-identification question the adverse-impact check groups by (`SELF_ID` names).
    #[serde(default)]
    pub group_by: String,
}

impl ReportQuery {
    /// The query string that repeats these filters (for the CSV links).
    pub fn to_query_string(&self) -> String {
        [
            ("job", &self.job),
            ("department", &self.department),
            ("source", &self.source),
            ("from", &self.from),
            ("to", &self.to),
            ("group_by", &self.group_by),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::components::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// A spread of durations in days.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub median: f64,
    pub p75: f64,
    /// How many durations it is made of.
    pub n: usize,
}

/// One stage of the funnel. Across several jobs, stages are matched by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelRow {
    pub name: String,
    /// The stage's id when one job is chosen (links to the people in it).
    pub stage_id: Option<String>,
    /// Applications of the period that got this far (or further: a skipped stage counts).
    pub reached: i64,
    /// `reached` as a share of the stage before (`None` for the first).
    pub conversion: Option<f64>,
    /// Days from applying to reaching this stage.
    pub days_to_reach: Option<Spread>,
    /// Days spent in this stage by those who left it (moved on, back, or out).
    pub days_in_stage: Option<Spread>,
    /// In this stage now, still in process.
    pub now_in_stage: i64,
    /// Ended here: turned down, and withdrawn by the candidate.
    pub rejected: i64,
    pub withdrawn: i64,
    /// The most common rejection reasons here, most frequent first.
    pub reasons: Vec<(String, i64)>,
}

/// Hires per month of hire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    /// `YYYY-MM`
    pub month: String,
    pub hires: i64,
    pub days_to_hire: Option<Spread>,
}

/// Where applications came from and what became of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceRow {
    pub source: String,
    pub label: String,
    pub applications: i64,
    /// Moved past the first stage.
    pub advanced: i64,
    pub offers: i64,
    pub hires: i64,
    /// Hires of people a nurture campaign had written to before they applied.
    pub warmed_hires: i64,
}

impl SourceRow {
    pub fn hire_rate(&self) -> Option<f64> {
        (self.applications > 0).then(|| self.hires as f64 / self.applications as f64)
    }
}

/// Offers of the period's applications, by their latest version.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OfferCounts {
    pub made: i64,
    pub accepted: i64,
    pub declined: i64,
}

impl OfferCounts {
    /// Accepted of those the candidates answered.
    pub fn acceptance(&self) -> Option<f64> {
        let answered = self.accepted + self.declined;
        (answered > 0).then(|| self.accepted as f64 / answered as f64)
    }
}

/// The choices of the filter form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// `(id, title)` of the jobs the caller may report on.
    pub jobs: Vec<(String, String)>,
    pub departments: Vec<String>,
    /// `(source, label)`
    pub sources: Vec<(String, String)>,
}

/// The answer of a candidate who did not answer a self-identification question.
pub const DECLINED: &str = "declined";

/// One voluntary self-identification question of the application form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SelfIdQuestion {
    /// The form field, and the adverse-impact report's `group_by`.
    pub name: &'static str,
    pub label: &'static str,
    /// `(value, label)`; "I decline to answer" comes on top of these.
    pub options: &'static [(&'static str, &'static str)],
}

/// The questions (the EEO-1 categories for race and ethnicity), each optional.
pub const SELF_ID: [SelfIdQuestion; 4] = [
    SelfIdQuestion {
        name: "gender",
        label: "Gender",
        options: &[
            ("female", "Female"),
            ("male", "Male"),
            ("non_binary", "Non-binary"),
        ],
    },
    SelfIdQuestion {
        name: "ethnicity",
        label: "Race or ethnicity",
        options: &[
            ("hispanic", "Hispanic or Latino"),
            ("white", "White"),
            ("black", "Black or African American"),
            ("pacific", "Native Hawaiian or Other Pacific Islander"),
            ("asian", "Asian"),
            ("native", "American Indian or Alaska Native"),
            ("two_or_more", "Two or more races"),
        ],
    },
    SelfIdQuestion {
        name: "veteran",
        label: "Veteran status",
        options: &[
            ("protected", "I am a protected veteran"),
            ("not_protected", "I am not a protected veteran"),
        ],
    },
    SelfIdQuestion {
        name: "disability",
        label: "Disability",
        options: &[
            ("yes", "Yes, I have a disability (or had one)"),
            ("no", "No, I do not have a disability"),
        ],
    },
];

/// The question named `name` (the first when unknown).
pub fn self_id_question(name: &str) -> SelfIdQuestion {
    SELF_ID
        .iter()
        .find(|q| q.name == name)
        .copied()
        .unwrap_or(SELF_ID[0])
}

/// A submitted answer as stored: one of the question's values, or [`DECLINED`].
pub fn self_id_answer(question: &str, value: &str) -> &'static str {
    SELF_ID
        .iter()
        .find(|q| q.name == question)
        .and_then(|q| q.options.iter().find(|(v, _)| *v == value.trim()))
        .map(|(v, _)| *v)
        .unwrap_or(DECLINED)
}

/// One group's selection at one step of the funnel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactRow {
    pub group: String,
    pub label: String,
    /// Reached the stage before.
    pub applicants: i64,
    /// Of those, reached this stage.
    pub selected: i64,
    pub rate: Option<f64>,
    /// The rate against the highest group's rate.
    pub ratio: Option<f64>,
    /// Under four fifths of the highest group's rate (only for groups large enough).
    pub flagged: bool,
    /// Fewer than [`MIN_GROUP`] applicants: shown, never judged.
    pub too_small: bool,
}

/// The groups compared at one step of the funnel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageImpact {
    pub from: String,
    pub to: String,
    pub rows: Vec<ImpactRow>,
}

/// The adverse-impact check of the report's applications, grouped by one question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdverseImpact {
    pub group_by: String,
    pub label: String,
    /// Applications whose candidate answered the question, and those who declined (or were
    /// never asked: sourced and imported people).
    pub answered: i64,
    pub declined: i64,
    pub stages: Vec<StageImpact>,
    /// The same check on the screening score's pass or fail, when applications were screened.
    #[serde(default)]
    pub screening: Option<StageImpact>,
}

/// Groups smaller than this are listed but never judged.
pub const MIN_GROUP: i64 = 5;
/// The four-fifths rule.
pub const FOUR_FIFTHS: f64 = 0.8;

/// Selection rates and impact ratios of `(group, label, applicants, selected)`: each group's
/// rate against the highest rate among groups large enough to judge.
pub fn impact_rows(groups: Vec<(String, String, i64, i64)>) -> Vec<ImpactRow> {
    let rate = |a: i64, s: i64| (a > 0).then(|| s as f64 / a as f64);
    let best = groups
        .iter()
        .filter(|(_, _, a, _)| *a >= MIN_GROUP)
        .filter_map(|(_, _, a, s)| rate(*a, *s))
        .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
    groups
        .into_iter()
        .map(|(group, label, applicants, selected)| {
            let r = rate(applicants, selected);
            let too_small = applicants < MIN_GROUP;
            let ratio = match (r, best) {
                (Some(r), Some(b)) if b > 0.0 => Some(r / b),
                _ => None,
            };
            ImpactRow {
                group,
                label,
                applicants,
                selected,
                rate: r,
                ratio,
                flagged: !too_small && ratio.is_some_and(|x| x < FOUR_FIFTHS),
                too_small,
            }
        })
        .collect()
}

/// The figures computed from a cohort of applications (see `compute::compute`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub applications: i64,
    pub hires: i64,
    pub time_to_hire: Option<Spread>,
    pub offers: OfferCounts,
    pub funnel: Vec<FunnelRow>,
    /// Stages were matched by name across several jobs.
    pub across_jobs: bool,
    pub hires_by_month: Vec<MonthRow>,
    pub sources: Vec<SourceRow>,
}

/// The few numbers at the top of the reports and on the staff home, for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// The period, as `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    pub applications: i64,
    pub hires: i64,
    pub time_to_hire: Option<Spread>,
    pub offers: OfferCounts,
}

impl Headline {
    pub fn of(f: &Figures, from: String, to: String) -> Self {
        Self {
            from,
            to,
            applications: f.applications,
            hires: f.hires,
            time_to_hire: f.time_to_hire,
            offers: f.offers,
        }
    }
}

/// Everything the reports page shows for one set of filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HiringReport {
    /// The filters as applied (the period filled in when it was left empty).
    pub query: ReportQuery,
    pub options: ReportOptions,
    /// Flattened: the figures are top-level fields on the wire.
    #[serde(flatten)]
    pub figures: Figures,
    /// The caller may open the people search (links from numbers to people).
    pub can_search: bool,
    /// The adverse-impact check (recruiters and admins only).
    pub impact: Option<AdverseImpact>,
}

impl HiringReport {
    pub fn headline(&self) -> Headline {
        Headline::of(
            &self.figures,
            self.query.from.clone(),
            self.query.to.clone(),
        )
    }
}

/// `0.423` → "42%".
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// `3.26` → "3.3 days"; less than a day is "under a day".
pub fn days(d: f64) -> String {
    if d < 1.0 {
        "under a day".into()
    } else if (d - 1.0).abs() < 0.05 {
        "1 day".into()
    } else if d < 10.0 {
        format!("{d:.1} days")
    } else {
        format!("{d:.0} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_days_read_as_people_say_them() {
        assert_eq!(percent(0.4249), "42%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(days(0.4), "under a day");
        assert_eq!(days(1.02), "1 day");
        assert_eq!(days(3.26), "3.3 days");
        assert_eq!(days(41.6), "42 days");
    }

    #[test]
    fn the_query_string_repeats_only_the_filters_set() {
        let q = ReportQuery {
            job: "rust-backend".into(),
            from: "2026-01-01".into(),
            ..Default::default()
        };
        assert_eq!(q.to_query_string(), "job=rust-backend&from=2026-01-01");
        assert_eq!(ReportQuery::default().to_query_string(), "");
    }

    fn group(g: &str, a: i64, s: i64) -> (String, String, i64, i64) {
        (g.into(), g.into(), a, s)
    }

    #[test]
    fn four_fifths_flags_a_low_rate_against_the_highest() {
        let rows = impact_rows(vec![
            group("a", 50, 25),
            group("b", 40, 12),
            group("c", 20, 9),
        ]);
        // a: 0.5 (the highest), b: 0.3 → 0.6 of it, flagged; c: 0.45 → 0.9, fine.
        assert_eq!(rows[0].ratio, Some(1.0));
        assert!((rows[1].ratio.unwrap() - 0.6).abs() < 1e-9);
        assert!(rows[1].flagged && !rows[0].flagged && !rows[2].flagged);
        assert!((rows[2].ratio.unwrap() - 0.9).abs() < 1e-9);
    }

    #[test]
    fn exactly_four_fifths_is_not_flagged() {
        let rows = impact_rows(vec![group("a", 10, 5), group("b", 10, 4)]);
        assert_eq!(rows[1].ratio, Some(0.8));
        assert!(!rows[1].flagged);
    }

    #[test]
    fn small_groups_are_shown_never_judged_nor_the_reference() {
        // "c" has the highest rate but only 3 applicants: the reference is "a".
        let rows = impact_rows(vec![
            group("a", 20, 10),
            group("b", 30, 6),
            group("c", 3, 3),
        ]);
        assert!(rows[2].too_small && !rows[2].flagged);
        assert_eq!(rows[2].ratio, Some(2.0));
        assert!(rows[1].flagged, "0.2 against 0.5");
        // Nobody large enough, or nobody selected: nothing to compare.
        let rows = impact_rows(vec![group("a", 4, 2), group("b", 2, 0)]);
        assert!(rows.iter().all(|r| r.ratio.is_none() && !r.flagged));
        let rows = impact_rows(vec![group("a", 10, 0), group("b", 10, 0)]);
        assert!(rows.iter().all(|r| r.ratio.is_none() && !r.flagged));
        // No applicants at all: no rate.
        assert_eq!(impact_rows(vec![group("a", 0, 0)])[0].rate, None);
    }

    #[test]
    fn answers_are_known_values_or_declined() {
        assert_eq!(self_id_answer("gender", "female"), "female");
        assert_eq!(self_id_answer("gender", " non_binary "), "non_binary");
        assert_eq!(self_id_answer("gender", "<script>"), DECLINED);
        assert_eq!(self_id_answer("gender", ""), DECLINED);
        assert_eq!(self_id_answer("shoe_size", "42"), DECLINED);
        assert_eq!(self_id_question("veteran").label, "Veteran status");
        assert_eq!(self_id_question("nope").name, "gender");
    }

    #[test]
    fn acceptance_counts_only_answered_offers() {
        let o = OfferCounts {
            made: 5,
            accepted: 3,
            declined: 1,
        };
        assert_eq!(o.acceptance(), Some(0.75));
        assert_eq!(OfferCounts::default().acceptance(), None);
    }
}

/// Days in one stage after which an active application counts as stuck, unless chosen.
pub const STUCK_DAYS_DEFAULT: i64 = 14;

/// Pipeline health: who is stuck where, which open jobs do not move, whose scorecards are late.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineHealth {
    pub stuck_days: i64,
    /// Stuck applications per job, stage and the job's owner (recruiter), most first.
    pub stuck_by_stage: Vec<StuckGroup>,
    /// The longest-stuck applications (at most 50).
    pub stuck: Vec<StuckLine>,
    pub stuck_total: i64,
    /// Open jobs with active applications and no move for `stuck_days` or more.
    pub idle_jobs: Vec<IdleJob>,
    /// Scorecards not submitted a day after their interview ended, per interviewer.
    pub overdue: Vec<OverdueScorecards>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StuckGroup {
    pub job_id: String,
    pub job_title: String,
    pub stage_name: String,
    pub owner: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StuckLine {
    pub person_id: String,
    pub name: String,
    pub job_title: String,
    pub stage_name: String,
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleJob {
    pub id: String,
    pub title: String,
    pub active: i64,
    /// Days since anything moved (None: nothing ever did).
    pub days_since_move: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueScorecards {
    pub interviewer: String,
    pub count: i64,
    /// Days since the oldest of them was due.
    pub oldest_days: i64,
}

/// The days a form names for "stuck": 1 to 365 (empty: the default).
pub fn parse_stuck_days(value: &str) -> Result<i64, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(STUCK_DAYS_DEFAULT);
    }
    match v.parse::<i64>() {
        Ok(n) if (1..=365).contains(&n) => Ok(n),
        _ => Err("Enter a number of days from 1 to 365."),
    }
}
