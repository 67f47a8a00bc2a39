//! The campaign report: per step and per A/B variant.

use super::repo::CampaignRow;
use super::sequence::Step;
use super::types::{CampaignReport, CampaignStatus, StepReport};
use crate::error::AppResult;
use crate::server::db::{Db, key};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct MailRow {
    person: Option<RecordId>,
    step_id: Option<String>,
    variant: Option<String>,
    status: String,
    subject: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct EngRow {
    kind: String,
    person: RecordId,
    step_id: Option<String>,
    variant: Option<String>,
    machine: bool,
}

#[derive(Debug, Clone, SurrealValue)]
struct EnrRow {
    person: RecordId,
    status: String,
    enrolled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
struct AppRow {
    person: RecordId,
    stage: String,
    stages: Vec<crate::jobs::repo::StageRow>,
    created_at: DateTime<Utc>,
}

pub async fn report(db: &Db, c: &CampaignRow) -> AppResult<CampaignReport> {
    let mut r = db
        .query(
            "SELECT person, step_id, variant, status, subject FROM mail WHERE campaign = $c;
             SELECT kind, person, step_id, variant, machine FROM engagement WHERE campaign = $c;
             SELECT person, status, enrolled_at FROM enrollment WHERE campaign = $c;
             LET $people = SELECT VALUE person FROM enrollment WHERE campaign = $c;
             SELECT person, stage, job.stages AS stages, created_at FROM application WHERE person IN $people;",
        )
        .bind(("c", c.id.clone()))
        .await?;
    let mails: Vec<MailRow> = r.take(0)?;
    let events: Vec<EngRow> = r.take(1)?;
    let enrollments: Vec<EnrRow> = r.take(2)?;
    let apps: Vec<AppRow> = r.take(4)?;
    let enrolled_at: HashMap<String, DateTime<Utc>> = enrollments
        .iter()
        .map(|e| (key(&e.person), e.enrolled_at))
        .collect();
    let count_status = |s: &str| enrollments.iter().filter(|e| e.status == s).count() as i64;
    let uniq =
        |kind: &str, step: Option<&str>, variant: Option<&str>, machine: Option<bool>| -> i64 {
            events
                .iter()
                .filter(|e| {
                    (e.kind == kind
                        || (kind == "open" && e.kind == "click" && machine != Some(true)))
                        && step.is_none_or(|s| e.step_id.as_deref() == Some(s))
                        && variant.is_none_or(|v| e.variant.as_deref() == Some(v))
                        && machine.is_none_or(|m| e.machine == m)
                })
                .map(|e| key(&e.person))
                .collect::<HashSet<_>>()
                .len() as i64
        };
    let steps = c.steps();
    let mut step_reports = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let Step::Email {
            id,
            subject,
            subject_b,
            ..
        } = s
        else {
            continue;
        };
        let ab = subject_b.as_ref().is_some_and(|b| !b.trim().is_empty());
        let variants: Vec<Option<&str>> = if ab {
            vec![Some("A"), Some("B")]
        } else {
            vec![None]
        };
        for v in variants {
            let ms: Vec<&MailRow> = mails
                .iter()
                .filter(|m| {
                    m.step_id.as_deref() == Some(id.as_str())
                        && v.is_none_or(|v| m.variant.as_deref() == Some(v))
                })
                .collect();
            step_reports.push(StepReport {
                step_id: id.clone(),
                position: i + 1,
                description: s.describe(&steps),
                variant: v.map(str::to_string),
                subject: match v {
                    Some("B") => subject_b.clone().unwrap_or_default(),
                    _ => subject.clone(),
                },
                sent: ms.iter().filter(|m| m.status == "sent").count() as i64,
                failed: ms.iter().filter(|m| m.status == "failed").count() as i64,
                queued: ms
                    .iter()
                    .filter(|m| m.status == "queued" || m.status == "outbox")
                    .count() as i64,
                opened: uniq("open", Some(id), v, Some(false)),
                machine_opens: uniq("open", Some(id), v, Some(true)),
                clicked: uniq("click", Some(id), v, None),
                replied: uniq("reply", Some(id), v, None),
            });
        }
    }
    let applied: HashSet<String> = apps
        .iter()
        .filter(|a| {
            enrolled_at
                .get(&key(&a.person))
                .is_some_and(|t| a.created_at >= *t)
        })
        .map(|a| key(&a.person))
        .collect();
    let hired = apps
        .iter()
        .filter(|a| applied.contains(&key(&a.person)))
        .filter(|a| {
            a.stages
                .iter()
                .any(|s| s.id == a.stage && s.kind == "hired")
        })
        .map(|a| key(&a.person))
        .collect::<HashSet<_>>()
        .len() as i64;
    let sent = mails.iter().filter(|m| m.status == "sent").count() as i64;
    Ok(CampaignReport {
        id: key(&c.id),
        name: c.name.clone(),
        status: CampaignStatus::parse(&c.status),
        enrolled: enrollments.len() as i64,
        active: count_status("active"),
        completed: count_status("completed"),
        stopped: count_status("stopped"),
        sent: mails.iter().filter(|m| m.status != "suppressed").count() as i64,
        delivered: sent,
        opened: uniq("open", None, None, Some(false)),
        clicked: uniq("click", None, None, None),
        replied: uniq("reply", None, None, None),
        applied: applied.len() as i64,
        hired,
        unsubscribed: uniq("unsubscribe", None, None, None),
        steps: step_reports,
    })
}
