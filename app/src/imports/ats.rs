//! Candidate exports from other applicant tracking systems (pure rules): recognising a
//! Greenhouse or Lever CSV export by its header, reading a row's application (job, stage and
//! outcome), matching stage names to a job's pipeline, and the plan the mapping page shows
//! before anything is written.

use crate::jobs::types::{Stage, StageKind};
use serde::{Deserialize, Serialize};

/// The exports we recognise, by the columns only they have.
pub fn detect_format(headers: &[String]) -> Option<&'static str> {
    let has = |name: &str| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    if has("Candidate ID") && (has("Job Name") || has("Job") || has("Current Stage")) {
        Some("Greenhouse")
    } else if has("Opportunity ID") || (has("Posting") && has("Archive Reason")) {
        Some("Lever")
    } else {
        None
    }
}

/// How an imported application ended (or that it goes on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Active,
    Hired,
    Withdrawn,
    /// Rejected, with the reason the other system gave (Lever's archive reason).
    Rejected(Option<String>),
}

impl Outcome {
    /// Reads Greenhouse's status ("Active", "Rejected", "Hired") or Lever's archive reason
    /// (empty while active; "Hired"; "Withdrew"; any other reason means rejected).
    pub fn read(text: &str) -> Outcome {
        let t = text.trim();
        let l = t.to_lowercase();
        match l.as_str() {
            "" | "active" | "in process" | "open" | "converted" => Outcome::Active,
            "hired" => Outcome::Hired,
            "rejected" | "archived" => Outcome::Rejected(None),
            _ if l.starts_with("withdr") || l.contains("candidate withdrew") => Outcome::Withdrawn,
            _ => Outcome::Rejected(Some(t.chars().take(200).collect())),
        }
    }

    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Active | Outcome::Hired => "active",
            Outcome::Withdrawn => "withdrawn",
            Outcome::Rejected(_) => "rejected",
        }
    }
}

/// The stage of `stages` an imported application lands in: a hire goes to the hired stage;
/// otherwise the stage whose name (or id) matches, ignoring case and spacing; otherwise the
/// first stage (and `false`: the name was not in the pipeline).
pub fn match_stage(stages: &[Stage], name: &str, outcome: &Outcome) -> (String, bool) {
    if *outcome == Outcome::Hired
        && let Some(s) = stages.iter().find(|s| s.kind == StageKind::Hired)
    {
        return (s.id.clone(), true);
    }
    let norm = |s: &str| {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let wanted = norm(name);
    if let Some(s) = stages
        .iter()
        .find(|s| !wanted.is_empty() && (norm(&s.name) == wanted || norm(&s.id) == wanted))
    {
        return (s.id.clone(), true);
    }
    let first = stages
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_else(|| "applied".into());
    (first, name.trim().is_empty())
}

/// One job named in the file, as the mapping page shows it before the import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobPlan {
    pub title: String,
    /// Rows naming this job.
    pub rows: i64,
    /// A job with this title is already here; otherwise it is created, closed.
    pub exists: bool,
    /// Stage names not in the job's pipeline: those applications start at its first stage.
    pub unknown_stages: Vec<String>,
    pub rejected: i64,
    pub hired: i64,
}

/// What an import of another system's export will add besides people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtsPlan {
    /// "Greenhouse", "Lever", or None for any other CSV with a job column.
    pub format: Option<String>,
    pub jobs: Vec<JobPlan>,
}

/// Plans the applications of `rows` (job, stage, outcome), given the jobs here by title (lower
/// case) with their pipelines. Jobs in the order the file first names them.
pub fn plan<'a>(
    rows: impl Iterator<Item = (String, String, String)>,
    job_stages: impl Fn(&str) -> Option<&'a [Stage]>,
) -> Vec<JobPlan> {
    let mut jobs: Vec<JobPlan> = Vec::new();
    let default = crate::jobs::types::default_stages();
    for (job, stage, outcome) in rows {
        let title = job.trim();
        if title.is_empty() {
            continue;
        }
        let i = match jobs
            .iter()
            .position(|j| j.title.eq_ignore_ascii_case(title))
        {
            Some(i) => i,
            None => {
                jobs.push(JobPlan {
                    title: title.chars().take(200).collect(),
                    rows: 0,
                    exists: job_stages(&title.to_lowercase()).is_some(),
                    unknown_stages: Vec::new(),
                    rejected: 0,
                    hired: 0,
                });
                jobs.len() - 1
            }
        };
        let outcome = Outcome::read(&outcome);
        let stages = job_stages(&title.to_lowercase()).unwrap_or(&default);
        let (_, known) = match_stage(stages, &stage, &outcome);
        let j = &mut jobs[i];
        j.rows += 1;
        match outcome {
            Outcome::Hired => j.hired += 1,
            Outcome::Rejected(_) => j.rejected += 1,
            _ => {}
        }
        let stage = stage.trim().to_string();
        if !known && !j.unknown_stages.contains(&stage) && j.unknown_stages.len() < 20 {
            j.unknown_stages.push(stage);
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exports_are_recognised_by_their_columns() {
        assert_eq!(
            detect_format(&headers(&[
                "Candidate ID",
                "First Name",
                "Job Name",
                "Current Stage"
            ])),
            Some("Greenhouse")
        );
        assert_eq!(
            detect_format(&headers(&["Opportunity ID", "Name", "Posting", "Stage"])),
            Some("Lever")
        );
        assert_eq!(detect_format(&headers(&["Name", "Email"])), None);
    }

    #[test]
    fn outcomes_read_both_systems_words() {
        assert_eq!(Outcome::read(""), Outcome::Active);
        assert_eq!(Outcome::read("Active"), Outcome::Active);
        assert_eq!(Outcome::read("Hired"), Outcome::Hired);
        assert_eq!(Outcome::read("Rejected"), Outcome::Rejected(None));
        assert_eq!(Outcome::read("Withdrew"), Outcome::Withdrawn);
        assert_eq!(
            Outcome::read("Underqualified"),
            Outcome::Rejected(Some("Underqualified".into()))
        );
        assert_eq!(Outcome::read("Underqualified").status(), "rejected");
        assert_eq!(Outcome::Hired.status(), "active");
    }

    #[test]
    fn stages_match_by_name_and_hires_go_to_the_hired_stage() {
        let stages = crate::jobs::types::default_stages();
        assert_eq!(
            match_stage(&stages, "phone SCREEN", &Outcome::Active),
            ("phone_screen".into(), true)
        );
        assert_eq!(
            match_stage(&stages, "Offer", &Outcome::Hired),
            ("hired".into(), true)
        );
        assert_eq!(
            match_stage(&stages, "Take-home test", &Outcome::Active),
            ("applied".into(), false)
        );
        assert_eq!(
            match_stage(&stages, "", &Outcome::Active),
            ("applied".into(), true)
        );
    }

    #[test]
    fn the_plan_counts_rows_per_job_and_names_unknown_stages() {
        let stages = crate::jobs::types::default_stages();
        let rows = [
            ("Data Analyst", "Interview", ""),
            ("data analyst", "Take-home", "Underqualified"),
            ("Office Manager", "Applied", "Hired"),
            ("", "Interview", ""),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
        let plan = plan(rows.into_iter(), |t| {
            (t == "data analyst").then_some(stages.as_slice())
        });
        assert_eq!(plan.len(), 2);
        assert_eq!(
            (plan[0].title.as_str(), plan[0].rows, plan[0].exists),
            ("Data Analyst", 2, true)
        );
        assert_eq!(plan[0].unknown_stages, ["Take-home"]);
        assert_eq!(plan[0].rejected, 1);
        assert_eq!(
            (plan[1].exists, plan[1].hired, plan[1].unknown_stages.len()),
            (false, 1, 0)
        );
    }
}
