//! `soak [USERS] [SECONDS]`: USERS simulated people, half recruiters and half candidates, do real
//! journeys over HTTP against the real router (the same one the server binary serves) for
//! SECONDS, each waiting `SOAK_THINK_MS` (default 1,000) between steps as a person would:
//! - a recruiter loads a board (one time in ten the 1,000-card one), moves one of their own cards
//!   to the next stage, searches for a skill and opens a profile;
//! - a candidate loads the careers list and a job page, applies with a PDF resume (read and
//!   indexed as in production) and opens their portal.
//!
//! It prints requests per second, p50/p95/p99 and errors per step (goal: 0), and the process's
//! resident memory every minute and at the end (goal: flat). Data: 10,000 people, 3,000
//! applications over 20 jobs, in an on-disk SurrealKV database, background workers on. A short
//! run with a few users is a test (`soak_journeys_work`), so the journeys cannot rot.

use app::server::AppState;
use app::server::config::Config;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use surrealdb::types::RecordId;

const STEPS: [&str; 8] = [
    "board page",
    "move a card",
    "search page",
    "profile page",
    "careers list",
    "job page",
    "apply (PDF resume)",
    "portal",
];

#[derive(Default)]
struct Step {
    samples: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

type Results = Arc<Mutex<BTreeMap<&'static str, Step>>>;

fn record(results: &Results, step: &'static str, took: Duration, outcome: Result<(), String>) {
    let mut r = results.lock().unwrap();
    let s = r.entry(step).or_default();
    s.samples.push(took);
    if let Err(e) = outcome {
        s.errors += 1;
        s.first_error.get_or_insert(e);
    }
}

/// The resident memory of this process (server and clients), in MB.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// `name=value` of a `Set-Cookie` header value.
fn cookie_pair(set_cookie: &axum::http::HeaderValue) -> String {
    set_cookie
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// One simulated person's browser: its own connections, redirects not followed.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(c: &reqwest::Client, url: &str, cookie: &str) -> Result<(), String> {
    let r = c
        .get(url)
        .header("Cookie", cookie)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let body = r.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() && !body.is_empty() {
        Ok(())
    } else {
        Err(format!("GET {url}: {status}"))
    }
}

struct Staff {
    cookie: String,
    /// Cards only this user moves: (job, application, stage now).
    cards: Vec<(String, String, String)>,
}

/// What a soak run does.
pub(crate) struct Plan {
    pub users: usize,
    pub seconds: u64,
    pub think: Duration,
    pub people: usize,
    pub applications: usize,
    pub jobs: usize,
}

impl Plan {
    /// `soak [USERS] [SECONDS]`, `SOAK_THINK_MS`.
    pub fn new(users: usize, seconds: u64) -> Plan {
        let think = std::env::var("SOAK_THINK_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        Plan {
            users,
            seconds,
            think: Duration::from_millis(think),
            people: 10_000,
            applications: 3_000,
            jobs: 20,
        }
    }
}

/// Requests and errors of every step, after the run.
pub(crate) struct Outcome {
    /// Read by the test (every step ran).
    #[cfg_attr(not(test), expect(dead_code))]
    pub requests: BTreeMap<&'static str, usize>,
    pub errors: usize,
}

pub(crate) async fn run(plan: Plan) -> Outcome {
    let Plan {
        users,
        seconds,
        think,
        people,
        applications,
        jobs,
    } = plan;
    assert!(users >= 2 && jobs >= 2 && applications >= 1000 && people >= 1000);
    let dir = std::env::temp_dir().join(format!("ats-bench-soak-{}", std::process::id()));
    let mut config = Config::for_tests();
    config.database_url = format!("surrealkv://{}", dir.join("db").display());
    // Each simulated candidate has an address of their own, as real ones do: they come through
    // a trusted proxy (this process) that names them in X-Forwarded-For. (From one address, the
    // per-address allowance of the public forms refuses them, and their concurrent applies
    // contend on one rate-limit row, which refuses some too.)
    config.trusted_proxies = vec![std::net::IpAddr::from([127, 0, 0, 1])];
    // A simulated candidate applies every few seconds, far more than a person would.
    config.public_forms_per_ip_hour = 1_000_000;
    println!("database: {}", config.database_url);
    let st: AppState = app::startup::init(server::test_leptos_options(), config)
        .await
        .expect("state");
    crate::generate(&st, people, applications, jobs).await;

    let (base, srv) = crate::serve_on_loopback(&st).await;

    // Recruiters: an account and a session each, and their own cards to move (the big board's
    // first 1,000 applications are split between them).
    let staff_users = users.div_ceil(2);
    let hash = app::server::security::hash_password("soak-password-123").unwrap();
    let mut staff = Vec::new();
    for u in 0..staff_users {
        let email = format!("soak{u}@acme.test");
        app::auth::repo::create_staff(
            &st.db,
            &email,
            &format!("Soak Recruiter {u}"),
            app::auth::types::Role::Recruiter,
            &hash,
        )
        .await
        .unwrap();
        let id: Option<RecordId> = st
            .db
            .query("SELECT VALUE id FROM ONLY staff WHERE email = $e LIMIT 1")
            .bind(("e", email))
            .await
            .unwrap()
            .take(0)
            .unwrap();
        let cookie = app::auth::guard::start_session(&st, "staff", id, None)
            .await
            .unwrap();
        staff.push(Staff {
            cookie: cookie_pair(&cookie),
            cards: Vec::new(),
        });
    }
    // The big board's active cards (a rejected one moves from its own column), split between
    // the recruiters so that no two move the same card.
    let active: Vec<(RecordId, String)> = st
        .db
        .query("SELECT VALUE [id, stage] FROM application WHERE job = job:bench000 AND status = 'active'")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    for (i, (id, stage)) in active.into_iter().enumerate() {
        staff[i % staff_users].cards.push((
            "bench000".to_string(),
            app::server::db::key(&id),
            stage,
        ));
    }
    // Candidates: a portal session each, for a person with applications.
    let mut candidates = Vec::new();
    for u in 0..(users - staff_users) {
        let person = RecordId::new("person", format!("p{:06}", (u * 7919) % people));
        let cookie = app::auth::guard::start_session(&st, "candidate", None, Some(person))
            .await
            .unwrap();
        candidates.push(cookie_pair(&cookie));
    }
    let resume: &'static [u8] = include_bytes!("../../end2end/fixtures/resume.pdf");

    let results: Results = Arc::default();
    let rss_start = rss_mb();
    println!(
        "soak: {staff_users} recruiters + {} candidates for {seconds} s, {} ms between steps; RSS at start {rss_start:.0} MB",
        users - staff_users,
        think.as_millis()
    );
    let t0 = Instant::now();
    let deadline = t0 + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (u, mut me) in staff.into_iter().enumerate() {
        let (base, results) = (base.clone(), results.clone());
        tasks.push(tokio::spawn(async move {
            let c = client();
            let mut rng = app::demo::Lcg(0x5eed ^ (u as u64 * 7919));
            let skills = app::careers::skills::SKILLS;
            let mut next = 0;
            // Start at different moments, as people do.
            tokio::time::sleep(think.mul_f64(rng.below(1000) as f64 / 1000.0)).await;
            while Instant::now() < deadline {
                let job = if rng.below(10) == 0 {
                    "bench000".to_string()
                } else {
                    format!("bench{:03}", 1 + rng.below(jobs - 1))
                };
                let t = Instant::now();
                let r = get(&c, &format!("{base}/app/jobs/{job}/board"), &me.cookie).await;
                record(&results, STEPS[0], t.elapsed(), r);
                tokio::time::sleep(think).await;

                if !me.cards.is_empty() {
                    let n = me.cards.len();
                    let card = &mut me.cards[next % n];
                    next += 1;
                    let to = match card.2.as_str() {
                        "applied" => "phone_screen",
                        "phone_screen" => "interview",
                        "interview" => "offer",
                        _ => "applied",
                    };
                    use server_fn::ServerFn;
                    let t = Instant::now();
                    let r = c
                        .post(format!("{base}{}", app::pipeline::api::MoveCard::PATH))
                        .header("Cookie", &me.cookie)
                        .header("Origin", &base)
                        .header("Accept", "application/json")
                        .form(&[
                            ("job_id", card.0.as_str()),
                            ("application_id", card.1.as_str()),
                            ("from", card.2.as_str()),
                            ("to", to),
                        ])
                        .send()
                        .await;
                    let outcome = match r {
                        Ok(r) if r.status().is_success() => {
                            card.2 = to.to_string();
                            Ok(())
                        }
                        Ok(r) => Err(format!(
                            "move {}: {} {}",
                            card.1,
                            r.status(),
                            r.text().await.unwrap_or_default()
                        )),
                        Err(e) => Err(e.to_string()),
                    };
                    record(&results, STEPS[1], t.elapsed(), outcome);
                    tokio::time::sleep(think).await;
                }

                let q = skills[rng.below(skills.len())];
                let t = Instant::now();
                let r = get(
                    &c,
                    &format!("{base}/app/search?q={}", app::components::urlencode(q)),
                    &me.cookie,
                )
                .await;
                record(&results, STEPS[2], t.elapsed(), r);
                tokio::time::sleep(think).await;

                let t = Instant::now();
                let r = get(
                    &c,
                    &format!("{base}/app/people/p{:06}", rng.below(people)),
                    &me.cookie,
                )
                .await;
                record(&results, STEPS[3], t.elapsed(), r);
                tokio::time::sleep(think).await;
            }
        }));
    }
    for (u, cookie) in candidates.into_iter().enumerate() {
        let (base, results) = (base.clone(), results.clone());
        tasks.push(tokio::spawn(async move {
            let c = client();
            let mut rng = app::demo::Lcg(0xca4d ^ (u as u64 * 104_729));
            let mut n = 0;
            tokio::time::sleep(think.mul_f64(rng.below(1000) as f64 / 1000.0)).await;
            while Instant::now() < deadline {
                let t = Instant::now();
                let r = get(&c, &format!("{base}/jobs"), "").await;
                record(&results, STEPS[4], t.elapsed(), r);
                tokio::time::sleep(think).await;

                let job = format!("bench{:03}", 1 + rng.below(jobs - 1));
                let t = Instant::now();
                let r = get(&c, &format!("{base}/jobs/{job}"), "").await;
                record(&results, STEPS[5], t.elapsed(), r);
                tokio::time::sleep(think).await;

                n += 1;
                use server_fn::ServerFn;
                let form = reqwest::multipart::Form::new()
                    .text("job_id", job.clone())
                    .text("name", format!("Soak Candidate {u}-{n}"))
                    .text("email", format!("soak{u}.{n}@candidates.example"))
                    .text("phone", "")
                    .part(
                        "resume",
                        reqwest::multipart::Part::bytes(resume).file_name("resume.pdf"),
                    );
                let t = Instant::now();
                let r = c
                    .post(format!("{base}{}", app::careers::api::Apply::PATH))
                    .header("Origin", &base)
                    .header(
                        "X-Forwarded-For",
                        format!("10.1.{}.{}", u / 250, u % 250 + 1),
                    )
                    .header("Accept", "application/json")
                    .multipart(form)
                    .send()
                    .await;
                let outcome = match r {
                    Ok(r) if r.status().is_success() || r.status().is_redirection() => Ok(()),
                    Ok(r) => Err(format!(
                        "apply: {} {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    )),
                    Err(e) => Err(e.to_string()),
                };
                record(&results, STEPS[6], t.elapsed(), outcome);
                tokio::time::sleep(think).await;

                let t = Instant::now();
                let r = get(&c, &format!("{base}/portal"), &cookie).await;
                record(&results, STEPS[7], t.elapsed(), r);
                tokio::time::sleep(think).await;
            }
        }));
    }
    // Memory every minute while they work.
    let mut rss = vec![(0u64, rss_start)];
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(60).min(deadline - Instant::now())).await;
        rss.push((t0.elapsed().as_secs(), rss_mb()));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let took = t0.elapsed().as_secs_f64();
    let rss_end = rss_mb();

    let mut results = std::mem::take(&mut *results.lock().unwrap());
    let total: usize = results.values().map(|s| s.samples.len()).sum();
    let errors: usize = results.values().map(|s| s.errors).sum();
    println!(
        "soak: {total} requests in {took:.0} s = {:.0} requests/s; errors {errors}",
        total as f64 / took
    );
    println!(
        "{:<22} {:>7} {:>10} {:>10} {:>10} {:>7}",
        "step", "n", "p50 ms", "p95 ms", "p99 ms", "errors"
    );
    for name in STEPS {
        let Some(s) = results.get_mut(name) else {
            continue;
        };
        s.samples.sort();
        let p = |q: f64| {
            let i = ((s.samples.len() as f64 - 1.0) * q).round() as usize;
            s.samples[i].as_secs_f64() * 1000.0
        };
        println!(
            "{name:<22} {:>7} {:>10.1} {:>10.1} {:>10.1} {:>7}",
            s.samples.len(),
            p(0.50),
            p(0.95),
            p(0.99),
            s.errors
        );
        if let Some(e) = &s.first_error {
            println!(
                "    first error: {}",
                e.chars().take(300).collect::<String>()
            );
        }
    }
    let line: Vec<String> = rss
        .iter()
        .map(|(t, mb)| format!("{t} s: {mb:.0} MB"))
        .collect();
    println!(
        "resident memory (server and clients): {}; end: {rss_end:.0} MB",
        line.join(", ")
    );
    srv.abort();
    crate::finish(st, dir).await;
    Outcome {
        requests: results.iter().map(|(k, s)| (*k, s.samples.len())).collect(),
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every journey of the soak works against the real router: no errors, every step ran.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn soak_journeys_work() {
        let outcome = run(Plan {
            users: 4,
            seconds: 3,
            think: Duration::from_millis(50),
            people: 1_500,
            applications: 1_200,
            jobs: 4,
        })
        .await;
        assert_eq!(outcome.errors, 0);
        for step in STEPS {
            assert!(
                outcome.requests.get(step).copied().unwrap_or(0) > 0,
                "{step} never ran"
            );
        }
    }
}
