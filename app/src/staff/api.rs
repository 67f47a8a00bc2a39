//! Staff account server functions: the admins' staff page, invitations, password changes and
//! resets.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::{require_role, require_staff, require_staff_setting_up},
    crate::auth::repo as auth_repo,
    crate::auth::types::{Role, check_password},
    crate::domain::EmailAddress,
    crate::server::db::{id, key},
    crate::server::ratelimit::Limit,
    crate::server::security::{self, now_unix},
    crate::server::{AppState, state},
    surrealdb::types::RecordId,
};

/// Invitations work for 7 days; password resets for an hour.
#[cfg(feature = "ssr")]
const INVITE_HOURS: i64 = 7 * 24;
#[cfg(feature = "ssr")]
const RESET_HOURS: i64 = 1;

/// Reset emails one address may get within an hour.
#[cfg(feature = "ssr")]
const RESETS: Limit = Limit {
    name: "password-reset",
    max: 3,
    window: chrono::Duration::hours(1),
};

/// A link for `purpose` (`invite` or `reset`): `staff~issued~nonce`, signed, expiring. It is
/// spent once the member sets a password (links issued before that stop working).
#[cfg(feature = "ssr")]
fn staff_link(st: &AppState, purpose: &str, staff: &RecordId, hours: i64) -> String {
    let token = st.keys.sign(
        purpose,
        &format!(
            "{}~{}~{}",
            key(staff),
            chrono::Utc::now().timestamp_millis(),
            security::random_token(6)
        ),
        now_unix() + hours * 3600,
    );
    let page = if purpose == "invite" {
        "invite"
    } else {
        "password/reset"
    };
    format!(
        "{}/{page}?token={}",
        st.config.public_url,
        crate::components::urlencode(&token)
    )
}

/// The active member a link is for, when the link still works.
#[cfg(feature = "ssr")]
async fn link_holder(
    st: &AppState,
    purpose: &str,
    token: &str,
) -> Result<crate::auth::repo::StaffRow, AppError> {
    let invalid = || {
        AppError::invalid(
            "token",
            "This link is not valid or was used already. Ask for a new one.",
        )
    };
    let subject = st
        .keys
        .verify(token, purpose, now_unix())
        .map_err(|e| match e {
            security::TokenError::Expired => {
                AppError::Gone("This link has expired. Ask for a new one.".into())
            }
            _ => invalid(),
        })?;
    let mut parts = subject.split('~');
    let staff = id("staff", parts.next().unwrap_or_default()).map_err(|_| invalid())?;
    let issued: i64 = parts
        .next()
        .and_then(|v| v.parse().ok())
        .ok_or_else(invalid)?;
    let row = auth_repo::staff_by_id(&st.db, &staff)
        .await?
        .filter(|r| r.active)
        .ok_or_else(invalid)?;
    if auth_repo::password_set_ms(&st.db, &staff).await? >= issued {
        return Err(invalid());
    }
    Ok(row)
}

/// Checks a new password and its confirmation.
#[cfg(feature = "ssr")]
fn checked_password(
    password: &str,
    confirm: &str,
    email: &str,
    name: &str,
) -> Result<(), AppError> {
    let mut checks = crate::error::Checks::new();
    if let Err(m) = check_password(password, email, name) {
        checks.add("password", m);
    } else if password != confirm {
        checks.add(
            "confirm",
            "The two passwords differ. Type the same one twice.",
        );
    }
    checks.finish()
}

/// Re-authentication: the signed-in member's own password, before a sensitive change; a wrong
/// one is a validation error on `field`.
#[cfg(feature = "ssr")]
async fn confirm_own_password(
    st: &AppState,
    me: &RecordId,
    password: String,
    field: &str,
) -> Result<(), AppError> {
    let row = auth_repo::staff_by_id(&st.db, me)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let stored = row.password_hash;
    let ok = tokio::task::spawn_blocking(move || security::verify_password(&password, &stored))
        .await
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            "That is not your current password.",
        ))
    }
}

#[cfg(feature = "ssr")]
async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || security::hash_password(&password))
        .await
        .map_err(|_| AppError::Internal)?
}

/// Everyone on the staff and the latest sign-ins (admins).
#[server]
pub async fn staff_directory() -> Result<StaffList, AppError> {
    require_role(|r| r == Role::Admin).await?;
    let st = state()?;
    Ok(StaffList {
        members: repo::members(&st.db).await?,
        sign_ins: repo::sign_ins(&st.db, 50).await?,
    })
}

/// Requires two-step sign-in of a colleague (`required` = `true`) or stops requiring it. Until
/// they set it up, only its setup works for them.
#[server]
pub async fn require_two_step(staff_id: String, required: String) -> Result<(), AppError> {
    let admin = require_role(|r| r == Role::Admin).await?;
    let required = match required.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(AppError::invalid(
                "required",
                "Choose to require it or not.",
            ));
        }
    };
    if !auth_repo::set_two_step_required(&state()?.db, &id("staff", &staff_id)?, required).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(by = %admin.email, staff = %staff_id, required, "two-step requirement changed");
    Ok(())
}

/// Invites a colleague: they get an email with a link to set their password.
#[server]
pub async fn invite_staff(name: String, email: String, role: String) -> Result<(), AppError> {
    let admin = require_role(|r| r == Role::Admin).await?;
    let st = state()?;
    let mut checks = crate::error::Checks::new();
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        checks.add("name", "Enter their name (up to 100 characters).");
    }
    let email = checks.check("email", EmailAddress::parse(&email));
    let role = Role::parse(&role);
    if role.is_none() {
        checks.add("role", "Choose a role.");
    }
    checks.finish()?;
    let (email, role) = (email.expect("checked"), role.expect("checked"));
    let by = RecordId::new("staff", admin.id.as_str());
    let staff = repo::invite(&st.db, &name, email.as_str(), role, &by).await?;
    let link = staff_link(&st, "invite", &staff, INVITE_HOURS);
    let company = &st.config.company_name;
    let mail = st.mailer.compose(
        "staff_invite",
        email.as_str(),
        &name,
        &format!("{} invites you to {company} Hiring", admin.name),
        &format!(
            "Hi {name},\n\n{} invites you to {company} Hiring as {}.\n\n\
             Set your password to start:\n{link}\n\n\
             The link works once and expires in 7 days.",
            admin.name,
            role.label().to_lowercase()
        ),
    );
    st.mailer.enqueue(&st.db, mail).await?;
    tracing::info!(by = %admin.email, invited = %email, "staff invited");
    Ok(())
}

/// Changes a colleague's role (it applies to their next request).
#[server]
pub async fn change_role(staff_id: String, role: String) -> Result<(), AppError> {
    require_role(|r| r == Role::Admin).await?;
    let role = Role::parse(&role).ok_or_else(|| AppError::invalid("role", "Choose a role."))?;
    repo::set_role(&state()?.db, &id("staff", &staff_id)?, role).await
}

/// Deactivates a colleague (`active` = `false`: every session ends now) or reactivates them.
#[server]
pub async fn set_staff_active(staff_id: String, active: String) -> Result<(), AppError> {
    let admin = require_role(|r| r == Role::Admin).await?;
    let active = match active.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(AppError::invalid(
                "active",
                "Choose to activate or deactivate.",
            ));
        }
    };
    if !active && staff_id == admin.id {
        return Err(AppError::Conflict(
            "You cannot deactivate yourself: ask another admin.".into(),
        ));
    }
    repo::set_active(&state()?.db, &id("staff", &staff_id)?, active).await
}

/// Who an invitation or reset link is for (`purpose`: `invite` or `reset`).
#[server]
pub async fn staff_link_holder(purpose: String, token: String) -> Result<LinkHolder, AppError> {
    let purpose = match purpose.as_str() {
        "invite" | "reset" => purpose,
        _ => return Err(AppError::invalid("purpose", "Unknown link.")),
    };
    let row = link_holder(&state()?, &purpose, &token).await?;
    Ok(LinkHolder {
        name: row.name,
        email: row.email,
    })
}

/// Sets a password from an invitation or reset link, then signs in (an invitation) or goes to
/// sign-in (a reset). Every other session of the member ends.
#[server]
pub async fn set_password_by_link(
    purpose: String,
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let st = state()?;
    let purpose = match purpose.as_str() {
        "invite" | "reset" => purpose,
        _ => return Err(AppError::invalid("purpose", "Unknown link.")),
    };
    let row = link_holder(&st, &purpose, &token).await?;
    checked_password(&password, &confirm, &row.email, &row.name)?;
    auth_repo::set_password(&st.db, &row.id, &hash(password).await?, None).await?;
    if purpose == "invite" {
        let ip = crate::server::request_ip(&st)?;
        auth_repo::record_sign_in(&st.db, &row.id, &ip).await?;
        let cookie =
            crate::auth::guard::start_session(&st, "staff", Some(row.id.clone()), None).await?;
        expect_context::<leptos_axum::ResponseOptions>()
            .append_header(http::header::SET_COOKIE, cookie);
        leptos_axum::redirect("/app");
    } else {
        leptos_axum::redirect("/login?reset=1");
    }
    Ok(())
}

/// Emails a password-reset link to a staff address. The answer is the same whether or not
/// the address belongs to someone, and past the address's allowance nothing is sent.
#[server]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let st = state()?;
    let email = EmailAddress::parse(&email).map_err(|m| AppError::invalid("email", m))?;
    crate::server::ratelimit::public_form(&st, "password-reset-ip").await?;
    if let Some(row) = auth_repo::staff_by_email(&st.db, email.as_str())
        .await?
        .filter(|r| r.active)
        && RESETS.take(&st.db, email.as_str()).await?
    {
        let link = staff_link(&st, "reset", &row.id, RESET_HOURS);
        let mail = st.mailer.compose(
            "password_reset",
            &row.email,
            &row.name,
            "Reset your password",
            &format!(
                "Hi {},\n\nSomeone (we hope you) asked to reset your password. Choose a new one here:\n{link}\n\n\
                 The link works once and expires in an hour. If you did not ask for it, ignore this email: \
                 your password stays as it is.",
                row.name
            ),
        );
        st.mailer.enqueue(&st.db, mail).await?;
    }
    leptos_axum::redirect("/password/reset?sent=1");
    Ok(())
}

/// Changes the signed-in member's password (the current one first). Their other sessions end.
#[server]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let me = RecordId::new("staff", user.id.as_str());
    confirm_own_password(&st, &me, current, "current").await?;
    checked_password(&password, &confirm, &user.email, &user.name)?;
    let keep = crate::server::request_parts()
        .and_then(|p| {
            crate::server::http::cookie(
                &p.headers,
                auth_repo::STAFF_COOKIE,
                st.config.secure_cookies(),
            )
        })
        .map(|t| security::sha256_hex(&t));
    auth_repo::set_password(&st.db, &me, &hash(password).await?, keep.as_deref()).await?;
    leptos_axum::redirect("/app/account?changed=1");
    Ok(())
}

/// Whether two-step sign-in is on for the signed-in member, and recovery codes left.
#[server]
pub async fn my_two_step() -> Result<TwoStep, AppError> {
    let user = require_staff_setting_up().await?;
    let st = state()?;
    let me = RecordId::new("staff", user.id.as_str());
    let row = auth_repo::staff_by_id(&st.db, &me)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let enabled = row.totp_secret.is_some();
    let pending = match auth_repo::totp_pending(&st.db, &me).await? {
        Some((secret, codes)) if !enabled => Some(setup_of(&st, &user.email, secret, codes)),
        _ => None,
    };
    Ok(TwoStep {
        enabled,
        recovery_left: auth_repo::recovery_left(&st.db, &me).await?,
        pending,
    })
}

#[cfg(feature = "ssr")]
fn setup_of(
    st: &crate::server::AppState,
    email: &str,
    secret: String,
    recovery_codes: Vec<String>,
) -> TwoStepSetup {
    TwoStepSetup {
        url: crate::auth::totp::otpauth_url(
            &format!("{} Hiring", st.config.company_name),
            email,
            &secret,
        ),
        secret,
        recovery_codes,
    }
}

/// Starts setting up two-step sign-in: a new secret for the authenticator app and the
/// recovery codes that will come with it (shown to the member until the setup is finished; on
/// only after the secret's first code is entered).
#[server]
pub async fn begin_two_step() -> Result<TwoStepSetup, AppError> {
    let user = require_staff_setting_up().await?;
    let st = state()?;
    let secret = crate::auth::totp::base32(&crate::auth::totp::new_secret());
    let codes = crate::auth::totp::recovery_codes();
    auth_repo::set_totp_pending(
        &st.db,
        &RecordId::new("staff", user.id.as_str()),
        &secret,
        &codes,
    )
    .await?;
    Ok(setup_of(&st, &user.email, secret, codes))
}

/// Turns two-step sign-in on with the app's first code; answers the recovery codes (shown once).
#[server]
pub async fn enable_two_step(code: String) -> Result<Vec<String>, AppError> {
    let user = require_staff_setting_up().await?;
    let st = state()?;
    let me = RecordId::new("staff", user.id.as_str());
    let Some((secret, codes)) = auth_repo::totp_pending(&st.db, &me).await? else {
        return Err(AppError::Conflict(
            "Start the setup again: no code is waiting.".into(),
        ));
    };
    let bytes = crate::auth::totp::from_base32(&secret).ok_or(AppError::Internal)?;
    let Some(step) = crate::auth::totp::verify(&bytes, &code, now_unix()) else {
        return Err(AppError::invalid(
            "code",
            "That code is not right. Check the time on your phone and enter the current code.",
        ));
    };
    // A setup begun before codes were kept with it gets them now.
    let codes = if codes.is_empty() {
        crate::auth::totp::recovery_codes()
    } else {
        codes
    };
    let hashes = codes.iter().map(|c| security::sha256_hex(c)).collect();
    auth_repo::enable_totp(&st.db, &me, &secret, step, hashes).await?;
    tracing::info!(staff = %user.email, "two-step sign-in turned on");
    Ok(codes)
}

/// Turns two-step sign-in off (the password first).
#[server]
pub async fn disable_two_step(password: String) -> Result<(), AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let me = RecordId::new("staff", user.id.as_str());
    confirm_own_password(&st, &me, password, "password").await?;
    auth_repo::disable_totp(&st.db, &me).await?;
    tracing::info!(staff = %user.email, "two-step sign-in turned off");
    Ok(())
}
