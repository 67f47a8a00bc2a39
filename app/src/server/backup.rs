//! Portability and backup: the whole database as one JSON document in an open, documented
//! shape (`server export FILE`, `GET /admin/export.json`), and its restore into an empty
//! database (`server import FILE`). Generic: it knows the schema's tables, no feature.
//!
//! The document (format `acme-hiring/export`, version 1):
//!
//! ```json
//! { "format": "acme-hiring/export", "version": 1, "exported_at": "2026-12-03T10:00:00Z",
//!   "tables": { "person": [ { "id": {"$record": ["person", "p1"]}, "first_name": "Ada", … } ],
//!               "application": [ … ], … } }
//! ```
//!
//! Tables are keyed by name (a restore writes them in schema order), rows are in id order, each
//! row as stored with its `id`. Values are
//! plain JSON (strings, numbers, booleans, arrays, objects, `null`), except the types JSON lacks,
//! written as one-key objects: `{"$record": [table, key]}` (a link to another record; the key is
//! a string or an integer), `{"$datetime": "RFC 3339 with nanoseconds"}`, `{"$bytes": "base64"}`
//! (files such as resumes), `{"$duration": [seconds, nanoseconds]}` and
//! `{"$none": true}` (an absent value inside an array). A field that is absent is left out.
//! Sessions, rate-limit counters, used sign-in links and board presence are not exported: they
//! are short-lived, and a restore signs everyone out. Nor is the jobs list's count of active
//! applications (`active_application`): the restored applications write it again. The installation's signing key
//! (`setting:secret`, unless `APP_SECRET` is set) is exported, so emailed links and the audit
//! log's checkpoints keep working after a restore: keep the file as safe as the database.

use super::db::{Db, DbError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value as Json, json};
use surrealdb::types::{Array, Datetime, Number, Object, RecordId, RecordIdKey, Value};

pub const FORMAT: &str = "acme-hiring/export";
pub const VERSION: i64 = 1;

/// Tables that are never exported: short-lived ones, and `active_application`, keys derived
/// from the applications (a restore writes them again: each application's event does).
const SKIPPED: &[&str] = &[
    "session",
    "rate_event",
    "rate_lock",
    "used_link",
    "board_viewer",
    "active_application",
];

/// The exported tables, in schema order.
pub fn tables() -> Vec<&'static str> {
    super::db::schema_tables()
        .into_iter()
        .filter(|t| !SKIPPED.contains(t))
        .collect()
}

/// A stored value as JSON (see the module's documentation).
pub fn encode(v: Value) -> Result<Json, String> {
    Ok(match v {
        Value::None => json!({"$none": true}),
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(b),
        Value::Number(Number::Int(i)) => json!(i),
        Value::Number(Number::Float(f)) => serde_json::Number::from_f64(f)
            .map(Json::Number)
            .ok_or("a number that is not finite")?,
        Value::Number(other) => return Err(format!("unsupported number {other:?}")),
        Value::String(s) => Json::String(s),
        Value::Bytes(b) => json!({"$bytes": B64.encode(b.into_inner())}),
        Value::Duration(d) => {
            let d: std::time::Duration = d.into();
            json!({"$duration": [d.as_secs(), d.subsec_nanos()]})
        }
        Value::Datetime(d) => {
            json!({"$datetime": d.into_inner().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)})
        }
        Value::RecordId(r) => json!({"$record": [r.table.to_string(), match r.key {
            RecordIdKey::String(s) => Json::String(s),
            RecordIdKey::Number(n) => json!(n),
            other => return Err(format!("unsupported record key {other:?}")),
        }]}),
        Value::Array(a) => Json::Array(
            a.into_inner()
                .into_iter()
                .map(encode)
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => {
            let mut m = Map::new();
            for (k, v) in o.into_inner() {
                if !matches!(v, Value::None) {
                    m.insert(k, encode(v)?);
                }
            }
            Json::Object(m)
        }
        other => return Err(format!("unsupported value {other:?}")),
    })
}

/// JSON written by [`encode`] as a stored value.
pub fn decode(j: &Json) -> Result<Value, String> {
    Ok(match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Number(Number::Int(i)),
            None => Value::Number(Number::Float(n.as_f64().ok_or("a number out of range")?)),
        },
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::Array(Array::from(
            a.iter().map(decode).collect::<Result<Vec<Value>, _>>()?,
        )),
        Json::Object(m) if m.len() == 1 && m.keys().all(|k| k.starts_with('$')) => {
            let (k, v) = m.iter().next().expect("one key");
            match (k.as_str(), v) {
                ("$none", _) => Value::None,
                ("$datetime", Json::String(s)) => Value::Datetime(Datetime::from(
                    chrono::DateTime::parse_from_rfc3339(s)
                        .map_err(|e| format!("bad datetime {s}: {e}"))?
                        .with_timezone(&chrono::Utc),
                )),
                ("$bytes", Json::String(s)) => {
                    Value::Bytes(B64.decode(s).map_err(|e| format!("bad bytes: {e}"))?.into())
                }
                ("$duration", Json::Array(p)) if p.len() == 2 => {
                    let secs = p[0].as_u64().ok_or("bad duration")?;
                    let nanos = p[1].as_u64().ok_or("bad duration")? as u32;
                    Value::Duration(std::time::Duration::new(secs, nanos).into())
                }
                ("$record", Json::Array(p)) if p.len() == 2 => {
                    let table = p[0].as_str().ok_or("bad record table")?;
                    match &p[1] {
                        Json::String(k) => Value::RecordId(RecordId::new(table, k.as_str())),
                        Json::Number(n) => Value::RecordId(RecordId::new(
                            table,
                            n.as_i64().ok_or("bad record key")?,
                        )),
                        _ => return Err("bad record key".into()),
                    }
                }
                _ => return Err(format!("unknown value {k}")),
            }
        }
        Json::Object(m) => {
            let mut o = Object::new();
            for (k, v) in m {
                o.insert(k.clone(), decode(v)?);
            }
            Value::Object(o)
        }
    })
}

/// The whole database as one document (see the module's documentation).
pub async fn export(db: &Db) -> Result<Json, DbError> {
    let mut out = Map::new();
    for table in tables() {
        // Table names come from the schema, never from input.
        let rows: Vec<Value> = db
            .query(format!("SELECT * FROM {table} ORDER BY id"))
            .await?
            .take(0)?;
        let rows = rows
            .into_iter()
            .map(encode)
            .collect::<Result<Vec<_>, _>>()
            .map_err(DbError::Query)?;
        out.insert(table.to_string(), Json::Array(rows));
    }
    Ok(json!({
        "format": FORMAT,
        "version": VERSION,
        "exported_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "tables": out,
    }))
}

/// Restores a document written by [`export`] into an empty database; returns the rows written.
pub async fn import(db: &Db, doc: &Json) -> Result<usize, String> {
    if doc["format"] != FORMAT || doc["version"] != VERSION {
        return Err(format!(
            "not an export of this application ({FORMAT}, version {VERSION})"
        ));
    }
    let tables = doc["tables"]
        .as_object()
        .ok_or("the export has no tables")?;
    if let Some(unknown) = tables
        .keys()
        .find(|t| !self::tables().contains(&t.as_str()))
    {
        return Err(format!(
            "the export names a table this version does not have: {unknown}"
        ));
    }
    for table in self::tables() {
        let mut res = db
            .query(format!("SELECT VALUE id FROM {table} LIMIT 1"))
            .await
            .map_err(|e| e.to_string())?;
        let any: Vec<RecordId> = res.take(0).map_err(|e| e.to_string())?;
        if !any.is_empty() {
            return Err(format!(
                "the database is not empty ({table} has records): restore into an empty one"
            ));
        }
    }
    let mut written = 0;
    for table in self::tables() {
        let Some(rows) = tables.get(table).and_then(|r| r.as_array()) else {
            continue;
        };
        // Records written by earlier tables' events (stage history) give way to the exported ones.
        db.query(format!("DELETE {table}"))
            .await
            .and_then(|r| r.check())
            .map_err(|e| e.to_string())?;
        for chunk in rows.chunks(500) {
            let values = chunk.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
            db.query(format!("INSERT INTO {table} $rows RETURN NONE"))
                .bind(("rows", values))
                .await
                .and_then(|r| r.check())
                .map_err(|e| format!("{table}: {e}"))?;
            written += chunk.len();
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_survive_the_trip_through_json() {
        let mut o = Object::new();
        o.insert("name", Value::String("Ada".into()));
        o.insert("n", Value::Number(Number::Int(7)));
        o.insert("f", Value::Number(Number::Float(2.5)));
        o.insert("whole", Value::Number(Number::Float(2.0)));
        o.insert("link", Value::RecordId(RecordId::new("person", "p1")));
        o.insert("num_key", Value::RecordId(RecordId::new("audit", 42)));
        o.insert(
            "at",
            Value::Datetime(Datetime::from(
                chrono::DateTime::parse_from_rfc3339("2026-12-03T10:00:00.123456789Z")
                    .unwrap()
                    .with_timezone(&chrono::Utc),
            )),
        );
        o.insert("data", Value::Bytes(vec![0u8, 1, 255].into()));
        o.insert(
            "list",
            Value::Array(Array::from(vec![
                Value::Null,
                Value::None,
                Value::Bool(true),
            ])),
        );
        let v = Value::Object(o);
        let j = encode(v.clone()).unwrap();
        assert_eq!(j["link"], json!({"$record": ["person", "p1"]}));
        assert_eq!(j["data"], json!({"$bytes": "AAH/"}));
        assert_eq!(
            j["at"],
            json!({"$datetime": "2026-12-03T10:00:00.123456789Z"})
        );
        let text = serde_json::to_string(&j).unwrap();
        let back = decode(&serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn short_lived_tables_stay_out() {
        let t = tables();
        assert!(t.contains(&"person") && t.contains(&"audit"));
        assert!(!t.contains(&"session") && !t.contains(&"rate_event"));
        // Schema order: people before their applications.
        let pos = |n: &str| t.iter().position(|x| *x == n).unwrap();
        assert!(pos("person") < pos("application"));
        assert!(pos("application") < pos("stage_event"));
    }
}
