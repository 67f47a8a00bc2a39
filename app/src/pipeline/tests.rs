//! Repository tests on `mem://`: sourcing prospects into a job, and a board's bulk add to a pool.

use super::repo;
use crate::pools::repo as pools;
use crate::server::db::key;
use crate::testing::{self, person, recruiter};
use surrealdb::types::RecordId;

#[tokio::test]
async fn sourcing_into_a_job_credits_the_campaign_and_ends_its_nurture() {
    let st = testing::state().await;
    let job = testing::open_job(&st, "Rust dev").await;
    let ada = person(&st, "ada", serde_json::json!({ "tags": ["nurture"] })).await;
    let input = crate::campaigns::types::CampaignInput::parse(
        "Warm up",
        "nurture",
        "Hi {{first_name}}",
        "Hello",
    )
    .unwrap();
    let c = crate::campaigns::repo::create(&st.db, &input, &recruiter())
        .await
        .unwrap();
    st.db
        .query("UPDATE $c SET job = $j")
        .bind(("c", c.clone()))
        .bind(("j", job.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    crate::campaigns::engine::launch(&st, &c, &recruiter())
        .await
        .unwrap();
    let app = repo::add_to_job(&st.db, &ada, &job, &recruiter())
        .await
        .unwrap();
    let mut r = st
        .db
        .query("SELECT source, warmed_by FROM ONLY $a; SELECT status, stop_reason FROM enrollment WHERE person = $p;")
        .bind(("a", app))
        .bind(("p", ada.clone()))
        .await
        .unwrap();
    let app: Option<serde_json::Value> = r.take(0).unwrap();
    let enrollments: Vec<serde_json::Value> = r.take(1).unwrap();
    let app = app.unwrap();
    assert_eq!(app["source"], "sourced");
    assert!(
        app["warmed_by"].is_string() || app["warmed_by"].is_object(),
        "credited to the campaign: {app}"
    );
    assert_eq!(
        enrollments,
        [serde_json::json!({ "status": "stopped", "stop_reason": "added to the job" })]
    );
    assert!(
        repo::add_to_job(&st.db, &ada, &job, &recruiter())
            .await
            .is_err(),
        "once per job"
    );
}

#[tokio::test]
async fn a_board_bulk_adds_candidates_to_a_pool_and_undo_removes_only_the_new_members() {
    use crate::pipeline::bulk::{self, BulkKind};
    let st = testing::state().await;
    let job_id = testing::open_job(&st, "Support lead").await;
    let job = crate::jobs::repo::get(&st.db, &job_id)
        .await
        .unwrap()
        .unwrap();
    let ada = person(&st, "ada", serde_json::json!({})).await;
    let bob = person(&st, "bob", serde_json::json!({})).await;
    let mut apps = Vec::new();
    for p in [&ada, &bob] {
        apps.push(key(&repo::add_to_job(&st.db, p, &job_id, &recruiter())
            .await
            .unwrap()));
    }
    let pool = pools::create_pool(&st.db, "Silver medalists", "", &recruiter())
        .await
        .unwrap();
    // Ada was already in the pool.
    pools::add_to_pool(&st.db, &pool, std::slice::from_ref(&ada), &recruiter())
        .await
        .unwrap();
    let done = bulk::run(
        &st,
        &job,
        &apps,
        BulkKind::Pool { pool: pool.clone() },
        &recruiter(),
    )
    .await
    .unwrap();
    assert_eq!(done.message, "Added 1 candidate to “Silver medalists”.");
    assert_eq!(
        pools::pool(&st.db, &pool).await.unwrap().unwrap().members,
        2
    );
    // Again: nothing new to add is said plainly.
    let again = bulk::run(
        &st,
        &job,
        &apps,
        BulkKind::Pool { pool: pool.clone() },
        &recruiter(),
    )
    .await
    .unwrap_err();
    assert!(again.to_string().contains("already in"), "{again}");
    bulk::undo(
        &st,
        &job,
        &RecordId::new("bulk_action", done.bulk_id.as_str()),
        &recruiter(),
    )
    .await
    .unwrap();
    let members = pools::pool_members(&st.db, &pool).await.unwrap();
    assert_eq!(
        members.iter().map(|m| key(&m.id)).collect::<Vec<_>>(),
        ["ada"],
        "undo keeps who was there before"
    );
}

#[tokio::test]
async fn the_jobs_list_counts_each_jobs_active_applications() {
    let st = testing::state().await;
    let rust = testing::open_job(&st, "Rust dev").await;
    let go = testing::open_job(&st, "Go dev").await;
    let idle = testing::open_job(&st, "Idle").await;
    let mut rust_apps = Vec::new();
    for k in ["ada", "bo", "cy"] {
        let p = person(&st, k, serde_json::json!({})).await;
        rust_apps.push(
            repo::add_to_job(&st.db, &p, &rust, &recruiter())
                .await
                .unwrap(),
        );
    }
    let dee = person(&st, "dee", serde_json::json!({})).await;
    repo::add_to_job(&st.db, &dee, &go, &recruiter())
        .await
        .unwrap();
    st.db
        .query("UPDATE $a SET status = 'rejected'; UPDATE $go SET hiring_manager = staff:hm;")
        .bind(("a", rust_apps[0].clone()))
        .bind(("go", go.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let counts = |list: Vec<crate::jobs::types::JobSummary>| {
        let mut c: Vec<(String, i64)> = list
            .into_iter()
            .map(|j| (j.id, j.active_applications))
            .collect();
        c.sort();
        c
    };
    let all = crate::jobs::repo::list(&st.db, None).await.unwrap();
    let mut want = vec![(key(&rust), 2), (key(&go), 1), (key(&idle), 0)];
    want.sort();
    assert_eq!(counts(all), want, "the rejected one is not counted");
    let managed = crate::jobs::repo::list(&st.db, Some(RecordId::new("staff", "hm")))
        .await
        .unwrap();
    assert_eq!(counts(managed), vec![(key(&go), 1)]);
}

#[tokio::test]
async fn the_jobs_active_counts_follow_reopening_and_deletion_and_are_filled_once_for_older_databases()
 {
    let st = testing::state().await;
    let job = testing::open_job(&st, "Rust dev").await;
    let mut apps = Vec::new();
    for k in ["ada", "bo", "cy"] {
        let p = person(&st, k, serde_json::json!({})).await;
        apps.push(
            repo::add_to_job(&st.db, &p, &job, &recruiter())
                .await
                .unwrap(),
        );
    }
    let active =
        || async { crate::jobs::repo::list(&st.db, None).await.unwrap()[0].active_applications };
    assert_eq!(active().await, 3);
    let run = |q: &'static str, a: &RecordId| {
        let (db, a) = (st.db.clone(), a.clone());
        async move { db.query(q).bind(("a", a)).await.unwrap().check().unwrap() }
    };
    run("UPDATE $a SET status = 'withdrawn'", &apps[0]).await;
    assert_eq!(active().await, 2, "a withdrawal leaves the count");
    run("UPDATE $a SET stage = 'interview'", &apps[1]).await;
    assert_eq!(active().await, 2, "a move changes nothing");
    run("UPDATE $a SET status = 'active'", &apps[0]).await;
    assert_eq!(active().await, 3, "a reopened application counts again");
    run("DELETE $a", &apps[2]).await;
    assert_eq!(active().await, 2, "an erased application is gone");

    // A database from before the keys: none, and no marker. The fill writes them once.
    st.db
        .query("DELETE active_application; DELETE setting:active_applications;")
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(active().await, 0);
    assert_eq!(
        crate::jobs::repo::fill_active_once(&st.db).await.unwrap(),
        2
    );
    assert_eq!(active().await, 2);
    assert_eq!(
        crate::jobs::repo::fill_active_once(&st.db).await.unwrap(),
        0,
        "later starts do nothing"
    );
}

#[tokio::test]
async fn board_cards_carry_their_persons_tags_and_headline() {
    use super::types::BoardFilters;
    let st = testing::state().await;
    let job = testing::open_job(&st, "Rust dev").await;
    let ada = person(
        &st,
        "ada",
        serde_json::json!({ "tags": ["rust", "berlin"], "headline": "Staff engineer at Northwind" }),
    )
    .await;
    let bo = person(&st, "bo", serde_json::json!({})).await;
    for p in [&ada, &bo] {
        repo::add_to_job(&st.db, p, &job, &recruiter())
            .await
            .unwrap();
    }
    let row = crate::jobs::repo::get(&st.db, &job).await.unwrap().unwrap();
    let board = repo::board(&st.db, &row, &BoardFilters::default())
        .await
        .unwrap();
    let card = |k: &str| board.cards.iter().find(|c| c.person_id == k).unwrap();
    assert_eq!(card("ada").tags, ["rust", "berlin"]);
    assert_eq!(
        card("ada").headline.as_deref(),
        Some("Staff engineer at Northwind")
    );
    assert!(card("bo").tags.is_empty());
    assert_eq!(card("bo").headline, None);
    assert_eq!(board.tags, ["berlin", "rust"]);
    // The tag filter reads the same tags.
    let rust = BoardFilters::parse("rust", "", "", "");
    let filtered = repo::board(&st.db, &row, &rust).await.unwrap();
    assert_eq!(filtered.cards.len(), 1);
    assert_eq!(filtered.cards[0].person_id, "ada");
}

/// On a board of hundreds of cards (the board read its people in parts of 200 before they were
/// kept on the applications), every card carries its own person's tags and headline.
#[tokio::test]
async fn a_big_boards_cards_each_carry_their_own_persons_tags() {
    use super::types::BoardFilters;
    let st = testing::state().await;
    let job = testing::open_job(&st, "Rust dev").await;
    let n = 230;
    let people: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("p{i:03}"),
                "first_name": "Pat",
                "last_name": format!("No{i}"),
                "email": format!("pat{i}@example.com"),
                "tags": [format!("t{i:03}")],
                "headline": format!("Headline {i}"),
            })
        })
        .collect();
    st.db
        .query("INSERT INTO person $people RETURN NONE")
        .bind(("people", people))
        .await
        .unwrap()
        .check()
        .unwrap();
    st.db
        .query(
            "FOR $p IN (SELECT VALUE id FROM person WHERE string::starts_with(email, 'pat')) {
                 CREATE application SET person = $p, person_name = 'Pat', job = $job, stage = 'applied';
             }",
        )
        .bind(("job", job.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let row = crate::jobs::repo::get(&st.db, &job).await.unwrap().unwrap();
    let board = repo::board(&st.db, &row, &BoardFilters::default())
        .await
        .unwrap();
    assert_eq!(board.cards.len(), n);
    for c in &board.cards {
        let i = c.person_id.trim_start_matches('p');
        assert_eq!(c.tags, [format!("t{i}")], "{}", c.person_id);
        assert_eq!(
            c.headline,
            Some(format!("Headline {}", i.parse::<usize>().unwrap()))
        );
    }
    assert_eq!(board.tags.len(), n);
}

/// A card's tags and headline are kept on the application by the database: a tag added or
/// removed, a new headline and a merge that moves the application to another person all reach
/// the board, and a database from before those fields has them filled once, at start.
#[tokio::test]
async fn a_persons_tags_and_headline_follow_them_onto_their_cards() {
    use super::types::{BoardFilters, Card};
    let st = testing::state().await;
    let job = testing::open_job(&st, "Rust dev").await;
    let ada = person(
        &st,
        "ada",
        serde_json::json!({ "tags": ["rust"], "headline": "Engineer" }),
    )
    .await;
    let ann = person(
        &st,
        "ann",
        serde_json::json!({ "tags": ["go"], "headline": "Lead" }),
    )
    .await;
    repo::add_to_job(&st.db, &ada, &job, &recruiter())
        .await
        .unwrap();
    let row = crate::jobs::repo::get(&st.db, &job).await.unwrap().unwrap();
    let only_card = || async {
        let board = repo::board(&st.db, &row, &BoardFilters::default())
            .await
            .unwrap();
        assert_eq!(board.cards.len(), 1);
        let c: Card = board.cards[0].clone();
        (c.person_id, c.tags, c.headline.unwrap_or_default())
    };
    let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        only_card().await,
        ("ada".into(), tags(&["rust"]), "Engineer".into())
    );

    let actor = crate::server::activity::Actor::system();
    crate::people::repo::add_tag(&st.db, std::slice::from_ref(&ada), "berlin", &actor)
        .await
        .unwrap();
    assert_eq!(
        only_card().await.1,
        tags(&["rust", "berlin"]),
        "a tag added"
    );
    crate::people::repo::remove_tag(&st.db, &ada, "rust", &actor)
        .await
        .unwrap();
    assert_eq!(only_card().await.1, tags(&["berlin"]), "a tag removed");
    st.db
        .query("UPDATE $p SET headline = 'Staff engineer'")
        .bind(("p", ada.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(only_card().await.2, "Staff engineer", "a new headline");

    // Ada merged into Ann: the application is Ann's now, with her headline and both tag lists.
    crate::dedupe::repo::merge(&st.db, &ann, &ada, &[], &recruiter())
        .await
        .unwrap();
    assert_eq!(
        only_card().await,
        ("ann".into(), tags(&["go", "berlin"]), "Lead".into())
    );

    // A database from before the fields: the applications have none, and there is no marker.
    st.db
        .query(
            "REMOVE EVENT person_card_of_applications ON person;
             REMOVE FIELD person_tags ON application;
             REMOVE FIELD person_headline ON application;
             UPDATE application UNSET person_tags, person_headline RETURN NONE;
             DELETE setting:person_cards;",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
    crate::server::db::apply_schema(&st.db).await.unwrap();
    assert_eq!(
        only_card().await,
        ("ann".into(), vec![], String::new()),
        "not filled yet"
    );
    assert_eq!(repo::fill_person_cards_once(&st.db).await.unwrap(), 1);
    assert_eq!(
        only_card().await,
        ("ann".into(), tags(&["go", "berlin"]), "Lead".into())
    );
    assert_eq!(
        repo::fill_person_cards_once(&st.db).await.unwrap(),
        0,
        "later starts do nothing"
    );
}
