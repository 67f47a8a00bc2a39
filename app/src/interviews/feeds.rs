//! Busy feeds: a staff member pastes the iCalendar address of their own calendar (the "secret
//! address" calendars publish); the job runtime reads it every `ATS_BUSY_FEED_MINUTES` and its
//! busy times count like interviews when times are proposed. Events (one-off and recurring,
//! with time zones), all-day events (the whole day, in the person's zone) and VFREEBUSY periods
//! count; transparent ("free") and cancelled events do not.

use super::repo::{self, Spans};
use crate::error::AppResult;
use crate::server::AppState;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::{
    Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventStatus,
};
use surrealdb::types::{RecordId, SurrealValue};

/// Largest feed read (bytes).
const MAX_FEED: usize = 5 * 1024 * 1024;
/// Occurrences of one recurring event expanded at most.
const MAX_OCCURRENCES: u16 = 500;

fn utc_of(t: &DatePerhapsTime, tz: Tz) -> Option<DateTime<Utc>> {
    match t {
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(n)) => tz
            .from_local_datetime(n)
            .earliest()
            .map(|d| d.with_timezone(&Utc)),
        DatePerhapsTime::DateTime(dt) => dt.try_into_utc(),
        // An all-day event (its DTEND is the day after, exclusive).
        DatePerhapsTime::Date(d) => day_start(*d, tz),
    }
}

fn day_start(d: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// FREEBUSY values: `start/end` or `start/duration`, comma-separated, in UTC.
fn freebusy_periods(value: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let parse = |s: &str| {
        chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y%m%dT%H%M%SZ")
            .ok()
            .map(|n| n.and_utc())
    };
    value
        .split(',')
        .filter_map(|p| {
            let (a, b) = p.split_once('/')?;
            let start = parse(a)?;
            let end = match parse(b) {
                Some(e) => e,
                None => start + iso_duration(b.trim())?,
            };
            Some((start, end))
        })
        .collect()
}

/// `PT1H30M`, `P1D`, `P1DT2H` (what FREEBUSY periods use).
fn iso_duration(s: &str) -> Option<Duration> {
    let s = s.strip_prefix('P')?;
    let (days, time) = s.split_once('T').unwrap_or((s, ""));
    let mut total = Duration::zero();
    let mut num = String::new();
    for (part, in_time) in [(days, false), (time, true)] {
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
                continue;
            }
            let n: i64 = num.parse().ok()?;
            num.clear();
            total += match (c, in_time) {
                ('W', false) => Duration::weeks(n),
                ('D', false) => Duration::days(n),
                ('H', true) => Duration::hours(n),
                ('M', true) => Duration::minutes(n),
                ('S', true) => Duration::seconds(n),
                _ => return None,
            };
        }
    }
    Some(total)
}

/// The busy intervals of an iCalendar text between `from` and `until`, sorted. `tz` places
/// floating times and all-day events (the person's own zone).
pub fn busy_from_ics(
    text: &str,
    tz: Tz,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Spans, String> {
    let cal: Calendar = text
        .parse()
        .map_err(|e| format!("This is not an iCalendar file ({e})."))?;
    let mut out: Spans = Vec::new();
    for ev in cal.calendar_events() {
        if ev.property_value("TRANSP") == Some("TRANSPARENT")
            || ev.get_status() == Some(EventStatus::Cancelled)
        {
            continue;
        }
        let Some(start_prop) = ev.get_start() else {
            continue;
        };
        let all_day = matches!(start_prop, DatePerhapsTime::Date(_));
        let Some(start) = utc_of(&start_prop, tz) else {
            continue;
        };
        let end = ev
            .get_end()
            .and_then(|e| utc_of(&e, tz))
            .filter(|e| *e > start)
            .unwrap_or(
                start
                    + if all_day {
                        Duration::days(1)
                    } else {
                        Duration::hours(1)
                    },
            );
        let len = end - start;
        if ev.property_value("RRULE").is_some() {
            let Ok(set) = ev.get_recurrence() else {
                // A rule we cannot read: its first occurrence still counts.
                if end > from && start < until {
                    out.push((start, end));
                }
                continue;
            };
            let dates = set
                .after((from - len).with_timezone(&rrule::Tz::UTC))
                .before(until.with_timezone(&rrule::Tz::UTC))
                .all(MAX_OCCURRENCES)
                .dates;
            for d in dates {
                let s = d.with_timezone(&Utc);
                if s + len > from && s < until {
                    out.push((s, s + len));
                }
            }
        } else if end > from && start < until {
            out.push((start, end));
        }
    }
    for c in &cal.components {
        if let CalendarComponent::Other(o) = c
            && o.component_kind() == "VFREEBUSY"
        {
            let single = o.properties().get("FREEBUSY").into_iter();
            let multi = o.multi_properties().get("FREEBUSY").into_iter().flatten();
            for p in single.chain(multi) {
                if p.params()
                    .get("FBTYPE")
                    .is_some_and(|t| t.value().eq_ignore_ascii_case("FREE"))
                {
                    continue;
                }
                out.extend(
                    freebusy_periods(p.value())
                        .into_iter()
                        .filter(|(s, e)| *e > from && *s < until),
                );
            }
        }
    }
    out.sort();
    Ok(out)
}

#[derive(Debug, Clone, SurrealValue)]
struct FeedOwner {
    id: RecordId,
    busy_feed_url: String,
    time_zone: Option<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct FeedSpan {
    staff: RecordId,
    source: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

/// Reads one person's feed and replaces their feed busy time; returns how many intervals.
pub async fn refresh_one(
    st: &AppState,
    staff: &RecordId,
    url: &str,
    zone: &str,
) -> Result<usize, String> {
    let res = st
        .tasks
        .http
        .get(url)
        .timeout(std::time::Duration::from_secs(20))
        .send()
        .await
        .map_err(|e| format!("The calendar could not be reached ({}).", e.without_url()))?;
    if !res.status().is_success() {
        return Err(format!("The calendar answered {}.", res.status()));
    }
    if res.content_length().is_some_and(|n| n as usize > MAX_FEED) {
        return Err("The calendar is larger than 5 MB.".into());
    }
    let bytes = res
        .bytes()
        .await
        .map_err(|e| format!("The calendar could not be read ({}).", e.without_url()))?;
    if bytes.len() > MAX_FEED {
        return Err("The calendar is larger than 5 MB.".into());
    }
    let text = String::from_utf8_lossy(&bytes);
    let now = Utc::now();
    let spans = busy_from_ics(
        &text,
        super::slots::zone(zone),
        now - Duration::days(1),
        now + Duration::days(31),
    )?;
    let n = spans.len();
    let rows: Vec<FeedSpan> = spans
        .into_iter()
        .map(|(s, e)| FeedSpan {
            staff: staff.clone(),
            source: "feed".into(),
            starts_at: s,
            ends_at: e,
        })
        .collect();
    st.db
        .query(
            "BEGIN TRANSACTION;
             DELETE busy_span WHERE staff = $staff AND source = 'feed';
             INSERT INTO busy_span $rows RETURN NONE;
             UPDATE $staff SET busy_feed_checked_at = time::now(), busy_feed_error = NONE,
                busy_feed_events = $n RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("staff", staff.clone()))
        .bind(("rows", rows))
        .bind(("n", n as i64))
        .await
        .and_then(|r| r.check())
        .map_err(|e| {
            tracing::warn!(error = %e, "storing busy feed");
            "The busy times could not be stored.".to_string()
        })?;
    Ok(n)
}

/// One pass of the runtime: every feed not read for `ATS_BUSY_FEED_MINUTES`.
pub async fn refresh_due(st: &AppState) -> AppResult<usize> {
    let mut res = st
        .db
        .query(
            "SELECT id, busy_feed_url, time_zone FROM staff
                WHERE active = true AND busy_feed_url != NONE
                  AND (busy_feed_checked_at = NONE OR busy_feed_checked_at < $stale)",
        )
        .bind((
            "stale",
            Utc::now() - Duration::minutes(st.config.busy_feed_minutes),
        ))
        .await?;
    let owners: Vec<FeedOwner> = res.take(0)?;
    let mut n = 0;
    for o in owners {
        let zone = o
            .time_zone
            .clone()
            .unwrap_or_else(|| repo::DEFAULT_ZONE.into());
        match refresh_one(st, &o.id, &o.busy_feed_url, &zone).await {
            Ok(_) => n += 1,
            Err(e) => {
                // Kept, and shown to its owner; their old busy times stay until a read works.
                st.db
                    .query(
                        "UPDATE $id SET busy_feed_checked_at = time::now(), busy_feed_error = $e
                            RETURN NONE",
                    )
                    .bind(("id", o.id.clone()))
                    .bind(("e", e))
                    .await?
                    .check()?;
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn cal(body: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{body}END:VCALENDAR\r\n")
    }

    fn ev(lines: &str) -> String {
        format!(
            "BEGIN:VEVENT\r\nUID:{}\r\nDTSTAMP:20260101T000000Z\r\n{lines}END:VEVENT\r\n",
            lines.len()
        )
    }

    #[test]
    fn feeds_become_busy_time() {
        let from = utc("2026-12-07T00:00:00Z");
        let until = utc("2026-12-21T00:00:00Z");
        let berlin = chrono_tz::Europe::Berlin;
        type Case = (&'static str, String, Vec<(&'static str, &'static str)>);
        let cases: Vec<Case> = vec![
            (
                "a UTC event",
                ev("DTSTART:20261207T100000Z\r\nDTEND:20261207T110000Z\r\n"),
                vec![("2026-12-07T10:00:00Z", "2026-12-07T11:00:00Z")],
            ),
            (
                "an event in New York time",
                ev("DTSTART;TZID=America/New_York:20261208T090000\r\nDTEND;TZID=America/New_York:20261208T093000\r\n"),
                vec![("2026-12-08T14:00:00Z", "2026-12-08T14:30:00Z")],
            ),
            (
                "a floating time is the person's own",
                ev("DTSTART:20261209T090000\r\nDTEND:20261209T100000\r\n"),
                vec![("2026-12-09T08:00:00Z", "2026-12-09T09:00:00Z")],
            ),
            (
                "an all-day event is the whole day in the person's zone",
                ev("DTSTART;VALUE=DATE:20261210\r\nDTEND;VALUE=DATE:20261211\r\n"),
                vec![("2026-12-09T23:00:00Z", "2026-12-10T23:00:00Z")],
            ),
            (
                "free and cancelled events do not count",
                ev("DTSTART:20261207T100000Z\r\nDTEND:20261207T110000Z\r\nTRANSP:TRANSPARENT\r\n")
                    + &ev("DTSTART:20261207T120000Z\r\nDTEND:20261207T130000Z\r\nSTATUS:CANCELLED\r\n"),
                vec![],
            ),
            (
                "a weekly meeting recurs inside the window only",
                ev("DTSTART;TZID=Europe/Berlin:20261130T100000\r\nDTEND;TZID=Europe/Berlin:20261130T110000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n"),
                vec![
                    ("2026-12-07T09:00:00Z", "2026-12-07T10:00:00Z"),
                    ("2026-12-14T09:00:00Z", "2026-12-14T10:00:00Z"),
                ],
            ),
            (
                "VFREEBUSY periods",
                "BEGIN:VFREEBUSY\r\nUID:fb\r\nDTSTAMP:20260101T000000Z\r\nFREEBUSY:20261211T080000Z/20261211T090000Z,20261211T130000Z/PT30M\r\nFREEBUSY;FBTYPE=FREE:20261211T150000Z/PT1H\r\nEND:VFREEBUSY\r\n".to_string(),
                vec![
                    ("2026-12-11T08:00:00Z", "2026-12-11T09:00:00Z"),
                    ("2026-12-11T13:00:00Z", "2026-12-11T13:30:00Z"),
                ],
            ),
            (
                "outside the window",
                ev("DTSTART:20270107T100000Z\r\nDTEND:20270107T110000Z\r\n"),
                vec![],
            ),
        ];
        for (what, body, want) in cases {
            let got = busy_from_ics(&cal(&body), berlin, from, until).unwrap();
            let want: Spans = want.iter().map(|(a, b)| (utc(a), utc(b))).collect();
            assert_eq!(got, want, "{what}");
        }
        assert!(busy_from_ics("not a calendar", berlin, from, until).is_err());
    }
}
