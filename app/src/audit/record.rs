//! Recording: the HTTP layer records every change, sign-in, download and export as it answers;
//! server functions that show a candidate's profile, scorecards or offer record the read.

use super::repo::{self, Chain, NewEntry};
use super::types::{call_name, classify_call, classify_route, subjects_of};
use crate::error::AppResult;
use crate::server::AppState;
use crate::server::http::client_ip;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, header};

/// Form bodies up to this size are read for the ids they name; larger ones pass untouched.
const MAX_FORM: u64 = 64 * 1024;

/// Records that the signed-in staff member read something about `subjects` (call from a server
/// function, after its checks passed).
pub async fn record_read(action: &str, subjects: Vec<String>) -> AppResult<()> {
    record_here("read", action, subjects, None).await
}

/// Records an event of the current request by the signed-in staff member (from a server
/// function).
pub async fn record_here(
    kind: &'static str,
    action: &str,
    subjects: Vec<String>,
    detail: Option<String>,
) -> AppResult<()> {
    let st = crate::server::state()?;
    let user = crate::auth::guard::current_staff().await?;
    let mut entry = NewEntry::new(kind, action);
    entry.actor = user.map(|u| format!("staff:{}", u.id));
    entry.subjects = subjects;
    entry.detail = detail;
    entry.ip = crate::server::request_ip(&st).ok();
    repo::append(&st.db, st.ext::<Chain>(), entry).await
}

/// What a request will be recorded as, decided before it runs.
struct Plan {
    kind: &'static str,
    action: String,
    subjects: Vec<String>,
}

fn plan(method: &Method, path: &str) -> Option<Plan> {
    if *method == Method::POST {
        let name = call_name(path)?;
        let kind = classify_call(name)?;
        return Some(Plan {
            kind,
            action: name.to_string(),
            subjects: Vec::new(),
        });
    }
    if *method == Method::GET {
        let (kind, action, subjects) = classify_route(path)?;
        return Some(Plan {
            kind,
            action,
            subjects,
        });
    }
    None
}

/// `ok`, `refused` or `failed`, from the answer. A form posted without JavaScript is answered
/// with a redirect back that carries the error (`__err`).
fn outcome(res: &Response) -> &'static str {
    let s = res.status();
    if matches!(
        s,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
    ) {
        return "refused";
    }
    if s.is_client_error() || s.is_server_error() {
        return "failed";
    }
    let error_redirect = res
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.contains("__err="));
    if error_redirect { "failed" } else { "ok" }
}

/// Middleware: records changes, sign-ins, downloads and exports with who, what, when, from
/// where and how it ended. The entry is written before the answer leaves.
pub async fn record_requests(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let Some(mut plan) = plan(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let small = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n <= MAX_FORM);
    let mut fields: Vec<(String, String)> = Vec::new();
    let body = if form && small {
        match axum::body::to_bytes(body, MAX_FORM as usize).await {
            Ok(bytes) => {
                fields = form_urlencoded::parse(&bytes).into_owned().collect();
                Body::from(bytes)
            }
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        }
    } else {
        body
    };
    plan.subjects.extend(subjects_of(&fields));
    let ip = client_ip(&parts, &st.config.trusted_proxies);
    // Who: looked up before the call (signing out ends the session it names).
    let actor = match crate::auth::guard::staff_from_headers(&st, &parts.headers).await {
        Ok(Some(u)) => Some(format!("staff:{}", u.id)),
        _ => match crate::auth::guard::candidate_from_headers(&st, &parts.headers).await {
            Ok(Some(p)) => Some(format!("person:{}", crate::server::db::key(&p))),
            _ => None,
        },
    };
    let res = next.run(Request::from_parts(parts, body)).await;
    let outcome = outcome(&res);
    let mut entry = NewEntry::new(plan.kind, plan.action);
    entry.actor = actor;
    entry.subjects = plan.subjects;
    entry.outcome = outcome;
    entry.ip = Some(ip);
    if entry.action == "login" {
        let email = fields
            .iter()
            .find(|(k, _)| k == "email")
            .map(|(_, v)| v.trim().to_lowercase())
            .unwrap_or_default();
        if outcome == "ok" {
            if let Ok(Some(row)) = crate::auth::repo::staff_by_email(&st.db, &email).await {
                entry.actor = Some(format!("staff:{}", crate::server::db::key(&row.id)));
            }
        } else {
            entry.action = "login_failed".into();
            entry.detail = Some(format!("Email: {email}"));
        }
    }
    if let Err(e) = repo::append(&st.db, st.ext::<Chain>(), entry).await {
        tracing::error!(error = ?e, "could not write an audit entry");
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, location: Option<&str>) -> Response {
        let mut b = Response::builder().status(status);
        if let Some(l) = location {
            b = b.header(header::LOCATION, l);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn outcomes_follow_the_answer() {
        assert_eq!(outcome(&answer(200, None)), "ok");
        assert_eq!(outcome(&answer(303, Some("/app/jobs"))), "ok");
        assert_eq!(
            outcome(&answer(303, Some("/app/jobs?__path=/api/x&__err=abc"))),
            "failed"
        );
        assert_eq!(outcome(&answer(403, None)), "refused");
        assert_eq!(outcome(&answer(422, None)), "failed");
    }

    #[test]
    fn plans_by_method_and_path() {
        assert_eq!(
            plan(&Method::POST, "/api/move_card123").map(|p| p.kind),
            Some("change")
        );
        assert!(plan(&Method::POST, "/api/get_board123").is_none());
        assert_eq!(
            plan(&Method::GET, "/app/export/search").map(|p| p.kind),
            Some("export")
        );
        assert!(plan(&Method::GET, "/app/jobs").is_none());
    }
}
