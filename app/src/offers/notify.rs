//! Who hears what about an offer: the candidate once it is approved, the recruiter when the
//! chain ends or the candidate answers, and onboarding (an email and a signed webhook) when it
//! is accepted. Everything leaves through the outbox or the job runtime, so nothing is lost to
//! a mail server or a receiver that is down for a while.

use super::repo::{self, OfferRow};
use crate::approvals::repo::OfferDecided;
use crate::error::AppResult;
use crate::server::AppState;
use crate::server::db::{id, key};
use crate::server::tasks::{Task, TaskError};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct Contact {
    name: String,
    email: String,
}

async fn staff_contact(st: &AppState, who: &RecordId) -> AppResult<Option<Contact>> {
    let mut r = st
        .db
        .query("SELECT name, email FROM ONLY $who")
        .bind(("who", who.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// Mails the member who made the offer (nothing when it came from demo data).
async fn tell_maker(st: &AppState, o: &OfferRow, subject: &str, text: &str) -> AppResult<()> {
    let Some(maker) = &o.created_by else {
        return Ok(());
    };
    if let Some(c) = staff_contact(st, maker).await? {
        let mail = st
            .mailer
            .compose("offer_update", &c.email, &c.name, subject, text);
        st.mailer.enqueue(&st.db, mail).await?;
    }
    Ok(())
}

fn application_url(st: &AppState, o: &OfferRow) -> String {
    format!(
        "{}/app/applications/{}#offer",
        st.config.public_url,
        key(&o.application)
    )
}

/// Task handler: an offer's approval chain ended.
pub async fn on_decided(st: AppState, t: OfferDecided) -> Result<(), TaskError> {
    let run = async {
        let Some(o) = repo::get(&st.db, &id("offer", &t.offer)?).await? else {
            return Ok(());
        };
        if t.approved {
            send_to_candidate(&st, &o).await?;
            tell_maker(
                &st,
                &o,
                &format!("Offer approved and sent: {}", o.full_name()),
                &format!(
                    "Every approver approved the offer to {} for {} ({}). It is on its way to them; you will hear when they answer.\n\n{}",
                    o.full_name(),
                    o.job_title,
                    o.summary(),
                    application_url(&st, &o)
                ),
            )
            .await
        } else {
            let step = crate::approvals::repo::step(&st.db, &id("approval", &t.step)?).await?;
            let (who, why) = step
                .map(|s| (s.approver_name, s.reason.unwrap_or_default()))
                .unwrap_or_default();
            tell_maker(
                &st,
                &o,
                &format!("Offer rejected: {}", o.full_name()),
                &format!(
                    "{who} rejected the offer to {} for {}: {why}\n\nRevise it (approvals start again) or withdraw it: {}",
                    o.full_name(),
                    o.job_title,
                    application_url(&st, &o)
                ),
            )
            .await
        }
    };
    run.await
        .map_err(|e: crate::error::AppError| TaskError::Retry(e.to_string()))
}

/// The offer email: the candidate reads and answers it in the portal (the link signs them in).
pub async fn send_to_candidate(st: &AppState, o: &OfferRow) -> AppResult<()> {
    let company = &st.config.company_name;
    let signin = crate::portal::links::portal_link(st, &o.person);
    let portal = format!("{}/portal/offers/{}", st.config.public_url, key(&o.id));
    let body = format!(
        "Hi {first},\n\nGood news: {company} is offering you the position of {title}.\n\n\
         Read your offer letter and accept or decline it in your candidate portal:\n{signin}\n\n\
         (The link signs you in once, within 24 hours. Later, ask the portal for a new link with this address:\n{portal})\n\n\
         The {company} hiring team",
        first = o.first_name,
        title = o.job_title,
    );
    let mail = st
        .mailer
        .compose(
            "offer",
            &o.email,
            &o.full_name(),
            &format!("Your offer from {company}: {}", o.job_title),
            &body,
        )
        .person(o.person.clone());
    st.mailer.enqueue(&st.db, mail).await
}

/// Tells the candidate their offer was withdrawn (only when they had received it).
pub async fn withdrawn(st: &AppState, o: &OfferRow) -> AppResult<()> {
    if o.sent_at.is_none() {
        return Ok(());
    }
    let company = &st.config.company_name;
    let mail = st
        .mailer
        .compose(
            "offer_withdrawn",
            &o.email,
            &o.full_name(),
            &format!("Your offer from {company} was withdrawn"),
            &format!(
                "Hi {},\n\n{company} withdrew its offer for {}. If a revised offer follows, you will get it by email.\n\nThe {company} hiring team",
                o.first_name, o.job_title
            ),
        )
        .person(o.person.clone());
    st.mailer.enqueue(&st.db, mail).await
}

/// The candidate declined: the recruiter hears why.
pub async fn declined(st: &AppState, o: &OfferRow, reason: &str) -> AppResult<()> {
    tell_maker(
        st,
        o,
        &format!("Offer declined: {}", o.full_name()),
        &format!(
            "{} declined the offer for {}: {reason}\n\nYou can revise the offer: {}",
            o.full_name(),
            o.job_title,
            application_url(st, o)
        ),
    )
    .await
}

/// The candidate accepted: the recruiter hears it (with who is still in process when the job
/// is now filled), onboarding gets an email and the signed webhook.
pub async fn accepted(st: &AppState, o: &OfferRow, filled: Option<(i64, usize)>) -> AppResult<()> {
    let mut text = format!(
        "{} accepted the offer for {} ({}), signed “{}”.",
        o.full_name(),
        o.job_title,
        o.summary(),
        o.accepted_name.clone().unwrap_or_default()
    );
    if let Some((hires, open)) = filled {
        text.push_str(&format!(
            "\n\nThe job is now filled ({hires} hired) and closed. {open} candidate(s) are still in process: \
             tell them, from the list on the offer page: {}",
            application_url(st, o)
        ));
    } else {
        text.push_str(&format!("\n\n{}", application_url(st, o)));
    }
    tell_maker(st, o, &format!("Offer accepted: {}", o.full_name()), &text).await?;
    if let Some(to) = st.config.onboarding_email.as_deref() {
        let mail = st.mailer.compose(
            "onboarding",
            to,
            "Onboarding",
            &format!("New hire: {} · {}", o.full_name(), o.job_title),
            &format!(
                "{} accepted the offer for {}.\n\nEmail: {}\nStart date: {}\nTerms: {}\n\nAccepted on {} (signed “{}”).",
                o.full_name(),
                o.job_title,
                o.email,
                o.start_date,
                o.summary(),
                o.responded_at.map(|d| d.to_rfc3339()).unwrap_or_default(),
                o.accepted_name.clone().unwrap_or_default()
            ),
        );
        st.mailer.enqueue(&st.db, mail).await?;
    }
    if st.config.onboarding_webhook_url.is_some() {
        st.tasks
            .enqueue(&st.db, &OnboardingWebhook { offer: key(&o.id) })
            .await?;
    }
    Ok(())
}

/// Posts an accepted offer to the onboarding webhook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OnboardingWebhook {
    pub offer: String,
}

impl Task for OnboardingWebhook {
    const KIND: &'static str = "onboarding_webhook";
}

/// The new hire as the onboarding system receives it.
pub fn payload(o: &OfferRow) -> serde_json::Value {
    serde_json::json!({
        "event": "offer.accepted",
        "offer_id": key(&o.id),
        "offer_version": o.version,
        "application_id": key(&o.application),
        "job": { "id": key(&o.job), "title": o.job_title },
        "new_hire": {
            "person_id": key(&o.person),
            "first_name": o.first_name,
            "last_name": o.last_name,
            "email": o.email,
        },
        "start_date": o.start_date,
        "compensation": {
            "base_salary": o.base_salary,
            "currency": o.currency,
            "period": o.period,
            "bonus": o.bonus,
            "equity": o.equity,
        },
        "accepted_at": o.responded_at.map(|d| d.to_rfc3339()),
        "accepted_name": o.accepted_name,
    })
}

/// The `X-Acme-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
/// Receivers recompute it with the shared secret and refuse old timestamps (replays).
pub fn signature(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={t},v1={hex}")
}

/// Task handler: posts the accepted offer, signed; a 5xx or a network error is retried with
/// backoff, another refusal is kept as a dead job for admins.
pub async fn deliver_webhook(st: AppState, t: OnboardingWebhook) -> Result<(), TaskError> {
    let Some(url) = st.config.onboarding_webhook_url.as_deref() else {
        return Ok(());
    };
    let o = repo::get(
        &st.db,
        &id("offer", &t.offer).map_err(|e| TaskError::Fail(e.to_string()))?,
    )
    .await
    .map_err(|e| TaskError::Retry(e.to_string()))?
    .ok_or_else(|| TaskError::Fail("the offer is gone".into()))?;
    let body = serde_json::to_vec(&payload(&o)).unwrap_or_default();
    let mut req = st
        .tasks
        .http
        .post(url)
        .header("content-type", "application/json")
        .header("x-acme-event", "offer.accepted")
        // The same id on every retry: receivers drop repeats.
        .header("x-acme-delivery", format!("offer-{}", t.offer));
    if let Some(secret) = st.config.onboarding_webhook_secret.as_deref() {
        req = req.header(
            "x-acme-signature",
            signature(secret, chrono::Utc::now().timestamp(), &body),
        );
    }
    let res = req
        .body(body)
        .send()
        .await
        .map_err(|e| TaskError::Retry(e.without_url().to_string()))?;
    let status = res.status();
    if status.is_success() {
        Ok(())
    } else if status.is_server_error() || status.as_u16() == 429 {
        Err(TaskError::Retry(format!(
            "the onboarding webhook answered {status}"
        )))
    } else {
        Err(TaskError::Fail(format!(
            "the onboarding webhook answered {status}"
        )))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signatures_follow_the_documented_recipe() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
        assert_eq!(
            super::signature("s3cret", 1_700_000_000, br#"{"a":1}"#),
            "t=1700000000,v1=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940"
        );
    }
}
