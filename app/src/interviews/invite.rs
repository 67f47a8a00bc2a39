//! Calendar invites (RFC 5545 objects sent with the RFC 5546 methods REQUEST and CANCEL, and
//! PUBLISH for a download). One UID per interview, stable across reschedules; the SEQUENCE
//! grows with every change, so calendars replace the old event instead of adding another.
//! Times carry a TZID in the recipient's own zone, with the VTIMEZONE that defines it.

use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Attendee, Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
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
        let local = |t: DateTime<Utc>| CalendarDateTime::WithTimezone {
            date_time: t.with_timezone(&zone).naive_local(),
            tzid: zone.name().to_string(),
        };
        event
            .starts(local(self.starts_at))
            .ends(local(self.ends_at));
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
        cal.push(event.done());
        // The zone's definition goes before the event. It is written as text: the calendar
        // library would give it (and each observance) a UID and a DTSTAMP, which a VTIMEZONE
        // does not have.
        cal.to_string().replacen(
            "BEGIN:VEVENT\r\n",
            &format!(
                "{}BEGIN:VEVENT\r\n",
                vtimezone(zone, self.starts_at, self.ends_at)
            ),
            1,
        )
    }
}

/// The offset of `zone` at `t`, in seconds east of UTC, and whether it is summer time.
fn offset_at(zone: Tz, t: DateTime<Utc>) -> (i32, bool) {
    let o = zone.offset_from_utc_datetime(&t.naive_utc());
    (o.fix().local_minus_utc(), !o.dst_offset().is_zero())
}

/// The moments in `[from, to)` when `zone` changes its offset. A day at a time, then to the
/// second by halving: no zone changes its offset twice in a day.
fn transitions(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut found = Vec::new();
    let mut day = from;
    while day < to {
        let next = (day + chrono::Duration::days(1)).min(to);
        if offset_at(zone, day) != offset_at(zone, next) {
            let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or(day);
            let (mut lo, mut hi) = (day.timestamp(), next.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(zone, at(mid)) == offset_at(zone, at(lo)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            found.push(at(hi));
        }
        day = next;
    }
    found
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    format!(
        "{sign}{:02}{:02}",
        seconds.abs() / 3600,
        seconds.abs() % 3600 / 60
    )
}

/// The VTIMEZONE defining `zone` around the interview: the offset in force a year before it,
/// then every change of offset (summer time and back, or a change of the zone's rules) until
/// a year after, each with the local time it happens at. Calendars then place the interview
/// right even when it (or a later move of it) falls across a change of the clocks.
fn vtimezone(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let from = start - chrono::Duration::days(366);
    let to = end + chrono::Duration::days(366);
    let name_at = |t: DateTime<Utc>| {
        let o = zone.offset_from_utc_datetime(&t.naive_utc());
        o.abbreviation()
            .map(str::to_string)
            .unwrap_or_else(|| offset_text(o.fix().local_minus_utc()))
    };
    let observance = |at: DateTime<Utc>, before: i32, after: (i32, bool), local: String| {
        let kind = if after.1 { "DAYLIGHT" } else { "STANDARD" };
        format!(
            "BEGIN:{kind}\r\nDTSTART:{local}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n\
             TZNAME:{}\r\nEND:{kind}\r\n",
            offset_text(before),
            offset_text(after.0),
            name_at(at),
        )
    };
    let first = offset_at(zone, from);
    let mut parts = observance(from, first.0, first, "19700101T000000".into());
    for t in transitions(zone, from, to) {
        let before = offset_at(zone, t - chrono::Duration::seconds(1)).0;
        // DTSTART of an observance is the local time of the change, read on the old offset.
        let local = (t.naive_utc() + chrono::Duration::seconds(i64::from(before)))
            .format("%Y%m%dT%H%M%S")
            .to_string();
        parts.push_str(&observance(t, before, offset_at(zone, t), local));
    }
    format!(
        "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n{parts}END:VTIMEZONE\r\n",
        tzid = zone.name(),
    )
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
    fn an_interview_across_a_change_of_the_clocks_keeps_its_zone_and_both_offsets() {
        let mut iv = invite();
        // Europe/Berlin moves its clocks from 02:00 to 03:00 local (01:00 UTC) on 2026-03-29.
        iv.starts_at = Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap();
        iv.ends_at = Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap();
        let ics = iv.to_ics(Method::Request, chrono_tz::Europe::Berlin);
        assert!(
            ics.contains("DTSTART;TZID=Europe/Berlin:20260329T013000\r\n"),
            "{ics}"
        );
        assert!(ics.contains("DTEND;TZID=Europe/Berlin:20260329T033000\r\n"));
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains(
                "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\n\
                 TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT"
            ),
            "{unfolded}"
        );
        assert!(unfolded.contains(
            "BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\n\
             TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD"
        ));
    }

    #[test]
    fn the_changes_of_the_clocks_are_found_to_the_second() {
        let zone = chrono_tz::America::New_York;
        let from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            transitions(zone, from, to),
            [
                Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 11, 1, 6, 0, 0).unwrap(),
            ]
        );
        assert!(transitions(chrono_tz::Asia::Tokyo, from, to).is_empty());
    }
}
