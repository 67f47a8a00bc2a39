//! `bench cluster [CLIENTS] [SECONDS]`: one SurrealDB server (`tools/surreal`, over loopback),
//! then 1 and 2 app nodes on it, each with its own connection, state and HTTP listener (in this
//! process, as `scripts/cluster.sh` runs them as processes). CLIENTS staff clients, spread over
//! the nodes, move their own cards on a 1,000-card board and load its page every fourth step,
//! for SECONDS. Printed side by side: moves per second, move p95 and board p95.
//!
//! On one machine the nodes share its cores with the database server: the figures show what a
//! second node costs or gains here, and whether anything serialises across nodes (locks,
//! conflicts), not what a second machine would add.

use crate::{generate, percentile};
use app::server::config::Config;
use server_fn::ServerFn;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The SurrealDB server binary: `$ATS_SURREAL` (set by `scripts/lib.sh`), else the cache.
pub fn surreal_bin() -> PathBuf {
    std::env::var_os("ATS_SURREAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_default();
            Path::new(&home).join(".cache/ats-tools/bin/surreal-3.3.5")
        })
}

/// A SurrealDB server on a free loopback port with its data in `dir`; killed on drop.
pub struct DbServer {
    child: Child,
    pub url: String,
}

impl DbServer {
    pub async fn start(dir: &Path) -> DbServer {
        let bin = surreal_bin();
        assert!(
            bin.exists(),
            "{} is missing: build it with `bash -c 'source scripts/lib.sh; ensure_surreal'`",
            bin.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::fs::create_dir_all(dir).unwrap();
        let child = Command::new(bin)
            .args(["start", "--no-banner", "--log", "error", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["--user", "root", "--pass", "root"])
            .arg(format!("surrealkv://{}", dir.join("db").display()))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the SurrealDB server starts");
        let health = format!("http://127.0.0.1:{port}/health");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !reqwest::get(&health)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            assert!(
                Instant::now() < deadline,
                "the SurrealDB server did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        DbServer {
            child,
            url: format!("ws://127.0.0.1:{port}"),
        }
    }
}

impl Drop for DbServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one run measured.
pub struct Figures {
    pub nodes: usize,
    pub moves: u64,
    pub refused: u64,
    pub errors: u64,
    pub seconds: f64,
    pub move_p95: Duration,
    pub board_p95: Duration,
    pub boards: usize,
}

impl Figures {
    pub fn moves_per_second(&self) -> f64 {
        self.moves as f64 / self.seconds
    }
}

const PASSWORD: &str = "bench-password-123";

/// The data each run starts from: `people`, and `applications` of which up to 1,000 make the
/// board of job bench000 that the clients work on.
#[derive(Debug, Clone, Copy)]
pub struct Data {
    pub people: usize,
    pub applications: usize,
}

impl Data {
    /// The benchmark's: a board of 1,000 cards.
    pub const BENCH: Data = Data {
        people: 2_000,
        applications: 1_000,
    };
}

/// One run: `nodes` app nodes on database `db_name` of the server, `clients` clients.
pub async fn run_once(
    server: &DbServer,
    dir: &Path,
    db_name: &str,
    nodes: usize,
    clients: usize,
    seconds: u64,
    data: Data,
) -> Figures {
    let config = |n: usize| {
        let mut c = Config::for_tests();
        c.database_url = server.url.clone();
        c.database_user = "root".into();
        c.database_pass = "root".into();
        c.database_ns = "bench".into();
        c.database_db = db_name.into();
        c.workers = false;
        c.search_index_dir = Some(dir.join(format!("{db_name}-search-{n}")));
        c
    };
    // The first node's state writes the data (the cards on job bench000) and the clients'
    // accounts; then every node starts on it.
    let first = app::startup::init(server::test_leptos_options(), config(0))
        .await
        .expect("a node connects");
    generate(&first, data.people, data.applications, 2).await;
    let hash = app::server::security::hash_password(PASSWORD).unwrap();
    for k in 0..clients {
        app::auth::repo::create_staff(
            &first.db,
            &format!("mover{k}@acme.test"),
            &format!("Mover {k}"),
            app::auth::types::Role::Recruiter,
            &hash,
        )
        .await
        .unwrap();
    }
    let mut states = vec![first];
    for n in 1..nodes {
        states.push(
            app::startup::init(server::test_leptos_options(), config(n))
                .await
                .expect("a node connects"),
        );
    }
    let mut bases = Vec::new();
    let mut servers = Vec::new();
    for st in &states {
        let (base, srv) = crate::serve_on_loopback(st).await;
        bases.push(base);
        servers.push(srv);
    }

    // Each client takes its own cards so that moves do not fight over one card.
    let job = app::jobs::repo::get(
        &states[0].db,
        &surrealdb::types::RecordId::new("job", "bench000"),
    )
    .await
    .unwrap()
    .unwrap();
    let board = app::pipeline::repo::board(
        &states[0].db,
        &job,
        &app::pipeline::types::BoardFilters::default(),
    )
    .await
    .unwrap();
    let cards: Vec<(String, String)> = board
        .cards
        .iter()
        .filter(|c| c.status == "active")
        .map(|c| (c.id.clone(), c.column()))
        .collect();
    let per = cards.len() / clients;
    assert!(per > 0, "more clients than cards");

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut handles = Vec::new();
    for k in 0..clients {
        let base = bases[k % nodes].clone();
        let mut mine: Vec<(String, String)> = cards[k * per..(k + 1) * per].to_vec();
        handles.push(tokio::spawn(async move {
            let c = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap();
            let email = format!("mover{k}@acme.test");
            let r = c
                .post(format!("{base}{}", app::auth::api::Login::PATH))
                .header("Origin", &base)
                .header("Accept", "application/json")
                .form(&[
                    ("email", email.as_str()),
                    ("password", PASSWORD),
                    ("next", "/app"),
                ])
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "sign-in: {}", r.status());
            let (mut moves, mut boards) = (Vec::new(), Vec::new());
            let (mut refused, mut errors) = (0u64, 0u64);
            let mut i = 0;
            while Instant::now() < deadline {
                let slot = i % mine.len();
                let (id, from) = mine[slot].clone();
                let to = if from == "interview" {
                    "offer"
                } else {
                    "interview"
                };
                let t = Instant::now();
                let r = c
                    .post(format!("{base}{}", app::pipeline::api::MoveCard::PATH))
                    .header("Origin", &base)
                    .header("Accept", "application/json")
                    .form(&[
                        ("job_id", "bench000"),
                        ("application_id", id.as_str()),
                        ("from", from.as_str()),
                        ("to", to),
                    ])
                    .send()
                    .await;
                match r.map(|r| r.status().as_u16()) {
                    Ok(200) => {
                        moves.push(t.elapsed());
                        mine[slot].1 = to.to_string();
                    }
                    Ok(409) => refused += 1,
                    _ => errors += 1,
                }
                // From the first step on, so that even a short run (the test's) loads the board.
                if i % 4 == 0 {
                    let t = Instant::now();
                    let loaded = match c
                        .get(format!("{base}/app/jobs/bench000/board"))
                        .send()
                        .await
                    {
                        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                        _ => false,
                    };
                    if loaded {
                        boards.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                i += 1;
            }
            (moves, boards, refused, errors)
        }));
    }
    let (mut moves, mut boards) = (Vec::new(), Vec::new());
    let (mut refused, mut errors) = (0, 0);
    for h in handles {
        let (m, b, r, e) = h.await.unwrap();
        moves.extend(m);
        boards.extend(b);
        refused += r;
        errors += e;
    }
    let seconds = started.elapsed().as_secs_f64();
    for s in servers {
        s.abort();
    }
    let n_moves = moves.len() as u64;
    let n_boards = boards.len();
    Figures {
        nodes,
        moves: n_moves,
        refused,
        errors,
        seconds,
        move_p95: if moves.is_empty() {
            Duration::ZERO
        } else {
            percentile(&mut moves, 0.95)
        },
        board_p95: if boards.is_empty() {
            Duration::ZERO
        } else {
            percentile(&mut boards, 0.95)
        },
        boards: n_boards,
    }
}

/// Runs 1 node, then 2, each on a fresh database of one SurrealDB server; prints both.
pub async fn run(clients: usize, seconds: u64, data: Data) -> Vec<Figures> {
    let dir = std::env::temp_dir().join(format!("ats-bench-cluster-{}", std::process::id()));
    let server = DbServer::start(&dir).await;
    println!(
        "SurrealDB server {} ({}), {clients} clients, {seconds} s per run, build: {}",
        server.url,
        surreal_bin().display(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    let mut out = Vec::new();
    for nodes in [1, 2] {
        out.push(
            run_once(
                &server,
                &dir,
                &format!("n{nodes}"),
                nodes,
                clients,
                seconds,
                data,
            )
            .await,
        );
    }
    println!(
        "{:<7} {:>10} {:>10} {:>12} {:>12} {:>8} {:>8}",
        "nodes", "moves/s", "move p95", "board p95", "boards", "409s", "errors"
    );
    for f in &out {
        println!(
            "{:<7} {:>10.1} {:>9.1}ms {:>10.1}ms {:>12} {:>8} {:>8}",
            f.nodes,
            f.moves_per_second(),
            f.move_p95.as_secs_f64() * 1000.0,
            f.board_p95.as_secs_f64() * 1000.0,
            f.boards,
            f.refused,
            f.errors
        );
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[cfg(test)]
mod tests {
    /// A short run of both set-ups, so the benchmark cannot rot: the moves and board loads go
    /// through on one node and on two, without errors. On a board of 100 cards: writing the
    /// benchmark's 1,000 (and 2,000 people) through the tests' unoptimised database server took
    /// 62 s per run, most of this test's 161 s.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_cluster_benchmark_runs_on_one_and_two_nodes() {
        let small = super::Data {
            people: 200,
            applications: 100,
        };
        let figures = super::run(4, 2, small).await;
        assert_eq!(figures.len(), 2);
        for f in figures {
            assert!(f.moves > 0, "{} node(s): no move went through", f.nodes);
            assert!(f.boards > 0, "{} node(s): no board loaded", f.nodes);
            assert_eq!(f.errors, 0, "{} node(s): errors", f.nodes);
        }
    }
}
