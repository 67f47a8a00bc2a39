//! Portability: the whole database exported in the open JSON format restores into an empty
//! database, whose own export is identical; the restored audit chain still verifies; a
//! non-empty database refuses a restore; admins (only) download the export from the app.

use crate::common;

use app::server::backup;
use app::server::config::Config;
use common::*;
use serde_json::Value;

fn without_time(mut doc: Value) -> Value {
    doc["exported_at"] = Value::Null;
    doc
}

#[tokio::test]
async fn an_export_restores_into_an_empty_database_that_exports_the_same() {
    let t = spawn_app().await;
    // Something of everything: the demo, an application with a resume file, audit entries.
    apply_with_resume(
        &t,
        &t.client(),
        "rust-backend",
        ("Rita Restore", "rita.restore@example.org", ""),
        ("rita.pdf", pdf_bytes("Rita")),
    )
    .await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let admin = t.signed_in("admin@acme.test").await;

    // From the app: admins only.
    let refused = recruiter
        .get(t.url("/admin/export.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let res = admin.get(t.url("/admin/export.json")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("acme-hiring-export-")
    );
    let downloaded: Value = res.json().await.unwrap();
    assert_eq!(downloaded["format"], "acme-hiring/export");
    assert!(downloaded["tables"]["person"].as_array().unwrap().len() > 200);
    assert!(downloaded["tables"].get("session").is_none());
    let resume = &downloaded["tables"]["resume"][0];
    assert!(resume["data"]["$bytes"].as_str().unwrap().len() > 100);
    assert_eq!(resume["person"]["$record"][0], "person");

    let first = backup::export(&t.state().db).await.unwrap();
    let mut config = Config::for_tests();
    config.database_db = "restored".into();
    let fresh = app::server::db::connect(&config).await.unwrap();
    let written = backup::import(&fresh, &first).await.unwrap();
    assert!(written > 1000, "{written}");
    let second = backup::export(&fresh).await.unwrap();
    assert!(
        without_time(first.clone()) == without_time(second),
        "the restored database exports differently"
    );
    // The audit chain came along intact (the same key signs its checkpoints).
    let keys = app::server::security::Keys::load(&fresh, config.app_secret.as_deref())
        .await
        .unwrap();
    let check = app::audit::repo::verify(&fresh, &keys).await.unwrap();
    assert!(check.intact, "{check:?}");
    assert!(check.entries >= 3);
    // A database with data refuses a restore.
    let again = backup::import(&fresh, &first).await.unwrap_err();
    assert!(again.contains("not empty"), "{again}");
    // So does a document that is not an export.
    let mut other = Config::for_tests();
    other.database_db = "other".into();
    let empty = app::server::db::connect(&other).await.unwrap();
    let wrong = backup::import(&empty, &serde_json::json!({"format": "something"}))
        .await
        .unwrap_err();
    assert!(wrong.contains("not an export"), "{wrong}");
    t.stop().await;
}
