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
}

/// Someone who can be picked as a job's hiring manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: String,
    pub name: String,
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
}

impl JobInput {
    /// Checks every field of the job form and reports all problems at once.
    pub fn parse(
        title: &str,
        department: &str,
        location: &str,
        remote: Option<&str>,
        employment_type: &str,
        description: &str,
        hiring_manager: &str,
    ) -> AppResult<Self> {
        let mut c = Checks::new();
        let title = c.check("title", required_text(title, "a job title", 120));
        let department = c.check("department", optional_text(department, 80));
        let remote = matches!(remote, Some("on" | "true" | "1" | "yes"));
        let location = c.check("location", optional_text(location, 120));
        if let Some(loc) = &location
            && loc.is_empty()
            && !remote
        {
            c.add("location", "Enter a location, or mark the job as remote.");
        }
        let employment_type = c.check(
            "employment_type",
            EmploymentType::parse(employment_type)
                .ok_or_else(|| "Choose an employment type.".to_string()),
        );
        let description = c.check(
            "description",
            required_long_text(description, "a description of the role", 20_000),
        );
        let hm = hiring_manager.trim();
        c.finish()?;
        Ok(Self {
            title: title.unwrap_or_default(),
            department: department.unwrap_or_default(),
            location: location.unwrap_or_default(),
            remote,
            employment_type: employment_type.unwrap_or(EmploymentType::FullTime),
            description: description.unwrap_or_default(),
            hiring_manager: (!hm.is_empty()).then(|| hm.to_string()),
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
        let err = JobInput::parse("", "", "", None, "forever", "", "").unwrap_err();
        for f in ["title", "location", "employment_type", "description"] {
            assert!(err.field_message(f).is_some(), "{f} should be reported");
        }
    }

    #[test]
    fn remote_jobs_need_no_location() {
        let j = JobInput::parse(
            "Rust dev",
            "Eng",
            "",
            Some("on"),
            "full_time",
            "Build things",
            "",
        )
        .unwrap();
        assert!(j.remote);
        assert_eq!(j.hiring_manager, None);
        assert_eq!(place_line(&j.location, j.remote), "Remote");
    }
}
