//! Signed links sent by email: portal sign-in and unsubscribe.

use crate::auth::guard;
use crate::server::AppState;
use crate::server::db::key;
use crate::server::security::now_unix;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::header::SET_COOKIE;
use serde::Deserialize;
use surrealdb::types::RecordId;

pub const PORTAL_LINK_DAYS: i64 = 7;

pub fn portal_token(st: &AppState, person: &RecordId) -> String {
    let exp = now_unix() + PORTAL_LINK_DAYS * 86_400;
    st.keys.sign("portal", &key(person), exp)
}

pub fn portal_link(st: &AppState, person: &RecordId) -> String {
    format!(
        "{}/portal/auth?token={}",
        st.config.public_url,
        portal_token(st, person)
    )
}

/// Unsubscribe links never expire: people must be able to leave whenever they read the mail.
pub fn unsubscribe_token(st: &AppState, person: &RecordId) -> String {
    st.keys.sign("unsub", &key(person), 0)
}

pub fn unsubscribe_link(st: &AppState, person: &RecordId) -> String {
    format!(
        "{}/unsubscribe?token={}",
        st.config.public_url,
        unsubscribe_token(st, person)
    )
}

#[derive(Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

/// `GET /portal/auth?token=…`: checks the signed link, starts a candidate session, goes to the
/// portal. Bad or expired links land on the portal with a message and a form for a new one.
pub async fn portal_auth(State(st): State<AppState>, Query(q): Query<TokenQuery>) -> Response {
    let token = q.token.unwrap_or_default();
    let subject = match st.keys.verify(&token, "portal", now_unix()) {
        Ok(s) => s,
        Err(crate::server::security::TokenError::Expired) => {
            return Redirect::to("/portal?link=expired").into_response();
        }
        Err(_) => return Redirect::to("/portal?link=invalid").into_response(),
    };
    let Ok(person) = crate::server::db::id("person", &subject) else {
        return Redirect::to("/portal?link=invalid").into_response();
    };
    match guard::start_session(&st, "candidate", None, Some(person)).await {
        Ok(cookie) => ([(SET_COOKIE, cookie)], Redirect::to("/portal")).into_response(),
        Err(_) => Redirect::to("/portal?link=error").into_response(),
    }
}
