//! Campaign server functions: quick campaigns, the sequence builder, launch, pause, report,
//! and the public unsubscribe endpoints.

// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
// The preview and the test send live beside them; callers find every server function here.
pub use super::preview::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    super::sequence::{Branch, Event, Step},
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::security::now_unix,
    crate::server::{AppState, state},
    crate::templates::check_template,
    surrealdb::types::RecordId,
};

#[server]
pub async fn list_campaigns() -> Result<Vec<CampaignSummary>, AppError> {
    require_role(Role::uses_crm).await?;
    repo::list(&state()?.db).await
}

/// A one-email campaign to a tag.
#[server]
pub async fn create_campaign(
    name: String,
    audience_tag: String,
    subject: String,
    body: String,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let input = CampaignInput::parse(&name, &audience_tag, &subject, &body)?;
    let id = repo::create(&state()?.db, &input, &Actor::staff(&user)).await?;
    let k = key(&id);
    leptos_axum::redirect(&format!("/app/campaigns/{k}"));
    Ok(k)
}

/// A sequence to build step by step: empty, or the steps of a starter
/// ([`super::starters::STARTERS`]; its name stands in for an empty `name`).
#[server]
pub async fn create_sequence(
    name: String,
    #[server(default)] starter: String,
) -> Result<String, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let starter = super::starters::STARTERS
        .iter()
        .find(|(k, _, _)| *k == starter)
        .map(|(k, n, _)| (*k, *n));
    let steps = match starter {
        Some((k, _)) => {
            super::starters::steps(k, &format!("s{}", &crate::server::db::new_key()[..6]))
        }
        None => None,
    };
    let name = if name.trim().is_empty()
        && let Some((_, n)) = starter
    {
        n.to_string()
    } else {
        name
    };
    let name = crate::domain::required_text(&name, "a name for the campaign", 120)
        .map_err(|m| AppError::invalid("name", m))?;
    let st = state()?;
    let id = repo::create_sequence(&st.db, &name, &user.id).await?;
    if let Some(steps) = steps {
        repo::save_steps(&st.db, &id, &steps).await?;
    }
    let k = key(&id);
    leptos_axum::redirect(&format!("/app/campaigns/{k}"));
    Ok(k)
}

#[server]
pub async fn update_campaign(
    campaign_id: String,
    name: String,
    audience_tag: String,
    subject: String,
    body: String,
) -> Result<(), AppError> {
    require_role(Role::uses_crm).await?;
    let input = CampaignInput::parse(&name, &audience_tag, &subject, &body)?;
    repo::update(&state()?.db, &id(repo::TABLE, &campaign_id)?, &input).await
}

#[cfg(feature = "ssr")]
pub(super) async fn load(st: &AppState, campaign_id: &str) -> Result<repo::CampaignRow, AppError> {
    repo::get(&st.db, &id(repo::TABLE, campaign_id)?)
        .await?
        .ok_or(AppError::NotFound)
}

#[server]
pub async fn get_campaign(campaign_id: String) -> Result<CampaignDetail, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let c = load(&st, &campaign_id).await?;
    let audience = repo::audience(&st.db, &c).await.unwrap_or_default();
    let reachable: Vec<_> = audience
        .iter()
        .filter(|p| p.reachable_for(&c.topic))
        .collect();
    let delivered = repo::delivered_count(&st.db, &c.id).await?;
    Ok(CampaignDetail {
        id: key(&c.id),
        name: c.name.clone(),
        status: CampaignStatus::parse(&c.status),
        audience_kind: c.audience_kind.clone(),
        audience_id: match c.audience_kind.as_str() {
            "pool" => c.audience_pool.as_ref().map(key),
            "segment" => c.audience_segment.as_ref().map(key),
            _ => None,
        },
        audience_label: repo::audience_label(&st.db, &c).await?,
        steps: c.steps(),
        options: c.options(),
        launched_at: c.launched_at.map(|d| d.to_rfc3339()),
        audience_tag: c.audience_tag.clone(),
        subject: c.subject.clone(),
        body: c.body.clone(),
        reachable: reachable.len() as i64,
        unsubscribed: (audience.len() - reachable.len()) as i64,
        sample: reachable
            .iter()
            .take(50)
            .map(|p| Recipient {
                id: key(&p.id),
                name: p.name(),
                email: p.email.clone(),
            })
            .collect(),
        recipients: c.recipients,
        skipped: c.skipped,
        sent_at: c.sent_at.map(|d| d.to_rfc3339()),
        delivered,
    })
}

/// Choices for the builder: tags, pools, segments, jobs and the frequency cap.
#[server]
pub async fn get_builder_choices() -> Result<BuilderChoices, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    let tags = st
        .ext::<crate::search::index::SearchIndex>()
        .tag_counts(&st.db)
        .await?
        .into_iter()
        .map(|(tag, count)| (tag, count as i64))
        .collect();
    let pools = crate::pools::repo::pool_choices(&st.db).await?;
    let segments = crate::segments::repo::segments(&st.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    // Sourcers see open jobs only (a draft's title is not theirs to read).
    let jobs = crate::jobs::repo::titles(&st.db)
        .await?
        .into_iter()
        .filter(|(_, _, status)| {
            user.role.manages_jobs() || *status == crate::jobs::types::JobStatus::Open
        })
        .map(|(id, title, _)| (id, title))
        .collect();
    Ok(BuilderChoices {
        tags,
        pools,
        segments,
        jobs,
        frequency_cap_days: repo::frequency_cap_days(&st.db).await?,
    })
}

/// Launches the campaign: everyone reachable in the audience is enrolled and the engine sends
/// each step when it is due. Returns (enrolled, skipped because unsubscribed or no consent).
#[server]
pub async fn send_campaign(campaign_id: String) -> Result<(i64, i64), AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    super::engine::launch(&st, &id(repo::TABLE, &campaign_id)?, &Actor::staff(&user)).await
}

#[server]
pub async fn pause_campaign(campaign_id: String, pause: String) -> Result<(), AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    super::engine::set_paused(&st, &id(repo::TABLE, &campaign_id)?, pause == "true").await
}

#[server]
pub async fn get_campaign_report(campaign_id: String) -> Result<CampaignReport, AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let c = load(&st, &campaign_id).await?;
    super::report::report(&st.db, &c).await
}

/// Saves a draft's audience and options (the builder's first panel).
#[server]
pub async fn save_campaign_settings(
    campaign_id: String,
    name: String,
    audience_kind: String,
    #[server(default)] audience_tag: String,
    #[server(default)] audience_pool: String,
    #[server(default)] audience_segment: String,
    #[server(default)] auto_enroll: Option<String>,
    #[server(default)] use_send_window: Option<String>,
    #[server(default)] send_days: Vec<String>,
    #[server(default)] start_hour: String,
    #[server(default)] end_hour: String,
    #[server(default)] job: String,
    #[server(default)] topic: String,
) -> Result<(), AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let mut c = crate::error::Checks::new();
    let name = c.check(
        "name",
        crate::domain::required_text(&name, "a name for the campaign", 120),
    );
    let audience = match audience_kind.as_str() {
        "tag" => c.check(
            "audience_tag",
            crate::domain::Tag::parse(&audience_tag)
                .map(|t| repo::Audience::Tag(t.as_str().to_string()))
                .map_err(|_| "Choose a tag.".to_string()),
        ),
        "pool" => c.check(
            "audience_pool",
            id("pool", &audience_pool)
                .map(repo::Audience::Pool)
                .map_err(|_| "Choose a pool.".to_string()),
        ),
        "segment" => c.check(
            "audience_segment",
            id("segment", &audience_segment)
                .map(repo::Audience::Segment)
                .map_err(|_| "Choose a segment.".to_string()),
        ),
        _ => {
            c.add("audience_kind", "Choose who receives the campaign.");
            None
        }
    };
    let hour = |s: &str, d: u32| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|h| *h <= 24)
            .unwrap_or(d)
    };
    let (start, end) = (hour(&start_hour, 9), hour(&end_hour, 17));
    let window = matches!(use_send_window.as_deref(), Some("on" | "true"));
    let days: Vec<u32> = send_days
        .iter()
        .filter_map(|d| d.parse().ok())
        .filter(|d| (1..=7).contains(d))
        .collect();
    if window && (start >= end || days.is_empty()) {
        c.add(
            "send_window",
            "Choose at least one day, and a start hour before the end hour.",
        );
    }
    let job = if job.is_empty() {
        None
    } else {
        c.check(
            "job",
            id("job", &job)
                .map(|j| key(&j))
                .map_err(|_| "Choose a job.".to_string()),
        )
    };
    c.finish()?;
    let options = CampaignOptions {
        auto_enroll: matches!(auto_enroll.as_deref(), Some("on" | "true")),
        use_send_window: window,
        send_days: if days.is_empty() {
            vec![1, 2, 3, 4, 5]
        } else {
            days
        },
        start_hour: start,
        end_hour: end,
        job_id: job,
        topic: if TOPICS.iter().any(|(t, _)| *t == topic) {
            topic
        } else {
            "campaigns".into()
        },
    };
    let (Some(name), Some(audience)) = (name, audience) else {
        // Checks::finish above returned every problem; nothing is left unchecked here.
        return Err(AppError::Internal);
    };
    repo::save_settings(
        &st.db,
        &id(repo::TABLE, &campaign_id)?,
        &name,
        &audience,
        &options,
    )
    .await
}

#[cfg(feature = "ssr")]
async fn edit_steps(
    campaign_id: &str,
    f: impl FnOnce(&mut Vec<Step>) -> Result<(), AppError>,
) -> Result<(), AppError> {
    require_role(Role::uses_crm).await?;
    let st = state()?;
    let c = load(&st, campaign_id).await?;
    let mut steps = c.steps();
    f(&mut steps)?;
    repo::save_steps(&st.db, &c.id, &steps).await
}

/// Adds a step (`email`, `wait` or `condition`) at the end, or right before step `before`.
#[server]
pub async fn add_step(
    campaign_id: String,
    kind: String,
    #[server(default)] before: String,
) -> Result<(), AppError> {
    let id = format!("s{}", &crate::server::db::new_key()[..8]);
    edit_steps(&campaign_id, |steps| {
        if steps.len() >= 20 {
            return Err(AppError::invalid(
                "kind",
                "A sequence has at most 20 steps.",
            ));
        }
        let at = if before.is_empty() {
            steps.len()
        } else {
            steps
                .iter()
                .position(|s| s.id() == before)
                .ok_or_else(|| AppError::invalid("kind", "That step no longer exists."))?
        };
        steps.insert(
            at,
            match kind.as_str() {
                "email" => Step::Email {
                    id,
                    subject: String::new(),
                    subject_b: None,
                    body: String::new(),
                },
                "wait" => Step::Wait {
                    id,
                    days: 3,
                    until: None,
                },
                "condition" => Step::Condition {
                    id,
                    event: Event::Opened,
                    then: Branch::Continue,
                    otherwise: Branch::Stop,
                },
                _ => {
                    return Err(AppError::invalid(
                        "kind",
                        "Choose email, wait or condition.",
                    ));
                }
            },
        );
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
fn find<'a>(steps: &'a mut [Step], step_id: &str) -> Result<&'a mut Step, AppError> {
    steps
        .iter_mut()
        .find(|s| s.id() == step_id)
        .ok_or_else(|| AppError::invalid("step_id", "That step no longer exists."))
}

#[server]
pub async fn save_email_step(
    campaign_id: String,
    step_id: String,
    subject: String,
    #[server(default)] subject_b: String,
    body: String,
) -> Result<(), AppError> {
    let mut c = crate::error::Checks::new();
    if subject.chars().count() > 200 || subject_b.chars().count() > 200 {
        c.add("subject", "Keep subjects to 200 characters or fewer.");
    }
    if let Err(m) = check_template(&subject) {
        c.add("subject", m);
    }
    if let Err(m) = check_template(&subject_b) {
        c.add("subject_b", m);
    }
    if let Err(m) = check_template(&body) {
        c.add("body", m);
    }
    if body.chars().count() > 50_000 {
        c.add("body", "Keep the message to 50,000 characters or fewer.");
    }
    c.finish()?;
    edit_steps(&campaign_id, |steps| {
        *find(steps, &step_id)? = Step::Email {
            id: step_id.clone(),
            subject: subject.trim().to_string(),
            subject_b: (!subject_b.trim().is_empty()).then(|| subject_b.trim().to_string()),
            body: body.replace("\r\n", "\n").trim().to_string(),
        };
        Ok(())
    })
    .await
}

#[server]
pub async fn save_wait_step(
    campaign_id: String,
    step_id: String,
    days: String,
    #[server(default)] until: String,
) -> Result<(), AppError> {
    let days_n = days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=365).contains(d));
    let until = until.trim().to_string();
    if !until.is_empty() && chrono::NaiveDate::parse_from_str(&until, "%Y-%m-%d").is_err() {
        return Err(AppError::invalid("until", "Enter the date as 2027-01-31."));
    }
    if until.is_empty() && days_n.is_none() {
        return Err(AppError::invalid(
            "days",
            "Wait between 1 and 365 days, or choose a date.",
        ));
    }
    edit_steps(&campaign_id, |steps| {
        *find(steps, &step_id)? = Step::Wait {
            id: step_id.clone(),
            days: days_n.unwrap_or(1),
            until: (!until.is_empty()).then_some(until),
        };
        Ok(())
    })
    .await
}

#[server]
pub async fn save_condition_step(
    campaign_id: String,
    step_id: String,
    event: String,
    then: String,
    otherwise: String,
) -> Result<(), AppError> {
    let event =
        Event::parse(&event).ok_or_else(|| AppError::invalid("event", "Choose what to check."))?;
    edit_steps(&campaign_id, |steps| {
        *find(steps, &step_id)? = Step::Condition {
            id: step_id.clone(),
            event,
            then: Branch::parse(&then),
            otherwise: Branch::parse(&otherwise),
        };
        Ok(())
    })
    .await
}

/// `op`: `up`, `down`, `remove`, or `to:STEP` (dragged onto step STEP: it takes that step's
/// place, which moves one along towards where the dragged step was).
#[server]
pub async fn change_step(campaign_id: String, step_id: String, op: String) -> Result<(), AppError> {
    edit_steps(&campaign_id, |steps| {
        let i = steps
            .iter()
            .position(|s| s.id() == step_id)
            .ok_or_else(|| AppError::invalid("step_id", "That step no longer exists."))?;
        if let Some(target) = op.strip_prefix("to:") {
            let j = steps
                .iter()
                .position(|s| s.id() == target)
                .ok_or_else(|| AppError::invalid("step_id", "That step no longer exists."))?;
            let s = steps.remove(i);
            steps.insert(j, s);
            return Ok(());
        }
        match op.as_str() {
            "up" if i > 0 => steps.swap(i, i - 1),
            "down" if i + 1 < steps.len() => steps.swap(i, i + 1),
            "remove" => {
                steps.remove(i);
                // Conditions that jumped to the removed step continue instead.
                for s in steps.iter_mut() {
                    if let Step::Condition {
                        then, otherwise, ..
                    } = s
                    {
                        for b in [then, otherwise] {
                            if *b == Branch::Goto(step_id.clone()) {
                                *b = Branch::Continue;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    })
    .await
}

/// The global frequency cap: nobody gets more than one campaign email in this many days.
#[server]
pub async fn set_frequency_cap(days: String) -> Result<(), AppError> {
    require_role(Role::uses_crm).await?;
    let d = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (0..=90).contains(d))
        .ok_or_else(|| {
            AppError::invalid("days", "Enter a number of days from 0 (no cap) to 90.")
        })?;
    repo::set_frequency_cap_days(&state()?.db, d).await
}

#[cfg(feature = "ssr")]
fn person_from_token(st: &AppState, token: &str) -> Result<RecordId, AppError> {
    let subject = st
        .keys
        .verify(token, "unsub", now_unix())
        .map_err(|_| AppError::invalid("token", "This unsubscribe link is not valid."))?;
    id("person", &subject)
}

/// What the unsubscribe page shows for a link.
#[server]
pub async fn get_unsubscribe_info(token: String) -> Result<UnsubscribeInfo, AppError> {
    let st = state()?;
    let person = person_from_token(&st, &token)?;
    let p = repo::unsub_person(&st.db, &person)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(UnsubscribeInfo {
        email_hint: email_hint(&p.email),
        already: p.unsubscribed_at.is_some(),
        topics: p.unsubscribed_topics,
    })
}

/// Unsubscribes the person named by a signed link from all campaign email.
#[server]
pub async fn unsubscribe(token: String) -> Result<(), AppError> {
    let st = state()?;
    let person = person_from_token(&st, &token)?;
    repo::unsubscribe(&st.db, &person, "unsubscribe page").await?;
    Ok(())
}

/// Keeps only some topics (`keep[]`): the others are unsubscribed.
#[server]
pub async fn save_topics(
    token: String,
    #[server(default)] keep: Vec<String>,
) -> Result<(), AppError> {
    let st = state()?;
    let person = person_from_token(&st, &token)?;
    let off: Vec<String> = TOPICS
        .iter()
        .map(|(t, _)| t.to_string())
        .filter(|t| !keep.contains(t))
        .collect();
    repo::set_topics(&st.db, &person, &off).await?;
    crate::server::http::back_with_done("topics", &format!("/unsubscribe?token={token}"));
    Ok(())
}

/// `POST /unsubscribe?token=…` with `List-Unsubscribe=One-Click` (RFC 8058): mail clients call
/// this directly, without a page.
#[cfg(feature = "ssr")]
pub async fn one_click_unsubscribe(
    axum::extract::State(st): axum::extract::State<AppState>,
    axum::extract::Query(q): axum::extract::Query<crate::portal::links::TokenQuery>,
) -> Result<&'static str, AppError> {
    let invalid = || AppError::Request("This unsubscribe link is not valid.".into());
    let token = q.token.unwrap_or_default();
    let subject = st
        .keys
        .verify(&token, "unsub", now_unix())
        .map_err(|_| invalid())?;
    let person = id("person", &subject).map_err(|_| invalid())?;
    repo::unsubscribe(&st.db, &person, "one-click").await?;
    Ok("You are unsubscribed.")
}

/// Staff mark a person as having replied (from the CRM panel of their profile).
#[server]
pub async fn mark_replied(person_id: String) -> Result<bool, AppError> {
    let user = require_role(Role::uses_crm).await?;
    let st = state()?;
    crate::campaigns::engine::mark_replied(&st, &id("person", &person_id)?, &Actor::staff(&user))
        .await
}

/// The CRM report (pool growth, engagement, what campaigns led to) for the people who use the
/// CRM.
#[server]
pub async fn get_crm_report() -> Result<CrmReport, AppError> {
    crate::auth::guard::require_role(crate::auth::types::Role::uses_crm).await?;
    let st = crate::server::state()?;
    super::crm_report::report(&st.db, chrono::Utc::now()).await
}
