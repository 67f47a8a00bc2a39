//! The composition root (server only): the ONE place that knows every feature. It builds the
//! [`AppState`] with each feature's shared state, registers the task handlers on the job
//! runtime, gathers the features' plain HTTP routes, starts the background workers and seeds
//! data. Generic plumbing (`crate::server`) never imports a feature; features register here.

use crate::server::config::Config;
use crate::server::http::Routes;
use crate::server::runtime::{self, Pace};
use crate::server::{AppState, StartError};
use leptos::prelude::LeptosOptions;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Each feature's shared, per-process state (read with [`AppState::ext`]). `search_dir`: where
/// the search index lives (`None`: in memory); `search_threads`: how many threads a query uses.
fn feature_state(
    search_dir: Option<&std::path::Path>,
    search_threads: usize,
) -> Result<http::Extensions, StartError> {
    use crate::search::index::{Location, SearchIndex};
    let mut features = http::Extensions::new();
    features.insert(crate::pipeline::live::Hub::default());
    features.insert(crate::audit::repo::Chain::default());
    let loc = search_dir
        .map(|d| Location::Dir(d.to_path_buf()))
        .unwrap_or(Location::Memory);
    let index = SearchIndex::open(&loc, search_threads)
        .map_err(|e| StartError::Data(format!("cannot open the search index: {e}")))?;
    features.insert(index);
    Ok(features)
}

/// Every kind of background task and the handler that runs it.
fn register_tasks(st: &AppState) {
    st.tasks.register(crate::server::slack::post);
    st.tasks.register(crate::careers::tasks::run_task);
    st.tasks.register(crate::screening::api::run_task);
    st.tasks.register(crate::imports::import::run_task);
    st.tasks.register(crate::offers::notify::on_decided);
    st.tasks.register(crate::offers::notify::deliver_webhook);
}

/// Connects the database (schema applied), loads keys, prepares mail, wires the features and
/// seeds demo data when asked and the database is empty.
pub async fn init(leptos_options: LeptosOptions, config: Config) -> Result<AppState, StartError> {
    let features = feature_state(config.search_index_dir.as_deref(), config.search_threads)?;
    let st = AppState::connect(leptos_options, config, features).await?;
    register_tasks(&st);
    crate::pipeline::repo::ensure_templates(&st.db)
        .await
        .map_err(StartError::Data)?;
    crate::dedupe::repo::fill_name_keys(&st.db)
        .await
        .map_err(|e| {
            StartError::Data(format!("cannot fill the duplicate checks' name keys: {e}"))
        })?;
    crate::reports::repo::backfill_facts_once(&st.db)
        .await
        .map_err(|e| StartError::Data(format!("cannot fill the reports' facts: {e}")))?;
    crate::jobs::repo::fill_active_once(&st.db)
        .await
        .map_err(|e| StartError::Data(format!("cannot fill the jobs' active counts: {e}")))?;
    crate::pipeline::repo::fill_person_cards_once(&st.db)
        .await
        .map_err(|e| {
            StartError::Data(format!("cannot fill the board cards' person fields: {e}"))
        })?;
    if st.config.demo {
        crate::demo::seed_if_empty(&st)
            .await
            .map_err(StartError::Data)?;
    }
    st.ext::<crate::search::index::SearchIndex>()
        .start(&st.db)
        .await
        .map_err(|e| StartError::Data(format!("cannot bring the search index up to date: {e}")))?;
    Ok(st)
}

/// A second app process on the same database, as another server would be (tests of leases
/// and live delivery across nodes).
/// Its search index is its own, in memory, built at its first search.
pub fn another_node(st: &AppState) -> Result<AppState, StartError> {
    st.another_node(feature_state(None, st.config.search_threads)?)
}

/// Starts this process's search index writer (every node runs one, workers or not).
pub fn spawn_indexer(st: &AppState, shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(crate::search::index::run_writer(
        st.ext::<crate::search::index::SearchIndex>().clone(),
        st.db.clone(),
        shutdown,
    ))
}

/// The features' plain HTTP routes: feeds, downloads, exports, tracking, webhooks, streams.
/// Each path is listed ([`Routes::paths`]) for the authorisation matrix, which fails on one it
/// does not classify.
pub fn routes() -> Routes {
    Routes::new()
        .merge(crate::portal::routes())
        .merge(crate::campaigns::routes())
        .merge(crate::people::routes())
        .merge(crate::pipeline::routes())
        .merge(crate::pools::routes())
        .merge(crate::segments::routes())
        .merge(crate::imports::routes())
        .merge(crate::reports::routes())
        .merge(crate::jobs::routes())
        .merge(crate::interviews::routes())
        .merge(crate::audit::routes())
        .merge(crate::privacy::routes())
        .merge(crate::admin::routes())
}

/// Middleware that records changes, sign-ins, downloads and exports in the audit log (layered
/// on the whole router by the server).
pub async fn audit_requests(
    state: axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    crate::audit::record::record_requests(state, req, next).await
}

/// Middleware that looks up the signed-in staff member of a staff page before it renders
/// (layered on the whole router by the server).
pub async fn staff_for_pages(
    state: axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    crate::auth::guard::staff_for_pages(state, req, next).await
}

/// What every request's context gets besides the state (leptos_axum's additional context).
pub fn provide_request_context() {
    let cache = crate::auth::guard::RequestCache::default();
    if let Some(staff) = crate::auth::guard::page_staff(&cache) {
        leptos::prelude::provide_context(staff);
    }
    leptos::prelude::provide_context(cache);
    // Pages get a Content-Security-Policy bound to this response's nonce, which Leptos puts on
    // its own inline scripts: an injected script (without the nonce) does not run. Public pages
    // run no WebAssembly, so theirs does not allow it.
    let wasm = crate::bundles::this_page_hydrates();
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) {
        res.insert_header(
            http::header::CONTENT_SECURITY_POLICY,
            http::HeaderValue::from_str(&crate::server::http::content_security_policy(
                &nonce, wasm,
            ))
            .expect("a nonce is header-safe"),
        );
    }
}

/// Starts this process's background workers on the job runtime; they stop when `shutdown`
/// becomes true.
pub fn spawn_workers(st: &AppState, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let mut handles = Vec::new();
    handles.push(tokio::spawn(
        st.mailer
            .clone()
            .run_worker(st.db.clone(), shutdown.clone()),
    ));
    handles.push(tokio::spawn(crate::campaigns::engine::run_worker(
        st.clone(),
        st.node.clone(),
        shutdown.clone(),
    )));
    handles.push(tokio::spawn(crate::server::tasks::run_worker(
        st.clone(),
        shutdown.clone(),
    )));
    let reminders = Pace::every("scorecard reminders", Duration::from_secs(300));
    let state = st.clone();
    let stop = shutdown.clone();
    handles.push(tokio::spawn(async move {
        runtime::run_loop(reminders, stop, || {
            crate::interviews::reminders::send_due(&state, chrono::Utc::now())
        })
        .await;
    }));
    let feeds = Pace::every("busy feeds", Duration::from_secs(60));
    let state = st.clone();
    let stop = shutdown.clone();
    handles.push(tokio::spawn(async move {
        runtime::run_loop(feeds, stop, || {
            crate::interviews::feeds::refresh_due(&state)
        })
        .await;
    }));
    let digest = Pace::every("weekly digest", Duration::from_secs(3600));
    let state = st.clone();
    let stop = shutdown.clone();
    handles.push(tokio::spawn(async move {
        runtime::run_loop(digest, stop, || {
            crate::reports::digest::send_due(&state, chrono::Utc::now())
        })
        .await;
    }));
    let db = st.db.clone();
    let state = st.clone();
    let housekeeping = Pace::every("housekeeping", Duration::from_secs(600));
    handles.push(tokio::spawn(async move {
        runtime::run_loop(housekeeping, shutdown, || async {
            crate::auth::repo::purge_expired(&db).await?;
            crate::server::ratelimit::purge(&db).await?;
            crate::portal::repo::purge_used_links(&db).await?;
            let days = i64::from(state.config.audit_retention_days);
            let cutoff = chrono::Utc::now() - chrono::Duration::days(days);
            crate::audit::repo::prune(&db, state.ext(), &state.keys, cutoff).await?;
            crate::privacy::retention::apply_retention(&state, chrono::Utc::now()).await?;
            crate::privacy::tasks::remind_due(&state, chrono::Utc::now()).await?;
            Ok::<_, crate::error::AppError>(0)
        })
        .await;
    }));
    handles
}
