//! CSV import: ROWS generated people imported through the code the import screen uses, with
//! the search index following; prints the seconds the import took.

use crate::{bench_state, count, finish};
use app::demo::{FIRST, LAST};
use app::server::activity::Actor;
use std::time::Instant;

/// The import bench's CSV file: `rows` distinct people (valid addresses, phones and LinkedIn
/// profiles, so every row is imported), with the header the import's column guess maps.
fn import_csv(rows: usize) -> String {
    let skills = app::careers::skills::SKILLS;
    let mut csv = String::from("First name,Last name,Email,Phone,City,Title,Skills,LinkedIn\n");
    for i in 0..rows {
        let (f, l) = (FIRST[i % FIRST.len()], LAST[(i / 7) % LAST.len()]);
        let local = app::demo::email_local(f, l, i);
        csv.push_str(&format!(
            "{f},{l},{local}@import.example,+49 30 {i:07},Berlin,Senior {} engineer,\"{}, {}\",https://www.linkedin.com/in/{}\n",
            skills[i % skills.len()],
            skills[i % skills.len()],
            skills[(i * 7) % skills.len()],
            local.replace('.', "-"),
        ));
    }
    csv
}

pub async fn run(rows: usize) {
    let (st, dir) = bench_state("import", None).await;
    let csv = import_csv(rows);
    println!("CSV: {rows} rows, {:.1} MB", csv.len() as f64 / 1e6);
    let t = Instant::now();
    let id = app::imports::repo::create(&st.db, "bench.csv", csv, None)
        .await
        .unwrap();
    let job = app::imports::repo::get(&st.db, &id).await.unwrap().unwrap();
    println!(
        "upload and column guess: {:.2}s (mapping {:?})",
        t.elapsed().as_secs_f64(),
        job.mapping()
    );
    app::imports::repo::start(
        &st,
        &id,
        job.mapping(),
        "skip",
        Some("bench-import".into()),
        None,
        &Actor::system(),
    )
    .await
    .unwrap();
    // The search index follows the import as it does on a server (its writer runs alongside).
    let index = st.ext::<app::search::index::SearchIndex>().clone();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let writer = tokio::spawn(app::search::index::run_writer(
        index.clone(),
        st.db.clone(),
        stop_rx,
    ));
    let t = Instant::now();
    app::imports::import::run(&st, &id).await.unwrap();
    let secs = t.elapsed().as_secs_f64();
    let after = Instant::now();
    let _ = stop.send(true);
    let _ = writer.await;
    println!(
        "search index: {} people, all searchable {:.2}s after the import finished",
        index.len(),
        after.elapsed().as_secs_f64()
    );
    let job = app::imports::repo::get(&st.db, &id).await.unwrap().unwrap();
    let people = count(&st, "(SELECT count() FROM person GROUP ALL)[0].count").await;
    println!(
        "{:<40} {secs:.2}s ({} created, {} errors, {people} people in the database)  (target ≤ 20 s: {})",
        format!("import {rows} CSV rows"),
        job.view().created,
        job.view().errors.len(),
        if secs <= 20.0 { "met" } else { "MISSED" }
    );
    finish(st, dir).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::server::config::Config;

    /// Every row of the import bench's file is a new, valid person: the bench times an import
    /// of people, not of rejected rows (names with accents or spaces once made invalid emails).
    #[tokio::test]
    async fn every_row_of_the_import_file_is_imported() {
        let mut config = Config::for_tests();
        config.workers = false;
        let st = app::startup::init(server::test_leptos_options(), config)
            .await
            .expect("state");
        let rows = 2 * FIRST.len().max(LAST.len() * 7);
        let id = app::imports::repo::create(&st.db, "bench.csv", import_csv(rows), None)
            .await
            .unwrap();
        let job = app::imports::repo::get(&st.db, &id).await.unwrap().unwrap();
        app::imports::repo::start(
            &st,
            &id,
            job.mapping(),
            "skip",
            None,
            None,
            &Actor::system(),
        )
        .await
        .unwrap();
        app::imports::import::run(&st, &id).await.unwrap();
        let done = app::imports::repo::get(&st.db, &id)
            .await
            .unwrap()
            .unwrap()
            .view();
        assert_eq!(done.errors.len(), 0, "{:?}", done.errors.first());
        assert_eq!(done.created as usize, rows);
        assert_eq!(
            count(&st, "RETURN count(SELECT id FROM person WHERE string::ends_with(email, '@import.example'))").await,
            rows as i64
        );
    }
}
