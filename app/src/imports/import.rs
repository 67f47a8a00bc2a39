//! CSV import: upload, map columns, preview, then a background task creates or updates people
//! in batches, recording an error for each bad row (by row number and field) and its progress.
//! Reading the file is here; the import job and the batched writes are in `super::repo`.

use super::reconcile::{Known, Policy, RowAction, RowKeys};
use super::repo::{self, NewPerson, Update};
use super::types::{IMPORT_FIELDS, RowError};
use crate::dedupe::types::{linkedin_key, phone_key};
use crate::domain::{EmailAddress, PersonName, Phone, Tag};
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::db::new_key;
use crate::server::tasks::{Task, TaskError};
use surrealdb::types::RecordId;

/// Task: run (or resume) a CSV import whose mapping was confirmed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RunImport {
    /// Key of the `import_job` row.
    pub import: String,
}

impl Task for RunImport {
    const KIND: &'static str = "import";
}
pub const MAX_CSV_BYTES: usize = 60 * 1024 * 1024;
const BATCH: usize = 1000;

fn reader(csv_text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes())
}

/// Reads the header row and counts data rows; refuses what is not a usable CSV.
pub fn inspect(csv_text: &str) -> Result<(Vec<String>, usize), String> {
    let mut r = reader(csv_text);
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| format!("The file is not a readable CSV ({e})."))?
        .iter()
        .map(|h| h.to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err("The first row should name the columns (for example: Name, Email).".into());
    }
    let mut rows = 0;
    for rec in r.records() {
        rec.map_err(|e| format!("The file could not be read at line {}: {e}", rows + 2))?;
        rows += 1;
    }
    if rows == 0 {
        return Err("The file has a header row but no people in it.".into());
    }
    Ok((headers, rows))
}

pub fn preview(csv_text: &str, n: usize) -> Vec<Vec<String>> {
    reader(csv_text)
        .records()
        .filter_map(Result::ok)
        .take(n)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect()
}

/// Checks a mapping: email once, and a name.
pub fn check_mapping(mapping: &[String]) -> Result<(), String> {
    let count = |f: &str| mapping.iter().filter(|m| *m == f).count();
    if count("email") != 1 {
        return Err("Choose exactly one column for Email.".into());
    }
    if count("full_name") == 0 && count("first_name") == 0 {
        return Err("Choose a column for Full name or First name.".into());
    }
    for (f, _) in IMPORT_FIELDS.iter().filter(|(f, _)| !f.is_empty()) {
        if count(f) > 1 {
            return Err(format!(
                "Each field can come from one column only ({f} is chosen twice)."
            ));
        }
    }
    Ok(())
}

/// A person read from one row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowPerson {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub headline: Option<String>,
    pub skills: Vec<String>,
    pub tags: Vec<String>,
    pub links: Vec<String>,
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '|'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Reads one row with the mapping; `row` is the spreadsheet row number for messages.
pub fn read_row(
    record: &csv::StringRecord,
    mapping: &[String],
    row: i64,
) -> Result<RowPerson, Vec<RowError>> {
    let get = |f: &str| -> String {
        mapping
            .iter()
            .position(|m| m == f)
            .and_then(|i| record.get(i))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| {
        errors.push(RowError {
            row,
            field: field.to_string(),
            message,
        })
    };
    let (first, last) = if !get("full_name").is_empty() {
        match PersonName::parse(&get("full_name")) {
            Ok(n) => (n.first, n.last),
            Err(m) => {
                err("full_name", m);
                (String::new(), String::new())
            }
        }
    } else if !get("first_name").is_empty() {
        match PersonName::parse(&format!("{} {}", get("first_name"), get("last_name"))) {
            Ok(_) => (get("first_name"), get("last_name")),
            Err(m) => {
                err("first_name", m);
                (String::new(), String::new())
            }
        }
    } else {
        err("name", "The name is empty.".into());
        (String::new(), String::new())
    };
    let email = match EmailAddress::parse(&get("email")) {
        Ok(e) => e.into_inner(),
        Err(m) => {
            err("email", m);
            String::new()
        }
    };
    let phone = match Phone::parse_optional(&get("phone")) {
        Ok(p) => p.map(|p| p.as_str().to_string()),
        Err(m) => {
            err("phone", m);
            None
        }
    };
    let mut tags = Vec::new();
    for t in split_list(&get("tags")) {
        match Tag::parse(&t) {
            Ok(t) => tags.push(t.as_str().to_string()),
            Err(m) => err("tags", format!("“{t}”: {m}")),
        }
    }
    let mut links = Vec::new();
    let li = get("linkedin");
    if !li.is_empty() {
        if linkedin_key(&li).is_some() {
            links.push(if li.starts_with("http") {
                li
            } else {
                format!("https://{li}")
            });
        } else {
            err(
                "linkedin",
                "This is not a LinkedIn profile address (linkedin.com/in/…).".into(),
            );
        }
    }
    let opt = |s: String| (!s.is_empty()).then_some(s);
    if errors.is_empty() {
        Ok(RowPerson {
            first_name: first,
            last_name: last,
            email,
            phone,
            location: opt(get("location")).map(|l| l.chars().take(120).collect()),
            headline: opt(get("headline")).map(|l| l.chars().take(200).collect()),
            skills: split_list(&get("skills"))
                .into_iter()
                .map(|s| s.chars().take(60).collect())
                .collect(),
            tags,
            links,
        })
    } else {
        Err(errors)
    }
}

/// Task `import`: processes the whole file and records progress after every batch.
/// A file that cannot be read or an import that is gone fails at once (kept as a dead task
/// with its reason); database trouble is retried.
pub async fn run_task(st: AppState, task: RunImport) -> Result<(), TaskError> {
    let id = crate::server::db::id("import_job", &task.import)
        .map_err(|_| TaskError::Fail("bad import id".into()))?;
    Ok(run(&st, &id).await?)
}

/// Runs (or resumes) an import. Rows an earlier attempt already committed (the job's
/// `processed` count, written in the same transaction as their people) are not done again: a
/// retry after a crash or a database hiccup goes on from the last committed batch.
pub async fn run(st: &AppState, id: &RecordId) -> AppResult<()> {
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
    let mut new_people: Vec<NewPerson> = Vec::new();
    let mut updates: Vec<Update> = Vec::new();
    let mut pool_ids: Vec<RecordId> = Vec::new();
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
                        match known.reconcile(&keys, row_no, policy, new_id) {
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
                                });
                                created += 1;
                            }
                        }
                    }
                },
            }
        }
        if finished || new_people.len() + updates.len() >= BATCH || processed % BATCH as i64 == 0 {
            let people = std::mem::take(&mut new_people);
            let ups = std::mem::take(&mut updates);
            let members = std::mem::take(&mut pool_ids);
            let stored_errors: Vec<serde_json::Value> = errors
                .iter()
                .take(1000)
                .filter_map(|e| serde_json::to_value(e).ok())
                .collect();
            let progress = repo::Progress {
                processed,
                created,
                updated,
                skipped,
            };
            repo::write_batch(db, id, people, ups, progress, stored_errors).await?;
            if let Some(pool) = &job.pool
                && !members.is_empty()
            {
                crate::pools::repo::add_to_pool(
                    db,
                    pool,
                    &members,
                    &crate::server::activity::Actor::system(),
                )
                .await?;
            }
        }
        if finished {
            break;
        }
    }
    repo::finish(db, id).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_files_are_inspected() {
        let (h, n) = inspect("\u{feff}Name,Email\nAda,ada@x.org\n").unwrap();
        assert_eq!((h, n), (vec!["Name".to_string(), "Email".to_string()], 1));
        assert!(inspect("Name,Email\n").unwrap_err().contains("no people"));
        assert!(inspect("").is_err());
    }

    #[test]
    fn mappings_need_email_and_a_name() {
        assert!(check_mapping(&["full_name".into(), "email".into()]).is_ok());
        assert!(
            check_mapping(&["full_name".into(), "".into()])
                .unwrap_err()
                .contains("Email")
        );
        assert!(
            check_mapping(&["".into(), "email".into()])
                .unwrap_err()
                .contains("name")
        );
        assert!(check_mapping(&["full_name".into(), "email".into(), "email".into()]).is_err());
    }

    #[test]
    fn rows_report_every_bad_field() {
        let mapping: Vec<String> = ["full_name", "email", "phone", "tags", "linkedin"]
            .map(String::from)
            .to_vec();
        let rec = csv::StringRecord::from(vec!["", "nope", "12", "ok, bad/tag", "github.com/x"]);
        let errs = read_row(&rec, &mapping, 7).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "email", "phone", "tags", "linkedin"]);
        assert!(errs.iter().all(|e| e.row == 7));
        let rec = csv::StringRecord::from(vec![
            "Ada Lovelace",
            "ADA@x.org",
            "+44 20 7946 0000",
            "math; pioneer",
            "linkedin.com/in/ada",
        ]);
        let p = read_row(&rec, &mapping, 2).unwrap();
        assert_eq!(p.email, "ada@x.org");
        assert_eq!(p.tags, ["math", "pioneer"]);
        assert_eq!(p.links, ["https://linkedin.com/in/ada"]);
    }
}
