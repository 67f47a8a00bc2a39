//! Search execution: one index lookup per word or phrase, combined with set operations.
//!
//! Each word is looked up through the FULLTEXT index (`@@`, BM25 score); phrases look up all
//! their words and then check the words stand together. AND intersects, OR unites, NOT removes.
//! Filters (job, stage, tag, source, date applied) narrow the set through their own indexes.

use super::query::{Query, positive_words, snippet, words};
use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::db::{Db, key};
use chrono::{NaiveDate, Utc};
use std::collections::{HashMap, HashSet};
use surrealdb::types::{RecordId, SurrealValue};

pub const PAGE: usize = 25;

/// Person keys with their scores.
type Scored = HashMap<String, f64>;

#[derive(Debug, Clone, SurrealValue)]
struct ScoreRow {
    id: RecordId,
    score: f64,
}

#[derive(Debug, Clone, SurrealValue)]
struct TextRow {
    id: RecordId,
    score: f64,
    search_text: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct HitRow {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    headline: Option<String>,
    tags: Vec<String>,
    search_text: String,
    created_at: chrono::DateTime<Utc>,
}

/// People whose text contains the word (stemmed), with BM25 scores.
async fn term(db: &Db, word: &str) -> AppResult<Scored> {
    let mut r = db
        .query("SELECT id, search::score(1) AS score FROM person WHERE search_text @1@ $w")
        .bind(("w", word.to_string()))
        .await?;
    let rows: Vec<ScoreRow> = r.take(0)?;
    Ok(rows.into_iter().map(|r| (key(&r.id), r.score)).collect())
}

/// People whose text has these words next to each other.
async fn phrase(db: &Db, ws: &[String]) -> AppResult<Scored> {
    let mut r = db
        .query("SELECT id, search::score(1) AS score, search_text FROM person WHERE search_text @1,AND@ $w")
        .bind(("w", ws.join(" ")))
        .await?;
    let rows: Vec<TextRow> = r.take(0)?;
    Ok(rows
        .into_iter()
        .filter(|r| words(&r.search_text).windows(ws.len()).any(|win| win == ws))
        .map(|r| (key(&r.id), r.score))
        .collect())
}

fn leaves<'a>(q: &'a Query, out: &mut Vec<&'a Query>) {
    match q {
        Query::Term(_) | Query::Phrase(_) => {
            if !out.contains(&q) {
                out.push(q);
            }
        }
        Query::And(v) | Query::Or(v) => v.iter().for_each(|c| leaves(c, out)),
        Query::Not(c) => leaves(c, out),
    }
}

fn eval(q: &Query, found: &HashMap<&Query, Scored>, universe: Option<&Scored>) -> Scored {
    match q {
        Query::Term(_) | Query::Phrase(_) => found.get(q).cloned().unwrap_or_default(),
        Query::Or(v) => {
            let mut out = Scored::new();
            for c in v {
                for (id, s) in eval(c, found, universe) {
                    *out.entry(id).or_default() += s;
                }
            }
            out
        }
        Query::Not(c) => {
            let excluded = eval(c, found, universe);
            universe
                .map(|u| {
                    u.iter()
                        .filter(|(id, _)| !excluded.contains_key(*id))
                        .map(|(k, v)| (k.clone(), *v))
                        .collect()
                })
                .unwrap_or_default()
        }
        Query::And(v) => {
            let (neg, pos): (Vec<&Query>, Vec<&Query>) =
                v.iter().partition(|c| matches!(c, Query::Not(_)));
            let mut acc: Option<Scored> = None;
            for c in pos {
                let s = eval(c, found, universe);
                acc = Some(match acc {
                    None => s,
                    Some(a) => a
                        .into_iter()
                        .filter_map(|(id, sc)| s.get(&id).map(|x| (id, sc + x)))
                        .collect(),
                });
            }
            let mut acc = acc.or_else(|| universe.cloned()).unwrap_or_default();
            for n in neg {
                if let Query::Not(inner) = n {
                    let excluded = eval(inner, found, universe);
                    acc.retain(|id, _| !excluded.contains_key(id));
                }
            }
            acc
        }
    }
}

fn day(s: &str, field: &str) -> AppResult<Option<chrono::DateTime<Utc>>> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    use chrono::Datelike;
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        // Dates an application can have; far-off years (up to +262143) would overflow "the
        // day after" below.
        .filter(|d| (1900..=2999).contains(&d.year()))
        .map(|d| Some(d.and_hms_opt(0, 0, 0).expect("midnight").and_utc()))
        .ok_or_else(|| AppError::invalid(field, "Enter a date like 2026-11-01."))
}

/// People allowed by the filters, or `None` when there are no filters.
async fn filtered(db: &Db, f: &SearchFilters) -> AppResult<Option<HashSet<String>>> {
    let mut sets: Vec<HashSet<String>> = Vec::new();
    if f.needs_applications() {
        let from = day(&f.applied_from, "applied_from")?;
        let to = day(&f.applied_to, "applied_to")?
            .and_then(|d| d.checked_add_signed(chrono::Duration::days(1)));
        let job = if f.job.is_empty() {
            None
        } else {
            Some(crate::server::db::id("job", &f.job)?)
        };
        let mut r = db
            .query(
                "SELECT VALUE person FROM application
                 WHERE ($job = NONE OR job = $job) AND ($stage = NONE OR stage = $stage)
                   AND ($from = NONE OR created_at >= $from) AND ($to = NONE OR created_at < $to)",
            )
            .bind(("job", job))
            .bind(("stage", (!f.stage.is_empty()).then(|| f.stage.clone())))
            .bind(("from", from))
            .bind(("to", to))
            .await?;
        let ids: Vec<RecordId> = r.take(0)?;
        sets.push(ids.iter().map(key).collect());
    }
    if !f.tag.is_empty() {
        let mut r = db
            .query("SELECT VALUE id FROM person WHERE tags CONTAINS $tag")
            .bind(("tag", f.tag.clone()))
            .await?;
        let ids: Vec<RecordId> = r.take(0)?;
        sets.push(ids.iter().map(key).collect());
    }
    if !f.source.is_empty() {
        let mut r = db
            .query("SELECT VALUE id FROM person WHERE source = $source")
            .bind(("source", f.source.clone()))
            .await?;
        let ids: Vec<RecordId> = r.take(0)?;
        sets.push(ids.iter().map(key).collect());
    }
    Ok(sets
        .into_iter()
        .reduce(|a, b| a.intersection(&b).cloned().collect()))
}

fn cursor_of(score: f64, id: &str) -> String {
    format!("{:016x}|{id}", score.to_bits())
}

/// Runs a search. `q` uses the search language of [`super::query`].
pub async fn search(
    db: &Db,
    q: &str,
    filters: &SearchFilters,
    cursor: &str,
    page: usize,
) -> AppResult<SearchResults> {
    let parsed = super::query::parse(q).map_err(|m| AppError::invalid("q", m))?;
    let allowed = filtered(db, filters).await?;
    let (ranked, highlight): (Vec<(String, f64)>, Vec<String>) = match &parsed {
        None => {
            let Some(allowed) = allowed else {
                return Ok(SearchResults {
                    hits: Vec::new(),
                    total: 0,
                    next_cursor: None,
                });
            };
            // No words: the filtered people, newest first (score = creation time).
            let ids: Vec<RecordId> = allowed
                .iter()
                .map(|k| RecordId::new("person", k.as_str()))
                .collect();
            let mut r = db
                .query("SELECT id, <float> time::unix(created_at) AS score FROM $ids")
                .bind(("ids", ids))
                .await?;
            let rows: Vec<ScoreRow> = r.take(0)?;
            (
                rows.into_iter().map(|r| (key(&r.id), r.score)).collect(),
                Vec::new(),
            )
        }
        Some(query) => {
            let mut ls = Vec::new();
            leaves(query, &mut ls);
            let mut found: HashMap<&Query, Scored> = HashMap::new();
            for leaf in ls {
                let s = match leaf {
                    Query::Term(w) => term(db, w).await?,
                    Query::Phrase(ws) => phrase(db, ws).await?,
                    _ => unreachable!("leaves are terms and phrases"),
                };
                found.insert(leaf, s);
            }
            let universe: Option<Scored> = allowed
                .as_ref()
                .map(|a| a.iter().map(|id| (id.clone(), 0.0)).collect());
            let mut scored = eval(query, &found, universe.as_ref());
            if let Some(a) = &allowed {
                scored.retain(|id, _| a.contains(id));
            }
            (scored.into_iter().collect(), positive_words(query))
        }
    };
    let mut ranked = ranked;
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total = ranked.len();
    let start = if cursor.is_empty() {
        0
    } else {
        ranked
            .iter()
            .position(|(id, s)| cursor_of(*s, id) == cursor)
            .map(|i| i + 1)
            .unwrap_or(total)
    };
    let page_items: Vec<(String, f64)> = ranked.iter().skip(start).take(page).cloned().collect();
    let next_cursor = (start + page < total)
        .then(|| page_items.last().map(|(id, s)| cursor_of(*s, id)))
        .flatten();
    let ids: Vec<RecordId> = page_items
        .iter()
        .map(|(k, _)| RecordId::new("person", k.as_str()))
        .collect();
    let mut r = db
        .query(
            "SELECT id, first_name, last_name, email, headline, tags, search_text, created_at FROM $ids",
        )
        .bind(("ids", ids))
        .await?;
    let rows: Vec<HitRow> = r.take(0)?;
    let by_id: HashMap<String, HitRow> = rows.into_iter().map(|r| (key(&r.id), r)).collect();
    let hits = page_items
        .iter()
        .filter_map(|(id, _)| by_id.get(id))
        .map(|r| SearchHit {
            id: key(&r.id),
            name: format!("{} {}", r.first_name, r.last_name)
                .trim()
                .to_string(),
            email: r.email.clone(),
            headline: r.headline.clone(),
            tags: r.tags.clone(),
            snippet: if highlight.is_empty() {
                Vec::new()
            } else {
                snippet(&r.search_text, &highlight, 160)
                    .into_iter()
                    .map(|(text, hit)| Segment { text, hit })
                    .collect()
            },
        })
        .collect();
    Ok(SearchResults {
        hits,
        total,
        next_cursor,
    })
}

#[derive(Debug, Clone, SurrealValue)]
struct JobOption {
    id: RecordId,
    title: String,
}

/// Choices for the filter form: jobs, stage names in use, tags, sources.
/// The choices of the search filters. `drafts`: whether the caller may see jobs that are not
/// open (drafts and closed jobs, with their stages); sourcers see open jobs only.
pub async fn filter_options(db: &Db, drafts: bool) -> AppResult<FilterOptions> {
    let mut r = db
        .query(
            "SELECT id, title FROM job WHERE $drafts OR status = 'open' ORDER BY title;
             SELECT VALUE stages FROM job WHERE $drafts OR status = 'open';",
        )
        .bind(("drafts", drafts))
        .await?;
    let jobs: Vec<JobOption> = r.take(0)?;
    let stages: Vec<Vec<crate::jobs::repo::StageRow>> = r.take(1)?;
    let sources: Vec<String> = ["careers_page", "sourced", "referral", "import", "event"]
        .map(String::from)
        .to_vec();
    let mut stage_opts: Vec<(String, String)> = Vec::new();
    for s in stages.into_iter().flatten() {
        if !stage_opts.iter().any(|(id, _)| *id == s.id) {
            stage_opts.push((s.id, s.name));
        }
    }
    let tags = crate::people::repo::tag_counts(db)
        .await?
        .into_iter()
        .map(|t| t.tag)
        .collect();
    Ok(FilterOptions {
        jobs: jobs.into_iter().map(|j| (key(&j.id), j.title)).collect(),
        stages: stage_opts,
        tags,
        sources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn far_off_dates_are_refused_not_an_overflow() {
        assert!(day("+262142-12-31", "applied_to").is_err());
        assert!(day("262142-12-31", "applied_to").is_err());
        assert!(day("0001-01-01", "applied_from").is_err());
        assert!(day("2026-11-01", "applied_from").unwrap().is_some());
        assert_eq!(day(" ", "applied_from").unwrap(), None);
    }

    async fn person(
        st: &crate::server::AppState,
        key: &str,
        first: &str,
        skills: &[&str],
        resume: &str,
    ) {
        st.db
            .query(
                "CREATE type::record('person', $k) SET first_name = $f, last_name = 'Test', email = $e,
                    skills = $s, resume_text = $r",
            )
            .bind(("k", key.to_string()))
            .bind(("f", first.to_string()))
            .bind(("e", format!("{key}@example.org")))
            .bind(("s", skills.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
            .bind(("r", resume.to_string()))
            .await
            .unwrap()
            .check()
            .unwrap();
    }

    async fn names(st: &crate::server::AppState, q: &str) -> Vec<String> {
        let mut n: Vec<String> = search(&st.db, q, &SearchFilters::default(), "", 100)
            .await
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.name.split(' ').next().unwrap().to_string())
            .collect();
        n.sort();
        n
    }

    #[tokio::test]
    async fn operators_and_phrases_work_on_the_index() {
        let st = testing::state().await;
        person(
            &st,
            "p1",
            "Ana",
            &["Rust"],
            "Built machine learning pipelines in Python and Rust.",
        )
        .await;
        person(
            &st,
            "p2",
            "Ben",
            &["Java"],
            "Learning machine design; Java and Kubernetes.",
        )
        .await;
        person(
            &st,
            "p3",
            "Cai",
            &["Go"],
            "Go services on Kubernetes. Project manager for two years.",
        )
        .await;
        person(&st, "p4", "Dee", &[], "Cooking and gardening.").await;

        assert_eq!(names(&st, "rust").await, ["Ana"]);
        assert_eq!(names(&st, "kubernetes").await, ["Ben", "Cai"]);
        assert_eq!(names(&st, "rust OR java").await, ["Ana", "Ben"]);
        assert_eq!(names(&st, "kubernetes NOT java").await, ["Cai"]);
        assert_eq!(names(&st, "kubernetes -java").await, ["Cai"]);
        assert_eq!(names(&st, "kubernetes AND go").await, ["Cai"]);
        assert_eq!(
            names(&st, "\"machine learning\"").await,
            ["Ana"],
            "phrase, not just both words"
        );
        assert_eq!(names(&st, "machine learning").await, ["Ana", "Ben"]);
        assert_eq!(names(&st, "(rust OR go) kubernetes").await, ["Cai"]);
        assert_eq!(names(&st, "pipeline").await, ["Ana"], "stemmed: pipelines");
        assert!(names(&st, "astronaut").await.is_empty());
        let err = search(&st.db, "rust AND", &SearchFilters::default(), "", 10)
            .await
            .unwrap_err();
        assert!(err.field_message("q").is_some());
    }

    #[tokio::test]
    async fn snippets_highlight_and_pages_follow_the_cursor() {
        let st = testing::demo_state().await;
        let first = search(&st.db, "rust", &SearchFilters::default(), "", 5)
            .await
            .unwrap();
        assert!(first.total > 5);
        assert!(first.hits.iter().all(|h| {
            h.snippet
                .iter()
                .any(|s| s.hit && s.text.eq_ignore_ascii_case("rust"))
        }));
        let second = search(
            &st.db,
            "rust",
            &SearchFilters::default(),
            first.next_cursor.as_deref().unwrap(),
            5,
        )
        .await
        .unwrap();
        assert!(
            second
                .hits
                .iter()
                .all(|h| !first.hits.iter().any(|f| f.id == h.id))
        );
        let tagged = search(
            &st.db,
            "rust",
            &SearchFilters {
                tag: "rust-meetup-2026".into(),
                ..Default::default()
            },
            "",
            100,
        )
        .await
        .unwrap();
        assert!(tagged.total < first.total);
        let by_job = search(
            &st.db,
            "",
            &SearchFilters {
                job: "rust-backend".into(),
                stage: "offer".into(),
                ..Default::default()
            },
            "",
            100,
        )
        .await
        .unwrap();
        assert!(by_job.total > 0);
    }
}
