//! The HTTP server: router assembly and the serve loop, shared by `main` and the tests.

use app::server::config::Config;
use app::server::http::{private_by_default, refuse_cross_site};
use app::server::{AppState, StartError};
use app::{App, shell};
use axum::Router;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::watch;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The server's allocator (and so of every binary built on this crate: the server, its HTTP
/// tests, the benchmarks). A query decodes thousands of small values, each allocated and freed:
/// with glibc's allocator, `malloc` and `free` were about a quarter of the CPU time of the
/// hiring reports (perf, `bench reports`). SurrealDB's own server also replaces it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Largest request body accepted (resumes are limited to 10 MB by the form itself).
pub const MAX_BODY: usize = 25 * 1024 * 1024;

/// The site root's own files (the favicon, robots.txt: what cargo-leptos copies there from
/// `public/`), each served as a file like `/pkg`, not through Leptos's fallback (see below).
fn site_files<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    let mut router = Router::new();
    let Ok(dir) = std::fs::read_dir(site_root) else {
        return router;
    };
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        // Files only, with an extension (never a name a page could have), none hidden.
        if is_file && name.contains('.') && !name.starts_with('.') {
            router = router.route_service(
                &format!("/{name}"),
                tower_http::services::ServeFile::new(entry.path()),
            );
        }
    }
    router
}

/// The full application router for `state`.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let public_origin = state.config.public_origin();
    let secure = state.config.secure_cookies();
    let opts = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(app::startup::routes().into_router())
        .leptos_routes_with_context(
            &state,
            routes,
            app::startup::provide_request_context,
            move || shell(opts.clone()),
        )
        // The app's own files (JS, WASM, CSS), served here rather than by the fallback below:
        // Leptos's file handler builds a reactive owner per file, which can take the current
        // owner of another request rendering on the same thread as its parent and then answer
        // with that request's status and headers (seen: a 403 with a page's CSP for ats.js).
        .nest_service(
            &format!("/{}", state.leptos_options.site_pkg_dir),
            tower_http::services::ServeDir::new(format!(
                "{}/{}",
                state.leptos_options.site_root, state.leptos_options.site_pkg_dir
            ))
            .precompressed_gzip()
            .precompressed_br(),
        )
        .merge(site_files(&state.leptos_options.site_root))
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::startup::staff_for_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::startup::audit_requests,
        ))
        .layer(axum::middleware::from_fn_with_state(
            public_origin,
            refuse_cross_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            secure,
            private_by_default,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::server::availability::refuse_while_unavailable,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::X_CONTENT_TYPE_OPTIONS,
            http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::X_FRAME_OPTIONS,
            http::HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::REFERRER_POLICY,
            http::HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// What answers a request no route takes: an address with a trailing slash
/// (`/app/jobs/<id>/board/`) is sent to the same address without it, where its page is; anything
/// else goes to Leptos's handler (the site's files, or the not-found page).
async fn fallback(
    uri: axum::http::Uri,
    state: axum::extract::State<AppState>,
    req: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if matches!(*req.method(), http::Method::GET | http::Method::HEAD)
        && let Some(to) = without_trailing_slash(&uri)
    {
        return axum::response::Redirect::permanent(&to).into_response();
    }
    leptos_axum::file_and_error_handler::<AppState, _>(shell)(uri, state, req).await
}

/// `uri`'s path and query without the slashes that end its path, when it has some and is not
/// the root. Never an address on another site: `//host/` would become `//host`, which a browser
/// takes for another host, so such paths are left alone.
fn without_trailing_slash(uri: &axum::http::Uri) -> Option<String> {
    let path = uri.path();
    let trimmed = path.trim_end_matches('/');
    if trimmed.len() == path.len() || trimmed.is_empty() {
        return None;
    }
    let rest = &trimmed[1..];
    if rest.starts_with('/') || rest.starts_with('\\') {
        return None;
    }
    Some(match uri.query() {
        Some(q) => format!("{trimmed}?{q}"),
        None => trimmed.to_string(),
    })
}

/// A running server: its address, state and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: watch::Sender<bool>,
    server: tokio::task::JoinHandle<()>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting requests, finishes the ones in flight, stops the workers and releases
    /// the database (the last handle closes it).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(10), self.server).await;
        for w in self.workers {
            let _ = tokio::time::timeout(Duration::from_secs(10), w).await;
        }
        close_database(self.state).await;
    }
}

/// Drops the last database handle and waits until the embedded engine has flushed and closed
/// (it does so in a background task once the last handle is gone). An embedded surrealkv
/// store holds a lock on its `LOCK` file until then, so the wait ends when that lock can be
/// taken, or after 30 s. Other stores get a short grace period.
pub async fn close_database(state: AppState) {
    let dir = match state.config.database_url.split_once("://") {
        Some(("surrealkv", path)) if !path.is_empty() => Some(std::path::PathBuf::from(path)),
        _ => None,
    };
    drop(state);
    let Some(dir) = dir else {
        tokio::time::sleep(Duration::from_millis(200)).await;
        return;
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        let released = std::fs::File::open(dir.join("LOCK"))
            .map(|f| f.try_lock().is_ok())
            .unwrap_or(true);
        if released {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tracing::warn!("the database did not close within 30 s");
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Starts everything on `addr` (port 0 picks a free port). The port is taken first, before
/// the database opens, so a port in use is reported at once and nobody else can take it
/// while the app starts.
pub async fn start(
    config: Config,
    leptos_options: LeptosOptions,
    addr: SocketAddr,
) -> Result<Running, ServeError> {
    let listen = |source| ServeError::Listen { addr, source };
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(listen)?;
    start_on(config, leptos_options, listener).await
}

/// Starts everything on a listener already bound (tests bind port 0, learn the port, then
/// start the app on it: no window in which another process could take the port).
pub async fn start_on(
    config: Config,
    leptos_options: LeptosOptions,
    listener: tokio::net::TcpListener,
) -> Result<Running, ServeError> {
    let addr = listener.local_addr().map_err(|source| ServeError::Listen {
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        source,
    })?;
    let state = app::startup::init(leptos_options, config).await?;
    let (stop, stop_rx) = watch::channel(false);
    let mut workers = if state.config.workers {
        app::startup::spawn_workers(&state, stop_rx.clone())
    } else {
        Vec::new()
    };
    workers.push(app::startup::spawn_indexer(&state, stop_rx.clone()));
    if state.config.remote_database() {
        workers.push(tokio::spawn(app::server::availability::watch(
            state.db.clone(),
            state.db_health.clone(),
            stop_rx.clone(),
        )));
    }
    let app = router(state.clone());
    let mut rx = stop_rx;
    let server = tokio::spawn(async move {
        let shutdown = async move {
            let _ = rx.wait_for(|v| *v).await;
        };
        if let Err(e) = axum::serve(
            without_delay(listener),
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        {
            tracing::error!(error = %e, "server error");
        }
    });
    Ok(Running {
        addr,
        state,
        stop,
        server,
        workers,
    })
}

/// Every accepted connection with Nagle's algorithm off (`TCP_NODELAY`). A page is written in
/// several pieces; with Nagle on, the last small piece waited for the client's delayed ACK,
/// which Linux holds up to 40 ms: every few requests for the board page took 40 ms longer
/// (`bench board`, `BENCH_SAMPLES=1`), the p95 over its target.
/// (A named type, not `impl Listener`: axum's `ConnectInfo<SocketAddr>` is implemented for
/// `TapIo`.)
pub fn without_delay(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    use axum::serve::ListenerExt;
    fn no_delay(tcp: &mut tokio::net::TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY on a connection");
        }
    }
    listener.tap_io(no_delay as fn(&mut tokio::net::TcpStream))
}

/// Options for running outside cargo-leptos (tests, benchmarks).
pub fn test_leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("ats")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build()
}
