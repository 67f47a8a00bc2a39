//! Seeing a campaign's email before it goes: one step as an audience member would receive it
//! (text and the branded HTML), and a test send of it to the signed-in team member.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::api::load,
    super::repo,
    super::sequence::Step,
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::db::id,
    crate::server::{AppState, state},
    surrealdb::types::RecordId,
};

/// One email step exactly as an audience member would receive it (variant A or B): its text,
/// and its HTML in the branded layout the mail goes out in.
#[server]
pub async fn preview_campaign(
    campaign_id: String,
    person_id: String,
    #[server(default)] step_id: String,
    #[server(default)] variant: String,
) -> Result<Preview, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let (c, p, step, variant) =
        previewed(&st, &campaign_id, &person_id, &step_id, &variant).await?;
    let mail = repo::message_for(
        &st,
        &c,
        &p,
        &step,
        variant,
        &RecordId::new("mail", "preview"),
    );
    let brand = crate::server::brand::load(&st.db).await?;
    Ok(Preview {
        to: format!("{} <{}>", mail.to_name, mail.to_email),
        html: st.mailer.html_for(&brand, &mail),
        subject: mail.subject,
        body: mail.body_text,
    })
}

/// Sends the previewed email step (as `person_id` would receive it) to the signed-in team
/// member. Returns the address it went to.
#[server]
pub async fn send_test_email(
    campaign_id: String,
    #[server(default)] person_id: String,
    #[server(default)] step_id: String,
    #[server(default)] variant: String,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let (c, p, step, variant) =
        previewed(&st, &campaign_id, &person_id, &step_id, &variant).await?;
    let mail = repo::test_message(&st, &c, &p, &step, variant, (&user.email, &user.name));
    st.mailer.enqueue(&st.db, mail).await?;
    Ok(user.email)
}

/// The campaign, the audience member (`person_id`, or the first who can be emailed), the email
/// step (`step_id`, or the first) and the variant a preview or test shows.
#[cfg(feature = "ssr")]
async fn previewed(
    st: &AppState,
    campaign_id: &str,
    person_id: &str,
    step_id: &str,
    variant: &str,
) -> Result<(repo::CampaignRow, repo::AudienceRow, Step, &'static str), AppError> {
    let c = load(st, campaign_id).await?;
    let audience = repo::audience(&st.db, &c).await?;
    let pid = if person_id.is_empty() {
        None
    } else {
        Some(id("person", person_id)?)
    };
    let p = match pid {
        Some(pid) => audience.into_iter().find(|p| p.id == pid),
        None => audience.into_iter().find(|p| p.reachable_for(&c.topic)),
    }
    .ok_or_else(|| AppError::invalid("person_id", "Choose someone in the audience."))?;
    let step = c
        .steps()
        .into_iter()
        .find(|s| matches!(s, Step::Email { .. }) && (step_id.is_empty() || s.id() == step_id))
        .ok_or_else(|| AppError::invalid("step_id", "Add an email step first."))?;
    let variant = if variant == "B" { "B" } else { "A" };
    Ok((c, p, step, variant))
}
