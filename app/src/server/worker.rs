//! Background work in this process: mail delivery, the campaign engine, tasks and housekeeping.

use super::AppState;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Starts the workers; they stop when `shutdown` becomes true.
pub fn spawn(state: &AppState, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let mut handles = Vec::new();
    let mailer = state.mailer.clone();
    let db = state.db.clone();
    handles.push(tokio::spawn(mailer.run_worker(db, shutdown.clone())));
    handles.push(tokio::spawn(crate::campaigns::engine::run_worker(
        state.clone(),
        state.node.clone(),
        shutdown.clone(),
    )));
    handles.push(tokio::spawn(super::tasks::run_worker(
        state.clone(),
        shutdown.clone(),
    )));

    let db = state.db.clone();
    let mut stop = shutdown;
    handles.push(tokio::spawn(async move {
        loop {
            if let Err(e) = crate::auth::repo::purge_expired(&db).await {
                tracing::warn!(error = ?e, "housekeeping failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(600)) => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                break;
            }
        }
    }));
    handles
}
