//! Finding times that suit a whole panel: each member's working hours in their own time zone
//! (weekdays), their busy time, a buffer around busy time, a minimum notice and a window of
//! days. Pure: the caller reads who is busy when; tested as tables below, including a change
//! to summer time.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// One panel member's availability.
#[derive(Clone, Debug)]
pub struct Availability {
    pub tz: Tz,
    /// Minutes after local midnight the working day starts and ends.
    pub day_start_min: u32,
    pub day_end_min: u32,
    /// Busy intervals (any order; half-open).
    pub busy: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Availability {
    pub fn new(tz: Tz, day_start_min: u32, day_end_min: u32) -> Self {
        Self {
            tz,
            day_start_min,
            day_end_min,
            busy: Vec::new(),
        }
    }

    fn prepared(mut self) -> Self {
        self.busy.sort();
        self
    }

    /// Is `[start, end)` inside one of this person's working days?
    fn works(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let a = start.with_timezone(&self.tz);
        // The last minute of the interview, so that one ending at 17:00 sharp counts as 17:00.
        let b = (end - Duration::minutes(1)).with_timezone(&self.tz);
        if a.date_naive() != b.date_naive() || matches!(a.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        let from = a.hour() * 60 + a.minute();
        let to = b.hour() * 60 + b.minute() + 1;
        from >= self.day_start_min && to <= self.day_end_min
    }

    /// Is `[start, end)` (widened by `buffer` each side) clear of busy time?
    fn free(&self, start: DateTime<Utc>, end: DateTime<Utc>, buffer: Duration) -> bool {
        let (s, e) = (start - buffer, end + buffer);
        // Busy intervals starting before `e`; any of them ending after `s` overlaps.
        let n = self.busy.partition_point(|(b, _)| *b < e);
        !self.busy[..n].iter().any(|(_, be)| *be > s)
    }
}

/// The rules of a search.
#[derive(Clone, Debug)]
pub struct Rules {
    pub duration: Duration,
    /// Slots start on multiples of this many minutes (past the hour).
    pub step_min: i64,
    /// Nothing sooner than this from now.
    pub notice: Duration,
    /// How many days ahead to look.
    pub days: i64,
    /// Free time kept around each busy interval.
    pub buffer: Duration,
    /// Stop after this many slots.
    pub limit: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            duration: Duration::minutes(60),
            step_min: 15,
            notice: Duration::hours(4),
            days: 14,
            buffer: Duration::minutes(10),
            limit: 200,
        }
    }
}

/// One interview of a sequence: who sits on it and how long it lasts.
#[derive(Clone, Debug)]
pub struct Part {
    pub panel: Vec<Availability>,
    pub duration: Duration,
}

/// Start times (UTC, ascending) at which every member of `panel` works and is free.
pub fn free_slots(panel: &[Availability], now: DateTime<Utc>, rules: &Rules) -> Vec<DateTime<Utc>> {
    free_sequence(
        &[Part {
            panel: panel.to_vec(),
            duration: rules.duration,
        }],
        now,
        rules,
    )
}

/// Start times (UTC, ascending) for interviews back to back: each part's panel works and is
/// free for that part's own stretch (the first from the start, the next straight after, …).
/// `rules.duration` is not used: the parts carry their own.
pub fn free_sequence(parts: &[Part], now: DateTime<Utc>, rules: &Rules) -> Vec<DateTime<Utc>> {
    let total = parts
        .iter()
        .fold(Duration::zero(), |sum, p| sum + p.duration);
    if parts.is_empty()
        || parts
            .iter()
            .any(|p| p.panel.is_empty() || p.duration <= Duration::zero())
        || rules.step_min <= 0
    {
        return Vec::new();
    }
    // Each part's panel, with its offset from the start.
    let mut offset = Duration::zero();
    let parts: Vec<(Duration, Duration, Vec<Availability>)> = parts
        .iter()
        .map(|p| {
            let at = offset;
            offset += p.duration;
            (
                at,
                p.duration,
                p.panel
                    .iter()
                    .cloned()
                    .map(Availability::prepared)
                    .collect(),
            )
        })
        .collect();
    let step = Duration::minutes(rules.step_min);
    let earliest = now + rules.notice;
    // Round up to the step, on whole minutes.
    let base = Utc
        .from_utc_datetime(&earliest.date_naive().and_time(NaiveTime::MIN))
        .to_owned();
    // Whole minutes past midnight, rounded up, then up to the step (all non-negative).
    let secs = (earliest - base).num_seconds();
    let mins = (secs + 59) / 60;
    let mut t =
        base + Duration::minutes((mins + rules.step_min - 1) / rules.step_min * rules.step_min);
    let until = now + Duration::days(rules.days);
    let mut out = Vec::new();
    while t + total <= until && out.len() < rules.limit {
        let fits = parts.iter().all(|(at, duration, panel)| {
            let (s, e) = (t + *at, t + *at + *duration);
            panel
                .iter()
                .all(|p| p.works(s, e) && p.free(s, e, rules.buffer))
        });
        if fits {
            out.push(t);
        }
        t += step;
    }
    out
}

/// "Tue 8 Dec, 14:00–15:00 GMT" in `tz`.
pub fn label(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let a = start.with_timezone(&tz);
    let b = end.with_timezone(&tz);
    if a.date_naive() == b.date_naive() {
        format!("{}–{}", a.format("%a %-d %b, %H:%M"), b.format("%H:%M %Z"))
    } else {
        format!(
            "{} – {}",
            a.format("%a %-d %b, %H:%M"),
            b.format("%a %-d %b, %H:%M %Z")
        )
    }
}

/// "09:00 EST" in `tz`.
pub fn short_label(start: DateTime<Utc>, tz: Tz) -> String {
    start.with_timezone(&tz).format("%a %H:%M %Z").to_string()
}

/// One moment, "Mon 7 Dec, 14:00 GMT", in `tz`.
pub fn moment_label(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%a %-d %b, %H:%M %Z")
        .to_string()
}

/// A zone name from the wire or the database; London when unknown (the demo company's home).
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Europe::London)
}

/// At most `per_day` of `starts` (ascending) on each day in `tz`, spread evenly over the day's
/// free times (its first and last kept): what a candidate chooses from, so that the whole window
/// shows rather than the first two days at every quarter hour.
pub fn spread_per_day(starts: &[DateTime<Utc>], tz: Tz, per_day: usize) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut day: Vec<DateTime<Utc>> = Vec::new();
    let mut pick = |day: &mut Vec<DateTime<Utc>>| {
        let n = day.len();
        match per_day {
            _ if n <= per_day => out.extend(day.iter()),
            0 => {}
            1 => out.push(day[0]),
            k => out.extend((0..k).map(|i| day[i * (n - 1) / (k - 1)])),
        }
        day.clear();
    };
    for t in starts {
        if day
            .last()
            .is_some_and(|d| d.with_timezone(&tz).date_naive() != t.with_timezone(&tz).date_naive())
        {
            pick(&mut day);
        }
        day.push(*t);
    }
    pick(&mut day);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Europe};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn hhmm(ts: &[DateTime<Utc>], tz: Tz) -> Vec<String> {
        ts.iter()
            .map(|t| t.with_timezone(&tz).format("%a %H:%M").to_string())
            .collect()
    }

    fn rules(duration_min: i64, days: i64) -> Rules {
        Rules {
            duration: Duration::minutes(duration_min),
            step_min: 60,
            notice: Duration::zero(),
            days,
            buffer: Duration::zero(),
            limit: 100,
        }
    }

    #[test]
    fn one_person_gets_their_working_hours_in_their_own_zone() {
        // Monday 7 Dec 2026, 00:00 UTC; Berlin is UTC+1 in December.
        let now = utc("2026-12-07T00:00:00Z");
        let p = Availability::new(Europe::Berlin, 9 * 60, 12 * 60);
        let slots = free_slots(&[p], now, &rules(60, 1));
        assert_eq!(
            hhmm(&slots, Europe::Berlin),
            ["Mon 09:00", "Mon 10:00", "Mon 11:00"]
        );
        assert_eq!(slots[0], utc("2026-12-07T08:00:00Z"));
    }

    #[test]
    fn a_panel_across_zones_meets_only_where_their_days_overlap() {
        let now = utc("2026-12-07T00:00:00Z");
        // London 09–17 (UTC+0), New York 09–17 (UTC-5): the overlap is 14:00–17:00 UTC.
        let panel = [
            Availability::new(Europe::London, 9 * 60, 17 * 60),
            Availability::new(America::New_York, 9 * 60, 17 * 60),
        ];
        let slots = free_slots(&panel, now, &rules(60, 1));
        assert_eq!(
            hhmm(&slots, Europe::London),
            ["Mon 14:00", "Mon 15:00", "Mon 16:00"]
        );
        // Tokyo (UTC+9) and New York never share an hour of a working day.
        let apart = [
            Availability::new(Asia::Tokyo, 9 * 60, 17 * 60),
            Availability::new(America::New_York, 9 * 60, 17 * 60),
        ];
        assert!(free_slots(&apart, now, &rules(60, 7)).is_empty());
    }

    #[test]
    fn busy_time_and_its_buffer_are_avoided_for_everyone_on_the_panel() {
        let now = utc("2026-12-07T00:00:00Z");
        let a = Availability::new(Europe::London, 9 * 60, 13 * 60);
        let mut b = Availability::new(Europe::London, 9 * 60, 13 * 60);
        b.busy
            .push((utc("2026-12-07T10:00:00Z"), utc("2026-12-07T11:00:00Z")));
        let slots = free_slots(&[a.clone(), b.clone()], now, &rules(60, 1));
        assert_eq!(
            hhmm(&slots, Europe::London),
            ["Mon 09:00", "Mon 11:00", "Mon 12:00"]
        );
        // With a 15-minute buffer, neither neighbour of the busy hour fits.
        let mut r = rules(60, 1);
        r.buffer = Duration::minutes(15);
        let slots = free_slots(&[a, b], now, &r);
        assert_eq!(hhmm(&slots, Europe::London), ["Mon 12:00"]);
    }

    #[test]
    fn notice_weekends_and_the_window_bound_the_search() {
        // Friday 11 Dec 2026 at 10:20 London; notice two hours: the first slot is 12:30 with
        // 15-minute steps, the weekend is skipped, and a 3-day window ends on Monday morning.
        let now = utc("2026-12-11T10:20:00Z");
        let p = Availability::new(Europe::London, 9 * 60, 13 * 60);
        let r = Rules {
            duration: Duration::minutes(30),
            step_min: 15,
            notice: Duration::hours(2),
            days: 3,
            buffer: Duration::zero(),
            limit: 100,
        };
        let slots = free_slots(&[p], now, &r);
        let labels = hhmm(&slots, Europe::London);
        assert_eq!(labels.first().map(String::as_str), Some("Fri 12:30"));
        assert!(
            labels
                .iter()
                .all(|l| !l.starts_with("Sat") && !l.starts_with("Sun"))
        );
        assert!(labels.contains(&"Mon 09:00".to_string()));
        assert!(!labels.iter().any(|l| l.starts_with("Tue")), "{labels:?}");
    }

    #[test]
    fn working_hours_follow_the_clock_across_a_change_to_summer_time() {
        // Europe moves to summer time on Sunday 28 March 2027: a Berlin 09:00 is 08:00 UTC on
        // Friday the 26th and 07:00 UTC on Monday the 29th.
        let now = utc("2027-03-26T00:00:00Z");
        let p = Availability::new(Europe::Berlin, 9 * 60, 10 * 60);
        let slots = free_slots(&[p], now, &rules(60, 4));
        assert_eq!(
            slots,
            [utc("2027-03-26T08:00:00Z"), utc("2027-03-29T07:00:00Z")]
        );
        assert_eq!(
            label(slots[1], slots[1] + Duration::hours(1), Europe::Berlin),
            "Mon 29 Mar, 09:00–10:00 CEST"
        );
    }

    #[test]
    fn an_interview_never_runs_past_the_end_of_the_day() {
        let now = utc("2026-12-07T00:00:00Z");
        let p = Availability::new(Europe::London, 16 * 60, 17 * 60 + 30);
        let slots = free_slots(&[p], now, &rules(90, 1));
        assert_eq!(hhmm(&slots, Europe::London), ["Mon 16:00"]);
    }

    #[test]
    fn interviews_back_to_back_each_need_their_own_panel_free_for_their_own_stretch() {
        let now = utc("2026-12-07T00:00:00Z");
        // First an hour with a London interviewer (09–17), then 45 minutes with a New York one
        // (09–17, that is 14:00–22:00 UTC), who is busy 15:00–16:00 UTC.
        let london = Availability::new(Europe::London, 9 * 60, 17 * 60);
        let mut new_york = Availability::new(America::New_York, 9 * 60, 17 * 60);
        new_york
            .busy
            .push((utc("2026-12-07T15:00:00Z"), utc("2026-12-07T16:00:00Z")));
        let parts = [
            Part {
                panel: vec![london.clone()],
                duration: Duration::minutes(60),
            },
            Part {
                panel: vec![new_york.clone()],
                duration: Duration::minutes(45),
            },
        ];
        let slots = free_sequence(&parts, now, &rules(0, 1));
        // 13:00: New York 14:00–14:45. 14:00 would put New York at 15:00, when they are busy.
        // 15:00: New York 16:00–16:45, free again. 16:00: London until 17:00 sharp, then New York.
        assert_eq!(
            hhmm(&slots, Europe::London),
            ["Mon 13:00", "Mon 15:00", "Mon 16:00"]
        );
        // The other way round: New York works from 14:00 UTC and is busy 15:00–16:00, and London
        // stops at 17:00, so only 14:00 is left (New York 14:00–15:00, London 15:00–15:45).
        let swapped = [
            Part {
                panel: vec![new_york],
                duration: Duration::minutes(60),
            },
            Part {
                panel: vec![london],
                duration: Duration::minutes(45),
            },
        ];
        assert_eq!(
            hhmm(&free_sequence(&swapped, now, &rules(0, 1)), Europe::London),
            ["Mon 14:00"]
        );
        // A part without anyone on it has no time at all.
        assert!(free_sequence(&[], now, &rules(60, 1)).is_empty());
    }

    #[test]
    fn a_candidate_sees_a_few_times_on_every_free_day_not_every_quarter_of_the_first_two() {
        // Two days of free quarter hours (09:00–16:45 London), then one free time on a third.
        let mut starts = Vec::new();
        for day in ["2026-12-07", "2026-12-08"] {
            for q in 0..32 {
                starts.push(utc(&format!("{day}T09:00:00Z")) + Duration::minutes(15 * q));
            }
        }
        starts.push(utc("2026-12-09T10:00:00Z"));
        let shown = spread_per_day(&starts, Europe::London, 5);
        assert_eq!(
            hhmm(&shown, Europe::London),
            [
                "Mon 09:00",
                "Mon 10:45",
                "Mon 12:45",
                "Mon 14:45",
                "Mon 16:45",
                "Tue 09:00",
                "Tue 10:45",
                "Tue 12:45",
                "Tue 14:45",
                "Tue 16:45",
                "Wed 10:00",
            ]
        );
        // Days are the reader's: 23:00 UTC is the next morning in Tokyo.
        let late = [utc("2026-12-07T14:00:00Z"), utc("2026-12-07T23:00:00Z")];
        assert_eq!(spread_per_day(&late, Asia::Tokyo, 1).len(), 2);
        assert_eq!(spread_per_day(&late, Europe::London, 1).len(), 1);
    }
}
