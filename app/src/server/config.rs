//! Configuration from environment variables, with defaults that run the app locally.

use std::env;

#[derive(Clone)]
pub struct Config {
    /// `surrealkv://data/ats.db` (default), `mem://`, or `ws://host:port`.
    pub database_url: String,
    pub database_user: String,
    pub database_pass: String,
    pub database_ns: String,
    pub database_db: String,
    /// `smtp://host:port` (plain), `smtp://host:587?tls=required`, `smtps://…`. Unset: outbox only.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Base URL used in links sent by email, e.g. `https://jobs.example.com`.
    pub public_url: String,
    pub company_name: String,
    /// Secret for signed links; generated and stored in the database when unset.
    pub app_secret: Option<String>,
    pub slack_webhook_url: Option<String>,
    /// Seed demo data into an empty database.
    pub demo: bool,
    /// Run the background workers (mail delivery, scheduler) in this process.
    pub workers: bool,
    /// How long a bulk action can be undone (its emails wait this long before sending).
    pub undo_seconds: i64,
    /// Shared secret for `POST /hooks/inbound` (reply notifications); unset disables it.
    pub inbound_secret: Option<String>,
    /// How often the campaign engine looks for due steps.
    pub engine_tick_ms: u64,
    /// Public forms (applications, talent sign-ups, portal-link requests) one client address may
    /// send per hour, each form counted apart (`ATS_PUBLIC_FORMS_PER_IP_HOUR`).
    pub public_forms_per_ip_hour: i64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, comma-separated
    /// addresses). Empty: the connecting address is the client's.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Hours after an interview ends that an unsubmitted scorecard is overdue and its
    /// interviewer is reminded (`ATS_SCORECARD_DUE_HOURS`, default 24).
    pub scorecard_due_hours: i64,
    /// Candidate self-scheduling: how many days ahead times are offered and a link stays valid
    /// (`ATS_SCHEDULING_WINDOW_DAYS`, default 14), the least notice before a time
    /// (`ATS_SCHEDULING_NOTICE_HOURS`, default 4: the same day when there is notice enough),
    /// free minutes kept around other interviews (`ATS_SCHEDULING_BUFFER_MINUTES`, default 10),
    /// and until how many hours before the start the candidate may move or cancel
    /// (`ATS_SCHEDULING_CHANGE_CUTOFF_HOURS`, default 24).
    pub scheduling: SchedulingSettings,
    /// How often staff's busy feeds (their own calendars) are read (`ATS_BUSY_FEED_MINUTES`,
    /// default 15).
    pub busy_feed_minutes: i64,
    /// Busy feeds may be plain `http://` (`ATS_BUSY_FEED_ALLOW_HTTP=1`; tests and closed
    /// networks). Otherwise only `https://` (and `webcal://`, read over https).
    pub busy_feed_allow_http: bool,
    /// A weekly digest of the hiring numbers goes to Slack (when `SLACK_WEBHOOK_URL` is set),
    /// Mondays from 08:00 UTC (`ATS_SLACK_DIGEST=0` turns it off).
    pub slack_digest: bool,
    /// Where this process keeps its people search index (`SEARCH_INDEX_DIR`; by default beside
    /// an on-disk database: `<database path>.search`). `None`: in memory, rebuilt at start.
    pub search_index_dir: Option<std::path::PathBuf>,
    /// Who hears about every accepted offer, to start onboarding (`ONBOARDING_EMAIL`).
    pub onboarding_email: Option<String>,
    /// Where accepted offers are posted as signed JSON (`ONBOARDING_WEBHOOK_URL`).
    pub onboarding_webhook_url: Option<String>,
    /// The HMAC-SHA256 key of the onboarding webhook's signature (`ONBOARDING_WEBHOOK_SECRET`).
    pub onboarding_webhook_secret: Option<String>,
    /// How long audit entries are kept (`ATS_AUDIT_RETENTION_DAYS`, default 2,192: six years).
    pub audit_retention_days: u32,
    /// How many threads one search query may use, each taking some of the index's segments
    /// (`ATS_SEARCH_THREADS`, default: the machine's cores, at most 4). 1 searches on the
    /// request's own thread: the best throughput when many searches run at once, the slowest
    /// single search.
    pub search_threads: usize,
}

/// The default of [`Config::search_threads`].
pub fn default_search_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// [`Config::search_threads`] as `ATS_SEARCH_THREADS` sets it (1-64), else the default.
pub fn search_threads_from_env() -> usize {
    var("ATS_SEARCH_THREADS")
        .and_then(|v| v.parse().ok())
        .filter(|n: &usize| (1..=64).contains(n))
        .unwrap_or_else(default_search_threads)
}

/// True when `url` names a database server (`ws://…`) rather than an embedded store.
pub fn is_remote_database(url: &str) -> bool {
    ["ws://", "wss://", "http://", "https://"]
        .iter()
        .any(|p| url.starts_with(p))
}

/// The default place of the search index for a database URL: beside a SurrealKV or RocksDB
/// directory, in memory for `mem://`, `data/search-index` for a remote server.
pub fn default_search_index_dir(database_url: &str) -> Option<std::path::PathBuf> {
    match database_url.split_once("://") {
        Some(("mem", _)) => None,
        Some(("surrealkv" | "rocksdb", path)) if !path.is_empty() => {
            Some(std::path::PathBuf::from(format!("{path}.search")))
        }
        _ => Some(std::path::PathBuf::from("data/search-index")),
    }
}

/// A URL fit for logs: no user, password or query (`smtp://user:pass@host:587?x` →
/// `smtp://host:587`).
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let host = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    if scheme.is_empty() {
        host.to_string()
    } else {
        format!("{scheme}://{host}")
    }
}

/// The rules of candidate self-scheduling (see [`Config::scheduling`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchedulingSettings {
    pub window_days: i64,
    pub notice_hours: i64,
    pub buffer_minutes: i64,
    pub change_cutoff_hours: i64,
}

impl Default for SchedulingSettings {
    fn default() -> Self {
        SchedulingSettings {
            window_days: 14,
            notice_hours: 4,
            buffer_minutes: 10,
            change_cutoff_hours: 24,
        }
    }
}

/// Secrets never reach logs: `{:?}` of the configuration (and of the state holding it) shows
/// whether each secret is set, not its value.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |v: &Option<String>| if v.is_some() { "<set>" } else { "<unset>" };
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("database_ns", &self.database_ns)
            .field("database_db", &self.database_db)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .field("company_name", &self.company_name)
            .field("app_secret", &set(&self.app_secret))
            .field("slack_webhook_url", &set(&self.slack_webhook_url))
            .field("inbound_secret", &set(&self.inbound_secret))
            .field("demo", &self.demo)
            .field("workers", &self.workers)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

/// `TRUSTED_PROXIES`: addresses separated by commas; what does not parse is ignored with a
/// warning.
fn parse_proxies(v: &str) -> Vec<std::net::IpAddr> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|s| match s.parse() {
            Ok(ip) => Some(ip),
            Err(_) => {
                tracing::warn!(value = s, "TRUSTED_PROXIES: not an IP address, ignored");
                None
            }
        })
        .collect()
}

/// Six years: what auditors commonly ask for.
pub const AUDIT_RETENTION_DAYS: u32 = 2192;

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    /// The database is a server (`ws://…`) shared with other app nodes, not embedded.
    pub fn remote_database(&self) -> bool {
        is_remote_database(&self.database_url)
    }

    pub fn from_env() -> Self {
        let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let database_url = var("DATABASE_URL").unwrap_or_else(|| "surrealkv://data/ats.db".into());
        Self {
            search_index_dir: var("SEARCH_INDEX_DIR")
                .map(std::path::PathBuf::from)
                .or_else(|| default_search_index_dir(&database_url)),
            database_url,
            database_user: var("DATABASE_USER").unwrap_or_else(|| "root".into()),
            database_pass: var("DATABASE_PASS").unwrap_or_else(|| "root".into()),
            database_ns: var("DATABASE_NS").unwrap_or_else(|| "ats".into()),
            database_db: var("DATABASE_DB").unwrap_or_else(|| "ats".into()),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "Acme Careers <careers@acme.test>".into()),
            public_url: var("PUBLIC_URL")
                .unwrap_or_else(|| format!("http://{site_addr}"))
                .trim_end_matches('/')
                .to_string(),
            company_name: var("COMPANY_NAME").unwrap_or_else(|| "Acme".into()),
            app_secret: var("APP_SECRET"),
            slack_webhook_url: var("SLACK_WEBHOOK_URL"),
            demo: matches!(var("ATS_DEMO").as_deref(), Some("1" | "true" | "yes")),
            workers: !matches!(var("ATS_WORKERS").as_deref(), Some("0" | "false" | "no")),
            undo_seconds: var("ATS_UNDO_SECONDS")
                .and_then(|v| v.parse().ok())
                .filter(|s: &i64| (1..=3600).contains(s))
                .unwrap_or(30),
            inbound_secret: var("INBOUND_WEBHOOK_SECRET"),
            engine_tick_ms: var("ATS_ENGINE_TICK_MS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(2000),
            public_forms_per_ip_hour: var("ATS_PUBLIC_FORMS_PER_IP_HOUR")
                .and_then(|v| v.parse().ok())
                .filter(|n: &i64| *n > 0)
                .unwrap_or(20),
            scorecard_due_hours: var("ATS_SCORECARD_DUE_HOURS")
                .and_then(|v| v.parse().ok())
                .filter(|n: &i64| *n >= 0)
                .unwrap_or(24),
            scheduling: SchedulingSettings {
                window_days: var("ATS_SCHEDULING_WINDOW_DAYS")
                    .and_then(|v| v.parse().ok())
                    .filter(|n: &i64| (1..=90).contains(n))
                    .unwrap_or(14),
                notice_hours: var("ATS_SCHEDULING_NOTICE_HOURS")
                    .and_then(|v| v.parse().ok())
                    .filter(|n: &i64| (0..=24 * 14).contains(n))
                    .unwrap_or(4),
                buffer_minutes: var("ATS_SCHEDULING_BUFFER_MINUTES")
                    .and_then(|v| v.parse().ok())
                    .filter(|n: &i64| (0..=240).contains(n))
                    .unwrap_or(10),
                change_cutoff_hours: var("ATS_SCHEDULING_CHANGE_CUTOFF_HOURS")
                    .and_then(|v| v.parse().ok())
                    .filter(|n: &i64| (0..=24 * 14).contains(n))
                    .unwrap_or(24),
            },
            busy_feed_minutes: var("ATS_BUSY_FEED_MINUTES")
                .and_then(|v| v.parse().ok())
                .filter(|n: &i64| *n >= 1)
                .unwrap_or(15),
            busy_feed_allow_http: var("ATS_BUSY_FEED_ALLOW_HTTP").is_some_and(|v| v == "1"),
            slack_digest: var("ATS_SLACK_DIGEST").is_none_or(|v| v != "0"),
            trusted_proxies: var("TRUSTED_PROXIES")
                .map(|v| parse_proxies(&v))
                .unwrap_or_default(),
            onboarding_email: var("ONBOARDING_EMAIL"),
            onboarding_webhook_url: var("ONBOARDING_WEBHOOK_URL"),
            onboarding_webhook_secret: var("ONBOARDING_WEBHOOK_SECRET"),
            audit_retention_days: var("ATS_AUDIT_RETENTION_DAYS")
                .and_then(|v| v.parse().ok())
                .filter(|n: &u32| *n >= 1)
                .unwrap_or(AUDIT_RETENTION_DAYS),
            search_threads: search_threads_from_env(),
        }
    }

    /// A configuration for tests: in-memory database, no SMTP, fixed secret.
    pub fn for_tests() -> Self {
        Self {
            database_url: "mem://".into(),
            database_user: "root".into(),
            database_pass: "root".into(),
            database_ns: "ats".into(),
            database_db: "test".into(),
            smtp_url: None,
            mail_from: "Acme Careers <careers@acme.test>".into(),
            public_url: "http://127.0.0.1:3000".into(),
            company_name: "Acme".into(),
            app_secret: Some("test-secret-test-secret-test-secret".into()),
            slack_webhook_url: None,
            demo: false,
            workers: true,
            undo_seconds: 30,
            inbound_secret: Some("test-inbound-secret".into()),
            engine_tick_ms: 200,
            public_forms_per_ip_hour: 20,
            trusted_proxies: Vec::new(),
            search_index_dir: None,
            scorecard_due_hours: 24,
            scheduling: SchedulingSettings::default(),
            busy_feed_minutes: 15,
            busy_feed_allow_http: true,
            // Tests that count Slack messages would see it; its own test turns it on.
            slack_digest: false,
            onboarding_email: None,
            onboarding_webhook_url: None,
            onboarding_webhook_secret: None,
            audit_retention_days: AUDIT_RETENTION_DAYS,
            search_threads: default_search_threads(),
        }
    }

    /// Cookies get the `Secure` flag when the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of the public URL, for Origin checks.
    pub fn public_origin(&self) -> String {
        let url = &self.public_url;
        match url.find("://") {
            Some(i) => match url[i + 3..].find('/') {
                Some(j) => url[..i + 3 + j].to_string(),
                None => url.clone(),
            },
            None => url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_origin_strips_the_path() {
        let mut c = Config::for_tests();
        c.public_url = "https://jobs.example.com/careers".into();
        assert_eq!(c.public_origin(), "https://jobs.example.com");
        assert!(c.secure_cookies());
        c.public_url = "http://127.0.0.1:3000".into();
        assert_eq!(c.public_origin(), "http://127.0.0.1:3000");
        assert!(!c.secure_cookies());
    }
}
