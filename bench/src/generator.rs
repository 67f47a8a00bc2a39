//! The `scale` benchmark's data: people with resume text, jobs, and applications (job bench000
//! gets a board of 1,000 cards), inserted in batches as fast as SurrealDB takes them.

use app::demo::{FIRST, LAST, Lcg};
use app::jobs::repo::StageRow;
use app::jobs::types::default_stages;
use app::server::AppState;
use chrono::{Duration as ChronoDuration, Utc};
use std::time::Instant;
use surrealdb::types::{RecordId, SurrealValue};

const WORDS: &[&str] = &[
    "built",
    "designed",
    "led",
    "team",
    "services",
    "platform",
    "customers",
    "delivered",
    "improved",
    "latency",
    "reliability",
    "migrated",
    "legacy",
    "system",
    "product",
    "features",
    "mentored",
    "engineers",
    "shipped",
    "analytics",
    "pipeline",
    "scaled",
    "traffic",
    "users",
    "reduced",
    "costs",
    "automated",
    "testing",
    "deployment",
    "owned",
    "roadmap",
    "stakeholders",
    "research",
    "interviews",
    "prototypes",
    "dashboards",
    "reporting",
    "quality",
    "security",
    "compliance",
    "integrations",
    "partners",
    "onboarding",
    "support",
    "documentation",
    "performance",
    "machine",
    "learning",
    "models",
    "data",
    "warehouse",
    "streaming",
    "events",
    "mobile",
    "web",
    "backend",
];

#[derive(Debug, Clone, SurrealValue)]
struct GenPerson {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    skills: Vec<String>,
    tags: Vec<String>,
    source: String,
    resume_text: Option<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct GenJob {
    id: RecordId,
    title: String,
    department: String,
    location: String,
    remote: bool,
    employment_type: String,
    description: String,
    status: String,
    stages: Vec<StageRow>,
    approval_status: String,
    published_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct GenApplication {
    id: RecordId,
    person: RecordId,
    person_name: String,
    uniq: String,
    job: RecordId,
    stage: String,
    status: String,
    source: String,
    stage_entered_at: chrono::DateTime<Utc>,
}

/// Runs `insert` (an `INSERT INTO … $rows RETURN NONE` statement) with `rows` bound to `$rows`;
/// panics on any error, as a benchmark's setup does.
pub(crate) async fn insert_rows<T: SurrealValue + 'static>(
    st: &AppState,
    insert: &'static str,
    rows: Vec<T>,
) {
    st.db
        .query(insert)
        .bind(("rows", rows))
        .await
        .unwrap()
        .check()
        .unwrap();
}

pub(crate) async fn generate(st: &AppState, people: usize, applications: usize, jobs: usize) {
    let mut rng = Lcg(0x9e3779b97f4a7c15);
    let skills = app::careers::skills::SKILLS;
    let stages: Vec<StageRow> = default_stages().iter().map(StageRow::from_stage).collect();
    let t0 = Instant::now();
    let job_rows: Vec<GenJob> = (0..jobs)
        .map(|j| GenJob {
            id: RecordId::new("job", format!("bench{j:03}")),
            title: format!("Role {j}: {} engineer", skills[j % skills.len()]),
            department: "Engineering".into(),
            location: "Berlin, Germany".into(),
            remote: j % 2 == 0,
            employment_type: "full_time".into(),
            description: "Generated for the benchmark.".into(),
            status: "open".into(),
            stages: stages.clone(),
            approval_status: "approved".into(),
            published_at: Utc::now(),
        })
        .collect();
    insert_rows(st, "INSERT INTO job $rows RETURN NONE", job_rows).await;

    let batch = 1000;
    for start in (0..people).step_by(batch) {
        let rows: Vec<GenPerson> = (start..(start + batch).min(people))
            .map(|i| {
                let first = FIRST[rng.below(FIRST.len())];
                let last = LAST[rng.below(LAST.len())];
                let mut s: Vec<String> = (0..(2 + rng.below(5)))
                    .map(|_| skills[rng.below(skills.len())].to_string())
                    .collect();
                s.sort();
                s.dedup();
                let resume: String = (0..(80 + rng.below(120)))
                    .map(|k| {
                        if k % 9 == 0 {
                            skills[rng.below(skills.len())]
                        } else {
                            WORDS[rng.below(WORDS.len())]
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                GenPerson {
                    id: RecordId::new("person", format!("p{i:06}")),
                    first_name: first.into(),
                    last_name: last.into(),
                    email: format!("{}@bench.example", app::demo::email_local(first, last, i)),
                    skills: s,
                    tags: if i % 50 == 0 {
                        vec!["bench-pool".into()]
                    } else {
                        Vec::new()
                    },
                    source: ["careers_page", "sourced", "referral", "import", "event"][i % 5]
                        .into(),
                    resume_text: Some(resume),
                }
            })
            .collect();
        insert_rows(st, "INSERT INTO person $rows RETURN NONE", rows).await;
        if start % 20_000 == 0 {
            eprintln!("  people: {start} ({:.0}s)", t0.elapsed().as_secs_f64());
        }
    }
    let stage_ids = ["applied", "phone_screen", "interview", "offer", "hired"];
    for start in (0..applications).step_by(batch) {
        let rows: Vec<GenApplication> = (start..(start + batch).min(applications))
            .map(|a| {
                // The first 1,000 applications make the big board of job bench000.
                let job = if a < 1000 { 0 } else { 1 + a % (jobs - 1) };
                let person = (a * 7919) % people;
                GenApplication {
                    id: RecordId::new("application", format!("a{a:06}")),
                    person: RecordId::new("person", format!("p{person:06}")),
                    person_name: format!("Person {person}"),
                    uniq: format!("p{person:06}:bench{job:03}"),
                    job: RecordId::new("job", format!("bench{job:03}")),
                    stage: stage_ids[rng.below(4)].into(),
                    status: if rng.below(10) == 0 {
                        "rejected".into()
                    } else {
                        "active".into()
                    },
                    source: "careers_page".into(),
                    stage_entered_at: Utc::now() - ChronoDuration::days(rng.below(60) as i64),
                }
            })
            .collect();
        insert_rows(st, "INSERT INTO application $rows RETURN NONE", rows).await;
    }
    println!(
        "generated {people} people (with resume text), {jobs} jobs, {applications} applications in {:.1}s",
        t0.elapsed().as_secs_f64()
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count;
    use app::pipeline::types::BoardFilters;
    use app::search::types::SearchFilters;
    use app::server::config::Config;

    /// The generator runs against the current schema (it once broke on a non-ASCII name in an
    /// email address), and what it makes is searchable and on the big board.
    #[tokio::test]
    async fn the_generator_makes_valid_searchable_data() {
        let st = app::startup::init(server::test_leptos_options(), Config::for_tests())
            .await
            .expect("state");
        generate(&st, 2_000, 1_200, 5).await;
        assert_eq!(
            count(&st, "RETURN count(SELECT id FROM person)").await,
            2_000
        );
        assert_eq!(
            count(&st, "RETURN count(SELECT id FROM application)").await,
            1_200
        );
        let r = app::search::repo::search(
            &st.db,
            st.ext(),
            "\"machine learning\"",
            &SearchFilters::default(),
            true,
            "",
            25,
        )
        .await
        .unwrap();
        assert!(r.total > 100, "{} hits", r.total);
        let big = app::jobs::repo::get(&st.db, &RecordId::new("job", "bench000"))
            .await
            .unwrap()
            .unwrap();
        let b = app::pipeline::repo::board(&st.db, &big, &BoardFilters::default())
            .await
            .unwrap();
        assert_eq!(b.cards.len(), 1_000);
    }
}
