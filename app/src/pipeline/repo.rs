//! Board reads and card moves.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::jobs::repo::JobRow;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, internal, key};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct CardRow {
    id: RecordId,
    person: RecordId,
    first_name: String,
    last_name: String,
    stage: String,
    status: String,
    stage_entered_at: DateTime<Utc>,
}

impl CardRow {
    fn to_card(&self, now: DateTime<Utc>) -> Card {
        Card {
            id: key(&self.id),
            person_id: key(&self.person),
            name: format!("{} {}", self.first_name, self.last_name)
                .trim()
                .to_string(),
            stage: self.stage.clone(),
            status: self.status.clone(),
            days_in_stage: (now - self.stage_entered_at).num_days().max(0),
        }
    }
}

const CARD_FIELDS: &str =
    "id, person, person.first_name AS first_name, person.last_name AS last_name,
    stage, status, stage_entered_at";

pub async fn board(db: &Db, job: &JobRow) -> AppResult<Board> {
    let mut res = db
        .query(format!(
            "SELECT {CARD_FIELDS} FROM application WHERE job = $job ORDER BY stage_entered_at ASC"
        ))
        .bind(("job", job.id.clone()))
        .await
        .map_err(internal)?;
    let rows: Vec<CardRow> = res.take(0).map_err(internal)?;
    let now = Utc::now();
    Ok(Board {
        job_id: key(&job.id),
        job_title: job.title.clone(),
        columns: columns_for(&job.stages()),
        cards: rows.iter().map(|r| r.to_card(now)).collect(),
    })
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
        .await
        .map_err(internal)?;
    let current: Option<AppNow> = res.take(0).map_err(internal)?;
    let current = current
        .filter(|c| c.job == job.id)
        .ok_or(AppError::NotFound)?;
    let current_card = Card {
        id: String::new(),
        person_id: String::new(),
        name: String::new(),
        stage: current.stage.clone(),
        status: current.status.clone(),
        days_in_stage: 0,
    };
    if current_card.column() != from {
        return Err(AppError::Conflict(
            "Someone else moved this candidate a moment ago. The board shows where they are now."
                .into(),
        ));
    }
    if from == to {
        return card(db, application).await;
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
    let done: Vec<RecordId> = crate::server::db::txn_return(&mut res).map_err(internal)?;
    if done.is_empty() {
        return Err(AppError::Conflict(
            "Someone else moved this candidate a moment ago. The board shows where they are now."
                .into(),
        ));
    }
    card(db, application).await
}

pub async fn card(db: &Db, application: &RecordId) -> AppResult<Card> {
    let mut res = db
        .query(format!("SELECT {CARD_FIELDS} FROM ONLY $app"))
        .bind(("app", application.clone()))
        .await
        .map_err(internal)?;
    let row: Option<CardRow> = res.take(0).map_err(internal)?;
    row.map(|r| r.to_card(Utc::now())).ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::testing;

    async fn first_active(st: &crate::server::AppState, job: &str) -> (JobRow, Card) {
        let job = crate::jobs::repo::get(&st.db, &RecordId::new("job", job))
            .await
            .unwrap()
            .unwrap();
        let b = board(&st.db, &job).await.unwrap();
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
