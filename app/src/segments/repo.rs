//! Segment storage: saved definitions, and who matches one right now.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::people::crm::{MEMBER_FIELDS, MemberRow};
use crate::server::activity::Actor;
use crate::server::db::{Db, key, new_key, write_guarded};
use chrono::Utc;
use std::collections::HashSet;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct SegmentRow {
    id: RecordId,
    name: String,
    definition: serde_json::Value,
}

fn definition_of(v: &serde_json::Value) -> SegmentDefinition {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

/// People ids with an application at or beyond a stage (by each job's own stage order).
async fn reached(db: &Db, stage: &str) -> AppResult<Vec<RecordId>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        person: RecordId,
        stage: String,
        stages: Vec<crate::jobs::repo::StageRow>,
    }
    let mut r = db
        .query("SELECT person, stage, job.stages AS stages FROM application")
        .await?;
    let rows: Vec<Row> = r.take(0)?;
    let mut out = Vec::new();
    for row in rows {
        let pos = |id: &str| row.stages.iter().position(|s| s.id == id);
        if let (Some(target), Some(at)) = (pos(stage), pos(&row.stage))
            && at >= target
        {
            out.push(row.person);
        }
    }
    Ok(out)
}

/// Everyone a segment definition matches right now.
pub async fn segment_people(db: &Db, d: &SegmentDefinition) -> AppResult<Vec<MemberRow>> {
    let (clauses, cutoff) = d.conditions(Utc::now());
    let reached_ids = if d.stage_reached.is_empty() {
        None
    } else {
        Some(reached(db, &d.stage_reached).await?)
    };
    let source = if reached_ids.is_some() {
        "$reached"
    } else {
        "person"
    };
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let skills_lower: Vec<String> = d.skills.clone();
    let mut r = db
        .query(format!(
            "SELECT {MEMBER_FIELDS} FROM {source} {filter} ORDER BY last_name, first_name"
        ))
        .bind(("tags", d.tags.clone()))
        .bind(("skills", skills_lower))
        .bind(("location", d.location.to_lowercase()))
        .bind(("sources", d.sources.clone()))
        .bind(("cutoff", cutoff))
        .bind(("min", d.min_engagement))
        .bind((
            "reached",
            reached_ids.map(|v| {
                let mut seen = HashSet::new();
                v.into_iter()
                    .filter(|id| seen.insert(key(id)))
                    .collect::<Vec<_>>()
            }),
        ))
        .await?;
    Ok(r.take(0)?)
}

pub async fn segments(db: &Db) -> AppResult<Vec<SegmentSummary>> {
    let mut r = db
        .query("SELECT id, name, definition FROM segment ORDER BY name")
        .await?;
    let rows: Vec<SegmentRow> = r.take(0)?;
    let mut out = Vec::new();
    for s in rows {
        let d = definition_of(&s.definition);
        let members = segment_people(db, &d).await?.len() as i64;
        out.push(SegmentSummary {
            id: key(&s.id),
            name: s.name,
            description: d.describe(),
            members,
        });
    }
    Ok(out)
}

pub async fn segment(db: &Db, id: &RecordId) -> AppResult<Option<(String, SegmentDefinition)>> {
    let mut r = db
        .query("SELECT id, name, definition FROM ONLY $id")
        .bind(("id", id.clone()))
        .await?;
    let row: Option<SegmentRow> = r.take(0)?;
    Ok(row.map(|s| (s.name, definition_of(&s.definition))))
}

pub async fn save_segment(
    db: &Db,
    id: Option<&RecordId>,
    name: &str,
    d: &SegmentDefinition,
    actor: &Actor,
) -> AppResult<RecordId> {
    let id = id
        .cloned()
        .unwrap_or_else(|| RecordId::new("segment", new_key()));
    let definition = serde_json::to_value(d)?;
    write_guarded(
        db.query("UPSERT $id SET name = $name, definition = $d, created_by = created_by ?? $by RETURN NONE")
            .bind(("id", id.clone()))
            .bind(("name", name.to_string()))
            .bind(("d", definition))
            .bind(("by", actor.id.clone())),
        &[("already contains", AppError::invalid("name", "There is already a segment with that name."))],
    )
    .await?;
    Ok(id)
}
