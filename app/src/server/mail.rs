//! The one mail module. Every message is first a row in `mail` (written in the same
//! transaction as the change that caused it, so nothing is lost). With `SMTP_URL` a worker
//! claims due rows with a lease and delivers them over pooled SMTP connections, retrying
//! temporary failures with backoff; without it the rows stay as the developer outbox.

use super::db::Db;
use crate::error::AppResult;
use futures::StreamExt;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use surrealdb::types::{RecordId, SurrealValue};
use tokio::sync::{Notify, watch};

/// Content of a new `mail` row. Bind it as `$mail` and `CREATE mail CONTENT $mail`.
#[derive(Debug, Clone, SurrealValue)]
pub struct NewMail {
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub kind: String,
    pub person: Option<RecordId>,
    pub campaign: Option<RecordId>,
    pub unsubscribe_url: Option<String>,
    pub status: String,
    /// Not sent before this time (bulk emails wait out their undo window).
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    /// HTML alternative (campaign emails, with tracking).
    pub html_body: Option<String>,
    pub enrollment: Option<RecordId>,
    pub step_id: Option<String>,
    pub variant: Option<String>,
    /// Unique per logical message (a campaign step for one enrollment is sent once).
    pub dedupe_key: Option<String>,
    /// An iCalendar object (RFC 5546: its METHOD says request or cancel), sent as the
    /// `text/calendar` alternative that mail programs show as an invitation.
    pub calendar: Option<String>,
}

impl NewMail {
    /// Sends an invitation (or its cancellation) along.
    pub fn calendar(mut self, ics: String) -> Self {
        self.calendar = Some(ics);
        self
    }

    /// The person the message is to (their timeline and unsubscribes apply).
    pub fn person(mut self, person: RecordId) -> Self {
        self.person = Some(person);
        self
    }

    /// The campaign it belongs to (paused campaigns hold their mail back).
    pub fn campaign(mut self, campaign: RecordId) -> Self {
        self.campaign = Some(campaign);
        self
    }

    /// The one-click unsubscribe address (`List-Unsubscribe` headers).
    pub fn unsubscribe(mut self, url: String) -> Self {
        self.unsubscribe_url = Some(url);
        self
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct QueuedMail {
    id: RecordId,
    to_email: String,
    to_name: String,
    subject: String,
    body_text: String,
    html_body: Option<String>,
    unsubscribe_url: Option<String>,
    calendar: Option<String>,
    attempts: i64,
    /// A campaign email to someone who has unsubscribed since it was queued.
    suppressed: bool,
}

const LEASE_SECS: i64 = 120;
const MAX_ATTEMPTS: i64 = 8;
const BATCH: i64 = 200;
const PARALLEL: usize = 8;

#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    /// The name on the branded HTML layout ([`super::mail_layout`]).
    company: String,
    /// The app's own origin: links under it are clickable in the HTML.
    origin: String,
    wake: Arc<Notify>,
    stats: Arc<MailStats>,
}

/// What this process's worker has handed over since start (for monitoring and the benchmark).
#[derive(Debug, Default)]
pub struct MailStats {
    pub sent: AtomicU64,
    pub failed: AtomicU64,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("smtp", &self.transport.is_some())
            .field("from", &self.from.to_string())
            .finish()
    }
}

enum Outcome {
    Sent(RecordId),
    Suppressed(RecordId),
    Retry(RecordId, i64, String),
    Failed(RecordId, String),
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Self, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("MAIL_FROM is not a valid address: {e}"))?;
        let transport = match smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SMTP_URL is not valid: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => None,
        };
        Ok(Self {
            transport,
            company: from.name.clone().unwrap_or_default(),
            origin: String::new(),
            from,
            wake: Arc::new(Notify::new()),
            stats: Arc::default(),
        })
    }

    /// The company named on the HTML layout, and the app's origin (its links are clickable).
    pub fn branded(mut self, company: &str, public_url: &str) -> Self {
        self.company = company.to_string();
        self.origin = public_url.trim_end_matches('/').to_string();
        self
    }

    /// The name and address mail comes from (the organizer of calendar invitations).
    pub fn sender(&self) -> (String, String) {
        (
            self.from
                .name
                .clone()
                .unwrap_or_else(|| self.from.email.to_string()),
            self.from.email.to_string(),
        )
    }

    /// True when mail is delivered over SMTP (false: it stays in the outbox).
    pub fn delivers(&self) -> bool {
        self.transport.is_some()
    }

    /// The status a new row starts with.
    pub fn initial_status(&self) -> &'static str {
        if self.delivers() { "queued" } else { "outbox" }
    }

    /// Builds the row for a message to one person; [`NewMail::person`], [`NewMail::campaign`]
    /// and [`NewMail::unsubscribe`] add what it is about.
    pub fn compose(
        &self,
        kind: &str,
        to_email: &str,
        to_name: &str,
        subject: &str,
        body_text: &str,
    ) -> NewMail {
        NewMail {
            to_email: to_email.to_string(),
            to_name: to_name.to_string(),
            subject: subject.to_string(),
            body_text: body_text.to_string(),
            kind: kind.to_string(),
            person: None,
            campaign: None,
            unsubscribe_url: None,
            status: self.initial_status().to_string(),
            next_attempt_at: chrono::Utc::now(),
            html_body: None,
            enrollment: None,
            step_id: None,
            variant: None,
            dedupe_key: None,
            calendar: None,
        }
    }

    /// Stores one message outside any other transaction and wakes the worker.
    pub async fn enqueue(&self, db: &Db, mail: NewMail) -> AppResult<()> {
        db.query("CREATE mail CONTENT $mail RETURN NONE")
            .bind(("mail", mail))
            .await
            .and_then(|r| r.check())?;
        self.wake();
        Ok(())
    }

    /// Messages this process has handed to the SMTP server, and given up on, since it started.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.stats.sent.load(Ordering::Relaxed),
            self.stats.failed.load(Ordering::Relaxed),
        )
    }

    /// Tells the worker that new mail is waiting.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Delivers due mail until `shutdown` flips to true.
    pub async fn run_worker(self, db: Db, shutdown: watch::Receiver<bool>) {
        if self.transport.is_none() {
            return;
        }
        let pace = super::runtime::Pace {
            name: "mail",
            batch: BATCH as usize,
            idle: Duration::from_secs(2),
            wake: self.wake.clone(),
        };
        super::runtime::run_loop(pace, shutdown, || self.deliver_due(&db)).await;
    }

    /// Claims due rows with a lease (so another process cannot take them), sends them and
    /// records the outcome. Returns how many rows were claimed.
    pub async fn deliver_due(&self, db: &Db) -> Result<usize, super::db::DbError> {
        let Some(transport) = &self.transport else {
            return Ok(0);
        };
        let started = Instant::now();
        let claimed = claim(db).await?;
        let n = claimed.len();
        if n == 0 {
            return Ok(0);
        }
        // The brand as it is now (an admin may have changed it since the last batch); mail
        // never waits for it: if it cannot be read, the app's own colour.
        let brand = super::brand::load(db).await.unwrap_or_else(|e| {
            tracing::warn!("brand not read, mail goes out in the default colour: {e}");
            super::brand::BrandRow::default()
        });
        let colour = brand.colour();
        let logo = self.logo_url(&brand);
        let logo = logo.as_deref();
        let claimed_in = started.elapsed();
        let outcomes: Vec<Outcome> = futures::stream::iter(claimed)
            .map(|m| async move {
                let id = m.id.clone();
                let attempts = m.attempts;
                if m.suppressed {
                    return Outcome::Suppressed(id);
                }
                match self.build(&m, colour, logo) {
                    Err(e) => Outcome::Failed(id, e),
                    Ok(msg) => match transport.send(msg).await {
                        Ok(_) => Outcome::Sent(id),
                        Err(e) if e.is_permanent() => Outcome::Failed(id, e.to_string()),
                        Err(e) if attempts >= MAX_ATTEMPTS => Outcome::Failed(id, e.to_string()),
                        Err(e) => Outcome::Retry(id, attempts, e.to_string()),
                    },
                }
            })
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        let sent_in = started.elapsed() - claimed_in;
        let sent = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Sent(_)))
            .count() as u64;
        let failed = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Failed(..)))
            .count() as u64;
        record(db, outcomes).await?;
        self.stats.sent.fetch_add(sent, Ordering::Relaxed);
        self.stats.failed.fetch_add(failed, Ordering::Relaxed);
        tracing::debug!(
            claimed = n,
            claim_ms = claimed_in.as_millis() as u64,
            smtp_ms = sent_in.as_millis() as u64,
            record_ms = (started.elapsed() - claimed_in - sent_in).as_millis() as u64,
            "mail batch"
        );
        Ok(n)
    }

    /// Every message's HTML alternative, in the branded layout: the message's own HTML (a
    /// campaign's, tracked), or one made from its text.
    fn branded_html(
        &self,
        colour: &str,
        logo: Option<&str>,
        subject: &str,
        html: Option<&str>,
        text: &str,
    ) -> String {
        let content = match html {
            Some(h) => h.to_string(),
            None => super::mail_layout::html_from_text(text, &self.origin, colour),
        };
        super::mail_layout::layout(&self.company, colour, logo, subject, &content)
    }

    /// The logo's full address (an email needs it): without the app's origin, no logo.
    fn logo_url(&self, brand: &super::brand::BrandRow) -> Option<String> {
        brand
            .logo_path()
            .filter(|_| !self.origin.is_empty())
            .map(|p| format!("{}{p}", self.origin))
    }

    /// The HTML `mail` will be sent as, in `brand` (previews show exactly this).
    pub fn html_for(&self, brand: &super::brand::BrandRow, mail: &NewMail) -> String {
        let logo = self.logo_url(brand);
        self.branded_html(
            brand.colour(),
            logo.as_deref(),
            &mail.subject,
            mail.html_body.as_deref(),
            &mail.body_text,
        )
    }

    /// The message for a row, its HTML in the brand's `colour` (with its `logo`'s URL).
    fn build(&self, m: &QueuedMail, colour: &str, logo: Option<&str>) -> Result<Message, String> {
        let to = Mailbox::new(
            if m.to_name.is_empty() {
                None
            } else {
                Some(m.to_name.clone())
            },
            m.to_email
                .parse()
                .map_err(|e| format!("bad recipient: {e}"))?,
        );
        // A stable Message-ID per row: if a crash ever made us hand a message over twice,
        // mail systems recognise the copy.
        let domain = self.from.email.domain().to_string();
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<{}@{domain}>", super::db::key(&m.id))));
        let html = self.branded_html(
            colour,
            logo,
            &m.subject,
            m.html_body.as_deref(),
            &m.body_text,
        );
        let mut msg = match &m.calendar {
            Some(ics) => {
                let method = ics
                    .lines()
                    .find_map(|l| l.strip_prefix("METHOD:"))
                    .unwrap_or("PUBLISH")
                    .trim();
                let calendar =
                    ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                        .map_err(|e| e.to_string())?;
                builder
                    .multipart(
                        lettre::message::MultiPart::alternative()
                            .singlepart(lettre::message::SinglePart::plain(m.body_text.clone()))
                            .singlepart(lettre::message::SinglePart::html(html))
                            .singlepart(
                                lettre::message::SinglePart::builder()
                                    .header(calendar)
                                    .body(ics.clone()),
                            ),
                    )
                    .map_err(|e| e.to_string())?
            }
            None => builder
                .multipart(lettre::message::MultiPart::alternative_plain_html(
                    m.body_text.clone(),
                    html,
                ))
                .map_err(|e| e.to_string())?,
        };
        if let Some(url) = &m.unsubscribe_url {
            // RFC 2369 + RFC 8058 one-click unsubscribe.
            msg.headers_mut().insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ));
            msg.headers_mut().insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
        }
        Ok(msg)
    }
}

async fn claim(db: &Db) -> Result<Vec<QueuedMail>, super::db::DbError> {
    let lease_until = chrono::Utc::now() + chrono::Duration::seconds(LEASE_SECS);
    super::runtime::claim(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $ids = SELECT VALUE id FROM mail
                WHERE status = 'queued' AND next_attempt_at <= time::now()
                  AND (lease_until = NONE OR lease_until < time::now())
                  AND (campaign = NONE OR campaign.status != 'paused')
                LIMIT $batch;
             UPDATE $ids SET lease_until = $lease_until, attempts += 1
                WHERE status = 'queued' AND (lease_until = NONE OR lease_until < time::now())
                RETURN id, to_email, to_name, subject, body_text, html_body, unsubscribe_url, calendar, attempts,
                    (campaign != NONE AND (person.unsubscribed_at != NONE OR (person.unsubscribed_topics ?? []) CONTAINS (campaign.topic ?? 'campaigns'))) AS suppressed;
             COMMIT TRANSACTION;",
        )
        .bind(("batch", BATCH))
        .bind(("lease_until", lease_until))
    })
    .await
}

async fn record(db: &Db, outcomes: Vec<Outcome>) -> Result<(), super::db::DbError> {
    let mut sent = Vec::new();
    let mut suppressed = Vec::new();
    let mut q = String::new();
    let mut binds: Vec<(String, surrealdb::types::Value)> = Vec::new();
    for (i, o) in outcomes.into_iter().enumerate() {
        match o {
            Outcome::Sent(id) => sent.push(id),
            Outcome::Suppressed(id) => suppressed.push(id),
            Outcome::Retry(id, attempts, err) => {
                tracing::warn!(mail = ?id, error = %err, "mail delivery failed, will retry");
                let next = chrono::Utc::now() + super::runtime::backoff(attempts);
                q.push_str(&format!(
                    "UPDATE $id{i} SET lease_until = NONE, error = $err{i}, next_attempt_at = $next{i};"
                ));
                binds.push((format!("id{i}"), id.into_value()));
                binds.push((format!("err{i}"), err.into_value()));
                binds.push((format!("next{i}"), next.into_value()));
            }
            Outcome::Failed(id, err) => {
                tracing::warn!(mail = ?id, error = %err, "mail delivery failed permanently");
                q.push_str(&format!(
                    "UPDATE $id{i} SET status = 'failed', lease_until = NONE, error = $err{i};"
                ));
                binds.push((format!("id{i}"), id.into_value()));
                binds.push((format!("err{i}"), err.into_value()));
            }
        }
    }
    if !sent.is_empty() {
        q.push_str(
            "UPDATE $sent SET status = 'sent', sent_at = time::now(), lease_until = NONE, error = NONE;",
        );
    }
    if !suppressed.is_empty() {
        q.push_str(
            "UPDATE $suppressed SET status = 'suppressed', lease_until = NONE, error = 'unsubscribed before sending';",
        );
    }
    if q.is_empty() {
        return Ok(());
    }
    let mut query = db
        .query(q)
        .bind(("sent", sent))
        .bind(("suppressed", suppressed));
    for (k, v) in binds {
        query = query.bind((k, v));
    }
    query.await.and_then(|r| r.check())?;
    Ok(())
}

/// Outbox rows for the admin page, newest first.
#[derive(Debug, Clone, SurrealValue)]
pub struct MailRow {
    pub id: RecordId,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub kind: String,
    pub status: String,
    pub error: Option<String>,
    pub unsubscribe_url: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[tokio::test]
    async fn concurrent_claims_never_take_the_same_mail() {
        let st = testing::state().await;
        let mailer = Mailer::new(Some("smtp://127.0.0.1:9"), "A <a@acme.test>").unwrap();
        for i in 0..30 {
            mailer
                .enqueue(
                    &st.db,
                    mailer.compose("t", &format!("p{i}@x.test"), "", "s", "b"),
                )
                .await
                .unwrap();
        }
        let (a, b, c) = tokio::join!(claim(&st.db), claim(&st.db), claim(&st.db));
        let mut all: Vec<RecordId> = [a.unwrap(), b.unwrap(), c.unwrap()]
            .into_iter()
            .flatten()
            .map(|m| m.id)
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "no mail claimed twice");
        // Leased mail is not claimed again until the lease runs out.
        let rest = claim(&st.db).await.unwrap();
        assert_eq!(rest.len() + n, 30);
        assert!(claim(&st.db).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn without_smtp_mail_stays_in_the_outbox() {
        let st = testing::state().await;
        assert!(!st.mailer.delivers());
        st.mailer
            .enqueue(
                &st.db,
                st.mailer.compose("t", "x@x.test", "X", "Hi", "Body"),
            )
            .await
            .unwrap();
        let mut r = st.db.query("SELECT VALUE status FROM mail").await.unwrap();
        let s: Vec<String> = r.take(0).unwrap();
        assert_eq!(s, ["outbox"]);
        assert_eq!(st.mailer.deliver_due(&st.db).await.unwrap(), 0);
    }
}
