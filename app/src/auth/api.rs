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
///
/// Guessing is limited per account and per client address. Each attempt reserves one failure
/// from both allowances *before* the password is checked (atomically, so parallel guesses
/// cannot all pass one check) and gives it back when the password was right. So that a
/// stranger's guesses cannot lock the real owner out, a browser that signed in to the account
/// before (it carries the signed "known device" cookie) is not held to the account's allowance,
/// only to its own address's.
///
/// With two-step sign-in on, the password is not enough: `code` must hold the authenticator
/// app's current code (each works once) or an unused recovery code.
#[server]
pub async fn login(
    email: String,
    password: String,
    next: String,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    let st = state()?;
    let parts = crate::server::request_parts().ok_or(AppError::Internal)?;
    let ip = crate::server::request_ip(&st)?;
    let email = EmailAddress::parse(&email).map_err(|m| AppError::invalid("email", m))?;
    if password.is_empty() {
        return Err(AppError::invalid("password", "Enter your password."));
    }
    let too_many = || {
        AppError::TooManyRequests(
            "Too many failed sign-in attempts. Wait 15 minutes and try again.".into(),
        )
    };
    let secure = st.config.secure_cookies();
    let known_device = crate::server::http::cookie(&parts.headers, repo::DEVICE_COOKIE, secure)
        .and_then(|t| st.keys.verify(&t, "device", security::now_unix()).ok())
        .is_some_and(|subject| subject == email.as_str());
    let ip_key = format!("ip:{ip}");
    let Some(ip_slot) = repo::SIGN_IN_FAILURES_PER_IP
        .reserve(&st.db, &ip_key)
        .await?
    else {
        tracing::info!(%email, %ip, "sign-in refused: address over its allowance");
        return Err(too_many());
    };
    let email_key = format!("email:{email}");
    let email_slot = if known_device {
        None
    } else {
        match repo::SIGN_IN_FAILURES_PER_EMAIL
            .reserve(&st.db, &email_key)
            .await?
        {
            Some(slot) => Some(slot),
            None => {
                repo::SIGN_IN_FAILURES_PER_IP
                    .refund(&st.db, ip_slot)
                    .await?;
                tracing::info!(%email, %ip, "sign-in refused: account over its allowance");
                return Err(too_many());
            }
        }
    };
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
            // The reserved failures stay counted.
            tracing::info!(%email, %ip, "failed sign-in");
            return Err(AppError::invalid(
                "password",
                "That email and password do not match an account.",
            ));
        }
    };
    let refund = || async {
        repo::SIGN_IN_FAILURES_PER_IP
            .refund(&st.db, ip_slot.clone())
            .await?;
        if let Some(slot) = email_slot.clone() {
            repo::SIGN_IN_FAILURES_PER_EMAIL
                .refund(&st.db, slot)
                .await?;
        }
        Ok::<_, AppError>(())
    };
    if let Some(secret) = row
        .totp_secret
        .as_deref()
        .and_then(super::totp::from_base32)
    {
        let code = code.trim().to_lowercase();
        if code.is_empty() {
            // The password was right: asking for the code is not a failure.
            refund().await?;
            return Err(AppError::invalid(
                "code",
                "Enter the 6-digit code from your authenticator app (or a recovery code).",
            ));
        }
        let ok = match super::totp::verify(&secret, &code, security::now_unix()) {
            Some(step) => repo::use_totp_step(&st.db, &row.id, step).await?,
            None => repo::use_recovery_code(&st.db, &row.id, &security::sha256_hex(&code)).await?,
        };
        if !ok {
            // A wrong code stays counted as a failure.
            tracing::info!(%email, %ip, "wrong two-step code");
            return Err(AppError::invalid(
                "code",
                "That code is not right, or was used already. Enter the next one from your app.",
            ));
        }
    }
    refund().await?;
    repo::record_sign_in(&st.db, &row.id, &ip).await?;
    let cookie = guard::start_session(&st, "staff", Some(row.id.clone()), None).await?;
    let res = expect_context::<leptos_axum::ResponseOptions>();
    res.append_header(http::header::SET_COOKIE, cookie);
    let year = 365 * 24 * 3600;
    let device = st
        .keys
        .sign("device", email.as_str(), security::now_unix() + year);
    res.append_header(
        http::header::SET_COOKIE,
        crate::server::http::set_cookie(
            repo::DEVICE_COOKIE,
            &device,
            year,
            st.config.secure_cookies(),
        ),
    );
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
