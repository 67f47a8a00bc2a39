//! Candidate portal server functions.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard,
    crate::domain::EmailAddress,
    crate::server::AppState,
    crate::server::activity::{Actor, NewActivity},
    crate::server::db::{id, key},
    crate::server::state,
    surrealdb::types::RecordId,
};

/// Portal links one address may ask for within 15 minutes.
#[cfg(feature = "ssr")]
const PORTAL_LINKS: crate::server::ratelimit::Limit = crate::server::ratelimit::Limit {
    name: "portal-link",
    max: 3,
    window: chrono::Duration::minutes(15),
};

/// Emails a person a fresh portal sign-in link.
#[cfg(feature = "ssr")]
pub async fn send_portal_link(st: &AppState, person: &RecordId) -> Result<(), AppError> {
    let Some(p) = repo::person(&st.db, person).await? else {
        return Ok(());
    };
    // A new link revokes the ones sent before.
    repo::revoke_links(&st.db, person).await?;
    let link = super::links::portal_link(st, person);
    let company = &st.config.company_name;
    let mail = st.mailer.compose("portal_link", &p.email, format!("{} {}", p.first_name, p.last_name).trim(), &format!("Your link to follow your applications at {company}"), &format!(
            "Hi {},\n\nHere is your link to see your applications, their status and next steps:\n{link}\n\n\
             It works once, within 24 hours; a newer link replaces it. If you did not ask for it, you can ignore this email.\n\n\
             The {company} hiring team",
            p.first_name
        ))
.person(person.clone());
    st.mailer.enqueue(&st.db, mail).await
}

/// [`send_portal_link`] within the address's allowance of links (silently nothing past it).
#[cfg(feature = "ssr")]
pub async fn send_portal_link_limited(
    st: &AppState,
    person: &RecordId,
    email: &str,
) -> Result<(), AppError> {
    if PORTAL_LINKS.take(&st.db, email).await? {
        send_portal_link(st, person).await
    } else {
        tracing::info!(%email, "portal link rate limit reached");
        Ok(())
    }
}

/// Signs a browser in with an emailed portal link (from the page the link opens). A link works
/// once and only while no newer one was sent; any problem goes to the portal, which explains it.
#[server]
pub async fn portal_sign_in(token: String) -> Result<(), AppError> {
    use super::links::{LinkProblem, read_portal_token};
    let st = state()?;
    let outcome = match read_portal_token(&st, &token) {
        Ok(link) => {
            let hash = crate::server::security::sha256_hex(&token);
            if repo::spend_link(&st.db, &link.person, link.issued, &hash).await? {
                Ok(link)
            } else {
                Err(LinkProblem::Spent)
            }
        }
        Err(p) => Err(p),
    };
    match outcome {
        Ok(link) => {
            let cookie = guard::start_session(&st, "candidate", None, Some(link.person)).await?;
            expect_context::<leptos_axum::ResponseOptions>()
                .append_header(http::header::SET_COOKIE, cookie);
            leptos_axum::redirect("/portal");
        }
        Err(p) => leptos_axum::redirect(&format!("/portal?link={}", p.query())),
    }
    Ok(())
}

/// Sends a sign-in link to the email address, if we hold data about it (an applicant, or a person
/// in the talent CRM who never applied: the portal is where they see their data and use their
/// rights). The answer is the same either way, so the form does not reveal whom we know.
#[server]
pub async fn request_portal_link(email: String) -> Result<(), AppError> {
    let st = state()?;
    let email = EmailAddress::parse(&email).map_err(|m| AppError::invalid("email", m))?;
    crate::server::ratelimit::public_form(&st, "portal-link-ip").await?;
    if let Some(person) = repo::person_by_email(&st.db, email.as_str()).await? {
        send_portal_link_limited(&st, &person, email.as_str()).await?;
    }
    // The same answer whether or not the address applied (or hit the limit), so the form does
    // not reveal who has applied; only after the work succeeded, so an error is not "sent".
    leptos_axum::redirect("/portal?sent=1");
    Ok(())
}

/// The signed-in candidate's applications with their candidate-visible timelines.
#[server]
pub async fn my_portal() -> Result<Option<PortalData>, AppError> {
    let Some(person) = guard::current_candidate().await? else {
        return Ok(None);
    };
    let st = state()?;
    let Some((p, apps, entries)) = repo::portal(&st.db, &person).await? else {
        return Ok(None);
    };
    let upcoming =
        crate::interviews::repo::upcoming_for_person(&st.db, &person, chrono::Utc::now(), |link| {
            let expires = (chrono::Utc::now() + chrono::Duration::days(30)).timestamp();
            format!(
                "/schedule/{}",
                crate::interviews::scheduling::token_for(&st, link, expires)
            )
        })
        .await?;
    let to_schedule = crate::interviews::repo::open_links_for_person(&st.db, &person).await?;
    let offers = crate::offers::repo::of_person(&st.db, &person).await?;
    let reviews = crate::reviews::repo::states_of(&st.db, &person).await?;
    let applications = apps
        .into_iter()
        .map(|a| {
            let stage = a.stages.iter().find(|s| s.id == a.stage);
            let stage_name = stage
                .map(|s| s.name.clone())
                .unwrap_or_else(|| a.stage.clone());
            let hired = stage.is_some_and(|s| s.kind == "hired");
            let timeline = entries
                .iter()
                .filter(|e| e.application.as_ref() == Some(&a.id))
                .map(|e| TimelineEntry {
                    at: e.at.to_rfc3339(),
                    text: e.summary.clone(),
                })
                .collect();
            PortalApplication {
                id: key(&a.id),
                job_title: a.job_title.clone(),
                status_line: status_line(&a.status, &stage_name, hired),
                can_withdraw: a.status == "active" && !hired,
                status: a.status.clone(),
                applied_at: a.created_at.to_rfc3339(),
                timeline,
                interviews: upcoming
                    .iter()
                    .filter(|(app, _)| *app == key(&a.id))
                    .map(|(_, iv)| iv.clone())
                    .collect(),
                to_schedule: to_schedule
                    .iter()
                    .filter(|(_, app, ..)| *app == a.id)
                    .map(|(link, _, name, expires)| PortalToSchedule {
                        name: name.clone(),
                        href: format!(
                            "/schedule/{}",
                            crate::interviews::scheduling::token_for(
                                &st,
                                link,
                                expires.timestamp()
                            )
                        ),
                    })
                    .collect(),
                review: reviews
                    .iter()
                    .find(|(app, _)| *app == a.id)
                    .map(|(_, r)| r.clone()),
                offer: offers.iter().find(|o| o.application == a.id).map(|o| {
                    use crate::offers::types::OfferStatus as S;
                    PortalOfferLink {
                        href: format!("/portal/offers/{}", key(&o.id)),
                        label: match o.status() {
                            S::Sent => "Waiting for your answer",
                            S::Accepted => "You accepted it",
                            S::Declined => "You declined it",
                            _ => "Withdrawn",
                        }
                        .into(),
                        open: o.status() == S::Sent,
                    }
                }),
            }
        })
        .collect();
    let erasure_requested = crate::privacy::repo::open_request(&st.db, &person)
        .await?
        .map(crate::privacy::api::to_wire);
    Ok(Some(PortalData {
        first_name: p.first_name,
        email: p.email,
        applications,
        erasure_requested,
    }))
}

/// Withdraws one of the signed-in candidate's active applications.
#[server]
pub async fn withdraw_application(application_id: String) -> Result<(), AppError> {
    let person = guard::require_candidate().await?;
    let st = state()?;
    let app = id("application", &application_id)?;
    let row = repo::owned_application(&st.db, &app)
        .await?
        .filter(|r| r.person == person)
        .ok_or(AppError::NotFound)?;
    let activity = NewActivity::new(
        &Actor::candidate(),
        "withdrawn",
        "You withdrew this application",
    )
    .person(&person)
    .application(&app)
    .job(&row.job)
    .for_candidate();
    let done = repo::withdraw(&st.db, &app, activity).await?;
    if done.is_empty() {
        return Err(AppError::Conflict(
            "This application is already closed.".into(),
        ));
    }
    Ok(())
}

/// Signs the candidate out of the portal.
#[server]
pub async fn portal_logout() -> Result<(), AppError> {
    let cookie = guard::end_session(crate::auth::repo::PORTAL_COOKIE).await?;
    expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, cookie);
    leptos_axum::redirect("/portal");
    Ok(())
}
