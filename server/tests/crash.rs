//! Crash durability: the server runs on an on-disk database (surrealkv), clients write
//! concurrently (applications, card moves, notes) and remember every write the server
//! acknowledged; the process is killed with SIGKILL at a random moment, and then every
//! acknowledged write must be in the database, which must open cleanly, and the server must start
//! again. Three trials here; `scripts/crash.sh` runs a hundred and prints the losses.

mod common;

use app::auth::api::Login;
use app::people::api::AddNote;
use app::pipeline::api::{GetBoard, MoveCard};
use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use server_fn::ServerFn;
use std::collections::HashMap;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BOARD: &str = "data-analyst";

/// What the clients were told was stored.
#[derive(Default)]
struct Acked {
    applications: Vec<String>,
    notes: Vec<String>,
    /// Card → (last acknowledged stage, stage of a move still in flight when the server died).
    moves: HashMap<String, (Option<String>, Option<String>)>,
}

struct Server {
    child: Child,
    base: String,
}

/// Starts the server binary on the database in `dir`; returns once it serves.
fn start(dir: &std::path::Path) -> Server {
    let mut cmd = server_command();
    cmd.env(
        "DATABASE_URL",
        format!("surrealkv://{}", dir.join("ats.db").display()),
    )
    .env("ATS_DEMO", "1")
    .env("APP_SECRET", "crash-test-secret-crash-test-secret")
    .env("ATS_PUBLIC_FORMS_PER_IP_HOUR", "100000")
    .env("RUST_LOG", "error")
    .stderr(Stdio::null());
    let (child, base) = serve_process(cmd, None, "the server");
    Server { child, base }
}

async fn staff(base: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let r = post_fn::<Login>(
        base,
        &c,
        &[
            ("email", "recruiter@acme.test"),
            ("password", app::demo::DEMO_PASSWORD),
            ("next", "/app"),
        ],
    )
    .await
    .unwrap();
    assert!(r.status().is_success());
    c
}

/// Writes until the server dies; every acknowledged write goes into `acked`.
async fn drive(base: String, trial: usize, acked: Arc<Mutex<Acked>>) {
    let c = staff(&base).await;
    let board: Value = post_fn::<GetBoard>(&base, &c, &[("job_id", BOARD)])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let stages = first_columns(&board, 2);
    let cards: Vec<(String, String)> = board["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["status"] == "active" && stages.contains(&c["stage"].as_str().unwrap().to_string())
        })
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["stage"].as_str().unwrap().to_string(),
            )
        })
        .take(4)
        .collect();
    let person = board["cards"][0]["person_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let mut tasks = Vec::new();
    // Applicants.
    for w in 0..2 {
        let (base, acked) = (base.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            let c = reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            for i in 0.. {
                let email = format!("crash{trial}-{w}-{i}@example.org");
                let form = Form::new()
                    .text("job_id", "rust-backend")
                    .text("name", "Crash Test")
                    .text("email", email.clone())
                    .text("phone", "")
                    .part("resume", Part::bytes(pdf_bytes("")).file_name("cv.pdf"));
                let Ok(r) = c
                    .post(format!("{base}{}", app::careers::api::Apply::PATH))
                    .header("Origin", &base)
                    .header("Accept", "application/json")
                    .multipart(form)
                    .send()
                    .await
                else {
                    return;
                };
                if r.status().is_success() || r.status().is_redirection() {
                    acked.lock().unwrap().applications.push(email);
                }
            }
        }));
    }
    // Note writers.
    for w in 0..2 {
        let (base, acked, c, person) = (base.clone(), acked.clone(), c.clone(), person.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                let body = format!("crash note {trial}-{w}-{i}");
                let Ok(r) =
                    post_fn::<AddNote>(&base, &c, &[("person_id", &person), ("body", &body)]).await
                else {
                    return;
                };
                if r.status().is_success() {
                    acked.lock().unwrap().notes.push(body);
                }
            }
        }));
    }
    // Movers: each owns its cards and moves them back and forth between two stages.
    for (card, mut at) in cards {
        let (base, acked, c, stages) = (base.clone(), acked.clone(), c.clone(), stages.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let to = if at == stages[0] {
                    &stages[1]
                } else {
                    &stages[0]
                };
                acked
                    .lock()
                    .unwrap()
                    .moves
                    .entry(card.clone())
                    .or_default()
                    .1 = Some(to.clone());
                let Ok(r) = post_fn::<MoveCard>(
                    &base,
                    &c,
                    &[
                        ("job_id", BOARD),
                        ("application_id", &card),
                        ("from", &at),
                        ("to", to),
                    ],
                )
                .await
                else {
                    return;
                };
                if r.status().is_success() {
                    let mut a = acked.lock().unwrap();
                    let e = a.moves.entry(card.clone()).or_default();
                    *e = (Some(to.clone()), None);
                    at = to.clone();
                } else {
                    acked
                        .lock()
                        .unwrap()
                        .moves
                        .entry(card.clone())
                        .or_default()
                        .1 = None;
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// Opens the database the killed server left and counts what is missing.
async fn losses(dir: &std::path::Path, acked: &Acked) -> (usize, usize) {
    let mut config = app::server::config::Config::for_tests();
    config.database_url = format!("surrealkv://{}", dir.join("ats.db").display());
    config.database_db = "ats".into();
    let db = app::server::db::connect(&config)
        .await
        .expect("the database opens cleanly");
    let mut lost = 0;
    let mut checked = 0;
    // Each acknowledged application (by email) and note (by body) must find a row.
    for (query, values) in [
        (
            "SELECT VALUE id FROM application WHERE person.email = $v",
            &acked.applications,
        ),
        ("SELECT VALUE id FROM note WHERE body = $v", &acked.notes),
    ] {
        for v in values {
            let mut r = db.query(query).bind(("v", v.clone())).await.unwrap();
            let ids: Vec<surrealdb::types::RecordId> = r.take(0).unwrap();
            checked += 1;
            if ids.is_empty() {
                lost += 1;
            }
        }
    }
    for (card, (done, in_flight)) in &acked.moves {
        let Some(done) = done else { continue };
        let mut r = db
            .query("SELECT VALUE stage FROM type::record('application', $k)")
            .bind(("k", card.clone()))
            .await
            .unwrap();
        let stage: Vec<String> = r.take(0).unwrap();
        checked += 1;
        let ok = stage.first() == Some(done) || stage.first() == in_flight.as_ref();
        if !ok {
            lost += 1;
        }
    }
    drop(db);
    (checked, lost)
}

/// One trial: start, write, kill -9 at a random moment, check, start again.
async fn trial(n: usize) -> (usize, usize) {
    let dir = temp_dir(&format!("crash-{n}"));
    let mut server = start(&dir);
    let acked = Arc::new(Mutex::new(Acked::default()));
    let driver = tokio::spawn(drive(server.base.clone(), n, acked.clone()));
    // A random moment within the busy seconds (clock nanoseconds as the dice).
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    tokio::time::sleep(Duration::from_millis(800 + nanos % 2_200)).await;
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();
    let _ = driver.await;
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    let (checked, lost) = losses(&dir, &acked).await;
    // The server starts again on what was left, and its search index (replayed from the
    // database's change feed at start) finds every acknowledged applicant and note.
    let mut again = start(&dir);
    let index = dir.join("ats.db.search");
    let mut unfindable = Vec::new();
    for (field, q) in acked
        .applications
        .iter()
        .map(|e| ("email", format!("\"{e}\"")))
        .chain(acked.notes.iter().map(|n| ("note", format!("\"{n}\""))))
    {
        if app::search::index::count_in_dir(&index, &q).expect("the index opens") == 0 {
            unfindable.push(format!("{field} {q}"));
        }
    }
    again.child.kill().unwrap();
    again.child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        unfindable.is_empty(),
        "acknowledged but not in the search index after the restart: {unfindable:?}"
    );
    (checked, lost)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let trials: usize = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let (mut checked, mut lost) = (0, 0);
    for n in 0..trials {
        let (c, l) = trial(n).await;
        println!(
            "trial {:>3}: {c:>5} acknowledged writes checked, {l} lost",
            n + 1
        );
        checked += c;
        lost += l;
    }
    println!("crash: {trials} trials, {checked} acknowledged writes, {lost} lost");
    assert!(checked > 0, "the clients wrote nothing before the kill");
    assert_eq!(lost, 0, "acknowledged writes were lost");
}
