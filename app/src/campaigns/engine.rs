//! The campaign engine. Enrollments (a person in a campaign, at a step) are due jobs in the
//! database. Every app process runs this loop: it claims due enrollments with a lease, decides
//! each one's next move, and records it in one transaction per batch. An email step creates the
//! mail row and advances the enrollment in the same transaction, guarded by the lease and the
//! step number, so a restart or a second process never loses or repeats a message.

use super::decide::{Decision, Situation, decide};
use super::repo::{self, AUDIENCE_FIELDS, AudienceRow, CampaignRow};
use super::schedule::zone;
use super::sequence::{Event, Step, validate, variant_for};
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, DbError, key, new_key, write_guarded};
use crate::server::mail::NewMail;
use crate::server::runtime;
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, HashSet};
// `Value` is named, unqualified, by the code `#[derive(SurrealValue)]` writes for `flatten`.
use surrealdb::types::{RecordId, SurrealValue, Value};
use tokio::sync::watch;

const BATCH: i64 = 200;
const LEASE_SECS: i64 = 120;

#[derive(Debug, Clone, SurrealValue)]
struct NewEnrollment {
    campaign: RecordId,
    person: RecordId,
    variant: String,
    step_started_at: DateTime<Utc>,
}

/// Enrolls the reachable people of the audience who are not enrolled yet. Returns how many.
async fn enroll(db: &Db, c: &CampaignRow, people: &[AudienceRow]) -> AppResult<usize> {
    let mut r = db
        .query("SELECT VALUE person FROM enrollment WHERE campaign = $c")
        .bind(("c", c.id.clone()))
        .await?;
    let already: Vec<RecordId> = r.take(0)?;
    let already: HashSet<String> = already.iter().map(key).collect();
    let new: Vec<NewEnrollment> = people
        .iter()
        .filter(|p| p.reachable_for(&c.topic) && !already.contains(&key(&p.id)))
        .map(|p| NewEnrollment {
            campaign: c.id.clone(),
            person: p.id.clone(),
            variant: variant_for(&key(&p.id)).to_string(),
            step_started_at: Utc::now(),
        })
        .collect();
    let n = new.len();
    for chunk in new.chunks(1000) {
        write_guarded(
            db.query("INSERT IGNORE INTO enrollment $rows RETURN NONE")
                .bind(("rows", chunk.to_vec())),
            &[],
        )
        .await?;
    }
    Ok(n)
}

/// Launches a draft: checks the sequence, enrolls the audience. Returns (enrolled, skipped).
pub async fn launch(st: &AppState, id: &RecordId, actor: &Actor) -> AppResult<(i64, i64)> {
    let c = repo::get(&st.db, id).await?.ok_or(AppError::NotFound)?;
    if c.status != "draft" {
        return Err(AppError::Conflict(
            "This campaign has already been launched.".into(),
        ));
    }
    validate(&c.steps())?;
    let people = repo::audience(&st.db, &c).await?;
    if !people.iter().any(|p| p.reachable_for(&c.topic)) {
        return Err(AppError::invalid(
            "audience",
            "Nobody in this audience can be emailed: they unsubscribed, or gave no talent-pool \
             consent and no legitimate interest is recorded for them.",
        ));
    }
    let skipped = people.iter().filter(|p| !p.reachable_for(&c.topic)).count() as i64;
    let mut r = write_guarded(
        st.db
            .query(
                "UPDATE $id SET status = 'active', launched_at = time::now(), sent_at = time::now()
                 WHERE status = 'draft' RETURN VALUE id",
            )
            .bind(("id", id.clone())),
        &[],
    )
    .await?;
    let done: Vec<RecordId> = r.take(0)?;
    if done.is_empty() {
        return Err(AppError::Conflict(
            "This campaign has already been launched.".into(),
        ));
    }
    let enrolled = enroll(&st.db, &c, &people).await? as i64;
    st.db
        .query("UPDATE $id SET recipients = $n, skipped = $s RETURN NONE")
        .bind(("id", id.clone()))
        .bind(("n", enrolled))
        .bind(("s", skipped))
        .await?;
    crate::server::activity::record(
        &st.db,
        NewActivity::new(
            actor,
            "campaign_launched",
            format!("Launched the campaign {} to {enrolled} people", c.name),
        ),
    )
    .await?;
    st.engine_wake.notify_one();
    Ok((enrolled, skipped))
}

/// Pauses (`pause = true`) or resumes an active campaign. Paused campaigns send nothing, not
/// even mail already queued; resuming continues where each person was.
pub async fn set_paused(st: &AppState, id: &RecordId, pause: bool) -> AppResult<()> {
    let (from, to) = if pause {
        ("active", "paused")
    } else {
        ("paused", "active")
    };
    let mut r = st
        .db
        .query("UPDATE $id SET status = $to, paused_at = IF $to = 'paused' THEN time::now() ELSE NONE END WHERE status = $from RETURN VALUE id")
        .bind(("id", id.clone()))
        .bind(("from", from))
        .bind(("to", to))
        .await?;
    let done: Vec<RecordId> = r.take(0)?;
    if done.is_empty() {
        return Err(AppError::Conflict(
            if pause {
                "Only active campaigns can be paused."
            } else {
                "Only paused campaigns can be resumed."
            }
            .into(),
        ));
    }
    st.engine_wake.notify_one();
    st.mailer.wake();
    Ok(())
}

/// Enrolls people who joined the audience of active, auto-enrolling campaigns.
pub async fn enroll_new_members(st: &AppState) -> AppResult<usize> {
    let mut r = st
        .db
        .query(format!(
            "SELECT {} FROM campaign WHERE status = 'active' AND auto_enroll = true",
            repo::CAMPAIGN_FIELDS
        ))
        .await?;
    let campaigns: Vec<CampaignRow> = r.take(0)?;
    let mut n = 0;
    for c in campaigns {
        let people = repo::audience(&st.db, &c).await?;
        n += enroll(&st.db, &c, &people).await?;
    }
    if n > 0 {
        st.engine_wake.notify_one();
    }
    Ok(n)
}

#[derive(Debug, Clone, SurrealValue)]
struct Claimed {
    id: RecordId,
    campaign: RecordId,
    person: RecordId,
    step_index: i64,
    step_started_at: Option<DateTime<Utc>>,
    variant: String,
    enrolled_at: DateTime<Utc>,
}

async fn claim(db: &Db, node: &str) -> Result<Vec<Claimed>, DbError> {
    let lease = Utc::now() + Duration::seconds(LEASE_SECS);
    runtime::claim(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $ids = SELECT VALUE id FROM enrollment
                WHERE status = 'active' AND next_run_at <= time::now()
                  AND (lease_until = NONE OR lease_until < time::now())
                  AND campaign.status = 'active'
                LIMIT $batch;
             UPDATE $ids SET lease_until = $lease, lease_owner = $node
                WHERE status = 'active' AND (lease_until = NONE OR lease_until < time::now())
                RETURN id, campaign, person, step_index, step_started_at, variant, enrolled_at;
             COMMIT TRANSACTION;",
        )
        .bind(("batch", BATCH))
        .bind(("lease", lease))
        .bind(("node", node.to_string()))
    })
    .await
}

/// What happens to one enrollment now.
#[derive(Debug, Clone, SurrealValue)]
struct Move {
    enrollment: RecordId,
    expected: i64,
    status: String,
    stop_reason: Option<String>,
    next_index: i64,
    next_run_at: DateTime<Utc>,
    /// The enrollment moved to another step (its clock restarts).
    advanced: bool,
    person: RecordId,
    mail_key: Option<String>,
    mail: Option<NewMail>,
    /// With a frequency cap: the person's last contact this decision saw. If another process
    /// wrote to them since, the move is not recorded (and is decided again shortly).
    seen_contact: Option<DateTime<Utc>>,
    check_contact: bool,
}

/// Decides the next move of every claimed enrollment, then records them all.
pub async fn run_due(st: &AppState, node: &str) -> Result<usize, AppError> {
    let started = std::time::Instant::now();
    let claimed = claim(&st.db, node).await?;
    let n = claimed.len();
    if n == 0 {
        return Ok(0);
    }
    let claimed_in = started.elapsed();
    let now = Utc::now();
    let cap = repo::frequency_cap_days(&st.db).await?;
    let default_tz = repo::default_timezone(&st.db).await?;
    let default_tz = default_tz.as_str();
    // Everything needed, in a few queries.
    let campaign_ids: Vec<RecordId> = {
        let mut seen = HashSet::new();
        claimed
            .iter()
            .filter(|c| seen.insert(key(&c.campaign)))
            .map(|c| c.campaign.clone())
            .collect()
    };
    let person_ids: Vec<RecordId> = claimed.iter().map(|c| c.person.clone()).collect();
    let mut r = st
        .db
        .query(format!(
            "SELECT {} FROM $campaigns;
             SELECT {AUDIENCE_FIELDS} FROM $people;
             SELECT person, campaign, kind FROM engagement WHERE campaign IN $campaigns AND person IN $people AND machine = false;
             SELECT person, created_at FROM application WHERE person IN $people;",
            repo::CAMPAIGN_FIELDS
        ))
        .bind(("campaigns", campaign_ids))
        .bind(("people", person_ids))
        .await?;
    let campaigns: Vec<CampaignRow> = r.take(0)?;
    let people: Vec<AudienceRow> = r.take(1)?;
    #[derive(Debug, Clone, SurrealValue)]
    struct Eng {
        person: RecordId,
        campaign: Option<RecordId>,
        kind: String,
    }
    #[derive(Debug, Clone, SurrealValue)]
    struct App {
        person: RecordId,
        created_at: DateTime<Utc>,
    }
    let events: Vec<Eng> = r.take(2)?;
    let apps: Vec<App> = r.take(3)?;
    let campaigns: HashMap<String, CampaignRow> =
        campaigns.into_iter().map(|c| (key(&c.id), c)).collect();
    let people: HashMap<String, AudienceRow> =
        people.into_iter().map(|p| (key(&p.id), p)).collect();
    let happened = |e: &Claimed, ev: Event| -> bool {
        match ev {
            Event::Applied => apps
                .iter()
                .any(|a| a.person == e.person && a.created_at >= e.enrolled_at),
            other => {
                let kind = match other {
                    Event::Opened => "open",
                    Event::Clicked => "click",
                    _ => "reply",
                };
                events.iter().any(|x| {
                    x.person == e.person
                        && x.campaign.as_ref() == Some(&e.campaign)
                        && (x.kind == kind || (kind == "open" && x.kind == "click"))
                })
            }
        }
    };
    // Frequency cap inside this batch too: one campaign email per person per pass.
    let mut mailed_now: HashSet<String> = HashSet::new();
    let mut moves = Vec::with_capacity(n);
    for e in &claimed {
        let stop = |reason: &str| Move {
            enrollment: e.id.clone(),
            expected: e.step_index,
            status: "stopped".into(),
            stop_reason: Some(reason.into()),
            next_index: e.step_index,
            next_run_at: now,
            advanced: false,
            person: e.person.clone(),
            mail_key: None,
            mail: None,
            seen_contact: None,
            check_contact: false,
        };
        let at = |next_index: i64, next_run_at: DateTime<Utc>, advanced: bool| Move {
            enrollment: e.id.clone(),
            expected: e.step_index,
            status: "active".into(),
            stop_reason: None,
            next_index,
            next_run_at,
            advanced,
            person: e.person.clone(),
            mail_key: None,
            mail: None,
            seen_contact: None,
            check_contact: false,
        };
        let (Some(c), Some(p)) = (
            campaigns.get(&key(&e.campaign)),
            people.get(&key(&e.person)),
        ) else {
            moves.push(stop("missing"));
            continue;
        };
        let steps = c.steps();
        let idx = e.step_index as usize;
        let window = c.window();
        let situation = Situation {
            steps: &steps,
            index: idx,
            now,
            step_started_at: e.step_started_at,
            reachable: p.reachable_for(&c.topic),
            // Frequency cap inside this batch too: one campaign email per person per pass.
            last_contacted_at: if mailed_now.contains(&key(&e.person)) {
                Some(now)
            } else {
                p.last_contacted_at
            },
            cap_days: cap,
            tz: zone(p.timezone.as_deref(), default_tz),
            window: window.as_ref(),
        };
        let completed = |mut m: Move, completes: bool| {
            if completes {
                m.status = "completed".into();
            }
            m
        };
        match decide(&situation, |ev| happened(e, ev)) {
            Decision::Stop(reason) => moves.push(stop(reason)),
            Decision::Complete => moves.push(completed(at(e.step_index, now, false), true)),
            Decision::Later(when) => moves.push(at(e.step_index, when, false)),
            Decision::Go { to, completes } => {
                moves.push(completed(at(to as i64, now, true), completes))
            }
            Decision::Send { next, completes } => {
                let Some(step @ Step::Email { id: step_id, .. }) = steps.get(idx) else {
                    moves.push(stop("missing"));
                    continue;
                };
                mailed_now.insert(key(&e.person));
                let mail_id = RecordId::new("mail", new_key());
                let mut mail = repo::message_for(st, c, p, step, &e.variant, &mail_id);
                mail.enrollment = Some(e.id.clone());
                mail.dedupe_key = Some(format!("{}:{step_id}", key(&e.id)));
                let mut m = completed(at(next as i64, now, true), completes);
                m.mail_key = Some(key(&mail_id));
                m.mail = Some(mail);
                m.seen_contact = p.last_contacted_at;
                m.check_contact = cap > 0;
                moves.push(m);
            }
        }
    }
    let decided_in = started.elapsed() - claimed_in;
    record(st, node, moves).await?;
    tracing::debug!(
        claimed = n,
        claim_ms = claimed_in.as_millis() as u64,
        decide_ms = decided_in.as_millis() as u64,
        record_ms = (started.elapsed() - claimed_in - decided_in).as_millis() as u64,
        "campaign batch"
    );
    Ok(n)
}

/// A campaign message row with its id (the key decided with the move).
#[derive(Debug, Clone, SurrealValue)]
struct MailInsert {
    id: RecordId,
    #[surreal(flatten)]
    mail: NewMail,
}

/// A message sent under the frequency cap, with the last contact its decision saw.
#[derive(Debug, Clone, SurrealValue)]
struct Capped {
    enrollment: RecordId,
    person: RecordId,
    seen_contact: Option<DateTime<Utc>>,
}

/// Records a batch of moves in one transaction, with few statements: SurrealDB's cost is mostly
/// per statement, so enrollments that take the same move are updated together, and the messages
/// are inserted at once. An enrollment is only moved if it is still ours, active and at the step
/// the decision saw; only those enrollments' messages are written.
async fn record_batch(st: &AppState, node: &str, moves: &[Move]) -> Result<(), DbError> {
    let mut groups: Vec<(&Move, Vec<RecordId>)> = Vec::new();
    for m in moves {
        let same = |g: &&Move| {
            g.expected == m.expected
                && g.next_index == m.next_index
                && g.next_run_at == m.next_run_at
                && g.status == m.status
                && g.stop_reason == m.stop_reason
                && g.advanced == m.advanced
        };
        match groups.iter_mut().find(|(g, _)| same(g)) {
            Some((_, ids)) => ids.push(m.enrollment.clone()),
            None => groups.push((m, vec![m.enrollment.clone()])),
        }
    }
    let mails: Vec<MailInsert> = moves
        .iter()
        .filter_map(|m| {
            Some(MailInsert {
                id: RecordId::new("mail", m.mail_key.clone()?),
                mail: m.mail.clone()?,
            })
        })
        .collect();
    let capped: Vec<Capped> = moves
        .iter()
        .filter(|m| m.check_contact && m.mail.is_some())
        .map(|m| Capped {
            enrollment: m.enrollment.clone(),
            person: m.person.clone(),
            seen_contact: m.seen_contact,
        })
        .collect();
    let mut q = String::from("BEGIN TRANSACTION;\n");
    for i in 0..groups.len() {
        q.push_str(&format!(
            "LET $ok{i} = UPDATE $ids{i} SET step_index = $g{i}.next_index, next_run_at = $g{i}.next_run_at,
                status = $g{i}.status, stop_reason = $g{i}.stop_reason,
                step_started_at = IF $g{i}.advanced THEN time::now() ELSE step_started_at END,
                lease_until = NONE, lease_owner = NONE
            WHERE lease_owner = $node AND step_index = $g{i}.expected AND status = 'active'
            RETURN VALUE id;\n"
        ));
    }
    let oks: Vec<String> = (0..groups.len()).map(|i| format!("$ok{i}")).collect();
    q.push_str(&format!(
        "LET $ok = array::flatten([{}]);
         IF array::len($capped[WHERE enrollment IN $ok AND person.last_contacted_at != seen_contact]) > 0 {{
             THROW 'contacted_meanwhile';
         }};
         LET $new = $mails[WHERE enrollment IN $ok];
         IF array::len($new) > 0 {{
             INSERT INTO mail $new RETURN NONE;
             UPDATE $new.person SET last_contacted_at = time::now() RETURN NONE;
         }};
         COMMIT TRANSACTION;",
        oks.join(", ")
    ));
    let mut query = st
        .db
        .query(q)
        .bind(("node", node.to_string()))
        .bind(("mails", mails))
        .bind(("capped", capped));
    for (i, (g, ids)) in groups.into_iter().enumerate() {
        query = query
            .bind((format!("ids{i}"), ids))
            .bind((format!("g{i}"), g.clone()));
    }
    crate::server::db::run(query).await.map(|_| ())
}

async fn record(st: &AppState, node: &str, moves: Vec<Move>) -> Result<(), DbError> {
    let has_mail = moves.iter().any(|m| m.mail.is_some());
    let res = record_batch(st, node, &moves).await;
    if let Err(m) = res {
        // One bad move must not hold the others back: record them one by one.
        tracing::warn!(error = %m, "campaign batch failed, recording moves one by one");
        for mv in moves {
            if let Err(e) = record_batch(st, node, std::slice::from_ref(&mv)).await {
                if e.to_string().contains("contacted_meanwhile") {
                    tracing::debug!(enrollment = ?mv.enrollment, "frequency cap: contacted by another process, deciding again later");
                } else {
                    tracing::error!(error = %e, enrollment = ?mv.enrollment, "campaign move failed");
                }
                let _ = st
                    .db
                    .query("UPDATE $e SET lease_until = NONE, lease_owner = NONE, next_run_at = $later WHERE lease_owner = $node")
                    .bind(("e", mv.enrollment.clone()))
                    .bind(("later", Utc::now() + Duration::minutes(5)))
                    .bind(("node", node.to_string()))
                    .await;
            }
        }
    }
    if has_mail {
        st.mailer.wake();
    }
    Ok(())
}

/// The engine loop of this process.
pub async fn run_worker(st: AppState, node: String, shutdown: watch::Receiver<bool>) {
    let pace = runtime::Pace {
        name: "campaign engine",
        batch: BATCH as usize,
        idle: std::time::Duration::from_millis(st.config.engine_tick_ms.max(50)),
        wake: st.engine_wake.clone(),
    };
    // New members of audiences that enrol newcomers are looked for every 30 s.
    let last_enroll = std::sync::Mutex::new(None::<std::time::Instant>);
    runtime::run_loop(pace, shutdown, || async {
        let due = last_enroll
            .lock()
            .map(|mut last| {
                let due = last.is_none_or(|t| t.elapsed() > std::time::Duration::from_secs(30));
                if due {
                    *last = Some(std::time::Instant::now());
                }
                due
            })
            .unwrap_or(true);
        if due && let Err(e) = enroll_new_members(&st).await {
            tracing::warn!(error = ?e, "auto-enrolment failed");
        }
        run_due(&st, &node).await
    })
    .await;
}

/// Records a "mark as replied" from staff.
pub async fn mark_replied(st: &AppState, person: &RecordId, actor: &Actor) -> AppResult<bool> {
    let done = super::tracking::record_reply(&st.db, person, None).await?;
    if done {
        crate::server::activity::record(
            &st.db,
            NewActivity::new(actor, "replied_marked", "Marked as replied").person(person),
        )
        .await?;
    }
    Ok(done)
}
