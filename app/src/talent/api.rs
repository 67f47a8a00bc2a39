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
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut text = std::collections::HashMap::<String, String>::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::Request(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().unwrap_or_default().to_string();
        let mut buf = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| AppError::Request(e.to_string()))?
        {
            if buf.len() + chunk.len() <= crate::careers::resume::MAX_RESUME_BYTES + 1 {
                buf.extend_from_slice(&chunk);
            }
        }
        if name == "resume" {
            if !buf.is_empty() {
                file = Some((filename, buf));
            }
        } else {
            text.insert(name, String::from_utf8_lossy(&buf).into_owned());
        }
    }
    let get = |k: &str| text.get(k).cloned().unwrap_or_default();
    let mut referral = repo::check_referral(
        &get("name"),
        &get("email"),
        &get("phone"),
        &get("relationship"),
        &get("note"),
        &get("job"),
    );
    let upload = match &file {
        None => None,
        Some((filename, bytes)) => match crate::careers::resume::sniff(bytes) {
            Ok(kind) => Some(crate::careers::repo::Upload {
                filename: crate::careers::resume::clean_filename(filename, kind),
                kind,
                parsed: crate::careers::parse::ParsedResume::from_result(
                    crate::careers::parse::extract_text_async(kind, bytes.clone()).await,
                ),
                bytes: bytes.clone(),
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
) -> Result<(), AppError> {
    let st = state()?;
    let s = check_signup(
        &name,
        &email,
        &interests,
        matches!(consent.as_deref(), Some("on" | "yes" | "true")),
    )?;
    let rate_key = s.email.to_string();
    if TALENT_SIGNUPS.exceeded(&st.db, &rate_key).await? {
        return Ok(());
    }
    TALENT_SIGNUPS.record(&st.db, &rate_key).await?;
    repo::sign_up(&st, &s).await?;
    leptos_axum::redirect("/talent?sent=1");
    Ok(())
}

/// Confirms a talent-community sign-up from its emailed link; returns the first name.
#[server]
pub async fn confirm_signup(token: String) -> Result<String, AppError> {
    let st = state()?;
    repo::confirm(&st, &token).await
}
