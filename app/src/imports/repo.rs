//! Import storage: the import job (its file, mapping, options and progress) and the batched
//! writes of the people it reads.

use super::csv::{check_mapping, inspect, preview};
use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, new_key, write_guarded};
use crate::server::tasks::NewTask;
use crate::server::tasks::Task;
use surrealdb::types::{RecordId, SurrealValue};

/// Task: run (or resume) a CSV import whose mapping was confirmed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RunImport {
    /// Key of the `import_job` row.
    pub import: String,
}

impl Task for RunImport {
    const KIND: &'static str = "import";
}

#[derive(Debug, Clone, SurrealValue)]
pub struct ImportRow {
    pub id: RecordId,
    pub filename: String,
    pub csv: String,
    pub headers: Vec<String>,
    pub mapping: serde_json::Value,
    pub duplicates: String,
    pub pool: Option<RecordId>,
    pub tag: Option<String>,
    pub status: String,
    pub total_rows: i64,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub applications: i64,
    pub errors: Vec<serde_json::Value>,
}

impl ImportRow {
    pub fn mapping(&self) -> Vec<String> {
        let m: Vec<String> = serde_json::from_value(self.mapping.clone()).unwrap_or_default();
        if m.len() == self.headers.len() {
            m
        } else {
            self.headers
                .iter()
                .map(|h| guess_field(h).to_string())
                .collect()
        }
    }
    pub fn view(&self) -> ImportView {
        ImportView {
            id: key(&self.id),
            filename: self.filename.clone(),
            // The schema only admits the five names.
            status: ImportStatus::parse(&self.status).unwrap_or(ImportStatus::Failed),
            headers: self.headers.clone(),
            mapping: self.mapping(),
            preview: preview(&self.csv, 5),
            duplicates: self.duplicates.clone(),
            total_rows: self.total_rows,
            processed: self.processed,
            created: self.created,
            updated: self.updated,
            skipped: self.skipped,
            applications: self.applications,
            errors: self
                .errors
                .iter()
                .filter_map(|e| serde_json::from_value(e.clone()).ok())
                .collect(),
            plan: None,
        }
    }
}

pub async fn create(
    db: &Db,
    filename: &str,
    csv_text: String,
    actor_id: Option<RecordId>,
) -> AppResult<RecordId> {
    let (headers, rows) = inspect(&csv_text).map_err(|m| AppError::invalid("file", m))?;
    let mapping: Vec<String> = headers.iter().map(|h| guess_field(h).to_string()).collect();
    let id = RecordId::new("import_job", new_key());
    db.query(
        "BEGIN TRANSACTION;
         CREATE $id SET filename = $f, headers = $h, mapping = $m, total_rows = $n, created_by = $by RETURN NONE;
         CREATE $file SET csv = $csv RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("id", id.clone()))
    .bind(("file", file_of(&id)))
    .bind(("f", filename.to_string()))
    .bind(("csv", csv_text))
    .bind(("h", headers))
    .bind(("m", serde_json::to_value(mapping)?))
    .bind(("n", rows as i64))
    .bind(("by", actor_id))
    .await
    .and_then(|r| r.check())?;
    Ok(id)
}

/// The record holding an import's file.
fn file_of(id: &RecordId) -> RecordId {
    RecordId::new("import_file", key(id).as_str())
}

pub async fn get(db: &Db, id: &RecordId) -> AppResult<Option<ImportRow>> {
    get_with(db, id, "($file.csv ?? csv ?? '') AS csv").await
}

/// The import for its page: only the start of the file (enough for the preview), so polling
/// the progress of a large import stays cheap.
pub async fn get_view(db: &Db, id: &RecordId) -> AppResult<Option<ImportRow>> {
    get_with(
        db,
        id,
        "string::slice($file.csv ?? csv ?? '', 0, 65536) AS csv",
    )
    .await
}

/// The batches an import committed and has not folded into its own record yet (see `finish`).
macro_rules! batches_sql {
    () => {
        "LET $b = (SELECT processed, created, updated, skipped, applications, errors
             FROM import_batch:[$key, NONE]..=[$key, ..]);"
    };
}

/// The import's figures: its own plus those of the batches it committed.
macro_rules! figures_sql {
    () => {
        "processed + math::sum($b.processed) AS processed, created + math::sum($b.created) AS created,
         updated + math::sum($b.updated) AS updated, skipped + math::sum($b.skipped) AS skipped,
         applications + math::sum($b.applications) AS applications,
         array::slice(array::concat(errors, array::flatten($b.errors)), 0, 1000) AS errors"
    };
}

async fn get_with(db: &Db, id: &RecordId, csv: &str) -> AppResult<Option<ImportRow>> {
    let mut r = db
        .query(format!(
            // One transaction, so the batches and the import are read at one moment: read apart,
            // a batch read before `finish` folded it would be counted again after.
            concat!(
                "BEGIN TRANSACTION;",
                batches_sql!(),
                "SELECT id, filename, {csv}, headers, mapping, duplicates, pool, tag, status, total_rows, ",
                figures_sql!(),
                " FROM ONLY $id; COMMIT TRANSACTION;"
            ),
            csv = csv
        ))
        .bind(("id", id.clone()))
        .bind(("key", key(id)))
        .bind(("file", file_of(id)))
        .await?;
    Ok(r.take(2)?)
}

/// Saves the mapping and options and queues the import.
pub async fn start(
    st: &AppState,
    id: &RecordId,
    mapping: Vec<String>,
    duplicates: &str,
    tag: Option<String>,
    pool: Option<RecordId>,
    actor: &Actor,
) -> AppResult<()> {
    let job = get(&st.db, id).await?.ok_or(AppError::NotFound)?;
    if job.status != "mapping" {
        return Err(AppError::Conflict(
            "This import has already started.".into(),
        ));
    }
    if mapping.len() != job.headers.len() {
        return Err(AppError::invalid(
            "mapping",
            "Choose a field for each column.",
        ));
    }
    check_mapping(&mapping).map_err(|m| AppError::invalid("mapping", m))?;
    if !["skip", "update", "create"].contains(&duplicates) {
        return Err(AppError::invalid(
            "duplicates",
            "Choose what to do with people already here.",
        ));
    }
    write_guarded(
        st.db
            .query(
                "BEGIN TRANSACTION;
                 LET $done = UPDATE $id SET mapping = $m, duplicates = $d, tag = $tag, pool = $pool, status = 'queued'
                    WHERE status = 'mapping' RETURN VALUE id;
                 IF array::len($done) = 0 { THROW 'started' };
                 CREATE task CONTENT $task RETURN NONE;
                 CREATE activity CONTENT $activity RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("id", id.clone()))
            .bind(("m", serde_json::to_value(mapping)?))
            .bind(("d", duplicates.to_string()))
            .bind(("tag", tag))
            .bind(("pool", pool))
            .bind(("task", NewTask::of(&RunImport { import: key(id) })))
            .bind((
                "activity",
                NewActivity::new(
                    actor,
                    "import_started",
                    format!(
                        "Started importing {} ({} rows)",
                        job.filename, job.total_rows
                    ),
                ),
            )),
        &[("started", AppError::Conflict("This import has already started.".into()))],
    )
    .await?;
    st.tasks.wake();
    Ok(())
}

/// A new person, as one batch inserts it.
#[derive(Debug, Clone, SurrealValue)]
pub(super) struct NewPerson {
    pub(super) id: RecordId,
    pub(super) first_name: String,
    pub(super) last_name: String,
    pub(super) email: String,
    pub(super) phone: Option<String>,
    pub(super) location: Option<String>,
    pub(super) headline: Option<String>,
    pub(super) skills: Vec<String>,
    pub(super) tags: Vec<String>,
    pub(super) links: Vec<String>,
    pub(super) linkedin_key: Option<String>,
    pub(super) source: String,
    /// Imported prospects are approached on the importer's legitimate interest (until they
    /// object); the import itself records who brought them in and when.
    pub(super) consent_basis: Option<String>,
    /// The fields below carry the schema's defaults, written out: the database evaluates a
    /// field's DEFAULT clause for every new record that lacks the field (a child context and
    /// an expression each), and these seven were ~14 % of inserting an imported person
    /// (release build, 20,000 people: ~570 µs each with the defaults evaluated, ~490 µs without).
    pub(super) created_at: chrono::DateTime<chrono::Utc>,
    pub(super) updated_at: chrono::DateTime<chrono::Utc>,
    pub(super) work_history: Vec<String>,
    pub(super) consent_status: String,
    pub(super) engagement_score: i64,
    pub(super) unsubscribed_topics: Vec<String>,
    pub(super) interests: Vec<String>,
}

/// New values for a person already here.
#[derive(Debug, Clone, SurrealValue)]
pub(super) struct Update {
    pub(super) id: RecordId,
    pub(super) data: serde_json::Value,
}

/// A person already here, with what duplicates are recognised by.
#[derive(Debug, Clone, SurrealValue)]
pub(super) struct Existing {
    pub(super) id: RecordId,
    pub(super) email: String,
    pub(super) phone_key: Option<String>,
    pub(super) linkedin_key: Option<String>,
}

pub(super) async fn set_running(db: &Db, id: &RecordId) -> AppResult<()> {
    db.query("UPDATE $id SET status = 'running'")
        .bind(("id", id.clone()))
        .await?;
    Ok(())
}

/// Who is already here, by email, phone and LinkedIn profile.
pub(super) async fn existing_people(db: &Db) -> AppResult<Vec<Existing>> {
    let mut r = db
        .query("SELECT id, email, phone_key, linkedin_key FROM person")
        .await?;
    let existing: Vec<Existing> = r.take(0)?;
    Ok(existing)
}

/// An import's counts so far (what a batch adds to them is written with the batch, so a retry
/// resumes from them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
}

/// One batch to write: new people, updates, the applications rows describe, and the batch's own
/// record (its rows' counts and errors).
#[derive(Debug, Clone)]
pub(super) struct Batch {
    pub(super) people: Vec<NewPerson>,
    pub(super) ups: Vec<Update>,
    pub(super) apps: Vec<NewApplication>,
    /// Rows the import had processed before this batch: the batch record's key.
    pub(super) at: i64,
    pub(super) counts: BatchCounts,
}

/// What one batch adds to its import's figures.
#[derive(Debug, Clone, Default, SurrealValue)]
pub(super) struct BatchCounts {
    pub(super) processed: i64,
    pub(super) created: i64,
    pub(super) updated: i64,
    pub(super) skipped: i64,
    pub(super) errors: Vec<serde_json::Value>,
}

/// A batch's statements. Its record is created first (it exists only once a batch committed);
/// an application to a job the person already applied to is not added twice, and the ones
/// added are counted on the batch's own record, so batches never write the same record.
macro_rules! batch_sql {
    () => {
        "CREATE $batch CONTENT $counts RETURN NONE;
         INSERT INTO person $people RETURN NONE;
         FOR $u IN $ups { UPDATE $u.id MERGE $u.data RETURN NONE; };
         FOR $a IN $apps {
             IF array::len(SELECT VALUE id FROM application WHERE uniq = $a.uniq) = 0 {
                 CREATE application CONTENT $a RETURN NONE;
                 UPDATE $batch SET applications += 1 RETURN NONE;
             };
         };"
    };
}

fn bind_batch<'a>(
    q: surrealdb::method::Query<'a, surrealdb::engine::any::Any>,
    id: &RecordId,
    batch: Batch,
) -> surrealdb::method::Query<'a, surrealdb::engine::any::Any> {
    let Batch {
        people,
        ups,
        apps,
        at,
        counts,
    } = batch;
    q.bind(("batch", batch_of(id, at)))
        .bind(("counts", counts))
        .bind(("people", people))
        .bind(("ups", ups))
        .bind(("apps", apps))
}

/// The record of an import's batch that starts after `at` rows.
fn batch_of(id: &RecordId, at: i64) -> RecordId {
    RecordId::new(
        "import_batch",
        surrealdb::types::Array::from(vec![
            surrealdb::types::Value::String(key(id)),
            surrealdb::types::Value::Number(at.into()),
        ]),
    )
}

/// Writes one batch in a transaction of its own.
pub(super) async fn write_batch(db: &Db, id: &RecordId, batch: Batch) -> AppResult<()> {
    crate::server::db::run(bind_batch(
        db.query(concat!(
            "BEGIN TRANSACTION;",
            batch_sql!(),
            "COMMIT TRANSACTION;"
        )),
        id,
        batch,
    ))
    .await?;
    Ok(())
}

/// A batch's transaction, its statements run and not yet committed.
pub(super) type OpenBatch = surrealdb::method::Transaction<surrealdb::engine::any::Any>;

/// Begins a batch's transaction and runs its statements without committing them. The import
/// reads and runs the next batch meanwhile (the database then works on both cores) and commits
/// the batches in file order, so the rows committed are always the file's first rows.
pub(super) async fn open_batch(db: Db, id: RecordId, batch: Batch) -> AppResult<OpenBatch> {
    let tx = (*db)
        .clone()
        .begin()
        .await
        .map_err(crate::server::db::DbError::from)?;
    let ran = crate::server::db::run(bind_batch(tx.query(batch_sql!()), &id, batch)).await;
    match ran {
        Ok(_) => Ok(tx),
        Err(e) => {
            let _ = tx.cancel().await;
            Err(e.into())
        }
    }
}

/// The jobs here by lower-case title, with their pipelines (imports match job names to them).
pub(super) async fn jobs_by_title(
    db: &Db,
) -> AppResult<std::collections::HashMap<String, (RecordId, Vec<crate::jobs::types::Stage>)>> {
    #[derive(Debug, SurrealValue)]
    struct JobStages {
        id: RecordId,
        title: String,
        stages: Vec<crate::jobs::repo::StageRow>,
    }
    let mut r = db
        .query("SELECT id, title, stages, created_at FROM job ORDER BY created_at")
        .await?;
    let rows: Vec<JobStages> = r.take(0)?;
    let mut out = std::collections::HashMap::new();
    for j in rows {
        // The oldest job with a title wins, so repeated imports find the same one.
        out.entry(j.title.trim().to_lowercase())
            .or_insert((j.id, j.stages.iter().map(|s| s.to_stage()).collect()));
    }
    Ok(out)
}

/// A job another system's export names that is not here: created closed (its history is kept;
/// nobody can apply), with the default pipeline.
pub(super) async fn create_imported_job(
    db: &Db,
    title: &str,
    filename: &str,
) -> AppResult<(RecordId, Vec<crate::jobs::types::Stage>)> {
    let id = RecordId::new("job", new_key());
    let stages = crate::jobs::types::default_stages();
    let activity = NewActivity::new(
        &Actor::system(),
        "job_created",
        format!("Created job “{title}” for the applications imported from {filename}"),
    )
    .job(&id);
    crate::server::db::write(
        db.query(
            "BEGIN TRANSACTION;
             CREATE $id SET title = $title, department = '', location = '', description = $d,
                employment_type = 'full_time', status = 'closed', stages = $stages RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("id", id.clone()))
        .bind(("title", title.to_string()))
        .bind(("d", format!("Imported from {filename}.")))
        .bind((
            "stages",
            stages
                .iter()
                .map(crate::jobs::repo::StageRow::from_stage)
                .collect::<Vec<_>>(),
        ))
        .bind(("activity", activity)),
    )
    .await?;
    Ok((id, stages))
}

/// An application an import adds (skipped when the person already applied to that job).
#[derive(Debug, Clone, SurrealValue)]
pub(super) struct NewApplication {
    pub(super) person: RecordId,
    pub(super) person_name: String,
    pub(super) uniq: String,
    pub(super) job: RecordId,
    pub(super) stage: String,
    pub(super) status: String,
    pub(super) rejection_reason: Option<String>,
    pub(super) source: String,
}

/// The plan the mapping page shows: what the file's job, stage and status columns will add.
/// None when no column is mapped to a job.
pub async fn plan(db: &Db, job: &ImportRow) -> AppResult<Option<super::ats::AtsPlan>> {
    let mapping = job.mapping();
    let col = |f: &str| mapping.iter().position(|m| m == f);
    let Some(job_col) = col("job") else {
        return Ok(None);
    };
    let (stage_col, outcome_col) = (col("stage"), col("outcome"));
    let here = jobs_by_title(db).await?;
    let cell = |r: &::csv::StringRecord, i: Option<usize>| {
        i.and_then(|i| r.get(i)).unwrap_or("").trim().to_string()
    };
    let rows: Vec<(String, String, String)> = super::csv::reader(&job.csv)
        .into_records()
        .filter_map(Result::ok)
        .map(|r| {
            (
                cell(&r, Some(job_col)),
                cell(&r, stage_col),
                cell(&r, outcome_col),
            )
        })
        .collect();
    let jobs = super::ats::plan(rows.into_iter(), |t| {
        here.get(t).map(|(_, stages)| stages.as_slice())
    });
    Ok(Some(super::ats::AtsPlan {
        format: super::ats::detect_format(&job.headers).map(str::to_string),
        jobs,
    }))
}

/// An import that cannot go on (its task failed for good).
pub(super) async fn mark_failed(db: &Db, id: &RecordId) -> AppResult<()> {
    db.query("UPDATE $id SET status = 'failed', finished_at = time::now() RETURN NONE")
        .bind(("id", id.clone()))
        .await
        .and_then(|r| r.check())?;
    Ok(())
}

/// Marks the import done: its batches' figures go into its own record, and its file and batch
/// records are removed.
pub(super) async fn finish(db: &Db, id: &RecordId) -> AppResult<()> {
    db.query(concat!(
        "BEGIN TRANSACTION;",
        batches_sql!(),
        "UPDATE $id SET processed += math::sum($b.processed), created += math::sum($b.created),
             updated += math::sum($b.updated), skipped += math::sum($b.skipped),
             applications += math::sum($b.applications),
             errors = array::slice(array::concat(errors, array::flatten($b.errors)), 0, 1000),
             status = 'done', finished_at = time::now(), csv = NONE RETURN NONE;
         DELETE import_batch:[$key, NONE]..=[$key, ..];
         DELETE $file;
         COMMIT TRANSACTION;"
    ))
    .bind(("id", id.clone()))
    .bind(("key", key(id)))
    .bind(("file", file_of(id)))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}
