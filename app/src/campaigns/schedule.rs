//! When a campaign email may go out: the send window in the recipient's time zone and the
//! global frequency cap.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// ISO weekdays (1 = Monday … 7 = Sunday) on which mail may go out.
    pub days: Vec<u32>,
    /// Local hours `[start, end)`.
    pub start_hour: u32,
    pub end_hour: u32,
}

impl Window {
    fn allows(&self, local: &DateTime<Tz>) -> bool {
        self.days.contains(&local.weekday().number_from_monday())
            && local.hour() >= self.start_hour
            && local.hour() < self.end_hour
    }
}

/// The time zone to use for a person: theirs if valid, else the campaign's default.
pub fn zone(person_tz: Option<&str>, default_tz: &str) -> Tz {
    person_tz
        .and_then(|z| z.parse::<Tz>().ok())
        .or_else(|| default_tz.parse::<Tz>().ok())
        .unwrap_or(chrono_tz::UTC)
}

/// `now` when it falls inside the window in `tz`, otherwise the next moment the window opens.
pub fn next_in_window(now: DateTime<Utc>, tz: Tz, w: &Window) -> DateTime<Utc> {
    if w.days.is_empty() || w.start_hour >= w.end_hour {
        return now;
    }
    let local = now.with_timezone(&tz);
    if w.allows(&local) {
        return now;
    }
    // Try the window's opening on today and each of the next 8 days.
    for d in 0..9 {
        let day = local.date_naive() + Duration::days(d);
        if !w.days.contains(&day.weekday().number_from_monday()) {
            continue;
        }
        let open = day.and_time(NaiveTime::from_hms_opt(w.start_hour, 0, 0).expect("valid hour"));
        // Around a daylight-saving change the hour may be skipped or repeated.
        let candidate = match tz.from_local_datetime(&open) {
            chrono::LocalResult::Single(t) => t,
            chrono::LocalResult::Ambiguous(a, _) => a,
            chrono::LocalResult::None => tz.from_utc_datetime(&(open + Duration::hours(1))),
        };
        let c = candidate.with_timezone(&Utc);
        if c > now {
            return c;
        }
    }
    now
}

/// The earliest time a person may get another campaign email under a cap of `cap_days`.
pub fn cap_allows_from(
    last_contacted: Option<DateTime<Utc>>,
    cap_days: i64,
) -> Option<DateTime<Utc>> {
    match last_contacted {
        Some(t) if cap_days > 0 => Some(t + Duration::days(cap_days)),
        _ => None,
    }
}

/// When the next campaign email to a person may go out, from both rules.
pub fn earliest_send(
    now: DateTime<Utc>,
    last_contacted: Option<DateTime<Utc>>,
    cap_days: i64,
    tz: Tz,
    window: Option<&Window>,
) -> DateTime<Utc> {
    let after_cap = cap_allows_from(last_contacted, cap_days)
        .filter(|t| *t > now)
        .unwrap_or(now);
    match window {
        Some(w) => next_in_window(after_cap, tz, w),
        None => after_cap,
    }
}

/// Common time zones for the pickers.
pub const COMMON_ZONES: [&str; 12] = [
    "Europe/Berlin",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Warsaw",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn weekdays_9_to_17() -> Window {
        Window {
            days: vec![1, 2, 3, 4, 5],
            start_hour: 9,
            end_hour: 17,
        }
    }

    #[test]
    fn the_window_is_read_in_the_recipients_zone() {
        // Monday 23 Nov 2026, 07:00 UTC.
        let now = t("2026-11-23T07:00:00Z");
        let w = weekdays_9_to_17();
        // Tokyo: 16:00 Monday, inside the window.
        assert_eq!(next_in_window(now, chrono_tz::Asia::Tokyo, &w), now);
        // New York: 02:00 Monday → 09:00 New York = 14:00 UTC.
        assert_eq!(
            next_in_window(now, chrono_tz::America::New_York, &w),
            t("2026-11-23T14:00:00Z")
        );
        // Berlin: 08:00 Monday → 09:00 Berlin = 08:00 UTC.
        assert_eq!(
            next_in_window(now, chrono_tz::Europe::Berlin, &w),
            t("2026-11-23T08:00:00Z")
        );
    }

    #[test]
    fn after_hours_on_friday_waits_for_monday() {
        // Friday 27 Nov 2026, 17:30 in Berlin (16:30 UTC).
        let now = t("2026-11-27T16:30:00Z");
        assert_eq!(
            next_in_window(now, chrono_tz::Europe::Berlin, &weekdays_9_to_17()),
            t("2026-11-30T08:00:00Z")
        );
        // Sydney is already on Saturday: it waits for Monday 09:00 Sydney (22:00 UTC Sunday).
        assert_eq!(
            next_in_window(now, chrono_tz::Australia::Sydney, &weekdays_9_to_17()),
            t("2026-11-29T22:00:00Z")
        );
    }

    #[test]
    fn daylight_saving_days_still_open_at_nine_local() {
        // Sunday 29 Mar 2026 Berlin switches to summer time; Monday 09:00 CEST = 07:00 UTC.
        let now = t("2026-03-29T12:00:00Z");
        assert_eq!(
            next_in_window(now, chrono_tz::Europe::Berlin, &weekdays_9_to_17()),
            t("2026-03-30T07:00:00Z")
        );
    }

    #[test]
    fn the_frequency_cap_delays_and_then_the_window_applies() {
        let now = t("2026-11-23T10:00:00Z");
        let last = Some(t("2026-11-21T12:00:00Z"));
        // A 3-day cap: not before Tue 24 Nov 12:00 UTC (13:00 Berlin, inside the window).
        assert_eq!(
            earliest_send(
                now,
                last,
                3,
                chrono_tz::Europe::Berlin,
                Some(&weekdays_9_to_17())
            ),
            t("2026-11-24T12:00:00Z")
        );
        // No cap: now (Monday 11:00 Berlin).
        assert_eq!(
            earliest_send(
                now,
                last,
                0,
                chrono_tz::Europe::Berlin,
                Some(&weekdays_9_to_17())
            ),
            now
        );
        // Cap ends at night in New York: the next morning there.
        assert_eq!(
            earliest_send(
                now,
                Some(t("2026-11-21T03:00:00Z")),
                3,
                chrono_tz::America::New_York,
                Some(&weekdays_9_to_17())
            ),
            t("2026-11-24T14:00:00Z")
        );
        assert_eq!(
            zone(Some("Not/AZone"), "Europe/Berlin"),
            chrono_tz::Europe::Berlin
        );
    }
}
