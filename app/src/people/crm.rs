//! CRM storage of people: member rows (the lists of pools, segments and exports) and the CRM
//! fields of a profile (owner, consent, time zone, referral, interests, campaigns).

use super::types::Member;
use crate::error::{AppError, AppResult};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, write_guarded};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
pub struct MemberRow {
    pub id: RecordId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub source: String,
    pub tags: Vec<String>,
    pub consent_status: String,
    pub last_contacted_at: Option<DateTime<Utc>>,
    pub engagement_score: i64,
}

pub const MEMBER_FIELDS: &str = "id, first_name, last_name, email, source, tags, consent_status, last_contacted_at, engagement_score";

impl MemberRow {
    pub fn to_member(&self) -> Member {
        Member {
            id: key(&self.id),
            name: format!("{} {}", self.first_name, self.last_name)
                .trim()
                .to_string(),
            email: self.email.clone(),
            source: self.source.clone(),
            tags: self.tags.clone(),
            consent: self.consent_status.clone(),
            last_contacted_at: self.last_contacted_at.map(|d| d.to_rfc3339()),
            engagement_score: self.engagement_score,
        }
    }
}

pub async fn people_by_ids(db: &Db, ids: Vec<RecordId>) -> AppResult<Vec<MemberRow>> {
    let mut r = db
        .query(format!("SELECT {MEMBER_FIELDS} FROM $ids"))
        .bind(("ids", ids))
        .await?;
    Ok(r.take(0)?)
}

// ---- CRM fields --------------------------------------------------------------------------------

#[derive(Debug, Clone, SurrealValue)]
pub struct CrmFieldsRow {
    pub owner: Option<RecordId>,
    pub owner_name: Option<String>,
    pub consent_status: String,
    pub consent_at: Option<DateTime<Utc>>,
    pub consent_basis: Option<String>,
    pub last_contacted_at: Option<DateTime<Utc>>,
    pub engagement_score: i64,
    pub timezone: Option<String>,
    pub unsubscribed_topics: Vec<String>,
    pub referred_by_name: Option<String>,
    pub referral_relationship: Option<String>,
    pub interests: Vec<String>,
}

pub async fn crm_fields(db: &Db, person: &RecordId) -> AppResult<Option<CrmFieldsRow>> {
    let mut r = db
        .query(
            "SELECT owner, owner.name AS owner_name, consent_status, consent_at, consent_basis, last_contacted_at,
                engagement_score, timezone, unsubscribed_topics, referred_by.name AS referred_by_name,
                referral_relationship, interests FROM ONLY $p",
        )
        .bind(("p", person.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// What staff set in the CRM panel's form.
pub struct CrmEdit {
    pub owner: Option<RecordId>,
    pub consent: String,
    pub basis: Option<crate::privacy::types::Basis>,
    pub timezone: Option<String>,
}

/// Sets owner, consent (with date and basis) and time zone, with a timeline entry; a change
/// of consent or basis goes to the consent ledger with `ip`.
pub async fn update_crm_fields(
    db: &Db,
    person: &RecordId,
    edit: CrmEdit,
    actor: &Actor,
    ip: Option<String>,
) -> AppResult<()> {
    use crate::privacy::consent::NewConsentEvent;
    use crate::privacy::types::Basis;
    let CrmEdit {
        owner,
        consent,
        basis,
        timezone,
    } = edit;
    let consent = consent.as_str();
    let current = crm_fields(db, person).await?.ok_or(AppError::NotFound)?;
    let consent_changed = current.consent_status != consent;
    let basis_changed = Basis::read(current.consent_basis.as_deref()) != basis;
    // The ledger keeps what staff recorded: the basis they hold, or an objection.
    let withdrawn = consent == "withdrawn";
    let event = ((consent_changed || basis_changed) && (basis.is_some() || withdrawn)).then(|| {
        NewConsentEvent::by_staff(
            person,
            basis.unwrap_or(Basis::Consent),
            !withdrawn,
            "staff",
            &actor.label,
            ip,
        )
    });
    let activity = NewActivity::new(
        actor,
        "crm_updated",
        if consent_changed {
            format!("Consent set to {consent}")
        } else {
            "Updated CRM details".to_string()
        },
    )
    .person(person);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             UPDATE $p SET owner = $owner, consent_status = $consent, consent_basis = $basis, timezone = $tz,
                consent_at = IF $changed THEN time::now() ELSE consent_at END RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             IF $event != NONE { CREATE consent_event CONTENT $event RETURN NONE };
             COMMIT TRANSACTION;",
        )
        .bind(("p", person.clone()))
        .bind(("owner", owner))
        .bind(("consent", consent.to_string()))
        .bind(("basis", basis.map(|b| b.as_str().to_string())))
        .bind(("event", event))
        .bind(("tz", timezone))
        .bind(("changed", consent_changed))
        .bind(("activity", activity)),
        &[],
    )
    .await?;
    Ok(())
}

/// A campaign a person is (or was) enrolled in.
#[derive(Debug, Clone, SurrealValue)]
pub struct EnrollmentLine {
    pub name: String,
    pub status: String,
    pub stop_reason: Option<String>,
    pub step_index: i64,
}

/// The campaigns a person is (or was) enrolled in, newest first.
pub async fn enrollments_of(db: &Db, person: &RecordId) -> AppResult<Vec<EnrollmentLine>> {
    let mut r = db
        .query("SELECT campaign.name AS name, status, stop_reason, step_index, enrolled_at FROM enrollment WHERE person = $p ORDER BY enrolled_at DESC")
        .bind(("p", person.clone()))
        .await?;
    let enr: Vec<EnrollmentLine> = r.take(0)?;
    Ok(enr)
}
