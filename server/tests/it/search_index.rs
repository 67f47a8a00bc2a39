//! The search index follows the database: a committed change is findable within two seconds
//! through the background writer alone; an index deleted or damaged on disk is rebuilt from the
//! database at start. (Kill -9 of the index is part of `crash.rs`.)

use crate::common;

use app::search::index::{IndexFilters, SearchIndex};
use app::search::query::parse;
use common::*;
use std::time::{Duration, Instant};

/// How many people the index finds for `q`, asking the index alone (no catch-up first).
fn found(index: &SearchIndex, q: &str) -> usize {
    let q = parse(q).unwrap().unwrap();
    index
        .search(&q, &IndexFilters::default(), "", 10)
        .unwrap()
        .total
}

/// Waits until the index finds `want` people for `q`; returns how long it took.
async fn until(index: &SearchIndex, q: &str, want: usize) -> Duration {
    let t = Instant::now();
    while found(index, q) != want {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{q:?} never found {want} people"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    t.elapsed()
}

async fn sql(st: &app::server::AppState, q: &str) {
    st.db.query(q).await.unwrap().check().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committed_change_is_findable_within_two_seconds() {
    let t = spawn_app().await;
    let st = t.state().clone();
    let index = st.ext::<SearchIndex>().clone();
    assert_eq!(found(&index, "zanzibarian"), 0);

    sql(
        &st,
        "CREATE person:fresh SET first_name = 'Fresh', last_name = 'Face', \
         email = 'fresh@example.org', resume_text = 'Zanzibarian spice logistics.'",
    )
    .await;
    let created = until(&index, "zanzibarian", 1).await;

    sql(
        &st,
        "UPDATE person:fresh SET notes_text = 'Speaks Quenya fluently.'",
    )
    .await;
    let updated = until(&index, "quenya", 1).await;

    sql(&st, "DELETE person:fresh").await;
    let deleted = until(&index, "zanzibarian", 0).await;

    for (what, took) in [
        ("created", created),
        ("updated", updated),
        ("deleted", deleted),
    ] {
        assert!(
            took <= Duration::from_secs(2),
            "{what}: findable after {took:?}"
        );
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_deleted_or_damaged_on_disk_is_rebuilt_at_start() {
    let dir = temp_dir("search-rebuild");
    let index_dir = dir.join("ats.db.search");
    let config = || {
        let smtp = Smtp::start();
        let mut c = test_config(&smtp);
        c.database_url = format!("surrealkv://{}", dir.join("ats.db").display());
        c.search_index_dir = Some(index_dir.clone());
        (c, smtp)
    };
    let people = |st: &app::server::AppState| {
        let db = st.db.clone();
        async move {
            let mut r = db
                .query("RETURN count(SELECT id FROM person)")
                .await
                .unwrap();
            let n: Option<u64> = r.take(0).unwrap();
            n.unwrap()
        }
    };

    let (c, smtp) = config();
    let t = spawn_with(c, smtp).await;
    let st = t.state().clone();
    sql(
        &st,
        "CREATE person:kept SET first_name = 'Kept', last_name = 'Safe', \
         email = 'kept@example.org', resume_text = 'Xylophonist and luthier.'",
    )
    .await;
    until(st.ext::<SearchIndex>(), "xylophonist", 1).await;
    let n = people(&st).await;
    assert!(n > 100, "demo people");
    drop(st);
    t.stop().await;
    assert!(index_dir.join("meta.json").exists(), "the index is on disk");

    // Deleted: rebuilt at start, before the server answers.
    std::fs::remove_dir_all(&index_dir).unwrap();
    let (c, smtp) = config();
    let t = spawn_with(c, smtp).await;
    let index = t.state().ext::<SearchIndex>().clone();
    assert_eq!(index.len(), n, "every person indexed again");
    assert_eq!(found(&index, "xylophonist"), 1);
    drop(index);
    t.stop().await;

    // Damaged: the same.
    std::fs::write(index_dir.join("meta.json"), b"{ not json").unwrap();
    let (c, smtp) = config();
    let t = spawn_with(c, smtp).await;
    let index = t.state().ext::<SearchIndex>().clone();
    assert_eq!(index.len(), n);
    assert_eq!(found(&index, "xylophonist"), 1);
    drop(index);
    t.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
