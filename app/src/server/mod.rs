//! Server-only GENERIC plumbing: state, database, the job runtime, mail, Slack, security, HTTP
//! helpers, configuration. It never imports a feature: `crate::startup` composes them.

pub mod activity;
pub mod availability;
pub mod backup;
pub mod brand;
pub mod config;
pub mod csv;
pub mod db;
pub mod form;
pub mod http;
pub mod mail;
pub mod mail_layout;
pub mod ratelimit;
pub mod runtime;
pub mod security;
pub mod slack;
pub mod tasks;

use crate::error::{AppError, AppResult};
use axum::extract::FromRef;
use config::Config;
use db::Db;
use leptos::prelude::*;
use mail::Mailer;
use security::Keys;
use std::sync::Arc;

/// Everything a request handler needs. Cloned into every request's context. Built by the
/// composition root (`crate::startup`), which also puts each feature's own shared state
/// (e.g. the live boards' hub) into [`AppState::ext`].
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    pub keys: Keys,
    pub tasks: tasks::Tasks,
    /// Wakes this process's campaign engine.
    pub engine_wake: Arc<tokio::sync::Notify>,
    /// Names this process in leases it takes.
    pub node: String,
    /// Whether the database answers (always, for an embedded one).
    pub db_health: availability::DbHealth,
    /// Shared state that features bring, one value per type, set once at start.
    features: Arc<::http::Extensions>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot load the signing keys: {0}")]
    Keys(String),
    #[error("mail settings: {0}")]
    Mail(String),
    #[error("cannot prepare the data: {0}")]
    Data(String),
}

impl AppState {
    /// Connects the database (applying the schema), loads keys and prepares mail. Feature state
    /// comes from the composition root.
    pub async fn connect(
        leptos_options: LeptosOptions,
        config: Config,
        features: ::http::Extensions,
    ) -> Result<Self, StartError> {
        let db = db::connect(&config).await?;
        let keys = Keys::load(&db, config.app_secret.as_deref())
            .await
            .map_err(StartError::Keys)?;
        let mailer = Mailer::new(config.smtp_url.as_deref(), &config.mail_from)
            .map_err(StartError::Mail)?
            .branded(&config.company_name, &config.public_url);
        Ok(Self {
            leptos_options,
            db,
            config: Arc::new(config),
            mailer,
            keys,
            tasks: tasks::Tasks::new(),
            engine_wake: Arc::new(tokio::sync::Notify::new()),
            node: security::random_token(12),
            db_health: availability::DbHealth::default(),
            features: Arc::new(features),
        })
    }

    /// A second "process" on the same database (its own session, mailer, wake-ups and node
    /// name, the same task handlers), as another app server would be; `features` is its own
    /// feature state. Used by tests of the lease logic.
    pub fn another_node(&self, features: ::http::Extensions) -> Result<Self, StartError> {
        Ok(Self {
            leptos_options: self.leptos_options.clone(),
            db: self.db.clone(),
            config: self.config.clone(),
            mailer: Mailer::new(self.config.smtp_url.as_deref(), &self.config.mail_from)
                .map_err(StartError::Mail)?
                .branded(&self.config.company_name, &self.config.public_url),
            keys: self.keys.clone(),
            tasks: self.tasks.for_another_node(),
            engine_wake: Arc::new(tokio::sync::Notify::new()),
            node: security::random_token(12),
            db_health: self.db_health.clone(),
            features: Arc::new(features),
        })
    }

    /// The shared state of type `T` that a feature registered at start. Missing state is a
    /// wiring mistake in `crate::startup`, caught by every test that starts the app.
    pub fn ext<T: Send + Sync + 'static>(&self) -> &T {
        self.features.get::<T>().unwrap_or_else(|| {
            panic!(
                "{} was not registered in startup.rs",
                std::any::type_name::<T>()
            )
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

/// Request headers of the current request.
pub fn request_parts() -> Option<::http::request::Parts> {
    use_context::<::http::request::Parts>()
}

/// The client address of the current request (see [`http::client_ip`] for proxies).
pub fn request_ip(st: &AppState) -> AppResult<String> {
    let parts = request_parts().ok_or(AppError::Internal)?;
    Ok(http::client_ip(&parts, &st.config.trusted_proxies))
}
