//! Whether the database answers. With a remote SurrealDB server (`ws://`), the server can restart
//! or be unreachable for a while; the driver then reconnects on its own (once a second) and
//! replays the session (sign-in, namespace), but a query sent in between waits for that
//! reconnection. So that no request hangs on it, a watcher ([`watch`]) asks the database a
//! trivial question twice a second; after two unanswered in a row (a slow answer under load is
//! not an outage), [`refuse_while_unavailable`] answers requests at once with 503 and
//! `Retry-After`, and a request already running when the database went away ends the same way
//! after [`IN_FLIGHT_GRACE`]. An embedded database is
//! always available (the watcher does not run).

use super::AppState;
use super::db::Db;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often the watcher asks, how long it waits for the answer, and how many questions in a
/// row must go unanswered before the database counts as unavailable.
const PING_EVERY: Duration = Duration::from_millis(500);
const PING_TIMEOUT: Duration = Duration::from_secs(1);
const DOWN_AFTER: u32 = 2;

/// How long a request that was running when the database went away may wait for it to come back
/// before it is answered with 503.
pub const IN_FLIGHT_GRACE: Duration = Duration::from_secs(5);

/// What `Retry-After` says (seconds): about the time a SurrealDB server takes to restart.
const RETRY_AFTER_SECS: &str = "5";

/// The database's availability as last seen, shared by every request of this process.
#[derive(Clone, Debug)]
pub struct DbHealth {
    up: Arc<watch::Sender<bool>>,
}

impl Default for DbHealth {
    fn default() -> Self {
        Self {
            up: Arc::new(watch::Sender::new(true)),
        }
    }
}

impl DbHealth {
    pub fn is_up(&self) -> bool {
        *self.up.borrow()
    }

    fn set(&self, up: bool) {
        self.up.send_if_modified(|v| std::mem::replace(v, up) != up);
    }

    /// Resolves once the database has been unavailable for `grace` without a break; never while
    /// it answers.
    pub async fn down_for(&self, grace: Duration) {
        let mut rx = self.up.subscribe();
        // (The guards `wait_for` returns are dropped at once: they must not live across an
        // await, or the request's future would not be `Send`.)
        loop {
            let closed = rx.wait_for(|up| !*up).await.is_err();
            if closed {
                return std::future::pending().await;
            }
            let back = async { rx.wait_for(|up| *up).await.is_ok() };
            tokio::select! {
                _ = tokio::time::sleep(grace) => return,
                ok = back => if !ok {
                    return std::future::pending().await;
                },
            }
        }
    }
}

/// Asks the database a trivial question; true when it answers in time.
pub async fn answers(db: &Db) -> bool {
    let ask = async {
        db.query("RETURN true")
            .await
            .and_then(|mut r| r.take::<Option<bool>>(0))
    };
    matches!(
        tokio::time::timeout(PING_TIMEOUT, ask).await,
        Ok(Ok(Some(true)))
    )
}

/// Follows the database's availability until `shutdown`, logging each change.
pub async fn watch(db: Db, health: DbHealth, mut shutdown: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(PING_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut unanswered = 0;
    loop {
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            _ = tick.tick() => {}
        }
        unanswered = if answers(&db).await {
            0
        } else {
            unanswered + 1
        };
        let up = unanswered < DOWN_AFTER;
        if up != health.is_up() {
            if up {
                tracing::info!("the database answers again");
            } else {
                tracing::warn!("the database does not answer; requests get 503 until it does");
            }
        }
        health.set(up);
    }
}

/// 503 with `Retry-After`: the database is unavailable, nothing was done.
pub fn unavailable() -> Response {
    let mut res = (
        StatusCode::SERVICE_UNAVAILABLE,
        "The service is briefly unavailable. Please try again in a few seconds.",
    )
        .into_response();
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECS),
    );
    res
}

/// Middleware: 503 at once while the database is unavailable; a request that was running when
/// it went away, 503 after [`IN_FLIGHT_GRACE`]; a failure (500) that came from losing the
/// database, 503. The liveness check `/healthz` and the app's own files need no database.
pub async fn refuse_while_unavailable(
    State(st): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path == "/healthz" || path.starts_with("/pkg/") {
        return next.run(req).await;
    }
    if !st.db_health.is_up() {
        return unavailable();
    }
    let res = tokio::select! {
        res = next.run(req) => res,
        _ = st.db_health.down_for(IN_FLIGHT_GRACE) => return unavailable(),
    };
    if res.status() == StatusCode::INTERNAL_SERVER_ERROR
        && st.config.remote_database()
        && !answers(&st.db).await
    {
        return unavailable();
    }
    res
}
