//! The audit log over HTTP: sign-ins (and failed ones), profile reads, changes and exports are
//! recorded with who, what, when, from where; only admins read, filter, export and check it;
//! the chain finds an edited, a deleted and an inserted entry at the right place; pruning keeps
//! a signed checkpoint the chain verifies from; erasing a person's data keeps it verifiable;
//! concurrent appends never fork the chain.

use crate::common;

use app::audit::api::{GetAuditCheck, ListAudit};
use app::audit::repo::{self, Chain, NewEntry};
use app::people::api::GetPerson;
use app::pipeline::api::MoveCard;
use common::*;
use serde_json::Value;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct App {
    id: RecordId,
    person: RecordId,
}

fn key(id: &RecordId) -> String {
    app::server::db::key(id)
}

async fn check(t: &TestApp, admin: &reqwest::Client) -> Value {
    let res = t.call::<GetAuditCheck>(admin, &[]).await;
    assert!(res.status().is_success(), "{}", res.status());
    res.json().await.unwrap()
}

async fn entries(t: &TestApp, admin: &reqwest::Client, form: &[(&str, &str)]) -> Vec<Value> {
    let res = t.call::<ListAudit>(admin, form).await;
    assert!(res.status().is_success(), "{}", res.status());
    let page: Value = res.json().await.unwrap();
    page["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn reads_changes_sign_ins_and_exports_are_recorded_for_admins_only() {
    let t = spawn_app().await;
    // A failed sign-in names the email it tried, in the entry's personal part.
    let stranger = t.client();
    let res = t
        .call::<app::auth::api::Login>(
            &stranger,
            &[
                ("email", "recruiter@acme.test"),
                ("password", "wrong password"),
                ("next", "/app"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let apps: Vec<App> = t
        .state()
        .db
        .query("SELECT id, person FROM application WHERE job = job:`product-designer` AND stage = 'applied' AND status = 'active' LIMIT 1")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let a = &apps[0];
    let person = key(&a.person);
    let profile = t
        .call::<GetPerson>(&recruiter, &[("person_id", &person)])
        .await;
    assert!(profile.status().is_success());
    let moved = t
        .call::<MoveCard>(
            &recruiter,
            &[
                ("job_id", "product-designer"),
                ("application_id", &key(&a.id)),
                ("from", "applied"),
                ("to", "phone_screen"),
            ],
        )
        .await;
    assert!(moved.status().is_success(), "{}", moved.status());

    // Only admins read the log.
    assert_eq!(
        t.call::<ListAudit>(&recruiter, &[("filter[kind]", "")])
            .await
            .status(),
        403
    );
    assert_eq!(
        recruiter
            .get(t.url("/admin/audit.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let admin = t.signed_in("admin@acme.test").await;
    let all = entries(&t, &admin, &[("filter[kind]", "")]).await;
    let find = |action: &str| {
        all.iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("no {action} entry in {all:#?}"))
            .clone()
    };
    let failed = find("login_failed");
    assert_eq!(failed["outcome"], "failed");
    assert!(
        failed["detail"]
            .as_str()
            .unwrap()
            .contains("recruiter@acme.test")
    );
    assert_eq!(failed["actor"], "Public");
    let signed_in = find("login");
    assert_eq!(signed_in["outcome"], "ok");
    assert_eq!(signed_in["label"], "Signed in");
    assert!(signed_in["ip"].as_str().unwrap().starts_with("127.0.0.1"));
    let viewed = find("get_person");
    assert_eq!(viewed["kind"], "read");
    assert_eq!(viewed["label"], "Viewed profile");
    assert_eq!(
        viewed["subjects"][0]["reference"],
        format!("person:{person}")
    );
    assert_eq!(
        viewed["subjects"][0]["href"],
        format!("/app/people/{person}")
    );
    let move_entry = find("move_card");
    assert_eq!(move_entry["kind"], "change");
    assert_eq!(move_entry["outcome"], "ok");
    let refs: Vec<&str> = move_entry["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reference"].as_str().unwrap())
        .collect();
    assert!(refs.contains(&"job:product-designer"), "{refs:?}");
    assert!(refs.contains(&format!("application:{}", key(&a.id)).as_str()));
    // Who is a name, not an id; the refused reads of the log are there too.
    assert_ne!(move_entry["actor"], move_entry["actor_ref"]);
    assert!(
        all.iter()
            .any(|e| e["action"] == "export_audit" && e["outcome"] == "refused")
    );
    // Newest first.
    let seqs: Vec<i64> = all.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");

    // Filters: by person, by kind; bad values are named.
    let about = entries(
        &t,
        &admin,
        &[("filter[subject]", &format!("person:{person}"))],
    )
    .await;
    assert!(!about.is_empty());
    assert!(about.iter().all(|e| {
        e["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["reference"] == format!("person:{person}"))
    }));
    let reads = entries(&t, &admin, &[("filter[kind]", "read")]).await;
    assert!(reads.iter().all(|e| e["kind"] == "read"));
    let bad = t
        .call::<ListAudit>(&admin, &[("filter[from]", "yesterday")])
        .await;
    assert_eq!(bad.status(), 422);

    // The CSV download, whose own download is recorded.
    let csv = admin
        .get(t.url("/admin/audit.csv?kind=read"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("Entry,When,Kind,Action,Who"), "{text}");
    assert!(text.contains("Viewed profile"));
    let after = entries(&t, &admin, &[("filter[kind]", "export")]).await;
    assert!(
        after
            .iter()
            .any(|e| e["action"] == "export_audit" && e["outcome"] == "ok")
    );

    let c = check(&t, &admin).await;
    assert_eq!(c["intact"], true, "{c}");
    assert!(c["entries"].as_u64().unwrap() >= 7);
    t.stop().await;
}

/// Writes `n` entries straight onto the chain.
async fn fill(t: &TestApp, n: usize) {
    let st = t.state();
    for i in 0..n {
        let mut e = NewEntry::new("change", format!("test_{i}"));
        e.actor = Some("staff:test".into());
        e.subjects = vec![format!("person:p{i}")];
        e.ip = Some("203.0.113.7".into());
        repo::append(&st.db, st.ext::<Chain>(), e).await.unwrap();
    }
}

async fn verify(t: &TestApp) -> app::audit::types::AuditCheck {
    repo::verify(&t.state().db, &t.state().keys).await.unwrap()
}

#[derive(Debug, SurrealValue)]
struct Raw {
    id: RecordId,
    seq: i64,
    at: chrono::DateTime<chrono::Utc>,
    kind: String,
    action: String,
    actor: Option<String>,
    subjects: Vec<String>,
    outcome: String,
    ip: Option<String>,
    detail: Option<String>,
    redacted: bool,
    digest: String,
    prev: String,
    hash: String,
}

#[tokio::test]
async fn tampering_is_found_at_the_entry_it_touched() {
    let t = spawn_app().await;
    fill(&t, 6).await;
    let db = &t.state().db;
    let intact = verify(&t).await;
    assert!(intact.intact, "{intact:?}");
    let last = intact.last.unwrap();
    assert_eq!(intact.entries as i64, last);

    // Edited: the action of #3.
    let saved: Option<Raw> = db
        .query("SELECT * FROM ONLY audit:3")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let saved = saved.unwrap();
    db.query("UPDATE audit:3 SET action = 'nothing_to_see'")
        .await
        .unwrap()
        .check()
        .unwrap();
    let c = verify(&t).await;
    assert_eq!((c.intact, c.broken_at), (false, Some(3)), "{c:?}");
    assert!(c.reason.unwrap().contains("changed"));
    // Its address (the personal part, outside the hash) is covered by the digest.
    db.query("UPDATE audit:3 SET action = $a, ip = '198.51.100.66'")
        .bind(("a", saved.action.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(verify(&t).await.broken_at, Some(3));
    db.query("UPDATE audit:3 SET ip = $ip")
        .bind(("ip", saved.ip.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    assert!(verify(&t).await.intact);

    // Deleted: #4.
    let four: Option<Raw> = db
        .query("SELECT * FROM ONLY audit:4")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    db.query("DELETE audit:4").await.unwrap().check().unwrap();
    let c = verify(&t).await;
    assert_eq!(c.broken_at, Some(4), "{c:?}");
    assert!(c.reason.unwrap().contains("missing"));
    db.query("INSERT INTO audit $row")
        .bind(("row", four.unwrap()))
        .await
        .unwrap()
        .check()
        .unwrap();
    assert!(verify(&t).await.intact);

    // Deleted: the newest entry (the head still names it).
    db.query(format!("DELETE audit:{last}"))
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(verify(&t).await.broken_at, Some(last));
    t.stop().await;
}

/// A well-formed entry at `seq` following `prev` (hashes right), as a forger would write it.
fn forged(seq: i64, at: chrono::DateTime<chrono::Utc>, prev: &str) -> Raw {
    use app::audit::chain::{Facts, Personal, seal};
    let facts = Facts {
        seq,
        at_ms: at.timestamp_millis(),
        kind: "change".into(),
        action: "forged".into(),
        actor: None,
        subjects: vec![],
        outcome: "ok".into(),
    };
    let (digest, hash) = seal(prev, &facts, &Personal::default());
    Raw {
        id: RecordId::new("audit", seq),
        seq,
        at,
        kind: facts.kind,
        action: facts.action,
        actor: None,
        subjects: vec![],
        outcome: facts.outcome,
        ip: None,
        detail: None,
        redacted: false,
        digest,
        prev: prev.to_string(),
        hash,
    }
}

#[tokio::test]
async fn inserted_entries_are_found() {
    let t = spawn_app().await;
    fill(&t, 5).await;
    let db = &t.state().db;
    let last = verify(&t).await.last.unwrap();
    // A well-formed entry written past the head, outside the log's own append.
    let head: Option<Raw> = db
        .query(format!("SELECT * FROM ONLY audit:{last}"))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let head = head.unwrap();
    let forged_entry = forged(last + 1, head.at, &head.hash);
    db.query("INSERT INTO audit $row")
        .bind(("row", forged_entry))
        .await
        .unwrap()
        .check()
        .unwrap();
    let c = verify(&t).await;
    assert_eq!(c.broken_at, Some(last + 1), "{c:?}");
    assert!(c.reason.unwrap().contains("beyond the log's head"));
    db.query(format!("DELETE audit:{}", last + 1))
        .await
        .unwrap()
        .check()
        .unwrap();
    assert!(verify(&t).await.intact);

    // Slipped in the middle: #3 replaced by a forgery whose link holds, the old #3 moved up.
    let rows: Vec<Raw> = db
        .query(format!("SELECT * FROM audit:3..={last} ORDER BY id"))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let two: Option<Raw> = db
        .query("SELECT * FROM ONLY audit:2")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let two = two.unwrap();
    db.query(format!("DELETE audit:3..={last}"))
        .await
        .unwrap()
        .check()
        .unwrap();
    let mut moved = vec![forged(3, two.at, &two.hash)];
    for mut r in rows {
        r.id = RecordId::new("audit", r.seq + 1);
        moved.push(r);
    }
    db.query("INSERT INTO audit $rows")
        .bind(("rows", moved))
        .await
        .unwrap()
        .check()
        .unwrap();
    let c = verify(&t).await;
    assert_eq!(c.broken_at, Some(4), "{c:?}");
    assert!(c.reason.unwrap().contains("inserted"));
    t.stop().await;
}

#[tokio::test]
async fn pruning_keeps_a_signed_checkpoint_and_erasure_keeps_the_chain() {
    let t = spawn_app().await;
    fill(&t, 8).await;
    let st = t.state();
    let before = verify(&t).await;
    assert!(before.intact);
    // Everything written so far is "old": all but the newest entry go.
    let cutoff = chrono::Utc::now() + chrono::Duration::days(1);
    let pruned = repo::prune(&st.db, st.ext::<Chain>(), &st.keys, cutoff)
        .await
        .unwrap();
    assert_eq!(pruned, before.last.unwrap() - 1);
    let after = verify(&t).await;
    assert!(after.intact, "{after:?}");
    assert_eq!(after.checkpoint, Some(pruned));
    // The newest entry and the pruning's own entry remain.
    assert_eq!(after.entries, 2, "{after:?}");
    // Running again with nothing new to prune changes nothing.
    let again = repo::prune(
        &st.db,
        st.ext::<Chain>(),
        &st.keys,
        chrono::Utc::now() - chrono::Duration::days(1),
    )
    .await
    .unwrap();
    assert_eq!(again, 0);

    // Erasing a person blanks the personal part of entries about them; the chain holds.
    fill(&t, 3).await;
    let changed = repo::redact(&st.db, "person:p1", &[]).await.unwrap();
    assert_eq!(changed, 1);
    let erased: Vec<Raw> = st
        .db
        .query("SELECT * FROM audit WHERE subjects CONTAINS 'person:p1'")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert!(erased.iter().all(|r| r.ip.is_none() && r.redacted));
    assert!(verify(&t).await.intact);

    // A forged checkpoint (not signed with this installation's key) is refused.
    st.db
        .query("UPDATE audit_checkpoint SET hash = 'f00d'")
        .await
        .unwrap()
        .check()
        .unwrap();
    let c = verify(&t).await;
    assert!(!c.intact);
    assert!(c.reason.unwrap().contains("not signed"));
    t.stop().await;
}

#[tokio::test]
async fn concurrent_appends_and_a_second_node_keep_one_chain() {
    let t = spawn_app().await;
    let st = t.state().clone();
    let other = app::startup::another_node(&st).unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let node = if i % 2 == 0 {
            st.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            let e = NewEntry::new("change", format!("concurrent_{i}"));
            repo::append(&node.db, node.ext::<Chain>(), e).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let c = verify(&t).await;
    assert!(c.intact, "{c:?}");
    let n: Vec<i64> = st
        .db
        .query("SELECT VALUE count() FROM audit WHERE string::starts_with(action, 'concurrent_') GROUP ALL")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(n, vec![40]);
    t.stop().await;
}
