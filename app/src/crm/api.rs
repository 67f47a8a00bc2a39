//! CRM server functions.

// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::{respond, state},
    surrealdb::types::RecordId,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolDetail {
    pub pool: PoolSummary,
    pub members: Vec<Member>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentDetail {
    pub id: Option<String>,
    pub name: String,
    pub definition: SegmentDefinition,
    pub description: String,
    pub members: Vec<Member>,
    pub stages: Vec<(String, String)>,
}

/// Everything the profile's CRM panel shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrmProfile {
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub consent_status: String,
    pub consent_at: Option<String>,
    pub consent_basis: Option<String>,
    pub last_contacted_at: Option<String>,
    pub engagement_score: i64,
    pub timezone: Option<String>,
    pub unsubscribed_topics: Vec<String>,
    pub referred_by: Option<String>,
    pub referral_relationship: Option<String>,
    pub interests: Vec<String>,
    pub pools: Vec<(String, String)>,
    pub all_pools: Vec<(String, String)>,
    pub jobs: Vec<(String, String)>,
    pub staff: Vec<(String, String)>,
    pub duplicates: Vec<DuplicatePair>,
    /// (campaign name, status, where they are)
    pub campaigns: Vec<(String, String, String)>,
}

#[server]
pub async fn list_pools() -> Result<Vec<PoolSummary>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::pools(&state()?.db).await
}

#[server]
pub async fn create_pool(
    name: String,
    #[server(default)] description: String,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let name = crate::domain::required_text(&name, "a name for the pool", 80)
        .map_err(|m| respond(AppError::invalid("name", m)))?;
    let description = crate::domain::optional_text(&description, 300)
        .map_err(|m| respond(AppError::invalid("description", m)))?;
    let id = repo::create_pool(&state()?.db, &name, &description, &Actor::staff(&user))
        .await
        .map_err(respond)?;
    let k = key(&id);
    leptos_axum::redirect(&format!("/app/pools/{k}"));
    Ok(k)
}

#[server]
pub async fn get_pool(pool_id: String) -> Result<PoolDetail, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let pid = id("pool", &pool_id)?;
    let pool = repo::pool(&st.db, &pid)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    let members = repo::pool_members(&st.db, &pid)
        .await?
        .iter()
        .map(|m| m.to_member())
        .collect();
    Ok(PoolDetail { pool, members })
}

/// Adds people to a pool: by id (`person_ids[]`), or everyone a search finds (`q`).
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn add_to_pool(
    pool_id: String,
    #[server(default)] person_ids: Vec<String>,
    #[server(default)] search: bool,
    #[server(default)] q: String,
    #[server(default)] job: String,
    #[server(default)] stage: String,
    #[server(default)] tag: String,
    #[server(default)] source: String,
    #[server(default)] applied_from: String,
    #[server(default)] applied_to: String,
) -> Result<usize, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let pid = id("pool", &pool_id)
        .map_err(|_| respond(AppError::invalid("pool_id", "Choose a pool.")))?;
    let mut ids: Vec<RecordId> = person_ids
        .iter()
        .map(|p| id("person", p))
        .collect::<Result<_, _>>()?;
    if search {
        let filters = crate::search::types::SearchFilters {
            job,
            stage,
            tag,
            source,
            applied_from,
            applied_to,
        };
        let r = crate::search::repo::search(&st.db, &q, &filters, "", 100_000)
            .await
            .map_err(respond)?;
        ids.extend(
            r.hits
                .iter()
                .map(|h| RecordId::new("person", h.id.as_str())),
        );
    }
    if ids.is_empty() {
        return Err(respond(AppError::invalid(
            "person_ids",
            if search {
                "The search found no one."
            } else {
                "Select at least one person."
            },
        )));
    }
    repo::add_to_pool(&st.db, &pid, &ids, &Actor::staff(&user)).await
}

#[server]
pub async fn remove_from_pool(pool_id: String, person_id: String) -> Result<(), AppError> {
    let user = require_role(Role::uses_crm).await?;
    repo::remove_from_pool(
        &state()?.db,
        &id("pool", &pool_id)?,
        &id("person", &person_id)?,
        &Actor::staff(&user),
    )
    .await
}

#[server]
pub async fn list_segments() -> Result<Vec<SegmentSummary>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::segments(&state()?.db).await
}

#[cfg(feature = "ssr")]
async fn stage_choices() -> Result<Vec<(String, String)>, AppError> {
    Ok(crate::search::repo::filter_options(&state()?.db)
        .await?
        .stages)
}

/// A segment and who is in it now (`segment_id` empty: a new one, from the given definition).
#[server]
pub async fn get_segment(segment_id: String) -> Result<SegmentDetail, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    if segment_id.is_empty() {
        return Ok(SegmentDetail {
            id: None,
            name: String::new(),
            definition: Default::default(),
            description: "Everyone".into(),
            members: Vec::new(),
            stages: stage_choices().await?,
        });
    }
    let sid = id("segment", &segment_id)?;
    let (name, d) = repo::segment(&st.db, &sid)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    let members = repo::segment_people(&st.db, &d)
        .await?
        .iter()
        .map(|m| m.to_member())
        .collect();
    Ok(SegmentDetail {
        id: Some(segment_id),
        name,
        description: d.describe(),
        definition: d,
        members,
        stages: stage_choices().await?,
    })
}

#[server]
pub async fn save_segment(
    #[server(default)] segment_id: String,
    name: String,
    #[server(default)] tags: String,
    #[server(default)] skills: String,
    #[server(default)] location: String,
    #[server(default)] sources: String,
    #[server(default)] last_contacted: String,
    #[server(default)] contacted_days: String,
    #[server(default)] min_engagement: String,
    #[server(default)] stage_reached: String,
    #[server(default)] consent: String,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let mut c = crate::error::Checks::new();
    let name = c.check(
        "name",
        crate::domain::required_text(&name, "a name for the segment", 80),
    );
    let d = SegmentDefinition::parse(&crate::crm::types::SegmentForm {
        tags: &tags,
        skills: &skills,
        location: &location,
        sources: &sources,
        last_contacted: &last_contacted,
        contacted_days: &contacted_days,
        min_engagement: &min_engagement,
        stage_reached: &stage_reached,
        consent: &consent,
    });
    let d = match d {
        Ok(d) => Some(d),
        Err(AppError::Validation(errs)) => {
            for e in errs {
                c.add(&e.field, e.message);
            }
            None
        }
        Err(e) => return Err(respond(e)),
    };
    c.finish().map_err(respond)?;
    let st = state()?;
    let existing = if segment_id.is_empty() {
        None
    } else {
        Some(id("segment", &segment_id)?)
    };
    let sid = repo::save_segment(
        &st.db,
        existing.as_ref(),
        &name.unwrap_or_default(),
        &d.unwrap_or_default(),
        &Actor::staff(&user),
    )
    .await
    .map_err(respond)?;
    let k = key(&sid);
    leptos_axum::redirect(&format!("/app/segments/{k}"));
    Ok(k)
}

#[server]
pub async fn get_crm_profile(person_id: String) -> Result<CrmProfile, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let pid = id("person", &person_id)?;
    let f = repo::crm_fields(&st.db, &pid)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    let pools = repo::pools_of(&st.db, &pid).await?;
    let all_pools = repo::pool_choices(&st.db).await?;
    let jobs = crate::jobs::repo::list(&st.db, None)
        .await?
        .into_iter()
        .filter(|j| j.status != crate::jobs::types::JobStatus::Closed)
        .map(|j| (j.id, j.title))
        .collect();
    let staff = crate::auth::repo::list_staff(&st.db)
        .await?
        .into_iter()
        .map(|s| (key(&s.id), s.name))
        .collect();
    let duplicates = repo::duplicates_of(&st.db, &pid).await?;
    use surrealdb::types::SurrealValue;
    #[derive(Debug, Clone, SurrealValue)]
    struct Enr {
        name: String,
        status: String,
        stop_reason: Option<String>,
        step_index: i64,
    }
    let mut r = st
        .db
        .query("SELECT campaign.name AS name, status, stop_reason, step_index, enrolled_at FROM enrollment WHERE person = $p ORDER BY enrolled_at DESC")
        .bind(("p", pid.clone()))
        .await
        .map_err(crate::server::db::internal)?;
    let enr: Vec<Enr> = r.take(0).map_err(crate::server::db::internal)?;
    Ok(CrmProfile {
        owner_id: f.owner.as_ref().map(key),
        owner_name: f.owner_name,
        consent_status: f.consent_status,
        consent_at: f.consent_at.map(|d| d.to_rfc3339()),
        consent_basis: f.consent_basis,
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
    let basis = basis.trim().to_string();
    if consent == "granted" && basis.is_empty() {
        c.add(
            "basis",
            "Say on what basis (for example: consent by email, legitimate interest).",
        );
    }
    c.finish().map_err(respond)?;
    let owner = if owner.is_empty() {
        None
    } else {
        Some(id("staff", &owner)?)
    };
    repo::update_crm_fields(
        &st.db,
        &id("person", &person_id)?,
        owner,
        &consent,
        (!basis.is_empty()).then_some(basis),
        (!tz.is_empty()).then_some(tz),
        &Actor::staff(&user),
    )
    .await
    .map_err(respond)
}

/// Adds a person to a job's pipeline as sourced.
#[server]
pub async fn add_person_to_job(person_id: String, job_id: String) -> Result<(), AppError> {
    let user = require_role(|r| r.uses_crm() || r.manages_jobs()).await?;
    let st = state()?;
    let job =
        id("job", &job_id).map_err(|_| respond(AppError::invalid("job_id", "Choose a job.")))?;
    repo::add_to_job(
        &st.db,
        &id("person", &person_id)?,
        &job,
        &Actor::staff(&user),
    )
    .await
    .map_err(respond)?;
    Ok(())
}

/// Adds the people ticked in a pool or segment to a job's pipeline as sourced.
#[server]
pub async fn add_people_to_job(
    #[server(default)] person_ids: Vec<String>,
    #[server(default)] job_id: String,
) -> Result<String, AppError> {
    let user = require_role(|r| r.uses_crm() || r.manages_jobs()).await?;
    let st = state()?;
    let mut c = crate::error::Checks::new();
    let job = c.check(
        "job_id",
        id("job", &job_id).map_err(|_| "Choose a job.".to_string()),
    );
    if person_ids.is_empty() {
        c.add("person_ids", "Tick the people to add.");
    } else if person_ids.len() > 500 {
        c.add("person_ids", "Add at most 500 people at a time.");
    }
    c.finish().map_err(respond)?;
    let job = job.expect("checked");
    let actor = Actor::staff(&user);
    let (mut added, mut already) = (0usize, 0usize);
    for p in &person_ids {
        match repo::try_add_to_job(&st.db, &id("person", p)?, &job, &actor)
            .await
            .map_err(respond)?
        {
            Some(_) => added += 1,
            None => already += 1,
        }
    }
    let people = |n: usize| {
        if n == 1 {
            "1 person".to_string()
        } else {
            format!("{n} people")
        }
    };
    Ok(if already == 0 {
        format!("Added {} to the pipeline as sourced.", people(added))
    } else {
        format!(
            "Added {} to the pipeline as sourced; {} already there.",
            people(added),
            people(already)
        )
    })
}

#[server]
pub async fn mark_replied(person_id: String) -> Result<bool, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    crate::campaigns::engine::mark_replied(&st, &id("person", &person_id)?, &Actor::staff(&user))
        .await
        .map_err(respond)
}

#[server]
pub async fn list_duplicates() -> Result<Vec<DuplicatePair>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::find_duplicates(&state()?.db, 100).await
}

/// Both records side by side for the merge screen: (field, left value, right value).
#[server]
pub async fn merge_preview(
    a: String,
    b: String,
) -> Result<Vec<(String, String, String)>, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let l = repo::person_snapshot(&st.db, &id("person", &a)?)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    let r = repo::person_snapshot(&st.db, &id("person", &b)?)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    let mut rows: Vec<(String, String, String)> = repo::MERGE_FIELDS
        .iter()
        .map(|f| (f.to_string(), show(&l[*f]), show(&r[*f])))
        .collect();
    for f in [
        "skills",
        "tags",
        "links",
        "source",
        "consent_status",
        "created_at",
    ] {
        rows.push((f.to_string(), show(&l[f]), show(&r[f])));
    }
    Ok(rows)
}

/// Merges `other` into `keep`; `take[]` lists the fields where `other`'s value wins.
#[server]
pub async fn merge_people(
    keep: String,
    other: String,
    #[server(default)] take: Vec<String>,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let m = repo::merge(
        &st.db,
        &id("person", &keep)?,
        &id("person", &other)?,
        &take,
        &Actor::staff(&user),
    )
    .await
    .map_err(respond)?;
    let mk = key(&m);
    leptos_axum::redirect(&format!("/app/people/{keep}?merged={mk}"));
    Ok(mk)
}

#[server]
pub async fn undo_merge(merge_id: String) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let loser = repo::unmerge(&st.db, &id("merge", &merge_id)?, &Actor::staff(&user))
        .await
        .map_err(respond)?;
    let lk = key(&loser);
    leptos_axum::redirect(&format!("/app/people/{lk}"));
    Ok(lk)
}

/// Uploads a CSV file to import (field `file`) and opens its mapping step.
#[server(input = MultipartFormData)]
pub async fn upload_import(data: MultipartData) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_big = false;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| respond(AppError::Request(e.to_string())))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("import.csv").to_string();
        let mut buf = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| respond(AppError::Request(e.to_string())))?
        {
            if buf.len() + chunk.len() <= super::import::MAX_CSV_BYTES {
                buf.extend_from_slice(&chunk);
            } else {
                too_big = true;
            }
        }
        file = Some((name, buf));
    }
    if too_big {
        return Err(respond(AppError::invalid(
            "file",
            "That file is larger than 60 MB. Split it into smaller files.",
        )));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(respond(AppError::invalid(
            "file",
            "Choose a CSV file to import.",
        )));
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        respond(AppError::invalid(
            "file",
            "Save the file as UTF-8 CSV and try again.",
        ))
    })?;
    let id = super::import::create(
        &st.db,
        &name,
        text,
        Some(RecordId::new("staff", user.id.as_str())),
    )
    .await
    .map_err(respond)?;
    let k = key(&id);
    leptos_axum::redirect(&format!("/app/imports/{k}"));
    Ok(k)
}

#[server]
pub async fn get_import(import_id: String) -> Result<ImportView, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let job = super::import::get_view(&st.db, &id("import_job", &import_id)?)
        .await?
        .ok_or_else(|| respond(AppError::NotFound))?;
    Ok(job.view())
}

#[server]
pub async fn start_import(
    import_id: String,
    #[server(default)] mapping: Vec<String>,
    duplicates: String,
    #[server(default)] tag: String,
    #[server(default)] pool: String,
) -> Result<(), AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let tag = if tag.trim().is_empty() {
        None
    } else {
        Some(
            crate::domain::Tag::parse(&tag)
                .map_err(|m| respond(AppError::invalid("tag", m)))?
                .as_str()
                .to_string(),
        )
    };
    let pool = if pool.is_empty() {
        None
    } else {
        Some(id("pool", &pool)?)
    };
    super::import::start(
        &st,
        &id("import_job", &import_id)?,
        mapping,
        &duplicates,
        tag,
        pool,
    )
    .await
    .map_err(respond)
}

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
        .map_err(|e| respond(AppError::Request(e.to_string())))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().unwrap_or_default().to_string();
        let mut buf = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| respond(AppError::Request(e.to_string())))?
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
    let mut referral = super::capture::check_referral(
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
    let referral = referral.map_err(respond)?;
    let person = super::capture::refer(&st, &referral, upload, &user)
        .await
        .map_err(respond)?;
    let k = key(&person);
    leptos_axum::redirect(&format!("/app/people/{k}?referred=1"));
    Ok(k)
}

/// The public talent-community sign-up (double opt-in).
#[server]
pub async fn talent_signup(
    name: String,
    email: String,
    #[server(default)] interests: Vec<String>,
    #[server(default)] consent: Option<String>,
) -> Result<(), AppError> {
    let st = state()?;
    let s = super::capture::check_signup(
        &name,
        &email,
        &interests,
        matches!(consent.as_deref(), Some("on" | "yes" | "true")),
    )
    .map_err(respond)?;
    let rate_key = format!("signup:{}", s.email);
    if crate::auth::repo::recent_failures(&st.db, &rate_key).await? >= 3 {
        return Ok(());
    }
    crate::auth::repo::record_failure(&st.db, &[rate_key]).await?;
    super::capture::sign_up(&st, &s).await.map_err(respond)?;
    leptos_axum::redirect("/talent?sent=1");
    Ok(())
}

/// Confirms a talent-community sign-up from its emailed link; returns the first name.
#[server]
pub async fn confirm_signup(token: String) -> Result<String, AppError> {
    let st = state()?;
    super::capture::confirm(&st, &token).await.map_err(respond)
}

#[cfg(feature = "ssr")]
async fn csv_response(
    st: &crate::server::AppState,
    headers: &http::HeaderMap,
    name: &str,
    rows: impl std::future::Future<Output = crate::error::AppResult<Vec<repo::MemberRow>>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let allowed = matches!(crate::auth::guard::staff_from_headers(st, headers).await, Ok(Some(u)) if u.role.uses_crm());
    if !allowed {
        return (
            http::StatusCode::FORBIDDEN,
            "Sign in as staff with CRM access.",
        )
            .into_response();
    }
    match rows.await {
        Ok(rows) => (
            [
                (
                    http::header::CONTENT_TYPE,
                    "text/csv; charset=utf-8".to_string(),
                ),
                (
                    http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
                (http::header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            super::capture::to_csv(&rows),
        )
            .into_response(),
        Err(AppError::NotFound) => http::StatusCode::NOT_FOUND.into_response(),
        Err(_) => http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /app/export/pool/{id}`
#[cfg(feature = "ssr")]
pub async fn export_pool(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    axum::extract::Path(pool): axum::extract::Path<String>,
    headers: http::HeaderMap,
) -> axum::response::Response {
    let db = st.db.clone();
    csv_response(&st, &headers, "pool", async move {
        repo::pool_members(&db, &id("pool", &pool)?).await
    })
    .await
}

/// `GET /app/export/segment/{id}`
#[cfg(feature = "ssr")]
pub async fn export_segment(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    axum::extract::Path(seg): axum::extract::Path<String>,
    headers: http::HeaderMap,
) -> axum::response::Response {
    let db = st.db.clone();
    csv_response(&st, &headers, "segment", async move {
        let (_, d) = repo::segment(&db, &id("segment", &seg)?)
            .await?
            .ok_or(AppError::NotFound)?;
        repo::segment_people(&db, &d).await
    })
    .await
}

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub q: String,
    #[serde(flatten)]
    pub filters: crate::search::types::SearchFilters,
}

/// `GET /app/export/search?q=…`
#[cfg(feature = "ssr")]
pub async fn export_search(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
    headers: http::HeaderMap,
) -> axum::response::Response {
    let db = st.db.clone();
    csv_response(&st, &headers, "search", async move {
        let r = crate::search::repo::search(&db, &q.q, &q.filters, "", 100_000).await?;
        super::capture::people_by_ids(
            &db,
            r.hits
                .iter()
                .map(|h| RecordId::new("person", h.id.as_str()))
                .collect(),
        )
        .await
    })
    .await
}
