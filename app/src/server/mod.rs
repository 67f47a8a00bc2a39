//! Server-only infrastructure: state, database, mail, security, workers, demo data.

pub mod activity;
pub mod config;
pub mod db;
pub mod demo;
pub mod http;
pub mod mail;
pub mod security;
pub mod tasks;
#[cfg(test)]
pub mod testing;
pub mod worker;

use crate::error::{AppError, AppResult};
use axum::extract::FromRef;
use config::Config;
use db::Db;
use leptos::prelude::*;
use mail::Mailer;
use security::Keys;
use std::sync::Arc;

/// Everything a request handler needs. Cloned into every request's context.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    pub keys: Keys,
    pub tasks: tasks::Tasks,
    pub live: crate::pipeline::live::Hub,
    /// Wakes this process's campaign engine.
    pub engine_wake: Arc<tokio::sync::Notify>,
    /// Names this process in leases it takes.
    pub node: String,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Connects the database (applying the schema), loads keys, prepares mail, seeds demo data
    /// when asked and the database is empty.
    pub async fn init(leptos_options: LeptosOptions, config: Config) -> Result<Self, String> {
        let db = db::connect(&config).await?;
        let keys = Keys::load(&db, config.app_secret.as_deref()).await?;
        crate::pipeline::repo::ensure_templates(&db).await?;
        let mailer = Mailer::new(config.smtp_url.as_deref(), &config.mail_from)?;
        let state = Self {
            leptos_options,
            db,
            config: Arc::new(config),
            mailer,
            keys,
            tasks: tasks::Tasks::new(),
            live: Default::default(),
            engine_wake: Arc::new(tokio::sync::Notify::new()),
            node: security::random_token(12),
        };
        if state.config.demo {
            demo::seed_if_empty(&state).await?;
        }
        Ok(state)
    }
}

impl AppState {
    /// A second "process" on the same database (its own session, mailer, workers and node
    /// name), as another app server would be. Used by tests of the lease logic.
    pub fn another_node(&self) -> Result<Self, String> {
        Ok(Self {
            leptos_options: self.leptos_options.clone(),
            db: self.db.clone(),
            config: self.config.clone(),
            mailer: Mailer::new(self.config.smtp_url.as_deref(), &self.config.mail_from)?,
            keys: self.keys.clone(),
            tasks: tasks::Tasks::new(),
            live: Default::default(),
            engine_wake: Arc::new(tokio::sync::Notify::new()),
            node: security::random_token(12),
        })
    }
}

/// The application state from the request context.
pub fn state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// Per-request memo (e.g. the signed-in user), provided fresh for every request.
#[derive(Clone, Default, Debug)]
pub struct RequestCache {
    pub staff: Arc<tokio::sync::OnceCell<Option<crate::auth::types::StaffUser>>>,
    pub candidate: Arc<tokio::sync::OnceCell<Option<surrealdb::types::RecordId>>>,
}

/// Records the HTTP status that fits `e` on the response and hands the error back.
/// Plain HTML form posts (no JavaScript) keep the redirect back to the form instead.
pub fn respond(e: AppError) -> AppError {
    let html_form = request_parts().is_some_and(|p| {
        p.headers
            .get(::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if !html_form
        && let Some(res) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(code) = ::http::StatusCode::from_u16(e.status_code())
    {
        res.set_status(code);
    }
    e
}

/// Request headers of the current request.
pub fn request_parts() -> Option<::http::request::Parts> {
    use_context::<::http::request::Parts>()
}
