//! Demo screening: criteria on the Rust backend and product designer jobs, a short resume for
//! each of their applicants (made from their profile, so the quotes are about them), answers
//! to the backend job's work-permit question, and the first reading.

use super::repo::{Scope, add_criterion, screen};
use super::types::{Kind, NewCriterion};
use crate::error::AppResult;
use crate::server::activity::Actor;
use crate::server::db::{Db, key, write};
use chrono::{Datelike, Utc};
use surrealdb::types::{RecordId, SurrealValue};

const COMPANIES: [&str; 6] = [
    "Northwind",
    "Initech",
    "Globex",
    "Umbrella Health",
    "Hooli",
    "Stark Logistics",
];

/// (job key, kind, term, years, must-have, answer)
type Spec = (
    &'static str,
    Kind,
    &'static str,
    Option<u32>,
    bool,
    Option<bool>,
);

const CRITERIA: [Spec; 8] = [
    ("rust-backend", Kind::Skill, "Rust", None, true, None),
    ("rust-backend", Kind::Years, "Rust", Some(3), true, None),
    (
        "rust-backend",
        Kind::Skill,
        "Kubernetes or k8s",
        None,
        false,
        None,
    ),
    ("rust-backend", Kind::Language, "German", None, false, None),
    (
        "rust-backend",
        Kind::Question,
        "Are you authorised to work in the EU?",
        None,
        true,
        Some(true),
    ),
    ("product-designer", Kind::Skill, "Figma", None, true, None),
    (
        "product-designer",
        Kind::Skill,
        "UX research",
        None,
        false,
        None,
    ),
    (
        "product-designer",
        Kind::Location,
        "Portugal or Spain",
        None,
        false,
        None,
    ),
];

#[derive(Debug, Clone, SurrealValue)]
struct Applicant {
    app: RecordId,
    job: RecordId,
    person: RecordId,
    first_name: String,
    last_name: String,
    headline: Option<String>,
    skills: Option<Vec<String>>,
    location: Option<String>,
}

fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A short resume from a demo profile: two roles with dates, the skills in bullets.
fn resume(a: &Applicant, year: i32) -> String {
    let h = hash(&key(&a.person));
    let title = a.headline.clone().unwrap_or_else(|| "Engineer".into());
    let skills = a.skills.clone().unwrap_or_default();
    let skill = |i: usize| skills.get(i).cloned().unwrap_or_else(|| "SQL".into());
    let now_years = 1 + (h % 6) as i32;
    let before_years = 1 + ((h / 6) % 4) as i32;
    let started = year - now_years;
    let mut langs = vec!["English"];
    if h.is_multiple_of(3) {
        langs.push("German");
    }
    if h.is_multiple_of(5) {
        langs.push("Portuguese");
    }
    format!(
        "{first} {last}\n{title}, based in {loc}.\n\nExperience\n\
         {title}, {c1} ({started} – present)\n\
         • Built and ran production work with {s0} and {s1}.\n\
         • Wrote the team's onboarding guide and mentored new joiners.\n\
         Associate, {c2} ({prev} – {started})\n\
         • Worked with {s2} every day.\n\n\
         Languages: {langs}",
        first = a.first_name,
        last = a.last_name,
        loc = a.location.as_deref().unwrap_or("Europe"),
        c1 = COMPANIES[(h % 6) as usize],
        c2 = COMPANIES[((h / 7) % 6) as usize],
        prev = started - before_years,
        s0 = skill(0),
        s1 = skill(1),
        s2 = skill(2),
        langs = langs.join(", "),
    )
}

/// Seeds the demo's screening (after the jobs, people and applications).
pub async fn seed(db: &Db) -> AppResult<()> {
    let actor = Actor::system();
    for (job, kind, term, years, required, answer) in CRITERIA {
        let c = NewCriterion {
            kind,
            term: term.into(),
            years,
            required,
            answer,
        };
        add_criterion(db, &RecordId::new("job", job), &c, &actor).await?;
    }
    let jobs = vec![
        RecordId::new("job", "rust-backend"),
        RecordId::new("job", "product-designer"),
    ];
    let mut r = db
        .query(
            "SELECT id AS app, job, person, person.first_name AS first_name,
                person.last_name AS last_name, person.headline AS headline,
                person.skills AS skills, person.location AS location
             FROM application WHERE job IN $jobs",
        )
        .bind(("jobs", jobs.clone()))
        .await?;
    let applicants: Vec<Applicant> = r.take(0)?;
    let question = super::api::questions(db, &jobs[0]).await?;
    let year = Utc::now().year();
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        app: RecordId,
        person: RecordId,
        text: String,
        answers: Vec<serde_json::Value>,
    }
    let rows: Vec<Row> = applicants
        .iter()
        .map(|a| Row {
            app: a.app.clone(),
            person: a.person.clone(),
            text: resume(a, year),
            // One in seven backend applicants needs a permit.
            answers: if a.job == jobs[0] {
                question
                    .iter()
                    .map(|(id, _)| {
                        serde_json::json!({
                            "criterion": id,
                            "yes": !hash(&key(&a.person)).is_multiple_of(7),
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    write(
        db.query(
            "FOR $r IN $rows {
                 UPDATE $r.person SET resume_text = resume_text ?? $r.text RETURN NONE;
                 UPDATE $r.app SET answers = $r.answers RETURN NONE;
             };",
        )
        .bind(("rows", rows)),
    )
    .await?;
    for j in jobs {
        screen(db, Scope::Job(j)).await?;
    }
    Ok(())
}
