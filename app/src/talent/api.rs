//! Referral and talent-community server functions.

use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::repo, super::types::check_signup, crate::auth::guard::require_role,
    crate::server::db::key, crate::server::state,
};

/// A staff referral (multipart, with an optional resume in `resume`).
#[server(input = MultipartFormData)]
pub async fn refer_person(data: MultipartData) -> Result<String, AppError> {
    let user = require_role(|_| true).await?;
    let st = state()?;
    let mut form = crate::server::form::Form::read(
        data,
        &[("resume", crate::careers::resume::MAX_RESUME_BYTES + 1)],
    )
    .await?;
    form.check_lengths()?;
    let get = |k: &str| form.text(k);
    let mut referral = repo::check_referral(
        &get("name"),
        &get("email"),
        &get("phone"),
        &get("relationship"),
        &get("note"),
        &get("job"),
    );
    let file = form.take_file("resume").filter(|f| !f.bytes.is_empty());
    let upload = match file {
        None => None,
        Some(f) => match crate::careers::resume::sniff(&f.bytes) {
            Ok(kind) => Some(crate::careers::repo::Upload {
                filename: crate::careers::resume::clean_filename(&f.filename, kind),
                kind,
                parsed: crate::careers::parse::ParsedResume::from_result(
                    crate::careers::parse::extract_text_async(kind, f.bytes.clone()).await,
                ),
                bytes: f.bytes,
            }),
            Err(m) => {
                let mut errs = match referral {
                    Err(AppError::Validation(e)) => e,
                    _ => Vec::new(),
                };
                errs.push(crate::error::FieldError::new("resume", m));
                referral = Err(AppError::Validation(errs));
                None
            }
        },
    };
    let referral = referral?;
    let person = repo::refer(&st, &referral, upload, &user).await?;
    let k = key(&person);
    leptos_axum::redirect(&format!("/app/people/{k}?referred=1"));
    Ok(k)
}

/// Sign-up emails one address may ask for within 15 minutes.
#[cfg(feature = "ssr")]
const TALENT_SIGNUPS: crate::server::ratelimit::Limit = crate::server::ratelimit::Limit {
    name: "talent-signup",
    max: 3,
    window: chrono::Duration::minutes(15),
};

/// The public talent-community sign-up (double opt-in).
#[server]
pub async fn talent_signup(
    name: String,
    email: String,
    #[server(default)] interests: Vec<String>,
    #[server(default)] consent: Option<String>,
    #[server(default)] notice_version: String,
) -> Result<(), AppError> {
    let st = state()?;
    let mut s = check_signup(
        &name,
        &email,
        &interests,
        matches!(consent.as_deref(), Some("on" | "yes" | "true")),
    )?;
    crate::server::ratelimit::public_form(&st, "talent-signup-ip").await?;
    // The version of the notice they read travels in the confirmation link, and is recorded
    // with their consent when the owner of the address confirms.
    s.notice_version =
        crate::privacy::consent::notice_seen(&st.db, &st.config.company_name, &notice_version)
            .await?
            .version;
    // Past the address's allowance nothing is sent, and the answer is the same.
    if TALENT_SIGNUPS.take(&st.db, s.email.as_str()).await? {
        repo::sign_up(&st, &s).await?;
    }
    leptos_axum::redirect("/talent?sent=1");
    Ok(())
}

/// Confirms a talent-community sign-up (the button on the page the emailed link opens; opening
/// the link confirms nothing, so a mail scanner cannot). Returns the first name and goes back to
/// the page, which then says welcome.
#[server]
pub async fn confirm_signup(token: String) -> Result<String, AppError> {
    let st = state()?;
    let first = repo::confirm(&st, &token).await?;
    leptos_axum::redirect(&format!(
        "/talent/confirm?token={}&confirmed=1",
        crate::components::urlencode(&token)
    ));
    Ok(first)
}

/// The first name behind a confirmation link (reads only), for the page's welcome.
#[server]
pub async fn signup_name(token: String) -> Result<String, AppError> {
    let st = state()?;
    repo::signup_name(&st, &token).await
}
