//! Repository tests on `mem://`: pools.

use super::repo;
use crate::server::db::key;
use crate::testing::{self, person, recruiter};

#[tokio::test]
async fn pools_hold_people_once_and_count_them() {
    let st = testing::state().await;
    let a = person(&st, "ada", serde_json::json!({})).await;
    let b = person(&st, "bob", serde_json::json!({})).await;
    let pool = repo::create_pool(&st.db, "Rust alumni", "", &recruiter())
        .await
        .unwrap();
    assert_eq!(
        repo::add_to_pool(&st.db, &pool, &[a.clone(), b.clone()], &recruiter())
            .await
            .unwrap(),
        2
    );
    // Adding again adds nobody twice.
    assert_eq!(
        repo::add_to_pool(&st.db, &pool, std::slice::from_ref(&a), &recruiter())
            .await
            .unwrap(),
        0
    );
    assert_eq!(repo::pool(&st.db, &pool).await.unwrap().unwrap().members, 2);
    repo::remove_from_pool(&st.db, &pool, &b, &recruiter())
        .await
        .unwrap();
    let members = repo::pool_members(&st.db, &pool).await.unwrap();
    assert_eq!(
        members.iter().map(|m| key(&m.id)).collect::<Vec<_>>(),
        ["ada"]
    );
    assert!(
        repo::create_pool(&st.db, "Rust alumni", "", &recruiter())
            .await
            .is_err(),
        "pool names are unique"
    );
}
