//! Campaign wire types and checked forms. The `{{token}}` language is `crate::templates`.

use crate::domain::{required_long_text, required_text};
use crate::error::{AppResult, Checks};
use crate::templates::check_template;
use serde::{Deserialize, Serialize};

/// Where a campaign stands. Quick campaigns: draft → sending → sent; sequences: draft → active
/// ⇄ paused → completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Draft,
    Sending,
    Sent,
    Active,
    Paused,
    Completed,
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 6] = [
        CampaignStatus::Draft,
        CampaignStatus::Sending,
        CampaignStatus::Sent,
        CampaignStatus::Active,
        CampaignStatus::Paused,
        CampaignStatus::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Sending => "sending",
            CampaignStatus::Sent => "sent",
            CampaignStatus::Active => "active",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Completed => "completed",
        }
    }

    /// The stored name; anything else (the schema admits nothing else) reads as a draft.
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .unwrap_or(CampaignStatus::Draft)
    }
}

impl std::fmt::Display for CampaignStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compares with the stored name (`status == "draft"`).
impl PartialEq<&str> for CampaignStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub id: String,
    pub name: String,
    pub status: CampaignStatus,
    pub audience_tag: String,
    pub recipients: i64,
    pub sent_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recipient {
    pub id: String,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignOptions {
    /// Enroll people who join the audience after launch.
    pub auto_enroll: bool,
    pub use_send_window: bool,
    /// ISO weekdays, 1 = Monday.
    pub send_days: Vec<u32>,
    pub start_hour: u32,
    pub end_hour: u32,
    /// The job this campaign warms people for (`{{job_title}}`; applying to it ends the sequence).
    pub job_id: Option<String>,
    /// What the emails are about: people can turn topics off on the unsubscribe page.
    pub topic: String,
}

/// Email topics people can choose on the unsubscribe page.
pub const TOPICS: [(&str, &str); 3] = [
    (
        "campaigns",
        "Talent community news and roles that may fit me",
    ),
    ("job_alerts", "Alerts about new jobs"),
    ("events", "Invitations to events"),
];

impl Default for CampaignOptions {
    fn default() -> Self {
        Self {
            auto_enroll: false,
            use_send_window: false,
            send_days: vec![1, 2, 3, 4, 5],
            start_hour: 9,
            end_hour: 17,
            job_id: None,
            topic: "campaigns".into(),
        }
    }
}

/// Choices the builder offers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BuilderChoices {
    pub tags: Vec<(String, i64)>,
    pub pools: Vec<(String, String)>,
    pub segments: Vec<(String, String)>,
    pub jobs: Vec<(String, String)>,
    pub frequency_cap_days: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    pub step_id: String,
    pub position: usize,
    pub description: String,
    pub variant: Option<String>,
    pub subject: String,
    pub sent: i64,
    pub failed: i64,
    pub queued: i64,
    pub opened: i64,
    /// Opens right after delivery, most likely by a mail server or privacy proxy.
    pub machine_opens: i64,
    pub clicked: i64,
    pub replied: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignReport {
    pub id: String,
    pub name: String,
    pub status: CampaignStatus,
    pub enrolled: i64,
    pub active: i64,
    pub completed: i64,
    pub stopped: i64,
    pub sent: i64,
    pub delivered: i64,
    pub opened: i64,
    pub clicked: i64,
    pub replied: i64,
    pub applied: i64,
    pub hired: i64,
    pub unsubscribed: i64,
    pub steps: Vec<StepReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignDetail {
    pub id: String,
    pub name: String,
    pub status: CampaignStatus,
    /// `tag`, `pool` or `segment`.
    pub audience_kind: String,
    /// Pool or segment id (for `pool`/`segment` audiences).
    pub audience_id: Option<String>,
    pub audience_label: String,
    pub steps: Vec<super::sequence::Step>,
    pub options: CampaignOptions,
    pub launched_at: Option<String>,
    pub audience_tag: String,
    pub subject: String,
    pub body: String,
    /// People with the tag who can be emailed.
    pub reachable: i64,
    /// People with the tag who unsubscribed.
    pub unsubscribed: i64,
    /// First reachable recipients, for the preview picker.
    pub sample: Vec<Recipient>,
    pub recipients: i64,
    pub skipped: i64,
    pub sent_at: Option<String>,
    pub delivered: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The whole HTML email, as mail programs show it.
    pub html: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnsubscribeInfo {
    pub email_hint: String,
    pub already: bool,
    /// Topics the person has turned off.
    pub topics: Vec<String>,
}

/// A checked campaign form.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignInput {
    pub name: String,
    pub audience_tag: String,
    pub subject: String,
    pub body: String,
}

impl CampaignInput {
    pub fn parse(name: &str, audience_tag: &str, subject: &str, body: &str) -> AppResult<Self> {
        let mut c = Checks::new();
        let name = c.check("name", required_text(name, "a name for the campaign", 120));
        let tag = c.check(
            "audience_tag",
            crate::domain::Tag::parse(audience_tag)
                .map(|t| t.as_str().to_string())
                .map_err(|_| "Choose the tag of the people to email.".to_string()),
        );
        let subject = c.check(
            "subject",
            required_text(subject, "a subject line", 200)
                .and_then(|s| check_template(&s).map(|_| s)),
        );
        let body = c.check(
            "body",
            required_long_text(body, "the message", 50_000)
                .and_then(|b| check_template(&b).map(|_| b)),
        );
        c.finish()?;
        Ok(Self {
            name: name.unwrap_or_default(),
            audience_tag: tag.unwrap_or_default(),
            subject: subject.unwrap_or_default(),
            body: body.unwrap_or_default(),
        })
    }
}

/// The footer every campaign email carries.
pub fn footer(company: &str, unsubscribe_url: &str) -> String {
    format!(
        "\n\n--\nYou receive this because you are in the {company} talent community.\n\
         Unsubscribe: {unsubscribe_url}"
    )
}

/// "a•••@example.com" for the unsubscribe page.
pub fn email_hint(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "your address".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_form_reports_every_problem() {
        let e = CampaignInput::parse("", "", "Hi {{nope}}", "").unwrap_err();
        for f in ["name", "audience_tag", "subject", "body"] {
            assert!(e.field_message(f).is_some(), "{f}");
        }
    }

    #[test]
    fn hints_hide_the_address() {
        assert_eq!(email_hint("ada@example.com"), "a•••@example.com");
    }

    #[test]
    fn campaign_statuses_keep_their_stored_names() {
        for v in CampaignStatus::ALL {
            assert_eq!(CampaignStatus::parse(v.as_str()), v);
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        }
        assert_eq!(CampaignStatus::parse("unknown"), CampaignStatus::Draft);
        assert!(CampaignStatus::Paused == "paused");
    }
}

/// The talent CRM over the last twelve months: pool growth, engagement, and what campaigns led
/// to (replies, applications, hires).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrmReport {
    /// Per month (oldest first, `YYYY-MM`): people added to pools and engagement by kind.
    pub months: Vec<CrmMonth>,
    /// People in at least one pool now.
    pub pooled_now: i64,
    /// Per launched campaign, unique people at each step of the funnel.
    pub campaigns: Vec<CampaignFunnel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrmMonth {
    pub month: String,
    pub added_to_pools: i64,
    pub opened: i64,
    pub clicked: i64,
    pub replied: i64,
    pub applied: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignFunnel {
    pub id: String,
    pub name: String,
    pub enrolled: i64,
    pub engaged: i64,
    pub replied: i64,
    pub applied: i64,
    pub hired: i64,
}

/// The last `n` months up to `today`'s, oldest first, as `YYYY-MM`.
pub fn last_months(today: chrono::NaiveDate, n: u32) -> Vec<String> {
    use chrono::Datelike;
    let mut y = today.year();
    let mut m = today.month() as i32;
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(format!("{y:04}-{m:02}"));
        m -= 1;
        if m == 0 {
            m = 12;
            y -= 1;
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod crm_report_tests {
    use super::*;

    #[test]
    fn months_cross_the_year() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        assert_eq!(last_months(d, 3), ["2025-12", "2026-01", "2026-02"]);
        assert_eq!(last_months(d, 12).len(), 12);
    }
}
