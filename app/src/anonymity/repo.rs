//! Reads and writes of a job's anonymised review, and which people are masked.

use super::rules;
use crate::error::AppResult;
use crate::jobs::repo::{JobRow, StageRow};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::Db;
use std::collections::HashSet;
use surrealdb::types::{RecordId, SurrealValue};

/// Turns anonymised review on until `until` (a stage id), changes it, or turns it off (None),
/// and records who did it on the job's activity.
pub async fn set(db: &Db, job: &JobRow, until: Option<String>, actor: &Actor) -> AppResult<()> {
    let stage_name = |id: &str| {
        job.stages
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let summary = match (&job.anonymise_until, &until) {
        (None, Some(u)) => format!(
            "Turned on anonymised review: names hidden until {}",
            stage_name(u)
        ),
        (Some(_), Some(u)) => format!(
            "Changed anonymised review: names hidden until {}",
            stage_name(u)
        ),
        (Some(_), None) => {
            "Turned off anonymised review: everyone on this job now sees candidates' names"
                .to_string()
        }
        (None, None) => return Ok(()),
    };
    let activity = NewActivity::new(actor, "anonymised_review", summary).job(&job.id);
    db.query(
        "BEGIN TRANSACTION;
         UPDATE $id SET anonymise_until = $until;
         CREATE activity CONTENT $activity;
         COMMIT TRANSACTION;",
    )
    .bind(("id", job.id.clone()))
    .bind(("until", until))
    .bind(("activity", activity))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

/// Why a person is masked: an application to an anonymised job that has not reached the stage
/// that reveals names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    pub person: RecordId,
    pub job_title: String,
    pub reveal_stage: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct AppRow {
    person: RecordId,
    stage: String,
    stages: Vec<StageRow>,
    until: Option<String>,
    job_title: String,
}

/// The masks on `people` (at most one per person and job). Someone with a masked application
/// is masked everywhere their person record shows, so another job's page cannot reveal them.
pub async fn masks(db: &Db, people: &[RecordId]) -> AppResult<Vec<Mask>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let mut res = db
        .query(
            "SELECT person, stage, job.stages AS stages, job.anonymise_until AS until,
                job.title AS job_title
             FROM application WHERE person IN $people AND job.anonymise_until != NONE",
        )
        .bind(("people", people.to_vec()))
        .await?;
    let rows: Vec<AppRow> = res.take(0)?;
    let mut out: Vec<Mask> = Vec::new();
    for r in rows {
        let stages: Vec<_> = r.stages.iter().map(StageRow::to_stage).collect();
        let Some(until) = r.until.as_deref() else {
            continue;
        };
        if rules::masked(&stages, Some(until), &r.stage) {
            let reveal = stages
                .get(rules::reveal_index(&stages, until))
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let m = Mask {
                person: r.person,
                job_title: r.job_title,
                reveal_stage: reveal,
            };
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    Ok(out)
}

/// Gives the masked people among `items` their alias for a name. `person` returns an item's
/// person key and the name to overwrite. Returns the keys of those masked, for callers that
/// hide more (an email, a snippet).
pub async fn alias_masked<T>(
    db: &Db,
    items: &mut [T],
    person: impl Fn(&mut T) -> (&str, &mut String),
) -> AppResult<HashSet<String>> {
    let ids: Vec<RecordId> = items
        .iter_mut()
        .map(|i| RecordId::new("person", person(i).0))
        .collect();
    let masked: HashSet<String> = masks(db, &ids)
        .await?
        .iter()
        .map(|m| crate::server::db::key(&m.person))
        .collect();
    for item in items.iter_mut() {
        let (key, name) = person(item);
        if masked.contains(key) {
            *name = rules::alias(key);
        }
    }
    Ok(masked)
}

/// Whether `person` is masked (see [`masks`]).
pub async fn is_masked(db: &Db, person: &RecordId) -> AppResult<bool> {
    Ok(!masks(db, std::slice::from_ref(person)).await?.is_empty())
}
