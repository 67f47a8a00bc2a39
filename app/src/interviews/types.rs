//! Structured hiring on the wire: interview plans with their kits, scheduled interviews,
//! scorecards and the debrief matrix; plus the pure rules (parsing a kit, who sees which
//! scorecard, the debrief's tallies), tested here.

use serde::{Deserialize, Serialize};

/// How an interview takes place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Video,
    Phone,
    Onsite,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Video, Format::Phone, Format::Onsite];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Video => "video",
            Format::Phone => "phone",
            Format::Onsite => "onsite",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Video => "Video call",
            Format::Phone => "Phone",
            Format::Onsite => "On site",
        }
    }

    /// What the location field holds for this format.
    pub fn location_label(self) -> &'static str {
        match self {
            Format::Video => "Video link",
            Format::Phone => "Phone number (or who calls whom)",
            Format::Onsite => "Address and room",
        }
    }
}

/// A rating on the four-point scale (no middle: an interviewer has to lean one way).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rating {
    StrongNo = 1,
    No = 2,
    Yes = 3,
    StrongYes = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::StrongNo, Rating::No, Rating::Yes, Rating::StrongYes];

    pub fn from_i64(n: i64) -> Option<Rating> {
        Self::ALL.into_iter().find(|r| *r as i64 == n)
    }

    pub fn parse(s: &str) -> Option<Rating> {
        s.trim().parse::<i64>().ok().and_then(Self::from_i64)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::StrongNo => "Strong no",
            Rating::No => "No",
            Rating::Yes => "Yes",
            Rating::StrongYes => "Strong yes",
        }
    }

    /// A short mark for a matrix cell.
    pub fn mark(self) -> &'static str {
        match self {
            Rating::StrongNo => "✕✕",
            Rating::No => "✕",
            Rating::Yes => "✓",
            Rating::StrongYes => "✓✓",
        }
    }

    pub fn css(self) -> &'static str {
        match self {
            Rating::StrongNo => "rating rating-1",
            Rating::No => "rating rating-2",
            Rating::Yes => "rating rating-3",
            Rating::StrongYes => "rating rating-4",
        }
    }

    pub fn is_yes(self) -> bool {
        self >= Rating::Yes
    }
}

/// One interview of a job's plan, with its kit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanInterview {
    pub id: String,
    pub stage: String,
    pub stage_name: String,
    pub name: String,
    pub duration_min: u32,
    pub format: Format,
    pub location: String,
    /// The focus attributes interviewers rate.
    pub attributes: Vec<String>,
    pub questions: Vec<String>,
    pub guidance: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageChoice {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobChoice {
    pub id: String,
    pub title: String,
    pub interviews: usize,
}

/// A job's interview plan page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobPlan {
    pub job_id: String,
    pub job_title: String,
    pub stages: Vec<StageChoice>,
    pub interviews: Vec<PlanInterview>,
    /// Other jobs whose plan can be copied (those with a plan).
    pub copy_from: Vec<JobChoice>,
    pub can_edit: bool,
}

/// Where a scorecard stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    /// Nothing written yet.
    Pending,
    Draft,
    Submitted,
}

impl CardStatus {
    pub fn parse(s: &str) -> CardStatus {
        match s {
            "draft" => CardStatus::Draft,
            "submitted" => CardStatus::Submitted,
            _ => CardStatus::Pending,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Pending => "pending",
            CardStatus::Draft => "draft",
            CardStatus::Submitted => "submitted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CardStatus::Pending => "Scorecard to do",
            CardStatus::Draft => "Draft saved",
            CardStatus::Submitted => "Submitted",
        }
    }
}

/// A member of an interview's panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Panelist {
    pub id: String,
    pub name: String,
    pub time_zone: String,
    /// The interview's time in this person's zone.
    pub local_time: String,
    pub scorecard: CardStatus,
}

/// A scheduled (or cancelled) interview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    pub id: String,
    pub application_id: String,
    pub person_id: String,
    pub person_name: String,
    pub job_id: String,
    pub job_title: String,
    pub name: String,
    pub format: Format,
    pub location: String,
    /// RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    /// The time in the viewer's zone ("Tue 8 Dec, 14:00–15:00 GMT").
    pub when: String,
    pub panel: Vec<Panelist>,
    pub cancelled: bool,
    /// Over already (it cannot be cancelled any more).
    #[serde(default)]
    pub past: bool,
    /// Updated each time the time or panel changes (the calendar invite's SEQUENCE).
    pub sequence: i64,
}

impl Interview {
    /// "2/3 submitted".
    pub fn feedback_summary(&self) -> String {
        let done = self
            .panel
            .iter()
            .filter(|p| p.scorecard == CardStatus::Submitted)
            .count();
        format!("{done}/{} scorecards", self.panel.len())
    }
}

/// Someone who can sit on a panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffChoice {
    pub id: String,
    pub name: String,
    pub time_zone: String,
}

/// A room for on-site interviews.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomOption {
    pub id: String,
    pub name: String,
    pub location: String,
    pub active: bool,
    /// Seats, when the admin said.
    #[serde(default)]
    pub capacity: Option<u32>,
}

impl RoomOption {
    /// "Thames · London office (8 seats)", for the scheduling form.
    pub fn label(&self) -> String {
        let mut s = if self.location.is_empty() {
            self.name.clone()
        } else {
            format!("{} · {}", self.name, self.location)
        };
        if let Some(c) = self.capacity {
            s.push_str(&format!(" ({c} seats)"));
        }
        s
    }
}

/// A time that suits the whole panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// RFC 3339 (UTC): what scheduling takes.
    pub starts_at: String,
    /// In the viewer's zone.
    pub label: String,
    /// "Parker Panelist: 09:00 EST", one per panelist whose zone differs from the viewer's.
    pub elsewhere: Vec<String>,
}

/// Moving an interview: what it is now and the times it can move to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RescheduleChoice {
    pub interview_id: String,
    pub application_id: String,
    pub name: String,
    /// Its current time, in the viewer's zone.
    pub when: String,
    /// The version shown: a change made meanwhile refuses the move.
    pub sequence: i64,
    pub slots: Vec<Slot>,
}

/// One scorecard as others see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub interviewer_id: String,
    pub interviewer_name: String,
    /// Aligned with the interview's attributes.
    pub ratings: Vec<Option<Rating>>,
    pub notes: String,
    pub recommendation: Option<Rating>,
    pub status: CardStatus,
    pub submitted_at: Option<String>,
}

/// One submitted scorecard as a debrief column: (head, attributes, ratings, recommendation).
pub type DebriefColumn = (String, Vec<String>, Vec<Option<Rating>>, Option<Rating>);

/// The debrief of an application: attributes × interviewers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct Debrief {
    /// Column heads: "Ivy Interviewer · Technical interview".
    pub columns: Vec<String>,
    /// Row heads (every attribute rated in any interview, in first-seen order).
    pub attributes: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Option<Rating>>>,
    pub recommendations: Vec<Option<Rating>>,
}

impl Debrief {
    /// Builds the matrix from submitted scorecards: (column head, attributes, ratings,
    /// recommendation).
    pub fn build(cards: &[DebriefColumn]) -> Debrief {
        let mut attributes: Vec<String> = Vec::new();
        for (_, attrs, _, _) in cards {
            for a in attrs {
                if !attributes.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                    attributes.push(a.clone());
                }
            }
        }
        let cells = attributes
            .iter()
            .map(|row| {
                cards
                    .iter()
                    .map(|(_, attrs, ratings, _)| {
                        attrs
                            .iter()
                            .position(|a| a.eq_ignore_ascii_case(row))
                            .and_then(|i| ratings.get(i).copied().flatten())
                    })
                    .collect()
            })
            .collect();
        Debrief {
            columns: cards.iter().map(|c| c.0.clone()).collect(),
            attributes,
            cells,
            recommendations: cards.iter().map(|c| c.3).collect(),
        }
    }

    /// "2 yes · 1 no" over the recommendations.
    pub fn tally(&self) -> String {
        let yes = self
            .recommendations
            .iter()
            .flatten()
            .filter(|r| r.is_yes())
            .count();
        let no = self
            .recommendations
            .iter()
            .flatten()
            .filter(|r| !r.is_yes())
            .count();
        match (yes, no) {
            (0, 0) => "No scorecards yet".into(),
            (y, 0) => format!("{y} yes"),
            (0, n) => format!("{n} no"),
            (y, n) => format!("{y} yes · {n} no"),
        }
    }
}

/// An application's interviews page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InterviewsOfApplication {
    pub application_id: String,
    pub person_id: String,
    pub person_name: String,
    pub job_id: String,
    pub job_title: String,
    pub stage_name: String,
    pub plan: Vec<PlanInterview>,
    pub interviews: Vec<Interview>,
    /// Who can sit on a panel (empty unless the viewer schedules).
    pub staff: Vec<StaffChoice>,
    /// The rooms in use (empty unless the viewer schedules).
    pub rooms: Vec<RoomOption>,
    pub can_schedule: bool,
    pub debrief: Debrief,
    pub viewer_time_zone: String,
    /// The hiring decisions taken on this application, newest first.
    pub decisions: Vec<Decision>,
    /// The viewer may decide (the job's hiring manager, recruiters, admins) and the application
    /// is still open.
    pub can_decide: bool,
    /// Where "advance" takes the candidate (`None`: nowhere further).
    pub next_stage_name: Option<String>,
}

/// A hiring decision after the debrief, with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub by: String,
    /// "advance" or "reject".
    pub decision: String,
    /// The stage the candidate was in when it was taken.
    pub stage_name: String,
    pub reason: String,
    /// RFC 3339.
    pub at: String,
}

/// One interview as its interviewer (or a recruiter) sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InterviewDetail {
    pub interview: Interview,
    pub attributes: Vec<String>,
    pub questions: Vec<String>,
    pub guidance: String,
    pub candidate_headline: Option<String>,
    pub candidate_skills: Vec<String>,
    /// The resume to read before the interview (a download link), if any.
    pub resume_url: Option<String>,
    /// The viewer's own scorecard, when they are on the panel.
    pub mine: Option<Scorecard>,
    /// The others' scorecards, or `None` while they are hidden from the viewer (an interviewer
    /// sees them only after submitting their own).
    pub others: Option<Vec<Scorecard>>,
    /// How many others have submitted (shown even while hidden).
    pub others_submitted: usize,
}

/// An interviewer's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct MyInterviewList {
    /// Past interviews whose scorecard is not submitted: the to-do list.
    pub to_do: Vec<Interview>,
    pub upcoming: Vec<Interview>,
    pub past: Vec<Interview>,
}

/// A staff member's working day, as the scheduler uses it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkingHours {
    pub time_zone: String,
    /// "09:00".
    pub start: String,
    pub end: String,
    /// Every zone one can choose (IANA names).
    pub zones: Vec<String>,
    /// The address of the person's own calendar, read for busy time (empty: none).
    pub busy_feed_url: String,
    /// How the last read went ("Read 10:05: 12 busy times", or what went wrong).
    pub busy_feed_status: Option<String>,
}

/// "09:30" → minutes after midnight; `None` unless a valid time of day.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes after midnight → "09:30".
pub fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Splits a text area into trimmed, non-empty lines (a kit's attributes or questions).
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().trim_start_matches(['-', '*', '•']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// May the viewer read the other panelists' scorecards? Recruiters, admins and the job's hiring
/// manager always; a panelist once their own is submitted; nobody else.
pub fn sees_others(oversees_job: bool, own: Option<CardStatus>) -> bool {
    oversees_job || own == Some(CardStatus::Submitted)
}

/// Longest an interview can last, in minutes.
pub const MAX_DURATION_MIN: u32 = 480;
/// Shortest.
pub const MIN_DURATION_MIN: u32 = 15;
/// Most attributes a kit can hold.
pub const MAX_ATTRIBUTES: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_parse_and_print() {
        assert_eq!(parse_hhmm("09:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("9"), None);
        assert_eq!(hhmm(1050), "17:30");
    }

    #[test]
    fn kit_lines_drop_bullets_and_blanks() {
        assert_eq!(
            lines("- Rust ownership\n\n  * Communication \n• Testing"),
            ["Rust ownership", "Communication", "Testing"]
        );
    }

    #[test]
    fn others_scorecards_are_hidden_until_mine_is_submitted() {
        assert!(!sees_others(false, None), "not on the panel");
        assert!(!sees_others(false, Some(CardStatus::Pending)));
        assert!(!sees_others(false, Some(CardStatus::Draft)));
        assert!(sees_others(false, Some(CardStatus::Submitted)));
        assert!(sees_others(true, None), "recruiters and the job's manager");
    }

    #[test]
    fn ratings_parse_only_the_four_points() {
        assert_eq!(Rating::parse("4"), Some(Rating::StrongYes));
        assert_eq!(Rating::parse("1"), Some(Rating::StrongNo));
        assert_eq!(Rating::parse("0"), None);
        assert_eq!(Rating::parse("5"), None);
        assert_eq!(Rating::parse("yes"), None);
    }

    #[test]
    fn the_debrief_lines_up_attributes_across_interviews() {
        let d = Debrief::build(&[
            (
                "Ivy · Technical".into(),
                vec!["Rust".into(), "Testing".into()],
                vec![Some(Rating::StrongYes), None],
                Some(Rating::Yes),
            ),
            (
                "Parker · Team".into(),
                vec!["Communication".into(), "rust".into()],
                vec![Some(Rating::No), Some(Rating::Yes)],
                Some(Rating::No),
            ),
        ]);
        assert_eq!(d.attributes, ["Rust", "Testing", "Communication"]);
        assert_eq!(d.cells[0], [Some(Rating::StrongYes), Some(Rating::Yes)]);
        assert_eq!(d.cells[1], [None, None]);
        assert_eq!(d.cells[2], [None, Some(Rating::No)]);
        assert_eq!(d.tally(), "1 yes · 1 no");
        assert_eq!(Debrief::default().tally(), "No scorecards yet");
    }
}

/// Zones offered on the candidate's scheduling page (their detected zone is added when it is
/// not among them).
pub const COMMON_ZONES: &[&str] = &[
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Atlantic/Reykjavik",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// The candidate's scheduling page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchedulingView {
    pub first_name: String,
    pub company: String,
    pub job_title: String,
    pub interview_name: String,
    pub duration_min: u32,
    pub format: Format,
    pub panel: Vec<String>,
    /// A loop: the interviews after the first, straight after it (empty for one interview).
    pub then: Vec<LoopStep>,
    /// The room and where it is, for an on-site interview.
    pub place: Option<String>,
    /// The zone times are shown in.
    pub time_zone: String,
    pub zones: Vec<String>,
    pub state: SchedulingState,
    /// Changes close this many hours before the interview.
    pub change_cutoff_hours: i64,
}

impl SchedulingView {
    /// What the candidate is choosing a time for: "Technical interview", or "Technical
    /// interview and Meet the team" for a loop.
    pub fn title(&self) -> String {
        let names: Vec<&str> = std::iter::once(self.interview_name.as_str())
            .chain(self.then.iter().map(|s| s.name.as_str()))
            .collect();
        loop_title(&names)
    }

    /// Minutes from the first interview's start to the last one's end.
    pub fn total_min(&self) -> u32 {
        self.duration_min + self.then.iter().map(|s| s.duration_min).sum::<u32>()
    }
}

/// Names of interviews as one phrase: "A", "A and B", "A, B and C".
pub fn loop_title(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// An interview of a loop after the first, as the candidate's page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoopStep {
    pub name: String,
    pub duration_min: u32,
    pub panel: Vec<String>,
}

/// Where the candidate's booking stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SchedulingState {
    /// Choose a time.
    Open {
        slots: Vec<Slot>,
    },
    /// Booked; it can be moved or cancelled until `change_until`.
    Booked {
        /// From the first interview's start to the last one's end.
        when: String,
        /// A loop: each interview and its time ("Meet the team: Mon 7 Dec, 11:00–11:45 CET");
        /// empty for one interview.
        parts: Vec<String>,
        location: String,
        sequence: i64,
        can_change: bool,
        /// When changing stops, in the candidate's zone.
        change_until: String,
        slots: Vec<Slot>,
    },
    Cancelled,
    /// The link cannot be used: why, in words.
    Closed {
        reason: String,
    },
}
