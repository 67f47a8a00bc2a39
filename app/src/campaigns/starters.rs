//! Sequences to start from: a sourcer picks one when creating a campaign and edits its steps,
//! instead of facing an empty builder.

use super::sequence::{Branch, Event, Step};

/// `(key, name, what it is for)`, in the order the "Start from" choice lists them.
pub const STARTERS: [(&str, &str, &str); 3] = [
    (
        "silver_medalists",
        "Re-engage silver medalists",
        "Two emails a week apart to people who came close; the second only to those who did not reply.",
    ),
    (
        "event_follow_up",
        "Event follow-up",
        "Thanks for coming the next day, open roles a week later unless they already clicked.",
    ),
    (
        "new_role",
        "New role announcement",
        "Announce the campaign's job, and remind those who did not open it (choose the job in the options).",
    ),
];

fn email(id: &str, subject: &str, subject_b: Option<&str>, body: &str) -> Step {
    Step::Email {
        id: id.into(),
        subject: subject.into(),
        subject_b: subject_b.map(str::to_string),
        body: body.into(),
    }
}

fn wait(id: &str, days: u32) -> Step {
    Step::Wait {
        id: id.into(),
        days,
        until: None,
    }
}

fn stop_if(id: &str, event: Event) -> Step {
    Step::Condition {
        id: id.into(),
        event,
        then: Branch::Stop,
        otherwise: Branch::Continue,
    }
}

/// The steps of starter `key`, with step ids made from `prefix` (unique per campaign), or
/// `None` for an unknown key.
pub fn steps(key: &str, prefix: &str) -> Option<Vec<Step>> {
    let id = |n: u32| format!("{prefix}{n}");
    Some(match key {
        "silver_medalists" => vec![
            email(
                &id(1),
                "{{first_name}}, we would love to talk again",
                Some("New roles at {{company}}, with you in mind"),
                "Hi {{first_name}},\n\nWhen you interviewed with {{company}} you came very close, and the team remembers you. We have opened new roles since then, and some of them look like a good fit for you:\n\n{{jobs_url}}\n\nIf one of them speaks to you, just reply to this email and we will take it from there.\n\nBest wishes,\nThe {{company}} recruiting team",
            ),
            wait(&id(2), 7),
            stop_if(&id(3), Event::Replied),
            email(
                &id(4),
                "Still open to a conversation, {{first_name}}?",
                None,
                "Hi {{first_name}},\n\nA short follow-up on my last note: we would still be glad to hear from you. Reply with a time that suits you, or have a look at what is open:\n\n{{jobs_url}}\n\nThe {{company}} recruiting team",
            ),
        ],
        "event_follow_up" => vec![
            email(
                &id(1),
                "Thank you for coming, {{first_name}}",
                None,
                "Hi {{first_name}},\n\nThank you for joining us at the event. It was good to meet you, and we hope you enjoyed the evening.\n\nIf you would like to hear what we are working on, reply to this email: we are always glad to talk.\n\nThe {{company}} team",
            ),
            wait(&id(2), 7),
            stop_if(&id(3), Event::Clicked),
            email(
                &id(4),
                "Roles at {{company}} you might like",
                None,
                "Hi {{first_name}},\n\nSince we met, a few roles have opened that people at the event asked about:\n\n{{jobs_url}}\n\nApplying takes two minutes, and you can always reply with questions first.\n\nThe {{company}} team",
            ),
        ],
        "new_role" => vec![
            email(
                &id(1),
                "New at {{company}}: {{job_title}}",
                Some("{{first_name}}, this {{job_title}} role could be yours"),
                "Hi {{first_name}},\n\nWe have just opened a role we think you would be great at: {{job_title}}.\n\nRead about it and apply here:\n{{job_url}}\n\nQuestions first? Reply to this email.\n\nThe {{company}} recruiting team",
            ),
            wait(&id(2), 4),
            stop_if(&id(3), Event::Opened),
            email(
                &id(4),
                "In case you missed it: {{job_title}} at {{company}}",
                None,
                "Hi {{first_name}},\n\nIn case my last email got buried: we are hiring a {{job_title}}, and you came to mind.\n\n{{job_url}}\n\nThe {{company}} recruiting team",
            ),
        ],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_starter_is_a_valid_sequence_with_its_own_step_ids() {
        for (key, name, _) in STARTERS {
            let steps = steps(key, "x").unwrap_or_else(|| panic!("{name} has steps"));
            super::super::sequence::validate(&steps).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut ids: Vec<&str> = steps.iter().map(|s| s.id()).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), steps.len(), "{name}: ids are unique");
            assert!(ids.iter().all(|i| i.starts_with('x')));
        }
        assert!(steps("nothing", "x").is_none());
    }
}
