//! Test harness: the real router on a free port, a fresh in-memory database, and a real SMTP
//! server process (tools/smtp_sink.py) on loopback.

#![allow(dead_code)]

use app::demo;
use app::server::config::Config;
use leptos::prelude::LeptosOptions;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use server_fn::ServerFn;

/// Logs to the test output when RUST_LOG is set.
pub fn init_tracing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var("RUST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_test_writer()
                .try_init();
        }
    });
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ats-test-{tag}-{}-{}",
        std::process::id(),
        app::server::security::random_token(6)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The server binary as a process of its own, run from the workspace root on a port the
/// system chooses; `env` and the log file complete it in [`serve_process`]. `ATS_SERVER_BIN`
/// names another build of it (`scripts/crash.sh --release` runs the release one).
pub fn server_command() -> Command {
    let bin = std::env::var_os("ATS_SERVER_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_server").into());
    let mut cmd = Command::new(bin);
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "ats");
    cmd
}

/// Starts `cmd` (from [`server_command`]) and returns the process and its address once it
/// serves. It prints its address when ready: reading it there, not guessing a free port
/// beforehand, means a parallel test can never answer in its place. Everything it prints goes
/// to `log` when given, and the pipe is drained until the process ends (a full pipe would block
/// the server). `what` names it in the panic when it does not start.
pub fn serve_process(mut cmd: Command, log: Option<std::fs::File>, what: &str) -> (Child, String) {
    use std::io::{BufRead, Write};
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut log = log;
        let mut tx = Some(tx);
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(log) = log.as_mut() {
                let _ = writeln!(log, "{line}");
            }
            if let Some(url) = line.split("is running at ").nth(1)
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(url.trim().to_string());
            }
        }
    });
    let base = rx
        .recv_timeout(Duration::from_secs(180))
        .unwrap_or_else(|_| panic!("{what} did not print its address"));
    (child, base)
}

/// Calls server function `S` of the server at `base` with a form, as a browser's script does
/// (same origin, JSON answer).
pub async fn post_fn<S: ServerFn>(
    base: &str,
    c: &reqwest::Client,
    form: &[(&str, &str)],
) -> reqwest::Result<reqwest::Response> {
    c.post(format!("{base}{}", S::PATH))
        .header("Origin", base)
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
}

/// The ids of a board's first `n` columns (a board as its server function returns it).
pub fn first_columns(board: &serde_json::Value, n: usize) -> Vec<String> {
    board["columns"]
        .as_array()
        .expect("a board has columns")
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .take(n)
        .collect()
}

/// The SMTP sink process; killed on drop.
pub struct Smtp {
    child: Child,
    /// Kept open so that the sink never writes into a closed pipe.
    _stdout: std::io::BufReader<std::process::ChildStdout>,
    pub port: u16,
    pub dir: PathBuf,
}

impl Smtp {
    pub fn start() -> Self {
        Self::start_with(0)
    }

    /// `fail_first`: answer that many messages with a temporary failure first.
    pub fn start_with(fail_first: u32) -> Self {
        let dir = temp_dir("mail");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/smtp_sink.py");
        // Port 0: the sink binds a port the system chooses and prints it ("ready <port>").
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--port", "0", "--dir"])
            .arg(&dir)
            .args(["--fail-first", &fail_first.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with aiosmtpd is needed (pip install aiosmtpd)");
        let mut stdout = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        let _ = std::io::BufRead::read_line(&mut stdout, &mut line);
        let Some(port) = line
            .trim()
            .strip_prefix("ready ")
            .and_then(|p| p.parse().ok())
        else {
            let _ = child.kill();
            panic!("SMTP sink did not start (it printed {line:?})");
        };
        Self {
            child,
            port,
            dir,
            _stdout: stdout,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// How many messages arrived so far (cheap: counts files).
    pub fn count(&self) -> usize {
        std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .count()
    }

    /// Every message received so far (raw RFC 5322 text), oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
            .collect()
    }

    /// Messages to `to`, waiting until at least `n` have arrived.
    pub async fn wait_for(&self, to: &str, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found: Vec<String> = self
                .messages()
                .into_iter()
                .filter(|m| {
                    header(m, "To").is_some_and(|t| t.to_lowercase().contains(&to.to_lowercase()))
                })
                .collect();
            if found.len() >= n || Instant::now() > deadline {
                assert!(
                    found.len() >= n,
                    "expected {n} message(s) to {to}, got {}",
                    found.len()
                );
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A header value (unfolded) from a raw message.
pub fn header(raw: &str, name: &str) -> Option<String> {
    let mut lines = raw.split("\r\n").flat_map(|l| l.split('\n'));
    let prefix = format!("{}:", name.to_lowercase());
    while let Some(line) = lines.next() {
        if line.is_empty() {
            return None;
        }
        if line.to_lowercase().starts_with(&prefix) {
            let mut value = line[prefix.len()..].trim().to_string();
            for cont in lines.by_ref() {
                if cont.starts_with(' ') || cont.starts_with('\t') {
                    value.push(' ');
                    value.push_str(cont.trim());
                } else {
                    break;
                }
            }
            return Some(value);
        }
    }
    None
}

/// The decoded text body of a text/plain message (quoted-printable or 7bit/base64).
/// For multipart/alternative messages, the text/plain part.
pub fn body(raw: &str) -> String {
    part(raw, "text/plain")
}

/// The decoded HTML part of a multipart/alternative message.
pub fn html_body(raw: &str) -> String {
    part(raw, "text/html")
}

fn part(raw: &str, wanted: &str) -> String {
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .unwrap_or(("", raw));
    let content_type = header(head, "Content-Type").unwrap_or_default();
    if content_type.to_lowercase().starts_with("multipart/") {
        let boundary = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .next()
            .unwrap_or("")
            .trim_matches('"')
            .to_string();
        return body
            .split(&format!("--{boundary}"))
            .find(|part| {
                let part = part.trim_start_matches(['\r', '\n']);
                header(part, "Content-Type").is_some_and(|c| c.to_lowercase().starts_with(wanted))
            })
            .map(|p| part(p.trim_start_matches(['\r', '\n']), wanted))
            .unwrap_or_default();
    }
    let encoding = header(head, "Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_lowercase();
    if encoding == "base64" {
        use base64::Engine;
        let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(clean)
            .unwrap_or_default();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    if encoding == "quoted-printable" {
        let mut out = Vec::new();
        let b = body.replace("=\r\n", "").replace("=\n", "");
        let bytes = b.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'='
                && i + 2 < bytes.len()
                && let Ok(v) = u8::from_str_radix(&b[i + 1..i + 3], 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        return String::from_utf8_lossy(&out).replace("\r\n", "\n");
    }
    body.replace("\r\n", "\n")
}

/// The first URL in `text` that starts with `prefix`.
pub fn find_link(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '"')
        .unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

pub struct TestApp {
    pub running: Option<server::Running>,
    pub base: String,
    pub smtp: Smtp,
}

impl TestApp {
    pub fn state(&self) -> &app::server::AppState {
        &self.running.as_ref().unwrap().state
    }

    /// A browser-like client (keeps cookies, does not follow redirects).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Calls a server function with url-encoded arguments as a script would (JSON answer).
    pub async fn call<S: ServerFn>(
        &self,
        client: &reqwest::Client,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(S::PATH))
            .header("Origin", &self.base)
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// An active (not hired) card on the demo job `data-analyst`'s board and a move for it:
    /// (application id, its stage, another stage).
    pub async fn a_card_to_move(&self, client: &reqwest::Client) -> (String, String, String) {
        let board = self
            .json::<app::pipeline::api::GetBoard>(client, &[("job_id", "data-analyst")])
            .await;
        let card = board["cards"]
            .as_array()
            .expect("a board has cards")
            .iter()
            .find(|c| c["status"] == "active" && c["stage"] != "hired")
            .expect("the demo job has an active card");
        let from = card["stage"].as_str().unwrap().to_string();
        let to = if from == "offer" {
            "interview"
        } else {
            "offer"
        };
        (
            card["id"].as_str().unwrap().to_string(),
            from,
            to.to_string(),
        )
    }

    /// Calls a server function and reads its JSON answer (whatever the status).
    pub async fn json<S: ServerFn>(
        &self,
        client: &reqwest::Client,
        form: &[(&str, &str)],
    ) -> serde_json::Value {
        self.call::<S>(client, form).await.json().await.unwrap()
    }

    /// The body of a GET of `path_or_url` (a path on this app, or a whole link).
    pub async fn text(&self, client: &reqwest::Client, path_or_url: &str) -> String {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_string()
        } else {
            self.url(path_or_url)
        };
        client.get(url).send().await.unwrap().text().await.unwrap()
    }

    /// Signs `client` in to the candidate portal from the first email sent to `email` (the
    /// application's confirmation), as the candidate would.
    pub async fn portal_sign_in(&self, client: &reqwest::Client, email: &str) {
        let mails = self.smtp.wait_for(email, 1).await;
        let link = find_link(
            &body(&mails[0]),
            &format!("{}/portal/auth?token=", self.base),
        )
        .expect("a portal link");
        assert_eq!(follow_portal_link(self, client, &link).await, "/portal");
    }

    /// A candidate who applied to `job` (with a plain resume) and is signed in to the portal
    /// from the link in their confirmation email.
    pub async fn candidate_in_portal(&self, job: &str, name: &str, email: &str) -> reqwest::Client {
        let candidate = self.client();
        apply_with(
            self,
            &candidate,
            job,
            (name, email, ""),
            ("cv.pdf", pdf_bytes("Resume")),
            &[],
        )
        .await;
        self.portal_sign_in(&candidate, email).await;
        candidate
    }

    /// A client signed in as one of the demo staff.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let c = self.client();
        let res = self
            .call::<app::auth::api::Login>(
                &c,
                &[
                    ("email", email),
                    ("password", demo::DEMO_PASSWORD),
                    ("next", "/app"),
                ],
            )
            .await;
        assert!(
            res.status().is_success(),
            "sign-in failed: {}",
            res.status()
        );
        c
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await;
        }
    }
}

pub fn test_config(smtp: &Smtp) -> Config {
    let mut c = Config::for_tests();
    c.smtp_url = Some(smtp.url());
    c.demo = true;
    c
}

/// Starts the app on a free port with a fresh in-memory database and demo data.
pub async fn spawn_app() -> TestApp {
    let smtp = Smtp::start();
    let config = test_config(&smtp);
    spawn_with(config, smtp).await
}

pub async fn spawn_with(config: Config, smtp: Smtp) -> TestApp {
    spawn_site(config, smtp, server::test_leptos_options()).await
}

/// [`spawn_with`], serving the site (the `pkg` folder of WASM bundles) that `options` names.
pub async fn spawn_site(mut config: Config, smtp: Smtp, options: LeptosOptions) -> TestApp {
    init_tracing();
    // The port is bound here and kept: parallel tests never race for one.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    config.public_url = format!("http://127.0.0.1:{port}");
    let running = server::start_on(config, options, listener)
        .await
        .expect("app starts");
    TestApp {
        base: format!("http://{}", running.addr),
        running: Some(running),
        smtp,
    }
}

/// Applies to `job` as a candidate would (multipart form), with a resume file; asserts success.
pub async fn apply_with_resume(
    t: &TestApp,
    c: &reqwest::Client,
    job: &str,
    person: (&str, &str, &str),
    resume: (&str, Vec<u8>),
) {
    apply_with(t, c, job, person, resume, &[]).await
}

/// [`apply_with_resume`] with more fields of the form (`talent_pool`, `notice_version`, …).
pub async fn apply_with(
    t: &TestApp,
    c: &reqwest::Client,
    job: &str,
    (name, email, phone): (&str, &str, &str),
    (filename, bytes): (&str, Vec<u8>),
    extra: &[(&str, &str)],
) {
    let mut form = reqwest::multipart::Form::new()
        .text("job_id", job.to_string())
        .text("name", name.to_string())
        .text("email", email.to_string())
        .text("phone", phone.to_string());
    for (k, v) in extra {
        form = form.text(k.to_string(), v.to_string());
    }
    let form = form.part(
        "resume",
        reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string()),
    );
    let res = c
        .post(t.url(<app::careers::api::Apply as server_fn::ServerFn>::PATH))
        .header("Origin", &t.base)
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success(),
        "applying failed: {}",
        res.status()
    );
}

/// Follows an emailed portal link as a browser does: the link opens the sign-in page, whose
/// button signs in. Returns where the browser ends up (`/portal` when signed in).
pub async fn follow_portal_link(t: &TestApp, c: &reqwest::Client, link: &str) -> String {
    let res = c.get(link).send().await.unwrap();
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    let Some(token) = loc.strip_prefix("/portal/signin?token=") else {
        return loc;
    };
    let token = percent_decode(token);
    let res = t
        .call::<app::portal::api::PortalSignIn>(c, &[("token", token.as_str())])
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    res.headers()["location"].to_str().unwrap().to_string()
}

/// `%xx` escapes decoded (for tokens read from links).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A small real PDF resume (the committed fixture; `_text` is kept for readability of tests).
pub fn pdf_bytes(_text: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/fixtures/resume.pdf"))
        .expect("end2end/fixtures/resume.pdf")
}

/// A Slack incoming-webhook stand-in on loopback: its URL and the messages it received.
pub async fn slack_receiver() -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
) {
    let got: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>> = Default::default();
    let store = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(v): axum::Json<serde_json::Value>| {
            let store = store.clone();
            async move {
                store.lock().unwrap().push(v);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), got)
}

/// Waits until `n` Slack messages arrived; returns them all.
/// Waits (up to 60 s) until `f` holds, e.g. for a background task's effect.
pub async fn wait_until(what: &str, mut f: impl AsyncFnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !f().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub async fn wait_slack(
    got: &std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
    n: usize,
) -> Vec<serde_json::Value> {
    for _ in 0..200 {
        if got.lock().unwrap().len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let v = got.lock().unwrap().clone();
    assert!(
        v.len() >= n,
        "expected {n} Slack message(s), got {}",
        v.len()
    );
    v
}

/// The first result of a query's response as JSON rows (any shape, for assertions).
pub fn json_rows(mut res: surrealdb::IndexedResults) -> Vec<serde_json::Value> {
    res.take::<Vec<surrealdb::types::Value>>(0)
        .unwrap()
        .into_iter()
        .map(|v| serde_json::to_value(v.into_json_value()).unwrap())
        .collect()
}
