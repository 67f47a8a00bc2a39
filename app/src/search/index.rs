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

/// The words of `text` as the index has them (analysed).
fn tokens(text: &str) -> Vec<String> {
    let mut a = analyzer();
    let mut ts = a.token_stream(text);
    let mut out = Vec::new();
    while ts.advance() {
        out.push(ts.token().text.clone());
    }
    out
}

/// The words or phrase `ws` in any text field.
fn leaf(f: &Fields, ws: &[String]) -> Box<dyn TQuery> {
    let tokens: Vec<String> = ws.iter().flat_map(|w| tokens(w)).collect();
    if tokens.is_empty() {
        return Box::new(EmptyQuery);
    }
    let per_field: Vec<(Occur, Box<dyn TQuery>)> = f
        .text
        .iter()
        .map(|field| {
            let q: Box<dyn TQuery> = if tokens.len() == 1 {
                Box::new(TermQuery::new(
                    Term::from_field_text(*field, &tokens[0]),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(
                    tokens
                        .iter()
                        .map(|t| Term::from_field_text(*field, t))
                        .collect(),
                ))
            };
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(per_field))
}

fn build(f: &Fields, q: &Query) -> Box<dyn TQuery> {
    match q {
        Query::Term(w) => leaf(f, std::slice::from_ref(w)),
        Query::Phrase(ws) => leaf(f, ws),
        Query::Or(v) => Box::new(BooleanQuery::new(
            v.iter().map(|c| (Occur::Should, build(f, c))).collect(),
        )),
        Query::Not(c) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
            (Occur::MustNot, build(f, c)),
        ])),
        Query::And(v) => {
            let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = v
                .iter()
                .map(|c| match c {
                    Query::Not(inner) => (Occur::MustNot, build(f, inner)),
                    other => (Occur::Must, build(f, other)),
                })
                .collect();
            if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(clauses))
        }
    }
}

/// A person found: key, score and the cursor after them.
#[derive(Debug, Clone)]
pub struct Found {
    pub key: String,
    pub score: f32,
    pub cursor: String,
}

/// A page of results.
#[derive(Debug, Clone)]
pub struct FoundPage {
    pub found: Vec<Found>,
    pub total: usize,
}

/// Filters the index applies itself (exact tag and source; a set of allowed people).
#[derive(Debug, Default)]
pub struct IndexFilters<'a> {
    pub tag: Option<&'a str>,
    pub source: Option<&'a str>,
    pub allowed: Option<&'a HashSet<String>>,
}

fn cursor_of(score: f32, pk: u64) -> String {
    format!("{:08x}{:016x}", score.to_bits(), pk)
}

fn parse_cursor(c: &str) -> Option<(f32, u64)> {
    if c.len() != 24 || !c.is_ascii() {
        return None;
    }
    let score = f32::from_bits(u32::from_str_radix(&c[..8], 16).ok()?);
    let pk = u64::from_str_radix(&c[8..], 16).ok()?;
    Some((score, pk))
}

impl SearchIndex {
    /// Opens the index at `loc`, creating it when missing and recreating it when unreadable
    /// or of another schema version; such an index is rebuilt from the database by its first
    /// catch-up ([`Self::start`]).
    pub fn open(loc: &Location) -> AppResult<Self> {
        let (schema, f) = schema();
        let (index, rebuild) = match loc {
            Location::Memory => (Index::create_in_ram(schema), true),
            Location::Dir(dir) => open_dir(dir, schema)?,
        };
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

    fn with_filters(&self, main: Box<dyn TQuery>, filters: &IndexFilters) -> Box<dyn TQuery> {
        let f = &self.inner.f;
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Must, main)];
        let mut filter = |q: Box<dyn TQuery>| {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        };
        if let Some(tag) = filters.tag {
            filter(Box::new(TermQuery::new(
                Term::from_field_text(f.tag, tag),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(source) = filters.source {
            filter(Box::new(TermQuery::new(
                Term::from_field_text(f.source_exact, source),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(allowed) = filters.allowed {
            filter(Box::new(TermSetQuery::new(
                allowed.iter().map(|k| Term::from_field_text(f.id, k)),
            )));
        }
        if clauses.len() == 1 {
            return clauses.pop().expect("one clause").1;
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// One page of people matching `q`, best first (BM25; ties by a fixed per-person number),
    /// after `cursor` (search-after: nothing is recomputed for later pages but the page).
    pub fn search(
        &self,
        q: &Query,
        filters: &IndexFilters,
        cursor: &str,
        page: usize,
    ) -> AppResult<FoundPage> {
        let query = self.with_filters(build(&self.inner.f, q), filters);
        let after = parse_cursor(cursor);
        let searcher = self.inner.reader.searcher();
        type Key = Option<(f32, std::cmp::Reverse<u64>)>;
        let top =
            TopDocs::with_limit(page.max(1)).tweak_score(move |seg: &tantivy::SegmentReader| {
                let pks = seg
                    .fast_fields()
                    .u64("pk")
                    .expect("pk is a fast field")
                    .first_or_default_col(0);
                move |doc: tantivy::DocId, score: tantivy::Score| -> Key {
                    let pk = pks.get_val(doc);
                    let key = (score, std::cmp::Reverse(pk));
                    match after {
                        Some((s, p)) if key >= (s, std::cmp::Reverse(p)) => None,
                        _ => Some(key),
                    }
                }
            });
        let (total, docs): (usize, Vec<(Key, DocAddress)>) =
            searcher.search(&query, &(Count, top)).map_err(tv)?;
        let mut found = Vec::new();
        for (k, addr) in docs {
            let Some((score, std::cmp::Reverse(pk))) = k else {
                continue;
            };
            let doc: TantivyDocument = searcher.doc(addr).map_err(tv)?;
            let Some(key) = doc
                .get_first(self.inner.f.id)
                .and_then(|v| v.as_str())
                .map(str::to_string)
            else {
                continue;
            };
            found.push(Found {
                key,
                score,
                cursor: cursor_of(score, pk),
            });
        }
        Ok(FoundPage { found, total })
    }

    /// Every tag in use, with how many people have it, read from the index (the database
    /// would scan every person). Deleted documents are not counted.
    pub async fn tag_counts(&self, db: &Db) -> AppResult<Vec<(String, u64)>> {
        self.try_catch_up(db).await?;
        let searcher = self.inner.reader.searcher();
        let field = self.inner.f.tag;
        let mut tags = BTreeSet::new();
        for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(field).map_err(tv)?;
            let mut terms = inverted.terms().stream().map_err(tv)?;
            while terms.advance() {
                if let Ok(t) = std::str::from_utf8(terms.key()) {
                    tags.insert(t.to_string());
                }
            }
        }
        let mut out = Vec::new();
        for tag in tags {
            let q = TermQuery::new(Term::from_field_text(field, &tag), IndexRecordOption::Basic);
            let n = searcher.search(&q, &Count).map_err(tv)? as u64;
            if n > 0 {
                out.push((tag, n));
            }
        }
        Ok(out)
    }

    /// Snippet makers for `q`, one per text field, in [`SNIPPET_ORDER`].
    pub fn snippets(&self, q: &Query, max_chars: usize) -> AppResult<Snippets> {
        let searcher = self.inner.reader.searcher();
        let query = build(&self.inner.f, q);
        let mut gens = Vec::new();
        for name in SNIPPET_ORDER {
            let field = self.inner.f.text(name).expect("a text field");
            let mut g = SnippetGenerator::create(&searcher, &*query, field).map_err(tv)?;
            g.set_max_num_chars(max_chars);
            let label = TEXT_FIELDS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, l)| *l)
                .unwrap_or(name);
            gens.push((name, label, g));
        }
        Ok(Snippets { gens })
    }
}

/// Highlighted excerpts for the people of a page (see [`SearchIndex::snippets`]).
pub struct Snippets {
    gens: Vec<(&'static str, &'static str, SnippetGenerator)>,
}

impl Snippets {
    /// The first field of `p` (in [`SNIPPET_ORDER`]) with a match: its label and the excerpt
    /// as (text, highlighted) pieces.
    pub fn best(&self, p: &PersonDoc) -> Option<(&'static str, Vec<(String, bool)>)> {
        for (name, label, g) in &self.gens {
            let text = p.text(name);
            if text.is_empty() {
                continue;
            }
            let s = g.snippet(&text);
            if s.highlighted().is_empty() {
                continue;
            }
            let frag = s.fragment();
            let mut pieces = Vec::new();
            let mut at = 0;
            for r in s.highlighted() {
                if r.start > at {
                    pieces.push((frag[at..r.start].to_string(), false));
                }
                pieces.push((frag[r.start..r.end].to_string(), true));
                at = r.end;
            }
            if at < frag.len() {
                pieces.push((frag[at..].to_string(), false));
            }
            return Some((label, pieces));
        }
        None
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
    let existing = tantivy::directory::MmapDirectory::open(dir)
        .map_err(tv)
        .and_then(|d| Index::open(d).map_err(tv));
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
        Err(_) => tracing::warn!(
            "search index in {} cannot be read: rebuilding",
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

/// How many people the committed index in `dir` finds for `q` (the search language), read
/// without taking the writer's lock: for checks from outside the process that owns it.
pub fn count_in_dir(dir: &Path, q: &str) -> AppResult<usize> {
    let query = super::query::parse(q)
        .map_err(|m| AppError::invalid("q", m))?
        .ok_or_else(|| AppError::invalid("q", "Enter a word."))?;
    let d = tantivy::directory::MmapDirectory::open(dir).map_err(tv)?;
    let index = Index::open(d).map_err(tv)?;
    index.tokenizers().register(ANALYZER, analyzer());
    let (_, f) = schema();
    let reader: IndexReader = index.reader().map_err(tv)?;
    reader
        .searcher()
        .search(&*build(&f, &query), &Count)
        .map_err(tv)
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
