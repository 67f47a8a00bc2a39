use crate::jobs::types::JobStatus;
use serde::{Deserialize, Serialize};

/// A candidate is "stuck" after this many days in one stage.
pub const STUCK_DAYS: i64 = 14;
/// Without an earlier visit, "new" means the last this many days.
pub const NEW_DAYS_DEFAULT: i64 = 7;
/// How many items each list shows (the total is given too).
pub const LIST_LIMIT: usize = 8;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The previous sign-in (RFC 3339): "new" means since then. None: the last 7 days.
    pub since: Option<String>,
    pub approvals: Vec<ApprovalTodo>,
    pub new_applicants: Vec<PipelineItem>,
    pub new_total: i64,
    pub stuck: Vec<PipelineItem>,
    pub stuck_total: i64,
    pub jobs: Vec<JobPipeline>,
}

/// A requisition waiting for my decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApprovalTodo {
    pub job_id: String,
    pub job_title: String,
    pub requested_by: String,
}

/// One application, as the home lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineItem {
    pub person_id: String,
    pub name: String,
    pub job_id: String,
    pub job_title: String,
    pub stage_name: String,
    pub days_in_stage: i64,
    /// When they applied (RFC 3339).
    pub applied_at: String,
}

/// A job and how many active candidates each of its stages holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobPipeline {
    pub id: String,
    pub title: String,
    pub status: JobStatus,
    pub stages: Vec<StageCount>,
    pub active: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageCount {
    pub name: String,
    pub count: i64,
}

// The sourcer's home ------------------------------------------------------------------------

/// A reply is waiting this long at most before the home stops showing it.
pub const REPLY_DAYS: i64 = 30;
/// Campaigns launched or finished this recently (or still going) show their activity.
pub const CAMPAIGN_DAYS: i64 = 30;
/// "New in the talent pool": added in the last this many days.
pub const NEW_PEOPLE_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourcerHome {
    pub replies: Vec<ReplyTodo>,
    pub campaigns: Vec<CampaignActivity>,
    pub new_people: Vec<NewPerson>,
    pub new_total: i64,
}

/// Someone replied to a campaign and nobody has written to them since.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyTodo {
    pub person_id: String,
    pub name: String,
    pub campaign_id: Option<String>,
    pub campaign: Option<String>,
    pub at: String,
}

/// What a recent campaign drew: people, not events (two opens by one person count once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignActivity {
    pub id: String,
    pub name: String,
    pub status: crate::campaigns::types::CampaignStatus,
    pub recipients: i64,
    pub opened: i64,
    pub clicked: i64,
    pub replied: i64,
    pub applied: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewPerson {
    pub id: String,
    pub name: String,
    pub source: String,
    pub at: String,
}
