//! The people search index: tantivy, embedded, beside the database.
//!
//! **What is indexed.** One document per person: name, email, phone, skills, tags, headline,
//! location, source, resume text and staff notes, each its own field (BM25 per field, so a
//! snippet can say which field matched), analysed like the old index (words, lower case, ASCII
//! folding, English stemming).
//!
//! **How it follows the database, with no second source of truth.** The `person` table has a
//! SurrealDB CHANGEFEED: every committed change to a person is recorded *in the same
//! transaction* with a versionstamp. One long-lived writer per process (this type, behind a
//! mutex) reads the feed after the last versionstamp it applied, re-indexes the people it names
//! and commits the index with that position in the commit payload, in batches, at most about
//! once a second (plus "read your writes" on search). Each node keeps its own index and its own
//! position and deletes nothing from the feed, so several app nodes can share one database.
//!
//! A transaction takes its versionstamp just before it commits, so a slow commit can appear in
//! the feed *behind* a position already read. The writer therefore re-reads the last
//! [`WINDOW_MS`] of the feed every [`SWEEP`] (skipping changesets it already applied) and stores
//! a position one window back, so a restart replays that window too. Re-applying is harmless:
//! documents are replaced by person id.
//!
//! **At start**: the index is opened and the feed replayed from its stored position. It is
//! rebuilt from the database when it is missing, unreadable, of another [`SCHEMA_VERSION`], or
//! older than the feed's retention.

mod read;

pub use read::{Found, FoundPage, IndexFilters, Snippets, count_in_dir};

use super::query::Query;
use crate::error::{AppError, AppResult};
use crate::server::db::{Db, key};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use surrealdb::types::{RecordId, SurrealValue, Value};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query as TQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value as _,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bumped whenever the fields or their analysis change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 1;
/// How far back the writer re-reads the feed (see the module comment).
pub const WINDOW_MS: u64 = 10_000;
/// How often the window is re-read.
pub const SWEEP: Duration = Duration::from_secs(10);
/// How long the database keeps the feed (`CHANGEFEED` on `person` in the schema). An index whose
/// position is older than this (less an hour's margin) is rebuilt.
pub const RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
/// Changesets read per query of the feed.
const FEED_PAGE: usize = 50;
/// People read per query when rebuilding.
const REBUILD_PAGE: usize = 2000;
const ANALYZER: &str = "people";

/// The text fields a query searches, with the label a snippet from them gets.
const TEXT_FIELDS: [(&str, &str); 10] = [
    ("name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("skills", "Skills"),
    ("tags", "Tags"),
    ("headline", "Headline"),
    ("location", "Location"),
    ("source", "Source"),
    ("resume", "Resume"),
    ("notes", "Notes"),
];
/// Which field's snippet is shown when several match: the sentence-like ones first.
const SNIPPET_ORDER: [&str; 10] = [
    "resume", "notes", "headline", "skills", "tags", "location", "name", "email", "phone", "source",
];

/// A person as the index sees them (the indexed fields only).
#[derive(Debug, Clone, Default, SurrealValue, PartialEq, Hash)]
#[surreal(default)]
pub struct PersonDoc {
    pub id: Option<RecordId>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub headline: Option<String>,
    pub skills: Vec<String>,
    pub tags: Vec<String>,
    pub source: String,
    pub resume_text: Option<String>,
    pub notes_text: Option<String>,
}

/// The fields of a person to read for indexing (the same as [`PersonDoc`]).
pub const DOC_FIELDS: &str = "id, first_name, last_name, email, phone, location, headline, \
    skills, tags, source, resume_text, notes_text";

impl PersonDoc {
    /// The text of a field of [`TEXT_FIELDS`].
    pub fn text(&self, field: &str) -> String {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        match field {
            "name" => format!("{} {}", self.first_name, self.last_name),
            "email" => self.email.clone(),
            "phone" => opt(&self.phone),
            "skills" => self.skills.join(", "),
            "tags" => self.tags.join(", "),
            "headline" => opt(&self.headline),
            "location" => opt(&self.location),
            "source" => self.source.clone(),
            "resume" => opt(&self.resume_text),
            "notes" => opt(&self.notes_text),
            _ => String::new(),
        }
    }

    fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.hash(&mut h);
        h.finish()
    }
}

/// A stable number per person key, the tie-break of the ranking and of the cursor.
fn pk_of(key: &str) -> u64 {
    // FNV-1a: fixed, so cursors and the stored `pk` agree across builds.
    key.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// What the index remembers in its commit payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payload {
    version: u32,
    /// Replay the feed from this versionstamp at start.
    replay_from: u64,
    /// When the index last caught up (ms since the epoch).
    applied_at_ms: i64,
}

/// The versionstamp SurrealDB gives a commit at `ms` (its hybrid logical clock: milliseconds in
/// the upper 48 bits, a counter in the lower 16, on mem, SurrealKV and RocksDB).
fn stamp_at_ms(ms: u64) -> u64 {
    ms << 16
}

fn now_ms() -> u64 {
    chrono::Utc::now().timestamp_millis().max(0) as u64
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    pk: Field,
    tag: Field,
    source_exact: Field,
    text: [Field; 10],
}

impl Fields {
    fn text(&self, name: &str) -> Option<Field> {
        TEXT_FIELDS
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| self.text[i])
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let pk = b.add_u64_field("pk", tantivy::schema::FAST);
    let tag = b.add_text_field("tag", STRING);
    let source_exact = b.add_text_field("source_exact", STRING);
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let text = TEXT_FIELDS.map(|(name, _)| b.add_text_field(name, opts.clone()));
    (
        b.build(),
        Fields {
            id,
            pk,
            tag,
            source_exact,
            text,
        },
    )
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Where an index lives: a directory, or memory (tests, `mem://` databases).
#[derive(Debug, Clone)]
pub enum Location {
    Dir(PathBuf),
    Memory,
}

struct Writer {
    w: IndexWriter,
    /// Highest versionstamp applied.
    position: u64,
    /// Changesets applied within the last window (skipped when the window is re-read).
    seen: BTreeSet<u64>,
    /// Fingerprints of the indexed documents: a change that leaves every indexed field as it
    /// was (a campaign's `last_contacted_at`, say) costs no re-indexing.
    fingerprints: HashMap<String, u64>,
    last_sweep: Instant,
    last_commit: Instant,
    /// Position advanced without a commit (only unindexed fields changed).
    dirty_position: bool,
    /// Documents changed since the last commit.
    uncommitted: bool,
}

struct Inner {
    /// Set when the index must be rebuilt from the database before its next catch-up.
    needs_rebuild: std::sync::atomic::AtomicBool,
    reader: IndexReader,
    f: Fields,
    writer: tokio::sync::Mutex<Writer>,
}

/// The people search index of this process. Cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchIndex")
    }
}

fn tv(e: impl std::fmt::Display) -> AppError {
    tracing::error!("search index: {e}");
    AppError::Internal
}

/// One changeset of `SHOW CHANGES`.
#[derive(Debug, SurrealValue)]
struct ChangeSet {
    versionstamp: u64,
    changes: Vec<Value>,
}

impl SearchIndex {
    /// Opens the index at `loc`, creating it when missing and recreating it when unreadable
    /// or of another schema version; such an index is rebuilt from the database by its first
    /// catch-up ([`Self::start`]). A query searches the index's segments on up to `threads`
    /// threads at once (a pool of this index's own; 1: on the caller's thread).
    pub fn open(loc: &Location, threads: usize) -> AppResult<Self> {
        let (schema, f) = schema();
        let (mut index, rebuild) = match loc {
            Location::Memory => (Index::create_in_ram(schema), true),
            Location::Dir(dir) => open_dir(dir, schema)?,
        };
        if threads > 1 {
            index.set_multithread_executor(threads).map_err(tv)?;
        }
        index.tokenizers().register(ANALYZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tv)?;
        let w = open_writer(&index)?;
        let payload = index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
        let stale = payload.as_ref().is_some_and(|p| {
            let age = now_ms() as i64 - p.applied_at_ms;
            age > (RETENTION.as_millis() as i64 - 3_600_000)
        });
        let rebuild = rebuild || payload.is_none() || stale;
        let position = payload.map(|p| p.replay_from).unwrap_or(0);
        Ok(Self {
            inner: Arc::new(Inner {
                needs_rebuild: std::sync::atomic::AtomicBool::new(rebuild),
                reader,
                f,
                writer: tokio::sync::Mutex::new(Writer {
                    w,
                    position,
                    seen: BTreeSet::new(),
                    fingerprints: HashMap::new(),
                    // The first catch-up re-reads the window before the stored position.
                    last_sweep: Instant::now() - SWEEP,
                    last_commit: Instant::now(),
                    dirty_position: false,
                    uncommitted: false,
                }),
            }),
        })
    }

    /// Brings the index up to date at start: a rebuild from the database when needed,
    /// otherwise a replay of the feed from the stored position.
    pub async fn start(&self, db: &Db) -> AppResult<()> {
        let t = Instant::now();
        let rebuild = self.inner.needs_rebuild.load(Ordering::SeqCst);
        let n = self.catch_up(db).await?;
        if rebuild {
            tracing::info!(
                "search index rebuilt: {} people in {:.1}s",
                self.len(),
                t.elapsed().as_secs_f64()
            );
        } else {
            tracing::info!("search index opened; {n} changed people replayed from the feed");
        }
        Ok(())
    }

    /// Marks the index for a rebuild from the database at its next catch-up.
    pub fn request_rebuild(&self) {
        self.inner.needs_rebuild.store(true, Ordering::SeqCst);
    }

    /// How many people the index holds (as of its last commit).
    pub fn len(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many people each of the index's segments holds (as of its last commit): a query
    /// searches its segments one per thread at once, so a few of like size share out best.
    pub fn segment_sizes(&self) -> Vec<u32> {
        self.inner
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.num_docs())
            .collect()
    }

    fn document(&self, key: &str, p: &PersonDoc) -> TantivyDocument {
        let f = &self.inner.f;
        let mut d = TantivyDocument::default();
        d.add_text(f.id, key);
        d.add_u64(f.pk, pk_of(key));
        for t in &p.tags {
            d.add_text(f.tag, t);
        }
        d.add_text(f.source_exact, &p.source);
        for (i, (name, _)) in TEXT_FIELDS.iter().enumerate() {
            let text = p.text(name);
            if !text.is_empty() {
                d.add_text(f.text[i], &text);
            }
        }
        d
    }

    /// Puts `p` in place of what the index holds for its person; returns whether it changed.
    fn upsert(&self, w: &mut Writer, key: &str, p: &PersonDoc) -> AppResult<bool> {
        let fp = p.fingerprint();
        if w.fingerprints.get(key) == Some(&fp) {
            return Ok(false);
        }
        w.w.delete_term(Term::from_field_text(self.inner.f.id, key));
        w.w.add_document(self.document(key, p)).map_err(tv)?;
        w.fingerprints.insert(key.to_string(), fp);
        w.uncommitted = true;
        Ok(true)
    }

    fn remove(&self, w: &mut Writer, key: &str) {
        w.w.delete_term(Term::from_field_text(self.inner.f.id, key));
        w.fingerprints.remove(key);
        w.uncommitted = true;
    }

    fn commit(&self, w: &mut Writer, replay_from: u64) -> AppResult<()> {
        let payload = serde_json::to_string(&Payload {
            version: SCHEMA_VERSION,
            replay_from,
            applied_at_ms: now_ms() as i64,
        })
        .map_err(tv)?;
        let mut prepared = w.w.prepare_commit().map_err(tv)?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(tv)?;
        self.inner.reader.reload().map_err(tv)?;
        w.last_commit = Instant::now();
        w.dirty_position = false;
        w.uncommitted = false;
        Ok(())
    }

    /// Empties the index and indexes every person of the database; returns how many. Changes
    /// committed while it runs are applied by the catch-up that follows (the position is set
    /// to before the rebuild).
    pub async fn rebuild(&self, db: &Db) -> AppResult<usize> {
        self.request_rebuild();
        self.catch_up(db).await?;
        Ok(self.len() as usize)
    }

    async fn rebuild_locked(&self, w: &mut Writer, db: &Db) -> AppResult<usize> {
        let started = now_ms();
        w.w.delete_all_documents().map_err(tv)?;
        w.fingerprints.clear();
        let mut n = 0;
        let mut after: Option<RecordId> = None;
        loop {
            let mut r = db
                .query(format!(
                    "SELECT {DOC_FIELDS} FROM person WHERE $after = NONE OR id > $after
                     ORDER BY id LIMIT {REBUILD_PAGE}"
                ))
                .bind(("after", after.clone()))
                .await?;
            let rows: Vec<PersonDoc> = r.take(0)?;
            let Some(last) = rows.last().and_then(|p| p.id.clone()) else {
                break;
            };
            for p in &rows {
                if let Some(id) = &p.id {
                    self.upsert(w, &key(id), p)?;
                    n += 1;
                }
            }
            after = Some(last);
            if rows.len() < REBUILD_PAGE {
                break;
            }
        }
        let from = stamp_at_ms(started.saturating_sub(WINDOW_MS));
        w.position = from;
        w.seen.clear();
        w.last_sweep = Instant::now() - SWEEP;
        self.commit(w, from)?;
        self.inner.needs_rebuild.store(false, Ordering::SeqCst);
        Ok(n)
    }

    /// Applies what the feed holds after the position and commits. Returns how many people
    /// were re-indexed or removed.
    pub async fn catch_up(&self, db: &Db) -> AppResult<usize> {
        let mut w = self.inner.writer.lock().await;
        self.catch_up_locked(&mut w, db, true).await
    }

    /// Like [`Self::catch_up`], but only when no other catch-up runs (a search does not wait
    /// behind an import's batch; it reads what the index has).
    pub async fn try_catch_up(&self, db: &Db) -> AppResult<usize> {
        match self.inner.writer.try_lock() {
            Ok(mut w) => self.catch_up_locked(&mut w, db, true).await,
            Err(_) => Ok(0),
        }
    }

    /// The background writer's pass: applies the feed, commits at most once a second.
    pub async fn pass(&self, db: &Db) -> AppResult<usize> {
        let mut w = self.inner.writer.lock().await;
        let force = w.last_commit.elapsed() >= Duration::from_secs(1);
        self.catch_up_locked(&mut w, db, force).await
    }

    async fn catch_up_locked(&self, w: &mut Writer, db: &Db, commit: bool) -> AppResult<usize> {
        if self.inner.needs_rebuild.load(Ordering::SeqCst) {
            self.rebuild_locked(w, db).await?;
        }
        let sweep = w.last_sweep.elapsed() >= SWEEP;
        let window = stamp_at_ms(WINDOW_MS);
        let mut since = if sweep {
            w.last_sweep = Instant::now();
            w.position.saturating_sub(window)
        } else {
            w.position + 1
        };
        let mut changed = 0;
        loop {
            // SHOW CHANGES takes no parameters: `since` is a number this writer computed
            // (never input), FEED_PAGE a constant.
            let mut r = db
                .query(format!(
                    "SHOW CHANGES FOR TABLE person SINCE {since} LIMIT {FEED_PAGE}"
                ))
                .await?;
            let sets: Vec<ChangeSet> = r.take(0)?;
            let got = sets.len();
            // The newest state of each person in this page; people whose change arrived behind
            // the position are read again from the database (their feed entry may be older
            // than what is indexed).
            let mut latest: HashMap<String, Option<PersonDoc>> = HashMap::new();
            let mut reread: Vec<RecordId> = Vec::new();
            for cs in sets {
                since = cs.versionstamp + 1;
                if w.seen.contains(&cs.versionstamp) {
                    continue;
                }
                let late = cs.versionstamp <= w.position;
                for change in cs.changes {
                    let Value::Object(obj) = change else { continue };
                    let mut obj = obj.into_inner();
                    if let Some(doc) = obj.remove("update") {
                        let Ok(p) = PersonDoc::from_value(doc) else {
                            continue;
                        };
                        let Some(id) = p.id.clone() else { continue };
                        if late {
                            reread.push(id);
                        } else {
                            latest.insert(key(&id), Some(p));
                        }
                    } else if let Some(Value::Object(gone)) = obj.remove("delete")
                        && let Some(Value::RecordId(id)) = gone.into_inner().remove("id")
                    {
                        if late {
                            reread.push(id);
                        } else {
                            latest.insert(key(&id), None);
                        }
                    }
                }
                w.seen.insert(cs.versionstamp);
                w.position = w.position.max(cs.versionstamp);
                w.dirty_position = true;
            }
            if !reread.is_empty() {
                let mut r = db
                    .query(format!("SELECT {DOC_FIELDS} FROM $ids"))
                    .bind(("ids", reread.clone()))
                    .await?;
                let rows: Vec<PersonDoc> = r.take(0)?;
                for id in &reread {
                    latest.insert(key(id), None);
                }
                for p in rows {
                    if let Some(id) = &p.id {
                        latest.insert(key(id), Some(p.clone()));
                    }
                }
            }
            for (k, p) in latest {
                match p {
                    Some(p) => {
                        if self.upsert(w, &k, &p)? {
                            changed += 1;
                        }
                    }
                    None => {
                        if w.fingerprints.contains_key(&k) || self.holds(&k) {
                            self.remove(w, &k);
                            changed += 1;
                        }
                    }
                }
            }
            if got < FEED_PAGE {
                break;
            }
        }
        let floor = w.position.saturating_sub(window);
        let keep = w.seen.split_off(&floor);
        w.seen = keep;
        let long_idle = w.last_commit.elapsed() >= Duration::from_secs(60);
        if (w.uncommitted && commit) || (w.dirty_position && long_idle) {
            let from = w.position.saturating_sub(window);
            self.commit(w, from)?;
        }
        Ok(changed)
    }

    /// Whether the committed index holds this person.
    fn holds(&self, key: &str) -> bool {
        let searcher = self.inner.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.inner.f.id, key),
            IndexRecordOption::Basic,
        );
        searcher.search(&q, &Count).map(|n| n > 0).unwrap_or(true)
    }
}

fn open_writer(index: &Index) -> AppResult<IndexWriter> {
    // Another process (a quick restart) may still hold the lock for a moment.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match index.writer_with_num_threads(1, 50_000_000) {
            Ok(w) => return Ok(w),
            Err(tantivy::TantivyError::LockFailure(..)) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(tv(e)),
        }
    }
}

/// Opens the index in `dir`, or creates it afresh (and says so) when it is missing, unreadable
/// or of another schema version.
fn open_dir(dir: &Path, schema: Schema) -> AppResult<(Index, bool)> {
    std::fs::create_dir_all(dir).map_err(tv)?;
    // Not `tv`: failing to open is expected for a new directory, and reported below only when
    // the directory held something.
    let existing = tantivy::directory::MmapDirectory::open(dir)
        .map_err(|e| e.to_string())
        .and_then(|d| Index::open(d).map_err(|e| e.to_string()));
    match existing {
        Ok(index) => {
            let version_ok = index
                .load_metas()
                .ok()
                .and_then(|m| m.payload)
                .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
                .is_some_and(|p| p.version == SCHEMA_VERSION);
            if version_ok && index.schema() == schema {
                return Ok((index, false));
            }
            tracing::warn!(
                "search index in {} is of another version: rebuilding",
                dir.display()
            );
        }
        Err(_)
            if std::fs::read_dir(dir)
                .map(|mut d| d.next().is_none())
                .unwrap_or(true) => {}
        Err(e) => tracing::warn!(
            "search index in {} cannot be read ({e}): rebuilding",
            dir.display()
        ),
    }
    // Start from an empty directory.
    std::fs::remove_dir_all(dir).map_err(tv)?;
    std::fs::create_dir_all(dir).map_err(tv)?;
    let d = tantivy::directory::MmapDirectory::open(dir).map_err(tv)?;
    Ok((
        Index::create(d, schema, Default::default()).map_err(tv)?,
        true,
    ))
}

/// Runs the background writer until `shutdown`: the index follows the feed within about a
/// second.
pub async fn run_writer(
    index: SearchIndex,
    db: Db,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = index.pass(&db).await {
            tracing::warn!("search index pass failed: {e}");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            // Leave the index committed with its position.
            let _ = index.catch_up(&db).await;
            return;
        }
    }
}
