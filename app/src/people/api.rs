//! People server functions.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::{require_role, require_staff},
    crate::auth::types::Role,
    crate::domain::Tag,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::{AppState, state},
};

/// People, newest first, filtered by a name/email fragment and a tag; 50 per page.
#[server]
pub async fn list_people(q: String, tag: String, cursor: String) -> Result<PeopleList, AppError> {
    require_role(Role::uses_crm).await?;
    if q.len() > 200 || tag.len() > 60 || cursor.len() > 200 {
        return Err(AppError::invalid("q", "That search is too long."));
    }
    let db = &state()?.db;
    let mut list = repo::list(db, &q, &tag, &cursor).await?;
    // Anonymised review: the list would tie a masked candidate's alias to their name.
    let masked = crate::anonymity::repo::alias_masked(db, &mut list.people, |p| {
        (p.id.as_str(), &mut p.name)
    })
    .await?;
    for p in list.people.iter_mut().filter(|p| masked.contains(&p.id)) {
        p.email.clear();
    }
    Ok(list)
}

/// Every tag in use, with counts.
#[server]
pub async fn tag_counts() -> Result<Vec<TagCount>, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let index = st.ext::<crate::search::index::SearchIndex>();
    Ok(index
        .tag_counts(&st.db)
        .await?
        .into_iter()
        .map(|(tag, count)| TagCount {
            tag,
            count: count as i64,
        })
        .collect())
}

/// Tags one or more people.
#[server]
pub async fn add_tag(
    #[server(default)] person_ids: Vec<String>,
    tag: String,
) -> Result<usize, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let tag = Tag::parse(&tag).map_err(|m| AppError::invalid("tag", m))?;
    if person_ids.is_empty() {
        return Err(AppError::invalid(
            "person_ids",
            "Select at least one person.",
        ));
    }
    if person_ids.len() > 1000 {
        return Err(AppError::invalid(
            "person_ids",
            "Tag at most 1,000 people at a time.",
        ));
    }
    let ids = person_ids
        .iter()
        .map(|p| id("person", p))
        .collect::<Result<Vec<_>, _>>()?;
    repo::add_tag(&state()?.db, &ids, tag.as_str(), &Actor::staff(&user)).await
}

/// Removes a tag from one person.
#[server]
pub async fn remove_tag(person_id: String, tag: String) -> Result<(), AppError> {
    let user = require_role(Role::uses_crm).await?;
    repo::remove_tag(
        &state()?.db,
        &id("person", &person_id)?,
        tag.trim(),
        &Actor::staff(&user),
    )
    .await
}

/// A person's profile: details, applications, resumes, tags and timeline.
#[server]
pub async fn get_person(person_id: String) -> Result<PersonProfile, AppError> {
    let user = require_staff().await?;
    if !(user.role.uses_crm() || user.role.manages_jobs() || user.role == Role::HiringManager) {
        return Err(AppError::Forbidden);
    }
    let st = state()?;
    let person = id("person", &person_id)?;
    let scope = scope_of(&st, &user, &person).await?;
    let mut profile = repo::profile_scoped(&st.db, &person, scope.as_ref()).await?;
    crate::audit::record_read("get_person", vec![format!("person:{person_id}")]).await?;
    let masks = crate::anonymity::repo::masks(&st.db, std::slice::from_ref(&person)).await?;
    if !masks.is_empty() {
        let notices = masks
            .iter()
            .map(|m| {
                format!(
                    "{}: anonymised review until {}",
                    m.job_title, m.reveal_stage
                )
            })
            .collect();
        crate::anonymity::rules::mask_profile(&mut profile, notices);
    }
    Ok(profile)
}

/// What `user` may see of `person`: everything (None), or, for a hiring manager, what concerns
/// the jobs they manage that the person applied to; Forbidden when there are none.
#[cfg(feature = "ssr")]
pub(crate) async fn scope_of(
    st: &AppState,
    user: &crate::auth::types::StaffUser,
    person: &surrealdb::types::RecordId,
) -> Result<Option<repo::Scope>, AppError> {
    if user.role.uses_crm() || user.role.manages_jobs() {
        return Ok(None);
    }
    if user.role != Role::HiringManager {
        return Err(AppError::Forbidden);
    }
    let me = surrealdb::types::RecordId::new("staff", user.id.as_str());
    let jobs = repo::managed_jobs_of(&st.db, person, &me).await?;
    if jobs.is_empty() {
        // Whether the person exists is not theirs to learn either.
        return Err(AppError::Forbidden);
    }
    Ok(Some(repo::Scope { jobs, me }))
}

/// `GET /app/resumes/{id}`: the stored resume file, for staff who may see people.
#[cfg(feature = "ssr")]
pub async fn download_resume(
    axum::extract::State(st): axum::extract::State<AppState>,
    axum::extract::Path(resume_id): axum::extract::Path<String>,
    headers: http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    let user = crate::auth::guard::staff_from_headers(&st, &headers).await?;
    let allowed = matches!(&user, Some(u) if u.role.uses_crm() || u.role.manages_jobs() || u.role == Role::HiringManager);
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let resume = id("resume", &resume_id)?;
    // Anonymised review: the file would show who the candidate is.
    if let Some(person) = repo::resume_person(&st.db, &resume).await?
        && crate::anonymity::repo::is_masked(&st.db, &person).await?
    {
        return Err(AppError::Forbidden);
    }
    if let Some(u) = user.as_ref().filter(|u| u.role == Role::HiringManager) {
        // Only a resume sent with an application to a job they manage.
        let jobs = repo::resume_jobs(&st.db, &resume).await?;
        let mut theirs = false;
        for job in &jobs {
            if crate::jobs::repo::get(&st.db, job)
                .await?
                .is_some_and(|j| j.hiring_manager_key().as_deref() == Some(u.id.as_str()))
            {
                theirs = true;
                break;
            }
        }
        if !theirs {
            return Err(AppError::Forbidden);
        }
    }
    resume_response(&st.db, &resume).await
}

/// A stored resume as a download: its own type, shown inline, never sniffed or cached.
#[cfg(feature = "ssr")]
pub(crate) async fn resume_response(
    db: &crate::server::db::Db,
    resume: &surrealdb::types::RecordId,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    use http::header;
    let f = repo::resume_file(db, resume)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}\"", f.filename),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        f.data.into_inner(),
    )
        .into_response())
}

/// Adds a note to a person's profile.
#[server]
pub async fn add_note(person_id: String, body: String) -> Result<(), AppError> {
    let user = require_staff().await?;
    if !(user.role.uses_crm() || user.role.manages_jobs() || user.role == Role::HiringManager) {
        return Err(AppError::Forbidden);
    }
    let st = state()?;
    let person = id("person", &person_id)?;
    // A hiring manager notes only people who applied to a job they manage.
    scope_of(&st, &user, &person).await?;
    let body = crate::domain::required_long_text(&body, "a note", 5_000)
        .map_err(|m| AppError::invalid("body", m))?;
    repo::add_note(&st.db, &person, &body, &Actor::staff(&user)).await
}

/// Copies the checked details read from a resume onto the person (`fields[]`: name, email,
/// phone, links, skills, history) and marks the proposal reviewed.
#[server]
pub async fn apply_resume_proposal(
    person_id: String,
    resume_id: String,
    #[server(default)] fields: Vec<String>,
) -> Result<Vec<String>, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let person = id("person", &person_id)?;
    let applied = repo::apply_proposal(
        &st.db,
        &person,
        &id("resume", &resume_id)?,
        &fields,
        &Actor::staff(&user),
    )
    .await?;
    // Skills and location are read by the screening: read the person's applications again.
    st.tasks
        .enqueue(&st.db, &crate::screening::repo::Screen::person(&person))
        .await?;
    Ok(applied)
}

#[server]
pub async fn get_crm_profile(person_id: String) -> Result<CrmProfile, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let pid = id("person", &person_id)?;
    let f = super::crm::crm_fields(&st.db, &pid)
        .await?
        .ok_or(AppError::NotFound)?;
    let pools = crate::pools::repo::pools_of(&st.db, &pid).await?;
    let all_pools = crate::pools::repo::pool_choices(&st.db).await?;
    let jobs = crate::jobs::repo::titles(&st.db)
        .await?
        .into_iter()
        .filter(|(_, _, status)| match status {
            crate::jobs::types::JobStatus::Closed => false,
            // Sourcers see open jobs only (a draft's title is not theirs to read).
            crate::jobs::types::JobStatus::Open => true,
            _ => user.role.manages_jobs(),
        })
        .map(|(id, title, _)| (id, title))
        .collect();
    let staff = crate::auth::repo::list_staff(&st.db)
        .await?
        .into_iter()
        .map(|s| (key(&s.id), s.name))
        .collect();
    let duplicates = crate::dedupe::repo::duplicates_of(&st.db, &pid).await?;
    let enr = super::crm::enrollments_of(&st.db, &pid).await?;
    Ok(CrmProfile {
        owner_id: f.owner.as_ref().map(key),
        owner_name: f.owner_name,
        consent_status: f.consent_status,
        consent_at: f.consent_at.map(|d| d.to_rfc3339()),
        consent_basis: crate::privacy::types::Basis::read(f.consent_basis.as_deref())
            .map(|b| b.as_str().to_string())
            .or(f.consent_basis),
        consent_record: crate::privacy::consent::history(&st.db, &pid).await?,
        last_contacted_at: f.last_contacted_at.map(|d| d.to_rfc3339()),
        engagement_score: f.engagement_score,
        timezone: f.timezone,
        unsubscribed_topics: f.unsubscribed_topics,
        referred_by: f.referred_by_name,
        referral_relationship: f.referral_relationship,
        interests: f.interests,
        pools,
        all_pools,
        jobs,
        staff,
        duplicates,
        campaigns: enr
            .into_iter()
            .map(|e| {
                let where_ = match e.status.as_str() {
                    "active" => format!("at step {}", e.step_index + 1),
                    "stopped" => format!("stopped: {}", e.stop_reason.unwrap_or_default()),
                    other => other.to_string(),
                };
                (e.name, e.status, where_)
            })
            .collect(),
    })
}

#[server]
pub async fn update_crm(
    person_id: String,
    #[server(default)] owner: String,
    consent: String,
    #[server(default)] basis: String,
    #[server(default)] timezone: String,
) -> Result<(), AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let mut c = crate::error::Checks::new();
    if !["unknown", "pending", "granted", "withdrawn"].contains(&consent.as_str()) {
        c.add("consent", "Choose a consent status.");
    }
    let tz = timezone.trim().to_string();
    if !tz.is_empty() && tz.parse::<chrono_tz::Tz>().is_err() {
        c.add("timezone", "Use a time zone name such as Europe/Berlin.");
    }
    use crate::privacy::types::Basis;
    let basis = match basis.trim() {
        "" => None,
        b => match Basis::read(Some(b)) {
            Some(b) => Some(b),
            None => {
                c.add("basis", "Choose consent or legitimate interest.");
                None
            }
        },
    };
    match (consent.as_str(), basis) {
        ("granted", None) => c.add(
            "basis",
            "Say on what basis: consent (they agreed) or legitimate interest.",
        ),
        ("granted", Some(Basis::LegitimateInterest)) => c.add(
            "basis",
            "Granted means they agreed: choose consent. For legitimate interest, leave the status unknown.",
        ),
        _ => {}
    }
    c.finish()?;
    let owner = if owner.is_empty() {
        None
    } else {
        Some(id("staff", &owner)?)
    };
    super::crm::update_crm_fields(
        &st.db,
        &id("person", &person_id)?,
        super::crm::CrmEdit {
            owner,
            consent,
            basis,
            timezone: (!tz.is_empty()).then_some(tz),
        },
        &Actor::staff(&user),
        crate::server::request_ip(&st).ok(),
    )
    .await
}
