//! The audit log in the database: appending (group commit onto the chain), listing, checking,
//! pruning with a signed checkpoint, and erasing a person's personal data from it.

use super::chain::{self, Facts, GENESIS, Personal, Stored, Walker};
use super::types::AuditCheck;
use crate::error::{AppError, AppResult};
use crate::server::db::{Db, key, write_guarded};
use crate::server::security::Keys;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use surrealdb::types::{RecordId, RecordIdKey, SurrealValue};
use tokio::sync::{Mutex, oneshot};

/// Entries read per query while checking or listing.
const PAGE: i64 = 2000;
/// Entries pruned per run at most (the next run goes on).
const PRUNE_BATCH: i64 = 10_000;
const CHECKPOINT_PURPOSE: &str = "audit-checkpoint";

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub at: DateTime<Utc>,
    pub kind: &'static str,
    pub action: String,
    pub actor: Option<String>,
    pub subjects: Vec<String>,
    pub outcome: &'static str,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

impl NewEntry {
    pub fn new(kind: &'static str, action: impl Into<String>) -> Self {
        Self {
            at: Utc::now(),
            kind,
            action: action.into(),
            actor: None,
            subjects: Vec::new(),
            outcome: "ok",
            ip: None,
            detail: None,
        }
    }
}

/// A stored entry.
#[derive(Debug, Clone, SurrealValue)]
pub struct Row {
    pub id: RecordId,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub action: String,
    pub actor: Option<String>,
    pub subjects: Vec<String>,
    pub outcome: String,
    pub ip: Option<String>,
    pub detail: Option<String>,
    pub redacted: bool,
    pub digest: String,
    pub prev: String,
    pub hash: String,
}

impl Row {
    fn stored(&self) -> Stored {
        let key = match &self.id.key {
            RecordIdKey::Number(n) => *n,
            _ => -1,
        };
        Stored {
            key,
            facts: facts_of(self),
            personal: (!self.redacted).then(|| Personal {
                ip: self.ip.clone(),
                detail: self.detail.clone(),
            }),
            digest: self.digest.clone(),
            prev: self.prev.clone(),
            hash: self.hash.clone(),
        }
    }
}

fn facts_of(r: &Row) -> Facts {
    Facts {
        seq: r.seq,
        at_ms: r.at.timestamp_millis(),
        kind: r.kind.clone(),
        action: r.action.clone(),
        actor: r.actor.clone(),
        subjects: r.subjects.clone(),
        outcome: r.outcome.clone(),
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct Head {
    seq: i64,
    hash: String,
}

/// This process's side of the chain: the last head it wrote, and the entries waiting for the
/// next write. Whoever holds the lock writes every waiting entry in one transaction (group
/// commit), so a burst of requests costs one write, not one each.
#[derive(Clone, Default)]
pub struct Chain {
    inner: std::sync::Arc<ChainInner>,
}

#[derive(Default)]
struct ChainInner {
    head: Mutex<Option<(i64, String)>>,
    waiting: std::sync::Mutex<Vec<(NewEntry, oneshot::Sender<AppResult<()>>)>>,
}

/// Appends `entry` to the chain; returns once it is written.
pub async fn append(db: &Db, chain: &Chain, entry: NewEntry) -> AppResult<()> {
    let (tx, mut rx) = oneshot::channel();
    let chain = &chain.inner;
    chain
        .waiting
        .lock()
        .expect("audit queue lock")
        .push((entry, tx));
    let mut head = chain.head.lock().await;
    // Another caller may have written it while this one waited for the lock.
    if let Ok(done) = rx.try_recv() {
        return done;
    }
    let batch = std::mem::take(&mut *chain.waiting.lock().expect("audit queue lock"));
    if batch.is_empty() {
        // Ours was taken by a writer that failed before answering.
        return rx.await.unwrap_or(Err(AppError::Internal));
    }
    let entries: Vec<&NewEntry> = batch.iter().map(|(e, _)| e).collect();
    let result = write_batch(db, &mut head, &entries).await;
    for (_, done) in batch {
        let _ = done.send(result.clone());
    }
    rx.await.unwrap_or(Err(AppError::Internal))
}

async fn read_head(db: &Db) -> AppResult<(i64, String)> {
    let head: Option<Head> = db
        .query("SELECT seq, hash FROM ONLY audit_head:chain")
        .await?
        .take(0)?;
    if let Some(h) = head {
        return Ok((h.seq, h.hash));
    }
    // No head yet: the chain starts after the newest checkpoint, or at the genesis.
    Ok(latest_checkpoint(db)
        .await?
        .map(|c| (c.seq, c.hash))
        .unwrap_or((0, GENESIS.to_string())))
}

async fn write_batch(
    db: &Db,
    head: &mut Option<(i64, String)>,
    entries: &[&NewEntry],
) -> AppResult<()> {
    for attempt in 0..8u64 {
        let (seq0, prev0) = match head.clone() {
            Some(h) => h,
            None => read_head(db).await?,
        };
        let mut prev = prev0.clone();
        let mut rows = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let seq = seq0 + 1 + i as i64;
            // Millisecond precision: what the hash covers is what the database keeps.
            let at = DateTime::from_timestamp_millis(e.at.timestamp_millis()).unwrap_or(e.at);
            let facts = Facts {
                seq,
                at_ms: at.timestamp_millis(),
                kind: e.kind.to_string(),
                action: e.action.clone(),
                actor: e.actor.clone(),
                subjects: e.subjects.clone(),
                outcome: e.outcome.to_string(),
            };
            let personal = Personal {
                ip: e.ip.clone(),
                detail: e.detail.clone(),
            };
            let (digest, hash) = chain::seal(&prev, &facts, &personal);
            rows.push(Row {
                id: RecordId::new("audit", seq),
                seq,
                at,
                kind: facts.kind,
                action: facts.action,
                actor: facts.actor,
                subjects: facts.subjects,
                outcome: facts.outcome,
                ip: personal.ip,
                detail: personal.detail,
                redacted: false,
                digest,
                prev: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        let last = seq0 + entries.len() as i64;
        let res = write_guarded(
            db.query(
                "BEGIN TRANSACTION;
                 IF ((SELECT VALUE seq FROM ONLY audit_head:chain) ?? $start) != $start
                    { THROW 'audit_head_moved' };
                 INSERT INTO audit $rows RETURN NONE;
                 UPSERT audit_head:chain SET seq = $last, hash = $hash RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("start", seq0))
            .bind(("rows", rows))
            .bind(("last", last))
            .bind(("hash", prev.clone())),
            &[("audit_head_moved", AppError::conflict_retry())],
        )
        .await;
        match res {
            Ok(_) => {
                *head = Some((last, prev));
                return Ok(());
            }
            // Another node appended (or this one's view is stale): read the head again.
            Err(AppError::Conflict(_)) => {
                *head = None;
                tokio::time::sleep(std::time::Duration::from_millis(2 + 5 * attempt)).await;
            }
            Err(e) => {
                *head = None;
                return Err(e);
            }
        }
    }
    Err(AppError::conflict_retry())
}

/// Entries with keys in `from..=to`, in order.
async fn range(db: &Db, from: i64, to: i64) -> AppResult<Vec<Row>> {
    if to < from {
        return Ok(Vec::new());
    }
    // Both ends are integers computed here, never user input: a key range is the index.
    let rows: Vec<Row> = db
        .query(format!("SELECT * FROM audit:{from}..={to} ORDER BY id"))
        .await?
        .take(0)?;
    Ok(rows)
}

#[derive(Debug, Clone, SurrealValue)]
struct Checkpoint {
    seq: i64,
    hash: String,
    signature: String,
}

async fn latest_checkpoint(db: &Db) -> AppResult<Option<Checkpoint>> {
    let rows: Vec<Checkpoint> = db
        .query("SELECT seq, hash, signature FROM audit_checkpoint ORDER BY seq DESC LIMIT 1")
        .await?
        .take(0)?;
    Ok(rows.into_iter().next())
}

fn checkpoint_subject(seq: i64, hash: &str) -> String {
    format!("{seq}:{hash}")
}

/// Checks the whole chain: from the newest signed checkpoint (or the genesis) to the head.
pub async fn verify(db: &Db, keys: &Keys) -> AppResult<AuditCheck> {
    let checkpoint = latest_checkpoint(db).await?;
    let mut check = AuditCheck {
        intact: false,
        entries: 0,
        first: None,
        last: None,
        checkpoint: checkpoint.as_ref().map(|c| c.seq),
        broken_at: None,
        reason: None,
    };
    let (start, prev) = match &checkpoint {
        Some(c) => {
            let signed = keys
                .verify(&c.signature, CHECKPOINT_PURPOSE, 0)
                .is_ok_and(|s| s == checkpoint_subject(c.seq, &c.hash));
            if !signed {
                check.broken_at = Some(c.seq);
                check.reason = Some(format!(
                    "The checkpoint at entry #{} is not signed by this installation.",
                    c.seq
                ));
                return Ok(check);
            }
            (c.seq + 1, c.hash.clone())
        }
        None => (1, GENESIS.to_string()),
    };
    let (head_seq, head_hash) = read_head(db).await?;
    let mut walker = Walker::new(start, &prev);
    let mut from = start;
    while from <= head_seq {
        let to = (from + PAGE - 1).min(head_seq);
        for row in range(db, from, to).await? {
            if let Err(b) = walker.step(&row.stored()) {
                check.broken_at = Some(b.seq);
                check.reason = Some(b.reason);
                check.entries = walker.checked();
                return Ok(check);
            }
        }
        from = to + 1;
    }
    check.entries = walker.checked();
    if walker.next() <= head_seq {
        let n = walker.next();
        check.broken_at = Some(n);
        check.reason = Some(format!("Entry #{n} is missing: it was deleted."));
        return Ok(check);
    }
    if walker.last_hash() != head_hash {
        check.broken_at = Some(head_seq);
        check.reason = Some(format!(
            "The log's head does not match entry #{head_seq}: the end of the log was rewritten."
        ));
        return Ok(check);
    }
    // Nothing may sit outside the chain: beyond the head (read again, with the count, in one
    // snapshot, so entries appended meanwhile count as the chain's), or under another key.
    let mut res = db
        .query(
            "BEGIN TRANSACTION;
             LET $head = (SELECT VALUE seq FROM ONLY audit_head:chain) ?? 0;
             RETURN { head: $head, count: (SELECT count() FROM audit GROUP ALL)[0].count ?? 0 };
             COMMIT TRANSACTION;",
        )
        .await?;
    #[derive(SurrealValue)]
    struct Tally {
        head: i64,
        count: i64,
    }
    let tally: Tally =
        crate::server::db::txn_return::<Option<Tally>>(&mut res)?.ok_or(AppError::Internal)?;
    let expected = tally.head - (start - 1);
    if tally.count > expected {
        let beyond = range(db, tally.head + 1, tally.head + 1).await?;
        check.broken_at = Some(tally.head + 1);
        check.reason = Some(if beyond.is_empty() {
            format!(
                "{} entries are not part of the chain: they were added outside the audit log.",
                tally.count - expected
            )
        } else {
            format!(
                "Entry #{} is beyond the log's head: it was added outside the audit log.",
                tally.head + 1
            )
        });
        return Ok(check);
    }
    check.intact = true;
    if check.entries > 0 {
        check.first = Some(start);
        check.last = Some(head_seq);
    }
    Ok(check)
}

/// The filters of a listing, as the database compares them.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub kind: Option<String>,
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Up to `limit` entries older than `before` (newest first) that pass `q`, scanning at most
/// `max_scan` keys (the log can be years long; a rare filter pages on).
pub async fn list(
    db: &Db,
    q: &Query,
    before: Option<i64>,
    limit: usize,
    max_scan: i64,
) -> AppResult<(Vec<Row>, Option<i64>)> {
    let (head, _) = read_head(db).await?;
    let floor = latest_checkpoint(db).await?.map(|c| c.seq + 1).unwrap_or(1);
    let mut top = before.map(|b| b - 1).unwrap_or(head).min(head);
    let mut out: Vec<Row> = Vec::new();
    let mut conds = Vec::new();
    if q.kind.is_some() {
        conds.push("kind = $kind");
    }
    if q.actor.is_some() {
        conds.push("actor = $actor");
    }
    if q.subject.is_some() {
        conds.push("subjects CONTAINS $subject");
    }
    if q.from.is_some() {
        conds.push("at >= $from");
    }
    if q.to.is_some() {
        conds.push("at < $to");
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let mut scanned = 0;
    while top >= floor && out.len() < limit && scanned < max_scan {
        let bottom = (top - PAGE + 1).max(floor);
        let rows: Vec<Row> = db
            .query(format!(
                "SELECT * FROM audit:{bottom}..={top}{filter} ORDER BY id DESC LIMIT {}",
                limit - out.len()
            ))
            .bind(("kind", q.kind.clone()))
            .bind(("actor", q.actor.clone()))
            .bind(("subject", q.subject.clone()))
            .bind(("from", q.from))
            .bind(("to", q.to))
            .await?
            .take(0)?;
        out.extend(rows);
        scanned += top - bottom + 1;
        top = bottom - 1;
    }
    let older = if out.len() >= limit {
        out.last().map(|r| r.seq)
    } else if top >= floor {
        // Stopped scanning with more to look at.
        Some(top + 1)
    } else {
        None
    };
    Ok((out, older))
}

#[derive(Debug, SurrealValue)]
struct Named {
    id: RecordId,
    name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    title: Option<String>,
}

/// Names for references (`staff:KEY`, `person:KEY`, `job:KEY`) as they are now.
pub async fn labels(db: &Db, refs: &[String]) -> AppResult<HashMap<String, String>> {
    let ids: Vec<RecordId> = refs
        .iter()
        .filter_map(|r| r.split_once(':'))
        .filter(|(t, _)| matches!(*t, "staff" | "person" | "job"))
        .filter_map(|(t, k)| crate::server::db::id(t, k).ok())
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Named> = db
        .query("SELECT id, name, first_name, last_name, title FROM $ids")
        .bind(("ids", ids))
        .await?
        .take(0)?;
    Ok(rows
        .into_iter()
        .filter_map(|n| {
            let label = match (n.name, n.first_name, n.last_name, n.title) {
                (Some(name), ..) => name,
                (_, Some(f), Some(l), _) => format!("{f} {l}").trim().to_string(),
                (.., Some(t)) => t,
                _ => return None,
            };
            Some((format!("{}:{}", n.id.table, key(&n.id)), label))
        })
        .collect())
}

/// Prunes entries written before `cutoff` (at most a batch per call), keeping a signed
/// checkpoint of the last one pruned, and records the pruning. Returns how many went.
pub async fn prune(db: &Db, chain: &Chain, keys: &Keys, cutoff: DateTime<Utc>) -> AppResult<i64> {
    let floor = latest_checkpoint(db).await?.map(|c| c.seq).unwrap_or(0);
    let (head, _) = read_head(db).await?;
    // Entries are appended in time order (give or take a request's length), so the old ones
    // are a prefix of the chain. The newest entry always stays, so the head has an entry.
    let last_old: Option<i64> = db
        .query("SELECT VALUE seq FROM audit WHERE at < $cutoff ORDER BY seq DESC LIMIT 1")
        .bind(("cutoff", cutoff))
        .await?
        .take::<Vec<i64>>(0)?
        .into_iter()
        .next();
    let Some(last_old) = last_old else {
        return Ok(0);
    };
    let upto = last_old.min(floor + PRUNE_BATCH).min(head - 1);
    if upto <= floor {
        return Ok(0);
    }
    let rows = range(db, upto, upto).await?;
    let Some(last) = rows.into_iter().next() else {
        return Err(AppError::Internal);
    };
    let signature = keys.sign(CHECKPOINT_PURPOSE, &checkpoint_subject(upto, &last.hash), 0);
    // Integers computed here: the key range is the index.
    crate::server::db::write(
        db.query(format!(
            "BEGIN TRANSACTION;
             CREATE type::record('audit_checkpoint', $seq) SET seq = $seq, hash = $hash,
                pruned_before = $cutoff, signature = $signature RETURN NONE;
             DELETE audit:{}..={upto};
             COMMIT TRANSACTION;",
            floor + 1
        ))
        .bind(("seq", upto))
        .bind(("hash", last.hash))
        .bind(("cutoff", cutoff))
        .bind(("signature", signature)),
    )
    .await?;
    let pruned = upto - floor;
    let mut entry = NewEntry::new("system", "audit_pruned");
    entry.detail = Some(format!(
        "Entries #{} to #{upto} were older than the retention period and were removed; a signed checkpoint keeps the chain verifiable.",
        floor + 1
    ));
    append(db, chain, entry).await?;
    Ok(pruned)
}

/// Erases personal data (address, detail) from every entry by or about `reference`
/// (`person:KEY`), and from entries whose detail names one of `needles` (lower-case texts such
/// as the person's email: a failed sign-in keeps the address that was tried). The facts stay,
/// so the chain still verifies. Returns how many entries changed.
pub async fn redact(db: &Db, reference: &str, needles: &[String]) -> AppResult<usize> {
    let mut changed: Vec<RecordId> = db
        .query(
            "UPDATE audit SET ip = NONE, detail = NONE, redacted = true
             WHERE redacted = false AND (actor = $r OR subjects CONTAINS $r) RETURN VALUE id",
        )
        .bind(("r", reference.to_string()))
        .await?
        .take(0)?;
    for n in needles {
        let more: Vec<RecordId> = db
            .query(
                "UPDATE audit SET ip = NONE, detail = NONE, redacted = true
                 WHERE redacted = false AND detail != NONE
                    AND string::contains(string::lowercase(detail), $n) RETURN VALUE id",
            )
            .bind(("n", n.clone()))
            .await?
            .take(0)?;
        changed.extend(more);
    }
    Ok(changed.len())
}
