//! Reading the index: the search language as tantivy queries, pages after a cursor,
//! labelled snippets and tag counts.

use super::*;

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
#[derive(Debug, Default, Clone, Copy)]
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

    /// How many people match `q` (everyone when `None`) under `filters`, for each of `tags`
    /// and each of `sources`. A facet's counts leave out its own filter (a click on another
    /// tag swaps the chosen one, it does not narrow further), so each count is what a click on
    /// that value shows. One pass over the matches per facet, then each value's posting list.
    pub fn facet_counts(
        &self,
        q: Option<&Query>,
        filters: &IndexFilters,
        tags: &[String],
        sources: &[String],
    ) -> AppResult<(Vec<usize>, Vec<usize>)> {
        let f = &self.inner.f;
        let searcher = self.inner.reader.searcher();
        let count = |filters: IndexFilters, terms: Vec<Term>| -> AppResult<Vec<usize>> {
            if terms.is_empty() {
                return Ok(Vec::new());
            }
            let main: Box<dyn TQuery> = match q {
                Some(q) => build(f, q),
                None => Box::new(AllQuery),
            };
            let query = self.with_filters(main, &filters);
            searcher.search(&*query, &ValueCounts { terms }).map_err(tv)
        };
        let tag_terms = tags
            .iter()
            .map(|t| Term::from_field_text(f.tag, t))
            .collect();
        let source_terms = sources
            .iter()
            .map(|s| Term::from_field_text(f.source_exact, s))
            .collect();
        Ok((
            count(
                IndexFilters {
                    tag: None,
                    ..*filters
                },
                tag_terms,
            )?,
            count(
                IndexFilters {
                    source: None,
                    ..*filters
                },
                source_terms,
            )?,
        ))
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

/// How many people the committed index in `dir` finds for `q` (the search language), read
/// without taking the writer's lock: for checks from outside the process that owns it.
pub fn count_in_dir(dir: &Path, q: &str) -> AppResult<usize> {
    let query = crate::search::query::parse(q)
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

/// Counts, for each term (of a field indexed as one token, such as a tag), the matching
/// documents that carry it: the matches of a segment are marked in a bit set, then each
/// term's posting list is walked once. Deleted documents are never collected, so never counted.
struct ValueCounts {
    terms: Vec<Term>,
}

struct SegmentValueCounts {
    matched: tantivy::BitSet,
    postings: Vec<Option<tantivy::postings::SegmentPostings>>,
}

impl tantivy::collector::Collector for ValueCounts {
    type Fruit = Vec<usize>;
    type Child = SegmentValueCounts;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentValueCounts> {
        let mut postings = Vec::with_capacity(self.terms.len());
        for t in &self.terms {
            let inverted = reader.inverted_index(t.field())?;
            postings.push(inverted.read_postings(t, IndexRecordOption::Basic)?);
        }
        Ok(SegmentValueCounts {
            matched: tantivy::BitSet::with_max_value(reader.max_doc()),
            postings,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<usize>>) -> tantivy::Result<Vec<usize>> {
        let mut total = vec![0; self.terms.len()];
        for fruit in fruits {
            for (t, n) in total.iter_mut().zip(fruit) {
                *t += n;
            }
        }
        Ok(total)
    }
}

impl tantivy::collector::SegmentCollector for SegmentValueCounts {
    type Fruit = Vec<usize>;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        self.matched.insert(doc);
    }

    fn harvest(self) -> Vec<usize> {
        use tantivy::DocSet;
        self.postings
            .into_iter()
            .map(|p| {
                let Some(mut p) = p else { return 0 };
                let mut n = 0;
                let mut doc = p.doc();
                while doc != tantivy::TERMINATED {
                    if self.matched.contains(doc) {
                        n += 1;
                    }
                    doc = p.advance();
                }
                n
            })
            .collect()
    }
}
