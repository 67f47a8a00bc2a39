//! The pipeline board: columns (stages plus the Rejected and Withdrawn outcomes) and cards.

use crate::jobs::types::{Stage, StageKind};
use serde::{Deserialize, Serialize};

/// Column ids of the two outcomes (stage ids never start with `@`).
pub const REJECTED: &str = "@rejected";
pub const WITHDRAWN: &str = "@withdrawn";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnKind {
    Stage,
    Hired,
    Outcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub id: String,
    pub name: String,
    pub kind: ColumnKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Card {
    pub id: String,
    pub person_id: String,
    pub name: String,
    /// Pipeline stage id (kept when the application is rejected or withdrawn).
    pub stage: String,
    pub status: CardStatus,
    pub days_in_stage: i64,
    pub tags: Vec<String>,
    pub source: String,
    /// The person's current title and company ("Staff engineer at Northwind").
    #[serde(default)]
    pub headline: Option<String>,
    /// Applied in the last two days: the card carries a "New" marker.
    #[serde(default)]
    pub new: bool,
    /// Interview feedback so far ("1/2 · 1 yes": scorecards in, of those due, and how many
    /// recommend hiring), when the application has interviews.
    #[serde(default)]
    pub feedback: Option<String>,
    /// Anonymised review: `name` is the candidate's alias, not their name.
    #[serde(default)]
    pub masked: bool,
    /// The screening score, when the job has criteria and the application was read.
    #[serde(default)]
    pub screening: Option<crate::screening::types::Score>,
}

/// How long a new application keeps its "New" marker on the board.
pub const NEW_FOR_HOURS: i64 = 48;

/// Where an application stands (the stage is kept when it is closed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    Active,
    Rejected,
    Withdrawn,
}

impl CardStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Active => "active",
            CardStatus::Rejected => "rejected",
            CardStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            CardStatus::Active,
            CardStatus::Rejected,
            CardStatus::Withdrawn,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// Compares with the stored name (`status == "active"`).
impl PartialEq<&str> for CardStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Card {
    /// Hides who the candidate is when the job's review is anonymised until `until` and this
    /// card has not reached that stage (the alias stays the same on every board and page).
    pub fn anonymise(&mut self, stages: &[Stage], until: Option<&str>) {
        if crate::anonymity::rules::masked(stages, until, &self.stage) {
            self.name = crate::anonymity::rules::alias(&self.person_id);
            self.masked = true;
        }
    }

    /// The column this card shows in.
    pub fn column(&self) -> String {
        match self.status {
            CardStatus::Rejected => REJECTED.into(),
            CardStatus::Withdrawn => WITHDRAWN.into(),
            CardStatus::Active => self.stage.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub job_id: String,
    pub job_title: String,
    /// The columns shown (Rejected and Withdrawn only on demand).
    pub columns: Vec<Column>,
    /// Every column a card can be moved to.
    pub targets: Vec<Column>,
    /// The cards that pass the filters.
    pub cards: Vec<Card>,
    /// Cards before filtering.
    pub total: usize,
    /// Tags and sources found on this board, for the filter form.
    pub tags: Vec<String>,
    pub sources: Vec<String>,
    pub templates: Vec<TemplateOption>,
    /// Talent pools (id, name) the viewer may add candidates to; empty without CRM access.
    #[serde(default)]
    pub pools: Vec<(String, String)>,
}

/// Board filters (from the page's query string).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardFilters {
    pub tag: String,
    pub source: String,
    /// Only cards at least this many days in their stage.
    pub min_days: Option<i64>,
    /// Show the Rejected and Withdrawn columns.
    pub show_closed: bool,
    /// Screening: `passed` (no must-have missed) or `failed`; empty: everyone.
    #[serde(default)]
    pub screen: String,
    /// `score`: best screening score first in each column; otherwise longest waiting first.
    #[serde(default)]
    pub sort: String,
}

impl BoardFilters {
    pub fn parse(tag: &str, source: &str, min_days: &str, show: &str) -> Self {
        Self {
            tag: tag.trim().to_string(),
            source: source.trim().to_string(),
            min_days: min_days.trim().parse::<i64>().ok().filter(|d| *d > 0),
            show_closed: show == "closed",
            ..Self::default()
        }
    }
    /// Adds the screening filter and order.
    pub fn screening(mut self, screen: &str, sort: &str) -> Self {
        self.screen = match screen.trim() {
            s @ ("passed" | "failed") => s.to_string(),
            _ => String::new(),
        };
        self.sort = if sort.trim() == "score" {
            "score".into()
        } else {
            String::new()
        };
        self
    }
    /// Whether a card passes (closed cards are kept here; columns decide whether they show).
    pub fn admits(&self, c: &Card) -> bool {
        (self.tag.is_empty() || c.tags.contains(&self.tag))
            && (self.source.is_empty() || c.source == self.source)
            && self.min_days.is_none_or(|d| c.days_in_stage >= d)
            && match self.screen.as_str() {
                "passed" => c.screening.is_some_and(|s| s.passed),
                "failed" => c.screening.is_some_and(|s| !s.passed),
                _ => true,
            }
    }
    pub fn is_active(&self) -> bool {
        !self.tag.is_empty()
            || !self.source.is_empty()
            || self.min_days.is_some()
            || !self.screen.is_empty()
    }
}

/// Why a candidate was not taken forward (recorded on the application).
pub const REJECTION_REASONS: [&str; 6] = [
    "Not enough relevant experience",
    "Another candidate was a closer fit",
    "The role has been filled",
    "Salary expectations do not match",
    "Location or working hours do not fit",
    "Other",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateOption {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
}

/// What a bulk action did, and how to undo it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkResult {
    pub bulk_id: String,
    pub message: String,
    pub undo_seconds: i64,
}

/// A recent bulk action as the board shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkStatus {
    pub bulk_id: String,
    pub message: String,
    pub seconds_left: i64,
    pub undone: bool,
}

/// Someone looking at the same board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: String,
    pub name: String,
}

/// A change pushed to open boards (server-sent events named `card`, `presence`, `reload`); the
/// browser reads each by its name (`board_client::CardEvent`), not as this enum (see there).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    Card {
        card: Card,
    },
    Presence {
        viewers: Vec<Viewer>,
    },
    /// Changes may have been missed (a lagging stream, a lost database connection): the board
    /// loads its cards again.
    Reload,
}

/// Stage columns in pipeline order, then the outcomes.
pub fn columns_for(stages: &[Stage]) -> Vec<Column> {
    columns_with(stages, true)
}

/// Stage columns, with the Rejected and Withdrawn columns when `closed` is set.
pub fn columns_with(stages: &[Stage], closed: bool) -> Vec<Column> {
    if !closed {
        return stages
            .iter()
            .map(|s| Column {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: if s.kind == StageKind::Hired {
                    ColumnKind::Hired
                } else {
                    ColumnKind::Stage
                },
            })
            .collect();
    }
    stages
        .iter()
        .map(|s| Column {
            id: s.id.clone(),
            name: s.name.clone(),
            kind: if s.kind == StageKind::Hired {
                ColumnKind::Hired
            } else {
                ColumnKind::Stage
            },
        })
        .chain([
            Column {
                id: REJECTED.into(),
                name: "Rejected".into(),
                kind: ColumnKind::Outcome,
            },
            Column {
                id: WITHDRAWN.into(),
                name: "Withdrawn".into(),
                kind: ColumnKind::Outcome,
            },
        ])
        .collect()
}

/// Where a card is asked to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoveTarget {
    Stage(String),
    Rejected,
    Withdrawn,
}

impl MoveTarget {
    pub fn parse(to: &str, stages: &[Stage]) -> Option<Self> {
        match to {
            REJECTED => Some(Self::Rejected),
            WITHDRAWN => Some(Self::Withdrawn),
            s if stages.iter().any(|st| st.id == s) => Some(Self::Stage(s.to_string())),
            _ => None,
        }
    }
}

/// Applies a move to a card as the server will: stage moves reactivate the card, outcomes keep
/// its stage. Used for the optimistic update in the browser.
pub fn moved(card: &Card, target: &MoveTarget) -> Card {
    let mut c = card.clone();
    match target {
        MoveTarget::Stage(s) => {
            if c.stage != *s || c.status != "active" {
                c.days_in_stage = 0;
            }
            c.stage = s.clone();
            c.status = CardStatus::Active;
        }
        MoveTarget::Rejected => {
            c.status = CardStatus::Rejected;
            c.days_in_stage = 0;
        }
        MoveTarget::Withdrawn => {
            c.status = CardStatus::Withdrawn;
            c.days_in_stage = 0;
        }
    }
    c
}

/// Text for the timeline when a card moves from `from` to `to` (column names).
pub fn move_summary(target: &MoveTarget, to_name: &str, was_closed: bool) -> String {
    match target {
        MoveTarget::Stage(_) if was_closed => format!("Application reopened at {to_name}"),
        MoveTarget::Stage(_) => format!("Moved to {to_name}"),
        MoveTarget::Rejected => "Application closed: not moving forward".into(),
        MoveTarget::Withdrawn => "Application marked as withdrawn".into(),
    }
}

/// "Today", "1 day", "5 days".
pub fn days_label(days: i64) -> String {
    match days {
        d if d <= 0 => "Today".into(),
        1 => "1 day".into(),
        d => format!("{d} days"),
    }
}

/// What the board's quick view shows of a person ([`super::api::get_quick_profile`]): a slice of
/// the profile, so the drawer fetches, and the board's bundle decodes, no more than it shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuickProfile {
    pub id: String,
    pub email: String,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub source: String,
    pub tags: Vec<String>,
    /// The newest resume.
    pub resume: Option<QuickResume>,
    /// The latest activity, newest first (at most [`QUICK_RECENT`]).
    pub recent: Vec<QuickEntry>,
    /// Anonymised review: the drawer hides contact details and the resume file.
    pub anonymised: bool,
}

/// A resume as the quick view shows it: in a viewer when it is a PDF, else its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuickResume {
    pub id: String,
    pub pdf: bool,
    /// The text read from it, or its file name when there is none.
    pub text: String,
}

/// One line of the quick view's recent activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuickEntry {
    pub at: String,
    pub text: String,
}

/// How many timeline entries the quick view shows.
pub const QUICK_RECENT: usize = 5;

impl From<crate::people::types::PersonProfile> for QuickProfile {
    fn from(p: crate::people::types::PersonProfile) -> Self {
        QuickProfile {
            resume: p.resumes.into_iter().next().map(|r| QuickResume {
                id: r.id,
                pdf: r.content_type == "application/pdf",
                text: r.text.unwrap_or(r.filename),
            }),
            recent: p
                .timeline
                .into_iter()
                .take(QUICK_RECENT)
                .map(|e| QuickEntry {
                    at: e.at,
                    text: e.text,
                })
                .collect(),
            anonymised: !p.anonymised.is_empty(),
            id: p.id,
            email: p.email,
            phone: p.phone,
            location: p.location,
            source: p.source,
            tags: p.tags,
        }
    }
}

#[cfg(test)]
#[path = "types_tests.rs"]
mod tests;

/// A change to a job's stage list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageEdit {
    /// Adds a stage just before Hired.
    Add {
        id: String,
        name: String,
    },
    Rename {
        id: String,
        name: String,
    },
    /// Moves a stage one place earlier (`up`) or later; Hired stays last.
    Move {
        id: String,
        up: bool,
    },
    Remove {
        id: String,
    },
}

/// Applies an edit to a stage list. `in_use` tells whether a stage still holds applications.
pub fn edit_stages(
    stages: &[Stage],
    edit: &StageEdit,
    in_use: impl Fn(&str) -> bool,
) -> Result<Vec<Stage>, String> {
    let clean = |n: &str| -> Result<String, String> {
        let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
        if n.is_empty() {
            return Err("Give the stage a name.".into());
        }
        if n.chars().count() > 40 {
            return Err("Stage names are 40 characters at most.".into());
        }
        if n.starts_with('@') {
            return Err("Stage names cannot start with @.".into());
        }
        Ok(n)
    };
    let mut out = stages.to_vec();
    let pos = |id: &str| out.iter().position(|s| s.id == id);
    let taken = |name: &str, except: Option<&str>| {
        stages
            .iter()
            .any(|s| s.name.eq_ignore_ascii_case(name) && Some(s.id.as_str()) != except)
            || ["rejected", "withdrawn"].contains(&name.to_lowercase().as_str())
    };
    match edit {
        StageEdit::Add { id, name } => {
            let name = clean(name)?;
            if taken(&name, None) {
                return Err(format!("There is already a stage called {name}."));
            }
            if out.len() >= 12 {
                return Err("A pipeline has at most 12 stages.".into());
            }
            let at = out
                .iter()
                .position(|s| s.kind == StageKind::Hired)
                .unwrap_or(out.len());
            out.insert(
                at,
                Stage {
                    id: id.clone(),
                    name,
                    kind: StageKind::Active,
                },
            );
        }
        StageEdit::Rename { id, name } => {
            let name = clean(name)?;
            if taken(&name, Some(id)) {
                return Err(format!("There is already a stage called {name}."));
            }
            let i = pos(id).ok_or("That stage no longer exists.")?;
            out[i].name = name;
        }
        StageEdit::Move { id, up } => {
            let i = pos(id).ok_or("That stage no longer exists.")?;
            if out[i].kind == StageKind::Hired {
                return Err("Hired is always the last stage.".into());
            }
            let j = if *up { i.checked_sub(1) } else { Some(i + 1) };
            match j {
                Some(j) if j < out.len() && out[j].kind != StageKind::Hired => out.swap(i, j),
                _ => {
                    return Err(if *up {
                        "This is already the first stage."
                    } else {
                        "Stages cannot move past Hired."
                    }
                    .into());
                }
            }
        }
        StageEdit::Remove { id } => {
            let i = pos(id).ok_or("That stage no longer exists.")?;
            if out[i].kind == StageKind::Hired {
                return Err("The Hired stage cannot be removed.".into());
            }
            if out.iter().filter(|s| s.kind == StageKind::Active).count() <= 1 {
                return Err("A pipeline needs at least one stage before Hired.".into());
            }
            if in_use(id) {
                return Err(format!(
                    "{} still has candidates. Move them first.",
                    out[i].name
                ));
            }
            out.remove(i);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod stage_tests {
    use super::*;
    use crate::jobs::types::default_stages;

    fn names(s: &[Stage]) -> Vec<&str> {
        s.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn stages_are_added_before_hired_and_renamed() {
        let s = default_stages();
        let s = edit_stages(
            &s,
            &StageEdit::Add {
                id: "t".into(),
                name: " Take-home  test ".into(),
            },
            |_| false,
        )
        .unwrap();
        assert_eq!(
            names(&s),
            [
                "Applied",
                "Phone screen",
                "Interview",
                "Offer",
                "Take-home test",
                "Hired"
            ]
        );
        let s = edit_stages(
            &s,
            &StageEdit::Rename {
                id: "t".into(),
                name: "Tech test".into(),
            },
            |_| false,
        )
        .unwrap();
        assert_eq!(s[4].name, "Tech test");
        assert!(
            edit_stages(
                &s,
                &StageEdit::Add {
                    id: "x".into(),
                    name: "offer".into()
                },
                |_| false
            )
            .is_err()
        );
        assert!(
            edit_stages(
                &s,
                &StageEdit::Add {
                    id: "x".into(),
                    name: "Rejected".into()
                },
                |_| false
            )
            .is_err()
        );
        assert!(
            edit_stages(
                &s,
                &StageEdit::Rename {
                    id: "t".into(),
                    name: "".into()
                },
                |_| false
            )
            .is_err()
        );
    }

    #[test]
    fn stages_reorder_but_hired_stays_last() {
        let s = default_stages();
        let s = edit_stages(
            &s,
            &StageEdit::Move {
                id: "interview".into(),
                up: true,
            },
            |_| false,
        )
        .unwrap();
        assert_eq!(
            names(&s),
            ["Applied", "Interview", "Phone screen", "Offer", "Hired"]
        );
        assert!(
            edit_stages(
                &s,
                &StageEdit::Move {
                    id: "offer".into(),
                    up: false
                },
                |_| false
            )
            .is_err()
        );
        assert!(
            edit_stages(
                &s,
                &StageEdit::Move {
                    id: "hired".into(),
                    up: true
                },
                |_| false
            )
            .is_err()
        );
        assert!(
            edit_stages(
                &s,
                &StageEdit::Move {
                    id: "applied".into(),
                    up: true
                },
                |_| false
            )
            .is_err()
        );
    }

    #[test]
    fn only_empty_stages_are_removed() {
        let s = default_stages();
        let e = edit_stages(&s, &StageEdit::Remove { id: "offer".into() }, |id| {
            id == "offer"
        })
        .unwrap_err();
        assert!(e.contains("still has candidates"));
        let s = edit_stages(&s, &StageEdit::Remove { id: "offer".into() }, |_| false).unwrap();
        assert_eq!(s.len(), 4);
        assert!(edit_stages(&s, &StageEdit::Remove { id: "hired".into() }, |_| false).is_err());
    }
}
