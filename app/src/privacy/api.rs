//! Privacy server functions: a candidate asks for erasure from the portal; admins answer the
//! queue (erase, or decline with the reason).

use super::types::{PrivacyCentreData, PrivacyNotice, PrivacyQueue, PrivacyRequest, Retention};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo::{self, RequestRow},
    crate::auth::guard::{require_candidate, require_role},
    crate::auth::types::Role,
    crate::server::db::{id, key},
    crate::server::state,
    chrono::Utc,
    surrealdb::types::RecordId,
};

#[cfg(feature = "ssr")]
pub(crate) fn to_wire(r: RequestRow) -> PrivacyRequest {
    // Whole days left, rounded up: asked just now is "due in 30 days".
    let days_left = ((r.due_at - Utc::now()).num_minutes() + 1439).div_euclid(1440);
    PrivacyRequest {
        id: key(&r.id),
        person_id: key(&r.person),
        person_name: format!(
            "{} {}",
            r.first_name.unwrap_or_default(),
            r.last_name.unwrap_or_default()
        )
        .trim()
        .to_string(),
        kind: r.kind,
        status: r.status,
        requested_at: r.requested_at.to_rfc3339(),
        due_at: r.due_at.to_rfc3339(),
        days_left,
        decided_by: r.decided_by_name,
        decided_at: r.decided_at.map(|d| d.to_rfc3339()),
        note: r.note,
    }
}

/// The signed-in candidate asks for everything held about them to be erased. Answered by an
/// admin within 30 days; asking again while one is open changes nothing.
#[server]
pub async fn request_erasure(confirm: Option<String>) -> Result<PrivacyRequest, AppError> {
    let person = require_candidate().await?;
    if confirm.as_deref() != Some("yes") {
        return Err(AppError::invalid(
            "confirm",
            "Tick the box to confirm that you want your data erased.",
        ));
    }
    let st = state()?;
    let row = repo::request_erasure(&st.db, &person).await?;
    Ok(to_wire(row))
}

/// The signed-in candidate's open erasure request, if any.
#[server]
pub async fn my_erasure_request() -> Result<Option<PrivacyRequest>, AppError> {
    let person = require_candidate().await?;
    let st = state()?;
    Ok(repo::open_request(&st.db, &person).await?.map(to_wire))
}

/// The admin queue.
#[server]
pub async fn list_privacy_requests() -> Result<PrivacyQueue, AppError> {
    require_role(|r| r == Role::Admin).await?;
    let st = state()?;
    let (open, answered) = repo::queue(&st.db).await?;
    Ok(PrivacyQueue {
        open: open.into_iter().map(to_wire).collect(),
        answered: answered.into_iter().map(to_wire).collect(),
    })
}

/// Answers an open request: `decision` "erase" erases the person now; "decline" keeps the data
/// and needs the reason (e.g. a legal hold), which is kept with the request.
#[server]
pub async fn answer_privacy_request(
    request_id: String,
    decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let user = require_role(|r| r == Role::Admin).await?;
    let st = state()?;
    let req = id("privacy_request", &request_id)?;
    let row = repo::get_request(&st.db, &req)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status != "open" {
        return Err(AppError::Conflict(
            "This request was answered already.".into(),
        ));
    }
    let me = RecordId::new("staff", user.id.as_str());
    let note = note.trim().to_string();
    match decision.as_str() {
        "erase" => {
            let erased = repo::erase(&st.db, &row.person).await?;
            let summary = format!(
                "Erased: {} record(s), {} resume(s), {} email(s), {} audit entr(ies), {} import file(s), {} background task(s).",
                erased.people,
                erased.resumes,
                erased.mails,
                erased.audit_entries,
                erased.import_files,
                erased.tasks
            );
            repo::close_request(&st.db, &req, "done", &me, Some(summary)).await?;
        }
        "decline" => {
            if note.is_empty() {
                return Err(AppError::invalid(
                    "note",
                    "Say why the data is kept (the candidate is told).",
                ));
            }
            if note.chars().count() > 1000 {
                return Err(AppError::invalid(
                    "note",
                    "Keep the reason under 1,000 characters.",
                ));
            }
            repo::close_request(&st.db, &req, "declined", &me, Some(note)).await?;
        }
        _ => return Err(AppError::invalid("decision", "Choose erase or decline.")),
    }
    Ok(())
}

/// The retention policies (everywhere else, and each region), who each would touch if it ran
/// now, and the latest runs (admins).
#[server]
pub async fn get_retention() -> Result<Retention, AppError> {
    use super::retention::{self as ret, Scope};
    use super::types::{RegionPolicy, RetentionPerson, RetentionRun};
    require_role(|r| r == Role::Admin).await?;
    let st = state()?;
    let db = &st.db;
    let now = Utc::now();
    let all = ret::policies(db).await?;
    let mut regions = Vec::new();
    let mut default = None;
    for p in &all {
        let scope = Scope::of(p, &all);
        let due = match p.closed_applicants_months {
            Some(m) => ret::retention_due(db, ret::cutoff(now, m), 10_000, &scope).await?,
            None => Vec::new(),
        };
        let reconsent_total = match p.reconsent_months {
            Some(m) => ret::reconsent_due(db, ret::cutoff(now, m), 10_000, &scope)
                .await?
                .len(),
            None => 0,
        };
        let lapsing_total = ret::lapsing(
            db,
            now - chrono::Duration::days(p.grace_days),
            10_000,
            &scope,
        )
        .await?
        .len();
        if p.key == "default" {
            default = Some((p.clone(), due, reconsent_total, lapsing_total));
        } else {
            regions.push(RegionPolicy {
                key: p.key.clone(),
                name: p.name.clone(),
                countries: p.countries.clone(),
                closed_applicants_months: p.closed_applicants_months,
                reconsent_months: p.reconsent_months,
                grace_days: p.grace_days,
                preview_total: due.len(),
                reconsent_total,
                lapsing_total,
            });
        }
    }
    let (p, due, reconsent_total, lapsing_total) = default.ok_or(AppError::Internal)?;
    Ok(Retention {
        closed_applicants_months: p.closed_applicants_months,
        preview_total: due.len(),
        preview: due
            .into_iter()
            .take(50)
            .map(|d| RetentionPerson {
                id: key(&d.id),
                name: format!("{} {}", d.first_name, d.last_name)
                    .trim()
                    .to_string(),
                last_activity: d.last_activity.map(|a| a.to_rfc3339()),
            })
            .collect(),
        reconsent_months: p.reconsent_months,
        grace_days: p.grace_days,
        reconsent_total,
        lapsing_total,
        regions,
        runs: ret::runs(db, 20)
            .await?
            .into_iter()
            .map(|r| RetentionRun {
                at: r.at.to_rfc3339(),
                region: r.region,
                months: r.months,
                erased: r.erased,
                asked: r.asked,
                lapsed: r.lapsed,
            })
            .collect(),
    })
}

/// The periods of a policy form, checked (every problem at once).
#[cfg(feature = "ssr")]
fn policy_input(
    name: &str,
    countries: Option<&str>,
    months: &str,
    reconsent_months: &str,
    grace_days: &str,
) -> Result<super::retention::PolicyInput, AppError> {
    let mut c = crate::error::Checks::new();
    let months = c.check(
        "months",
        super::types::parse_months(months).map_err(str::to_string),
    );
    let reconsent = c.check(
        "reconsent_months",
        super::types::parse_months(reconsent_months).map_err(str::to_string),
    );
    let grace = c.check(
        "grace_days",
        super::types::parse_grace_days(grace_days).map_err(str::to_string),
    );
    let is_region = countries.is_some();
    let countries = match countries {
        Some(text) => c
            .check(
                "countries",
                super::types::parse_countries(text).map_err(str::to_string),
            )
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let name = name.trim().to_string();
    if is_region && (name.is_empty() || name.chars().count() > 60) {
        c.add("name", "Name the region in 1 to 60 characters.");
    }
    c.finish()?;
    Ok(super::retention::PolicyInput {
        name,
        countries,
        closed_applicants_months: months.flatten(),
        reconsent_months: reconsent.flatten(),
        grace_days: grace.unwrap_or(30),
    })
}

/// Sets the policy for everywhere no region covers: closed applicants erased after `months`
/// (empty: off), talent-pool consent renewed after `reconsent_months` (empty: never), with
/// `grace_days` to answer. The housekeeping job applies it within ten minutes.
#[server]
pub async fn save_retention(
    months: String,
    #[server(default)] reconsent_months: String,
    #[server(default)] grace_days: String,
) -> Result<(), AppError> {
    let user = require_role(|r| r == Role::Admin).await?;
    let input = policy_input("", None, &months, &reconsent_months, &grace_days)?;
    let st = state()?;
    super::retention::save_policy(
        &st.db,
        Some("default"),
        input,
        &RecordId::new("staff", user.id.as_str()),
    )
    .await
}

/// Adds a region's policy (no `key`) or changes one: its name, countries (as people's
/// locations end), and periods.
#[server]
pub async fn save_region_policy(
    #[server(default)] key: String,
    name: String,
    countries: String,
    #[server(default)] months: String,
    #[server(default)] reconsent_months: String,
    #[server(default)] grace_days: String,
) -> Result<(), AppError> {
    let user = require_role(|r| r == Role::Admin).await?;
    let input = policy_input(
        &name,
        Some(&countries),
        &months,
        &reconsent_months,
        &grace_days,
    )?;
    let st = state()?;
    let key = key.trim();
    super::retention::save_policy(
        &st.db,
        (!key.is_empty()).then_some(key),
        input,
        &RecordId::new("staff", user.id.as_str()),
    )
    .await
}

/// Removes a region's policy: its people fall under the policy for everywhere else.
#[server]
pub async fn remove_region_policy(key: String) -> Result<(), AppError> {
    require_role(|r| r == Role::Admin).await?;
    let st = state()?;
    super::retention::remove_policy(&st.db, &key).await
}

/// The first name behind a renewal link (the page's greeting; reads only).
#[server]
pub async fn renewal_name(token: String) -> Result<String, AppError> {
    let st = state()?;
    super::retention::renewal_name(&st, &token).await
}

/// The answer to a renewal email (`stay` = "yes": keep me; anything else: remove me). Opening
/// the link changes nothing (mail scanners open links); this button does.
#[server]
pub async fn renew_consent(token: String, stay: String) -> Result<(), AppError> {
    let st = state()?;
    let keep = stay == "yes";
    super::retention::renew(&st, &token, keep, crate::server::request_ip(&st).ok()).await?;
    leptos_axum::redirect(&format!(
        "/talent/renew?done={}",
        if keep { "stayed" } else { "left" }
    ));
    Ok(())
}

/// The signed-in candidate's contact details and consent.
#[server]
pub async fn my_privacy() -> Result<PrivacyCentreData, AppError> {
    let person = require_candidate().await?;
    let st = state()?;
    let m = repo::mine(&st.db, &person)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(PrivacyCentreData {
        topics: crate::campaigns::types::TOPICS
            .iter()
            .map(|(t, label)| {
                (
                    t.to_string(),
                    label.to_string(),
                    !m.unsubscribed_topics.iter().any(|u| u == t),
                )
            })
            .collect(),
        talent_pool: m.in_talent_pool(),
        first_name: m.first_name,
        last_name: m.last_name,
        email: m.email,
        phone: m.phone.unwrap_or_default(),
        location: m.location.unwrap_or_default(),
    })
}

/// The signed-in candidate corrects their contact details (their email is how they sign in:
/// it is not changed here).
#[server]
pub async fn correct_my_details(
    first_name: String,
    last_name: String,
    #[server(default)] phone: String,
    #[server(default)] location: String,
) -> Result<(), AppError> {
    let person = require_candidate().await?;
    let d = super::types::check_details(&first_name, &last_name, &phone, &location).map_err(
        |errors| {
            AppError::Validation(
                errors
                    .into_iter()
                    .map(|(f, m)| crate::error::FieldError::new(f, m))
                    .collect(),
            )
        },
    )?;
    let st = state()?;
    repo::correct_details(&st.db, &person, d).await?;
    crate::server::http::back_with_done("details", "/portal");
    Ok(())
}

/// The signed-in candidate's consent per purpose: the talent pool (`talent_pool` = "yes") and
/// each email topic they keep (`keep[]`).
#[server]
pub async fn save_my_consent(
    talent_pool: Option<String>,
    #[server(default)] keep: Vec<String>,
) -> Result<(), AppError> {
    let person = require_candidate().await?;
    let topics = crate::campaigns::types::TOPICS;
    if keep.iter().any(|k| !topics.iter().any(|(t, _)| t == k)) {
        return Err(AppError::invalid("keep", "Choose from the listed topics."));
    }
    let st = state()?;
    let off: Vec<String> = crate::campaigns::types::TOPICS
        .iter()
        .map(|(t, _)| t.to_string())
        .filter(|t| !keep.contains(t))
        .collect();
    crate::campaigns::repo::set_topics(&st.db, &person, &off).await?;
    let notice = super::consent::current_notice(&st.db, &st.config.company_name).await?;
    repo::set_talent_pool(
        &st.db,
        &person,
        talent_pool.as_deref() == Some("yes"),
        Some(&notice),
        crate::server::request_ip(&st).ok(),
    )
    .await?;
    crate::server::http::back_with_done("consent", "/portal");
    Ok(())
}

/// The privacy notice in force. Public: the application and talent-community forms show its
/// summary and talent-pool question, `/privacy` its full text.
#[server]
pub async fn get_privacy_notice() -> Result<PrivacyNotice, AppError> {
    let st = state()?;
    super::consent::current_notice(&st.db, &st.config.company_name).await
}

/// Admins publish a new version of the privacy notice (the old ones stay: people's consent
/// points at the version they read). Returns the new version's number.
#[server]
pub async fn save_privacy_notice(
    summary: String,
    body: String,
    pool_wording: String,
) -> Result<i64, AppError> {
    let user = require_role(|r| r == Role::Admin).await?;
    let text = super::types::check_notice(&summary, &body, &pool_wording).map_err(|errors| {
        AppError::Validation(
            errors
                .into_iter()
                .map(|(f, m)| crate::error::FieldError::new(f, m))
                .collect(),
        )
    })?;
    let st = state()?;
    super::consent::publish_notice(&st.db, &st.config.company_name, &text, &user.name).await
}
