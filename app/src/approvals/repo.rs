//! Approval rounds in the database.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::jobs::repo::JobRow;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, new_key, write_guarded};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
pub struct StepRow {
    pub id: RecordId,
    pub job: RecordId,
    pub job_title: String,
    pub round: i64,
    pub position: i64,
    pub approver: RecordId,
    pub approver_name: String,
    pub approver_email: String,
    pub status: String,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_via: Option<String>,
    pub requested_by: String,
    /// Who asked (steps from before this was recorded have none).
    pub requester: Option<RecordId>,
    /// The offer this step approves; `None` for a requisition.
    pub offer: Option<RecordId>,
}

const STEP_FIELDS: &str = "id, job, job.title AS job_title, round, position, approver,
    approver.name AS approver_name, approver.email AS approver_email, status, reason, decided_at,
    decided_via, requested_by, requester, offer";

impl StepRow {
    pub fn to_step(&self) -> ApprovalStep {
        ApprovalStep {
            id: key(&self.id),
            position: self.position,
            approver_id: key(&self.approver),
            approver_name: self.approver_name.clone(),
            status: self.status.clone(),
            reason: self.reason.clone(),
            decided_at: self.decided_at.map(|d| d.to_rfc3339()),
            decided_via: self.decided_via.clone(),
        }
    }
}

/// A new approval step (bind a list as `$steps`, `INSERT INTO approval $steps`).
#[derive(Debug, Clone, SurrealValue)]
pub struct NewStep {
    pub id: RecordId,
    job: RecordId,
    offer: Option<RecordId>,
    round: i64,
    position: i64,
    approver: RecordId,
    status: String,
    requested_by: String,
    requester: Option<RecordId>,
}

/// The steps of a new round, in chain order: the first approver's is pending, the others wait
/// their turn. Refuses an empty chain and a chain that holds whoever asks (an approval is
/// someone else's agreement).
pub fn new_round(
    job: &RecordId,
    offer: Option<&RecordId>,
    round: i64,
    approvers: &[RecordId],
    actor: &Actor,
) -> AppResult<Vec<NewStep>> {
    if approvers.is_empty() {
        return Err(AppError::invalid(
            "approvers",
            "Choose at least one approver first.",
        ));
    }
    if actor.id.as_ref().is_some_and(|me| approvers.contains(me)) {
        return Err(AppError::invalid(
            "approvers",
            "You cannot approve your own request. Choose approvers other than yourself.",
        ));
    }
    Ok(approvers
        .iter()
        .enumerate()
        .map(|(i, a)| NewStep {
            id: RecordId::new("approval", new_key()),
            job: job.clone(),
            offer: offer.cloned(),
            round,
            position: i as i64,
            approver: a.clone(),
            status: if i == 0 {
                "pending".into()
            } else {
                "waiting".into()
            },
            requested_by: actor.label.clone(),
            requester: actor.id.clone(),
        })
        .collect())
}

pub async fn step(db: &Db, id: &RecordId) -> AppResult<Option<StepRow>> {
    let mut r = db
        .query(format!("SELECT {STEP_FIELDS} FROM ONLY $id"))
        .bind(("id", id.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// The steps of the job's latest requisition round, in chain order.
pub async fn latest_round(db: &Db, job: &RecordId) -> AppResult<Vec<StepRow>> {
    let mut r = db
        .query(format!(
            "LET $round = math::max(SELECT VALUE round FROM approval WHERE job = $job AND offer = NONE) ?? 0;
             SELECT {STEP_FIELDS} FROM approval WHERE job = $job AND offer = NONE AND round = $round ORDER BY position;"
        ))
        .bind(("job", job.clone()))
        .await?;
    Ok(r.take(1)?)
}

/// The steps of an offer's approval chain (one round per offer version), in chain order.
pub async fn offer_round(db: &Db, offer: &RecordId) -> AppResult<Vec<StepRow>> {
    let mut r = db
        .query(format!(
            "SELECT {STEP_FIELDS} FROM approval WHERE offer = $offer ORDER BY position"
        ))
        .bind(("offer", offer.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// The round a step belongs to (its requisition round, or its offer's chain).
async fn round_of(db: &Db, s: &StepRow) -> AppResult<Vec<StepRow>> {
    match &s.offer {
        Some(o) => offer_round(db, o).await,
        None => latest_round(db, &s.job).await,
    }
}

/// Starts a new round: the first approver's step is pending, the others wait their turn.
/// Returns the pending step. Whoever asks cannot be one of the approvers: an approval is
/// someone else's agreement.
pub async fn request(db: &Db, job: &JobRow, actor: &Actor) -> AppResult<RecordId> {
    let previous = latest_round(db, &job.id).await?;
    let round = previous.first().map(|s| s.round).unwrap_or(0) + 1;
    let steps = new_round(&job.id, None, round, &job.approvers, actor)?;
    let first = steps[0].id.clone();
    let mut r = db
        .query("SELECT VALUE name FROM $ids")
        .bind(("ids", job.approvers.clone()))
        .await?;
    let names: Vec<String> = r.take(0)?;
    let activity = NewActivity::new(
        actor,
        "approval_requested",
        format!("Requested approval from {}", names.join(", then ")),
    )
    .job(&job.id);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $job SET approval_status = 'pending'
                WHERE approval_status IN ['not_requested', 'rejected'] AND status = 'draft' RETURN VALUE id;
             IF array::len($done) = 0 { THROW 'not_requestable' };
             INSERT INTO approval $steps RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("job", job.id.clone()))
        .bind(("steps", steps))
        .bind(("activity", activity)),
        &[(
            "not_requestable",
            AppError::Conflict(
                "Approval can be requested for draft jobs that are not already waiting or approved.".into(),
            ),
        )],
    )
    .await?;
    Ok(first)
}

/// What a decision led to.
#[derive(Debug, Clone)]
pub struct Decided {
    pub step: StepRow,
    /// The next approver's step, now pending.
    pub next: Option<RecordId>,
    /// Set when the round ended (approved by everyone, or rejected).
    pub outcome: Option<ApprovalStatus>,
}

/// Records one approver's decision; only a pending step can be decided (so links are
/// single-use). Rejections need a reason.
pub async fn decide(
    db: &Db,
    id: &RecordId,
    approve: bool,
    reason: Option<String>,
    via: &str,
    actor: &Actor,
) -> AppResult<Decided> {
    let reason = reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(AppError::invalid("reason", "Say why you reject this."));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::invalid(
            "reason",
            "Keep the reason to 1,000 characters or fewer.",
        ));
    }
    let mut step_row = step(db, id).await?.ok_or(AppError::NotFound)?;
    // Never one's own request, whichever way the decision comes in.
    if step_row.requester.as_ref() == Some(&step_row.approver)
        || (actor.id.is_some() && step_row.requester.is_some() && actor.id == step_row.requester)
    {
        return Err(AppError::Forbidden);
    }
    if step_row.status != "pending" {
        return Err(AppError::Conflict(already_decided(&step_row)));
    }
    let mut r = db
        .query(
            "SELECT VALUE id FROM approval
                WHERE job = $job AND offer = $offer AND round = $round AND position = $pos",
        )
        .bind(("job", step_row.job.clone()))
        .bind(("offer", step_row.offer.clone()))
        .bind(("round", step_row.round))
        .bind(("pos", step_row.position + 1))
        .await?;
    let next: Option<RecordId> = r.take(0)?;
    let of = round_of(db, &step_row).await?.len();
    let summary = if approve {
        format!(
            "Approved by {} ({} of {of})",
            step_row.approver_name,
            step_row.position + 1
        )
    } else {
        format!(
            "Rejected by {}: {}",
            step_row.approver_name,
            reason.clone().unwrap_or_default()
        )
    };
    let activity = NewActivity::new(
        actor,
        if approve {
            "approval_approved"
        } else {
            "approval_rejected"
        },
        summary,
    )
    .job(&step_row.job);
    // A requisition's outcome is the job's approval status; an offer's is the offer's status
    // (approved offers go to the candidate at once) plus a task that tells whoever must know.
    let (follow_up, outcome) = match (approve, &next, step_row.offer.is_some()) {
        (true, Some(_), _) => ("UPDATE $next SET status = 'pending' RETURN NONE;", None),
        (true, None, false) => (
            "UPDATE $job SET approval_status = 'approved' RETURN NONE;",
            Some(ApprovalStatus::Approved),
        ),
        (true, None, true) => (
            "LET $sent = UPDATE $offer SET status = 'sent', sent_at = time::now()
                WHERE status = 'pending_approval' RETURN VALUE id;
             IF array::len($sent) = 0 { THROW 'offer_closed' };
             CREATE task CONTENT $task RETURN NONE;",
            Some(ApprovalStatus::Approved),
        ),
        (false, _, false) => (
            "UPDATE approval SET status = 'cancelled'
                WHERE job = $job AND offer = NONE AND round = $round AND status = 'waiting' RETURN NONE;
             UPDATE $job SET approval_status = 'rejected' RETURN NONE;",
            Some(ApprovalStatus::Rejected),
        ),
        (false, _, true) => (
            "UPDATE approval SET status = 'cancelled' WHERE offer = $offer AND status = 'waiting' RETURN NONE;
             LET $done = UPDATE $offer SET status = 'rejected' WHERE status = 'pending_approval' RETURN VALUE id;
             IF array::len($done) = 0 { THROW 'offer_closed' };
             CREATE task CONTENT $task RETURN NONE;",
            Some(ApprovalStatus::Rejected),
        ),
    };
    let task = step_row.offer.as_ref().map(|o| {
        crate::server::tasks::NewTask::of(&OfferDecided {
            offer: key(o),
            approved: approve,
            step: key(id),
        })
    });
    write_guarded(
        db.query(format!(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $id SET status = $status, reason = $reason, decided_at = time::now(),
                decided_via = $via WHERE status = 'pending' RETURN VALUE id;
             IF array::len($done) = 0 {{ THROW 'not_pending' }};
             {follow_up}
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;"
        ))
        .bind(("id", id.clone()))
        .bind(("status", if approve { "approved" } else { "rejected" }))
        .bind(("reason", reason.clone()))
        .bind(("via", via.to_string()))
        .bind(("next", next.clone()))
        .bind(("job", step_row.job.clone()))
        .bind(("offer", step_row.offer.clone()))
        .bind(("task", task))
        .bind(("round", step_row.round))
        .bind(("activity", activity)),
        &[
            ("not_pending", AppError::Conflict("This approval step was decided a moment ago.".into())),
            ("offer_closed", AppError::Conflict("This offer was withdrawn or revised meanwhile.".into())),
        ],
    )
    .await?;
    step_row.status = if approve {
        "approved".into()
    } else {
        "rejected".into()
    };
    step_row.reason = reason;
    step_row.decided_via = Some(via.to_string());
    Ok(Decided {
        step: step_row,
        next: if approve { next } else { None },
        outcome,
    })
}

/// An offer's approval chain ended (every approver approved, or one rejected): the offers
/// feature handles this task (the candidate gets the offer, the recruiter hears the outcome).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OfferDecided {
    pub offer: String,
    pub approved: bool,
    /// The step that ended the chain.
    pub step: String,
}

impl crate::server::tasks::Task for OfferDecided {
    const KIND: &'static str = "offer_decided";
}

fn already_decided(s: &StepRow) -> String {
    let what = if s.offer.is_some() {
        "offer"
    } else {
        "requisition"
    };
    match s.status.as_str() {
        "approved" => format!("{} already approved this {what}.", s.approver_name),
        "rejected" => format!("{} already rejected this {what}.", s.approver_name),
        "cancelled" => "This approval request was withdrawn or ended by another approver.".into(),
        _ => "It is not this approver's turn yet.".into(),
    }
}

/// Pending decisions for one approver.
pub async fn inbox(db: &Db, approver: &RecordId) -> AppResult<Vec<StepRow>> {
    let mut r = db
        .query(format!(
            "SELECT {STEP_FIELDS} FROM approval WHERE approver = $a AND status = 'pending' ORDER BY created_at"
        ))
        .bind(("a", approver.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// Ends a pending round (when the requisition is changed or withdrawn).
pub async fn withdraw(db: &Db, job: &RecordId, actor: &Actor) -> AppResult<()> {
    let activity =
        NewActivity::new(actor, "approval_withdrawn", "Withdrew the approval request").job(job);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $job SET approval_status = 'not_requested'
                WHERE approval_status IN ['pending', 'approved'] AND status = 'draft' RETURN VALUE id;
             IF array::len($done) = 0 { THROW 'not_pending' };
             UPDATE approval SET status = 'cancelled' WHERE job = $job AND offer = NONE AND status IN ['pending', 'waiting'] RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("job", job.clone()))
        .bind(("activity", activity)),
        &[("not_pending", AppError::Conflict("There is no open approval request on this draft.".into()))],
    )
    .await?;
    Ok(())
}

/// What an approver needs to know about an offer.
#[derive(Debug, Clone, SurrealValue)]
pub struct OfferFacts {
    pub application: RecordId,
    pub person_name: String,
    pub job_title: String,
    pub base_salary: i64,
    pub currency: String,
    pub period: String,
    pub bonus: Option<String>,
    pub equity: Option<String>,
    pub start_date: String,
    pub version: i64,
}

impl OfferFacts {
    pub fn summary(&self) -> String {
        offer_summary(
            self.base_salary,
            &self.currency,
            &self.period,
            self.bonus.as_deref(),
            self.equity.as_deref(),
            &self.start_date,
        )
    }
}

pub async fn offer_facts(db: &Db, offer: &RecordId) -> AppResult<Option<OfferFacts>> {
    let mut r = db
        .query(
            "SELECT application, string::concat(person.first_name, ' ', person.last_name) AS person_name,
                job.title AS job_title, base_salary,
                currency, period, bonus, equity, start_date, version FROM ONLY $offer",
        )
        .bind(("offer", offer.clone()))
        .await?;
    Ok(r.take(0)?)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct JobFacts {
    pub title: String,
    pub headcount: i64,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<String>,
    pub target_start: Option<chrono::DateTime<chrono::Utc>>,
    pub owner_email: Option<String>,
    pub owner_name: Option<String>,
}

/// What an approver needs to know about a requisition.
pub async fn job_facts(db: &Db, job: &RecordId) -> AppResult<Option<JobFacts>> {
    let mut r = db
        .query(
            "SELECT title, headcount, salary_min, salary_max, salary_currency, salary_period, target_start,
                owner.email AS owner_email, owner.name AS owner_name FROM ONLY $job",
        )
        .bind(("job", job.clone()))
        .await?;
    Ok(r.take(0)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::types::Role;
    use crate::jobs::types::{JobForm, JobInput, JobStatus};
    use crate::testing;

    async fn setup() -> (crate::server::AppState, RecordId, RecordId, RecordId) {
        let st = testing::state().await;
        let a = crate::auth::repo::create_staff(
            &st.db,
            "a@acme.test",
            "Ann Approver",
            Role::HiringManager,
            "x",
        )
        .await
        .unwrap();
        let b =
            crate::auth::repo::create_staff(&st.db, "b@acme.test", "Bob Boss", Role::Admin, "x")
                .await
                .unwrap();
        let input = JobInput::parse(&JobForm {
            title: "Platform engineer".into(),
            location: "Berlin, Germany".into(),
            employment_type: "full_time".into(),
            description: "Run the platform.".into(),
            headcount: "2".into(),
            salary_min: "70000".into(),
            salary_max: "90000".into(),
            approvers: vec![key(&a), key(&b)],
            ..Default::default()
        })
        .unwrap();
        let job = crate::jobs::repo::create(&st.db, &input, &testing::recruiter())
            .await
            .unwrap();
        (st, job, a, b)
    }

    async fn job(st: &crate::server::AppState, id: &RecordId) -> JobRow {
        crate::jobs::repo::get(&st.db, id).await.unwrap().unwrap()
    }

    fn as_staff(id: &RecordId, name: &str) -> Actor {
        Actor {
            id: Some(id.clone()),
            label: name.into(),
        }
    }

    #[tokio::test]
    async fn a_chain_approves_in_order_and_only_then_the_job_can_be_published() {
        let (st, job_id, a, b) = setup().await;
        let publish =
            crate::jobs::repo::set_status(&st.db, &job_id, JobStatus::Open, &testing::recruiter())
                .await;
        assert!(
            matches!(publish, Err(AppError::Conflict(_))),
            "not before approval"
        );

        let first = request(&st.db, &job(&st, &job_id).await, &testing::recruiter())
            .await
            .unwrap();
        let steps = latest_round(&st.db, &job_id).await.unwrap();
        assert_eq!(
            steps.iter().map(|s| s.status.as_str()).collect::<Vec<_>>(),
            ["pending", "waiting"]
        );
        assert_eq!(
            job(&st, &job_id).await.approval_status(),
            ApprovalStatus::Pending
        );
        let again = request(&st.db, &job(&st, &job_id).await, &testing::recruiter()).await;
        assert!(
            matches!(again, Err(AppError::Conflict(_))),
            "one round at a time"
        );

        let d = decide(
            &st.db,
            &first,
            true,
            None,
            "app",
            &as_staff(&a, "Ann Approver"),
        )
        .await
        .unwrap();
        let second = d.next.clone().expect("the next approver is asked");
        assert_eq!(d.outcome, None);
        // Single use: the same step cannot be decided again.
        let twice = decide(
            &st.db,
            &first,
            false,
            Some("changed my mind".into()),
            "link",
            &as_staff(&a, "Ann"),
        )
        .await;
        assert!(matches!(twice, Err(AppError::Conflict(_))));

        let d = decide(
            &st.db,
            &second,
            true,
            None,
            "link",
            &as_staff(&b, "Bob Boss"),
        )
        .await
        .unwrap();
        assert_eq!(d.outcome, Some(ApprovalStatus::Approved));
        assert_eq!(
            job(&st, &job_id).await.approval_status(),
            ApprovalStatus::Approved
        );
        crate::jobs::repo::set_status(&st.db, &job_id, JobStatus::Open, &testing::recruiter())
            .await
            .unwrap();

        let log = crate::jobs::repo::activity(&st.db, &job_id).await.unwrap();
        let texts: Vec<&str> = log.iter().map(|e| e.text.as_str()).collect();
        assert!(
            texts.contains(&"Requested approval from Ann Approver, then Bob Boss"),
            "{texts:?}"
        );
        assert!(texts.contains(&"Approved by Ann Approver (1 of 2)"));
        assert!(texts.contains(&"Approved by Bob Boss (2 of 2)"));
        assert_eq!(texts[0], "Published the job");
    }

    #[tokio::test]
    async fn a_rejection_needs_a_reason_ends_the_round_and_allows_a_new_one() {
        let (st, job_id, a, _b) = setup().await;
        let first = request(&st.db, &job(&st, &job_id).await, &testing::recruiter())
            .await
            .unwrap();
        let no_reason = decide(
            &st.db,
            &first,
            false,
            Some("  ".into()),
            "app",
            &as_staff(&a, "Ann"),
        )
        .await;
        assert!(no_reason.unwrap_err().field_message("reason").is_some());
        let d = decide(
            &st.db,
            &first,
            false,
            Some("Budget is frozen until Q2".into()),
            "app",
            &as_staff(&a, "Ann Approver"),
        )
        .await
        .unwrap();
        assert_eq!(d.outcome, Some(ApprovalStatus::Rejected));
        assert_eq!(d.next, None);
        let steps = latest_round(&st.db, &job_id).await.unwrap();
        assert_eq!(
            steps.iter().map(|s| s.status.as_str()).collect::<Vec<_>>(),
            ["rejected", "cancelled"]
        );
        assert_eq!(
            steps[0].reason.as_deref(),
            Some("Budget is frozen until Q2")
        );
        // The requisition can change again and go out for a second round.
        let second = request(&st.db, &job(&st, &job_id).await, &testing::recruiter())
            .await
            .unwrap();
        let steps = latest_round(&st.db, &job_id).await.unwrap();
        assert_eq!(steps[0].round, 2);
        assert_eq!(steps[0].id, second);
    }

    #[tokio::test]
    async fn requisition_fields_are_locked_while_pending() {
        let (st, job_id, _a, _b) = setup().await;
        request(&st.db, &job(&st, &job_id).await, &testing::recruiter())
            .await
            .unwrap();
        let bigger = JobInput::parse(&JobForm {
            title: "Platform engineer".into(),
            location: "Berlin, Germany".into(),
            employment_type: "full_time".into(),
            description: "Run the platform.".into(),
            headcount: "5".into(),
            ..Default::default()
        })
        .unwrap();
        let r = crate::jobs::repo::update(&st.db, &job_id, &bigger, &testing::recruiter()).await;
        assert!(matches!(r, Err(AppError::Conflict(_))));
        withdraw(&st.db, &job_id, &testing::recruiter())
            .await
            .unwrap();
        crate::jobs::repo::update(&st.db, &job_id, &bigger, &testing::recruiter())
            .await
            .unwrap();
        assert_eq!(job(&st, &job_id).await.headcount, 5);
    }
}
