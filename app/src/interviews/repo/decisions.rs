//! Hiring decisions after the debrief, with their reasons.

use super::*;

/// Records a hiring decision (the move it makes is the caller's, done first).
pub async fn record_decision(
    db: &Db,
    app: &AppContext,
    by: &RecordId,
    decision: &str,
    reason: &str,
    actor: &Actor,
) -> AppResult<()> {
    let activity = NewActivity::new(
        actor,
        "hiring_decision",
        format!(
            "Decision: {}. {}",
            if decision == "advance" {
                "advance"
            } else {
                "reject"
            },
            reason
        ),
    )
    .person(&app.person)
    .application(&app.id)
    .job(&app.job);
    db.query(
        "BEGIN TRANSACTION;
         CREATE hiring_decision CONTENT {
            application: $app, job: $job, decided_by: $by, decision: $decision, reason: $reason,
            stage: $stage
         } RETURN NONE;
         CREATE activity CONTENT $activity RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("app", app.id.clone()))
    .bind(("job", app.job.clone()))
    .bind(("by", by.clone()))
    .bind(("decision", decision.to_string()))
    .bind(("reason", reason.to_string()))
    .bind(("stage", app.stage.clone()))
    .bind(("activity", activity))
    .await?
    .check()?;
    Ok(())
}

/// The application's decisions, newest first.
pub async fn decisions_of(db: &Db, app: &AppContext) -> AppResult<Vec<Decision>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        by: String,
        decision: String,
        stage: String,
        reason: String,
        created_at: DateTime<Utc>,
    }
    let mut res = db
        .query(
            "SELECT decided_by.name AS by, decision, stage, reason, created_at FROM hiring_decision
                WHERE application = $app ORDER BY created_at DESC",
        )
        .bind(("app", app.id.clone()))
        .await?;
    let rows: Vec<Row> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| Decision {
            stage_name: app
                .stages
                .iter()
                .find(|s| s.id == r.stage)
                .map(|s| s.name.clone())
                .unwrap_or(r.stage),
            by: r.by,
            decision: r.decision,
            reason: r.reason,
            at: r.created_at.to_rfc3339(),
        })
        .collect())
}
