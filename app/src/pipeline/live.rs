//! Live boards: every open board of a job receives card changes and the list of people viewing
//! it, as server-sent events. Changes come from SurrealDB live queries, so a move made through
//! any app process on the same database reaches every board.

use super::repo::CardRow;
use super::types::{LiveEvent, Viewer};
use crate::server::AppState;
use crate::server::db::{Db, key, new_key};
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use futures::StreamExt;
use http::{HeaderMap, StatusCode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use surrealdb::Notification;
use surrealdb::types::{Action, RecordId, SurrealValue};
use tokio::sync::broadcast;

/// One broadcast channel per watched job.
#[derive(Clone, Default, Debug)]
pub struct Hub {
    jobs: Arc<Mutex<HashMap<RecordId, broadcast::Sender<LiveEvent>>>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct ViewerRow {
    staff: RecordId,
    name: String,
}

const VIEWER_TTL_SECS: i64 = 45;

async fn viewers(db: &Db, job: &RecordId) -> Vec<Viewer> {
    let r = db
        .query("SELECT staff, name FROM board_viewer WHERE job = $job AND seen_at > $since")
        .bind(("job", job.clone()))
        .bind(("since", Utc::now() - Duration::seconds(VIEWER_TTL_SECS)))
        .await;
    // Presence is a courtesy: if it cannot be read, the board goes on without it (logged).
    let rows: Vec<ViewerRow> = match r.and_then(|mut r| r.take(0)) {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!(error = %e, job = ?job, "could not read who is viewing a board");
            Vec::new()
        }
    };
    let mut out: Vec<Viewer> = Vec::new();
    for v in rows {
        let id = key(&v.staff);
        if !out.iter().any(|x| x.id == id) {
            out.push(Viewer { id, name: v.name });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

impl Hub {
    /// A receiver of the job's events; starts watching the job if nobody did yet.
    pub fn subscribe(&self, st: &AppState, job: &RecordId) -> broadcast::Receiver<LiveEvent> {
        let mut jobs = self.jobs.lock().expect("hub lock");
        if let Some(tx) = jobs.get(job) {
            return tx.subscribe();
        }
        let (tx, rx) = broadcast::channel(512);
        jobs.insert(job.clone(), tx.clone());
        tokio::spawn(watch(st.clone(), job.clone(), tx));
        rx
    }

    fn forget(&self, job: &RecordId) {
        self.jobs.lock().expect("hub lock").remove(job);
    }
}

/// Why [`follow`] returned.
enum Ended {
    /// Nobody watches the board any more.
    NoListeners,
    /// The live queries could not start or ended: the database connection was lost (a
    /// restarted database server) or refused them.
    Lost,
}

/// Watches a job while anyone follows its board. When the live queries are lost (the database
/// server restarted: the driver reconnects, but live queries end with the old connection), they
/// are started again once the database answers, and the boards are told to reload, since
/// changes made in between were not seen. The browsers' event streams stay open throughout.
async fn watch(st: AppState, job: RecordId, tx: broadcast::Sender<LiveEvent>) {
    let mut resumed = false;
    loop {
        match follow(&st, &job, &tx, resumed).await {
            Ended::NoListeners => break,
            Ended::Lost => {
                if !resumed {
                    tracing::warn!(job = ?job, "a board's live queries ended; starting them again");
                }
                resumed = true;
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        if tx.receiver_count() == 0 {
            break;
        }
    }
    st.ext::<Hub>().forget(&job);
}

/// Sends the job's card changes and viewers to `tx` until nobody listens or the live queries
/// end. `resumed`: they were lost before, so the boards reload once they run again.
async fn follow(
    st: &AppState,
    job: &RecordId,
    tx: &broadcast::Sender<LiveEvent>,
    resumed: bool,
) -> Ended {
    let cards = st
        .db
        .query(format!(
            "LIVE SELECT {} FROM application WHERE job = $job",
            super::repo::CARD_FIELDS
        ))
        .bind(("job", job.clone()))
        .await
        .and_then(|mut r| r.stream::<Notification<CardRow>>(0));
    let presence = st
        .db
        .query("LIVE SELECT * FROM board_viewer WHERE job = $job")
        .bind(("job", job.clone()))
        .await
        .and_then(|mut r| r.stream::<Notification<surrealdb::types::Value>>(0));
    let (mut cards, mut presence) = match (cards, presence) {
        (Ok(c), Ok(p)) => (c, p),
        (Err(e), _) | (_, Err(e)) => {
            if !resumed {
                tracing::error!(error = %e, "could not start live queries for a board");
            }
            return Ended::Lost;
        }
    };
    if resumed {
        tracing::info!(job = ?job, "a board's live queries run again");
        let _ = tx.send(LiveEvent::Reload);
    }
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
    let mut last_viewers: Vec<Viewer> = Vec::new();
    loop {
        tokio::select! {
            n = cards.next() => match n {
                Some(Ok(n)) if matches!(n.action, Action::Create | Action::Update) => {
                    let mut card = n.data.to_card(Utc::now());
                    // Masked as the job says now (its setting may have changed since the start).
                    match crate::jobs::repo::get(&st.db, job).await {
                        Ok(Some(j)) => card.anonymise(&j.stages(), j.anonymise_until.as_deref()),
                        // Unsure: send nothing rather than a name that may be hidden.
                        _ => continue,
                    }
                    let _ = tx.send(LiveEvent::Card { card });
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => tracing::warn!(error = %e, "live card notification failed"),
                None => return Ended::Lost,
            },
            n = presence.next() => match n {
                Some(_) => {
                    let v = viewers(&st.db, job).await;
                    if v != last_viewers {
                        last_viewers = v.clone();
                        let _ = tx.send(LiveEvent::Presence { viewers: v });
                    }
                }
                None => return Ended::Lost,
            },
            _ = tick.tick() => {
                if tx.receiver_count() == 0 {
                    return Ended::NoListeners;
                }
                // Viewers whose process died stop refreshing and drop out after a while.
                let v = viewers(&st.db, job).await;
                if v != last_viewers {
                    last_viewers = v.clone();
                    let _ = tx.send(LiveEvent::Presence { viewers: v });
                }
            }
        }
    }
}

/// Removes the viewer row when the event stream ends (browser closed or navigated away).
struct ViewerGuard {
    db: Db,
    id: RecordId,
}

impl Drop for ViewerGuard {
    fn drop(&mut self) {
        let db = self.db.clone();
        let id = self.id.clone();
        tokio::spawn(async move {
            let _ = db.query("DELETE $id").bind(("id", id)).await;
        });
    }
}

/// `GET /app/jobs/{id}/events`: the board's live events (server-sent events).
pub async fn board_events(
    State(st): State<AppState>,
    Path(job_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(Some(user)) = crate::auth::guard::staff_from_headers(&st, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "Sign in to follow this board.").into_response();
    };
    let Ok(job_ref) = crate::server::db::id("job", &job_id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let job = match crate::jobs::repo::get(&st.db, &job_ref).await {
        Ok(Some(j)) => j,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if !user.can_work_board(job.hiring_manager_key().as_deref()) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let rx = st.ext::<Hub>().subscribe(&st, &job_ref);
    let access = Access {
        st: st.clone(),
        headers,
        job: job_ref.clone(),
    };
    let viewer = RecordId::new("board_viewer", new_key());
    let _ = st
        .db
        .query("CREATE $id SET job = $job, staff = $staff, name = $name")
        .bind(("id", viewer.clone()))
        .bind(("job", job_ref.clone()))
        .bind(("staff", RecordId::new("staff", user.id.as_str())))
        .bind(("name", user.name.clone()))
        .await;
    let guard = ViewerGuard {
        db: st.db.clone(),
        id: viewer.clone(),
    };
    let initial = LiveEvent::Presence {
        viewers: viewers(&st.db, &job_ref).await,
    };
    struct State_ {
        rx: broadcast::Receiver<LiveEvent>,
        guard: ViewerGuard,
        first: Option<LiveEvent>,
        heartbeat: tokio::time::Interval,
        access: Access,
    }
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.reset();
    let state = State_ {
        rx,
        guard,
        first: Some(initial),
        heartbeat,
        access,
    };
    let stream = futures::stream::unfold(state, |mut s| async move {
        if let Some(e) = s.first.take() {
            return Some((to_event(&e), s));
        }
        loop {
            tokio::select! {
                r = s.rx.recv() => match r {
                    Ok(e) => return Some((to_event(&e), s)),
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        // Too far behind: ask the browser to reload the board.
                        return Some((to_event(&LiveEvent::Reload), s));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = s.heartbeat.tick() => {
                    // Still allowed? A session that ended (sign-out, deactivation), a changed
                    // role or hiring manager ends the stream.
                    if !s.access.still_allowed().await {
                        return None;
                    }
                    let _ = s.guard.db.query("UPDATE $id SET seen_at = time::now()").bind(("id", s.guard.id.clone())).await;
                }
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// How often a live board's stream is refreshed and its viewer's access checked again.
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);

/// What a stream's access was granted on, to check it again while it runs.
struct Access {
    st: AppState,
    headers: HeaderMap,
    job: RecordId,
}

impl Access {
    /// False when the session ended or the access was taken away. A database that does not
    /// answer (a restart) ends nothing: the stream waits for it.
    async fn still_allowed(&self) -> bool {
        let user = match crate::auth::guard::staff_from_headers(&self.st, &self.headers).await {
            Ok(Some(user)) => user,
            Ok(None) => return false,
            Err(_) => return true,
        };
        match crate::jobs::repo::get(&self.st.db, &self.job).await {
            Ok(Some(job)) => user.can_work_board(job.hiring_manager_key().as_deref()),
            Ok(None) => false,
            Err(_) => true,
        }
    }
}

fn to_event(e: &LiveEvent) -> Result<Event, std::convert::Infallible> {
    let name = match e {
        LiveEvent::Card { .. } => "card",
        LiveEvent::Presence { .. } => "presence",
        LiveEvent::Reload => "reload",
    };
    Ok(Event::default()
        .event(name)
        .data(serde_json::to_string(e).unwrap_or_default()))
}
