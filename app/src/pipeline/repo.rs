//! Board reads and card moves.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::jobs::repo::JobRow;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, new_key, write_guarded};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
pub struct CardRow {
    pub id: RecordId,
    pub person: RecordId,
    pub person_name: String,
    pub stage: String,
    pub status: String,
    pub source: String,
    pub stage_entered_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub tags: Option<Vec<String>>,
    pub headline: Option<String>,
    pub screen_points: Option<i64>,
    pub screen_possible: Option<i64>,
    pub screen_passed: Option<bool>,
    pub screen_unknown: Option<i64>,
}

impl CardRow {
    pub fn to_card(&self, now: DateTime<Utc>) -> Card {
        Card {
            id: key(&self.id),
            person_id: key(&self.person),
            name: self.person_name.clone(),
            stage: self.stage.clone(),
            // The schema only admits the three names.
            status: CardStatus::parse(&self.status).unwrap_or(CardStatus::Active),
            days_in_stage: (now - self.stage_entered_at).num_days().max(0),
            tags: self.tags.clone().unwrap_or_default(),
            source: self.source.clone(),
            headline: self.headline.clone().filter(|h| !h.trim().is_empty()),
            new: (now - self.created_at).num_hours() < NEW_FOR_HOURS,
            feedback: None,
            masked: false,
            screening: crate::screening::repo::stored_score(
                self.screen_points,
                self.screen_possible,
                self.screen_passed,
                self.screen_unknown,
            ),
        }
    }
}

/// A card's fields of an application. The person's tags and headline are kept on the application
/// by the database (`person_tags`, `person_headline`: see the schema): read through the record
/// link (`person.tags`), a board of 1,000 cards decoded 1,000 whole person records, resume text
/// included, half of its read.
pub const CARD_FIELDS: &str = "id, person, person_name, stage, status, source, stage_entered_at, created_at, \
     person_tags AS tags, person_headline AS headline, screen_points, screen_possible, screen_passed, \
     screen_unknown";

#[derive(Debug, Clone, SurrealValue)]
pub struct TemplateRow {
    pub id: RecordId,
    pub name: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
}

pub async fn board(db: &Db, job: &JobRow, filters: &BoardFilters) -> AppResult<Board> {
    let mut res = db
        .query(format!(
            "SELECT {CARD_FIELDS} FROM application WHERE job = $job ORDER BY stage_entered_at ASC;
             SELECT id, name, kind, subject, body FROM email_template ORDER BY name;"
        ))
        .bind(("job", job.id.clone()))
        .await?;
    let rows: Vec<CardRow> = res.take(0)?;
    let templates: Vec<TemplateRow> = res.take(1)?;
    let ids: Vec<RecordId> = rows.iter().map(|r| r.id.clone()).collect();
    let feedback = crate::interviews::repo::badges(db, &ids).await?;
    let now = Utc::now();
    let stages = job.stages();
    let all: Vec<Card> = rows
        .iter()
        .map(|r| {
            let mut c = r.to_card(now);
            c.feedback = feedback.get(&c.id).cloned();
            c.anonymise(&stages, job.anonymise_until.as_deref());
            c
        })
        .collect();
    let mut tags: Vec<String> = all.iter().flat_map(|c| c.tags.iter().cloned()).collect();
    tags.sort();
    tags.dedup();
    let mut sources: Vec<String> = all.iter().map(|c| c.source.clone()).collect();
    sources.sort();
    sources.dedup();
    Ok(Board {
        job_id: key(&job.id),
        job_title: job.title.clone(),
        columns: columns_with(&stages, filters.show_closed),
        targets: columns_for(&stages),
        total: all.len(),
        cards: {
            let mut cards: Vec<Card> = all.into_iter().filter(|c| filters.admits(c)).collect();
            if filters.sort == "score" {
                crate::screening::types::sort_by_score(&mut cards, |c| c.screening);
            }
            cards
        },
        tags,
        sources,
        templates: templates
            .into_iter()
            .map(|t| TemplateOption {
                id: key(&t.id),
                name: t.name,
                kind: t.kind,
                subject: t.subject,
                body: t.body,
            })
            .collect(),
        pools: Vec::new(),
    })
}

/// The shape of the applications' person fields (`person_tags`, `person_headline`): a database
/// whose marker in `setting` names another (or none: one from before them) has them computed
/// once, at start.
const CARDS_VERSION: &str = "1";

/// Computes every application's `person_tags` and `person_headline` once per database (later
/// starts read the marker and do nothing); from then on the database keeps them. The
/// applications are rewritten in parts of 1,000, each in a transaction of its own: one written
/// meanwhile computes its own fields, so no part can leave a stale one. Returns how many it
/// rewrote.
pub async fn fill_person_cards_once(db: &Db) -> AppResult<usize> {
    use crate::server::db::{filled, set_filled, write};
    if filled(db, "person_cards", CARDS_VERSION).await? {
        return Ok(0);
    }
    let ids: Vec<RecordId> = db
        .query("SELECT VALUE id FROM application")
        .await?
        .take(0)?;
    for part in ids.chunks(1000) {
        crate::server::db::retry_conflicts(|| async {
            write(
                db.query("UPDATE $ids RETURN NONE")
                    .bind(("ids", part.to_vec())),
            )
            .await?;
            Ok(())
        })
        .await?;
    }
    set_filled(db, "person_cards", CARDS_VERSION).await?;
    Ok(ids.len())
}

#[derive(Debug, Clone, SurrealValue)]
struct AppNow {
    job: RecordId,
    person: RecordId,
    stage: String,
    status: String,
}

/// Moves an application to `to` if it is still in `from` (otherwise someone else moved it
/// first and the caller gets a conflict). Stores the move and a timeline entry together.
pub async fn move_card(
    db: &Db,
    job: &JobRow,
    application: &RecordId,
    from: &str,
    to: &str,
    actor: &Actor,
) -> AppResult<Card> {
    let stages = job.stages();
    let target = MoveTarget::parse(to, &stages)
        .ok_or_else(|| AppError::invalid("to", "Choose a stage of this job."))?;
    let mut res = db
        .query("SELECT job, person, stage, status FROM ONLY $app")
        .bind(("app", application.clone()))
        .await?;
    let current: Option<AppNow> = res.take(0)?;
    let current = current
        .filter(|c| c.job == job.id)
        .ok_or(AppError::NotFound)?;
    let current_card = Card {
        id: String::new(),
        person_id: String::new(),
        name: String::new(),
        stage: current.stage.clone(),
        status: CardStatus::parse(&current.status).unwrap_or(CardStatus::Active),
        days_in_stage: 0,
        tags: Vec::new(),
        source: String::new(),
        headline: None,
        new: false,
        feedback: None,
        masked: false,
        screening: None,
    };
    if current_card.column() != from {
        return Err(AppError::Conflict(
            "Someone else moved this candidate a moment ago. The board shows where they are now."
                .into(),
        ));
    }
    if from == to {
        return card(db, job, application).await;
    }
    let to_name = columns_for(&stages)
        .into_iter()
        .find(|c| c.id == to)
        .map(|c| c.name)
        .unwrap_or_default();
    let summary = move_summary(&target, &to_name, current.status != "active");
    let activity = NewActivity::new(actor, "stage_moved", summary)
        .person(&current.person)
        .application(application)
        .job(&job.id)
        .for_candidate();
    let (stage, status) = match &target {
        MoveTarget::Stage(s) => (s.clone(), "active".to_string()),
        MoveTarget::Rejected => (current.stage.clone(), "rejected".to_string()),
        MoveTarget::Withdrawn => (current.stage.clone(), "withdrawn".to_string()),
    };
    let mut res = crate::server::db::write(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $app SET stage = $stage, status = $status, stage_entered_at = time::now()
                WHERE stage = $from_stage AND status = $from_status RETURN VALUE id;
             IF array::len($done) > 0 { CREATE activity CONTENT $activity RETURN NONE };
             RETURN $done;
             COMMIT TRANSACTION;",
        )
        .bind(("app", application.clone()))
        .bind(("stage", stage))
        .bind(("status", status))
        .bind(("from_stage", current.stage))
        .bind(("from_status", current.status))
        .bind(("activity", activity)),
    )
    .await
    .map_err(|e| match e {
        AppError::Conflict(_) => AppError::Conflict(
            "Someone else moved this candidate at the same moment. The board shows where they are now."
                .into(),
        ),
        other => other,
    })?;
    let done: Vec<RecordId> = crate::server::db::txn_return(&mut res)?;
    if done.is_empty() {
        return Err(AppError::Conflict(
            "Someone else moved this candidate a moment ago. The board shows where they are now."
                .into(),
        ));
    }
    card(db, job, application).await
}

/// One card of `job`'s board, as its viewers see it (anonymised when the job says so).
pub async fn card(db: &Db, job: &JobRow, application: &RecordId) -> AppResult<Card> {
    let mut res = db
        .query(format!("SELECT {CARD_FIELDS} FROM ONLY $app"))
        .bind(("app", application.clone()))
        .await?;
    let row: Option<CardRow> = res.take(0)?;
    let mut card = row
        .map(|r| r.to_card(Utc::now()))
        .ok_or(AppError::NotFound)?;
    let feedback = crate::interviews::repo::badges(db, std::slice::from_ref(application)).await?;
    card.feedback = feedback.get(&card.id).cloned();
    card.anonymise(&job.stages(), job.anonymise_until.as_deref());
    Ok(card)
}

/// Applies a stage edit to a job, refusing it if the stage list changed meanwhile.
pub async fn edit_job_stages(
    db: &Db,
    job: &JobRow,
    edit: &StageEdit,
    actor: &Actor,
) -> AppResult<()> {
    let stage_in_question = match edit {
        StageEdit::Remove { id } => Some(id.clone()),
        _ => None,
    };
    let mut in_use = std::collections::HashSet::new();
    if let Some(s) = &stage_in_question {
        let mut r = db
            .query("SELECT VALUE id FROM application WHERE job = $job AND stage = $stage LIMIT 1")
            .bind(("job", job.id.clone()))
            .bind(("stage", s.clone()))
            .await?;
        let ids: Vec<RecordId> = r.take(0)?;
        if !ids.is_empty() {
            in_use.insert(s.clone());
        }
    }
    let old = job.stages();
    let new = edit_stages(&old, edit, |id| in_use.contains(id))
        .map_err(|m| AppError::invalid("stage", m))?;
    let summary = match edit {
        StageEdit::Add { name, .. } => format!("Added the stage {}", name.trim()),
        StageEdit::Rename { id, name } => format!(
            "Renamed the stage {} to {}",
            old.iter()
                .find(|s| &s.id == id)
                .map(|s| s.name.as_str())
                .unwrap_or(""),
            name.trim()
        ),
        StageEdit::Move { id, .. } => format!(
            "Reordered the stages ({} moved)",
            old.iter()
                .find(|s| &s.id == id)
                .map(|s| s.name.as_str())
                .unwrap_or("")
        ),
        StageEdit::Remove { id } => format!(
            "Removed the stage {}",
            old.iter()
                .find(|s| &s.id == id)
                .map(|s| s.name.as_str())
                .unwrap_or("")
        ),
    };
    let activity = NewActivity::new(actor, "stages_edited", summary).job(&job.id);
    let old_rows: Vec<crate::jobs::repo::StageRow> = old
        .iter()
        .map(crate::jobs::repo::StageRow::from_stage)
        .collect();
    let new_rows: Vec<crate::jobs::repo::StageRow> = new
        .iter()
        .map(crate::jobs::repo::StageRow::from_stage)
        .collect();
    crate::server::db::write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $job SET stages = $new WHERE stages = $old RETURN VALUE id;
             IF array::len($done) = 0 { THROW 'stages_changed' };
             IF $removed != NONE AND array::len(SELECT VALUE id FROM application WHERE job = $job AND stage = $removed) > 0 {
                THROW 'stage_in_use'
             };
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("job", job.id.clone()))
        .bind(("new", new_rows))
        .bind(("old", old_rows))
        .bind(("removed", stage_in_question))
        .bind(("activity", activity)),
        &[
            ("stages_changed", AppError::Conflict("Someone else changed the stages a moment ago. Try again.".into())),
            ("stage_in_use", AppError::invalid("stage", "That stage still has candidates. Move them first.")),
        ],
    )
    .await?;
    Ok(())
}

pub async fn template(db: &Db, id: &RecordId) -> AppResult<Option<TemplateRow>> {
    let mut r = db
        .query("SELECT id, name, kind, subject, body FROM ONLY $id")
        .bind(("id", id.clone()))
        .await?;
    Ok(r.take(0)?)
}

/// Seeds the standard email templates once.
pub async fn ensure_templates(db: &Db) -> Result<(), String> {
    for (name, kind, subject, body) in [
        (
            "Rejection (after applying)",
            "rejection",
            "Your application for {{job_title}} at {{company}}",
            "Hi {{first_name}},\n\nThank you for applying for {{job_title}}. We have considered your application carefully and decided not to move forward with it this time.\n\nWe will keep your details, and we hope to hear from you again.\n\nBest wishes,\nThe {{company}} hiring team",
        ),
        (
            "Rejection (after interviews)",
            "rejection",
            "{{job_title}} at {{company}}",
            "Hi {{first_name}},\n\nThank you for the time you spent with us on {{job_title}}. It was a close decision, and we have decided to continue with another candidate.\n\nWe would be glad to stay in touch for future roles.\n\nBest wishes,\nThe {{company}} hiring team",
        ),
        (
            "Next steps",
            "general",
            "Next steps for {{job_title}}",
            "Hi {{first_name}},\n\nThank you for your interest in {{job_title}}. We would like to move forward and will be in touch shortly to arrange the next step.\n\nThe {{company}} hiring team",
        ),
    ] {
        db.query(
            "IF array::len(SELECT VALUE id FROM email_template WHERE name = $name) = 0 {
                CREATE email_template SET name = $name, kind = $kind, subject = $subject, body = $body RETURN NONE;
             };",
        )
        .bind(("name", name))
        .bind(("kind", kind))
        .bind(("subject", subject))
        .bind(("body", body))
        .await
        .and_then(|r| r.check())
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

// ---- prospects into pipelines ------------------------------------------------------------------

/// Adds a person to a job's pipeline as a sourced application, crediting the campaign that
/// warmed them, and stops that job's nurture campaigns for them. A person already in that
/// pipeline is a conflict.
pub async fn add_to_job(
    db: &Db,
    person: &RecordId,
    job: &RecordId,
    actor: &Actor,
) -> AppResult<RecordId> {
    try_add_to_job(db, person, job, actor)
        .await?
        .ok_or_else(|| AppError::Conflict(ALREADY_IN_PIPELINE.into()))
}

const ALREADY_IN_PIPELINE: &str = "This person is already in that job's pipeline.";

/// Like [`add_to_job`], but a person already in the pipeline is `None` rather than an error
/// (for adding many people at once).
pub async fn try_add_to_job(
    db: &Db,
    person: &RecordId,
    job: &RecordId,
    actor: &Actor,
) -> AppResult<Option<RecordId>> {
    let job_row = crate::jobs::repo::get(db, job)
        .await?
        .ok_or(AppError::NotFound)?;
    if job_row.status() == crate::jobs::types::JobStatus::Closed {
        return Err(AppError::Conflict("That job is closed.".into()));
    }
    let mut r = db
        .query(
            "SELECT first_name, last_name FROM ONLY $p;
             SELECT VALUE id FROM application WHERE person = $p AND job = $job;
             (SELECT campaign, at FROM engagement WHERE person = $p AND campaign != NONE ORDER BY at DESC LIMIT 1)[0].campaign
                ?? (SELECT campaign, enrolled_at FROM enrollment WHERE person = $p ORDER BY enrolled_at DESC LIMIT 1)[0].campaign;",
        )
        .bind(("p", person.clone()))
        .bind(("job", job.clone()))
        .await?;
    #[derive(Debug, Clone, SurrealValue)]
    struct Name {
        first_name: String,
        last_name: String,
    }
    let name: Option<Name> = r.take(0)?;
    let name = name.ok_or(AppError::NotFound)?;
    let existing: Vec<RecordId> = r.take(1)?;
    if !existing.is_empty() {
        return Ok(None);
    }
    let warmed_by: Option<RecordId> = r.take(2)?;
    let app = RecordId::new("application", new_key());
    let first_stage = job_row
        .stages
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_else(|| "applied".into());
    let activity = NewActivity::new(
        actor,
        "sourced",
        format!("Added to the pipeline of {} (sourced)", job_row.title),
    )
    .person(person)
    .application(&app)
    .job(job);
    let written = write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             CREATE $app SET person = $p, person_name = $name, job = $job, stage = $stage, status = 'active',
                source = 'sourced', warmed_by = $warmed, uniq = $uniq RETURN NONE;
             UPDATE enrollment SET status = 'stopped', stop_reason = 'added to the job'
                WHERE person = $p AND status = 'active' AND campaign.job = $job RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("app", app.clone()))
        .bind(("p", person.clone()))
        .bind(("name", format!("{} {}", name.first_name, name.last_name).trim().to_string()))
        .bind(("job", job.clone()))
        .bind(("stage", first_stage))
        .bind(("warmed", warmed_by))
        .bind(("uniq", format!("{}:{}", key(person), key(job))))
        .bind(("activity", activity)),
        // The unique index catches someone adding the same person at the same moment.
        &[("already contains", AppError::Conflict(ALREADY_IN_PIPELINE.into()))],
    )
    .await;
    match written {
        Ok(_) => Ok(Some(app)),
        Err(AppError::Conflict(m)) if m == ALREADY_IN_PIPELINE => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    async fn first_active(st: &crate::server::AppState, job: &str) -> (JobRow, Card) {
        let job = crate::jobs::repo::get(&st.db, &RecordId::new("job", job))
            .await
            .unwrap()
            .unwrap();
        let b = board(&st.db, &job, &BoardFilters::default()).await.unwrap();
        let card = b
            .cards
            .into_iter()
            .find(|c| c.status == "active" && c.stage == "applied")
            .unwrap();
        (job, card)
    }

    #[tokio::test]
    async fn moves_check_the_current_column_and_leave_a_timeline_entry() {
        let st = testing::demo_state().await;
        let (job, card) = first_active(&st, "rust-backend").await;
        let app = RecordId::new("application", card.id.as_str());
        let moved = move_card(
            &st.db,
            &job,
            &app,
            "applied",
            "interview",
            &testing::recruiter(),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                moved.stage.as_str(),
                moved.status.as_str(),
                moved.days_in_stage
            ),
            ("interview", "active", 0)
        );
        // Stale: the card is no longer in Applied.
        let stale = move_card(
            &st.db,
            &job,
            &app,
            "applied",
            "offer",
            &testing::recruiter(),
        )
        .await;
        assert!(matches!(stale, Err(AppError::Conflict(_))));
        // Rejection keeps the stage; moving back reopens.
        let rejected = move_card(
            &st.db,
            &job,
            &app,
            "interview",
            REJECTED,
            &testing::recruiter(),
        )
        .await
        .unwrap();
        assert_eq!(
            (rejected.stage.as_str(), rejected.status.as_str()),
            ("interview", "rejected")
        );
        let back = move_card(&st.db, &job, &app, REJECTED, "offer", &testing::recruiter())
            .await
            .unwrap();
        assert_eq!(back.column(), "offer");
        let mut r = st
            .db
            .query("SELECT VALUE summary FROM activity WHERE application = $a AND kind = 'stage_moved' ORDER BY at")
            .bind(("a", app))
            .await
            .unwrap();
        let s: Vec<String> = r.take(0).unwrap();
        assert_eq!(
            s,
            [
                "Moved to Interview",
                "Application closed: not moving forward",
                "Application reopened at Offer"
            ]
        );
    }

    #[tokio::test]
    async fn concurrent_moves_of_one_card_let_exactly_one_win() {
        let st = testing::demo_state().await;
        let (job, card) = first_active(&st, "customer-success").await;
        let app = RecordId::new("application", card.id.as_str());
        let actor = testing::recruiter();
        let (a, b) = tokio::join!(
            move_card(&st.db, &job, &app, "applied", "interview", &actor),
            move_card(&st.db, &job, &app, "applied", "offer", &actor),
        );
        assert!(
            a.is_ok() ^ b.is_ok(),
            "one move wins, the other is told: {a:?} {b:?}"
        );
    }
}
