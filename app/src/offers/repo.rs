//! Offers in the database. Every change is one transaction guarded by the state machine
//! ([`OfferStatus::from_states`]): a change that raced another is refused, never half done.

use super::types::*;
use crate::approvals::repo::new_round;
use crate::error::{AppError, AppResult};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, new_key, write_guarded};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
pub struct OfferRow {
    pub id: RecordId,
    pub application: RecordId,
    pub job: RecordId,
    pub person: RecordId,
    pub version: i64,
    pub status: String,
    pub base_salary: i64,
    pub currency: String,
    pub period: String,
    pub bonus: Option<String>,
    pub equity: Option<String>,
    pub start_date: String,
    pub template: String,
    pub letter: String,
    pub approvers: Vec<RecordId>,
    pub created_by: Option<RecordId>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub accepted_name: Option<String>,
    pub accepted_ip: Option<String>,
    pub decline_reason: Option<String>,
    pub withdraw_reason: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub job_title: String,
}

const FIELDS: &str = "id, application, job, person, version, status, base_salary, currency, period,
    bonus, equity, start_date, template, letter, approvers, created_by, created_at, sent_at,
    responded_at, accepted_name, accepted_ip, decline_reason, withdraw_reason,
    person.first_name AS first_name, person.last_name AS last_name, person.email AS email,
    job.title AS job_title";

impl OfferRow {
    pub fn status(&self) -> OfferStatus {
        OfferStatus::parse(&self.status).unwrap_or(OfferStatus::Withdrawn)
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn summary(&self) -> String {
        crate::approvals::types::offer_summary(
            self.base_salary,
            &self.currency,
            &self.period,
            self.bonus.as_deref(),
            self.equity.as_deref(),
            &self.start_date,
        )
    }
}

pub async fn get(db: &Db, id: &RecordId) -> AppResult<Option<OfferRow>> {
    let mut r = db
        .query(format!("SELECT {FIELDS} FROM ONLY $id"))
        .bind(("id", id.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// Every version of the application's offer, the newest first.
pub async fn of_application(db: &Db, application: &RecordId) -> AppResult<Vec<OfferRow>> {
    let mut r = db
        .query(format!(
            "SELECT {FIELDS} FROM offer WHERE application = $app ORDER BY version DESC"
        ))
        .bind(("app", application.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// The candidate's offers that were sent to them (not drafts waiting for approval).
pub async fn of_person(db: &Db, person: &RecordId) -> AppResult<Vec<OfferRow>> {
    let mut r = db
        .query(format!(
            "SELECT {FIELDS} FROM offer WHERE person = $person AND sent_at != NONE
                AND status != 'superseded' ORDER BY created_at DESC"
        ))
        .bind(("person", person.clone()))
        .await?;
    Ok(r.take(0)?)
}

#[derive(Debug, Clone, SurrealValue)]
struct NewOffer {
    id: RecordId,
    application: RecordId,
    job: RecordId,
    person: RecordId,
    version: i64,
    status: String,
    base_salary: i64,
    currency: String,
    period: String,
    bonus: Option<String>,
    equity: Option<String>,
    start_date: String,
    template: String,
    letter: String,
    approvers: Vec<RecordId>,
    created_by: Option<RecordId>,
}

/// What a new offer is for.
pub struct OfferFor {
    pub application: RecordId,
    pub job: RecordId,
    pub person: RecordId,
}

/// Makes a new offer version and starts its approval chain, in one transaction. An open
/// version of the same application (waiting, rejected, sent or declined) is superseded and
/// its unfinished approval steps cancelled. Returns the new offer and its first approval step.
pub async fn create(
    db: &Db,
    to: &OfferFor,
    input: &OfferInput,
    letter: String,
    actor: &Actor,
) -> AppResult<(RecordId, RecordId)> {
    let offer = RecordId::new("offer", new_key());
    let approvers: Vec<RecordId> = input
        .approvers
        .iter()
        .map(|a| RecordId::new("staff", a.as_str()))
        .collect();
    let steps = new_round(&to.job, Some(&offer), 1, &approvers, actor)?;
    let first = steps[0].id.clone();
    let previous = of_application(db, &to.application).await?;
    let version = previous.first().map(|o| o.version).unwrap_or(0) + 1;
    let row = NewOffer {
        id: offer.clone(),
        application: to.application.clone(),
        job: to.job.clone(),
        person: to.person.clone(),
        version,
        status: OfferStatus::PendingApproval.as_str().into(),
        base_salary: input.base_salary,
        currency: input.currency.clone(),
        period: input.period.clone(),
        bonus: input.bonus.clone(),
        equity: input.equity.clone(),
        start_date: input.start_date.clone(),
        template: input.letter.clone(),
        letter,
        approvers,
        created_by: actor.id.clone(),
    };
    let summary = if version == 1 {
        "Made an offer; it waits for approval".to_string()
    } else {
        format!("Revised the offer (version {version}); it waits for approval")
    };
    let activity = NewActivity::new(actor, "offer_created", summary)
        .person(&to.person)
        .application(&to.application)
        .job(&to.job);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             IF array::len(SELECT VALUE id FROM offer WHERE application = $app AND status = 'accepted') > 0
                { THROW 'accepted' };
             IF (SELECT VALUE status FROM ONLY $app) != 'active' { THROW 'closed' };
             LET $old = UPDATE offer SET status = 'superseded'
                WHERE application = $app AND status IN $revisable RETURN VALUE id;
             UPDATE approval SET status = 'cancelled'
                WHERE offer IN $old AND status IN ['pending', 'waiting'] RETURN NONE;
             CREATE offer CONTENT $row RETURN NONE;
             INSERT INTO approval $steps RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("app", to.application.clone()))
        .bind(("revisable", OfferStatus::from_states(OfferAction::Revise)))
        .bind(("row", row))
        .bind(("steps", steps))
        .bind(("activity", activity)),
        &[
            (
                "accepted",
                AppError::Conflict("The candidate already accepted an offer for this job.".into()),
            ),
            (
                "closed",
                AppError::Conflict("This application is closed: reopen it to make an offer.".into()),
            ),
        ],
    )
    .await?;
    Ok((offer, first))
}

/// Withdraws an open offer (its unfinished approval steps end too).
pub async fn withdraw(db: &Db, o: &OfferRow, reason: &str, actor: &Actor) -> AppResult<()> {
    let activity = NewActivity::new(
        actor,
        "offer_withdrawn",
        format!("Withdrew the offer: {reason}"),
    )
    .person(&o.person)
    .application(&o.application)
    .job(&o.job);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $offer SET status = 'withdrawn', withdraw_reason = $reason
                WHERE status IN $from RETURN VALUE id;
             IF array::len($done) = 0 { THROW 'not_open' };
             UPDATE approval SET status = 'cancelled'
                WHERE offer = $offer AND status IN ['pending', 'waiting'] RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("offer", o.id.clone()))
        .bind(("reason", reason.to_string()))
        .bind(("from", OfferStatus::from_states(OfferAction::Withdraw)))
        .bind(("activity", activity)),
        &[(
            "not_open",
            AppError::Conflict("This offer is no longer open.".into()),
        )],
    )
    .await?;
    Ok(())
}

/// The candidate's answer, recorded once: an accepted offer keeps the typed name, the time and
/// the address it came from; a declined one its reason.
pub async fn respond(db: &Db, o: &OfferRow, accept: bool, text: &str, ip: &str) -> AppResult<()> {
    let (set, action, summary) = if accept {
        (
            "status = 'accepted', accepted_name = $text, accepted_ip = $ip",
            OfferAction::Accept,
            format!("Accepted the offer, signed “{text}”"),
        )
    } else {
        (
            "status = 'declined', decline_reason = $text",
            OfferAction::Decline,
            format!("Declined the offer: {text}"),
        )
    };
    let activity = NewActivity::new(&Actor::candidate(), "offer_answered", summary)
        .person(&o.person)
        .application(&o.application)
        .job(&o.job)
        .for_candidate();
    write_guarded(
        db.query(format!(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $offer SET {set}, responded_at = time::now()
                WHERE status IN $from RETURN VALUE id;
             IF array::len($done) = 0 {{ THROW 'not_open' }};
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;"
        ))
        .bind(("offer", o.id.clone()))
        .bind(("text", text.to_string()))
        .bind(("ip", ip.to_string()))
        .bind(("from", OfferStatus::from_states(action)))
        .bind(("activity", activity)),
        &[(
            "not_open",
            AppError::Conflict("This offer is no longer open for an answer.".into()),
        )],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct OpenRow {
    id: RecordId,
    person_name: String,
    stage: String,
}

/// Hires so far (cards in the job's Hired stage, still active) and the candidates still in
/// process (active, not hired), oldest first.
pub async fn headcount_state(
    db: &Db,
    job: &RecordId,
    hired_stage: &str,
) -> AppResult<(i64, Vec<(RecordId, String, String)>)> {
    let mut r = db
        .query(
            "RETURN (SELECT count() AS n FROM application
                WHERE job = $job AND stage = $hired AND status = 'active' GROUP ALL)[0].n ?? 0;
             SELECT id, person_name, stage FROM application
                WHERE job = $job AND stage != $hired AND status = 'active' ORDER BY created_at;",
        )
        .bind(("job", job.clone()))
        .bind(("hired", hired_stage.to_string()))
        .await?;
    let hires: Option<i64> = r.take(0)?;
    let open: Vec<OpenRow> = r.take(1)?;
    Ok((
        hires.unwrap_or(0),
        open.into_iter()
            .map(|o| (o.id, o.person_name, o.stage))
            .collect(),
    ))
}

#[derive(Debug, Clone, SurrealValue)]
struct DemoTarget {
    id: RecordId,
    job: RecordId,
    person: RecordId,
    first_name: String,
    last_name: String,
    job_title: String,
}

/// Demo: the Rust job's first candidate in the Offer stage holds an offer that the hiring
/// manager approved and that waits for the candidate's answer.
pub async fn seed_demo(db: &Db, company: &str, now: DateTime<Utc>) -> AppResult<()> {
    let mut r = db
        .query(
            "SELECT id, job, person, person.first_name AS first_name, person.last_name AS last_name,
                job.title AS job_title FROM application
                WHERE job = job:`rust-backend` AND stage = 'offer' AND status = 'active'
                ORDER BY id LIMIT 1;
             SELECT VALUE id FROM staff WHERE email = 'manager@acme.test';",
        )
        .await?;
    let target: Option<DemoTarget> = r.take(0)?;
    let managers: Vec<RecordId> = r.take(1)?;
    let (Some(t), Some(manager)) = (target, managers.first()) else {
        return Ok(());
    };
    let input = OfferInput {
        base_salary: 95_000,
        currency: "EUR".into(),
        period: "YEAR".into(),
        bonus: Some("10% of base".into()),
        equity: Some("0.05% over 4 years".into()),
        start_date: (now + chrono::Duration::days(45))
            .format("%Y-%m-%d")
            .to_string(),
        letter: DEFAULT_LETTER.into(),
        approvers: vec![crate::server::db::key(manager)],
    };
    let full = format!("{} {}", t.first_name, t.last_name);
    let letter = render_letter(
        DEFAULT_LETTER,
        &input.letter_values(&full, &t.job_title, company, "Morgan Manager"),
    );
    let to = OfferFor {
        application: t.id,
        job: t.job,
        person: t.person,
    };
    seed_sent(db, &to, &input, letter, manager).await
}

/// One offer already sent, waiting for the candidate (its chain approved).
async fn seed_sent(
    db: &Db,
    to: &OfferFor,
    input: &OfferInput,
    letter: String,
    approver: &RecordId,
) -> AppResult<()> {
    let offer = RecordId::new("offer", new_key());
    let row = NewOffer {
        id: offer.clone(),
        application: to.application.clone(),
        job: to.job.clone(),
        person: to.person.clone(),
        version: 1,
        status: OfferStatus::Sent.as_str().into(),
        base_salary: input.base_salary,
        currency: input.currency.clone(),
        period: input.period.clone(),
        bonus: input.bonus.clone(),
        equity: input.equity.clone(),
        start_date: input.start_date.clone(),
        template: input.letter.clone(),
        letter,
        approvers: vec![approver.clone()],
        created_by: None,
    };
    db.query(
        "CREATE offer CONTENT $row RETURN NONE;
         UPDATE $offer SET sent_at = time::now() RETURN NONE;
         CREATE approval CONTENT {
            job: $job, offer: $offer, round: 1, position: 0, approver: $approver,
            status: 'approved', decided_at: time::now(), decided_via: 'app',
            requested_by: 'Demo data', requester: NONE
         } RETURN NONE;",
    )
    .bind(("row", row))
    .bind(("offer", offer))
    .bind(("job", to.job.clone()))
    .bind(("approver", approver.clone()))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_has_an_offer_waiting_for_its_candidate() {
        let st = crate::testing::demo_state().await;
        let mut r = st
            .db
            .query("SELECT VALUE id FROM offer WHERE status = 'sent'")
            .await
            .unwrap();
        let ids: Vec<RecordId> = r.take(0).unwrap();
        assert_eq!(ids.len(), 1);
        let o = get(&st.db, &ids[0]).await.unwrap().unwrap();
        assert_eq!(o.job_title, "Senior Backend Engineer (Rust)");
        assert!(
            o.letter.starts_with(&format!("Dear {},", o.first_name)),
            "{}",
            o.letter
        );
        assert!(
            o.summary()
                .starts_with("EUR 95,000 per year · bonus 10% of base")
        );
        // Its chain is approved, and the candidate can read it in the portal.
        let steps = crate::approvals::repo::offer_round(&st.db, &o.id)
            .await
            .unwrap();
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].status, "approved");
        assert_eq!(of_person(&st.db, &o.person).await.unwrap().len(), 1);
    }
}
