//! Who is calling: every server function starts here.

use super::repo::{self, PORTAL_COOKIE, STAFF_COOKIE};
use super::types::{Role, StaffUser};
use crate::error::{AppError, AppResult};
use crate::server::http::{cookie, set_cookie};
use crate::server::security::{random_token, sha256_hex};
use crate::server::{request_parts, state};
use leptos::prelude::*;
use std::sync::Arc;
use surrealdb::types::RecordId;

fn request_cookie(name: &str) -> Option<String> {
    let secure = state().ok()?.config.secure_cookies();
    request_parts().and_then(|p| cookie(&p.headers, name, secure))
}

async fn lookup_staff() -> AppResult<Option<StaffUser>> {
    let st = state()?;
    let Some(parts) = request_parts() else {
        return Ok(None);
    };
    session_staff(&st, &parts.headers).await
}

/// The staff member whose session cookie is in these headers (for plain axum handlers). One who
/// must still set up two-step sign-in counts as signed out here: downloads, exports and live
/// boards wait until they have.
pub async fn staff_from_headers(
    st: &crate::server::AppState,
    headers: &http::HeaderMap,
) -> AppResult<Option<StaffUser>> {
    Ok(session_staff(st, headers)
        .await?
        .filter(|u| !u.must_set_up_two_step))
}

/// The candidate whose portal session cookie is in these headers (for plain axum handlers).
pub async fn candidate_from_headers(
    st: &crate::server::AppState,
    headers: &http::HeaderMap,
) -> AppResult<Option<RecordId>> {
    let Some(token) = cookie(headers, PORTAL_COOKIE, st.config.secure_cookies()) else {
        return Ok(None);
    };
    Ok(repo::live_session(&st.db, &sha256_hex(&token))
        .await?
        .filter(|s| s.kind == "candidate")
        .and_then(|s| s.person))
}

/// The session's staff member, flagged when two-step sign-in is required and not set up.
async fn session_staff(
    st: &crate::server::AppState,
    headers: &http::HeaderMap,
) -> AppResult<Option<StaffUser>> {
    let Some(token) = cookie(headers, STAFF_COOKIE, st.config.secure_cookies()) else {
        return Ok(None);
    };
    let Some(session) = repo::live_session(&st.db, &sha256_hex(&token)).await? else {
        return Ok(None);
    };
    let Some(staff_id) = session.staff.filter(|_| session.kind == "staff") else {
        return Ok(None);
    };
    match repo::staff_by_id(&st.db, &staff_id).await? {
        Some(row) if row.active => {
            let mut user = row.to_user()?;
            user.must_set_up_two_step =
                row.totp_secret.is_none() && row.require_two_step == Some(true);
            user.last_visit = session.previous_visit.map(|d| d.to_rfc3339());
            Ok(Some(user))
        }
        _ => Ok(None),
    }
}

/// The signed-in staff member, if any (looked up once per request).
pub async fn current_staff() -> AppResult<Option<StaffUser>> {
    match use_context::<RequestCache>() {
        Some(cache) => cache.staff.get_or_try_init(lookup_staff).await.cloned(),
        None => lookup_staff().await,
    }
}

/// The signed-in staff member, or `Unauthenticated` (`Forbidden` while they must still set up
/// two-step sign-in).
pub async fn require_staff() -> AppResult<StaffUser> {
    let user = require_staff_setting_up().await?;
    if user.must_set_up_two_step {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// The signed-in staff member, even one who must still set up two-step sign-in (for the
/// functions of that setup).
pub async fn require_staff_setting_up() -> AppResult<StaffUser> {
    current_staff().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in staff member whose role passes `allowed`, or `Forbidden`.
pub async fn require_role(allowed: fn(Role) -> bool) -> AppResult<StaffUser> {
    let user = require_staff().await?;
    if allowed(user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn lookup_candidate() -> AppResult<Option<RecordId>> {
    let Some(token) = request_cookie(PORTAL_COOKIE) else {
        return Ok(None);
    };
    let st = state()?;
    Ok(repo::live_session(&st.db, &sha256_hex(&token))
        .await?
        .filter(|s| s.kind == "candidate")
        .and_then(|s| s.person))
}

/// The person signed in to the candidate portal, if any.
pub async fn current_candidate() -> AppResult<Option<RecordId>> {
    match use_context::<RequestCache>() {
        Some(cache) => cache
            .candidate
            .get_or_try_init(lookup_candidate)
            .await
            .cloned(),
        None => lookup_candidate().await,
    }
}

pub async fn require_candidate() -> AppResult<RecordId> {
    current_candidate().await?.ok_or(AppError::Unauthenticated)
}

/// Starts a session and returns the `Set-Cookie` value for it.
pub async fn start_session(
    st: &crate::server::AppState,
    kind: &str,
    staff: Option<RecordId>,
    person: Option<RecordId>,
) -> AppResult<http::HeaderValue> {
    let token = random_token(32);
    repo::create_session(&st.db, kind, staff, person, &sha256_hex(&token)).await?;
    let name = if kind == "staff" {
        STAFF_COOKIE
    } else {
        PORTAL_COOKIE
    };
    Ok(set_cookie(
        name,
        &token,
        repo::ABSOLUTE.num_seconds(),
        st.config.secure_cookies(),
    ))
}

/// Ends the session named by `cookie_name` (if any) and returns the clearing cookie.
pub async fn end_session(cookie_name: &str) -> AppResult<http::HeaderValue> {
    let st = state()?;
    if let Some(token) = request_cookie(cookie_name) {
        repo::delete_session(&st.db, &sha256_hex(&token)).await?;
    }
    Ok(set_cookie(cookie_name, "", 0, st.config.secure_cookies()))
}

/// The staff member of a staff-area page request, looked up before the page renders (see
/// [`staff_for_pages`]): the layout builds the shell and the page at once, with no Suspense
/// around them.
#[derive(Clone, Debug)]
pub struct PageStaff(pub AppResult<Option<StaffUser>>);

/// Middleware: a GET of a staff-area page (`/app…`, `/admin…`) carries its session's staff
/// member in the request, so the page is rendered once. Waiting for that lookup inside the
/// page's Suspense made Leptos build the page twice per request (its boundaries re-run their
/// children once their data is in), and the browser sometimes matched the abandoned copy.
pub async fn staff_for_pages(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    let staff_page = ["/app", "/admin"]
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')));
    if req.method() == http::Method::GET && staff_page {
        let found = boxed_session_staff(&st, req.headers()).await;
        req.extensions_mut().insert(PageStaff(found));
    }
    next.run(req).await
}

/// The lookup on the heap, made in a frame of its own: every request passes through the
/// middleware, and with the database query's future inline its stack frame grew by that
/// future's size under every handler (debug builds overflowed the tests' 2 MiB stacks).
#[inline(never)]
fn boxed_session_staff<'a>(
    st: &'a crate::server::AppState,
    headers: &'a http::HeaderMap,
) -> std::pin::Pin<Box<dyn Future<Output = AppResult<Option<StaffUser>>> + Send + 'a>> {
    Box::pin(session_staff(st, headers))
}

/// The request's [`PageStaff`], if the middleware looked it up; it also fills the per-request
/// memo so that the page's server functions do not look it up again.
pub fn page_staff(cache: &RequestCache) -> Option<PageStaff> {
    let found = request_parts()?.extensions.get::<PageStaff>().cloned()?;
    if let Ok(user) = &found.0 {
        let _ = cache.staff.set(user.clone());
    }
    Some(found)
}

/// Per-request memo (e.g. the signed-in user), provided fresh for every request.
#[derive(Clone, Default, Debug)]
pub struct RequestCache {
    pub staff: Arc<tokio::sync::OnceCell<Option<super::types::StaffUser>>>,
    pub candidate: Arc<tokio::sync::OnceCell<Option<surrealdb::types::RecordId>>>,
}
