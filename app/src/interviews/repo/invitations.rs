//! Calendar invitations of bookings: one per panelist and one to the candidate, each in the
//! recipient's own zone, and the candidate's own copy to save.

use super::*;
use crate::interviews::invite::{Invite, Method, Party};
use crate::server::mail::{Mailer, NewMail};

/// How bookings reach people: the mailer, and what links and signatures need.
#[derive(Clone, Copy)]
pub struct Mailing<'a> {
    pub mailer: &'a Mailer,
    pub public_url: &'a str,
    pub company: &'a str,
}

impl<'a> Mailing<'a> {
    pub fn of(st: &'a crate::server::AppState) -> Self {
        Self {
            mailer: &st.mailer,
            public_url: &st.config.public_url,
            company: &st.config.company_name,
        }
    }
}

/// An interview as its invitations describe it.
pub(super) struct Booked<'a> {
    pub(super) id: &'a RecordId,
    pub(super) person: &'a RecordId,
    pub(super) sequence: i64,
    pub(super) name: &'a str,
    pub(super) format: &'a str,
    pub(super) location: &'a str,
    pub(super) job_title: &'a str,
    pub(super) starts_at: DateTime<Utc>,
    pub(super) ends_at: DateTime<Utc>,
    pub(super) candidate: Party,
    pub(super) candidate_zone: chrono_tz::Tz,
    pub(super) panel: &'a [StaffRow],
}

/// The calendar object every copy starts from (organizer, attendees, times, place).
fn base_invite(m: &Mailing, b: &Booked) -> Invite {
    let (org_name, org_email) = m.mailer.sender();
    Invite {
        interview_key: key(b.id),
        sequence: b.sequence,
        summary: String::new(),
        description: String::new(),
        location: b.location.to_string(),
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        organizer: Party {
            name: org_name,
            email: org_email,
        },
        attendees: b
            .panel
            .iter()
            .map(|s| Party {
                name: s.name.clone(),
                email: s.email.clone(),
            })
            .chain([b.candidate.clone()])
            .collect(),
    }
}

/// The candidate's copy: its title and text.
fn candidate_copy(m: &Mailing, b: &Booked, lead: &str) -> (String, String) {
    let when = slots::label(b.starts_at, b.ends_at, b.candidate_zone);
    let summary = format!("{} interview with {} ({})", b.name, m.company, b.job_title);
    let description = format!(
        "Hello {},\n\nYour {} interview for {} at {} {lead}.\n\nWhen: {when}\nWhere: {}\n\
         With: {}\n\nYour interviews, and the times in your own time zone, are in your \
         candidate portal:\n{}/portal\n\n{}\n",
        b.candidate.name,
        b.name,
        b.job_title,
        m.company,
        place(b),
        panel_names(b),
        m.public_url,
        m.company,
    );
    (summary, description)
}

fn place(b: &Booked) -> String {
    let format = Format::parse(b.format).unwrap_or(Format::Video);
    if b.location.is_empty() {
        format.label().to_string()
    } else {
        format!("{}: {}", format.label(), b.location)
    }
}

fn panel_names(b: &Booked) -> String {
    b.panel
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The candidate's own copy of a scheduled interview as a calendar file to save (PUBLISH:
/// the same UID and SEQUENCE as the invitations, times in their zone).
pub fn calendar_copy(m: &Mailing, iv: &InterviewRow, panel: &[StaffRow]) -> String {
    let mut b = booked(iv, panel, slots::zone(DEFAULT_ZONE));
    b.sequence = iv.sequence;
    let (summary, description) = candidate_copy(m, &b, "is booked");
    Invite {
        summary,
        description,
        ..base_invite(m, &b)
    }
    .to_ics(Method::Publish, b.candidate_zone)
}

/// One invitation (or cancellation) per panelist and one to the candidate, each with times in
/// the recipient's own zone.
pub(super) fn invitations(m: &Mailing, b: &Booked, method: Method) -> Vec<NewMail> {
    let invite = base_invite(m, b);
    let place = place(b);
    let (verb, lead) = match method {
        Method::Cancel => ("Cancelled", "has been cancelled"),
        _ if b.sequence > 0 => ("Moved", "has moved to a new time"),
        _ => ("Invitation", "is booked"),
    };
    let panel_names = panel_names(b);
    let mut out = Vec::new();
    for s in b.panel {
        let zone = slots::zone(&s.zone_name());
        let when = slots::label(b.starts_at, b.ends_at, zone);
        let summary = format!("{}: {} ({})", b.name, b.candidate.name, b.job_title);
        let description = format!(
            "{} with {} for {} {lead}.\n\nWhen: {when}\nWhere: {place}\nPanel: {panel_names}\n\n\
             The interview kit, the resume and your scorecard:\n{}/app/interviews/{}\n",
            b.name,
            b.candidate.name,
            b.job_title,
            m.public_url,
            key(b.id),
        );
        let ics = Invite {
            summary: summary.clone(),
            description: description.clone(),
            ..invite.clone()
        }
        .to_ics(method, zone);
        out.push(
            m.mailer
                .compose(
                    "interview_invite",
                    &s.email,
                    &s.name,
                    &format!(
                        "{verb}: {summary} · {}",
                        slots::short_label(b.starts_at, zone)
                    ),
                    &description,
                )
                .calendar(ics),
        );
    }
    let zone = b.candidate_zone;
    let (summary, description) = candidate_copy(m, b, lead);
    let ics = Invite {
        summary: summary.clone(),
        description: description.clone(),
        ..invite
    }
    .to_ics(method, zone);
    out.push(
        m.mailer
            .compose(
                "interview_invite",
                &b.candidate.email,
                &b.candidate.name,
                &format!(
                    "{verb}: {summary} · {}",
                    slots::short_label(b.starts_at, zone)
                ),
                &description,
            )
            .person(b.person.clone())
            .calendar(ics),
    );
    out
}

/// The interview `iv` as its next invitations describe it (the next SEQUENCE), the candidate's
/// times in their own zone, else `zone`.
pub(super) fn booked<'a>(
    iv: &'a InterviewRow,
    panel: &'a [StaffRow],
    zone: chrono_tz::Tz,
) -> Booked<'a> {
    Booked {
        id: &iv.id,
        person: &iv.person,
        sequence: iv.sequence + 1,
        name: &iv.name,
        format: &iv.format,
        location: &iv.location,
        job_title: &iv.job_title,
        starts_at: iv.starts_at,
        ends_at: iv.ends_at,
        candidate: Party {
            name: format!("{} {}", iv.first_name, iv.last_name),
            email: iv.email.clone(),
        },
        candidate_zone: iv
            .candidate_zone
            .as_deref()
            .map(slots::zone)
            .unwrap_or(zone),
        panel,
    }
}
