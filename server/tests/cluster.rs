//! Beyond one machine: two app nodes (the real server binary, twice) on one SurrealDB server
//! (`tools/surreal`, the library behind the `surreal` binary, started here over loopback), as
//! `scripts/cluster.sh` runs them. What one node does, the other sees: a session, a card move
//! (live, on a board it serves), rate limits, the search index; the campaign engines of both
//! share the work and send each message once; and both recover when the database restarts.
//!
//! The SurrealDB server binary comes from `$ATS_SURREAL` (set by `scripts/lib.sh`, which builds
//! it once per machine), else `~/.cache/ats-tools/bin/surreal-3.3.5`.

mod common;

use app::auth::api::Login;
use app::pipeline::api::{GetBoard, MoveCard};
use common::*;
use futures::StreamExt;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BOARD: &str = "data-analyst";

fn surreal_bin() -> PathBuf {
    let path = std::env::var_os("ATS_SURREAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_default();
            let tools = std::env::var_os("ATS_TOOLS")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(&home).join(".cache/ats-tools"));
            // The test command's build (unoptimised), else the optimised one.
            let dev = tools.join("bin/surreal-3.3.5-dev");
            if dev.exists() {
                dev
            } else {
                tools.join("bin/surreal-3.3.5")
            }
        });
    assert!(
        path.exists(),
        "the SurrealDB server binary {} is missing: run ./scripts/test.sh, or build it with \
         `bash -c 'source scripts/lib.sh; ensure_surreal dev'`",
        path.display()
    );
    path
}

/// A SurrealDB server on loopback, storing in a directory (so a restart keeps the data).
struct Database {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Database {
    fn start(dir: &Path) -> Self {
        // The server takes the port it is given: ask the system for a free one.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut db = Database {
            child: Self::spawn(dir, port),
            port,
            dir: dir.to_path_buf(),
        };
        db.wait_ready();
        db
    }

    fn spawn(dir: &Path, port: u16) -> Child {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("surreal.log"))
            .unwrap();
        Command::new(surreal_bin())
            .args(["start", "--no-banner", "--log", "warn", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["--user", "root", "--pass", "root"])
            .arg(format!("surrealkv://{}", dir.join("db").display()))
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("the SurrealDB server starts")
    }

    /// Waits until the server answers its health check.
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = format!("http://127.0.0.1:{}/health", self.port);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the SurrealDB server exited ({status}):\n{}",
                    std::fs::read_to_string(self.dir.join("surreal.log")).unwrap_or_default()
                );
            }
            if health_ok(&url) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the SurrealDB server did not answer"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same port and data.
    fn restart_after(&mut self, down: Duration) {
        self.stop();
        std::thread::sleep(down);
        self.child = Self::spawn(&self.dir, self.port);
        self.wait_ready();
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        self.stop();
    }
}

/// True when `GET url` answers 200 (a plain HTTP/1.1 request: no blocking HTTP client here).
fn health_ok(url: &str) -> bool {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let Ok(mut s) = std::net::TcpStream::connect(host) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if write!(
        s,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .is_err()
    {
        return false;
    }
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf.starts_with("HTTP/1.1 200")
}

/// One app node: the server binary with its own port, search index and process.
struct Node {
    child: Child,
    base: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_node(db: &Database, name: &str, smtp: Option<&Smtp>) -> Node {
    let log_path = db.dir.join(format!("node-{name}.log"));
    let log = std::fs::File::create(&log_path).unwrap();
    let mut cmd = server_command();
    cmd.env("DATABASE_URL", db.url())
        .env("DATABASE_USER", "root")
        .env("DATABASE_PASS", "root")
        .env("ATS_DEMO", "1")
        .env("ATS_WORKERS", "1")
        .env("ATS_ENGINE_TICK_MS", "200")
        .env("SEARCH_INDEX_DIR", db.dir.join(format!("search-{name}")))
        .env("RUST_LOG", "warn,app=info")
        .env_remove("SMTP_URL")
        .stderr(Stdio::from(log.try_clone().unwrap()));
    if let Some(smtp) = smtp {
        cmd.env("SMTP_URL", smtp.url());
    }
    let what = format!("node {name} (log: {})", log_path.display());
    let (child, base) = serve_process(cmd, Some(log), &what);
    Node { child, base }
}

/// A database server and two nodes on it. Node A starts first (it seeds the demo data into the
/// empty database), then B (which finds the data there and seeds nothing).
struct Cluster {
    a: Node,
    b: Node,
    db: Database,
}

fn cluster(tag: &str, smtp: Option<&Smtp>) -> Cluster {
    let dir = temp_dir(&format!("cluster-{tag}"));
    let db = Database::start(&dir);
    let a = start_node(&db, "a", smtp);
    let b = start_node(&db, "b", smtp);
    Cluster { a, b, db }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn call<S: ServerFn>(
    base: &str,
    c: &reqwest::Client,
    form: &[(&str, &str)],
) -> reqwest::Response {
    post_fn::<S>(base, c, form).await.expect("the node answers")
}

async fn sign_in(
    base: &str,
    c: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    call::<Login>(
        base,
        c,
        &[("email", email), ("password", password), ("next", "/app")],
    )
    .await
}

/// A card of the board and two stages to move it between.
async fn board(base: &str, c: &reqwest::Client) -> (String, String, String) {
    let r = call::<GetBoard>(base, c, &[("job_id", BOARD)]).await;
    assert_eq!(r.status(), 200, "the board loads");
    let board: Value = r.json().await.unwrap();
    let stages = first_columns(&board, 2);
    let card = board["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "active" && c["stage"] == stages[0].as_str())
        .expect("an active card in the first stage");
    (
        card["id"].as_str().unwrap().to_string(),
        stages[0].clone(),
        stages[1].clone(),
    )
}

/// A board's event stream, read event by event.
struct Events {
    stream: futures::stream::BoxStream<'static, reqwest::Result<Vec<u8>>>,
    buf: String,
}

impl Events {
    async fn open(base: &str, c: &reqwest::Client) -> Events {
        let r = c
            .get(format!("{base}/app/jobs/{BOARD}/events"))
            .timeout(Duration::from_secs(3600))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "the board's events are served");
        Events {
            stream: r.bytes_stream().map(|c| c.map(|b| b.to_vec())).boxed(),
            buf: String::new(),
        }
    }

    /// The next event (name, data) within `limit`.
    async fn next(&mut self, limit: Duration) -> Option<(String, Value)> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut name = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if name.is_empty() {
                    continue; // a keep-alive comment
                }
                return Some((name, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Ok(Some(Ok(chunk))) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
                Ok(_) => panic!("the board's event stream ended"),
                Err(_) => return None,
            }
        }
    }

    /// Waits (within `limit`) for the card event of `card` in `stage`; other events are skipped.
    async fn card_in(&mut self, card: &str, stage: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left).await {
                Some((name, data))
                    if name == "card"
                        && data["card"]["id"] == card
                        && data["card"]["stage"] == stage =>
                {
                    return true;
                }
                Some(_) => {}
                None => return false,
            }
        }
        false
    }
}

async fn move_card(base: &str, c: &reqwest::Client, card: &str, from: &str, to: &str) {
    let r = call::<MoveCard>(
        base,
        c,
        &[
            ("job_id", BOARD),
            ("application_id", card),
            ("from", from),
            ("to", to),
        ],
    )
    .await;
    assert_eq!(
        r.status(),
        200,
        "the move is accepted: {:?}",
        r.text().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_rate_limits_and_search_span_both_nodes() {
    let cl = cluster("shared", None);
    let (a, b) = (&cl.a.base, &cl.b.base);

    // Signed in on A, the session works on B (cookies are per host, not per port: one browser).
    let c = client();
    let r = sign_in(a, &c, "recruiter@acme.test", app::demo::DEMO_PASSWORD).await;
    assert_eq!(r.status(), 200, "signed in on A");
    let r = call::<GetBoard>(b, &c, &[("job_id", BOARD)]).await;
    assert_eq!(r.status(), 200, "B knows the session A opened");
    // Signed out on B, the session is gone on A too.
    let r = call::<app::auth::api::Logout>(b, &c, &[]).await;
    assert!(r.status().is_success(), "signed out on B: {}", r.status());
    let r = call::<GetBoard>(a, &c, &[("job_id", BOARD)]).await;
    assert_eq!(r.status(), 401, "A no longer accepts the session B ended");

    // The sign-in limit (5 failures per address within the window) holds across nodes:
    // three failures on A and two on B use it up, and then even the right password is refused
    // on either node.
    let guesser = client();
    for (i, node) in [a, b, a, b, a].into_iter().enumerate() {
        let r = sign_in(node, &guesser, "manager@acme.test", "not-the-password").await;
        assert_ne!(
            r.status(),
            429,
            "failure {} is still within the limit",
            i + 1
        );
        assert!(r.status().is_client_error(), "a wrong password is refused");
    }
    for node in [b, a] {
        let r = sign_in(
            node,
            &guesser,
            "manager@acme.test",
            app::demo::DEMO_PASSWORD,
        )
        .await;
        assert_eq!(r.status(), 429, "the limit counts failures on both nodes");
    }

    // A note added to a person through A makes them findable through B's own search index
    // (each node follows the database's change feed) within 2 s.
    let c = client();
    assert_eq!(
        sign_in(a, &c, "sourcer@acme.test", app::demo::DEMO_PASSWORD)
            .await
            .status(),
        200
    );
    let took = note_on_find_on(a, b, &c).await;
    println!("noted on A, found on B after {} ms", took.as_millis());
    assert!(
        took <= Duration::from_secs(2),
        "found on B after {took:?}, more than 2 s"
    );
}

/// Adds a note with a new word to a person through `on`, then searches for the word through
/// `find_on` (its own search index) until the person is found; returns how long that took.
async fn note_on_find_on(on: &str, find_on: &str, c: &reqwest::Client) -> Duration {
    let r = call::<app::people::api::ListPeople>(on, c, &[("q", ""), ("tag", ""), ("cursor", "")])
        .await;
    assert_eq!(r.status(), 200);
    let people: Value = r.json().await.unwrap();
    let person = people["people"][0]["id"]
        .as_str()
        .expect("a person in the demo data")
        .to_string();
    let word = format!(
        "kiwi{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let body = format!("Met at the meetup, {word}");
    let r = call::<app::people::api::AddNote>(
        on,
        c,
        &[("person_id", person.as_str()), ("body", body.as_str())],
    )
    .await;
    assert_eq!(r.status(), 200, "noted: {:?}", r.text().await);
    let noted = Instant::now();
    loop {
        let r = call::<app::search::api::SearchPeople>(find_on, c, &[("q", word.as_str())]).await;
        assert_eq!(r.status(), 200);
        let res: Value = r.json().await.unwrap();
        if res["hits"]
            .as_array()
            .is_some_and(|h| h.iter().any(|p| p["id"] == person.as_str()))
        {
            return noted.elapsed();
        }
        assert!(
            noted.elapsed() < Duration::from_secs(20),
            "{find_on}'s search never found the person noted through {on}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moves_reach_boards_on_the_other_node_also_across_a_database_restart() {
    let mut cl = cluster("live", None);
    let (a, b) = (cl.a.base.clone(), cl.b.base.clone());
    let c = client();
    assert_eq!(
        sign_in(&a, &c, "recruiter@acme.test", app::demo::DEMO_PASSWORD)
            .await
            .status(),
        200
    );
    let (card, first, second) = board(&a, &c).await;
    let mut events = Events::open(&b, &c).await;
    let (name, _) = events
        .next(Duration::from_secs(10))
        .await
        .expect("the stream starts with who is viewing");
    assert_eq!(name, "presence");

    // Moved through A, seen on B's board stream within a second.
    let moved = Instant::now();
    move_card(&a, &c, &card, &first, &second).await;
    assert!(
        events
            .card_in(&card, &second, Duration::from_secs(10))
            .await,
        "B's board hears of the move made through A"
    );
    let took = moved.elapsed();
    println!(
        "a move through A reached B's board {} ms after it was asked for",
        took.as_millis()
    );
    assert!(took <= Duration::from_secs(1), "took {took:?}");

    // The database goes away for a few seconds. The nodes notice within about a second (a
    // request caught in that moment waits a few seconds at most) and then answer at once, with
    // 503 and Retry-After: nothing hangs.
    cl.db.stop();
    let ask = async |node: &str| {
        let asked = Instant::now();
        let r = c
            .post(format!("{node}{}", GetBoard::PATH))
            .header("Origin", node)
            .header("Accept", "application/json")
            .form(&[("job_id", BOARD)])
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .expect("the node answers while the database is down");
        let retry = r
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (r.status().as_u16(), retry, asked.elapsed())
    };
    for node in [&a, &b] {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (status, _, took) = ask(node).await;
            assert!(
                took < Duration::from_secs(10),
                "{node} kept a request waiting {took:?}"
            );
            if status == 503 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{node} kept answering {status} without its database"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let (status, retry, took) = ask(node).await;
        assert_eq!(status, 503, "{node} refuses while the database is away");
        assert_eq!(retry.as_deref(), Some("5"), "a 503 says when to try again");
        assert!(
            took < Duration::from_secs(1),
            "answered at once, not after {took:?}"
        );
    }
    tokio::task::block_in_place(|| cl.db.restart_after(Duration::from_secs(1)));

    // Both recover: the same session works on both (it is in the database), moves go through,
    // and the board stream B had open all along hears them again (after a reload).
    for node in [&a, &b] {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let r = call::<GetBoard>(node, &c, &[("job_id", BOARD)]).await;
            if r.status() == 200 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{node} did not recover: {}",
                r.status()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut reloaded = false;
    while !reloaded {
        let left = deadline
            .checked_duration_since(Instant::now())
            .expect("B's board stream was told to reload after the restart");
        if let Some((name, _)) = events.next(left).await {
            reloaded = name == "reload";
        }
    }
    move_card(&a, &c, &card, &second, &first).await;
    assert!(
        events.card_in(&card, &first, Duration::from_secs(5)).await,
        "after the restart, B's open board hears of moves through A again"
    );
    // And B's search index follows the change feed again.
    let took = note_on_find_on(&a, &b, &c).await;
    println!(
        "after the restart: noted on A, found on B after {} ms",
        took.as_millis()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_worked_by_both_nodes_sends_each_message_once() {
    const RECIPIENTS: usize = 500;
    let smtp = Smtp::start();
    let cl = cluster("mail", Some(&smtp));
    let before = smtp.count();

    // The audience, written straight into the shared database.
    let mut config = app::server::config::Config::for_tests();
    config.database_url = cl.db.url();
    config.database_user = "root".into();
    config.database_pass = "root".into();
    config.database_ns = "ats".into();
    config.database_db = "ats".into();
    let db = app::server::db::connect(&config).await.expect("connects");
    let numbers: Vec<i64> = (0..RECIPIENTS as i64).collect();
    db.query(
        "FOR $i IN $numbers { CREATE type::record('person', 'cl' + <string>$i) SET \
         first_name = 'Pat', last_name = 'Cluster' + <string>$i, \
         email = 'r' + <string>$i + '@cluster.example', tags = ['cluster-mail'], \
         source = 'import', consent_status = 'granted' RETURN NONE; }",
    )
    .bind(("numbers", numbers))
    .await
    .unwrap()
    .check()
    .unwrap();
    let input = app::campaigns::types::CampaignInput::parse(
        "Two nodes",
        "cluster-mail",
        "Hello {{first_name}}",
        "Hi {{first_name}},\n\nWe are hiring.\n",
    )
    .unwrap();
    let campaign =
        app::campaigns::repo::create(&db, &input, &app::server::activity::Actor::system())
            .await
            .unwrap();

    // Launched through A; both nodes' engines and mail workers take their share.
    let c = client();
    assert_eq!(
        sign_in(
            &cl.a.base,
            &c,
            "sourcer@acme.test",
            app::demo::DEMO_PASSWORD
        )
        .await
        .status(),
        200
    );
    let key = app::server::db::key(&campaign);
    let r =
        call::<app::campaigns::api::SendCampaign>(&cl.a.base, &c, &[("campaign_id", &key)]).await;
    assert_eq!(r.status(), 200, "launched: {:?}", r.text().await);
    let enrolled: Value = r.json().await.unwrap();
    assert_eq!(enrolled[0], RECIPIENTS, "everyone enrolled");

    let started = Instant::now();
    while smtp.count() < before + RECIPIENTS {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "only {} of {RECIPIENTS} messages arrived",
            smtp.count() - before
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Every message is handed over before its mail row is marked sent: once all 500 rows are,
    // the sink holds everything the workers delivered, duplicates included.
    let campaign_ref = campaign.clone();
    wait_until("every campaign mail marked sent", async || {
        let mut r = db
            .query("SELECT VALUE id FROM mail WHERE campaign = $c AND status = 'sent'")
            .bind(("c", campaign_ref.clone()))
            .await
            .unwrap();
        let sent: Vec<surrealdb::types::RecordId> = r.take(0).unwrap();
        sent.len() >= RECIPIENTS
    })
    .await;
    let mut to: Vec<String> = smtp
        .messages()
        .iter()
        .filter_map(|m| header(m, "To"))
        .filter(|t| t.contains("@cluster.example"))
        .collect();
    assert_eq!(to.len(), RECIPIENTS, "one message per recipient, no more");
    to.sort();
    to.dedup();
    assert_eq!(to.len(), RECIPIENTS, "each recipient got exactly one");
}
