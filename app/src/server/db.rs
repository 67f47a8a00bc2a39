//! Database connection, schema application and small helpers shared by every repo.

use super::config::Config;
use crate::error::{AppError, AppResult, is_conflict_message};
use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use surrealdb::opt::auth::Root;
use surrealdb::types::{RecordId, RecordIdKey, SurrealValue};

/// The database handle every repo takes, cloned into every request and task. Clones share ONE
/// session of the driver: cloning the driver's own handle (`Surreal`) opens a new session on the
/// server (with a remote database, an `attach` and a replay of namespace and sign-in, a round trip
/// each, and at most 256 sessions per connection, past which the server refuses with "Method not
/// allowed"). Nothing here sets session state (variables, namespace) after connecting, so one
/// session serves every request of the process.
#[derive(Clone, Debug)]
pub struct Db(std::sync::Arc<Surreal<Any>>);

impl std::ops::Deref for Db {
    type Target = Surreal<Any>;

    fn deref(&self) -> &Surreal<Any> {
        &self.0
    }
}

/// What can go wrong talking to the database. Server functions see it as an [`AppError`]:
/// a lost write conflict asks the user to try again, anything else is logged and internal.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open database {url}: {message}")]
    Open { url: String, message: String },
    #[error("cannot sign in to the database: {0}")]
    SignIn(String),
    #[error("cannot select the namespace and database: {0}")]
    Select(String),
    #[error("schema statement failed: {message}\n{statement}")]
    Schema { message: String, statement: String },
    /// Another transaction got there first; retrying may succeed.
    #[error("write conflict: {0}")]
    Conflict(String),
    #[error("{0}")]
    Query(String),
}

impl DbError {
    /// A failed statement's message, classified.
    pub fn from_message(message: String) -> Self {
        if is_conflict_message(&message) {
            DbError::Conflict(message)
        } else {
            DbError::Query(message)
        }
    }

    pub fn is_conflict(&self) -> bool {
        matches!(self, DbError::Conflict(_))
    }
}

impl From<surrealdb::Error> for DbError {
    fn from(e: surrealdb::Error) -> Self {
        DbError::from_message(e.to_string())
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Conflict(_) => AppError::conflict_retry(),
            other => internal(other),
        }
    }
}

const SCHEMA: &str = include_str!("schema.surql");

/// Connects, signs in when the database is remote, selects namespace and database, applies the
/// schema. The returned handle is cloned into `AppState`; clones share the selected database.
pub async fn connect(config: &Config) -> Result<Db, DbError> {
    // A process that is just stopping may still hold the on-disk database for a moment
    // (a quick restart): wait for it rather than fail.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let db = loop {
        match surrealdb::engine::any::connect(config.database_url.as_str()).await {
            Ok(db) => break db,
            Err(e)
                if e.to_string().contains("already locked")
                    && std::time::Instant::now() < deadline =>
            {
                tracing::info!("the database is still held by a stopping process; waiting");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => {
                return Err(DbError::Open {
                    url: config.database_url.clone(),
                    message: e.to_string(),
                });
            }
        }
    };
    if config.remote_database() {
        db.signin(Root {
            username: config.database_user.clone(),
            password: config.database_pass.clone(),
        })
        .await
        .map_err(|e| DbError::SignIn(e.to_string()))?;
    }
    db.use_ns(config.database_ns.as_str())
        .use_db(config.database_db.as_str())
        .await
        .map_err(|e| DbError::Select(e.to_string()))?;
    let db = Db(std::sync::Arc::new(db));
    apply_schema(&db).await?;
    Ok(db)
}

/// The schema's tables, in the order it defines them.
pub fn schema_tables() -> Vec<&'static str> {
    SCHEMA
        .lines()
        .filter_map(|l| l.trim().strip_prefix("DEFINE TABLE OVERWRITE "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(|t| t.trim_end_matches(';'))
        .collect()
}

/// Applies `schema.surql` statement by statement (see the comment at its top).
pub async fn apply_schema(db: &Db) -> Result<(), DbError> {
    for statement in statements(SCHEMA) {
        let result = db.query(statement.as_str()).await.and_then(|r| r.check());
        if let Err(e) = result {
            let is_index = statement.trim_start().starts_with("DEFINE INDEX");
            if is_index && e.to_string().contains("already exists") {
                continue;
            }
            return Err(DbError::Schema {
                message: e.to_string(),
                statement,
            });
        }
    }
    Ok(())
}

/// Splits a SurrealQL script into statements: `;` at the end of a line ends one.
/// Comment lines are dropped. (The schema keeps semicolons out of strings.)
fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in script.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("--") {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if trimmed.ends_with(';') {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// The value of the `RETURN` statement right before `COMMIT TRANSACTION` (BEGIN and COMMIT each
/// produce a result entry of their own).
pub fn txn_return<T: SurrealValue>(
    res: &mut surrealdb::IndexedResults,
) -> Result<T, surrealdb::Error>
where
    usize: surrealdb::opt::QueryResult<T>,
{
    let i = res.num_statements().saturating_sub(2);
    res.take(i)
}

/// Every error of a multi-statement response, joined. In a failed transaction most statements
/// only say "not executed due to a failed transaction"; the cause is in one of them.
pub fn errors_of(res: &mut surrealdb::IndexedResults) -> Option<String> {
    let mut errs: Vec<(usize, surrealdb::Error)> = res.take_errors().into_iter().collect();
    if errs.is_empty() {
        return None;
    }
    errs.sort_by_key(|(i, _)| *i);
    Some(
        errs.into_iter()
            .map(|(_, e)| e.to_string())
            .collect::<Vec<_>>()
            .join(" | "),
    )
}

/// Runs a query and returns all its errors as one (see [`errors_of`]), conflicts recognised.
pub async fn run(
    query: surrealdb::method::Query<'_, surrealdb::engine::any::Any>,
) -> Result<surrealdb::IndexedResults, DbError> {
    match query.await {
        Ok(mut r) => match errors_of(&mut r) {
            None => Ok(r),
            Some(m) => Err(DbError::from_message(m)),
        },
        Err(e) => Err(e.into()),
    }
}

/// Runs a writing query: write conflicts become [`AppError::Conflict`], anything else is logged
/// and becomes [`AppError::Internal`].
pub async fn write(
    query: surrealdb::method::Query<'_, surrealdb::engine::any::Any>,
) -> AppResult<surrealdb::IndexedResults> {
    Ok(run(query).await?)
}

/// Like [`write`], but a `THROW 'marker'` inside the query becomes the paired error.
pub async fn write_guarded(
    query: surrealdb::method::Query<'_, surrealdb::engine::any::Any>,
    guards: &[(&str, AppError)],
) -> AppResult<surrealdb::IndexedResults> {
    match run(query).await {
        Ok(r) => Ok(r),
        Err(DbError::Query(m)) | Err(DbError::Conflict(m))
            if guards.iter().any(|(marker, _)| m.contains(marker)) =>
        {
            let (_, e) = guards
                .iter()
                .find(|(marker, _)| m.contains(marker))
                .expect("checked above");
            Err(e.clone())
        }
        Err(other) => Err(other.into()),
    }
}

/// Whether the one-time fill `marker` has run for `version`: database upgrades that fill a table
/// from others (report facts, active applications) mark it in `setting:<marker>` and, at later
/// starts, do nothing. A fill of a newer version runs again.
pub async fn filled(db: &Db, marker: &str, version: &str) -> AppResult<bool> {
    let mut r = db
        .query("SELECT VALUE value FROM ONLY type::record('setting', $marker)")
        .bind(("marker", marker.to_string()))
        .await?;
    Ok(r.take::<Option<String>>(0)?.as_deref() == Some(version))
}

/// The statement that marks the fill `$marker` done for `$version` (see [`filled`]), for a fill
/// that writes its mark in its own transaction.
macro_rules! mark_filled {
    () => {
        "UPSERT type::record('setting', $marker) SET value = $version RETURN NONE;"
    };
}
pub(crate) use mark_filled;

/// Marks the fill `marker` done for `version` (see [`filled`]).
pub async fn set_filled(db: &Db, marker: &str, version: &str) -> AppResult<()> {
    write(
        db.query(mark_filled!())
            .bind(("marker", marker.to_string()))
            .bind(("version", version.to_string())),
    )
    .await?;
    Ok(())
}

/// Runs `attempt` again (up to 5 more times, with a short pause) while it loses a write conflict.
/// For idempotent writes whose caller cannot be asked to try again, such as a mail client's
/// one-click unsubscribe racing the campaign engine on the same person.
pub async fn retry_conflicts<T, F, Fut>(mut attempt: F) -> AppResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = AppResult<T>>,
{
    let mut tries = 0u64;
    loop {
        match attempt().await {
            Err(AppError::Conflict(_)) if tries < 5 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(20 * tries)).await;
            }
            other => return other,
        }
    }
}

/// Logs a database error and turns it into the generic internal error users see.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "database error");
    AppError::Internal
}

/// True when the error comes from a UNIQUE index.
pub fn is_unique_violation(e: &surrealdb::Error) -> bool {
    let m = e.to_string();
    m.contains("already contains") || e.is_already_exists()
}

/// True when a transaction lost a write conflict and can be retried.
pub fn is_retryable(e: &surrealdb::Error) -> bool {
    is_conflict_message(&e.to_string())
}

/// The string key of a record id (`job:abc` → `abc`), used as the id on the wire.
pub fn key(id: &RecordId) -> String {
    match &id.key {
        RecordIdKey::String(s) => s.clone(),
        RecordIdKey::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// Builds a record id from a wire id, refusing anything that is not a plain key.
pub fn id(table: &str, key: &str) -> AppResult<RecordId> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(RecordId::new(table, key))
    } else {
        Err(AppError::NotFound)
    }
}

/// A fresh random key, as SurrealDB would generate it.
pub fn new_key() -> String {
    match RecordIdKey::rand() {
        RecordIdKey::String(s) => s,
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_splits_into_statements() {
        let s = statements("-- c\nDEFINE TABLE a;\nDEFINE FIELD x ON a\n  TYPE string;\n\n");
        assert_eq!(s.len(), 2);
        assert!(s[1].contains("TYPE string;"));
    }

    #[test]
    fn wire_ids_are_plain_keys() {
        assert!(id("job", "abc_123").is_ok());
        assert!(id("job", "").is_err());
        assert!(id("job", "a:b").is_err());
        assert!(id("job", "x` OR 1=1").is_err());
    }

    #[tokio::test]
    async fn schema_applies_twice() {
        let db = connect(&Config::for_tests()).await.expect("connect");
        apply_schema(&db)
            .await
            .expect("second application is a no-op");
    }
}
