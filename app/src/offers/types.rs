//! Offer wire types, the offer state machine and the letter template. Pure code, shared by the
//! server and the browser.

use crate::approvals::types::{ApprovalStep, day_label, offer_summary};
use serde::{Deserialize, Serialize};

/// Where one version of an offer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    /// Waiting for its approval chain.
    PendingApproval,
    /// An approver rejected it: revise or withdraw.
    Rejected,
    /// Approved and sent: the candidate may accept or decline.
    Sent,
    Accepted,
    Declined,
    Withdrawn,
    /// A newer version replaced it.
    Superseded,
}

/// What can happen to an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferAction {
    /// The last approver approved (the offer goes to the candidate).
    Approve,
    /// An approver rejected it.
    Reject,
    Accept,
    Decline,
    Withdraw,
    /// A new version replaces this one.
    Revise,
}

impl OfferStatus {
    pub const ALL: [OfferStatus; 7] = [
        OfferStatus::PendingApproval,
        OfferStatus::Rejected,
        OfferStatus::Sent,
        OfferStatus::Accepted,
        OfferStatus::Declined,
        OfferStatus::Withdrawn,
        OfferStatus::Superseded,
    ];

    /// The state machine: where `action` leads from here, or `None` when it is not allowed.
    pub fn after(self, action: OfferAction) -> Option<OfferStatus> {
        use OfferAction as A;
        use OfferStatus as S;
        match (self, action) {
            (S::PendingApproval, A::Approve) => Some(S::Sent),
            (S::PendingApproval, A::Reject) => Some(S::Rejected),
            (S::Sent, A::Accept) => Some(S::Accepted),
            (S::Sent, A::Decline) => Some(S::Declined),
            (S::PendingApproval | S::Rejected | S::Sent, A::Withdraw) => Some(S::Withdrawn),
            (S::PendingApproval | S::Rejected | S::Sent | S::Declined, A::Revise) => {
                Some(S::Superseded)
            }
            _ => None,
        }
    }

    /// The states `action` may start from (the guard of the database update).
    pub fn from_states(action: OfferAction) -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|s| s.after(action).is_some())
            .map(|s| s.as_str())
            .collect()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::PendingApproval => "pending_approval",
            OfferStatus::Rejected => "rejected",
            OfferStatus::Sent => "sent",
            OfferStatus::Accepted => "accepted",
            OfferStatus::Declined => "declined",
            OfferStatus::Withdrawn => "withdrawn",
            OfferStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// How staff read it.
    pub fn label(self) -> &'static str {
        match self {
            OfferStatus::PendingApproval => "Waiting for approval",
            OfferStatus::Rejected => "Rejected by an approver",
            OfferStatus::Sent => "Sent: waiting for the candidate",
            OfferStatus::Accepted => "Accepted",
            OfferStatus::Declined => "Declined",
            OfferStatus::Withdrawn => "Withdrawn",
            OfferStatus::Superseded => "Replaced by a newer version",
        }
    }
}

/// Tokens an offer letter may use.
pub const LETTER_TOKENS: [&str; 9] = [
    "first_name",
    "full_name",
    "job_title",
    "company",
    "salary",
    "bonus",
    "equity",
    "start_date",
    "hiring_manager",
];

/// The letter every new offer starts from.
pub const DEFAULT_LETTER: &str = "Dear {{first_name}},

We are delighted to offer you the position of {{job_title}} at {{company}}.

Your base salary will be {{salary}}, and your first day {{start_date}}.
Bonus: {{bonus}}
Equity: {{equity}}

{{hiring_manager}} and the whole team look forward to working with you. To accept, type your full name below; you can also decline and tell us why.

With warm regards,
The {{company}} hiring team";

/// Values for one letter.
#[derive(Clone, Debug, Default)]
pub struct LetterValues {
    pub first_name: String,
    pub full_name: String,
    pub job_title: String,
    pub company: String,
    pub salary: String,
    pub bonus: String,
    pub equity: String,
    pub start_date: String,
    pub hiring_manager: String,
}

/// The first problem with a letter template, if any.
pub fn check_letter(template: &str) -> Result<(), String> {
    if template.trim().is_empty() {
        return Err("Write the letter.".into());
    }
    if template.chars().count() > 20_000 {
        return Err("Keep the letter under 20,000 characters.".into());
    }
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("A “{{” is never closed with “}}”.".into());
        };
        let name = after[..end].trim();
        if !LETTER_TOKENS.contains(&name) {
            return Err(format!(
                "Unknown token {{{{{name}}}}}. Use {}.",
                LETTER_TOKENS
                    .iter()
                    .map(|t| format!("{{{{{t}}}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

/// Fills a (checked) letter template. Values are plain text: the letter is shown as text.
pub fn render_letter(template: &str, v: &LetterValues) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        out.push_str(match after[..end].trim() {
            "first_name" => &v.first_name,
            "full_name" => &v.full_name,
            "job_title" => &v.job_title,
            "company" => &v.company,
            "salary" => &v.salary,
            "bonus" => &v.bonus,
            "equity" => &v.equity,
            "start_date" => &v.start_date,
            "hiring_manager" => &v.hiring_manager,
            _ => "",
        });
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The offer form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OfferForm {
    pub base_salary: String,
    pub currency: String,
    pub period: String,
    pub bonus: String,
    pub equity: String,
    pub start_date: String,
    pub letter: String,
    pub approvers: Vec<String>,
}

/// A checked offer.
#[derive(Clone, Debug, PartialEq)]
pub struct OfferInput {
    pub base_salary: i64,
    pub currency: String,
    pub period: String,
    pub bonus: Option<String>,
    pub equity: Option<String>,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    pub letter: String,
    /// Staff keys, in chain order.
    pub approvers: Vec<String>,
}

impl OfferInput {
    /// Checks every field; `today` is the earliest start date allowed. Errors name the field.
    pub fn parse(f: &OfferForm, today: chrono::NaiveDate) -> Result<Self, Vec<(String, String)>> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut bad = |field: &str, msg: &str| errors.push((field.into(), msg.into()));
        let digits: String = f
            .base_salary
            .chars()
            .filter(|c| !matches!(c, ',' | ' ' | '_' | '.' | '\''))
            .collect();
        let base = digits.parse::<i64>().ok().filter(|n| *n > 0);
        match base {
            None => bad(
                "base_salary",
                "Enter the base salary as a whole number, e.g. 85000.",
            ),
            Some(n) if n > 100_000_000 => {
                bad("base_salary", "That salary looks wrong: check the digits.")
            }
            _ => {}
        }
        let currency = f.currency.trim().to_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            bad("currency", "Use a three-letter currency code, e.g. EUR.");
        }
        let period = f.period.trim().to_uppercase();
        if !matches!(period.as_str(), "YEAR" | "MONTH" | "HOUR") {
            bad("period", "Choose per year, per month or per hour.");
        }
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let (bonus, equity) = (text(&f.bonus), text(&f.equity));
        if bonus.as_ref().is_some_and(|b| b.chars().count() > 200) {
            bad("bonus", "Keep the bonus under 200 characters.");
        }
        if equity.as_ref().is_some_and(|e| e.chars().count() > 200) {
            bad("equity", "Keep the equity under 200 characters.");
        }
        match chrono::NaiveDate::parse_from_str(f.start_date.trim(), "%Y-%m-%d") {
            Err(_) => bad("start_date", "Choose the start date."),
            Ok(d) if d < today => bad("start_date", "The start date has passed."),
            Ok(_) => {}
        }
        if let Err(e) = check_letter(&f.letter) {
            bad("letter", &e);
        }
        let mut approvers: Vec<String> = Vec::new();
        for a in f
            .approvers
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
        {
            if !approvers.iter().any(|x| x == a) {
                approvers.push(a.to_string());
            }
        }
        if approvers.is_empty() {
            bad("approvers", "Choose at least one approver.");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(OfferInput {
            base_salary: base.unwrap_or_default(),
            currency,
            period,
            bonus,
            equity,
            start_date: f.start_date.trim().to_string(),
            letter: f.letter.replace("\r\n", "\n"),
            approvers,
        })
    }

    /// The letter's values for this offer's terms.
    pub fn letter_values(
        &self,
        full_name: &str,
        job_title: &str,
        company: &str,
        manager: &str,
    ) -> LetterValues {
        LetterValues {
            first_name: full_name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string(),
            full_name: full_name.to_string(),
            job_title: job_title.to_string(),
            company: company.to_string(),
            salary: crate::approvals::types::salary_line(
                Some(self.base_salary),
                Some(self.base_salary),
                Some(&self.currency),
                Some(&self.period),
            )
            .unwrap_or_default(),
            bonus: self.bonus.clone().unwrap_or_else(|| "none".into()),
            equity: self.equity.clone().unwrap_or_else(|| "none".into()),
            start_date: day_label(&self.start_date),
            hiring_manager: if manager.is_empty() {
                "Your future manager".into()
            } else {
                manager.to_string()
            },
        }
    }
}

/// The typed name matches the candidate's name (case, accents of spacing and punctuation aside).
pub fn signature_matches(typed: &str, full_name: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ")
    };
    !typed.trim().is_empty() && norm(typed) == norm(full_name)
}

/// One offer version as staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferView {
    pub id: String,
    pub version: i64,
    pub status: OfferStatus,
    pub summary: String,
    pub base_salary: i64,
    pub currency: String,
    pub period: String,
    pub bonus: String,
    pub equity: String,
    pub start_date: String,
    pub letter: String,
    pub steps: Vec<ApprovalStep>,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub responded_at: Option<String>,
    pub accepted_name: Option<String>,
    pub accepted_ip: Option<String>,
    pub decline_reason: Option<String>,
    pub withdraw_reason: Option<String>,
}

/// Someone who may approve an offer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApproverChoice {
    pub id: String,
    pub name: String,
    /// Proposed: the job's requisition approvers.
    pub checked: bool,
}

/// A candidate still in process when the job is filled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StillOpen {
    pub application_id: String,
    pub name: String,
    pub stage: String,
}

/// The offer card on an application page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationOffers {
    pub application_id: String,
    pub job_id: String,
    pub person_name: String,
    /// Recruiters and admins make, revise and withdraw offers; the hiring manager reads them.
    pub can_manage: bool,
    /// The newest version first.
    pub versions: Vec<OfferView>,
    pub approvers: Vec<ApproverChoice>,
    /// The form's starting values (the current version's terms, or the job's).
    pub draft: OfferDraft,
    /// Set when the job is filled: hires so far, the headcount, and who is still in process.
    pub filled: Option<(i64, i64, Vec<StillOpen>)>,
    /// The card is in the stage where offers are made (named "Offer", or the last before Hired):
    /// only then is the form for a first offer open from the start.
    pub at_offer_stage: bool,
}

/// The offer form's starting values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OfferDraft {
    pub base_salary: String,
    pub currency: String,
    pub period: String,
    pub bonus: String,
    pub equity: String,
    pub start_date: String,
    pub letter: String,
}

/// An offer as the candidate sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateOffer {
    pub id: String,
    pub job_title: String,
    pub company: String,
    pub status: OfferStatus,
    pub summary: String,
    pub letter: String,
    pub sent_at: Option<String>,
    pub responded_at: Option<String>,
    pub accepted_name: Option<String>,
    pub decline_reason: Option<String>,
    /// The name to type when accepting.
    pub full_name: String,
}

impl CandidateOffer {
    pub fn can_respond(&self) -> bool {
        self.status == OfferStatus::Sent
    }
}

/// The one-line terms of an offer.
pub fn terms(v: &OfferView) -> String {
    offer_summary(
        v.base_salary,
        &v.currency,
        &v.period,
        Some(&v.bonus),
        Some(&v.equity),
        &v.start_date,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use OfferAction as A;
    use OfferStatus as S;

    #[test]
    fn the_state_machine_as_a_table() {
        // (from, action, to): every pair not listed is refused.
        let allowed = [
            (S::PendingApproval, A::Approve, S::Sent),
            (S::PendingApproval, A::Reject, S::Rejected),
            (S::PendingApproval, A::Withdraw, S::Withdrawn),
            (S::PendingApproval, A::Revise, S::Superseded),
            (S::Rejected, A::Withdraw, S::Withdrawn),
            (S::Rejected, A::Revise, S::Superseded),
            (S::Sent, A::Accept, S::Accepted),
            (S::Sent, A::Decline, S::Declined),
            (S::Sent, A::Withdraw, S::Withdrawn),
            (S::Sent, A::Revise, S::Superseded),
            (S::Declined, A::Revise, S::Superseded),
        ];
        let actions = [
            A::Approve,
            A::Reject,
            A::Accept,
            A::Decline,
            A::Withdraw,
            A::Revise,
        ];
        for from in S::ALL {
            for a in actions {
                let want = allowed
                    .iter()
                    .find(|(f, x, _)| *f == from && *x == a)
                    .map(|t| t.2);
                assert_eq!(from.after(a), want, "{from:?} --{a:?}-->");
            }
        }
        // Accepted, withdrawn and superseded offers are final.
        for done in [S::Accepted, S::Withdrawn, S::Superseded] {
            assert!(actions.iter().all(|a| done.after(*a).is_none()), "{done:?}");
        }
        assert_eq!(OfferStatus::from_states(A::Accept), vec!["sent"]);
        assert_eq!(
            OfferStatus::from_states(A::Revise),
            vec!["pending_approval", "rejected", "sent", "declined"]
        );
        for s in S::ALL {
            assert_eq!(OfferStatus::parse(s.as_str()), Some(s));
        }
    }

    fn form() -> OfferForm {
        OfferForm {
            base_salary: "85,000".into(),
            currency: "eur".into(),
            period: "YEAR".into(),
            bonus: "10% of base".into(),
            equity: String::new(),
            start_date: "2027-02-01".into(),
            letter: DEFAULT_LETTER.into(),
            approvers: vec!["a".into(), "b".into(), "a".into()],
        }
    }

    #[test]
    fn offers_are_checked_field_by_field() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let ok = OfferInput::parse(&form(), today).unwrap();
        assert_eq!(ok.base_salary, 85_000);
        assert_eq!(ok.currency, "EUR");
        assert_eq!(ok.approvers, vec!["a", "b"]);
        assert_eq!(ok.equity, None);
        let bad = OfferInput::parse(
            &OfferForm {
                base_salary: "lots".into(),
                currency: "euro".into(),
                period: "WEEK".into(),
                start_date: "2026-11-30".into(),
                letter: "Hi {{nickname}}".into(),
                approvers: vec![],
                ..form()
            },
            today,
        )
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "base_salary",
                "currency",
                "period",
                "start_date",
                "letter",
                "approvers"
            ]
        );
        assert!(bad[4].1.contains("{{nickname}}"), "{}", bad[4].1);
    }

    #[test]
    fn letters_fill_their_tokens() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let input = OfferInput::parse(&form(), today).unwrap();
        let v = input.letter_values(
            "Ada Lovelace",
            "Platform engineer",
            "Acme",
            "Morgan Manager",
        );
        let letter = render_letter(DEFAULT_LETTER, &v);
        assert!(letter.starts_with("Dear Ada,"), "{letter}");
        assert!(letter.contains("Platform engineer at Acme"));
        assert!(letter.contains("EUR 85,000 per year"));
        assert!(letter.contains("first day 1 Feb 2027"));
        assert!(letter.contains("Bonus: 10% of base\nEquity: none"));
        assert!(letter.contains("Morgan Manager and the whole team"));
        assert!(!letter.contains("{{"));
        assert!(check_letter("Dear {{ first_name }}").is_ok());
        assert!(check_letter("Dear {{first_name").is_err());
    }

    #[test]
    fn the_signature_is_the_candidates_name() {
        assert!(signature_matches("ada  lovelace", "Ada Lovelace"));
        assert!(signature_matches(" Ada Lovelace ", "Ada Lovelace"));
        assert!(!signature_matches("Ada", "Ada Lovelace"));
        assert!(!signature_matches("", ""));
    }
}
