//! Approval wire types and rules.

use serde::{Deserialize, Serialize};

/// Where a job's approval stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatus {
    NotRequested,
    Pending,
    Approved,
    Rejected,
}

impl ApprovalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::NotRequested => "not_requested",
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "pending" => ApprovalStatus::Pending,
            "approved" => ApprovalStatus::Approved,
            "rejected" => ApprovalStatus::Rejected,
            _ => ApprovalStatus::NotRequested,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ApprovalStatus::NotRequested => "Approval not requested",
            ApprovalStatus::Pending => "Waiting for approval",
            ApprovalStatus::Approved => "Approved",
            ApprovalStatus::Rejected => "Rejected",
        }
    }
    /// Requisition fields (headcount, salary, approvers) may change only before a request is
    /// made or after a rejection.
    pub fn requisition_editable(self) -> bool {
        matches!(
            self,
            ApprovalStatus::NotRequested | ApprovalStatus::Rejected
        )
    }
}

/// One approver's step in the current round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApprovalStep {
    pub id: String,
    pub position: i64,
    pub approver_id: String,
    pub approver_name: String,
    /// `waiting`, `pending`, `approved`, `rejected` or `cancelled`.
    pub status: String,
    pub reason: Option<String>,
    pub decided_at: Option<String>,
    pub decided_via: Option<String>,
}

/// A decision waiting for the signed-in approver.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingApproval {
    pub id: String,
    pub job_id: String,
    /// The job's title, or "Offer to Ada Lovelace · Platform engineer".
    pub job_title: String,
    /// Where the approver reads more: the job, or the application the offer is for.
    pub href: String,
    /// True for an offer, false for a requisition.
    pub is_offer: bool,
    pub requested_by: String,
    pub summary: String,
    pub position: i64,
    pub of: i64,
}

/// What a signed approval link shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub job_title: String,
    /// "requisition" or "offer".
    pub subject: String,
    pub approver_name: String,
    pub summary: String,
    /// `approve` or `reject`.
    pub decision: String,
    /// False once the step was decided (links are single-use).
    pub open: bool,
    pub status: String,
    /// Who may decide from this browser: the link only works for the approver, signed in.
    pub viewer: LinkViewer,
}

/// The browser that opened an approval link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkViewer {
    /// Signed in as the approver: may decide.
    Approver,
    /// Not signed in: must sign in first.
    SignedOut,
    /// Signed in as someone else (named): cannot decide.
    Other(String),
}

/// "2 hires · EUR 70,000–90,000 per year · start 1 Feb 2027"
pub fn requisition_summary(
    headcount: i64,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    currency: Option<&str>,
    period: Option<&str>,
    target_start: Option<&str>,
) -> String {
    let mut parts = vec![if headcount == 1 {
        "1 hire".to_string()
    } else {
        format!("{headcount} hires")
    }];
    if let Some(s) = salary_line(salary_min, salary_max, currency, period) {
        parts.push(s);
    }
    if let Some(d) = target_start.filter(|d| !d.is_empty()) {
        parts.push(format!("start {}", crate::components::format_date(d)));
    }
    parts.join(" · ")
}

/// "EUR 70,000–90,000 per year"
pub fn salary_line(
    min: Option<i64>,
    max: Option<i64>,
    currency: Option<&str>,
    period: Option<&str>,
) -> Option<String> {
    let cur = currency.unwrap_or("EUR");
    let per = match period.unwrap_or("YEAR") {
        "MONTH" => "per month",
        "HOUR" => "per hour",
        _ => "per year",
    };
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format!("{cur} {} {per}", thousands(a))),
        (Some(a), Some(b)) => Some(format!("{cur} {}–{} {per}", thousands(a), thousands(b))),
        (Some(a), None) => Some(format!("from {cur} {} {per}", thousands(a))),
        (None, Some(b)) => Some(format!("up to {cur} {} {per}", thousands(b))),
        (None, None) => None,
    }
}

/// "EUR 85,000 per year · bonus 10% of base · equity 0.05% · start 1 Feb 2027"
pub fn offer_summary(
    base: i64,
    currency: &str,
    period: &str,
    bonus: Option<&str>,
    equity: Option<&str>,
    start_date: &str,
) -> String {
    let mut parts =
        vec![salary_line(Some(base), Some(base), Some(currency), Some(period)).unwrap_or_default()];
    if let Some(b) = bonus.filter(|b| !b.trim().is_empty()) {
        parts.push(format!("bonus {}", b.trim()));
    }
    if let Some(e) = equity.filter(|e| !e.trim().is_empty()) {
        parts.push(format!("equity {}", e.trim()));
    }
    if !start_date.is_empty() {
        parts.push(format!("start {}", day_label(start_date)));
    }
    parts.join(" · ")
}

/// "1 Feb 2027" from "2027-02-01" (anything else as it is).
pub fn day_label(day: &str) -> String {
    crate::components::format_day(day)
}

pub fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_read_well() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(
            requisition_summary(2, Some(70000), Some(90000), Some("EUR"), Some("YEAR"), None),
            "2 hires · EUR 70,000–90,000 per year"
        );
        assert_eq!(
            requisition_summary(1, None, None, None, None, None),
            "1 hire"
        );
        assert_eq!(
            salary_line(Some(40), None, Some("GBP"), Some("HOUR")).unwrap(),
            "from GBP 40 per hour"
        );
    }

    #[test]
    fn requisitions_lock_while_pending_or_approved() {
        assert!(ApprovalStatus::NotRequested.requisition_editable());
        assert!(ApprovalStatus::Rejected.requisition_editable());
        assert!(!ApprovalStatus::Pending.requisition_editable());
        assert!(!ApprovalStatus::Approved.requisition_editable());
    }
}
