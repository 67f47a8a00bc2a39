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
    /// `active`, `rejected` or `withdrawn`.
    pub status: String,
    pub days_in_stage: i64,
}

impl Card {
    /// The column this card shows in.
    pub fn column(&self) -> String {
        match self.status.as_str() {
            "rejected" => REJECTED.into(),
            "withdrawn" => WITHDRAWN.into(),
            _ => self.stage.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub job_id: String,
    pub job_title: String,
    pub columns: Vec<Column>,
    pub cards: Vec<Card>,
}

/// Stage columns in pipeline order, then the outcomes.
pub fn columns_for(stages: &[Stage]) -> Vec<Column> {
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
            c.status = "active".into();
        }
        MoveTarget::Rejected => {
            c.status = "rejected".into();
            c.days_in_stage = 0;
        }
        MoveTarget::Withdrawn => {
            c.status = "withdrawn".into();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::types::default_stages;

    fn card(stage: &str, status: &str) -> Card {
        Card {
            id: "a1".into(),
            person_id: "p1".into(),
            name: "Ada".into(),
            stage: stage.into(),
            status: status.into(),
            days_in_stage: 4,
        }
    }

    #[test]
    fn columns_are_stages_then_outcomes() {
        let cols = columns_for(&default_stages());
        let ids: Vec<_> = cols.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "applied",
                "phone_screen",
                "interview",
                "offer",
                "hired",
                REJECTED,
                WITHDRAWN
            ]
        );
        assert_eq!(cols[4].kind, ColumnKind::Hired);
    }

    #[test]
    fn targets_must_exist() {
        let st = default_stages();
        assert_eq!(
            MoveTarget::parse("offer", &st),
            Some(MoveTarget::Stage("offer".into()))
        );
        assert_eq!(MoveTarget::parse(REJECTED, &st), Some(MoveTarget::Rejected));
        assert_eq!(MoveTarget::parse("nope", &st), None);
    }

    #[test]
    fn moves_change_column_and_reset_days() {
        let c = card("applied", "active");
        let m = moved(&c, &MoveTarget::Stage("interview".into()));
        assert_eq!(m.column(), "interview");
        assert_eq!(m.days_in_stage, 0);
        let r = moved(&c, &MoveTarget::Rejected);
        assert_eq!(r.column(), REJECTED);
        assert_eq!(r.stage, "applied");
        let back = moved(&r, &MoveTarget::Stage("applied".into()));
        assert_eq!(back.column(), "applied");
        assert_eq!(back.status, "active");
    }

    #[test]
    fn summaries_read_well() {
        assert_eq!(
            move_summary(&MoveTarget::Stage("x".into()), "Offer", false),
            "Moved to Offer"
        );
        assert!(move_summary(&MoveTarget::Stage("x".into()), "Offer", true).contains("reopened"));
        assert_eq!(days_label(0), "Today");
        assert_eq!(days_label(1), "1 day");
        assert_eq!(days_label(12), "12 days");
    }
}
