//! Engagement: open pixel, click redirects (signed links), replies (a button and an inbound
//! webhook) and applications. Each stops or steers sequences and feeds reports and scores.

use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::db::{Db, key, write_guarded};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::{DateTime, Utc};
use http::{HeaderMap, StatusCode, header};
use surrealdb::types::{RecordId, SurrealValue};

/// Opens within this many seconds of delivery are most likely machines (scanners, proxies).
pub const MACHINE_OPEN_SECS: i64 = 10;

/// Text for HTML (`& < > " '`), by quick-xml.
fn html_escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

pub fn click_url(st: &AppState, mail: &RecordId, url: &str) -> String {
    let token = st
        .keys
        .sign("click", &format!("{}~{}", key(mail), B64.encode(url)), 0);
    format!("{}/t/c/{token}", st.config.public_url)
}

pub fn open_url(st: &AppState, mail: &RecordId) -> String {
    format!(
        "{}/t/o/{}.gif",
        st.config.public_url,
        st.keys.sign("open", &key(mail), 0)
    )
}

fn is_url_start(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// The end of a URL that starts `from`.
fn url_at(from: &str) -> &str {
    let end = from
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .unwrap_or(from.len());
    from[..end].trim_end_matches(['.', ',', ')', ';', ':'])
}

/// The URLs written in `text` (for a template: the links its author wrote).
pub fn urls_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("http") {
        let from = &rest[i..];
        if is_url_start(from) {
            let url = url_at(from);
            out.push(url.to_string());
            rest = &from[url.len().max(4)..];
        } else {
            rest = &from[4..];
        }
    }
    out
}

/// The text and HTML bodies of a campaign email: the links in `trusted` (those the template's
/// author wrote, and the app's own job links) go through click tracking; any other URL-like text
/// (a name a candidate typed, say) stays plain text, so our signed redirect never points where a
/// stranger chose. The HTML has an open pixel. `footer` (with the unsubscribe link) is added
/// untracked.
pub fn tracked_bodies(
    st: &AppState,
    mail: &RecordId,
    text: &str,
    footer: &str,
    trusted: &[String],
) -> (String, String) {
    let mut plain = String::new();
    let mut html = String::from("<div style=\"font-family: sans-serif; line-height: 1.5\">");
    let mut rest = text;
    while let Some(i) = rest.find("http") {
        let (before, from) = rest.split_at(i);
        if !is_url_start(from) {
            plain.push_str(&rest[..i + 4]);
            html.push_str(&html_escape(&rest[..i + 4]).replace('\n', "<br>"));
            rest = &rest[i + 4..];
            continue;
        }
        let url = url_at(from);
        plain.push_str(before);
        html.push_str(&html_escape(before).replace('\n', "<br>"));
        if trusted.iter().any(|t| t == url) {
            let tracked = click_url(st, mail, url);
            plain.push_str(&tracked);
            html.push_str(&format!(
                "<a href=\"{}\">{}</a>",
                html_escape(&tracked),
                html_escape(url)
            ));
        } else {
            plain.push_str(url);
            html.push_str(&html_escape(url));
        }
        rest = &from[url.len().max(4)..];
    }
    plain.push_str(rest);
    plain.push_str(footer);
    html.push_str(&html_escape(rest).replace('\n', "<br>"));
    html.push_str(&format!(
        "<p style=\"color:#666;font-size:12px\">{}</p>",
        html_escape(footer.trim()).replace('\n', "<br>")
    ));
    html.push_str(&format!(
        "<img src=\"{}\" width=\"1\" height=\"1\" alt=\"\"></div>",
        open_url(st, mail)
    ));
    (plain, html)
}

#[derive(Debug, Clone, SurrealValue)]
struct MailFacts {
    person: Option<RecordId>,
    campaign: Option<RecordId>,
    step_id: Option<String>,
    variant: Option<String>,
    sent_at: Option<DateTime<Utc>>,
    opened_at: Option<DateTime<Utc>>,
    clicked_at: Option<DateTime<Utc>>,
}

/// Records an open or click on a campaign email.
pub async fn record(
    db: &Db,
    mail: &RecordId,
    kind: &str,
    url: Option<String>,
    user_agent: &str,
) -> AppResult<()> {
    let mut r = db
        .query("SELECT person, campaign, step_id, variant, sent_at, opened_at, clicked_at FROM ONLY $m")
        .bind(("m", mail.clone()))
        .await?;
    let facts: Option<MailFacts> = r.take(0)?;
    let Some(f) = facts else { return Ok(()) };
    let Some(person) = f.person else {
        return Ok(());
    };
    let ua = user_agent.to_lowercase();
    let machine = kind == "open"
        && (f
            .sent_at
            .is_some_and(|s| (Utc::now() - s).num_seconds() < MACHINE_OPEN_SECS)
            || [
                "googleimageproxy",
                "yahoomailproxy",
                "bot",
                "scanner",
                "preview",
            ]
            .iter()
            .any(|m| ua.contains(m)));
    let first_open = kind == "open" && f.opened_at.is_none() && !machine;
    let first_click = kind == "click" && f.clicked_at.is_none();
    let score = if first_click {
        3
    } else if first_open {
        1
    } else {
        0
    };
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             CREATE engagement SET kind = $kind, person = $p, campaign = $c, mail = $m, step_id = $step,
                variant = $variant, machine = $machine, url = $url RETURN NONE;
             IF $first_open OR $first_click { UPDATE $m SET opened_at = opened_at ?? time::now() RETURN NONE; };
             IF $first_click { UPDATE $m SET clicked_at = time::now() RETURN NONE; };
             IF $score > 0 { UPDATE $p SET engagement_score += $score RETURN NONE; };
             COMMIT TRANSACTION;",
        )
        .bind(("kind", kind.to_string()))
        .bind(("p", person))
        .bind(("c", f.campaign))
        .bind(("m", mail.clone()))
        .bind(("step", f.step_id))
        .bind(("variant", f.variant))
        .bind(("machine", machine))
        .bind(("url", url))
        .bind(("first_open", first_open))
        .bind(("first_click", first_click))
        .bind(("score", score)),
        &[],
    )
    .await?;
    Ok(())
}

const PIXEL: [u8; 43] = [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff,
    0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

fn ua(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// `GET /t/o/{token}.gif`
pub async fn open_pixel(
    State(st): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let token = token.trim_end_matches(".gif");
    if let Ok(mail_key) = st.keys.verify(token, "open", 0)
        && let Ok(mail) = crate::server::db::id("mail", &mail_key)
        && let Err(e) = record(&st.db, &mail, "open", None, &ua(&headers)).await
    {
        tracing::warn!(error = ?e, "could not record an open");
    }
    (
        [
            (header::CONTENT_TYPE, "image/gif"),
            (header::CACHE_CONTROL, "no-store, max-age=0"),
        ],
        PIXEL.to_vec(),
    )
        .into_response()
}

/// `GET /t/c/{token}`: records the click, then goes to the link.
pub async fn click(
    State(st): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(subject) = st.keys.verify(&token, "click", 0) else {
        return (StatusCode::NOT_FOUND, "This link is not valid.").into_response();
    };
    let Some((mail_key, url_b64)) = subject.split_once('~') else {
        return (StatusCode::NOT_FOUND, "This link is not valid.").into_response();
    };
    let Some(url) = B64
        .decode(url_b64)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|u| is_url_start(u))
    else {
        return (StatusCode::NOT_FOUND, "This link is not valid.").into_response();
    };
    if let Ok(mail) = crate::server::db::id("mail", mail_key)
        && let Err(e) = record(&st.db, &mail, "click", Some(url.clone()), &ua(&headers)).await
    {
        tracing::warn!(error = ?e, "could not record a click");
    }
    Redirect::to(&url).into_response()
}

/// A reply from a person: recorded against their latest campaign email, ends their sequences.
pub async fn record_reply(
    db: &Db,
    person: &RecordId,
    campaign: Option<RecordId>,
) -> AppResult<bool> {
    let mut r = db
        .query(
            "(SELECT id, campaign, step_id, variant, created_at FROM mail
                WHERE person = $p AND campaign != NONE AND ($c = NONE OR campaign = $c) ORDER BY created_at DESC LIMIT 1)[0]",
        )
        .bind(("p", person.clone()))
        .bind(("c", campaign))
        .await?;
    #[derive(Debug, Clone, SurrealValue)]
    struct Last {
        id: RecordId,
        campaign: Option<RecordId>,
        step_id: Option<String>,
        variant: Option<String>,
    }
    let last: Option<Last> = r.take(0)?;
    let Some(last) = last else { return Ok(false) };
    let activity = crate::server::activity::NewActivity::new(
        &crate::server::activity::Actor::candidate(),
        "replied",
        "Replied to a campaign email",
    )
    .person(person);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             CREATE engagement SET kind = 'reply', person = $p, campaign = $c, mail = $m, step_id = $step, variant = $variant RETURN NONE;
             UPDATE $p SET engagement_score += 5 RETURN NONE;
             UPDATE enrollment SET status = 'stopped', stop_reason = 'replied' WHERE person = $p AND status = 'active' RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("c", last.campaign))
        .bind(("m", last.id))
        .bind(("step", last.step_id))
        .bind(("variant", last.variant))
        .bind(("activity", activity)),
        &[],
    )
    .await?;
    Ok(true)
}

/// When someone applies: the campaign that last wrote to them gets the credit, and their
/// sequences end (they are now in a pipeline).
pub async fn note_application(db: &Db, person: &RecordId) -> AppResult<()> {
    db.query(
        "LET $last = (SELECT campaign, created_at FROM mail WHERE person = $p AND campaign != NONE ORDER BY created_at DESC LIMIT 1)[0].campaign;
         IF $last != NONE {
            CREATE engagement SET kind = 'apply', person = $p, campaign = $last RETURN NONE;
            UPDATE $p SET engagement_score += 10 RETURN NONE;
         };
         UPDATE enrollment SET status = 'stopped', stop_reason = 'applied' WHERE person = $p AND status = 'active' RETURN NONE;",
    )
    .bind(("p", person.clone()))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

#[derive(serde::Deserialize)]
pub struct Inbound {
    pub from: String,
}

/// `POST /hooks/inbound` (JSON `{"from": "...", "subject": "..."}`, header `X-Inbound-Secret`):
/// for a mail provider's inbound parse webhook, so replies stop sequences automatically.
pub async fn inbound(
    State(st): State<AppState>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Inbound>,
) -> Result<&'static str, AppError> {
    use subtle::ConstantTimeEq;
    let secret = st
        .config
        .inbound_secret
        .as_deref()
        .ok_or(AppError::NotFound)?;
    let given = headers
        .get("x-inbound-secret")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !bool::from(given.as_bytes().ct_eq(secret.as_bytes())) {
        return Err(AppError::Forbidden);
    }
    let from = body
        .from
        .rsplit_once('<')
        .map(|(_, e)| e.trim_end_matches('>').to_string())
        .unwrap_or(body.from.clone());
    let email = crate::domain::EmailAddress::parse(&from)
        .map_err(|_| AppError::invalid("from", "from is not an email address"))?;
    Ok(
        match crate::careers::repo::person_by_email(&st.db, email.as_str()).await? {
            Some(p) if record_reply(&st.db, &p, None).await? => "recorded",
            Some(_) => "no campaign email to this person",
            None => "unknown sender",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_links_the_author_wrote_are_tracked() {
        let st = crate::testing::state().await;
        let mail = RecordId::new("mail", "m1");
        let template = "Hi {{first_name}}, see https://acme.test/blog. Or {{job_url}}";
        let trusted = {
            let mut t = urls_in(template);
            t.push("http://127.0.0.1:3000/jobs/x".into());
            t
        };
        // A first name typed on a public form that looks like a link.
        let rendered = "Hi https://evil.example/login, see https://acme.test/blog. Or http://127.0.0.1:3000/jobs/x";
        let (plain, html) = tracked_bodies(&st, &mail, rendered, "\n--\nfooter", &trusted);
        assert_eq!(plain.matches("/t/c/").count(), 2, "{plain}");
        assert!(plain.contains("Hi https://evil.example/login, see"));
        assert_eq!(html.matches("<a href=").count(), 2, "{html}");
        assert!(!html.contains("href=\"https://evil.example"));
        // Every tracked link leads where the author pointed.
        for token in plain.split("/t/c/").skip(1) {
            let token = token
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('.');
            let subject = st.keys.verify(token, "click", 0).unwrap();
            let url =
                String::from_utf8(B64.decode(subject.split_once('~').unwrap().1).unwrap()).unwrap();
            assert!(trusted.contains(&url), "{url}");
        }
    }
}
