//! `server`: config → tracing → database → state → router → serve, with graceful shutdown.

use app::server::config::Config;
use leptos::prelude::get_configuration;
use tracing_subscriber::EnvFilter;

/// Worker-thread stack: SurrealDB plans and runs queries recursively, and a long transaction
/// (a merge) overflows tokio's 2 MiB default in debug builds. SurrealDB's own server uses 10 MiB.
const STACK_BYTES: usize = 10 * 1024 * 1024;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(STACK_BYTES)
        .build()
        .expect("cannot start the tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| {
            EnvFilter::new("info,surrealdb=warn,surrealdb_core=warn,surrealkv=warn,tower_http=warn")
        }))
        .init();

    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => {}
        ["audit", "verify"] => std::process::exit(audit_verify().await),
        ["export", file] => std::process::exit(export(file).await),
        ["import", file] => std::process::exit(import(file).await),
        _ => {
            eprintln!(
                "usage: server                start the app (configured by environment variables)"
            );
            eprintln!(
                "       server audit verify   check the audit log's hash chain and exit (0: intact)"
            );
            eprintln!(
                "       server export FILE    write the whole database to FILE (open JSON format)"
            );
            eprintln!("       server import FILE    restore FILE into an empty database");
            std::process::exit(2);
        }
    }

    let conf = match get_configuration(None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot read Leptos configuration: {e}");
            std::process::exit(2);
        }
    };
    let options = conf.leptos_options;
    let addr = options.site_addr;
    let config = Config::from_env();
    if config.database_url.starts_with("surrealkv://")
        && let Some(dir) =
            std::path::Path::new(config.database_url.trim_start_matches("surrealkv://")).parent()
    {
        let _ = std::fs::create_dir_all(dir);
    }
    let demo = config.demo;
    let db_url = config.database_url.clone();
    let smtp = config.smtp_url.clone();
    let running = match server::start(config, options, addr).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let url = format!("http://{}", running.addr);
    println!();
    println!("  Acme Hiring is running at {url}");
    println!("  Careers page: {url}/jobs   Staff sign-in: {url}/login");
    println!("  Database: {}", app::server::config::redact_url(&db_url));
    match smtp {
        Some(s) => println!(
            "  Mail: delivered via {}",
            app::server::config::redact_url(&s)
        ),
        None => {
            println!("  Mail: kept in the outbox at {url}/admin/outbox (set SMTP_URL to deliver)")
        }
    }
    if demo {
        println!("  Demo logins (password \"{}\"):", app::demo::DEMO_PASSWORD);
        for (email, _, role) in app::demo::DEMO_STAFF {
            println!("    {:<16} {email}", role.label());
        }
    }
    println!();
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.shutdown().await;
    tracing::info!("stopped");
}

/// The configured database, for the commands (stop the app first when it is an embedded file).
async fn open_database() -> Result<(Config, app::server::db::Db), i32> {
    let config = Config::from_env();
    match app::server::db::connect(&config).await {
        Ok(db) => Ok((config, db)),
        Err(e) => {
            eprintln!(
                "error: cannot open the database {}: {e}",
                config.database_url
            );
            Err(2)
        }
    }
}

/// `server export FILE`.
async fn export(file: &str) -> i32 {
    let (_, db) = match open_database().await {
        Ok(x) => x,
        Err(code) => return code,
    };
    let doc = match app::server::backup::export(&db).await {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let written = std::fs::File::create(file)
        .map(std::io::BufWriter::new)
        .map_err(|e| e.to_string())
        .and_then(|w| serde_json::to_writer(w, &doc).map_err(|e| e.to_string()));
    match written {
        Ok(()) => {
            let rows: usize = doc["tables"]
                .as_object()
                .map(|t| t.values().filter_map(|r| r.as_array()).map(Vec::len).sum())
                .unwrap_or(0);
            println!("Exported {rows} records to {file}.");
            0
        }
        Err(e) => {
            eprintln!("error: cannot write {file}: {e}");
            1
        }
    }
}

/// `server import FILE`.
async fn import(file: &str) -> i32 {
    let doc: serde_json::Value = match std::fs::File::open(file)
        .map(std::io::BufReader::new)
        .map_err(|e| e.to_string())
        .and_then(|r| serde_json::from_reader(r).map_err(|e| e.to_string()))
    {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read {file}: {e}");
            return 2;
        }
    };
    let (_, db) = match open_database().await {
        Ok(x) => x,
        Err(code) => return code,
    };
    match app::server::backup::import(&db, &doc).await {
        Ok(n) => {
            println!("Restored {n} records from {file}.");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// `server audit verify`: checks the audit log of the configured database (stop the app first
/// when the database is an embedded file; a SurrealDB server can be checked while it runs).
async fn audit_verify() -> i32 {
    let (config, db) = match open_database().await {
        Ok(x) => x,
        Err(code) => return code,
    };
    let keys = match app::server::security::Keys::load(&db, config.app_secret.as_deref()).await {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: cannot load the signing key: {e}");
            return 2;
        }
    };
    match app::audit::repo::verify(&db, &keys).await {
        Ok(check) => {
            println!("{}", check.summary());
            if check.intact { 0 } else { 1 }
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
