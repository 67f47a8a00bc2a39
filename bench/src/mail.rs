//! Campaign mail: a one-email campaign to RECIPIENTS people, sent by the real workers (campaign
//! engine and SMTP delivery) to the SMTP server at `BENCH_SMTP_URL`; prints messages per second.

use crate::{bench_state, count, finish};
use app::demo::{FIRST, LAST};
use app::server::activity::Actor;
use std::time::{Duration, Instant};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct MailPerson {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    tags: Vec<String>,
    source: String,
    /// Campaigns write only to people who consented or have a recorded legitimate interest.
    consent_basis: String,
}

pub async fn run(recipients: usize) {
    let smtp = std::env::var("BENCH_SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2526".into());
    println!("SMTP server: {smtp}");
    let (st, dir) = bench_state("mail", Some(smtp)).await;
    let t0 = Instant::now();
    for start in (0..recipients).step_by(1000) {
        let rows: Vec<MailPerson> = (start..(start + 1000).min(recipients))
            .map(|i| MailPerson {
                id: RecordId::new("person", format!("m{i:06}")),
                first_name: FIRST[i % FIRST.len()].into(),
                last_name: LAST[i % LAST.len()].into(),
                email: format!("r{i}@bench.example"),
                tags: vec!["bench-mail".into()],
                source: "import".into(),
                consent_basis: "legitimate_interest".into(),
            })
            .collect();
        crate::generator::insert_rows(&st, "INSERT INTO person $rows RETURN NONE", rows).await;
    }
    println!(
        "generated {recipients} recipients in {:.1}s",
        t0.elapsed().as_secs_f64()
    );
    let input = app::campaigns::types::CampaignInput::parse(
        "Benchmark",
        "bench-mail",
        "Hello {{first_name}}",
        "Hi {{first_name}},\n\n{{company}} is hiring. Read more at https://example.com/jobs\n",
    )
    .unwrap();
    let campaign = app::campaigns::repo::create(&st.db, &input, &Actor::system())
        .await
        .unwrap();
    let (tx, rx) = tokio::sync::watch::channel(false);
    let workers = app::startup::spawn_workers(&st, rx);
    let t = Instant::now();
    let (enrolled, _) = app::campaigns::engine::launch(&st, &campaign, &Actor::system())
        .await
        .unwrap();
    let enrolled_in = t.elapsed();
    let mut created_in = None;
    let mut polls = 0u64;
    loop {
        // The worker's own counters: polling the mail table would compete with the workers.
        tokio::time::sleep(Duration::from_millis(20)).await;
        polls += 1;
        if created_in.is_none()
            && polls.is_multiple_of(25)
            && count(
                &st,
                "(SELECT count() FROM mail WHERE campaign != NONE GROUP ALL)[0].count",
            )
            .await
                >= recipients as i64
        {
            created_in = Some(t.elapsed());
        }
        let (sent, failed) = st.mailer.stats();
        if sent + failed >= recipients as u64 {
            let total = t.elapsed();
            println!(
                "enrolled {enrolled} people in {:.2}s",
                enrolled_in.as_secs_f64()
            );
            if let Some(c) = created_in {
                println!(
                    "engine wrote {recipients} personalised, tracked messages in {:.2}s",
                    c.as_secs_f64()
                );
            }
            let rate = sent as f64 / total.as_secs_f64();
            println!(
                "{:<40} {rate:.0} messages/s ({sent} sent, {failed} failed, {:.2}s from launch to the last SMTP handover)  (target ≥ 1000/s: {})",
                "campaign to SMTP (engine + delivery)",
                total.as_secs_f64(),
                if rate >= 1000.0 { "met" } else { "MISSED" }
            );
            break;
        }
        if t.elapsed() > Duration::from_secs(600) {
            println!("gave up after 600 s: {sent} sent");
            break;
        }
    }
    let _ = tx.send(true);
    for w in workers {
        let _ = w.await;
    }
    finish(st, dir).await;
}
