//! Search execution: the text query runs on the tantivy index ([`super::index`]); filters on
//! applications (job, stage, date applied) come from the database and narrow it; tag and source
//! are filtered in the index. A query without words lists the filtered people, newest first.

use super::index::{DOC_FIELDS, IndexFilters, PersonDoc, SearchIndex};
use super::types::*;
use crate::error::{AppError, AppResult};
use crate::server::db::{Db, key};
use chrono::{NaiveDate, Utc};
use std::collections::{HashMap, HashSet};
use surrealdb::types::{RecordId, SurrealValue};

pub const PAGE: usize = 25;
/// Where people come from, as the source filter offers them.
pub const SOURCES: [&str; 5] = ["careers_page", "sourced", "referral", "import", "event"];

#[derive(Debug, Clone, SurrealValue)]
struct ScoreRow {
    id: RecordId,
    score: f64,
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

/// People with an application the filters allow (job, stage, date applied), or `None` when
/// those filters are empty.
async fn applicants(db: &Db, f: &SearchFilters) -> AppResult<Option<HashSet<String>>> {
    if !f.needs_applications() {
        return Ok(None);
    }
    {
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
        Ok(Some(ids.iter().map(key).collect()))
    }
}

/// The filters the index applies itself: tag, source and the people `allowed` by the others.
fn index_filters<'a>(
    filters: &'a SearchFilters,
    allowed: Option<&'a HashSet<String>>,
) -> IndexFilters<'a> {
    IndexFilters {
        tag: (!filters.tag.is_empty()).then_some(filters.tag.as_str()),
        source: (!filters.source.is_empty()).then_some(filters.source.as_str()),
        allowed,
    }
}

/// People allowed by the filters, or `None` when there are no filters.
async fn filtered(db: &Db, f: &SearchFilters) -> AppResult<Option<HashSet<String>>> {
    let mut sets: Vec<HashSet<String>> = Vec::new();
    if let Some(a) = applicants(db, f).await? {
        sets.push(a);
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

fn newest_cursor(score: f64, id: &str) -> String {
    format!("{:016x}|{id}", score.to_bits())
}

/// The filtered people, newest first, when the query has no words.
async fn newest(
    db: &Db,
    allowed: Option<HashSet<String>>,
    cursor: &str,
    page: usize,
) -> AppResult<(Vec<String>, usize, Option<String>)> {
    let Some(allowed) = allowed else {
        return Ok((Vec::new(), 0, None));
    };
    let ids: Vec<RecordId> = allowed
        .iter()
        .map(|k| RecordId::new("person", k.as_str()))
        .collect();
    let mut r = db
        .query("SELECT id, <float> time::unix(created_at) AS score FROM $ids")
        .bind(("ids", ids))
        .await?;
    let rows: Vec<ScoreRow> = r.take(0)?;
    let mut ranked: Vec<(String, f64)> = rows.into_iter().map(|r| (key(&r.id), r.score)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total = ranked.len();
    let start = if cursor.is_empty() {
        0
    } else {
        ranked
            .iter()
            .position(|(id, s)| newest_cursor(*s, id) == cursor)
            .map(|i| i + 1)
            .unwrap_or(total)
    };
    let items: Vec<(String, f64)> = ranked.into_iter().skip(start).take(page).collect();
    let next = (start + page < total)
        .then(|| items.last().map(|(id, s)| newest_cursor(*s, id)))
        .flatten();
    Ok((items.into_iter().map(|(k, _)| k).collect(), total, next))
}

/// Runs a search. `q` uses the search language of [`super::query`]. `all_jobs`: whether the
/// caller may filter by jobs that are not open (drafts and closed jobs); sourcers may not, or
/// a draft's id would tell them who applied to it.
pub async fn search(
    db: &Db,
    index: &SearchIndex,
    q: &str,
    filters: &SearchFilters,
    all_jobs: bool,
    cursor: &str,
    page: usize,
) -> AppResult<SearchResults> {
    let parsed = super::query::parse(q).map_err(|m| AppError::invalid("q", m))?;
    // Validate the dates whatever the query.
    day(&filters.applied_from, "applied_from")?;
    day(&filters.applied_to, "applied_to")?;
    if !all_jobs && !filters.job.is_empty() {
        let job = crate::server::db::id("job", &filters.job)?;
        let mut r = db
            .query("SELECT VALUE status FROM ONLY $job")
            .bind(("job", job))
            .await?;
        let status: Option<String> = r.take(0)?;
        if status.as_deref() != Some("open") {
            return Err(AppError::invalid("job", "Choose one of the open jobs."));
        }
    }
    let (keys, total, next_cursor, snippets) = match &parsed {
        None => {
            let (keys, total, next) =
                newest(db, filtered(db, filters).await?, cursor, page).await?;
            (keys, total, next, None)
        }
        Some(query) => {
            // Read your writes: what this process committed is searchable now, unless the
            // writer is busy (then the index is at most a second or two behind).
            index.try_catch_up(db).await?;
            let allowed = applicants(db, filters).await?;
            let f = index_filters(filters, allowed.as_ref());
            // One more than the page says whether there is a next page.
            let mut found = index.search(query, &f, cursor, page + 1)?;
            let more = found.found.len() > page;
            found.found.truncate(page);
            let next = more
                .then(|| found.found.last().map(|f| f.cursor.clone()))
                .flatten();
            (
                found.found.into_iter().map(|f| f.key).collect(),
                found.total,
                next,
                Some(index.snippets(query, 160)?),
            )
        }
    };
    let ids: Vec<RecordId> = keys
        .iter()
        .map(|k| RecordId::new("person", k.as_str()))
        .collect();
    // One read of the page's people: what the hit shows and the text its snippet comes from.
    let mut r = db
        .query(format!("SELECT {DOC_FIELDS} FROM $ids"))
        .bind(("ids", ids))
        .await?;
    let docs: Vec<PersonDoc> = r.take(0)?;
    let by_id: HashMap<String, PersonDoc> = docs
        .into_iter()
        .filter_map(|d| d.id.as_ref().map(key).map(|k| (k, d.clone())))
        .collect();
    let hits = keys
        .iter()
        .filter_map(|id| by_id.get(id).map(|r| (id, r)))
        .map(|(id, r)| {
            let best = snippets.as_ref().and_then(|s| s.best(r));
            SearchHit {
                id: id.clone(),
                name: format!("{} {}", r.first_name, r.last_name)
                    .trim()
                    .to_string(),
                email: r.email.clone(),
                headline: r.headline.clone(),
                tags: r.tags.clone(),
                snippet_field: best.as_ref().map(|(label, _)| label.to_string()),
                snippet: best
                    .map(|(_, pieces)| {
                        pieces
                            .into_iter()
                            .map(|(text, hit)| Segment { text, hit })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(SearchResults {
        hits,
        total,
        next_cursor,
        facets: Facets::default(),
    })
}

/// How many of the people `q` and `filters` find each tag and each source would show (see
/// [`SearchIndex::facet_counts`]); values that would show no one are left out, the most
/// frequent first. Call after [`search`] accepted the same query and filters.
pub async fn facets(
    db: &Db,
    index: &SearchIndex,
    q: &str,
    filters: &SearchFilters,
) -> AppResult<Facets> {
    let parsed = super::query::parse(q).map_err(|m| AppError::invalid("q", m))?;
    index.try_catch_up(db).await?;
    let allowed = applicants(db, filters).await?;
    let f = index_filters(filters, allowed.as_ref());
    let tags: Vec<String> = index
        .tag_counts(db)
        .await?
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let sources: Vec<String> = SOURCES.map(String::from).to_vec();
    let (tag_n, source_n) = index.facet_counts(parsed.as_ref(), &f, &tags, &sources)?;
    let keep = |values: Vec<String>, counts: Vec<usize>| {
        let mut v: Vec<FacetValue> = values
            .into_iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(value, n)| FacetValue {
                value,
                count: n as u64,
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v
    };
    Ok(Facets {
        tags: keep(tags, tag_n),
        sources: keep(sources, source_n),
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
pub async fn filter_options(
    db: &Db,
    index: &SearchIndex,
    drafts: bool,
) -> AppResult<FilterOptions> {
    let mut r = db
        .query(
            "SELECT id, title FROM job WHERE $drafts OR status = 'open' ORDER BY title;
             SELECT VALUE stages FROM job WHERE $drafts OR status = 'open';",
        )
        .bind(("drafts", drafts))
        .await?;
    let jobs: Vec<JobOption> = r.take(0)?;
    let stages: Vec<Vec<crate::jobs::repo::StageRow>> = r.take(1)?;
    let sources: Vec<String> = SOURCES.map(String::from).to_vec();
    let mut stage_opts: Vec<(String, String)> = Vec::new();
    for s in stages.into_iter().flatten() {
        if !stage_opts.iter().any(|(id, _)| *id == s.id) {
            stage_opts.push((s.id, s.name));
        }
    }
    let tags = index
        .tag_counts(db)
        .await?
        .into_iter()
        .map(|(tag, _)| tag)
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
        let mut n: Vec<String> = search(
            &st.db,
            st.ext::<SearchIndex>(),
            q,
            &SearchFilters::default(),
            true,
            "",
            100,
        )
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
        let err = search(
            &st.db,
            st.ext::<SearchIndex>(),
            "rust AND",
            &SearchFilters::default(),
            true,
            "",
            10,
        )
        .await
        .unwrap_err();
        assert!(err.field_message("q").is_some());
    }

    #[tokio::test]
    async fn facets_count_what_a_click_would_show() {
        let st = testing::state().await;
        for (k, first, skill, tags, source) in [
            ("f1", "Ana", "Rust", vec!["meetup"], "sourced"),
            ("f2", "Ben", "Rust", vec!["meetup", "alumni"], "referral"),
            ("f3", "Cai", "Rust", vec![], "careers_page"),
            ("f4", "Dee", "Java", vec!["meetup"], "sourced"),
        ] {
            person(&st, k, first, &[skill], "").await;
            st.db
                .query("UPDATE type::record('person', $k) SET tags = $t, source = $s")
                .bind(("k", k))
                .bind(("t", tags.iter().map(|t| t.to_string()).collect::<Vec<_>>()))
                .bind(("s", source))
                .await
                .unwrap()
                .check()
                .unwrap();
        }
        let facets = async |q: &str, tag: &str| {
            let f = SearchFilters {
                tag: tag.into(),
                ..SearchFilters::default()
            };
            let got = super::facets(&st.db, st.ext::<SearchIndex>(), q, &f)
                .await
                .unwrap();
            let pairs = |v: Vec<FacetValue>| {
                v.into_iter()
                    .map(|v| format!("{}={}", v.value, v.count))
                    .collect::<Vec<_>>()
            };
            (pairs(got.tags), pairs(got.sources))
        };
        // Everyone who knows Rust: by tag and by source, the most frequent first.
        let (tags, sources) = facets("rust", "").await;
        assert_eq!(tags, ["meetup=2", "alumni=1"]);
        assert_eq!(sources, ["careers_page=1", "referral=1", "sourced=1"]);
        // With a tag chosen, the tags still count without it (a click swaps it); the sources
        // count within it, and one that would show no one is left out.
        let (tags, sources) = facets("rust", "meetup").await;
        assert_eq!(tags, ["meetup=2", "alumni=1"]);
        assert_eq!(sources, ["referral=1", "sourced=1"]);
        // No words: everyone.
        let (tags, _) = facets("", "").await;
        assert_eq!(tags, ["meetup=3", "alumni=1"]);
        // A query the search refuses is refused here too.
        assert!(
            super::facets(
                &st.db,
                st.ext::<SearchIndex>(),
                "rust AND",
                &SearchFilters::default()
            )
            .await
            .is_err()
        );
    }

    #[tokio::test]
    async fn snippets_highlight_and_pages_follow_the_cursor() {
        let st = testing::demo_state().await;
        let first = search(
            &st.db,
            st.ext::<SearchIndex>(),
            "rust",
            &SearchFilters::default(),
            true,
            "",
            5,
        )
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
            st.ext::<SearchIndex>(),
            "rust",
            &SearchFilters::default(),
            true,
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
            st.ext::<SearchIndex>(),
            "rust",
            &SearchFilters {
                tag: "rust-meetup-2026".into(),
                ..Default::default()
            },
            true,
            "",
            100,
        )
        .await
        .unwrap();
        assert!(tagged.total < first.total);
        let by_job = search(
            &st.db,
            st.ext::<SearchIndex>(),
            "",
            &SearchFilters {
                job: "rust-backend".into(),
                stage: "offer".into(),
                ..Default::default()
            },
            true,
            "",
            100,
        )
        .await
        .unwrap();
        assert!(by_job.total > 0);
    }
}
