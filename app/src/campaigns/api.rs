//! Campaign server functions and the unsubscribe endpoints.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::security::now_unix,
    crate::server::{AppState, respond, state},
    surrealdb::types::RecordId,
};

#[server]
pub async fn list_campaigns() -> Result<Vec<CampaignSummary>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::list(&state()?.db).await
}

#[server]
pub async fn create_campaign(
    name: String,
    audience_tag: String,
    subject: String,
    body: String,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let input = CampaignInput::parse(&name, &audience_tag, &subject, &body).map_err(respond)?;
    let id = repo::create(&state()?.db, &input, &Actor::staff(&user)).await?;
    let k = key(&id);
    leptos_axum::redirect(&format!("/app/campaigns/{k}"));
    Ok(k)
}

#[server]
pub async fn update_campaign(
    campaign_id: String,
    name: String,
    audience_tag: String,
    subject: String,
    body: String,
) -> Result<(), AppError> {
    require_role(Role::uses_crm).await?;
    let input = CampaignInput::parse(&name, &audience_tag, &subject, &body).map_err(respond)?;
    repo::update(&state()?.db, &id(repo::TABLE, &campaign_id)?, &input)
        .await
        .map_err(respond)
}

#[server]
pub async fn get_campaign(campaign_id: String) -> Result<CampaignDetail, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let cid = id(repo::TABLE, &campaign_id)?;
    let c = repo::get(&st.db, &cid)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    let audience = repo::audience(&st.db, &c.audience_tag).await?;
    let reachable: Vec<_> = audience
        .iter()
        .filter(|p| p.unsubscribed_at.is_none())
        .collect();
    let delivered = repo::delivered_count(&st.db, &cid).await?;
    Ok(CampaignDetail {
        id: key(&c.id),
        name: c.name.clone(),
        status: c.status.clone(),
        audience_tag: c.audience_tag.clone(),
        subject: c.subject.clone(),
        body: c.body.clone(),
        reachable: reachable.len() as i64,
        unsubscribed: (audience.len() - reachable.len()) as i64,
        sample: reachable
            .iter()
            .take(50)
            .map(|p| Recipient {
                id: key(&p.id),
                name: p.name(),
                email: p.email.clone(),
            })
            .collect(),
        recipients: c.recipients,
        skipped: c.skipped,
        sent_at: c.sent_at.map(|d| d.to_rfc3339()),
        delivered,
    })
}

/// The message exactly as one audience member would receive it.
#[server]
pub async fn preview_campaign(campaign_id: String, person_id: String) -> Result<Preview, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let c = repo::get(&st.db, &id(repo::TABLE, &campaign_id)?)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    let audience = repo::audience(&st.db, &c.audience_tag).await?;
    let pid = if person_id.is_empty() {
        None
    } else {
        Some(id("person", &person_id)?)
    };
    let p = match pid {
        Some(pid) => audience.iter().find(|p| p.id == pid),
        None => audience.iter().find(|p| p.unsubscribed_at.is_none()),
    }
    .ok_or_else(|| {
        respond(AppError::invalid(
            "person_id",
            "Choose someone in the audience.",
        ))
    })?;
    let mail = repo::message_for(&st, &c, p);
    Ok(Preview {
        to: format!("{} <{}>", mail.to_name, mail.to_email),
        subject: mail.subject,
        body: mail.body_text,
    })
}

/// Sends the campaign to everyone with its tag who has not unsubscribed.
#[server]
pub async fn send_campaign(campaign_id: String) -> Result<(i64, i64), AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    repo::send(&st, &id(repo::TABLE, &campaign_id)?, &Actor::staff(&user))
        .await
        .map_err(respond)
}

#[cfg(feature = "ssr")]
fn person_from_token(st: &AppState, token: &str) -> Result<RecordId, AppError> {
    let subject = st.keys.verify(token, "unsub", now_unix()).map_err(|_| {
        respond(AppError::invalid(
            "token",
            "This unsubscribe link is not valid.",
        ))
    })?;
    id("person", &subject)
}

/// What the unsubscribe page shows for a link.
#[server]
pub async fn get_unsubscribe_info(token: String) -> Result<UnsubscribeInfo, AppError> {
    let st = state()?;
    let person = person_from_token(&st, &token)?;
    let p = repo::unsub_person(&st.db, &person)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    Ok(UnsubscribeInfo {
        email_hint: email_hint(&p.email),
        already: p.unsubscribed_at.is_some(),
    })
}

/// Unsubscribes the person named by a signed link (the button on the unsubscribe page).
#[server]
pub async fn unsubscribe(token: String) -> Result<(), AppError> {
    let st = state()?;
    let person = person_from_token(&st, &token)?;
    repo::unsubscribe(&st.db, &person, "unsubscribe page").await?;
    Ok(())
}

/// `POST /unsubscribe?token=…` with `List-Unsubscribe=One-Click` (RFC 8058): mail clients call
/// this directly, without a page.
#[cfg(feature = "ssr")]
pub async fn one_click_unsubscribe(
    axum::extract::State(st): axum::extract::State<AppState>,
    axum::extract::Query(q): axum::extract::Query<crate::portal::links::TokenQuery>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::StatusCode;
    let token = q.token.unwrap_or_default();
    let Ok(subject) = st.keys.verify(&token, "unsub", now_unix()) else {
        return (
            StatusCode::BAD_REQUEST,
            "This unsubscribe link is not valid.",
        )
            .into_response();
    };
    let Ok(person) = id("person", &subject) else {
        return (
            StatusCode::BAD_REQUEST,
            "This unsubscribe link is not valid.",
        )
            .into_response();
    };
    match repo::unsubscribe(&st.db, &person, "one-click").await {
        Ok(_) => (StatusCode::OK, "You are unsubscribed.").into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Please try again.").into_response(),
    }
}
