//! Demo data for `ATS_DEMO=1` on an empty database: staff for every role, jobs, 240 people,
//! applications across the pipeline and a tagged group for a campaign. Deterministic, so every
//! fresh demo looks the same.

use crate::auth::types::Role;
use crate::jobs::repo::StageRow;
use crate::jobs::types::{EmploymentType, default_stages};
use crate::reports::demo as reports_demo;
use crate::server::AppState;
use crate::server::db::key;
use crate::server::security::hash_password;
use chrono::{Duration, Utc};
use surrealdb::types::{RecordId, SurrealValue};

pub const DEMO_PASSWORD: &str = "demo-password";

/// (email, name, role) of the demo logins, all with [`DEMO_PASSWORD`].
pub const DEMO_STAFF: [(&str, &str, Role); 6] = [
    ("admin@acme.test", "Alex Admin", Role::Admin),
    ("recruiter@acme.test", "Riley Recruiter", Role::Recruiter),
    ("manager@acme.test", "Morgan Manager", Role::HiringManager),
    (
        "interviewer@acme.test",
        "Ivy Interviewer",
        Role::Interviewer,
    ),
    ("sourcer@acme.test", "Sam Sourcer", Role::Sourcer),
    // A second interviewer: interview panels have more than one person.
    ("panel@acme.test", "Parker Panelist", Role::Interviewer),
];

/// First names of generated people (demo data, benchmarks).
pub const FIRST: [&str; 48] = [
    "Ada",
    "Grace",
    "Alan",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Radia",
    "Edsger",
    "Frances",
    "Donald",
    "Sophie",
    "Tim",
    "Hedy",
    "John",
    "Katherine",
    "Guido",
    "Anita",
    "Bjarne",
    "Carol",
    "Yukihiro",
    "Shafi",
    "Leslie",
    "Lynn",
    "Vint",
    "Mary",
    "Niklaus",
    "Karen",
    "James",
    "Joan",
    "Ivan",
    "Jean",
    "Fernando",
    "Elena",
    "Mateo",
    "Aisha",
    "Kenji",
    "Priya",
    "Lucas",
    "Amara",
    "Nikolai",
    "Ingrid",
    "Tariq",
    "Mei",
    "Diego",
    "Zanele",
    "Oskar",
];
/// Last names of generated people (demo data, benchmarks).
pub const LAST: [&str; 48] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Perlman",
    "Dijkstra",
    "Allen",
    "Knuth",
    "Wilson",
    "Berners-Lee",
    "Lamarr",
    "McCarthy",
    "Johnson",
    "van Rossum",
    "Borg",
    "Stroustrup",
    "Shaw",
    "Matsumoto",
    "Goldwasser",
    "Lamport",
    "Conway",
    "Cerf",
    "Keller",
    "Wirth",
    "Spärck Jones",
    "Gosling",
    "Clarke",
    "Sutherland",
    "Sammet",
    "Corbató",
    "Petrova",
    "García",
    "Okafor",
    "Tanaka",
    "Sharma",
    "Silva",
    "Nwosu",
    "Ivanov",
    "Larsen",
    "Haddad",
    "Chen",
    "Ramírez",
    "Dlamini",
    "Nilsson",
];
const CITIES: [&str; 10] = [
    "Berlin, Germany",
    "London, UK",
    "Lisbon, Portugal",
    "Amsterdam, Netherlands",
    "Paris, France",
    "Stockholm, Sweden",
    "Madrid, Spain",
    "Warsaw, Poland",
    "Dublin, Ireland",
    "Remote",
];
const SKILLS: [&str; 24] = [
    "Rust",
    "Go",
    "TypeScript",
    "React",
    "PostgreSQL",
    "Kubernetes",
    "AWS",
    "Figma",
    "UX research",
    "Product strategy",
    "SQL",
    "Python",
    "Data modelling",
    "Customer success",
    "Salesforce",
    "Negotiation",
    "Tokio",
    "Axum",
    "WebAssembly",
    "Distributed systems",
    "Accessibility",
    "Design systems",
    "Onboarding",
    "Churn analysis",
];
const HEADLINES: [&str; 8] = [
    "Senior software engineer",
    "Backend engineer",
    "Product designer",
    "Customer success lead",
    "Data analyst",
    "Engineering manager",
    "Full-stack developer",
    "Account manager",
];

/// A tiny deterministic generator (no need for cryptographic randomness here).
/// A small deterministic generator, so generated data is the same on every run.
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct DemoPerson {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    location: Option<String>,
    headline: Option<String>,
    skills: Vec<String>,
    tags: Vec<String>,
    source: String,
    consent_status: String,
    consent_basis: Option<String>,
    consent_at: Option<chrono::DateTime<Utc>>,
    created_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct DemoJob {
    id: RecordId,
    title: String,
    department: String,
    location: String,
    remote: bool,
    employment_type: String,
    description: String,
    status: String,
    stages: Vec<StageRow>,
    owner: Option<RecordId>,
    hiring_manager: Option<RecordId>,
    published_at: Option<chrono::DateTime<Utc>>,
    headcount: i64,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    salary_currency: Option<String>,
    salary_period: Option<String>,
    approvers: Vec<RecordId>,
    approval_status: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct DemoApproval {
    job: RecordId,
    round: i64,
    position: i64,
    approver: RecordId,
    status: String,
    decided_at: chrono::DateTime<Utc>,
    decided_via: String,
    requested_by: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct DemoApplication {
    id: RecordId,
    person: RecordId,
    person_name: String,
    uniq: String,
    job: RecordId,
    stage: String,
    status: String,
    source: String,
    stage_entered_at: chrono::DateTime<Utc>,
    created_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct DemoActivity {
    person: Option<RecordId>,
    application: Option<RecordId>,
    job: Option<RecordId>,
    actor: Option<RecordId>,
    actor_label: String,
    kind: String,
    summary: String,
    visible_to_candidate: bool,
    at: chrono::DateTime<Utc>,
}

fn jobs_spec() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    bool,
    EmploymentType,
    &'static str,
    &'static str,
)> {
    vec![
        (
            "rust-backend",
            "Senior Backend Engineer (Rust)",
            "Engineering",
            true,
            EmploymentType::FullTime,
            "Berlin, Germany",
            "You will design and build the services behind our hiring platform in Rust: Axum, Tokio and SurrealDB.\n\nYou have shipped production Rust, care about correctness and latency, and enjoy mentoring.\n\nWe offer a small senior team, flexible hours and a real say in the architecture.",
        ),
        (
            "product-designer",
            "Product Designer",
            "Design",
            false,
            EmploymentType::FullTime,
            "Lisbon, Portugal",
            "Shape how recruiters, candidates and sourcers experience our product, from research to polished UI.\n\nYou have a portfolio of shipped product work and a habit of testing with real users.",
        ),
        (
            "customer-success",
            "Customer Success Manager",
            "Customer Success",
            true,
            EmploymentType::FullTime,
            "London, UK",
            "Help our customers run great hiring processes: onboarding, training and quarterly reviews.\n\nYou have managed a book of B2B SaaS accounts and love turning feedback into product improvements.",
        ),
        (
            "data-analyst",
            "Data Analyst (part-time)",
            "Operations",
            true,
            EmploymentType::PartTime,
            "",
            "Turn hiring data into decisions: funnel reports, time-to-hire, source quality.\n\nSQL and a clear way of explaining numbers are what we need most.",
        ),
        (
            "frontend-contract",
            "Frontend Engineer (contract)",
            "Engineering",
            false,
            EmploymentType::Contract,
            "Amsterdam, Netherlands",
            "A six-month contract to help us build our design system in Leptos and WebAssembly.",
        ),
    ]
}

/// Seeds the demo unless the database already holds staff.
/// The local part of a generated address: `first.last{n}` folded to plain ASCII (`Spärck Jones`
/// becomes `sparck-jones`), so it is a valid email address.
pub fn email_local(first: &str, last: &str, n: usize) -> String {
    format!("{first}.{last}{n}")
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ä' | 'á' | 'à' | 'â' | 'å' => 'a',
            'ó' | 'ö' | 'ò' | 'ô' | 'ø' => 'o',
            'í' | 'ï' | 'ì' => 'i',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ú' | 'ü' | 'ù' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() || c == '.' => c,
            _ => '-',
        })
        .collect()
}

pub async fn seed_if_empty(st: &AppState) -> Result<(), String> {
    let db = &st.db;
    let mut res = db
        .query("SELECT VALUE id FROM staff LIMIT 1")
        .await
        .map_err(|e| e.to_string())?;
    let existing: Vec<RecordId> = res.take(0).map_err(|e| e.to_string())?;
    if !existing.is_empty() {
        return Ok(());
    }
    tracing::info!("seeding demo data");
    let hash = hash_password(DEMO_PASSWORD).map_err(|e| e.to_string())?;
    let mut staff_ids = Vec::new();
    for (email, name, role) in DEMO_STAFF {
        let id = crate::auth::repo::create_staff(db, email, name, role, &hash)
            .await
            .map_err(|e| e.to_string())?;
        staff_ids.push(id);
    }
    let recruiter = staff_ids[1].clone();
    let manager = staff_ids[2].clone();
    let now = Utc::now();
    let mut rng = Lcg(0x5eed_cafe);

    // Jobs: four open, one draft.
    let stages: Vec<StageRow> = default_stages().iter().map(StageRow::from_stage).collect();
    let jobs: Vec<DemoJob> = jobs_spec()
        .into_iter()
        .enumerate()
        .map(|(i, (k, title, dept, remote, et, loc, desc))| DemoJob {
            id: RecordId::new("job", k),
            title: title.into(),
            department: dept.into(),
            location: loc.into(),
            remote,
            employment_type: et.as_str().into(),
            description: desc.into(),
            status: if i < 4 { "open".into() } else { "draft".into() },
            stages: stages.clone(),
            owner: Some(recruiter.clone()),
            hiring_manager: (i == 0).then(|| manager.clone()),
            published_at: (i < 4).then(|| now - Duration::days(30 - i as i64 * 5)),
            // More than the demo's random hires, so no open job starts out filled.
            headcount: [5, 4, 3, 3, 1][i],
            salary_min: Some([70_000, 55_000, 50_000, 30_000, 75_000][i]),
            salary_max: Some([90_000, 70_000, 62_000, 38_000, 90_000][i]),
            salary_currency: Some("EUR".into()),
            salary_period: Some("YEAR".into()),
            approvers: vec![manager.clone()],
            approval_status: if i < 4 {
                "approved".into()
            } else {
                "not_requested".into()
            },
        })
        .collect();

    // People.
    let mut people = Vec::new();
    for i in 0..240usize {
        let first = FIRST[(i * 7 + i / 48) % FIRST.len()];
        let last = LAST[(i * 11 + i / 48 * 5) % LAST.len()];
        let email_local = email_local(first, last, i);
        let mut skills: Vec<String> = Vec::new();
        for _ in 0..(2 + rng.below(4)) {
            let s = SKILLS[rng.below(SKILLS.len())].to_string();
            if !skills.contains(&s) {
                skills.push(s);
            }
        }
        let mut tags = Vec::new();
        if i % 6 == 0 {
            tags.push("rust-meetup-2026".to_string());
        }
        if i % 9 == 0 {
            tags.push("past-applicant".to_string());
        }
        if i % 15 == 0 {
            tags.push("referral".to_string());
        }
        let source = match i % 10 {
            0..=5 => "careers_page",
            6 | 7 => "sourced",
            8 => "referral",
            _ => "event",
        };
        let created_at = now - Duration::days(rng.below(400) as i64) - Duration::minutes(i as i64);
        // Sourced and referred people are approached on a legitimate interest; people met at an
        // event signed up (consent); a third of applicants ticked the talent-pool box.
        let (consent_status, consent_basis) = match source {
            "sourced" | "referral" => ("unknown", Some("legitimate_interest")),
            "event" => ("granted", Some("consent")),
            _ if i % 3 == 0 => ("granted", Some("consent")),
            _ => ("unknown", None),
        };
        people.push(DemoPerson {
            id: RecordId::new("person", format!("demo{i:03}")),
            first_name: first.into(),
            last_name: last.into(),
            email: format!("{email_local}@example.com"),
            phone: (i % 3 != 0).then(|| format!("+44 20 7946 {:04}", 1000 + i)),
            location: Some(CITIES[rng.below(CITIES.len())].into()),
            headline: Some(HEADLINES[rng.below(HEADLINES.len())].into()),
            skills,
            tags,
            source: source.into(),
            consent_status: consent_status.into(),
            consent_basis: consent_basis.map(str::to_string),
            consent_at: (consent_status == "granted").then_some(created_at),
            created_at,
        });
    }

    // Applications: 160 of the people applied to one of the open jobs; a few to two.
    let stage_ids = ["applied", "phone_screen", "interview", "offer", "hired"];
    let stage_names = ["Applied", "Phone screen", "Interview", "Offer", "Hired"];
    let mut apps = Vec::new();
    let mut acts = Vec::new();
    let mut history = Vec::new();
    // Its own sequence, so the rest of the demo stays as it was.
    let mut eeo = Lcg(0xfa1e_5eed);
    let mut self_ids = Vec::new();
    for (i, p) in people.iter().enumerate().take(176) {
        if people[i].source != "careers_page" && i % 4 != 0 {
            continue;
        }
        let job = &jobs[i % 4];
        let weights = [40usize, 22, 16, 8, 3];
        let mut roll = rng.below(weights.iter().sum());
        let mut si = 0;
        for (k, w) in weights.iter().enumerate() {
            if roll < *w {
                si = k;
                break;
            }
            roll -= w;
        }
        let status = match rng.below(12) {
            0 | 1 => "rejected",
            2 => "withdrawn",
            _ => "active",
        };
        let applied_days = 3 + rng.below(40) as i64;
        let entered = now
            - Duration::days(rng.below(applied_days as usize) as i64)
            - Duration::hours(rng.below(20) as i64);
        let aid = RecordId::new("application", format!("demo{i:03}"));
        let applied_at = now - Duration::days(applied_days);
        acts.push(DemoActivity {
            person: Some(p.id.clone()),
            application: Some(aid.clone()),
            job: Some(job.id.clone()),
            actor: None,
            actor_label: "Candidate".into(),
            kind: "applied".into(),
            summary: format!("Applied for {}", job.title),
            visible_to_candidate: true,
            at: applied_at,
        });
        for (s, stage_name) in stage_names.iter().enumerate().take(si + 1).skip(1) {
            acts.push(DemoActivity {
                person: Some(p.id.clone()),
                application: Some(aid.clone()),
                job: Some(job.id.clone()),
                actor: Some(recruiter.clone()),
                actor_label: "Riley Recruiter".into(),
                kind: "stage_moved".into(),
                summary: format!("Moved to {stage_name}"),
                visible_to_candidate: true,
                at: applied_at + (entered - applied_at) * s as i32 / si.max(1) as i32,
            });
        }
        // Most who applied on the careers page answered the voluntary questions.
        if p.source == "careers_page"
            && let Some(answers) =
                reports_demo::self_identification(&mut |n| eeo.below(n), &aid, &job.id)
        {
            self_ids.push(answers);
        }
        // The same steps as the activity above, as the stage history the reports read.
        history.extend(reports_demo::stage_history(
            &aid,
            &job.id,
            &stage_ids[..=si],
            status,
            applied_at,
            entered,
        ));
        if status != "active" {
            acts.push(DemoActivity {
                person: Some(p.id.clone()),
                application: Some(aid.clone()),
                job: Some(job.id.clone()),
                actor: Some(recruiter.clone()),
                actor_label: "Riley Recruiter".into(),
                kind: "stage_moved".into(),
                summary: if status == "rejected" {
                    "Application closed: not moving forward".into()
                } else {
                    "Application marked as withdrawn".into()
                },
                visible_to_candidate: true,
                at: entered,
            });
        }
        apps.push(DemoApplication {
            id: aid,
            person: p.id.clone(),
            person_name: format!("{} {}", p.first_name, p.last_name),
            uniq: format!("{}:{}", key(&p.id), key(&job.id)),
            job: job.id.clone(),
            stage: stage_ids[si].into(),
            status: status.into(),
            source: p.source.clone(),
            stage_entered_at: entered,
            created_at: applied_at,
        });
    }

    // Past candidates turned down late in the process: the demo talent pool.
    let silver_medalists: Vec<RecordId> = apps
        .iter()
        .filter(|a| a.status == "rejected")
        .map(|a| a.person.clone())
        .take(12)
        .collect();

    let approvals: Vec<DemoApproval> = jobs
        .iter()
        .filter(|j| j.approval_status == "approved")
        .map(|j| DemoApproval {
            job: j.id.clone(),
            round: 1,
            position: 0,
            approver: manager.clone(),
            status: "approved".into(),
            decided_at: j.published_at.unwrap_or(now) - Duration::days(1),
            decided_via: "app".into(),
            requested_by: "Riley Recruiter".into(),
        })
        .collect();
    // Each statement commits on its own (no BEGIN/COMMIT around them): an INSERT keeps a
    // savepoint per record, which SurrealDB's in-memory store makes by copying the
    // transaction's writes so far, so one transaction over all of them cost time quadratic in
    // its size: 2.3-3.7 s on `mem://` in a debug build, 1.7-2.0 s as separate statements (every
    // HTTP test's app and the browser tests' server seed the demo). Like the staff accounts
    // above, what was written stays if a later statement fails.
    db.query(
        "INSERT INTO job $jobs RETURN NONE;
         INSERT INTO approval $approvals RETURN NONE;
         INSERT INTO person $people RETURN NONE;
         INSERT INTO application $apps RETURN NONE;
         -- Arrival was recorded at the stage each demo application starts in; its real
         -- history replaces that.
         DELETE stage_event WHERE application IN $apps.id;
         INSERT INTO stage_event $history RETURN NONE;
         INSERT INTO self_identification $self_ids RETURN NONE;
         INSERT INTO activity $acts RETURN NONE;",
    )
    .bind(("jobs", jobs))
    .bind(("approvals", approvals))
    .bind(("people", people))
    .bind(("apps", apps))
    .bind(("history", history))
    .bind(("self_ids", self_ids))
    .bind(("acts", acts))
    .await
    .and_then(|r| r.check())
    .map_err(|e| format!("demo seed failed: {e}"))?;
    // One background job that failed for good, so the admins' jobs page shows what that looks
    // like: a Slack message the old webhook refused. Retrying it (without SLACK_WEBHOOK_URL)
    // completes it.
    db.query(
        "CREATE task CONTENT {
            kind: 'slack', status: 'failed', attempts: 8, due_at: $at, created_at: $at,
            payload: { text: 'Approval needed: Senior Rust Engineer (Backend)' },
            last_error: 'Slack answered 404 Not Found (the webhook was removed in Slack)'
        } RETURN NONE",
    )
    .bind(("at", now - Duration::hours(3)))
    .await
    .and_then(|r| r.check())
    .map_err(|e| format!("demo seed failed: {e}"))?;
    crate::pools::demo::seed(st, &silver_medalists)
        .await
        .map_err(|e| format!("demo seed failed: {e}"))?;
    crate::privacy::consent::seed_demo(db, &st.config.company_name)
        .await
        .map_err(|e| format!("demo seed failed: {e}"))?;
    crate::interviews::repo::seed_demo(db, now)
        .await
        .map_err(|e| format!("demo seed failed: {e}"))?;
    crate::offers::repo::seed_demo(db, &st.config.company_name, now)
        .await
        .map_err(|e| format!("demo seed failed: {e}"))?;
    crate::privacy::repo::seed_demo(db, now)
        .await
        .map_err(|e| format!("demo seed failed: {e}"))?;
    crate::screening::demo::seed(db)
        .await
        .map_err(|e| format!("demo seed failed: {e}"))?;
    // The careers page's introduction, as an admin would write it (`/admin/brand`).
    crate::server::brand::save(
        db,
        crate::server::brand::DEFAULT_COLOUR,
        "We build the tools finance teams trust with their numbers: 120 people in London and \
         Berlin, hiring for curiosity and kindness as much as for skill.\n\nA person reads every \
         application, and you can follow yours online.",
        "Demo",
    )
    .await
    .map_err(|e| format!("demo seed failed: {e}"))?;
    tracing::info!(staff = %staff_ids.iter().map(key).collect::<Vec<_>>().join(","), "demo data ready");
    Ok(())
}
