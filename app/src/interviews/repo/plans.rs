//! Each job's interview plan: interviews per stage, each with its kit; copying a plan.

use super::*;

#[derive(Debug, Clone, SurrealValue)]
pub struct PlanRow {
    pub id: RecordId,
    pub job: RecordId,
    pub stage: String,
    pub position: i64,
    pub name: String,
    pub duration_min: i64,
    pub format: String,
    pub location: String,
    pub attributes: Vec<String>,
    pub questions: Vec<String>,
    pub guidance: String,
}

impl PlanRow {
    fn to_wire(&self, stages: &[StageRow]) -> PlanInterview {
        PlanInterview {
            id: key(&self.id),
            stage: self.stage.clone(),
            stage_name: stages
                .iter()
                .find(|s| s.id == self.stage)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| "(removed stage)".into()),
            name: self.name.clone(),
            duration_min: self.duration_min.max(0) as u32,
            format: Format::parse(&self.format).unwrap_or(Format::Video),
            location: self.location.clone(),
            attributes: self.attributes.clone(),
            questions: self.questions.clone(),
            guidance: self.guidance.clone(),
        }
    }
}

/// A new plan interview, checked.
#[derive(Debug, Clone, SurrealValue)]
pub struct PlanInput {
    pub stage: String,
    pub name: String,
    pub duration_min: i64,
    pub format: String,
    pub location: String,
    pub attributes: Vec<String>,
    pub questions: Vec<String>,
    pub guidance: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewPlanRow {
    job: RecordId,
    stage: String,
    position: i64,
    name: String,
    duration_min: i64,
    format: String,
    location: String,
    attributes: Vec<String>,
    questions: Vec<String>,
    guidance: String,
}

/// The job's interviews, in stage order then position.
pub async fn plan_of(db: &Db, job: &RecordId) -> AppResult<Vec<PlanRow>> {
    let mut res = db
        .query(
            "SELECT id, job, stage, position, name, duration_min, format, location, attributes,
                questions, guidance, created_at FROM plan_interview WHERE job = $job
                ORDER BY position, created_at",
        )
        .bind(("job", job.clone()))
        .await?;
    Ok(res.take(0)?)
}

/// Sorts plan rows by the stage order of the job.
pub fn in_stage_order(mut rows: Vec<PlanRow>, stages: &[StageRow]) -> Vec<PlanRow> {
    rows.sort_by_key(|r| {
        (
            stages
                .iter()
                .position(|s| s.id == r.stage)
                .unwrap_or(usize::MAX),
            r.position,
        )
    });
    rows
}

pub fn plan_wire(rows: &[PlanRow], stages: &[StageRow]) -> Vec<PlanInterview> {
    rows.iter().map(|r| r.to_wire(stages)).collect()
}

pub async fn plan_row(db: &Db, id: &RecordId) -> AppResult<Option<PlanRow>> {
    let mut res = db
        .query(
            "SELECT id, job, stage, position, name, duration_min, format, location, attributes,
                questions, guidance FROM ONLY $id",
        )
        .bind(("id", id.clone()))
        .await?;
    Ok(res.take(0)?)
}

pub async fn add_plan_interview(
    db: &Db,
    job: &RecordId,
    input: PlanInput,
    actor: &Actor,
) -> AppResult<String> {
    let position = plan_of(db, job).await?.len() as i64;
    let id = RecordId::new("plan_interview", new_key());
    let summary = format!("Interview plan: added \"{}\"", input.name);
    let row = NewPlanRow {
        job: job.clone(),
        stage: input.stage,
        position,
        name: input.name,
        duration_min: input.duration_min,
        format: input.format,
        location: input.location,
        attributes: input.attributes,
        questions: input.questions,
        guidance: input.guidance,
    };
    let activity = NewActivity::new(actor, "plan_edited", summary).job(job);
    db.query(
        "BEGIN TRANSACTION;
         CREATE $id CONTENT $row RETURN NONE;
         CREATE activity CONTENT $activity RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("id", id.clone()))
    .bind(("row", row))
    .bind(("activity", activity))
    .await?
    .check()?;
    Ok(key(&id))
}

pub async fn remove_plan_interview(db: &Db, row: &PlanRow, actor: &Actor) -> AppResult<()> {
    let activity = NewActivity::new(
        actor,
        "plan_edited",
        format!("Interview plan: removed \"{}\"", row.name),
    )
    .job(&row.job);
    db.query(
        "BEGIN TRANSACTION;
         DELETE $id;
         CREATE activity CONTENT $activity RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("id", row.id.clone()))
    .bind(("activity", activity))
    .await?
    .check()?;
    Ok(())
}

/// Copies `from`'s plan into `to` (after what `to` has), for the stages both jobs have.
/// Returns how many interviews were copied.
pub async fn copy_plan(
    db: &Db,
    from: &RecordId,
    to: &RecordId,
    to_stages: &[StageRow],
    actor: &Actor,
) -> AppResult<usize> {
    let source = plan_of(db, from).await?;
    let start = plan_of(db, to).await?.len() as i64;
    let rows: Vec<NewPlanRow> = source
        .into_iter()
        .filter(|r| to_stages.iter().any(|s| s.id == r.stage))
        .enumerate()
        .map(|(i, r)| NewPlanRow {
            job: to.clone(),
            stage: r.stage,
            position: start + i as i64,
            name: r.name,
            duration_min: r.duration_min,
            format: r.format,
            location: r.location,
            attributes: r.attributes,
            questions: r.questions,
            guidance: r.guidance,
        })
        .collect();
    let n = rows.len();
    if n == 0 {
        return Ok(0);
    }
    let activity = NewActivity::new(
        actor,
        "plan_edited",
        format!("Interview plan: copied {n} interviews from another job"),
    )
    .job(to);
    db.query(
        "BEGIN TRANSACTION;
         INSERT INTO plan_interview $rows RETURN NONE;
         CREATE activity CONTENT $activity RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("rows", rows))
    .bind(("activity", activity))
    .await?
    .check()?;
    Ok(n)
}

#[derive(Debug, Clone, SurrealValue)]
struct JobTitle {
    id: RecordId,
    title: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct JobCount {
    job: RecordId,
    n: i64,
}

/// Other jobs that have a plan to copy.
pub async fn jobs_with_plans(db: &Db, except: &RecordId) -> AppResult<Vec<JobChoice>> {
    let mut res = db
        .query(
            "SELECT job, count() AS n FROM plan_interview GROUP BY job;
             SELECT id, title FROM job ORDER BY title;",
        )
        .await?;
    let counts: Vec<JobCount> = res.take(0)?;
    let titles: Vec<JobTitle> = res.take(1)?;
    Ok(titles
        .into_iter()
        .filter(|j| &j.id != except)
        .filter_map(|j| {
            let n = counts.iter().find(|c| c.job == j.id)?.n;
            Some(JobChoice {
                id: key(&j.id),
                title: j.title,
                interviews: n.max(0) as usize,
            })
        })
        .collect())
}
