//! Jobs in the database.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

pub const TABLE: &str = "job";

#[derive(Debug, Clone, SurrealValue)]
pub struct StageRow {
    pub id: String,
    pub name: String,
    pub kind: String,
}

impl StageRow {
    pub fn to_stage(&self) -> Stage {
        Stage {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: if self.kind == "hired" {
                StageKind::Hired
            } else {
                StageKind::Active
            },
        }
    }
    pub fn from_stage(s: &Stage) -> Self {
        Self {
            id: s.id.clone(),
            name: s.name.clone(),
            kind: match s.kind {
                StageKind::Hired => "hired".into(),
                StageKind::Active => "active".into(),
            },
        }
    }
}

/// The ids of the hired stages among several jobs' pipelines, each once. Hired is where a
/// candidate is meant to stay: lists of who is "stuck" leave these out.
pub fn hired_stage_ids<'a>(pipelines: impl Iterator<Item = &'a [StageRow]>) -> Vec<String> {
    let mut hired: Vec<String> = pipelines
        .flat_map(|stages| {
            stages
                .iter()
                .filter(|s| s.kind == "hired")
                .map(|s| s.id.clone())
        })
        .collect();
    hired.sort();
    hired.dedup();
    hired
}

#[derive(Debug, Clone, SurrealValue)]
pub struct JobRow {
    pub id: RecordId,
    pub title: String,
    pub department: String,
    pub location: String,
    pub remote: bool,
    pub employment_type: String,
    pub description: String,
    pub status: String,
    pub stages: Vec<StageRow>,
    pub hiring_manager: Option<RecordId>,
    pub hiring_manager_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub headcount: i64,
    pub target_start: Option<DateTime<Utc>>,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<String>,
    pub valid_through: Option<DateTime<Utc>>,
    pub approvers: Vec<RecordId>,
    pub approver_names: Vec<String>,
    pub approval_status: String,
    pub anonymise_until: Option<String>,
}

const JOB_FIELDS: &str = "id, title, department, location, remote, employment_type, description,
    status, stages, hiring_manager, hiring_manager.name AS hiring_manager_name, created_at, published_at,
    headcount, target_start, salary_min, salary_max, salary_currency, salary_period, valid_through,
    approvers, approvers.*.name AS approver_names, approval_status, anonymise_until";

fn ymd(d: &Option<DateTime<Utc>>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn midnight(d: chrono::NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

impl JobRow {
    pub fn status(&self) -> JobStatus {
        JobStatus::parse(&self.status).unwrap_or(JobStatus::Draft)
    }
    pub fn stages(&self) -> Vec<Stage> {
        self.stages.iter().map(StageRow::to_stage).collect()
    }
    pub fn hiring_manager_key(&self) -> Option<String> {
        self.hiring_manager.as_ref().map(key)
    }
    pub fn employment_type(&self) -> EmploymentType {
        EmploymentType::parse(&self.employment_type).unwrap_or(EmploymentType::FullTime)
    }
    pub fn approval_status(&self) -> crate::approvals::types::ApprovalStatus {
        crate::approvals::types::ApprovalStatus::parse(&self.approval_status)
    }
    /// The day the posting stops being valid: as set, or 60 days after publishing.
    pub fn valid_through_or_default(&self) -> Option<DateTime<Utc>> {
        self.valid_through
            .or_else(|| self.published_at.map(|p| p + chrono::Duration::days(60)))
    }
    pub fn to_detail(&self) -> JobDetail {
        JobDetail {
            id: key(&self.id),
            title: self.title.clone(),
            department: self.department.clone(),
            location: self.location.clone(),
            remote: self.remote,
            employment_type: self.employment_type(),
            description: self.description.clone(),
            status: self.status(),
            stages: self.stages(),
            hiring_manager_id: self.hiring_manager_key(),
            hiring_manager_name: self.hiring_manager_name.clone(),
            created_at: self.created_at.to_rfc3339(),
            published_at: self.published_at.map(|d| d.to_rfc3339()),
            headcount: self.headcount,
            target_start: ymd(&self.target_start),
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            salary_currency: self.salary_currency.clone(),
            salary_period: self.salary_period.clone(),
            valid_through: ymd(&self.valid_through),
            approvers: self
                .approvers
                .iter()
                .zip(
                    self.approver_names
                        .iter()
                        .chain(std::iter::repeat(&String::new())),
                )
                .map(|(id, name)| StaffOption {
                    id: key(id),
                    name: name.clone(),
                })
                .collect(),
            approval_status: self.approval_status(),
            anonymise_until: self.anonymise_until.clone(),
        }
    }
    /// The public view; `json_ld` is filled by the caller (it needs the site's URL).
    pub fn to_public(&self) -> PublicJob {
        PublicJob {
            id: key(&self.id),
            title: self.title.clone(),
            department: self.department.clone(),
            location: self.location.clone(),
            remote: self.remote,
            employment_type: self.employment_type(),
            description: self.description.clone(),
            published_at: self.published_at.map(|d| d.to_rfc3339()),
            valid_through: self.valid_through_or_default().map(|d| d.to_rfc3339()),
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            salary_currency: self.salary_currency.clone(),
            salary_period: self.salary_period.clone(),
            json_ld: String::new(),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct JobListRow {
    id: RecordId,
    title: String,
    department: String,
    location: String,
    remote: bool,
    employment_type: String,
    status: String,
    /// Its active applications.
    active: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct JobContent {
    title: String,
    department: String,
    location: String,
    remote: bool,
    employment_type: String,
    description: String,
    hiring_manager: Option<RecordId>,
    valid_through: Option<DateTime<Utc>>,
    target_start: Option<DateTime<Utc>>,
}

/// The requisition part of a job, which approval locks.
#[derive(Debug, Clone, PartialEq, SurrealValue)]
struct Requisition {
    headcount: i64,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    salary_currency: Option<String>,
    salary_period: Option<String>,
    approvers: Vec<RecordId>,
}

impl Requisition {
    fn from_input(input: &JobInput) -> Self {
        Self {
            headcount: input.headcount,
            salary_min: input.salary.as_ref().and_then(|s| s.min),
            salary_max: input.salary.as_ref().and_then(|s| s.max),
            salary_currency: input.salary.as_ref().map(|s| s.currency.clone()),
            salary_period: input.salary.as_ref().map(|s| s.period.clone()),
            approvers: input
                .approvers
                .iter()
                .map(|a| RecordId::new("staff", a.as_str()))
                .collect(),
        }
    }
    fn of(job: &JobRow) -> Self {
        Self {
            headcount: job.headcount,
            salary_min: job.salary_min,
            salary_max: job.salary_max,
            salary_currency: job.salary_currency.clone(),
            salary_period: job.salary_period.clone(),
            approvers: job.approvers.clone(),
        }
    }
}

impl JobContent {
    fn from_input(input: &JobInput) -> Self {
        Self {
            title: input.title.clone(),
            department: input.department.clone(),
            location: input.location.clone(),
            remote: input.remote,
            employment_type: input.employment_type.as_str().into(),
            description: input.description.clone(),
            hiring_manager: input
                .hiring_manager
                .as_deref()
                .map(|k| RecordId::new("staff", k)),
            valid_through: input.valid_through.map(midnight),
            target_start: input.target_start.map(midnight),
        }
    }
}

pub async fn get(db: &Db, id: &RecordId) -> AppResult<Option<JobRow>> {
    let mut res = db
        .query(format!("SELECT {JOB_FIELDS} FROM ONLY $id"))
        .bind(("id", id.clone()))
        .await?;
    Ok(res.take(0)?)
}

/// Jobs for the staff list; `only_managed_by` limits it to one hiring manager's jobs.
///
/// Each job's active applications are counted from its key range in `active_application`:
/// grouping the applications by job read and decoded every active one (60 ms at 20,000,
/// `bench scale`, "jobs list"); now 10 ms.
pub async fn list(db: &Db, only_managed_by: Option<RecordId>) -> AppResult<Vec<JobSummary>> {
    let mut res = db
        .query(
            "SELECT id, title, department, location, remote, employment_type, status, created_at,
                    (SELECT count() AS n FROM active_application:[$parent.id, NONE]..=[$parent.id, ..]
                        GROUP ALL)[0].n ?? 0 AS active
                FROM job WHERE $hm = NONE OR hiring_manager = $hm ORDER BY created_at DESC;",
        )
        .bind(("hm", only_managed_by))
        .await?;
    let rows: Vec<JobListRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| JobSummary {
            active_applications: r.active,
            id: key(&r.id),
            title: r.title,
            department: r.department,
            location: r.location,
            remote: r.remote,
            employment_type: EmploymentType::parse(&r.employment_type)
                .unwrap_or(EmploymentType::FullTime),
            status: JobStatus::parse(&r.status).unwrap_or(JobStatus::Draft),
        })
        .collect())
}

/// The shape of `active_application`: a database whose marker in `setting` names another (or
/// none: one from before the table) has it filled from the applications once, at start.
const ACTIVE_VERSION: &str = "1";

/// Fills `active_application` from the applications, once per database (later starts read the
/// marker and do nothing); from then on the applications' event keeps it. One transaction, so
/// an application changing meanwhile on another node cannot leave a stale key (a conflict is
/// tried again). Returns how many keys it wrote.
pub async fn fill_active_once(db: &Db) -> AppResult<usize> {
    use crate::server::db::{filled, mark_filled};
    if filled(db, "active_applications", ACTIVE_VERSION).await? {
        return Ok(0);
    }
    crate::server::db::retry_conflicts(|| async {
        let mut r = crate::server::db::write(
            db.query(concat!(
                "BEGIN TRANSACTION;
                 DELETE active_application RETURN NONE;
                 LET $active = SELECT id, job FROM application WHERE status = 'active';
                 FOR $a IN $active {
                    UPSERT type::record('active_application', [$a.job, $a.id]) RETURN NONE;
                 };",
                mark_filled!(),
                "RETURN count($active);
                 COMMIT TRANSACTION;"
            ))
            .bind(("marker", "active_applications"))
            .bind(("version", ACTIVE_VERSION)),
        )
        .await?;
        let n: Option<usize> = r.take(5)?;
        Ok(n.unwrap_or(0))
    })
    .await
}

#[derive(Debug, Clone, SurrealValue)]
struct JobTitleRow {
    id: RecordId,
    title: String,
    status: String,
}

/// Every job's id, title and status, newest first: the choices of a "which job" menu. Cheap,
/// unlike [`list`], which counts each job's applications.
pub async fn titles(db: &Db) -> AppResult<Vec<(String, String, JobStatus)>> {
    let mut res = db
        .query("SELECT id, title, status, created_at FROM job ORDER BY created_at DESC")
        .await?;
    let rows: Vec<JobTitleRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = JobStatus::parse(&r.status).unwrap_or(JobStatus::Draft);
            (key(&r.id), r.title, status)
        })
        .collect())
}

pub async fn list_open(db: &Db) -> AppResult<Vec<JobRow>> {
    let mut res = db
        .query(format!(
            "SELECT {JOB_FIELDS} FROM job WHERE status = 'open' ORDER BY published_at DESC"
        ))
        .await?;
    Ok(res.take(0)?)
}

#[derive(Debug, Clone, SurrealValue)]
struct NewJob {
    stages: Vec<StageRow>,
    status: String,
    owner: Option<RecordId>,
    title: String,
    description: String,
    department: String,
    location: String,
    employment_type: String,
}

pub async fn create(db: &Db, input: &JobInput, actor: &Actor) -> AppResult<RecordId> {
    let id = RecordId::new(TABLE, crate::server::db::new_key());
    let activity = NewActivity::new(
        actor,
        "job_created",
        format!("Created job “{}”", input.title),
    )
    .job(&id);
    crate::server::db::write(
        db.query(
            "BEGIN TRANSACTION;
             CREATE $id CONTENT $new RETURN NONE;
             UPDATE $id MERGE $job RETURN NONE;
             UPDATE $id MERGE $requisition RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("id", id.clone()))
        .bind((
            "new",
            NewJob {
                stages: default_stages().iter().map(StageRow::from_stage).collect(),
                status: "draft".into(),
                owner: actor.id.clone(),
                title: input.title.clone(),
                description: input.description.clone(),
                department: input.department.clone(),
                location: input.location.clone(),
                employment_type: input.employment_type.as_str().into(),
            },
        ))
        .bind(("job", JobContent::from_input(input)))
        .bind(("requisition", Requisition::from_input(input)))
        .bind(("activity", activity)),
    )
    .await?;
    Ok(id)
}

pub async fn update(db: &Db, id: &RecordId, input: &JobInput, actor: &Actor) -> AppResult<()> {
    let current = get(db, id).await?.ok_or(AppError::NotFound)?;
    let requisition = Requisition::from_input(input);
    if requisition != Requisition::of(&current) && !current.approval_status().requisition_editable()
    {
        return Err(AppError::Conflict(
            "Headcount, salary and approvers are locked while approval is pending or granted. \
             Withdraw the approval request to change them."
                .into(),
        ));
    }
    let activity = NewActivity::new(actor, "job_updated", "Edited the job details").job(id);
    let mut res = crate::server::db::write(
        db.query(
            "BEGIN TRANSACTION;
             LET $updated = UPDATE $id MERGE $job RETURN VALUE id;
             UPDATE $id MERGE $requisition RETURN NONE;
             IF array::len($updated) > 0 { CREATE activity CONTENT $activity };
             RETURN $updated;
             COMMIT TRANSACTION;",
        )
        .bind(("id", id.clone()))
        .bind(("job", JobContent::from_input(input)))
        .bind(("requisition", requisition))
        .bind(("activity", activity)),
    )
    .await?;
    let updated: Vec<RecordId> = crate::server::db::txn_return(&mut res)?;
    if updated.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Moves a job between draft, open and closed, with an activity entry. Publishing needs the
/// requisition approved.
pub async fn set_status(db: &Db, id: &RecordId, status: JobStatus, actor: &Actor) -> AppResult<()> {
    if status == JobStatus::Open {
        let job = get(db, id).await?.ok_or(AppError::NotFound)?;
        if job.approval_status() != crate::approvals::types::ApprovalStatus::Approved {
            return Err(AppError::Conflict(
                "This job needs its requisition approved before it can be published.".into(),
            ));
        }
    }
    let summary = match status {
        JobStatus::Open => "Published the job",
        JobStatus::Closed => "Closed the job",
        JobStatus::Draft => "Moved the job back to draft",
    };
    let activity = NewActivity::new(actor, "job_status", summary).job(id);
    db.query(
        "BEGIN TRANSACTION;
         UPDATE $id SET status = $status,
            published_at = IF $status = 'open' THEN time::now() ELSE published_at END;
         CREATE activity CONTENT $activity;
         COMMIT TRANSACTION;",
    )
    .bind(("id", id.clone()))
    .bind(("status", status.as_str().to_string()))
    .bind(("activity", activity))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct StaffOptionRow {
    id: RecordId,
    name: String,
}

/// Staff who can be a job's hiring manager.
pub async fn hiring_manager_options(db: &Db) -> AppResult<Vec<StaffOption>> {
    let mut res = db
        .query(
            "SELECT id, name FROM staff WHERE active = true
             AND role IN ['hiring_manager', 'recruiter', 'admin'] ORDER BY name",
        )
        .await?;
    let rows: Vec<StaffOptionRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| StaffOption {
            id: key(&r.id),
            name: r.name,
        })
        .collect())
}

#[derive(Debug, Clone, SurrealValue)]
struct ActivityRow {
    at: DateTime<Utc>,
    actor_label: String,
    kind: String,
    summary: String,
}

/// A job's own activity (not its candidates'), newest first.
pub async fn activity(
    db: &Db,
    job: &RecordId,
) -> AppResult<Vec<crate::people::types::ProfileEntry>> {
    let mut r = db
        .query(
            "SELECT at, actor_label, kind, summary FROM activity
             WHERE job = $job AND person = NONE ORDER BY at DESC LIMIT 200",
        )
        .bind(("job", job.clone()))
        .await?;
    let rows: Vec<ActivityRow> = r.take(0)?;
    Ok(rows
        .into_iter()
        .map(|a| crate::people::types::ProfileEntry {
            at: a.at.to_rfc3339(),
            actor: a.actor_label,
            kind: a.kind,
            text: a.summary,
        })
        .collect())
}
