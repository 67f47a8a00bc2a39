//! CSV import: upload, map columns, preview, then a background task creates or updates people
//! in batches, recording an error for each bad row (by row number and field) and its progress.

use super::types::*;
use crate::domain::{EmailAddress, PersonName, Phone, Tag};
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::db::{Db, internal, key, new_key, write_guarded};
use crate::server::tasks::{NewTask, TaskError};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

pub const IMPORT: &str = "import";
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
            status: self.status.clone(),
            headers: self.headers.clone(),
            mapping: self.mapping(),
            preview: preview(&self.csv, 5),
            duplicates: self.duplicates.clone(),
            total_rows: self.total_rows,
            processed: self.processed,
            created: self.created,
            updated: self.updated,
            skipped: self.skipped,
            errors: self
                .errors
                .iter()
                .filter_map(|e| serde_json::from_value(e.clone()).ok())
                .collect(),
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
        "CREATE $id SET filename = $f, csv = $csv, headers = $h, mapping = $m, total_rows = $n, created_by = $by RETURN NONE",
    )
    .bind(("id", id.clone()))
    .bind(("f", filename.to_string()))
    .bind(("csv", csv_text))
    .bind(("h", headers))
    .bind(("m", serde_json::to_value(mapping).map_err(internal)?))
    .bind(("n", rows as i64))
    .bind(("by", actor_id))
    .await
    .and_then(|r| r.check())
    .map_err(internal)?;
    Ok(id)
}

pub async fn get(db: &Db, id: &RecordId) -> AppResult<Option<ImportRow>> {
    get_with(db, id, "csv").await
}

/// The import for its page: only the start of the file (enough for the preview), so polling
/// the progress of a large import stays cheap.
pub async fn get_view(db: &Db, id: &RecordId) -> AppResult<Option<ImportRow>> {
    get_with(db, id, "string::slice(csv, 0, 65536) AS csv").await
}

async fn get_with(db: &Db, id: &RecordId, csv: &str) -> AppResult<Option<ImportRow>> {
    let mut r = db
        .query(format!(
            "SELECT id, filename, {csv}, headers, mapping, duplicates, pool, tag, status, total_rows, processed, created,
                updated, skipped, errors FROM ONLY $id"
        ))
        .bind(("id", id.clone()))
        .await
        .map_err(internal)?;
    r.take(0).map_err(internal)
}

/// Saves the mapping and options and queues the import.
pub async fn start(
    st: &AppState,
    id: &RecordId,
    mapping: Vec<String>,
    duplicates: &str,
    tag: Option<String>,
    pool: Option<RecordId>,
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
                 COMMIT TRANSACTION;",
            )
            .bind(("id", id.clone()))
            .bind(("m", serde_json::to_value(mapping).map_err(internal)?))
            .bind(("d", duplicates.to_string()))
            .bind(("tag", tag))
            .bind(("pool", pool))
            .bind(("task", NewTask::now(IMPORT, serde_json::json!({ "import": key(id) })))),
        &[("started", AppError::Conflict("This import has already started.".into()))],
    )
    .await?;
    st.tasks.wake();
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct NewPerson {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    location: Option<String>,
    headline: Option<String>,
    skills: Vec<String>,
    tags: Vec<String>,
    links: Vec<String>,
    linkedin_key: Option<String>,
    source: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct Update {
    id: RecordId,
    data: serde_json::Value,
}

#[derive(Debug, Clone, SurrealValue)]
struct Existing {
    id: RecordId,
    email: String,
    phone_key: Option<String>,
    linkedin_key: Option<String>,
}

/// Task `import`: processes the whole file and records progress after every batch.
pub async fn run_task(st: &AppState, payload: &serde_json::Value) -> Result<(), TaskError> {
    let k = payload["import"]
        .as_str()
        .ok_or_else(|| TaskError::Fail("no import in payload".into()))?;
    let id = crate::server::db::id("import_job", k)
        .map_err(|_| TaskError::Fail("bad import id".into()))?;
    run(st, &id)
        .await
        .map_err(|e| TaskError::Retry(format!("{e:?}")))
}

pub async fn run(st: &AppState, id: &RecordId) -> AppResult<()> {
    let db = &st.db;
    let job = get(db, id).await?.ok_or(AppError::NotFound)?;
    if job.status == "done" {
        return Ok(());
    }
    db.query("UPDATE $id SET status = 'running'")
        .bind(("id", id.clone()))
        .await
        .map_err(internal)?;
    let mapping = job.mapping();
    // Who is already here, by email, phone and LinkedIn profile.
    let mut r = db
        .query("SELECT id, email, phone_key, linkedin_key FROM person")
        .await
        .map_err(internal)?;
    let existing: Vec<Existing> = r.take(0).map_err(internal)?;
    let mut by_email: HashMap<String, RecordId> = HashMap::with_capacity(existing.len());
    let mut by_phone: HashMap<String, RecordId> = HashMap::new();
    let mut by_linkedin: HashMap<String, RecordId> = HashMap::new();
    for e in existing {
        if let Some(p) = e.phone_key.filter(|p| p.len() >= 7) {
            by_phone.insert(p.trim_start_matches('+').to_string(), e.id.clone());
        }
        if let Some(l) = e.linkedin_key {
            by_linkedin.insert(l, e.id.clone());
        }
        by_email.insert(e.email, e.id);
    }
    let mut seen_in_file: HashMap<String, i64> = HashMap::new();
    let (mut processed, mut created, mut updated, mut skipped) = (0i64, 0i64, 0i64, 0i64);
    let mut errors: Vec<RowError> = Vec::new();
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
                        if let Some(first) = seen_in_file.get(&p.email) {
                            errors.push(RowError {
                                row: row_no,
                                field: "email".into(),
                                message: format!(
                                    "{} already appears in row {first} of this file.",
                                    p.email
                                ),
                            });
                            continue;
                        }
                        seen_in_file.insert(p.email.clone(), row_no);
                        let li = p.links.first().and_then(|l| linkedin_key(l));
                        let phone = p
                            .phone
                            .as_deref()
                            .map(phone_key)
                            .map(|k| k.trim_start_matches('+').to_string());
                        let same_email = by_email.get(&p.email).cloned();
                        let same_other = phone
                            .as_ref()
                            .and_then(|k| by_phone.get(k))
                            .or_else(|| li.as_ref().and_then(|l| by_linkedin.get(l)))
                            .cloned();
                        let dup = same_email.clone().or(same_other.clone());
                        match (dup, job.duplicates.as_str()) {
                            (Some(existing), "skip") => {
                                skipped += 1;
                                pool_ids.push(existing);
                            }
                            (Some(existing), "update") => {
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
                                updates.push(Update {
                                    id: existing.clone(),
                                    data: serde_json::Value::Object(data),
                                });
                                updated += 1;
                                pool_ids.push(existing);
                            }
                            (Some(_), "create") if same_email.is_some() => {
                                errors.push(RowError {
                                    row: row_no,
                                    field: "email".into(),
                                    message: format!(
                                        "{} is already someone's email; choose Skip or Update.",
                                        p.email
                                    ),
                                });
                            }
                            _ => {
                                let id = RecordId::new("person", new_key());
                                by_email.insert(p.email.clone(), id.clone());
                                if let Some(k) = phone.filter(|k| k.len() >= 7) {
                                    by_phone.insert(k, id.clone());
                                }
                                if let Some(l) = &li {
                                    by_linkedin.insert(l.clone(), id.clone());
                                }
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
                                    linkedin_key: li,
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
            db.query(
                "BEGIN TRANSACTION;
                 INSERT INTO person $people RETURN NONE;
                 FOR $u IN $ups { UPDATE $u.id MERGE $u.data RETURN NONE; };
                 UPDATE $id SET processed = $processed, created = $created, updated = $updated, skipped = $skipped, errors = $errors RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("people", people))
            .bind(("ups", ups))
            .bind(("id", id.clone()))
            .bind(("processed", processed))
            .bind(("created", created))
            .bind(("updated", updated))
            .bind(("skipped", skipped))
            .bind(("errors", stored_errors))
            .await
            .and_then(|r| r.check())
            .map_err(internal)?;
            if let Some(pool) = &job.pool
                && !members.is_empty()
            {
                super::repo::add_to_pool(
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
    db.query("UPDATE $id SET status = 'done', finished_at = time::now(), csv = '' RETURN NONE")
        .bind(("id", id.clone()))
        .await
        .and_then(|r| r.check())
        .map_err(internal)?;
    Ok(())
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
