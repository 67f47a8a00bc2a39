//! Calendar invites (RFC 5545 objects sent with the RFC 5546 methods REQUEST and CANCEL, and
//! PUBLISH for a download). One UID per interview, stable across reschedules; the SEQUENCE
//! grows with every change, so calendars replace the old event instead of adding another.
//! Times carry a TZID in the recipient's own zone, with the VTIMEZONE that defines it.

use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{
    Attendee, Calendar, CalendarComponent, CalendarDateTime, Component, Event, EventLike,
    EventStatus,
};
use icalendar::{PartStat, Role};

/// What a calendar does with the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Put it in (or update it in) the attendee's calendar.
    Request,
    /// Take it out.
    Cancel,
    /// A copy to save (a download), not a meeting request.
    Publish,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
            Method::Publish => "PUBLISH",
        }
    }
}

/// Someone taking part.
#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    pub email: String,
}

/// One interview as calendars see it.
#[derive(Debug, Clone)]
pub struct Invite {
    /// The interview's key: the UID is derived from it and the organizer's domain.
    pub interview_key: String,
    pub sequence: i64,
    pub summary: String,
    pub description: String,
    /// The address, or the video link.
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub organizer: Party,
    pub attendees: Vec<Party>,
}

impl Invite {
    /// The same for every copy and every change of this interview.
    pub fn uid(&self) -> String {
        let domain = self
            .organizer
            .email
            .rsplit_once('@')
            .map(|(_, d)| d)
            .unwrap_or("localhost");
        format!("interview-{}@{domain}", self.interview_key)
    }

    /// The iCalendar text, with times in `zone`.
    pub fn to_ics(&self, method: Method, zone: Tz) -> String {
        let mut event = Event::new();
        event
            .uid(&self.uid())
            .sequence(self.sequence.max(0) as u32)
            .timestamp(Utc::now())
            .summary(&self.summary)
            .description(&self.description)
            .status(if method == Method::Cancel {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        if !self.location.is_empty() {
            event.location(&self.location);
            if self.location.starts_with("https://") {
                event.url(&self.location);
            }
        }
        let timezone = vtimezone(zone, self.starts_at, self.ends_at);
        if timezone.is_some() {
            let local = |t: DateTime<Utc>| CalendarDateTime::WithTimezone {
                date_time: t.with_timezone(&zone).naive_local(),
                tzid: zone.name().to_string(),
            };
            event
                .starts(local(self.starts_at))
                .ends(local(self.ends_at));
        } else {
            event
                .starts(CalendarDateTime::Utc(self.starts_at))
                .ends(CalendarDateTime::Utc(self.ends_at));
        }
        let mut organizer =
            icalendar::Property::new("ORGANIZER", format!("mailto:{}", self.organizer.email));
        organizer.add_parameter("CN", &self.organizer.name);
        event.append_property(organizer);
        for a in &self.attendees {
            event.attendee(
                Attendee::new(format!("mailto:{}", a.email))
                    .cn(a.name.clone())
                    .role(Role::ReqParticipant)
                    .partstat(PartStat::NeedsAction)
                    .rsvp(false),
            );
        }
        let mut cal = Calendar::empty();
        cal.append_property(("PRODID", "-//Acme ATS//Interviews//EN"))
            .append_property(("VERSION", "2.0"))
            .append_property(("CALSCALE", "GREGORIAN"))
            .append_property(("METHOD", method.as_str()));
        if let Some(tz) = timezone {
            cal.push(tz);
        }
        cal.push(event.done());
        cal.to_string()
    }
}

/// A VTIMEZONE for `zone` valid over the interview: the one offset in force then. (An
/// interview never spans a change of offset in working hours; if one did, the times are
/// written in UTC instead and `None` is returned.)
fn vtimezone(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Option<CalendarComponent> {
    let a = zone.offset_from_utc_datetime(&start.naive_utc());
    let b = zone.offset_from_utc_datetime(&end.naive_utc());
    if a.fix() != b.fix() {
        return None;
    }
    let seconds = a.fix().local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let offset = format!(
        "{sign}{:02}{:02}",
        seconds.abs() / 3600,
        seconds.abs() % 3600 / 60
    );
    let kind = if a.dst_offset().is_zero() {
        "STANDARD"
    } else {
        "DAYLIGHT"
    };
    let name = a.abbreviation().unwrap_or(&offset).to_string();
    let text = format!(
        "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:{kind}\r\nDTSTART:19700101T000000\r\n\
         TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nTZNAME:{name}\r\nEND:{kind}\r\n\
         END:VTIMEZONE\r\nEND:VCALENDAR\r\n",
        tzid = zone.name(),
    );
    let parsed: Calendar = text.parse().ok()?;
    parsed.components.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite() -> Invite {
        Invite {
            interview_key: "abc".into(),
            sequence: 2,
            summary: "Technical interview: Ada Lovelace".into(),
            description: "Kit, questions; and a long line that needs folding because calendars \
                          want lines of at most seventy-five octets each."
                .into(),
            location: "https://meet.example.com/abc".into(),
            starts_at: Utc.with_ymd_and_hms(2026, 7, 1, 13, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 7, 1, 14, 0, 0).unwrap(),
            organizer: Party {
                name: "Acme Careers".into(),
                email: "careers@acme.test".into(),
            },
            attendees: vec![
                Party {
                    name: "Parker Lee".into(),
                    email: "parker@acme.test".into(),
                },
                Party {
                    name: "Ada Lovelace".into(),
                    email: "ada@example.com".into(),
                },
            ],
        }
    }

    #[test]
    fn request_carries_uid_sequence_zone_and_attendees() {
        let ics = invite().to_ics(Method::Request, chrono_tz::Europe::Berlin);
        assert!(ics.contains("METHOD:REQUEST\r\n"), "{ics}");
        assert!(ics.contains("UID:interview-abc@acme.test\r\n"));
        assert!(ics.contains("SEQUENCE:2\r\n"));
        // 13:00 UTC is 15:00 in Berlin in July (CEST, +0200).
        assert!(
            ics.contains("DTSTART;TZID=Europe/Berlin:20260701T150000\r\n"),
            "{ics}"
        );
        assert!(ics.contains("TZOFFSETTO:+0200\r\n"));
        assert!(ics.contains("BEGIN:DAYLIGHT\r\n"));
        assert!(ics.contains("mailto:parker@acme.test"));
        assert!(ics.contains("mailto:ada@example.com"));
        assert!(ics.contains("ORGANIZER;CN=Acme Careers:mailto:careers@acme.test"));
        assert!(ics.lines().all(|l| l.len() <= 75), "folded: {ics}");
    }

    #[test]
    fn cancel_and_zones_west_of_utc() {
        let ics = invite().to_ics(Method::Cancel, chrono_tz::America::New_York);
        assert!(ics.contains("METHOD:CANCEL\r\n"));
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
        assert!(ics.contains("DTSTART;TZID=America/New_York:20260701T090000\r\n"));
        assert!(ics.contains("TZOFFSETFROM:-0400\r\n"));
    }

    #[test]
    fn an_interview_across_a_change_of_offset_is_written_in_utc() {
        let mut iv = invite();
        // Europe/Berlin moves its clocks at 01:00 UTC on 2026-03-29.
        iv.starts_at = Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap();
        iv.ends_at = Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap();
        let ics = iv.to_ics(Method::Request, chrono_tz::Europe::Berlin);
        assert!(ics.contains("DTSTART:20260329T003000Z\r\n"), "{ics}");
        assert!(!ics.contains("VTIMEZONE"));
    }
}
