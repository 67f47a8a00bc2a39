//! Duplicates and merges: likely duplicates of everyone or of one person, the merge that keeps
//! both records (so it can be undone), and the undo.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::people::types::Member;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, new_key, write_guarded};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct DupRow {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    links: Vec<String>,
    source: String,
    tags: Vec<String>,
    consent_status: String,
    last_contacted_at: Option<DateTime<Utc>>,
    engagement_score: i64,
}

impl DupRow {
    fn member(&self) -> Member {
        Member {
            id: key(&self.id),
            name: format!("{} {}", self.first_name, self.last_name)
                .trim()
                .to_string(),
            email: self.email.clone(),
            source: self.source.clone(),
            tags: self.tags.clone(),
            consent: self.consent_status.clone(),
            last_contacted_at: self.last_contacted_at.map(|d| d.to_rfc3339()),
            engagement_score: self.engagement_score,
        }
    }
    fn linkedin(&self) -> Option<String> {
        self.links.iter().find_map(|l| linkedin_key(l))
    }
}

const DUP_FIELDS: &str = "id, first_name, last_name, email, phone, links, source, tags, consent_status, last_contacted_at, engagement_score";

fn pair(a: &DupRow, b: &DupRow) -> Option<DuplicatePair> {
    let la = a.linkedin();
    let lb = b.linkedin();
    let na = format!("{} {}", a.first_name, a.last_name);
    let nb = format!("{} {}", b.first_name, b.last_name);
    duplicate_confidence(&Evidence {
        email_a: &a.email,
        email_b: &b.email,
        phone_a: a.phone.as_deref(),
        phone_b: b.phone.as_deref(),
        linkedin_a: la.as_deref(),
        linkedin_b: lb.as_deref(),
        name_a: &na,
        name_b: &nb,
    })
    .map(|(confidence, reasons)| DuplicatePair {
        a: a.member(),
        b: b.member(),
        confidence,
        reasons,
    })
}

/// Likely duplicates of everyone: candidates share a phone, a LinkedIn profile or the start of
/// their name, and are then scored. Highest confidence first.
pub async fn find_duplicates(db: &Db, limit: usize) -> AppResult<Vec<DuplicatePair>> {
    let mut r = db.query(format!("SELECT {DUP_FIELDS} FROM person")).await?;
    let rows: Vec<DupRow> = r.take(0)?;
    let mut buckets: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, p) in rows.iter().enumerate() {
        if let Some(ph) = p.phone.as_deref().map(phone_key).filter(|k| k.len() >= 7) {
            buckets
                .entry(format!("p:{}", ph.trim_start_matches('+')))
                .or_default()
                .push(i);
        }
        if let Some(l) = p.linkedin() {
            buckets.entry(format!("l:{l}")).or_default().push(i);
        }
        // Close names: same first initial and the same first letters of the last name.
        let last: String = p
            .last_name
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(4)
            .collect();
        let initial = p.first_name.to_lowercase().chars().next().unwrap_or('_');
        if !last.is_empty() {
            buckets
                .entry(format!("n:{initial}{last}"))
                .or_default()
                .push(i);
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for ids in buckets.values() {
        // Very common last names make large buckets; names alone are weak evidence there.
        if ids.len() > 200 {
            continue;
        }
        for (x, &i) in ids.iter().enumerate() {
            for &j in &ids[x + 1..] {
                let k = if i < j { (i, j) } else { (j, i) };
                if !seen.insert(k) {
                    continue;
                }
                if let Some(p) = pair(&rows[k.0], &rows[k.1]) {
                    out.push(p);
                }
            }
        }
    }
    out.sort_by(|a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then_with(|| a.a.name.cmp(&b.a.name))
    });
    out.truncate(limit);
    Ok(out)
}

/// Likely duplicates of one person.
pub async fn duplicates_of(db: &Db, person: &RecordId) -> AppResult<Vec<DuplicatePair>> {
    let mut r = db
        .query(format!(
            "LET $me = (SELECT {DUP_FIELDS}, phone_key, linkedin_key, name_key FROM ONLY $p);
             RETURN $me;
             LET $name = IF string::len($me.last_name) > 0 THEN $me.name_key ?? $never ELSE $never END;
             LET $phone = $me.phone_key ?? $never;
             LET $linkedin = $me.linkedin_key ?? $never;
             SELECT {DUP_FIELDS} FROM person WHERE id != $p AND (
                name_key = $name
                OR phone_key = $phone
                OR linkedin_key = $linkedin
                OR email = $me.email);"
        ))
        .bind(("p", person.clone()))
        // A person without a phone or LinkedIn key looks those up by a key nobody has: looking
        // up NONE would read every person without one (most of them), as the planner turns
        // each branch into an index lookup of the value it is given.
        .bind(("never", "\u{1}none"))
        .await?;
    let me: Option<DupRow> = r.take(1)?;
    let others: Vec<DupRow> = r.take(5)?;
    let Some(me) = me else {
        return Err(AppError::NotFound);
    };
    let mut out: Vec<DuplicatePair> = others.iter().filter_map(|o| pair(&me, o)).collect();
    out.sort_by_key(|d| std::cmp::Reverse(d.confidence));
    Ok(out)
}

/// Gives every person their name block (`name_key`, see the schema) if they were written
/// before it existed; a no-op (one index lookup) once they all have one.
pub async fn fill_name_keys(db: &Db) -> AppResult<()> {
    db.query("UPDATE person SET name_key = NONE WHERE name_key = NONE RETURN NONE")
        .await?
        .check()?;
    Ok(())
}

/// Both records, whole, for the merge screen.
pub async fn person_snapshot(db: &Db, id: &RecordId) -> AppResult<Option<serde_json::Value>> {
    let mut r = db
        .query("SELECT * OMIT phone_key FROM ONLY $id")
        .bind(("id", id.clone()))
        .await?;
    let v: Option<serde_json::Value> = r.take(0)?;
    Ok(v)
}

/// Fields the merge screen lets the user choose between.

#[derive(Debug, Clone, SurrealValue)]
struct Moved {
    applications: Vec<RecordId>,
    notes: Vec<RecordId>,
    activities: Vec<RecordId>,
    resumes: Vec<RecordId>,
    mails: Vec<RecordId>,
    pool_members: Vec<RecordId>,
    enrollments: Vec<RecordId>,
    engagements: Vec<RecordId>,
}

/// Merges `loser` into `winner`. For each of [`MERGE_FIELDS`] `take_loser` says whether the
/// loser's value wins. Everything that belongs to the loser moves over; both records are kept
/// in the merge so it can be undone.
pub async fn merge(
    db: &Db,
    winner: &RecordId,
    loser: &RecordId,
    take_loser: &[String],
    actor: &Actor,
) -> AppResult<RecordId> {
    if winner == loser {
        return Err(AppError::invalid("other", "Choose two different people."));
    }
    let w = person_snapshot(db, winner)
        .await?
        .ok_or(AppError::NotFound)?;
    let l = person_snapshot(db, loser)
        .await?
        .ok_or(AppError::NotFound)?;
    let updates = merge_updates(&w, &l, take_loser);
    let mut r = db
        .query(
            "SELECT VALUE id FROM application WHERE person = $l;
             SELECT VALUE id FROM note WHERE person = $l;
             SELECT VALUE id FROM activity WHERE person = $l;
             SELECT VALUE id FROM resume WHERE person = $l;
             SELECT VALUE id FROM mail WHERE person = $l;
             SELECT VALUE id FROM pool_member WHERE person = $l AND pool NOTINSIDE (SELECT VALUE pool FROM pool_member WHERE person = $w);
             SELECT VALUE id FROM enrollment WHERE person = $l AND campaign NOTINSIDE (SELECT VALUE campaign FROM enrollment WHERE person = $w);
             SELECT VALUE id FROM engagement WHERE person = $l;
             SELECT VALUE job FROM application WHERE person = $l AND job IN (SELECT VALUE job FROM application WHERE person = $w);",
        )
        .bind(("l", loser.clone()))
        .bind(("w", winner.clone()))
        .await?;
    let moved = Moved {
        applications: r.take(0)?,
        notes: r.take(1)?,
        activities: r.take(2)?,
        resumes: r.take(3)?,
        mails: r.take(4)?,
        pool_members: r.take(5)?,
        enrollments: r.take(6)?,
        engagements: r.take(7)?,
    };
    // Both applied to the same job: both applications are kept (the board shows two cards).
    let both_applied: Vec<RecordId> = r.take(8)?;
    let merge_id = RecordId::new("merge", new_key());
    let loser_name = format!(
        "{} {}",
        l["first_name"].as_str().unwrap_or(""),
        l["last_name"].as_str().unwrap_or("")
    );
    let activity = NewActivity::new(
        actor,
        "merged",
        format!(
            "Merged with {} ({})",
            loser_name.trim(),
            l["email"].as_str().unwrap_or("")
        ),
    )
    .person(winner);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             CREATE $merge SET winner = $w, loser = $l, loser_snapshot = (SELECT * FROM ONLY $l),
                winner_snapshot = (SELECT * FROM ONLY $w), moved = $moved, by = $by RETURN NONE;
             DELETE $l;
             UPDATE $moved.applications SET person = $w, person_name = $name,
                uniq = <string> record::id($w) + ':' + <string> record::id(job)
                    + IF job IN $both THEN ':' + <string> record::id(id) ELSE '' END RETURN NONE;
             UPDATE $moved.notes SET person = $w RETURN NONE;
             UPDATE $moved.activities SET person = $w RETURN NONE;
             UPDATE $moved.resumes SET person = $w RETURN NONE;
             UPDATE $moved.mails SET person = $w RETURN NONE;
             UPDATE $moved.pool_members SET person = $w RETURN NONE;
             DELETE pool_member WHERE person = $l;
             UPDATE $moved.enrollments SET person = $w RETURN NONE;
             UPDATE enrollment SET status = 'stopped', stop_reason = 'merged' WHERE person = $l RETURN NONE;
             UPDATE $moved.engagements SET person = $w RETURN NONE;
             DELETE session WHERE person = $l;
             UPDATE $w MERGE $updates RETURN NONE;
             UPDATE $w SET engagement_score = engagement_score + $score,
                last_contacted_at = IF $lc > last_contacted_at OR last_contacted_at = NONE THEN $lc ELSE last_contacted_at END RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("merge", merge_id.clone()))
        .bind(("w", winner.clone()))
        .bind(("l", loser.clone()))
        .bind(("moved", moved))
        .bind(("both", both_applied))
        .bind(("by", actor.label.clone()))
        .bind(("name", format!(
            "{} {}",
            updates.get("first_name").and_then(|v| v.as_str()).or(w["first_name"].as_str()).unwrap_or(""),
            updates.get("last_name").and_then(|v| v.as_str()).or(w["last_name"].as_str()).unwrap_or("")
        ).trim().to_string()))
        .bind(("updates", serde_json::Value::Object(updates)))
        .bind(("score", l["engagement_score"].as_i64().unwrap_or(0)))
        .bind(("lc", l["last_contacted_at"].as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|d| d.with_timezone(&Utc))))
        .bind(("activity", activity)),
        &[("already contains", AppError::Conflict("These records changed while merging. Please try again.".into()))],
    )
    .await?;
    Ok(merge_id)
}

/// Undoes a merge: the loser comes back as it was, with what was moved; the winner's fields are
/// restored. Returns (loser, winner).
pub async fn unmerge(db: &Db, merge: &RecordId, actor: &Actor) -> AppResult<(RecordId, RecordId)> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        winner: RecordId,
        loser: RecordId,
        loser_snapshot: serde_json::Value,
        winner_snapshot: serde_json::Value,
        moved: Moved,
        undone_at: Option<DateTime<Utc>>,
    }
    let mut r = db
        .query(
            "SELECT winner, loser, loser_snapshot, winner_snapshot, moved, undone_at FROM ONLY $m",
        )
        .bind(("m", merge.clone()))
        .await?;
    let row: Option<Row> = r.take(0)?;
    let row = row.ok_or(AppError::NotFound)?;
    if row.undone_at.is_some() {
        return Err(AppError::Conflict("This merge was already undone.".into()));
    }
    let loser_name = format!(
        "{} {}",
        row.loser_snapshot["first_name"].as_str().unwrap_or(""),
        row.loser_snapshot["last_name"].as_str().unwrap_or("")
    )
    .trim()
    .to_string();
    let winner_name = format!(
        "{} {}",
        row.winner_snapshot["first_name"].as_str().unwrap_or(""),
        row.winner_snapshot["last_name"].as_str().unwrap_or("")
    )
    .trim()
    .to_string();
    let activity = NewActivity::new(
        actor,
        "unmerged",
        format!("Undid the merge with {loser_name}"),
    )
    .person(&row.winner);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE $m SET undone_at = time::now() WHERE undone_at = NONE RETURN VALUE id;
             IF array::len($done) = 0 { THROW 'already_undone' };
             LET $snap = (SELECT loser_snapshot, winner_snapshot FROM ONLY $m);
             UPDATE $w CONTENT $snap.winner_snapshot RETURN NONE;
             CREATE $l CONTENT $snap.loser_snapshot RETURN NONE;
             UPDATE $moved.applications SET person = $l, person_name = $lname,
                uniq = <string> record::id($l) + ':' + <string> record::id(job) RETURN NONE;
             UPDATE application SET person_name = $wname WHERE person = $w RETURN NONE;
             UPDATE $moved.notes SET person = $l RETURN NONE;
             UPDATE $moved.activities SET person = $l RETURN NONE;
             UPDATE $moved.resumes SET person = $l RETURN NONE;
             UPDATE $moved.mails SET person = $l RETURN NONE;
             UPDATE $moved.pool_members SET person = $l RETURN NONE;
             UPDATE $moved.enrollments SET person = $l RETURN NONE;
             UPDATE $moved.engagements SET person = $l RETURN NONE;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("m", merge.clone()))
        .bind(("w", row.winner.clone()))
        .bind(("l", row.loser.clone()))
        .bind(("moved", row.moved))
        .bind(("lname", loser_name))
        .bind(("wname", winner_name))
        .bind(("activity", activity)),
        &[
            ("already_undone", AppError::Conflict("This merge was already undone.".into())),
            ("already contains", AppError::Conflict("The old email address is in use by someone else now.".into())),
        ],
    )
    .await?;
    Ok((row.loser, row.winner))
}
