//! Staff sign-in and sign-out.

use super::types::StaffUser;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{guard, repo},
    crate::domain::EmailAddress,
    crate::server::{security, state},
};

/// The signed-in staff member (None when signed out).
#[server]
pub async fn me() -> Result<Option<StaffUser>, AppError> {
    guard::current_staff().await
}

/// Signs a staff member in; on success goes to `next` (a local path).
#[server]
pub async fn login(email: String, password: String, next: String) -> Result<(), AppError> {
    let st = state()?;
    let parts = crate::server::request_parts().ok_or(AppError::Internal)?;
    let ip = crate::server::http::client_ip(&parts);
    let email = EmailAddress::parse(&email).map_err(|m| AppError::invalid("email", m))?;
    if password.is_empty() {
        return Err(AppError::invalid("password", "Enter your password."));
    }
    let email_key = format!("email:{email}");
    let ip_key = format!("ip:{ip}");
    if repo::SIGN_IN_FAILURES_PER_EMAIL
        .exceeded(&st.db, &email_key)
        .await?
        || repo::SIGN_IN_FAILURES_PER_IP
            .exceeded(&st.db, &ip_key)
            .await?
    {
        return Err(AppError::TooManyRequests(
            "Too many failed sign-in attempts. Wait 15 minutes and try again.".into(),
        ));
    }
    let row = repo::staff_by_email(&st.db, email.as_str()).await?;
    let hash = row
        .as_ref()
        .map(|r| r.password_hash.clone())
        .unwrap_or_else(|| security::dummy_hash().to_string());
    let verified = tokio::task::spawn_blocking(move || security::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let row = match row {
        Some(r) if verified && r.active => r,
        _ => {
            repo::SIGN_IN_FAILURES_PER_EMAIL
                .record(&st.db, &email_key)
                .await?;
            repo::SIGN_IN_FAILURES_PER_IP
                .record(&st.db, &ip_key)
                .await?;
            tracing::info!(%email, %ip, "failed sign-in");
            return Err(AppError::invalid(
                "password",
                "That email and password do not match an account.",
            ));
        }
    };
    let cookie = guard::start_session(&st, "staff", Some(row.id.clone()), None).await?;
    let res = expect_context::<leptos_axum::ResponseOptions>();
    res.append_header(http::header::SET_COOKIE, cookie);
    tracing::info!(%email, "signed in");
    leptos_axum::redirect(&super::types::safe_next(&next));
    Ok(())
}

/// Signs the staff member out and invalidates their session.
#[server]
pub async fn logout() -> Result<(), AppError> {
    let cookie = guard::end_session(repo::STAFF_COOKIE).await?;
    let res = expect_context::<leptos_axum::ResponseOptions>();
    res.append_header(http::header::SET_COOKIE, cookie);
    leptos_axum::redirect("/login");
    Ok(())
}
