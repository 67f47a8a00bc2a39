//! Jobs: wire types, the default pipeline and input checks.

use crate::domain::{optional_text, required_long_text, required_text};
use crate::error::{AppResult, Checks};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    FullTime,
    PartTime,
    Contract,
    Temporary,
    Internship,
}

impl EmploymentType {
    pub const ALL: [EmploymentType; 5] = [
        EmploymentType::FullTime,
        EmploymentType::PartTime,
        EmploymentType::Contract,
        EmploymentType::Temporary,
        EmploymentType::Internship,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "full_time",
            EmploymentType::PartTime => "part_time",
            EmploymentType::Contract => "contract",
            EmploymentType::Temporary => "temporary",
            EmploymentType::Internship => "internship",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "Full-time",
            EmploymentType::PartTime => "Part-time",
            EmploymentType::Contract => "Contract",
            EmploymentType::Temporary => "Temporary",
            EmploymentType::Internship => "Internship",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Draft,
    Open,
    Closed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Draft => "draft",
            JobStatus::Open => "open",
            JobStatus::Closed => "closed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            JobStatus::Draft => "Draft",
            JobStatus::Open => "Open",
            JobStatus::Closed => "Closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [JobStatus::Draft, JobStatus::Open, JobStatus::Closed]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Active,
    Hired,
}

/// One column of a job's pipeline. `id` stays the same when the stage is renamed or moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub kind: StageKind,
}

/// Applied → Phone screen → Interview → Offer → Hired.
pub fn default_stages() -> Vec<Stage> {
    [
        ("applied", "Applied", StageKind::Active),
        ("phone_screen", "Phone screen", StageKind::Active),
        ("interview", "Interview", StageKind::Active),
        ("offer", "Offer", StageKind::Active),
        ("hired", "Hired", StageKind::Hired),
    ]
    .into_iter()
    .map(|(id, name, kind)| Stage {
        id: id.into(),
        name: name.into(),
        kind,
    })
    .collect()
}

/// A row of the staff jobs list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobSummary {
    pub id: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub remote: bool,
    pub employment_type: EmploymentType,
    pub status: JobStatus,
    pub active_applications: i64,
}

/// Everything staff see about one job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobDetail {
    pub id: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub remote: bool,
    pub employment_type: EmploymentType,
    pub description: String,
    pub status: JobStatus,
    pub stages: Vec<Stage>,
    pub hiring_manager_id: Option<String>,
    pub hiring_manager_name: Option<String>,
    pub created_at: String,
    pub published_at: Option<String>,
    pub headcount: i64,
    /// `YYYY-MM-DD`
    pub target_start: Option<String>,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<String>,
    /// `YYYY-MM-DD`: the posting expires after this day.
    pub valid_through: Option<String>,
    pub approvers: Vec<StaffOption>,
    pub approval_status: crate::approvals::types::ApprovalStatus,
    /// Anonymised review: the stage from which staff see who a candidate is (None: off).
    #[serde(default)]
    pub anonymise_until: Option<String>,
}

/// A job as the public careers page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicJob {
    pub id: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub remote: bool,
    pub employment_type: EmploymentType,
    pub description: String,
    pub published_at: Option<String>,
    pub valid_through: Option<String>,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<String>,
    /// schema.org `JobPosting` as JSON, ready for a `<script type="application/ld+json">`.
    pub json_ld: String,
}

/// Someone who can be picked as a job's hiring manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: String,
    pub name: String,
}

/// The raw job form, as posted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobForm {
    pub title: String,
    pub department: String,
    pub location: String,
    pub remote: Option<String>,
    pub employment_type: String,
    pub description: String,
    pub hiring_manager: String,
    pub headcount: String,
    pub target_start: String,
    pub salary_min: String,
    pub salary_max: String,
    pub salary_currency: String,
    pub salary_period: String,
    pub valid_through: String,
    pub approvers: Vec<String>,
}

/// Salary range of a requisition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Salary {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub currency: String,
    pub period: String,
}

/// A checked job form.
#[derive(Clone, Debug, PartialEq)]
pub struct JobInput {
    pub title: String,
    pub department: String,
    pub location: String,
    pub remote: bool,
    pub employment_type: EmploymentType,
    pub description: String,
    pub hiring_manager: Option<String>,
    pub headcount: i64,
    pub target_start: Option<chrono::NaiveDate>,
    pub salary: Option<Salary>,
    pub valid_through: Option<chrono::NaiveDate>,
    /// Approver staff ids in chain order.
    pub approvers: Vec<String>,
}

fn optional_date(s: &str) -> Result<Option<chrono::NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| "Enter a date like 2027-02-01.".to_string())
}

fn optional_amount(s: &str) -> Result<Option<i64>, String> {
    let clean: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    if clean.is_empty() {
        return Ok(None);
    }
    match clean.parse::<i64>() {
        Ok(n) if (1..=100_000_000).contains(&n) => Ok(Some(n)),
        _ => Err("Enter a whole amount, like 65000.".to_string()),
    }
}

impl JobInput {
    /// A form with just the basics (tests and seeding).
    pub fn basic(title: &str, location: &str, description: &str) -> AppResult<Self> {
        Self::parse(&JobForm {
            title: title.into(),
            location: location.into(),
            employment_type: "full_time".into(),
            description: description.into(),
            ..Default::default()
        })
    }

    /// Checks every field of the job form and reports all problems at once.
    pub fn parse(f: &JobForm) -> AppResult<Self> {
        let mut c = Checks::new();
        let title = c.check("title", required_text(&f.title, "a job title", 120));
        let department = c.check("department", optional_text(&f.department, 80));
        let remote = matches!(f.remote.as_deref(), Some("on" | "true" | "1" | "yes"));
        let location = c.check("location", optional_text(&f.location, 120));
        if let Some(loc) = &location
            && loc.is_empty()
            && !remote
        {
            c.add("location", "Enter a location, or mark the job as remote.");
        }
        let employment_type = c.check(
            "employment_type",
            EmploymentType::parse(&f.employment_type)
                .ok_or_else(|| "Choose an employment type.".to_string()),
        );
        let description = c.check(
            "description",
            required_long_text(&f.description, "a description of the role", 20_000),
        );
        let headcount = c.check("headcount", {
            let h = f.headcount.trim();
            if h.is_empty() {
                Ok(1)
            } else {
                match h.parse::<i64>() {
                    Ok(n) if (1..=500).contains(&n) => Ok(n),
                    _ => Err("Enter how many people to hire, from 1 to 500.".to_string()),
                }
            }
        });
        let target_start = c
            .check("target_start", optional_date(&f.target_start))
            .flatten();
        let valid_through = c
            .check("valid_through", optional_date(&f.valid_through))
            .flatten();
        let min = c
            .check("salary_min", optional_amount(&f.salary_min))
            .flatten();
        let max = c
            .check("salary_max", optional_amount(&f.salary_max))
            .flatten();
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            c.add("salary_max", "The maximum must not be below the minimum.");
        }
        let currency = f.salary_currency.trim().to_uppercase();
        let currency = if currency.is_empty() {
            "EUR".to_string()
        } else {
            currency
        };
        if (min.is_some() || max.is_some())
            && (currency.len() != 3 || !currency.chars().all(|ch| ch.is_ascii_uppercase()))
        {
            c.add(
                "salary_currency",
                "Use a three-letter currency code such as EUR, USD or GBP.",
            );
        }
        let period = if f.salary_period.trim().is_empty() {
            "YEAR".to_string()
        } else {
            f.salary_period.trim().to_uppercase()
        };
        if !["YEAR", "MONTH", "HOUR"].contains(&period.as_str()) {
            c.add("salary_period", "Choose per year, per month or per hour.");
        }
        let mut approvers: Vec<String> = Vec::new();
        for a in f
            .approvers
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
        {
            if approvers.iter().any(|x| x == a) {
                c.add(
                    "approvers",
                    "Each approver can appear only once in the chain.",
                );
                break;
            }
            approvers.push(a.to_string());
        }
        if approvers.len() > 5 {
            c.add("approvers", "Choose at most five approvers.");
        }
        let hm = f.hiring_manager.trim();
        c.finish()?;
        Ok(Self {
            title: title.unwrap_or_default(),
            department: department.unwrap_or_default(),
            location: location.unwrap_or_default(),
            remote,
            employment_type: employment_type.unwrap_or(EmploymentType::FullTime),
            description: description.unwrap_or_default(),
            hiring_manager: (!hm.is_empty()).then(|| hm.to_string()),
            headcount: headcount.unwrap_or(1),
            target_start,
            salary: (min.is_some() || max.is_some()).then_some(Salary {
                min,
                max,
                currency,
                period,
            }),
            valid_through,
            approvers,
        })
    }
}

/// "Berlin · Remote" style line.
pub fn place_line(location: &str, remote: bool) -> String {
    match (location.is_empty(), remote) {
        (true, true) => "Remote".into(),
        (false, true) => format!("{location} · Remote"),
        (false, false) => location.to_string(),
        (true, false) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pipeline_has_five_stages_ending_in_hired() {
        let s = default_stages();
        let names: Vec<_> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["Applied", "Phone screen", "Interview", "Offer", "Hired"]
        );
        assert_eq!(s.last().unwrap().kind, StageKind::Hired);
    }

    #[test]
    fn job_form_reports_every_problem() {
        let f = JobForm {
            employment_type: "forever".into(),
            headcount: "0".into(),
            salary_min: "90000".into(),
            salary_max: "70,000".into(),
            salary_currency: "euro".into(),
            target_start: "tomorrow".into(),
            approvers: vec!["a".into(), "a".into()],
            ..Default::default()
        };
        let err = JobInput::parse(&f).unwrap_err();
        for field in [
            "title",
            "location",
            "employment_type",
            "description",
            "headcount",
            "salary_max",
            "salary_currency",
            "target_start",
            "approvers",
        ] {
            assert!(
                err.field_message(field).is_some(),
                "{field} should be reported"
            );
        }
    }

    #[test]
    fn remote_jobs_need_no_location() {
        let j = JobInput::parse(&JobForm {
            title: "Rust dev".into(),
            department: "Eng".into(),
            remote: Some("on".into()),
            employment_type: "full_time".into(),
            description: "Build things".into(),
            ..Default::default()
        })
        .unwrap();
        assert!(j.remote);
        assert_eq!(j.hiring_manager, None);
        assert_eq!(j.headcount, 1);
        assert_eq!(j.salary, None);
        assert_eq!(place_line(&j.location, j.remote), "Remote");
    }

    #[test]
    fn salaries_and_dates_parse() {
        let j = JobInput::parse(&JobForm {
            title: "T".into(),
            location: "Paris".into(),
            employment_type: "contract".into(),
            description: "D".into(),
            headcount: "3".into(),
            salary_min: "60,000".into(),
            salary_max: "80000".into(),
            salary_currency: "usd".into(),
            target_start: "2027-02-01".into(),
            approvers: vec!["x".into(), "".into(), "y".into()],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(j.headcount, 3);
        let s = j.salary.unwrap();
        assert_eq!(
            (s.min, s.max, s.currency.as_str(), s.period.as_str()),
            (Some(60000), Some(80000), "USD", "YEAR")
        );
        assert_eq!(j.target_start.unwrap().to_string(), "2027-02-01");
        assert_eq!(j.approvers, ["x", "y"]);
    }
}
