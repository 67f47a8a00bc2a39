//! The reports' part of the demo: each demo application's stage history and, for most who
//! applied on the careers page, voluntary self-identification answers.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// A demo applicant's voluntary self-identification (the adverse-impact check reads it).
#[derive(Debug, Clone, SurrealValue)]
pub struct DemoSelfId {
    application: RecordId,
    job: RecordId,
    gender: String,
    ethnicity: String,
    veteran: String,
    disability: String,
}

/// One step of a demo application's stage history.
#[derive(Debug, Clone, SurrealValue)]
pub struct DemoStageEvent {
    application: RecordId,
    job: RecordId,
    stage: String,
    status: String,
    at: DateTime<Utc>,
}

/// Picks a value by weight: `choices` are `(value, weight)`.
fn weighted(rng: &mut impl FnMut(usize) -> usize, choices: &[(&str, usize)]) -> String {
    let mut roll = rng(choices.iter().map(|c| c.1).sum());
    for (v, w) in choices {
        if roll < *w {
            return v.to_string();
        }
        roll -= w;
    }
    super::types::DECLINED.into()
}

/// Answers for four in five applicants, drawn from `rng` (`rng(n)` is a number below `n`; give
/// it its own sequence, so the rest of the demo stays as it was); None for those who were not
/// asked or skipped the questions.
pub fn self_identification(
    rng: &mut impl FnMut(usize) -> usize,
    application: &RecordId,
    job: &RecordId,
) -> Option<DemoSelfId> {
    if rng(10) >= 8 {
        return None;
    }
    Some(DemoSelfId {
        application: application.clone(),
        job: job.clone(),
        gender: weighted(
            rng,
            &[
                ("female", 44),
                ("male", 46),
                ("non_binary", 3),
                ("declined", 7),
            ],
        ),
        ethnicity: weighted(
            rng,
            &[
                ("white", 40),
                ("asian", 18),
                ("hispanic", 14),
                ("black", 12),
                ("two_or_more", 5),
                ("declined", 11),
            ],
        ),
        veteran: weighted(
            rng,
            &[("protected", 5), ("not_protected", 85), ("declined", 10)],
        ),
        disability: weighted(rng, &[("yes", 8), ("no", 80), ("declined", 12)]),
    })
}

/// The history of an application that went through `stages` (its current stage last) between
/// `applied` and `entered`, evenly spaced, then was closed (`status` rejected or withdrawn) at
/// `entered` if it is not active.
pub fn stage_history(
    application: &RecordId,
    job: &RecordId,
    stages: &[&str],
    status: &str,
    applied: DateTime<Utc>,
    entered: DateTime<Utc>,
) -> Vec<DemoStageEvent> {
    let last = stages.len().saturating_sub(1).max(1) as i32;
    let step = |stage: &str, status: &str, at| DemoStageEvent {
        application: application.clone(),
        job: job.clone(),
        stage: stage.to_string(),
        status: status.to_string(),
        at,
    };
    let mut out: Vec<DemoStageEvent> = stages
        .iter()
        .enumerate()
        .map(|(s, stage)| {
            step(
                stage,
                "active",
                applied + (entered - applied) * s as i32 / last,
            )
        })
        .collect();
    if status != "active"
        && let Some(current) = stages.last()
    {
        out.push(step(current, status, entered));
    }
    out
}
