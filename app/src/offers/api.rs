//! Offer server functions: staff make, revise and withdraw offers (the approval chain is the
//! requisition approvals'); the candidate reads, accepts or declines theirs in the portal.
//! Salaries never reach interviewers: every staff call goes through the application's board
//! check (recruiters, admins, the job's hiring manager).

// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{notify, repo},
    crate::auth::guard,
    crate::error::Checks,
    crate::interviews::access::application_for,
    crate::server::activity::Actor,
    crate::server::db::{id, key},
    crate::server::{AppState, state},
    surrealdb::types::RecordId,
};

#[cfg(feature = "ssr")]
fn view_of(o: &repo::OfferRow, steps: Vec<crate::approvals::types::ApprovalStep>) -> OfferView {
    OfferView {
        id: key(&o.id),
        version: o.version,
        status: o.status(),
        summary: o.summary(),
        base_salary: o.base_salary,
        currency: o.currency.clone(),
        period: o.period.clone(),
        bonus: o.bonus.clone().unwrap_or_default(),
        equity: o.equity.clone().unwrap_or_default(),
        start_date: o.start_date.clone(),
        letter: o.letter.clone(),
        steps,
        created_at: o.created_at.to_rfc3339(),
        sent_at: o.sent_at.map(|d| d.to_rfc3339()),
        responded_at: o.responded_at.map(|d| d.to_rfc3339()),
        accepted_name: o.accepted_name.clone(),
        accepted_ip: o.accepted_ip.clone(),
        decline_reason: o.decline_reason.clone(),
        withdraw_reason: o.withdraw_reason.clone(),
    }
}

/// The job's Hired stage id.
#[cfg(feature = "ssr")]
fn hired_stage(job: &crate::jobs::repo::JobRow) -> Option<String> {
    job.stages()
        .into_iter()
        .find(|s| s.kind == crate::jobs::types::StageKind::Hired)
        .map(|s| s.id)
}

/// Whether a card in `stage` is where offers are made: a stage named like "Offer", or else the
/// last active stage before Hired.
#[cfg(feature = "ssr")]
fn at_offer_stage(stage: &str, stages: &[crate::jobs::types::Stage]) -> bool {
    use crate::jobs::types::StageKind;
    let Some(here) = stages.iter().position(|s| s.id == stage) else {
        return false;
    };
    if stages
        .iter()
        .any(|s| s.name.to_lowercase().contains("offer"))
    {
        return stages[here].name.to_lowercase().contains("offer");
    }
    stages[here].kind == StageKind::Active
        && stages
            .get(here + 1)
            .is_some_and(|s| s.kind == StageKind::Hired)
}

/// The offer card of an application: every version, the approvers to choose from, the form's
/// starting values, and, once the job is filled, who is still in process.
#[server]
pub async fn application_offer(application_id: String) -> Result<ApplicationOffers, AppError> {
    let (user, ctx) = application_for(&application_id).await?;
    crate::audit::record_read(
        "application_offer",
        vec![
            format!("application:{}", key(&ctx.id)),
            format!("person:{}", key(&ctx.person)),
        ],
    )
    .await?;
    let db = &state()?.db;
    let job = crate::jobs::repo::get(db, &ctx.job)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut versions = Vec::new();
    let rows = repo::of_application(db, &ctx.id).await?;
    for o in &rows {
        let steps = crate::approvals::repo::offer_round(db, &o.id)
            .await?
            .iter()
            .map(|s| s.to_step())
            .collect();
        versions.push(view_of(o, steps));
    }
    let me = RecordId::new("staff", user.id.as_str());
    let approvers = crate::jobs::repo::hiring_manager_options(db)
        .await?
        .into_iter()
        .filter(|s| s.id != user.id)
        .map(|s| ApproverChoice {
            checked: job.approvers.iter().any(|a| key(a) == s.id) && s.id != key(&me),
            id: s.id,
            name: s.name,
        })
        .collect();
    let draft = match rows.first() {
        Some(o) => OfferDraft {
            base_salary: o.base_salary.to_string(),
            currency: o.currency.clone(),
            period: o.period.clone(),
            bonus: o.bonus.clone().unwrap_or_default(),
            equity: o.equity.clone().unwrap_or_default(),
            start_date: o.start_date.clone(),
            letter: o.template.clone(),
        },
        None => OfferDraft {
            base_salary: job
                .salary_min
                .zip(job.salary_max)
                .map(|(a, b)| (a + b) / 2)
                .or(job.salary_min)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            currency: job.salary_currency.clone().unwrap_or_else(|| "EUR".into()),
            period: job.salary_period.clone().unwrap_or_else(|| "YEAR".into()),
            bonus: String::new(),
            equity: String::new(),
            start_date: job
                .target_start
                .filter(|d| *d > chrono::Utc::now())
                .unwrap_or_else(|| chrono::Utc::now() + chrono::Duration::days(30))
                .format("%Y-%m-%d")
                .to_string(),
            letter: DEFAULT_LETTER.into(),
        },
    };
    let filled = match hired_stage(&job) {
        Some(h) => {
            let (hires, open) = repo::headcount_state(db, &job.id, &h).await?;
            (hires >= job.headcount).then(|| {
                let names = job.stages();
                (
                    hires,
                    job.headcount,
                    open.into_iter()
                        .map(|(id, name, stage)| StillOpen {
                            application_id: key(&id),
                            name,
                            stage: names
                                .iter()
                                .find(|s| s.id == stage)
                                .map(|s| s.name.clone())
                                .unwrap_or(stage),
                        })
                        .collect(),
                )
            })
        }
        None => None,
    };
    let at_offer_stage = at_offer_stage(&ctx.stage, &job.stages());
    Ok(ApplicationOffers {
        application_id: key(&ctx.id),
        job_id: key(&ctx.job),
        person_name: ctx.person_name(),
        can_manage: user.role.manages_jobs(),
        versions,
        approvers,
        draft,
        filled,
        at_offer_stage,
    })
}

/// Makes an offer, or a new version of it (the previous one is superseded), and sends it to its
/// approval chain. Recruiters and admins only; never approved by whoever makes it.
#[server]
pub async fn make_offer(
    application_id: String,
    base_salary: String,
    currency: String,
    period: String,
    #[server(default)] bonus: String,
    #[server(default)] equity: String,
    start_date: String,
    letter: String,
    #[server(default)] approvers: Vec<String>,
) -> Result<(), AppError> {
    // The role first: a caller who may not make offers learns nothing about applications.
    guard::require_role(crate::auth::types::Role::manages_jobs).await?;
    let (user, ctx) = application_for(&application_id).await?;
    let st = state()?;
    let form = OfferForm {
        base_salary,
        currency,
        period,
        bonus,
        equity,
        start_date,
        letter,
        approvers,
    };
    let input = OfferInput::parse(&form, chrono::Utc::now().date_naive()).map_err(|errors| {
        let mut checks = Checks::default();
        for (f, m) in errors {
            checks.add(&f, m);
        }
        checks.finish().err().unwrap_or(AppError::Internal)
    })?;
    // Every approver must be an active member who may approve.
    let allowed: Vec<String> = crate::jobs::repo::hiring_manager_options(&st.db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if input.approvers.iter().any(|a| !allowed.contains(a)) {
        return Err(AppError::invalid(
            "approvers",
            "Choose approvers among active hiring managers, recruiters and admins.",
        ));
    }
    let manager = match &ctx.hiring_manager {
        Some(m) => {
            let mut r = st
                .db
                .query("SELECT VALUE name FROM ONLY $m")
                .bind(("m", m.clone()))
                .await?;
            let name: Option<String> = r.take(0)?;
            name.unwrap_or_default()
        }
        None => String::new(),
    };
    let values = input.letter_values(
        &ctx.person_name(),
        &ctx.job_title,
        &st.config.company_name,
        &manager,
    );
    let letter = render_letter(&input.letter, &values);
    let to = repo::OfferFor {
        application: ctx.id.clone(),
        job: ctx.job.clone(),
        person: ctx.person.clone(),
    };
    let (_, first) = repo::create(&st.db, &to, &input, letter, &Actor::staff(&user)).await?;
    crate::approvals::notify::notify_approver(&st, &first).await
}

/// Withdraws an open offer, with a reason (the candidate hears when it had reached them).
#[server]
pub async fn withdraw_offer(offer_id: String, reason: String) -> Result<(), AppError> {
    let st = state()?;
    let (user, o) = staff_offer(&st, &offer_id).await?;
    let reason = reason.trim().to_string();
    if reason.chars().count() < 3 {
        return Err(AppError::invalid("reason", "Say why you withdraw it."));
    }
    if reason.chars().count() > 2000 {
        return Err(AppError::invalid(
            "reason",
            "Keep the reason under 2,000 characters.",
        ));
    }
    repo::withdraw(&st.db, &o, &reason, &Actor::staff(&user)).await?;
    notify::withdrawn(&st, &o).await
}

/// An offer a recruiter or admin may change (its application's board check, then the role).
#[cfg(feature = "ssr")]
async fn staff_offer(
    st: &AppState,
    offer_id: &str,
) -> Result<(crate::auth::types::StaffUser, repo::OfferRow), AppError> {
    let user = guard::require_role(crate::auth::types::Role::manages_jobs).await?;
    let o = repo::get(&st.db, &id("offer", offer_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((user, o))
}

/// The signed-in candidate's own offer (never one that is still waiting for approval).
#[cfg(feature = "ssr")]
async fn candidate_offer(st: &AppState, offer_id: &str) -> Result<repo::OfferRow, AppError> {
    let person = guard::require_candidate().await?;
    repo::get(&st.db, &id("offer", offer_id)?)
        .await?
        .filter(|o| o.person == person && o.sent_at.is_some())
        .ok_or(AppError::NotFound)
}

/// The offer letter and terms, for the candidate.
#[server]
pub async fn portal_offer(offer_id: String) -> Result<CandidateOffer, AppError> {
    let st = state()?;
    let o = candidate_offer(&st, &offer_id).await?;
    Ok(CandidateOffer {
        id: key(&o.id),
        job_title: o.job_title.clone(),
        company: st.config.company_name.clone(),
        status: o.status(),
        summary: o.summary(),
        letter: o.letter.clone(),
        sent_at: o.sent_at.map(|d| d.to_rfc3339()),
        responded_at: o.responded_at.map(|d| d.to_rfc3339()),
        accepted_name: o.accepted_name.clone(),
        decline_reason: o.decline_reason.clone(),
        full_name: o.full_name(),
    })
}

/// Accepts the offer: the typed full name is the signature; the time and address are kept.
/// The application moves to Hired, the job closes when its headcount is filled, and onboarding
/// hears about the new hire.
#[server]
pub async fn accept_offer(offer_id: String, full_name: String) -> Result<(), AppError> {
    let st = state()?;
    let o = candidate_offer(&st, &offer_id).await?;
    if !signature_matches(&full_name, &o.full_name()) {
        return Err(AppError::invalid(
            "full_name",
            format!(
                "Type your full name as it appears on the offer: {}.",
                o.full_name()
            ),
        ));
    }
    if o.status() != OfferStatus::Sent {
        return Err(AppError::Conflict(
            "This offer is no longer open for an answer.".into(),
        ));
    }
    let ip = crate::server::request_ip(&st)?;
    repo::respond(&st.db, &o, true, full_name.trim(), &ip).await?;
    let filled = to_hired(&st, &o).await?;
    let o = repo::get(&st.db, &o.id).await?.ok_or(AppError::NotFound)?;
    notify::accepted(&st, &o, filled).await
}

/// Moves the accepted candidate's card to Hired; closes the job when that fills its headcount.
/// Returns (hires, candidates still in process) when the job is now filled.
#[cfg(feature = "ssr")]
async fn to_hired(st: &AppState, o: &repo::OfferRow) -> Result<Option<(i64, usize)>, AppError> {
    let db = &st.db;
    let job = crate::jobs::repo::get(db, &o.job)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(hired) = hired_stage(&job) else {
        return Ok(None);
    };
    let mut r = db
        .query("SELECT VALUE stage FROM ONLY $app")
        .bind(("app", o.application.clone()))
        .await?;
    let current: Option<String> = r.take(0)?;
    let current = current.ok_or(AppError::NotFound)?;
    let actor = Actor::candidate();
    if current != hired {
        crate::pipeline::repo::move_card(db, &job, &o.application, &current, &hired, &actor)
            .await?;
    }
    let (hires, open) = repo::headcount_state(db, &job.id, &hired).await?;
    if hires < job.headcount {
        return Ok(None);
    }
    if job.status() == crate::jobs::types::JobStatus::Open {
        crate::jobs::repo::set_status(
            db,
            &job.id,
            crate::jobs::types::JobStatus::Closed,
            &Actor::system(),
        )
        .await?;
    }
    Ok(Some((hires, open.len())))
}

/// Declines the offer, with a reason the recruiter reads.
#[server]
pub async fn decline_offer(offer_id: String, reason: String) -> Result<(), AppError> {
    let st = state()?;
    let o = candidate_offer(&st, &offer_id).await?;
    let reason = reason.trim().to_string();
    if reason.chars().count() < 3 {
        return Err(AppError::invalid(
            "reason",
            "Tell us why, in a few words: it helps us.",
        ));
    }
    if reason.chars().count() > 2000 {
        return Err(AppError::invalid(
            "reason",
            "Keep it under 2,000 characters.",
        ));
    }
    repo::respond(&st.db, &o, false, &reason, "").await?;
    notify::declined(&st, &o, &reason).await
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::at_offer_stage;
    use crate::jobs::types::{Stage, StageKind};

    fn stages(names: &[(&str, StageKind)]) -> Vec<Stage> {
        names
            .iter()
            .map(|(n, k)| Stage {
                id: n.to_lowercase(),
                name: n.to_string(),
                kind: *k,
            })
            .collect()
    }

    #[test]
    fn the_offer_stage_is_named_offer_or_else_the_last_before_hired() {
        use StageKind::*;
        let named = stages(&[
            ("Applied", Active),
            ("Offer", Active),
            ("Reference", Active),
            ("Hired", Hired),
        ]);
        assert!(at_offer_stage("offer", &named));
        assert!(!at_offer_stage("reference", &named));
        assert!(!at_offer_stage("applied", &named));
        let plain = stages(&[("Applied", Active), ("Onsite", Active), ("Hired", Hired)]);
        assert!(at_offer_stage("onsite", &plain));
        assert!(!at_offer_stage("applied", &plain));
        assert!(!at_offer_stage("hired", &plain));
        assert!(!at_offer_stage("gone", &plain));
    }
}
