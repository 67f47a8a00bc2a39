//! The campaign step decision, as a pure function: given where an enrollment stands and what
//! the engine loaded about its person, what happens now. The engine (`engine.rs`) loads, calls
//! [`decide`] for every claimed enrollment and records the outcomes; the table of cases below
//! is the specification.

use super::schedule::{Window, earliest_send};
use super::sequence::{Event, Step, branch_target};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// Everything [`decide`] needs about one enrollment, loaded by the engine.
pub struct Situation<'a> {
    pub steps: &'a [Step],
    /// The step the enrollment is at.
    pub index: usize,
    pub now: DateTime<Utc>,
    /// When the enrollment entered this step (waits count from here).
    pub step_started_at: Option<DateTime<Utc>>,
    /// False when the person unsubscribed (from everything or this topic), withdrew consent, or
    /// has no basis a campaign may use (see `privacy::types::campaign_may_reach`).
    pub reachable: bool,
    /// The person's last campaign email (or now, when this pass already mailed them).
    pub last_contacted_at: Option<DateTime<Utc>>,
    /// Days between two campaign emails to one person (0: no cap).
    pub cap_days: i64,
    /// The person's time zone (their own or the CRM's default).
    pub tz: Tz,
    pub window: Option<&'a Window>,
}

/// What happens to one enrollment now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// It leaves the campaign, for this reason.
    Stop(&'static str),
    /// It has done every step.
    Complete,
    /// It stays at its step and is looked at again then (a wait, a send window, the cap).
    Later(DateTime<Utc>),
    /// The email of this step goes out now; then the enrollment is at `next` (completed when
    /// that is past the last step).
    Send { next: usize, completes: bool },
    /// It moves to step `to` now (completed when that is past the last step).
    Go { to: usize, completes: bool },
}

/// Decides the next move of one enrollment. `happened` tells whether the person did something
/// (opened, clicked, replied, applied) since they were enrolled.
pub fn decide(s: &Situation, happened: impl Fn(Event) -> bool) -> Decision {
    if !s.reachable {
        return Decision::Stop("unsubscribed");
    }
    let Some(step) = s.steps.get(s.index) else {
        return Decision::Complete;
    };
    let past_end = |i: usize| i >= s.steps.len();
    match step {
        Step::Email { .. } => {
            let when = earliest_send(s.now, s.last_contacted_at, s.cap_days, s.tz, s.window);
            if when > s.now {
                Decision::Later(when)
            } else {
                Decision::Send {
                    next: s.index + 1,
                    completes: past_end(s.index + 1),
                }
            }
        }
        Step::Wait { days, until, .. } => {
            let started = s.step_started_at.unwrap_or(s.now);
            let due = until
                .as_deref()
                .filter(|u| !u.is_empty())
                .and_then(|u| day_start(u, s.tz))
                .unwrap_or_else(|| started + Duration::days(*days as i64));
            if due > s.now {
                Decision::Later(due)
            } else {
                Decision::Go {
                    to: s.index + 1,
                    completes: past_end(s.index + 1),
                }
            }
        }
        Step::Condition {
            event,
            then,
            otherwise,
            ..
        } => {
            let branch = if happened(*event) { then } else { otherwise };
            match branch_target(s.steps, s.index, branch) {
                None => Decision::Stop("stopped by a condition"),
                Some(t) => Decision::Go {
                    to: t,
                    completes: past_end(t),
                },
            }
        }
    }
}

/// Midnight of `date` (YYYY-MM-DD) in `tz`.
pub fn day_start(date: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::sequence::Branch;

    fn email(id: &str) -> Step {
        Step::Email {
            id: id.into(),
            subject: "Hi".into(),
            subject_b: None,
            body: "Hello".into(),
        }
    }
    fn wait(id: &str, days: u32, until: Option<&str>) -> Step {
        Step::Wait {
            id: id.into(),
            days,
            until: until.map(str::to_string),
        }
    }
    fn condition(id: &str, then: Branch, otherwise: Branch) -> Step {
        Step::Condition {
            id: id.into(),
            event: Event::Clicked,
            then,
            otherwise,
        }
    }
    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// One row of the table: a situation and the decision it must give.
    #[derive(Clone)]
    struct Case {
        name: &'static str,
        index: usize,
        reachable: bool,
        started: Option<&'static str>,
        last_contact: Option<&'static str>,
        cap_days: i64,
        clicked: bool,
        expect: Decision,
    }

    #[test]
    fn the_step_decision_table() {
        let steps = vec![
            email("e1"),                                                  // 0
            wait("w1", 2, None),                                          // 1
            condition("c1", Branch::Continue, Branch::Goto("e3".into())), // 2
            email("e2"),                                                  // 3
            condition("c2", Branch::Stop, Branch::Continue),              // 4
            email("e3"),                                                  // 5
            wait("w2", 0, Some("2026-12-24")),                            // 6
        ];
        let now = "2026-12-01T10:00:00Z";
        let base = Case {
            name: "",
            index: 0,
            reachable: true,
            started: None,
            last_contact: None,
            cap_days: 0,
            clicked: false,
            expect: Decision::Complete,
        };
        let cases = [
            Case {
                name: "an email step sends and moves on",
                expect: Decision::Send {
                    next: 1,
                    completes: false,
                },
                ..base.clone()
            },
            Case {
                name: "the unsubscribed leave",
                reachable: false,
                expect: Decision::Stop("unsubscribed"),
                ..base.clone()
            },
            Case {
                name: "the frequency cap holds an email back",
                last_contact: Some("2026-11-30T10:00:00Z"),
                cap_days: 3,
                expect: Decision::Later(t("2026-12-03T10:00:00Z")),
                ..base.clone()
            },
            Case {
                name: "an old contact does not hold it back",
                last_contact: Some("2026-11-20T10:00:00Z"),
                cap_days: 3,
                expect: Decision::Send {
                    next: 1,
                    completes: false,
                },
                ..base.clone()
            },
            Case {
                name: "a wait that has not passed",
                index: 1,
                started: Some("2026-11-30T10:00:00Z"),
                expect: Decision::Later(t("2026-12-02T10:00:00Z")),
                ..base.clone()
            },
            Case {
                name: "a wait that has passed",
                index: 1,
                started: Some("2026-11-29T09:00:00Z"),
                expect: Decision::Go {
                    to: 2,
                    completes: false,
                },
                ..base.clone()
            },
            Case {
                name: "a condition met continues",
                index: 2,
                clicked: true,
                expect: Decision::Go {
                    to: 3,
                    completes: false,
                },
                ..base.clone()
            },
            Case {
                name: "a condition not met jumps",
                index: 2,
                expect: Decision::Go {
                    to: 5,
                    completes: false,
                },
                ..base.clone()
            },
            Case {
                name: "a condition can stop",
                index: 4,
                clicked: true,
                expect: Decision::Stop("stopped by a condition"),
                ..base.clone()
            },
            Case {
                name: "a wait until a date, in the person's zone",
                index: 6,
                expect: Decision::Later(t("2026-12-23T23:00:00Z")),
                ..base.clone()
            },
            Case {
                name: "past the last step is complete",
                index: 7,
                expect: Decision::Complete,
                ..base.clone()
            },
        ];
        for c in cases {
            let s = Situation {
                steps: &steps,
                index: c.index,
                now: t(now),
                step_started_at: c.started.map(t),
                reachable: c.reachable,
                last_contacted_at: c.last_contact.map(t),
                cap_days: c.cap_days,
                tz: chrono_tz::Europe::Berlin,
                window: None,
            };
            let clicked = c.clicked;
            assert_eq!(decide(&s, |_| clicked), c.expect, "{}", c.name);
        }
    }

    #[test]
    fn the_last_email_completes_the_enrollment() {
        let steps = vec![email("only")];
        let s = Situation {
            steps: &steps,
            index: 0,
            now: t("2026-12-01T10:00:00Z"),
            step_started_at: None,
            reachable: true,
            last_contacted_at: None,
            cap_days: 0,
            tz: chrono_tz::UTC,
            window: None,
        };
        assert_eq!(
            decide(&s, |_| false),
            Decision::Send {
                next: 1,
                completes: true
            }
        );
    }
}
