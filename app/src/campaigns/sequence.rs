//! Campaign sequences: email, wait and condition steps, and the rules they must follow.

use crate::error::{AppResult, Checks};
use crate::templates::check_template;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Opened,
    Clicked,
    Replied,
    Applied,
}

impl Event {
    pub const ALL: [Event; 4] = [
        Event::Opened,
        Event::Clicked,
        Event::Replied,
        Event::Applied,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Opened => "opened",
            Event::Clicked => "clicked",
            Event::Replied => "replied",
            Event::Applied => "applied",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Event::Opened => "opened an email",
            Event::Clicked => "clicked a link",
            Event::Replied => "replied",
            Event::Applied => "applied to a job",
        }
    }
}

/// Where a condition leads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", content = "step", rename_all = "snake_case")]
pub enum Branch {
    Continue,
    Stop,
    Goto(String),
}

impl Branch {
    /// From a form value: `continue`, `stop` or a step id.
    pub fn parse(s: &str) -> Self {
        match s {
            "" | "continue" => Branch::Continue,
            "stop" => Branch::Stop,
            id => Branch::Goto(id.to_string()),
        }
    }
    pub fn form_value(&self) -> String {
        match self {
            Branch::Continue => "continue".into(),
            Branch::Stop => "stop".into(),
            Branch::Goto(id) => id.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    Email {
        id: String,
        subject: String,
        /// Subject for variant B of an A/B test.
        subject_b: Option<String>,
        body: String,
    },
    Wait {
        id: String,
        days: u32,
        /// `YYYY-MM-DD`: wait until this day instead of a number of days.
        until: Option<String>,
    },
    Condition {
        id: String,
        event: Event,
        then: Branch,
        otherwise: Branch,
    },
}

impl Step {
    pub fn id(&self) -> &str {
        match self {
            Step::Email { id, .. } | Step::Wait { id, .. } | Step::Condition { id, .. } => id,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Email { .. } => "email",
            Step::Wait { .. } => "wait",
            Step::Condition { .. } => "condition",
        }
    }
    /// One line describing the step, for lists and reports.
    pub fn describe(&self, steps: &[Step]) -> String {
        let target = |b: &Branch| match b {
            Branch::Continue => "continue".to_string(),
            Branch::Stop => "stop".to_string(),
            Branch::Goto(id) => match steps.iter().position(|s| s.id() == id) {
                Some(i) => format!("go to step {}", i + 1),
                None => "continue".to_string(),
            },
        };
        match self {
            Step::Email {
                subject, subject_b, ..
            } => match subject_b {
                Some(b) if !b.trim().is_empty() => format!("Email “{subject}” (A/B: “{b}”)"),
                _ => format!("Email “{subject}”"),
            },
            Step::Wait {
                days,
                until: Some(u),
                ..
            } if !u.is_empty() => {
                let _ = days;
                format!("Wait until {u}")
            }
            Step::Wait { days, .. } => {
                format!("Wait {days} day{}", if *days == 1 { "" } else { "s" })
            }
            Step::Condition {
                event,
                then,
                otherwise,
                ..
            } => {
                format!(
                    "If they {}: {}; otherwise: {}",
                    event.label(),
                    target(then),
                    target(otherwise)
                )
            }
        }
    }
}

/// Checks a whole sequence before launch (and reports every problem).
pub fn validate(steps: &[Step]) -> AppResult<()> {
    let mut c = Checks::new();
    if !steps.iter().any(|s| matches!(s, Step::Email { .. })) {
        c.add("steps", "Add at least one email step.");
    }
    for (i, s) in steps.iter().enumerate() {
        let n = i + 1;
        match s {
            Step::Email {
                subject,
                subject_b,
                body,
                ..
            } => {
                if subject.trim().is_empty() {
                    c.add("steps", format!("Step {n}: enter a subject."));
                } else if let Err(m) = check_template(subject) {
                    c.add("steps", format!("Step {n}: {m}"));
                }
                if let Some(b) = subject_b
                    && let Err(m) = check_template(b)
                {
                    c.add("steps", format!("Step {n} (subject B): {m}"));
                }
                if body.trim().is_empty() {
                    c.add("steps", format!("Step {n}: write the message."));
                } else if let Err(m) = check_template(body) {
                    c.add("steps", format!("Step {n}: {m}"));
                }
            }
            Step::Wait { days, until, .. } => {
                let has_until = until.as_deref().is_some_and(|u| !u.is_empty());
                if has_until {
                    if chrono::NaiveDate::parse_from_str(until.as_deref().unwrap_or(""), "%Y-%m-%d")
                        .is_err()
                    {
                        c.add("steps", format!("Step {n}: enter the date as 2027-01-31."));
                    }
                } else if !(1..=365).contains(days) {
                    c.add("steps", format!("Step {n}: wait between 1 and 365 days."));
                }
            }
            Step::Condition {
                then, otherwise, ..
            } => {
                for b in [then, otherwise] {
                    if let Branch::Goto(target) = b {
                        match steps.iter().position(|s| s.id() == target) {
                            Some(j) if j > i => {}
                            Some(_) => c.add(
                                "steps",
                                format!("Step {n}: a condition can only jump forward."),
                            ),
                            None => c.add(
                                "steps",
                                format!("Step {n}: the step to jump to no longer exists."),
                            ),
                        }
                    }
                }
                if i == 0 {
                    c.add(
                        "steps",
                        "A sequence cannot start with a condition: begin with an email."
                            .to_string(),
                    );
                }
            }
        }
    }
    c.finish()
}

/// Where an enrollment goes after a condition: `Ok(Some(index))`, or `Ok(None)` to stop.
pub fn branch_target(steps: &[Step], current: usize, branch: &Branch) -> Option<usize> {
    match branch {
        Branch::Continue => Some(current + 1),
        Branch::Stop => None,
        Branch::Goto(id) => steps
            .iter()
            .position(|s| s.id() == id)
            .or(Some(current + 1)),
    }
}

/// A deterministic 50/50 split for A/B tests.
pub fn variant_for(person_key: &str) -> &'static str {
    let h = person_key
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    if h % 2 == 0 { "A" } else { "B" }
}

/// How many people each step can reach at most, given the audience size.
pub fn reach(steps: &[Step], audience: i64) -> Vec<(String, i64, bool)> {
    let mut out = Vec::new();
    let mut after_condition = false;
    for s in steps {
        out.push((s.id().to_string(), audience, after_condition));
        if matches!(s, Step::Condition { .. }) {
            after_condition = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(id: &str) -> Step {
        Step::Email {
            id: id.into(),
            subject: "Hi {{first_name}}".into(),
            subject_b: None,
            body: "Body".into(),
        }
    }

    #[test]
    fn sequences_need_an_email_and_forward_jumps() {
        assert!(validate(&[]).is_err());
        let ok = vec![
            email("a"),
            Step::Wait {
                id: "w".into(),
                days: 3,
                until: None,
            },
            Step::Condition {
                id: "c".into(),
                event: Event::Opened,
                then: Branch::Goto("b".into()),
                otherwise: Branch::Stop,
            },
            email("b"),
        ];
        assert!(validate(&ok).is_ok());
        let backwards = vec![
            email("a"),
            Step::Condition {
                id: "c".into(),
                event: Event::Clicked,
                then: Branch::Goto("a".into()),
                otherwise: Branch::Continue,
            },
        ];
        assert!(
            validate(&backwards)
                .unwrap_err()
                .to_string()
                .contains("correct")
        );
        let bad_wait = vec![
            email("a"),
            Step::Wait {
                id: "w".into(),
                days: 0,
                until: None,
            },
        ];
        assert!(validate(&bad_wait).is_err());
        let bad_token = vec![Step::Email {
            id: "a".into(),
            subject: "Hi {{nme}}".into(),
            subject_b: None,
            body: "x".into(),
        }];
        assert!(validate(&bad_token).is_err());
    }

    #[test]
    fn branches_resolve_to_indexes() {
        let steps = vec![email("a"), email("b"), email("c")];
        assert_eq!(branch_target(&steps, 0, &Branch::Continue), Some(1));
        assert_eq!(branch_target(&steps, 0, &Branch::Goto("c".into())), Some(2));
        assert_eq!(branch_target(&steps, 0, &Branch::Stop), None);
        assert_eq!(Branch::parse("stop"), Branch::Stop);
        assert_eq!(Branch::parse("c"), Branch::Goto("c".into()));
    }

    #[test]
    fn variants_split_people_evenly_and_stably() {
        let keys: Vec<String> = (0..1000).map(|i| format!("person{i}")).collect();
        let a = keys.iter().filter(|k| variant_for(k) == "A").count();
        assert!((400..=600).contains(&a), "{a}");
        assert_eq!(variant_for("x1"), variant_for("x1"));
    }

    #[test]
    fn steps_describe_themselves() {
        let steps = vec![
            email("a"),
            Step::Wait {
                id: "w".into(),
                days: 1,
                until: None,
            },
            Step::Condition {
                id: "c".into(),
                event: Event::Replied,
                then: Branch::Stop,
                otherwise: Branch::Goto("d".into()),
            },
            email("d"),
        ];
        assert_eq!(steps[1].describe(&steps), "Wait 1 day");
        assert_eq!(
            steps[2].describe(&steps),
            "If they replied: stop; otherwise: go to step 4"
        );
        let r = reach(&steps, 40);
        assert_eq!(r[3], ("d".into(), 40, true));
    }
}
