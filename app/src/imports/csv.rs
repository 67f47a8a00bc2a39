//! Reading an import's CSV file (pure): inspecting the upload, a preview, checking the column
//! mapping, and turning one row into a person or the errors of that row.

use super::types::{IMPORT_FIELDS, RowError};
use crate::dedupe::types::linkedin_key;
use crate::domain::{EmailAddress, PersonName, Phone, Tag};

pub const MAX_CSV_BYTES: usize = 60 * 1024 * 1024;

pub fn reader(csv_text: &str) -> csv::Reader<&[u8]> {
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
    if count("job") == 0 && (count("stage") > 0 || count("outcome") > 0) {
        return Err(
            "A stage or status belongs to an application: choose the Job column too, or ignore them."
                .into(),
        );
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
    /// From a Job column: an application to that job (title), at a stage, with an outcome.
    pub application: Option<RowApplication>,
}

/// The application a row of another system's export describes.
#[derive(Debug, Clone, PartialEq)]
pub struct RowApplication {
    pub job: String,
    pub stage: String,
    pub outcome: String,
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
        let raw = mapping
            .iter()
            .position(|m| m == f)
            .and_then(|i| record.get(i))
            .unwrap_or("");
        // Our exports write formula-like cells with a leading `'`; take it off.
        crate::server::csv::uncell(raw).trim().to_string()
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
    // A list of links (Lever's "Links"): the LinkedIn one, if any; the others are not ours.
    let several = split_list(&li);
    let li = if several.len() > 1 {
        several
            .into_iter()
            .find(|l| linkedin_key(l).is_some())
            .unwrap_or_default()
    } else {
        li
    };
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
            application: opt(get("job")).map(|job| RowApplication {
                job: job.chars().take(200).collect(),
                stage: get("stage"),
                outcome: get("outcome"),
            }),
        })
    } else {
        Err(errors)
    }
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
