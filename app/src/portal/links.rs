//! Signed links sent by email: portal sign-in and unsubscribe.

use crate::server::AppState;
use crate::server::db::key;
use crate::server::security::now_unix;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use surrealdb::types::RecordId;

/// Portal links work once, within this many hours; a newer link revokes older ones.
pub const PORTAL_LINK_HOURS: i64 = 24;

/// A portal link's token: `person~issued~nonce` (issued in unix milliseconds; the nonce makes
/// every link its own), signed, expiring.
pub fn portal_token(st: &AppState, person: &RecordId) -> String {
    let issued = chrono::Utc::now().timestamp_millis();
    st.keys.sign(
        "portal",
        &format!(
            "{}~{issued}~{}",
            key(person),
            crate::server::security::random_token(6)
        ),
        now_unix() + PORTAL_LINK_HOURS * 3600,
    )
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

/// What a portal link says, once its signature and time hold.
pub struct PortalLink {
    pub person: RecordId,
    /// When it was issued, unix milliseconds (links from before this was recorded: 0).
    pub issued: i64,
}

/// Why a portal link does not sign anyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    Invalid,
    Expired,
    /// Used already, or a newer link was sent since.
    Spent,
}

impl LinkProblem {
    /// The `?link=` value the portal page explains.
    pub fn query(self) -> &'static str {
        match self {
            LinkProblem::Invalid => "invalid",
            LinkProblem::Expired => "expired",
            LinkProblem::Spent => "used",
        }
    }
}

/// Checks a portal link's signature and time (not whether it was used).
pub fn read_portal_token(st: &AppState, token: &str) -> Result<PortalLink, LinkProblem> {
    let subject = match st.keys.verify(token, "portal", now_unix()) {
        Ok(s) => s,
        Err(crate::server::security::TokenError::Expired) => return Err(LinkProblem::Expired),
        Err(_) => return Err(LinkProblem::Invalid),
    };
    let mut parts = subject.split('~');
    let person = parts.next().unwrap_or_default();
    let issued = match parts.next() {
        Some(at) => at.parse().map_err(|_| LinkProblem::Invalid)?,
        None => 0,
    };
    let person = crate::server::db::id("person", person).map_err(|_| LinkProblem::Invalid)?;
    Ok(PortalLink { person, issued })
}

/// `GET /portal/auth?token=…`: the link in the email. Opening it signs nobody in (mail
/// scanners open links too, and so can another site): a bad or expired link lands on the
/// portal with a message; a good one on a page whose button signs in (a same-site POST).
pub async fn portal_auth(State(st): State<AppState>, Query(q): Query<TokenQuery>) -> Response {
    let token = q.token.unwrap_or_default();
    match read_portal_token(&st, &token) {
        Ok(_) => Redirect::to(&format!(
            "/portal/signin?token={}",
            crate::components::urlencode(&token)
        ))
        .into_response(),
        Err(p) => Redirect::to(&format!("/portal?link={}", p.query())).into_response(),
    }
}
