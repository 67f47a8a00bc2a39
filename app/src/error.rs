//! One error type for every boundary: server functions return it, pages render it.
//!
//! Internal details never cross the wire: the server logs them and the browser only
//! sees [`AppError::Internal`] with a generic message.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// A problem with one input field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("We could not find that.")]
    NotFound,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// A link or offer that has expired.
    #[error("{0}")]
    Gone(String),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// Transport problems (network down, malformed request) reported by the server-fn layer.
    #[error("The request could not be completed: {0}")]
    Request(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A single-field validation error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    /// The message for `field`, if this is a validation error that names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// "Someone else changed this at the same moment": a lost write conflict.
    pub fn conflict_retry() -> Self {
        AppError::Conflict("Someone else changed this at the same moment. Please try again.".into())
    }

    /// HTTP status code that fits this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Forbidden => 403,
            AppError::Unauthenticated => 401,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Gone(_) => 410,
            AppError::Internal => 500,
            AppError::Request(_) => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Encodes the error for the wire. On the server this is also the ONE place where a server
    /// function's HTTP status follows from the error (404, 422, 403, 401, 409, 429, …), so no
    /// call site has to set it.
    fn ser(&self) -> server_fn::Bytes {
        #[cfg(feature = "ssr")]
        self.set_response_status(true);
        // Encoding a plain enum of strings as JSON cannot fail; the fallback is the generic error.
        <JsonEncoding as server_fn::Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| server_fn::Bytes::from_static(br#""Internal""#))
    }

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Response(m) => {
                AppError::Request(format!("the server could not be reached ({m})"))
            }
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::Request(format!("the form data was not understood ({m})"))
            }
            ServerFnErrorErr::MissingArg(m) => AppError::Request(format!("missing field {m}")),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                let _ = other;
                AppError::Internal
            }
        }
    }
}

/// True for database errors that mean "another transaction got there first; retrying may
/// succeed".
pub fn is_conflict_message(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("conflict") || m.contains("can be retried")
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Sets the status of the response being made (a server function's, or a page's while it
    /// is rendered on the server) from this error. With `keep_form_redirects`, a plain HTML form
    /// post (no JavaScript) keeps the redirect back to its form that leptos_axum gives it.
    pub fn set_response_status(&self, keep_form_redirects: bool) {
        use leptos::prelude::use_context;
        let html_form = keep_form_redirects
            && use_context::<http::request::Parts>().is_some_and(|p| {
                p.headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"))
            });
        if !html_form
            && let Some(res) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(code) = http::StatusCode::from_u16(self.status_code())
        {
            res.set_status(code);
        }
    }
}

/// Database errors: a lost write conflict asks the user to try again; anything else is logged
/// here, once, and the user sees the generic message.
#[cfg(feature = "ssr")]
impl From<surrealdb::Error> for AppError {
    fn from(e: surrealdb::Error) -> Self {
        let message = e.to_string();
        if is_conflict_message(&message) {
            AppError::conflict_retry()
        } else {
            tracing::error!(error = %message, "database error");
            AppError::Internal
        }
    }
}

/// Our own values that fail to become JSON (for a query binding) are a bug: logged, internal.
#[cfg(feature = "ssr")]
impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        tracing::error!(error = %e, "JSON conversion failed");
        AppError::Internal
    }
}

/// Collects field errors while a form is checked, so every problem is reported at once.
#[derive(Debug, Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    /// Records the error of `result` (if any) and returns its value.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(m) => {
                self.add(field, m);
                None
            }
        }
    }
    pub fn finish(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_message_finds_the_named_field() {
        let e = AppError::Validation(vec![
            FieldError::new("email", "Enter a valid email address."),
            FieldError::new("name", "Enter your name."),
        ]);
        assert_eq!(e.field_message("name").as_deref(), Some("Enter your name."));
        assert_eq!(e.field_message("phone"), None);
        assert_eq!(e.status_code(), 422);
    }

    #[test]
    fn checks_collect_every_problem() {
        let mut c = Checks::new();
        assert_eq!(c.check::<u8>("a", Err("bad a".into())), None);
        assert_eq!(c.check("b", Ok(3)), Some(3));
        c.add("c", "bad c");
        let err = c.finish().unwrap_err();
        assert_eq!(err.field_message("a").as_deref(), Some("bad a"));
        assert_eq!(err.field_message("c").as_deref(), Some("bad c"));
    }

    #[test]
    fn errors_roundtrip_through_the_wire_encoding() {
        let e = AppError::invalid("title", "Enter a title.");
        let back = AppError::de(e.ser());
        assert_eq!(back, e);
    }
}
