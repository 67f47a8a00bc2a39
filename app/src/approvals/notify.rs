//! Telling approvers (email, and Slack when configured) and the requisition's owner.

use super::repo::{Decided, JobFacts, StepRow, job_facts as facts, offer_facts, step};
use super::types::*;
use crate::error::AppResult;
use crate::server::AppState;
use crate::server::db::key;
use crate::server::security::now_unix;
use crate::server::slack::SlackMessage;
use surrealdb::types::RecordId;

pub const LINK_DAYS: i64 = 7;

/// A signed, expiring link that decides one step (it works once: the step stops being pending).
pub fn decision_link(st: &AppState, step: &RecordId, decision: &str) -> String {
    let token = st.keys.sign(
        "approval",
        &format!("{}:{decision}", key(step)),
        now_unix() + LINK_DAYS * 86_400,
    );
    format!("{}/approvals/decide?token={token}", st.config.public_url)
}

pub fn summary_of(f: &JobFactsView) -> String {
    requisition_summary(
        f.headcount,
        f.salary_min,
        f.salary_max,
        f.salary_currency.as_deref(),
        f.salary_period.as_deref(),
        f.target_start.as_deref(),
    )
}

/// The requisition facts needed for a summary line.
pub struct JobFactsView {
    pub headcount: i64,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<String>,
    pub target_start: Option<String>,
}

fn view_of(f: &JobFacts) -> JobFactsView {
    JobFactsView {
        headcount: f.headcount,
        salary_min: f.salary_min,
        salary_max: f.salary_max,
        salary_currency: f.salary_currency.clone(),
        salary_period: f.salary_period.clone(),
        target_start: f.target_start.map(|d| d.to_rfc3339()),
    }
}

/// What an approval step is about, in words.
pub struct Described {
    /// "Platform engineer", or "Offer to Ada Lovelace · Platform engineer".
    pub title: String,
    /// "the requisition for Platform engineer", "the offer to Ada Lovelace for Platform engineer".
    pub what: String,
    /// The one-line summary (headcount and salary range, or the offer's terms).
    pub summary: String,
    /// The page (path) where staff read more.
    pub href: String,
    /// "requisition" or "offer".
    pub noun: &'static str,
}

/// Describes the subject of a step: a requisition or an offer.
pub async fn describe(st: &AppState, s: &StepRow) -> AppResult<Option<Described>> {
    if let Some(offer) = &s.offer {
        return Ok(offer_facts(&st.db, offer).await?.map(|f| Described {
            title: format!("Offer to {} · {}", f.person_name, f.job_title),
            what: format!("the offer to {} for {}", f.person_name, f.job_title),
            summary: f.summary(),
            href: format!("/app/applications/{}#offer", key(&f.application)),
            noun: "offer",
        }));
    }
    Ok(facts(&st.db, &s.job).await?.map(|f| Described {
        what: format!("the requisition for {}", f.title),
        summary: summary_of(&view_of(&f)),
        href: format!("/app/jobs/{}", key(&s.job)),
        title: f.title,
        noun: "requisition",
    }))
}

/// Emails the approver whose turn it is (and posts to Slack when configured).
pub async fn notify_approver(st: &AppState, step_id: &RecordId) -> AppResult<()> {
    let Some(s) = step(&st.db, step_id).await? else {
        return Ok(());
    };
    let Some(d) = describe(st, &s).await? else {
        return Ok(());
    };
    let summary = d.summary.clone();
    let approve = decision_link(st, step_id, "approve");
    let reject = decision_link(st, step_id, "reject");
    let inbox = format!("{}/app/approvals", st.config.public_url);
    let body = format!(
        "Hi {name},\n\n{by} asks you to approve {what}: {summary}.\n\n\
         Approve: {approve}\n\nReject (you will be asked for a reason): {reject}\n\n\
         Or decide in Acme Hiring: {inbox}\n\n\
         The links work once, only for you (you sign in to decide), and expire in {LINK_DAYS} days.",
        name = s.approver_name,
        by = s.requested_by,
        what = d.what,
    );
    let mail = st.mailer.compose(
        "approval_request",
        &s.approver_email,
        &s.approver_name,
        &format!("Approval needed: {}", d.title),
        &body,
    );
    st.mailer.enqueue(&st.db, mail).await?;
    if st.config.slack_webhook_url.is_some() {
        let payload = slack_request(&s, &d.title, &summary, &approve, &reject);
        st.tasks.enqueue(&st.db, &SlackMessage(payload)).await?;
    }
    Ok(())
}

/// The Slack message for an approval request: context plus Approve/Reject link buttons.
pub fn slack_request(
    s: &StepRow,
    title: &str,
    summary: &str,
    approve: &str,
    reject: &str,
) -> serde_json::Value {
    serde_json::json!({
        // The top-level text is mrkdwn too (notifications show it): escaped like the blocks.
        "text": format!(
            "Approval needed from {}: {} ({})",
            slack_escape(&s.approver_name),
            slack_escape(title),
            slack_escape(summary)
        ),
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": format!(
                        "*Approval needed* from {}\n*{}*\n{}\nRequested by {}",
                        slack_escape(&s.approver_name), slack_escape(title), slack_escape(summary), slack_escape(&s.requested_by)
                    )
                }
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "approve",
                        "style": "primary",
                        "text": { "type": "plain_text", "text": "Approve" },
                        "url": approve
                    },
                    {
                        "type": "button",
                        "action_id": "reject",
                        "style": "danger",
                        "text": { "type": "plain_text", "text": "Reject…" },
                        "url": reject
                    }
                ]
            },
            {
                "type": "context",
                "elements": [
                    { "type": "mrkdwn", "text": format!("Links work once, only for the approver (signed in), and expire in {LINK_DAYS} days.") }
                ]
            }
        ]
    })
}

/// Escapes `&`, `<`, `>` as Slack's mrkdwn requires.
pub fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// After a decision: tell the next approver, or tell the owner how the round ended.
pub async fn after_decision(st: &AppState, d: &Decided) -> AppResult<()> {
    if let Some(next) = &d.next {
        return notify_approver(st, next).await;
    }
    let Some(outcome) = d.outcome else {
        return Ok(());
    };
    if d.step.offer.is_some() {
        // The offers feature takes it from here (an `OfferDecided` task, queued with the
        // decision): wake the runtime so the candidate hears at once.
        st.tasks.wake();
        return Ok(());
    }
    let Some(f) = facts(&st.db, &d.step.job).await? else {
        return Ok(());
    };
    let job_url = format!("{}/app/jobs/{}", st.config.public_url, key(&d.step.job));
    let (subject, text) = match outcome {
        ApprovalStatus::Approved => (
            format!("Approved: {}", f.title),
            format!(
                "Every approver approved {}. You can publish it now: {job_url}",
                f.title
            ),
        ),
        _ => (
            format!("Rejected: {}", f.title),
            format!(
                "{} rejected {}: {}\n\nEdit the requisition and request approval again: {job_url}",
                d.step.approver_name,
                f.title,
                d.step.reason.clone().unwrap_or_default()
            ),
        ),
    };
    if let Some(email) = f.owner_email.filter(|e| !e.is_empty()) {
        let mail = st.mailer.compose(
            "approval_outcome",
            &email,
            &f.owner_name.unwrap_or_default(),
            &subject,
            &text,
        );
        st.mailer.enqueue(&st.db, mail).await?;
    }
    if st.config.slack_webhook_url.is_some() {
        let first = text.lines().next().unwrap_or_default();
        let payload = serde_json::json!({ "text": slack_escape(&format!("{subject}. {first}")) });
        st.tasks.enqueue(&st.db, &SlackMessage(payload)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_text_cannot_ping_the_channel_or_hide_a_link() {
        let step = StepRow {
            id: RecordId::new("approval", "a"),
            job: RecordId::new("job", "j"),
            job_title: String::new(),
            round: 1,
            position: 0,
            approver: RecordId::new("staff", "m"),
            approver_name: "Morgan <!channel>".into(),
            approver_email: "m@acme.test".into(),
            status: "pending".into(),
            reason: None,
            decided_at: None,
            decided_via: None,
            requested_by: "Riley".into(),
            requester: None,
            offer: None,
        };
        let msg = slack_request(
            &step,
            "<https://evil.example|Free money> & more",
            "2 hires",
            "https://a",
            "https://r",
        );
        for text in [&msg["text"], &msg["blocks"][0]["text"]["text"]] {
            let text = text.as_str().unwrap();
            assert!(!text.contains('<') && !text.contains('>'), "{text}");
            assert!(text.contains("&lt;!channel&gt;"), "{text}");
            assert!(text.contains("&amp; more"), "{text}");
        }
    }
}
