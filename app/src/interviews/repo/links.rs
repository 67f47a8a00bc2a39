//! Scheduling links: a recruiter chooses the interview and its panel, the candidate chooses the
//! time. The link is a record; what is mailed is a signed token naming it (a copy of the
//! database alone cannot book anything).

use super::*;

/// A scheduling link with what its page needs.
#[derive(Debug, Clone, SurrealValue)]
pub struct LinkRow {
    pub id: RecordId,
    pub application: RecordId,
    pub person: RecordId,
    pub plan: RecordId,
    pub interviewers: Vec<RecordId>,
    /// The room the interview is in, when it is on-site.
    pub room: Option<RecordId>,
    pub interview: Option<RecordId>,
    /// A loop: the interviews after the first, back to back (empty for one interview).
    pub followed_by: Vec<LinkPart>,
    /// Once a loop is booked: its interviews after the first, in order.
    pub interviews_after: Vec<RecordId>,
    pub status: String,
    pub expires_at: DateTime<Utc>,
    pub created_by: Option<RecordId>,
    pub first_name: String,
    pub email: String,
    pub candidate_zone: Option<String>,
    pub job_title: String,
    pub application_status: String,
}

/// An interview of a loop after the first: what it is and who sits on it.
#[derive(Debug, Clone, SurrealValue)]
pub struct LinkPart {
    pub plan: RecordId,
    pub interviewers: Vec<RecordId>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewLink {
    application: RecordId,
    person: RecordId,
    plan: RecordId,
    interviewers: Vec<RecordId>,
    followed_by: Vec<LinkPart>,
    room: Option<RecordId>,
    expires_at: DateTime<Utc>,
    created_by: Option<RecordId>,
}

/// Creates a link for this application and its interviews, each with its panel (one, or a
/// loop back to back; in `room`, if any), valid for `days`; earlier open links starting with
/// the same interview of the application are withdrawn (only the newest one books).
#[allow(clippy::too_many_arguments)]
pub async fn create_link(
    db: &Db,
    app: &AppContext,
    parts: &[Part<'_>],
    room: Option<&RecordId>,
    by: Option<RecordId>,
    now: DateTime<Utc>,
    days: i64,
) -> AppResult<(RecordId, DateTime<Utc>)> {
    let (first, after) = parts
        .split_first()
        .ok_or_else(|| AppError::invalid("plan_id", "Choose an interview."))?;
    let id = RecordId::new("booking_link", new_key());
    let expires_at = now + Duration::days(days);
    db.query(
        "BEGIN TRANSACTION;
         UPDATE booking_link SET status = 'withdrawn'
            WHERE application = $link.application AND plan = $link.plan AND status = 'open'
            RETURN NONE;
         CREATE $id CONTENT $link RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("id", id.clone()))
    .bind((
        "link",
        NewLink {
            application: app.id.clone(),
            person: app.person.clone(),
            plan: first.plan.id.clone(),
            interviewers: ids_of(first.panel),
            followed_by: after
                .iter()
                .map(|p| LinkPart {
                    plan: p.plan.id.clone(),
                    interviewers: ids_of(p.panel),
                })
                .collect(),
            room: room.cloned(),
            expires_at,
            created_by: by,
        },
    ))
    .await?
    .check()?;
    Ok((id, expires_at))
}

fn ids_of(panel: &[StaffRow]) -> Vec<RecordId> {
    panel.iter().map(|s| s.id.clone()).collect()
}

pub async fn link(db: &Db, id: &RecordId) -> AppResult<Option<LinkRow>> {
    let mut res = db
        .query(
            "SELECT id, application, person, plan, interviewers, room, interview,
                followed_by ?? [] AS followed_by, interviews_after ?? [] AS interviews_after,
                status, expires_at,
                created_by, person.first_name AS first_name, person.email AS email,
                person.timezone AS candidate_zone, application.job.title AS job_title,
                application.status AS application_status
             FROM ONLY $id",
        )
        .bind(("id", id.clone()))
        .await?;
    Ok(res.take(0)?)
}

/// The link that booked this interview, if the candidate chose its time.
pub async fn link_of_interview(db: &Db, iv: &RecordId) -> AppResult<Option<RecordId>> {
    let mut res = db
        .query("SELECT VALUE id FROM booking_link WHERE interview = $iv LIMIT 1")
        .bind(("iv", iv.clone()))
        .await?;
    let ids: Vec<RecordId> = res.take(0)?;
    Ok(ids.into_iter().next())
}

/// Remembers the zone the candidate reads times in.
pub async fn set_candidate_zone(db: &Db, person: &RecordId, zone: &str) -> AppResult<()> {
    db.query("UPDATE $p SET timezone = $z RETURN NONE")
        .bind(("p", person.clone()))
        .bind(("z", zone.to_string()))
        .await?
        .check()?;
    Ok(())
}

/// A link waiting for the candidate: `(link, application, interview name ("A and B" for a
/// loop), expires)`.
pub type OpenLink = (RecordId, RecordId, String, DateTime<Utc>);

/// The person's scheduling links still waiting for a choice.
pub async fn open_links_for_person(db: &Db, person: &RecordId) -> AppResult<Vec<OpenLink>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        id: RecordId,
        application: RecordId,
        name: String,
        then_names: Option<Vec<String>>,
        expires_at: DateTime<Utc>,
    }
    let mut res = db
        .query(
            "SELECT id, application, plan.name AS name, followed_by[*].plan.name AS then_names,
                expires_at FROM booking_link
                WHERE person = $p AND status = 'open' AND expires_at > time::now()
                  AND application.status = 'active'
                ORDER BY created_at",
        )
        .bind(("p", person.clone()))
        .await?;
    let rows: Vec<Row> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let names: Vec<&str> = std::iter::once(r.name.as_str())
                .chain(r.then_names.iter().flatten().map(String::as_str))
                .collect();
            let name = loop_title(&names);
            (r.id, r.application, name, r.expires_at)
        })
        .collect())
}
