//! CSV import, the background task: creates or updates people in batches (see
//! `reconcile.rs` for what each row does), records an error for each bad row (by row number
//! and field) and its progress, and resumes from the last committed batch after a retry.
//! Reading the file is `csv.rs`; the import job and the batched writes are in `repo.rs`.

use super::ats::{Outcome, match_stage};
use super::csv::{RowApplication, RowPerson, read_row, reader};
use super::reconcile::{Known, Policy, RowAction, RowKeys};
use super::repo::{self, Batch, NewApplication, NewPerson, RunImport, Update};
use super::types::RowError;
use crate::dedupe::types::{linkedin_key, phone_key};
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::db::new_key;
use crate::server::tasks::TaskError;
use surrealdb::types::RecordId;

/// People written per transaction.
const BATCH: usize = 1000;

/// Row errors an import keeps (the first ones).
const MAX_ERRORS: usize = 1000;

/// Task `import`: processes the whole file and records progress after every batch.
/// A file that cannot be read or an import that is gone fails at once (kept as a dead task
/// with its reason); database trouble is retried.
pub async fn run_task(st: AppState, task: RunImport) -> Result<(), TaskError> {
    let id = crate::server::db::id("import_job", &task.import)
        .map_err(|_| TaskError::Fail("bad import id".into()))?;
    match run(&st, &id).await {
        Ok(()) => Ok(()),
        Err(e) => {
            let e = TaskError::from(e);
            if matches!(e, TaskError::Fail(_)) {
                // It will not work on another try: the import says so instead of running on.
                repo::mark_failed(&st.db, &id).await?;
            }
            Err(e)
        }
    }
}

/// Runs (or resumes) an import. Rows an earlier attempt already committed (the job's
/// `processed` count with its batches', each written in the same transaction as their people)
/// are not done again: a retry after a crash or a database hiccup goes on from the last
/// committed batch.
///
/// Batches overlap: while one batch's transaction runs, the next batch is read and its
/// transaction started, so the database works on two cores; they commit in file order.
pub async fn run(st: &AppState, id: &RecordId) -> AppResult<()> {
    let mut in_flight = None;
    let result = read_and_write(st, id, &mut in_flight).await;
    if let Some(open) = in_flight {
        open.abandon().await;
    }
    result
}

/// A batch whose transaction runs while the next batch is read.
struct InFlight {
    open: tokio::task::JoinHandle<AppResult<repo::OpenBatch>>,
    /// Kept to write the batch again if it loses a race with the one before it.
    batch: Batch,
    /// The people its rows name, for the import's pool once it committed.
    members: Vec<RecordId>,
}

impl InFlight {
    fn start(st: &AppState, id: &RecordId, batch: Batch, members: Vec<RecordId>) -> InFlight {
        let open = tokio::spawn(repo::open_batch(st.db.clone(), id.clone(), batch.clone()));
        InFlight {
            open,
            batch,
            members,
        }
    }

    /// Commits the batch, after the one before it. A batch that ran beside the one before can
    /// lose to it (an application both rows name, a person both update): it is then written
    /// again on its own, now seeing what the other committed. Then its people join the pool.
    async fn settle(self, st: &AppState, id: &RecordId, pool: Option<&RecordId>) -> AppResult<()> {
        let committed = match self.open.await {
            Ok(Ok(tx)) => tx.commit().await.map(|_| ()).map_err(|e| e.to_string()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = committed {
            tracing::debug!("an import batch is written again: {e}");
            repo::write_batch(&st.db, id, self.batch).await?;
        }
        if let Some(pool) = pool
            && !self.members.is_empty()
        {
            crate::pools::repo::add_to_pool(
                &st.db,
                pool,
                &self.members,
                &crate::server::activity::Actor::system(),
            )
            .await?;
        }
        Ok(())
    }

    /// Rolls the batch back: the import stopped before it could commit in order.
    async fn abandon(self) {
        if let Ok(Ok(tx)) = self.open.await {
            let _ = tx.cancel().await;
        }
    }
}

async fn read_and_write(
    st: &AppState,
    id: &RecordId,
    in_flight: &mut Option<InFlight>,
) -> AppResult<()> {
    let db = &st.db;
    let job = repo::get(db, id).await?.ok_or(AppError::NotFound)?;
    if job.status == "done" {
        return Ok(());
    }
    let policy = Policy::parse(&job.duplicates).ok_or_else(|| {
        AppError::invalid("duplicates", "Choose what to do with people already here.")
    })?;
    repo::set_running(db, id).await?;
    let mapping = job.mapping();
    // Who is already here, by email, phone and LinkedIn profile.
    let mut known: Known<RecordId> = Known::default();
    for e in repo::existing_people(db).await? {
        let keys = RowKeys {
            email: e.email,
            phone: e.phone_key.map(|p| p.trim_start_matches('+').to_string()),
            linkedin: e.linkedin_key,
        };
        known.add(e.id, &keys);
    }
    let committed = job.processed;
    let (mut processed, mut created, mut updated, mut skipped) =
        (job.processed, job.created, job.updated, job.skipped);
    let mut errors: Vec<RowError> = job
        .errors
        .iter()
        .filter_map(|v| serde_json::from_value(v.clone()).ok())
        .collect();
    // The figures when the batch being read began, and how many errors are stored (the first
    // thousand are kept).
    let mut before = repo::Progress {
        processed,
        created,
        updated,
        skipped,
    };
    let mut errors_stored = errors.len().min(MAX_ERRORS);
    let mut new_people: Vec<NewPerson> = Vec::new();
    let mut updates: Vec<Update> = Vec::new();
    let mut pool_ids: Vec<RecordId> = Vec::new();
    // Applications the rows describe (exports of other applicant tracking systems), and the
    // jobs here by title: a job the file names that is not here is created, closed.
    let mut pending_apps: Vec<(RecordId, String, RowApplication)> = Vec::new();
    let mut jobs = repo::jobs_by_title(db).await?;
    // Jobs this run gives applications to: read against their screening criteria at the end
    // (not between batches, where the screening's writes would collide with the next batch).
    let mut screened: std::collections::BTreeMap<String, RecordId> = Default::default();
    let import_tag = job.tag.clone();
    let mut records = reader(&job.csv).into_records();
    let mut row_no: i64 = 1;
    loop {
        let next = records.next();
        let finished = next.is_none();
        if let Some(rec) = next {
            row_no += 1;
            if row_no - 1 <= committed {
                // Written by an earlier attempt: only its email matters (repeats in the file).
                if let Ok(rec) = rec
                    && let Ok(p) = read_row(&rec, &mapping, row_no)
                {
                    known.seen(&p.email, row_no);
                }
                continue;
            }
            processed += 1;
            match rec {
                Err(e) => errors.push(RowError {
                    row: row_no,
                    field: "file".into(),
                    message: format!("This row could not be read: {e}"),
                }),
                Ok(rec) => match read_row(&rec, &mapping, row_no) {
                    Err(mut e) => errors.append(&mut e),
                    Ok(mut p) => {
                        if let Some(t) = &import_tag
                            && !p.tags.contains(t)
                        {
                            p.tags.push(t.clone());
                        }
                        let linkedin = p.links.first().and_then(|l| linkedin_key(l));
                        let keys = RowKeys {
                            email: p.email.clone(),
                            phone: p
                                .phone
                                .as_deref()
                                .map(phone_key)
                                .map(|k| k.trim_start_matches('+').to_string()),
                            linkedin: linkedin.clone(),
                        };
                        let new_id = || RecordId::new("person", new_key());
                        let name = format!("{} {}", p.first_name, p.last_name)
                            .trim()
                            .to_string();
                        let application = p.application.take();
                        let action = known.reconcile(&keys, row_no, policy, new_id);
                        // The person the row's application belongs to: the row's own, or (an
                        // export lists one row per application) the earlier row's with that email.
                        let owner = match &action {
                            RowAction::Skip(id) | RowAction::Update(id) | RowAction::Create(id) => {
                                Some(id.clone())
                            }
                            RowAction::RepeatsRow(_) => known.id_of(&keys.email).cloned(),
                            RowAction::EmailTaken => None,
                        };
                        let repeat_with_application = matches!(action, RowAction::RepeatsRow(_))
                            && application.is_some()
                            && owner.is_some();
                        if let (Some(owner), Some(a)) = (owner, application) {
                            pending_apps.push((owner, name, a));
                        }
                        match action {
                            RowAction::RepeatsRow(_) if repeat_with_application => {}
                            RowAction::RepeatsRow(first) => errors.push(RowError {
                                row: row_no,
                                field: "email".into(),
                                message: format!(
                                    "{} already appears in row {first} of this file.",
                                    p.email
                                ),
                            }),
                            RowAction::EmailTaken => errors.push(RowError {
                                row: row_no,
                                field: "email".into(),
                                message: format!(
                                    "{} is already someone's email; choose Skip or Update.",
                                    p.email
                                ),
                            }),
                            RowAction::Skip(existing) => {
                                skipped += 1;
                                pool_ids.push(existing);
                            }
                            RowAction::Update(existing) => {
                                updates.push(Update {
                                    id: existing.clone(),
                                    data: update_of(&p),
                                });
                                updated += 1;
                                pool_ids.push(existing);
                            }
                            RowAction::Create(id) => {
                                pool_ids.push(id.clone());
                                new_people.push(NewPerson {
                                    id,
                                    first_name: p.first_name,
                                    last_name: p.last_name,
                                    email: p.email,
                                    phone: p.phone,
                                    location: p.location,
                                    headline: p.headline,
                                    skills: p.skills,
                                    tags: p.tags,
                                    links: p.links,
                                    linkedin_key: linkedin,
                                    source: "import".into(),
                                    consent_basis: Some(
                                        crate::privacy::types::Basis::LegitimateInterest
                                            .as_str()
                                            .into(),
                                    ),
                                    created_at: chrono::Utc::now(),
                                    updated_at: chrono::Utc::now(),
                                    work_history: Vec::new(),
                                    consent_status: "unknown".into(),
                                    engagement_score: 0,
                                    unsubscribed_topics: Vec::new(),
                                    interests: Vec::new(),
                                });
                                created += 1;
                            }
                        }
                    }
                },
            }
        }
        if finished || new_people.len() + updates.len() >= BATCH || processed % BATCH as i64 == 0 {
            let mut apps = Vec::new();
            for (person, name, a) in std::mem::take(&mut pending_apps) {
                let title = a.job.trim().to_lowercase();
                if !jobs.contains_key(&title) {
                    let made = repo::create_imported_job(db, a.job.trim(), &job.filename).await?;
                    jobs.insert(title.clone(), made);
                }
                let (job_id, stages) = &jobs[&title];
                let outcome = Outcome::read(&a.outcome);
                let (stage, _) = match_stage(stages, &a.stage, &outcome);
                apps.push(NewApplication {
                    uniq: format!(
                        "{}:{}",
                        crate::server::db::key(&person),
                        crate::server::db::key(job_id)
                    ),
                    person,
                    person_name: name,
                    job: job_id.clone(),
                    stage,
                    status: outcome.status().into(),
                    rejection_reason: match outcome {
                        Outcome::Rejected(reason) => reason,
                        _ => None,
                    },
                    source: "import".into(),
                });
            }
            let people = std::mem::take(&mut new_people);
            let ups = std::mem::take(&mut updates);
            let members = std::mem::take(&mut pool_ids);
            let keep = errors.len().min(MAX_ERRORS);
            let new_errors: Vec<serde_json::Value> = errors[errors_stored.min(keep)..keep]
                .iter()
                .filter_map(|e| serde_json::to_value(e).ok())
                .collect();
            errors_stored = keep;
            let counts = repo::BatchCounts {
                processed: processed - before.processed,
                created: created - before.created,
                updated: updated - before.updated,
                skipped: skipped - before.skipped,
                errors: new_errors,
            };
            let at = before.processed;
            before = repo::Progress {
                processed,
                created,
                updated,
                skipped,
            };
            for a in &apps {
                screened
                    .entry(crate::server::db::key(&a.job))
                    .or_insert_with(|| a.job.clone());
            }
            if counts.processed > 0 {
                let batch = Batch {
                    people,
                    ups,
                    apps,
                    at,
                    counts,
                };
                let next = InFlight::start(st, id, batch, members);
                if let Some(previous) = in_flight.replace(next) {
                    previous.settle(st, id, job.pool.as_ref()).await?;
                }
            }
        }
        if finished {
            break;
        }
    }
    if let Some(last) = in_flight.take() {
        last.settle(st, id, job.pool.as_ref()).await?;
    }
    repo::finish(db, id).await?;
    for job_id in screened.values() {
        st.tasks
            .enqueue(db, &crate::screening::repo::Screen::job(job_id))
            .await?;
    }
    Ok(())
}

/// The fields an "update" import writes on someone already here.
fn update_of(p: &RowPerson) -> serde_json::Value {
    let mut data = serde_json::Map::new();
    data.insert("first_name".into(), p.first_name.clone().into());
    data.insert("last_name".into(), p.last_name.clone().into());
    if let Some(v) = &p.phone {
        data.insert("phone".into(), v.clone().into());
    }
    if let Some(v) = &p.location {
        data.insert("location".into(), v.clone().into());
    }
    if let Some(v) = &p.headline {
        data.insert("headline".into(), v.clone().into());
    }
    data.insert("skills".into(), serde_json::json!(p.skills));
    data.insert("tags".into(), serde_json::json!(p.tags));
    data.insert("links".into(), serde_json::json!(p.links));
    serde_json::Value::Object(data)
}
