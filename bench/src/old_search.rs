//! The search of earlier versions, on SurrealDB's FULLTEXT/BM25 index, kept here only to be
//! measured side by side with the tantivy index (`bench scale`). It defines its own field and
//! index on the generated data.

use app::search::query::{Query, words};
use std::collections::{HashMap, HashSet};
use surrealdb::types::{RecordId, SurrealValue};

type Db = surrealdb::Surreal<surrealdb::engine::any::Any>;
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

fn key(id: &RecordId) -> String {
    app::server::db::key(id)
}

/// Adds the old concatenated field and its full-text index (built over the existing people).
pub async fn define(db: &Db) {
    db.query(
        "DEFINE FIELD OVERWRITE search_text ON person TYPE string VALUE string::join(' ',
            first_name, last_name, email, array::join(skills, ' '), array::join(tags, ' '),
            headline ?? '', location ?? '', resume_text ?? '', notes_text ?? '');
         DEFINE ANALYZER OVERWRITE people_text TOKENIZERS blank, class, punct
            FILTERS lowercase, ascii, snowball(english);
         UPDATE person SET search_text = '' RETURN NONE;
         DEFINE INDEX person_search ON person FIELDS search_text FULLTEXT ANALYZER people_text BM25 HIGHLIGHTS;",
    )
    .await
    .unwrap()
    .check()
    .unwrap();
}

async fn term(db: &Db, word: &str) -> Scored {
    let mut r = db
        .query("SELECT id, search::score(1) AS score FROM person WHERE search_text @1@ $w")
        .bind(("w", word.to_string()))
        .await
        .unwrap();
    let rows: Vec<ScoreRow> = r.take(0).unwrap();
    rows.into_iter().map(|r| (key(&r.id), r.score)).collect()
}

async fn phrase(db: &Db, ws: &[String]) -> Scored {
    let mut r = db
        .query("SELECT id, search::score(1) AS score, search_text FROM person WHERE search_text @1,AND@ $w")
        .bind(("w", ws.join(" ")))
        .await
        .unwrap();
    let rows: Vec<TextRow> = r.take(0).unwrap();
    rows.into_iter()
        .filter(|r| words(&r.search_text).windows(ws.len()).any(|win| win == ws))
        .map(|r| (key(&r.id), r.score))
        .collect()
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

/// The old search: every match scored, ranked, and the page `page_no` (0-based) of 25 cut out
/// (its cursor found by scanning the ranking, as the old code did). Returns the total.
pub async fn search(db: &Db, q: &str, tag: Option<&str>, page_no: usize) -> usize {
    let query = app::search::query::parse(q).unwrap().unwrap();
    let mut ls = Vec::new();
    leaves(&query, &mut ls);
    let mut found: HashMap<&Query, Scored> = HashMap::new();
    for leaf in ls {
        let s = match leaf {
            Query::Term(w) => term(db, w).await,
            Query::Phrase(ws) => phrase(db, ws).await,
            _ => unreachable!(),
        };
        found.insert(leaf, s);
    }
    let allowed: Option<HashSet<String>> = match tag {
        Some(t) => {
            let mut r = db
                .query("SELECT VALUE id FROM person WHERE tags CONTAINS $tag")
                .bind(("tag", t.to_string()))
                .await
                .unwrap();
            let ids: Vec<RecordId> = r.take(0).unwrap();
            Some(ids.iter().map(key).collect())
        }
        None => None,
    };
    let universe: Option<Scored> = allowed
        .as_ref()
        .map(|a| a.iter().map(|id| (id.clone(), 0.0)).collect());
    let mut scored = eval(&query, &found, universe.as_ref());
    if let Some(a) = &allowed {
        scored.retain(|id, _| a.contains(id));
    }
    let mut ranked: Vec<(String, f64)> = scored.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let page: Vec<RecordId> = ranked
        .iter()
        .skip(page_no * 25)
        .take(25)
        .map(|(k, _)| RecordId::new("person", k.as_str()))
        .collect();
    // The old code read the page's people with their text for the snippets.
    let mut r = db
        .query("SELECT id, search_text FROM $ids")
        .bind(("ids", page))
        .await
        .unwrap();
    let _: Vec<surrealdb::types::Value> = r.take(0).unwrap();
    ranked.len()
}
