//! Activity entries: who did what, when. Timelines and audits read them.

use super::db::Db;
use crate::auth::types::StaffUser;
use crate::error::AppResult;
use surrealdb::types::{RecordId, SurrealValue};

/// Content of a new `activity` row (bind as `$activity`, `CREATE activity CONTENT $activity`).
#[derive(Debug, Clone, SurrealValue)]
pub struct NewActivity {
    pub person: Option<RecordId>,
    pub application: Option<RecordId>,
    pub job: Option<RecordId>,
    pub actor: Option<RecordId>,
    pub actor_label: String,
    pub kind: String,
    pub summary: String,
    pub visible_to_candidate: bool,
}

/// Who acted: a staff member, or a label such as "Candidate" or "System".
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<RecordId>,
    pub label: String,
}

impl Actor {
    pub fn staff(user: &StaffUser) -> Self {
        Self {
            id: Some(RecordId::new("staff", user.id.as_str())),
            label: user.name.clone(),
        }
    }
    pub fn candidate() -> Self {
        Self {
            id: None,
            label: "Candidate".into(),
        }
    }
    pub fn system() -> Self {
        Self {
            id: None,
            label: "System".into(),
        }
    }
}

impl NewActivity {
    pub fn new(actor: &Actor, kind: &str, summary: impl Into<String>) -> Self {
        Self {
            person: None,
            application: None,
            job: None,
            actor: actor.id.clone(),
            actor_label: actor.label.clone(),
            kind: kind.to_string(),
            summary: summary.into(),
            visible_to_candidate: false,
        }
    }
    pub fn person(mut self, p: &RecordId) -> Self {
        self.person = Some(p.clone());
        self
    }
    pub fn application(mut self, a: &RecordId) -> Self {
        self.application = Some(a.clone());
        self
    }
    pub fn job(mut self, j: &RecordId) -> Self {
        self.job = Some(j.clone());
        self
    }
    pub fn for_candidate(mut self) -> Self {
        self.visible_to_candidate = true;
        self
    }
}

/// Writes one entry on its own (use `CREATE activity CONTENT $activity` inside transactions).
pub async fn record(db: &Db, activity: NewActivity) -> AppResult<()> {
    db.query("CREATE activity CONTENT $activity RETURN NONE")
        .bind(("activity", activity))
        .await
        .and_then(|r| r.check())?;
    Ok(())
}
